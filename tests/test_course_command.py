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
    for command in ("lab", "test", "setup"):
        assert command in result.stdout


def test_unknown_command_is_refused_without_setting_up() -> None:
    result = run_script("tset")
    assert result.returncode == 2
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
