"""The multilayer perceptron: feedforward (notebook 01) and backpropagation (notebook 04).

This is the same network as ``network.py`` in Michael Nielsen's book *Neural Networks and
Deep Learning* (ch1-ch3), http://neuralnetworksanddeeplearning.com/, in the same notation,
with two differences that make it about 100 times faster:

- every method works on a whole mini-batch at once: ``x`` has shape ``(sizes[0], m)``, one
  example per column, so each layer is one matrix product instead of ``m`` small ones;
- the default dtype is float32, which halves memory traffic and doubles BLAS throughput.

Notation: layer ``l`` has ``sizes[l]`` neurons; ``weights[l]`` (shape ``(sizes[l+1],
sizes[l])``) and ``biases[l]`` (shape ``(sizes[l+1], 1)``) lead *into* layer ``l + 1``.
``z = w a + b`` is a weighted input, ``a = sigma(z)`` an activation, ``delta = dC/dz``
an error.

What later chapters change plugs in from outside, as in the book's ``network2.py``:

- the cost is a :class:`Cost` object (its value, its output error BP1 and the output
  layer's activation); chapter 1's quadratic cost is here, cross-entropy and
  log-likelihood come with notebook 07 (``mlp.costs``);
- the initial weights come from a function ``init(sizes, rng) -> (biases, weights)``;
  chapter 1's N(0, 1) is :func:`normal_init`, scaled ones come with notebook 07
  (``mlp.init``);
- each layer's activation and its derivative are in ``layer_functions`` and
  ``layer_derivatives``, which dropout (notebook 08) swaps for a mini-batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

from mlp.activations import ACTIVATIONS, sigmoid, sigmoid_prime

__all__ = ["QUADRATIC", "Cost", "Network", "normal_init", "quadratic", "quadratic_delta"]

_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


class Cost(NamedTuple):
    """A cost function as the network uses it.

    Attributes
    ----------
    name : str
        Its name, e.g. ``"quadratic"`` (saved with the network by ``mlp.save``).
    fn : callable
        ``fn(a, y)``: the mean cost over the ``m`` columns of ``a`` and ``y``, both of
        shape ``(n_outputs, m)``.
    delta : callable
        ``delta(z, a, y)``: the output error ``delta^L = dC_x/dz^L`` of each example
        (equation BP1), shape ``(n_outputs, m)``; averaging is ``Network.backprop``'s job.
    output : callable
        The activation of the output layer that goes with this cost.
    """

    name: str
    fn: Callable[[np.ndarray, np.ndarray], float]
    delta: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    output: Callable[[np.ndarray], np.ndarray]


def quadratic(a: np.ndarray, y: np.ndarray) -> float:
    """Mean quadratic cost ``C = 1/m sum_x 0.5 * ||a(x) - y(x)||^2`` (Nielsen eq. 6).

    Parameters
    ----------
    a, y : numpy.ndarray
        Outputs and desired outputs, shape ``(n_outputs, m)``.
    """
    diff = a - y
    return 0.5 * float(np.vdot(diff, diff)) / (a.shape[1] if a.ndim == 2 else 1)


def quadratic_delta(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Output error for the quadratic cost, BP1: ``delta^L = (a - y) * sigma'(z^L)``.

    The factor ``sigma'(z)`` is tiny when an output neuron saturates near 0 or 1, which is
    why a badly wrong sigmoid neuron learns slowly with this cost (Nielsen ch3).
    """
    return (a - y) * sigmoid_prime(z, a)  # a = sigma(z): no need to compute it again


#: Chapter 1's cost, with sigmoid outputs (the book's ``cost_derivative`` is its delta).
QUADRATIC = Cost("quadratic", quadratic, quadratic_delta, sigmoid)


