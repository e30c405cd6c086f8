"""Helpers for notebook 02 (cost and gradient descent): pictures, the widget, exercise checks.

The notebook derives the ideas; this module keeps the plotting code and the checks out of
the way. Every ``check_...`` returns a :class:`course.feedback.Result`, drawn as a box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb02.show_answer
from mlp.descent import gradient_descent

Cost2D = Callable[[np.ndarray, np.ndarray], np.ndarray]
Gradient = Callable[[np.ndarray], np.ndarray]

# ---------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------


def plot_contours(
    ax: plt.Axes,
    cost: Cost2D,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-3.0, 3.0),
    levels: int = 25,
    resolution: int = 200,
) -> None:
    """Draw filled contours of ``cost(v1, v2)`` on ``ax``.

    ``cost`` must accept two arrays of the same shape (a grid) and return the cost on it.
    """
    v1, v2 = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    values = cost(v1, v2)
    ax.contourf(v1, v2, values, levels=levels, cmap="viridis")
    ax.contour(v1, v2, values, levels=levels, colors="white", linewidths=0.3, alpha=0.6)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$v_1$")
    ax.set_ylabel("$v_2$")
    ax.set_aspect("equal")


def plot_path(ax: plt.Axes, path: np.ndarray, color: str = "white", label: str = "") -> None:
    """Draw a descent path of shape ``(steps + 1, 2)``: dots joined by lines, start circled."""
    ax.plot(path[:, 0], path[:, 1], "-o", color=color, markersize=3, linewidth=1.2, label=label)
    ax.plot(*path[0], "o", markersize=9, markerfacecolor="none", markeredgecolor=color)
    ax.plot(*path[-1], "*", markersize=14, color=color, markeredgecolor="black")


def draw_descent(
    cost: Cost2D,
    grad: Gradient,
    eta: float = 0.1,
    start: Sequence[float] = (-0.5, -2.5),
    steps: int = 60,
    lim: float = 3.0,
) -> None:
    """Contours of ``cost``, one descent path and the cost along it, side by side.

    Used by :func:`descent_explorer` and, once, as its static fallback.
    """
    path = gradient_descent(grad, start, eta, steps)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), width_ratios=(1, 1.15))
    plot_contours(left, cost, (-lim, lim), (-lim, lim))
    shown = np.clip(path, -lim, lim)
    plot_path(left, shown, color="white")
    left.set_title(f"$\\eta$ = {eta:.3g}, start ({start[0]:.1f}, {start[1]:.1f})")
    right.plot(np.arange(steps + 1), cost(path[:, 0], path[:, 1]), "-o", markersize=3)
    right.set_xlabel("step $t$")
    right.set_ylabel("cost $C(v_t)$")
    right.set_title("cost along the path")
    right.grid(alpha=0.3)
    fig.tight_layout()
    plt.show()


def descent_explorer(cost: Cost2D, grad: Gradient, steps: int = 60, lim: float = 3.0):
    """A widget: learning-rate slider (log scale) and start point, redrawing :func:`draw_descent`.

    Returns the ``ipywidgets.interactive`` object; make it the last line of a cell to show it.
    """
    import ipywidgets as widgets

    style = {"description_width": "initial"}
    layout = widgets.Layout(width="420px")
    eta = widgets.FloatLogSlider(
        value=0.1,
        base=10,
        min=-2.5,
        max=0.5,
        step=0.05,
        description="learning rate η",
        readout_format=".3f",
        style=style,
        layout=layout,
        continuous_update=False,
    )
    v1 = widgets.FloatSlider(
        value=-0.5,
        min=-lim,
        max=lim,
        step=0.1,
        description="start v₁",
        style=style,
        layout=layout,
        continuous_update=False,
    )
    v2 = widgets.FloatSlider(
        value=-2.5,
        min=-lim,
        max=lim,
        step=0.1,
        description="start v₂",
        style=style,
        layout=layout,
        continuous_update=False,
    )

    def update(eta: float, v1: float, v2: float) -> None:
        draw_descent(cost, grad, eta=eta, start=(v1, v2), steps=steps, lim=lim)

    return widgets.interactive(update, eta=eta, v1=v1, v2=v2)


# ---------------------------------------------------------------------------------------
# Exercise 1: the quadratic cost of one output, by hand
# ---------------------------------------------------------------------------------------

EXERCISE_OUTPUT = np.array([0.1, 0.8, 0.3])
EXERCISE_TARGET = np.array([0.0, 1.0, 0.0])


@exercise("02-cost-by-hand", points=1)
def check_cost_by_hand(cost_by_hand: float) -> str:
    """Nielsen's quadratic cost of ``a = (0.1, 0.8, 0.3)`` for target ``y = (0, 1, 0)``."""
    value = as_float(cost_by_hand, "cost_by_hand")
    squares = float(np.sum((EXERCISE_OUTPUT - EXERCISE_TARGET) ** 2))
    expected = 0.5 * squares
    if np.isclose(value, expected):
        return (
            f"C = ½ (0.1² + 0.2² + 0.3²) = ½ × {squares:.2f} = {expected:.3f}. "
            "3Blue1Brown's cost, without the ½, would be 0.14."
        )
    if np.isclose(value, squares):
        raise Hint(
            f"{value:.3f} is the plain sum of squares (3Blue1Brown's cost). Nielsen's quadratic "
            "cost has a factor ½ in front."
        )
    if np.isclose(value, 0.5 * np.sum(np.abs(EXERCISE_OUTPUT - EXERCISE_TARGET))):
        raise Hint("Square each difference a_j - y_j before adding them up.")
    if np.isclose(value, 0.5 * np.sqrt(squares)):
        raise Hint("Use the squared length ||y - a||², not the length ||y - a||.")
    raise Hint(
        f"You gave {value:.4g}. Go back to the formula C = ½ ||y - a||² for one example.",
        pointed="The differences a_j - y_j are 0.1, -0.2 and 0.3; the formula squares them, "
        "adds them up and halves the sum.",
    )


