"""More training data for free: shifted copies of the images (notebook 08, Nielsen ch3).

A digit moved by one pixel is still the same digit, but to the network, which sees 784
separate numbers, it is a new example. Nielsen's "expanding the training data" adds, for
each training image, four copies shifted one pixel up, down, left and right (50,000 images
become 250,000). :func:`random_shifts` does the same thing on the fly: each epoch, every
image moves by a fresh random offset, so the network never sees exactly the same picture
twice. :func:`rotate` turns images by a small angle, the book's other example.

The images are columns, as everywhere in ``mlp``: ``x`` has shape ``(784, n)``, each column
a 28 x 28 image read row by row. Pixels shifted in from outside are 0 (background).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mlp.train import Run

__all__ = ["AUGMENTATIONS", "RandomShifts", "expand", "random_shifts", "rotate", "shift"]

SIDE = 28


def shift(x: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """Every image moved ``dx`` pixels right and ``dy`` pixels down (negative: left, up).

    Parameters
    ----------
    x : numpy.ndarray
        Shape ``(784, n)``, one 28 x 28 image per column.
    dx, dy : int
        The offset in pixels.

    Returns
    -------
    numpy.ndarray
        A new array, same shape and dtype as ``x``, Fortran-ordered.
    """
    images = _as_images(x)
    shifted = np.zeros_like(images)
    _shift_into(shifted, images, dx, dy)
    return shifted.reshape(len(shifted), SIDE * SIDE).T


def expand(x: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nielsen's expanded training set: each image, then its four one-pixel shifts.

    Parameters
    ----------
    x : numpy.ndarray
        Shape ``(784, n)``.
    labels : numpy.ndarray
        Shape ``(n,)``.

    Returns
    -------
    x_expanded : numpy.ndarray
        Shape ``(784, 5n)``: the originals, then all images shifted up, down, left, right.
    labels_expanded : numpy.ndarray
        Shape ``(5n,)``, the labels repeated to match.
    """
    labels = np.asarray(labels)
    if labels.shape != (x.shape[1],):
        raise ValueError(f"labels should have shape ({x.shape[1]},), got {labels.shape}")
    offsets = [(0, 0), (0, -1), (0, 1), (-1, 0), (1, 0)]  # (dx, dy): none, up, down, left, right
    expanded = np.concatenate([shift(x, dx, dy) for dx, dy in offsets], axis=1)
    return np.asfortranarray(expanded), np.tile(labels, len(offsets))


