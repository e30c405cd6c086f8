"""Helpers for notebook 04 (backpropagation calculus): pictures, the stepper's drawing, checks.

The notebook derives backpropagation itself; this module only draws and checks.
Layers are numbered as in Nielsen's book: layer 1 is the input, so ``weights[0]`` of a
network holds :math:`w^2`, the weights into layer 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, as_int_tuple, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb04.show_answer

# --------------------------------------------------------------------------------------
# Small maths used by the pictures and the checks (the notebook derives its own).
# --------------------------------------------------------------------------------------


def _sigmoid(z: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def _sigmoid_prime(z: np.ndarray | float) -> np.ndarray:
    s = _sigmoid(z)
    return s * (1.0 - s)


# --------------------------------------------------------------------------------------
# The dependency tree of one neuron per layer (3Blue1Brown, lesson 4).
# --------------------------------------------------------------------------------------

_TREE_NODES = {
    # name: (x, y, label)
    "w_prev": (0.0, 3.0, r"$w^{(L-1)}$"),
    "a_prev2": (1.0, 3.0, r"$a^{(L-2)}$"),
    "b_prev": (2.0, 3.0, r"$b^{(L-1)}$"),
    "z_prev": (1.0, 2.0, r"$z^{(L-1)}$"),
    "w": (0.0, 1.0, r"$w^{(L)}$"),
    "a_prev": (1.0, 1.0, r"$a^{(L-1)}$"),
    "b": (2.0, 1.0, r"$b^{(L)}$"),
    "z": (1.0, 0.0, r"$z^{(L)}$"),
    "a": (1.0, -1.0, r"$a^{(L)}$"),
    "y": (2.0, -1.0, r"$y$"),
    "C": (1.5, -2.0, r"$C_0$"),
}
_TREE_EDGES = [
    ("w_prev", "z_prev"),
    ("a_prev2", "z_prev"),
    ("b_prev", "z_prev"),
    ("z_prev", "a_prev"),
    ("w", "z"),
    ("a_prev", "z"),
    ("b", "z"),
    ("z", "a"),
    ("a", "C"),
    ("y", "C"),
]
# The chain of each derivative the notebook discusses: edges walked from C back to a leaf,
# with the factor each edge contributes.
_TREE_PATHS = {
    "w": [
        (("a", "C"), r"$\frac{\partial C_0}{\partial a^{(L)}}$"),
        (("z", "a"), r"$\frac{\partial a^{(L)}}{\partial z^{(L)}}$"),
        (("w", "z"), r"$\frac{\partial z^{(L)}}{\partial w^{(L)}}$"),
    ],
    "b": [
        (("a", "C"), r"$\frac{\partial C_0}{\partial a^{(L)}}$"),
        (("z", "a"), r"$\frac{\partial a^{(L)}}{\partial z^{(L)}}$"),
        (("b", "z"), r"$\frac{\partial z^{(L)}}{\partial b^{(L)}}$"),
    ],
    "a_prev": [
        (("a", "C"), r"$\frac{\partial C_0}{\partial a^{(L)}}$"),
        (("z", "a"), r"$\frac{\partial a^{(L)}}{\partial z^{(L)}}$"),
        (("a_prev", "z"), r"$\frac{\partial z^{(L)}}{\partial a^{(L-1)}}$"),
    ],
    "w_prev": [
        (("a", "C"), r"$\frac{\partial C_0}{\partial a^{(L)}}$"),
        (("z", "a"), r"$\frac{\partial a^{(L)}}{\partial z^{(L)}}$"),
        (("a_prev", "z"), r"$\frac{\partial z^{(L)}}{\partial a^{(L-1)}}$"),
        (("z_prev", "a_prev"), r"$\frac{\partial a^{(L-1)}}{\partial z^{(L-1)}}$"),
        (("w_prev", "z_prev"), r"$\frac{\partial z^{(L-1)}}{\partial w^{(L-1)}}$"),
    ],
}


def plot_dependency_tree(highlights: tuple[str, ...] = ("w", "a_prev")) -> plt.Figure:
    """Draw which quantity depends on which, one neuron per layer, a path per derivative.

    Parameters
    ----------
    highlights : tuple of str
        Leaves whose chain back to the cost to draw, one panel each: any of
        ``"w"``, ``"b"``, ``"a_prev"``, ``"w_prev"``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    colours = {"w": "tab:red", "b": "tab:purple", "a_prev": "tab:green", "w_prev": "tab:blue"}
    fig, axes = plt.subplots(1, len(highlights), figsize=(4.6 * len(highlights), 5.4))
    axes = np.atleast_1d(axes)
    for ax, leaf in zip(axes, highlights, strict=True):
        path = _TREE_PATHS[leaf]
        on_path = {edge for edge, _ in path}
        nodes_on_path = {n for edge in on_path for n in edge}
        colour = colours[leaf]
        for start, end in _TREE_EDGES:
            (x0, y0, _), (x1, y1, _) = _TREE_NODES[start], _TREE_NODES[end]
            active = (start, end) in on_path
            ax.annotate(
                "",
                xy=(x1, y1 + 0.22 if y1 < y0 else y1),
                xytext=(x0, y0 - 0.22 if y1 < y0 else y0),
                arrowprops=dict(
                    arrowstyle="-|>",
                    color=colour if active else "0.75",
                    lw=2.6 if active else 1.2,
                    shrinkA=4,
                    shrinkB=4,
                ),
            )
        for name, (x, y, label) in _TREE_NODES.items():
            active = name in nodes_on_path
            ax.text(
                x,
                y,
                label,
                ha="center",
                va="center",
                fontsize=15,
                bbox=dict(
                    boxstyle="round,pad=0.35",
                    fc="white",
                    ec=colour if active else "0.6",
                    lw=2.2 if active else 1.0,
                ),
                color="black" if active or name in ("C", "y") else "0.35",
            )
        for (start, end), factor in path:
            (x0, y0, _), (x1, y1, _) = _TREE_NODES[start], _TREE_NODES[end]
            xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
            side = -1 if x1 <= x0 and (start, end) != ("a", "C") else 1
            if start in ("w", "w_prev"):
                side = -1
            ax.text(
                xm + 0.28 * side,
                ym,
                factor,
                ha="right" if side < 0 else "left",
                va="center",
                fontsize=15,
                color=colour,
            )
        leaf_label = _TREE_NODES[leaf][2].strip("$")
        ax.set_title(
            rf"$\partial C_0 / \partial {leaf_label}$: follow the chain from $C_0$",
            fontsize=12,
        )
        ax.set_xlim(-1.2, 3.0)
        ax.set_ylim(-2.6, 3.5)
        ax.set_axis_off()
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------
# Several neurons per layer: every path from a^(L-1)_k to the cost.
# --------------------------------------------------------------------------------------


