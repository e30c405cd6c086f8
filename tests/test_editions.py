"""The learner's edition: answers become stubs, checks say "not answered yet", the rest stays."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from course import editions
from course.editions import course_notebooks, exercises, learner_notebook, stub_code
from course.student import main as student_main

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = course_notebooks(ROOT / "notebooks")

MODEL_ANSWER = '''# Count the parameters.
import numpy as np
sizes = [784, 16, 16, 10]
n_weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
total: int = n_weights + sum(sizes[1:])
for s in sizes:
    print(s)


@np.vectorize
def sigmoid(z):
    """The logistic function."""
    return 1 / (1 + np.exp(-z))
'''

MARKED = '''def accuracy(outputs, labels):
    """The fraction right."""
    ### BEGIN SOLUTION
    predictions = outputs.argmax(axis=0)
    return (predictions == labels).mean()
    ### END SOLUTION
'''


def test_stub_without_markers_keeps_the_question_and_drops_the_answer() -> None:
    stub = stub_code(MODEL_ANSWER)
    assert stub.startswith("# Count the parameters.\nimport numpy as np\n")
    assert "sizes = ...  # your code here" in stub
    assert "total: int = ...  # your code here" in stub
    assert '@np.vectorize\ndef sigmoid(z):\n    """The logistic function."""\n    ...' in stub
    for answer in ("784", "zip(", "np.exp", "print("):
        assert answer not in stub
    compile(stub, "<stub>", "exec")


def test_stub_between_markers_keeps_signature_and_docstring() -> None:
    assert stub_code(MARKED) == (
        'def accuracy(outputs, labels):\n    """The fraction right."""\n'
        "    ...  # your code here\n"
    )


def _notebook(answer: str) -> dict:
    return {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
            {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "plot()",
             "outputs": [{"output_type": "display_data", "data": {"image/png": "AAAA"},
                          "metadata": {}}]},
            {"cell_type": "code", "execution_count": 2, "source": answer,
             "metadata": {"tags": ["solution"], "nbgrader": {"grade_id": "00-x", "solution": True}},
             "outputs": [{"output_type": "stream", "name": "stdout", "text": "42"}]},
            {"cell_type": "code", "execution_count": 3, "source": "nb00.check_x(answer)",
             "metadata": {"tags": ["check"],
                          "nbgrader": {"grade": True, "grade_id": "00-x-check", "points": 2}},
             "outputs": [{"output_type": "execute_result", "execution_count": 3, "metadata": {},
                          "data": {"text/plain": "✔ Correct! 42 it is."}}]},
        ],
        "metadata": {"widgets": {"state": {"a": 1}}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_learner_notebook_hides_answers_and_keeps_every_other_output() -> None:
    notebook = _notebook("answer = 6 * 7\n")
    learner = learner_notebook(notebook)
    cells = learner["cells"]
    assert cells[1]["outputs"] == notebook["cells"][1]["outputs"], "pictures stay"
    assert cells[2]["source"] == "answer = ...  # your code here\n"
    assert cells[2]["outputs"] == []
    box = cells[3]["outputs"][0]["data"]
    assert box["text/plain"].startswith("✎ Not answered yet.")
    assert "0 / 2 points" in box["text/html"]
    assert "Correct" not in json.dumps(cells[3])
    assert learner["metadata"]["widgets"] == {"state": {"a": 1}}
    assert notebook["cells"][2]["source"] == "answer = 6 * 7\n", "the reference is untouched"
    assert exercises(notebook) == [
        {"id": "00-x", "points": 2, "answer": 2, "check": 3, "call": "nb00.check_x(answer)"}
    ]


def test_content_hash_ignores_outputs_but_not_text() -> None:
    notebook = _notebook("answer = 6 * 7\n")
    rerun = _notebook("answer = 6 * 7\n")
    rerun["cells"][1]["outputs"] = []
    assert editions.content_hash(notebook) == editions.content_hash(rerun)
    assert editions.content_hash(notebook) != editions.content_hash(_notebook("answer = 42\n"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_of_the_course_follows_the_format(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = exercises(notebook)
    assert 3 <= len(found) <= 6, f"{path.name}: 3-6 exercises"
    cells = notebook["cells"]
    for item in found:
        assert item["id"].startswith(path.name[:2] + "-"), item["id"]
        answer = cells[item["answer"]]
        assert "solution" in answer["metadata"]["tags"]
        assert answer["metadata"]["nbgrader"] == {
            "grade": False, "solution": True, "locked": False, "task": False,
            "grade_id": item["id"], "schema_version": 3}
        grading = cells[item["check"]]["metadata"]["nbgrader"]
        assert grading["locked"] and grading["points"] >= 1 and not grading["solution"]
        assert item["call"].count("\n") == 0 and ".check_" in item["call"]
        source = editions.source(answer)
        tree = ast.parse(source)
        if any(isinstance(node, ast.FunctionDef) for node in tree.body):
            assert editions.BEGIN in source and editions.END in source, item["id"]
    solutions = [i for i, c in enumerate(cells) if "solution" in c["metadata"].get("tags", [])]
    assert solutions == [item["answer"] for item in found], "every answer cell has its check"


def test_exercise_ids_are_unique_across_the_course() -> None:
    ids = [item["id"] for path in NOTEBOOKS
           for item in exercises(json.loads(path.read_text(encoding="utf-8")))]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_learner_edition_of_the_course(path: Path) -> None:
    reference = json.loads(path.read_text(encoding="utf-8"))
    learner = learner_notebook(reference)
    answers = {item["answer"] for item in exercises(reference)}
    checks = {item["check"] for item in exercises(reference)}
    for index, (before, after) in enumerate(zip(reference["cells"], learner["cells"],
                                                strict=True)):
        if index in answers:
            assert "# your code here" in after["source"]
            assert editions.BEGIN not in after["source"]
            compile(after["source"], path.name, "exec")
        elif index in checks:
            assert after["outputs"][0]["data"]["text/plain"].startswith("✎ Not answered yet.")
        else:
            assert after == before, f"{path.name} cell {index} changed"


def test_student_command_writes_learner_editions(tmp_path: Path) -> None:
    assert student_main([str(NOTEBOOKS[0]), "--out", str(tmp_path)]) == 0
    written = json.loads((tmp_path / NOTEBOOKS[0].name).read_text(encoding="utf-8"))
    assert written == learner_notebook(json.loads(NOTEBOOKS[0].read_text(encoding="utf-8")))


def test_student_command_refuses_to_overwrite_the_reference(tmp_path: Path) -> None:
    notebook = tmp_path / "00_x.ipynb"
    notebook.write_text(json.dumps({"cells": [], "metadata": {}}))
    with pytest.raises(SystemExit):
        student_main([str(notebook), "--out", str(tmp_path)])
