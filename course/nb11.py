"""Helpers for notebook 11 (why deep nets are hard to train): the measurements, the pictures,
the widget and the exercise checks.

The notebook measures the speed of learning of each hidden layer, ``||dC/db^l||``, as chapter 5
of Michael Nielsen's *Neural Networks and Deep Learning* does
(http://neuralnetworksanddeeplearning.com/chap5.html), and explains it with a chain of one
neuron per layer. Everything it trains is an ordinary ``mlp.network.Network`` trained by
``mlp.train.sgd``; this module keeps the loops over seeds, the plotting and the checks out of the
way.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb11.show_answer
from course.nb00 import excerpt as excerpt  # for the notebook: nb11.excerpt
from course.nb04 import _one_blas_thread
from course.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION
from mlp import costs
from mlp.activations import sigmoid, sigmoid_prime
from mlp.data import load_mnist, one_hot, to_columns
from mlp.init import INITS
from mlp.network import Network
from mlp.regularization import L2
from mlp.train import gradient_step, sgd

LAYER_COLOURS = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY)  # hidden layer 1, 2, ...

#: The book's speeds of learning ||dC/db^l|| of the hidden layers at the start of training
#: (chapter 5; network2's networks: sigmoid, cross-entropy, weights N(0, 1/n_in)).
BOOK_SPEEDS = {2: (0.07, 0.31), 3: (0.012, 0.060, 0.283), 4: (0.003, 0.017, 0.070, 0.285)}
#: The book's validation accuracies (%) with 1-4 hidden layers of 30 sigmoid neurons
#: (eta 0.1, lambda 5.0, mini-batch 10, 30 epochs).
BOOK_ACCURACY = {1: 96.48, 2: 96.90, 3: 96.57, 4: 96.53}
# Batch gradient descent on 1,000 images is hundreds of small matrix products: on a busy machine
# with few cores OpenBLAS's threads mostly wait for each other (measured: 100 epochs took 6 s
# with two threads at load 5, 0.2 s with one), so this notebook asks for one thread.
ONE_BLAS_THREAD = _one_blas_thread()

SEEDS = tuple(range(10))  # the seeds over which the start-of-training speeds are measured
N_IMAGES = 1000  # the book measures the gradient over the first 1,000 training images


def first_images(n: int = N_IMAGES) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first ``n`` MNIST training images as columns ``(784, n)``, their labels ``(n,)``
    and the one-hot targets ``(10, n)``: Nielsen's ``training_data[:1000]``."""
    images, labels = load_mnist("train", progress=False)
    x = to_columns(images[:n])
    return x, labels[:n], one_hot(labels[:n], 10)


def make_network(
    hidden_layers: int, activation: str = "sigmoid", init: str = "scaled_normal", seed: int = 0
) -> Network:
    """784 inputs, ``hidden_layers`` layers of 30 neurons, 10 outputs, cross-entropy cost."""
    sizes = [784] + [30] * hidden_layers + [10]
    return Network(sizes, activation=activation, cost=costs.CROSS_ENTROPY, init=INITS[init],
                   seed=seed)


# ---------------------------------------------------------------------------------------
# The course's copies of the model answers (the notebook uses these after each exercise)
# ---------------------------------------------------------------------------------------


