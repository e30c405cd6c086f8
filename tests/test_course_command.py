"""The two-command entry point: help, unknown commands, and the set-up stamp."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = ROOT / "course.py"


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT
    )


def test_help_lists_the_commands() -> None:
    result = run_script("--help")
    assert result.returncode == 0
    for command in ("lab", "test", "setup", "progress"):
        assert command in result.stdout


def test_unknown_command_is_refused_without_setting_up() -> None:
    result = run_script("tset")
    assert result.returncode == 2
    assert result.stderr.startswith("course.py: unknown command 'tset'.")
    assert "usage" in result.stderr


def load_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_script", SCRIPT)
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_options_alone_go_to_the_default_command() -> None:
    parse = load_script().parse
    assert parse([]) == ("lab", [])
    assert parse(["--no-browser", "--port", "9000"]) == ("lab", ["--no-browser", "--port", "9000"])
    assert parse(["test", "-k", "data"]) == ("test", ["-k", "data"])


def test_stamp_changes_with_pyproject(tmp_path: Path) -> None:
    script = load_script()
    before = script.wanted_stamp()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'other'\n")
    script.ROOT = tmp_path
    assert script.wanted_stamp() != before


def test_lab_opens_a_named_notebook_or_the_first(tmp_path: Path) -> None:
    script = load_script()
    script.WORKSPACE = tmp_path
    for name in ("00_meet_mnist.ipynb", "03_backpropagation_intuition.ipynb"):
        (tmp_path / name).write_text("{}")
    assert script.notebook_url([]) == ("00_meet_mnist.ipynb", [])
    assert script.notebook_url(["--port", "9000"]) == ("00_meet_mnist.ipynb", ["--port", "9000"])
    assert script.notebook_url(["03", "--no-browser"]) == (
        "03_backpropagation_intuition.ipynb", ["--no-browser"])
    assert script.notebook_url(["workspace/03_backpropagation_intuition.ipynb"])[0] == (
        "03_backpropagation_intuition.ipynb")


def test_lab_refuses_a_notebook_that_is_not_there(tmp_path: Path) -> None:
    script = load_script()
    script.WORKSPACE = tmp_path
    (tmp_path / "00_meet_mnist.ipynb").write_text("{}")
    try:
        script.notebook_url(["07"])
    except SystemExit as exc:
        assert "No notebook '07'" in str(exc) and "00_meet_mnist.ipynb" in str(exc)
    else:
        raise AssertionError("an unknown notebook was accepted")


def test_lab_command_serves_the_workspace_at_the_notebook() -> None:
    script = load_script()
    command = script.lab_command("00_meet_mnist.ipynb", ["--no-browser"])
    assert f"--ServerApp.root_dir={script.WORKSPACE}" in command
    assert "--LabApp.default_url=/lab/tree/00_meet_mnist.ipynb" in command
    assert command[-1] == "--no-browser"
    news = script.LAB_OVERRIDES["@jupyterlab/apputils-extension:notification"]
    assert news["fetchNews"] == "false"
