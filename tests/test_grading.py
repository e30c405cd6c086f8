"""Grading a class (``python3 course.py grade``): honest scores, whatever the students hand in.

Most tests grade a *small* course, made from notebook 01 by keeping its imports and three of its
exercises, so that each submission takes a kernel start and little more; the checks are the real
ones. One test grades the real handout of notebook 01 by the command a teacher types.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course.classroom import execute, grade, handout, submissions
from course.editions import dumps, exercises, learner_notebook

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "notebooks" / "01_what_is_a_neural_network.ipynb"
SMALL = "01_small"
KEPT = ["01-and-perceptron", "01-count-parameters", "01-w2-shape"]  # 1 + 2 + 1 points
CELL_TIMEOUT = 5


def small_reference() -> dict:
    """Notebook 01's first code cell (the imports) and the exercises in KEPT, as a notebook."""
    notebook = json.loads(REAL.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    keep = [next(i for i, c in enumerate(cells) if c["cell_type"] == "code")]
    for ex in exercises(notebook):
        if ex["id"] in KEPT:
            keep += [ex["answer"] - 1, ex["answer"], ex["check"]]  # task, answer, check
    return {**notebook, "cells": [cells[i] for i in keep]}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reference")
    (folder / f"{SMALL}.ipynb").write_text(dumps(small_reference()), encoding="utf-8")
    return folder


def answered(notebook: dict, answers: dict[str, str], drop: tuple[str, ...] = ()) -> dict:
    """A copy of ``notebook`` with the answer cells of ``answers`` replaced; ``drop``: deleted."""
    copy = json.loads(json.dumps(notebook))
    cells = []
    for cell in copy["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        if grade_id.removesuffix("-check") in drop:
            continue
        if grade_id in answers:
            cell["source"] = answers[grade_id]
        cells.append(cell)
    copy["cells"] = cells
    return copy


RIGHT = {ex: "" for ex in KEPT}  # filled in from the reference by `right_answers`
WRONG_W2 = {"01-w2-shape": "w2_shape = (784, 16)"}


def right_answers(reference: dict) -> dict[str, str]:
    return {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in reference["cells"]
            if c["metadata"].get("nbgrader", {}).get("solution")}


def write(path: Path, notebook: dict | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(notebook if isinstance(notebook, str) else json.dumps(notebook),
                    encoding="utf-8")


def run_grader(folder: Path, reference: Path, out: Path, *extra: str) -> list[dict]:
    code = grade.main([str(folder), "--out", str(out), "--reference", str(reference), "--quiet",
                       "--cell-timeout", str(CELL_TIMEOUT), *extra])
    assert code == 0
    with open(out, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def by_student(rows: list[dict]) -> dict[str, dict[str, dict]]:
    table: dict[str, dict[str, dict]] = {}
    for row in rows:
        table.setdefault(row["student"], {})[row["exercise"]] = row
    return table


def total(rows: dict[str, dict]) -> float:
    return sum(float(r["points"]) for r in rows.values())


CHEATS = {
    "01-and-perceptron": (
        "and_weights, and_bias = np.array([1.0, 1.0]), 0.0\n"
        "print('✔ Correct! 1 / 1 points')\n"
        "nb01.check_and_perceptron = lambda *args: print('✔ Correct!')\n"
    ),
    "01-count-parameters": (
        "import course.feedback\n"
        "def count_parameters(sizes):\n"
        "    return 0\n"
        "def check_count_parameters(function):\n"
        "    return course.feedback.Result('01-count-parameters', True, 2, 2, 'Correct!')\n"
        "nb01.check_count_parameters = check_count_parameters\n"
        "course.feedback.Result.passed = True\n"
    ),
    "01-w2-shape": "w2_shape = (784, 16)\n",
}


@pytest.fixture(scope="module")
def bad_class(reference: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A class of 30: every kind of submission and 11 ordinary ones, graded in one run.

    Two notebooks at a time (``--jobs 2``), as on a 2-core laptop. The same with the real
    notebooks 01 and 05 is ``benchmarks/bench_grading.py`` (minutes, not seconds).
    """
    ref = json.loads((reference / f"{SMALL}.ipynb").read_text())
    right = right_answers(ref)
    blank = learner_notebook(ref)
    name = f"{SMALL}.ipynb"
    root = tmp_path_factory.mktemp("submissions")
    write(root / "right" / name, answered(blank, right))
    write(root / "blank" / name, blank)
    write(root / "half" / name, answered(blank, {**right, **WRONG_W2}))
    write(root / "not_json" / name, '{"cells": [')
    write(root / "empty" / name, "")
    write(root / "not_a_notebook" / name, '{"hello": "world"}')
    write(root / "crash" / name, answered(blank, {
        **right, "01-and-perceptron": "raise RuntimeError('oops')"}))
    write(root / "kernel_killer" / name, answered(blank, {
        **right, "01-count-parameters": "import os\nos._exit(1)"}))
    write(root / "endless" / name, answered(blank, {
        **right, "01-and-perceptron": "while True:\n    pass"}))
    write(root / "endless_function" / name, answered(blank, {
        **right, "01-count-parameters": "def count_parameters(sizes):\n    while True:\n"
                                        "        pass"}))
    write(root / "unstoppable" / name, answered(blank, {
        **right, "01-count-parameters": "import time\nwhile True:\n    try:\n"
                                        "        time.sleep(60)\n    except KeyboardInterrupt:\n"
                                        "        pass"}))
    write(root / "deleted" / name, answered(blank, right, drop=("01-w2-shape",)))
    moved = answered(blank, right)
    cells = moved["cells"]
    cells[1:4], cells[-3:] = cells[-3:], cells[1:4]  # the first exercise swapped with the last
    write(root / "reordered" / name, moved)
    write(root / "renamed" / "01_small (1).ipynb", answered(blank, right))
    write(root / "renamed_freely" / "homework.ipynb", answered(blank, right))
    write(root / "nbgrader_layout" / "ps1" / name, answered(blank, right))
    write(root / "stray" / name, answered(blank, right))
    write(root / "stray" / "scratch.ipynb", {"cells": [], "metadata": {}, "nbformat": 4,
                                             "nbformat_minor": 5})
    (root / "absent").mkdir()
    (root / "absent" / "notes.txt").write_text("I forgot.")
    cheater = answered(blank, CHEATS)
    for cell in cheater["cells"]:
        if "check" in cell["metadata"].get("tags", []):
            cell["source"] = "print('✔ Correct!')"
    write(root / "cheater" / name, cheater)
    ordinary = [answered(blank, right), blank, answered(blank, {**right, **WRONG_W2})]
    for number in range(11):
        write(root / f"student{number:02d}" / name, ordinary[number % 3])
    start = time.monotonic()
    rows = run_grader(root, reference, root.parent / "out" / "grades.csv", "--jobs", "2")
    return {"rows": by_student(rows), "seconds": time.monotonic() - start,
            "out": root.parent / "out", "all": rows}


def test_right_blank_and_half(bad_class: dict) -> None:
    rows = bad_class["rows"]
    assert len(rows) == 30
    for number in range(11):
        assert total(rows[f"student{number:02d}"]) == [4, 0, 3][number % 3]
    assert total(rows["right"]) == 4 and {r["status"] for r in rows["right"].values()} == {
        "passed"}
    assert total(rows["blank"]) == 0
    assert {r["status"] for r in rows["blank"].values()} == {"unanswered"}
    assert total(rows["half"]) == 3 and rows["half"]["01-w2-shape"]["status"] == "failed"


@pytest.mark.parametrize(("student", "words"), [
    ("not_json", "not valid JSON"),
    ("empty", "empty"),
    ("not_a_notebook", "not a Jupyter notebook"),
])
def test_unreadable_files_get_a_row_per_exercise(bad_class: dict, student: str,
                                                 words: str) -> None:
    rows = bad_class["rows"][student]
    assert set(rows) == set(KEPT)
    assert all(r["status"] == "error" and words in r["message"] for r in rows.values())
    assert total(rows) == 0


def test_a_crash_costs_only_its_exercise(bad_class: dict) -> None:
    rows = bad_class["rows"]["crash"]
    assert "raised RuntimeError: oops" in rows["01-and-perceptron"]["message"]
    assert rows["01-and-perceptron"]["points"] == "0"
    assert total(rows) == 3


def test_a_dead_kernel_stops_that_notebook_only(bad_class: dict) -> None:
    rows = bad_class["rows"]["kernel_killer"]
    assert rows["01-and-perceptron"]["status"] == "passed"  # graded before the crash
    for exercise in ("01-count-parameters", "01-w2-shape"):
        assert rows[exercise]["points"] == "0"
        assert "kernel died" in rows[exercise]["message"]


def test_endless_loops_are_stopped(bad_class: dict) -> None:
    rows = bad_class["rows"]
    loop = rows["endless"]["01-and-perceptron"]["message"]
    assert f"did not finish within {CELL_TIMEOUT} s" in loop
    assert total(rows["endless"]) == 3  # the cells after the loop still ran
    inside = rows["endless_function"]["01-count-parameters"]
    assert inside["points"] == "0" and f"within {CELL_TIMEOUT} s" in inside["message"]
    assert rows["endless_function"]["01-w2-shape"]["status"] == "passed"
    stuck = rows["unstoppable"]
    assert stuck["01-and-perceptron"]["status"] == "passed"
    assert "could not be stopped" in stuck["01-w2-shape"]["message"]


def test_deleted_and_reordered_cells(bad_class: dict) -> None:
    rows = bad_class["rows"]
    deleted = rows["deleted"]["01-w2-shape"]
    assert deleted["points"] == "0" and "Answer cell not found" in deleted["message"]
    assert total(rows["deleted"]) == 3
    assert total(rows["reordered"]) == 4
    assert "moved" in rows["reordered"]["01-w2-shape"]["message"]


def test_renamed_files_and_nbgrader_layout(bad_class: dict) -> None:
    rows = bad_class["rows"]
    for student in ("renamed", "renamed_freely", "nbgrader_layout"):
        assert total(rows[student]) == 4, student
    assert "renamed (01_small (1).ipynb)" in rows["renamed"]["01-w2-shape"]["message"]
    assert "renamed (homework.ipynb)" in rows["renamed_freely"]["01-w2-shape"]["message"]
    assert all(r["notebook"] == SMALL for r in rows["renamed_freely"].values())


def test_missing_and_stray_notebooks(bad_class: dict) -> None:
    rows = bad_class["rows"]
    assert {r["status"] for r in rows["absent"].values()} == {"missing"}
    assert total(rows["stray"]) == 4
    assert rows["stray"]["-"]["status"] == "ignored"
    assert "scratch.ipynb is not one of the course's notebooks" in rows["stray"]["-"]["message"]


def test_a_cheater_gains_nothing_and_is_flagged(bad_class: dict) -> None:
    rows = bad_class["rows"]["cheater"]
    assert total(rows) == 0
    review = rows.pop(grade.REVIEW)
    assert {r["status"] for r in rows.values()} == {"failed"}
    assert review["status"] == "flagged" and review["max_points"] == "0"
    message = review["message"]
    assert "Flagged for the teacher" in message
    for what in ("Correct!", "nb01.check_and_perceptron", "defines its own check_count_parameters",
                 "course.feedback.Result.passed"):
        assert what in message, what


def test_outputs_feedback_and_bounded_time(bad_class: dict) -> None:
    out = bad_class["out"]
    header = (out / "grades.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("student,notebook,exercise,points,max_points")
    students = set(bad_class["rows"])
    assert {p.stem for p in (out / "feedback").glob("*.md")} == students
    text = (out / "feedback" / "half.md").read_text(encoding="utf-8")
    assert "Total: 3 / 4 points." in text and "✘ **01-w2-shape** (0 / 1)" in text
    # 31 notebooks, two at a time; the three endless ones cost their time limits.
    assert bad_class["seconds"] < 31 * 10
    print(f"a class of 30 (31 notebooks) graded in {bad_class['seconds']:.0f} s")


# ---------------------------------------------------------------------------------------------
# Without a kernel
# ---------------------------------------------------------------------------------------------


def test_unwritable_output_is_refused_before_grading(tmp_path: Path, reference: Path) -> None:
    (tmp_path / "subs" / "alice").mkdir(parents=True)
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(SystemExit, match="Cannot write"):
        grade.main([str(tmp_path / "subs"), "--out", str(blocker / "grades.csv"),
                    "--reference", str(reference)])


def test_identify_by_name_content_or_number() -> None:
    ids = {"01_small": set(KEPT), "05_other": {"05-x"}}
    assert submissions.identify(Path("01_small.ipynb"), ids) == ("01_small", "")
    assert submissions.identify(Path("05 copy.ipynb"), ids)[0] == "05_other"
    assert submissions.identify(Path("notes.ipynb"), ids)[0] is None


def test_suspicious_code_ignores_the_handout_itself() -> None:
    ref = small_reference()
    assert execute.suspicious_code(ref, ref) == []
    cheat = answered(ref, {"01-w2-shape": "nb01.check_w2_shape = print"})
    assert execute.suspicious_code(cheat, ref) == [
        f"cell {len(ref['cells']) - 1} changes nb01.check_w2_shape"]


# ---------------------------------------------------------------------------------------------
# Done when: the real handout, five students, one command
# ---------------------------------------------------------------------------------------------


def test_handout_graded_by_one_command(tmp_path: Path) -> None:
    assert handout.main(["01", "--out", str(tmp_path / "handout")]) == 0
    given = json.loads((tmp_path / "handout" / REAL.name).read_text(encoding="utf-8"))
    assert (tmp_path / "handout" / "nn-from-scratch" / "course" / "nb01.py").is_file()
    assert not list((tmp_path / "handout" / "nn-from-scratch").rglob("*.ipynb"))
    reference = json.loads(REAL.read_text(encoding="utf-8"))
    points = {ex["id"]: ex["points"] for ex in exercises(reference)}
    right = right_answers(reference)
    wrong = {"01-bar-bias": "bar_bias = 10.0",
             "01-feedforward": "def feedforward(weights, biases, a):\n"
                               "    return a"}
    class_folder = tmp_path / "collected"
    students = {
        "alice": answered(given, right),
        "bob": given,
        "carol": answered(given, {**right, **wrong}),
        "dave": answered(given, {**wrong, "01-w2-shape": "w2_shape = (784, 16)\n"
                                 "print('✔ Correct!')\nnb01.check_w2_shape = lambda s: None"}),
        "erin": answered(given, {**right, "01-count-parameters": "while True:\n    pass"}),
    }
    for student, notebook in students.items():
        write(class_folder / student / REAL.name, notebook)
    out = tmp_path / "grades.csv"
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "course.classroom.grade", str(class_folder), "--out", str(out),
         "--cell-timeout", "10", "--jobs", "2"],
        capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    with open(out, newline="", encoding="utf-8") as handle:
        rows = by_student(list(csv.DictReader(handle)))
    full = sum(points.values())
    assert set(rows) == set(students)
    assert total(rows["alice"]) == full
    assert total(rows["bob"]) == 0
    assert total(rows["carol"]) == full - points["01-bar-bias"] - points["01-feedforward"]
    assert total(rows["dave"]) == 0 and "Flagged" in rows["dave"][grade.REVIEW]["message"]
    assert total(rows["erin"]) == full - points["01-count-parameters"]
    assert "did not finish within 10 s" in rows["erin"]["01-count-parameters"]["message"]
    assert "alice" in done.stdout and f"{full:g} / {full:g}" in done.stdout  # the summary
    assert "100%" in done.stderr  # the progress bar
    assert {p.stem for p in (tmp_path / "feedback").glob("*.md")} == set(students)
    print(f"5 submissions of notebook 01 graded in {seconds:.1f} s")


def test_course_py_runs_handout_and_grade(tmp_path: Path) -> None:
    """``python3 course.py handout|grade`` hand their arguments to the classroom modules."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_script", ROOT / "course.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.classroom("handout", ["00", "--out", str(tmp_path / "h")]) == 0
    assert (tmp_path / "h" / "00_meet_mnist.ipynb").is_file()
    assert not (tmp_path / "h" / "01_what_is_a_neural_network.ipynb").exists()
    assert script.classroom("grade", ["--help"]) == 0
    assert script.classroom("grade", [str(tmp_path / "nowhere")]) == 1  # "is not a folder"