def layer_speeds(net: Network, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """||dC/db^l|| for each hidden layer, the first hidden layer first: shape ``(L - 2,)``."""
    nabla_b, _ = net.backprop(x, y)
    return np.array([np.linalg.norm(g) for g in nabla_b[:-1]])


def chain_forward(weights: Sequence[float], biases: Sequence[float], x: float) -> np.ndarray:
    """The weighted inputs ``z_1 ... z_L`` of a chain of one sigmoid neuron per layer."""
    zs, a = [], x
    for w, b in zip(weights, biases, strict=True):
        zs.append(w * a + b)
        a = sigmoid(zs[-1])
    return np.array(zs, dtype=float)


def chain_cost(weights: Sequence[float], biases: Sequence[float], x: float, y: float) -> float:
    """``C = (a_L - y)^2 / 2`` for the chain."""
    return 0.5 * (float(sigmoid(chain_forward(weights, biases, x)[-1])) - y) ** 2


def chain_gradients(
    weights: Sequence[float], biases: Sequence[float], x: float, y: float
) -> np.ndarray:
    """dC/db_j for j = 1 ... L along the chain, by the product of w sigma'(z) terms."""
    zs = chain_forward(weights, biases, x)
    grads = np.empty(len(zs))
    delta = (sigmoid(zs[-1]) - y) * sigmoid_prime(zs[-1])  # BP1 for the quadratic cost
    grads[-1] = delta
    for j in range(len(zs) - 2, -1, -1):
        delta = delta * weights[j + 1] * sigmoid_prime(zs[j])  # BP2 with one neuron
        grads[j] = delta
    return grads


def exploding_biases(weights: Sequence[float], x: float) -> np.ndarray:
    """Biases that put every weighted input of the chain at z_j = 0."""
    biases, a = [], x
    for w in weights:
        biases.append(-w * a)
        a = 0.5  # sigma(0)
    return np.array(biases, dtype=float)


_zero_z_biases = exploding_biases  # the checks' name for it: their argument takes the name


# ---------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------


def start_speeds(
    x: np.ndarray,
    y: np.ndarray,
    hidden_layers: int,
    activation: str = "sigmoid",
    init: str = "scaled_normal",
    seeds: Sequence[int] = SEEDS,
) -> np.ndarray:
    """The speeds of the hidden layers of fresh networks, one row per seed: ``(seeds, L - 2)``."""
    return np.array([
        layer_speeds(make_network(hidden_layers, activation, init, seed), x, y) for seed in seeds
    ])


class SpeedRecorder:
    """An update rule for ``sgd`` that notes ||dC/db^l|| of every hidden layer, then steps.

    With one mini-batch holding all the training data (batch gradient descent, as in the
    book's experiment) the gradient of each step *is* the gradient over those images, so it
    costs nothing extra to record. (L2 shrinks the weights only; the bias gradients are the
    data's.)
    """

    def __init__(self, hidden_layers: int) -> None:
        self.hidden_layers = hidden_layers
        self.speeds: list[list[float]] = []

    def __call__(self, params, grads, eta: float) -> None:
        nabla_b = grads[: self.hidden_layers + 1]  # params are biases + weights, in that order
        self.speeds.append([float(np.linalg.norm(g)) for g in nabla_b[:-1]])
        gradient_step(params, grads, eta)


def speeds_during_training(
    x: np.ndarray,
    labels: np.ndarray,
    hidden_layers: int,
    epochs: int = 500,
    activation: str = "sigmoid",
    init: str = "scaled_normal",
    seed: int = 0,
) -> np.ndarray:
    """Batch gradient descent on ``x`` (eta 0.1, L2 lambda 5.0, as in the book); returns the
    speeds before each step, shape ``(epochs, hidden_layers)``."""
    net = make_network(hidden_layers, activation, init, seed)
    recorder = SpeedRecorder(hidden_layers)
    sgd(net, (x, labels), epochs, batch_size=len(labels), eta=0.1, update=recorder,
        penalty=L2(5.0), seed=seed, progress=False, verbose=False)
    return np.array(recorder.speeds)


# ---------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------


def _speed_bars(ax, speeds: np.ndarray, book: Sequence[float] | None, title: str) -> None:
    """Median bar per layer, every seed as a dot, the book's value as a black diamond."""
    layers = np.arange(1, speeds.shape[1] + 1)
    medians = np.median(speeds, axis=0)
    colours = [LAYER_COLOURS[(k - 1) % len(LAYER_COLOURS)] for k in layers]
    ax.bar(layers, medians, color=colours, alpha=0.75, width=0.6, label="median of the seeds")
    jitter = np.linspace(-0.15, 0.15, speeds.shape[0])
    for k in layers:
        ax.plot(k + jitter, speeds[:, k - 1], "o", color=BLACK, markersize=2.5, alpha=0.6)
    if book is not None:
        ax.plot(layers, book, "D", color=BLACK, markerfacecolor="white", markersize=7,
                label="the book")
    ax.set_yscale("log")
    ax.set_xticks(layers, [f"hidden {k}" for k in layers])
    ax.set_ylabel(r"speed $\|\partial C/\partial b^l\|$")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8, loc="upper left")


def draw_speeds(
    x: np.ndarray,
    y: np.ndarray,
    hidden_layers: int = 4,
    activation: str = "sigmoid",
    init: str = "scaled_normal",
) -> np.ndarray:
    """Bars of the start-of-training speeds for one choice; returns the speeds per seed."""
    speeds = start_speeds(x, y, hidden_layers, activation, init)
    book = BOOK_SPEEDS.get(hidden_layers) if (activation, init) == ("sigmoid", "scaled_normal") \
        else None
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    ratio = np.median(speeds[:, -1] / speeds[:, 0])
    _speed_bars(ax, speeds, book, f"{activation}, {init} init, {hidden_layers} hidden layers: "
                f"last / first = {ratio:.3g}")
    ax.set_ylim(min(1e-4, speeds.min() / 2), max(10.0, speeds.max() * 2))
    fig.tight_layout()
    plt.show()
    return speeds


