"""Helpers for notebook 07 (learning slowdown): the one-neuron experiment, pictures, widgets,
the course's own copies of the answers, and the exercise checks.

The notebook derives everything itself; this module keeps the plotting code, the sliders and
the checks out of the way. The experiments follow chapter 3 of Michael Nielsen's *Neural
Networks and Deep Learning*, http://neuralnetworksanddeeplearning.com/chap3.html.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb07.show_answer
from course.nb00 import excerpt as excerpt  # for the notebook: nb07.excerpt(f, first, last)
from course.nb05 import plot_learning_curves
from course.palette import BLACK, BLUE, GREEN, ORANGE, SKY, VERMILLION
from mlp.activations import sigmoid, sigmoid_prime
from mlp.activations import softmax as softmax  # the course's copy of exercise 3's answer
from mlp.costs import cross_entropy as cross_entropy  # ... of exercise 2's answer
from mlp.init import scaled_normal as scaled_normal  # ... of exercise 5's answer

#: The two starting points of Nielsen's one-neuron experiment: (w, b).
GOOD_START, BAD_START = (0.6, 0.9), (2.0, 2.0)
NEURON_ETA = 0.15  # Nielsen's learning rate for the quadratic cost
NEURON_EPOCHS = 300
_NAMES = {"quadratic": "quadratic", "cross_entropy": "cross-entropy"}

# ---------------------------------------------------------------------------------------
# One sigmoid neuron learning to turn an input of 1 into an output of 0
# ---------------------------------------------------------------------------------------


def neuron_cost(a: np.ndarray, y: float, cost: str) -> np.ndarray:
    """The cost of one neuron's output ``a`` for the desired output ``y``."""
    a = np.asarray(a, dtype=float)
    if cost == "quadratic":
        return 0.5 * (a - y) ** 2
    a = np.clip(a, 1e-15, 1 - 1e-15)  # keeps ln finite when the neuron saturates completely
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


def neuron_delta(z: float, a: float, y: float, cost: str) -> float:
    """dC/dz for one neuron: (a - y) σ'(z) for the quadratic cost, a - y for cross-entropy."""
    return (a - y) * sigmoid_prime(z, a) if cost == "quadratic" else a - y


def train_neuron(
    w: float, b: float, cost: str = "quadratic", eta: float = NEURON_ETA,
    epochs: int = NEURON_EPOCHS, x: float = 1.0, y: float = 0.0,
) -> dict[str, np.ndarray]:
    """Gradient descent on one sigmoid neuron with one training example ``(x, y)``.

    Each epoch is one step: ``w -= eta * delta * x`` and ``b -= eta * delta`` (BP3, BP4).

    Returns
    -------
    dict
        ``"a"`` and ``"cost"``: the output and the cost before each step and after the last,
        ``"w"`` and ``"b"``: the parameters likewise; arrays of shape ``(epochs + 1,)``.
    """
    history: dict[str, list[float]] = {"w": [], "b": [], "a": [], "cost": []}
    for _ in range(epochs + 1):
        z = w * x + b
        a = float(sigmoid(np.float64(z)))
        for key, value in (("w", w), ("b", b), ("a", a), ("cost", float(neuron_cost(a, y, cost)))):
            history[key].append(value)
        delta = neuron_delta(z, a, y, cost)
        w, b = w - eta * delta * x, b - eta * delta
    return {key: np.array(values) for key, values in history.items()}


