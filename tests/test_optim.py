"""mlp.optim: each update rule against its textbook formula, and on a simple bowl."""

from __future__ import annotations

import numpy as np
import pytest

from mlp import optim
from mlp.optim import OPTIMIZERS


def steps(update, p, gradients, eta=0.1):
    """Apply ``update`` once per gradient to the parameter ``p``; return it."""
    params = [np.array(p, dtype=float)]
    for g in gradients:
        update(params, [np.array(g, dtype=float)], eta)
    return params[0]


def test_sgd_step():
    np.testing.assert_allclose(steps(optim.sgd(), [1.0, 2.0], [[10.0, -10.0]]), [0.0, 3.0])


def test_momentum_builds_up_velocity():
    np.testing.assert_allclose(steps(optim.momentum(0.9), [0.0], [[1.0]]), [-0.1])  # v = -0.1
    # v = 0.9 * -0.1 - 0.1 on the second step
    np.testing.assert_allclose(steps(optim.momentum(0.9), [0.0], [[1.0], [1.0]]), [-0.1 - 0.19])


def test_adagrad_and_rmsprop_first_steps():
    p = steps(optim.adagrad(epsilon=1e-300), [0.0, 0.0], [[2.0, -0.5]])
    np.testing.assert_allclose(p, [-0.1, 0.1])  # g / sqrt(g^2) = sign(g)
    p = steps(optim.rmsprop(decay=0.9, epsilon=1e-300), [0.0], [[2.0]])
    np.testing.assert_allclose(p, [-0.1 * 2 / np.sqrt(0.1 * 4)])


def test_rmsprop_uses_hintons_decay_so_its_first_step_is_about_3_eta():
    """With no bias correction the first step is eta / sqrt(1 - decay): Hinton's 0.9 gives
    3.2 eta, where Adam's 0.999 would give 31.6 eta."""
    p = steps(optim.rmsprop(), [0.0], [[0.5]], eta=0.01)
    assert -p[0] / 0.01 == pytest.approx(1 / np.sqrt(0.1), rel=1e-6)
    assert -p[0] / 0.01 < 3.2


def test_adam_first_step_is_eta_times_the_sign():
    # With bias correction, m_hat = g and s_hat = g^2 after one step.
    p = steps(optim.adam(epsilon=1e-300), [0.0, 0.0], [[3.0, -0.01]])
    np.testing.assert_allclose(p, [-0.1, 0.1], rtol=1e-12)


def adam_reference(gradients, eta=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Kingma and Ba's Algorithm 1, written out plainly."""
    p, m, v = 0.0, 0.0, 0.0
    for t, g in enumerate(gradients, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        p -= eta * m_hat / (np.sqrt(v_hat) + epsilon)
    return p


def test_adam_matches_the_paper_over_many_steps():
    gradients = np.random.default_rng(0).normal(size=50)
    p = steps(optim.adam(), [0.0], [[g] for g in gradients], eta=0.01)
    assert p[0] == pytest.approx(adam_reference(gradients), rel=1e-9)


def test_each_optimiser_keeps_its_own_memory():
    first, second = optim.momentum(), optim.momentum()
    steps(first, [0.0], [[1.0]] * 5)
    np.testing.assert_allclose(steps(second, [0.0], [[1.0]]), [-0.1])


def test_hyper_parameters_are_checked():
    for make, message in (
        (lambda: optim.momentum(mu=1.0), "mu should be"),
        (lambda: optim.rmsprop(decay=-0.1), "decay should be"),
        (lambda: optim.adam(beta2=1.5), "beta2 should be"),
        (lambda: optim.adagrad(epsilon=0), "epsilon should be"),
    ):
        with pytest.raises(ValueError, match=message):
            make()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_optimizer_rolls_down_a_bowl(name, dtype):
    """Minimise 0.5 * |p|^2 (gradient p) from (3, -4): every optimiser gets close to 0."""
    params, update = [np.array([3.0, -4.0], dtype=dtype)], OPTIMIZERS[name]()
    eta = {"sgd": 0.1, "momentum": 0.05, "adagrad": 1.0, "rmsprop": 0.05, "adam": 0.1}[name]
    for _ in range(500):
        update(params, [params[0].copy()], eta)
    assert params[0].dtype == dtype
    assert np.linalg.norm(params[0]) < 0.1, params[0]
