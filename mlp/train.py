"""Training: mini-batch stochastic gradient descent (notebook 05, Nielsen ch1).

:func:`sgd` is the book's ``Network.SGD``: each epoch it shuffles the training data, cuts
it into mini-batches, and for each mini-batch computes the gradient by backpropagation and
takes a step. After each epoch it measures the cost and accuracy on the data it is given,
prints one line and records everything in a :class:`History`.

Later notebooks plug into three hooks instead of adding parameters:

- ``update(params, grads, eta)``, the update rule: :func:`gradient_step` by default,
  momentum, AdaGrad, RMSProp and Adam in ``mlp.optim`` (notebook 09);
- ``penalty``, an object with ``cost(weights, n)`` and ``decay(weights, eta, n)``: L2 and
  L1 in ``mlp.regularization`` (notebook 08);
- ``callbacks``, objects with any of the methods ``train_start``, ``epoch_start``,
  ``batch_start``, ``batch_end`` and ``epoch_end``, each called with the :class:`Run`:
  dropout and early stopping (08), shifted images (``mlp.augment``, 08), learning-rate
  schedules (``mlp.schedules``, 09), a live plot (:class:`AfterEachEpoch`).

If the cost or the weights stop being finite numbers, or the weights blow up, training
raises :class:`TrainingDiverged` instead of going on with NaN.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

import numpy as np

from mlp.data import one_hot
from mlp.network import Network
from mlp.progress import ProgressBar

__all__ = [
    "AfterEachEpoch",
    "History",
    "Run",
    "TrainingDiverged",
    "check_number",
    "evaluate",
    "gradient_step",
    "sgd",
]

Data = tuple[np.ndarray, np.ndarray]
Update = Callable[[Sequence[np.ndarray], Sequence[np.ndarray], float], None]
EVENTS = ("train_start", "epoch_start", "batch_start", "batch_end", "epoch_end")


def gradient_step(params: Sequence[np.ndarray], grads: Sequence[np.ndarray], eta: float) -> None:
    """Plain SGD, ``p <- p - eta * g`` (Nielsen eq. 20-21), in place.

    The same step as ``mlp.descent.sgd_step``, but ``g`` is scaled in its own memory (the
    gradients of backprop are not needed afterwards), which saves a temporary array per
    parameter per mini-batch.
    """
    for p, g in zip(params, grads, strict=True):
        g *= eta
        p -= g


def sgd(
    net: Network,
    training_data: Data,
    epochs: int,
    batch_size: int,
    eta: float,
    *,
    update: Update = gradient_step,
    penalty: object | None = None,
    callbacks: Sequence[object] = (),
    validation_data: Data | None = None,
    test_data: Data | None = None,
    seed: int | None = None,
    progress: bool = True,
    verbose: bool = True,
) -> History:
    """Train ``net`` in place by mini-batch stochastic gradient descent.

    Parameters
    ----------
    net : Network
        The network to train; its weights and biases are updated in place.
    training_data : (x, labels)
        ``x`` of shape ``(sizes[0], n)``, ``labels`` integers in ``0..sizes[-1]-1`` of
        shape ``(n,)`` (as returned by ``mlp.data.load_data``).
    epochs, batch_size : int
        Passes over the training data; examples per mini-batch ``m`` (the last
        mini-batch of an epoch may be smaller).
    eta : float
        The learning rate (the first one, if a schedule changes it).
    update, penalty, callbacks
        The hooks described in the module's docstring.
    validation_data, test_data : (x, labels), optional
        Measured after every epoch (cost, including the penalty, and accuracy) by a
        :class:`Monitor`; pass ``Monitor(training=True)`` among the callbacks to measure
        the training data too.
    seed : int, optional
        Seed for shuffling (and for the callbacks' random numbers: dropout, shifts).
    progress, verbose : bool
        Show a progress bar during each epoch; print one line after it.

    Returns
    -------
    History
        Per-epoch measurements, the learning rate used and the time taken.

    Raises
    ------
    ValueError
        For inconsistent arguments: shapes, labels out of range, numbers out of range.
    TrainingDiverged
        If the cost or the weights overflow, become NaN or grow very large.
    """
    run = _start(net, (training_data, validation_data, test_data), epochs, batch_size, eta, seed)
    run.penalty, run.progress, run.verbose = penalty, progress, verbose
    run.hooks = _hooks(callbacks)
    if penalty is not None:
        update = _after_decay(penalty, update, run)
    with _divergence_guard(run):
        run.call("train_start")
        for epoch in range(1, epochs + 1):
            run.epoch = epoch
            run.call("epoch_start")
            start = time.perf_counter()
            for x_batch, y_batch in run.mini_batches():
                run.call("batch_start")
                nabla_b, nabla_w = net.backprop(x_batch, y_batch)
                update(net.biases + net.weights, nabla_b + nabla_w, run.eta)
                run.call("batch_end")
            run.history.epoch_seconds.append(time.perf_counter() - start)
            run.history.eta.append(run.eta)
            run.call("epoch_end")
            if run.history.stop_reason:
                break
    if run.history.stop_reason and verbose:
        print(f"Stopped after epoch {run.history.epochs}: {run.history.stop_reason}.")
    return run.history


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


@dataclass(eq=False)
class Run:
    """What one call of :func:`sgd` shares with its callbacks.

    A callback may change ``eta`` (a schedule), ``x`` (shifted images: same shape and
    dtype), the network's layer functions for one mini-batch (dropout), or set
    ``history.stop_reason`` to stop after this epoch (early stopping).

    Attributes
    ----------
    net : Network
    x, y : numpy.ndarray
        Training inputs ``(sizes[0], n)`` and one-hot targets ``(sizes[-1], n)``.
    labels : numpy.ndarray
        The training labels, ``(n,)``.
    batch_size, n, m : int
        Mini-batch size; training examples; columns of the current mini-batch.
    eta : float
        The learning rate of this epoch.
    rng : numpy.random.Generator
    epochs, epoch : int
        How many epochs in all, and this one (counting from 1).
    history : History
    validation_data, test_data : (x, labels) or None
    penalty : object or None
        As passed to :func:`sgd`.
    progress, verbose : bool
    """

    net: Network
    x: np.ndarray
    y: np.ndarray
    labels: np.ndarray
    batch_size: int
    eta: float
    rng: np.random.Generator
    epochs: int = 0
    epoch: int = 0
    m: int = 0
    history: History = field(default_factory=History)
    validation_data: Data | None = None
    test_data: Data | None = None
    penalty: object | None = None
    progress: bool = True
    verbose: bool = True
    hooks: dict[str, list[Callable[[Run], None]]] = field(default_factory=dict)
    _buffers: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def n(self) -> int:
        return self.y.shape[1]

    def call(self, event: str) -> None:
        """Call every callback's method for ``event`` (one of :data:`EVENTS`), in order."""
        for hook in self.hooks[event]:
            hook(self)

    def mini_batches(self) -> Iterator[Data]:
        """Shuffle ``x`` and ``y``, then yield them ``batch_size`` columns at a time.

        The shuffle is one gather of all columns into buffers reused every epoch; they are
        Fortran-ordered, so every mini-batch ``[:, k:k+m]`` is one contiguous block.
        """
        if self._buffers is None:
            self._buffers = tuple(
                np.empty(a.shape, dtype=self.net.dtype, order="F") for a in (self.x, self.y)
            )
        x_shuffled, y_shuffled = self._buffers
        order = self.rng.permutation(self.n)
        # mode="clip" lets np.take write straight into `out` (the order is valid anyway).
        np.take(self.x.T, order, axis=0, out=x_shuffled.T, mode="clip")
        np.take(self.y.T, order, axis=0, out=y_shuffled.T, mode="clip")
        steps = math.ceil(self.n / self.batch_size)
        with ProgressBar(steps, label=f"epoch {self.epoch}", enabled=self.progress) as bar:
            for k in range(0, self.n, self.batch_size):
                x_batch = x_shuffled[:, k : k + self.batch_size]
                self.m = x_batch.shape[1]
                yield x_batch, y_shuffled[:, k : k + self.batch_size]
                bar.update()


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


# --------------------------------------------------------------------------------------
# The callbacks that every run has, and one for live plots
# --------------------------------------------------------------------------------------


@dataclass
class Monitor:
    """After each epoch: cost and accuracy on the validation and test data, one printed line.

    Every run has one; with ``training=True`` the training data are measured too (a full
    forward pass).
    """

    training: bool = False

    def epoch_end(self, run: Run) -> None:
        extra = run.penalty.cost(run.net.weights, run.n) if run.penalty is not None else 0.0
        training = (run.x, run.labels) if self.training else None
        for name, data in (
            ("training", training),
            ("validation", run.validation_data),
            ("test", run.test_data),
        ):
            if data is None:
                continue
            cost, accuracy = evaluate(run.net, data)
            if not math.isfinite(cost):
                raise FloatingPointError(f"the {name} cost is {cost}")
            getattr(run.history, f"{name}_cost").append(cost + extra)
            getattr(run.history, f"{name}_accuracy").append(accuracy)
        if run.verbose:
            print(_epoch_line(run.history, run.epoch, run.epochs), flush=True)


@dataclass
class WeightCheck:
    """Training has diverged if a weight or bias is NaN, infinite or beyond ``max_weight``.

    Networks trained on MNIST stay below about 10; a learning rate far too large sends the
    weights to 1e5 and beyond, where every neuron is stuck at its limit, long before they
    overflow to infinity. Checked after each epoch.
    """

    max_weight: float = 1e4

    def epoch_end(self, run: Run) -> None:
        for name, arrays in (("weights", run.net.weights), ("biases", run.net.biases)):
            for l, array in enumerate(arrays):
                largest = max(float(array.max()), -float(array.min()))  # NaN if any is NaN
                if not math.isfinite(largest):
                    raise FloatingPointError(f"{name}[{l}] holds NaN or infinite values")
                if largest > self.max_weight:
                    raise FloatingPointError(
                        f"{name}[{l}] has grown to {largest:.3g}, "
                        f"beyond max_weight={self.max_weight:g}"
                    )


@dataclass
class AfterEachEpoch:
    """Call ``function(history)`` after each epoch, e.g. to redraw a live plot."""

    function: Callable[[History], None]

    def epoch_end(self, run: Run) -> None:
        with np.errstate(over="warn", invalid="warn", divide="warn"):  # NumPy's defaults
            self.function(run.history)


# --------------------------------------------------------------------------------------
# Checking the arguments (one range check, shared with the command line)
# --------------------------------------------------------------------------------------


def check_number(
    value: object,
    name: str,
    low: float,
    high: float = math.inf,
    *,
    whole: bool = False,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` if it is a (whole) number in ``[low, high]``, else a ValueError saying so.

    ``low_open`` and ``high_open`` leave out the ends: ``check_number(p, "p", 0, 1,
    high_open=True)`` accepts probabilities ``0 <= p < 1``.
    """
    kind = "a whole number" if whole else "a number"
    is_number = isinstance(value, numbers.Integral if whole else numbers.Real)
    if not is_number or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{name} should be {kind}, got {value!r}")
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        left, right = "(" if low_open else "[", ")" if high_open or high == math.inf else "]"
        raise ValueError(
            f"{name} should be {kind} in {left}{low:g}, {high:g}{right}, got {value!r}"
        )
    return value


def _start(net: Network, data: tuple, epochs: int, batch_size: int, eta: float, seed) -> Run:
    """The :class:`Run` of a call of :func:`sgd`, once its arguments are checked."""
    training_data, validation_data, test_data = data
    x, labels = check_data(net, training_data, "training_data")
    for name, checked in (("validation_data", validation_data), ("test_data", test_data)):
        if checked is not None:
            check_data(net, checked, name)
    check_number(epochs, "epochs", 0, whole=True)
    check_number(batch_size, "batch_size", 1, whole=True)
    check_number(eta, "eta (the learning rate)", 0, low_open=True)
    y = one_hot(labels, net.sizes[-1]).astype(net.dtype)
    rng = np.random.default_rng(seed)
    return Run(
        net,
        x,
        y,
        labels,
        batch_size,
        eta,
        rng,
        epochs=epochs,
        validation_data=validation_data,
        test_data=test_data,
    )


def _after_decay(penalty, update: Update, run: Run) -> Update:
    """The update rule, after the penalty's part of the step: the weights shrink first
    (Nielsen eq. 93), the update rule sees only the gradient of the data's cost."""

    def step(params: Sequence[np.ndarray], grads: Sequence[np.ndarray], eta: float) -> None:
        penalty.decay(run.net.weights, eta, run.n)
        update(params, grads, eta)

    return step


def _hooks(callbacks: Sequence[object]) -> dict[str, list[Callable[[Run], None]]]:
    """For each event, the callbacks' methods for it: the built-in checks first.

    Every run gets a :class:`WeightCheck` and a :class:`Monitor` (unless ``callbacks``
    holds one), before the other callbacks, which may read what the monitor measured.
    """
    monitor = next((c for c in callbacks if isinstance(c, Monitor)), Monitor())
    ordered = [WeightCheck(), monitor, *(c for c in callbacks if c is not monitor)]
    return {event: [getattr(c, event) for c in ordered if hasattr(c, event)] for event in EVENTS}


@contextmanager
def _divergence_guard(run: Run) -> Iterator[None]:
    """Turn NumPy overflow and invalid-value errors into :class:`TrainingDiverged`.

    Inside the guard, ``np.errstate`` makes overflow, division by zero and NaN-producing
    operations raise ``FloatingPointError`` at once, so NaN can never spread silently.
    """
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield
    except FloatingPointError as exc:
        raise TrainingDiverged(
            f"training diverged in epoch {run.epoch} ({exc}). The learning rate "
            f"eta={run.eta:g} is probably too large: try one 10 or more times smaller (the "
            "book uses eta=3.0 with the quadratic cost, eta=0.5 with cross-entropy), or "
            "smaller initial weights (mlp.init.scaled_normal, or mlp.init.he for relu).",
            epoch=run.epoch,
            eta=run.eta,
        ) from exc


def _epoch_line(history: History, epoch: int, epochs: int) -> str:
    parts = [f"Epoch {epoch}/{epochs}"]
    for name in ("training", "validation", "test"):
        accuracies = getattr(history, f"{name}_accuracy")
        if accuracies:
            cost = getattr(history, f"{name}_cost")[-1]
            parts.append(f"{name} {accuracies[-1]:.2%}, cost {cost:.4f}")
    parts.append(f"eta {history.eta[-1]:g}")
    parts.append(f"{history.epoch_seconds[-1]:.1f} s")
    return "  ".join(parts)


def check_data(net: Network, data: Data, name: str) -> Data:
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
