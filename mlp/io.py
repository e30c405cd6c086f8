"""Saving and loading a trained network (notebook 12).

A network is stored as a NumPy ``.npz`` file (a zip archive of ``.npy`` arrays) holding
only plain arrays, never pickled Python objects, so loading a file from somewhere else
cannot run code:

==================  ============================================================
``format_version``  integer, currently 1
``sizes``           integers, e.g. ``[784, 30, 10]``
``activation``      string: the hidden-layer activation
``cost``            string: the cost (it also fixes the output activation)
``init``            string: how the weights were initialised (for the record)
``weights_<l>``     float32 or float64, shape ``(sizes[l+1], sizes[l])``
``biases_<l>``      the same dtype, shape ``(sizes[l+1], 1)``
==================  ============================================================

:func:`load` checks all of it and raises :class:`ModelFileError`, naming the file and the
problem, for anything else: not a zip file, a truncated download, missing or extra
arrays, wrong shapes or types, NaN or infinite weights, unknown names.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np

from mlp.activations import ACTIVATIONS
from mlp.costs import COSTS
from mlp.init import INITS
from mlp.network import Network

__all__ = ["FORMAT_VERSION", "ModelFileError", "check_writable", "load", "save"]

FORMAT_VERSION = 1


class ModelFileError(ValueError):
    """A model file cannot be loaded; the message names the file and the problem."""


def save(net: Network, path: str | os.PathLike[str]) -> Path:
    """Write ``net`` to ``path`` as an ``.npz`` file (the name is used exactly as given).

    The file is written under a temporary name and then renamed, so an interrupted save
    never leaves a half-written file behind. A file that you could not overwrite (it is
    read-only) is not replaced; see :func:`check_writable`.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = check_writable(path)
    arrays: dict[str, np.ndarray] = {
        "format_version": np.array(FORMAT_VERSION),
        "sizes": np.array(net.sizes, dtype=np.int64),
        "activation": np.array(net.activation),
        "cost": np.array(net.cost_name),
        "init": np.array(net.init),
    }
    for l, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        arrays[f"weights_{l}"] = w
        arrays[f"biases_{l}"] = b
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load(path: str | os.PathLike[str]) -> Network:
    """Read a network written by :func:`save`, checking everything in the file.

    Raises
    ------
    ModelFileError
        If the file is missing, unreadable, not an ``.npz`` archive, truncated or
        corrupted, or holds anything but a valid network.
    """
    path = Path(path)
    arrays = _read_arrays(path)

    def fail(problem: str) -> ModelFileError:
        return ModelFileError(f"{path}: {problem}")

    names, sizes = _check_header(arrays, fail)
    dtype = _check_layers(arrays, sizes, fail)
    net = Network(
        sizes,
        activation=names["activation"],
        cost=COSTS[names["cost"]],
        init=INITS[names["init"]],
        dtype=dtype,
        seed=0,
    )
    net.weights = [np.ascontiguousarray(arrays[f"weights_{l}"]) for l in range(len(net.weights))]
    net.biases = [np.ascontiguousarray(arrays[f"biases_{l}"]) for l in range(len(net.biases))]
    return net


def _check_header(arrays: dict, fail) -> tuple[dict[str, str], list[int]]:
    """The names and sizes a model file records, or ``fail(problem)`` raised."""
    for key in ("format_version", "sizes", "activation", "cost", "init"):
        if key not in arrays:
            raise fail(f"missing array {key!r}; is this a network saved by mlp.save?")
    version = arrays["format_version"]
    if version.shape != () or not np.issubdtype(version.dtype, np.integer):
        raise fail(f"format_version should be one integer, got {version!r}")
    if int(version) != FORMAT_VERSION:
        raise fail(
            f"format version {int(version)} is not supported (this mlp reads version "
            f"{FORMAT_VERSION}); was it written by a newer version of the course?"
        )
    sizes = arrays["sizes"]
    if sizes.ndim != 1 or not np.issubdtype(sizes.dtype, np.integer) or len(sizes) < 2:
        raise fail(f"sizes should be a list of at least two integers, got {sizes!r}")
    if (sizes < 1).any():
        raise fail(f"every layer needs at least one neuron, got sizes {sizes.tolist()}")
    names = {}
    for key, known in (("activation", ACTIVATIONS), ("cost", COSTS), ("init", INITS)):
        value = arrays[key]
        if value.shape != () or value.dtype.kind != "U":
            raise fail(f"{key} should be a string, got {value!r}")
        if str(value) not in known:
            raise fail(f"unknown {key} {str(value)!r}; expected one of {', '.join(known)}")
        names[key] = str(value)
    return names, [int(s) for s in sizes]


