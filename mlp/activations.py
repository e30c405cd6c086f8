"""Activation functions and their derivatives, the way notebook 01 introduces them.

A neuron computes a weighted input ``z = w . a + b`` and then an *activation* ``sigma(z)``.
Nielsen's chapter 1 uses the sigmoid; chapter 3 adds tanh, softmax and the rectified linear
unit. Every function here works element by element on an array of any shape (for a layer:
``(n_neurons, m)``, one example per column), except :func:`softmax`, which normalises each
column.

All of them are numerically stable: no overflow and no ``RuntimeWarning`` for inputs as
large as ``|z| = 1e4`` in float32 or float64, and the result has the dtype of the input.

The hidden-layer activations are looked up by name in the plain dict :data:`ACTIVATIONS`,
which maps a name to the pair ``(function, derivative)``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "relu",
    "relu_prime",
    "sigmoid",
    "sigmoid_prime",
    "softmax",
    "softmax_jacobian",
    "tanh",
    "tanh_prime",
]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-z))``, element by element.

    Written as ``(1 + tanh(z / 2)) / 2``, which is the same function but never overflows:
    ``exp(-z)`` overflows float32 already at ``z = -89``, while ``tanh`` simply saturates
    at -1 or +1.

    Parameters
    ----------
    z : numpy.ndarray
        Weighted inputs, any shape.

    Returns
    -------
    numpy.ndarray
        Same shape and dtype as ``z``, values in [0, 1].
    """
    a = np.tanh(0.5 * _as_float(z))
    a += 1
    a *= 0.5
    return a


def sigmoid_prime(z: np.ndarray, a: np.ndarray | None = None) -> np.ndarray:
    """Derivative of the sigmoid: ``sigma'(z) = sigma(z) * (1 - sigma(z))``.

    Backpropagation already knows ``a = sigma(z)`` from the forward pass; passing it
    saves computing the sigmoid again. (All derivatives here accept ``a`` this way.)
    """
    s = sigmoid(z) if a is None else a
    return s * (1 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    """The hyperbolic tangent, a sigmoid stretched to (-1, 1): ``tanh(z) = 2 sigma(2z) - 1``."""
    return np.tanh(_as_float(z))


def tanh_prime(z: np.ndarray, a: np.ndarray | None = None) -> np.ndarray:
    """Derivative of tanh: ``1 - tanh(z)**2`` (``a = tanh(z)`` may be passed if known)."""
    t = np.tanh(_as_float(z)) if a is None else a
    return 1 - t * t


def relu(z: np.ndarray) -> np.ndarray:
    """The rectified linear unit ``max(0, z)``."""
    return np.maximum(_as_float(z), 0)


def relu_prime(z: np.ndarray, a: np.ndarray | None = None) -> np.ndarray:
    """Derivative of ReLU: 1 where ``z > 0``, else 0 (we take 0 at the kink ``z = 0``).

    ``a`` is accepted for the same signature as the other derivatives, and not needed.
    """
    z = _as_float(z)
    return (z > 0).astype(z.dtype)


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over each column: ``a_j = exp(z_j) / sum_k exp(z_k)`` (Nielsen ch3, eq. 78).

    Computed as ``exp(z - logsumexp(z))``: subtracting each column's maximum before taking
    ``exp`` leaves the result unchanged (the factor ``exp(-max)`` cancels) and keeps every
    exponent at most 0, so nothing overflows.

    Parameters
    ----------
    z : numpy.ndarray
        Shape ``(n_classes, m)``, one example per column, or ``(n_classes,)`` for one example.

    Returns
    -------
    numpy.ndarray
        Same shape and dtype as ``z``; every column is positive and sums to 1.
    """
    z = _as_float(z)
    a = np.exp(z - np.max(z, axis=0, keepdims=True))
    a /= np.sum(a, axis=0, keepdims=True)
    return a


def softmax_jacobian(z: np.ndarray) -> np.ndarray:
    """The derivatives ``d a_j / d z_k`` of softmax for one example.

    Unlike the element-wise activations, each output of softmax depends on every input, so
    its derivative is a matrix: ``diag(a) - a a^T``. Training never needs it: paired with
    the log-likelihood cost the output error simplifies to ``a - y`` (see ``mlp.costs``).

    Parameters
    ----------
    z : numpy.ndarray
        Shape ``(n_classes,)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_classes, n_classes)``; entry ``[j, k]`` is ``d a_j / d z_k``.
    """
    z = np.asarray(z)
    if z.ndim != 1:
        raise ValueError(f"softmax_jacobian takes one example, shape (n,), not {z.shape}")
    a = softmax(z)
    return np.diag(a) - np.outer(a, a)


def _as_float(z: np.ndarray) -> np.ndarray:
    """``z`` as an array of floats: unchanged if it already is one, else float64."""
    z = np.asarray(z)
    return z if z.dtype.kind == "f" else z.astype(np.float64)


Activation = Callable[..., np.ndarray]

#: Activations for hidden layers: name -> (function, derivative). Each derivative is called
#: as ``prime(z)`` or ``prime(z, a)`` with ``a = function(z)``. Softmax is not here: it
#: is the output layer of the log-likelihood cost, chosen by ``Network`` from the cost.
ACTIVATIONS: dict[str, tuple[Activation, Activation]] = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
}
