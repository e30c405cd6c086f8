"""Helpers for notebook 12 (where next): the course's own answers, the pictures, the widget
and the exercise checks.

The notebook assembles the best network of the course, saves and loads it, trains the same
code on Fashion-MNIST, and then looks at what a multilayer perceptron cannot see: digits moved
by a few pixels. Sources: chapter 6 of Michael Nielsen's *Neural Networks and Deep Learning*,
http://neuralnetworksanddeeplearning.com/chap6.html, and 3Blue1Brown's lessons,
https://www.3blue1brown.com/topics/neural-networks.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb12.show_answer
from course.nb06 import plot_answers
from course.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION
from mlp import augment, costs, init, optim, schedules
from mlp.network import Network
from mlp.regularization import Dropout

# ---------------------------------------------------------------------------------------
# The best recipe (exercise 1) and its settings
# ---------------------------------------------------------------------------------------

#: The notebook's training run: 6 epochs of mini-batches of 100 at eta = 0.15, decaying.
HIDDEN, ETA, MU, GAMMA, EPOCHS, BATCH_SIZE = 800, 0.15, 0.9, 0.6, 6, 100


def build_best(hidden: int = HIDDEN, dropout: float = 0.0, seed: int = 1):
    """Reference: the best MLP of the course, ready for ``sgd``.

    Returns ``net`` (784-hidden-10, ReLU, He initialisation, softmax with the log-likelihood
    cost), ``update`` (momentum, mu = 0.9) and ``callbacks`` (images shifted by up to a pixel,
    the learning rate times 0.6 every epoch, and dropout if ``dropout > 0``).
    """
    net = Network([784, hidden, 10], activation="relu", cost=costs.LOG_LIKELIHOOD,
                  init=init.he, seed=seed)
    update = optim.momentum(MU)
    callbacks = [augment.RandomShifts(), schedules.ExponentialDecay(GAMMA)]
    if dropout > 0:
        callbacks.append(Dropout(dropout))
    return net, update, callbacks


def same_network(a: Network, b: Network) -> bool:
    """Reference: the same layer sizes, activation and cost, and equal weights and biases."""
    if a.sizes != b.sizes or a.activation != b.activation or a.cost_name != b.cost_name:
        return False
    pairs = zip(a.weights + a.biases, b.weights + b.biases, strict=True)
    return all(np.array_equal(p, q) for p, q in pairs)


def accuracy_by_shift(net: Network, x: np.ndarray, labels: np.ndarray,
                      shifts: Sequence[int]) -> np.ndarray:
    """Reference: the accuracy (fractions) on images ``x`` (784, n) moved right by each shift."""
    accuracies = []
    for d in shifts:
        predictions = net.predict(augment.shift(x, d, 0))
        accuracies.append(np.mean(predictions == labels))
    return np.array(accuracies)


def cross_correlate(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Reference: slide the k x k kernel over the image; shape (n - k + 1, n - k + 1)."""
    k = kernel.shape[0]
    size = image.shape[0] - k + 1
    out = np.zeros((size, size))
    for i in range(size):
        for j in range(size):
            out[i, j] = np.sum(image[i : i + k, j : j + k] * kernel)
    return out


_correlate = cross_correlate  # the reference, for the check whose argument has this name


#: Kernels for the pictures: two edge detectors, a blur, and one to find a diagonal stroke.
KERNELS = {
    "vertical edges": np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]),
    "horizontal edges": np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]),
    "diagonal stroke": np.array([[2.0, -1.0, -1.0], [-1.0, 2.0, -1.0], [-1.0, -1.0, 2.0]]),
    "blur": np.full((3, 3), 1 / 9),
}

# ---------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------