def plot_fan_out(n_prev: int = 3, n_out: int = 2, k: int = 1) -> plt.Figure:
    """Draw how neuron ``k`` of layer L-1 reaches the cost through every neuron of layer L."""
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    y_prev = np.linspace(1, -1, n_prev)
    y_out = np.linspace(0.6, -0.6, n_out)
    cost = (2.0, 0.0)
    for j, yj in enumerate(y_out):
        for kk, yk in enumerate(y_prev):
            active = kk == k
            ax.plot(
                [0, 1], [yk, yj], color="tab:green" if active else "0.8", lw=2.4 if active else 1
            )
            if active:
                ax.text(
                    0.55,
                    yk + (yj - yk) * 0.55 + 0.09,
                    rf"$w^{{L}}_{{{j}{k}}}$",
                    color="tab:green",
                    fontsize=12,
                    ha="center",
                )
        ax.plot([1, cost[0]], [yj, cost[1]], color="tab:green", lw=2.4)
    for kk, yk in enumerate(y_prev):
        ax.add_patch(plt.Circle((0, yk), 0.12, fc="white", ec="tab:green" if kk == k else "0.5",
                                lw=2 if kk == k else 1, zorder=3))
        ax.text(-0.2, yk, rf"$a^{{L-1}}_{{{kk}}}$", ha="right", va="center", fontsize=13)
    for j, yj in enumerate(y_out):
        ax.add_patch(plt.Circle((1, yj), 0.12, fc="white", ec="tab:green", lw=2, zorder=3))
        ax.text(1.16, yj + 0.12, rf"$a^{{L}}_{{{j}}}$", ha="left", va="bottom", fontsize=13)
    ax.text(cost[0] + 0.08, cost[1], r"$C$", ha="left", va="center", fontsize=15,
            bbox=dict(boxstyle="round", fc="white", ec="black"))
    ax.set_title(
        rf"$a^{{L-1}}_{{{k}}}$ reaches the cost along {n_out} paths, which add up",
        fontsize=12,
    )
    ax.set_xlim(-0.8, 2.5)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------
