"""nbgrader as it is: our reference notebook in an nbgrader course, three students, graded.

The flow a teacher follows (docs/teaching.md): copy a reference notebook into ``source/``, run
``nbgrader generate_assignment``, collect the students' copies into ``submitted/``, run
``nbgrader autograde`` and ``nbgrader export``. The students are made up: one answers everything
right, one hands the notebook back blank, one gets half of the points.

nbgrader 0.9 needs Python 3.11 or newer and is installed by the ``classroom`` extra
(``pip install -e .[classroom]``); without it the test skips and says why. CI installs the extra
and sets ``COURSE_REQUIRE_NBGRADER=1``, so that there a missing nbgrader fails instead.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "01_what_is_a_neural_network"
ASSIGNMENT = "ps1"

if sys.version_info < (3, 11):
    pytest.skip(f"nbgrader 0.9 needs Python 3.11 or newer; this is {sys.version.split()[0]}",
                allow_module_level=True)
if shutil.which("nbgrader", path=str(Path(sys.executable).parent)) is None:
    if os.environ.get("COURSE_REQUIRE_NBGRADER"):
        pytest.fail("COURSE_REQUIRE_NBGRADER is set but nbgrader is not installed "
                    "(pip install -e .[classroom])", pytrace=False)
    pytest.skip("nbgrader is not installed: pip install -e .[classroom]", allow_module_level=True)

# Wrong answers, in the form a student would type them into nbgrader's release copy.
WRONG = {
    "01-bar-bias": "bar_bias = 10.0",
    "01-feedforward": "return a",  # replaces `raise NotImplementedError()` in the body
}
# What the half-wrong student answers right (the rest is WRONG); points from the notebook.
HALF_RIGHT = ["01-and-perceptron", "01-count-parameters", "01-w2-shape"]


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the nbgrader command line in ``course`` (its helpers, e.g. alembic, on the PATH)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("COURSE_GRADING", None)
    done = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), *args], cwd=course,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def answers(notebook: dict) -> dict[str, str]:
    return {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"])
            for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("solution")}


def fill(release: dict, reference: dict, right: list[str], wrong: dict[str, str]) -> dict:
    """A student's copy of ``release``: the ``right`` exercises answered as in the reference."""
    model = answers(reference)
    copy = json.loads(json.dumps(release))
    for cell in copy["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        text = "".join(cell["source"])
        if grade_id in right:
            cell["source"] = model[grade_id]
        elif grade_id in wrong and "raise NotImplementedError()" in text:
            indented = text.split("\n")[-1].startswith(" ")
            cell["source"] = text.replace("raise NotImplementedError()", wrong[grade_id]) if (
                indented) else wrong[grade_id]
    return copy


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    course = tmp_path_factory.mktemp("nbgrader-course")
    sockets = tmp_path_factory.mktemp("kernel-sockets")
    # Unix sockets for the kernels: over TCP, a kernel started at the same moment by another
    # process on the machine can take a port, and a lost reply left autograde waiting 300 s.
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'nn-from-scratch'\n"
        # nbgrader's own limit, 30 s a cell: autograde sometimes waits that long after the
        # widget cell of notebook 01 (seen on a busy machine; the grades were right).
        "c.KernelManager.transport = 'ipc'\n"
        f"c.KernelManager.ip = {str(sockets / 'kernel')!r}\n"
    )
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / f"{NOTEBOOK}.ipynb", source)
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    release = json.loads((course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").read_text())
    reference = json.loads((source / f"{NOTEBOOK}.ipynb").read_text())
    everything = list(answers(reference))
    students = {
        "alice": fill(release, reference, everything, {}),
        "bob": release,
        "carol": fill(release, reference, HALF_RIGHT, WRONG),
    }
    for student, notebook in students.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{NOTEBOOK}.ipynb").write_text(json.dumps(notebook))
    nbgrader(course, "autograde", ASSIGNMENT)
    nbgrader(course, "export", "--to", "export.csv")
    with open(course / "export.csv", newline="") as handle:
        exported = {row["student_id"]: row for row in csv.DictReader(handle)}
    return course, exported


def test_release_copy_has_no_answers(graded: tuple[Path, dict]) -> None:
    course, _ = graded
    release = json.loads((course / "release" / ASSIGNMENT / f"{NOTEBOOK}.ipynb").read_text())
    reference = answers(json.loads((ROOT / "notebooks" / f"{NOTEBOOK}.ipynb").read_text()))
    for grade_id, text in answers(release).items():
        assert "NotImplementedError" in text, grade_id
        assert "### BEGIN SOLUTION" not in text and text != reference[grade_id]


def test_exported_scores(graded: tuple[Path, dict]) -> None:
    course, exported = graded
    reference = json.loads((ROOT / "notebooks" / f"{NOTEBOOK}.ipynb").read_text())
    points = {c["metadata"]["nbgrader"]["grade_id"].removesuffix("-check"):
              c["metadata"]["nbgrader"]["points"]
              for c in reference["cells"] if c["metadata"].get("nbgrader", {}).get("grade")}
    total = sum(points.values())
    half = sum(points[name] for name in HALF_RIGHT)
    assert 0 < half < total
    assert set(exported) == {"alice", "bob", "carol"}
    for student, expected in {"alice": total, "bob": 0, "carol": half}.items():
        assert float(exported[student]["max_score"]) == total
        assert float(exported[student]["score"]) == expected, student


def test_gradebook_scores_each_exercise(graded: tuple[Path, dict]) -> None:
    from nbgrader.api import Gradebook

    course, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        def score(student: str, exercise: str) -> float:
            grade = gradebook.find_grade(f"{exercise}-check", NOTEBOOK, ASSIGNMENT, student)
            return grade.score

        for exercise in HALF_RIGHT:
            assert score("carol", exercise) > 0, exercise
        for exercise in WRONG:
            assert score("carol", exercise) == 0, exercise
            assert score("alice", exercise) > 0, exercise


def test_our_grader_agrees_on_nbgraders_submitted_folder(graded: tuple[Path, dict]) -> None:
    """``python3 course.py grade submitted`` reads nbgrader's layout and gives the same scores."""
    course, exported = graded
    out = course / "ours" / "grades.csv"
    done = subprocess.run([sys.executable, "-m", "course.classroom.grade",
                           str(course / "submitted"), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    ours: dict[str, float] = {}
    statuses: dict[str, set[str]] = {}
    with open(out, newline="") as handle:
        for row in csv.DictReader(handle):
            ours[row["student"]] = ours.get(row["student"], 0) + float(row["points"])
            statuses.setdefault(row["student"], set()).add(row["status"])
    assert ours == {student: float(row["score"]) for student, row in exported.items()}
    # nbgrader's stubs: a value answer's cell raises NotImplementedError (unanswered); a function
    # answer is defined and raises it when the check calls it (a "Not yet" naming the error).
    assert statuses["bob"] <= {"unanswered", "failed"} and "unanswered" in statuses["bob"]
