"""Every gradient against finite differences (mlp.gradcheck), and the two backprops agree.

The check runs on tiny float64 networks for every combination of hidden activation, cost
and regularisation, with one and with two hidden layers, and with dropout masks.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mlp import Network
from mlp.activations import ACTIVATIONS
from mlp.costs import COSTS
from mlp.gradcheck import gradient_check, numerical_gradient, relative_error
from mlp.init import scaled_normal
from mlp.regularization import L1, L2, dropout_masks, thin

TOLERANCE = 1e-6  # a correct gradient gives about 1e-9; a wrong one 1e-2 or more


def tiny_problem(sizes, seed=0, m=5):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(sizes[0], m))
    y = np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], size=m)]
    return x, y


def regularised(x, y, penalty, n, masks=None):
    """The ``cost`` and ``backprop`` hooks of gradient_check for a penalised cost
    (``n`` training examples) and, optionally, a network thinned by dropout masks."""

    def cost(net):
        if masks is not None:
            thin(net, masks)
        extra = penalty.cost(net.weights, n) if penalty else 0.0
        return net.cost(x, y) + extra

    def backprop(net):
        if masks is not None:
            thin(net, masks)
        nabla_b, nabla_w = net.backprop(x, y)
        if penalty:
            nabla_w = [
                nw + g for nw, g in zip(nabla_w, penalty.gradient(net.weights, n), strict=True)
            ]
        return nabla_b, nabla_w

    return dict(cost=cost, backprop=backprop)


@pytest.mark.parametrize(
    ("activation", "cost", "penalty"),
    list(itertools.product(sorted(ACTIVATIONS), sorted(COSTS), [None, L2(3.0), L1(3.0)])),
    ids=lambda v: getattr(v, "__class__", type(v)).__name__ if not isinstance(v, str) else v,
)
@pytest.mark.parametrize("sizes", [[4, 5, 3], [3, 4, 4, 2]], ids=["1-hidden", "2-hidden"])
def test_backprop_matches_finite_differences(activation, cost, penalty, sizes):
    net = Network(sizes, activation, COSTS[cost], seed=1, init=scaled_normal, dtype=np.float64)
    x, y = tiny_problem(sizes)
    bias_error, weight_error = gradient_check(net, x, y, **regularised(x, y, penalty, n=20))
    assert bias_error < TOLERANCE and weight_error < TOLERANCE, (bias_error, weight_error)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("cost", sorted(COSTS))
def test_backprop_with_dropout_matches_finite_differences(activation, cost):
    sizes = [4, 6, 5, 3]
    net = Network(sizes, activation, COSTS[cost], seed=2, init=scaled_normal, dtype=np.float64)
    x, y = tiny_problem(sizes, seed=3)
    masks = dropout_masks(sizes[1:-1], x.shape[1], 0.5, np.random.default_rng(4), np.float64)
    assert any((mask == 0).any() for mask in masks) and any((mask == 2).any() for mask in masks)
    errors = gradient_check(net, x, y, **regularised(x, y, L2(1.0), 10, masks))
    assert max(errors) < TOLERANCE, errors
    # The check sees the masks: the same gradients without them are far off.
    plain = regularised(x, y, L2(1.0), 10)
    assert (
        max(
            gradient_check(
                net,
                x,
                y,
                cost=plain["cost"],
                backprop=regularised(x, y, L2(1.0), 10, masks)["backprop"],
            )
        )
        > 1e-3
    )


def test_float32_network_is_checked_in_float64():
    net = Network([4, 5, 3], cost=COSTS["cross_entropy"], seed=1)  # float32
    x, y = tiny_problem([4, 5, 3])
    assert max(gradient_check(net, x, y)) < TOLERANCE
    assert net.weights[0].dtype == np.float32  # left unchanged


def test_gradient_check_can_fail():
    """A deliberately wrong backprop must be caught: the check is not vacuous."""
    net = Network([4, 5, 3], cost=COSTS["cross_entropy"], seed=1, dtype=np.float64)
    x, y = tiny_problem([4, 5, 3])
    numeric_b, numeric_w = numerical_gradient(net, x, y)
    exact_b, exact_w = net.backprop(x, y)
    assert relative_error(numeric_w[0], exact_w[0]) < TOLERANCE
    assert relative_error(numeric_w[0], 2 * exact_w[0]) > 0.1  # e.g. 3Blue1Brown's factor 2
    wrong = exact_w[0].copy()
    wrong[0, 0] += 0.01 * np.abs(wrong).max()
    assert relative_error(numeric_w[0], wrong) > 1e-3
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


@pytest.mark.parametrize(
    ("activation", "cost"), list(itertools.product(sorted(ACTIVATIONS), sorted(COSTS)))
)
def test_vectorised_backprop_equals_the_per_example_loop(activation, cost):
    sizes = [6, 5, 4, 3]
    net = Network(sizes, activation, COSTS[cost], seed=5, dtype=np.float64, init=scaled_normal)
    x, y = tiny_problem(sizes, m=7)
    fast_b, fast_w = net.backprop(x, y)
    slow_b, slow_w = net.backprop_per_example(x, y)
    for fast, slow in zip(fast_b + fast_w, slow_b + slow_w, strict=True):
        assert fast.shape == slow.shape
        np.testing.assert_allclose(fast, slow, rtol=1e-10, atol=1e-14)


def test_float32_backprop_is_close_to_float64():
    net = Network([784, 30, 10], seed=0)
    x, y = tiny_problem([784, 30, 10], m=20)
    x = np.abs(x) / 4  # like pixel values
    b32, w32 = net.backprop(x, y)
    b64, w64 = net.copy(np.float64).backprop(x, y)
    assert all(g.dtype == np.float32 for g in b32 + w32)
    for g32, g64 in zip(b32 + w32, b64 + w64, strict=True):
        assert relative_error(g32, g64) < 1e-5
