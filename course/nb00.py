"""Helpers for notebook 00 · Meet MNIST: pictures, the image browser and the exercise checks.

The checks compare a learner's answer with a value computed here from the MNIST files
(through :mod:`mlp.data`), and say what is off when the answer is wrong.
"""

from __future__ import annotations

import functools
import struct
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_float, as_int, exercise, require_answer
from course.feedback import show_answer as show_answer  # for the notebook: nb00.show_answer
from mlp import data

# The 16 header bytes of a made-up IDX file: magic number, then three big-endian dimensions.
EXERCISE_HEADER = bytes.fromhex("00000803000001f40000001400000018")


@functools.lru_cache(maxsize=2)
def _mnist(split: str) -> tuple[np.ndarray, np.ndarray]:
    """MNIST images and labels of ``split``, loaded once (files in ``data/`` or ``MNIST_DIR``)."""
    return data.load_mnist(split)


# ---------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------


def show_digit(image: np.ndarray, title: str = "", ax: plt.Axes | None = None) -> plt.Axes:
    """Draw one 28x28 image, ink dark on white paper, as in Nielsen's figures."""
    if ax is None:
        _, ax = plt.subplots(figsize=(2.5, 2.5))
    ax.imshow(np.asarray(image).reshape(28, 28), cmap="gray_r", vmin=0, vmax=255)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def show_gallery(
    images: np.ndarray, labels: np.ndarray, n_rows: int = 3, n_cols: int = 10
) -> plt.Figure:
    """The first ``n_rows * n_cols`` images with their labels above them."""
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(1.1 * n_cols, 1.3 * n_rows))
    for i, ax in enumerate(np.ravel(axes)):
        show_digit(images[i], title=f"{labels[i]}", ax=ax)
    fig.tight_layout()
    return fig


def show_class_means(means: np.ndarray, title: str = "") -> plt.Figure:
    """Ten mean images (shape (10, 28, 28) or (10, 784)), one per digit."""
    fig, axes = plt.subplots(1, 10, figsize=(11, 1.6))
    for digit, ax in enumerate(axes):
        ax.imshow(np.asarray(means[digit]).reshape(28, 28), cmap="gray_r", vmin=0, vmax=255)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(str(digit))
    if title:
        fig.suptitle(title, y=1.05)
    return fig


def browse_figure(images: np.ndarray, labels: np.ndarray, index: int) -> plt.Figure:
    """Image ``index`` beside the mean image of its class, the picture the browser shows."""
    label = int(labels[index])
    mean = images[labels == label].mean(axis=0)
    fig, (left, right) = plt.subplots(1, 2, figsize=(5.5, 2.9))
    show_digit(images[index], title=f"image {index}: label {label}", ax=left)
    show_digit(mean, title=f"mean of all {label}s", ax=right)
    fig.tight_layout()
    return fig


def image_browser(images: np.ndarray, labels: np.ndarray):
    """A slider over the image index; shows the image, its label and the mean of its class."""
    import ipywidgets as widgets

    slider = widgets.IntSlider(
        value=0,
        min=0,
        max=len(images) - 1,
        step=1,
        description="index",
        continuous_update=False,
        layout=widgets.Layout(width="500px"),
    )

    def draw(index: int) -> None:
        browse_figure(images, labels, index)
        plt.show()

    return widgets.interactive(draw, index=slider)


# ---------------------------------------------------------------------------------------
# Exercise checks
# ---------------------------------------------------------------------------------------




@exercise("00-file-size", points=1)
def check_file_size(file_size: Any) -> str:
    """Exercise 3: bytes in the uncompressed training-images file."""
    answer = as_int(file_size, "file_size")
    n_pixels = 60_000 * 28 * 28
    expected = 16 + n_pixels
    if answer == expected:
        return (
            f"{expected:,} bytes: a 16-byte header and {n_pixels:,} pixels of one byte each "
            "(about 47 MB; gzip shrinks it to under 10 MB)."
        )
    if answer == n_pixels:
        raise Hint("That is the pixels alone. The file starts with a header: how many bytes?",
                   pointed="The header is the magic number and three dimensions, 4 bytes each.")
    if answer in (4 * n_pixels, 4 * n_pixels + 16, 8 * n_pixels, 8 * n_pixels + 16):
        raise Hint("In the file each pixel takes one byte (type code 0x08, unsigned byte).")
    if answer in (28 * 28 + 16, 28 * 28):
        raise Hint("That is one image. The file holds 60,000 of them.")
    raise Hint(
        "The file is a header followed by every pixel of every training image.",
        pointed="The header holds the magic number and three dimensions, 4 bytes each; "
        "each pixel is one byte.",
    )


@exercise("00-n-fives", points=1)
def check_n_fives(n_fives: Any) -> str:
    """Exercise 1: how many training images show a 5."""
    answer = as_int(n_fives, "n_fives")
    labels = _mnist("train")[1]
    expected = int(np.sum(labels == 5))
    counts = np.bincount(labels, minlength=10)
    if answer == expected:
        return f"{expected:,} fives, the rarest digit in the training set (1s are commonest)."
    if answer == 5:
        raise Hint("5 is the digit itself. Count how many training labels are equal to 5.",
                   pointed="Comparing the whole label array with 5 gives one True or False per "
                   "image; adding them up counts the True ones.")
    if answer in counts:
        digit = int(np.flatnonzero(counts == answer)[0])
        raise Hint(f"{answer:,} is the number of {digit}s. Compare the labels with 5.")
    if answer == int(np.sum(_mnist("test")[1] == 5)):
        raise Hint("That is the test set. Use the 60,000 training labels.")
    raise Hint("Use the 60,000 training labels and count those equal to 5.",
               pointed="Comparing an array with a number gives an array of True/False; the sum "
               "of such an array counts its True values.")


