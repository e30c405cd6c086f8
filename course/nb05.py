"""Helpers for notebook 05 (training on MNIST): pictures, the live-training widget, checks.

The notebook trains the networks; this module only draws and checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_float, as_int_tuple, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb05.show_answer

# --------------------------------------------------------------------------------------
# Pictures
# --------------------------------------------------------------------------------------


def plot_learning_curves(
    curves: dict[str, Sequence[float]],
    ax: plt.Axes | None = None,
    title: str = "Validation accuracy after each epoch",
    reference: tuple[float, str] | None = None,
    ylim: tuple[float, float] | None = None,
    legend: bool = True,
) -> plt.Axes:
    """Accuracy per epoch for each labelled run, epochs counted from 1.

    Parameters
    ----------
    curves : dict
        Label -> accuracies (fractions in [0, 1]), one per epoch.
    reference : (float, str), optional
        A horizontal dashed line, e.g. ``(0.9542, "Nielsen's best epoch")``.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4))
    for label, values in curves.items():
        epochs = np.arange(1, len(values) + 1)
        ax.plot(epochs, 100 * np.asarray(values), "o-", ms=3.5, label=label)
    if reference is not None:
        ax.axhline(100 * reference[0], color="0.4", ls="--", lw=1, label=reference[1])
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy (%)")
    ax.set_title(title)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(loc="lower right")
    return ax


def plot_confusion_matrix(matrix: np.ndarray, ax: plt.Axes | None = None) -> plt.Axes:
    """A heatmap of a 10 x 10 confusion matrix (rows: true digit, columns: prediction).

    The colour shows the off-diagonal counts (the mistakes) on their own scale, so that the
    large diagonal does not wash them out; every cell is labelled with its count.
    """
    matrix = np.asarray(matrix)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6.2))
    mistakes = matrix.astype(float).copy()
    np.fill_diagonal(mistakes, np.nan)
    image = ax.imshow(mistakes, cmap="Reds", vmin=0, vmax=np.nanmax(mistakes))
    n = matrix.shape[0]
    for i in range(n):
        for j in range(n):
            on_diagonal = i == j
            dark = not on_diagonal and mistakes[i, j] > 0.6 * np.nanmax(mistakes)
            ax.text(j, i, f"{matrix[i, j]}", ha="center", va="center",
                    fontsize=8 if on_diagonal else 9,
                    color="white" if dark else ("0.35" if on_diagonal else "black"),
                    weight="bold" if on_diagonal else "normal")
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title("Confusion matrix on the 10,000 test images\n"
                 "(colour: mistakes only; the diagonal holds the correct answers)")
    plt.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="number of mistakes")
    return ax


def plot_worst_mistakes(
    images: np.ndarray,
    labels: np.ndarray,
    predictions: np.ndarray,
    chosen: np.ndarray,
    right: np.ndarray,
    indices: Sequence[int],
    columns: int = 6,
) -> plt.Figure:
    """Show the test images at ``indices`` with the true label, the prediction and both outputs.

    Parameters
    ----------
    images : array of shape (784, n) or (n, 28, 28)
    labels, predictions : int arrays of shape (n,)
    chosen, right : float arrays of shape (n,)
        The output activation of the predicted digit and of the true digit.
    indices : sequence of int
        Which images to show, in order.
    """
    images = np.asarray(images)
    if images.ndim == 2:
        images = images.T.reshape(-1, 28, 28)
    rows = int(np.ceil(len(indices) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.95 * columns, 2.6 * rows))
    for ax in np.atleast_1d(axes).ravel():
        ax.set_axis_off()
    for ax, i in zip(np.atleast_1d(axes).ravel(), indices, strict=False):
        ax.imshow(images[i], cmap="gray_r")
        ax.set_title(
            f"said {predictions[i]} ({chosen[i]:.2f})\ntrue {labels[i]} ({right[i]:.2f})",
            fontsize=10,
            color="tab:red",
        )
    fig.suptitle("The most confident mistakes on the test set "
                 "(in brackets: that digit's output activation)", y=1.0)
    fig.tight_layout()
    return fig


def plot_per_class_accuracy(per_class: np.ndarray, overall: float) -> plt.Axes:
    """A bar per digit: the fraction of its test images classified correctly."""
    per_class = np.asarray(per_class, dtype=float)
    _, ax = plt.subplots(figsize=(7.5, 3.6))
    bars = ax.bar(range(10), 100 * per_class, color="tab:blue")
    worst = int(np.argmin(per_class))
    bars[worst].set_color("tab:red")
    ax.axhline(100 * overall, color="0.3", ls="--", lw=1, label="all digits")
    for digit, value in enumerate(per_class):
        ax.text(digit, 100 * value + 0.15, f"{100 * value:.1f}", ha="center", va="bottom",
                fontsize=8)
    ax.set_xticks(range(10))
    ax.set_xlabel("true digit")
    ax.set_ylabel("correct (%)")
    low = max(0.0, 100 * per_class.min() - 4)
    ax.set_ylim(low, 100.5)
    ax.set_title("Accuracy per digit on the test set (red: the hardest digit)")
    ax.legend(loc="lower left")
    return ax


