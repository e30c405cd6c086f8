"""The exercise checks of notebook 03 accept the right answers and explain wrong ones."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from course import nb03
from mlp.network import Network

matplotlib.use("Agg")


def stub(*args):
    """What a student's function looks like before it is written: its body is `...`."""
    ...


@pytest.mark.parametrize(
    "check",
    [
        nb03.check_seven_nudges,
        nb03.check_finite_difference_gradient,
        nb03.check_relative_error,
        nb03.check_fixed_gradient,
    ],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


@pytest.mark.parametrize(
    "check",
    [nb03.check_finite_difference_gradient, nb03.check_relative_error, nb03.check_fixed_gradient],
)
def test_an_unwritten_function_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, stub).startswith("Not yet. Write the body of")


def test_strongest_weight_placeholder(verdict) -> None:
    out = verdict(nb03.check_strongest_weight, ..., np.ones(3))
    assert out.startswith("Not yet. Replace the `...`")


def test_seven_nudges(verdict) -> None:
    a, y = nb03.SEVEN_OUTPUT, nb03.SEVEN_TARGET
    assert verdict(nb03.check_seven_nudges, y - a).startswith("Correct!")
    assert "also fine" in verdict(nb03.check_seven_nudges, 2 * (y - a))
    assert "flipped" in verdict(nb03.check_seven_nudges, a - y)
    assert "proportional" in verdict(nb03.check_seven_nudges, np.sign(y - a))
    assert "every other output" in verdict(nb03.check_seven_nudges, 0.7 * y)
    assert "shape" in verdict(nb03.check_seven_nudges, np.ones(9))


def test_strongest_weight(verdict) -> None:
    a_hidden = np.array([0.2, 0.9, 0.05, 0.5])
    assert verdict(nb03.check_strongest_weight, 1, a_hidden).startswith("Correct!")
    assert "least active" in verdict(nb03.check_strongest_weight, 2, a_hidden)
    assert "activation 0.50" in verdict(nb03.check_strongest_weight, 3, a_hidden)
    assert "between" in verdict(nb03.check_strongest_weight, 7, a_hidden)


def central_differences(net, x, y, h=1e-5):
    """A right answer to exercise 4: every partial derivative, nudging each entry both ways."""
    grads = []
    for p in net.biases + net.weights:
        g = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            saved = p[index]
            p[index] = saved + h
            plus = net.cost(x, y)
            p[index] = saved - h
            minus = net.cost(x, y)
            p[index] = saved
            g[index] = (plus - minus) / (2 * h)
        grads.append(g)
    n = len(net.biases)
    return grads[:n], grads[n:]


def test_finite_difference_gradient_accepts_central_differences(verdict) -> None:
    assert verdict(nb03.check_finite_difference_gradient, central_differences).startswith(
        "Correct!")


def test_finite_difference_gradient_names_the_classic_mistakes(verdict) -> None:
    def scaled(factor):
        def answer(net, x, y):
            nabla_b, nabla_w = central_differences(net, x, y)
            return [factor * g for g in nabla_b], [factor * g for g in nabla_w]
        return answer

    def forward(net, x, y, h=1e-5):
        grads, base = [], net.cost(x, y)
        for p in net.biases + net.weights:
            g = np.zeros_like(p)
            for index in np.ndindex(p.shape):
                p[index] += h
                g[index] = (net.cost(x, y) - base) / h
                p[index] -= h
            grads.append(g)
        return grads[: len(net.biases)], grads[len(net.biases):]

    def on_a_copy(net, x, y):
        return ([np.zeros_like(b) for b in net.biases], [np.zeros_like(w) for w in net.weights])

    def not_restored(net, x, y):
        answer = central_differences(net, x, y)
        net.weights[0][0, 0] += 1e-5
        return answer

    def weights_only(net, x, y):
        nabla_b, nabla_w = central_differences(net, x, y)
        return [np.zeros_like(b) for b in nabla_b], nabla_w

    check = nb03.check_finite_difference_gradient
    assert "divide their difference by 2h" in verdict(check, scaled(2.0))
    assert "not 4h" in verdict(check, scaled(0.5))
    assert "sign" in verdict(check, scaled(-1.0))
    assert "forward difference" in verdict(check, forward)
    assert "not of a copy" in verdict(check, on_a_copy)
    assert "put every entry back" in verdict(check, not_restored)
    assert "biases are derivatives too" in verdict(check, weights_only)
    def swapped(net, x, y):
        return central_differences(net, x, y)[::-1]

    assert "wrong way round" in verdict(check, swapped)
    assert "a pair" in verdict(check, lambda net, x, y: np.zeros((7, 3)))
    assert "shape" in verdict(check, lambda net, x, y: ([np.zeros(3)] * 3, [np.zeros(3)] * 3))


