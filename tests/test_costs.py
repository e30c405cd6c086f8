"""mlp.costs: values against the definitions, stability, and the output errors (BP1)."""

from __future__ import annotations

import numpy as np
import pytest

from mlp.activations import sigmoid, softmax
from mlp.costs import COSTS, OUTPUT_ACTIVATION, cross_entropy, log_likelihood, quadratic

RNG = np.random.default_rng(0)
Y = np.eye(3)[:, [0, 2, 1, 2]]  # one-hot, 3 classes, 4 examples


def test_quadratic_is_half_the_squared_distance_averaged_over_columns():
    a = np.array([[0.5, 1.0], [0.5, 0.0]])
    y = np.array([[1.0, 1.0], [0.0, 0.0]])
    # example 1: 0.5 * (0.25 + 0.25) = 0.25; example 2: 0
    assert quadratic(a, y) == pytest.approx(0.125)


def test_cross_entropy_matches_the_definition():
    a = sigmoid(RNG.normal(size=(3, 4)))
    expected = -np.sum(Y * np.log(a) + (1 - Y) * np.log(1 - a)) / 4
    assert cross_entropy(a, Y) == pytest.approx(expected, rel=1e-12)


def test_log_likelihood_is_minus_log_of_the_correct_output():
    a = softmax(RNG.normal(size=(3, 4)))
    expected = -np.mean(np.log(a[[0, 2, 1, 2], range(4)]))
    assert log_likelihood(a, Y) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_saturated_outputs_give_finite_costs(dtype):
    # Completely wrong and completely right outputs: exact 0s and 1s, log(0) is avoided.
    a = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=dtype)
    y = np.array([[1.0, 1.0], [0.0, 0.0]], dtype=dtype)
    for name in COSTS:
        value = COSTS[name].fn(a, y)
        assert np.isfinite(value) and value > 0, name
    assert cross_entropy(y, y) == pytest.approx(0, abs=1e-5)
    assert log_likelihood(y, y) == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize("name", sorted(COSTS))
def test_delta_is_the_derivative_of_the_cost_with_respect_to_z(name):
    """BP1 for one example: delta_j = dC/dz_j, checked by finite differences."""
    _, fn, delta, output = COSTS[name]
    assert output is (sigmoid if OUTPUT_ACTIVATION[name] == "sigmoid" else softmax)
    z = RNG.normal(size=(3, 1))
    y = Y[:, :1]
    h = 1e-6
    numeric = np.empty_like(z)
    for j in range(3):
        dz = np.zeros_like(z)
        dz[j] = h
        numeric[j] = (fn(output(z + dz), y) - fn(output(z - dz), y)) / (2 * h)
    np.testing.assert_allclose(delta(z, output(z), y), numeric, atol=1e-8)


def test_output_activation_for_every_cost():
    assert OUTPUT_ACTIVATION == {
        "quadratic": "sigmoid",
        "cross_entropy": "sigmoid",
        "log_likelihood": "softmax",
    }