# --------------------------------------------------------------------------------------
# Live training: a button that trains one more epoch and redraws the learning curve.
# --------------------------------------------------------------------------------------


class LiveCurve:
    """An ``ipywidgets.Output`` holding a learning curve that redraws when told to.

    Use :meth:`update` as (part of) an ``on_epoch`` callback or a button's handler: it only
    draws inside the widget, never prints. Display :attr:`label` and :attr:`output`.

    Parameters
    ----------
    title : str
        Title of the plot.
    """

    def __init__(self, title: str = "Live training") -> None:
        import ipywidgets as widgets

        self.accuracies: list[float] = []
        self.title = title
        self.output = widgets.Output()
        self.label = widgets.Label(value="")

    def update(self, accuracy: float) -> None:
        """Add one epoch's validation accuracy and redraw the plot inside the widget."""
        from IPython.display import clear_output

        self.accuracies.append(float(accuracy))
        self.label.value = (
            f"{len(self.accuracies)} epochs, last validation accuracy "
            f"{100 * self.accuracies[-1]:.2f}%"
        )
        with self.output:
            clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(6.5, 3.4))
            plot_learning_curves({"validation": self.accuracies}, ax=ax, title=self.title,
                                 legend=False)
            ax.set_xlim(0.5, max(5, len(self.accuracies)) + 0.5)
            plt.show()


# --------------------------------------------------------------------------------------
# Exercises
# --------------------------------------------------------------------------------------


@exercise("05-batches-per-epoch", points=1)
def check_batches_per_epoch(n_batches: int) -> str:
    """Mini-batches per epoch: 50,000 training images in mini-batches of 10."""
    got = as_float(n_batches, "n_batches")
    if got == 5000:
        return ("50,000 / 10 = 5,000 mini-batches, so 5,000 small steps downhill per epoch "
                "(and 150,000 in Nielsen's 30 epochs).")
    if got == 6000:
        raise Hint("60,000 counts the validation images too. We train on the first 50,000 "
                   "and keep the last 10,000 for validation.")
    if got == 500_000:
        raise Hint("You multiplied. Each mini-batch takes 10 images: how many groups of 10 "
                   "are there?")
    if got == 1000:
        raise Hint("10,000 is the size of the validation (or test) set; training uses 50,000 "
                   "images.")
    raise Hint("How many training images are there, and how many go into one mini-batch?",
               pointed="Every training image is used once per epoch, 10 at a time.")


_ACCURACY_OUTPUTS = np.array(
    [
        [0.9, 0.1, 0.2, 0.0, 0.3],
        [0.1, 0.8, 0.1, 0.2, 0.2],
        [0.0, 0.3, 0.6, 0.7, 0.1],
    ]
)
_ACCURACY_LABELS = np.array([0, 1, 1, 2, 2])


@exercise("05-accuracy", points=2)
def check_accuracy(accuracy: Callable[[np.ndarray, np.ndarray], float]) -> str:
    """The learner's ``accuracy(outputs, labels)``: fraction of columns whose argmax is right."""
    result = call_learner(
        accuracy, _ACCURACY_OUTPUTS, _ACCURACY_LABELS, name="accuracy",
        hint="The check used outputs of shape (3, 5) (3 classes, 5 images) and labels of "
        "shape (5,).",
    )
    if isinstance(result, (str, bytes)):
        raise Hint(f"`accuracy` returned a string ({result!r}); return a number.")
    value = np.asarray(result, dtype=float)
    if value.shape != () and value.size != 1:
        raise Hint(f"Return one number, not an array of shape {value.shape}.",
                   pointed="First one predicted class per column (the index of its largest "
                   "output, found along axis 0), then compare with the labels and average.")
    value = float(value.reshape(()))
    expected = 0.6  # columns 0, 1 and 3 are right
    if abs(value - expected) < 1e-9:
        return ("3 of the 5 columns have their largest output at the right label: 0.6. "
                "Comparing two arrays gives True/False, and their mean is the fraction.")
    if abs(value - 3) < 1e-9:
        raise Hint("That is the number of correct columns; divide by the number of columns "
                   "to get a fraction.")
    if abs(value - 60) < 1e-9:
        raise Hint("That is a percentage; return a fraction between 0 and 1.")
    raise Hint("The network's answer for a column is the index of its largest output.",
               pointed="Axis 0 runs over the output neurons, axis 1 over the images; compare "
               "the answers with the labels, then average.")