# The chain-rule stepper: the backward pass of a tiny network, one quantity at a time.
# --------------------------------------------------------------------------------------


@dataclass
class Step:
    """One quantity of the forward or backward pass, as the stepper shows it.

    ``layer`` is Nielsen's layer number (1 = input). ``kind`` is ``"nodes"`` for a vector
    attached to the neurons of ``layer`` and ``"edges"`` for a matrix on the weights into it.
    """

    title: str
    equation: str
    layer: int
    kind: str
    symbol: str
    values: np.ndarray


def tiny_example(
    seed: int = 0,
) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray]:
    """A 2-3-2 network and one training example, seeded: ``(weights, biases, x, y)``."""
    rng = np.random.default_rng(seed)
    sizes = [2, 3, 2]
    pairs = zip(sizes[:-1], sizes[1:], strict=True)
    weights = [rng.normal(size=(n, m)).round(2) for m, n in pairs]
    biases = [rng.normal(size=(n, 1)).round(2) for n in sizes[1:]]
    x = np.array([[0.8], [0.3]])
    y = np.array([[1.0], [0.0]])
    return weights, biases, x, y


def backprop_steps(
    weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray, y: np.ndarray
) -> list[Step]:
    """Every quantity of one forward and backward pass, in the order it is computed.

    Parameters
    ----------
    weights, biases : lists of arrays
        ``weights[i]`` has shape ``(sizes[i+1], sizes[i])``, ``biases[i]`` ``(sizes[i+1], 1)``.
    x, y : arrays of shape (sizes[0], 1) and (sizes[-1], 1)
        One example and its target; the cost is the quadratic ``0.5 * ||a - y||^2``.

    Returns
    -------
    list of Step
    """
    n_layers = len(weights) + 1
    steps = [Step("Forward: the input", r"$a^1 = x$", 1, "nodes", "a^1", x)]
    activations, zs = [x], []
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        layer = i + 2
        z = w @ activations[-1] + b
        a = _sigmoid(z)
        zs.append(z)
        activations.append(a)
        steps.append(
            Step(
                f"Forward: layer {layer}",
                rf"$z^{layer} = w^{layer} a^{layer - 1} + b^{layer},\quad "
                rf"a^{layer} = \sigma(z^{layer})$",
                layer,
                "nodes",
                f"a^{layer}",
                a,
            )
        )
    cost = 0.5 * float(np.sum((activations[-1] - y) ** 2))
    steps.append(
        Step(
            "Forward: the cost",
            rf"$C = \frac{{1}}{{2}}\,\|a^{n_layers} - y\|^2 = {cost:.4f}$",
            n_layers,
            "nodes",
            f"a^{n_layers} - y",
            activations[-1] - y,
        )
    )
    delta = (activations[-1] - y) * _sigmoid_prime(zs[-1])
    steps.append(
        Step(
            "BP1: the error of the output layer",
            rf"$\delta^{n_layers} = (a^{n_layers} - y) \odot \sigma'(z^{n_layers})$",
            n_layers,
            "nodes",
            rf"\delta^{n_layers}",
            delta,
        )
    )
    for layer in range(n_layers, 1, -1):
        i = layer - 2
        steps.append(
            Step(
                f"BP3: the bias gradient of layer {layer}",
                rf"$\partial C / \partial b^{layer} = \delta^{layer}$",
                layer,
                "nodes",
                rf"\partial C/\partial b^{layer}",
                delta,
            )
        )
        steps.append(
            Step(
                f"BP4: the weight gradient of layer {layer}",
                rf"$\partial C / \partial w^{layer} = \delta^{layer} \, (a^{layer - 1})^T$",
                layer,
                "edges",
                rf"\partial C/\partial w^{layer}",
                delta @ activations[layer - 2].T,
            )
        )
        if layer > 2:
            delta = (weights[i].T @ delta) * _sigmoid_prime(zs[i - 1])
            steps.append(
                Step(
                    f"BP2: the error moves back to layer {layer - 1}",
                    rf"$\delta^{layer - 1} = ((w^{layer})^T \delta^{layer}) \odot "
                    rf"\sigma'(z^{layer - 1})$",
                    layer - 1,
                    "nodes",
                    rf"\delta^{layer - 1}",
                    delta,
                )
            )
    return steps


