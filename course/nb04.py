"""Helpers for notebook 04 (backpropagation calculus): pictures, the stepper's drawing, checks.

The notebook derives backpropagation and the learner writes it; this module draws, checks,
and keeps the course's own :func:`backprop`, which the cells after the exercise use (so
that they run while the learner's answer is still a stub).

Layers are numbered as in Nielsen's book: layer 1 is the input, so ``weights[0]`` of a
network holds :math:`w^2`, the weights into layer 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb04.show_answer
from course.nb03 import excerpt as excerpt  # for the notebook: nb04.excerpt
from mlp.activations import sigmoid, sigmoid_prime
from mlp.gradcheck import numerical_gradient
from mlp.gradcheck import relative_error as reference_relative_error
from mlp.network import Network

# The course palette (Okabe-Ito), safe for colour-blind readers.
BLUE, ORANGE, GREEN, VERMILLION, PURPLE = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7"

def _one_blas_thread() -> bool:
    """Ask the OpenBLAS library behind NumPy to use one thread; True if it could.

    Section 6 times small matrix products. On a busy machine with few cores, OpenBLAS's
    threads wait for each other and the times become noise; one thread keeps them steady.
    The library is found among the ones the process has loaded (Linux); elsewhere this
    does nothing.
    """
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        return False
    names = ("openblas_set_num_threads", "openblas_set_num_threads64_",
             "scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads")
    for path in sorted(p for p in paths if ".so" in p):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in names:
            if hasattr(library, name):
                getattr(library, name)(1)
                return True
    return False


ONE_BLAS_THREAD = _one_blas_thread()


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
    colours = {"w": VERMILLION, "b": PURPLE, "a_prev": GREEN, "w_prev": BLUE}
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
                [0, 1], [yk, yj], color=GREEN if active else "0.8", lw=2.4 if active else 1
            )
            if active:
                ax.text(
                    0.55,
                    yk + (yj - yk) * 0.55 + 0.09,
                    rf"$w^{{L}}_{{{j}{k}}}$",
                    color=GREEN,
                    fontsize=12,
                    ha="center",
                )
        ax.plot([1, cost[0]], [yj, cost[1]], color=GREEN, lw=2.4)
    for kk, yk in enumerate(y_prev):
        ax.add_patch(plt.Circle((0, yk), 0.12, fc="white", ec=GREEN if kk == k else "0.5",
                                lw=2 if kk == k else 1, zorder=3))
        ax.text(-0.2, yk, rf"$a^{{L-1}}_{{{kk}}}$", ha="right", va="center", fontsize=13)
    for j, yj in enumerate(y_out):
        ax.add_patch(plt.Circle((1, yj), 0.12, fc="white", ec=GREEN, lw=2, zorder=3))
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
        a = sigmoid(z)
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
    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
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
            delta = (weights[i].T @ delta) * sigmoid_prime(zs[i - 1])
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
    colour = ORANGE if forward else BLUE
    vmax = max(float(np.abs(step.values).max()), 1e-12)
    cmap = plt.get_cmap("RdBu")  # red negative, blue positive
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
                        fontsize=10, zorder=3)
        name = "input" if i == 0 else ("output" if i == len(sizes) - 1 else "hidden")
        ax.text(i, ys[i][0] + 0.6, f"layer {layer}\n({name})", ha="center", va="bottom",
                fontsize=10, color="0.3")
    if not forward:
        ax.annotate("", xy=(0, -1.95), xytext=(len(sizes) - 1, -1.95),
                    arrowprops=dict(arrowstyle="-|>", color=BLUE, lw=1.4))
        ax.text((len(sizes) - 1) / 2, -1.85, "backward pass", color=BLUE, ha="center",
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


def plot_all_steps(steps: list[Step], sizes: list[int], first: int = 0,
                   last: int | None = None) -> plt.Figure:
    """The static version of the stepper: steps ``first`` to ``last`` (excluded), one a row.

    Each row is what the stepper shows for one step (the network on the left, the equation
    and the values on the right), at the size the stepper draws it, so the text stays
    readable.
    """
    indices = list(range(len(steps)))[first:last]
    fig, axes = plt.subplots(len(indices), 2, figsize=(10, 3.1 * len(indices)),
                             gridspec_kw={"width_ratios": [1.25, 1]}, squeeze=False)
    for row, index in enumerate(indices):
        draw_step(steps, index, sizes, axes=(axes[row, 0], axes[row, 1]))
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------
# What the equations tell: the slope of the sigmoid
# --------------------------------------------------------------------------------------


def plot_sigmoid_slope() -> plt.Figure:
    """σ(z) and σ'(z) side by side, with the saturated regions shaded."""
    z = np.linspace(-8, 8, 401)
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6), sharex=True)
    for ax, values, title in (
        (axes[0], sigmoid(z), r"$\sigma(z)$: the activation"),
        (axes[1], sigmoid_prime(z), r"$\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$: its slope"),
    ):
        ax.plot(z, values, color=BLUE, linewidth=2.5)
        for side in (-1, 1):
            ax.axvspan(4 * side, 8 * side, color=ORANGE, alpha=0.2, linewidth=0)
        ax.set_title(title, fontsize=13)
        ax.set_xlabel("weighted input $z$", fontsize=12)
        ax.grid(alpha=0.3)
    axes[1].annotate("0.25 at z = 0", xy=(0, 0.25), xytext=(2.2, 0.2), fontsize=11,
                     arrowprops=dict(arrowstyle="->"))
    axes[1].text(6, 0.12, "saturated:\nσ' < 0.02", ha="center", fontsize=11)
    axes[1].text(-6, 0.12, "saturated:\nσ' < 0.02", ha="center", fontsize=11)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------------------
