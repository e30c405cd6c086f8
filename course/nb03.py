"""Helpers for notebook 03 (backpropagation, intuitively): pictures, the widget, exercise checks.

The notebook computes the "nudges" step by step; this module draws them and checks the
exercises. Every ``check_...`` returns a :class:`course.feedback.Result`, drawn as a box.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, as_int, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb03.show_answer
from mlp.activations import sigmoid, sigmoid_prime

RAISE, LOWER = "tab:green", "tab:red"

# ---------------------------------------------------------------------------------------
# The nudges one example asks for (the same computation as in the notebook)
# ---------------------------------------------------------------------------------------


def example_nudges(net, x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """The desired nudges of one example for a sigmoid network with the quadratic cost.

    Parameters
    ----------
    net : mlp.network.Network
        A network with sigmoid layers.
    x : array of shape (sizes[0],)
        One input.
    y : array of shape (sizes[-1],)
        Its desired output.

    Returns
    -------
    dict of numpy.ndarray
        ``a_hidden`` (sizes[-2],), the last hidden layer's activations; ``a_out`` and
        ``z_out`` (sizes[-1],); ``output_nudges = y - a_out`` (sizes[-1],), minus the
        derivative of the cost with respect to each output; ``hidden_nudges``
        (sizes[-2],), the sum of what every output neuron asks of each hidden neuron:
        ``W^T (output_nudges * sigma'(z_out))``.
    """
    a = np.asarray(x, dtype=float)
    activations, zs = [a], []
    for w, b in zip(net.weights, net.biases, strict=True):
        zs.append(w @ activations[-1] + b[:, 0])
        activations.append(sigmoid(zs[-1]))
    output_nudges = np.asarray(y, dtype=float) - activations[-1]
    hidden_nudges = net.weights[-1].T @ (output_nudges * sigmoid_prime(zs[-1]))
    return {
        "a_hidden": activations[-2],
        "a_out": activations[-1],
        "z_out": zs[-1],
        "output_nudges": output_nudges,
        "hidden_nudges": hidden_nudges,
    }


def _signed_bars(ax: plt.Axes, values: np.ndarray, horizontal: bool = False) -> None:
    colors = [RAISE if v >= 0 else LOWER for v in values]
    positions = np.arange(len(values))
    if horizontal:
        ax.barh(positions, values, color=colors)
        ax.axvline(0, color="black", linewidth=0.8)
    else:
        ax.bar(positions, values, color=colors)
        ax.axhline(0, color="black", linewidth=0.8)


def draw_example_nudges(net, images: np.ndarray, labels: np.ndarray, index: int) -> None:
    """Image ``index``, the nudges its output layer asks for, and the last hidden layer's.

    Used by :func:`nudge_explorer` and, once, as its static fallback.
    """
    x = images[index].reshape(-1) / 255.0
    y = np.eye(net.sizes[-1])[labels[index]]
    n = example_nudges(net, x, y)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.4), width_ratios=(0.8, 1.6, 2.0))
    axes[0].imshow(images[index], cmap="gray_r")
    guess = int(np.argmax(n["a_out"]))
    axes[0].set_title(f"example {index}: a {labels[index]}, network says {guess}")
    axes[0].axis("off")
    outputs = np.arange(len(y))
    axes[1].bar(outputs, n["a_out"], color="lightgray", label="activation $a_j$")
    _signed_bars(axes[1], n["output_nudges"])
    axes[1].set_xticks(outputs)
    axes[1].set_ylim(-1.05, 1.05)
    axes[1].set_xlabel("output neuron $j$")
    axes[1].set_title("output layer: nudges $y_j - a_j$ (gray: $a_j$)")
    _signed_bars(axes[2], n["hidden_nudges"])
    axes[2].set_xticks(np.arange(len(n["hidden_nudges"])))
    limit = max(0.3, 1.1 * float(np.max(np.abs(n["hidden_nudges"]))))
    axes[2].set_ylim(-limit, limit)
    axes[2].set_xlabel("neuron $k$ of the last hidden layer")
    axes[2].set_title("last hidden layer: the nudges the outputs ask for")
    fig.tight_layout()
    plt.show()


def nudge_explorer(net, images: np.ndarray, labels: np.ndarray, count: int = 200):
    """A widget: a slider picks a training example and redraws :func:`draw_example_nudges`."""
    import ipywidgets as widgets

    index = widgets.IntSlider(
        value=min(5, count - 1),
        min=0,
        max=count - 1,
        description="example",
        continuous_update=False,
        layout=widgets.Layout(width="500px"),
    )

    def update(index: int) -> None:
        draw_example_nudges(net, images, labels, index)

    return widgets.interactive(update, index=index)


def draw_nudge_network(
    a_hidden: np.ndarray,
    output_nudges: np.ndarray,
    hidden_nudges: np.ndarray,
    contributions: np.ndarray,
    title: str = "",
) -> None:
    """The last two layers as a drawing: lines colored by the sign of what they ask for.

    Parameters
    ----------
    a_hidden : array of shape (k,)
        Activations of the last hidden layer (circle shading).
    output_nudges : array of shape (j,)
        What each output neuron wants (bars on the right).
    hidden_nudges : array of shape (k,)
        What the hidden neurons are asked for in total (bars on the left).
    contributions : array of shape (j, k)
        What output ``j`` asks of hidden neuron ``k`` (line color and width).
    """
    n_out, n_hidden = contributions.shape
    y_hidden = np.linspace(1, 0, n_hidden)
    y_out = np.linspace(0.9, 0.1, n_out)
    fig, ax = plt.subplots(figsize=(9, 6.5))
    largest = float(np.max(np.abs(contributions))) or 1.0
    for j in range(n_out):
        for k in range(n_hidden):
            c = contributions[j, k]
            ax.plot(
                [0, 1],
                [y_hidden[k], y_out[j]],
                color=RAISE if c > 0 else LOWER,
                linewidth=4 * abs(c) / largest,
                alpha=0.15 + 0.85 * abs(c) / largest,
                zorder=1,
            )
    gray = plt.get_cmap("gray_r")
    ax.scatter(np.zeros(n_hidden), y_hidden, s=220, c=gray(a_hidden), edgecolors="black", zorder=2)
    ax.scatter(np.ones(n_out), y_out, s=320, c="white", edgecolors="black", zorder=2)
    for j in range(n_out):
        ax.text(1, y_out[j], str(j), ha="center", va="center", fontsize=10, zorder=3)
    bar_out, bar_hidden = 1.5, -0.55
    scale_out = 0.3 / max(float(np.max(np.abs(output_nudges))), 1e-12)
    for j, v in enumerate(output_nudges):
        color = RAISE if v > 0 else LOWER
        ax.barh(y_out[j], v * scale_out, left=bar_out, height=0.04, color=color)
    scale_hidden = 0.3 / max(float(np.max(np.abs(hidden_nudges))), 1e-12)
    for k, v in enumerate(hidden_nudges):
        color = RAISE if v > 0 else LOWER
        ax.barh(y_hidden[k], v * scale_hidden, left=bar_hidden, height=0.035, color=color)
    ax.plot([bar_out, bar_out], [0.05, 0.95], color="black", linewidth=0.6)
    ax.plot([bar_hidden, bar_hidden], [-0.02, 1.02], color="black", linewidth=0.6)
    headers = [
        (bar_hidden, "sum of the wishes\nper hidden neuron"),
        (0, "last hidden layer\n(dark = active)"),
        (1, "output\nlayer"),
        (bar_out, "wished nudge\nof each output"),
    ]
    for x, text in headers:
        ax.text(x, 1.06, text, ha="center", va="bottom", fontsize=10)
    ax.set_xlim(-0.95, 1.9)
    ax.set_ylim(-0.05, 1.18)
    ax.axis("off")
    ax.set_title(title)
    plt.show()


# ---------------------------------------------------------------------------------------
# Exercise 1: which way should each output be nudged?
# ---------------------------------------------------------------------------------------

#: A half-trained network's output for an image of a 7: it hesitates between 4, 7 and 9.
SEVEN_OUTPUT = np.array([0.10, 0.02, 0.20, 0.05, 0.60, 0.03, 0.01, 0.30, 0.08, 0.50])
SEVEN_TARGET = np.eye(10)[7]


@exercise("03-seven-nudges", points=1)
def check_seven_nudges(nudges_for_seven: np.ndarray) -> str:
    """The desired nudges are ``y - a``, or any positive multiple such as ``2 (y - a)``."""
    nudges = as_array(nudges_for_seven, "nudges_for_seven", shape=(10,))
    wanted = SEVEN_TARGET - SEVEN_OUTPUT
    scale = float(nudges @ wanted / (wanted @ wanted))
    if scale > 0 and np.allclose(nudges, scale * wanted, atol=1e-9):
        note = "" if np.isclose(scale, 1) else f" (your nudges are {scale:g} × (y - a), also fine)"
        return (
            "Output 7 should rise by the most it can (0.70), outputs 4 and 9 should fall the "
            f"most, and outputs already near 0 barely matter{note}."
        )
    if scale < 0 and np.allclose(nudges, scale * wanted, atol=1e-9):
        raise Hint(
            "The signs are flipped: the 7 is at 0.30 and should go UP towards 1, and the "
            "others should go DOWN towards 0. A positive nudge means raise."
        )
    if np.array_equal(np.sign(nudges), np.sign(wanted)):
        raise Hint(
            "The directions are right, but the sizes should be proportional to how far each "
            "output is from its target: an output at 0.60 needs a bigger push than one at 0.01."
        )
    if np.count_nonzero(nudges) == 1 and nudges[7] > 0:
        raise Hint(
            "Output 7 is right to go up, but every other output also wants something: to go "
            "down towards 0, by as much as it is above 0."
        )
    raise Hint(
        "For each output j, compare the activation a_j with its target (1 for the 7, 0 for "
        "the rest).",
        pointed="A nudge is as large as the distance from the activation to its target, and "
        "positive when the output should rise.",
    )


# ---------------------------------------------------------------------------------------
# Exercise 2: which incoming weight matters most?
# ---------------------------------------------------------------------------------------


@exercise("03-strongest-weight", points=1)
def check_strongest_weight(strongest_weight: int, a_hidden: np.ndarray) -> str:
    """The weight w_2k whose nudge is largest comes from the most active hidden neuron."""
    k = as_int(strongest_weight, "strongest_weight")
    a_hidden = np.asarray(a_hidden, dtype=float).ravel()
    expected = int(np.argmax(a_hidden))
    if k == expected:
        return (
            f"Hidden neuron {k} fires the most (activation {a_hidden[k]:.2f}), so the weight "
            "from it changes the output the most: neurons that fire together wire together."
        )
    if not 0 <= k < a_hidden.size:
        raise Hint(f"k should be between 0 and {a_hidden.size - 1}, one per hidden neuron.")
    if k == int(np.argmin(a_hidden)):
        raise Hint(
            "That is the least active neuron: its weight hardly matters, since "
            "∂z_2/∂w_2k = a_k. Look for the largest activation instead."
        )
    raise Hint(
        f"Hidden neuron {k} has activation {a_hidden[k]:.2f}.",
        pointed="The desired nudge to w_2k is proportional to a_k, the activation it "
        "multiplies: find the position of the largest one.",
    )


# ---------------------------------------------------------------------------------------
# Exercise 3: the central difference
# ---------------------------------------------------------------------------------------


@exercise("03-central-difference", points=2)
def check_central_difference(central_difference: Callable) -> str:
    """``central_difference(f, x, h)`` should return ``(f(x + h) - f(x - h)) / (2 h)``."""
    h = 1e-3
    value = as_float(
        call_learner(central_difference, np.sin, 1.0, h, name="central_difference",
                     hint="The check called central_difference(np.sin, 1.0, 0.001)."),
        "central_difference(np.sin, 1.0, 0.001)",
    )
    exact = np.cos(1.0)
    if abs(value - exact) < 1e-6:
        cubic = as_float(
            call_learner(central_difference, lambda t: t**3, 2.0, h, name="central_difference",
                         hint="The check called it with f(t) = t**3, x = 2.0, h = 0.001."),
            "central_difference(cube, 2.0, 0.001)",
        )
        if abs(cubic - 12.0) > 1e-5:
            raise Hint("Right for sin at 1, but not for t³ at 2: do not hard-code the function.")
        return (
            f"For sin at x = 1 with h = 0.001 it gives {value:.10f}; cos(1) = {exact:.10f}. The "
            "error is about h²/6 ≈ 1.7e-7 times |cos 1|, as the Taylor series predicts."
        )
    if abs(value - (np.sin(1 + h) - np.sin(1)) / h) < 1e-12:
        raise Hint(
            "That is the forward difference, whose error is of order h. The central "
            "difference steps both ways from x."
        )
    if abs(value - 2 * exact) < 1e-5:
        raise Hint("Twice too large: how far apart are the two points x - h and x + h?")
    if abs(value - exact / 2) < 1e-5:
        raise Hint("Half the slope: how far apart are the two points x - h and x + h?")
    if abs(value + exact) < 1e-5:
        raise Hint("The sign is flipped: the point to the right comes first in the numerator.")
    raise Hint(
        f"For f = sin, x = 1, h = 0.001 you returned {value:.6g}, but the slope is "
        f"cos(1) = {exact:.6f}.",
        pointed="The central difference is the rise of f between x - h and x + h, divided by "
        "the run between those two points.",
    )


# ---------------------------------------------------------------------------------------
# Exercise 4: the relative error
# ---------------------------------------------------------------------------------------


def reference_relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``max |a - b| / (max |a| + max |b|)``, and 0 when both are zero (as in mlp.gradcheck)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    scale = float(np.max(np.abs(a)) + np.max(np.abs(b)))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b))) / scale


@exercise("03-relative-error", points=2)
def check_relative_error(relative_error: Callable) -> str:
    """Test ``relative_error(a, b)`` on a few pairs with known answers."""
    a = np.array([3.0, -4.0, 1.0])
    b = np.array([3.0, -4.5, 1.2])

    def call(first: np.ndarray, second: np.ndarray, shown: str) -> float:
        returned = call_learner(relative_error, first, second, name="relative_error",
                                hint=f"The check called relative_error({shown}).")
        return as_float(returned, f"relative_error({shown})")

    value = call(a, b, "a, b")
    expected = reference_relative_error(a, b)  # 0.5 / (4 + 4.5)
    if np.isclose(value, 0.5):
        raise Hint(
            "That is the absolute error max |a - b|. Divide it by max |a| + max |b|, so that "
            "the answer does not depend on the scale of the gradients."
        )
    if np.isclose(value, 0.5 / 4.0) or np.isclose(value, 0.5 / 4.5):
        raise Hint(
            "Close: you divided by the largest entry of one array only. Divide by "
            "max |a| + max |b|, so that relative_error(a, b) equals relative_error(b, a)."
        )
    if np.isclose(value, 0.5 / 4.0 / 2) or np.isclose(value, 1.0 / 8.5):
        raise Hint("Take the largest |a_i - b_i| (0.5 here), not a sum over entries.")
    if not np.isclose(value, expected):
        raise Hint(
            f"For a = (3, -4, 1) and b = (3, -4.5, 1.2) you returned {value:.4g}, but "
            f"max |a - b| = 0.5 and max |a| + max |b| = 4 + 4.5.",
            pointed="Every max in the formula is taken over absolute values.",
        )
    if not np.isclose(call(b, a, "b, a"), expected):
        raise Hint("relative_error(b, a) should equal relative_error(a, b).")
    if not np.isclose(call(1e-9 * a, 1e-9 * b, "1e-9 * a, 1e-9 * b"), expected):
        raise Hint("Scaling both arrays by 1e-9 should not change a relative error.")
    if not np.isclose(call(np.ones((2, 3)), 2 * np.ones((2, 3)), "ones (2, 3), twos (2, 3)"),
                      1 / 3):
        raise Hint("It should work for arrays of any shape, e.g. weight matrices (2, 3).")
    zeros = call_learner(relative_error, np.zeros(3), np.zeros(3), name="relative_error",
                         hint="The check called it with two arrays of zeros.")
    if np.size(zeros) != 1 or not np.isfinite(zeros) or as_float(zeros, "zeros") != 0.0:
        raise Hint("Two zero arrays agree perfectly: the answer is 0 in that case, without "
                   "dividing 0 by 0.")
    return (
        f"relative_error((3, -4, 1), (3, -4.5, 1.2)) = {expected:.4f}, the same at any scale. "
        "It is never more than 1, and a gradient off by a factor 2 gives exactly 1/3."
    )


# ---------------------------------------------------------------------------------------
# Exercise 5: a gradient that is off by a factor 2
# ---------------------------------------------------------------------------------------


def bug_problem() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The data of the buggy-gradient exercise: ``(inputs (20, 3), targets (20,), w (3,))``."""
    rng = np.random.default_rng(3)
    inputs = rng.normal(size=(20, 3))
    targets = inputs @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=20)
    w = np.array([0.3, 0.2, -0.4])
    return inputs, targets, w