def show_images(images: np.ndarray, titles: Sequence[str], columns: int = 10,
                title: str = "", colours: Sequence[str] | None = None) -> plt.Figure:
    """Images ``(k, 28, 28)`` or ``(784, k)`` in a grid, ink dark on white, with titles."""
    images = np.asarray(images)
    if images.ndim == 2:
        images = images.T.reshape(-1, 28, 28)
    rows = int(np.ceil(len(images) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.3 * columns, 1.5 * rows + 0.4),
                             squeeze=False)
    for ax in axes.ravel():
        ax.set_axis_off()
    for k, (ax, image) in enumerate(zip(axes.ravel(), images, strict=False)):
        ax.imshow(image, cmap="gray_r")
        ax.set_title(titles[k], fontsize=8, color=colours[k] if colours else BLACK)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_learning_curve(history) -> plt.Axes:
    """Test accuracy after each epoch, with the 98.5% line the notebook aims for."""
    _, ax = plt.subplots(figsize=(7, 3.4))
    epochs = np.arange(1, history.epochs + 1)
    ax.plot(epochs, 100 * np.asarray(history.test_accuracy), "o-", color=BLUE,
            label="test accuracy")
    ax.axhline(98.5, color=VERMILLION, ls="--", lw=1.2, label="98.5%")
    ax.set_xticks(epochs)
    ax.set_xlabel("epoch")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title("The best MLP: 784-800-10, six epochs")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return ax


def plot_shift_accuracy(shifts: Sequence[int], curves: dict[str, Sequence[float]]) -> plt.Axes:
    """Accuracy (fractions) against the shift in pixels, one line per labelled curve."""
    _, ax = plt.subplots(figsize=(7, 3.6))
    markers = ["o", "s", "^", "D"]
    for (label, values), colour, marker in zip(curves.items(), [BLUE, ORANGE, GREEN, PURPLE],
                                               markers, strict=False):
        ax.plot(shifts, 100 * np.asarray(values), marker=marker, color=colour, label=label)
    ax.axhline(10, color="0.4", ls=":", lw=1)
    ax.text(shifts[-1], 12, "chance: 10%", fontsize=9, color="0.3", ha="right")
    ax.set_xticks(list(shifts))
    ax.set_ylim(0, 100)
    ax.set_xlabel("shift (pixels)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title("The best MLP on test digits moved by a few pixels")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    return ax


def draw_shift(net: Network, image: np.ndarray, dx: int = 5, dy: int = 0) -> None:
    """A digit moved ``dx`` right and ``dy`` down, above the network's ten outputs."""
    column = np.asarray(image, dtype=np.float32).reshape(784, 1)
    moved = augment.shift(column, dx, dy)
    outputs = net.feedforward(moved)
    answer = int(np.argmax(outputs))
    fig = plot_answers(moved.T.reshape(1, 28, 28), outputs,
                       [f"moved ({dx:+d}, {dy:+d}): says {answer}"], columns=1)
    fig.set_size_inches(3.2, 4.2)
    plt.show()


def shift_explorer(net: Network, image: np.ndarray):
    """Sliders that move the digit; redraws :func:`draw_shift`."""
    import ipywidgets as widgets

    style = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="360px")}
    dx = widgets.IntSlider(value=5, min=-6, max=6, description="right (dx)",
                           continuous_update=False, **style)
    dy = widgets.IntSlider(value=0, min=-6, max=6, description="down (dy)",
                           continuous_update=False, **style)

    def update(dx: int, dy: int) -> None:
        draw_shift(net, image, dx, dy)

    return widgets.interactive(update, dx=dx, dy=dy)


def show_feature_maps(images: Sequence[np.ndarray], titles: Sequence[str],
                      kernel: np.ndarray, kernel_name: str) -> None:
    """Each image (28 x 28) above its cross-correlation with ``kernel`` (26 x 26).

    PuOr: purple positive, orange negative, white 0; a dashed line marks the middle.
    """
    maps = [cross_correlate(np.asarray(image, dtype=float), kernel) for image in images]
    limit = max(float(np.abs(m).max()) for m in maps) or 1.0
    n = len(images)
    fig, axes = plt.subplots(2, n, figsize=(2.6 * n, 5.2), squeeze=False)
    for k in range(n):
        axes[0, k].imshow(images[k], cmap="gray_r")
        axes[0, k].axvline(13.5, color=SKY, ls="--", lw=1)  # the middle: shows a shift
        axes[1, k].axvline(12.5, color=SKY, ls="--", lw=1)
        axes[0, k].set_title(titles[k], fontsize=9)
        shown = axes[1, k].imshow(maps[k], cmap="PuOr", vmin=-limit, vmax=limit)
        axes[1, k].set_title(f"{kernel_name}: max {maps[k].max():.2f}", fontsize=9)
    for ax in axes.ravel():
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(shown, ax=axes[1, :].tolist(), fraction=0.03, pad=0.02)
    plt.show()