def test_a_correct_gradient_gives_what_the_docstring_says() -> None:
    """gradcheck.relative_error's docstring: about 1e-9 and below 1e-7 in float64 (measured)."""
    from mlp import gradcheck

    errors = []
    for seed in range(30):
        rng = np.random.default_rng(seed)
        sizes = [int(n) for n in rng.integers(2, 8, size=int(rng.integers(2, 5)))]
        net = Network(sizes, seed=seed, dtype=np.float64)
        m = int(rng.integers(1, 10))
        x = rng.random((sizes[0], m))
        y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], size=m)]
        errors += gradcheck.gradient_check(net, x, y)
    assert max(errors) < 1e-7
    assert 1e-10 < float(np.median(errors)) < 1e-8
    assert "below 1e-7" in gradcheck.relative_error.__doc__


def test_excerpt_leaves_out_the_signature_and_docstring() -> None:
    from mlp import gradcheck

    text = nb03.excerpt(gradcheck.numerical_gradient, start="gradients = []")
    assert text.startswith("gradients = []") and text.endswith("return gradients[0], gradients[1]")
    assert '"""' not in text and len(text.splitlines()) <= 25


def test_relative_error(verdict) -> None:
    def right(a, b):
        scale = np.max(np.abs(a)) + np.max(np.abs(b))
        return 0.0 if scale == 0 else np.max(np.abs(a - b)) / scale

    def absolute(a, b):
        return np.max(np.abs(a - b))

    def one_sided(a, b):
        return np.max(np.abs(a - b)) / np.max(np.abs(a))

    def divides_by_zero(a, b):
        with np.errstate(invalid="ignore"):
            return np.max(np.abs(a - b)) / (np.max(np.abs(a)) + np.max(np.abs(b)))

    assert verdict(nb03.check_relative_error, right).startswith("Correct!")
    assert "absolute error" in verdict(nb03.check_relative_error, absolute)
    assert "one array only" in verdict(nb03.check_relative_error, one_sided)
    assert "zero arrays" in verdict(nb03.check_relative_error, divides_by_zero)


def test_reference_relative_error_matches_the_package() -> None:
    from mlp import gradcheck

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 4, 3))
    assert nb03.reference_relative_error(a, b) == pytest.approx(gradcheck.relative_error(a, b))
    assert nb03.reference_relative_error(a, 2 * a) == pytest.approx(1 / 3)


def test_fixed_gradient(verdict) -> None:
    inputs, targets, _ = nb03.bug_problem()

    def right(w):
        return 2 * inputs.T @ (inputs @ w - targets) / len(targets)

    assert verdict(nb03.check_fixed_gradient, right).startswith("Correct!")
    assert "exactly 1/3" in verdict(nb03.check_fixed_gradient, lambda w: right(w) / 2)
    assert "twice" in verdict(nb03.check_fixed_gradient, lambda w: 2 * right(w))
    assert "sign" in verdict(nb03.check_fixed_gradient, lambda w: -right(w))
    assert "chain rule" in verdict(nb03.check_fixed_gradient, lambda w: right(w) + 1)


def test_example_nudges_match_backprop() -> None:
    """The output-bias wishes of one example are minus its gradient (for one example)."""
    net = Network([6, 5, 4], seed=0, dtype=np.float64)
    rng = np.random.default_rng(1)
    x, y = rng.random(6), np.eye(4)[2]
    nudges = nb03.example_nudges(net, x, y)
    nabla_b, _ = net.backprop(x[:, None], y[:, None])
    from mlp.activations import sigmoid_prime

    bias_wish = nudges["output_nudges"] * sigmoid_prime(nudges["z_out"])
    np.testing.assert_allclose(bias_wish, -nabla_b[-1][:, 0])
    # The hidden nudges are minus the gradient of the cost with respect to a_hidden.
    np.testing.assert_allclose(nudges["hidden_nudges"], net.weights[-1].T @ bias_wish)


def test_pictures_and_the_widget_run(monkeypatch) -> None:
    monkeypatch.setattr(matplotlib.pyplot, "show", lambda: None)
    net = Network([784, 5, 10], seed=0, dtype=np.float64)
    images = np.random.default_rng(0).integers(0, 256, size=(3, 28, 28)).astype(np.uint8)
    labels = np.array([2, 7, 1], dtype=np.uint8)
    nb03.draw_example_nudges(net, images, labels, index=1)
    widget = nb03.nudge_explorer(net, images, labels, count=3)
    assert len(widget.children) == 2  # the slider and the output
    n = nb03.example_nudges(net, images[0].reshape(-1) / 255, np.eye(10)[2])
    contributions = (n["output_nudges"] * 0.1)[:, None] * net.weights[-1]
    nb03.draw_nudge_network(n["a_hidden"], n["output_nudges"], n["hidden_nudges"], contributions)
    matplotlib.pyplot.close("all")
