"""Checking gradients by finite differences (notebook 03, 3Blue1Brown lesson 3).

Backpropagation is fast but easy to get subtly wrong. The derivative of the cost with
respect to one parameter ``p`` can also be estimated by nudging it both ways:

    dC/dp ~ (C(p + epsilon) - C(p - epsilon)) / (2 * epsilon)

(the *central* difference; its error shrinks like ``epsilon**2``). That needs two forward
passes per parameter, far too slow for training, but perfect for checking a small network.
All computations happen on a float64 copy of the network, so that rounding does not hide
(or fake) a mistake.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mlp.network import Network

__all__ = ["analytic_gradient", "gradient_check", "numerical_gradient", "relative_error"]

Gradient = tuple[list[np.ndarray], list[np.ndarray]]


def numerical_gradient(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    epsilon: float = 1e-6,
    cost: Callable[[Network], float] | None = None,
) -> Gradient:
    """Estimate ``(nabla_b, nabla_w)`` by central differences, one parameter at a time.

    Parameters
    ----------
    net : Network
        Left unchanged; a float64 copy is nudged.
    x, y : numpy.ndarray
        Inputs ``(sizes[0], m)`` and desired outputs ``(sizes[-1], m)``. Keep them small:
        the cost is evaluated twice per parameter.
    epsilon : float
        The nudge.
    cost : callable, optional
        ``cost(network) -> float``, the function to differentiate; by default
        ``network.cost(x, y)``. Later notebooks pass their own, e.g. with a penalty added.

    Returns
    -------
    nabla_b, nabla_w : list of numpy.ndarray
        float64, shaped like ``net.biases`` and ``net.weights``.
    """
    twin = net.copy(np.float64)
    if cost is None:
        cost = lambda network: network.cost(x, y)  # noqa: E731
    gradients = []
    for params in (twin.biases, twin.weights):
        grads = []
        for p in params:
            g = np.zeros_like(p)
            for index in np.ndindex(p.shape):
                saved = p[index]
                p[index] = saved + epsilon
                plus = cost(twin)
                p[index] = saved - epsilon
                minus = cost(twin)
                p[index] = saved
                g[index] = (plus - minus) / (2 * epsilon)
            grads.append(g)
        gradients.append(grads)
    return gradients[0], gradients[1]


def analytic_gradient(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    backprop: Callable[[Network], Gradient] | None = None,
) -> Gradient:
    """``(nabla_b, nabla_w)`` of a float64 copy of ``net``: ``backprop(copy)``, by default
    ``copy.backprop(x, y)``."""
    twin = net.copy(np.float64)
    return twin.backprop(x, y) if backprop is None else backprop(twin)


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """How far apart two gradients are: ``max |a - b| / (max |a| + max |b|)``.

    The largest difference, measured against the size of the gradient itself; 0 for
    identical arrays. For a correct backpropagation in float64 (``epsilon = 1e-6``) it is
    about 1e-9 and below 1e-7 (measured on random small networks in
    ``tests/test_course_nb03.py``); a wrong one gives 1e-2 or more.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.max(np.abs(a)) + np.max(np.abs(b))
    if scale == 0:
        return 0.0
    return float(np.max(np.abs(a - b)) / scale)


def gradient_check(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    epsilon: float = 1e-6,
    cost: Callable[[Network], float] | None = None,
    backprop: Callable[[Network], Gradient] | None = None,
) -> tuple[float, float]:
    """Compare backpropagation with finite differences.

    ``cost`` is as for :func:`numerical_gradient`, ``backprop`` as for
    :func:`analytic_gradient`: a later notebook that changes the cost (a penalty, dropout)
    passes both.

    Returns
    -------
    bias_error, weight_error : float
        The largest :func:`relative_error` over the bias vectors and over the weight
        matrices of all layers.
    """
    numeric_b, numeric_w = numerical_gradient(net, x, y, epsilon, cost)
    exact_b, exact_w = analytic_gradient(net, x, y, backprop)
    bias_error = max(relative_error(a, b) for a, b in zip(numeric_b, exact_b, strict=True))
    weight_error = max(relative_error(a, b) for a, b in zip(numeric_w, exact_w, strict=True))
    return bias_error, weight_error
