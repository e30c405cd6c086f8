"""Every notebook runs in a real JupyterLab in a real browser, and its widgets render.

nbval runs the notebooks in a kernel, but it cannot tell whether the widgets actually show
up for a learner. These tests start JupyterLab on 127.0.0.1, open each notebook in headless
Chromium (driven by Playwright), run all cells, and check that every cell ran, that no
cell shows an error, and that the interactive widgets are drawn.

They need the ``playwright`` package and a Chromium executable (``/usr/bin/chromium``, or
the one named by the environment variable ``CHROMIUM``); without them they are skipped.
CI installs both (see ``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from course.editions import course_notebooks

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = course_notebooks(ROOT / "notebooks")
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
TOKEN = "course-browser-test"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (set CHROMIUM)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    # Serve copies, so that JupyterLab's autosave can never touch the committed notebooks.
    served = tmp_path_factory.mktemp("served")
    shutil.copytree(ROOT / "notebooks", served / "notebooks")
    with running_lab(lab_command(port, served), served, port, served / "lab.log") as url:
        yield url


def lab_command(port: int, folder: Path) -> list[str]:
    """A JupyterLab for a test on ``port``: this module's token, settings and workspaces kept in
    ``folder``, no news and no update checks."""
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
        f"--port={port}", f"--IdentityProvider.token={TOKEN}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.user_settings_dir={folder / 'settings'}",
        f"--LabApp.workspaces_dir={folder / 'workspaces'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


@contextmanager
def running_lab(command: list[str], folder: Path, port: int, log: Path) -> Iterator[str]:
    """Run ``command`` (a JupyterLab on ``port`` with :data:`TOKEN`) in ``folder``, its output
    going to ``log``; wait until it answers and yield its URL; stop it afterwards."""
    with open(log, "w") as out:
        lab = subprocess.Popen(command, cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api?token={TOKEN}", timeout=2)
                break
            except OSError:
                if lab.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{log.read_text()[-2000:]}")
                time.sleep(0.5)
        yield url
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            lab.kill()


@pytest.fixture(scope="module")
def browser(lab_url: str) -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


ERROR_MIME = "application/vnd.jupyter.stderr"  # tracebacks, and also warnings and progress
# The notebook's execution indicator says "idle" for a few seconds before any kernel exists
# ("No Kernel | Initializing" in the status bar); Run All clicked then does nothing. Wait for
# the status bar to name a kernel that is idle.
KERNEL_IDLE = """() => Array.from(document.querySelectorAll('.jp-StatusBar-TextItem'))
  .some(item => /\\| Idle$/.test(item.textContent.trim()) && !/No Kernel/.test(item.textContent))"""
PENDING_CELLS = """() => {
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
  return prompts.filter(p => !/\\[\\d+\\]/.test(p.textContent)).length;
}"""


@pytest.mark.runs_notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_jupyterlab(
    path: Path, lab_url: str, browser: object, tmp_path: Path
) -> None:
    # A fresh browser context, and `reset` so JupyterLab does not reopen earlier notebooks.
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(f"{lab_url}/lab/tree/notebooks/{path.name}?reset&token={TOKEN}")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # On a busy machine a fresh JupyterLab may ask which kernel to start before it has
        # listed the kernels; the notebook's own (preselected) is the right answer.
        try:
            page.locator(".jp-Dialog", has_text="Select Kernel").wait_for(timeout=5_000)
            page.click(".jp-Dialog .jp-mod-accept")
        except sync_api.TimeoutError:
            pass
        page.wait_for_function(KERNEL_IDLE, timeout=60_000)
        # Clear the stored outputs first, so that everything checked below is new.
        page.click("#jp-MainMenu >> text=Edit")
        page.click("text=Clear Outputs of All Cells")
        page.click("#jp-MainMenu >> text=Run")
        page.click("text=Run All Cells")
        errors = page.locator(
            f".jp-OutputArea-output[data-mime-type='{ERROR_MIME}']", has_text="Traceback"
        )
        deadline = time.monotonic() + 300
        while page.evaluate(PENDING_CELLS) > 0 and errors.count() == 0:
            assert time.monotonic() < deadline, f"{path.name} did not finish within 5 minutes"
            time.sleep(1)
        assert errors.count() == 0, f"{path.name}: {errors.first.inner_text()[:1000]}"
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=120_000, state="attached")
        widgets = page.locator(".jp-OutputArea-output .jupyter-widgets.widget-container, "
                               ".jp-OutputArea-output .jupyter-widgets.widget-inline-hbox")
        # JupyterLab draws only the cells near the view: scroll through the notebook.
        cells = page.locator(".jp-Notebook .jp-Cell")
        for index in range(0, cells.count(), 4):
            if widgets.count() > 0:
                break
            cells.nth(index).scroll_into_view_if_needed()
            time.sleep(0.2)
        assert widgets.count() > 0, f"{path.name}: no widget was drawn"
        widgets.first.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / f"{path.stem}.png"))
    finally:
        context.close()
