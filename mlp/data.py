"""MNIST as NumPy arrays, shaped for the network (notebook 00).

MNIST (Yann LeCun, Corinna Cortes and Christopher J.C. Burges) holds 70,000 handwritten
digits: 60,000 for training and 10,000 for testing, each a 28 x 28 grid of grey levels
0..255 with its label 0..9. :func:`load_mnist` gives them as arrays; the network (notebook
01 on) wants one example per *column*: :func:`to_columns` turns ``(n, 28, 28)`` images into
a ``(784, n)`` float32 matrix, :func:`one_hot` turns labels into ``(10, n)`` target
columns, and :func:`load_data` gives Nielsen's training / validation / test split.

Fashion-MNIST (Han Xiao, Kashif Rasul and Roland Vollgraf, 2017; notebook 12) has the same
shapes and splits with photos of clothes instead of digits: :func:`load_fashion_mnist`,
with the ten class names in :data:`FASHION_CLASSES`.

Reading the files, checking them and downloading them is support that lives apart
(``mlp._files``, ``mlp._download``); its public names are available here too.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mlp._download import FASHION_MIRRORS, MIRRORS, download, load_split
from mlp._files import (
    FASHION_MNIST,
    FASHION_SHA256,
    FILES,
    MNIST,
    SHA256,
    DataError,
    default_directory,
    find_file,
    read_csv,
    read_idx,
    verify,
)

__all__ = [
    "DataError",
    "FASHION_CLASSES",
    "FASHION_MIRRORS",
    "FASHION_MNIST",
    "FASHION_SHA256",
    "FILES",
    "LOADERS",
    "MIRRORS",
    "MNIST",
    "SHA256",
    "default_directory",
    "download",
    "find_file",
    "load_data",
    "load_fashion_mnist",
    "load_mnist",
    "one_hot",
    "read_csv",
    "read_idx",
    "to_columns",
    "verify",
]

#: Fashion-MNIST's labels 0..9, in order: ``FASHION_CLASSES[label]`` names a label.
FASHION_CLASSES: tuple[str, ...] = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

_TRAIN_SIZE = 60_000


def load_mnist(
    split: str = "train",
    directory: str | os.PathLike[str] | None = None,
    download: bool = True,
    progress: bool = True,
    *,
    mirrors: Sequence[str] = MIRRORS,
) -> tuple[np.ndarray, np.ndarray]:
    """Load the MNIST training or test set, downloading it first if needed.

    Parameters
    ----------
    split : {"train", "test"}
        60,000 training or 10,000 test examples.
    directory : path, optional
        Folder with the files; :func:`default_directory` (``$MNIST_DIR`` or ``data/``)
        if omitted. Gzip files and unpacked ones (``train-images-idx3-ubyte``,
        ``train-images.idx3-ubyte``) are both used; all are checked by SHA-256.
    download : bool
        Fetch missing files from :data:`MIRRORS`; if False, a missing file is an error.
    progress : bool
        Show a progress bar while downloading.
    mirrors : sequence of str
        Base URLs to download from (keyword only).

    Returns
    -------
    images : numpy.ndarray
        ``uint8`` of shape ``(n, 28, 28)``, grey levels 0 (background) to 255 (ink).
    labels : numpy.ndarray
        ``uint8`` of shape ``(n,)``, digits 0..9.

    Raises
    ------
    ValueError
        If ``split`` is not "train" or "test".
    DataError
        If a file is missing (and ``download`` is False or fails), or corrupted.
    """
    folder = Path(directory) if directory is not None else default_directory()
    return load_split(MNIST, split, folder, download, progress, mirrors)


def load_fashion_mnist(
    split: str = "train",
    directory: str | os.PathLike[str] | None = None,
    download: bool = True,
    progress: bool = True,
    *,
    mirrors: Sequence[str] = FASHION_MIRRORS,
) -> tuple[np.ndarray, np.ndarray]:
    """Load the Fashion-MNIST training or test set, downloading it first if needed.

    The same four file names, shapes and types as MNIST; label ``k`` is the garment
    ``FASHION_CLASSES[k]``, 6,000 of each in the training set and 1,000 in the test set.

    Parameters
    ----------
    split : {"train", "test"}
        60,000 training or 10,000 test examples.
    directory : path, optional
        Folder with the files; ``$FASHION_MNIST_DIR`` or ``data/fashion-mnist/`` if
        omitted. The unpacked contents of every file are checked by SHA-256
        (:data:`FASHION_SHA256`), so any correct copy passes however it was compressed.
    download, progress, mirrors
        As for :func:`load_mnist`; the files come from :data:`FASHION_MIRRORS`.

    Returns
    -------
    images : numpy.ndarray
        ``uint8`` of shape ``(n, 28, 28)``, grey levels 0 (background) to 255.
    labels : numpy.ndarray
        ``uint8`` of shape ``(n,)``, classes 0..9.

    Raises
    ------
    ValueError
        If ``split`` is not "train" or "test".
    DataError
        If a file is missing (and ``download`` is False or fails), corrupted, or another
        data set's file (MNIST's files have the same names).
    """
    folder = Path(directory) if directory is not None else default_directory(FASHION_MNIST)
    return load_split(FASHION_MNIST, split, folder, download, progress, mirrors)


#: The data sets :func:`load_data` (and ``python -m mlp train --dataset``) can load.
LOADERS = {"mnist": load_mnist, "fashion-mnist": load_fashion_mnist}


def to_columns(images: np.ndarray) -> np.ndarray:
    """Turn images into the network's input: one example per column, scaled to [0, 1].

    Parameters
    ----------
    images : numpy.ndarray
        ``uint8`` of shape ``(n, 28, 28)``.

    Returns
    -------
    numpy.ndarray
        ``float32`` of shape ``(784, n)``, Fortran-ordered: each column (one image, read
        row by row) is contiguous in memory, and so is a block of columns ``x[:, k:k+m]``,
        which is what a mini-batch is. Matrix products on it need no copy.

    Raises
    ------
    ValueError
        If the shape is not ``(n, 28, 28)`` or the dtype is not ``uint8``.
    """
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"images must have shape (n, 28, 28), not {images.shape}")
    if images.dtype != np.uint8:
        raise ValueError(f"images must be uint8 grey levels 0..255, not {images.dtype}")
    rows = images.reshape(len(images), 28 * 28).astype(np.float32)
    rows /= np.float32(255)
    return rows.T  # the transpose of a C-ordered (n, 784) array is Fortran-ordered (784, n)


def one_hot(labels: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """Turn labels into target columns: ``y[j, k] = 1`` if example ``k`` is digit ``j``.

    Parameters
    ----------
    labels : numpy.ndarray
        Integers in ``0..n_classes-1``, shape ``(n,)``.
    n_classes : int
        Number of rows of the result.

    Returns
    -------
    numpy.ndarray
        ``float32`` of shape ``(n_classes, n)``, Fortran-ordered like :func:`to_columns`.

    Raises
    ------
    ValueError
        If ``labels`` is not 1-D integers or holds a value outside ``0..n_classes-1``.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must have shape (n,), not {labels.shape}")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integers, not {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"labels must lie in 0..{n_classes - 1}; found {labels.min()}..{labels.max()}"
        )
    targets = np.zeros((n_classes, len(labels)), dtype=np.float32, order="F")
    targets[labels, np.arange(len(labels))] = 1.0
    return targets