# Exercise: the chain rule along a chain of three neurons
# --------------------------------------------------------------------------------------


def chain_cost(a_in: float, y: float, w_prev: float, b_prev: float, w: float, b: float) -> float:
    """The cost ``½ (a - y)²`` of the chain ``a_in -> a^(L-1) -> a^(L)``, one neuron a layer."""
    a_prev = sigmoid(w_prev * a_in + b_prev)
    return float(0.5 * (sigmoid(w * a_prev + b) - y) ** 2)


def _chain_reference(a_in, y, w_prev, b_prev, w, b, slope_prev=True, half=True):
    z_prev = w_prev * a_in + b_prev
    a_prev = sigmoid(z_prev)
    z = w * a_prev + b
    dC_dz = (1 if half else 2) * (sigmoid(z) - y) * sigmoid_prime(z)
    dC_dz_prev = w * dC_dz * (sigmoid_prime(z_prev) if slope_prev else 1)
    return np.array([a_in * dC_dz_prev, dC_dz_prev, a_prev * dC_dz, dC_dz])


#: Points where the chain-rule check compares with finite differences: the notebook's
#: numbers first, then two more.
CHAIN_POINTS = [
    (0.90, 1.0, -1.20, 0.80, 1.50, -0.40),
    (0.30, 0.0, 0.70, -0.50, -2.00, 0.30),
    (0.65, 1.0, 2.10, 0.20, 0.90, 1.10),
]
_CHAIN_NAMES = ("∂C0/∂w^(L-1)", "∂C0/∂b^(L-1)", "∂C0/∂w^(L)", "∂C0/∂b^(L)")


