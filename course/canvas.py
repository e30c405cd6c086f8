"""Draw your own digit (notebook 06): a canvas in the notebook and the network's answer.

``digit_app(net, preprocess)`` shows, side by side, a 280 x 280 drawing area (mouse, touch or
pen, with a Clear button), the 28 x 28 image the network is given, and the ten output
activations as bars with the predicted digit in large type. Bars and image follow the pen
while you draw. ``show_hand_drawn(net, preprocess)`` is the static fallback: digits drawn on
the same canvas and stored as PNG files, with what the network makes of them.

``preprocess`` is the course's one way of turning a picture into an MNIST-like column (crop,
fit into 20 x 20, centre of mass in 28 x 28), the same code as ``python -m mlp predict``;
this module only moves pixels between the browser and that function. In a notebook::

    from course.canvas import digit_app, show_hand_drawn
    from mlp.images import image_to_column

    fig = show_hand_drawn(net, image_to_column)  # what a reader who does not run it sees
    plt.show()
    digit_app(net, image_to_column)  # draw, and watch the bars

Why anywidget rather than ipycanvas: with ipycanvas the mouse events are handled in Python,
one message per move, and Python sends drawing commands back; here the stroke is drawn in the
browser by a few lines of JavaScript that live beside this file (``canvas.js``), so it follows
the pen however busy the kernel is, and only the picture, averaged down to 112 x 112 grey
levels (12 kB), travels to the kernel, at most ten times a second. anywidget is a small
pure-Python package with a prebuilt JupyterLab extension: no build step, no CDN, it works
offline, and the JavaScript and the drawing are part of the widget state a notebook stores.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import anywidget
import ipywidgets as widgets
import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import traitlets

#: The drawing is sent to Python as ``SENT_SIZE`` x ``SENT_SIZE`` grey levels.
SENT_SIZE = 112
#: Pen width on the 280 x 280 canvas: a digit drawn 200 pixels tall then has strokes about
#: 2-3 pixels wide once scaled into MNIST's 20 x 20 box, like MNIST's own.
PEN_WIDTH = 22
#: The PNG files of the static fallback, named ``<digit meant>_<n>.png``.
DIGITS_FOLDER = Path(__file__).resolve().parent.parent / "notebooks" / "images" / "digits"
#: Okabe-Ito colours, told apart with every kind of colour blindness.
BAR_COLOUR, WINNER_COLOUR = "#0072B2", "#E69F00"
BLANK_MESSAGE = "Draw a digit"

Preprocess = Callable[[np.ndarray], np.ndarray]

_CSS = """
.course-digit-canvas { display: flex; flex-direction: column; align-items: flex-start; gap: 6px; }
.course-digit-canvas canvas {
  width: 280px; height: 280px; background: #fff; border: 1px solid #888;
  cursor: crosshair; touch-action: none;
}
"""


class DigitCanvas(anywidget.AnyWidget):
    """A 280 x 280 drawing area whose picture arrives in Python as ``ink``.

    ``ink`` holds ``size * size`` bytes, row by row, 0 for paper and 255 for full ink, or
    ``b""`` for a blank canvas; ``ink_to_array`` turns it into an array.
    """

    _esm = Path(__file__).with_name("canvas.js").read_text(encoding="utf-8")
    _css = _CSS
    # The browser sends a buffer, which arrives as a memoryview.
    ink = traitlets.Bytes(b"").tag(sync=True, from_json=lambda js, _: bytes(js or b""))
    size = traitlets.Int(SENT_SIZE).tag(sync=True)
    pen_width = traitlets.Int(PEN_WIDTH).tag(sync=True)
    throttle_ms = traitlets.Int(100).tag(sync=True)

    def clear(self) -> None:
        """Wipe the drawing (in every view of this canvas)."""
        self.ink = b""


def ink_to_array(ink: bytes, size: int = SENT_SIZE) -> np.ndarray:
    """The canvas's ``ink`` bytes as floats in [0, 1], shape ``(size, size)``; zeros if blank."""
    if len(ink) == 0:
        return np.zeros((size, size))
    if len(ink) != size * size:
        raise ValueError(f"expected {size * size} bytes of ink ({size} x {size}), got {len(ink)}")
    return np.frombuffer(ink, dtype=np.uint8).reshape(size, size) / 255.0


