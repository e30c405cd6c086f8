"""Cost functions: how far the network's outputs ``a`` are from the desired outputs ``y``.

Notebook 02 introduces the quadratic cost; notebook 07 adds cross-entropy and the softmax
log-likelihood. Each cost is a ``Cost`` (``mlp.network.Cost``) made of two functions and
the output layer's activation, handed to the network as ``Network(sizes,
cost=CROSS_ENTROPY)``; the plain dict :data:`COSTS` maps names to them:

- ``fn(a, y)``: the cost of a batch, the *mean* over its ``m`` columns of the cost of one
  example (one column of ``a`` and ``y``, both of shape ``(n_outputs, m)``);
- ``delta(z, a, y)``: the error of the output layer for each example, Nielsen's
  ``delta^L = dC_x / dz^L`` (equation BP1), shape ``(n_outputs, m)``. Averaging over the
  mini-batch is the network's job (``Network.backprop``), not the cost's.

Each cost also decides the activation of the output layer (:data:`OUTPUT_ACTIVATION`):
the sigmoid for the quadratic and cross-entropy costs, softmax for the log-likelihood.
The quadratic cost is defined in ``mlp.network`` (as the book's ``network.py`` holds its
``cost_derivative``), so that chapter 1's network needs nothing from later notebooks.

Sources: Nielsen ch1 (quadratic cost, eq. 6), ch3 (cross-entropy, eq. 57 and 66; softmax
and log-likelihood, eq. 80-81), http://neuralnetworksanddeeplearning.com/chap3.html.
3Blue1Brown's lesson 2 uses the quadratic cost without the factor 1/2, so its gradients
are twice ours.
"""

from __future__ import annotations

import numpy as np

from mlp.activations import sigmoid, softmax
from mlp.network import QUADRATIC, Cost, quadratic, quadratic_delta

__all__ = [
    "COSTS",
    "CROSS_ENTROPY",
    "LOG_LIKELIHOOD",
    "OUTPUT_ACTIVATION",
    "QUADRATIC",
    "Cost",
    "cross_entropy",
    "cross_entropy_delta",
    "log_likelihood",
    "log_likelihood_delta",
    "quadratic",
    "quadratic_delta",
]


def cross_entropy(a: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy ``C = -1/m sum_x sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)]``.

    Nielsen ch3, eq. 63, for sigmoid outputs. ``ln 0`` would be infinite (and ``0 * ln 0``
    NaN), so ``a`` is first clipped to ``[eps, 1 - eps]`` with ``eps`` the machine epsilon
    of its dtype: a saturated, completely wrong output then costs about 16 (float32) or 36
    (float64) instead of infinity. The clipping only affects the value, never the gradient.

    Parameters
    ----------
    a, y : numpy.ndarray
        Sigmoid outputs in [0, 1] and desired outputs, shape ``(n_outputs, m)``.
    """
    eps = _eps(a)
    a = np.clip(a, eps, 1 - eps)
    total = np.vdot(y, np.log(a)) + np.vdot(1 - y, np.log1p(-a))
    return -float(total) / _columns(a)


def cross_entropy_delta(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Output error for cross-entropy with sigmoid outputs: ``delta^L = a - y`` (eq. 66).

    The ``sigma'(z)`` of BP1 cancels against the cost's own derivative, so there is no
    learning slowdown for saturated neurons.
    """
    return a - y


def log_likelihood(a: np.ndarray, y: np.ndarray) -> float:
    """Mean log-likelihood cost ``C = -1/m sum_x ln a_y(x)`` for softmax outputs (eq. 80).

    ``a_y`` is the output for the correct class; with one-hot ``y`` it is ``sum_j y_j a_j``.
    Outputs are clipped below at the smallest positive normal number of their dtype, so
    an output that underflowed to 0 costs about 87 (float32) instead of infinity.

    Parameters
    ----------
    a, y : numpy.ndarray
        Softmax outputs (each column sums to 1) and one-hot desired outputs,
        shape ``(n_outputs, m)``.
    """
    a = np.maximum(a, np.finfo(_float(a)).tiny)
    return -float(np.vdot(y, np.log(a))) / _columns(a)


def log_likelihood_delta(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Output error for log-likelihood with softmax outputs: ``delta^L = a - y`` (eq. 81)."""
    return a - y


def _columns(a: np.ndarray) -> int:
    """Number of examples: columns of a 2-D batch, or 1 for a single example vector."""
    return a.shape[1] if a.ndim == 2 else 1


def _float(a: np.ndarray) -> np.dtype:
    dtype = np.result_type(a)
    return dtype if np.issubdtype(dtype, np.floating) else np.dtype(np.float64)


def _eps(a: np.ndarray) -> float:
    return float(np.finfo(_float(a)).eps)


#: Cross-entropy with sigmoid outputs (notebook 07): ``Network(sizes, cost=CROSS_ENTROPY)``.
CROSS_ENTROPY = Cost("cross_entropy", cross_entropy, cross_entropy_delta, sigmoid)
#: Log-likelihood with a softmax output layer (notebook 07).
LOG_LIKELIHOOD = Cost("log_likelihood", log_likelihood, log_likelihood_delta, softmax)

#: name -> cost, for the command line and for loading saved networks.
COSTS: dict[str, Cost] = {cost.name: cost for cost in (QUADRATIC, CROSS_ENTROPY, LOG_LIKELIHOOD)}

#: name of the cost -> name of the activation of the output layer that goes with it.
OUTPUT_ACTIVATION: dict[str, str] = {name: cost.output.__name__ for name, cost in COSTS.items()}