def _check_layers(arrays: dict, sizes_list: list[int], fail) -> np.dtype:
    """Check each layer's arrays (and that there are no others); return their dtype."""
    expected_keys = {"format_version", "sizes", "activation", "cost", "init"}
    dtype = None
    for l, (n_in, n_out) in enumerate(zip(sizes_list[:-1], sizes_list[1:], strict=True)):
        for key, shape in ((f"weights_{l}", (n_out, n_in)), (f"biases_{l}", (n_out, 1))):
            expected_keys.add(key)
            if key not in arrays:
                raise fail(f"missing array {key!r} for sizes {sizes_list}")
            array = arrays[key]
            if array.shape != shape:
                raise fail(
                    f"{key} has shape {array.shape}, expected {shape} for sizes {sizes_list}"
                )
            if array.dtype not in (np.float32, np.float64):
                raise fail(f"{key} has dtype {array.dtype}, expected float32 or float64")
            if dtype is not None and array.dtype != dtype:
                raise fail(f"{key} has dtype {array.dtype}, but earlier arrays are {dtype}")
            dtype = array.dtype
            if not np.isfinite(array).all():
                raise fail(f"{key} holds NaN or infinite values (did the training diverge?)")
    extra = set(arrays) - expected_keys
    if extra:
        raise fail(f"unexpected arrays {sorted(extra)} for sizes {sizes_list}")
    return dtype


def check_writable(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path if a file can be written there, else an OSError saying why.

    Called by :func:`save`, and by ``mlp train --save`` before training, so that a run is
    never lost for want of a place to save it. The folders need not exist yet (``save``
    creates them), but the nearest existing one must be a folder we may write in, and an
    existing file must be one we may overwrite (as ``cp`` would).
    """
    path = Path(path)
    if path.is_dir():
        raise OSError(f"{path}: is a folder; give a file name, e.g. {path / 'net.npz'}")
    if path.exists() and not os.access(path, os.W_OK):
        raise OSError(f"{path}: the file is read-only; it is left as it is")
    folder = next(p for p in (path.parent, *path.parent.parents) if p.exists())
    if not folder.is_dir():
        raise OSError(f"{path}: cannot write here: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OSError(f"{path}: cannot write here: no permission to write in {folder}")
    return path


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array in the ``.npz`` file, or a ModelFileError saying why it cannot be read."""
    if not path.exists():
        raise ModelFileError(f"{path}: no such file")
    if path.is_dir():
        raise ModelFileError(f"{path}: is a directory, not a model file")
    try:
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ModelFileError(f"{path}: not an .npz archive (a single .npy array?)")
        with archive:
            return {key: archive[key] for key in archive.files}
    except ModelFileError:
        raise
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise ModelFileError(
            f"{path}: the archive is truncated or corrupted ({exc}); save the network again"
        ) from None
    except ValueError as exc:
        if "pickle" in str(exc):
            raise ModelFileError(
                f"{path}: not a model saved by mlp.save (not an .npz archive, or it holds "
                "Python objects, which are never loaded because that could run code)"
            ) from None
        raise ModelFileError(f"{path}: cannot read the archive ({exc})") from None
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read ({exc.strerror or exc})") from None