def read_drawing(
    net, preprocess: Preprocess, pixels: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """What the network sees and answers for a drawing; ``None`` if there is nothing to read.

    Parameters
    ----------
    net : mlp.Network
        Sizes ``[784, ..., 10]``.
    preprocess : callable
        A picture ``(height, width[, channels])`` -> an MNIST-like column ``(784,)``; it
        raises ``ValueError`` when it finds no digit.
    pixels : numpy.ndarray
        The picture, values in [0, 1].

    Returns
    -------
    (column, activations) or None
        The column ``(784,)`` given to the network and its ten output activations ``(10,)``.
    """
    if not np.any(np.asarray(pixels) > 0):
        return None
    try:
        column = np.asarray(preprocess(pixels), dtype=np.float64).reshape(784)
    except ValueError:  # e.g. a faint speck that is no digit at all
        return None
    activations = np.asarray(net.feedforward(column), dtype=np.float64).reshape(-1)
    return column, activations


# --------------------------------------------------------------------------------------
# What the app shows beside the canvas
# --------------------------------------------------------------------------------------


def preview_png(column: np.ndarray | None, scale: int = 6) -> bytes:
    """The 28 x 28 column as a PNG, each pixel a ``scale`` x ``scale`` square, ink dark."""
    image = np.zeros((28, 28)) if column is None else np.asarray(column).reshape(28, 28)
    big = np.kron(image, np.ones((scale, scale)))
    buffer = io.BytesIO()
    matplotlib.image.imsave(buffer, big, cmap="gray_r", vmin=0, vmax=1, format="png")
    return buffer.getvalue()


def answer_html(activations: np.ndarray | None) -> str:
    """The ten output activations as an SVG bar chart, and the predicted digit in large type.

    Each bar carries ``data-digit`` and ``data-activation`` attributes (the browser test
    reads them). The winner is orange, the others blue, and its digit is also printed large,
    so the answer never rests on colour alone.
    """
    width, height, top, bottom = 250, 200, 18, 22
    step = (width - 20) / 10
    scale = height - top - bottom
    winner = None if activations is None else int(np.argmax(activations))
    parts = [
        f'<svg class="course-digit-bars" width="{width}" height="{height}" role="img" '
        f'aria-label="output activations" style="font: 12px sans-serif">',
        f'<line x1="10" x2="{width - 10}" y1="{height - bottom}" y2="{height - bottom}" '
        'stroke="currentColor" stroke-opacity="0.5"/>',
    ]
    for digit in range(10):
        value = 0.0 if activations is None else float(np.clip(activations[digit], 0, 1))
        bar = value * scale
        x = 10 + digit * step
        colour = WINNER_COLOUR if digit == winner else BAR_COLOUR
        parts.append(
            f'<rect data-digit="{digit}" data-activation="{value:.4f}" x="{x + 3:.1f}" '
            f'y="{height - bottom - bar:.1f}" width="{step - 6:.1f}" height="{bar:.1f}" '
            f'fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{height - 6}" text-anchor="middle" '
            f'fill="currentColor">{digit}</text>'
        )
        if activations is not None:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - bottom - bar - 4:.1f}" '
                f'text-anchor="middle" fill="currentColor" font-size="10">{value:.2f}</text>'
            )
    parts.append("</svg>")
    big = "?" if winner is None else str(winner)
    caption = BLANK_MESSAGE if winner is None else "It reads"
    return (
        '<div style="display: flex; align-items: center; gap: 8px">'
        f'{"".join(parts)}'
        '<div style="text-align: center; width: 84px">'
        f'<div class="course-digit-caption">{caption}</div>'
        f'<div class="course-digit-prediction" style="font-size: 64px; font-weight: bold; '
        f'line-height: 1.1">{big}</div></div></div>'
    )