@exercise("04-chain-rule", points=3)
def check_chain_gradient(chain_gradient) -> str:
    """``chain_gradient(a_in, y, w_prev, b_prev, w, b)`` against finite differences."""
    h = 1e-6
    for point in CHAIN_POINTS:
        shown = "chain_gradient(" + ", ".join(f"{v:g}" for v in point) + ")"
        answer = call_learner(chain_gradient, *point, name="chain_gradient",
                              hint=f"The check called {shown}.")
        got = as_array(answer, shown, shape=(4,))
        numeric = np.array([
            (chain_cost(*point[:i], point[i] + h, *point[i + 1:])
             - chain_cost(*point[:i], point[i] - h, *point[i + 1:])) / (2 * h)
            for i in range(2, 6)
        ])
        if np.allclose(got, numeric, rtol=1e-5, atol=1e-9):
            continue
        wrong = [name for name, g, n in zip(_CHAIN_NAMES, got, numeric, strict=True)
                 if not np.isclose(g, n, rtol=1e-5, atol=1e-9)]
        table = ", ".join(f"{name} {g:+.5f} (finite difference {n:+.5f})"
                          for name, g, n in zip(_CHAIN_NAMES, got, numeric, strict=True)
                          if name in wrong)
        if np.allclose(got, numeric[[2, 3, 0, 1]], rtol=1e-5, atol=1e-9):
            raise Hint("The right four numbers in the wrong order: return the previous layer's "
                       "two derivatives first, (∂C0/∂w^(L-1), ∂C0/∂b^(L-1), ∂C0/∂w^(L), "
                       "∂C0/∂b^(L)).")
        if np.allclose(got, _chain_reference(*point, half=False), rtol=1e-5):
            raise Hint("Every derivative is twice too large: that is 3Blue1Brown's cost "
                       "(a - y)². With C0 = ½ (a - y)², ∂C0/∂a is a - y.")
        if np.allclose(got, -numeric, rtol=1e-5, atol=1e-9):
            raise Hint("Every sign is flipped: ∂C0/∂a^(L) is the activation minus the target.")
        if np.allclose(got, _chain_reference(*point, slope_prev=False), rtol=1e-5):
            raise Hint("The last layer is right; the previous layer's two derivatives lack "
                       "one factor: the slope of the sigmoid of the neuron in layer L-1.",
                       pointed="The chain to w^(L-1) has five factors: count yours.")
        if wrong == [_CHAIN_NAMES[0]]:
            raise Hint(f"Only ∂C0/∂w^(L-1) is off: {table}.",
                       pointed="The weight w^(L-1) multiplies the input of the chain: its "
                       "derivative is the bias's times that input.")
        if wrong == list(_CHAIN_NAMES[:2]):
            raise Hint(f"The last layer is right, the layer before is not: {table}.",
                       pointed="Walk the right-hand tree from C0 up to w^(L-1): the last three "
                       "factors are ∂C0/∂a^(L-1), then σ'(z^(L-1)), then the input a_in.")
        raise Hint(f"At {shown}: {table}.",
                   pointed="Start with ∂C0/∂z^(L) = (a - y) σ'(z^(L)), computed once and "
                   "reused: the bias, the weight (times a^(L-1)) and the layer before "
                   "(times w^(L)) all go through it.")
    return ("All four derivatives agree with finite differences at three points. The number "
            "you reused, ∂C0/∂z, is what Nielsen calls the error δ.")


# --------------------------------------------------------------------------------------
# Exercises on the four equations: BP1, BP2, BP4 for one weight
# --------------------------------------------------------------------------------------

BP1_Z = np.array([[0.5], [-1.0], [2.0]])
BP1_Y = np.array([[0.0], [0.0], [1.0]])
BP2_W_NEXT = np.array([[0.2, -0.5, 1.0], [0.7, 0.1, -0.3]])
BP2_DELTA_NEXT = np.array([[0.1], [-0.2]])
BP2_Z = np.array([[0.0], [1.0], [-2.0]])
BP4_A_PREV = np.array([[0.9], [0.2], [0.5], [0.7]])
BP4_DELTA = np.array([[0.05], [-0.3], [0.12]])
BP4_J, BP4_K = 1, 2


def _close(a: object, b: object, tol: float = 1e-4) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=tol, atol=tol * 1e-2))


@exercise("04-delta-output", points=2)
def check_delta_output(delta_L: np.ndarray) -> str:
    """BP1 with the exercise's z and y."""
    delta = as_array(delta_L, "delta_L")
    a = sigmoid(BP1_Z)
    expected = (a - BP1_Y) * sigmoid_prime(BP1_Z)
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
    if _close(delta, (BP1_Z - BP1_Y) * sigmoid_prime(BP1_Z)):
        raise Hint("Use the activation a = σ(z) in the cost's slope, not z itself.")
    raise Hint("BP1: δ^L = ∇_a C ⊙ σ'(z^L). Which two vectors does it multiply here?",
               pointed="For the quadratic cost, ∇_a C is the activation minus the target, and "
               "the activation is σ(z^L).")


@exercise("04-delta-previous", points=2)
def check_delta_previous(delta_prev: np.ndarray) -> str:
    """BP2 with the exercise's w^{l+1}, δ^{l+1}, z^l."""
    delta = as_array(delta_prev, "delta_prev")
    backwards = BP2_W_NEXT.T @ BP2_DELTA_NEXT
    expected = backwards * sigmoid_prime(BP2_Z)
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
    if _close(delta, backwards * sigmoid(BP2_Z)):
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


# --------------------------------------------------------------------------------------
# Exercise: backpropagation for a mini-batch
# --------------------------------------------------------------------------------------


