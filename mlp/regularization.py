"""Regularisation: keeping the weights small (L2, L1) and dropout (notebook 08, Nielsen ch3).

A regularised cost adds a penalty on the weights (never on the biases) to the cost of the
data, with a strength ``lmbda`` and ``n`` the size of the training set:

- L2: ``C = C_0 + lmbda / (2n) * sum_w w^2``, gradient ``lmbda / n * w``. A gradient
  step then first *shrinks* every weight by the factor ``1 - eta * lmbda / n`` (weight
  decay, Nielsen eq. 93).
- L1: ``C = C_0 + lmbda / n * sum_w |w|``, gradient ``lmbda / n * sign(w)``: every weight
  moves towards 0 by the same amount ``eta * lmbda / n`` (eq. 97).

Dropout (Srivastava et al., 2014) switches off each hidden neuron with probability ``p``
for one mini-batch. We use *inverted* dropout: the neurons that stay are scaled up by
``1 / (1 - p)`` during training, so the full network needs no rescaling afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = [
    "PENALTIES",
    "dropout_masks",
    "l1_gradient",
    "l1_penalty",
    "l2_gradient",
    "l2_penalty",
    "penalty",
    "penalty_gradient",
    "weight_decay",
]

Weights = Sequence[np.ndarray]


def l2_penalty(weights: Weights, lmbda: float, n: int) -> float:
    """``lmbda / (2n) * sum of all squared weights``."""
    return lmbda / (2 * n) * sum(float(np.vdot(w, w)) for w in weights)


def l2_gradient(weights: Weights, lmbda: float, n: int) -> list[np.ndarray]:
    """Gradient of :func:`l2_penalty`: ``lmbda / n * w`` for each weight matrix."""
    return [(lmbda / n) * w for w in weights]


def l1_penalty(weights: Weights, lmbda: float, n: int) -> float:
    """``lmbda / n * sum of all absolute weights``."""
    return lmbda / n * sum(float(np.abs(w).sum()) for w in weights)


def l1_gradient(weights: Weights, lmbda: float, n: int) -> list[np.ndarray]:
    """Gradient of :func:`l1_penalty`: ``lmbda / n * sign(w)`` (taken as 0 at ``w = 0``)."""
    return [(lmbda / n) * np.sign(w) for w in weights]


#: name -> (penalty, gradient of the penalty).
PENALTIES: dict[str, tuple[Callable[..., float], Callable[..., list[np.ndarray]]]] = {
    "l2": (l2_penalty, l2_gradient),
    "l1": (l1_penalty, l1_gradient),
}


def penalty(weights: Weights, lmbda: float, n: int, kind: str = "l2") -> float:
    """The regularisation term of the cost; ``kind`` is ``"l2"`` or ``"l1"``."""
    return _lookup(kind)[0](weights, lmbda, n)


def penalty_gradient(weights: Weights, lmbda: float, n: int, kind: str = "l2") -> list[np.ndarray]:
    """Its gradient with respect to each weight matrix (shapes as ``weights``)."""
    return _lookup(kind)[1](weights, lmbda, n)


def weight_decay(weights: Weights, eta: float, lmbda: float, n: int, kind: str = "l2") -> None:
    """Apply the penalty's part of one gradient step to the weights, in place.

    L2: ``w <- (1 - eta * lmbda / n) * w``; L1: ``w <- w - eta * lmbda / n * sign(w)``.
    This is exactly ``w <- w - eta * penalty_gradient``, written without a temporary copy.
    """
    rate = eta * lmbda / n
    _lookup(kind)
    for w in weights:
        if kind == "l2":
            w *= 1 - rate
        else:
            w -= rate * np.sign(w)


def dropout_masks(
    hidden_sizes: Sequence[int],
    m: int,
    p: float,
    rng: np.random.Generator,
    dtype: type | np.dtype = np.float32,
) -> list[np.ndarray]:
    """Random inverted-dropout masks for the hidden layers of one mini-batch.

    Parameters
    ----------
    hidden_sizes : sequence of int
        Neurons in each hidden layer, ``net.sizes[1:-1]``.
    m : int
        Examples in the mini-batch.
    p : float
        Probability of dropping a neuron, ``0 <= p < 1``.
    rng : numpy.random.Generator
    dtype : numpy dtype
        The network's dtype.

    Returns
    -------
    list of numpy.ndarray
        One mask of shape ``(n, m)`` per hidden layer, each entry 0 (dropped, with
        probability ``p``) or ``1 / (1 - p)`` (kept), for ``Network.backprop(masks=...)``.
    """
    if not 0 <= p < 1:
        raise ValueError(f"dropout probability p must lie in [0, 1), got {p}")
    keep = np.dtype(dtype).type(1 / (1 - p))
    masks = []
    for n in hidden_sizes:
        mask = rng.random((n, m), dtype=np.dtype(dtype))
        masks.append(np.where(mask >= p, keep, np.dtype(dtype).type(0)))
    return masks


def _lookup(kind: str) -> tuple[Callable[..., float], Callable[..., list[np.ndarray]]]:
    if not isinstance(kind, str) or kind not in PENALTIES:
        raise ValueError(f"unknown regularization {kind!r}; choose 'l2' or 'l1'")
    return PENALTIES[kind]
