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
from course.nb01 import PALETTE as PALETTE  # the course's colour-blind-safe colours
from course.nb01 import excerpt as excerpt  # a function's source without docstring and checks
from mlp.activations import sigmoid, sigmoid_prime
from mlp.descent import gradient_descent, minibatches

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
# Exercise 1: the quadratic cost of a mini-batch
# ---------------------------------------------------------------------------------------


def quadratic_cost(a: np.ndarray, y: np.ndarray) -> float:
    """Course copy: the mean over the m columns of ½ ||a - y||², for a, y of shape (n, m)."""
    return float(0.5 * np.mean(np.sum((a - y) ** 2, axis=0)))


@exercise("02-quadratic-cost", points=2)
def check_quadratic_cost(quadratic_cost: Callable) -> str:
    """``quadratic_cost(a, y)`` on outputs of shape (3, 4) and (10, 1)."""
    rng = np.random.default_rng(7)
    a = rng.random((3, 4))
    y = np.eye(3)[:, [0, 2, 1, 1]]
    value = as_float(
        call_learner(quadratic_cost, a.copy(), y.copy(), name="quadratic_cost",
                     hint="The check used a and y of shape (3, 4): 3 outputs, 4 examples."),
        "quadratic_cost(a, y)",
    )
    squares = np.sum((a - y) ** 2, axis=0)  # (4,): one squared length per example
    expected = 0.5 * float(np.mean(squares))
    if np.isclose(value, expected):
        return (f"{value:.4f} for these 4 examples. For one example, a = (0.1, 0.8, 0.3) and "
                "y = (0, 1, 0): ½ (0.1² + 0.2² + 0.3²) = 0.07; 3Blue1Brown's cost, without the "
                "½, would be 0.14.")
    if np.isclose(value, 2 * expected):
        raise Hint("That is twice the answer: Nielsen's cost has a factor ½ in front "
                   "(3Blue1Brown's has not).")
    if np.isclose(value, 0.5 * float(np.sum(squares))):
        raise Hint("You added the costs of the 4 examples: the cost is their mean, so that it "
                   "does not grow with the size of the mini-batch.")
    if np.isclose(value, 0.5 * float(np.mean((a - y) ** 2))):
        raise Hint("You averaged over the outputs too: sum the squares over the outputs of one "
                   "example (axis 0), then average over the examples.")
    if np.isclose(value, 0.5 * float(np.mean(np.sqrt(squares)))):
        raise Hint("Use the squared length ||y - a||², not the length ||y - a||.")
    raise Hint(
        f"For a and y of shape (3, 4) your function gave {value:.4g} instead of {expected:.4g}.",
        pointed="Per example (column): square the differences and add them over the outputs; "
        "then halve, and average over the examples.",
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
    a = sigmoid(z)
    delta = (a - y) * a * (1 - a)
    return x @ delta / x.shape[1], float(np.mean(delta))


def per_example_gradients(w: np.ndarray, b: float, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dC_x/dw for every example: shape (n_in, m), column i for the example in column i."""
    z = w @ x + b
    return x * ((sigmoid(z) - y) * sigmoid_prime(z))


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
    z = w @ x + b
    no_prime = sigmoid(z) - y
    if np.allclose(grad_w, x @ no_prime / m):
        raise Hint("The factor σ'(z) is missing: the chain rule goes through a = σ(z).")
    if np.allclose(grad_w, x @ (sigmoid(z) - y) * float(np.mean(sigmoid_prime(z))) / m):
        raise Hint("Multiply (a - y) by σ'(z) example by example, before averaging.")
    if np.allclose(grad_w, expected_w):
        raise Hint("grad_w is right; check grad_b, the average of the per-example bias terms.")
    raise Hint(
        "Compare your pair with the formulas above for one example, averaged over the m "
        "columns of x (each column with its own target).",
        pointed="Per example: z = w · x + b, δ = (a - y) σ'(z), then δ x for the weights and "
        "δ for the bias; average each over the mini-batch (a loop over the columns is fine).",
    )


# ---------------------------------------------------------------------------------------
# Exercise 5: stochastic gradient descent for the neuron
# ---------------------------------------------------------------------------------------


def sgd(w: np.ndarray, b: float, x: np.ndarray, y: np.ndarray, eta: float, epochs: int,
        batch_size: int, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Course copy of exercise 5: train one sigmoid neuron by SGD; returns the new (w, b).

    x has shape (n_in, n), y shape (n,); each epoch is cut into mini-batches by
    ``minibatches(n, batch_size, rng)`` and takes one step per mini-batch.
    """
    n = x.shape[1]
    for _ in range(epochs):
        for batch in minibatches(n, batch_size, rng):
            grad_w, grad_b = neuron_batch_gradient(w, b, x[:, batch], y[batch])
            w = w - eta * grad_w
            b = b - eta * grad_b
    return w, b


def _sgd_variants(w, b, x, y, eta, epochs, batch_size, seed) -> dict[str, tuple]:
    """What plausible mistakes return, to name the mistake."""
    n = x.shape[1]
    out = {"one epoch": sgd(w, b, x, y, eta, 1, batch_size, np.random.default_rng(seed)),
           "uphill": sgd(w, b, x, y, -eta, epochs, batch_size, np.random.default_rng(seed))}
    batches = minibatches(n, batch_size, np.random.default_rng(seed))
    same, whole = (w, b), (w, b)
    for _ in range(epochs):
        for batch in batches:
            gw, gb = neuron_batch_gradient(*same, x[:, batch], y[batch])
            same = (same[0] - eta * gw, same[1] - eta * gb)
            gw, gb = neuron_batch_gradient(*whole, x, y)
            whole = (whole[0] - eta * gw, whole[1] - eta * gb)
    out.update({"same batches": same, "whole set": whole})
    return out


@exercise("02-sgd", points=3)
def check_sgd(sgd: Callable) -> str:
    """``sgd(w, b, x, y, eta, epochs, batch_size, rng)`` against a reference run, same seed."""
    data_rng = np.random.default_rng(11)
    n_in, n, eta, epochs, batch_size, seed = 5, 40, 3.0, 3, 8, 5
    x = data_rng.random((n_in, n))
    y = (data_rng.normal(size=n_in) @ (x - 0.5) > 0).astype(float)  # a pattern to learn
    w0, b0 = data_rng.normal(scale=0.1, size=n_in), 0.0
    answer = call_learner(
        sgd, w0.copy(), b0, x.copy(), y.copy(), eta, epochs, batch_size,
        np.random.default_rng(seed), name="sgd",
        hint=f"The check trained a neuron with {n_in} inputs on {n} examples (x of shape "
        f"({n_in}, {n})), eta = {eta}, {epochs} epochs, mini-batches of {batch_size}. Your sgd "
        "calls minibatch_gradient from exercise 4: make its check pass first.",
    )
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Hint("Return the pair `(w, b)`: the trained weights and bias.")
    w = as_array(answer[0], "the returned w", shape=(n_in,))
    b = as_float(answer[1], "the returned b")
    expected = sgd_reference(w0, b0, x, y, eta, epochs, batch_size, np.random.default_rng(seed))
    cost_before = _neuron_cost(w0, b0, x, y)
    if np.allclose(w, expected[0]) and np.isclose(b, expected[1]):
        return (f"{epochs} epochs of {n // batch_size} steps took the cost from "
                f"{cost_before:.3f} to {_neuron_cost(w, b, x, y):.3f}, exactly as the "
                "reference run with the same seed.")
    if np.allclose(w, w0) and np.isclose(b, b0):
        raise Hint("w and b come back unchanged: does each step assign the new values to the "
                   "w and b you return?")
    if np.isclose(b, b0):
        raise Hint("w is trained but b never changes: step the bias too.")
    variants = _sgd_variants(w0, b0, x, y, eta, epochs, batch_size, seed)
    names = {
        "uphill": "Your steps go uphill (the cost rose): subtract η times the gradient.",
        "one epoch": f"That is one epoch of training; the check asked for epochs = {epochs}.",
        "same batches": "Your mini-batches are the same in every epoch: shuffle anew each epoch "
        "(call minibatches once per epoch, with the rng you were given).",
        "whole set": "Each step used the gradient of all the examples: use the mini-batch's "
        "columns of x and entries of y only.",
    }
    for name, (vw, vb) in variants.items():
        if np.allclose(w, vw) and np.isclose(b, vb):
            raise Hint(names[name])
    raise Hint(
        f"Your (w, b) differ from a reference run with the same rng (cost "
        f"{_neuron_cost(w, b, x, y):.3f} against {_neuron_cost(*expected, x, y):.3f}).",
        pointed="Per epoch: minibatches(n, batch_size, rng) gives the index arrays; for each, "
        "the gradient on those columns, then w and b each step against it, scaled by η.",
    )


sgd_reference = sgd  # the checks' name for it (a check's argument is called sgd)


def _neuron_cost(w: np.ndarray, b: float, x: np.ndarray, y: np.ndarray) -> float:
    return float(0.5 * np.mean((sigmoid(w @ x + b) - y) ** 2))
