"""Helpers for notebook 08 (overfitting and regularisation): measurements, pictures, widgets,
the course's own answers and the exercise checks.

The experiments follow the section "Overfitting and regularization" of chapter 3 of Michael
Nielsen's *Neural Networks and Deep Learning*,
http://neuralnetworksanddeeplearning.com/chap3.html. The book trains 784-30-10 on the first
1,000 training images for 400 epochs; the notebook runs 200 (to stay quick), and

    .venv/bin/python -m course.nb08

runs the book's 400 epochs, with and without L2 regularisation, and prints what it measured.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, as_int, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb08.show_answer
from course.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, VERMILLION
from mlp.augment import rotate, shift
from mlp.network import Network
from mlp.train import Run, evaluate

#: The book's overfitting experiment (Nielsen ch3): 784-30-10, cross-entropy, N(0, 1)
#: weights, the first 1,000 training images, mini-batches of 10, eta = 0.5.
SMALL, BATCH, ETA = 1000, 10, 0.5

# ---------------------------------------------------------------------------------------
# Measuring while training
# ---------------------------------------------------------------------------------------


class Measure:
    """Callback for ``mlp.train.sgd``: cost and accuracy on named data every few epochs.

    Measuring 10,000 test images takes longer than an epoch on 1,000 training images, so
    this measures only after every ``every``-th epoch (and after the last). The cost of
    ``"training"`` includes the penalty, as in ``sgd``'s own history.

    Attributes
    ----------
    epochs : list of int
        The epochs measured.
    cost, accuracy : dict of str -> list of float
        One list per name, one value per measured epoch.
    """

    def __init__(self, every: int, **data: tuple[np.ndarray, np.ndarray]) -> None:
        self.every, self.data = every, data
        self.epochs: list[int] = []
        self.cost: dict[str, list[float]] = {name: [] for name in data}
        self.accuracy: dict[str, list[float]] = {name: [] for name in data}

    def epoch_end(self, run: Run) -> None:
        if run.epoch % self.every and run.epoch != run.epochs:
            return
        self.epochs.append(run.epoch)
        for name, data in self.data.items():
            cost, accuracy = evaluate(run.net, data)
            if name == "training" and run.penalty is not None:
                cost += run.penalty.cost(run.net.weights, run.n)
            self.cost[name].append(cost)
            self.accuracy[name].append(accuracy)

    def at(self, epoch: int, name: str = "test") -> float:
        """The accuracy on ``name`` measured after ``epoch``."""
        return self.accuracy[name][self.epochs.index(epoch)]


# ---------------------------------------------------------------------------------------
# The course's own answers (the notebook uses these after each exercise)
# ---------------------------------------------------------------------------------------


def stop_epoch(accuracies: Sequence[float], patience: int) -> int:
    """The epoch (from 1) after which the no-improvement-in-``patience`` rule stops training.

    Training stops once ``patience`` epochs in a row have not beaten the best validation
    accuracy so far (strictly); if that never happens, it runs to the last epoch.
    """
    best, best_epoch = -math.inf, 0
    for epoch, accuracy in enumerate(accuracies, start=1):
        if accuracy > best:
            best, best_epoch = accuracy, epoch
        elif epoch - best_epoch >= patience:
            return epoch
    return len(accuracies)


def l2_step(weights, biases, nabla_w, nabla_b, eta, lmbda, n):
    """One gradient step on the L2-regularised cost (Nielsen eq. 93): new (weights, biases)."""
    shrink = 1 - eta * lmbda / n
    new_weights = [shrink * w - eta * nw for w, nw in zip(weights, nabla_w, strict=True)]
    new_biases = [b - eta * nb for b, nb in zip(biases, nabla_b, strict=True)]
    return new_weights, new_biases


def dropout_mask(n_neurons: int, m: int, p: float, rng: np.random.Generator) -> np.ndarray:
    """Inverted-dropout mask ``(n_neurons, m)``: 0 with probability p, else 1/(1 - p)."""
    keep = rng.random((n_neurons, m)) >= p
    return keep / (1 - p)


# ---------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------


def plot_overfitting(measures: dict[str, Measure], book: dict[str, float] | None = None) -> None:
    """Training cost, test cost and test accuracy against the epoch, one line per run.

    ``book`` maps a label to an accuracy of the book's, drawn as a dotted black line.
    """
    fig, axes = plt.subplots(1, 3, figsize=(14, 3.6))
    for (label, measure), colour in zip(measures.items(), [BLUE, ORANGE, GREEN, PURPLE],
                                        strict=False):
        axes[0].plot(measure.epochs, measure.cost["training"], color=colour, lw=2, label=label)
        axes[1].plot(measure.epochs, measure.cost["test"], color=colour, lw=2, label=label)
        axes[2].plot(measure.epochs, 100 * np.array(measure.accuracy["test"]), color=colour,
                     lw=2, label=label)
    for (label, accuracy), style in zip((book or {}).items(), [":", "--"], strict=False):
        axes[2].axhline(100 * accuracy, color=BLACK, lw=1.2, ls=style, label=label)
    titles = ("cost on the 1,000 training images", "cost on the 10,000 test images",
              "accuracy on the 10,000 test images (%)")
    for ax, title in zip(axes, titles, strict=True):
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()


def draw_early_stopping(measure: Measure, patience: int = 4) -> None:
    """Validation and test accuracy, and where the no-improvement rule would stop."""
    epochs = np.array(measure.epochs)
    validation = 100 * np.array(measure.accuracy["validation"])
    test = 100 * np.array(measure.accuracy["test"])
    stop = stop_epoch(validation, patience)  # counted in measurements, not epochs
    best = int(np.argmax(validation[:stop]))
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.plot(epochs, validation, color=BLUE, lw=2, label="validation (10,000 held-out images)")
    ax.plot(epochs, test, color=ORANGE, lw=1.5, ls="--", label="test")
    ax.axvline(epochs[stop - 1], color=VERMILLION, lw=1.5, ls=":")
    ax.plot(epochs[best], validation[best], "o", color=BLACK, label="kept: the best so far")
    ax.set_title(f"patience {patience} measurements: stop after epoch {epochs[stop - 1]}, "
                 f"keep epoch {epochs[best]} (test {test[best]:.1f}%)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy (%)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    plt.show()


def patience_explorer(measure: Measure):
    """A slider for the patience of :func:`draw_early_stopping`."""
    import ipywidgets as widgets

    patience = widgets.IntSlider(value=4, min=1, max=20, description="patience",
                                 continuous_update=False)
    return widgets.interactive(lambda patience: draw_early_stopping(measure, patience),
                               patience=patience)


def plot_polynomial_fits(seed: int = 3) -> None:
    """Nielsen's toy: ten noisy points on a line, fitted by a line and by a 9th-degree
    polynomial through every point."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0.5, 5, 10)
    y = 2 * x + rng.normal(0, 0.6, size=x.size)
    grid = np.linspace(0.3, 5.2, 400)
    line = np.polynomial.Polynomial.fit(x, y, 1)
    wiggly = np.polynomial.Polynomial.fit(x, y, 9)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharey=True)
    for ax, fit, title in ((axes[0], wiggly, "9th degree: through every point"),
                           (axes[1], line, "a straight line: close to every point")):
        ax.plot(x, y, "o", color=BLACK, label="data")
        ax.plot(grid, fit(grid), color=BLUE if fit is line else VERMILLION, lw=2, label="fit")
        ax.set_title(title)
        ax.set_xlabel("$x$")
        ax.set_ylim(-5, 20)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("$y$")
    fig.tight_layout()
    plt.show()


