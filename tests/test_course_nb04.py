"""The exercise checks and the stepper of notebook 04 (backpropagation calculus)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import nb04  # noqa: E402


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))



@pytest.mark.parametrize(
    "check",
    [
        nb04.check_sigmoid_prime,
        nb04.check_delta_output,
        nb04.check_delta_previous,
        nb04.check_weight_gradient,
        nb04.check_nabla_w_shape,
        nb04.check_bp3_vectorised,
    ],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


def test_sigmoid_prime(verdict) -> None:
    s = sigmoid(1.0)
    assert verdict(nb04.check_sigmoid_prime, s * (1 - s)).startswith("Correct!")
    assert "σ(1) itself" in verdict(nb04.check_sigmoid_prime, s)
    assert "Apply the sigmoid first" in verdict(nb04.check_sigmoid_prime, 0.0)
    assert "never larger than 0.25" in verdict(nb04.check_sigmoid_prime, 0.5)


def test_delta_output(verdict) -> None:
    z, y = nb04.BP1_Z, nb04.BP1_Y
    a = sigmoid(z)
    right = (a - y) * sigmoid_prime(z)
    assert verdict(nb04.check_delta_output, right).startswith("Correct!")
    assert "sign is flipped" in verdict(nb04.check_delta_output, -right)
    assert "3Blue1Brown" in verdict(nb04.check_delta_output, 2 * right)
    assert "entry by entry" in verdict(nb04.check_delta_output, a - y)
    assert "shape" in verdict(nb04.check_delta_output, right.ravel())


def test_delta_previous(verdict) -> None:
    w, d, z = nb04.BP2_W_NEXT, nb04.BP2_DELTA_NEXT, nb04.BP2_Z
    right = (w.T @ d) * sigmoid_prime(z)
    assert verdict(nb04.check_delta_previous, right).startswith("Correct!")
    assert "entry by entry" in verdict(nb04.check_delta_previous, w.T @ d)
    assert "shape (3, 1)" in verdict(nb04.check_delta_previous, np.zeros((2, 1)))


def test_weight_gradient(verdict) -> None:
    a, d = nb04.BP4_A_PREV, nb04.BP4_DELTA
    j, k = nb04.BP4_J, nb04.BP4_K
    assert verdict(nb04.check_weight_gradient, a[k, 0] * d[j, 0]).startswith("Correct!")
    assert "swapped" in verdict(nb04.check_weight_gradient, a[j, 0] * d[k, 0])
    assert "BP3" in verdict(nb04.check_weight_gradient, d[j, 0])


def test_nabla_w_shape(verdict) -> None:
    assert verdict(nb04.check_nabla_w_shape, (30, 784)).startswith("Correct!")
    assert "Transposed" in verdict(nb04.check_nabla_w_shape, (784, 30))
    assert "batch size" in verdict(nb04.check_nabla_w_shape, (30, 784, 100))
    assert "tuple" in verdict(nb04.check_nabla_w_shape, 30)


def test_bp3_vectorised_explains_the_wrong_axis(verdict) -> None:
    delta = nb04.BP3_DELTA
    right = delta.mean(axis=1, keepdims=True)
    assert verdict(nb04.check_bp3_vectorised, right).startswith("Correct!")
    assert "Wrong axis" in verdict(nb04.check_bp3_vectorised, delta.mean(axis=0))
    wrong_keepdims = delta.mean(axis=0, keepdims=True)
    assert "Wrong axis" in verdict(nb04.check_bp3_vectorised, wrong_keepdims)
    assert "a column of shape (3, 1)" in verdict(nb04.check_bp3_vectorised, delta.mean(axis=1))
    assert "sum" in verdict(nb04.check_bp3_vectorised, delta.sum(axis=1, keepdims=True))


def test_stepper_follows_the_four_equations() -> None:
    weights, biases, x, y = nb04.tiny_example()
    steps = nb04.backprop_steps(weights, biases, x, y)
    # forward: input, two layers, cost; backward: BP1, then BP3, BP4 (and BP2) per layer
    assert len(steps) == 10
    a1 = sigmoid(weights[0] @ x + biases[0])
    z2 = weights[1] @ a1 + biases[1]
    delta2 = (sigmoid(z2) - y) * sigmoid_prime(z2)
    delta1 = (weights[1].T @ delta2) * sigmoid_prime(weights[0] @ x + biases[0])
    edges = [s.values for s in steps if s.kind == "edges"]
    assert np.allclose(edges[0], delta2 @ a1.T)
    assert np.allclose(edges[1], delta1 @ x.T)
    assert np.allclose(steps[-3].values, delta1)


def test_pictures_draw() -> None:
    weights, biases, x, y = nb04.tiny_example()
    steps = nb04.backprop_steps(weights, biases, x, y)
    for fig in (
        nb04.plot_dependency_tree(("w", "b", "a_prev", "w_prev")),
        nb04.plot_fan_out(),
        nb04.plot_all_steps(steps, [2, 3, 2]),
    ):
        plt.close(fig)
