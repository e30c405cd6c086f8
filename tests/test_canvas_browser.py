"""Notebook 06's drawing canvas in a real browser: draw with the mouse, watch the bars change.

First the canvas alone on a bare page (its JavaScript, with a stand-in for the widget model
that records what would go to Python), then the whole app in JupyterLab: a notebook in a
temporary folder trains a small network and shows ``digit_app``; Chromium draws a 7 with the
mouse and the prediction bars must follow, while the stroke is drawn and after it. Last, a
notebook saved with its widget state must show the drawing, the 28 x 28 preview and the bars
when it is opened again without running anything.

Like tests/test_browser.py these need ``playwright`` and Chromium, and skip without them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from digit_strokes import draw, open_canvas_page, strokes_for
from test_browser import (  # skips without a browser
    CHROMIUM,
    CHROMIUM_ARGS,
    KERNEL_IDLE,
    TOKEN,
    free_port,
    lab_command,
    running_lab,
)

from course.canvas import SENT_SIZE

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def sent(page) -> list[dict]:
    """What the canvas has sent so far: ``[{"time": ms, "bytes": [...]}, ...]``."""
    return page.evaluate("window.sent")


def ink_of(message: dict) -> np.ndarray:
    return np.array(message["bytes"], dtype=np.uint8).reshape(SENT_SIZE, SENT_SIZE)


# --------------------------------------------------------------------------------------
# The canvas alone
# --------------------------------------------------------------------------------------


def test_a_stroke_is_sent_while_drawing_throttled_and_when_it_ends(browser) -> None:
    context = browser.new_context()
    try:
        page, canvas = open_canvas_page(context, throttle_ms=100)
        [stroke] = strokes_for(7)
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + stroke[0, 0], box["y"] + stroke[0, 1])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y)
            page.wait_for_timeout(15)  # a pen moving at a human pace: the stroke takes ~1 s
        released = page.evaluate("performance.now()")
        page.mouse.up()
        messages = sent(page)
        times = np.array([m["time"] for m in messages])
        drawing = times[times < released]
        assert len(drawing) >= 5, "the drawing should reach Python while it is drawn"
        assert np.diff(drawing).min() >= 99, f"sent more often than every 100 ms: {drawing}"
        assert np.count_nonzero(times > released) == 1, "one message as soon as the stroke ends"
        first, last = ink_of(messages[0]), ink_of(messages[-1])
        assert 0 < np.count_nonzero(first) < np.count_nonzero(last)
        # The 7's top bar runs along y = 60 of 280, from x = 82 to 198: row 24 of 112.
        row = np.flatnonzero(last[24] > 128)
        assert row.min() < 40 and row.max() > 74, row
        assert last[100:, :30].max() == 0  # the bottom-left corner stays paper
    finally:
        context.close()


def test_clear_sends_a_blank_canvas(browser) -> None:
    context = browser.new_context()
    try:
        page, canvas = open_canvas_page(context)
        draw(page, canvas, strokes_for(1))
        assert np.count_nonzero(ink_of(sent(page)[-1])) > 100
        page.click("text=Clear")
        assert sent(page)[-1]["bytes"] == []
        alpha = page.evaluate("""() => {
          const c = document.querySelector('#root canvas');
          return Array.from(c.getContext('2d').getImageData(0, 0, 280, 280).data)
                      .filter((v, i) => i % 4 === 3 && v > 0).length;
        }""")
        assert alpha == 0
    finally:
        context.close()


def test_a_finger_draws_too(browser) -> None:
    context = browser.new_context(has_touch=True)
    try:
        page, canvas = open_canvas_page(context)
        box = canvas.bounding_box()
        page.touchscreen.tap(box["x"] + 140, box["y"] + 140)
        page.wait_for_function("window.sent.length > 0", timeout=5_000)
        ink = ink_of(sent(page)[-1])
        assert ink[56, 56] > 200 and ink[:40].max() == 0  # a dot in the middle, nothing else
    finally:
        context.close()


def test_ink_set_from_python_is_shown(browser) -> None:
    """Saved widget state, another view of the same canvas, or ``clear()`` from Python."""
    context = browser.new_context()
    try:
        page, _ = open_canvas_page(context)
        count = page.evaluate("""(size) => {
          const ink = new Uint8Array(size * size);
          for (let y = 10; y < 100; y++) for (let x = 50; x < 60; x++) ink[y * size + x] = 255;
          window.model.set('ink', new DataView(ink.buffer));
          const c = document.querySelector('#root canvas').getContext('2d');
          const alpha = (x, y) => c.getImageData(x, y, 1, 1).data[3];
          return [alpha(137, 140), alpha(20, 140), window.sent.length];
        }""", SENT_SIZE)
        assert count[0] > 200 and count[1] == 0 and count[2] == 0  # shown, and not echoed
    finally:
        context.close()


def test_its_own_ink_coming_back_does_not_blur_the_drawing(browser) -> None:
    """ipywidgets echoes each update from the kernel; redrawing the canvas from that 112 x 112
    copy would blur the 280 x 280 drawing (more after every stroke)."""
    context = browser.new_context()
    try:
        page, canvas = open_canvas_page(context)
        draw(page, canvas, strokes_for(3))
        blurred = page.evaluate("""() => {
          const echo = new Uint8Array(window.sent.at(-1).bytes);  // a copy, as from the kernel
          window.model.set('ink', new DataView(echo.buffer));
          const alpha = document.querySelector('#root canvas').getContext('2d')
                                .getImageData(0, 0, 280, 280).data.filter((_, i) => i % 4 === 3);
          // A sharp pen stroke is opaque but for a thin anti-aliased edge.
          return alpha.filter(a => a > 0 && a < 255).length / alpha.filter(a => a > 0).length;
        }""")
        assert blurred < 0.2, f"{blurred:.0%} of the inked pixels are part-transparent"
    finally:
        context.close()


# --------------------------------------------------------------------------------------
# The app in JupyterLab
# --------------------------------------------------------------------------------------

APP_CODE = """\
from course.canvas import digit_app
from mlp import Network
from mlp.images import image_to_column
from mlp.data import load_mnist, to_columns
from mlp.train import sgd

