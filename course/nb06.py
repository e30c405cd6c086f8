"""Helpers for notebook 06 (what did it learn?): pictures, the course's own answers, checks.

The notebook trains the network and draws with these; the drawing canvas itself lives in
``course/canvas.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_int, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb06.show_answer

#: Okabe-Ito colours: the answer the network gives, the other outputs, the true digit.
WINNER, OTHER, TRUTH = "#E69F00", "#0072B2", "#009E73"

# --------------------------------------------------------------------------------------
# Pictures
# --------------------------------------------------------------------------------------


def plot_weight_images(
    rows: np.ndarray, titles: Sequence[str] | None = None, columns: int = 10,
    title: str = "",
) -> plt.Figure:
    """Each row of ``rows`` (shape ``(k, 784)``) as a 28 x 28 image on a diverging map.

    Every image has its own symmetric colour scale centred at 0: white is a weight of 0,
    orange-brown positive (ink there excites the neuron), purple negative (ink there
    inhibits it). ``PuOr`` is safe for every kind of colour blindness.
    """
    rows = np.asarray(rows).reshape(len(rows), -1)
    n_rows = int(np.ceil(len(rows) / columns))
    fig, axes = plt.subplots(n_rows, columns, figsize=(1.25 * columns, 1.4 * n_rows + 0.4),
                             squeeze=False)
    for ax in axes.ravel():
        ax.set_axis_off()
    for k, (ax, row) in enumerate(zip(axes.ravel(), rows, strict=False)):
        limit = float(np.abs(row).max()) or 1.0
        ax.imshow(row.reshape(28, 28), cmap="PuOr_r", vmin=-limit, vmax=limit)
        ax.set_title(titles[k] if titles is not None else str(k), fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_answers(
    images: np.ndarray, outputs: np.ndarray, titles: Sequence[str],
    truths: Sequence[int | None] | None = None, columns: int | None = None,
) -> plt.Figure:
    """Images (``(k, 28, 28)`` or ``(k, 784)``) above the network's ten outputs for each.

    The winning output is orange, the others blue; if ``truths`` gives the true digit, its
    bar gets a green outline and a tick mark, so nothing rests on colour alone.
    """
    images = np.asarray(images).reshape(-1, 28, 28)
    outputs = np.asarray(outputs).reshape(10, -1)
    k = len(images)
    columns = columns or k
    n_rows = int(np.ceil(k / columns))
    fig, axes = plt.subplots(2 * n_rows, columns, figsize=(1.55 * columns, 3.1 * n_rows),
                             gridspec_kw={"height_ratios": [1, 0.8] * n_rows}, squeeze=False)
    for ax in axes.ravel():
        ax.set_axis_off()
    for i in range(k):
        row, column = 2 * (i // columns), i % columns
        top, bottom = axes[row, column], axes[row + 1, column]
        top.imshow(images[i], cmap="gray_r", vmin=0, vmax=1)
        top.set_title(titles[i], fontsize=9)
        bottom.set_axis_on()
        winner = int(np.argmax(outputs[:, i]))
        colours = [WINNER if d == winner else OTHER for d in range(10)]
        bars = bottom.bar(range(10), outputs[:, i], color=colours, width=0.8)
        truth = None if truths is None else truths[i]
        if truth is not None and truth != winner:
            bars[truth].set_edgecolor(TRUTH)
            bars[truth].set_linewidth(2)
            bottom.text(truth, 1.02, "✓", ha="center", va="bottom", fontsize=8, color=TRUTH)
        bottom.set_ylim(0, 1.15)
        bottom.set_xticks(range(10), [str(d) for d in range(10)], fontsize=6)
        bottom.set_yticks([0, 0.5, 1])
        bottom.tick_params(axis="y", labelsize=6)
    fig.tight_layout()
    return fig


def plot_accuracy_by_shift(shifts: Sequence[int], accuracies: Sequence[float],
                           ax: plt.Axes | None = None) -> plt.Axes:
    """Test accuracy (fractions) against the horizontal shift in pixels."""
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.4))
    ax.plot(shifts, 100 * np.asarray(accuracies), "o-", color=OTHER)
    ax.axhline(10, color="0.4", ls=":", lw=1)
    ax.text(0, 4, "chance: 10%", fontsize=9, color="0.3", ha="center")
    ax.set_xticks(list(shifts))
    ax.set_ylim(0, 100)
    ax.set_xlabel("shift to the right (pixels; negative: to the left)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title("The same test digits, moved sideways")
    ax.grid(alpha=0.3)
    return ax


def plot_precision_recall(recall: np.ndarray, precision: np.ndarray,
                          ax: plt.Axes | None = None) -> plt.Axes:
    """Per-digit recall (rows of the confusion matrix) beside precision (its columns)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
    digits = np.arange(10)
    ax.bar(digits - 0.2, 100 * np.asarray(recall), 0.4, color=OTHER,
           label="recall: of the true d's, found")
    ax.bar(digits + 0.2, 100 * np.asarray(precision), 0.4, color=WINNER, hatch="//",
           label="precision: of the answers 'd', right")
    low = max(0.0, 100 * min(np.min(recall), np.min(precision)) - 5)
    ax.set_ylim(low, 100.5)
    ax.set_xticks(digits)
    ax.set_xlabel("digit d")
    ax.set_ylabel("%")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)
    ax.set_title("Two questions a teacher asks of each digit")
    return ax


