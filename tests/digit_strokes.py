"""Hand-drawn digits for the drawing canvas: pen strokes, and a page that hosts the canvas.

The static fallback of notebook 06 (``notebooks/images/digits/*.png``) was made by this
file: each digit below is a few strokes through control points (in the 280 x 280 canvas's
pixels), wobbled a little by seeded noise and smoothed into a curve, then drawn with the
mouse on the real canvas (``course/canvas.js``) in headless Chromium. Run it again with

    .venv/bin/python tests/digit_strokes.py

The browser tests use the same strokes and the same page.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

# Control points of each stroke, as a person might draw them (x right, y down, 0..280).
STROKES: dict[int, list[list[tuple[float, float]]]] = {
    0: [[(150, 50), (105, 70), (85, 140), (105, 215), (150, 232), (192, 200),
         (200, 125), (182, 65), (145, 52), (128, 62)]],
    1: [[(118, 92), (150, 52), (146, 140), (140, 232)]],
    2: [[(88, 98), (115, 58), (165, 52), (195, 90), (182, 135), (140, 178), (92, 226),
         (145, 220), (205, 224)]],
    3: [[(92, 72), (140, 50), (186, 74), (178, 116), (132, 136), (186, 160), (192, 204),
         (142, 232), (86, 212)]],
    4: [[(158, 50), (124, 110), (90, 165), (150, 162), (205, 160)],
        [(170, 98), (166, 170), (162, 236)]],
    5: [[(112, 58), (104, 130), (148, 118), (190, 148), (188, 202), (142, 232), (92, 212)],
        [(110, 58), (150, 55), (192, 52)]],
    6: [[(182, 54), (132, 88), (102, 150), (106, 206), (146, 232), (188, 204), (184, 160),
         (142, 146), (106, 172)]],
    7: [[(82, 62), (140, 60), (198, 56), (168, 120), (140, 180), (124, 234)]],
    8: [[(182, 72), (142, 50), (100, 72), (112, 118), (160, 146), (190, 196), (142, 234),
         (92, 200), (120, 150), (170, 118), (186, 76)]],
    9: [[(184, 82), (148, 56), (104, 78), (104, 120), (146, 136), (184, 104), (184, 80),
         (182, 160), (176, 236)]],
}


def smooth(points: list[tuple[float, float]], rng: np.random.Generator, wobble: float = 4.0,
           per_segment: int = 12) -> np.ndarray:
    """The points moved by up to about ``wobble`` pixels and joined by a Catmull-Rom curve.

    Returns an array ``(k, 2)`` of mouse positions along the stroke.
    """
    p = np.asarray(points, dtype=float) + rng.normal(0, wobble, (len(points), 2))
    p = np.vstack([p[0], p, p[-1]])  # repeat the ends so the curve passes through them
    t = np.linspace(0, 1, per_segment, endpoint=False)[:, None]
    curve = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        curve.append(0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                            + (3 * p1 - p0 - 3 * p2 + p3) * t**3))
    curve.append(p[-2][None, :])
    return np.clip(np.vstack(curve), 2, 278)


def strokes_for(digit: int, seed: int = 0) -> list[np.ndarray]:
    """The mouse paths of ``digit``, the same for the same seed."""
    rng = np.random.default_rng([digit, seed])
    return [smooth(stroke, rng) for stroke in STROKES[digit]]


def draw(page, canvas, strokes: list[np.ndarray]) -> None:
    """Draw the strokes with the mouse on ``canvas`` (a Playwright locator of the <canvas>)."""
    box = canvas.bounding_box()
    for stroke in strokes:
        xs = box["x"] + stroke[:, 0] * box["width"] / 280
        ys = box["y"] + stroke[:, 1] * box["height"] / 280
        page.mouse.move(xs[0], ys[0])
        page.mouse.down()
        for x, y in zip(xs[1:], ys[1:], strict=True):
            page.mouse.move(x, y)
        page.mouse.up()


# A page with the canvas alone: a stand-in for anywidget's `model` records what the
# widget would send to Python (window.sent), so the JavaScript can be tested without
# JupyterLab.
PAGE = """<!doctype html><html><head><style>{css}</style></head>
<body style="margin: 20px"><div id="root"></div><script type="module">
const state = {{ink: new DataView(new ArrayBuffer(0)), size: {size}, pen_width: {pen},
               throttle_ms: {throttle}}};
const listeners = {{}};
window.sent = [];
window.model = {{
  get: (key) => state[key],
  set: (key, value) => {{
    state[key] = value;
    for (const f of listeners["change:" + key] || []) f();
  }},
  save_changes: () => {{
    const v = state.ink;
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    window.sent.push({{time: performance.now(), bytes: Array.from(bytes)}});
  }},
  on: (event, f) => (listeners[event] ||= []).push(f),
  off: (event, f) => {{ listeners[event] = (listeners[event] || []).filter((g) => g !== f); }},
}};
const esm = {esm};
const url = URL.createObjectURL(new Blob([esm], {{type: "text/javascript"}}));
const widget = (await import(url)).default;
widget.render({{model: window.model, el: document.getElementById("root")}});
window.ready = true;
</script></body></html>"""


def open_canvas_page(context, throttle_ms: int = 100):
    """A new page of ``context`` showing the canvas alone; returns ``(page, canvas locator)``."""
    from course import canvas as widget

    page = context.new_page()
    page.set_content(PAGE.format(
        css=widget._CSS, size=widget.SENT_SIZE, pen=widget.PEN_WIDTH, throttle=throttle_ms,
        esm=json.dumps(widget.DigitCanvas._esm)))
    page.wait_for_function("window.ready === true", timeout=10_000)
    return page, page.locator("#root canvas")


def canvas_png(page) -> bytes:
    """The drawing as a PNG: black ink on white paper, 280 x 280, 8-bit grey."""
    from PIL import Image

    url = page.evaluate("""() => {
      const drawn = document.querySelector('#root canvas');
      const paper = document.createElement('canvas');
      paper.width = drawn.width; paper.height = drawn.height;
      const pen = paper.getContext('2d');
      pen.fillStyle = '#fff'; pen.fillRect(0, 0, paper.width, paper.height);
      pen.drawImage(drawn, 0, 0);
      return paper.toDataURL('image/png');
    }""")
    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("L")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    """Draw every digit of ``STROKES`` in Chromium and save it under notebooks/images/digits."""
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, CHROMIUM_ARGS

    folder = ROOT / "notebooks" / "images" / "digits"
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        for digit in STROKES:
            page, canvas = open_canvas_page(context)
            draw(page, canvas, strokes_for(digit))
            path = folder / f"{digit}_1.png"
            path.write_bytes(canvas_png(page))
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
