"""A picture of a digit as a column like MNIST's (notebook 06, and ``mlp predict``).

MNIST's digits were scaled to fit a 20 x 20 box (keeping their aspect ratio) and centred
by their centre of mass in a 28 x 28 image, white ink on black. :func:`image_to_column`
does the same to a drawing or a photo, so that a network trained on MNIST sees what it
is used to; :func:`read_digit` reads an image file and does it, naming the file in
every error.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

__all__ = ["image_to_column", "read_digit", "read_image"]


def read_digit(path: str | os.PathLike[str]) -> np.ndarray:
    """The digit in an image file as a float32 column of shape ``(784,)``.

    Raises a ValueError that names the file if it cannot be read or shows no digit.
    """
    try:
        return image_to_column(read_image(path))
    except ValueError as exc:
        message = str(exc)
        raise ValueError(
            message if message.startswith(f"{path}:") else f"{path}: {message}"
        ) from None


def read_image(path: str | os.PathLike[str]) -> np.ndarray:
    """The pixels of an image file as floats, shape ``(height, width[, channels])``.

    PNG files are read by matplotlib itself; other formats need Pillow (which matplotlib
    installs). Integer pixels are scaled to [0, 1].
    """
    import matplotlib.image

    if not Path(path).is_file():
        raise ValueError(f"{path}: no such image file")
    try:
        pixels = np.asarray(matplotlib.image.imread(path))
    except Exception as exc:  # matplotlib and Pillow raise many kinds of errors
        raise ValueError(f"{path}: cannot read this image ({exc})") from None
    if np.issubdtype(pixels.dtype, np.integer):
        pixels = pixels / np.iinfo(pixels.dtype).max
    return pixels.astype(np.float64)


def image_to_column(pixels: np.ndarray) -> np.ndarray:
    """Turn a picture of one digit into a column like MNIST's, shape ``(784,)``.

    MNIST's digits were scaled to fit a 20 x 20 box (keeping their aspect ratio) and
    centred by their centre of mass in a 28 x 28 image, white ink on black. We do the same:

    1. grey levels (for colour, the usual luminance weights; for an image with
       transparency, its opacity: the ink is what is drawn);
    2. inverted if the border is light (dark ink on white paper), so the ink is bright;
    3. background level subtracted and contrast stretched to [0, 1];
    4. cropped to the ink's bounding box, and resized so its longer side is 20 pixels
       (each new pixel the average of the old ones it covers);
    5. pasted into 28 x 28 with its centre of mass in the middle.

    Parameters
    ----------
    pixels : numpy.ndarray
        ``(height, width)``, ``(height, width, 3)`` or ``(height, width, 4)``, values in [0, 1].

    Returns
    -------
    numpy.ndarray
        float32 of shape ``(784,)``, values in [0, 1].
    """
    pixels = np.asarray(pixels, dtype=np.float64)
    if pixels.ndim == 3 and pixels.shape[2] in (3, 4):
        alpha = pixels[..., 3] if pixels.shape[2] == 4 else None
        if alpha is not None and alpha.min() < 0.99:
            ink = alpha
        else:
            ink = pixels[..., :3] @ np.array([0.299, 0.587, 0.114])
    elif pixels.ndim == 2:
        ink = pixels
    else:
        raise ValueError(f"expected a grey or colour image, got an array of shape {pixels.shape}")
    border = np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]])
    if np.median(border) > 0.5:
        ink, border = 1 - ink, 1 - border
    ink = np.clip(ink - np.median(border), 0, None)
    if ink.max() <= 0.05:
        raise ValueError("no digit found: the image is blank")
    ink /= ink.max()

    rows = np.flatnonzero((ink > 0.1).any(axis=1))
    cols = np.flatnonzero((ink > 0.1).any(axis=0))
    ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    scale = 20 / max(ink.shape)
    height = max(1, int(round(ink.shape[0] * scale)))
    width = max(1, int(round(ink.shape[1] * scale)))
    digit = _resize(_resize(ink, height, axis=0), width, axis=1)

    # Centre of mass in pixel indices; MNIST puts it at pixel (14, 14).
    total = digit.sum()
    cy = (digit.sum(axis=1) @ np.arange(height)) / total
    cx = (digit.sum(axis=0) @ np.arange(width)) / total
    top = int(np.clip(round(14 - cy), 0, 28 - height))
    left = int(np.clip(round(14 - cx), 0, 28 - width))
    canvas = np.zeros((28, 28))
    canvas[top : top + height, left : left + width] = digit
    return np.clip(canvas, 0, 1).astype(np.float32).reshape(784)


def _resize(image: np.ndarray, size: int, axis: int) -> np.ndarray:
    """Resample one axis to ``size`` pixels by area averaging (works up and down)."""
    n = image.shape[axis]
    step = n / size
    low = np.arange(size)[:, None] * step  # output pixel i covers [low_i, high_i)
    high = low + step
    j = np.arange(n)[None, :]  # input pixel j covers [j, j + 1)
    weights = np.clip(np.minimum(high, j + 1) - np.maximum(low, j), 0, None) / step
    return np.moveaxis(np.tensordot(weights, image, axes=(1, axis)), 0, axis)


# --------------------------------------------------------------------------------------
# Entry point