images, labels = load_mnist("train", directory={mnist_dir!r}, download=False, progress=False)
net = Network([784, 30, 10], seed=0)
_ = sgd(net, (to_columns(images[:2000]), labels[:2000]), 5, 10, 3.0, seed=0,
        progress=False, verbose=False)
app = digit_app(net, image_to_column)
app
"""


def write_notebook(path: Path, cells: list[str]) -> None:
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, mnist_dir: Path) -> Iterator[tuple[str, Path]]:
    """JupyterLab serving a temporary folder: ``(url, folder)``."""
    folder = tmp_path_factory.mktemp("canvas")
    write_notebook(folder / "draw.ipynb", [APP_CODE.format(mnist_dir=str(mnist_dir))])
    port = free_port()
    with running_lab(lab_command(port, folder), folder, port, folder / "lab.log") as url:
        yield url, folder


def open_notebook(browser, url: str, name: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/lab/tree/{name}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # The first notebook opened by a fresh JupyterLab sometimes asks which kernel to start.
    select = page.locator(".jp-Dialog .jp-mod-accept", has_text="Select")
    try:
        select.click(timeout=5_000)
    except sync_api.TimeoutError:
        pass
    page.wait_for_function(KERNEL_IDLE, timeout=60_000)
    return context, page


ANSWER = """() => [
  document.querySelector('.course-digit-prediction').textContent.trim(),
  Array.from(document.querySelectorAll('.course-digit-bars rect[data-digit]'))
       .map(r => Number(r.dataset.activation)),
]"""


def answer(page) -> tuple[str, list[float]]:
    """The predicted digit as shown ("?" while blank) and the ten bars' activations."""
    digit, bars = page.evaluate(ANSWER)  # both at once: the kernel may update in between
    return digit, bars


def wait_for_answer_change(page, before: tuple[str, list[float]], seconds: float = 15):
    deadline = time.monotonic() + seconds
    while (now := answer(page)) == before:
        assert time.monotonic() < deadline, f"the answer stayed {before} for {seconds} s"
        time.sleep(0.1)
    return now


PART_TRANSPARENT = """() => {
  const alpha = document.querySelector('.course-digit-canvas canvas').getContext('2d')
                        .getImageData(0, 0, 280, 280).data.filter((_, i) => i % 4 === 3);
  return alpha.filter(a => a > 0 && a < 255).length / alpha.filter(a => a > 0).length;
}"""


def settled_answer(page, quiet: float = 1.0, seconds: float = 15):
    """The answer once it has not changed for ``quiet`` seconds (all messages handled)."""
    deadline = time.monotonic() + seconds
    last, since = answer(page), time.monotonic()
    while time.monotonic() - since < quiet:
        assert time.monotonic() < deadline, f"the answer kept changing for {seconds} s"
        time.sleep(0.1)
        if (now := answer(page)) != last:
            last, since = now, time.monotonic()
    return last


