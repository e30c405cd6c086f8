"""The exercise checks of notebook 02 accept the right answers and explain wrong ones."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from course import nb02

matplotlib.use("Agg")



def stub(*args):
    """What a student's function looks like before it is written: its body is `...`."""
    ...


@pytest.mark.parametrize(
    "check",
    [
        nb02.check_cost_by_hand,
        nb02.check_one_step,
        nb02.check_learning_rate,
        nb02.check_minibatch_gradient,
        nb02.check_factor_two,
    ],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


def test_an_unwritten_function_asks_for_an_answer(verdict) -> None:
    out = verdict(nb02.check_minibatch_gradient, stub)
    assert out.startswith("Not yet. Write the body of `minibatch_gradient`")


def test_cost_by_hand(verdict) -> None:
    assert verdict(nb02.check_cost_by_hand, 0.07).startswith("Correct!")
    assert "½" in verdict(nb02.check_cost_by_hand, 0.14)
    assert "Square" in verdict(nb02.check_cost_by_hand, 0.3)
    assert verdict(nb02.check_cost_by_hand, 1.0).startswith("Not yet.")


def test_one_step(verdict) -> None:
    assert verdict(nb02.check_one_step, (1.9, 0.5)).startswith("Correct!")
    assert "uphill" in verdict(nb02.check_one_step, (2.1, 1.5))
    assert "cancels" in verdict(nb02.check_one_step, (1.8, 0.0))
    assert "learning rate" in verdict(nb02.check_one_step, (0.0, -9.0))
    assert "shape" in verdict(nb02.check_one_step, (1.9, 0.5, 0.0))


@pytest.mark.parametrize("eta", [0.15, 0.16, 0.18])
def test_learning_rates_that_converge(verdict, eta: float) -> None:
    assert verdict(nb02.check_learning_rate, eta).startswith("Correct!")


@pytest.mark.parametrize(
    ("eta", "word"),
    [
        (0.01, "crawls"),
        (0.1, "crawls"),
        (0.195, "zig-zags"),
        (0.25, "too large"),
        (1e9, "too large"),
        (-0.1, "positive"),
    ],
)
def test_learning_rates_that_do_not(verdict, eta: float, word: str) -> None:
    out = verdict(nb02.check_learning_rate, eta)
    assert out.startswith("Not yet.") and word in out


def test_minibatch_gradient(verdict) -> None:
    def right(w, b, x, y):
        return nb02.neuron_batch_gradient(w, b, x, y)

    def summed(w, b, x, y):
        grad_w, grad_b = nb02.neuron_batch_gradient(w, b, x, y)
        return grad_w * x.shape[1], grad_b * x.shape[1]

    def flipped(w, b, x, y):
        grad_w, grad_b = nb02.neuron_batch_gradient(w, b, x, y)
        return -grad_w, -grad_b

    def one_example(w, b, x, y):
        return nb02.neuron_batch_gradient(w, b, x[:, :1], y[:1])

    def wrong_shape(w, b, x, y):
        return np.zeros((x.shape[1],)), 0.0

    assert verdict(nb02.check_minibatch_gradient, right).startswith("Correct!")
    assert "added" in verdict(nb02.check_minibatch_gradient, summed)
    assert "sign" in verdict(nb02.check_minibatch_gradient, flipped)
    assert "average" in verdict(nb02.check_minibatch_gradient, one_example)
    assert "shape" in verdict(nb02.check_minibatch_gradient, wrong_shape)
    assert "pair" in verdict(nb02.check_minibatch_gradient, lambda w, b, x, y: 3.0)


def test_neuron_batch_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    w, b = rng.normal(size=4), 0.2
    x, y = rng.random((4, 6)), rng.integers(0, 2, size=6).astype(float)

    def cost(w, b):
        a = 1 / (1 + np.exp(-(w @ x + b)))
        return 0.5 * np.mean((a - y) ** 2)

    grad_w, grad_b = nb02.neuron_batch_gradient(w, b, x, y)
    h = 1e-6
    numeric_w = [(cost(w + h * e, b) - cost(w - h * e, b)) / (2 * h) for e in np.eye(4)]
    np.testing.assert_allclose(grad_w, numeric_w, rtol=1e-6)
    assert grad_b == pytest.approx((cost(w, b + h) - cost(w, b - h)) / (2 * h), rel=1e-6)


def test_factor_two(verdict) -> None:
    a, y = nb02.EXERCISE_OUTPUT, nb02.EXERCISE_TARGET
    assert verdict(nb02.check_factor_two, 2 * (a - y)).startswith("Correct!")
    assert "Nielsen" in verdict(nb02.check_factor_two, a - y)
    assert "sign" in verdict(nb02.check_factor_two, 2 * (y - a))
    assert "shape" in verdict(nb02.check_factor_two, [0.2, -0.4])


def test_draw_descent_and_the_widget_run(monkeypatch) -> None:
    monkeypatch.setattr(matplotlib.pyplot, "show", lambda: None)

    def bowl(v1, v2):
        return v1**2 + v2**2

    nb02.draw_descent(bowl, lambda v: 2 * v, eta=0.1, start=(1.0, 1.0), steps=5)
    widget = nb02.descent_explorer(bowl, lambda v: 2 * v)
    assert len(widget.children) == 4  # three sliders and the output
    matplotlib.pyplot.close("all")
