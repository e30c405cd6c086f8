"""Helpers for notebook 01 · What is a neural network?: pictures, widgets, checks.

The checks run a learner's answer (a number, a shape or a function) against values
computed here, and say what is off when the answer is wrong.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, as_int, as_int_tuple, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb01.show_answer
from mlp.activations import sigmoid

# The course palette (Okabe-Ito), safe for colour-blind readers.
BLUE, ORANGE, GREEN, VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
PURPLE, SKY = "#CC79A7", "#56B4E9"
PALETTE = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, "#F0E442", "black"]


# ---------------------------------------------------------------------------------------
# Showing code
# ---------------------------------------------------------------------------------------


def excerpt(function: Callable) -> str:
    """The source of ``function`` without its docstring and its argument checks.

    An argument check is an ``if`` whose whole body is a ``raise`` (and a loop holding only
    such checks): the lesson is the rest. The text ends with an empty line.
    """
    code = textwrap.dedent(inspect.getsource(function))
    lines = code.splitlines()
    node = ast.parse(code).body[0]
    dropped: set[int] = set()
    body = getattr(node, "body", [])
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        dropped.update(range(body[0].lineno - 1, body[0].end_lineno))
    for child in ast.walk(node):
        if isinstance(child, ast.If) and not child.orelse and all(
            isinstance(s, ast.Raise) for s in child.body
        ):
            dropped.update(range(child.lineno - 1, child.end_lineno))
    for child in ast.walk(node):  # a loop that only checked its items goes too
        if isinstance(child, ast.For) and all(
            set(range(s.lineno - 1, s.end_lineno)) <= dropped for s in child.body
        ):
            dropped.update(range(child.lineno - 1, child.end_lineno))
    return "\n".join(line for i, line in enumerate(lines) if i not in dropped) + "\n"


# ---------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------


def draw_network(sizes: Sequence[int], max_shown: int = 16, ax: plt.Axes | None = None) -> plt.Axes:
    """Draw a layered network; a layer with more than ``max_shown`` neurons is thinned.

    A thinned layer shows the first and last neurons with a vertical ellipsis between them
    and its true size underneath. Every shown neuron is joined to every shown neuron of the
    next layer, as in a fully connected network.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    shown_height = max(min(n, max_shown) for n in sizes)
    positions = []
    for layer, n in enumerate(sizes):
        if n <= max_shown:
            ys = np.linspace(-(n - 1) / 2, (n - 1) / 2, n)
        else:
            half = (max_shown - 2) // 2  # two slots in the middle are left for the dots
            top = (shown_height - 1) / 2
            ys = np.concatenate([top - np.arange(half), -top + np.arange(half)[::-1]])
            ax.text(layer, 0, "⋮", ha="center", va="center", fontsize=20)
        positions.append(ys * 0.55)
    for layer in range(len(sizes) - 1):
        for y0 in positions[layer]:
            for y1 in positions[layer + 1]:
                ax.plot([layer, layer + 1], [y0, y1], color="0.6", lw=0.4, alpha=0.5, zorder=1)
    names = ["input"] + ["hidden"] * (len(sizes) - 2) + ["output"]
    colours = [SKY] + [ORANGE] * (len(sizes) - 2) + [GREEN]
    for layer, ys in enumerate(positions):
        ax.scatter(np.full(len(ys), layer), ys, s=110, color=colours[layer], edgecolor="0.2",
                   linewidth=0.8, zorder=2)
        bottom = -(shown_height - 1) / 2 * 0.55 - 0.9
        ax.text(layer, bottom, f"{names[layer]}\n{sizes[layer]} neurons", ha="center", va="top")
    if sizes[-1] == 10:
        for digit, y in enumerate(positions[-1][::-1]):
            ax.text(len(sizes) - 1 + 0.15, y, str(digit), va="center", fontsize=9)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-(shown_height - 1) / 2 * 0.55 - 2.0, (shown_height - 1) / 2 * 0.55 + 0.6)
    ax.axis("off")
    return ax


