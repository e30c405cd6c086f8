"""The longest functions and the largest parameter counts in the taught modules of ``mlp``.

Usage (from the repository root)::

    .venv/bin/python benchmarks/function_sizes.py            # this checkout's mlp/
    .venv/bin/python benchmarks/function_sizes.py OTHER/mlp  # another version of it

A function's length is its lines from ``def`` to its last line, docstring included; its
parameters are all of them (``self`` and ``*args``/``**kwargs`` included). The taught
modules are those of ``mlp/_chapters.py`` that are not support; for an older ``mlp/``
without that table, the same module names are used.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mlp._chapters import INTRODUCED_IN, SUPPORT  # noqa: E402


def functions(path: Path) -> list[tuple[str, int, int]]:
    """``(name, lines, parameters)`` of every function and method in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            count = len(a.posonlyargs) + len(a.args) + len(a.kwonlyargs)
            count += (a.vararg is not None) + (a.kwarg is not None)
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            found.append((f"{path.stem}.{node.name}", node.end_lineno - start + 1, count))
    return found


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "mlp"
    taught = sorted(set(INTRODUCED_IN) - SUPPORT)
    rows = [row for name in taught if (folder / f"{name}.py").exists()
            for row in functions(folder / f"{name}.py")]  # fmt: skip
    longest = sorted(rows, key=lambda row: -row[1])[:5]
    widest = sorted(rows, key=lambda row: -row[2])[:5]
    print(f"{folder}: {len(rows)} functions in {len(taught)} taught modules")
    print("longest:  " + ", ".join(f"{name} {lines} lines" for name, lines, _ in longest))
    print("most parameters:  " + ", ".join(f"{name} {n}" for name, _, n in widest))


if __name__ == "__main__":
    main()