def plot_fashion_confusion(matrix: np.ndarray, classes: Sequence[str]) -> None:
    """A labelled confusion matrix (rows: true class, columns: prediction), mistakes coloured."""
    matrix = np.asarray(matrix)
    mistakes = matrix.astype(float)
    np.fill_diagonal(mistakes, np.nan)
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    image = ax.imshow(mistakes, cmap="cividis", vmin=0, vmax=np.nanmax(mistakes))
    top = np.nanmax(mistakes)
    for i in range(len(classes)):
        for j in range(len(classes)):
            dark = i != j and mistakes[i, j] < 0.5 * top
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8,
                    color="white" if dark else ("0.35" if i == j else BLACK),
                    weight="bold" if i == j else "normal")
    ax.set_xticks(range(len(classes)), classes, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(classes)), classes, fontsize=8)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("Fashion-MNIST: confusion matrix on the 10,000 test images")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="number of mistakes")
    fig.tight_layout()
    plt.show()


def temporary_folder() -> Path:
    """A new empty folder for the files this notebook writes (removed when Python exits)."""
    holder = tempfile.TemporaryDirectory(prefix="course-12-")
    _FOLDERS.append(holder)
    return Path(holder.name)


_FOLDERS: list[tempfile.TemporaryDirectory] = []

# ---------------------------------------------------------------------------------------
# Exercise 1: the best recipe
# ---------------------------------------------------------------------------------------


def _unpack_recipe(answer: object) -> tuple[Network, Callable, list]:
    """The learner's ``(net, update, callbacks)``, or a Hint saying what is off."""
    if not isinstance(answer, tuple | list) or len(answer) != 3:
        raise Hint("Return three things: `return net, update, callbacks`.",
                   f"Yours returned {type(answer).__name__}"
                   + (f" with {len(answer)} items." if isinstance(answer, tuple | list) else "."))
    net, update, callbacks = answer
    if not isinstance(net, Network):
        raise Hint(f"The first thing returned should be a Network, not a {type(net).__name__}.",
                   "Build it with `Network(sizes, activation=..., cost=..., init=..., seed=...)`.")
    if not callable(update):
        raise Hint("The second thing returned should be an update rule, a function such as "
                   "the one `optim.momentum(...)` returns.")
    if not isinstance(callbacks, list | tuple):
        raise Hint("The third thing returned should be a list of callbacks, e.g. `[a, b]`.")
    return net, update, list(callbacks)


def _check_network(net: Network, hidden: int, seed: int) -> None:
    """Hints for a network that is not 784-hidden-10, ReLU, He, softmax, seeded."""
    if list(net.sizes) != [784, hidden, 10]:
        raise Hint(f"With hidden={hidden} the layer sizes should be [784, {hidden}, 10]; "
                   f"yours are {list(net.sizes)}.",
                   "Use the argument `hidden` for the hidden layer, not a fixed number.")
    if net.activation != "relu":
        raise Hint(f"The hidden layer uses {net.activation}; the recipe uses ReLU (notebook 09), "
                   "which does not saturate for large z.")
    if net.cost_name != "log_likelihood":
        raise Hint(f"The cost is {net.cost_name}; the recipe has a softmax output layer, "
                   "which goes with the log-likelihood cost (notebook 07).",
                   "The cost object is in `mlp.costs`; the softmax comes with it.")
    if net.init != "he":
        raise Hint(f"The weights start from the {net.init!r} initialisation; ReLU neurons want "
                   "He's: twice the variance of the scaled normal one, 2 / n_in.",
                   "Pass `init=` the initialiser from `mlp.init` that is named after He.")
    fresh = Network([784, hidden, 10], activation="relu", cost=costs.LOG_LIKELIHOOD,
                    init=init.he, seed=seed)
    if not all(np.array_equal(p, q) for p, q in zip(net.weights, fresh.weights, strict=True)):
        raise Hint("The network's starting weights do not follow the seed: two calls with the "
                   "same seed must give the same network.",
                   "Pass `seed=seed` to Network.")