def _positions(sizes: list[int]) -> list[np.ndarray]:
    return [np.linspace(0.5 * (n - 1), -0.5 * (n - 1), n) * 1.1 for n in sizes]


def draw_step(
    steps: list[Step], index: int, sizes: list[int], axes: tuple[plt.Axes, plt.Axes] | None = None
) -> None:
    """Draw the network with step ``index`` highlighted (left), its equation and value (right)."""
    if axes is None:
        fig, axes = plt.subplots(
            1, 2, figsize=(11, 3.9), gridspec_kw={"width_ratios": [1.25, 1]}, layout="tight"
        )
    ax, text_ax = axes
    step = steps[index]
    ys = _positions(sizes)
    forward = step.title.startswith("Forward")
    colour = "tab:orange" if forward else "tab:blue"
    vmax = max(float(np.abs(step.values).max()), 1e-12)
    cmap = plt.get_cmap("coolwarm")
    # edges
    for i in range(len(sizes) - 1):
        layer = i + 2
        for j, yj in enumerate(ys[i + 1]):
            for k, yk in enumerate(ys[i]):
                if step.kind == "edges" and step.layer == layer:
                    value = step.values[j, k]
                    ax.plot(
                        [i, i + 1], [yk, yj],
                        color=cmap(0.5 + 0.5 * value / vmax),
                        lw=1.0 + 5.0 * abs(value) / vmax,
                        zorder=1,
                    )
                else:
                    ax.plot([i, i + 1], [yk, yj], color="0.85", lw=1, zorder=1)
    # nodes
    for i in range(len(sizes)):
        layer = i + 1
        for j, yj in enumerate(ys[i]):
            here = step.kind == "nodes" and step.layer == layer
            ax.add_patch(
                plt.Circle(
                    (i, yj), 0.36, fc="#fff3e0" if here and forward else
                    ("#e3f0fb" if here else "white"),
                    ec=colour if here else "0.55", lw=2.4 if here else 1.0, zorder=2,
                )
            )
            if here:
                ax.text(i, yj, f"{step.values[j, 0]:+.3f}", ha="center", va="center",
                        fontsize=9, zorder=3)
        name = "input" if i == 0 else ("output" if i == len(sizes) - 1 else "hidden")
        ax.text(i, ys[i][0] + 0.6, f"layer {layer}\n({name})", ha="center", va="bottom",
                fontsize=10, color="0.3")
    if not forward:
        ax.annotate("", xy=(0, -1.95), xytext=(len(sizes) - 1, -1.95),
                    arrowprops=dict(arrowstyle="-|>", color="tab:blue", lw=1.4))
        ax.text((len(sizes) - 1) / 2, -1.85, "backward pass", color="tab:blue", ha="center",
                va="bottom", fontsize=9)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-2.1, max(y[0] for y in ys) + 1.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    # text panel
    text_ax.set_axis_off()
    text_ax.text(0.0, 0.97, f"Step {index + 1} of {len(steps)}: {step.title}",
                 fontsize=12, weight="bold", va="top", transform=text_ax.transAxes)
    text_ax.text(0.0, 0.8, step.equation, fontsize=13, va="top", transform=text_ax.transAxes)
    rows = np.atleast_2d(step.values)
    matrix = "\n".join("[" + "  ".join(f"{v:+.4f}" for v in row) + "]" for row in rows)
    label = f"${step.symbol}$"
    if step.kind == "edges":
        label += "  (row j, column k;\nedge colour and width above)"
    text_ax.text(0.0, 0.55, f"{label} =", fontsize=11, va="top", transform=text_ax.transAxes)
    text_ax.text(0.0, 0.38, matrix, family="monospace", fontsize=11, va="top",
                 transform=text_ax.transAxes, color=colour)