class DigitApp(widgets.HBox):
    """Canvas | 28 x 28 preview | bars and predicted digit; see ``digit_app``."""

    def __init__(self, net, preprocess: Preprocess, canvas: DigitCanvas | None = None) -> None:
        self.net = net
        self.preprocess = preprocess
        self.canvas = DigitCanvas() if canvas is None else canvas
        self.preview = widgets.Image(format="png", width=168, height=168,
                                     layout=widgets.Layout(border="1px solid #888"))
        self.answer = widgets.HTML()
        self.column: np.ndarray | None = None
        self.activations: np.ndarray | None = None
        spaced = widgets.Layout(margin="0 20px 8px 0")
        titled = [
            widgets.VBox([widgets.HTML(f"<b>{title}</b>"), widget], layout=spaced)
            for title, widget in [("Draw a digit", self.canvas),
                                  ("The network sees", self.preview),
                                  ("Output activations", self.answer)]
        ]
        super().__init__(titled, layout=widgets.Layout(flex_flow="row wrap"))
        self.canvas.observe(self.update, names="ink")
        self.update()

    def update(self, change: dict | None = None) -> None:
        """Read the canvas again and redraw the preview and the bars (no printing here)."""
        pixels = ink_to_array(self.canvas.ink, self.canvas.size)
        result = read_drawing(self.net, self.preprocess, pixels)
        self.column, self.activations = (None, None) if result is None else result
        self.preview.value = preview_png(self.column)
        self.answer.value = answer_html(self.activations)

    def __repr__(self) -> str:
        # The cell's text/plain output: ipywidgets' default lists every child with its
        # memory address, which differs between runs (and would fail nbval).
        return f"digit_app({self.net!r})"

    @property
    def predicted(self) -> int | None:
        """The digit the network reads, or ``None`` while the canvas is blank."""
        return None if self.activations is None else int(np.argmax(self.activations))


def digit_app(net, preprocess: Preprocess) -> DigitApp:
    """The draw-your-own-digit app for a trained network (display it as a cell's value).

    Parameters
    ----------
    net : mlp.Network
        Sizes ``[784, ..., 10]``, trained on MNIST.
    preprocess : callable
        A picture -> an MNIST-like column ``(784,)``, the one ``python -m mlp predict`` uses.
    """
    if net.sizes[0] != 784 or net.sizes[-1] != 10:
        raise ValueError(f"the network has sizes {net.sizes}; drawing needs 784 inputs, 10 outputs")
    return DigitApp(net, preprocess)


# --------------------------------------------------------------------------------------
# The static fallback: digits drawn once, stored as PNG files
# --------------------------------------------------------------------------------------


def hand_drawn_digits(folder: Path = DIGITS_FOLDER) -> list[tuple[int, np.ndarray]]:
    """The stored drawings as ``(digit meant, pixels)``: grey ``(280, 280)``, 1 for paper."""
    paths = sorted(Path(folder).glob("[0-9]_*.png"))
    if not paths:
        raise ValueError(f"{folder}: no hand-drawn digits (files named like 7_1.png)")
    return [(int(path.name[0]), np.asarray(plt.imread(path), dtype=np.float64)) for path in paths]


def show_hand_drawn(net, preprocess: Preprocess, folder: Path = DIGITS_FOLDER) -> plt.Figure:
    """Each stored drawing, the 28 x 28 image made from it, and the network's ten activations."""
    drawings = hand_drawn_digits(folder)
    fig, axes = plt.subplots(3, len(drawings), figsize=(1.45 * len(drawings), 4.6),
                             gridspec_kw={"height_ratios": [1, 1, 0.9]}, squeeze=False)
    for (meant, pixels), (top, middle, bottom) in zip(drawings, axes.T, strict=True):
        column, activations = read_drawing(net, preprocess, pixels) or (None, None)
        top.imshow(pixels, cmap="gray", vmin=0, vmax=1)
        middle.imshow(np.zeros((28, 28)) if column is None else column.reshape(28, 28),
                      cmap="gray_r", vmin=0, vmax=1)
        for ax in (top, middle):
            ax.set_xticks([])
            ax.set_yticks([])
        top.set_title(f"drawn: {meant}", fontsize=10)
        winner = None if activations is None else int(np.argmax(activations))
        values = np.zeros(10) if activations is None else np.clip(activations, 0, 1)
        colours = [WINNER_COLOUR if d == winner else BAR_COLOUR for d in range(10)]
        bottom.bar(range(10), values, color=colours, width=0.8)
        bottom.set_ylim(0, 1)
        bottom.set_xticks(range(10), [str(d) for d in range(10)], fontsize=6)
        bottom.tick_params(axis="y", labelsize=6)
        bottom.set_title(f"read: {'?' if winner is None else winner}", fontsize=10)
    axes[0, 0].set_ylabel("drawing", fontsize=9)
    axes[1, 0].set_ylabel("28 x 28", fontsize=9)
    axes[2, 0].set_ylabel("activations", fontsize=9)
    fig.tight_layout()
    return fig