def plot_neuron_runs(runs: dict[str, dict[str, np.ndarray]], title: str = "") -> None:
    """The output (left) and the cost (right) over the epochs, one line per labelled run."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6))
    styles = ["-", "--", "-.", ":"]
    for (label, run), colour, style in zip(runs.items(), [BLUE, ORANGE, GREEN, VERMILLION],
                                            styles, strict=False):
        epochs = np.arange(len(run["a"]))
        left.plot(epochs, run["a"], color=colour, linestyle=style, linewidth=2.2, label=label)
        right.plot(epochs, run["cost"], color=colour, linestyle=style, linewidth=2.2, label=label)
    left.set_ylabel("output $a$ (goal: 0)")
    left.set_ylim(0, 1)
    right.set_ylabel("cost $C$")
    right.set_ylim(bottom=0)
    for ax in (left, right):
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    handles, labels = left.get_legend_handles_labels()
    rows = int(np.ceil(len(labels) / 2))
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=9, frameon=False)
    if title:
        fig.suptitle(title)
    fig.tight_layout(rect=(0, 0.07 * rows, 1, 1))
    plt.show()


def draw_neuron(w: float = 2.0, b: float = 2.0, cost: str = "quadratic",
                eta: float = NEURON_ETA, epochs: int = NEURON_EPOCHS) -> None:
    """One run of :func:`train_neuron`, drawn with :func:`plot_neuron_runs`."""
    run = train_neuron(w, b, cost, eta, epochs)
    plot_neuron_runs(
        {f"{_NAMES[cost]}, start w = {w:g}, b = {b:g}": run},
        title=f"{_NAMES[cost]} cost, η = {eta:.3g}: output {run['a'][0]:.3f} → {run['a'][-1]:.3f} "
        f"after {epochs} epochs",
    )


def draw_sigma_prime(starts: Sequence[tuple[float, float]] = (GOOD_START, BAD_START)) -> None:
    """σ(z) and σ'(z), with the weighted input z = w + b of each start marked."""
    z = np.linspace(-6, 6, 601)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.4))
    left.plot(z, sigmoid(z), color=BLACK, linewidth=2)
    left.set_title("$\\sigma(z)$")
    right.plot(z, sigmoid_prime(z), color=BLACK, linewidth=2)
    right.set_title("$\\sigma'(z) = \\sigma(z)\\,(1 - \\sigma(z))$")
    for (w, b), colour, marker in zip(starts, [BLUE, ORANGE], ["o", "s"], strict=False):
        z0 = w * 1.0 + b
        label = f"w = {w:g}, b = {b:g}: z = {z0:g}"
        left.plot([z0], [sigmoid(z0)], marker=marker, color=colour, markersize=9, label=label)
        right.plot([z0], [sigmoid_prime(z0)], marker=marker, color=colour, markersize=9,
                   label=f"{label}, σ'(z) = {sigmoid_prime(z0):.3f}")
    for ax in (left, right):
        ax.set_xlabel("weighted input $z$")
        ax.grid(alpha=0.3)
    handles, labels = right.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    plt.show()


def draw_cost_gradients() -> None:
    """For y = 0: both costs against the output a (left), dC/dz against z (right)."""
    z = np.linspace(-6, 8, 701)
    a = sigmoid(z)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6))
    left.plot(a, neuron_cost(a, 0.0, "quadratic"), color=BLUE, linewidth=2.2,
              label="quadratic $\\frac{1}{2}a^2$")
    left.plot(a, neuron_cost(a, 0.0, "cross_entropy"), color=ORANGE, linewidth=2.2,
              linestyle="--", label="cross-entropy $-\\ln(1 - a)$")
    left.set_xlabel("output $a$")
    left.set_ylabel("cost $C$ (goal $y = 0$)")
    left.set_ylim(0, 4)
    right.plot(z, a * sigmoid_prime(z), color=BLUE, linewidth=2.2,
               label="quadratic: $a\\,\\sigma'(z)$")
    right.plot(z, a, color=ORANGE, linewidth=2.2, linestyle="--",
               label="cross-entropy: $a$")
    right.set_xlabel("weighted input $z$")
    right.set_ylabel("$\\partial C / \\partial z$ (goal $y = 0$)")
    right.axvline(4.0, color="0.5", linewidth=1, linestyle=":")
    right.text(4.1, 0.55, "bad start\nz = 4", color="0.3", fontsize=9)
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    plt.show()


def plot_curves(curves: dict[str, Sequence[float]], title: str,
                legend_at: str = "lower right") -> None:
    """Validation accuracy per epoch for each labelled run (notebook 05's picture)."""
    ax = plot_learning_curves(curves, title=title, legend=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc=legend_at)
    plt.show()


# ---------------------------------------------------------------------------------------
# Softmax
# ---------------------------------------------------------------------------------------


