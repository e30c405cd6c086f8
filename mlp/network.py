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
an error. Hidden layers use ``activation``; the output layer uses the sigmoid, or softmax
for the log-likelihood cost (see ``mlp.costs``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mlp.activations import ACTIVATIONS, sigmoid, softmax
from mlp.costs import COSTS, OUTPUT_ACTIVATION
from mlp.init import INITS

__all__ = ["Network"]

_OUTPUT_FUNCTIONS = {"sigmoid": sigmoid, "softmax": softmax}
_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


class Network:
    """A fully connected feedforward network.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, input layer first, e.g. ``[784, 30, 10]``; at least two layers.
    activation : str
        Activation of the hidden layers: ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
    cost : str
        ``"quadratic"``, ``"cross_entropy"`` (both with sigmoid outputs) or
        ``"log_likelihood"`` (with softmax outputs).
    seed : int, optional
        Seed for the random initial weights; the same seed gives the same network.
    init : str, optional
        ``"normal"`` (N(0, 1), chapter 1; the default), ``"scaled_normal"`` (N(0, 1/n_in),
        chapter 3) or ``"he"`` (N(0, 2/n_in), for ReLU). See ``mlp.init``.
    dtype : numpy dtype
        ``np.float32`` (default, fast) or ``np.float64`` (for gradient checks).

    Attributes
    ----------
    sizes : list of int
    num_layers : int
        ``len(sizes)``.
    weights : list of numpy.ndarray
        ``weights[l]`` has shape ``(sizes[l+1], sizes[l])``.
    biases : list of numpy.ndarray
        ``biases[l]`` has shape ``(sizes[l+1], 1)``.
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
        cost: str = "quadratic",
        seed: int | None = None,
        init: str | None = None,
        dtype: type | np.dtype = np.float32,
    ) -> None:
        self.sizes = _check_sizes(sizes)
        self.num_layers = len(self.sizes)
        self.activation = _check_name(activation, ACTIVATIONS, "activation")
        self.cost_name = _check_name(cost, COSTS, "cost")
        self.init = _check_name("normal" if init is None else init, INITS, "init")
        self.dtype = np.dtype(dtype)
        if self.dtype not in _DTYPES:
            raise ValueError(f"dtype must be float32 or float64, not {self.dtype}")
        self.output_activation = OUTPUT_ACTIVATION[self.cost_name]

        self.sigma, self.sigma_prime = ACTIVATIONS[self.activation]
        self.cost_fn, self.cost_delta = COSTS[self.cost_name]
        # The function applied by each layer: hidden layers, then the output layer.
        self.layer_functions = [self.sigma] * (self.num_layers - 2)
        self.layer_functions.append(_OUTPUT_FUNCTIONS[self.output_activation])

        biases, weights = INITS[self.init](self.sizes, np.random.default_rng(seed))
        self.biases = [b.astype(self.dtype) for b in biases]
        self.weights = [w.astype(self.dtype) for w in weights]

    # ----------------------------------------------------------------------------------
    # Forward
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
        """How many of the ``m`` examples are classified correctly (as the book's ``evaluate``).

        Parameters
        ----------
        x : array-like
            Shape ``(sizes[0], m)``.
        labels : array-like of int
            Shape ``(m,)``, the correct classes.
        """
        labels = np.asarray(labels)
        x = self._check_x(np.asarray(x, dtype=self.dtype))
        if labels.shape != (x.shape[1],):
            raise ValueError(
                f"labels should have shape ({x.shape[1]},), one per column of x; "
                f"got shape {labels.shape}"
            )
        return int(np.count_nonzero(self.predict(x) == labels))

    def cost(self, x: np.ndarray, y: np.ndarray) -> float:
        """The mean cost over the ``m`` examples (no regularisation term).

        Parameters
        ----------
        x : array-like
            Inputs, shape ``(sizes[0], m)``.
        y : array-like
            Desired outputs, shape ``(sizes[-1], m)`` (one-hot columns for classification).
        """
        x = self._check_x(np.asarray(x, dtype=self.dtype))
        y = self._check_y(y, x.shape[1])
        return self.cost_fn(self.feedforward(x), y)

    # ----------------------------------------------------------------------------------
    # Backward
    # ----------------------------------------------------------------------------------

    def backprop(
        self, x: np.ndarray, y: np.ndarray, masks: Sequence[np.ndarray] | None = None
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The gradient of :meth:`cost` for a mini-batch, by backpropagation (Nielsen ch2).

        The four equations of backpropagation, for all ``m`` examples at once (one column
        each; ``*`` is the element-wise product):

        - BP1, the error of the output layer: ``delta^L = dC/da^L * sigma'(z^L)``, which
          ``mlp.costs`` gives for each cost;
        - BP2, the error one layer back: ``delta^l = (w^{l+1})^T delta^{l+1} * sigma'(z^l)``;
        - BP3, the bias gradient: ``dC/db^l = delta^l``, summed over the columns;
        - BP4, the weight gradient: ``dC/dw^l = delta^l (a^{l-1})^T``, a matrix product
          that sums over the columns by itself.

        The output error is divided by ``m`` once, so the sums in BP3 and BP4 are means.

        Parameters
        ----------
        x : array-like
            Inputs, shape ``(sizes[0], m)``.
        y : array-like
            Desired outputs, shape ``(sizes[-1], m)``.
        masks : list of numpy.ndarray, optional
            Dropout: one array per hidden layer, shape ``(sizes[l], m)``, multiplied into
            that layer's activations (0 drops a neuron; see ``mlp.regularization``). The
            gradient is then the gradient of the thinned network.

        Returns
        -------
        nabla_b, nabla_w : list of numpy.ndarray
            Shaped like ``biases`` and ``weights``: ``dC/db`` and ``dC/dw``.
        """
        x = self._check_x(np.asarray(x, dtype=self.dtype))
        m = x.shape[1]
        y = self._check_y(y, m)
        if masks is not None:
            self._check_masks(masks, m)

        # Forward pass, remembering every weighted input z and every activation.
        activation = x
        activations = [x]
        zs = []
        for l, (b, w, f) in enumerate(
            zip(self.biases, self.weights, self.layer_functions, strict=True)
        ):
            z = w @ activation
            z += b  # in place: one array fewer than `w @ activation + b`
            zs.append(z)
            activation = f(z)
            if masks is not None and l < len(masks):
                activation *= masks[l]
            activations.append(activation)

        # Backward pass: the gradients are filled in from the last layer back.
        nabla_b = [None] * len(self.biases)
        nabla_w = [None] * len(self.weights)
        # BP1, divided by m so that BP3 and BP4 give means over the mini-batch.
        delta = self.cost_delta(zs[-1], activations[-1], y)
        delta *= self.dtype.type(1 / m)
        nabla_b[-1] = delta.sum(axis=1, keepdims=True)  # BP3
        nabla_w[-1] = delta @ activations[-2].T  # BP4
        # As in the book, l counts layers from the end: l = 2 is the last hidden layer.
        for l in range(2, self.num_layers):
            # BP2: delta^l = (w^{l+1})^T delta^{l+1} * sigma'(z^l), where sigma'(z^l) reuses
            # the stored activation a^l = sigma(z^l) unless dropout has changed it.
            delta = self.weights[-l + 1].T @ delta
            if masks is None:
                delta *= self.sigma_prime(zs[-l], activations[-l])
            else:
                delta *= self.sigma_prime(zs[-l])
                delta *= masks[-l + 1]  # a dropped neuron passes no error back
            nabla_b[-l] = delta.sum(axis=1, keepdims=True)  # BP3
            nabla_w[-l] = delta @ activations[-l - 1].T  # BP4
        return nabla_b, nabla_w

    def backprop_per_example(
        self, x: np.ndarray, y: np.ndarray
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The same gradient as :meth:`backprop`, one example (column) at a time.

        This is the book's algorithm step by step: for each training example, a forward
        pass, then BP1-BP4 with vectors instead of matrices, adding up the gradients; the
        sum is divided by ``m`` at the end. It is slow (a Python loop over examples, and
        ``m`` small matrix-vector products instead of one matrix product), and kept for
        teaching and as the baseline in ``benchmarks/``.

        Parameters and return value are those of :meth:`backprop` (no dropout masks).
        """
        x = self._check_x(np.asarray(x, dtype=self.dtype))
        m = x.shape[1]
        y = self._check_y(y, m)
        nabla_b = [np.zeros_like(b) for b in self.biases]
        nabla_w = [np.zeros_like(w) for w in self.weights]
        for i in range(m):
            # Forward pass for example i (a column vector of shape (sizes[0], 1)).
            activation = x[:, i : i + 1]
            activations = [activation]
            zs = []
            for b, w, f in zip(self.biases, self.weights, self.layer_functions, strict=True):
                z = w @ activation + b
                zs.append(z)
                activation = f(z)
                activations.append(activation)
            # BP1, then BP3 and BP4 for the output layer.
            delta = self.cost_delta(zs[-1], activations[-1], y[:, i : i + 1])
            nabla_b[-1] += delta
            nabla_w[-1] += delta @ activations[-2].T
            for l in range(2, self.num_layers):
                delta = (self.weights[-l + 1].T @ delta) * self.sigma_prime(zs[-l])  # BP2
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
            cost=self.cost_name,
            init=self.init,
            dtype=self.dtype if dtype is None else dtype,
            seed=0,
        )
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

    def _check_y(self, y: np.ndarray, m: int) -> np.ndarray:
        """Raise a clear ValueError unless ``y`` has shape ``(sizes[-1], m)`` with m >= 1."""
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
        return y

    def _check_masks(self, masks: Sequence[np.ndarray], m: int) -> None:
        hidden = self.sizes[1:-1]
        if len(masks) != len(hidden):
            raise ValueError(
                f"masks should hold one array per hidden layer ({len(hidden)}), got {len(masks)}"
            )
        for l, (mask, n) in enumerate(zip(masks, hidden, strict=True)):
            if np.shape(mask) != (n, m):
                raise ValueError(f"masks[{l}] should have shape {(n, m)}, got {np.shape(mask)}")


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


def _check_name(name: str, known: dict, what: str) -> str:
    if not isinstance(name, str) or name not in known:
        raise ValueError(f"unknown {what} {name!r}; choose one of {', '.join(map(repr, known))}")
    return name