def _momentum_of(update: Callable) -> float | str:
    """What kind of update rule ``update`` is: its momentum mu, or "adam" / "other"."""
    params = [np.zeros(3)]
    for _ in range(2):
        update(params, [np.full(3, 0.01)], 1.0)  # grads are scratch space: fresh each time
    second = float(-params[0][0])  # momentum: 0.01 + (mu * 0.01 + 0.01) = 0.01 * (2 + mu)
    if second > 1.0:
        return "adam"  # Adam's steps are about eta each, however small the gradient
    mu = second / 0.01 - 2
    return mu if -1e-6 <= mu < 1 else "other"


def _check_update(update: Callable) -> None:
    try:
        kind = _momentum_of(update)
    except Exception as exc:  # an update rule that cannot take a step
        raise Hint(f"Taking a step with your update rule raised {type(exc).__name__}: {exc}",
                   "Use the rule that `optim.momentum(...)` returns.") from None
    if kind == "adam":
        raise Hint("That looks like Adam. It works too, but it wants a learning rate about 100 "
                   f"times smaller than the eta = {ETA} this notebook trains with; use momentum "
                   f"with mu = {MU} here.")
    if kind == "other" or abs(kind) < 1e-6:
        raise Hint("Your update rule takes plain gradient-descent steps (or steps of its own); "
                   f"the recipe rolls on with momentum, mu = {MU} (notebook 09).",
                   "`mlp.optim` has a function that returns such an update rule.")
    if not np.isclose(kind, MU, atol=1e-6):
        raise Hint(f"Momentum, good, but with mu = {kind:.3g}; the recipe uses mu = {MU}.")


def _check_callbacks(callbacks: list, dropout: float) -> None:
    shifts = [c for c in callbacks if isinstance(c, augment.RandomShifts)]
    decays = [c for c in callbacks if isinstance(c, schedules.ExponentialDecay)]
    drops = [c for c in callbacks if isinstance(c, Dropout)]
    others = [type(c).__name__ for c in callbacks if c not in shifts + decays + drops]
    if len(shifts) != 1:
        raise Hint("The recipe trains on images shifted afresh every epoch: one "
                   "`augment.RandomShifts()` among the callbacks (notebook 08)."
                   if not shifts else "Shift the images once per epoch, not twice.")
    if shifts[0].max_shift != 1:
        raise Hint(f"Shifts of up to {shifts[0].max_shift} pixels; the recipe moves each image "
                   "by at most one pixel, which keeps every digit whole and centred enough.")
    if len(decays) != 1:
        raise Hint("The recipe lowers the learning rate every epoch: one "
                   "`schedules.ExponentialDecay(...)` among the callbacks (notebook 09).",
                   f"It multiplies eta by gamma = {GAMMA} at every new epoch.")
    if not np.isclose(decays[0].gamma, GAMMA):
        raise Hint(f"A schedule with gamma = {decays[0].gamma:g}; the recipe uses "
                   f"gamma = {GAMMA} (six epochs go from eta = {ETA} down to about "
                   f"{ETA * GAMMA ** (EPOCHS - 1):.3f}).")
    if dropout > 0 and (len(drops) != 1 or not np.isclose(drops[0].p, dropout)):
        raise Hint(f"Called with dropout={dropout}, the callbacks should hold one "
                   f"`Dropout({dropout})`; yours hold "
                   f"{', '.join(f'Dropout({d.p:g})' for d in drops) or 'none'}.",
                   "Use the argument `dropout`, not a fixed number.")
    if dropout == 0 and drops:
        raise Hint("Called with dropout=0, the callbacks should hold no Dropout at all.",
                   "Add the Dropout callback only `if dropout > 0`.")
    if others:
        raise Hint(f"The recipe needs no other callbacks; yours also hold {', '.join(others)}.")


@exercise("12-best-recipe", points=4)
def check_build_best(build_best: Callable) -> str:
    """Exercise 1: ``build_best(hidden, dropout, seed)`` returns the recipe's three parts."""
    for hidden, dropout, seed in ((30, 0.0, 3), (50, 0.25, 4)):
        answer = call_learner(
            build_best, hidden, dropout, seed, name="build_best",
            hint=f"The check called build_best(hidden={hidden}, dropout={dropout}, seed={seed}).")
        net, update, callbacks = _unpack_recipe(answer)
        _check_network(net, hidden, seed)
        _check_update(update)
        _check_callbacks(callbacks, dropout)
    return ("Every part of the recipe is in place: ReLU with He's starting weights, a softmax "
            "output with the log-likelihood cost, momentum, shifted images and a decaying "
            "learning rate (and dropout when asked). Below, the course's copy trains it.")


