"""Training: mini-batch stochastic gradient descent, with everything chapter 3 adds.

:func:`sgd` is the book's ``Network.SGD`` (Nielsen ch1 and ch3) as one function: each
epoch it shuffles the training data, cuts it into mini-batches, and for each mini-batch
computes the gradient by backpropagation and takes a step. Options add what the course
teaches later: L2/L1 regularisation and dropout (notebook 08), shifted copies of the
images (08), learning-rate schedules, early stopping and optimisers (09).

After each epoch it measures the cost and accuracy on the data it is given, prints one
line and returns everything in a :class:`History`. If the cost or the weights stop being
finite numbers, or the weights blow up, it raises :class:`TrainingDiverged` instead of
training on with NaN.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

import numpy as np

from mlp import augment as augmentation
from mlp import regularization as reg
from mlp.data import one_hot
from mlp.network import Network
from mlp.optim import OPTIMIZERS
from mlp.progress import ProgressBar

__all__ = ["History", "TrainingDiverged", "evaluate", "sgd"]

Data = tuple[np.ndarray, np.ndarray]

SCHEDULES = (None, "halve", "step", "exponential")
AUGMENTATIONS = (None, "shift", "expand")


class TrainingDiverged(ValueError, ArithmeticError):
    """The cost or the weights became infinite or NaN: usually the learning rate is too large.

    Attributes
    ----------
    epoch : int
        The epoch (counting from 1) in which it happened.
    eta : float
        The learning rate in that epoch.
    """

    def __init__(self, message: str, epoch: int, eta: float) -> None:
        super().__init__(message)
        self.epoch = epoch
        self.eta = eta


@dataclass
class History:
    """What happened in each epoch; lists of unmeasured quantities stay empty.

    Accuracies are fractions (0.9542 for 95.42%); costs include the regularisation term.
    """

    training_cost: list[float] = field(default_factory=list)
    training_accuracy: list[float] = field(default_factory=list)
    validation_cost: list[float] = field(default_factory=list)
    validation_accuracy: list[float] = field(default_factory=list)
    test_cost: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    epoch_seconds: list[float] = field(default_factory=list)
    eta: list[float] = field(default_factory=list)
    stop_reason: str = ""

    @property
    def epochs(self) -> int:
        """How many epochs were trained."""
        return len(self.epoch_seconds)

    def best(self, key: str = "validation_accuracy") -> tuple[int, float]:
        """The best epoch (counting from 1) by an accuracy, and that accuracy."""
        values = getattr(self, key)
        if not values:
            raise ValueError(f"{key} was not measured")
        index = int(np.argmax(values))
        return index + 1, values[index]

    def to_dict(self) -> dict:
        """A plain dict (lists of floats, one string), ready for ``json.dump``."""
        return asdict(self)


def evaluate(net: Network, data: Data, chunk: int = 10_000) -> tuple[float, float]:
    """Mean cost (no regularisation) and accuracy of ``net`` on ``data = (x, labels)``.

    Works through the data ``chunk`` columns at a time, so that even a wide network on
    60,000 images needs little memory.
    """
    x, labels = data
    n = len(labels)
    total_cost, correct = 0.0, 0
    for k in range(0, n, chunk):
        a = net.feedforward(x[:, k : k + chunk])
        part = labels[k : k + chunk]
        total_cost += net.cost_fn(a, one_hot(part, net.sizes[-1])) * len(part)
        correct += int(np.count_nonzero(np.argmax(a, axis=0) == part))
    return total_cost / n, correct / n


def sgd(
    net: Network,
    training_data: Data,
    epochs: int,
    batch_size: int,
    eta: float,
    *,
    lmbda: float = 0.0,
    regularization: str = "l2",
    dropout: float = 0.0,
    optimizer: str = "sgd",
    mu: float = 0.9,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
    schedule: str | None = None,
    patience: int = 10,
    gamma: float | None = None,
    step_size: int = 10,
    early_stopping: int | None = None,
    augment: str | None = None,
    validation_data: Data | None = None,
    test_data: Data | None = None,
    monitor_training_cost: bool = False,
    monitor_training_accuracy: bool = False,
    max_weight: float = 1e4,
    seed: int | None = None,
    progress: bool = True,
    verbose: bool = True,
    on_epoch: Callable[[History], None] | None = None,
) -> History:
    """Train ``net`` in place by mini-batch stochastic gradient descent.

    Parameters
    ----------
    net : Network
        The network to train; its weights and biases are updated in place.
    training_data : (x, labels)
        ``x`` of shape ``(sizes[0], n)``, ``labels`` integers in ``0..sizes[-1]-1`` of
        shape ``(n,)`` (as returned by ``mlp.data.load_data``).
    epochs : int
        Passes over the training data.
    batch_size : int
        Examples per mini-batch ``m`` (the last mini-batch of an epoch may be smaller).
    eta : float
        Learning rate (the initial one, if a schedule changes it).
    lmbda : float
        Regularisation strength; 0 for none. ``n`` in ``lmbda / n`` is the size of the
        training set.
    regularization : {"l2", "l1"}
        Which penalty ``lmbda`` weighs. It acts on the weights directly, ``w <- (1 - eta
        lmbda / n) w`` for L2 (Nielsen eq. 93), so the optimiser sees only the gradient of
        the data cost (for Adam this is "decoupled weight decay").
    dropout : float
        Probability of dropping each hidden neuron in each mini-batch, ``0 <= p < 1``.
    optimizer : {"sgd", "momentum", "adagrad", "rmsprop", "adam"}
        See ``mlp.optim``; ``mu`` is the momentum coefficient; ``beta1``, ``beta2`` and
        ``epsilon`` are Adam's (RMSProp uses ``beta2`` and ``epsilon``, AdaGrad
        ``epsilon``).
    schedule : {None, "halve", "step", "exponential"}
        How the learning rate changes. ``"halve"`` is Nielsen's ch3 rule: halve ``eta``
        whenever the validation accuracy has not improved for ``patience`` epochs, and stop
        once it has fallen to 1/128 of its first value. ``"step"`` multiplies it by
        ``gamma`` (default 0.5) every ``step_size`` epochs, ``"exponential"`` by ``gamma``
        (default 0.9) every epoch.
    early_stopping : int, optional
        Stop when the validation accuracy has not improved for this many epochs.
    augment : {None, "shift", "expand"}
        ``"shift"``: move every training image by a random offset of up to one pixel in
        each direction, afresh every epoch. ``"expand"``: Nielsen's fixed expansion, each
        image plus its four one-pixel shifts (five times the data and the memory).
    validation_data, test_data : (x, labels), optional
        Measured after every epoch (cost and accuracy). The schedules ``"halve"`` and
        early stopping need ``validation_data``.
    monitor_training_cost, monitor_training_accuracy : bool
        Also measure the training data after every epoch (a full forward pass).
    max_weight : float
        Training has diverged if a weight or bias grows beyond this in absolute value
        (checked after each epoch). Networks trained on MNIST stay below about 10; a
        learning rate far too large sends the weights to 1e5 and beyond, where every
        neuron is stuck at its limit, long before they overflow to infinity.
    seed : int, optional
        Seed for shuffling, dropout and shifts.
    progress : bool
        Show a progress bar during each epoch (on standard error).
    verbose : bool
        Print one line per epoch.
    on_epoch : callable, optional
        Called as ``on_epoch(history)`` after each epoch, e.g. to redraw a live plot.

    Returns
    -------
    History
        Per-epoch measurements, the learning rate used and the time taken.

    Raises
    ------
    ValueError
        For inconsistent arguments: shapes, labels out of range, unknown names.
    TrainingDiverged
        If the cost or the weights overflow, become NaN or grow beyond ``max_weight``;
        the message names the epoch.
    """
    x, labels = _check_data(net, training_data, "training_data")
    for name, data in (("validation_data", validation_data), ("test_data", test_data)):
        if data is not None:
            _check_data(net, data, name)
    _check_options(
        epochs,
        batch_size,
        eta,
        lmbda,
        regularization,
        dropout,
        optimizer,
        schedule,
        patience,
        step_size,
        early_stopping,
        augment,
        validation_data,
    )
    if gamma is None:
        gamma = 0.9 if schedule == "exponential" else 0.5
    rng = np.random.default_rng(seed)
    step = OPTIMIZERS[optimizer]
    hyper = dict(mu=mu, beta1=beta1, beta2=beta2, epsilon=epsilon)
    state: dict = {}
    params = net.biases + net.weights

    if augment == "expand":
        x, labels = augmentation.expand(x, labels)
    n = len(labels)
    y = one_hot(labels, net.sizes[-1]).astype(net.dtype)
    # Buffers for the shuffled data, reused every epoch. Fortran order makes every
    # mini-batch x_shuffled[:, k:k+m] one contiguous block of memory.
    x_shuffled = np.empty(x.shape, dtype=net.dtype, order="F")
    y_shuffled = np.empty(y.shape, dtype=net.dtype, order="F")
    x_shifted = np.empty_like(x_shuffled) if augment == "shift" else None
    hidden_sizes = net.sizes[1:-1]

    history = History()
    best_accuracy, epochs_without_improvement = -1.0, 0
    eta_now = eta
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        if schedule == "step":
            eta_now = eta * gamma ** ((epoch - 1) // step_size)
        elif schedule == "exponential":
            eta_now = eta * gamma ** (epoch - 1)

        # Shuffle: one gather of all columns in a random order, then contiguous slices.
        source = x if x_shifted is None else augmentation.random_shifts(x, rng, out=x_shifted)
        order = rng.permutation(n)
        np.take(source.T, order, axis=0, out=x_shuffled.T, mode="clip")
        np.take(y.T, order, axis=0, out=y_shuffled.T, mode="clip")

        bar = ProgressBar(math.ceil(n / batch_size), label=f"epoch {epoch}", enabled=progress)
        with bar, _divergence_guard(epoch, eta_now):
            for k in range(0, n, batch_size):
                x_batch = x_shuffled[:, k : k + batch_size]
                y_batch = y_shuffled[:, k : k + batch_size]
                masks = None
                if dropout:
                    masks = reg.dropout_masks(
                        hidden_sizes, x_batch.shape[1], dropout, rng, net.dtype
                    )
                nabla_b, nabla_w = net.backprop(x_batch, y_batch, masks)
                if lmbda:
                    reg.weight_decay(net.weights, eta_now, lmbda, n, regularization)
                step(params, nabla_b + nabla_w, state, eta_now, **hyper)
                bar.update()
        seconds = time.perf_counter() - start

        with _divergence_guard(epoch, eta_now):
            _check_weights(net, max_weight)
            penalty = reg.penalty(net.weights, lmbda, n, regularization) if lmbda else 0.0
            measured = {
                "training": (training_data, monitor_training_cost or monitor_training_accuracy),
                "validation": (validation_data, validation_data is not None),
                "test": (test_data, test_data is not None),
            }
            for name, (data, wanted) in measured.items():
                if not wanted:
                    continue
                cost, accuracy = evaluate(net, data)
                if not math.isfinite(cost):
                    raise FloatingPointError(f"the {name} cost is {cost}")
                if name != "training" or monitor_training_cost:
                    getattr(history, f"{name}_cost").append(cost + penalty)
                if name != "training" or monitor_training_accuracy:
                    getattr(history, f"{name}_accuracy").append(accuracy)
        history.epoch_seconds.append(seconds)
        history.eta.append(eta_now)
        if verbose:
            print(_epoch_line(history, epoch, epochs), flush=True)
        if on_epoch is not None:
            on_epoch(history)

        # Learning-rate schedule and early stopping, both driven by validation accuracy.
        if validation_data is not None:
            if history.validation_accuracy[-1] > best_accuracy:
                best_accuracy, epochs_without_improvement = history.validation_accuracy[-1], 0
            else:
                epochs_without_improvement += 1
        if early_stopping is not None and epochs_without_improvement >= early_stopping:
            history.stop_reason = (
                f"early stopping: no better validation accuracy for {early_stopping} epochs"
            )
            break
        if schedule == "halve" and epochs_without_improvement >= patience:
            eta_now /= 2
            epochs_without_improvement = 0
            if eta_now <= eta / 128:
                history.stop_reason = "the learning rate has fallen to 1/128 of its first value"
                break
    if history.stop_reason and verbose:
        print(f"Stopped after epoch {history.epochs}: {history.stop_reason}.")
    return history


@contextmanager
def _divergence_guard(epoch: int, eta: float) -> Iterator[None]:
    """Turn NumPy overflow and invalid-value errors into :class:`TrainingDiverged`.

    Inside the guard, ``np.errstate`` makes overflow, division by zero and NaN-producing
    operations raise ``FloatingPointError`` at once, so NaN can never spread silently.
    """
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield
    except FloatingPointError as exc:
        raise TrainingDiverged(
            f"training diverged in epoch {epoch} ({exc}). The learning rate eta={eta:g} is "
            "probably too large: try one 10 or more times smaller (the book uses eta=3.0 "
            "with the quadratic cost, eta=0.5 with cross-entropy), or smaller initial "
            "weights (init='scaled_normal', or 'he' for relu).",
            epoch=epoch,
            eta=eta,
        ) from exc


def _check_weights(net: Network, max_weight: float) -> None:
    """Raise FloatingPointError if a weight or bias is NaN, infinite or larger than max_weight."""
    for name, arrays in (("weights", net.weights), ("biases", net.biases)):
        for l, array in enumerate(arrays):
            largest = max(float(array.max()), -float(array.min()))  # NaN if any is NaN
            if not math.isfinite(largest):
                raise FloatingPointError(f"{name}[{l}] holds NaN or infinite values")
            if largest > max_weight:
                raise FloatingPointError(
                    f"{name}[{l}] has grown to {largest:.3g}, beyond max_weight={max_weight:g}"
                )


def _epoch_line(history: History, epoch: int, epochs: int) -> str:
    parts = [f"Epoch {epoch}/{epochs}"]
    for name in ("training", "validation", "test"):
        accuracies = getattr(history, f"{name}_accuracy")
        costs = getattr(history, f"{name}_cost")
        pieces = []
        if accuracies:
            pieces.append(f"{accuracies[-1]:.2%}")
        if costs:
            pieces.append(f"cost {costs[-1]:.4f}")
        if pieces:
            parts.append(f"{name} " + ", ".join(pieces))
    parts.append(f"eta {history.eta[-1]:g}")
    parts.append(f"{history.epoch_seconds[-1]:.1f} s")
    return "  ".join(parts)


def _check_data(net: Network, data: Data, name: str) -> Data:
    """``data`` as ``(x, labels)`` with matching shapes and labels in range, or a ValueError."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise ValueError(f"{name} should be a pair (x, labels), got {type(data).__name__}")
    x, labels = np.asarray(data[0]), np.asarray(data[1])
    n_in, n_out = net.sizes[0], net.sizes[-1]
    if x.ndim != 2 or x.shape[0] != n_in:
        raise ValueError(
            f"{name}: x should have shape ({n_in}, n), one example per column; got {x.shape}"
        )
    if labels.shape != (x.shape[1],):
        raise ValueError(
            f"{name}: labels should have shape ({x.shape[1]},), one per column of x; "
            f"got {labels.shape}"
        )
    if labels.size == 0:
        raise ValueError(f"{name} holds no examples")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name}: labels should be integers 0..{n_out - 1}, not {labels.dtype}")
    low, high = int(labels.min()), int(labels.max())
    if low < 0 or high >= n_out:
        raise ValueError(
            f"{name}: labels should lie in 0..{n_out - 1} (the network has {n_out} outputs); "
            f"found {low}..{high}"
        )
    return np.asarray(x, dtype=net.dtype), labels