# ---------------------------------------------------------------------------------------
# Exercise 2: one gradient-descent step, by hand
# ---------------------------------------------------------------------------------------

STEP_START = np.array([2.0, 1.0])
STEP_ETA = 0.05


def _bowl_gradient(v: np.ndarray) -> np.ndarray:
    return np.array([v[0], 10.0 * v[1]])


@exercise("02-one-step", points=1)
def check_one_step(v_after_one_step: Sequence[float]) -> str:
    """One step on C = ½(v₁² + 10 v₂²) from (2, 1) with η = 0.05 lands at (1.9, 0.5)."""
    v = as_array(v_after_one_step, "v_after_one_step", shape=(2,))
    gradient = _bowl_gradient(STEP_START)
    expected = STEP_START - STEP_ETA * gradient
    if np.allclose(v, expected):
        return (
            f"∇C(2, 1) = ({gradient[0]:.0f}, {gradient[1]:.0f}), so v' = (2, 1) - 0.05 × "
            f"(2, 10) = ({expected[0]:.1f}, {expected[1]:.1f}). The steep direction v₂ moved "
            "five times as far."
        )
    if np.allclose(v, STEP_START + STEP_ETA * gradient):
        raise Hint("That step went uphill: subtract η ∇C, do not add it.")
    if np.allclose(v, STEP_START - STEP_ETA * 2 * gradient):
        raise Hint(
            "The ½ in C cancels the 2 from differentiating a square: ∂C/∂v₁ = v₁ and "
            "∂C/∂v₂ = 10 v₂."
        )
    if np.allclose(v, STEP_START - gradient):
        raise Hint("Multiply the gradient by the learning rate η = 0.05 before subtracting it.")
    if np.allclose(v, -STEP_ETA * gradient):
        raise Hint("The new point is the old point minus η ∇C: start from (2, 1).")
    raise Hint(
        "First the gradient at (2, 1), then the step v' = v - η ∇C with η = 0.05.",
        pointed="Differentiate C = ½(v₁² + 10 v₂²) by v₁ and by v₂; the ½ cancels the 2 of "
        "each square.",
    )


# ---------------------------------------------------------------------------------------
# Exercise 3: a learning rate that converges quickly
# ---------------------------------------------------------------------------------------

RATE_START = (2.0, 1.0)
RATE_STEPS = 50
RATE_TOLERANCE = 1e-3


@exercise("02-learning-rate", points=1)
def check_learning_rate(eta: float) -> str:
    """Runs 50 steps on the bowl from (2, 1) and asks to end within 0.001 of the minimum."""
    eta = as_float(eta, "eta")
    if not eta > 0:
        raise Hint("A learning rate is a positive number (a negative one climbs uphill).")
    with np.errstate(over="ignore", invalid="ignore"):
        path = gradient_descent(_bowl_gradient, RATE_START, eta, RATE_STEPS)
        distance = np.linalg.norm(path, axis=1)
    inside = np.flatnonzero(distance < RATE_TOLERANCE)
    final = distance[-1]
    if distance[-1] < RATE_TOLERANCE:
        first = int(inside[0])
        return (
            f"With η = {eta:g} the path is within 0.001 of the minimum after {first} steps. "
            "The best possible rate here is 2 / (1 + 10) ≈ 0.18: it balances the slow, flat "
            "direction against the steep one."
        )
    if eta >= 0.2 or not np.isfinite(final):
        raise Hint(
            f"η = {eta:g} is too large: along v₂ each step multiplies the distance by "
            f"1 - 10 η = {1 - 10 * eta:.2f}, which overshoots back and forth"
            + (" and grows" if eta > 0.2 else "")
            + ". Keep η below 2/10."
        )
    if abs(1 - 10 * eta) > abs(1 - eta):
        raise Hint(
            f"With η = {eta:g} the path is still {final:.2g} away after {RATE_STEPS} steps: it "
            "zig-zags across the steep v₂ direction (1 - 10 η is close to -1). Take a slightly "
            "smaller η."
        )
    raise Hint(
        f"With η = {eta:g} the path is still {final:.2g} away after {RATE_STEPS} steps: it "
        f"crawls along the flat v₁ direction, shrinking by only 1 - η = {1 - eta:.3f} per "
        "step. Take a larger η (but below 0.2)."
    )


