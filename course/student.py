"""Make student copies of the notebooks: the same lessons, without the solutions.

    python -m course.student                 # every notebook -> student/
    python -m course.student notebooks/05_training_on_mnist.ipynb --out handout/

In a student copy:

- every code cell tagged ``solution`` keeps its comments, imports, assignment targets and
  function signatures (with docstrings), but each value and each function body becomes
  ``...``, so the ``check_...`` cell after it says "Replace the `...`" until it is answered;
- every markdown cell tagged ``solution`` is replaced by a short note;
- all outputs and execution counts are cleared, so students run the notebook themselves.

The teacher's copies in ``notebooks/`` are never modified.
"""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

SOLUTION_TAG = "solution"
HIDDEN_NOTE = "*The answer to this exercise is in the teacher's copy.*"


def _lines(text: str | list[str]) -> str:
    return text if isinstance(text, str) else "".join(text)


def stub_code(code: str) -> str:
    """Turn a model answer into the stub a student fills in.

    Parameters
    ----------
    code : str
        Source of a solution cell.

    Returns
    -------
    str
        Leading comments, then for each top-level statement: imports unchanged,
        ``target = ...`` for assignments, the signature, docstring and ``...`` for functions.
        Other statements (loops, prints) are part of the answer and are dropped.
    """
    tree = ast.parse(code)
    lines = code.splitlines()
    first_code_line = tree.body[0].lineno - 1 if tree.body else len(lines)
    out = [line for line in lines[:first_code_line] if line.strip().startswith("#")]
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append(ast.get_source_segment(code, node) or "")
        elif isinstance(node, ast.Assign):
            targets = " = ".join(ast.get_source_segment(code, t) or "" for t in node.targets)
            out.append(f"{targets} = ...  # your code here")
        elif isinstance(node, ast.AnnAssign):
            target = ast.get_source_segment(code, node.target)
            annotation = ast.get_source_segment(code, node.annotation)
            out.append(f"{target}: {annotation} = ...  # your code here")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body_start = node.body[0].lineno - 1
            header_start = (node.decorator_list[0] if node.decorator_list else node).lineno - 1
            out.extend(lines[header_start:body_start])
            indent = " " * node.body[0].col_offset
            docstring = ast.get_docstring(node, clean=False)
            if docstring is not None:
                first = node.body[0]
                out.extend(lines[first.lineno - 1 : first.end_lineno])
            out.append(f"{indent}...  # your code here")
    if len(out) == len([line for line in out if line.startswith("#")]):
        out.append("# your code here")
    return "\n".join(out).rstrip() + "\n"


def student_notebook(notebook: dict) -> dict:
    """A copy of ``notebook`` (nbformat 4 JSON) with solutions hidden and outputs cleared."""
    copy = json.loads(json.dumps(notebook))
    for cell in copy["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "code":
            if SOLUTION_TAG in tags:
                cell["source"] = stub_code(_lines(cell["source"]))
            cell["outputs"] = []
            cell["execution_count"] = None
        elif SOLUTION_TAG in tags:
            cell["source"] = HIDDEN_NOTE
    copy.get("metadata", {}).pop("widgets", None)
    return copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course.student",
        description="Write student copies of the notebooks, without solutions or outputs.",
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=Path("student"), help="default: student/")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        parser.error("no notebooks found; run from the course folder or name them")
    args.out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        target = args.out / path.name
        if target.resolve() == path.resolve():
            parser.error(f"refusing to overwrite the teacher's copy {path}")
        text = json.dumps(student_notebook(notebook), indent=1, ensure_ascii=False)
        target.write_text(text + "\n", encoding="utf-8")
        print(f"{path} -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