# ---------------------------------------------------------------------------------------
# Exercise 2: the same network?
# ---------------------------------------------------------------------------------------


def _pairs() -> list[tuple[str, Network, Network, bool]]:
    """(what differs, a, b, same?) for the check of ``same_network``."""
    def net(sizes=(6, 4, 3), activation="relu", cost=costs.LOG_LIKELIHOOD, seed=0):
        return Network(list(sizes), activation=activation, cost=cost, init=init.he, seed=seed)

    a = net()
    copy = net()
    other_bias = net()
    other_bias.biases[1] = other_bias.biases[1] + 0.5
    other_weight = net()
    w = other_weight.weights[0]
    w[2, 3] = np.nextafter(w[2, 3], np.float32(np.inf))  # the smallest change float32 can make
    as_float64 = net()
    as_float64.weights = [w.astype(np.float64) for w in as_float64.weights]
    as_float64.biases = [b.astype(np.float64) for b in as_float64.biases]
    return [
        ("an identical copy", a, copy, True),
        ("the same values stored as float64", a, as_float64, True),
        ("one bias layer changed", a, other_bias, False),
        ("one weight changed in its last bit", a, other_weight, False),
        ("different activations (relu and sigmoid)", a, net(activation="sigmoid"), False),
        ("different costs", a, net(cost=costs.CROSS_ENTROPY), False),
        ("different sizes ([6, 4, 3] and [6, 5, 3])", a, net(sizes=(6, 5, 3)), False),
        ("different seeds", a, net(seed=1), False),
    ]


@exercise("12-same-network", points=2)
def check_same_network(same_network: Callable) -> str:
    """Exercise 2: ``same_network(a, b)`` is True exactly for networks that compute the same."""
    for what, a, b, expected in _pairs():
        got = call_learner(same_network, a, b, name="same_network",
                           hint=f"The check compared two networks with {what}.")
        if not isinstance(got, bool | np.bool_):
            raise Hint(f"same_network should return True or False, not a {type(got).__name__}.",
                       "`all(...)` and `np.array_equal(...)` both give a single True or False.")
        if bool(got) != expected:
            if what.startswith("one bias"):
                raise Hint("Two networks whose weights agree but one layer of biases differs "
                           "are not the same: the biases are parameters too.",
                           "Compare `a.biases` as well as `a.weights`, layer by layer.")
            if what.startswith("different sizes"):
                raise Hint("Networks of different sizes should not count as the same.",
                           "Compare `a.sizes` first: arrays of different shapes are never equal.")
            if what.startswith(("different activations", "different costs")):
                raise Hint(f"For {what}, same_network said True. The same weights with another "
                           "activation or cost compute something else.",
                           "Compare `a.activation` and `a.cost_name` too.")
            if what.startswith("one weight"):
                raise Hint("Two networks that differ in the last bit of one weight came out "
                           "the same. Compare exactly: a tolerance such as np.allclose lets small "
                           "changes through, and a saved file keeps every bit anyway.")
            raise Hint(f"For two networks with {what}, same_network said {bool(got)}, "
                       f"expected {expected}.")
    return ("Right for identical copies, for the same values in float64, and for networks that "
            "differ in a bias, one weight, activation, cost, sizes or seed.")


# ---------------------------------------------------------------------------------------
# Exercise 4: accuracy of shifted digits
# ---------------------------------------------------------------------------------------

SHIFT_CHECK = (0, 2, 5, -3)
SHIFT_IMAGES = 2000  # the first test images the check measures on


@functools.cache
def _test_images() -> tuple[np.ndarray, np.ndarray]:
    from mlp.data import load_mnist, to_columns

    images, labels = load_mnist("test", progress=False)
    return to_columns(images[:SHIFT_IMAGES]), labels[:SHIFT_IMAGES]