def plot_weight_histograms(weights: dict[str, np.ndarray]) -> None:
    """Histograms of the first layer's weights of each network, on a log count scale."""
    fig, ax = plt.subplots(figsize=(8, 3.6))
    bins = np.linspace(-3, 3, 121)
    for (label, w), colour in zip(weights.items(), [BLUE, ORANGE, GREEN], strict=False):
        ax.hist(np.ravel(w), bins=bins, histtype="step", lw=2, color=colour, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("weight (first layer, 784 x 30 = 23,520 weights)")
    ax.set_ylabel("how many (log scale)")
    ax.legend(fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    plt.show()


def plot_weight_images(weights: dict[str, np.ndarray], neurons: Sequence[int]) -> None:
    """The incoming weights of a few hidden neurons of each network as 28 x 28 pictures."""
    fig, axes = plt.subplots(len(weights), len(neurons),
                             figsize=(1.6 * len(neurons), 1.75 * len(weights)), squeeze=False)
    for row, (label, w) in enumerate(weights.items()):
        for ax, j in zip(axes[row], neurons, strict=True):
            limit = float(np.abs(w[j]).max()) or 1.0
            ax.imshow(w[j].reshape(28, 28), cmap="PuOr_r", vmin=-limit, vmax=limit)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[row, 0].set_ylabel(label, fontsize=9)
    fig.tight_layout()
    plt.show()


def plot_mask(mask: np.ndarray, p: float) -> None:
    """A dropout mask: hidden neurons down, examples of the mini-batch across."""
    fig, ax = plt.subplots(figsize=(5, 3.4))
    ax.imshow(mask, cmap="cividis", aspect="auto", vmin=0)
    ax.set_xlabel("example in the mini-batch")
    ax.set_ylabel("hidden neuron")
    ax.set_title(f"p = {p}: dark = dropped, light = kept and scaled by {1 / (1 - p):.2f}",
                 fontsize=10)
    fig.tight_layout()
    plt.show()


def draw_transformed(image: np.ndarray, nets: dict[str, Network], dx: int = 0, dy: int = 0,
                     degrees: float = 0.0) -> None:
    """``image`` (784,) shifted and turned, and each network's ten outputs for it."""
    column = rotate(shift(np.asarray(image, dtype=np.float32).reshape(784, 1), dx, dy), degrees)
    fig, axes = plt.subplots(1, 1 + len(nets), figsize=(3.2 * (1 + len(nets)), 2.9),
                             gridspec_kw={"width_ratios": [0.8] + [1] * len(nets)})
    axes[0].imshow(column.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    axes[0].set_title(f"dx = {dx}, dy = {dy}, {degrees:g}°", fontsize=10)
    axes[0].set_xticks([])
    axes[0].set_yticks([])
    for ax, (label, net) in zip(axes[1:], nets.items(), strict=True):
        out = net.feedforward(column).ravel()
        winner = int(np.argmax(out))
        colours = [ORANGE if d == winner else BLUE for d in range(10)]
        ax.bar(range(10), out, color=colours)
        ax.set_xticks(range(10))
        ax.set_ylim(0, 1)
        ax.set_title(f"{label}: says {winner}", fontsize=10)
    fig.tight_layout()
    plt.show()


def transform_explorer(image: np.ndarray, nets: dict[str, Network]):
    """Sliders that shift and turn ``image`` in front of the networks (:func:`draw_transformed`)."""
    import ipywidgets as widgets

    def slider(description: str, low: int, high: int, step: int = 1):
        return widgets.IntSlider(value=0, min=low, max=high, step=step,
                                 description=description, continuous_update=False)

    return widgets.interactive(
        lambda dx, dy, degrees: draw_transformed(image, nets, dx, dy, degrees),
        dx=slider("right (dx)", -4, 4), dy=slider("down (dy)", -4, 4),
        degrees=slider("turn (°)", -45, 45, 5),
    )


# ---------------------------------------------------------------------------------------
# Exercise checks
# ---------------------------------------------------------------------------------------

#: Validation curves for exercise 1 and the epoch at which training stops, per patience.
STOP_CASES = [
    ([0.80, 0.82, 0.81, 0.83, 0.83, 0.82, 0.84, 0.83, 0.82, 0.82, 0.81], 3),
    ([0.80, 0.82, 0.81, 0.83, 0.83, 0.82, 0.84, 0.83, 0.82, 0.82, 0.81], 2),
    ([0.50, 0.60, 0.70, 0.80], 2),
    ([0.90, 0.85, 0.80, 0.75, 0.70], 1),
    ([0.70, 0.70, 0.70, 0.71, 0.70, 0.70], 2),
]


def _stop_with_ties(accuracies: Sequence[float], patience: int) -> int:
    """What the rule gives if an accuracy equal to the best counts as an improvement."""
    best, best_epoch = -math.inf, 0
    for epoch, accuracy in enumerate(accuracies, start=1):
        if accuracy >= best:
            best, best_epoch = accuracy, epoch
        elif epoch - best_epoch >= patience:
            return epoch
    return len(accuracies)


@exercise("08-early-stopping", points=2)
def check_stop_epoch(learner_stop_epoch: Callable) -> str:
    """Exercise 1: ``stop_epoch(accuracies, patience)`` on a few curves."""
    for accuracies, patience in STOP_CASES:
        answer = call_learner(
            learner_stop_epoch, list(accuracies), patience, name="stop_epoch",
            hint=f"The check called stop_epoch({accuracies}, {patience}).",
        )
        got = as_int(answer, "what stop_epoch returned")
        expected = stop_epoch(accuracies, patience)
        if got == expected:
            continue
        shown = f"stop_epoch({accuracies}, patience={patience}) returned {got}, not {expected}."
        best_epoch = int(np.argmax(accuracies)) + 1
        if got == _stop_with_ties(accuracies, patience):
            raise Hint(f"{shown} An accuracy equal to the best so far is not an improvement.",
                       "Use a strict comparison when you update the best accuracy.")
        if got == best_epoch and expected != len(accuracies):
            raise Hint(f"{shown} That is the best epoch, the one to keep; the question is when "
                       "training notices and stops.",
                       "Training stops `patience` epochs after the best one (if no better one "
                       "comes).")
        if expected == len(accuracies):
            raise Hint(f"{shown} If the rule never fires, training runs to the end: return "
                       "the number of epochs.")
        if abs(got - expected) == 1:
            raise Hint(f"{shown} One epoch {'early' if got < expected else 'late'}. Epochs are "
                       f"counted from 1, and with patience {patience} training stops once "
                       f"{patience} epochs in a row have brought nothing better.",
                       "Count the epochs since the best one (enumerate(accuracies, start=1) "
                       "numbers them from 1) and stop when that count reaches `patience`.")
        raise Hint(f"{shown}",
                   "Keep the best accuracy so far and its epoch; at each later epoch that is "
                   "not better, check how many epochs have passed since the best one.")
    return ("Right on every curve. This is the rule of mlp.regularization.EarlyStopping "
            "(Nielsen calls it no-improvement-in-n): keep the network of the best epoch, and "
            "choose n by how noisy the curve is.")


def _small_network(seed: int = 0) -> tuple[list, list, list, list]:
    """Weights, biases and gradients of a 4-3-2 network for exercise 2, in float64."""
    rng = np.random.default_rng(seed)
    shapes = [(3, 4), (2, 3)]
    weights = [rng.standard_normal(s) for s in shapes]
    biases = [rng.standard_normal((s[0], 1)) for s in shapes]
    nabla_w = [rng.standard_normal(s) for s in shapes]
    nabla_b = [rng.standard_normal((s[0], 1)) for s in shapes]
    return weights, biases, nabla_w, nabla_b


L2_CASE = {"eta": 0.5, "lmbda": 20.0, "n": 100}  # eta * lmbda / n = 0.1: easy to see


def _as_arrays(value: object, like: list[np.ndarray], name: str) -> list[np.ndarray]:
    if not isinstance(value, (list, tuple)) or len(value) != len(like):
        raise Hint("l2_step should return two lists, `new_weights, new_biases`, each with "
                   f"{len(like)} arrays (one per layer); your {name} is a "
                   f"{type(value).__name__}"
                   + (f" of length {len(value)}." if isinstance(value, (list, tuple)) else "."))
    return [as_array(v, f"{name}[{l}]", shape=w.shape) for l, (v, w) in enumerate(
        zip(value, like, strict=True))]


@exercise("08-l2-step", points=3)
def check_l2_step(learner_l2_step: Callable) -> str:
    """Exercise 2: one step with weight decay, ``w <- (1 - eta lmbda/n) w - eta nabla_w``."""
    weights, biases, nabla_w, nabla_b = _small_network()
    copies = [[a.copy() for a in arrays] for arrays in (weights, biases, nabla_w, nabla_b)]
    eta, lmbda, n = L2_CASE["eta"], L2_CASE["lmbda"], L2_CASE["n"]
    answer = call_learner(
        learner_l2_step, *copies, eta, lmbda, n, name="l2_step",
        hint=f"The check called l2_step(weights, biases, nabla_w, nabla_b, eta={eta}, "
        f"lmbda={lmbda}, n={n}) for a 4-3-2 network.",
    )
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Hint("Return two lists: `return new_weights, new_biases`.")
    new_w = _as_arrays(answer[0], weights, "new_weights")
    new_b = _as_arrays(answer[1], biases, "new_biases")

    def close(got: list, expected: list) -> bool:
        return all(np.allclose(g, e, rtol=1e-6, atol=1e-9) for g, e in zip(got, expected,
                                                                          strict=True))

    want_w, want_b = l2_step(weights, biases, nabla_w, nabla_b, eta, lmbda, n)
    plain_b = [b - eta * nb for b, nb in zip(biases, nabla_b, strict=True)]
    if close(new_w, want_w) and close(new_b, want_b):
        return (f"Every weight shrank by the factor 1 - ηλ/n = {1 - eta * lmbda / n:g} before "
                "the usual step; the biases took the usual step only. That is Nielsen's "
                "equation 93 and mlp.regularization.L2.decay.")

    def weights_with(factor: float, after: bool = False) -> list:
        if after:
            return [factor * (w - eta * nw) for w, nw in zip(weights, nabla_w, strict=True)]
        return [factor * w - eta * nw for w, nw in zip(weights, nabla_w, strict=True)]

    if close(new_w, weights_with(1.0)):
        raise Hint("Your weights took the ordinary gradient step: λ plays no part yet.",
                   "Differentiate the penalty λ/(2n) Σ w² with respect to one weight and add "
                   "that to the gradient.")
    if close(new_w, want_w) and close(new_b, [(1 - eta * lmbda / n) * b - eta * nb
                                                for b, nb in zip(biases, nabla_b, strict=True)]):
        raise Hint("The weights are right, but the biases shrank too.",
                   "The penalty sums over the weights only: its derivative with respect to a "
                   "bias is 0.")
    if not close(new_b, plain_b):
        raise Hint("The biases should take the ordinary gradient step, b - η ∇b.")
    if close(new_w, weights_with(1 - eta * lmbda / (2 * n))):
        raise Hint("The weights shrink by half as much as they should.",
                   "The derivative of w²/2 is w: the ½ in λ/(2n) cancels.")
    if close(new_w, weights_with(1 - eta * lmbda)) or close(new_w, weights_with(1 - lmbda / n)):
        raise Hint("The shrinking factor is not 1 - ηλ/n.",
                   "The penalty's gradient is (λ/n) w, and a step multiplies a gradient by η.")
    if close(new_w, weights_with(1 + eta * lmbda / n)):
        raise Hint("Your weights grow: a step goes *against* the gradient of the penalty.")
    if close(new_w, weights_with(1 - eta * lmbda / n, after=True)):
        raise Hint("You shrink the weights after the gradient step; equation 93 shrinks the "
                   "old weights and then takes the step.",
                   "Both terms use the weights from before the step: (1 - ηλ/n) w - η ∇w.")
    raise Hint("The new weights are not (1 - ηλ/n) w - η ∇w.",
               "Do it one layer at a time: zip(weights, nabla_w).")


@exercise("08-lmbda-full", points=1)
def check_lmbda_full(lmbda_full: float) -> str:
    """Exercise 3: the lambda for 50,000 images with the same decay per step as 0.1 for 1,000."""
    value = as_float(lmbda_full, "lmbda_full")
    if np.isclose(value, 5.0, rtol=1e-3):
        return ("λ = 5.0: ηλ/n = 0.5 × 5 / 50,000 = 0.5 × 0.1 / 1,000 = 5 × 10⁻⁵, the same "
                "shrinking per step. That is the λ of the book's (and the README's) 98% run.")
    if np.isclose(value, 0.1):
        raise Hint("With the same λ, the factor 1 - ηλ/n is much closer to 1 when n is 50 "
                   "times larger: the weights would hardly shrink.",
                   "Keep λ/n the same.")
    if np.isclose(value, 0.002) or np.isclose(value, 0.1 / 60):
        raise Hint("That makes λ/n smaller still: n grows, so λ must grow with it.")
    if np.isclose(value, 6.0):
        raise Hint("The training set is 50,000 images: the other 10,000 are the validation "
                   "set.")
    raise Hint(f"With λ = {value:g} and n = 50,000, ηλ/n = {0.5 * value / 50_000:.3g}; with "
               f"λ = 0.1 and n = 1,000 it is {0.5 * 0.1 / 1000:.3g}.",
               "Keep λ/n the same: solve λ / 50,000 = 0.1 / 1,000.")


@exercise("08-l1-epochs", points=1)
def check_l1_epochs(epochs_to_zero: float) -> str:
    """Exercise 4: epochs until L1 takes an unused weight of 0.5 to 0 (eta .5, lmbda .1, n 1000)."""
    value = as_float(epochs_to_zero, "epochs_to_zero")
    step = ETA * 0.1 / SMALL  # how far L1 moves a weight per mini-batch
    per_epoch = SMALL // BATCH
    expected = 0.5 / step / per_epoch
    if abs(value - expected) <= 1:
        return (f"{expected:g} epochs: each mini-batch moves the weight ηλ/n = {step:g} towards "
                f"0, and an epoch has {per_epoch} mini-batches. Under L2 the same weight would "
                f"still be 0.5 × (1 - {step:g})^{int(expected * per_epoch)} ≈ "
                f"{0.5 * (1 - step) ** (expected * per_epoch):.2f}: it shrinks but never "
                "reaches 0.")
    if np.isclose(value, expected * per_epoch):
        raise Hint(f"{value:g} is the number of mini-batch steps; the question asks for epochs.",
                   f"1,000 images in mini-batches of 10 make {per_epoch} steps per epoch.")
    if np.isclose(value, expected / BATCH):
        raise Hint("Each mini-batch is one step, and an epoch has 1,000 / 10 of them.")
    if np.isclose(value, 0.5 / (0.1 / SMALL) / per_epoch):
        raise Hint("The step multiplies the penalty's gradient by the learning rate η = 0.5.")
    raise Hint("Each mini-batch the L1 term moves the weight by ηλ/n towards 0, whatever its "
               "size.",
               "How many such steps make 0.5? Then divide by the mini-batches per epoch.")


DROPOUT_SIZE = (200, 500)


@exercise("08-dropout-mask", points=3)
def check_dropout_mask(learner_dropout_mask: Callable) -> str:
    """Exercise 5: ``dropout_mask(n_neurons, m, p, rng)`` with inverted scaling."""
    n_neurons, m = DROPOUT_SIZE
    p = 0.3

    def call(p: float, seed: int) -> np.ndarray:
        value = call_learner(
            learner_dropout_mask, n_neurons, m, p, np.random.default_rng(seed),
            name="dropout_mask",
            hint=f"The check called dropout_mask({n_neurons}, {m}, {p}, rng) with "
            "rng = np.random.default_rng(seed).",
        )
        return as_array(value, "the mask", shape=(n_neurons, m))

    mask = call(p, 1)
    dropped = float(np.mean(mask == 0))
    kept = mask[mask != 0]
    if kept.size and np.allclose(kept, 1.0):
        raise Hint("The neurons you keep have mask 1. With inverted dropout they count for "
                   "more while training, so that the full network needs no change afterwards.",
                   "Divide the kept entries by the probability of keeping a neuron.")
    if kept.size and np.allclose(kept, 1 - p):
        raise Hint(f"The kept entries are {1 - p:g}: multiplied by the probability of keeping "
                   "a neuron, where they should be divided by it.")
    if not kept.size or not np.allclose(kept, 1 / (1 - p)):
        raise Hint(f"The mask should hold only 0 and 1/(1 - p) = {1 / (1 - p):.4g}; yours "
                   f"holds values between {mask.min():.3g} and {mask.max():.3g}.",
                   "Draw one uniform random number per entry with rng.random, compare it with p.")
    if np.all(mask == mask[:, :1]):
        raise Hint("Every example of the mini-batch gets the same mask.",
                   f"Draw a separate random number for every entry of the ({n_neurons}, {m}) "
                   "mask.")
    if np.all(mask == mask[:1, :]):
        raise Hint("Every hidden neuron gets the same mask row: each must be dropped on its "
                   "own.")
    if abs(dropped - (1 - p)) < 0.02:
        raise Hint(f"About {dropped:.0%} of your mask is 0, but p = {p} is the probability of "
                   "*dropping* a neuron.",
                   "A neuron stays when its random number is at least p.")
    if abs(dropped - p) > 0.02:
        raise Hint(f"About {dropped:.0%} of your mask is 0; with p = {p} it should be about "
                   f"{p:.0%}.",
                   "Compare one uniform random number per entry with p.")
    if not np.array_equal(mask, call(p, 1)):
        raise Hint("Two calls with generators made from the same seed gave different masks.",
                   "Use the generator `rng` you are given (rng.random), not np.random.")
    if np.array_equal(mask, call(p, 2)):
        raise Hint("Generators made from different seeds gave the same mask: use `rng`.")
    if not np.all(call(0.0, 3) == 1):
        raise Hint("With p = 0 nothing is dropped, so every entry of the mask should be 1.")
    return (f"{dropped:.1%} of the entries are 0 (p = {p}) and the others {1 / (1 - p):.4g}, "
            f"so the mask's mean is {mask.mean():.3f} ≈ 1: on average a neuron passes on what "
            "it would without dropout.")


# ---------------------------------------------------------------------------------------
# The book's 400 epochs, from the command line
# ---------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    """Nielsen's overfitting experiment in full: 400 epochs on 1,000 images, λ = 0 and 0.1."""
    from mlp.costs import CROSS_ENTROPY
    from mlp.data import load_data
    from mlp.regularization import L2
    from mlp.train import sgd

    parser = argparse.ArgumentParser(prog="python -m course.nb08", description=main.__doc__)
    parser.add_argument("--epochs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    training, _, test = load_data(progress=False)
    small = (training[0][:, :SMALL], training[1][:SMALL])
    for lmbda in (0.0, 0.1):
        net = Network([784, 30, 10], cost=CROSS_ENTROPY, seed=args.seed)
        history = sgd(net, small, args.epochs, BATCH, ETA, penalty=L2(lmbda) if lmbda else None,
                      test_data=test, seed=args.seed, progress=False, verbose=False)
        best_epoch, best = history.best("test_accuracy")
        print(f"lambda = {lmbda:g}: test accuracy after {args.epochs} epochs "
              f"{history.test_accuracy[-1]:.2%}, best {best:.2%} (epoch {best_epoch})",
              flush=True)


if __name__ == "__main__":
    main()