def neuron_figure(w1: float, w2: float, b: float) -> plt.Figure:
    """The output sigma(w1 x1 + w2 x2 + b) of one neuron over the square [-1, 1]^2.

    The dashed line is where w1 x1 + w2 x2 + b = 0: the perceptron with the same weights
    and bias switches from 0 to 1 there, and the sigmoid neuron is exactly 0.5.
    """
    grid = np.linspace(-1, 1, 201)
    x1, x2 = np.meshgrid(grid, grid)
    output = sigmoid(w1 * x1 + w2 * x2 + b)
    fig, ax = plt.subplots(figsize=(5, 4))
    image = ax.imshow(output, origin="lower", extent=(-1, 1, -1, 1), cmap="viridis", vmin=0, vmax=1)
    fig.colorbar(image, ax=ax, label="output $\\sigma(z)$")
    if abs(w2) > 1e-9:
        ax.plot(grid, -(w1 * grid + b) / w2, "w--", lw=1.5)
    elif abs(w1) > 1e-9:
        ax.axvline(-b / w1, color="w", ls="--", lw=1.5)
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(f"$w_1 = {w1:g}$, $w_2 = {w2:g}$, $b = {b:g}$")
    return fig


def neuron_widget():
    """Sliders for the two weights and the bias of a sigmoid neuron, redrawing its output."""
    import ipywidgets as widgets

    def slider(description: str, value: float) -> widgets.FloatSlider:
        return widgets.FloatSlider(value=value, min=-20.0, max=20.0, step=0.5,
                                   description=description, continuous_update=False)

    def draw(w1: float, w2: float, b: float) -> None:
        neuron_figure(w1, w2, b)
        plt.show()

    return widgets.interactive(
        draw, w1=slider("w1", 2.0), w2=slider("w2", 3.0), b=slider("b", -1.0)
    )


# ---------------------------------------------------------------------------------------
# One hidden neuron as a pattern detector (3Blue1Brown's picture)
# ---------------------------------------------------------------------------------------


def bar_pattern() -> np.ndarray:
    """Hand-made weights, shape (28, 28), of a neuron that looks for the top bar of a 7.

    +1 on a horizontal band (rows 7-9, where the bar of a 7 usually is), -1 on a band
    just above it and on a patch below its left half (blank in a 7), 0 elsewhere.
    """
    pattern = np.zeros((28, 28))
    pattern[4:6, 7:22] = -1
    pattern[12:14, 7:14] = -1
    pattern[7:10, 7:22] = 1
    return pattern


def show_weights(ax: plt.Axes, weights: np.ndarray, title: str, limit: float | None = None):
    """784 weights (or a 28 x 28 array) as an image: orange positive, purple negative, 0 white."""
    limit = float(np.max(np.abs(weights))) if limit is None else limit
    image = ax.imshow(np.reshape(weights, (28, 28)), cmap="PuOr_r", vmin=-limit, vmax=limit)
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])
    return image


def detector_figure(pattern: np.ndarray, images: np.ndarray, labels: Sequence[int]) -> None:
    """The weights, then for each image: the image and the products w_k x_k, summed."""
    n = len(images)
    fig, axes = plt.subplots(2, n + 1, figsize=(2.3 * (n + 1), 5.0))
    image = show_weights(axes[0, 0], pattern, "weights $w$", limit=1.0)
    fig.subplots_adjust(right=0.9)
    fig.colorbar(image, cax=fig.add_axes((0.92, 0.2, 0.015, 0.6)))
    axes[1, 0].axis("off")
    axes[1, 0].text(0.0, 0.5, "+1: ink wanted\n-1: ink unwanted\n 0: ignored", fontsize=11,
                    va="center", transform=axes[1, 0].transAxes)
    for column, (x, label) in enumerate(zip(images, labels, strict=True), start=1):
        pixels = np.asarray(x, dtype=float).reshape(28, 28)
        axes[0, column].imshow(pixels, cmap="gray_r", vmin=0, vmax=1)
        axes[0, column].set_title(f"image $x$: a {label}", fontsize=10)
        axes[0, column].axis("off")
        products = pattern * pixels
        show_weights(axes[1, column], products, f"$w \\cdot x$ = {products.sum():.1f}", limit=1.0)
    fig.suptitle("each product $w_k x_k$: orange adds to the sum, purple takes away", fontsize=11)
    plt.show()


