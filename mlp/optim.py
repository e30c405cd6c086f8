"""Optimisers: smarter ways to take a gradient step (notebook 09).

Plain stochastic gradient descent moves every parameter by ``-eta * gradient``. The
optimisers here remember something about past gradients:

- momentum (Nielsen ch3): a velocity ``v <- mu * v - eta * g`` that keeps rolling in a
  consistent direction, and ``p <- p + v``;
- AdaGrad (Duchi et al., 2011): divide by the root of the *sum* of all squared past
  gradients, so parameters that got large gradients take smaller steps;
- RMSProp (Hinton's lecture notes, 2012): the same with a *decaying average* of squared
  gradients, ``s <- beta2 * s + (1 - beta2) * g^2``, so steps do not shrink for ever;
- Adam (Kingma and Ba, 2015): momentum and RMSProp together, with a correction for the
  averages starting at zero.

Every step function has the same signature: ``step(params, grads, state, eta, **hyper)``.
``params`` and ``grads`` are matching lists of arrays (for a network: ``biases + weights``
and ``nabla_b + nabla_w``); ``params`` are updated in place; ``grads`` are used as scratch
space and overwritten (which saves a temporary array per parameter per step); ``state``
is a dict, empty at first, in which the optimiser keeps its memory between steps. The
functions are looked up by name in :data:`OPTIMIZERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["OPTIMIZERS", "adagrad", "adam", "momentum", "rmsprop", "sgd"]

Arrays = Sequence[np.ndarray]


def sgd(params: Arrays, grads: Arrays, state: dict, eta: float, **unused: float) -> None:
    """Plain gradient descent: ``p <- p - eta * g`` (Nielsen ch1, eq. 20-21)."""
    for p, g in zip(params, grads, strict=True):
        g *= eta
        p -= g


def momentum(
    params: Arrays, grads: Arrays, state: dict, eta: float, mu: float = 0.9, **unused: float
) -> None:
    """Momentum: ``v <- mu * v - eta * g``, then ``p <- p + v`` (Nielsen ch3, eq. 107-108).

    ``mu`` (the "momentum coefficient", 0..1) is 1 minus the friction: 0 gives plain SGD.
    """
    if "velocity" not in state:
        state["velocity"] = [np.zeros_like(p) for p in params]
    for p, g, v in zip(params, grads, state["velocity"], strict=True):
        v *= mu
        g *= eta
        v -= g
        p += v


def adagrad(
    params: Arrays, grads: Arrays, state: dict, eta: float, epsilon: float = 1e-8, **unused: float
) -> None:
    """AdaGrad: ``s <- s + g^2``, then ``p <- p - eta * g / (sqrt(s) + epsilon)``."""
    if "squares" not in state:
        state["squares"] = [np.zeros_like(p) for p in params]
    for p, g, s in zip(params, grads, state["squares"], strict=True):
        s += g * g
        _scaled_step(p, g, s, eta, epsilon)


def rmsprop(
    params: Arrays,
    grads: Arrays,
    state: dict,
    eta: float,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
    **unused: float,
) -> None:
    """RMSProp: ``s <- beta2 * s + (1 - beta2) * g^2``, ``p <- p - eta * g / (sqrt(s) + eps)``."""
    if "squares" not in state:
        state["squares"] = [np.zeros_like(p) for p in params]
    for p, g, s in zip(params, grads, state["squares"], strict=True):
        s *= beta2
        s += (1 - beta2) * (g * g)
        _scaled_step(p, g, s, eta, epsilon)


def adam(
    params: Arrays,
    grads: Arrays,
    state: dict,
    eta: float,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
    **unused: float,
) -> None:
    """Adam: momentum on the gradient, RMSProp on its square, both corrected for bias.

    ``m <- beta1 * m + (1 - beta1) * g``, ``s <- beta2 * s + (1 - beta2) * g^2``, and with
    ``t`` the number of steps so far, ``p <- p - eta * m_hat / (sqrt(s_hat) + epsilon)``
    where ``m_hat = m / (1 - beta1^t)`` and ``s_hat = s / (1 - beta2^t)``.
    """
    if "mean" not in state:
        state["mean"] = [np.zeros_like(p) for p in params]
        state["squares"] = [np.zeros_like(p) for p in params]
        state["t"] = 0
    state["t"] += 1
    t = state["t"]
    # Fold the two bias corrections into the step size (Kingma and Ba, section 2).
    eta_t = eta * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    epsilon_t = epsilon * np.sqrt(1 - beta2**t)
    for p, g, m, s in zip(params, grads, state["mean"], state["squares"], strict=True):
        s *= beta2
        s += (1 - beta2) * (g * g)
        m *= beta1
        g *= 1 - beta1
        m += g
        np.copyto(g, m)  # g is scratch: the step divides the mean, not the raw gradient
        _scaled_step(p, g, s, eta_t, epsilon_t)


def _scaled_step(p: np.ndarray, g: np.ndarray, s: np.ndarray, eta: float, epsilon: float) -> None:
    """``p <- p - eta * g / (sqrt(s) + epsilon)``, computed in ``g``'s memory."""
    g /= np.sqrt(s) + epsilon
    g *= eta
    p -= g


Step = Callable[..., None]

#: name -> step function.
OPTIMIZERS: dict[str, Step] = {
    "sgd": sgd,
    "momentum": momentum,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
}
