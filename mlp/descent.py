"""Gradient descent, the way notebook 02 derives it.

Three small helpers, each a few lines long:

- :func:`gradient_descent` rolls a point downhill on a function of a few variables and
  returns the whole path, so it can be drawn on a contour plot;
- :func:`minibatches` shuffles the indices ``0 .. n-1`` and cuts them into mini-batches,
  one epoch of stochastic gradient descent;
- :func:`sgd_step` applies the update ``v -> v - eta * nabla C`` to a list of parameter
  arrays (a network's ``weights`` or ``biases``) in place.

The update rule is Nielsen's equation (15) in chapter 1,
http://neuralnetworksanddeeplearning.com/chap1.html, and the "ball rolling downhill" of
3Blue1Brown's lesson 2, https://www.3blue1brown.com/lessons/gradient-descent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np


def gradient_descent(
    grad: Callable[[np.ndarray], np.ndarray],
    start: Sequence[float] | np.ndarray,
    eta: float,
    steps: int,
) -> np.ndarray:
    """Take ``steps`` steps of gradient descent and return every point visited.

    Each step is ``v <- v - eta * grad(v)``.

    Parameters
    ----------
    grad : callable
        ``grad(v)`` returns the gradient of the cost at ``v``, an array of shape ``(dim,)``.
    start : array-like of shape (dim,)
        The starting point.
    eta : float
        The learning rate, a positive number.
    steps : int
        How many steps to take, ``0`` or more.

    Returns
    -------
    numpy.ndarray of shape (steps + 1, dim)
        ``path[0]`` is ``start`` and ``path[t]`` the point after ``t`` steps (float64).

    Raises
    ------
    ValueError
        If ``start`` is not a flat vector, ``eta`` is not positive, ``steps`` is negative,
        or ``grad`` returns an array of the wrong shape.
    """
    v = np.array(start, dtype=float)
    if v.ndim != 1:
        raise ValueError(f"start should be a vector of shape (dim,), got shape {v.shape}")
    if not eta > 0:
        raise ValueError(f"eta (the learning rate) should be positive, got {eta}")
    if steps < 0:
        raise ValueError(f"steps should be 0 or more, got {steps}")
    path = np.empty((steps + 1, v.size))
    path[0] = v
    for t in range(1, steps + 1):
        g = np.asarray(grad(v), dtype=float)
        if g.shape != v.shape:
            raise ValueError(f"grad returned shape {g.shape}, expected {v.shape}")
        v = v - eta * g
        path[t] = v
    return path


def minibatches(n: int, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffle ``0 .. n-1`` and cut the result into mini-batches of indices.

    Every index appears in exactly one batch: this is one epoch. All batches have
    ``batch_size`` indices except perhaps the last, which holds what is left over.

    Parameters
    ----------
    n : int
        Number of training examples.
    batch_size : int
        Indices per mini-batch, ``1`` or more.
    rng : numpy.random.Generator
        Source of the shuffle, e.g. ``np.random.default_rng(0)``.

    Returns
    -------
    list of numpy.ndarray of shape (batch_size,)
        ``ceil(n / batch_size)`` integer arrays; use them as ``x[:, batch]``.

    Raises
    ------
    ValueError
        If ``n`` is negative or ``batch_size`` is smaller than 1.
    """
    if n < 0:
        raise ValueError(f"n should be 0 or more, got {n}")
    if batch_size < 1:
        raise ValueError(f"batch_size should be 1 or more, got {batch_size}")
    order = rng.permutation(n)
    return [order[k : k + batch_size] for k in range(0, n, batch_size)]


def sgd_step(params: Sequence[np.ndarray], grads: Sequence[np.ndarray], eta: float) -> None:
    """Move every parameter array one step downhill, in place: ``p -= eta * g``.

    Parameters
    ----------
    params : sequence of numpy.ndarray
        The parameters, e.g. ``net.weights`` (arrays of shape ``(sizes[l+1], sizes[l])``)
        or ``net.biases`` (shape ``(sizes[l+1], 1)``). They are modified in place.
    grads : sequence of numpy.ndarray
        The gradient of the cost, one array per parameter array and of the same shape,
        e.g. ``nabla_w`` or ``nabla_b`` from ``net.backprop``.
    eta : float
        The learning rate.

    Raises
    ------
    ValueError
        If the two sequences differ in length or an array's shape does not match.
    """
    if len(params) != len(grads):
        raise ValueError(f"got {len(params)} parameter arrays but {len(grads)} gradients")
    for index, (p, g) in enumerate(zip(params, grads, strict=True)):
        if p.shape != g.shape:
            raise ValueError(
                f"parameter {index} has shape {p.shape} but its gradient has shape {g.shape}"
            )
    for p, g in zip(params, grads, strict=True):
        p -= eta * g
