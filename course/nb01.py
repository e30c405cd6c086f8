"""Helpers for notebook 01 · What is a neural network?: pictures, the neuron widget, checks.

The checks run a learner's answer (a number, a shape or a function) against values
computed here, and say what is off when the answer is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, as_int, as_int_tuple, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb01.show_answer
from mlp.activations import sigmoid

# The neuron of exercise 3: inputs, weights and bias.
NEURON_X = np.array([0.5, 1.0, 0.2])
NEURON_W = np.array([2.0, -1.0, 3.0])
NEURON_B = -0.5


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
    colours = ["#9ecae1"] + ["#fdd0a2"] * (len(sizes) - 2) + ["#a1d99b"]
    for layer, ys in enumerate(positions):
        ax.scatter(
            np.full(len(ys), layer),
            ys,
            s=110,
            color=colours[layer],
            edgecolor="0.2",
            linewidth=0.8,
            zorder=2,
        )
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
        return widgets.FloatSlider(
            value=value,
            min=-20.0,
            max=20.0,
            step=0.5,
            description=description,
            continuous_update=False,
        )

    def draw(w1: float, w2: float, b: float) -> None:
        neuron_figure(w1, w2, b)
        plt.show()

    return widgets.interactive(
        draw, w1=slider("w1", 2.0), w2=slider("w2", 3.0), b=slider("b", -1.0)
    )


# ---------------------------------------------------------------------------------------
# Exercise checks
# ---------------------------------------------------------------------------------------


def _reference_count(sizes: Sequence[int]) -> int:
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


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


@exercise("01-neuron-output", points=1)
def check_neuron_output(neuron_output: Any) -> str:
    """The output of the neuron NEURON_W, NEURON_B for the input NEURON_X."""
    answer = as_float(neuron_output, "neuron_output")
    z = float(NEURON_W @ NEURON_X + NEURON_B)
    expected = float(sigmoid(z))
    if abs(answer - expected) < 1e-6:
        return f"z = {z:.2f} and sigma(z) = {expected:.4f}."
    if abs(answer - z) < 1e-6:
        raise Hint(f"That is the weighted input z = {z:.2f}. Now apply the sigmoid to it.")
    if abs(answer - float(sigmoid(z - NEURON_B))) < 1e-6:
        raise Hint("You forgot the bias: z = w . x + b.")
    if abs(answer - (1.0 if z > 0 else 0.0)) < 1e-12:
        raise Hint("That is the perceptron's output. A sigmoid neuron outputs sigma(z) instead.")
    if abs(answer - float(sigmoid(-z))) < 1e-6:
        raise Hint("Check the sign in the sigmoid: sigma(z) = 1 / (1 + exp(-z)).")
    raise Hint("First the weighted input z = w . x + b, then the sigmoid of z.",
               pointed="w . x is w1 x1 + w2 x2 + w3 x3 with the numbers given above the "
               "exercise.")


def _reference_activations(weights, biases, x):
    activations = [x]
    for w, b in zip(weights, biases, strict=True):
        activations.append(sigmoid(w @ activations[-1] + b))
    return activations


@exercise("01-layer-activations", points=3)
def check_layer_activations(layer_activations: Any) -> str:
    """``layer_activations(weights, biases, x)``: the list of every layer's activations."""
    rng = np.random.default_rng(1)
    sizes = [5, 4, 3, 2]
    weights = [rng.standard_normal((n, k)) for k, n in zip(sizes[:-1], sizes[1:], strict=True)]
    biases = [rng.standard_normal((n, 1)) for n in sizes[1:]]
    x = rng.random((5, 7))
    expected = _reference_activations(weights, biases, x)
    answer = call_learner(
        layer_activations, weights, biases, x, name="layer_activations",
        hint="The check used a 5-4-3-2 network and x of shape (5, 7): each weight matrix "
        "must multiply the activations of the layer just before it.",
    )
    if isinstance(answer, np.ndarray) or not isinstance(answer, (list, tuple)):
        raise Hint(
            f"Return a list with one array per layer, the input included (yours returned a "
            f"{type(answer).__name__})."
        )
    if len(answer) == len(expected) - 1 and all(
        np.shape(a) == np.shape(e) for a, e in zip(answer, expected[1:], strict=True)
    ):
        raise Hint("Put the input x itself first in the list: it is the first layer's activation.")
    if len(answer) != len(expected):
        raise Hint(
            f"For a 5-4-3-2 network the list should have {len(expected)} arrays "
            f"(one per layer, input included), but yours has {len(answer)}."
        )
    for layer, (a, e) in enumerate(zip(answer, expected, strict=True), start=1):
        a = as_array(a, f"activation {layer} in your list")
        if a.shape == e.shape[::-1]:
            raise Hint(f"Layer {layer} is transposed: one column per example, shape {e.shape}.")
        if a.shape != e.shape:
            raise Hint(
                f"For x of shape (5, 7), layer {layer} should have shape {e.shape} "
                f"(neurons, examples), but yours has {a.shape}."
            )
        if not np.allclose(a, e):
            z = weights[layer - 2] @ expected[layer - 2] + biases[layer - 2] if layer > 1 else None
            if z is not None and np.allclose(a, z):
                raise Hint(f"Layer {layer} holds z = w a + b; apply the sigmoid to it.")
            raise Hint(
                f"Layer {layer} has the right shape but different numbers.",
                pointed="Each layer is the sigmoid of (its weights times the layer before, plus "
                "its biases), starting from x; the bias column broadcasts over the m columns.",
            )
    return "Every layer for every example in one pass; notebook 04 needs exactly this list."


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