def random_shifts(
    x: np.ndarray,
    rng: np.random.Generator,
    max_shift: int = 1,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Every image moved by its own random offset ``(dx, dy)``, each in ``-max_shift..max_shift``.

    Parameters
    ----------
    x : numpy.ndarray
        Shape ``(784, n)``.
    rng : numpy.random.Generator
    max_shift : int
        Largest shift in each direction, in pixels (1 gives 9 possible offsets).
    out : numpy.ndarray, optional
        Where to write the result (shape and dtype of ``x``, Fortran-ordered, not ``x``
        itself); a new array if omitted. Reusing one saves memory when called every epoch.

    Returns
    -------
    numpy.ndarray
        ``out``, or a new Fortran-ordered array shaped like ``x``.
    """
    images = _as_images(x)
    n = len(images)
    if out is None:
        out = np.empty_like(x, order="F")
    if out.shape != x.shape or out.dtype != x.dtype or not out.flags.f_contiguous:
        raise ValueError("out must be a Fortran-ordered array with the shape and dtype of x")
    if np.shares_memory(out, x):
        raise ValueError("out must not be x itself: the shift reads pixels it would overwrite")
    result = out.T.reshape(n, SIDE, SIDE)  # a view: out is Fortran-ordered (784, n)
    offsets = rng.integers(-max_shift, max_shift + 1, size=(n, 2))
    # One group of images per offset: each group is shifted with plain slices.
    for dx in range(-max_shift, max_shift + 1):
        for dy in range(-max_shift, max_shift + 1):
            group = np.flatnonzero((offsets[:, 0] == dx) & (offsets[:, 1] == dy))
            shifted = np.zeros((len(group), SIDE, SIDE), dtype=x.dtype)
            _shift_into(shifted, images[group], dx, dy)
            result[group] = shifted
    return out


def rotate(x: np.ndarray, degrees: float) -> np.ndarray:
    """Every image turned ``degrees`` counter-clockwise about its centre (bilinear).

    Each pixel of the result looks up the point of the original that the rotation
    carries onto it and mixes the four pixels around that point by their nearness.
    Points outside the original are background (0).

    Parameters
    ----------
    x : numpy.ndarray
        Shape ``(784, n)``, one 28 x 28 image per column.
    degrees : float
        The angle; negative turns clockwise.

    Returns
    -------
    numpy.ndarray
        A new array, same shape and dtype as ``x``, Fortran-ordered.
    """
    images = _as_images(x)
    theta, centre = np.deg2rad(degrees), (SIDE - 1) / 2
    row, col = np.mgrid[0:SIDE, 0:SIDE] - centre  # offsets from the centre, rows downwards
    source_row = np.sin(theta) * col + np.cos(theta) * row + centre
    source_col = np.cos(theta) * col - np.sin(theta) * row + centre
    r0, c0 = np.floor(source_row), np.floor(source_col)
    fr, fc = source_row - r0, source_col - c0  # how far past the upper-left pixel
    # A border of zeros; indices beyond it are clipped onto it, so they read background.
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    r, c = r0.astype(int) + 1, c0.astype(int) + 1
    r, r1 = np.clip(r, 0, SIDE + 1), np.clip(r + 1, 0, SIDE + 1)
    c, c1 = np.clip(c, 0, SIDE + 1), np.clip(c + 1, 0, SIDE + 1)
    turned = (
        (1 - fr) * (1 - fc) * padded[:, r, c]
        + (1 - fr) * fc * padded[:, r, c1]
        + fr * (1 - fc) * padded[:, r1, c]
        + fr * fc * padded[:, r1, c1]
    )
    return np.asfortranarray(turned.reshape(len(images), SIDE * SIDE).T.astype(x.dtype))


@dataclass(eq=False)
class RandomShifts:
    """Callback for ``mlp.train.sgd``: train each epoch on freshly shifted images."""

    max_shift: int = 1
    original: np.ndarray | None = None

    def train_start(self, run: Run) -> None:
        _as_images(run.x)  # a clear error now if these are not 28 x 28 images
        self.original = run.x
        run.x = np.empty_like(run.x, order="F")  # the shifted images, rewritten every epoch

    def epoch_start(self, run: Run) -> None:
        random_shifts(self.original, run.rng, self.max_shift, out=run.x)


#: How the command line augments the training data: ``"shift"`` a callback of ``sgd``,
#: ``"expand"`` the five-fold set made once before training.
AUGMENTATIONS = {"shift": RandomShifts, "expand": expand}


def _as_images(x: np.ndarray) -> np.ndarray:
    """View (or copy) columns ``(784, n)`` as images ``(n, 28, 28)``."""
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[0] != SIDE * SIDE:
        raise ValueError(f"x should have shape (784, n), one image per column; got {x.shape}")
    return x.T.reshape(x.shape[1], SIDE, SIDE)


def _shift_into(target: np.ndarray, images: np.ndarray, dx: int, dy: int) -> None:
    """Copy ``images`` (k, 28, 28) into ``target`` (zeros) moved by ``dx`` right, ``dy`` down."""
    if dx == 0 and dy == 0:
        target[...] = images
        return
    rows_to, rows_from = _span(dy)
    cols_to, cols_from = _span(dx)
    target[:, rows_to, cols_to] = images[:, rows_from, cols_from]


def _span(d: int) -> tuple[slice, slice]:
    """Destination and source slices along one axis for a shift by ``d``."""
    if abs(d) >= SIDE:
        return slice(0, 0), slice(0, 0)
    if d >= 0:
        return slice(d, SIDE), slice(0, SIDE - d)
    return slice(0, SIDE + d), slice(-d, SIDE)
