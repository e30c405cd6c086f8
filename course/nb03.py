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
from mlp.gradcheck import numerical_gradient as reference_numerical_gradient
from mlp.gradcheck import relative_error as reference_relative_error
from mlp.network import Network

# The course palette (Okabe-Ito), safe for colour-blind readers: blue asks a quantity to
# rise, vermillion to fall; tables of signed numbers use the diverging map RdBu (blue > 0).
RAISE, LOWER = "#0072B2", "#D55E00"
DIVERGING = "RdBu"

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
# Exercise: which way should each output be nudged?
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
# Exercise: which incoming weight matters most?
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
# The finite-difference gradient of every weight and bias
# ---------------------------------------------------------------------------------------


def excerpt(function: Callable, start: str = "") -> str:
    """The lines of ``function`` after its docstring, from the first that starts with ``start``.

    A short excerpt for the notebook: the signature and docstring are said in the text.
    """
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(function))
    body = textwrap.dedent(source.partition('"""')[2].partition('"""')[2].lstrip("\n"))
    lines = body.rstrip().splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith(start)), 0)
    return "\n".join(lines[first:])


def _gradient_pair(answer: object, net: Network) -> tuple[list, list]:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Hint("finite_difference_gradient should return a pair, like net.backprop: "
                   "`return nabla_b, nabla_w`, two lists with one array per layer.")
    nabla_b, nabla_w = answer
    for name, got, params in (("nabla_b", nabla_b, net.biases), ("nabla_w", nabla_w, net.weights)):
        if not isinstance(got, (tuple, list)) or len(got) != len(params):
            raise Hint(f"{name} should be a list with one array per layer ({len(params)} here).")
    if [np.shape(g) for g in nabla_b] == [w.shape for w in net.weights]:
        raise Hint("The pair is the wrong way round: nabla_b first, then nabla_w, as "
                   "net.backprop returns them.")
    return ([as_array(g, f"nabla_b[{l}]", shape=b.shape)
             for l, (g, b) in enumerate(zip(nabla_b, net.biases, strict=True))],
            [as_array(g, f"nabla_w[{l}]", shape=w.shape)
             for l, (g, w) in enumerate(zip(nabla_w, net.weights, strict=True))])


def _forward_difference(net: Network, x: np.ndarray, y: np.ndarray, h: float) -> list:
    grads = []
    base = net.cost(x, y)
    for p in net.biases + net.weights:
        g = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            saved = p[index]
            p[index] = saved + h
            g[index] = (net.cost(x, y) - base) / h
            p[index] = saved
        grads.append(g)
    return grads


@exercise("03-finite-difference-gradient", points=3)
def check_finite_difference_gradient(finite_difference_gradient: Callable) -> str:
    """Every partial derivative of a small network's cost, against backprop and gradcheck."""
    net = Network([3, 4, 3, 2], seed=7, dtype=np.float64)
    rng = np.random.default_rng(8)
    x = rng.random((3, 5))
    y = np.eye(2)[:, rng.integers(0, 2, size=5)]
    saved = [p.copy() for p in net.biases + net.weights]
    answer = call_learner(finite_difference_gradient, net, x, y,
                          name="finite_difference_gradient",
                          hint="The check called finite_difference_gradient(net, x, y) for a "
                          "3-4-3-2 network and 5 examples.")
    if not all(np.allclose(p, q, rtol=0, atol=1e-12)
               for p, q in zip(net.biases + net.weights, saved, strict=True)):
        raise Hint("After your function ran, some weights or biases of the network had "
                   "changed: put every entry back after nudging it.")
    got_b, got_w = _gradient_pair(answer, net)
    got = got_b + got_w
    exact_b, exact_w = net.backprop(x, y)
    exact = exact_b + exact_w
    numeric_b, numeric_w = reference_numerical_gradient(net, x, y)
    errors = [reference_relative_error(g, e) for g, e in zip(got, exact, strict=True)]
    package = [reference_relative_error(g, n) for g, n in zip(got, numeric_b + numeric_w,
                                                              strict=True)]
    if max(errors + package) < 1e-6:
        return (f"All {sum(g.size for g in got)} partial derivatives agree with net.backprop "
                "and with numerical_gradient of mlp.gradcheck (relative errors below 1e-6). "
                "Each one cost two evaluations of the cost.")
    if all(np.all(g == 0) for g in got):
        raise Hint("Every entry is 0: the cost never changed. Nudge the entry of the "
                   "network's own array (net.weights[l], net.biases[l]), not of a copy.")
    if all(np.all(g == 0) for g in got_b):
        raise Hint("The biases are derivatives too: nabla_b is all zeros.")

    def proportional(factor: float) -> bool:
        return all(np.allclose(g, factor * e, rtol=1e-4, atol=1e-9)
                   for g, e in zip(got, exact, strict=True))

    if proportional(2.0):
        raise Hint("Twice too large everywhere: the two costs are 2h apart in the parameter, "
                   "so divide their difference by 2h.")
    if proportional(0.5):
        raise Hint("Half the slope everywhere: the two nudged points are 2h apart, not 4h.")
    if proportional(-1.0):
        raise Hint("Every sign is flipped: put the cost after the nudge up (+h) first.")
    forward = _forward_difference(net, x, y, 1e-5)
    if all(np.allclose(g, f, rtol=1e-3, atol=1e-9) for g, f in zip(got, forward, strict=True)):
        raise Hint(f"Close (relative error {max(errors):.0e}), but that is the forward "
                   "difference, whose error is of order h. Nudge each entry both ways.")
    wrong = [f"nabla_b[{l}]" for l, e in enumerate(errors[: len(got_b)]) if e > 1e-6] + [
        f"nabla_w[{l}]" for l, e in enumerate(errors[len(got_b):]) if e > 1e-6]
    raise Hint(f"These arrays disagree with net.backprop: {', '.join(wrong)} (largest "
               f"relative error {max(errors):.2g}).",
               pointed="For every entry of every array in net.biases and net.weights: the "
               "cost with that entry raised by h, the cost with it lowered by h, their "
               "difference over 2h, stored at the same index of an array of zeros shaped like "
               "the parameter.")


# ---------------------------------------------------------------------------------------
# Exercise: the relative error
# ---------------------------------------------------------------------------------------


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
# Exercise: a gradient that is off by a factor 2
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