def _check_options(
    epochs: int,
    batch_size: int,
    eta: float,
    lmbda: float,
    regularization: str,
    dropout: float,
    optimizer: str,
    schedule: str | None,
    patience: int,
    step_size: int,
    early_stopping: int | None,
    augment: str | None,
    validation_data: Data | None,
) -> None:
    def positive_int(value: object, name: str, allow_zero: bool = False) -> None:
        ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
        if not ok or value < (0 if allow_zero else 1):
            raise ValueError(
                f"{name} should be a {'non-negative' if allow_zero else 'positive'} "
                f"whole number, got {value!r}"
            )

    positive_int(epochs, "epochs", allow_zero=True)
    positive_int(batch_size, "batch_size")
    positive_int(patience, "patience")
    positive_int(step_size, "step_size")
    if early_stopping is not None:
        positive_int(early_stopping, "early_stopping")
    if not (isinstance(eta, numbers.Real) and math.isfinite(eta) and eta > 0):
        raise ValueError(f"eta (the learning rate) should be a positive number, got {eta!r}")
    if not (math.isfinite(lmbda) and lmbda >= 0):
        raise ValueError(f"lmbda should be 0 or a positive number, got {lmbda!r}")
    if regularization not in reg.PENALTIES:
        raise ValueError(f"unknown regularization {regularization!r}; choose 'l2' or 'l1'")
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout should be a probability in [0, 1), got {dropout!r}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
    if schedule not in SCHEDULES:
        raise ValueError(
            f"unknown schedule {schedule!r}; choose None, 'halve', 'step' or 'exponential'"
        )
    if augment not in AUGMENTATIONS:
        raise ValueError(f"unknown augment {augment!r}; choose None, 'shift' or 'expand'")
    if validation_data is None:
        if schedule == "halve":
            raise ValueError(
                "schedule='halve' watches the validation accuracy: pass validation_data"
            )
        if early_stopping is not None:
            raise ValueError("early_stopping watches the validation accuracy: pass validation_data")