def bias_figure(sums: dict[str, np.ndarray], bias: float = 0.0) -> None:
    """Histograms of the weighted sums ``w . x`` per digit; the neuron is on right of ``-bias``."""
    fig, ax = plt.subplots(figsize=(8, 3.4))
    bins = np.arange(-20, 41, 1.0)
    styles = zip(sums.items(), [ORANGE, BLUE], ["", "//"], strict=False)
    for (name, values), colour, hatch in styles:
        on = np.mean(values + bias > 0)
        ax.hist(np.clip(values, -20, 40), bins=bins, color=colour, alpha=0.6, hatch=hatch,
                edgecolor="white", label=f"{name}: {on:.0%} switch the neuron on")
    threshold = 0.0 - bias
    ax.axvline(threshold, color="black", lw=2, ls="--", label=f"threshold $-b$ = {threshold:g}")
    ax.set_xlabel("weighted sum $w \\cdot x$ (clipped to [-20, 40])")
    ax.set_ylabel("test images")
    ax.set_title(f"bias $b$ = {bias:g}: the neuron is on where $w \\cdot x > {threshold:g}$")
    ax.legend(loc="upper right")
    plt.show()


def bias_widget(sums: dict[str, np.ndarray]):
    """A bias slider redrawing :func:`bias_figure`."""
    import ipywidgets as widgets

    slider = widgets.FloatSlider(value=0.0, min=-30.0, max=10.0, step=1.0, description="bias b",
                                 continuous_update=False)
    return widgets.interactive(lambda b: bias_figure(sums, b), b=slider)


# ---------------------------------------------------------------------------------------
# The course's own copies (used after the exercises, so stubs do not stop the notebook)
# ---------------------------------------------------------------------------------------


def feedforward(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], a: np.ndarray):
    """The output, shape (sizes[-1], m), for the columns ``a`` of shape (sizes[0], m)."""
    for w, b in zip(weights, biases, strict=True):
        a = sigmoid(w @ a + b)
    return a


_forward = feedforward  # the checks' name for it (a check's argument is called feedforward)