def plot_all_steps(steps: list[Step], sizes: list[int]) -> plt.Figure:
    """The static version of the stepper: every step, two steps per row."""
    rows = (len(steps) + 1) // 2
    fig, axes = plt.subplots(
        rows, 4, figsize=(20, 3.3 * rows), gridspec_kw={"width_ratios": [1.1, 1, 1.1, 1]},
        dpi=50,
    )
    for index in range(2 * rows):
        pair = (axes[index // 2, 2 * (index % 2)], axes[index // 2, 2 * (index % 2) + 1])
        if index < len(steps):
            draw_step(steps, index, sizes, axes=pair)
        else:
            pair[0].set_axis_off()
            pair[1].set_axis_off()
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------
# Exercises
# --------------------------------------------------------------------------------------

EXERCISE_Z = 1.0

# BP1 and BP2 exercise data (the notebook shows the same numbers).
BP1_Z = np.array([[0.5], [-1.0], [2.0]])
BP1_Y = np.array([[0.0], [0.0], [1.0]])
BP2_W_NEXT = np.array([[0.2, -0.5, 1.0], [0.7, 0.1, -0.3]])
BP2_DELTA_NEXT = np.array([[0.1], [-0.2]])
BP2_Z = np.array([[0.0], [1.0], [-2.0]])
BP4_A_PREV = np.array([[0.9], [0.2], [0.5], [0.7]])
BP4_DELTA = np.array([[0.05], [-0.3], [0.12]])
BP4_J, BP4_K = 1, 2
BP3_DELTA = np.array(
    [
        [0.10, -0.20, 0.05, 0.30, -0.15],
        [0.00, 0.40, -0.10, 0.20, 0.10],
        [-0.30, 0.10, 0.20, -0.05, 0.25],
    ]
)


def _close(a: object, b: object, tol: float = 1e-4) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol * 1e-2))


@exercise("04-sigmoid-prime", points=1)
def check_sigmoid_prime(sigma_prime_at_1: float) -> str:
    """σ'(z) at z = EXERCISE_Z."""
    got = as_float(sigma_prime_at_1, "sigma_prime_at_1")
    z = EXERCISE_Z
    expected = float(_sigmoid_prime(z))
    if abs(got - expected) < 1e-4:
        return (f"σ'({z:g}) = σ({z:g})(1 - σ({z:g})) = {expected:.4f}. The slope of the sigmoid "
                "is at most 0.25, at z = 0.")
    if abs(got - float(_sigmoid(z))) < 1e-4:
        raise Hint("That is σ(1) itself, not its slope.",
                   pointed="The notebook wrote σ'(z) in terms of σ(z) itself.")
    if abs(got - z * (1 - z)) < 1e-6:
        raise Hint("You used z(1 - z). Apply the sigmoid first.")
    if got > 0.25:
        raise Hint("σ'(z) is never larger than 0.25 (its value at z = 0).",
                   pointed="Compute σ(1) first, then use the formula for σ' in terms of σ.")
    raise Hint("Compute σ(1) first, then the slope from it.",
               pointed="The notebook wrote σ'(z) in terms of σ(z) itself.")


