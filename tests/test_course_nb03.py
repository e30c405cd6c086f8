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
        nb03.check_central_difference,
        nb03.check_relative_error,
        nb03.check_fixed_gradient,
    ],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


@pytest.mark.parametrize(
    "check", [nb03.check_central_difference, nb03.check_relative_error, nb03.check_fixed_gradient]
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


def test_central_difference(verdict) -> None:
    def central(f, x, h=1e-5):
        return (f(x + h) - f(x - h)) / (2 * h)

    def forward(f, x, h=1e-5):
        return (f(x + h) - f(x)) / h

    def no_two(f, x, h=1e-5):
        return (f(x + h) - f(x - h)) / h

    def hard_coded(f, x, h=1e-5):
        return np.cos(1.0)

    assert verdict(nb03.check_central_difference, central).startswith("Correct!")
    assert "forward difference" in verdict(nb03.check_central_difference, forward)
    assert "how far apart" in verdict(nb03.check_central_difference, no_two)
    assert "hard-code" in verdict(nb03.check_central_difference, hard_coded)


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
