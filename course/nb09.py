"""Helpers for notebook 09 (hyper-parameters and optimisers): the ravine, reference update
rules, pictures, widgets, timings and the exercise checks.

The notebook derives every update rule itself; this module keeps the course's own copies
(so that later cells run while a learner's answer is still a stub), the plotting code and
the checks out of the way. Sources: chapter 3 of Michael Nielsen's *Neural Networks and
Deep Learning*, http://neuralnetworksanddeeplearning.com/chap3.html, and the optimiser
chapters of Kinsley and Kukieła's *Neural Networks from Scratch in Python*, https://nnfs.io.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_array, as_float, as_int, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nb09.show_answer
from course.nb00 import excerpt as excerpt  # for the notebook: nb09.excerpt
from course.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, SKY, VERMILLION
from mlp import optim
from mlp.network import Network
from mlp.train import sgd

# ---------------------------------------------------------------------------------------
# The ravine: C(w) = (w1^2 + K w2^2) / 2, steep across and gentle along
# ---------------------------------------------------------------------------------------

K = 50.0  # the curvature across the ravine; along it the curvature is 1
START = (-8.0, 1.0)  # where every race starts
STEPS = 60  # steps in a race


def ravine_cost(w: np.ndarray) -> np.ndarray:
    """C(w) = (w1² + K w2²)/2 for ``w`` of shape (2,) or (2, ...)."""
    w = np.asarray(w, dtype=float)
    return 0.5 * (w[0] ** 2 + K * w[1] ** 2)


def ravine_gradient(w: np.ndarray) -> np.ndarray:
    """∇C = (w1, K w2), shape (2,)."""
    w = np.asarray(w, dtype=float)
    return np.array([w[0], K * w[1]])


# ---------------------------------------------------------------------------------------
# Reference update rules, one step each, in the notebook's form: state in, state out
# ---------------------------------------------------------------------------------------


def sgd_step(w, grad, eta):
    """Plain gradient descent: w - η ∇C."""
    return w - eta * grad


def momentum_step(w, v, grad, eta, mu=0.9):
    """Nielsen's momentum (ch3, eq. 107-108): v' = μ v - η ∇C, w' = w + v'."""
    v = mu * v - eta * grad
    return w + v, v


def adagrad_step(w, s, grad, eta, epsilon=1e-8):
    """AdaGrad: s' = s + g², w' = w - η g / (√s' + ε)."""
    s = s + grad * grad
    return w - eta * grad / (np.sqrt(s) + epsilon), s


def rmsprop_step(w, s, grad, eta, decay=0.9, epsilon=1e-8):
    """RMSProp: s' = ρ s + (1 - ρ) g², w' = w - η g / (√s' + ε)."""
    s = decay * s + (1 - decay) * grad * grad
    return w - eta * grad / (np.sqrt(s) + epsilon), s


def adam_step(w, m, s, t, grad, eta, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Adam: the averages m and s, corrected for starting at zero, t = 1, 2, ..."""
    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return w - eta * m_hat / (np.sqrt(s_hat) + epsilon), m, s


# ---------------------------------------------------------------------------------------
# Races on the ravine, with mlp.optim's update rules
# ---------------------------------------------------------------------------------------

#: name -> (a good learning rate on the ravine, colour, line style) for the race.
RACERS = {
    "sgd": (0.035, BLACK, ":"),
    "momentum": (0.01, BLUE, "-"),
    "adagrad": (1.0, GREEN, "-."),
    "rmsprop": (0.3, ORANGE, "--"),
    "adam": (0.5, PURPLE, "-"),
}


def race(name: str, eta: float, steps: int = STEPS, start: Sequence[float] = START) -> np.ndarray:
    """The path of ``mlp.optim``'s optimiser ``name`` on the ravine, shape (steps + 1, 2).

    A path that leaves the picture by far (a learning rate beyond the threshold) stops
    growing at 1e6, so that it can still be drawn.
    """
    update = optim.OPTIMIZERS[name]()
    params = [np.array(start, dtype=float)]
    path = [params[0].copy()]
    for _ in range(steps):
        update(params, [ravine_gradient(params[0])], eta)
        np.clip(params[0], -1e6, 1e6, out=params[0])
        path.append(params[0].copy())
    return np.array(path)


def draw_ravine(paths: dict[str, tuple[np.ndarray, str, str]] | None = None, title: str = ""):
    """Contours of the ravine and, for each ``label: (path, colour, style)``, its path (left)
    and its cost against the step (right, log scale)."""
    paths = paths or {}
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3.8), width_ratios=[1.6, 1])
    x, y = np.meshgrid(np.linspace(-9, 3, 241), np.linspace(-1.6, 1.6, 161))
    left.contour(x, y, ravine_cost(np.array([x, y])), levels=np.geomspace(0.05, 80, 12),
                 cmap="cividis", linewidths=0.8)
    left.plot(0, 0, "*", color=BLACK, markersize=12)
    for label, (path, color, style) in paths.items():
        left.plot(path[:, 0], path[:, 1], style, color=color, linewidth=1.6, marker=".",
                  markersize=4, label=label)
        costs = np.maximum(ravine_cost(path.T), 1e-12)
        right.semilogy(costs, style, color=color, linewidth=1.8, label=label)
    left.set_xlim(-9, 3)
    left.set_ylim(-1.6, 1.6)
    left.set_xlabel("$w_1$ (along the ravine)")
    left.set_ylabel("$w_2$ (across)")
    left.set_title(title or f"$C = (w_1^2 + {K:g}\\,w_2^2)/2$, start at {START}")
    right.set_xlabel("step")
    right.set_ylabel("cost $C$")
    right.set_ylim(1e-3, 1e4)
    right.grid(alpha=0.3)
    if paths:
        left.legend(loc="lower right", fontsize=8)
        right.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    plt.show()


#: name -> (the course's step function, its kind for :func:`step_path`).
RULES = {
    "sgd": (sgd_step, "sgd"),
    "momentum": (momentum_step, "w+1"),
    "adagrad": (adagrad_step, "w+1"),
    "rmsprop": (rmsprop_step, "w+1"),
    "adam": (adam_step, "adam"),
}


def step_path(rule: Callable, kind: str, eta: float, steps: int = STEPS) -> np.ndarray:
    """The path of a step function (the notebook's form) on the ravine from :data:`START`.

    ``kind`` is "sgd" (``rule(w, grad, eta)``), "w+1" (``rule(w, state, grad, eta)`` returns
    ``(w, state)``) or "adam" (``rule(w, m, s, t, grad, eta)`` returns ``(w, m, s)``).
    """
    w = np.array(START, dtype=float)
    state = [np.zeros(2)] * {"sgd": 0, "w+1": 1, "adam": 2}[kind]
    path = [w]
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            extra = (t,) if kind == "adam" else ()
            returned = rule(w.copy(), *(s.copy() for s in state), *extra,
                            ravine_gradient(w), eta)
            if kind == "sgd":
                returned = (returned,)
            w = np.clip(np.asarray(returned[0], dtype=float), -1e6, 1e6)
            state = [np.asarray(s, dtype=float) for s in returned[1:]]
            path.append(w)
    return np.array(path)


def _works(check: Callable, rule: object) -> bool:
    """Whether ``rule`` passes ``check``, without showing or recording anything."""
    if not callable(rule):
        return False
    try:
        return bool(check.__wrapped__(rule))
    except Exception:  # a stub, a bug, a wrong answer: the course's copy races instead
        return False


def race_yours(rules: dict[str, object]) -> dict[str, tuple[float, str]]:
    """Race the learner's step functions (``name: function``) on the ravine, with plain
    gradient descent for comparison.

    A function that does not (yet) pass its check is replaced by the course's copy, and
    labelled so. Returns ``name: (cost after STEPS steps, whose rule raced)``.
    """
    checks = {"momentum": check_momentum, "adagrad": check_adagrad,
              "rmsprop": check_rmsprop, "adam": check_adam}
    paths, results = {}, {}
    for name in ["sgd", *rules]:
        reference, kind = RULES[name]
        rule, whose = reference, "the course's copy"
        if name in rules and _works(checks[name], rules[name]):
            rule, whose = rules[name], "yours"
        eta, color, style = RACERS[name]
        path = step_path(rule, kind, eta)
        label = f"{name}, η = {eta:g}" + (f" ({whose})" if name != "sgd" else "")
        paths[label] = (path, color, style)
        results[name] = (float(ravine_cost(path[-1])), whose)
    draw_ravine(paths, title=f"{STEPS} steps each, from {START}")
    return results


def draw_one(name: str = "momentum", eta: float = 0.01) -> None:
    """One optimiser's path at learning rate ``eta`` (for the widget)."""
    _, color, style = RACERS[name]
    path = race(name, eta)
    final = float(ravine_cost(path[-1]))
    verdict = "diverged" if not final < 1e4 else f"cost after {STEPS} steps: {final:.2g}"
    draw_ravine({f"{name}, η = {eta:g}": (path, color, style)}, title=f"{name}: {verdict}")


def ravine_explorer():
    """A drop-down for the optimiser and a log slider for η; redraws :func:`draw_one`."""
    import ipywidgets as widgets

    style = {"style": {"description_width": "initial"}, "layout": widgets.Layout(width="420px")}
    name = widgets.Dropdown(options=list(RACERS), value="momentum", description="optimiser",
                            **style)
    eta = widgets.FloatLogSlider(value=0.01, base=10, min=-3, max=0.5, step=0.05,
                                 description="learning rate η", readout_format=".3g",
                                 continuous_update=False, **style)
    return widgets.interactive(draw_one, name=name, eta=eta)


# ---------------------------------------------------------------------------------------
# MNIST: subsets, timings, and a quiet training run
# ---------------------------------------------------------------------------------------


def head(data: tuple[np.ndarray, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` examples of ``(x, labels)``, as contiguous arrays."""
    x, labels = data
    return np.ascontiguousarray(x[:, :n]), labels[:n].copy()


def seconds_per_epoch(
    sizes: Sequence[int], data: tuple[np.ndarray, np.ndarray], batch_size: int, repeats: int = 3
) -> float:
    """The fastest of ``repeats`` one-epoch runs of :func:`mlp.train.sgd` (seconds)."""
    best = np.inf
    for _ in range(repeats):
        net = Network(sizes, seed=0)
        start = time.perf_counter()
        sgd(net, data, 1, batch_size, 0.1, seed=0, progress=False, verbose=False)
        best = min(best, time.perf_counter() - start)
    return best


def draw_curves(
    curves: dict[str, Sequence[float]], ylabel: str, title: str = "", logy: bool = False
) -> None:
    """One line per ``label: values`` against the epoch, in the course palette."""
    colors = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, BLACK]
    styles = ["-", "--", "-.", ":", "-", "--", "-."]
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for (label, values), color, style in zip(curves.items(), colors, styles, strict=False):
        epochs = np.arange(1, len(values) + 1)
        ax.plot(epochs, values, style, color=color, linewidth=2, marker="o", markersize=3,
                label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xticks(np.arange(1, max(len(v) for v in curves.values()) + 1))
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    plt.show()


def draw_activations() -> None:
    """σ, tanh and ReLU (left) and their derivatives (right)."""
    from mlp.activations import ACTIVATIONS

    z = np.linspace(-4, 4, 401)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.4))
    for (name, (f, prime)), color, style in zip(
        ACTIVATIONS.items(), [BLUE, ORANGE, GREEN], ["-", "--", "-."], strict=True
    ):
        left.plot(z, f(z), style, color=color, linewidth=2.2, label=name)
        right.plot(z, prime(z), style, color=color, linewidth=2.2, label=f"{name}'")
    left.set_title("activation $a = f(z)$")
    right.set_title("derivative $f'(z)$: the factor in BP2")
    for ax in (left, right):
        ax.axhline(0, color="gray", linewidth=0.8)
        ax.set_xlabel("weighted input $z$")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
    left.set_ylim(-1.2, 2.2)
    fig.tight_layout()
    plt.show()


# ---------------------------------------------------------------------------------------
# Exercise checks
# ---------------------------------------------------------------------------------------


@exercise("09-eta-threshold", points=1)
def check_eta_threshold(eta_threshold: float) -> str:
    """Exercise 1: the largest η for which plain gradient descent on the ravine converges."""
    eta = as_float(eta_threshold, "eta_threshold")
    if np.isclose(eta, 2 / K):
        return (
            f"η < 2/K = {2 / K:g}. Across the ravine each step multiplies w₂ by 1 - ηK; for "
            f"η above {2 / K:g} that factor is below -1 and the zig-zag grows. Along the "
            f"ravine the limit would be η < 2, so the steep direction sets the threshold."
        )
    if np.isclose(eta, 1 / K):
        raise Hint(
            f"With η = 1/K = {1 / K:g} one step lands exactly in the bottom across the "
            "ravine: the best η for w₂, but not the largest that still converges.",
            "w₂ is multiplied by (1 - ηK) each step. For which η is |1 - ηK| < 1?",
        )
    if np.isclose(eta, 2.0) or np.isclose(eta, 1.0):
        raise Hint(
            "That is the limit along the ravine, where the curvature is 1. Across it the "
            f"curvature is K = {K:g}.",
            "Look at w₂: each step multiplies it by (1 - ηK).",
        )
    raise Hint(
        f"With η = {eta:g} a step multiplies w₂ by 1 - ηK = {1 - eta * K:.3g}.",
        "Gradient descent settles when that factor lies strictly between -1 and 1: solve "
        "|1 - ηK| < 1 for η.",
    )


@exercise("09-plateau-stop", points=1)
def check_plateau_stop(epochs_until_stop: int) -> str:
    """Exercise 2: epochs trained by HalveOnPlateau(patience=10) if nothing ever improves."""
    n = as_int(epochs_until_stop, "epochs_until_stop")
    if n == 71:
        return (
            "Epoch 1 sets the best accuracy; then every 10 epochs without a better one halve "
            "η: after epochs 11, 21, ..., 71. The seventh halving brings η to η₀/128, and "
            "training stops after epoch 71."
        )
    if n == 70:
        raise Hint(
            "Nearly: don't forget epoch 1, which sets the best accuracy that the later "
            "epochs fail to beat.",
        )
    if n in (80, 81):
        raise Hint(
            "One halving too many: count how many halvings take η down to η₀/128.",
            "2⁷ = 128.",
        )
    if n == 7:
        raise Hint(
            "7 is the number of halvings; the question asks for epochs.",
            "Each halving needs 10 epochs without improvement.",
        )
    raise Hint(
        "Count the halvings from η₀ to η₀/128 first, then the epochs each one waits for.",
        "Halvings come after epochs 11, 21, ...: epoch 1 is the best, and 10 epochs pass "
        "without beating it.",
    )


# The checks run the learner's step function for CHECK_STEPS steps on the ravine, and
# compare every step with the reference; a mismatch is compared with typical mistakes.
CHECK_STEPS = 6
CHECK_START = (-3.0, 0.4)


def _as_state(value: object, name: str, names: Sequence[str]) -> list[np.ndarray]:
    """The learner's returned tuple as arrays of shape (2,)."""
    n = len(names)
    listed = ", ".join(names)
    if not isinstance(value, tuple | list) or len(value) != n:
        got = f"{len(value)} items" if isinstance(value, tuple | list) else type(value).__name__
        raise Hint(f"`{name}` should return {n} arrays: `return {listed}`. Yours returned {got}.")
    return [as_array(v, f"the {what} returned by {name}", shape=(2,))
            for v, what in zip(value, names, strict=True)]


def _trajectory(step: Callable, kind: str, eta: float, steps: int, name: str | None,
                options: dict) -> list[list[np.ndarray]]:
    """Run one step function on the ravine; each entry is the returned state (w first).

    ``kind`` is "w+1" (one state array: momentum, AdaGrad, RMSProp) or "adam". With
    ``name`` the function is the learner's (called through :func:`call_learner`).
    """
    w = np.array(CHECK_START)
    state = [np.zeros(2)] * (2 if kind == "adam" else 1)
    out = []
    names = ("w", "m", "s") if kind == "adam" else ("w", "v" if "mu" in options else "s")
    for t in range(1, steps + 1):
        grad = ravine_gradient(w)
        args = (w.copy(), *(s.copy() for s in state))
        if kind == "adam":
            args = (*args, t)
        args = (*args, grad.copy(), eta)
        if name is None:
            with np.errstate(all="ignore"):
                returned = step(*args, **options)
            returned = [np.asarray(r, dtype=float) for r in returned]
        else:
            returned = call_learner(
                step, *args, **options, name=name,
                hint=f"The check called it at step {t} with w = {w}, gradient {grad}, "
                f"η = {eta:g}.",
            )
            returned = _as_state(returned, name, names)
        out.append(returned)
        w, state = returned[0], returned[1:]
    return out


def _close(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(np.allclose(x, y, rtol=1e-6, atol=1e-9) for x, y in zip(a, b, strict=True))


SYMBOLS = {"mu": "μ", "decay": "decay ρ", "epsilon": "ε", "beta1": "β₁", "beta2": "β₂"}


def _check_rule(learner: Callable, name: str, reference: Callable, kind: str,
                runs: Sequence[tuple[float, dict]], mistakes: Sequence[tuple[Callable, str, str]],
                done: str) -> str:
    """Compare the learner's rule with ``reference`` step by step, for each (η, options).

    ``mistakes`` are (buggy rule, nudge, pointed hint): if the learner's steps match one of
    them, its hint is given.
    """
    for run, (eta, options) in enumerate(runs):
        got = _trajectory(learner, kind, eta, CHECK_STEPS, name, options)
        want = _trajectory(reference, kind, eta, CHECK_STEPS, None, options)
        bad = next((t for t in range(CHECK_STEPS) if not _close(got[t], want[t])), None)
        if bad is None:
            continue
        for wrong, nudge, pointed in mistakes:
            other = _trajectory(wrong, kind, eta, CHECK_STEPS, None, options)
            if all(_close(g, o) for g, o in zip(got, other, strict=True)):
                raise Hint(nudge, pointed)
        setting = ", ".join(f"{SYMBOLS[k]} = {v:g}" for k, v in options.items())
        first = "the first step" if bad == 0 else f"step {bad + 1} (the steps before agree)"
        if run > 0:
            raise Hint(
                f"Your rule agrees with the reference for η = {runs[0][0]:g}, but not for "
                f"η = {eta:g}, {setting}: does it use the arguments it is given, rather than "
                "fixed numbers?",
                f"At {first} it returned w = {np.round(got[bad][0], 6)}, the reference "
                f"{np.round(want[bad][0], 6)}.",
            )
        raise Hint(
            f"With η = {eta:g}{', ' + setting if setting else ''}, from w = {CHECK_START} on "
            f"the ravine, your rule differs from the reference at {first}: it returned w = "
            f"{np.round(got[bad][0], 6)}, the reference {np.round(want[bad][0], 6)}.",
            "Write the update exactly as the equations above, one line per equation, and "
            "return the new values (the check passes in copies and uses what you return).",
        )
    return done


def _momentum_mistakes() -> list[tuple[Callable, str, str]]:
    def uphill(w, v, grad, eta, mu=0.9):
        v = mu * v + eta * grad
        return w + v, v

    def old_velocity(w, v, grad, eta, mu=0.9):
        return w + v, mu * v - eta * grad

    def averaged(w, v, grad, eta, mu=0.9):
        v = mu * v + (1 - mu) * grad
        return w - eta * v, v

    def no_friction(w, v, grad, eta, mu=0.9):
        v = v - eta * grad
        return w + v, v

    def plain(w, v, grad, eta, mu=0.9):
        return w - eta * grad, v

    return [
        (uphill, "Your velocity points uphill: the gradient points up the slope.",
         "The velocity gains -η∇C each step, not +η∇C."),
        (old_velocity, "Your w moves with the velocity of the previous step.",
         "Update v first, then move w with the new v."),
        (averaged, "That is the averaged form, v = μv + (1-μ)∇C, with w - ηv (the form Adam "
         "uses for its m). This exercise asks for Nielsen's form, eq. 107-108.",
         "v' = μv - η∇C, then w' = w + v'."),
        (no_friction, "Your velocity never loses anything: the momentum coefficient μ is "
         "missing.", "Multiply the old velocity by μ before adding -η∇C."),
        (plain, "That is plain gradient descent: the velocity is never used.",
         "Let v carry on from step to step: v' = μv - η∇C, and w moves by v'."),
    ]


@exercise("09-momentum", points=3)
def check_momentum(learner_momentum_step: Callable) -> str:
    """Exercise 3: ``momentum_step(w, v, grad, eta, mu)`` returns (w, v)."""
    return _check_rule(
        learner_momentum_step, "momentum_step", momentum_step, "w+1",
        [(0.01, {"mu": 0.9}), (0.02, {"mu": 0.5})], _momentum_mistakes(),
        f"{CHECK_STEPS} steps on the ravine, with μ = 0.9 and μ = 0.5, agree with the "
        "reference. The velocity remembers the slope: along the ravine it builds up, "
        "across it the zig-zags cancel.",
    )


def _sqrt_mistakes(rule: Callable, what: str) -> list[tuple[Callable, str, str]]:
    """Mistakes shared by AdaGrad and RMSProp, given the reference ``rule``."""

    def no_root(w, s, grad, eta, **options):
        _, s = rule(w, s, grad, eta, **options)
        return w - eta * grad / (s + 1e-8), s

    def old_s(w, s, grad, eta, **options):
        _, new = rule(w, s, grad, eta, **options)
        return w - eta * grad / (np.sqrt(s) + 1e-8), new

    def squared_root(w, s, grad, eta, **options):
        _, new = rule(w, s, grad, eta, **options)
        return w - eta * grad * grad / (np.sqrt(new) + 1e-8), new

    return [
        (no_root, f"You divide by the {what} itself: take its square root first.",
         "The step is η g / (√s + ε): dividing by √s makes it independent of the size of g."),
        (old_s, "You divide by s from before this step's gradient was added.",
         "Update s with g² first, then use the new s in the step."),
        (squared_root, "The step multiplies η by g², so it always points the same way.",
         "The numerator is the gradient g itself; only the denominator holds g²."),
    ]


@exercise("09-adagrad", points=2)
def check_adagrad(learner_adagrad_step: Callable) -> str:
    """Exercise 4: ``adagrad_step(w, s, grad, eta, epsilon)`` returns (w, s)."""

    def forgets(w, s, grad, eta, epsilon=1e-8):
        return w - eta * grad / (np.sqrt(grad * grad) + epsilon), grad * grad

    def sums_gradients(w, s, grad, eta, epsilon=1e-8):
        s = s + grad
        return w - eta * grad / (np.sqrt(s) + epsilon), s

    mistakes = [
        (forgets, "Your s holds only this step's g²: AdaGrad adds up the squares of all "
         "gradients so far.", "s' = s + g², starting from the s you are given."),
        (sums_gradients, "s should add up squared gradients, g², not the gradients.",
         "s' = s + g * g."),
        *_sqrt_mistakes(adagrad_step, "sum of squares"),
    ]
    return _check_rule(
        learner_adagrad_step, "adagrad_step", adagrad_step, "w+1",
        [(1.0, {}), (0.3, {"epsilon": 1e-6})], mistakes,
        f"{CHECK_STEPS} steps agree with the reference. The first step is η times the sign "
        "of the gradient in every direction; later steps shrink, because s only grows.",
    )


@exercise("09-rmsprop", points=2)
def check_rmsprop(learner_rmsprop_step: Callable) -> str:
    """Exercise 5: ``rmsprop_step(w, s, grad, eta, decay, epsilon)`` returns (w, s)."""

    def swapped(w, s, grad, eta, decay=0.9, epsilon=1e-8):
        s = (1 - decay) * s + decay * grad * grad
        return w - eta * grad / (np.sqrt(s) + epsilon), s

    def no_weight(w, s, grad, eta, decay=0.9, epsilon=1e-8):
        s = decay * s + grad * grad
        return w - eta * grad / (np.sqrt(s) + epsilon), s

    def adagrad(w, s, grad, eta, decay=0.9, epsilon=1e-8):
        return adagrad_step(w, s, grad, eta, epsilon)

    mistakes = [
        (swapped, "The weights of the average are swapped: the old s should keep most of "
         "its value.", "s' = ρ s + (1 - ρ) g², with ρ = decay = 0.9."),
        (no_weight, "The new g² enters with weight 1: the average needs the weight 1 - ρ.",
         "s' = ρ s + (1 - ρ) g²."),
        (adagrad, "That is AdaGrad: s adds up every g² for ever.",
         "Let the old s decay: s' = ρ s + (1 - ρ) g²."),
        *_sqrt_mistakes(rmsprop_step, "average of squares"),
    ]
    return _check_rule(
        learner_rmsprop_step, "rmsprop_step", rmsprop_step, "w+1",
        [(0.3, {"decay": 0.9}), (0.1, {"decay": 0.5})], mistakes,
        f"{CHECK_STEPS} steps agree with the reference, for ρ = 0.9 and ρ = 0.5. Unlike "
        "AdaGrad's sum, the average forgets old gradients, so the steps do not shrink for ever.",
    )


def _adam_mistakes() -> list[tuple[Callable, str, str]]:
    def uncorrected(w, m, s, t, grad, eta, beta1=0.9, beta2=0.999, epsilon=1e-8):
        m = beta1 * m + (1 - beta1) * grad
        s = beta2 * s + (1 - beta2) * grad * grad
        return w - eta * m / (np.sqrt(s) + epsilon), m, s

    def swapped(w, m, s, t, grad, eta, beta1=0.9, beta2=0.999, epsilon=1e-8):
        return adam_step(w, m, s, t, grad, eta, beta2, beta1, epsilon)

    def stores_corrected(w, m, s, t, grad, eta, beta1=0.9, beta2=0.999, epsilon=1e-8):
        m = (beta1 * m + (1 - beta1) * grad) / (1 - beta1**t)
        s = (beta2 * s + (1 - beta2) * grad * grad) / (1 - beta2**t)
        return w - eta * m / (np.sqrt(s) + epsilon), m, s

    def no_root(w, m, s, t, grad, eta, beta1=0.9, beta2=0.999, epsilon=1e-8):
        _, m, s = adam_step(w, m, s, t, grad, eta, beta1, beta2, epsilon)
        m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)
        return w - eta * m_hat / (s_hat + epsilon), m, s

    return [
        (uncorrected, "The bias correction is missing: m and s start at zero, so early on "
         "they are too small.", "Divide m by 1 - β₁ᵗ and s by 1 - β₂ᵗ before the step."),
        (swapped, "β₁ and β₂ are swapped: the mean of the gradients uses β₁ = 0.9, the mean "
         "of their squares β₂ = 0.999.", "m goes with β₁, s with β₂."),
        (stores_corrected, "You return the corrected averages: the correction is only for "
         "the step.", "Return m and s as averaged; use m̂ and ŝ only to move w."),
        (no_root, "You divide by ŝ itself: take its square root first.",
         "w' = w - η m̂ / (√ŝ + ε)."),
    ]


@exercise("09-adam", points=3)
def check_adam(learner_adam_step: Callable) -> str:
    """Exercise 6: ``adam_step(w, m, s, t, grad, eta, beta1, beta2, epsilon)`` returns
    (w, m, s)."""
    return _check_rule(
        learner_adam_step, "adam_step", adam_step, "adam",
        [(0.5, {}), (0.1, {"beta1": 0.8, "beta2": 0.99})], _adam_mistakes(),
        f"{CHECK_STEPS} steps agree with the reference, with the default β's and with "
        "β₁ = 0.8, β₂ = 0.99. Thanks to the correction, the first step is η times the sign "
        "of the gradient, whatever the β's.",
    )
