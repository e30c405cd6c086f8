"""Helpers for notebook 10 (a visual proof of universality): the reference constructions,
the pictures, the widgets and the exercise checks.

The notebook builds every idea itself first (a steep sigmoid as a step, two steps as a bump,
bumps as a hidden layer, towers in two dimensions); this module keeps the plotting code, the
sliders and the checks out of the way. The constructions follow chapter 4 of Michael Nielsen's
*Neural Networks and Deep Learning*, http://neuralnetworksanddeeplearning.com/chap4.html.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb10.show_answer
from course.palette import BLACK, BLUE, ORANGE, VERMILLION
from course.palette import GREEN as GREEN  # for the notebook: nb10.GREEN
from course.palette import SKY as SKY  # for the notebook: nb10.SKY
from mlp.activations import sigmoid

X = np.linspace(0.0, 1.0, 1001)  # where every curve on [0, 1] is drawn and measured
STEEPNESS = 1000.0  # the hidden weight w that makes a sigmoid a step, as in the book

# ---------------------------------------------------------------------------------------
# The goal function and the reference constructions
# ---------------------------------------------------------------------------------------


def goal(x: np.ndarray) -> np.ndarray:
    """Nielsen's goal function f(x) = 0.2 + 0.4 x² + 0.3 x sin(15 x) + 0.05 cos(50 x)."""
    x = np.asarray(x, dtype=float)
    return 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)


def inverse_sigmoid(y: np.ndarray) -> np.ndarray:
    """σ⁻¹(y) = ln(y / (1 - y)) for y strictly between 0 and 1."""
    y = np.asarray(y, dtype=float)
    return np.log(y / (1.0 - y))


def bump_edges(n_bumps: int) -> np.ndarray:
    """The ``n_bumps + 1`` edges of ``n_bumps`` bumps of equal width on [0, 1]."""
    return np.linspace(0.0, 1.0, n_bumps + 1)


