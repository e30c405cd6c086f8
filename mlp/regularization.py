"""Regularisation: small weights (L2, L1), dropout and early stopping (notebook 08, Nielsen ch3).

A regularised cost adds a penalty on the weights (never on the biases) to the cost of the
data, with a strength ``lmbda`` and ``n`` the size of the training set:

- L2: ``C = C_0 + lmbda / (2n) * sum_w w^2``, gradient ``lmbda / n * w``. A gradient
  step then first *shrinks* every weight by the factor ``1 - eta * lmbda / n`` (weight
  decay, Nielsen eq. 93).
- L1: ``C = C_0 + lmbda / n * sum_w |w|``, gradient ``lmbda / n * sign(w)``: every weight
  moves towards 0 by the same amount ``eta * lmbda / n`` (eq. 97).

Both plug into training as ``sgd(..., penalty=L2(5.0))``. They act on the weights
directly, so the update rule sees only the gradient of the data cost (for Adam this is
"decoupled weight decay").

Dropout (Srivastava et al., 2014) switches off each hidden neuron with probability ``p``
for one mini-batch. We use *inverted* dropout: the neurons that stay are scaled up by
``1 / (1 - p)`` during training, so the full network needs no rescaling afterwards. It
changes nothing in backpropagation: a hidden layer's activation becomes ``sigma(z) *
mask``, whose derivative is ``sigma'(z) * mask``, and :func:`thin` swaps these two in for
one mini-batch. :class:`Dropout` and :class:`EarlyStopping` are callbacks of ``sgd``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mlp.network import Network
from mlp.train import Run, check_number

__all__ = ["L1", "L2", "PENALTIES", "Dropout", "EarlyStopping", "dropout_masks", "full", "thin"]

Weights = Sequence[np.ndarray]


@dataclass(frozen=True)
class L2:
    """The L2 penalty ``lmbda / (2n) * sum of all squared weights``."""

    lmbda: float

    def __post_init__(self) -> None:
        check_number(self.lmbda, "lmbda", 0)

    def cost(self, weights: Weights, n: int) -> float:
        return self.lmbda / (2 * n) * sum(float(np.vdot(w, w)) for w in weights)

    def gradient(self, weights: Weights, n: int) -> list[np.ndarray]:
        """``lmbda / n * w`` for each weight matrix."""
        return [(self.lmbda / n) * w for w in weights]

    def decay(self, weights: Weights, eta: float, n: int) -> None:
        """The penalty's part of a gradient step, in place: ``w <- (1 - eta lmbda / n) w``."""
        for w in weights:
            w *= 1 - eta * self.lmbda / n


@dataclass(frozen=True)
class L1:
    """The L1 penalty ``lmbda / n * sum of all absolute weights``."""

    lmbda: float

    def __post_init__(self) -> None:
        check_number(self.lmbda, "lmbda", 0)

    def cost(self, weights: Weights, n: int) -> float:
        return self.lmbda / n * sum(float(np.abs(w).sum()) for w in weights)

    def gradient(self, weights: Weights, n: int) -> list[np.ndarray]:
        """``lmbda / n * sign(w)`` for each weight matrix (taken as 0 at ``w = 0``)."""
        return [(self.lmbda / n) * np.sign(w) for w in weights]

    def decay(self, weights: Weights, eta: float, n: int) -> None:
        """The penalty's part of a gradient step, in place: ``w <- w - eta lmbda / n sign(w)``."""
        for w in weights:
            w -= (eta * self.lmbda / n) * np.sign(w)


#: name -> penalty class, e.g. ``PENALTIES["l2"](5.0)``.
PENALTIES: dict[str, type] = {"l2": L2, "l1": L1}


def dropout_masks(
    hidden_sizes: Sequence[int], m: int, p: float, rng: np.random.Generator, dtype=np.float32
) -> list[np.ndarray]:
    """Random inverted-dropout masks for the hidden layers of one mini-batch of ``m`` columns.

    Returns one mask of shape ``(n, m)`` per hidden layer size ``n`` (``net.sizes[1:-1]``),
    each entry 0 (dropped, with probability ``p``) or ``1 / (1 - p)`` (kept).
    """
    check_number(p, "dropout probability p", 0, 1, high_open=True)
    dtype = np.dtype(dtype)
    keep, drop = dtype.type(1 / (1 - p)), dtype.type(0)
    return [np.where(rng.random((n, m), dtype=dtype) >= p, keep, drop) for n in hidden_sizes]


def thin(net: Network, masks: Sequence[np.ndarray]) -> None:
    """Multiply each hidden layer's activation, and so its derivative, by its mask."""
    if len(masks) != net.num_layers - 2:
        raise ValueError(f"masks should hold one array per hidden layer, got {len(masks)}")
    for l, mask in enumerate(masks):
        net.layer_functions[l], net.layer_derivatives[l] = _masked(net, mask)


def full(net: Network) -> None:
    """Undo :func:`thin`: every hidden layer uses the network's activation again."""
    hidden = net.num_layers - 2
    net.layer_functions[:hidden] = [net.sigma] * hidden
    net.layer_derivatives[:hidden] = [net.sigma_prime] * hidden


def _masked(net: Network, mask: np.ndarray) -> tuple[Callable, Callable]:
    def function(z: np.ndarray) -> np.ndarray:
        return net.sigma(z) * mask

    def derivative(z: np.ndarray, a: np.ndarray | None = None) -> np.ndarray:
        return net.sigma_prime(z) * mask  # not from `a`: the mask has changed it

    return function, derivative


@dataclass
class Dropout:
    """Callback for ``sgd``: a fresh thinned network for every mini-batch."""

    p: float

    def __post_init__(self) -> None:
        check_number(self.p, "dropout", 0, 1, high_open=True)

    def batch_start(self, run: Run) -> None:
        net = run.net
        thin(net, dropout_masks(net.sizes[1:-1], run.m, self.p, run.rng, net.dtype))

    def batch_end(self, run: Run) -> None:
        full(run.net)


@dataclass
class EarlyStopping:
    """Callback for ``sgd``: stop when the validation accuracy has not improved for
    ``patience`` epochs."""

    patience: int
    best: float = -1.0
    waited: int = 0

    def __post_init__(self) -> None:
        check_number(self.patience, "early stopping patience", 1, whole=True)

    def train_start(self, run: Run) -> None:
        if run.validation_data is None:
            raise ValueError("early stopping watches the validation accuracy: pass validation_data")

    def epoch_end(self, run: Run) -> None:
        accuracy = run.history.validation_accuracy[-1]
        self.best, self.waited = (
            (accuracy, 0) if accuracy > self.best else (self.best, self.waited + 1)
        )
        if self.waited >= self.patience:
            run.history.stop_reason = (
                f"early stopping: no better validation accuracy for {self.patience} epochs"
            )