def backprop(weights: list[np.ndarray], biases: list[np.ndarray], x: np.ndarray,
             y: np.ndarray, bp1_slope: bool = True, bp2_slope: bool = True,
             average: bool = True) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The course's answer to the backprop exercise: the mean gradient of a mini-batch.

    Parameters
    ----------
    weights, biases : lists of arrays
        ``weights[l]`` of shape ``(sizes[l+1], sizes[l])``, ``biases[l]`` ``(sizes[l+1], 1)``.
    x, y : arrays of shape (sizes[0], m) and (sizes[-1], m)
        A mini-batch, one example a column; the cost is the mean of ``½ ||a - y||²``.
    bp1_slope, bp2_slope, average : bool
        Leave them True. False reproduces a classic mistake (no σ' in BP1 or BP2, a sum
        over the mini-batch instead of the mean), so the check can recognise it.

    Returns
    -------
    nabla_b, nabla_w : lists of arrays
        Shaped like ``biases`` and ``weights``.
    """
    activations, zs = [x], []
    for w, b in zip(weights, biases, strict=True):
        zs.append(w @ activations[-1] + b)
        activations.append(sigmoid(zs[-1]))
    m = x.shape[1] if average else 1
    nabla_b, nabla_w = [None] * len(biases), [None] * len(weights)
    delta = (activations[-1] - y) * (sigmoid_prime(zs[-1]) if bp1_slope else 1)  # BP1
    for l in range(1, len(weights) + 1):  # l = 1 is the output layer, as in the book's -l
        if l > 1:
            delta = weights[-l + 1].T @ delta * (sigmoid_prime(zs[-l]) if bp2_slope else 1)  # BP2
        nabla_b[-l] = delta.sum(axis=1, keepdims=True) / m  # BP3
        nabla_w[-l] = delta @ activations[-l - 1].T / m  # BP4
    return nabla_b, nabla_w


def _as_gradient(answer: object, weights: list, biases: list) -> tuple[list, list]:
    """The learner's ``(nabla_b, nabla_w)`` as float arrays shaped like the parameters."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Hint("backprop should return a pair, `return nabla_b, nabla_w`: two lists with "
                   "one array per layer.")
    nabla_b, nabla_w = answer
    for name, got, params in (("nabla_b", nabla_b, biases), ("nabla_w", nabla_w, weights)):
        if not isinstance(got, (tuple, list)) or len(got) != len(params):
            raise Hint(f"{name} should be a list with one array per layer ({len(params)} "
                       "here), like the network's biases and weights.")
    shapes_b = [b.shape for b in biases]
    shapes_w = [w.shape for w in weights]
    got_b = [np.shape(g) for g in nabla_b]
    got_w = [np.shape(g) for g in nabla_w]
    if got_b == shapes_w and got_w == shapes_b:
        raise Hint("The pair is the wrong way round: return nabla_b first, then nabla_w, as "
                   "net.backprop does.")
    for l, (got, want) in enumerate(zip(got_w, shapes_w, strict=True)):
        if got == want[::-1] and got != want:
            raise Hint(f"nabla_w[{l}] has shape {got}, the transpose of weights[{l}] {want}.",
                       pointed="In BP4 the errors δ^l give the rows and the activations of "
                       "layer l-1 the columns: which of the two matrices needs transposing?")
        if got != want:
            raise Hint(f"nabla_w[{l}] has shape {got}, but weights[{l}] has shape {want}: a "
                       "gradient has one entry per weight.")
    for l, (got, want) in enumerate(zip(got_b, shapes_b, strict=True)):
        if len(got) == 2 and got[0] == want[0] and got[1] > 1:
            raise Hint(f"nabla_b[{l}] has shape {got}: one column per example. BP3 gives the "
                       "gradient of each example; the mini-batch's gradient is their mean, "
                       f"a column of shape {want}.")
        if got == (want[0],):
            raise Hint(f"nabla_b[{l}] has shape {got}; keep it a column {want} like the "
                       "biases (a flat vector would broadcast into a matrix when subtracted).")
        if got != want:
            raise Hint(f"nabla_b[{l}] has shape {got}, but biases[{l}] has shape {want}.")
    return ([as_array(g, f"nabla_b[{l}]") for l, g in enumerate(nabla_b)],
            [as_array(g, f"nabla_w[{l}]") for l, g in enumerate(nabla_w)])


#: The networks the backprop check tries: (sizes, mini-batch size, seed).
BACKPROP_CASES = [([3, 4, 2], 5, 0), ([4, 5, 3, 2], 7, 1), ([2, 3, 3, 3, 2], 1, 2)]