def bump_layer(
    heights: Sequence[float], steepness: float = STEEPNESS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reference: one hidden layer whose weighted output is ``len(heights)`` bumps on [0, 1].

    Bump ``j`` covers ``[j/N, (j+1)/N]``: one neuron steps up at its left edge (output weight
    ``+h_j``), one at its right edge (output weight ``-h_j``).

    Returns
    -------
    weights : array of shape (2N, 1)
    biases : array of shape (2N, 1)
    output_weights : array of shape (1, 2N)
    """
    heights = np.asarray(heights, dtype=float).ravel()
    edges = bump_edges(heights.size)
    steps = np.concatenate([edges[:-1], edges[1:]])
    weights = np.full((steps.size, 1), float(steepness))
    biases = (-steepness * steps).reshape(-1, 1)
    output_weights = np.concatenate([heights, -heights]).reshape(1, -1)
    return weights, biases, output_weights


def weighted_output(
    x: np.ndarray, weights: np.ndarray, biases: np.ndarray, output_weights: np.ndarray
) -> np.ndarray:
    """Σ_j w_j a_j: what the hidden layer hands to the output neuron, one value per ``x``."""
    x = np.asarray(x, dtype=float).reshape(1, -1)
    return (output_weights @ sigmoid(weights @ x + biases)).ravel()


def choose_heights(f: Callable[[np.ndarray], np.ndarray], n_bumps: int) -> np.ndarray:
    """Reference: heights h_j = σ⁻¹(f(middle of bump j)), so σ(h_j) lands on f there."""
    edges = bump_edges(n_bumps)
    return inverse_sigmoid(f((edges[:-1] + edges[1:]) / 2))


def bumps_output(
    x: np.ndarray, heights: Sequence[float], steepness: float = STEEPNESS, offset: float = 0.0
) -> np.ndarray:
    """The network's output σ(Σ_j w_j a_j) for bumps of the given heights (output bias 0)."""
    weights, biases, output_weights = bump_layer(heights, steepness)
    return sigmoid(weighted_output(x, weights, biases + steepness * offset, output_weights))


def mean_abs_error(output: np.ndarray, x: np.ndarray = X) -> float:
    """Mean of |output - f(x)| over ``x`` (the grid of 1,001 points on [0, 1] by default)."""
    return float(np.mean(np.abs(np.asarray(output, dtype=float) - goal(x))))


def shifted_copies_output(
    x: np.ndarray, n_bumps: int, copies: int, steepness: float
) -> np.ndarray:
    """Nielsen's fix for the failure windows: average ``copies`` bump networks.

    Copy ``k`` has its bump edges shifted by ``k / (copies * n_bumps)``, so the windows where
    one copy's steps are not yet steps lie where the other copies are fine. Each copy
    approximates σ⁻¹∘f and contributes 1/``copies`` of the weighted output. One extra bump
    on the left covers the part of [0, 1] that a shift uncovers.
    """
    width = 1.0 / n_bumps
    total = np.zeros_like(np.asarray(x, dtype=float))
    for k in range(copies):
        shift = k * width / copies
        left = np.arange(-1, n_bumps) * width + shift  # left edges, one bump before 0
        middles = np.clip(left + width / 2, 0.0, 1.0)
        heights = inverse_sigmoid(goal(middles))
        z = steepness * (x[None, :] - left[:, None])
        bumps = sigmoid(z) - sigmoid(z - steepness * width)
        total += heights @ bumps / copies
    return sigmoid(total)


def tower(
    x: np.ndarray,
    y: np.ndarray,
    x_edges: tuple[float, float],
    y_edges: tuple[float, float],
    h: float = 10.0,
    steepness: float = STEEPNESS,
) -> np.ndarray:
    """Reference: the output neuron σ(h·x-bump + h·y-bump - 3h/2): a tower on the rectangle."""
    x_bump = sigmoid(steepness * (x - x_edges[0])) - sigmoid(steepness * (x - x_edges[1]))
    y_bump = sigmoid(steepness * (y - y_edges[0])) - sigmoid(steepness * (y - y_edges[1]))
    return sigmoid(h * x_bump + h * y_bump - 1.5 * h)


def goal_2d(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A smooth hill-and-valley surface on the unit square, values in (0, 1)."""
    return 0.5 + 0.3 * np.sin(4 * x) * np.cos(3 * y) + 0.15 * np.cos(6 * x * y)


def towers_approximation(x: np.ndarray, y: np.ndarray, n: int, h: float = 10.0) -> np.ndarray:
    """An n×n grid of clean towers, tower (i, j) scaled by ``goal_2d`` at its centre."""
    edges = bump_edges(n)
    middles = (edges[:-1] + edges[1:]) / 2
    total = np.zeros_like(x)
    for i in range(n):
        for j in range(n):
            cell = tower(x, y, edges[i : i + 2], edges[j : j + 2], h=h)
            total += goal_2d(middles[i], middles[j]) * cell
    return total


# ---------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------


def draw_step(w: float = 10.0, s: float = 0.4) -> None:
    """One hidden neuron's output σ(w x + b) with b = -w s, and where its step is."""
    b = -w * s
    fig, ax = plt.subplots(figsize=(6.5, 3.4))
    ax.plot(X, sigmoid(w * X + b), color=BLUE, linewidth=2.5)
    ax.axvline(s, color=VERMILLION, linestyle="--", linewidth=1.2)
    ax.text(s + 0.01, 0.05, f"s = -b/w = {s:.2f}", color=VERMILLION)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("input $x$")
    ax.set_ylabel("hidden activation $a$")
    ax.set_title(f"$\\sigma(wx + b)$ with $w$ = {w:.4g}, $b$ = {b:.4g}")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    plt.show()


def draw_bumps(
    heights: Sequence[float], steepness: float = STEEPNESS, title: str = ""
) -> float:
    """The weighted output against σ⁻¹∘f (left) and σ of it against f (right).

    Returns the mean absolute error of the output against the goal on [0, 1].
    """
    heights = np.asarray(heights, dtype=float)
    layer = bump_layer(heights, steepness)
    weighted = weighted_output(X, *layer)
    error = mean_abs_error(sigmoid(weighted))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    left.plot(X, inverse_sigmoid(goal(X)), color=BLACK, linewidth=1.2, label="$\\sigma^{-1}(f(x))$")
    left.plot(X, weighted, color=BLUE, linewidth=2.2, label="weighted output $\\sum_j w_j a_j$")
    left.set_title("what the hidden layer hands on")
    right.plot(X, goal(X), color=BLACK, linewidth=1.2, label="goal $f(x)$")
    right.plot(X, sigmoid(weighted), color=ORANGE, linewidth=2.2, label="network output")
    right.set_title(title or f"after the output neuron: mean |error| = {error:.3f}")
    right.set_ylim(0, 1)
    for ax in (left, right):
        ax.set_xlim(0, 1)
        ax.set_xlabel("$x$")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    plt.show()
    return error


def surface(ax, x: np.ndarray, y: np.ndarray, z: np.ndarray, title: str) -> None:
    """A 3-D surface in the cividis colour map, viewed from the front left."""
    ax.plot_surface(x, y, z, cmap="cividis", linewidth=0, antialiased=False, rstride=2, cstride=2)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.set_title(title, fontsize=10)
    ax.view_init(elev=28, azim=-120)


def surfaces(panels: Sequence[tuple[np.ndarray, str]], x: np.ndarray, y: np.ndarray) -> None:
    """Several surfaces over the same grid side by side, one per ``(z, title)``."""
    fig = plt.figure(figsize=(3.6 * len(panels), 3.6))
    for k, (z, title) in enumerate(panels, start=1):
        surface(fig.add_subplot(1, len(panels), k, projection="3d"), x, y, z, title)
    fig.tight_layout()
    plt.show()


def draw_threshold(h: float = 10.0, output_bias: float = -15.0) -> None:
    """The weighted output of an x-bump and a y-bump (height h each), and σ(it + bias)."""
    x, y = np.meshgrid(np.linspace(0, 1, 81), np.linspace(0, 1, 81))
    bumps = sigmoid(STEEPNESS * (x - 0.3)) - sigmoid(STEEPNESS * (x - 0.7))
    bumps = h * bumps + h * (sigmoid(STEEPNESS * (y - 0.3)) - sigmoid(STEEPNESS * (y - 0.7)))
    out = sigmoid(bumps + output_bias)
    fig = plt.figure(figsize=(9, 3.8))
    surface(fig.add_subplot(1, 2, 1, projection="3d"), x, y, bumps, "weighted output")
    right = fig.add_subplot(1, 2, 2, projection="3d")
    surface(right, x, y, out, f"$\\sigma$(weighted output {output_bias:+.3g})")
    right.set_zlim(0, 1)
    fig.tight_layout()
    plt.show()


# ---------------------------------------------------------------------------------------
# Widgets (each has a static fallback in the notebook: the same function, called once)
# ---------------------------------------------------------------------------------------


def _slider_style() -> dict:
    import ipywidgets as widgets

    return {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="400px")}


def step_explorer():
    """Sliders for one hidden neuron's weight w (log scale) and step position s = -b/w."""
    import ipywidgets as widgets

    w = widgets.FloatLogSlider(
        value=10.0, base=10, min=0, max=3, step=0.05, description="weight w",
        readout_format=".1f", continuous_update=False, **_slider_style(),
    )
    s = widgets.FloatSlider(
        value=0.4, min=0.0, max=1.0, step=0.01, description="step at s = -b/w",
        continuous_update=False, **_slider_style(),
    )
    return widgets.interactive(draw_step, w=w, s=s)


DEFAULT_HEIGHTS = (-1.0, -1.0, 0.0, -1.0, 1.0)


def bump_explorer(defaults: Sequence[float] = DEFAULT_HEIGHTS):
    """One height slider per bump (five by default); redraws :func:`draw_bumps`."""
    import ipywidgets as widgets

    sliders = {
        f"h{j + 1}": widgets.FloatSlider(
            value=value, min=-3.0, max=3.0, step=0.1, description=f"bump {j + 1}: h",
            continuous_update=False, **_slider_style(),
        )
        for j, value in enumerate(defaults)
    }

    def update(**heights: float) -> None:
        draw_bumps([heights[name] for name in sliders])

    return widgets.interactive(update, **sliders)


def threshold_explorer():
    """Sliders for the bump height h and the output bias of the two-input network."""
    import ipywidgets as widgets

    h = widgets.FloatSlider(
        value=10.0, min=1.0, max=30.0, step=0.5, description="bump height h",
        continuous_update=False, **_slider_style(),
    )
    bias = widgets.FloatSlider(
        value=-15.0, min=-45.0, max=0.0, step=0.5, description="output bias",
        continuous_update=False, **_slider_style(),
    )
    return widgets.interactive(draw_threshold, h=h, output_bias=bias)


# ---------------------------------------------------------------------------------------
# Exercise checks
# ---------------------------------------------------------------------------------------

WINDOW = 0.01  # exercise 1: the width of the window in which the step may be "in between"
TOLERANCE = 0.01  # ... and how close to 0 and 1 it must be outside that window


@exercise("10-steepness", points=1)
def check_steepness(w_needed: float) -> str:
    """Exercise 1: the smallest w with σ(w(x - s)) within 0.01 of a step outside s ± 0.005."""
    w = as_float(w_needed, "w_needed")
    expected = np.log((1 - TOLERANCE) / TOLERANCE) / (WINDOW / 2)
    if np.isclose(w, expected, rtol=0.01):
        return (
            f"w = ln(99) / 0.005 ≈ {expected:.0f}. Nielsen's w = 1000 is just steep enough for "
            "a window of 1% of the interval; every factor 10 in w shrinks the window tenfold."
        )
    if np.isclose(w, expected / 2, rtol=0.01):
        raise Hint(
            "The window is 0.01 wide in total, so the step must be finished 0.005 on each "
            "side of s.",
            "At x = s + 0.005 the sigmoid's input w(x - s) must reach the z where σ(z) = 0.99.",
        )
    if np.isclose(w, np.log10(99) / (WINDOW / 2), rtol=0.01):
        raise Hint(
            "Close: the inverse of the sigmoid uses the natural logarithm.",
            "In NumPy that is np.log; np.log10 is the base-10 logarithm.",
        )
    if w > expected:
        raise Hint(
            f"w = {w:.4g} makes a step that is sharp enough, but not the least steep one.",
            "Find the z where σ(z) = 0.99 exactly, and the w that puts it at 0.005 from s.",
        )
    raise Hint(
        f"With w = {w:.4g}, σ(w × 0.005) = {sigmoid(w * WINDOW / 2):.3f}, not yet 0.99.",
        "Solve σ(z) = 0.99 for z (σ(z) = 1/(1 + e^{-z})), then w × 0.005 = z.",
    )


LAYER_HEIGHTS = np.array([0.5, -1.0, 2.0, 0.25])  # exercise 2 is checked with these bumps
LAYER_STEEPNESS = 500.0


def _as_layer(answer: object, n_bumps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The learner's ``(weights, biases, output_weights)`` as arrays of the right shapes."""
    if not isinstance(answer, tuple | list) or len(answer) != 3:
        raise Hint(
            "Return three arrays: `return weights, biases, output_weights`.",
            f"Yours returned {type(answer).__name__}"
            + (f" with {len(answer)} items." if isinstance(answer, tuple | list) else "."),
        )
    names = ("weights", "biases", "output_weights")
    shapes = ((2 * n_bumps, 1), (2 * n_bumps, 1), (1, 2 * n_bumps))
    arrays = []
    for item, name, shape in zip(answer, names, shapes, strict=True):
        try:
            array = np.asarray(item, dtype=float)
        except (TypeError, ValueError):
            raise Hint(f"`{name}` should be an array of numbers.") from None
        if array.shape != shape:
            raise Hint(
                f"With {n_bumps} bumps there are {2 * n_bumps} hidden neurons, so `{name}` "
                f"should have shape {shape}; yours has shape {array.shape}.",
                "As in notebook 01, a weight matrix has one row per neuron it leads into and "
                "one column per neuron it comes from: (n_out, n_in).",
            )
        arrays.append(array)
    return arrays[0], arrays[1], arrays[2]


@exercise("10-bump-layer", points=3)
def check_bump_layer(learner_bump_layer: Callable) -> str:
    """Exercise 2: ``bump_layer(heights, steepness)`` builds the hidden layer of N bumps."""
    heights, steepness = LAYER_HEIGHTS, LAYER_STEEPNESS
    answer = call_learner(
        learner_bump_layer, heights.copy(), steepness, name="bump_layer",
        hint=f"The check called bump_layer(heights, {steepness:g}) with {heights.size} heights "
        "in a NumPy array.",
    )
    weights, biases, output_weights = _as_layer(answer, heights.size)
    if not np.all(np.isfinite(weights)) or not np.all(np.isfinite(biases)):
        raise Hint("Some of your weights or biases are not finite numbers (inf or nan).")
    expected = weighted_output(X, *bump_layer(heights, steepness))
    yours = weighted_output(X, weights, biases, output_weights)
    if np.allclose(yours, expected, atol=1e-6):
        return (
            f"{heights.size} bumps, {2 * heights.size} hidden neurons: every bump is a neuron "
            "switching on (+h) and one switching off (-h). The order of the neurons does not "
            "matter, only which step goes with which output weight."
        )
    if not np.allclose(weights, steepness):
        raise Hint(
            "Every hidden neuron gets the same large input weight: the steepness.",
            f"weights should be filled with steepness = {steepness:g}.",
        )
    steps = -biases.ravel() / steepness
    edges = bump_edges(heights.size)
    if np.allclose(np.sort(-steps), np.sort(np.concatenate([edges[:-1], edges[1:]]))):
        raise Hint(
            "Your steps sit at -s instead of s: check the sign of the bias.",
            "σ(w x + b) steps where w x + b = 0, that is at x = -b/w, so b = -w s.",
        )
    if not np.allclose(np.sort(steps), np.sort(np.concatenate([edges[:-1], edges[1:]]))):
        raise Hint(
            f"With {heights.size} bumps of equal width on [0, 1], the steps belong at the "
            f"edges {', '.join(f'{e:g}' for e in edges)}: each inner edge twice (the end of "
            "one bump and the start of the next).",
            "Bump j starts at j/N and ends at (j+1)/N; the bias of a neuron stepping at s "
            "is -w s.",
        )
    if np.allclose(np.sort(output_weights.ravel()), np.sort(np.concatenate([heights, heights]))):
        raise Hint(
            "Your bumps never end: a step up with +h needs a matching step down.",
            "The neuron at a bump's right edge gets the output weight -h.",
        )
    raise Hint(
        "The steps are in the right places, but the output weights do not pair up with them.",
        "For bump j the neuron stepping at j/N gets +h_j and the one stepping at (j+1)/N "
        "gets -h_j: keep the two lists in the same order.",
    )


def _fit_error(heights: object, n_bumps: int, f: Callable, x: np.ndarray = X) -> float:
    """Mean |error| of the network built from the learner's heights (reference layer)."""
    try:
        heights = np.asarray(heights, dtype=float)
    except (TypeError, ValueError):
        raise Hint(
            f"choose_heights should return {n_bumps} numbers (an array), not a "
            f"{type(heights).__name__}."
        ) from None
    if heights.shape != (n_bumps,):
        raise Hint(
            f"With n_bumps = {n_bumps} return {n_bumps} heights, one per bump; yours has "
            f"shape {heights.shape}."
        )
    if not np.all(np.isfinite(heights)):
        raise Hint(
            "Some heights are inf or nan: σ⁻¹(y) = ln(y / (1 - y)) needs 0 < y < 1.",
            "Evaluate f inside each bump (where it is strictly between 0 and 1).",
        )
    return float(np.mean(np.abs(bumps_output(x, heights) - f(x))))


FIT_BUMPS = 40
FIT_TARGET = 0.015  # the reference answer reaches 0.010 with 40 bumps


def _wave(x: np.ndarray) -> np.ndarray:
    return 0.5 + 0.35 * np.sin(2 * np.pi * x)


@exercise("10-fit-goal", points=3)
def check_choose_heights(learner_choose_heights: Callable) -> str:
    """Exercise 3: heights for which σ(weighted output) is within 0.015 of f on average."""
    heights = call_learner(
        learner_choose_heights, goal, FIT_BUMPS, name="choose_heights",
        hint=f"The check called choose_heights(f, {FIT_BUMPS}) with Nielsen's goal function as f.",
    )
    error = _fit_error(heights, FIT_BUMPS, goal)
    middles = (bump_edges(FIT_BUMPS)[:-1] + bump_edges(FIT_BUMPS)[1:]) / 2
    if error >= FIT_TARGET:
        plain = np.asarray(heights, dtype=float)
        if np.allclose(plain, goal(middles), atol=0.05):
            raise Hint(
                f"Mean |error| {error:.3f}: your heights are f itself, but the output neuron "
                "squashes the weighted output with σ.",
                "Choose each height h so that σ(h) = f, that is h = σ⁻¹(f) = ln(f / (1 - f)).",
            )
        if np.allclose(plain, -inverse_sigmoid(goal(middles)), atol=0.05):
            raise Hint(
                f"Mean |error| {error:.3f}: your heights have the wrong sign.",
                "σ⁻¹(y) = ln(y / (1 - y)): y on top.",
            )
        edges = bump_edges(FIT_BUMPS)
        for side, points in (("left", edges[:-1]), ("right", edges[1:])):
            if np.allclose(plain, inverse_sigmoid(goal(points)), atol=1e-6):
                raise Hint(
                    f"Mean |error| {error:.4f}, not yet below {FIT_TARGET}: you take f at the "
                    f"{side} edge of each bump, so half of every bump is a whole step away "
                    "from it. The middle of a bump stands for the whole bump better.",
                )
        raise Hint(
            f"Mean |error| with {FIT_BUMPS} bumps: {error:.4f}; the goal is below {FIT_TARGET}. "
            "Which point of each bump do you take f at, and do you undo the output neuron's σ?",
            "Take f at the middle of each bump, (j + ½)/N, and invert the output sigmoid.",
        )
    other = call_learner(
        learner_choose_heights, _wave, 10, name="choose_heights",
        hint="The check called choose_heights(f, 10) with a sine wave as f.",
    )
    other_error = _fit_error(other, 10, _wave)
    if other_error > 0.05:
        raise Hint(
            "Your heights fit the goal function, but for another f (a sine wave, 10 bumps) "
            f"the mean |error| is {other_error:.3f}.",
            "Use the function passed in as `f` and the number of bumps `n_bumps`, not fixed "
            "values.",
        )
    return (
        f"Mean |error| {error:.4f} with {FIT_BUMPS} bumps ({2 * FIT_BUMPS} hidden neurons). "
        "More bumps make the staircase finer: with 10 bumps the reference answer is near "
        f"{mean_abs_error(bumps_output(X, choose_heights(goal, 10))):.3f}, with 100 near "
        f"{mean_abs_error(bumps_output(X, choose_heights(goal, 100))):.4f}."
    )


TOWER_X, TOWER_Y = (0.2, 0.5), (0.4, 0.9)


@exercise("10-tower", points=2)
def check_tower(learner_tower: Callable) -> str:
    """Exercise 4: ``tower(x, y, x_edges, y_edges, h)`` is ≥ 0.99 inside, ≤ 0.01 outside."""
    grid = np.linspace(0.0, 1.0, 101)
    x, y = np.meshgrid(grid, grid)
    out = call_learner(
        learner_tower, x, y, TOWER_X, TOWER_Y, 10.0, name="tower",
        hint=f"The check called tower(x, y, {TOWER_X}, {TOWER_Y}, 10.0) with x and y of shape "
        f"{x.shape} from np.meshgrid.",
    )
    out = as_array(out, "the output of tower")
    if out.shape != x.shape:
        raise Hint(
            f"tower(x, y, ...) should have the shape of x and y, {x.shape}; yours has "
            f"{out.shape}."
        )
    margin = 0.02  # leave out the failure windows around the edges
    in_x = (x > TOWER_X[0] + margin) & (x < TOWER_X[1] - margin)
    in_y = (y > TOWER_Y[0] + margin) & (y < TOWER_Y[1] - margin)
    out_x = (x < TOWER_X[0] - margin) | (x > TOWER_X[1] + margin)
    out_y = (y < TOWER_Y[0] - margin) | (y > TOWER_Y[1] + margin)
    inside, arms = in_x & in_y, (in_x & out_y) | (out_x & in_y)
    outside = out_x & out_y
    low_inside = float(out[inside].min())
    if out[inside].min() >= 0.99 and out[arms | outside].max() <= 0.01:
        return (
            f"Inside the tower the output is at least {low_inside:.3f}, on the arms and "
            f"outside at most {out[arms | outside].max():.3f}. The bias -3h/2 sits halfway "
            "between the arms (h) and the top (2h)."
        )
    if low_inside < 0.99 and out[inside].max() > 0.99:
        raise Hint(
            "Part of the rectangle is high and part is not: check which edges go with x "
            "and which with y.",
        )
    if np.isclose(out[arms].mean(), 0.5, atol=0.05):
        raise Hint(
            "The arms of the cross are at 0.5: the threshold is level with them.",
            "The weighted output is h on the arms and 2h on the tower: put the threshold "
            "halfway between, with the output bias.",
        )
    if low_inside < 0.99:
        raise Hint(
            f"Inside the rectangle the output drops to {low_inside:.3f}; it should be at "
            "least 0.99 there.",
            "The weighted output is 2h on the tower; with the bias -3h/2 the output neuron "
            "sees h/2 = 5 there.",
        )
    raise Hint(
        f"Outside the rectangle the output reaches {out[arms | outside].max():.3f}; it "
        "should stay below 0.01.",
        "The weighted output is h on the arms of the cross: the output bias must push it "
        "well below 0.",
    )


CUBE_H = 10.0  # exercise 5: the height of each of the three bumps


@exercise("10-cube-bias", points=1)
def check_cube_bias(cube_bias: float) -> str:
    """Exercise 5: the output bias that turns three bumps (x, y, z) into a clean 3-D tower."""
    b = as_float(cube_bias, "cube_bias")
    h = CUBE_H
    top, slab = float(sigmoid(3 * h + b)), float(sigmoid(2 * h + b))
    if top >= 0.99 and slab <= 0.01:
        return (
            f"Inside the box the output neuron sees 3h + b = {3 * h + b:g} (output {top:.3f}); "
            f"where only two bumps overlap it sees 2h + b = {2 * h + b:g} (output {slab:.3f}). "
            "With m inputs the bias -(m - ½)h sits halfway between the top, mh, and the next "
            "level down, (m - 1)h."
        )
    if np.isclose(b, -1.5 * h):
        raise Hint(
            "That is the two-input bias. With three inputs, where two of the bumps overlap the "
            f"weighted output is already 2h = {2 * h:g}, and σ(2h + b) lets those slabs through.",
        )
    if np.isclose(b, -3 * h):
        raise Hint(
            "The threshold is level with the top of the box, so the box only reaches one half.",
            "Put it halfway between the top and the next level down.",
        )
    if np.isclose(b, -2 * h):
        raise Hint(
            "The threshold is level with the slabs where two bumps overlap: they stay at one "
            "half.",
            "Put it halfway between the top and the next level down.",
        )
    if b >= 0:
        raise Hint(
            "A positive bias lifts everything, even the points where no bump is on.",
            "The output bias must be negative enough to push all but the top level below 0.",
        )
    if top < 0.99:
        raise Hint(
            f"Inside the box the output is σ(3h + b) = {top:.3f}, not yet 0.99: the threshold "
            "is too high.",
            "List the weighted output where 3, 2, 1 and 0 of the bumps are on.",
        )
    raise Hint(
        f"Where two bumps overlap the output is σ(2h + b) = {slab:.3f}, above 0.01: the "
        "threshold is too low.",
        "List the weighted output where 3, 2, 1 and 0 of the bumps are on.",
    )
