"""Optimisers: smarter ways to take a gradient step (notebook 09).

Plain stochastic gradient descent moves every parameter by ``-eta * gradient``. The
optimisers here remember something about past gradients:

- momentum (Nielsen ch3): a velocity ``v <- mu * v - eta * g`` that keeps rolling in a
  consistent direction, and ``p <- p + v``;
- AdaGrad (Duchi et al., 2011): divide by the root of the *sum* of all squared past
  gradients, so parameters that got large gradients take smaller steps;
- RMSProp (Hinton's lecture 6e of "Neural Networks for Machine Learning", 2012): the
  same with a *decaying average* of squared gradients, ``s <- decay * s + (1 - decay) *
  g^2``, so steps do not shrink for ever;
- Adam (Kingma and Ba, 2015): momentum and RMSProp together, with a correction for the
  averages starting at zero.

Each function here takes the optimiser's hyper-parameters and returns an update rule for
``mlp.train.sgd(..., update=momentum(0.9))``: a function ``step(params, grads, eta)``.
``params`` and ``grads`` are matching lists of arrays (for a network: ``biases + weights``
and ``nabla_b + nabla_w``); ``params`` are updated in place; ``grads`` are used as scratch
space and overwritten (which saves a temporary array per parameter per step). What the
optimiser remembers between steps lives in the returned function. :data:`OPTIMIZERS` maps
names to these functions.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mlp.train import Update, check_number, gradient_step

__all__ = ["OPTIMIZERS", "adagrad", "adam", "momentum", "rmsprop", "sgd"]


def sgd() -> Update:
    """Plain gradient descent: ``p <- p - eta * g`` (Nielsen ch1, eq. 20-21)."""
    return gradient_step


def momentum(mu: float = 0.9) -> Update:
    """Momentum: ``v <- mu * v - eta * g``, then ``p <- p + v`` (Nielsen ch3, eq. 107-108).

    ``mu`` (the "momentum coefficient", 0..1) is 1 minus the friction: 0 gives plain SGD.
    """
    check_number(mu, "mu", 0, 1, high_open=True)
    velocities: list[np.ndarray] = []

    def step(params, grads, eta: float) -> None:
        if not velocities:
            velocities.extend(np.zeros_like(p) for p in params)
        for p, g, v in zip(params, grads, velocities, strict=True):
            v *= mu
            g *= eta
            v -= g
            p += v

    return step


def adagrad(epsilon: float = 1e-8) -> Update:
    """AdaGrad (Duchi et al. 2011): ``s <- s + g^2``, ``p <- p - eta * g / (sqrt(s) + epsilon)``."""
    check_number(epsilon, "epsilon", 0, low_open=True)
    squares: list[np.ndarray] = []

    def step(params, grads, eta: float) -> None:
        if not squares:
            squares.extend(np.zeros_like(p) for p in params)
        for p, g, s in zip(params, grads, squares, strict=True):
            s += g * g
            _scaled_step(p, g, s, eta, epsilon)

    return step


def rmsprop(decay: float = 0.9, epsilon: float = 1e-8) -> Update:
    """RMSProp: ``s <- decay * s + (1 - decay) * g^2``, ``p <- p - eta * g / (sqrt(s) + eps)``.

    The default ``decay`` 0.9 is the one of its source, Hinton's lecture 6e (Coursera,
    2012). Without Adam's bias correction, the first step is ``eta / sqrt(1 - decay)``
    times the sign of the gradient: 3.2 eta here (with Adam's 0.999 it would be 31.6 eta).
    """
    check_number(decay, "decay", 0, 1, high_open=True)
    check_number(epsilon, "epsilon", 0, low_open=True)
    squares: list[np.ndarray] = []

    def step(params, grads, eta: float) -> None:
        if not squares:
            squares.extend(np.zeros_like(p) for p in params)
        for p, g, s in zip(params, grads, squares, strict=True):
            s *= decay
            s += (1 - decay) * (g * g)
            _scaled_step(p, g, s, eta, epsilon)

    return step


def adam(beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-8) -> Update:
    """Adam (Kingma and Ba 2015): momentum on the gradient, RMSProp on its square, both
    corrected for bias.

    ``m <- beta1 * m + (1 - beta1) * g``, ``s <- beta2 * s + (1 - beta2) * g^2``, and with
    ``t`` the number of steps so far, ``p <- p - eta * m_hat / (sqrt(s_hat) + epsilon)``
    where ``m_hat = m / (1 - beta1^t)`` and ``s_hat = s / (1 - beta2^t)``.
    """
    check_number(beta1, "beta1", 0, 1, high_open=True)
    check_number(beta2, "beta2", 0, 1, high_open=True)
    check_number(epsilon, "epsilon", 0, low_open=True)
    means: list[np.ndarray] = []
    squares: list[np.ndarray] = []
    t = 0  # steps so far

    def step(params, grads, eta: float) -> None:
        nonlocal t
        if not means:
            means.extend(np.zeros_like(p) for p in params)
            squares.extend(np.zeros_like(p) for p in params)
        t += 1
        # Fold the two bias corrections into the step size (Kingma and Ba, section 2).
        eta_t = eta * np.sqrt(1 - beta2**t) / (1 - beta1**t)
        epsilon_t = epsilon * np.sqrt(1 - beta2**t)
        for p, g, m, s in zip(params, grads, means, squares, strict=True):
            s *= beta2
            s += (1 - beta2) * (g * g)
            m *= beta1
            g *= 1 - beta1
            m += g
            np.copyto(g, m)  # g is scratch: the step divides the mean, not the raw gradient
            _scaled_step(p, g, s, eta_t, epsilon_t)

    return step


def _scaled_step(p: np.ndarray, g: np.ndarray, s: np.ndarray, eta: float, epsilon: float) -> None:
    """``p <- p - eta * g / (sqrt(s) + epsilon)``, computed in ``g``'s memory."""
    g /= np.sqrt(s) + epsilon
    g *= eta
    p -= g


#: name -> function returning the update rule, e.g. ``OPTIMIZERS["momentum"](mu=0.9)``.
OPTIMIZERS: dict[str, Callable[..., Update]] = {
    "sgd": sgd,
    "momentum": momentum,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
}