# --------------------------------------------------------------------------------------
# The course's own answers (the notebook uses these after each exercise, so that it still
# runs in the learner's edition, where the answers are stubs)
# --------------------------------------------------------------------------------------


def shift(image: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """``image`` (28 x 28) moved ``dx`` pixels right and ``dy`` down; uncovered pixels are 0."""
    image = np.asarray(image)
    moved = np.zeros_like(image)
    height, width = image.shape
    if abs(dx) >= width or abs(dy) >= height:
        return moved
    moved[max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)] = (
        image[max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)]
    )
    return moved


def confident_mistakes(outputs: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """The columns answered wrongly whose winning output is largest, most confident first.

    ``outputs`` ``(10, n)``, ``labels`` ``(n,)``; returns up to ``k`` column indices.
    """
    outputs = np.asarray(outputs)
    predictions = np.argmax(outputs, axis=0)
    wrong = np.flatnonzero(predictions != labels)
    confidence = outputs[predictions[wrong], wrong]
    return wrong[np.argsort(-confidence, kind="stable")][:k]


def recall_and_precision(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-digit recall (diagonal / row sums) and precision (diagonal / column sums), (10,) each."""
    matrix = np.asarray(matrix, dtype=np.float64)
    return np.diag(matrix) / matrix.sum(axis=1), np.diag(matrix) / matrix.sum(axis=0)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """The ink-weighted mean (row, column) of a 2-D image."""
    image = np.asarray(image, dtype=np.float64)
    total = image.sum()
    row = (image.sum(axis=1) @ np.arange(image.shape[0])) / total
    column = (image.sum(axis=0) @ np.arange(image.shape[1])) / total
    return float(row), float(column)


def on_paper(image: np.ndarray, size: int = 280, height: int = 200,
             top: int = 20, left: int = 120) -> np.ndarray:
    """A 28 x 28 MNIST digit drawn large and off-centre on white paper, ``(size, size)``.

    Dark ink on white (1 is paper), the way a drawing or a photo of a digit arrives.
    """
    image = np.asarray(image, dtype=np.float64).reshape(28, 28)
    scale = height // 28
    big = np.kron(image, np.ones((scale, scale)))
    paper = np.zeros((size, size))
    paper[top : top + big.shape[0], left : left + big.shape[1]] = big[: size - top, : size - left]
    return 1 - paper


# --------------------------------------------------------------------------------------
# Exercises
# --------------------------------------------------------------------------------------


@exercise("06-noise-favourite", points=1)
def check_noise_favourite(favourite: int, noise_predictions: np.ndarray) -> str:
    """The digit the network answers most often for random noise."""
    predictions = np.asarray(noise_predictions).astype(int).ravel()
    counts = np.bincount(predictions, minlength=10)
    got = as_int(favourite, "favourite")
    if got == int(np.argmax(counts)):
        return (f"The network's favourite answer for noise is {got}. It has never seen "
                "anything but digits, so it has no way to say 'none of these'.")
    if got == int(counts.max()):
        raise Hint("That is how many times the favourite digit was answered; give the digit "
                   "itself.")
    if not 0 <= got <= 9:
        raise Hint("The answer is a digit, 0 to 9.")
    raise Hint("Count how often each digit appears in `noise_predictions` and pick the digit "
               "that appears most.",
               pointed="NumPy can count how many times each small integer occurs in an array; "
               "the position of the largest count is the digit.")


_SHIFT_IMAGE = np.arange(28 * 28, dtype=float).reshape(28, 28) % 97 + 1


@exercise("06-shift-image", points=2)
def check_shift(shift_image: Callable[[np.ndarray, int, int], np.ndarray]) -> str:
    """The learner's ``shift_image(image, dx, dy)``: move right by dx, down by dy, fill with 0."""
    cases = [(3, 0), (0, 2), (-4, 1), (2, -5), (0, 0)]
    for dx, dy in cases:
        original = _SHIFT_IMAGE.copy()
        result = call_learner(
            shift_image, original, dx, dy, name="shift_image",
            hint=f"The check called shift_image(image, dx={dx}, dy={dy}) with a 28 x 28 image.",
        )
        got = as_array(result, "shift_image(...)", shape=(28, 28))
        if not np.array_equal(original, _SHIFT_IMAGE):
            raise Hint("Your function changed the image it was given. Build the shifted image "
                       "in a new array.")
        expected = shift(_SHIFT_IMAGE, dx, dy)
        if np.array_equal(got, expected):
            continue
        rolled = np.roll(_SHIFT_IMAGE, (dy, dx), axis=(0, 1))
        if np.array_equal(got, rolled):
            raise Hint("The pixels pushed over one edge come back in at the other: that is "
                       "what `np.roll` does. A shifted digit should have blank (0) pixels "
                       "where nothing moved in.")
        if np.array_equal(got, shift(_SHIFT_IMAGE, dy, dx)):
            raise Hint(f"With dx={dx}, dy={dy} your image moved along the wrong axis. Rows are "
                       "the first index (up and down), columns the second (left and right).")
        if np.array_equal(got, shift(_SHIFT_IMAGE, -dx, -dy)):
            raise Hint(f"With dx={dx}, dy={dy} your image moved the wrong way: a positive dx "
                       "moves the digit to the right, a positive dy moves it down.")
        raise Hint(f"shift_image(image, {dx}, {dy}) is not right.",
                   pointed="Start from an array of zeros; copy the part of the image that stays "
                   "inside the frame into its new place, with a slice on each side. Test a "
                   "negative shift as well as a positive one.")
    return ("Shifted correctly, left, right, up and down, with blank pixels where nothing "
            "moved in.")


def _mistake_outputs() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(6)
    outputs = rng.random((10, 40)) * 0.5
    labels = rng.integers(0, 10, size=40)
    outputs[labels, np.arange(40)] += 0.5  # mostly right ...
    wrong = [3, 8, 11, 19, 25, 31, 36]
    for rank, i in enumerate(wrong):  # ... except these, with winners of different heights
        other = (labels[i] + 1 + rank) % 10
        outputs[labels[i], i] = 0.2
        outputs[other, i] = [0.62, 0.97, 0.55, 0.91, 0.73, 0.99, 0.58][rank]
    return outputs, labels


@exercise("06-confident-mistakes", points=2)
def check_confident_mistakes(
    find_mistakes: Callable[[np.ndarray, np.ndarray, int], np.ndarray],
) -> str:
    """The learner's ``most_confident_mistakes(outputs, labels, k)``."""
    outputs, labels = _mistake_outputs()
    k = 4
    result = call_learner(find_mistakes, outputs.copy(), labels.copy(), k,
                          name="most_confident_mistakes",
                          hint="The check used outputs of shape (10, 40), labels of shape "
                          "(40,) and k = 4.")
    got = as_array(result, "most_confident_mistakes(...)")
    expected = confident_mistakes(outputs, labels, k)
    if got.shape != (k,):
        raise Hint(f"Return an array of k = {k} column indices; got shape {got.shape}.")
    if not np.array_equal(got, np.round(got)):
        if np.allclose(np.sort(got), np.sort(outputs.max(axis=0)[expected])):
            raise Hint("Those are the winning activations; return the indices of the columns "
                       "(which test images), not the activations.")
        raise Hint("Return whole-number column indices (which test images).")
    got = got.astype(int)
    if np.array_equal(got, expected):
        return ("The four most confident mistakes, most confident first. On the test set these "
                "are where a teacher looks first.")
    if np.array_equal(np.sort(got), np.sort(expected)):
        raise Hint("The right columns in the wrong order: the most confident mistake comes "
                   "first.")
    if got.min() < 0 or got.max() >= labels.size:
        raise Hint(f"Return column indices of `outputs`, between 0 and {labels.size - 1}.")
    predictions = np.argmax(outputs, axis=0)
    wrong = np.flatnonzero(predictions != labels)
    confidence = outputs[predictions[wrong], wrong]
    positions = np.argsort(-confidence, kind="stable")[:k]
    if np.array_equal(got, positions):
        raise Hint("Those are positions in your list of mistakes, not columns of `outputs`. "
                   "Map them back to the column indices.")
    if np.any(predictions[got] == labels[got]):
        raise Hint("Some of those columns were answered correctly. Keep only the mistakes "
                   "before you rank them.")
    if np.array_equal(got, wrong[np.argsort(confidence, kind="stable")][:k]):
        raise Hint("Those are the least confident mistakes; sort the other way.")
    raise Hint("Rank the wrongly answered columns by the activation of the output the network "
               "chose (its winning output).",
               pointed="First the predictions and the indices where they differ from the labels; "
               "then, for those columns only, the winning activation; then sort them by it, "
               "largest first.")


@exercise("06-precision", points=1)
def check_precision(precision: np.ndarray, matrix: np.ndarray) -> str:
    """Per-digit precision from a confusion matrix (rows true, columns predicted)."""
    got = as_array(precision, "precision", shape=(10,))
    recall, expected = recall_and_precision(matrix)
    if np.allclose(got, expected, atol=1e-6):
        worst = int(np.argmin(expected))
        return (f"Its least trustworthy answer is {worst}: when the network says {worst}, "
                "it is wrong more often than for any other digit.")
    if np.allclose(got, recall, atol=1e-6):
        raise Hint("That is the per-digit accuracy of notebook 05 (recall): you divided by the "
                   "row sums, the true digits. Precision asks about the network's answers.")
    if np.allclose(got, 100 * expected, atol=1e-4):
        raise Hint("Those are percentages; give fractions between 0 and 1.")
    raise Hint("Of all the images the network called d, which fraction really were d?",
               pointed="The columns of the matrix are the network's answers; the diagonal holds "
               "the right ones.")


_COM_IMAGE = np.zeros((28, 28))
_COM_IMAGE[4:9, 18:22] = 1.0
_COM_IMAGE[10:20, 6:8] = 0.5
_COM_IMAGE[22, 3] = 0.25


@exercise("06-centre-of-mass", points=2)
def check_centre_of_mass(find_centre: Callable[[np.ndarray], tuple[float, float]]) -> str:
    """The learner's ``centre_of_mass(image)`` -> (row, column), ink-weighted."""
    result = call_learner(find_centre, _COM_IMAGE.copy(), name="centre_of_mass",
                          hint="The check used a 28 x 28 image with three blobs of ink.")
    got = as_array(result, "centre_of_mass(...)", shape=(2,)).astype(float)
    expected = np.array(centre_of_mass(_COM_IMAGE))
    if np.allclose(got, expected, atol=1e-6):
        return (f"(row {expected[0]:.2f}, column {expected[1]:.2f}): the average position of the "
                "ink, each pixel counted as much as it is dark.")
    if np.allclose(got, expected[::-1], atol=1e-6):
        raise Hint("Row and column swapped: return (row, column), rows being the first index.")
    rows, cols = np.nonzero(_COM_IMAGE)
    if np.allclose(got, [rows.mean(), cols.mean()], atol=1e-6):
        raise Hint("Every inked pixel counted the same. Weight each position by how much ink "
                   "the pixel holds.")
    if np.allclose(got, expected * _COM_IMAGE.sum(), atol=1e-4):
        raise Hint("Close: divide by the total amount of ink, so the weights add up to 1.")
    if np.allclose(got, [13.5, 13.5]) or np.allclose(got, [14, 14]):
        raise Hint("That is the middle of the frame, whatever the ink does.")
    raise Hint("The centre of mass is a weighted mean of the row numbers (and of the column "
               "numbers), the weights being the pixel values.",
               pointed="Sum the image along one axis to get the ink in each row, multiply by "
               "the row numbers, add up, and divide by the total ink.")