@exercise("05-mystery-eta", points=1)
def check_learning_rate(mystery_eta: float) -> str:
    """Which learning rate produced the mystery curve (:data:`MYSTERY_ETA`)."""
    got = as_float(mystery_eta, "mystery_eta")
    if np.isclose(got, MYSTERY_ETA):
        return ("It learns steadily but clearly slower than η = 3: a learning rate 10 times "
                "smaller takes steps 10 times shorter.")
    if got < 0.01:
        raise Hint("With η = 0.001 the network barely moves in a few epochs (compare the "
                   "curves above). The mystery curve does learn, just more slowly than η = 3.")
    if got > 10:
        raise Hint("With η = 100 the sigmoids saturate and the curve stays low or jumps around. "
                   "The mystery curve climbs smoothly.")
    if np.isclose(got, 3.0):
        raise Hint("Compare it with the η = 3 curve above: the mystery curve starts lower and "
                   "climbs more slowly, so its steps are shorter.")
    raise Hint("Pick one of the values in `candidates`, comparing the curve with the three "
               "labelled ones above.")


@exercise("05-most-confused", points=1)
def check_most_confused(most_confused: tuple[int, int], matrix: np.ndarray) -> str:
    """The (true, predicted) pair with the largest off-diagonal count of ``matrix``."""
    true, predicted = as_int_tuple(most_confused, "most_confused", length=2)
    matrix = np.asarray(matrix)
    mistakes = matrix.copy()
    np.fill_diagonal(mistakes, -1)
    best = np.unravel_index(int(np.argmax(mistakes)), mistakes.shape)
    if (true, predicted) == (int(best[0]), int(best[1])):
        return "That is the largest count off the diagonal: the network's favourite mistake."
    if true == predicted:
        raise Hint("The diagonal holds the correct answers. Look for the largest number "
                   "off the diagonal.",
                   pointed="Take a copy of the matrix whose diagonal cannot win, then find the "
                   "row and column of its largest entry.")
    if (predicted, true) == (int(best[0]), int(best[1])):
        raise Hint("Right digits, wrong order: rows are the true digit, columns the prediction.")
    raise Hint("Find the largest entry off the diagonal, and give its (row, column).",
               pointed="The position of a maximum in a flattened array can be turned back into "
               "(row, column) with NumPy's index helpers.")


@exercise("05-random-guess", points=1)
def check_random_guess(random_accuracy: float, error_ratio: float, test_accuracy: float) -> str:
    """Random guessing among 10 digits, and how many times fewer mistakes the network makes."""
    random_accuracy = as_float(random_accuracy, "random_accuracy")
    error_ratio = as_float(error_ratio, "error_ratio")
    if abs(random_accuracy - 0.1) > 1e-9:
        if abs(random_accuracy - 10) < 1e-9:
            raise Hint("Give random_accuracy as a fraction, not a percentage.")
        raise Hint("A random guess picks one of 10 digits; the test set has roughly equally "
                   "many of each. How often is it right?")
    expected = 0.9 / (1 - test_accuracy)
    if abs(error_ratio - expected) > 1e-6 * expected:
        if abs(error_ratio - test_accuracy / 0.1) < 1e-6:
            raise Hint("That is the ratio of accuracies. Compare the error rates instead.")
        raise Hint("The error rate is 1 - accuracy.",
                   pointed="Divide the random guesser's error rate by the network's.")
    return ("Guessing is right 10% of the time and wrong 90%; the network makes roughly "
            "twenty times fewer mistakes.")


# --------------------------------------------------------------------------------------
# Reading source code
# --------------------------------------------------------------------------------------


def source_excerpt(function: Callable, first: str, last: str) -> str:
    """The lines of ``function``'s source from the one containing ``first`` to ``last``.

    Falls back to the whole source if either marker is missing, so the notebook still
    shows something sensible if the function is rewritten.
    """
    import inspect
    import textwrap

    lines = inspect.getsource(function).splitlines()
    start = next((i for i, line in enumerate(lines) if first in line), None)
    if start is None:
        return "\n".join(lines)
    end = next((i for i in range(start, len(lines)) if last in lines[i]), None)
    if end is None:
        return "\n".join(lines)
    return textwrap.dedent("\n".join(lines[start : end + 1]))


# The learning rate behind the mystery curve of exercise 3 (kept here, out of sight).
MYSTERY_ETA = 0.3


def mystery_curve(run: Callable[[float], Sequence[float]]) -> list[float]:
    """Call ``run(eta)`` with the hidden learning rate and return its accuracy curve."""
    return list(run(MYSTERY_ETA))
