"""The two-command entry point: help, unknown commands, and the set-up stamp."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    for name in ("00_meet_mnist.ipynb", "03_backpropagation_intuition.ipynb",
                 "A1_the_files_themselves.ipynb"):
        (tmp_path / name).write_text("{}")
    assert script.notebook_url([]) == ("00_meet_mnist.ipynb", [])
    assert script.notebook_url(["--port", "9000"]) == ("00_meet_mnist.ipynb", ["--port", "9000"])
    assert script.notebook_url(["03", "--no-browser"]) == (
        "03_backpropagation_intuition.ipynb", ["--no-browser"])
    assert script.notebook_url(["workspace/03_backpropagation_intuition.ipynb"])[0] == (
        "03_backpropagation_intuition.ipynb")
    assert script.notebook_url(["A1"]) == ("A1_the_files_themselves.ipynb", [])


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


def wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> str:
    """The URL a GET of ``url`` ends on (following redirects), once the server answers."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.url
        except OSError:
            assert process.poll() is None, "course.py ended before JupyterLab answered"
            assert time.monotonic() < deadline, "JupyterLab did not answer"
            time.sleep(0.5)


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT as Ctrl+C does in a terminal")
@pytest.mark.skipif(not (ROOT / ".venv").is_dir(), reason="needs the course set up (.venv)")
def test_the_course_opens_the_workspace_twice_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    import signal
    import socket

    workspace = tmp_path / "workspace"
    env = {**os.environ, "COURSE_WORKSPACE": str(workspace)}
    before: dict[str, bytes] = {}
    for attempt in range(2):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        process = subprocess.Popen(
            [sys.executable, str(SCRIPT), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             "--IdentityProvider.token=t"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            landed = wait_for(f"http://127.0.0.1:{port}/?token=t", process)
            assert "/lab/tree/00_meet_mnist.ipynb" in landed
        finally:
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err[-2000:]
        assert "Stopped." in out and "Traceback" not in err and "KeyboardInterrupt" not in err
        notebooks = {p.name: p.read_bytes() for p in workspace.glob("*.ipynb")}
        assert "00_meet_mnist.ipynb" in notebooks
        if attempt == 0:
            mine = workspace / "00_meet_mnist.ipynb"
            mine.write_bytes(mine.read_bytes().replace(b"Meet MNIST", b"Meet MNIST (my notes)"))
            before = {p.name: p.read_bytes() for p in workspace.glob("*.ipynb")}
        else:
            assert notebooks == before, "the second run changed the learner's notebooks"