def load_data(
    directory: str | os.PathLike[str] | None = None,
    download: bool = True,
    validation_size: int = 10_000,
    progress: bool = True,
    *,
    mirrors: Sequence[str] | None = None,
    dataset: str = "mnist",
) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Nielsen's split of MNIST, ready for the network.

    The first ``60000 - validation_size`` training images are for training, the last
    ``validation_size`` for validation (choosing hyper-parameters); the 10,000 test images
    are kept for the final measurement.

    Parameters
    ----------
    directory, download, progress, mirrors
        As for :func:`load_mnist` (``mirrors``: the data set's own by default).
    validation_size : int
        Number of training images held out, 0..60000 (Nielsen: 10,000).
    dataset : {"mnist", "fashion-mnist"}
        Which data set (keyword only): :func:`load_mnist` or :func:`load_fashion_mnist`.

    Returns
    -------
    training, validation, test : tuple of (numpy.ndarray, numpy.ndarray)
        Each ``(x, labels)``: ``x`` ``float32`` of shape ``(784, m)`` from :func:`to_columns`,
        ``labels`` ``uint8`` of shape ``(m,)``; ``m`` is 50,000, 10,000 and 10,000 by default.
    """
    if not 0 <= validation_size <= _TRAIN_SIZE:
        raise ValueError(f"validation_size must lie in 0..60000, not {validation_size}")
    if dataset not in LOADERS:
        raise ValueError(f"dataset must be one of {sorted(LOADERS)}, not {dataset!r}")
    options = dict(directory=directory, download=download, progress=progress)
    if mirrors is not None:
        options["mirrors"] = mirrors
    train_images, train_labels = LOADERS[dataset]("train", **options)
    test_images, test_labels = LOADERS[dataset]("test", **options)
    x = to_columns(train_images)
    cut = len(train_labels) - validation_size
    training = (x[:, :cut], train_labels[:cut])
    validation = (x[:, cut:], train_labels[cut:])
    return training, validation, (to_columns(test_images), test_labels)
