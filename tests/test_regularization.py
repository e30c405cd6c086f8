"""mlp.regularization: penalties, their gradients, weight decay, dropout and early stopping."""

from __future__ import annotations

import numpy as np
import pytest

from mlp.network import Network
from mlp.regularization import L1, L2, PENALTIES, Dropout, EarlyStopping, dropout_masks, full, thin

WEIGHTS = [np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[3.0, -1.0]])]


def test_penalty_values():
    # sum w^2 = 1 + 4 + 0.25 + 9 + 1 = 15.25; sum |w| = 7.5
    assert L2(2.0).cost(WEIGHTS, 10) == pytest.approx(2.0 / 20 * 15.25)
    assert L1(2.0).cost(WEIGHTS, 10) == pytest.approx(2.0 / 10 * 7.5)
    assert PENALTIES == {"l2": L2, "l1": L1}


@pytest.mark.parametrize("kind", [L2, L1])
def test_gradient_matches_finite_differences(kind):
    weights = [w + 0.1 for w in WEIGHTS]  # away from L1's kink at 0
    penalty = kind(3.0)
    exact = penalty.gradient(weights, 7)
    h = 1e-6
    for w, g in zip(weights, exact, strict=True):
        for index in np.ndindex(w.shape):
            saved = w[index]
            w[index] = saved + h
            plus = penalty.cost(weights, 7)
            w[index] = saved - h
            minus = penalty.cost(weights, 7)
            w[index] = saved
            assert g[index] == pytest.approx((plus - minus) / (2 * h), abs=1e-7)


@pytest.mark.parametrize("kind", [L2, L1])
def test_weight_decay_is_a_gradient_step_on_the_penalty(kind):
    weights = [w.copy() for w in WEIGHTS]
    penalty = kind(4.0)
    expected = [w - 0.5 * g for w, g in zip(weights, penalty.gradient(weights, 10), strict=True)]
    penalty.decay(weights, 0.5, 10)
    for w, e in zip(weights, expected, strict=True):
        np.testing.assert_allclose(w, e)
    assert weights[0][0, 0] < WEIGHTS[0][0, 0]  # shrunk towards 0


def test_bad_strengths_and_probabilities():
    with pytest.raises(ValueError, match="lmbda should be a number in"):
        L2(-1.0)
    with pytest.raises(ValueError, match="dropout should be a number in"):
        Dropout(1.0)
    with pytest.raises(ValueError, match="patience should be a whole number"):
        EarlyStopping(0)


def test_dropout_masks():
    masks = dropout_masks([300, 200], 50, 0.25, np.random.default_rng(0), np.float32)
    assert [m.shape for m in masks] == [(300, 50), (200, 50)]
    assert all(m.dtype == np.float32 for m in masks)
    values = np.concatenate([m.ravel() for m in masks])
    assert set(np.unique(values).tolist()) == {0.0, np.float32(1 / 0.75)}
    assert np.mean(values == 0) == pytest.approx(0.25, abs=0.01)
    assert np.mean(values) == pytest.approx(1.0, abs=0.02)  # inverted dropout keeps the mean
    assert all((m == 1).all() for m in dropout_masks([5], 3, 0.0, np.random.default_rng(0)))
    with pytest.raises(ValueError, match="dropout probability"):
        dropout_masks([5], 3, 1.0, np.random.default_rng(0))


def test_thin_multiplies_hidden_activations_by_the_masks_and_full_undoes_it():
    net = Network([4, 6, 5, 3], activation="relu", seed=0, dtype=np.float64)
    x = np.random.default_rng(1).random((4, 7))
    before = net.feedforward(x)
    masks = dropout_masks([6, 5], 7, 0.5, np.random.default_rng(2), np.float64)
    thin(net, masks)
    hidden = np.maximum(net.weights[0] @ x + net.biases[0], 0) * masks[0]
    hidden = np.maximum(net.weights[1] @ hidden + net.biases[1], 0) * masks[1]
    expected = net.layer_functions[-1](net.weights[2] @ hidden + net.biases[2])
    np.testing.assert_allclose(net.feedforward(x), expected, rtol=1e-12)
    full(net)
    np.testing.assert_array_equal(net.feedforward(x), before)
    with pytest.raises(ValueError, match="one array per hidden layer"):
        thin(net, masks[:1])
