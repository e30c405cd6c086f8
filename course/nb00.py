"""Helpers for notebook 00 · Meet MNIST: pictures, the image browser, the course's own copy
of each baseline the learner writes, and the exercise checks.

The checks compare a learner's answer with a value computed here from the MNIST files
(through :mod:`mlp.data`), and say what is off when the answer is wrong. The notebook goes on
with the course's copies (:func:`class_fractions`, :func:`mean_darkness`, ...), so that its
later cells run in the learner's edition too, where the answers are stubs.
"""

from __future__ import annotations

import functools
import inspect
import textwrap
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, as_int, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb00.show_answer
from mlp import data

#: The course's palette (Okabe-Ito), safe for colour-blind readers.
BLUE, ORANGE, GREEN, VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"


@functools.lru_cache(maxsize=2)
def _mnist(split: str) -> tuple[np.ndarray, np.ndarray]:
    """MNIST images and labels of ``split``, loaded once (files in ``data/`` or ``MNIST_DIR``)."""
    return data.load_mnist(split)


def _baseline_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Nielsen's training images (the first 50,000), and the 10,000 test images, with labels."""
    images, labels = _mnist("train")
    return (images[:50_000], labels[:50_000], *_mnist("test"))


def excerpt(function: Any, first: str, last: str) -> str:
    """The lines of ``function``'s source from the one holding ``first`` to the one holding
    ``last``, dedented: the part of a function the text talks about. (Notebooks 05, 06 and A1
    use it too.)

    Falls back to the whole source if either marker is missing, so that a notebook still shows
    something sensible when the function is rewritten.
    """
    lines = inspect.getsource(function).splitlines()
    start = next((i for i, line in enumerate(lines) if first in line), None)
    end = None if start is None else next(
        (i for i in range(start, len(lines)) if last in lines[i]), None)
    if end is None:
        return "\n".join(lines)
    return textwrap.dedent("\n".join(lines[start : end + 1]))


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



def show_class_balance(train_fractions: np.ndarray, test_fractions: np.ndarray) -> plt.Figure:
    """Bars of the fraction of each digit in the training and the test set, and the 10% line
    that perfectly balanced classes would give."""
    digits = np.arange(10)
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.bar(digits - 0.2, 100 * train_fractions, width=0.4, color=BLUE, label="training")
    ax.bar(digits + 0.2, 100 * test_fractions, width=0.4, color=ORANGE, label="test",
           hatch="//", edgecolor="white")
    ax.axhline(10, color="black", linestyle="--", linewidth=1, label="balanced: 10%")
    ax.set_xticks(digits)
    ax.set_xlabel("digit")
    ax.set_ylabel("% of the images")
    ax.set_ylim(0, 14.5)
    ax.legend(loc="upper center", ncol=3, fontsize=9)
    fig.tight_layout()
    return fig


def show_darkness_histograms(
    darkness: np.ndarray, labels: np.ndarray, digits: tuple[int, ...] = (0, 1, 4, 9)
) -> plt.Figure:
    """Histograms of the darkness (sum of pixels) of the images of a few digits."""
    colours = [BLUE, ORANGE, GREEN, VERMILLION]
    styles = ["-", "--", "-.", ":"]
    fig, ax = plt.subplots(figsize=(7, 3))
    bins = np.linspace(0, 80_000, 81)
    for digit, colour, style in zip(digits, colours, styles, strict=False):
        ax.hist(darkness[labels == digit], bins=bins, histtype="step", linewidth=2,
                color=colour, linestyle=style, label=f"{digit}s")
    ax.set_xlabel("darkness: sum of the 784 pixels")
    ax.set_ylabel("number of images")
    ax.legend()
    fig.tight_layout()
    return fig


def show_baselines(results: dict[str, float]) -> plt.Figure:
    """Horizontal bars: the accuracy of each baseline on the test set."""
    names = list(results)
    values = [100 * results[name] for name in names]
    fig, ax = plt.subplots(figsize=(7, 0.55 * len(names) + 0.8))
    ax.barh(names, values, color=BLUE)
    for y, value in enumerate(values):
        ax.text(value + 1, y, f"{value:.2f}%", va="center")
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.set_xlabel("% of the 10,000 test images right")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------
# The course's own copies of the baselines the learner writes
# ---------------------------------------------------------------------------------------


def class_fractions(labels: np.ndarray) -> np.ndarray:
    """The fraction of ``labels`` (shape (n,), digits 0..9) equal to each digit: shape (10,)."""
    return np.bincount(labels, minlength=10) / len(labels)


def darkness_of(images: np.ndarray) -> np.ndarray:
    """The darkness of each image, the sum of its pixels: (n, 28, 28) uint8 -> (n,) int64."""
    return np.asarray(images).reshape(len(images), -1).sum(axis=1, dtype=np.int64)