@exercise("00-ink-fraction", points=1)
def check_ink_fraction(ink_fraction: Any) -> str:
    """Exercise 2: the fraction of all training pixels that are not blank (value > 0)."""
    answer = as_float(ink_fraction, "ink_fraction")
    images = _mnist("train")[0]
    expected = float(np.mean(images > 0))
    if abs(answer - expected) < 1e-4:
        return f"{expected:.1%} of the pixels carry ink; the other {1 - expected:.1%} are 0."
    if abs(answer - 100 * expected) < 1e-2:
        raise Hint("That is a percentage. Give the fraction, a number between 0 and 1.")
    if abs(answer - (1 - expected)) < 1e-4:
        raise Hint("That is the fraction of blank pixels. Count the pixels greater than 0.")
    if answer > 1:
        raise Hint("A fraction lies between 0 and 1: divide the count by the number of pixels.")
    if abs(answer - float(np.mean(images[0] > 0))) < 1e-6:
        raise Hint("That is one image. Use all 60,000 training images at once.")
    raise Hint("Count the pixels greater than 0 in all training images, and divide by the "
               "number of pixels.",
               pointed="The mean of an array of True/False values is the fraction of True ones.")


@exercise("00-header-dims", points=1)
def check_header_dims(dims: Any) -> str:
    """Exercise 4: the dimensions in :data:`EXERCISE_HEADER`."""
    require_answer(dims, "dims")
    if isinstance(dims, (str, bytes)) or np.ndim(dims) != 1:
        raise Hint("`dims` should be a tuple of numbers, like (60000, 28, 28).")
    answer = tuple(as_int(d, "each entry of dims") for d in dims)
    expected = tuple(struct.unpack(">3I", EXERCISE_HEADER[4:16]))
    little = tuple(struct.unpack("<3I", EXERCISE_HEADER[4:16]))
    if answer == expected:
        return f"{expected}: {expected[0]} images of {expected[1]}x{expected[2]} pixels."
    if answer == little:
        raise Hint("IDX stores integers big-endian (most significant byte first).")
    if len(answer) != 3:
        raise Hint(
            f"The magic number's last byte says how many dimensions follow: "
            f"{EXERCISE_HEADER[3]}. You gave {len(answer)}."
        )
    if answer == tuple(struct.unpack(">3I", EXERCISE_HEADER[0:12])):
        raise Hint("The first 4 bytes are the magic number; the dimensions start at byte 4.")
    raise Hint(
        "After the 4-byte magic number come three dimensions, 4 bytes each.",
        pointed="Read each group of 4 bytes as one unsigned integer, most significant byte "
        "first (big-endian).",
    )


def nearest_class_mean_predictions(
    train_images: np.ndarray, train_labels: np.ndarray, test_images: np.ndarray
) -> np.ndarray:
    """Predict each test image's digit as the class whose mean training image is nearest.

    Images are uint8 arrays (n, 28, 28); distances are Euclidean on pixels scaled to [0, 1].
    """
    x = train_images.reshape(len(train_images), -1).astype(np.float64) / 255
    means = np.stack([x[train_labels == digit].mean(axis=0) for digit in range(10)])
    t = test_images.reshape(len(test_images), -1).astype(np.float64) / 255
    # ||t - m||^2 = ||t||^2 - 2 t.m + ||m||^2; the first term is the same for every class.
    distances = -2 * t @ means.T + np.sum(means**2, axis=1)
    return np.argmin(distances, axis=1)


@exercise("00-worst-digit", points=2)
def check_worst_digit(worst_digit: Any) -> str:
    """Exercise 5: the digit the nearest-class-mean classifier gets right least often."""
    answer = as_int(worst_digit, "worst_digit")
    train_images, train_labels = _mnist("train")
    # the baselines use Nielsen's training set, the first 50,000 images
    train_images, train_labels = train_images[:50_000], train_labels[:50_000]
    test_images, test_labels = _mnist("test")
    predictions = nearest_class_mean_predictions(train_images, train_labels, test_images)
    per_class = np.array([np.mean(predictions[test_labels == d] == d) for d in range(10)])
    expected = int(np.argmin(per_class))
    if answer == expected:
        confused = np.bincount(predictions[test_labels == expected], minlength=10)
        confused[expected] = 0
        runner_up = int(np.argmax(confused))
        return (
            f"{expected}s are recognised only {per_class[expected]:.1%} of the time "
            f"(1s: {per_class[1]:.1%}); a misread {expected} is most often taken for a "
            f"{runner_up}."
        )
    if not 0 <= answer <= 9:
        raise Hint("The answer is a digit, 0 to 9: the class with the lowest accuracy.")
    if answer == int(np.argmax(per_class)):
        raise Hint("That is the best-recognised digit. Take the one with the lowest accuracy.")
    raise Hint(
        f"Your digit's accuracy is {per_class[answer]:.1%}; one digit does worse.",
        pointed="For each digit d, look only at the test images labelled d and take the "
        "fraction of them predicted as d; then pick the digit whose fraction is smallest.",
    )
