"""The Python side of notebook 06's drawing canvas (course/canvas.py).

The browser side (drawing with the mouse, what is sent, the app in JupyterLab) is tested
in tests/test_canvas_browser.py.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import matplotlib.image
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course import canvas
from mlp import Network
from mlp.data import to_columns
from mlp.images import image_to_column
from mlp.train import sgd

SIZE = canvas.SENT_SIZE


class FakeNetwork:
    """Answers every picture with the same activations and remembers what it was given."""

    sizes = [784, 10]

    def __init__(self, activations: list[float]) -> None:
        self.activations = np.array(activations, dtype=np.float32)
        self.inputs: list[np.ndarray] = []

    def feedforward(self, x: np.ndarray) -> np.ndarray:
        self.inputs.append(np.array(x))
        return self.activations.copy()


def stroke_ink(top: int = 20, bottom: int = 90, left: int = 50, right: int = 62) -> bytes:
    """A canvas's ink bytes holding one upright bar (a "1"), full ink."""
    ink = np.zeros((SIZE, SIZE), dtype=np.uint8)
    ink[top:bottom, left:right] = 255
    return ink.tobytes()


def bar_values(html: str) -> dict[int, float]:
    return {int(d): float(a) for d, a in
            re.findall(r'data-digit="(\d)" data-activation="([0-9.]+)"', html)}


def png_pixels(png: bytes) -> np.ndarray:
    return matplotlib.image.imread(io.BytesIO(png), format="png")


@pytest.fixture
def app() -> canvas.DigitApp:
    return canvas.digit_app(FakeNetwork([0.1, 0.2, 0.0, 0.9, 0, 0, 0, 0, 0.3, 0]), image_to_column)


# --------------------------------------------------------------------------------------
# From the browser's bytes to an array
# --------------------------------------------------------------------------------------


def test_ink_bytes_become_grey_levels_row_by_row() -> None:
    ink = np.zeros((SIZE, SIZE), dtype=np.uint8)
    ink[3, 7], ink[5, 2] = 255, 51
    pixels = canvas.ink_to_array(ink.tobytes())
    assert pixels.shape == (SIZE, SIZE)
    assert pixels[3, 7] == 1.0 and pixels[5, 2] == pytest.approx(0.2)
    assert np.count_nonzero(pixels) == 2


def test_a_blank_canvas_sends_no_bytes_and_reads_as_zeros() -> None:
    assert not canvas.ink_to_array(b"").any()
    assert canvas.ink_to_array(b"").shape == (SIZE, SIZE)


def test_ink_of_the_wrong_length_is_refused_with_its_sizes() -> None:
    with pytest.raises(ValueError, match=f"expected {SIZE * SIZE} bytes.*got 100"):
        canvas.ink_to_array(bytes(100))


def test_ink_from_the_browser_arrives_as_bytes(app: canvas.DigitApp) -> None:
    """ipywidgets hands a browser's buffer over as a memoryview; the trait keeps bytes."""
    app.canvas.set_state({"ink": memoryview(stroke_ink())})
    assert isinstance(app.canvas.ink, bytes)
    assert app.predicted == 3  # and the app has read it
    app.canvas.set_state({"ink": memoryview(b"")})
    assert app.canvas.ink == b"" and app.predicted is None


# --------------------------------------------------------------------------------------
# Reading a drawing, and the app's update
# --------------------------------------------------------------------------------------


def test_read_drawing_feeds_the_preprocessed_column_to_the_network() -> None:
    net = FakeNetwork([0] * 10)
    pixels = canvas.ink_to_array(stroke_ink())
    column, activations = canvas.read_drawing(net, image_to_column, pixels)
    np.testing.assert_array_equal(column, image_to_column(pixels))
    np.testing.assert_array_equal(net.inputs[0], column)
    assert activations.shape == (10,)


def test_nothing_to_read_gives_none_not_an_error() -> None:
    net = FakeNetwork([0] * 10)
    assert canvas.read_drawing(net, image_to_column, np.zeros((SIZE, SIZE))) is None
    speck = np.zeros((SIZE, SIZE))
    speck[10, 10] = 0.02  # too faint to be ink: the preprocessing finds no digit
    assert canvas.read_drawing(net, image_to_column, speck) is None
    assert net.inputs == []


def test_a_blank_canvas_asks_for_a_digit(app: canvas.DigitApp) -> None:
    assert app.predicted is None
    assert canvas.BLANK_MESSAGE in app.answer.value
    assert 'class="course-digit-prediction"' in app.answer.value
    assert set(bar_values(app.answer.value).values()) == {0.0}
    assert not (png_pixels(app.preview.value)[..., :3] < 1).any()  # all white


