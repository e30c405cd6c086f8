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
        nb02.check_quadratic_cost,
        nb02.check_one_step,
        nb02.check_learning_rate,
        nb02.check_minibatch_gradient,
        nb02.check_sgd,
    ],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


def test_an_unwritten_function_asks_for_an_answer(verdict) -> None:
    out = verdict(nb02.check_minibatch_gradient, stub)
    assert out.startswith("Not yet. Write the body of `minibatch_gradient`")


def test_quadratic_cost(verdict) -> None:
    def right(a, y):
        return 0.5 * np.mean(np.sum((a - y) ** 2, axis=0))

    def no_half(a, y):
        return np.mean(np.sum((a - y) ** 2, axis=0))

    def summed(a, y):
        return 0.5 * np.sum((a - y) ** 2)

    def mean_of_all(a, y):
        return 0.5 * np.mean((a - y) ** 2)

    def lengths(a, y):
        return 0.5 * np.mean(np.linalg.norm(a - y, axis=0))

    assert verdict(nb02.check_quadratic_cost, right).startswith("Correct!")
    assert verdict(nb02.check_quadratic_cost, nb02.quadratic_cost).startswith("Correct!")
    assert "½" in verdict(nb02.check_quadratic_cost, no_half)
    assert "mean" in verdict(nb02.check_quadratic_cost, summed)
    assert "outputs too" in verdict(nb02.check_quadratic_cost, mean_of_all)
    assert "squared length" in verdict(nb02.check_quadratic_cost, lengths)
    assert "number" in verdict(nb02.check_quadratic_cost, lambda a, y: a - y)
    assert verdict(nb02.check_quadratic_cost, lambda a, y: 1.0).startswith("Not yet.")


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

    def no_prime(w, b, x, y):
        delta = 1 / (1 + np.exp(-(w @ x + b))) - y
        return x @ delta / x.shape[1], np.mean(delta)

    assert "σ'(z) is missing" in verdict(nb02.check_minibatch_gradient, no_prime)
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


def test_sgd(verdict) -> None:
    def right(w, b, x, y, eta, epochs, batch_size, rng):
        for _ in range(epochs):
            for batch in nb02.minibatches(x.shape[1], batch_size, rng):
                grad_w, grad_b = nb02.neuron_batch_gradient(w, b, x[:, batch], y[batch])
                w, b = w - eta * grad_w, b - eta * grad_b
        return w, b

    def own_shuffle(w, b, x, y, eta, epochs, batch_size, rng):
        for _ in range(epochs):
            order = rng.permutation(x.shape[1])
            for k in range(0, len(order), batch_size):
                batch = order[k : k + batch_size]
                grad_w, grad_b = nb02.neuron_batch_gradient(w, b, x[:, batch], y[batch])
                w, b = w - eta * grad_w, b - eta * grad_b
        return w, b

    def uphill(w, b, x, y, eta, epochs, batch_size, rng):
        return right(w, b, x, y, -eta, epochs, batch_size, rng)

    def one_epoch(w, b, x, y, eta, epochs, batch_size, rng):
        return right(w, b, x, y, eta, 1, batch_size, rng)

    def same_batches(w, b, x, y, eta, epochs, batch_size, rng):
        batches = nb02.minibatches(x.shape[1], batch_size, rng)
        for _ in range(epochs):
            for batch in batches:
                grad_w, grad_b = nb02.neuron_batch_gradient(w, b, x[:, batch], y[batch])
                w, b = w - eta * grad_w, b - eta * grad_b
        return w, b

    def whole_set(w, b, x, y, eta, epochs, batch_size, rng):
        for _ in range(epochs):
            for _batch in nb02.minibatches(x.shape[1], batch_size, rng):
                grad_w, grad_b = nb02.neuron_batch_gradient(w, b, x, y)
                w, b = w - eta * grad_w, b - eta * grad_b
        return w, b

    def bias_fixed(w, b, x, y, eta, epochs, batch_size, rng):
        return right(w, b, x, y, eta, epochs, batch_size, rng)[0], b

    def unchanged(w, b, x, y, eta, epochs, batch_size, rng):
        for _ in range(epochs):
            for batch in nb02.minibatches(x.shape[1], batch_size, rng):
                grad_w, grad_b = nb02.neuron_batch_gradient(w, b, x[:, batch], y[batch])
                w - eta * grad_w  # noqa: B018 - the mistake under test
        return w, b

    def broken_gradient(w, b, x, y, eta, epochs, batch_size, rng):
        grad_w, grad_b = None
        return w, b

    assert verdict(nb02.check_sgd, right).startswith("Correct!")
    assert verdict(nb02.check_sgd, nb02.sgd).startswith("Correct!")
    assert verdict(nb02.check_sgd, own_shuffle).startswith("Correct!")
    assert "uphill" in verdict(nb02.check_sgd, uphill)
    assert "one epoch" in verdict(nb02.check_sgd, one_epoch)
    assert "same in every epoch" in verdict(nb02.check_sgd, same_batches)
    assert "all the examples" in verdict(nb02.check_sgd, whole_set)
    assert "step the bias" in verdict(nb02.check_sgd, bias_fixed)
    assert "unchanged" in verdict(nb02.check_sgd, unchanged)
    assert "exercise 4" in verdict(nb02.check_sgd, broken_gradient)
    assert "pair" in verdict(nb02.check_sgd, lambda *args: 3.0)
    assert verdict(nb02.check_sgd, lambda *args: None).startswith("Not yet.")


def test_sgd_lowers_the_cost_of_the_neuron() -> None:
    rng = np.random.default_rng(0)
    x = rng.random((4, 60))
    y = (x[0] > x[1]).astype(float)
    w, b = np.zeros(4), 0.0
    before = 0.5 * np.mean((1 / (1 + np.exp(-(w @ x + b))) - y) ** 2)
    w, b = nb02.sgd(w, b, x, y, eta=3.0, epochs=20, batch_size=10, rng=rng)
    after = 0.5 * np.mean((1 / (1 + np.exp(-(w @ x + b))) - y) ** 2)
    assert after < 0.5 * before


def test_per_example_gradients_average_to_the_batch_gradient() -> None:
    rng = np.random.default_rng(1)
    w, b, x, y = rng.normal(size=3), 0.1, rng.random((3, 8)), rng.integers(0, 2, 8).astype(float)
    np.testing.assert_allclose(nb02.per_example_gradients(w, b, x, y).mean(axis=1),
                               nb02.neuron_batch_gradient(w, b, x, y)[0])


def test_draw_descent_and_the_widget_run(monkeypatch) -> None:
    monkeypatch.setattr(matplotlib.pyplot, "show", lambda: None)

    def bowl(v1, v2):
        return v1**2 + v2**2

    nb02.draw_descent(bowl, lambda v: 2 * v, eta=0.1, start=(1.0, 1.0), steps=5)
    widget = nb02.descent_explorer(bowl, lambda v: 2 * v)
    assert len(widget.children) == 4  # three sliders and the output
    matplotlib.pyplot.close("all")
