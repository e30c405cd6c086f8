"""Weight initialisation: where gradient descent starts (notebook 07, Nielsen ch3).

Each initialiser plugs into the network as ``Network(sizes, init=scaled_normal)``. It
takes the layer sizes and a random generator and returns ``(biases, weights)`` in float64,
shaped as in ``Network``: ``biases[l]`` is ``(sizes[l+1], 1)`` and ``weights[l]`` is
``(sizes[l+1], sizes[l])``. They are looked up by name in :data:`INITS`.

- ``"normal"``: every weight and bias from N(0, 1), as in chapter 1 (the book's
  ``large_weight_initializer``): ``mlp.network.normal_init``, the default of ``Network``,
  so that the chapter 1 results come out as in the book.
- ``"scaled_normal"``: weights from N(0, 1/n_in), biases from N(0, 1), chapter 3's
  ``default_weight_initializer``. A neuron with ``n_in`` inputs then has a weighted input
  ``z`` of standard deviation about 1 instead of ``sqrt(n_in)``, so it does not start
  saturated and learns fast.
- ``"he"``: weights from N(0, 2/n_in) (He et al., 2015), biases 0: the same idea for ReLU
  neurons, which pass on only the positive half of ``z`` and so need twice the variance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from mlp.network import normal_init

__all__ = ["INITS", "he", "normal_init", "scaled_normal"]

Params = tuple[list[np.ndarray], list[np.ndarray]]


def scaled_normal(sizes: Sequence[int], rng: np.random.Generator) -> Params:
    """Weights from N(0, 1/n_in), biases from N(0, 1) (Nielsen ch3)."""
    biases = [rng.standard_normal((n_out, 1)) for n_out in sizes[1:]]
    weights = [
        rng.standard_normal((n_out, n_in)) / np.sqrt(n_in)
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    return biases, weights


def he(sizes: Sequence[int], rng: np.random.Generator) -> Params:
    """Weights from N(0, 2/n_in), biases 0 (He initialisation, for ReLU layers)."""
    biases = [np.zeros((n_out, 1)) for n_out in sizes[1:]]
    weights = [
        rng.standard_normal((n_out, n_in)) * np.sqrt(2 / n_in)
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    return biases, weights


#: name -> initialiser.
INITS: dict[str, Callable[[Sequence[int], np.random.Generator], Params]] = {
    "normal": normal_init,
    "scaled_normal": scaled_normal,
    "he": he,
}
