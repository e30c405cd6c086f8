"""The learner's edition runs as a learner meets it, and buggy answers get feedback, not tracebacks.

Each notebook runs in a fresh kernel (nbclient) inside a workspace, as JupyterLab would run it:
first with every answer still a stub, then (reference answers, so that later cells have what
they need) with three made-up buggy versions of every function exercise inserted after it.
"""

from __future__ import annotations

import ast
import copy
import json
import subprocess
from pathlib import Path

import pytest

from course.editions import BEGIN, END, course_notebooks, exercises, learner_notebook, source
from course.workspace import update_workspace

nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = course_notebooks(ROOT / "notebooks")

# Bodies that replace a function answer: (kind, lines, what the check must say).
BUGS = [
    ("raises", ["product = np.zeros((2, 3)) @ np.zeros((4, 5))", "return product"],
     "Your function raised ValueError at line {line} of your cell"),
    ("returns None", ["return None"], "returned None"),
    ("wrong shape", ["return np.zeros((7, 3))"], ""),
]


def run(notebook: dict, folder: Path) -> dict:
    """Execute ``notebook`` in a fresh kernel whose working folder is ``folder``."""
    import tempfile

    import nbformat
    from jupyter_client.manager import KernelManager

    node = nbformat.reads(json.dumps(notebook), as_version=4)
    with tempfile.TemporaryDirectory(prefix="kernel") as sockets:
        # Unix sockets, not TCP ports: kernels started at the same time by other processes
        # cannot take our ports (a lost port leaves the client waiting forever).
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/k")
        client = nbclient.NotebookClient(node, km=manager, timeout=300, allow_errors=True,
                                         resources={"metadata": {"path": str(folder)}})
        client.execute()
    return json.loads(nbformat.writes(node))


def errors(notebook: dict) -> list[str]:
    return [f"cell {i}: {o['ename']}: {o['evalue']}" for i, cell in enumerate(notebook["cells"])
            for o in cell.get("outputs", []) if o["output_type"] == "error"]


def verdict(cell: dict) -> str:
    results = [o for o in cell["outputs"] if o["output_type"] == "execute_result"]
    assert len(results) == 1, cell["outputs"]
    assert "text/html" in results[0]["data"]
    text = results[0]["data"]["text/plain"]
    return text if isinstance(text, str) else "".join(text)


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding the course's notebooks, with a fresh workspace in it."""
    repo = tmp_path_factory.mktemp("course")
    for path in NOTEBOOKS:
        (repo / "notebooks").mkdir(exist_ok=True)
        (repo / "notebooks" / path.name).write_bytes(path.read_bytes())
    (repo / ".gitignore").write_bytes((ROOT / ".gitignore").read_bytes())
    for command in (["init", "-q"], ["add", "."],
                    ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "course"]):
        subprocess.run(["git", *command], cwd=repo, check=True)
    update_workspace(repo / "notebooks", repo / "workspace")
    return repo


@pytest.mark.runs_notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_learner_edition_runs_top_to_bottom_unanswered(path: Path, repository: Path) -> None:
    workspace = repository / "workspace"
    notebook = json.loads((workspace / path.name).read_text(encoding="utf-8"))
    ran = run(notebook, workspace)
    assert errors(ran) == []
    for item in exercises(notebook):
        assert verdict(ran["cells"][item["check"]]).startswith("✎ Not answered yet."), item["id"]
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repository,
                            capture_output=True, text=True, check=True).stdout
    assert status == "", "running the learner's notebook changed a tracked file"


def buggy_answer(answer: str, body: list[str]) -> tuple[str, int]:
    """``answer`` with the code between the markers replaced by ``body``; the first body line."""
    lines = answer.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == BEGIN)
    end = next(i for i, line in enumerate(lines) if line.strip() == END)
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    new = lines[:start] + [indent + line for line in body] + lines[end + 1 :]
    return "\n".join(new) + "\n", start + 1


def is_function(cell: dict) -> bool:
    return any(isinstance(node, ast.FunctionDef) for node in ast.parse(source(cell)).body)


def with_bugs(notebook: dict) -> tuple[dict, list[tuple[str, str, int, str, int]]]:
    """The reference notebook, cut after its last function exercise, with buggy tries inserted.

    Returns the notebook and, per inserted check, (exercise, bug kind, check cell index,
    expected words, line of the bug in its cell).
    """
    cells = notebook["cells"]
    items = [item for item in exercises(notebook) if is_function(cells[item["answer"]])]
    out, tries = [], []
    last = items[-1]["check"] if items else -1
    by_check = {item["check"]: item for item in items}
    for index, cell in enumerate(cells[: last + 1]):
        out.append(cell)
        if index not in by_check:
            continue
        item = by_check[index]
        answer = source(cells[item["answer"]])
        for kind, body, words in BUGS:
            bug, line = buggy_answer(answer, body)
            for original, text in ((cells[item["answer"]], bug), (cell, source(cell))):
                out.append({**copy.deepcopy(original), "source": text, "outputs": [],
                            "id": f"bug-{len(out)}"})
            tries.append((item["id"], kind, len(out) - 1, words, line))
        # the right answer again, for the cells after it
        out.append({**copy.deepcopy(cells[item["answer"]]), "id": f"again-{len(out)}"})
    return {**notebook, "cells": out}, tries


FUNCTION_NOTEBOOKS = [path for path in NOTEBOOKS
                      if with_bugs(json.loads(path.read_text(encoding="utf-8")))[1]]


@pytest.mark.runs_notebook
@pytest.mark.parametrize("path", FUNCTION_NOTEBOOKS, ids=lambda p: p.stem)
def test_buggy_function_answers_get_feedback_not_a_traceback(path: Path, repository: Path) -> None:
    notebook, tries = with_bugs(json.loads(path.read_text(encoding="utf-8")))
    ran = run(notebook, repository / "workspace")
    assert errors(ran) == []
    for exercise_id, kind, index, words, line in tries:
        text = verdict(ran["cells"][index])
        assert text.startswith("✘ Not yet."), (exercise_id, kind, text)
        assert words.format(line=line) in text, (exercise_id, kind, text)
        assert "Traceback" not in json.dumps(ran["cells"][index])


def test_learner_edition_has_no_answer_in_view() -> None:
    """No line of an answer's code shows in the learner's edition (unless the lesson shows it)."""
    for path in NOTEBOOKS:
        reference = json.loads(path.read_text(encoding="utf-8"))
        found = exercises(reference)
        answers = {item["answer"] for item in found}
        checks = {item["check"] for item in found}
        lesson = json.dumps([cell for i, cell in enumerate(reference["cells"])
                             if i not in answers | checks]).replace("\\n", "\n")
        learner = json.dumps(learner_notebook(reference)).replace("\\n", "\n")
        for item in found:
            answer = source(reference["cells"][item["answer"]])
            body = answer.split(BEGIN)[1].split(END)[0] if BEGIN in answer else answer
            for line in body.splitlines():
                code = line.split("#")[0].strip()
                if len(code) > 8 and code not in lesson:
                    assert code not in learner, (item["id"], code)