def draw_depths(speeds_by_depth: dict[int, np.ndarray]) -> None:
    """One panel of bars per depth, with the book's values beside ours."""
    fig, axes = plt.subplots(1, len(speeds_by_depth), figsize=(4.2 * len(speeds_by_depth), 3.6),
                             sharey=True)
    for ax, (depth, speeds) in zip(axes, speeds_by_depth.items(), strict=True):
        _speed_bars(ax, speeds, BOOK_SPEEDS.get(depth), f"{depth} hidden layers")
    axes[0].set_ylim(5e-4, 1)
    fig.tight_layout()
    plt.show()


def draw_choices(
    x: np.ndarray, y: np.ndarray, choices: Sequence[tuple[str, str]], hidden_layers: int = 4
) -> dict[tuple[str, str], np.ndarray]:
    """Bars for several ``(activation, init)`` pairs side by side; returns their speeds."""
    speeds = {choice: start_speeds(x, y, hidden_layers, *choice) for choice in choices}
    fig, axes = plt.subplots(1, len(choices), figsize=(4.2 * len(choices), 3.6), sharey=True)
    for ax, ((activation, init), values) in zip(axes, speeds.items(), strict=True):
        book = BOOK_SPEEDS.get(hidden_layers) if (activation, init) == (
            "sigmoid", "scaled_normal") else None
        _speed_bars(ax, values, book, f"{activation}, {init} init")
    axes[0].set_ylim(5e-4, 10)
    fig.tight_layout()
    plt.show()
    return speeds


def draw_training(curves: dict[str, np.ndarray]) -> None:
    """One panel per network: the speed of each hidden layer against the epoch (log scale)."""
    fig, axes = plt.subplots(1, len(curves), figsize=(4.2 * len(curves), 3.6), sharey=True)
    for ax, (title, speeds) in zip(np.atleast_1d(axes), curves.items(), strict=True):
        for k in range(speeds.shape[1]):
            ax.plot(speeds[:, k], color=LAYER_COLOURS[k], linewidth=1.5, label=f"hidden {k + 1}")
        ax.set_yscale("log")
        ax.set_xlabel("epoch (one step of batch gradient descent)")
        ax.set_title(title, fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    np.atleast_1d(axes)[0].set_ylabel(r"speed $\|\partial C/\partial b^l\|$")
    fig.tight_layout()
    plt.show()


def draw_chain(layers: int = 4) -> None:
    """The chain of one neuron per layer: x, then neurons with biases b_j, weights w_j between."""
    fig, ax = plt.subplots(figsize=(9, 1.8))
    ax.set_xlim(-0.6, layers + 1.6)
    ax.set_ylim(-0.8, 0.8)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.text(0, 0, "$x$", ha="center", va="center", fontsize=14)
    for j in range(1, layers + 1):
        ax.add_patch(plt.Circle((j, 0), 0.28, facecolor=SKY, edgecolor=BLUE, linewidth=1.5))
        ax.text(j, 0, f"$b_{j}$", ha="center", va="center", fontsize=12)
        ax.annotate("", xy=(j - 0.3, 0), xytext=(j - 0.7, 0),
                    arrowprops={"arrowstyle": "->", "color": BLACK})
        ax.text(j - 0.5, 0.15, f"$w_{j}$", ha="center", fontsize=11)
        ax.text(j, -0.55, f"$a_{j} = \\sigma(z_{j})$", ha="center", fontsize=9)
    ax.annotate("", xy=(layers + 0.95, 0), xytext=(layers + 0.3, 0),
                arrowprops={"arrowstyle": "->", "color": BLACK})
    ax.text(layers + 1.2, 0, "$C$", ha="center", va="center", fontsize=14)
    plt.show()


def draw_sigma_prime() -> None:
    """sigma'(z) (left) and |w sigma'(w a + b)| against a for a large w (right)."""
    z = np.linspace(-8, 8, 801)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.4))
    left.plot(z, sigmoid_prime(z), color=BLUE, linewidth=2.5, label=r"$\sigma'(z)$")
    left.axhline(0.25, color=VERMILLION, linestyle="--", linewidth=1.2, label="1/4")
    left.set_xlabel("$z$")
    left.set_title(r"the slope of the sigmoid is at most $\frac{1}{4}$")
    left.legend()
    a = np.linspace(0, 1, 1001)
    for w, colour in ((4.0, SKY), (10.0, ORANGE), (100.0, BLUE)):
        right.plot(a, np.abs(w * sigmoid_prime(w * a - w / 2)), color=colour, linewidth=2,
                   label=f"w = {w:g}, b = {-w / 2:g}")
    right.axhline(1.0, color=VERMILLION, linestyle="--", linewidth=1.2, label="1")
    right.set_yscale("log")
    right.set_ylim(1e-3, 50)
    right.set_xlabel("activation $a$ coming in")
    right.set_title(r"$|w\,\sigma'(wa + b)|$: above 1 only in a narrow band")
    right.legend(fontsize=8, loc="upper right")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    fig.tight_layout()
    plt.show()