def _rolled(net: Network, x: np.ndarray, labels: np.ndarray, shifts, axis: int) -> np.ndarray:
    """Accuracies with np.roll, which wraps pixels around the edge (a common mistake)."""
    images = x.T.reshape(-1, 28, 28)
    return np.array([np.mean(net.predict(np.roll(images, d, axis=axis).reshape(-1, 784).T)
                             == labels) for d in shifts])


@exercise("12-shift-accuracy", points=3)
def check_accuracy_by_shift(accuracy_by_shift: Callable, net: Network) -> str:
    """Exercise 4: the accuracy of ``net`` on test images moved right by each shift."""
    x, labels = _test_images()
    got = call_learner(
        accuracy_by_shift, net, x, labels, SHIFT_CHECK, name="accuracy_by_shift",
        hint=f"The check called accuracy_by_shift(net, x, labels, shifts={SHIFT_CHECK}) with the "
        f"first {SHIFT_IMAGES} test images (x of shape {x.shape}).")
    got = as_array(got, "accuracy_by_shift(...)", shape=(len(SHIFT_CHECK),))
    expected = accuracy_by_shift_reference(net, x, labels, SHIFT_CHECK)
    if np.allclose(got, expected, atol=1e-9):
        return (f"Right for every shift the check tried ({', '.join(map(str, SHIFT_CHECK))} "
                f"pixels) on the first {SHIFT_IMAGES} test images.")
    if np.allclose(got, 100 * expected, atol=1e-6):
        raise Hint("Those are percentages; return fractions between 0 and 1, as "
                   "`mlp.metrics.accuracy` does.")
    if np.allclose(got, expected * len(labels), atol=1e-6):
        raise Hint("Those are counts of correct answers; divide by the number of images.")
    if np.allclose(got, _rolled(net, x, labels, SHIFT_CHECK, axis=2), atol=1e-9):
        raise Hint("np.roll wraps the pixels that leave on one side round to the other. A moved "
                   "digit should get blank (0) pixels where it left.",
                   "`augment.shift(x, dx, dy)` shifts whole columns of images and fills with 0.")
    if np.allclose(got, accuracy_by_shift_reference(net, x, labels, SHIFT_CHECK, down=True),
                   atol=1e-9):
        raise Hint("Your digits moved down; the exercise moves them to the right (dx).")
    flipped = accuracy_by_shift_reference(net, x, labels, [-d for d in SHIFT_CHECK])
    if np.allclose(got, flipped, atol=1e-9):
        raise Hint("Your digits moved left for positive shifts; a positive dx moves right.")
    raise Hint(f"For shifts {SHIFT_CHECK} you returned {np.round(got, 4).tolist()}, expected "
               f"{np.round(expected, 4).tolist()}.",
               "For each shift d: move every image right by d, let the network predict, and "
               "count the fraction of predictions equal to the labels.")


def accuracy_by_shift_reference(net: Network, x: np.ndarray, labels: np.ndarray,
                                shifts: Sequence[int], down: bool = False) -> np.ndarray:
    """Like :func:`accuracy_by_shift`; ``down=True`` moves the images down instead."""
    return np.array([np.mean(net.predict(augment.shift(x, 0, d) if down
                                         else augment.shift(x, d, 0)) == labels)
                     for d in shifts])


# ---------------------------------------------------------------------------------------
# Exercise 5: cross-correlation
# ---------------------------------------------------------------------------------------

_RNG = np.random.default_rng(12)
_CONV_IMAGE = _RNG.random((28, 28))
_CONV_KERNEL = np.array([[1.0, 2.0, 0.0], [-1.0, 0.5, 3.0], [0.0, -2.0, 1.0]])  # no symmetry