@exercise("04-delta-output", points=2)
def check_delta_output(delta_L: np.ndarray) -> str:
    """BP1 with the exercise's z and y."""
    delta = as_array(delta_L, "delta_L")
    a = _sigmoid(BP1_Z)
    expected = (a - BP1_Y) * _sigmoid_prime(BP1_Z)
    if delta.shape != expected.shape:
        raise Hint(f"δ^L has one entry per output neuron: shape {expected.shape}, "
                   f"but yours has shape {delta.shape}.",
                   pointed="BP1 multiplies two vectors entry by entry (⊙), not as matrices.")
    if _close(delta, expected):
        return ("BP1: δ^L = (a^L - y) ⊙ σ'(z^L). Every output neuron's error is its "
                "cost slope times its sigmoid slope.")
    if _close(delta, -expected):
        raise Hint("The sign is flipped: for C = ½||a - y||² the slope ∂C/∂a^L is positive "
                   "when a is above y.")
    if _close(delta, 2 * expected):
        raise Hint("That is 3Blue1Brown's cost (a - y)², twice ours. With C = ½||a - y||² "
                   "the factor 2 cancels.")
    if _close(delta, a - BP1_Y):
        raise Hint("That is ∇_a C only. BP1 multiplies it, entry by entry, by the slope of "
                   "the sigmoid at z^L.")
    if _close(delta, (a - BP1_Y) * a):
        raise Hint("You multiplied by σ(z). BP1 needs the slope σ'(z).")
    if _close(delta, (BP1_Z - BP1_Y) * _sigmoid_prime(BP1_Z)):
        raise Hint("Use the activation a = σ(z) in the cost's slope, not z itself.")
    raise Hint("BP1: δ^L = ∇_a C ⊙ σ'(z^L). Which two vectors does it multiply here?",
               pointed="For the quadratic cost, ∇_a C is the activation minus the target, and "
               "the activation is σ(z^L).")


@exercise("04-delta-previous", points=2)
def check_delta_previous(delta_prev: np.ndarray) -> str:
    """BP2 with the exercise's w^{l+1}, δ^{l+1}, z^l."""
    delta = as_array(delta_prev, "delta_prev")
    backwards = BP2_W_NEXT.T @ BP2_DELTA_NEXT
    expected = backwards * _sigmoid_prime(BP2_Z)
    if delta.shape != expected.shape:
        raise Hint(f"δ^l has one entry per neuron of layer l: shape {expected.shape}, "
                   f"yours has shape {delta.shape}.",
                   pointed=f"w^(l+1) has shape {BP2_W_NEXT.shape}: to carry δ^(l+1) back to "
                   "layer l, use its transpose in a matrix product.")
    if _close(delta, expected):
        return ("BP2: the transposed weights carry each error back along the same "
                "connections, and σ'(z^l) scales it by how sensitive each neuron is.")
    if _close(delta, backwards):
        raise Hint("Almost: (w^(l+1))^T δ^(l+1) is right; BP2 then scales it, entry by entry, "
                   "by how sensitive each neuron of layer l is.")
    if _close(delta, backwards * _sigmoid(BP2_Z)):
        raise Hint("You multiplied by σ(z^l); BP2 needs the slope σ'(z^l).")
    raise Hint("Compare your code with BP2 piece by piece: the next layer's weights, its δ, "
               "and the slope of this layer's neurons.",
               pointed="The weights carry δ backwards only when transposed, and σ' takes z of "
               "layer l (not l+1).")