def draw_softmax(z: Sequence[float] = (2.5, -1.0, 3.2, 0.5)) -> None:
    """The weighted inputs z (left) and the softmax outputs a (right) of one layer."""
    z = np.asarray(z, dtype=float)
    a = softmax(z.reshape(-1, 1)).ravel()
    names = [f"{j + 1}" for j in range(z.size)]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2))
    left.bar(names, z, color=SKY, edgecolor=BLACK)
    left.axhline(0, color="0.4", linewidth=0.8)
    left.set_ylim(-6, 6)
    left.set_title("weighted inputs $z_j^L$")
    bars = right.bar(names, a, color=BLUE, edgecolor=BLACK)
    for bar, value in zip(bars, a, strict=True):
        right.text(bar.get_x() + bar.get_width() / 2, value + 0.02, f"{value:.3f}",
                   ha="center", fontsize=9)
    right.set_ylim(0, 1.1)
    right.set_title(f"softmax outputs $a_j^L$ (they add up to {a.sum():.3f})")
    for ax in (left, right):
        ax.set_xlabel("neuron $j$")
        ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    plt.show()


# ---------------------------------------------------------------------------------------
# The spread of z at the start
# ---------------------------------------------------------------------------------------


def sample_z(weight_std: float, n_inputs: int = 1000, n_active: int = 500,
             neurons: int = 10_000, seed: int = 0) -> np.ndarray:
    """The weighted input z of ``neurons`` freshly initialised neurons, all seeing one input.

    The input has ``n_active`` ones and the rest zeros; each neuron's weights come from
    N(0, weight_std²) and its bias from N(0, 1). Returns shape ``(neurons,)``.
    """
    rng = np.random.default_rng(seed)
    x = np.zeros(n_inputs)
    x[:n_active] = 1.0
    weights = rng.standard_normal((neurons, n_inputs)) * weight_std
    biases = rng.standard_normal(neurons)
    return weights @ x + biases


def draw_z_spread(samples: dict[str, np.ndarray]) -> None:
    """Histograms of z, one per labelled sample, with σ(z) drawn over them for scale."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    bins = np.linspace(-80, 80, 161)
    for (label, z), colour in zip(samples.items(), [VERMILLION, BLUE], strict=False):
        ax.hist(z, bins=bins, density=True, color=colour, alpha=0.6, label=label)
    curve = np.linspace(-80, 80, 801)
    twin = ax.twinx()
    twin.plot(curve, sigmoid(curve), color=BLACK, linewidth=1.2, label="$\\sigma(z)$")
    twin.set_ylabel("$\\sigma(z)$")
    twin.set_ylim(-0.05, 1.05)
    ax.set_xlabel("weighted input $z$ of a hidden neuron")
    ax.set_ylabel("density")
    ax.legend(loc="upper left", fontsize=9)
    twin.legend(loc="upper right", fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    plt.show()


# ---------------------------------------------------------------------------------------
# Widgets (each has a static fallback in the notebook: the same function, called once)
# ---------------------------------------------------------------------------------------


def _slider_style() -> dict:
    import ipywidgets as widgets

    return {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="420px")}


def neuron_explorer():
    """Sliders for the starting w and b, the learning rate, and a choice of cost."""
    import ipywidgets as widgets

    w = widgets.FloatSlider(value=2.0, min=-4.0, max=4.0, step=0.1, description="start w",
                            continuous_update=False, **_slider_style())
    b = widgets.FloatSlider(value=2.0, min=-4.0, max=4.0, step=0.1, description="start b",
                            continuous_update=False, **_slider_style())
    cost = widgets.ToggleButtons(
        options=[("quadratic", "quadratic"), ("cross-entropy", "cross_entropy")],
        value="cross_entropy", description="cost",
    )
    eta = widgets.FloatLogSlider(value=NEURON_ETA, base=10, min=-3, max=0, step=0.05,
                                 description="learning rate η", readout_format=".3f",
                                 continuous_update=False, **_slider_style())
    return widgets.interactive(draw_neuron, w=w, b=b, cost=cost, eta=eta,
                               epochs=widgets.fixed(NEURON_EPOCHS))


def softmax_explorer(defaults: Sequence[float] = (2.5, -1.0, 3.2, 0.5)):
    """One slider per weighted input z_j of a four-neuron softmax layer."""
    import ipywidgets as widgets

    sliders = {
        f"z{j + 1}": widgets.FloatSlider(value=value, min=-5.0, max=5.0, step=0.1,
                                         description=f"z{j + 1}", continuous_update=False,
                                         **_slider_style())
        for j, value in enumerate(defaults)
    }

    def update(**z: float) -> None:
        draw_softmax([z[name] for name in sliders])

    return widgets.interactive(update, **sliders)


# ---------------------------------------------------------------------------------------
# Exercise 1: how much slower?
# ---------------------------------------------------------------------------------------


def bias_gradient(w: float, b: float, cost: str = "quadratic") -> float:
    """dC/db of the one-neuron experiment (x = 1, y = 0) at the start (w, b)."""
    z = w + b
    return float(neuron_delta(z, sigmoid(np.float64(z)), 0.0, cost))


@exercise("07-slow-start", points=1)
def check_slow_start(slowdown: object) -> str:
    """Exercise 1: dC/db at the good start divided by dC/db at the bad start (about 7.0)."""
    value = as_float(slowdown, "slowdown")
    good, bad = bias_gradient(*GOOD_START), bias_gradient(*BAD_START)
    expected = good / bad
    if np.isclose(value, expected, rtol=0.01):
        return (
            f"∂C/∂b is {good:.4f} at the good start and {bad:.4f} at the bad one: {expected:.2f} "
            "times smaller, though the bad start is the more wrong of the two. The whole "
            "difference is σ'(z): a - y is even larger at the bad start."
        )
    if np.isclose(value, 1 / expected, rtol=0.01):
        raise Hint("Your ratio is upside down: divide the good start's ∂C/∂b by the bad one's.")
    sp_ratio = sigmoid_prime(1.5) / sigmoid_prime(4.0)
    if np.isclose(value, sp_ratio, rtol=0.01) or np.isclose(value, 1 / sp_ratio, rtol=0.01):
        raise Hint(
            "That is the ratio of σ'(z) alone. ∂C/∂b for the quadratic cost has a second "
            "factor.",
            "∂C/∂b = (a - y) σ'(z) with y = 0, and a differs between the two starts too.",
        )
    raise Hint(
        "Compute ∂C/∂b = (a - y) σ'(z) for each start, with x = 1, y = 0 and z = w x + b, "
        "then divide.",
        "z is 1.5 at the good start and 4.0 at the bad one; σ'(z) = σ(z)(1 - σ(z)).",
    )


# ---------------------------------------------------------------------------------------
# Exercise 2: the cross-entropy cost
# ---------------------------------------------------------------------------------------


def _cross_entropy_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """(a, y) pairs: one-hot targets like MNIST's, and targets between 0 and 1."""
    rng = np.random.default_rng(7)
    a1 = rng.uniform(0.02, 0.98, size=(10, 6))
    y1 = np.eye(10)[:, rng.integers(0, 10, size=6)]
    a2 = rng.uniform(0.05, 0.95, size=(3, 4))
    y2 = rng.uniform(0.0, 1.0, size=(3, 4))
    return [(a1, y1), (a2, y2)]


