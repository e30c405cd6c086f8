"""A learner's session in a real JupyterLab: the workspace opens, a check draws ✘ then ✔.

JupyterLab is started as ``python3 course.py`` starts it (same options, see ``lab_command`` in
course.py) on a fresh workspace made from the reference notebooks, and driven in headless
Chromium by Playwright. Like tests/test_browser.py, this needs ``playwright`` and Chromium and
is skipped (saying so) without them.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import (  # skips without a browser
    CHROMIUM,
    CHROMIUM_ARGS,
    TOKEN,
    free_port,
    running_lab,
)

from course.editions import exercises
from course.workspace import update_workspace

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "00_meet_mnist.ipynb"
EXERCISE = "00-ink-fraction"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def course_script():
    spec = importlib.util.spec_from_file_location("course_script", ROOT / "course.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(URL, workspace) of a JupyterLab started as course.py starts it, on a fresh workspace."""
    home = tmp_path_factory.mktemp("learner")
    workspace = home / "workspace"
    update_workspace(ROOT / "notebooks", workspace)
    script = course_script()
    script.WORKSPACE = workspace
    script.write_lab_overrides(Path(sys.prefix))
    port = free_port()
    command = script.lab_command(NOTEBOOK, [
        "--no-browser", "--ip=127.0.0.1", f"--port={port}", f"--IdentityProvider.token={TOKEN}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
    ])
    command[:2] = [sys.executable, "-m", "jupyter", "lab"]
    with running_lab(command, workspace, port, home / "lab.log") as url:
        yield url, workspace


def answer(page, cell, code: str) -> None:
    """Replace the code of ``cell`` and run it and the check cell after it."""
    cell.scroll_into_view_if_needed()
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(code)
    page.keyboard.press("Shift+Enter")  # runs the answer, moves to the check
    page.keyboard.press("Shift+Enter")  # runs the check


def test_a_learner_answers_wrongly_then_rightly(lab: tuple[str, Path], tmp_path: Path) -> None:
    url, workspace = lab
    reference = json.loads((ROOT / "notebooks" / NOTEBOOK).read_text(encoding="utf-8"))
    item = next(i for i in exercises(reference) if i["id"] == EXERCISE)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            # JupyterLab's own address, typed by hand in a new workspace: notebook 00 is open.
            page.goto(f"{url}/lab?token={TOKEN}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            page.wait_for_function(f"document.title.startsWith('{NOTEBOOK[:10]}')", timeout=30_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=60_000, state="attached")
            cells = page.locator(".jp-Notebook .jp-Cell")
            check = cells.nth(item["check"])
            check.scroll_into_view_if_needed()  # JupyterLab draws outputs as they come into view
            check.locator(".course-check-unanswered").wait_for(timeout=30_000)  # stored box
            assert "your code here" in cells.nth(item["answer"]).inner_text()
            assert page.get_by_text("official Jupyter news").count() == 0, "no news pop-up"
            page.click("#jp-MainMenu >> text=Run")
            page.click("text=Run All Cells")
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=180_000, state="attached")
            time.sleep(2)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=180_000, state="attached")
            answer(page, cells.nth(item["answer"]), "ink_fraction = 0.5")
            failed = check.locator(".course-check-failed")
            failed.wait_for(timeout=60_000)
            assert "✘" in failed.inner_text() and "Not yet" in failed.inner_text()
            page.screenshot(path=str(tmp_path / "wrong.png"))
            answer(page, cells.nth(item["answer"]), "ink_fraction = (train_images > 0).mean()")
            passed = check.locator(".course-check-passed")
            passed.wait_for(timeout=60_000)
            assert "✔" in passed.inner_text() and "Correct!" in passed.inner_text()
            assert check.locator(".course-check-failed").count() == 0
            page.screenshot(path=str(tmp_path / "right.png"))
        finally:
            browser.close()
    record = json.loads((workspace / ".course" / "progress.json").read_text())[EXERCISE]
    assert record["passed"] and record["tries"] == 2