def _squares_cost(w: np.ndarray, inputs: np.ndarray, targets: np.ndarray) -> float:
    return float(np.mean((inputs @ w - targets) ** 2))


def _numerical_gradient(cost: Callable[[np.ndarray], float], w: np.ndarray, h: float = 1e-6):
    grad = np.zeros_like(w)
    for i in range(w.size):
        step = np.zeros_like(w)
        step[i] = h
        grad[i] = (cost(w + step) - cost(w - step)) / (2 * h)
    return grad


@exercise("03-fixed-gradient", points=2)
def check_fixed_gradient(fixed_gradient: Callable) -> str:
    """The gradient of ``mean((inputs @ w - targets)^2)`` is ``2 inputs^T (inputs @ w - t) / n``."""
    inputs, targets, w0 = bug_problem()
    rng = np.random.default_rng(4)
    for w in [w0, rng.normal(size=3)]:
        answer = call_learner(fixed_gradient, w, name="fixed_gradient",
                              hint="The check called fixed_gradient(w) with w of shape (3,).")
        g = as_array(answer, "fixed_gradient(w)", shape=(3,))
        numeric = _numerical_gradient(lambda v: _squares_cost(v, inputs, targets), w)
        error = reference_relative_error(g, numeric)
        if error < 1e-6:
            continue
        ratio = numeric @ g / (g @ g) if g @ g > 0 else np.inf
        proportional = np.isfinite(ratio) and np.allclose(numeric, ratio * g, rtol=1e-4)
        if proportional and np.isclose(ratio, 2.0, rtol=1e-4):
            raise Hint(
                f"Relative error {error:.2f}, exactly 1/3: the signature of a factor 2. Your "
                "gradient is half the numerical one in every entry.",
                pointed="The cost is a mean of squares without a ½: what does the chain rule "
                "give for the derivative of a square?",
            )
        if proportional and np.isclose(ratio, 0.5, rtol=1e-4):
            raise Hint(
                f"Relative error {error:.2f}: your gradient is twice the numerical one. There is "
                "no ½ in this cost, so exactly one factor 2 comes from the square."
            )
        if proportional and np.isclose(ratio, -1.0, rtol=1e-4):
            raise Hint("The sign is flipped: the residual is the prediction minus the target.")
        raise Hint(
            f"Relative error {error:.2g} against finite differences. The cost is "
            "mean((inputs @ w - targets)²); differentiate it with the chain rule.",
            pointed="Start from the buggy gradient above: the ratio of the numerical gradient "
            "to it is the same in every entry.",
        )
    return (
        "The gradient check passes: relative error below 1e-6 at two different points. A bug "
        "that scales the gradient by a constant shows up as a ratio that is the same in every "
        "entry, here 2: the classic ½ that is in one cost and not in the other."
    )
