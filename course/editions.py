"""The learner's edition of a notebook, made from the reference edition by one function.

The reference notebooks (``notebooks/NN_*.ipynb``) hold the model answers. An exercise there is
an *answer cell* (tag ``solution``, nbgrader metadata with the exercise id as ``grade_id``) and
a *check cell* right after it (tag ``check``, nbgrader metadata with ``points``).
:func:`learner_notebook` turns a reference notebook into the learner's edition:

- each answer becomes a stub. Between ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines the
  answer becomes ``...  # your code here`` at the markers' indentation (the signature and the
  docstring around it stay); a cell without markers keeps its comments and imports, and
  ``name = ...  # your code here`` for each assignment, signature + docstring + ``...`` for each
  function;
- each check cell's output becomes the stored "not answered yet" box;
- every other output, and the widget state, stay: the pictures and static fallbacks are what a
  reader reads before running anything.

Both the learner's workspace (:mod:`course.workspace`) and a teacher's handouts use it.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
from pathlib import Path
from typing import Any

SOLUTION_TAG = "solution"
CHECK_TAG = "check"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = "...  # your code here"
HIDDEN_NOTE = "*The answer to this exercise is in the teacher's copy.*"
#: The course's notebooks: numbered ``NN_*.ipynb`` (00-12), then appendices ``AN_*.ipynb`` (A1).
NOTEBOOK_GLOB = "[0-9A][0-9]_*.ipynb"


def course_notebooks(folder: str | Path) -> list[Path]:
    """The course's notebooks in ``folder``, in course order: 00, 01, ..., then A1, A2, ..."""
    return sorted(Path(folder).glob(NOTEBOOK_GLOB))


def source(cell: dict) -> str:
    """A cell's source as one string (nbformat allows a string or a list of lines)."""
    text = cell.get("source", "")
    return text if isinstance(text, str) else "".join(text)


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def exercises(notebook: dict) -> list[dict[str, Any]]:
    """The exercises of a reference notebook, in order.

    Returns
    -------
    list of dict
        ``{"id", "points", "answer": cell index, "check": cell index, "call": check source}``.
    """
    found = []
    cells = notebook.get("cells", [])
    for index, cell in enumerate(cells):
        grading = cell.get("metadata", {}).get("nbgrader", {})
        if CHECK_TAG in _tags(cell) and grading.get("grade"):
            answer = index - 1
            found.append({
                "id": grading["grade_id"].removesuffix("-check"),
                "points": grading.get("points", 0),
                "answer": answer,
                "check": index,
                "call": source(cell).strip(),
            })
    return found


def stub_between_markers(code: str) -> str | None:
    """Replace each ``BEGIN``/``END SOLUTION`` region with the stub; None if there is none."""
    lines = code.splitlines()
    out: list[str] = []
    inside = found = False
    for line in lines:
        stripped = line.strip()
        if stripped == BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + STUB)
            inside = found = True
        elif stripped == END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out).rstrip() + "\n" if found else None


def stub_code(code: str) -> str:
    """Turn a model answer into the stub a learner fills in (see the module docstring)."""
    marked = stub_between_markers(code)
    if marked is not None:
        return marked
    tree = ast.parse(code)
    lines = code.splitlines()
    first_code_line = tree.body[0].lineno - 1 if tree.body else len(lines)
    out = [line for line in lines[:first_code_line] if line.strip().startswith("#")]
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append(ast.get_source_segment(code, node) or "")
        elif isinstance(node, ast.Assign):
            targets = " = ".join(ast.get_source_segment(code, t) or "" for t in node.targets)
            out.append(f"{targets} = {STUB}")
        elif isinstance(node, ast.AnnAssign):
            target = ast.get_source_segment(code, node.target)
            annotation = ast.get_source_segment(code, node.annotation)
            out.append(f"{target}: {annotation} = {STUB}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body_start = node.body[0].lineno - 1
            header_start = (node.decorator_list[0] if node.decorator_list else node).lineno - 1
            out.extend(lines[header_start:body_start])
            indent = " " * node.body[0].col_offset
            if ast.get_docstring(node, clean=False) is not None:
                first = node.body[0]
                out.extend(lines[first.lineno - 1 : first.end_lineno])
            out.append(f"{indent}{STUB}")
    if len(out) == len([line for line in out if line.startswith("#")]):
        out.append("# your code here")
    return "\n".join(out).rstrip() + "\n"


def unanswered_output(exercise_id: str, points: float, execution_count: int | None) -> dict:
    """The stored output of a check cell that has not run yet: the "not answered yet" box."""
    from course.feedback import UNANSWERED, Result

    result = Result(exercise_id, False, 0, points, UNANSWERED, answered=False)
    return {
        "output_type": "execute_result",
        "execution_count": execution_count,
        "metadata": {},
        "data": {"text/plain": repr(result), "text/html": result._repr_html_()},
    }


def learner_notebook(notebook: dict) -> dict:
    """The learner's edition of a reference notebook (nbformat 4 JSON); the input is unchanged."""
    edition = copy.deepcopy(notebook)
    cells = edition.get("cells", [])
    found = exercises(edition)
    for item in found:
        check = cells[item["check"]]
        check["outputs"] = [unanswered_output(item["id"], item["points"],
                                              check.get("execution_count"))]
    answers = {item["answer"] for item in found}
    for index, cell in enumerate(cells):
        if index in answers or SOLUTION_TAG in _tags(cell):
            if cell["cell_type"] == "code":
                cell["source"] = stub_code(source(cell))
                cell["outputs"] = []
            else:
                cell["source"] = HIDDEN_NOTE
    return edition


def content_hash(notebook: dict) -> str:
    """A hash of what a learner reads: cell types and sources, not outputs or run times.

    Re-executing a notebook changes its timestamps and widget ids but not this hash, so a
    learner is offered a new version only when its text or code changed.
    """
    cells = [(cell.get("cell_type"), source(cell)) for cell in notebook.get("cells", [])]
    return hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()


def dumps(notebook: dict) -> str:
    """A notebook as JSON text, formatted as Jupyter writes it."""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