def count_parameters(sizes: Sequence[int]) -> int:
    """Weights plus biases of a network with layer sizes ``sizes``."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


# ---------------------------------------------------------------------------------------
# Exercise checks
# ---------------------------------------------------------------------------------------


def perceptron(weights: np.ndarray, bias: float, x: np.ndarray) -> int:
    """Output 1 if w . x + b > 0, else 0."""
    return int(np.dot(weights, x) + bias > 0)


@exercise("01-and-perceptron", points=1)
def check_and_perceptron(and_weights: Any, and_bias: Any) -> str:
    """Weights and bias of a perceptron that computes AND of two bits."""
    weights = as_array(and_weights, "and_weights", shape=(2,))
    bias = as_float(and_bias, "and_bias")
    rows = []
    wrong = []
    for x1 in (0, 1):
        for x2 in (0, 1):
            output = perceptron(weights, bias, np.array([x1, x2]))
            rows.append(f"{x1} AND {x2} -> {output}")
            if output != (x1 and x2):
                wrong.append((x1, x2, output))
    if not wrong:
        return "Truth table: " + "; ".join(rows) + "."
    x1, x2, output = wrong[0]
    z = float(weights @ np.array([x1, x2]) + bias)
    raise Hint(
        f"For inputs ({x1}, {x2}) your perceptron gives {output} (w . x + b = {z:g}), but "
        f"{x1} AND {x2} = {x1 and x2}. Only (1, 1) may make w . x + b positive.",
        pointed="With two positive weights, the bias must be negative enough to keep one "
        "input alone below zero, but not so negative that both together stay below.",
    )


def _bar_sums() -> tuple[np.ndarray, np.ndarray]:
    """Weighted sums w . x of the bar pattern for the test sevens and ones."""
    from mlp import data

    images, labels = data.load_mnist("test")
    x = images.reshape(len(images), 784).astype(np.float64) / 255
    sums = x @ bar_pattern().ravel()
    return sums[labels == 7], sums[labels == 1]


BAR_SEVENS_ON = 0.85  # at least this fraction of the test sevens must switch the neuron on
BAR_ONES_ON = 0.05  # and at most this fraction of the test ones


@exercise("01-bar-bias", points=1)
def check_bar_bias(bar_bias: Any) -> str:
    """A bias for the bar neuron: on for >= 85% of the test sevens, <= 5% of the ones."""
    b = as_float(bar_bias, "bar_bias")
    sevens, ones = _bar_sums()
    sevens_on, ones_on = np.mean(sevens + b > 0), np.mean(ones + b > 0)
    if sevens_on >= BAR_SEVENS_ON and ones_on <= BAR_ONES_ON:
        return (f"With b = {b:g} the neuron needs w . x > {-b:g}: {sevens_on:.0%} of the sevens "
                f"switch it on and {ones_on:.1%} of the ones. The bias is minus the threshold.")
    if b > 0 and ones_on > BAR_ONES_ON:
        raise Hint(
            f"With b = {b:g}, {ones_on:.0%} of the ones switch the neuron on. A positive bias "
            "makes the neuron easier to switch on; here the weighted sum must be *high* first.",
            pointed="The neuron is on where w . x + b > 0, that is where w . x > -b.",
        )
    if ones_on > BAR_ONES_ON:
        raise Hint(f"With b = {b:g}, {ones_on:.0%} of the ones still switch the neuron on "
                   "(at most 5% may): the threshold -b is too low. Make b more negative.")
    raise Hint(
        f"With b = {b:g} only {sevens_on:.0%} of the sevens switch the neuron on (85% should): "
        "the threshold -b is too high. Make b less negative.",
        pointed="Read the histogram: put the threshold -b between the bulk of the ones and "
        "the bulk of the sevens.",
    )


@exercise("01-count-parameters", points=2)
def check_count_parameters(count_parameters: Any) -> str:
    """A function from a ``sizes`` list to its number of weights and biases."""
    cases = [[784, 16, 16, 10], [784, 30, 10], [2, 3, 1], [784, 100, 10], [5, 4, 3, 2, 1], [3, 1]]
    for sizes in cases:
        returned = call_learner(count_parameters, list(sizes), name="count_parameters",
                                hint=f"The check called count_parameters({sizes}).")
        answer = as_int(returned, f"count_parameters({sizes})")
        expected = _reference_count(sizes)
        if answer == expected:
            continue
        n_weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
        if answer == n_weights:
            raise Hint(f"For {sizes} you count the weights only: every neuron outside the "
                       "input layer also has a bias.")
        if answer == n_weights + sum(sizes):
            raise Hint(f"For {sizes} you gave the input neurons biases too; they have none.")
        if answer == sum(sizes[1:]):
            raise Hint(f"For {sizes} you count the biases only; add the weights.")
        if answer == sizes[0] * sizes[1] + sizes[1]:
            raise Hint(f"For {sizes} you counted the first pair of layers only: the "
                       "return may be inside the loop.")
        raise Hint(
            f"count_parameters({sizes}) returned {answer:,}, but the network has {expected:,} "
            "parameters.",
            pointed="Go through the pairs of neighbouring layers: every neuron of one layer is "
            "joined to every neuron of the next, and every neuron of the next has a bias.",
        )
    return (
        f"784-16-16-10 has {_reference_count([784, 16, 16, 10]):,} parameters; "
        f"Nielsen's 784-30-10 has {_reference_count([784, 30, 10]):,}."
    )


def _reference_count(sizes: Sequence[int]) -> int:
    return count_parameters(sizes)


@exercise("01-w2-shape", points=1)
def check_w2_shape(w2_shape: Any) -> str:
    """The shape of Nielsen's w^2 in the 784-16-16-10 network."""
    answer = as_int_tuple(w2_shape, "w2_shape")
    if answer == (16, 784):
        return (
            "(16, 784): layer 2 is the first hidden layer (16 neurons, row j) and layer 1 the "
            "input (784 neurons, column k). In code it is `net.weights[0]`."
        )
    if answer == (784, 16):
        raise Hint(
            "Rows and columns are swapped: row j is the neuron in layer l, column k the "
            "neuron in layer l-1, so that W a works with a column a."
        )
    if answer == (16, 16):
        raise Hint(
            "Nielsen counts the input layer as layer 1, so w^2 goes from layer 1 to "
            "layer 2. Which layers are those in 784-16-16-10?"
        )
    if answer == (10, 16):
        raise Hint("That is the last weight matrix, w^4. Nielsen's w^2 is the first one.")
    raise Hint(
        "w^l connects layer l-1 to layer l. Layers are numbered from 1, the input layer "
        "being layer 1.",
        pointed="Its shape is (neurons in layer l, neurons in layer l-1).",
    )


