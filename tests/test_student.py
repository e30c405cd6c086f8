"""Student copies hide every solution and keep everything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.student import HIDDEN_NOTE, main, stub_code, student_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

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


def test_stub_keeps_the_question_and_drops_the_answer() -> None:
    stub = stub_code(MODEL_ANSWER)
    assert stub.startswith("# Count the parameters.\nimport numpy as np\n")
    assert "sizes = ...  # your code here" in stub
    assert "n_weights = ...  # your code here" in stub
    assert "total: int = ...  # your code here" in stub
    assert '@np.vectorize\ndef sigmoid(z):\n    """The logistic function."""\n    ...' in stub
    for answer in ("784", "zip(", "np.exp", "print("):
        assert answer not in stub
    compile(stub, "<stub>", "exec")


def test_stub_runs_and_leaves_placeholders() -> None:
    namespace: dict = {}
    exec(stub_code(MODEL_ANSWER), namespace)
    assert namespace["total"] is Ellipsis
    assert namespace["sigmoid"](0.0) is None or namespace["sigmoid"](0.0).item() is None


def test_student_notebook_hides_solutions_and_outputs() -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
            {
                "cell_type": "code",
                "metadata": {"tags": ["solution"]},
                "source": "answer = 6 * 7\n",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "42"}],
                "execution_count": 1,
            },
            {"cell_type": "markdown", "metadata": {"tags": ["solution"]}, "source": "Why 42"},
            {
                "cell_type": "code",
                "metadata": {},
                "source": "check_answer(answer)",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "Correct!"}],
                "execution_count": 2,
            },
        ],
        "metadata": {"widgets": {"state": {}}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    student = student_notebook(notebook)
    cells = student["cells"]
    assert cells[0]["source"] == "# Title"
    assert cells[1]["source"] == "answer = ...  # your code here\n"
    assert cells[2]["source"] == HIDDEN_NOTE
    assert cells[3]["source"] == "check_answer(answer)"
    assert all(c.get("outputs", []) == [] for c in cells)
    assert "widgets" not in student["metadata"]
    assert notebook["cells"][1]["source"] == "answer = 6 * 7\n", "the original is untouched"


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")
def test_student_copies_of_the_course(tmp_path: Path) -> None:
    assert main([*map(str, NOTEBOOKS), "--out", str(tmp_path)]) == 0
    for path in NOTEBOOKS:
        teacher = json.loads(path.read_text(encoding="utf-8"))
        student = json.loads((tmp_path / path.name).read_text(encoding="utf-8"))
        assert len(student["cells"]) == len(teacher["cells"])
        for before, after in zip(teacher["cells"], student["cells"], strict=True):
            hidden = "solution" in before.get("metadata", {}).get("tags", [])
            if hidden and before["cell_type"] == "code":
                assert after["source"] != "".join(before["source"]), f"{path.name}: not hidden"
                compile(after["source"], path.name, "exec")
            elif not hidden:
                assert after["source"] == before["source"]


def test_refuses_to_overwrite_the_teachers_copy(tmp_path: Path) -> None:
    notebook = tmp_path / "00_x.ipynb"
    notebook.write_text(json.dumps({"cells": [], "metadata": {}}))
    with pytest.raises(SystemExit):
        main([str(notebook), "--out", str(tmp_path)])
