"""The learner's workspace: made from the reference, never overwritten, updates beside it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import progress
from course.editions import course_notebooks, learner_notebook
from course.workspace import course_exercises, main, update_workspace

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = course_notebooks(ROOT / "notebooks")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A small git repository with the course's notebooks and .gitignore, all committed."""
    repo = tmp_path / "course"
    shutil.copytree(ROOT / "notebooks", repo / "notebooks")
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    for command in (["init", "-q"], ["add", "."],
                    ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "course"]):
        subprocess.run(["git", *command], cwd=repo, check=True)
    return repo


def git_status(repo: Path) -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True,
                          text=True, check=True).stdout


def test_workspace_is_made_from_the_reference_and_ignored_by_git(course: Path) -> None:
    workspace = course / "workspace"
    messages = update_workspace(course / "notebooks", workspace)
    assert messages == [f"new: {path.name}" for path in NOTEBOOKS]
    for path in NOTEBOOKS:
        made = json.loads((workspace / path.name).read_text(encoding="utf-8"))
        assert made == learner_notebook(json.loads(path.read_text(encoding="utf-8")))
    assert (workspace / ".course" / "reference.json").is_file()
    assert git_status(course) == ""


def test_a_second_run_keeps_the_learners_edits(course: Path) -> None:
    workspace = course / "workspace"
    update_workspace(course / "notebooks", workspace)
    mine = workspace / NOTEBOOKS[0].name
    edited = json.loads(mine.read_text(encoding="utf-8"))
    edited["cells"][0]["source"] = "My own notes."
    mine.write_text(json.dumps(edited), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in workspace.glob("*.ipynb")}
    assert update_workspace(course / "notebooks", workspace) == []
    assert {p.name: p.read_bytes() for p in workspace.glob("*.ipynb")} == before
    assert git_status(course) == ""


def test_a_changed_notebook_arrives_beside_the_learners_copy(course: Path) -> None:
    workspace = course / "workspace"
    update_workspace(course / "notebooks", workspace)
    mine = workspace / NOTEBOOKS[1].name
    mine_before = mine.read_bytes()
    reference = course / "notebooks" / NOTEBOOKS[1].name
    notebook = json.loads(reference.read_text(encoding="utf-8"))
    notebook["cells"][0]["source"] = ["# A corrected title\n"]
    reference.write_text(json.dumps(notebook), encoding="utf-8")
    new = course / "notebooks" / "06_what_did_it_learn.ipynb"
    new.write_text(json.dumps(notebook), encoding="utf-8")

    messages = update_workspace(course / "notebooks", workspace)
    updates = list(workspace.glob(f"{reference.stem}.update-*.ipynb"))
    assert len(updates) == 1 and any(updates[0].name in m for m in messages)
    assert "A corrected title" in updates[0].read_text(encoding="utf-8")
    assert mine.read_bytes() == mine_before, "the learner's copy is never overwritten"
    assert (workspace / new.name).is_file()
    assert update_workspace(course / "notebooks", workspace) == [], "offered once"


def test_a_deleted_notebook_comes_back_fresh(course: Path) -> None:
    workspace = course / "workspace"
    update_workspace(course / "notebooks", workspace)
    (workspace / NOTEBOOKS[2].name).unlink()
    assert update_workspace(course / "notebooks", workspace) == [f"new: {NOTEBOOKS[2].name}"]


def test_progress_command(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = course / "workspace"
    assert main(["progress", str(course / "notebooks"), str(workspace)]) == 1
    assert "No workspace yet" in capsys.readouterr().out
    update_workspace(course / "notebooks", workspace)
    progress.save(workspace, {"01-w2-shape": {"passed": True, "tries": 2},
                              "01-feedforward": {"answer_viewed": True, "tries": 1}})
    assert main(["progress", str(course / "notebooks"), str(workspace)]) == 0
    table = capsys.readouterr().out
    row = next(line for line in table.splitlines() if line.startswith("01_"))
    assert "1 / 5" in row and "feedforward" in row
    total = sum(len(ids) for ids in course_exercises(course / "notebooks").values())
    assert f"1 / {total}" in table.splitlines()[-1]


def test_the_module_runs_from_the_command_line(course: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "course.workspace", "update", "notebooks", "workspace"],
        cwd=course, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert f"workspace/{NOTEBOOKS[0].name}" in result.stdout


def test_jupyterlab_first_opens_notebook_00_then_keeps_the_learners_layout(course: Path) -> None:
    workspace = course / "workspace"
    update_workspace(course / "notebooks", workspace)
    layouts = list((workspace / ".course" / "jupyterlab").glob("default-*.jupyterlab-workspace"))
    assert len(layouts) == 1
    layout = json.loads(layouts[0].read_text())
    assert layout["data"]["layout-restorer:data"]["main"]["current"] == (
        f"notebook:{NOTEBOOKS[0].name}")
    layouts[0].write_text('{"data": {}, "metadata": {"id": "default"}}')  # the learner's own
    update_workspace(course / "notebooks", workspace)
    assert json.loads(layouts[0].read_text())["data"] == {}
