"""Helpers for notebook 05 (training on MNIST): pictures, the live-training widget, checks.

The notebook trains the networks; this module only draws and checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_int_tuple, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb05.show_answer
from course.nb00 import excerpt as source_excerpt  # noqa: F401 - notebook 06 calls nb05.source_excerpt
from mlp.data import one_hot
from mlp.network import Network

# The course palette (Okabe-Ito), safe for colour-blind readers.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "black"]
BLUE, VERMILLION = "#0072B2", "#D55E00"

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
    for (label, values), colour in zip(curves.items(), PALETTE, strict=False):
        epochs = np.arange(1, len(values) + 1)
        ax.plot(epochs, 100 * np.asarray(values), "o-", ms=3.5, label=label, color=colour)
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
    image = ax.imshow(mistakes, cmap="cividis", vmin=0, vmax=np.nanmax(mistakes))
    n = matrix.shape[0]
    for i in range(n):
        for j in range(n):
            on_diagonal = i == j
            # cividis runs from dark blue to light yellow: white text on the dark half
            dark = not on_diagonal and mistakes[i, j] < 0.5 * np.nanmax(mistakes)
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
            color=VERMILLION,
        )
    fig.suptitle("The most confident mistakes on the test set "
                 "(in brackets: that digit's output activation)", y=1.0)
    fig.tight_layout()
    return fig


def plot_per_class_accuracy(per_class: np.ndarray, overall: float) -> plt.Axes:
    """A bar per digit: the fraction of its test images classified correctly."""
    per_class = np.asarray(per_class, dtype=float)
    _, ax = plt.subplots(figsize=(7.5, 3.6))
    bars = ax.bar(range(10), 100 * per_class, color=BLUE)
    worst = int(np.argmin(per_class))
    bars[worst].set_color(VERMILLION)
    ax.axhline(100 * overall, color="0.3", ls="--", lw=1, label="all digits")
    for digit, value in enumerate(per_class):
        ax.text(digit, 100 * value + 0.15, f"{100 * value:.1f}", ha="center", va="bottom",
                fontsize=8)
    ax.set_xticks(range(10))
    ax.set_xlabel("true digit")
    ax.set_ylabel("correct (%)")
    low = max(0.0, 100 * per_class.min() - 4)
    ax.set_ylim(low, 100.5)
    ax.set_title("Accuracy per digit on the test set (vermillion: the hardest digit)")
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


# The SGD exercise: the learner's loop trains a small network, compared with ours step by step.
SGD_SETTINGS = {"epochs": 2, "batch_size": 10, "eta": 3.0, "seed": 5}
SGD_IMAGES = 2000  # training images the check trains on; the next 1,000 measure accuracy


def reference_loop(
    net: Network, x: np.ndarray, y: np.ndarray, epochs: int, batch_size: int, eta: float,
    seed: int, *, shuffle: bool = True, reseed: bool = False, sign: float = 1.0,
    scale: float = 1.0, biases: bool = True,
) -> Network:
    """The mini-batch SGD loop of ``mlp.train.sgd`` (same order, same steps), or a mistake.

    ``x`` has shape (784, n), ``y`` (10, n). The keywords make the typical mistakes the check
    compares a learner's network with: no shuffling, a new generator every epoch, stepping
    uphill (``sign=-1``), dividing the mean gradient again (``scale``), forgetting the biases.
    """
    rng = np.random.default_rng(seed)
    n = x.shape[1]
    for _ in range(epochs):
        if reseed:
            rng = np.random.default_rng(seed)
        order = rng.permutation(n) if shuffle else np.arange(n)
        for k in range(0, n, batch_size):
            batch = order[k : k + batch_size]
            nabla_b, nabla_w = net.backprop(x[:, batch], y[:, batch])
            for w, nw in zip(net.weights, nabla_w, strict=True):
                w -= sign * scale * eta * nw
            if biases:
                for b, nb in zip(net.biases, nabla_b, strict=True):
                    b -= sign * scale * eta * nb
    return net


def _parameters(net: Network) -> list[np.ndarray]:
    return [p.copy() for p in (*net.weights, *net.biases)]


def _distance(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> float:
    return max(float(np.max(np.abs(p - q))) for p, q in zip(a, b, strict=True))


def _held_out_accuracy(net: Network, x: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(np.argmax(net.feedforward(x), axis=0) == labels))


@exercise("05-sgd-loop", points=4)
def check_sgd_loop(train_by_hand: Callable, training: tuple[np.ndarray, np.ndarray]) -> str:
    """The learner's ``train_by_hand(net, x, y, epochs, batch_size, eta, seed)``.

    It trains a 784-30-10 network on the first :data:`SGD_IMAGES` training images and is
    compared with :func:`reference_loop` (the loop of ``mlp.train.sgd``) and its mistakes.
    """
    x_all, labels_all = training
    x = np.ascontiguousarray(x_all[:, :SGD_IMAGES])
    y = one_hot(labels_all[:SGD_IMAGES])
    x_test, labels_test = x_all[:, SGD_IMAGES : SGD_IMAGES + 1000], labels_all[SGD_IMAGES:][:1000]

    def fresh() -> Network:
        return Network([784, 30, 10], seed=5)

    net = fresh()
    start = _parameters(net)
    call_learner(train_by_hand, net, x.copy(), y.copy(), name="train_by_hand",
                 hint="The check passed x of shape (784, 2000), y of shape (10, 2000), "
                 "epochs=2, batch_size=10, eta=3.0, seed=5.", **SGD_SETTINGS)
    got = _parameters(net)
    reference = reference_loop(fresh(), x, y, **SGD_SETTINGS)
    ours = _held_out_accuracy(reference, x_test, labels_test)
    theirs = _held_out_accuracy(net, x_test, labels_test)
    if _distance(got, _parameters(reference)) < 1e-6:
        return (f"Your loop gives the same network as `mlp.train.sgd`, step for step: "
                f"{theirs:.1%} of 1,000 unseen images right after 2 epochs on 2,000 images, "
                f"{2 * SGD_IMAGES // 10} steps.")
    n_weights = len(net.weights)
    if _distance(got, start) == 0:
        raise Hint("After your function the weights and biases are exactly where they started. "
                   "The steps must change the arrays inside `net.weights` and `net.biases` "
                   "themselves: giving a loop variable a new array leaves the list unchanged.",
                   pointed="An in-place subtraction changes the array that the list holds.")
    if _distance(got[n_weights:], start[n_weights:]) == 0:
        raise Hint("The weights moved but the biases did not: `backprop` returns a gradient "
                   "for the biases too, and they take the same step.")
    mistakes = {
        "The network is exactly what training on the images in their stored order gives: "
        "shuffle at the start of every epoch with the generator made from `seed`.":
            {"shuffle": False},
        "Every epoch visits the images in the same order: you make a new generator from "
        "`seed` inside the epoch loop. Make it once, before the loop.": {"reseed": True},
        "Your network went uphill: its cost grew. A step goes *against* the gradient.":
            {"sign": -1.0},
        "Your steps are `batch_size` times too short: `backprop` already returns the *mean* "
        "gradient over the mini-batch, so there is nothing left to divide.":
            {"scale": 1 / SGD_SETTINGS["batch_size"]},
        "Your network matches one epoch of training, but `epochs` asked for 2.":
            {"epochs": 1},
    }
    for message, change in mistakes.items():
        twin = reference_loop(fresh(), x, y, **{**SGD_SETTINGS, **change})
        if _distance(got, _parameters(twin)) < 1e-6:
            raise Hint(message)
    if theirs > ours - 0.02:
        return (f"Your loop trains as well as ours ({theirs:.1%} of 1,000 unseen images right, "
                f"ours {ours:.1%}), though not with the same steps: perhaps another order of "
                "mini-batches. `mlp.train.sgd` shuffles with `rng.permutation(n)` once per epoch.")
    raise Hint(f"Your network gets {theirs:.1%} of 1,000 unseen images right; the same loop "
               f"in `mlp.train.sgd` gets {ours:.1%}.",
               pointed="Per epoch: one random permutation of the n columns from a generator made "
               "once from `seed`; then, for each slice of `batch_size` positions of it, "
               "`net.backprop` on those columns and a step of every weight and bias against "
               "its gradient, times eta.")


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


@exercise("05-mystery-eta", points=2)
def check_mystery_eta(closest_eta: Callable, run: Callable[[float], Sequence[float]]) -> str:
    """The learner's ``closest_eta(candidates, curve, run)``, tried on two curves.

    ``run(eta)`` is the notebook's short experiment; each learning rate is run once (cached),
    so the check costs one run per candidate.
    """
    cache: dict[float, list[float]] = {}

    def cached(eta: float) -> list[float]:
        if float(eta) not in cache:
            cache[float(eta)] = [float(a) for a in run(float(eta))]
        return list(cache[float(eta)])

    candidates = list(MYSTERY_CANDIDATES)
    for target in (MYSTERY_ETA, _DECOY_ETA):
        got = call_learner(closest_eta, list(candidates), cached(target), cached,
                           name="closest_eta", hint="The check passed the list `candidates`, "
                           "a list of accuracies and the function `short_run`.")
        if isinstance(got, (list, tuple, np.ndarray)):
            raise Hint(f"`closest_eta` returned a {type(got).__name__}; return one learning "
                       "rate, a number.")
        try:
            got = float(got)
        except (TypeError, ValueError):
            raise Hint(f"`closest_eta` returned {got!r}; return one of the candidates.") from None
        if np.isclose(got, target):
            continue
        if got == int(got) and 0 <= got < len(candidates) and np.isclose(candidates[int(got)],
                                                                          target):
            raise Hint("That is the position of the right learning rate in `candidates`; return "
                       "the learning rate itself.")
        distances = [_curve_distance(cached(eta), cached(target)) for eta in candidates]
        if np.isclose(got, candidates[int(np.argmax(distances))]):
            raise Hint("You returned the candidate whose curve is *farthest* from the mystery "
                       "curve; keep the closest.")
        if not any(np.isclose(got, eta) for eta in candidates):
            raise Hint(f"{got:g} is not one of `candidates`.")
        if target == _DECOY_ETA:
            raise Hint(f"For the mystery curve you answered right, but for the curve of "
                       f"η = {_DECOY_ETA:g} your function answered {got:g}: it must compare the "
                       "curves, not return a fixed value.")
        raise Hint("Another candidate's curve is closer to the mystery curve than that one.",
                   pointed="Run every candidate, measure how far its curve is from the mystery "
                   "curve (say the largest difference over the epochs), and keep the smallest.")
    return (f"η = {MYSTERY_ETA:g}: its curve matches exactly (same seed, same steps). It learns, "
            "but more slowly than η = 3: a learning rate 10 times smaller takes steps 10 "
            "times shorter.")


def _curve_distance(a: Sequence[float], b: Sequence[float]) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


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


# --------------------------------------------------------------------------------------
# Reading source code
# --------------------------------------------------------------------------------------


# The learning rate behind the mystery curve of exercise 3 (kept here, out of sight), the
# candidates the learner searches (none of them plotted in the notebook), and a second rate
# the check uses to tell a search from a fixed answer.
MYSTERY_ETA = 0.3
MYSTERY_CANDIDATES = (0.01, 0.1, 0.3, 1.0, 10.0, 30.0)
_DECOY_ETA = 1.0


def mystery_curve(run: Callable[[float], Sequence[float]]) -> list[float]:
    """Call ``run(eta)`` with the hidden learning rate and return its accuracy curve."""
    return list(run(MYSTERY_ETA))
