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

from collections.abc import Sequence

import numpy as np

from mlp.network import Network
from mlp.regularization import penalty, penalty_gradient

__all__ = [
    "analytic_gradient",
    "gradient_check",
    "numerical_gradient",
    "relative_error",
    "total_cost",
]

Gradient = tuple[list[np.ndarray], list[np.ndarray]]


def total_cost(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    *,
    lmbda: float = 0.0,
    regularization: str = "l2",
    n: int | None = None,
    masks: Sequence[np.ndarray] | None = None,
) -> float:
    """``net.cost(x, y)`` plus the regularisation penalty, with optional dropout masks.

    ``n`` is the size of the training set in the penalty (default: the columns of ``x``).
    """
    if masks is None:
        cost = net.cost(x, y)
    else:  # the forward pass of Network.backprop, with the masks applied
        a = np.asarray(x, dtype=net.dtype)
        for l, (b, w, f) in enumerate(
            zip(net.biases, net.weights, net.layer_functions, strict=True)
        ):
            a = f(w @ a + b)
            if l < len(masks):
                a = a * masks[l]
        cost = net.cost_fn(a, np.asarray(y, dtype=net.dtype))
    if lmbda:
        cost += penalty(net.weights, lmbda, _n(x, n), regularization)
    return cost


def numerical_gradient(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    *,
    lmbda: float = 0.0,
    regularization: str = "l2",
    n: int | None = None,
    masks: Sequence[np.ndarray] | None = None,
    epsilon: float = 1e-6,
) -> Gradient:
    """Estimate ``(nabla_b, nabla_w)`` by central differences, one parameter at a time.

    Parameters
    ----------
    net : Network
        Left unchanged; a float64 copy is nudged.
    x, y : numpy.ndarray
        Inputs ``(sizes[0], m)`` and desired outputs ``(sizes[-1], m)``. Keep them small:
        the cost is evaluated twice per parameter.
    lmbda, regularization, n, masks
        As for :func:`total_cost`.
    epsilon : float
        The nudge.

    Returns
    -------
    nabla_b, nabla_w : list of numpy.ndarray
        float64, shaped like ``net.biases`` and ``net.weights``.
    """
    twin = net.copy(np.float64)
    options = dict(lmbda=lmbda, regularization=regularization, n=_n(x, n), masks=masks)
    gradients = []
    for params in (twin.biases, twin.weights):
        grads = []
        for p in params:
            g = np.zeros_like(p)
            for index in np.ndindex(p.shape):
                saved = p[index]
                p[index] = saved + epsilon
                plus = total_cost(twin, x, y, **options)
                p[index] = saved - epsilon
                minus = total_cost(twin, x, y, **options)
                p[index] = saved
                g[index] = (plus - minus) / (2 * epsilon)
            grads.append(g)
        gradients.append(grads)
    return gradients[0], gradients[1]


def analytic_gradient(
    net: Network,
    x: np.ndarray,
    y: np.ndarray,
    *,
    lmbda: float = 0.0,
    regularization: str = "l2",
    n: int | None = None,
    masks: Sequence[np.ndarray] | None = None,
) -> Gradient:
    """``(nabla_b, nabla_w)`` by backpropagation, plus the penalty's gradient, in float64."""
    twin = net.copy(np.float64)
    nabla_b, nabla_w = twin.backprop(x, y, masks=masks)
    if lmbda:
        extra = penalty_gradient(twin.weights, lmbda, _n(x, n), regularization)
        nabla_w = [nw + e for nw, e in zip(nabla_w, extra, strict=True)]
    return nabla_b, nabla_w


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """How far apart two gradients are: ``max |a - b| / (max |a| + max |b|)``.

    The largest difference, measured against the size of the gradient itself; 0 for
    identical arrays. A correct backpropagation in float64 gives about 1e-9 or less; a
    wrong one gives 1e-2 or more.
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
    *,
    lmbda: float = 0.0,
    regularization: str = "l2",
    n: int | None = None,
    masks: Sequence[np.ndarray] | None = None,
    epsilon: float = 1e-6,
) -> tuple[float, float]:
    """Compare backpropagation with finite differences.

    Parameters are those of :func:`numerical_gradient`.

    Returns
    -------
    bias_error, weight_error : float
        The largest :func:`relative_error` over the bias vectors and over the weight
        matrices of all layers.
    """
    options = dict(lmbda=lmbda, regularization=regularization, n=n, masks=masks)
    numeric_b, numeric_w = numerical_gradient(net, x, y, epsilon=epsilon, **options)
    exact_b, exact_w = analytic_gradient(net, x, y, **options)
    bias_error = max(relative_error(a, b) for a, b in zip(numeric_b, exact_b, strict=True))
    weight_error = max(relative_error(a, b) for a, b in zip(numeric_w, exact_w, strict=True))
    return bias_error, weight_error


def _n(x: np.ndarray, n: int | None) -> int:
    return np.shape(x)[1] if n is None else n