# ---------------------------------------------------------------------------------------
# The widget (its static fallback in the notebook is draw_speeds for the default values)
# ---------------------------------------------------------------------------------------


def speed_explorer(x: np.ndarray, y: np.ndarray):
    """Choose the depth, the activation and the initialisation; redraws the speed bars."""
    import ipywidgets as widgets

    style = {"style": {"description_width": "initial"}}
    depth = widgets.IntSlider(value=4, min=2, max=6, description="hidden layers",
                              continuous_update=False, **style)
    activation = widgets.ToggleButtons(options=["sigmoid", "tanh", "relu"], value="sigmoid",
                                       description="activation", **style)
    init = widgets.ToggleButtons(options=["normal", "scaled_normal", "he"], value="scaled_normal",
                                 description="init", **style)

    def update(hidden_layers: int, activation: str, init: str) -> None:
        draw_speeds(x, y, hidden_layers, activation, init)

    return widgets.interactive(update, hidden_layers=depth, activation=activation, init=init)


# ---------------------------------------------------------------------------------------
# Exercise checks
# ---------------------------------------------------------------------------------------


def _check_data(m: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Made-up inputs in [0, 1] and one-hot targets for the checks (no MNIST needed)."""
    rng = np.random.default_rng(11)
    x = rng.random((784, m)).astype(np.float32)
    return x, one_hot(rng.integers(0, 10, m), 10)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-3, atol=1e-9))


@exercise("11-layer-speeds", points=3)
def check_layer_speeds(layer_speeds) -> str:
    """Exercise 1: ||dC/db^l|| of each hidden layer from ``net.backprop``."""
    x, y = _check_data()
    for hidden, activation, init in ((3, "sigmoid", "scaled_normal"), (2, "relu", "he")):
        net = make_network(hidden, activation, init, seed=5)
        before = [w.copy() for w in net.weights]
        answer = call_learner(layer_speeds, net, x, y, name="layer_speeds",
                              hint="Measure with `net.backprop`, which returns the mean gradients.")
        speeds = as_array(answer, "layer_speeds(net, x, y)")
        if any(not np.array_equal(w, v) for w, v in zip(before, net.weights, strict=True)):
            raise Hint("Your function changed the network's weights: it should only measure.")
        nabla_b, nabla_w = net.backprop(x, y)
        right = np.array([np.linalg.norm(g) for g in nabla_b[:-1]])
        _diagnose_speeds(speeds, right, nabla_b, nabla_w, x.shape[1], hidden)
    return ("One number per hidden layer, the length of that layer's bias gradient. In a "
            "sigmoid network the first hidden layer's number is the smallest.")


def _diagnose_speeds(speeds, right, nabla_b, nabla_w, m: int, hidden: int) -> None:
    """Raise a Hint naming the mistake unless ``speeds`` equals ``right``."""
    all_layers = np.array([np.linalg.norm(g) for g in nabla_b])
    if speeds.ndim == 0 or speeds.size == 1:
        raise Hint(f"Return one number per hidden layer ({hidden} for a network with {hidden} "
                   "hidden layers), not a single number.",
                   "Loop over the layers' bias gradients and measure each one separately.")
    if speeds.shape == all_layers.shape and _close(speeds, all_layers):
        raise Hint("Your numbers include the output layer: we want the hidden layers only.",
                   "nabla_b has one entry per layer after the input; leave out the last one.")
    if speeds.shape != right.shape:
        raise Hint(f"Return {hidden} numbers (one per hidden layer), shape ({hidden},); yours "
                   f"has shape {speeds.shape}.",
                   "nabla_b[l] is the gradient of the biases of layer l + 1; its length is one "
                   "number.")
    if _close(speeds, right):
        return
    if _close(speeds, right[::-1]):
        raise Hint("The right numbers, in reverse order: put the first hidden layer first.")
    if _close(speeds, right**2):
        raise Hint("These are the squared lengths: the length of a vector is the square root "
                   "of the sum of squares.")
    if _close(speeds, np.array([np.abs(g).sum() for g in nabla_b[:-1]])):
        raise Hint("You added up the absolute values; the speed is the Euclidean length "
                   "(the square root of the sum of squares).")
    if _close(speeds, np.array([np.linalg.norm(g) for g in nabla_w[:-1]])):
        raise Hint("These are the lengths of the weight gradients; Nielsen measures the "
                   "speed with the bias gradients, dC/db^l = delta^l.")
    if _close(speeds, right * m):
        raise Hint(f"Your numbers are {m} times too large: backprop already returns the mean "
                   "over the examples.")
    raise Hint("Not the lengths of the hidden layers' bias gradients yet.",
               "For each hidden layer l: the square root of the sum of the squares of "
               "dC/db^l.")


@exercise("11-sigma-prime-max", points=1)
def check_sigma_prime_max(sigma_prime_max: float) -> str:
    """Exercise 2: the largest value of sigma'(z)."""
    value = as_float(sigma_prime_max, "sigma_prime_max")
    if abs(value - 0.25) < 1e-4:
        return ("σ'(z) = σ(z)(1 - σ(z)) is largest at z = 0, where σ = ½: ½ × ½ = ¼. So every "
                "neuron a gradient passes through multiplies it by at most ¼ (times its weight).")
    if abs(value - 0.5) < 1e-3:
        raise Hint("½ is σ(0), the sigmoid itself; we want its slope σ'(z) = σ(z)(1 - σ(z)).")
    if abs(value - 1.0) < 1e-3:
        raise Hint("The sigmoid goes up to 1, but its slope is much flatter than that.",
                   "Use σ'(z) = σ(z)(1 - σ(z)) and the value of σ where the slope is steepest.")
    if 0 < value < 0.25:
        raise Hint(f"σ'(z) reaches more than {value:.4g}: look where the sigmoid is steepest.",
                   "The sigmoid is steepest at z = 0.")
    raise Hint(f"σ'(z) never reaches {value:.4g}.",
               "σ'(z) = σ(z)(1 - σ(z)); a product p(1 - p) of two numbers adding up to 1 is "
               "largest when both are equal.")


CHAINS = (  # exercise 3 is checked on these chains: (weights, biases, x, y)
    ((0.6, -0.9, 0.4, 0.8), (0.3, -0.2, 0.5, 0.1), 0.7, 1.0),
    ((1.8, 2.5, -3.0), (-0.4, 0.2, 1.0), 0.2, 0.0),
    ((-0.5, 1.2, 0.7, -1.1, 0.9, 1.5), (0.0, 0.4, -0.3, 0.2, -0.1, 0.6), 0.9, 1.0),
)


@exercise("11-chain-gradients", points=3)
def check_chain_gradients(chain_gradients) -> str:
    """Exercise 3: dC/db_j along a chain of one sigmoid neuron per layer."""
    for weights, biases, x, y in CHAINS:
        answer = call_learner(chain_gradients, np.array(weights), np.array(biases), x, y,
                              name="chain_gradients")
        grads = as_array(answer, "chain_gradients(...)")
        right = _reference_chain(weights, biases, x, y)
        if grads.shape != right.shape:
            raise Hint(f"Return one gradient per neuron: shape ({len(weights)},) for a chain of "
                       f"{len(weights)} neurons; yours has shape {grads.shape}.",
                       "Keep every dC/db_j in an array, b_1 first.")
        if _close(grads, right):
            continue
        _diagnose_chain(grads, weights, biases, x, y)
    ratio = abs(_reference_chain(*CHAINS[0])[0] / _reference_chain(*CHAINS[0])[-1])
    return ("Each step back multiplies by one more w_j σ'(z_j). In the first chain, whose "
            f"weights are all smaller than 1, ∂C/∂b_1 is only {ratio:.3f} of ∂C/∂b_4.")


def _reference_chain(weights, biases, x, y, output_slope=True, next_weight=True, slopes=True):
    """dC/db_j for the chain, or the same with one of three common mistakes."""
    zs = chain_forward(weights, biases, x)
    grads = np.empty(len(zs))
    delta = (sigmoid(zs[-1]) - y) * (sigmoid_prime(zs[-1]) if output_slope else 1.0)
    grads[-1] = delta
    for j in range(len(zs) - 2, -1, -1):
        w = weights[j + 1] if next_weight else weights[j]
        delta = delta * w * (sigmoid_prime(zs[j]) if slopes else 1.0)
        grads[j] = delta
    return grads


def _diagnose_chain(grads, weights, biases, x, y) -> None:
    right = _reference_chain(weights, biases, x, y)
    if _close(grads, right[::-1]):
        raise Hint("The right numbers in reverse order: put ∂C/∂b_1 first.")
    if _close(grads, _reference_chain(weights, biases, x, y, output_slope=False)):
        raise Hint("The last neuron's own slope is missing: ∂C/∂b_L = (a_L - y) σ'(z_L).",
                   "BP1 for the quadratic cost multiplies by σ'(z_L) too.")
    if _close(grads, _reference_chain(weights, biases, x, y, next_weight=False)):
        raise Hint("Off by one weight: going back from neuron j + 1 to neuron j multiplies by "
                   "the weight *between* them, w_{j+1}, not w_j.",
                   "weights[0] is w_1, which leads into the first neuron; the step from b_1 to "
                   "b_2 passes w_2 = weights[1].")
    if _close(grads, _reference_chain(weights, biases, x, y, slopes=False)):
        raise Hint("Each step back also passes through a neuron's slope σ'(z_j).",
                   "∂C/∂b_j = σ'(z_j) w_{j+1} ∂C/∂b_{j+1}.")
    if _close(np.abs(grads), np.abs(right)):
        raise Hint("The sizes are right but a sign is wrong: ∂C/∂a_L = a_L - y, not y - a_L.")
    fd = np.array([_finite_difference(weights, biases, x, y, j) for j in range(len(weights))])
    wrong = int(np.argmax(~np.isclose(grads, fd, rtol=1e-3, atol=1e-9)))
    raise Hint(f"∂C/∂b_{wrong + 1} is {grads[wrong]:.4g}, but nudging b_{wrong + 1} says "
               f"{fd[wrong]:.4g}.",
               "Compute the z_j in a forward pass first, then go backwards from the cost, "
               "multiplying by one w σ'(z) term per step.")


def _finite_difference(weights, biases, x, y, j: int, h: float = 1e-6) -> float:
    up, down = list(biases), list(biases)
    up[j] += h
    down[j] -= h
    return (chain_cost(weights, up, x, y) - chain_cost(weights, down, x, y)) / (2 * h)


@exercise("11-exploding-biases", points=2)
def check_exploding_biases(exploding_biases) -> str:
    """Exercise 4: biases that make every z_j = 0 in a chain of large weights."""
    for weights, x in (((100.0, 100.0, 100.0, 100.0), 0.8), ((50.0, -20.0, 80.0), 0.3)):
        answer = call_learner(exploding_biases, np.array(weights), x, name="exploding_biases")
        biases = as_array(answer, "exploding_biases(weights, x)")
        if biases.shape != (len(weights),):
            raise Hint(f"Return one bias per neuron, shape ({len(weights)},); yours has shape "
                       f"{biases.shape}.")
        zs = chain_forward(weights, biases, x)
        if np.allclose(zs, 0, atol=1e-6):
            continue
        if np.allclose(biases, -np.array(weights) * x):
            raise Hint("The first bias is right. The later neurons do not see x: they see the "
                       "activation of the neuron before them.",
                       "If z_{j-1} = 0, what is a_{j-1} = σ(z_{j-1})?")
        if np.allclose(biases, -_zero_z_biases(weights, x)):
            raise Hint("Check the sign: z_j = w_j a_{j-1} + b_j should be 0.")
        first = int(np.argmax(np.abs(zs) > 1e-6))
        raise Hint(f"With your biases z_{first + 1} = {zs[first]:.4g}, not 0.",
                   "z_1 = w_1 x + b_1, and z_j = w_j a_{j-1} + b_j for the later neurons.")
    grads = _reference_chain((100.0,) * 4, _zero_z_biases((100.0,) * 4, 0.8), 0.8, 0.0)
    return (f"Every neuron now sits at z = 0, where σ' = ¼, so each step back multiplies by "
            f"100 × ¼ = 25: ∂C/∂b_1 is {grads[0] / grads[-1]:,.0f} times ∂C/∂b_4.")