def test_drawing_in_jupyterlab_moves_the_bars(browser, lab, tmp_path: Path) -> None:
    url, _ = lab
    context, page = open_notebook(browser, url, "draw.ipynb")
    try:
        page.click("#jp-MainMenu >> text=Run")
        page.click("text=Run All Cells")
        canvas = page.locator(".course-digit-canvas canvas")
        canvas.wait_for(timeout=120_000)
        canvas.scroll_into_view_if_needed()
        blank = answer(page)
        assert blank == ("?", [0.0] * 10), blank
        assert "Draw a digit" in page.inner_text(".course-digit-caption")

        # Draw a 7, and look at the bars halfway through, with the mouse still pressed.
        [stroke] = strokes_for(7)
        box = canvas.bounding_box()
        page.mouse.move(box["x"] + stroke[0, 0], box["y"] + stroke[0, 1])
        page.mouse.down()
        half = len(stroke) // 2
        for x, y in stroke[1:half]:
            page.mouse.move(box["x"] + x, box["y"] + y)
            page.wait_for_timeout(10)
        halfway = wait_for_answer_change(page, blank)
        assert re.fullmatch(r"\d", halfway[0]) and max(halfway[1]) > 0
        for x, y in stroke[half:]:
            page.mouse.move(box["x"] + x, box["y"] + y)
            page.wait_for_timeout(10)
        page.mouse.up()
        seven = settled_answer(page)
        assert seven != halfway, "the bars did not move after the middle of the stroke"
        winner = int(seven[0])
        assert seven[1][winner] == max(seven[1])
        assert page.evaluate(PART_TRANSPARENT) < 0.2, "the drawing was blurred by the echo"
        page.screenshot(path=str(tmp_path / "seven.png"))
        if os.environ.get("CANVAS_SCREENSHOT"):
            page.screenshot(path=os.environ["CANVAS_SCREENSHOT"])

        page.click(".course-digit-clear")
        assert wait_for_answer_change(page, seven) == blank
        draw(page, canvas, strokes_for(0))
        wait_for_answer_change(page, blank)
        zero = settled_answer(page)
        assert zero[1] != seven[1]
        errors = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.first.inner_text()[:1000]
    finally:
        page.screenshot(path=str(tmp_path / "last.png"))  # to look at when this fails
        context.close()


SAVED_CODE = """\
import numpy as np

ink = np.zeros((112, 112), dtype=np.uint8)
ink[20:24, 30:82] = 255  # a 7 drawn from Python: the top bar
for y in range(24, 100):
    x = int(80 - (y - 24) * 0.35)
    ink[y, x - 2 : x + 3] = 255  # and the slanted stroke
app.canvas.ink = ink.tobytes()
"""

CANVAS_INK = """() => {
  const c = document.querySelector('.course-digit-canvas canvas').getContext('2d');
  return Array.from(c.getImageData(0, 0, 280, 280).data)
              .filter((v, i) => i % 4 === 3 && v > 128).length;
}"""


def test_a_notebook_saved_with_widget_state_passes_nbval_and_runs_again(
    browser, lab, mnist_dir: Path, tmp_path: Path
) -> None:
    """As notebook 06 will be committed: executed with its widget state stored, re-run by
    nbval in strict mode, and opened and run again in JupyterLab.

    (JupyterLab 4 does not draw widgets from a notebook's stored state, for any widget; the
    stored state is what static viewers read.)
    """
    url, folder = lab
    path = folder / "saved.ipynb"
    write_notebook(path, [APP_CODE.format(mnist_dir=str(mnist_dir)), SAVED_CODE])
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
         "--inplace", "--ExecutePreprocessor.store_widget_state=True", str(path)],
        check=True, capture_output=True, cwd=folder, timeout=300,
    )
    saved = json.loads(path.read_text())
    state = saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    [drawing] = [m for m in state.values() if m["model_name"] == "AnyModel"]
    assert "export default" in drawing["state"]["_esm"]
    assert [b["path"] for b in drawing["buffers"]] == [["ink"]]
    bars = [m["state"]["value"] for m in state.values() if m["model_name"] == "HTMLModel"]
    assert any("course-digit-prediction" in html for html in bars)
    assert path.stat().st_size < 200_000, f"{path.stat().st_size:,} bytes"
    nbval = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q", path.name],
        capture_output=True, text=True, cwd=folder, timeout=300,
    )
    assert nbval.returncode == 0, nbval.stdout[-3000:]

    context, page = open_notebook(browser, url, "saved.ipynb")
    try:
        page.click("#jp-MainMenu >> text=Run")
        page.click("text=Run All Cells")
        page.locator(".course-digit-canvas canvas").wait_for(timeout=120_000)
        digit, bars = wait_for_answer_change(page, ("?", [0.0] * 10), seconds=60)
        assert re.fullmatch(r"\d", digit) and max(bars) > 0
        assert page.evaluate(CANVAS_INK) > 2000, "the drawing set from Python is not shown"
    finally:
        page.screenshot(path=str(tmp_path / "last.png"))
        context.close()