def _random_network(sizes: Sequence[int], m: int, seed: int):
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((n, k)) for k, n in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.standard_normal((n, 1)) for n in sizes[1:]]
    return weights, biases, rng.random((sizes[0], m))


def _feedforward_variants(weights, biases, x) -> dict[str, np.ndarray]:
    """What plausible mistakes return, to name the mistake."""
    no_bias, no_sigma, last_no_sigma, first_only = x, x, x, None
    for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
        no_bias = sigmoid(w @ no_bias)
        no_sigma = w @ no_sigma + b
        z = w @ last_no_sigma + b
        last_no_sigma = z if layer == len(weights) - 1 else sigmoid(z)
        first_only = sigmoid(w @ x + b) if first_only is None else first_only
    return {"no bias": no_bias, "no sigma": no_sigma, "last z": last_no_sigma,
            "first layer": first_only}


@exercise("01-feedforward", points=3)
def check_feedforward(feedforward: Any) -> str:
    """``feedforward(weights, biases, a)``: the output columns of a network, several shapes."""
    for sizes, m, seed in [([5, 4, 3, 2], 7, 1), ([6, 3], 4, 2), ([3, 8, 8, 8, 1], 5, 3),
                           ([784, 16, 16, 10], 3, 4)]:
        weights, biases, x = _random_network(sizes, m, seed)
        expected = _forward(weights, biases, x)
        shown = "-".join(map(str, sizes))
        returned = call_learner(
            feedforward, weights, biases, x.copy(), name="feedforward",
            hint=f"The check used a {shown} network and x of shape {x.shape}: weights[l] has "
            "shape (neurons in the next layer, neurons in this layer), so it multiplies the "
            "column of activations from the left, with no transpose.",
        )
        answer = as_array(returned, f"feedforward(...) for a {shown} network")
        if answer.shape == expected.shape[::-1] and answer.shape != expected.shape:
            raise Hint(f"For the {shown} network your output is transposed: one column per "
                       f"example, shape {expected.shape}.")
        variants = _feedforward_variants(weights, biases, x)
        if answer.shape == variants["first layer"].shape and len(sizes) > 2 and np.allclose(
            answer, variants["first layer"]
        ):
            raise Hint("Your function returns after the first layer: is the return inside the "
                       "loop?")
        if answer.shape != expected.shape:
            raise Hint(f"For a {shown} network and x of shape {x.shape} the output should have "
                       f"shape {expected.shape} (output neurons, examples), but yours has "
                       f"{answer.shape}.")
        if np.allclose(answer, expected):
            continue
        if np.allclose(answer, variants["no bias"]):
            raise Hint("Your layers leave out the biases: z = w a + b, with b a column that "
                       "broadcasts over the m examples.")
        if np.allclose(answer, variants["no sigma"]) or np.allclose(answer, variants["last z"]):
            raise Hint("Your output is a weighted input z, not an activation: apply the "
                       "sigmoid to z in every layer, the last one included.")
        raise Hint(
            f"For the {shown} network the output has the right shape but different numbers.",
            pointed="Each layer's activation is the sigmoid of (its weights times the layer "
            "before, plus its biases); the activation of one layer is the input of the next.",
        )
    return ("Every layer for a whole mini-batch, one matrix product per layer: this is "
            "`Network.feedforward`.")