def _backprop_hint(got: tuple[list, list], weights, biases, x, y, numeric) -> Hint:
    """Name the mistake that explains a wrong gradient, if it is a classic one."""
    flat = got[0] + got[1]

    def same(other: tuple[list, list]) -> bool:
        return all(np.allclose(g, o, rtol=1e-5, atol=1e-10)
                   for g, o in zip(flat, other[0] + other[1], strict=True))

    m = x.shape[1]
    if same(backprop(weights, biases, x, y, average=False)):
        return Hint(f"Every entry is {m} times too large: you summed over the {m} examples of "
                    "the mini-batch. The cost is their mean, so its gradient is the mean too.")
    if same(backprop(weights, biases, x, y, bp2_slope=False)):
        return Hint("The output layer is right, the layers before are not: BP2 is missing a "
                    "factor.",
                    pointed="BP2 carries δ back through the transposed weights and then "
                    "scales it, entry by entry, by the slope of the sigmoid of layer l.")
    if same(backprop(weights, biases, x, y, bp1_slope=False)):
        return Hint("BP1 is missing a factor: δ^L is the cost's slope (a - y) times the "
                    "slope of the sigmoid at z^L, entry by entry.")
    exact = backprop(weights, biases, x, y)
    m_sized = [g for g, e in zip(flat, exact[0] + exact[1], strict=True)
               if np.allclose(g, m * e, rtol=1e-5) and not np.allclose(e, 0)]
    if m_sized:
        return Hint(f"Some arrays are {m} times too large: one of BP3 and BP4 sums over the "
                    "mini-batch, the other averages. Both should average.")
    wrong = [f"{name}[{l}]" for name, arrays, reference in
             (("nabla_b", got[0], numeric[0]), ("nabla_w", got[1], numeric[1]))
             for l, (g, r) in enumerate(zip(arrays, reference, strict=True))
             if reference_relative_error(g, r) > 1e-6]
    last = len(weights) - 1
    if all(name.endswith(f"[{last}]") for name in wrong):
        return Hint(f"Only the output layer is wrong ({', '.join(wrong)}): look at BP1 and at "
                    "BP3 and BP4 for the last layer.")
    if not any(name.endswith(f"[{last}]") for name in wrong):
        return Hint(f"The output layer is right, but not {', '.join(wrong)}: the error is in "
                    "the loop that goes backwards.",
                    pointed="Check the layer indices: in BP2 δ^l comes from the weights of "
                    "layer l+1 and the z of layer l; in BP4 it meets the activations of layer "
                    "l-1. Remember that activations has one more entry than zs.")
    return Hint(f"These arrays disagree with finite differences: {', '.join(wrong)}.",
                pointed="Take the four equations one at a time: BP1 for the output error, BP2 "
                "for each layer before, then BP3 and BP4 (averaged over the columns) per layer.")


@exercise("04-backprop", points=4)
def check_backprop(backprop) -> str:
    """The learner's ``backprop(weights, biases, x, y)`` against finite differences."""
    for sizes, m, seed in BACKPROP_CASES:
        net = Network(sizes, seed=seed, dtype=np.float64)
        rng = np.random.default_rng(seed + 10)
        x = rng.random((sizes[0], m))
        y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], size=m)]
        weights = [w.copy() for w in net.weights]
        biases = [b.copy() for b in net.biases]
        shown = f"a {'-'.join(map(str, sizes))} network and a mini-batch of {m}"
        answer = call_learner(backprop, weights, biases, x, y, name="backprop",
                              hint=f"The check called backprop(weights, biases, x, y) for {shown}.")
        if not all(np.array_equal(p, q) for p, q in
                   zip(weights + biases, net.weights + net.biases, strict=True)):
            raise Hint("Your backprop changed the weights or biases it was given: compute new "
                       "arrays, and leave the network as it was.")
        got = _as_gradient(answer, weights, biases)
        numeric = numerical_gradient(net, x, y)
        error = max(reference_relative_error(g, n) for g, n in
                    zip(got[0] + got[1], numeric[0] + numeric[1], strict=True))
        if error > 1e-6:
            hint = _backprop_hint(got, weights, biases, x, y, numeric)
            raise Hint(f"{hint.nudge} (The check used {shown}.)", pointed=hint.pointed)
    return ("Finite differences agree on three networks (2 to 4 layers of weights, mini-batches "
            "of 5, 7 and 1; relative errors below 1e-6). You have written backpropagation.")