def _cross_entropy_mistakes(a: np.ndarray, y: np.ndarray) -> list[tuple[float, Hint]]:
    """What plausible mistakes return for ``(a, y)``, each with the hint that names it."""
    n, m = a.shape
    per_example = -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a), axis=0)
    right = per_example.mean()
    return [
        (-right, Hint(
            "Your cost is negative: the logarithm of a number between 0 and 1 is negative, so "
            "the formula has a minus sign in front.",
        )),
        (per_example.sum(), Hint(
            f"Your cost is {m} times too large: it is the sum over the {m} examples, and the "
            "cost is their mean.",
            "Sum over the output neurons j (the rows), then average over the examples (the "
            "columns).",
        )),
        (right / n, Hint(
            f"Your cost is {n} times too small: you averaged over every entry, outputs "
            "included. Sum over the output neurons, and average over the examples only.",
        )),
        (-np.sum(y * np.log(a), axis=0).mean(), Hint(
            "Your cost has only the y ln a part. Each output neuron also pays when it is "
            "large and y is 0.",
            "The cost of one neuron is -[y ln a + (1 - y) ln(1 - a)].",
        )),
        (right / np.log(10), Hint(
            "Close, but the logarithm in the cross-entropy is the natural one (np.log); "
            "np.log10 is the base-10 logarithm.",
        )),
        (-np.sum(a * np.log(y + 1e-300) + (1 - a) * np.log(1 - y + 1e-300), axis=0).mean(),
         Hint("You have swapped a and y: the logarithms are of the network's outputs a.")),
    ]


