"""Tests of mlp.descent: gradient descent on functions whose answers we know."""

from __future__ import annotations

import numpy as np
import pytest

from mlp.descent import gradient_descent, minibatches, sgd_step


def bowl_gradient(v: np.ndarray) -> np.ndarray:
    """Gradient of C(v) = (v1^2 + 10 v2^2) / 2, minimum at the origin."""
    return np.array([1.0, 10.0]) * v


def test_path_has_one_row_per_step_and_starts_at_start() -> None:
    path = gradient_descent(bowl_gradient, [2.0, 1.0], eta=0.05, steps=7)
    assert path.shape == (8, 2)
    np.testing.assert_array_equal(path[0], [2.0, 1.0])


def test_one_step_is_v_minus_eta_times_gradient() -> None:
    path = gradient_descent(bowl_gradient, [2.0, 1.0], eta=0.05, steps=1)
    np.testing.assert_allclose(path[1], [2.0 - 0.05 * 2.0, 1.0 - 0.05 * 10.0])


def test_each_step_on_a_quadratic_multiplies_by_one_minus_eta_lambda() -> None:
    eta, steps = 0.05, 30
    path = gradient_descent(bowl_gradient, [2.0, 1.0], eta=eta, steps=steps)
    t = np.arange(steps + 1)
    expected = np.stack([2.0 * (1 - eta * 1.0) ** t, 1.0 * (1 - eta * 10.0) ** t], axis=1)
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-15)


def test_a_good_learning_rate_finds_the_minimum() -> None:
    path = gradient_descent(bowl_gradient, [2.0, 1.0], eta=0.15, steps=100)
    assert np.linalg.norm(path[-1]) < 1e-6


def test_too_large_a_learning_rate_moves_away_from_the_minimum() -> None:
    # Stable only for eta < 2 / 10 along the steep direction.
    path = gradient_descent(bowl_gradient, [2.0, 1.0], eta=0.25, steps=20)
    assert abs(path[-1, 1]) > abs(path[0, 1]) * 10


def test_descent_finds_the_minimum_of_a_one_dimensional_function() -> None:
    # C(v) = (v - 3)^2 has its minimum at v = 3.
    path = gradient_descent(lambda v: 2 * (v - 3.0), [-1.0], eta=0.1, steps=200)
    assert path.shape == (201, 1)
    assert path[-1, 0] == pytest.approx(3.0, abs=1e-9)


def test_zero_steps_returns_only_the_start() -> None:
    path = gradient_descent(bowl_gradient, np.array([1.0, 1.0]), eta=0.1, steps=0)
    np.testing.assert_array_equal(path, [[1.0, 1.0]])


def test_start_is_not_modified() -> None:
    start = np.array([2.0, 1.0])
    gradient_descent(bowl_gradient, start, eta=0.05, steps=5)
    np.testing.assert_array_equal(start, [2.0, 1.0])


@pytest.mark.parametrize(
    ("start", "eta", "steps", "message"),
    [
        ([[1.0, 2.0]], 0.1, 3, "start"),
        ([1.0, 2.0], 0.0, 3, "eta"),
        ([1.0, 2.0], -0.1, 3, "eta"),
        ([1.0, 2.0], 0.1, -1, "steps"),
    ],
)
def test_bad_arguments_are_named(start, eta, steps, message) -> None:
    with pytest.raises(ValueError, match=message):
        gradient_descent(bowl_gradient, start, eta=eta, steps=steps)


def test_a_gradient_of_the_wrong_shape_is_reported() -> None:
    with pytest.raises(ValueError, match="grad returned shape"):
        gradient_descent(lambda v: np.zeros(3), [1.0, 2.0], eta=0.1, steps=1)


def test_minibatches_cover_every_index_exactly_once() -> None:
    batches = minibatches(23, 5, np.random.default_rng(0))
    assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(23))


def test_minibatches_are_shuffled_and_reproducible() -> None:
    first = np.concatenate(minibatches(100, 10, np.random.default_rng(1)))
    again = np.concatenate(minibatches(100, 10, np.random.default_rng(1)))
    other = np.concatenate(minibatches(100, 10, np.random.default_rng(2)))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, np.arange(100))
    assert not np.array_equal(first, other)


def test_minibatches_of_nothing_is_an_empty_list() -> None:
    assert minibatches(0, 10, np.random.default_rng(0)) == []


@pytest.mark.parametrize(("n", "batch_size"), [(-1, 10), (10, 0)])
def test_minibatches_rejects_bad_sizes(n: int, batch_size: int) -> None:
    with pytest.raises(ValueError):
        minibatches(n, batch_size, np.random.default_rng(0))


def test_sgd_step_updates_every_array_in_place() -> None:
    weights = [np.ones((3, 2)), np.full((1, 3), 2.0)]
    alias = weights[0]
    grads = [np.full((3, 2), 0.5), np.ones((1, 3))]
    sgd_step(weights, grads, eta=2.0)
    np.testing.assert_array_equal(weights[0], np.zeros((3, 2)))
    np.testing.assert_array_equal(weights[1], np.zeros((1, 3)))
    assert alias is weights[0], "the update should change the arrays in place"


def test_sgd_step_keeps_float32_parameters_float32() -> None:
    params = [np.ones((2, 2), dtype=np.float32)]
    sgd_step(params, [np.ones((2, 2))], eta=0.5)
    assert params[0].dtype == np.float32
    np.testing.assert_array_equal(params[0], np.full((2, 2), 0.5))


def test_sgd_step_rejects_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="shape"):
        sgd_step([np.ones((2, 3))], [np.ones((3, 2))], eta=0.1)
    with pytest.raises(ValueError, match="gradients"):
        sgd_step([np.ones(2), np.ones(2)], [np.ones(2)], eta=0.1)