def test_drawing_updates_preview_bars_and_answer(app: canvas.DigitApp,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    blank_preview = app.preview.value
    app.canvas.ink = stroke_ink()
    assert app.predicted == 3
    bars = bar_values(app.answer.value)
    assert bars == {0: 0.1, 1: 0.2, 2: 0.0, 3: 0.9, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0.3, 9: 0}
    assert re.search(r'data-digit="3"[^>]*fill="#E69F00"', app.answer.value)
    assert len(re.findall(r'fill="#0072B2"', app.answer.value)) == 9
    assert ">3</div>" in app.answer.value and canvas.BLANK_MESSAGE not in app.answer.value
    # The preview is the column the network saw, each pixel a 6 x 6 square, ink dark.
    preview = png_pixels(app.preview.value)[..., 0]
    assert preview.shape == (168, 168) and app.preview.value != blank_preview
    np.testing.assert_allclose(1 - preview[::6, ::6], app.column.reshape(28, 28), atol=0.02)
    app.canvas.clear()
    assert app.predicted is None and app.preview.value == blank_preview
    assert capsys.readouterr() == ("", "")  # nothing printed inside the callback (nbval)


def test_the_app_prints_the_same_in_every_run() -> None:
    """Its text/plain output is stored in the notebook and compared by nbval."""
    app = canvas.digit_app(Network([784, 30, 10], seed=0), image_to_column)
    text = app._repr_mimebundle_()["text/plain"]
    assert "0x" not in text and text.startswith("digit_app(")


def test_bars_are_clipped_to_the_chart() -> None:
    bars = bar_values(canvas.answer_html(np.array([1.7, -0.5, 0, 0, 0, 0, 0, 0, 0, 0.5])))
    assert bars[0] == 1.0 and bars[1] == 0.0 and bars[9] == 0.5


def test_the_app_refuses_a_network_that_is_not_for_mnist() -> None:
    with pytest.raises(ValueError, match=r"sizes \[784, 30, 3\]"):
        canvas.digit_app(Network([784, 30, 3], seed=0), image_to_column)


def test_the_javascript_works_offline() -> None:
    """No imports or downloads: the widget must draw without a network connection."""
    esm = canvas.DigitCanvas._esm
    assert "export default" in esm
    assert not re.search(r"^\s*import\b|\bimport\(|https?://", esm, flags=re.MULTILINE)


# --------------------------------------------------------------------------------------
# The stored hand-drawn digits (the static fallback) with a small trained network
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_net(mnist_train: tuple[np.ndarray, np.ndarray]) -> Network:
    """784-30-10 after 3 epochs on 10,000 MNIST images (about 90% on test images)."""
    images, labels = mnist_train
    net = Network([784, 30, 10], seed=0)
    sgd(net, (to_columns(images[:10_000]), labels[:10_000]), 3, 10, 3.0, seed=0,
        progress=False, verbose=False)
    return net


def as_canvas_ink(pixels: np.ndarray) -> bytes:
    """A stored 280 x 280 drawing as the canvas would send it: 112 x 112 averaged ink."""
    ink = 1 - (pixels if pixels.ndim == 2 else pixels[..., 0])
    # Each of the 112 pixels covers 2.5 of the 280: double the grid, then average 5 x 5.
    doubled = np.repeat(np.repeat(ink, 2, axis=0), 2, axis=1)
    small = doubled.reshape(SIZE, 5, SIZE, 5).mean(axis=(1, 3))
    return np.round(255 * small).astype(np.uint8).tobytes()


def test_the_stored_digits_are_small_files_of_every_digit() -> None:
    paths = sorted(canvas.DIGITS_FOLDER.glob("*.png"))
    assert 5 <= len(paths) <= 10
    assert all(path.stat().st_size < 10_000 for path in paths)
    meant = [digit for digit, _ in canvas.hand_drawn_digits()]
    assert meant == list(range(10))


def test_a_small_network_reads_the_stored_digits(small_net: Network) -> None:
    """Most hand-drawn digits are read right, from the PNG and from the canvas's bytes alike."""
    app = canvas.digit_app(small_net, image_to_column)
    from_png, from_canvas = [], []
    for _, pixels in canvas.hand_drawn_digits():
        _, activations = canvas.read_drawing(small_net, image_to_column, pixels)
        from_png.append(int(np.argmax(activations)))
        app.canvas.ink = as_canvas_ink(pixels)
        from_canvas.append(app.predicted)
    right = [sum(p == d for d, p in enumerate(reads)) for reads in (from_png, from_canvas)]
    assert min(right) >= 8, (from_png, from_canvas)


def test_the_static_fallback_shows_each_digit_read(small_net: Network) -> None:
    fig = canvas.show_hand_drawn(small_net, image_to_column)
    try:
        titles = [ax.get_title() for ax in fig.axes]
        assert titles[:10] == [f"drawn: {d}" for d in range(10)]
        reads = [t for t in titles if t.startswith("read: ")]
        assert len(reads) == 10 and sum(t == f"read: {d}" for d, t in enumerate(reads)) >= 8
    finally:
        plt.close(fig)


def test_the_static_fallback_says_where_drawings_are_missing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no hand-drawn digits"):
        canvas.show_hand_drawn(FakeNetwork([0] * 10), image_to_column, folder=tmp_path)