@exercise("07-cross-entropy", points=3)
def check_cross_entropy(learner_cross_entropy: Callable) -> str:
    """Exercise 2: the mean cross-entropy of sigmoid outputs, as in ``mlp.costs``."""
    for a, y in _cross_entropy_cases():
        n, m = a.shape
        value = call_learner(
            learner_cross_entropy, a.copy(), y.copy(), name="cross_entropy",
            hint=f"The check called cross_entropy(a, y) with a and y of shape ({n}, {m}).",
        )
        if np.ndim(value) == 1 and np.size(value) == m:
            raise Hint(
                f"You return one cost per example (shape ({m},)); the cost of the mini-batch "
                "is one number, their mean.",
            )
        if np.ndim(value) == 2:
            raise Hint(
                f"You return an array of shape {np.shape(value)}: sum over the output neurons "
                "and average over the examples, to get one number.",
            )
        try:
            number = float(np.asarray(value, dtype=float).reshape(()))
        except (TypeError, ValueError):
            number = as_float(value, "the value of cross_entropy")
        expected = cross_entropy(a, y)
        if np.isclose(number, expected, rtol=1e-6):
            continue
        if not np.isfinite(number):
            raise Hint(
                f"Your cost is {number}: is a logarithm taken of 0 or of a negative number?",
                "The logarithms are of a and 1 - a, which the check keeps strictly between 0 "
                "and 1.",
            )
        for wrong, hint in _cross_entropy_mistakes(a, y):
            if np.isclose(number, wrong, rtol=1e-6):
                raise hint
        raise Hint(
            f"For a and y of shape ({n}, {m}) your cost is {number:.4f}, the check expects "
            f"{expected:.4f}.",
            "For each example sum -[y ln a + (1 - y) ln(1 - a)] over the output neurons, then "
            "take the mean over the examples.",
        )
    return (
        "That is the cross-entropy of equation 63 in Nielsen's chapter 3. It is never "
        "negative, and it is close to 0 only when every output is close to its goal."
    )


# ---------------------------------------------------------------------------------------
# Exercise 3: softmax, done stably
# ---------------------------------------------------------------------------------------


