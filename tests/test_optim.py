"""mlp.optim: each step function against its textbook formula, and on a simple bowl."""

from __future__ import annotations

import numpy as np
import pytest

from mlp import optim
from mlp.optim import OPTIMIZERS


def one_step(name, p, g, state=None, eta=0.1, **hyper):
    params, grads = [np.array(p, dtype=float)], [np.array(g, dtype=float)]
    state = {} if state is None else state
    OPTIMIZERS[name](params, grads, state, eta, **hyper)
    return params[0], state


def test_sgd_step():
    p, _ = one_step("sgd", [1.0, 2.0], [10.0, -10.0], eta=0.1)
    np.testing.assert_allclose(p, [0.0, 3.0])


def test_momentum_builds_up_velocity():
    state: dict = {}
    p, state = one_step("momentum", [0.0], [1.0], state, eta=0.1, mu=0.9)
    np.testing.assert_allclose(p, [-0.1])  # v = -0.1
    params, grads = [p], [np.array([1.0])]
    optim.momentum(params, grads, state, 0.1, mu=0.9)
    np.testing.assert_allclose(params[0], [-0.1 - 0.19])  # v = 0.9 * -0.1 - 0.1


def test_adagrad_and_rmsprop_first_steps():
    p, _ = one_step("adagrad", [0.0, 0.0], [2.0, -0.5], eta=0.1, epsilon=0.0)
    np.testing.assert_allclose(p, [-0.1, 0.1])  # g / sqrt(g^2) = sign(g)
    p, _ = one_step("rmsprop", [0.0], [2.0], eta=0.1, beta2=0.9, epsilon=0.0)
    np.testing.assert_allclose(p, [-0.1 * 2 / np.sqrt(0.1 * 4)])


def test_adam_first_step_is_eta_times_the_sign():
    # With bias correction, m_hat = g and s_hat = g^2 after one step.
    p, state = one_step("adam", [0.0, 0.0], [3.0, -0.01], eta=0.1, epsilon=0.0)
    np.testing.assert_allclose(p, [-0.1, 0.1], rtol=1e-12)
    assert state["t"] == 1


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
    params, state = [np.zeros(1)], {}
    for g in gradients:
        optim.adam(params, [np.array([g])], state, 0.01)
    assert params[0][0] == pytest.approx(adam_reference(gradients), rel=1e-9)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_optimizer_rolls_down_a_bowl(name, dtype):
    """Minimise 0.5 * |p|^2 (gradient p) from (3, -4): every optimiser gets close to 0."""
    params, state = [np.array([3.0, -4.0], dtype=dtype)], {}
    eta = {"sgd": 0.1, "momentum": 0.05, "adagrad": 1.0, "rmsprop": 0.05, "adam": 0.1}[name]
    for _ in range(500):
        optim.OPTIMIZERS[name](params, [params[0].copy()], state, eta)
    assert params[0].dtype == dtype
    assert np.linalg.norm(params[0]) < 0.1, params[0]