def mean_darkness(images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The mean darkness of the images of each digit: shape (10,)."""
    darkness = darkness_of(images)
    return np.array([darkness[labels == digit].mean() for digit in range(10)])


def classify_by_darkness(images: np.ndarray, digit_darkness: np.ndarray) -> np.ndarray:
    """Each image's digit: the one whose mean darkness (shape (10,)) is nearest, shape (n,)."""
    distance = np.abs(darkness_of(images)[:, None] - np.asarray(digit_darkness)[None, :])
    return np.argmin(distance, axis=1)


def classify_by_nearest_mean(images: np.ndarray, means: np.ndarray) -> np.ndarray:
    """Each image's digit: the class mean (shape (10, 28, 28)) nearest in Euclidean distance.

    Uses ||x - m||^2 = ||x||^2 - 2 x.m + ||m||^2: one matrix product instead of an
    (n, 10, 784) array of differences. Returns shape (n,).
    """
    x = np.asarray(images).reshape(len(images), -1).astype(np.float64)
    m = np.asarray(means).reshape(10, -1).astype(np.float64)
    # ||x||^2 is the same for every class, so it cannot change which class is nearest.
    return np.argmin(-2 * x @ m.T + np.sum(m**2, axis=1), axis=1)


def nearest_class_mean_predictions(
    train_images: np.ndarray, train_labels: np.ndarray, test_images: np.ndarray
) -> np.ndarray:
    """Class means of ``train_images`` (n, 28, 28), then each test image's nearest mean: (m,)."""
    means = np.stack([train_images[train_labels == d].mean(axis=0) for d in range(10)])
    return classify_by_nearest_mean(test_images, means)


# The checks' parameters are named after the learner's functions, which hide these names.
_course_copy = {"mean_darkness": mean_darkness, "classify_by_darkness": classify_by_darkness,
                "classify_by_nearest_mean": classify_by_nearest_mean}


def _accuracy(predictions: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(predictions == labels))


def _predictions(value: Any, name: str, n: int) -> np.ndarray:
    """The learner's predictions as integers 0..9 of shape (n,), or a hint."""
    array = as_array(value, name, shape=(n,))
    if np.any(array != np.round(array)) or array.min() < 0 or array.max() > 9:
        raise Hint(f"`{name}` should return one digit 0..9 per image; yours returns other "
                   f"values (from {array.min():g} to {array.max():g}): the position of the "
                   "nearest class, not the distance itself.")
    return array.astype(np.int64)


# ---------------------------------------------------------------------------------------
# Exercise checks
# ---------------------------------------------------------------------------------------


@exercise("00-ink-fraction", points=1)
def check_ink_fraction(ink_fraction: Any) -> str:
    """Exercise 1: the fraction of all training pixels that are not blank (value > 0)."""
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


@exercise("00-class-fractions", points=2)
def check_class_fractions(class_fractions: Any) -> str:
    """Exercise 2: ``class_fractions(labels)`` -> the fraction of each digit, shape (10,)."""
    small = np.array([0, 1, 1, 3], dtype=np.uint8)  # no 2, and nothing from 4 to 9
    answer = call_learner(class_fractions, small, name="class_fractions")
    if np.shape(answer) == (4,):
        raise Hint("For the labels [0, 1, 1, 3] your function returns 4 numbers. There are "
                   "always ten digits: give a 0 for a digit that does not occur.")
    answer = as_array(answer, "class_fractions(labels)", shape=(10,))
    expected = np.zeros(10)
    expected[[0, 1, 3]] = [0.25, 0.5, 0.25]
    if np.allclose(answer, 4 * expected):
        raise Hint("Those are counts. A fraction is the count divided by the number of labels.")
    if np.allclose(answer, 100 * expected):
        raise Hint("Those are percentages. Give fractions, numbers between 0 and 1.")
    if not np.allclose(answer, expected):
        raise Hint(
            f"For the labels [0, 1, 1, 3] your function returns {np.round(answer, 3).tolist()}.",
            pointed="Entry d is the number of labels equal to d, divided by the number of labels; "
            "so here entry 1 is 2/4.",
        )
    labels = _mnist("train")[1]
    answer = as_array(call_learner(class_fractions, labels, name="class_fractions"),
                      "class_fractions(train_labels)", shape=(10,))
    right = np.bincount(labels, minlength=10) / len(labels)
    if not np.allclose(answer, right):
        raise Hint("Right on a small example, but not on the 60,000 training labels. Does your "
                   "function use its argument `labels`, and all of it?")
    return (f"The commonest digit is 1 ({right[1]:.2%} of the training images), the rarest 5 "
            f"({right[5]:.2%}).")


@exercise("00-mean-darkness", points=2)
def check_mean_darkness(mean_darkness: Any) -> str:
    """Exercise 3: ``mean_darkness(images, labels)`` -> mean sum of pixels per digit, (10,)."""
    images, labels, _, _ = _baseline_data()
    value = call_learner(mean_darkness, images, labels, name="mean_darkness")
    answer = as_array(value, "mean_darkness(images, labels)", shape=(10,))
    expected = _course_copy["mean_darkness"](images, labels)
    if np.allclose(answer, expected, rtol=1e-6):
        return (f"From {expected.min():,.0f} for the 1s to {expected.max():,.0f} for the 0s; "
                f"4s and 9s differ by only {abs(expected[4] - expected[9]):,.0f}.")
    if np.allclose(answer, expected / 784, rtol=1e-6):
        raise Hint("That is the mean of a pixel. The darkness of an image is the sum of its "
                   "784 pixels, not their mean.")
    if np.allclose(answer, expected / 255, rtol=1e-6):
        raise Hint("You scaled the pixels to [0, 1]. Here the darkness is the sum of the grey "
                   "levels as they are, 0 to 255.")
    darkness = darkness_of(images)
    if np.allclose(answer, darkness.mean(), rtol=1e-6):
        raise Hint("All ten numbers are the mean over every image. Take, for each digit, only "
                   "the images with that label.")
    raise Hint(
        "For each digit 0..9: the darkness (sum of pixels) of each image with that label, "
        "then their mean.",
        pointed="First one darkness per image (an array of shape (n,)), then for each digit d "
        "the mean of the entries whose label is d.",
    )


@exercise("00-classify-by-darkness", points=2)
def check_classify_by_darkness(classify_by_darkness: Any) -> str:
    """Exercise 4: ``classify_by_darkness(images, digit_darkness)`` -> a digit per image (n,)."""
    train_images, train_labels, test_images, test_labels = _baseline_data()
    means = mean_darkness(train_images, train_labels)
    value = call_learner(classify_by_darkness, test_images, means, name="classify_by_darkness")
    answer = _predictions(value, "classify_by_darkness", len(test_images))
    expected = _course_copy["classify_by_darkness"](test_images, means)
    accuracy = _accuracy(answer, test_labels)
    if np.array_equal(answer, expected):
        return (f"{accuracy:.2%} of the test images right, Nielsen's 22.25%: better than "
                "chance, far from useful.")
    signed = darkness_of(test_images)[:, None] - means[None, :]
    if np.array_equal(answer, np.argmin(signed, axis=1)):
        raise Hint("A darkness below a digit's mean gives a negative difference, and the most "
                   "negative one wins: the distance should not depend on the sign.")
    if np.array_equal(answer, np.argmax(np.abs(signed), axis=1)):
        raise Hint("Your function picks the digit whose mean darkness is farthest away.")
    raise Hint(
        f"Your predictions get {accuracy:.2%} of the test images right; Nielsen's baseline "
        "gets 22.25%.",
        pointed="For each image: its darkness (sum of pixels), its distance to each of the ten "
        "mean darknesses, and the digit at which that distance is smallest.",
    )


@exercise("00-nearest-mean", points=3)
def check_nearest_mean(classify_by_nearest_mean: Any) -> str:
    """Exercise 5: ``classify_by_nearest_mean(images, means)`` -> the nearest class mean (n,)."""
    train_images, train_labels, test_images, test_labels = _baseline_data()
    means = np.stack([train_images[train_labels == d].mean(axis=0) for d in range(10)])
    value = call_learner(classify_by_nearest_mean, test_images, means,
                         name="classify_by_nearest_mean")
    answer = _predictions(value, "classify_by_nearest_mean", len(test_images))
    expected = _course_copy["classify_by_nearest_mean"](test_images, means)
    accuracy = _accuracy(answer, test_labels)
    agree = float(np.mean(answer == expected))
    if agree > 0.999:  # ties between two distances may fall either way in floating point
        return (f"{accuracy:.2%} of the test images right, from ten averaged pictures and no "
                "learning at all.")
    x = test_images.reshape(len(test_images), -1).astype(np.float64)
    m = means.reshape(10, -1)
    absolute = np.stack([np.abs(x - m[digit]).sum(axis=1) for digit in range(10)], axis=1)
    if np.array_equal(answer, np.argmin(absolute, axis=1)):
        raise Hint(f"{accuracy:.2%}: you added up the absolute differences. The Euclidean "
                   "distance adds up their squares.")
    if np.array_equal(answer, np.argmax(-2 * x @ m.T + np.sum(m**2, axis=1), axis=1)):
        raise Hint("Your function picks the class mean that is farthest away.")
    raise Hint(
        f"Your predictions get {accuracy:.2%} of the test images right, and agree with the "
        f"nearest class mean on {agree:.1%} of them.",
        pointed="For each of the ten means: the squared differences between every image and "
        "that mean, summed over the 784 pixels (one number per image); then, per image, the "
        "class with the smallest sum. A sum of differences without squaring lets + and - cancel.",
    )


@exercise("00-worst-digit", points=1)
def check_worst_digit(worst_digit: Any) -> str:
    """Exercise 6: the digit the nearest-class-mean classifier gets right least often."""
    answer = as_int(worst_digit, "worst_digit")
    train_images, train_labels, test_images, test_labels = _baseline_data()
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