def _softmax_reference(z: np.ndarray) -> np.ndarray:
    exps = np.exp(z - z.max(axis=0, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


def _overflow() -> Hint:
    return Hint(
        "Right for small inputs, but for z near 1000 your result is nan, inf or wrong: "
        "exp(1000) overflows.",
        "Softmax does not change if you subtract the same number from every z_j of a column; "
        "choose that number so that no exponent is positive.",
    )


def _own_shift() -> Hint:
    return Hint(
        "Right for one column near 1000, but wrong when one column is near 1000 and another "
        "near -1000: does each column get its own shift? Shifted by another column's maximum, "
        "a column near -1000 underflows to 0 / 0.",
    )


@exercise("07-softmax", points=3)
def check_softmax(learner_softmax: Callable) -> str:
    """Exercise 3: column-wise softmax that survives weighted inputs of ±1000."""
    rng = np.random.default_rng(3)
    z = rng.normal(0.0, 2.0, size=(4, 5))
    result = call_learner(learner_softmax, z.copy(), name="softmax",
                          hint="The check called softmax(z) with z of shape (4, 5).")
    a = as_array(result, "the output of softmax")
    if a.shape != z.shape:
        raise Hint(f"softmax(z) should have the shape of z, (4, 5); yours has {a.shape}.")
    expected = _softmax_reference(z)
    if not np.allclose(a, expected, rtol=1e-6, atol=1e-12):
        if np.allclose(a.sum(axis=1), 1.0):
            raise Hint(
                "Your rows add up to 1, but each column is one example: its outputs are the "
                "ones that should add up to 1.",
                "Take the sums (and the maxima) along axis 0, keeping the dimension.",
            )
        if np.isclose(a.sum(), 1.0):
            raise Hint(
                "The whole array adds up to 1, but each column is one example of its own: "
                "normalise every column separately.",
            )
        if np.allclose(a, np.exp(z)):
            raise Hint("You have the exponentials; now divide each by its column's sum.")
        raise Hint(
            "For the small test input your outputs are not yet softmax: "
            "a_j = exp(z_j) / Σ_k exp(z_k), for each column.",
        )
    for big, problem in (
        (np.array([[1000.0, 1000.0], [999.0, -1000.0], [990.0, 0.0]]), _overflow),
        (np.array([[1000.0, -1000.0], [999.0, -1001.0], [990.0, -1000.5]]), _own_shift),
    ):
        result = call_learner(learner_softmax, big.copy(), name="softmax",
                              hint="The check called softmax(z) with entries near ±1000.")
        try:
            a = np.asarray(result, dtype=float)
        except (TypeError, ValueError):
            raise Hint("softmax(z) should return an array of numbers.") from None
        if a.shape != big.shape or not np.allclose(a, _softmax_reference(big), rtol=1e-6,
                                                   atol=1e-12):
            raise problem()
    return (
        "Every column is positive and adds up to 1, and z near ±1000 is no problem: after "
        "subtracting the column's maximum the largest exponent is exp(0) = 1."
    )


# ---------------------------------------------------------------------------------------
# Exercise 4: the spread of z
# ---------------------------------------------------------------------------------------


@exercise("07-z-spread", points=2)
def check_z_spread(std_z_large: object, std_z_scaled: object) -> str:
    """Exercise 4: std of z for N(0, 1) weights (√501) and N(0, 1/1000) weights (√1.5)."""
    large = as_float(std_z_large, "std_z_large")
    scaled = as_float(std_z_scaled, "std_z_scaled")
    right_large, right_scaled = np.sqrt(501.0), np.sqrt(500 / 1000 + 1)
    large_ok = np.isclose(large, right_large, rtol=0.005)
    scaled_ok = np.isclose(scaled, right_scaled, rtol=0.005)
    if large_ok and scaled_ok:
        return (
            f"√501 ≈ {right_large:.1f} and √1.5 ≈ {right_scaled:.2f}. Variances of independent "
            "terms add; the 500 inputs that are 0 add nothing, and the bias adds 1."
        )
    for value, name in ((large, "std_z_large"), (scaled, "std_z_scaled")):
        if np.isclose(value, 501.0) or np.isclose(value, 1.5):
            raise Hint(f"`{name}` is a variance; the standard deviation is its square root.")
    if np.isclose(large, np.sqrt(1001.0), rtol=0.005) or np.isclose(
        scaled, np.sqrt(1.0 + 1.0), rtol=0.005
    ):
        raise Hint(
            "Only the 500 inputs that are 1 contribute: w_j x_j is 0 whenever x_j = 0.",
        )
    if np.isclose(large, np.sqrt(500.0), rtol=0.0005) or np.isclose(
        scaled, np.sqrt(0.5), rtol=0.005
    ):
        raise Hint(
            "Almost: z = Σ_j w_j x_j + b, and the bias is a random number too.",
            "The bias comes from N(0, 1) in both cases and adds 1 to the variance.",
        )
    if np.isclose(scaled, 500 / np.sqrt(1000) + 1, rtol=0.005):
        raise Hint("Standard deviations of independent terms do not add up; variances do.")
    if large_ok:
        raise Hint(
            "`std_z_large` is right. For `std_z_scaled`: a weight from N(0, 1/n_in) has "
            "variance 1/1000.",
            "Add up the variances of the 500 terms w_j × 1 and of the bias, then take the "
            "square root.",
        )
    if scaled_ok:
        raise Hint(
            "`std_z_scaled` is right. For `std_z_large` each of the 500 terms w_j × 1 has "
            "variance 1, and so has the bias.",
        )
    raise Hint(
        "z is a sum of independent random terms: the 500 w_j (for x_j = 1) and b. Their "
        "variances add up.",
        "Variance of each term: 1 for N(0, 1), 1/1000 for N(0, 1/1000). Then take the square "
        "root.",
    )


# ---------------------------------------------------------------------------------------
# Exercise 5: the scaled initialisation
# ---------------------------------------------------------------------------------------

INIT_SIZES = [784, 100, 30, 10]


def _as_params(answer: object, sizes: Sequence[int]) -> tuple[list, list]:
    """The learner's ``(biases, weights)`` as lists of float arrays of the right shapes."""
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise Hint(
            "Return two lists, `return biases, weights`, as `mlp.network.normal_init` does.",
            f"Yours returned a {type(answer).__name__}"
            + (f" with {len(answer)} items." if isinstance(answer, tuple | list) else "."),
        )
    layers = len(sizes) - 1
    expected = {
        "biases": [(n_out, 1) for n_out in sizes[1:]],
        "weights": [(n_out, n_in) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)],
    }
    shapes = [[np.shape(item) for item in items] if isinstance(items, list | tuple) else None
              for items in answer]
    if shapes == [expected["weights"], expected["biases"]]:
        raise Hint("You returned the weights first: return them in the order (biases, weights), "
                   "as every initialiser of `Network` does.")
    checked = []
    for name, items in zip(("biases", "weights"), answer, strict=True):
        if not isinstance(items, list | tuple) or len(items) != layers:
            raise Hint(
                f"`{name}` should be a list with one array per layer after the input: "
                f"{layers} for sizes {list(sizes)}.",
            )
        arrays = []
        for item, shape in zip(items, expected[name], strict=True):
            array = as_array(item, f"each array in {name}")
            if array.shape != shape:
                swapped = name == "weights" and array.shape == shape[::-1]
                raise Hint(
                    f"For sizes {list(sizes)} the {name} should have shapes "
                    f"{expected[name]}; one of yours has shape {array.shape}."
                    + (" It is transposed." if swapped else ""),
                    "As in notebook 01: a weight matrix is (n_out, n_in), a bias a column "
                    "(n_out, 1). Did you return (biases, weights) in that order?",
                )
            arrays.append(array)
        checked.append(arrays)
    return checked[0], checked[1]


@exercise("07-scaled-init", points=2)
def check_scaled_init(learner_scaled_normal: Callable) -> str:
    """Exercise 5: biases from N(0, 1), weights from N(0, 1/n_in), drawn from ``rng``."""
    sizes = INIT_SIZES
    answer = call_learner(
        learner_scaled_normal, list(sizes), np.random.default_rng(11), name="scaled_normal",
        hint=f"The check called scaled_normal({sizes}, rng) with rng = "
        "np.random.default_rng(11).",
    )
    biases, weights = _as_params(answer, sizes)
    again = call_learner(learner_scaled_normal, list(sizes), np.random.default_rng(11),
                         name="scaled_normal")
    if not all(np.array_equal(w, v) for w, v in zip(weights, _as_params(again, sizes)[1],
                                                      strict=True)):
        raise Hint(
            "Called twice with the same seed, your function gave different weights: draw the "
            "random numbers from the generator `rng` it is given.",
            "`rng.standard_normal(shape)` or `rng.normal(0, std, shape)`.",
        )
    n_ins = sizes[:-1]
    stds = [float(w.std()) for w in weights]
    for w, n_in, n_out, std in zip(weights, n_ins, sizes[1:], stds, strict=True):
        target = 1 / np.sqrt(n_in)
        if abs(std / target - 1) < 0.15 and abs(float(w.mean())) < 3 * target / np.sqrt(w.size):
            continue
        if abs(std * n_in - 1) < 0.15:
            raise Hint(
                f"The weights into the layer with n_in = {n_in} have standard deviation "
                f"{std:.4f}, about 1/n_in. N(0, 1/n_in) means *variance* 1/n_in.",
                "The standard deviation is the square root of the variance.",
            )
        if abs(std * np.sqrt(n_out) - 1) < 0.15:
            raise Hint(
                f"The weights of the {n_out} × {n_in} layer have standard deviation "
                f"{std:.4f}, about 1/√{n_out}: you scaled by the number of outputs. A neuron's "
                "z adds up n_in terms, so scale by n_in.",
            )
        raise Hint(
            f"The weights of the {n_out} × {n_in} layer have standard deviation {std:.4f} "
            f"and mean {float(w.mean()):+.4f}; N(0, 1/n_in) has 0 and 1/√{n_in} = "
            f"{target:.4f}.",
        )
    all_biases = np.concatenate([b.ravel() for b in biases])
    bias_std = float(all_biases.std())
    if not 0.8 < bias_std < 1.2 or abs(float(all_biases.mean())) > 0.3:
        raise Hint(
            f"The weights are right; your biases have standard deviation {bias_std:.3f}. "
            "Keep the biases from N(0, 1), as in chapter 1: a neuron has only one bias, so it "
            "cannot saturate the neuron the way 784 weights can.",
        )
    return (
        "Weight standard deviations "
        + ", ".join(f"{s:.3f}" for s in stds)
        + " against 1/√n_in = "
        + ", ".join(f"{1 / np.sqrt(n):.3f}" for n in n_ins)
        + ". That is mlp.init.scaled_normal, chapter 3's default_weight_initializer."
    )
