"""mlp.regularization: penalties, their gradients, weight decay and dropout masks."""

from __future__ import annotations

import numpy as np
import pytest

from mlp.regularization import (
    dropout_masks,
    l1_penalty,
    l2_penalty,
    penalty,
    penalty_gradient,
    weight_decay,
)

WEIGHTS = [np.array([[1.0, -2.0], [0.5, 0.0]]), np.array([[3.0, -1.0]])]


def test_penalty_values():
    # sum w^2 = 1 + 4 + 0.25 + 9 + 1 = 15.25; sum |w| = 7.5
    assert l2_penalty(WEIGHTS, 2.0, 10) == pytest.approx(2.0 / 20 * 15.25)
    assert l1_penalty(WEIGHTS, 2.0, 10) == pytest.approx(2.0 / 10 * 7.5)
    assert penalty(WEIGHTS, 2.0, 10, "l1") == l1_penalty(WEIGHTS, 2.0, 10)


@pytest.mark.parametrize("kind", ["l2", "l1"])
def test_gradient_matches_finite_differences(kind):
    weights = [w + 0.1 for w in WEIGHTS]  # away from L1's kink at 0
    exact = penalty_gradient(weights, 3.0, 7, kind)
    h = 1e-6
    for w, g in zip(weights, exact, strict=True):
        for index in np.ndindex(w.shape):
            saved = w[index]
            w[index] = saved + h
            plus = penalty(weights, 3.0, 7, kind)
            w[index] = saved - h
            minus = penalty(weights, 3.0, 7, kind)
            w[index] = saved
            assert g[index] == pytest.approx((plus - minus) / (2 * h), abs=1e-7)


@pytest.mark.parametrize("kind", ["l2", "l1"])
def test_weight_decay_is_a_gradient_step_on_the_penalty(kind):
    weights = [w.copy() for w in WEIGHTS]
    expected = [w - 0.5 * g for w, g in zip(weights, penalty_gradient(weights, 4.0, 10, kind),
                                            strict=True)]  # fmt: skip
    weight_decay(weights, 0.5, 4.0, 10, kind)
    for w, e in zip(weights, expected, strict=True):
        np.testing.assert_allclose(w, e)
    assert weights[0][0, 0] < WEIGHTS[0][0, 0]  # shrunk towards 0


def test_unknown_kind():
    for call in (
        lambda: penalty(WEIGHTS, 1, 1, "l3"),
        lambda: weight_decay(WEIGHTS, 1, 1, 1, "L2"),
    ):
        with pytest.raises(ValueError, match="unknown regularization"):
            call()


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
