"""mlp.activations: values, derivatives (by finite differences) and numerical stability."""

from __future__ import annotations

import numpy as np
import pytest

from mlp import activations
from mlp.activations import ACTIVATIONS, sigmoid, softmax, softmax_jacobian

HUGE = [-1e4, -1e3, -100.0, -89.0, -20.0, -1.0, 0.0, 1.0, 20.0, 89.0, 100.0, 1e3, 1e4]


def test_sigmoid_values():
    z = np.array([-2.0, 0.0, 2.0])
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12)
    assert sigmoid(np.float64(0.0)) == 0.5


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_no_overflow_and_dtype_kept(name, dtype):
    # pytest turns RuntimeWarning (e.g. "overflow encountered in exp") into an error.
    function, derivative = ACTIVATIONS[name]
    z = np.array(HUGE, dtype=dtype)
    for values in (function(z), derivative(z)):
        assert values.dtype == dtype
        assert np.isfinite(values).all()
    assert np.all(function(z)[:-1] <= function(z)[1:]), "should be non-decreasing"


def test_saturation_limits():
    z = np.array([-1e4, 1e4], dtype=np.float32)
    np.testing.assert_array_equal(sigmoid(z), [0, 1])
    np.testing.assert_array_equal(activations.tanh(z), [-1, 1])
    np.testing.assert_array_equal(activations.relu(z), [0, 1e4])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_finite_differences(name):
    function, derivative = ACTIVATIONS[name]
    z = np.linspace(-4, 4, 41) + 0.0123  # avoid relu's kink at exactly 0
    h = 1e-6
    numeric = (function(z + h) - function(z - h)) / (2 * h)
    np.testing.assert_allclose(derivative(z), numeric, atol=1e-8)


def test_relu_derivative_at_the_kink_is_zero():
    assert activations.relu_prime(np.array([0.0]))[0] == 0


def test_integer_input_gives_floats():
    assert sigmoid(np.array([0, 1])).dtype == np.float64
    assert activations.relu(np.array([-1, 2])).tolist() == [0.0, 2.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_columns_sum_to_one_even_for_huge_inputs(dtype):
    z = np.array([[1e4, -1e4, 0.0], [1e4, 1e4, 0.0], [-1e4, 0.0, 0.0]], dtype=dtype)
    a = softmax(z)
    assert a.dtype == dtype and np.isfinite(a).all()
    np.testing.assert_allclose(a.sum(axis=0), 1, rtol=1e-6)
    np.testing.assert_allclose(a[:, 0], [0.5, 0.5, 0], atol=1e-7)
    np.testing.assert_allclose(a[:, 2], [1 / 3] * 3, rtol=1e-6)


def test_softmax_is_shift_invariant_and_matches_the_definition():
    z = np.random.default_rng(0).normal(size=(5, 4))
    expected = np.exp(z) / np.exp(z).sum(axis=0)
    np.testing.assert_allclose(softmax(z), expected, rtol=1e-12)
    np.testing.assert_allclose(softmax(z + 100), expected, rtol=1e-12)
    np.testing.assert_allclose(softmax(z[:, 0]), expected[:, 0], rtol=1e-12)


def test_softmax_jacobian_matches_finite_differences():
    z = np.array([0.3, -1.2, 2.0, 0.1])
    h = 1e-6
    numeric = np.empty((4, 4))
    for k in range(4):
        dz = np.zeros(4)
        dz[k] = h
        numeric[:, k] = (softmax(z + dz) - softmax(z - dz)) / (2 * h)
    np.testing.assert_allclose(softmax_jacobian(z), numeric, atol=1e-9)
    with pytest.raises(ValueError, match="one example"):
        softmax_jacobian(np.zeros((4, 2)))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_from_the_known_activation_is_the_same(name):
    function, derivative = ACTIVATIONS[name]
    z = np.linspace(-5, 5, 23, dtype=np.float32)
    np.testing.assert_allclose(derivative(z, function(z)), derivative(z), rtol=1e-6, atol=1e-7)