@exercise("12-cross-correlate", points=3)
def check_cross_correlate(cross_correlate: Callable) -> str:
    """Exercise 5: the valid cross-correlation of a 28 x 28 image with a 3 x 3 kernel."""
    image, kernel = _CONV_IMAGE.copy(), _CONV_KERNEL.copy()
    got = call_learner(cross_correlate, image, kernel, name="cross_correlate",
                       hint="The check called cross_correlate(image, kernel) with a random "
                       "28 x 28 image and a 3 x 3 kernel.")
    if not (np.array_equal(image, _CONV_IMAGE) and np.array_equal(kernel, _CONV_KERNEL)):
        raise Hint("Your function changed the image or the kernel it was given; compute the "
                   "result in a new array.")
    got = as_array(got, "cross_correlate(image, kernel)")
    expected = _correlate(_CONV_IMAGE, _CONV_KERNEL)
    if got.shape == (28, 28):
        raise Hint("Your map is 28 x 28. Without padding the 3 x 3 window fits in 26 positions "
                   "along each side (28 - 3 + 1), so the map is 26 x 26.")
    if got.shape in ((25, 25), (27, 27)):
        raise Hint(f"Your map is {got.shape[0]} x {got.shape[1]}: the window's top-left corner "
                   "runs over rows (and columns) 0 to 25, that is 28 - 3 + 1 = 26 positions.",
                   "Count the positions where a 3-pixel window still fits in 28 pixels.")
    if got.shape != (26, 26):
        raise Hint(f"The result should have shape (26, 26); yours has shape {got.shape}.")
    if np.allclose(got, expected):
        return ("A 26 x 26 map: each entry is the sum of the 9 pixels under the kernel, weighted "
                "by it. This is what deep-learning libraries call a convolution.")
    flipped = _correlate(_CONV_IMAGE, _CONV_KERNEL[::-1, ::-1])
    if np.allclose(got, flipped):
        raise Hint("You flipped the kernel: that is the convolution of mathematics. Neural "
                   "networks slide the kernel as it is (cross-correlation), and learn it "
                   "anyway, so the flip does not matter to them; but here it should not be "
                   "flipped.")
    if np.allclose(got, _correlate(_CONV_IMAGE, _CONV_KERNEL.T)) or \
            np.allclose(got, expected.T):
        raise Hint("Rows and columns are swapped somewhere: entry (i, j) covers rows i to i+2 "
                   "and columns j to j+2 of the image.")
    windows = np.lib.stride_tricks.sliding_window_view(_CONV_IMAGE, (3, 3))
    if np.allclose(got, (windows @ _CONV_KERNEL).sum(axis=(2, 3))):
        raise Hint("You multiplied each window by the kernel as matrices (`@`). Here each pixel "
                   "is multiplied by the kernel entry on top of it, element by element, and "
                   "the 9 products are added.")
    raise Hint("The shape is right but the numbers are not.",
               "Each entry is the sum of 9 products, each pixel of the window times the kernel "
               "entry on top of it: element by element, not a matrix product.")


# ---------------------------------------------------------------------------------------
# Exercise 3: the pair of classes mixed up most often
# ---------------------------------------------------------------------------------------


@exercise("12-fashion-pair", points=1)
def check_confused_pair(confused_pair: object, matrix: np.ndarray,
                        classes: Sequence[str]) -> str:
    """Exercise 3: the two classes most often mistaken for each other, both directions."""
    if not isinstance(confused_pair, tuple | list | set | frozenset) or len(confused_pair) != 2:
        raise Hint("Give two class names, e.g. `(\"Coat\", \"Bag\")`.")
    names = set(confused_pair)
    unknown = [n for n in names if n not in classes]
    if unknown:
        raise Hint(f"{unknown[0]!r} is not a class name; the names are in FASHION_CLASSES.",
                   "FASHION_CLASSES[k] is the name of label k.")
    matrix = np.asarray(matrix)
    both = matrix + matrix.T
    np.fill_diagonal(both, -1)
    i, j = np.unravel_index(int(np.argmax(both)), both.shape)
    if names == {classes[i], classes[j]}:
        return (f"{classes[i]} and {classes[j]}: the largest number of test images taken "
                "for each other, counting both directions.")
    if len(names) == 1:
        raise Hint("Two different classes: the diagonal holds the correct answers.")
    one_way = matrix.copy()
    np.fill_diagonal(one_way, -1)
    a, b = np.unravel_index(int(np.argmax(one_way)), one_way.shape)
    if names == {classes[a], classes[b]}:
        raise Hint("That is the largest count in one direction. Count both: A taken for B "
                   "and B taken for A.",
                   "Add the matrix to its transpose before looking for the largest entry.")
    raise Hint("Those two are not the pair mixed up most often.",
               "Entry (i, j) counts images of class i taken for class j; add the counts of "
               "(i, j) and (j, i) and look for the largest.")