@exercise("04-weight-gradient", points=1)
def check_weight_gradient(dC_dw12: float) -> str:
    """BP4 for one weight: a^{l-1}_k δ^l_j."""
    got = as_float(dC_dw12, "dC_dw12")
    j, k = BP4_J, BP4_K
    expected = float(BP4_A_PREV[k, 0] * BP4_DELTA[j, 0])
    if abs(got - expected) < 1e-6:
        return (f"∂C/∂w_{j}{k} = a_{k} δ_{j} = {expected:.3f}: the input on the wire times the "
                "error at its end. A weight from a dim neuron (small a) learns slowly.")
    if abs(got - float(BP4_A_PREV[j, 0] * BP4_DELTA[k, 0])) < 1e-6:
        raise Hint(f"You swapped the indices: w_jk goes from neuron k = {k} of layer l-1 to "
                   f"neuron j = {j} of layer l.")
    if abs(got - float(BP4_DELTA[j, 0])) < 1e-6:
        raise Hint("That is ∂C/∂b_j (BP3). For a weight, multiply by the incoming activation.")
    raise Hint("BP4: ∂C/∂w_jk = a^(l-1)_k δ^l_j, the activation at the start of the wire "
               "times the error at its end.",
               pointed=f"Here j = {j} and k = {k}, counting from 0; both arrays are columns.")


@exercise("04-nabla-w-shape", points=1)
def check_nabla_w_shape(shape_nabla_w0: tuple[int, ...]) -> str:
    """Shape of nabla_w[0] for a 784-30-10 network and a mini-batch of 100 examples."""
    got = as_int_tuple(shape_nabla_w0, "shape_nabla_w0")
    if got == (30, 784):
        return ("(30, 784), exactly the shape of weights[0]: the gradient has one entry per "
                "weight, and the batch size 100 disappears in the average δ A^T / m.")
    if got == (784, 30):
        raise Hint("Transposed. weights[l] has shape (sizes[l+1], sizes[l]): rows are the "
                   "neurons the weights lead into.")
    if 100 in got:
        raise Hint("The batch size does not appear: δ (30, 100) times A^T (100, 784) sums over "
                   "the 100 examples.")
    raise Hint("nabla_w[0] updates weights[0], so it has the same shape.",
               pointed="weights[l] has shape (sizes[l+1], sizes[l]); here sizes is "
               "[784, 30, 10].")


@exercise("04-bp3-vectorised", points=2)
def check_bp3_vectorised(nabla_b_batch: np.ndarray) -> str:
    """Vectorised BP3: the mean of δ over the columns (examples), kept as a column."""
    got = as_array(nabla_b_batch, "nabla_b_batch")
    expected = BP3_DELTA.mean(axis=1, keepdims=True)
    if _close(got, expected):
        return ("One number per neuron, averaged over the 5 examples, shaped (3, 1) like the "
                "biases it updates.")
    wrong_axis = BP3_DELTA.mean(axis=0)
    if got.size == wrong_axis.size and np.allclose(got.ravel(), wrong_axis, atol=1e-9):
        raise Hint("Wrong axis: that is one number per example (averaged over the 3 neurons "
                   "of the layer), so it mixes up the errors of different biases. Average "
                   "over the examples, the columns.")
    if got.shape == (3,) and np.allclose(got, expected.ravel()):
        raise Hint("Right numbers, wrong shape: (3,) broadcast against biases (3, 1) would give "
                   "a (3, 3) matrix. Keep the result a column of shape (3, 1).")
    if _close(got, BP3_DELTA.sum(axis=1, keepdims=True)):
        raise Hint("That is the sum over the mini-batch, 5 times too large: the cost is the "
                   "mean over examples, so its gradient is the mean too.")
    if got.shape != expected.shape:
        raise Hint(f"Expected shape {expected.shape} (one entry per bias), yours is {got.shape}.")
    raise Hint("Each bias gets the mean of its neuron's δ over the examples of the batch.",
               pointed="Neurons are the rows of delta_batch and examples its columns; keep the "
               "result a column.")