def normal_init(sizes: Sequence[int], rng: np.random.Generator) -> tuple[list, list]:
    """Chapter 1's start: every weight and bias from N(0, 1), in float64.

    Returns ``(biases, weights)`` shaped as in :class:`Network`.
    """
    biases = [rng.standard_normal((n_out, 1)) for n_out in sizes[1:]]
    weights = [
        rng.standard_normal((n_out, n_in))
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    return biases, weights


class Network:
    """A fully connected feedforward network.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input layer first, e.g. ``[784, 30, 10]``; at least two layers.
    activation : str
        Activation of the hidden layers: ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
    cost : Cost or "quadratic"
        The cost, chapter 1's quadratic one by default; the costs of notebook 07 are
        objects too, e.g. ``cost=mlp.costs.CROSS_ENTROPY`` (as the book's
        ``cost=CrossEntropyCost``).
    seed : int, optional
        Seed for the random initial weights; the same seed gives the same network.
    dtype : numpy dtype
        ``np.float32`` (default, fast) or ``np.float64`` (for gradient checks).
    init : callable, optional
        ``init(sizes, rng) -> (biases, weights)``; :func:`normal_init` (N(0, 1),
        chapter 1) by default, e.g. ``mlp.init.scaled_normal`` from notebook 07.

    Attributes
    ----------
    sizes : list of int
    num_layers : int
        ``len(sizes)``.
    weights : list of numpy.ndarray
        ``weights[l]`` has shape ``(sizes[l+1], sizes[l])``.
    biases : list of numpy.ndarray
        ``biases[l]`` has shape ``(sizes[l+1], 1)``.
    layer_functions : list of callable
        The activation of each layer after the input, the output layer's last.
    layer_derivatives : list of callable
        Their derivatives, called as ``prime(z, a)``; the output layer's is ``None``
        (BP1 comes from the cost).
    activation, cost_name, init, output_activation : str
        The names the network was built with.

    Examples
    --------
    >>> net = Network([784, 30, 10], seed=1)
    >>> net.weights[0].shape, net.biases[0].shape
    ((30, 784), (30, 1))
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "sigmoid",
        cost: Cost | str = "quadratic",
        seed: int | None = None,
        dtype: type | np.dtype = np.float32,
        init: Callable | None = None,
    ) -> None:
        self.sizes = _check_sizes(sizes)
        self.num_layers = len(self.sizes)
        self.activation = _check_activation(activation)
        self.cost_kind = _check_cost(cost)
        self.dtype = np.dtype(dtype)
        if self.dtype not in _DTYPES:
            raise ValueError(f"dtype must be float32 or float64, not {self.dtype}")
        self.sigma, self.sigma_prime = ACTIVATIONS[self.activation]
        hidden = self.num_layers - 2
        self.layer_functions = [self.sigma] * hidden + [self.cost_kind.output]
        self.layer_derivatives = [self.sigma_prime] * hidden + [None]

        init = normal_init if init is None else init
        self.init = getattr(init, "__name__", "custom").removesuffix("_init")
        biases, weights = init(self.sizes, np.random.default_rng(seed))
        self.biases = [np.asarray(b, dtype=self.dtype) for b in biases]
        self.weights = [np.asarray(w, dtype=self.dtype) for w in weights]

    @property
    def cost_name(self) -> str:
        return self.cost_kind.name

    @property
    def cost_fn(self) -> Callable[[np.ndarray, np.ndarray], float]:
        return self.cost_kind.fn

    @property
    def output_activation(self) -> str:
        return self.cost_kind.output.__name__

    # ----------------------------------------------------------------------------------
    # Forward (notebook 01)
    # ----------------------------------------------------------------------------------

    def feedforward(self, x: np.ndarray) -> np.ndarray:
        """The network's output for each input column: ``a^{l+1} = sigma(w^l a^l + b^l)``.

        Parameters
        ----------
        x : array-like
            Shape ``(sizes[0], m)``, one example per column, or ``(sizes[0],)`` for one.

        Returns
        -------
        numpy.ndarray
            Shape ``(sizes[-1], m)`` (or ``(sizes[-1],)`` for a single vector).
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim == 1 and x.shape[0] == self.sizes[0]:
            return self.feedforward(x[:, None])[:, 0]
        a = self._check_x(x)
        for b, w, f in zip(self.biases, self.weights, self.layer_functions, strict=True):
            a = f(w @ a + b)
        return a

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The predicted class of each column: the index of the most active output neuron.

        Returns an ``int64`` array of shape ``(m,)`` (a plain int for a single vector).
        """
        return np.argmax(self.feedforward(x), axis=0)

    def evaluate(self, x: np.ndarray, labels: np.ndarray) -> int:
        """How many of the ``m`` columns of ``x`` are classified as ``labels`` (shape ``(m,)``)."""
        labels = np.asarray(labels)
        x = self._check_x(np.asarray(x, dtype=self.dtype))
        if labels.shape != (x.shape[1],):
            raise ValueError(
                f"labels should have shape ({x.shape[1]},), one per column of x; "
                f"got shape {labels.shape}"
            )
        return int(np.count_nonzero(self.predict(x) == labels))

    def cost(self, x: np.ndarray, y: np.ndarray) -> float:
        """The mean cost over the ``m`` columns (notebook 02; no regularisation term).

        ``x`` has shape ``(sizes[0], m)``, ``y`` (the desired outputs, one-hot columns for
        classification) ``(sizes[-1], m)``.
        """
        x, y = self._check_xy(x, y)
        return self.cost_kind.fn(self.feedforward(x), y)

    # ----------------------------------------------------------------------------------
    # Backward (notebook 04)
    # ----------------------------------------------------------------------------------

    def backprop(self, x: np.ndarray, y: np.ndarray) -> tuple[list, list]:
        """The gradient of :meth:`cost` for a mini-batch, by backpropagation (Nielsen ch2).

        The four equations, for all ``m`` examples (columns) at once, ``*`` element-wise:
        BP1 ``delta^L = dC/da^L * sigma'(z^L)`` (the cost's ``delta``); BP2 ``delta^l =
        (w^{l+1})^T delta^{l+1} * sigma'(z^l)``; BP3 ``dC/db^l = delta^l`` and BP4 ``dC/dw^l
        = delta^l (a^{l-1})^T``, summed over the columns. BP1 is divided by ``m`` once, so
        the sums are means. ``x`` is ``(sizes[0], m)``, ``y`` is ``(sizes[-1], m)``;
        returns ``(nabla_b, nabla_w)``, shaped like ``biases`` and ``weights``.
        """
        x, y = self._check_xy(x, y)
        activations, zs = self._forward(x)
        nabla_b = [None] * len(self.biases)
        nabla_w = [None] * len(self.weights)
        delta = self.cost_kind.delta(zs[-1], activations[-1], y)  # BP1
        delta *= 1 / x.shape[1]  # divided by m once: BP3 and BP4 then give means
        nabla_b[-1] = delta.sum(axis=1, keepdims=True)  # BP3
        nabla_w[-1] = delta @ activations[-2].T  # BP4
        # As in the book, l counts layers from the end: l = 2 is the last hidden layer.
        for l in range(2, self.num_layers):
            sp = self.layer_derivatives[-l](zs[-l], activations[-l])  # sigma'(z^l)
            delta = (self.weights[-l + 1].T @ delta) * sp  # BP2
            nabla_b[-l] = delta.sum(axis=1, keepdims=True)  # BP3
            nabla_w[-l] = delta @ activations[-l - 1].T  # BP4
        return nabla_b, nabla_w

    def _forward(self, x: np.ndarray) -> tuple[list, list]:
        """The forward pass of :meth:`backprop`: every activation (``x`` first) and every ``z``."""
        activations, zs = [x], []
        for b, w, f in zip(self.biases, self.weights, self.layer_functions, strict=True):
            z = w @ activations[-1]
            z += b  # in place: one array fewer than `w @ a + b`
            zs.append(z)
            activations.append(f(z))
        return activations, zs

    def backprop_per_example(self, x: np.ndarray, y: np.ndarray) -> tuple[list, list]:
        """The same gradient as :meth:`backprop`, one example (column) at a time.

        This is the book's algorithm step by step: for each training example, a forward
        pass, then BP1-BP4 with vectors instead of matrices, adding up the gradients; the
        sum is divided by ``m`` at the end. It is slow, and kept for teaching and as the
        baseline in ``benchmarks/``.
        """
        x, y = self._check_xy(x, y)
        m = x.shape[1]
        nabla_b = [np.zeros_like(b) for b in self.biases]
        nabla_w = [np.zeros_like(w) for w in self.weights]
        for i in range(m):
            activations, zs = self._forward(x[:, i : i + 1])
            delta = self.cost_kind.delta(zs[-1], activations[-1], y[:, i : i + 1])  # BP1
            nabla_b[-1] += delta  # BP3
            nabla_w[-1] += delta @ activations[-2].T  # BP4
            for l in range(2, self.num_layers):
                sp = self.layer_derivatives[-l](zs[-l], activations[-l])
                delta = (self.weights[-l + 1].T @ delta) * sp  # BP2
                nabla_b[-l] += delta  # BP3
                nabla_w[-l] += delta @ activations[-l - 1].T  # BP4
        for nabla in nabla_b + nabla_w:
            nabla /= m
        return nabla_b, nabla_w

    # ----------------------------------------------------------------------------------
    # Helpers
    # ----------------------------------------------------------------------------------

    def copy(self, dtype: type | np.dtype | None = None) -> Network:
        """An independent copy of the network, optionally converted to another dtype."""
        twin = type(self)(  # type(self): a subclass (say, with a broken backprop) stays one
            self.sizes,
            activation=self.activation,
            cost=self.cost_kind,
            dtype=self.dtype if dtype is None else dtype,
            init=_zeros,
        )
        twin.init = self.init
        twin.biases = [b.astype(twin.dtype) for b in self.biases]
        twin.weights = [w.astype(twin.dtype) for w in self.weights]
        return twin

    @property
    def num_parameters(self) -> int:
        """How many weights and biases the network has (13,002 for ``[784, 16, 16, 10]``)."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))

    def __repr__(self) -> str:
        return (
            f"Network({self.sizes}, activation={self.activation!r}, cost={self.cost_name!r}, "
            f"init={self.init!r}, dtype={self.dtype.name})"
        )

    def _check_x(self, x: np.ndarray) -> np.ndarray:
        """Raise a clear ValueError unless ``x`` has shape ``(sizes[0], m)``."""
        n = self.sizes[0]
        if x.ndim != 2 or x.shape[0] != n:
            hint = ""
            if x.ndim == 2 and x.shape[1] == n:
                hint = " (it looks transposed: one example per column, so pass x.T)"
            raise ValueError(
                f"x should have shape ({n}, m), one example per column; got shape {x.shape}{hint}"
            )
        return x

    def _check_xy(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``x`` and ``y`` as arrays of the network's dtype, or a ValueError naming the problem."""
        x = self._check_x(np.asarray(x, dtype=self.dtype))
        m = x.shape[1]
        y = np.asarray(y, dtype=self.dtype)
        expected = (self.sizes[-1], m)
        if y.shape != expected:
            hint = ""
            if y.ndim == 1:
                hint = " (labels? turn them into one-hot columns with mlp.data.one_hot)"
            raise ValueError(
                f"y should have shape {expected}, the desired outputs for the {m} columns "
                f"of x; got shape {y.shape}{hint}"
            )
        if m == 0:
            raise ValueError("x has no columns: the cost of zero examples is not defined")
        return x, y


def _zeros(sizes: Sequence[int], rng: np.random.Generator) -> tuple[list, list]:
    """No random numbers at all, for :meth:`Network.copy`, which overwrites them anyway."""
    biases = [np.zeros((n, 1)) for n in sizes[1:]]
    weights = [np.zeros((n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    return biases, weights


def _check_sizes(sizes: Sequence[int]) -> list[int]:
    """``sizes`` as a list of positive ints, or a ValueError saying what is wrong."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence | np.ndarray):
        raise ValueError(f"sizes should be a list of layer sizes like [784, 30, 10], not {sizes!r}")
    checked = []
    for size in sizes:
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
            raise ValueError(f"sizes should hold whole numbers, got {size!r} in {list(sizes)}")
        if size < 1:
            raise ValueError(f"every layer needs at least one neuron, got {size} in {list(sizes)}")
        checked.append(int(size))
    if len(checked) < 2:
        raise ValueError(f"sizes needs at least two layers (inputs and outputs), got {list(sizes)}")
    return checked


def _check_activation(name: str) -> str:
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(map(repr, ACTIVATIONS))}"
        )
    return name


def _check_cost(cost: Cost | str) -> Cost:
    if cost == "quadratic":
        return QUADRATIC
    if isinstance(cost, Cost):
        return cost
    raise ValueError(
        f"unknown cost {cost!r}: pass a Cost object, e.g. cost=mlp.costs.COSTS[{cost!r}] "
        "(costs.CROSS_ENTROPY, costs.LOG_LIKELIHOOD); only 'quadratic' is known by name"
    )