# ---------------------------------------------------------------------------------------
# Exercise 4: the mini-batch gradient is an average
# ---------------------------------------------------------------------------------------


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def neuron_batch_gradient(
    w: np.ndarray, b: float, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, float]:
    """Reference: gradient of the mean of ½(σ(w·x + b) - y)² over the columns of ``x``.

    Parameters
    ----------
    w : array of shape (n_in,)
    b : float
    x : array of shape (n_in, m), one example per column
    y : array of shape (m,), targets

    Returns
    -------
    (array of shape (n_in,), float)
        ``(dC/dw, dC/db)`` averaged over the ``m`` examples.
    """
    z = w @ x + b
    a = _sigmoid(z)
    delta = (a - y) * a * (1 - a)
    return x @ delta / x.shape[1], float(np.mean(delta))


@exercise("02-minibatch-gradient", points=3)
def check_minibatch_gradient(minibatch_gradient: Callable) -> str:
    """Compare ``minibatch_gradient(w, b, x, y)`` with the vectorised reference."""
    rng = np.random.default_rng(2)
    n_in, m = 6, 5
    w = rng.normal(size=n_in)
    b = 0.3
    x = rng.random((n_in, m))
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    answer = call_learner(
        minibatch_gradient, w, b, x, y, name="minibatch_gradient",
        hint=f"The check used w of shape ({n_in},), b = 0.3, x of shape ({n_in}, {m}) (one "
        f"example per column) and y of shape ({m},).",
    )
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Hint("Return a pair `(grad_w, grad_b)`: the averaged weight gradient and bias "
                   "gradient.")
    grad_w, grad_b = answer
    grad_w = as_array(grad_w, "grad_w")
    if grad_w.shape != (n_in,):
        raise Hint(
            f"On a batch with {n_in} inputs and {m} examples, grad_w should have shape "
            f"({n_in},) (one entry per weight), but yours has shape {grad_w.shape}."
        )
    grad_b = as_float(grad_b, "grad_b")
    expected_w, expected_b = neuron_batch_gradient(w, b, x, y)
    if np.allclose(grad_w, expected_w) and np.isclose(grad_b, expected_b):
        return (
            "The mini-batch gradient is the plain average of the per-example gradients, "
            "exactly what gradient descent on the mean cost needs."
        )
    if np.allclose(grad_w, m * expected_w) and np.isclose(grad_b, m * expected_b):
        raise Hint(
            f"Your answer is {m} times too large: you added the per-example gradients. "
            "The cost is a mean over the mini-batch, so its gradient is a mean too."
        )
    if np.allclose(grad_w, -expected_w):
        raise Hint("The sign is flipped: a per-example gradient is (a - y) σ'(z) x, not (y - a).")
    if np.allclose(grad_w, expected_w):
        raise Hint("grad_w is right; check grad_b, the average of the per-example bias terms.")
    raise Hint(
        "Compare your pair with the average of what `neuron_gradient` gives for each example "
        "(each column of x with its target).",
        pointed="Average the weight parts and the bias parts separately, over all m columns; "
        "a loop over the columns is fine.",
    )


# ---------------------------------------------------------------------------------------
# Exercise 5: 3Blue1Brown's cost has no ½
# ---------------------------------------------------------------------------------------


@exercise("02-factor-two", points=1)
def check_factor_two(grad_3b1b: Sequence[float]) -> str:
    """∂C/∂a for 3Blue1Brown's cost Σ(a_j - y_j)² at the output of exercise 1: 2(a - y)."""
    g = as_array(grad_3b1b, "grad_3b1b", shape=EXERCISE_OUTPUT.shape)
    difference = EXERCISE_OUTPUT - EXERCISE_TARGET
    if np.allclose(g, 2 * difference):
        return (
            "2(a - y) = (0.2, -0.4, 0.6): twice Nielsen's a - y. The factor only rescales the "
            "gradient, so it is absorbed into the learning rate: η with 3Blue1Brown's cost "
            "moves like 2η with Nielsen's."
        )
    if np.allclose(g, difference):
        raise Hint(
            "a - y is the gradient of Nielsen's cost ½Σ(a_j - y_j)². 3Blue1Brown's cost has no "
            "½: what does differentiating the square leave?"
        )
    if np.allclose(g, -2 * difference) or np.allclose(g, -difference):
        raise Hint("Check the sign: the slope of (a - y)² is positive when a is above y.")
    raise Hint("Differentiate (a_j - y_j)² with respect to a_j, one output at a time.",
               pointed="The derivative of u² is 2u, and here u = a_j - y_j.")
