"""Downloading MNIST: mirrors, checksums and atomic writes (support; appendix A1).

A file is fetched into a hidden temporary file next to its destination, checked against
its SHA-256, and only then renamed into place, so an interrupted or corrupted download
never leaves a file that looks valid. :func:`load_split` finds a split's two files on disk
or downloads them, then reads and checks them: ``mlp.data.load_mnist`` and
``load_fashion_mnist`` are that function for their data set.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mlp._files import (
    FILES,
    MNIST,
    DataError,
    DataSet,
    expected_sha256,
    find_file,
    read_idx,
    unpacked_sha256,
)
from mlp.progress import ProgressBar

#: Base URLs that serve the original gzip files, tried in turn. The first two are the
#: mirrors PyTorch and TensorFlow use; the original site has been unreliable for years.
MIRRORS: list[str] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]

#: Where Fashion-MNIST is downloaded from: Zalando Research's own site, then the files in
#: its GitHub repository (zalandoresearch/fashion-mnist, data/fashion/).
FASHION_MIRRORS: list[str] = [
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
]

_SPLIT_SIZES = {"train": 60_000, "test": 10_000}


class _MirrorFailed(Exception):
    """One mirror could not deliver a good file; the message says why."""


def _fetch(
    url: str, temporary: Path, expected: tuple[str, bool], timeout: float, progress: bool
) -> None:
    """Download ``url`` into ``temporary`` and check its SHA-256; raise _MirrorFailed if not.

    ``expected`` is ``(sha256, unpacked)``: the sum of the bytes as received or, if
    ``unpacked``, of the gzip file's unpacked contents.
    """
    digest = hashlib.sha256()
    received = length = 0
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "nn-from-scratch (urllib)"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = int(response.headers.get("Content-Length") or 0)
            label = url.rsplit("/", 1)[-1]
            with (
                open(temporary, "wb") as file,
                ProgressBar(length, label=label, enabled=progress) as bar,
            ):
                while block := response.read(1 << 16):
                    file.write(block)
                    digest.update(block)
                    received += len(block)
                    bar.update(len(block))
                file.flush()
                os.fsync(file.fileno())  # on disk before os.replace makes it visible
    except urllib.error.HTTPError as exc:
        raise _MirrorFailed(f"HTTP error {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise _MirrorFailed(f"cannot connect ({exc.reason})") from None
    except TimeoutError:
        raise _MirrorFailed(f"no answer within {timeout} s") from None
    except http.client.IncompleteRead as exc:
        got = received + len(exc.partial)
        raise _MirrorFailed(f"connection closed after {got} of {length} bytes") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        # ValueError: a mirror that is not a URL at all
        raise _MirrorFailed(f"{type(exc).__name__}: {exc}") from None
    if length and received != length:
        raise _MirrorFailed(f"connection closed after {received} of {length} bytes")
    sha256, unpacked = expected
    try:
        actual = unpacked_sha256(temporary) if unpacked else digest.hexdigest()
    except DataError as exc:
        raise _MirrorFailed(f"after {received} bytes: {str(exc).split(': ', 1)[1]}") from None
    if actual != sha256:
        of = "SHA-256 of the unpacked contents" if unpacked else "SHA-256"
        raise _MirrorFailed(
            f"checksum mismatch after {received} bytes ({of} {actual}, expected {sha256})"
        )


def download(
    filename: str,
    directory: str | os.PathLike[str],
    mirrors: Sequence[str] = MIRRORS,
    timeout: float = 30,
    progress: bool = True,
    sha256: str | None = None,
    *,
    dataset: DataSet = MNIST,
) -> Path:
    """Download one file from the first mirror that delivers it intact.

    The bytes go to a hidden temporary file in ``directory``, which replaces
    ``directory / filename`` only after its SHA-256 matches. On any failure the temporary
    file is removed, so an interrupted download never leaves a file that looks valid.

    Parameters
    ----------
    filename : str
        Name of the file on the mirrors, e.g. ``"t10k-images-idx3-ubyte.gz"``.
    directory : path
        Where to put it (created if missing).
    mirrors : sequence of str
        Base URLs, tried in turn; the file's URL is ``mirror + filename``.
    timeout : float
        Seconds to wait for a connection or for the next bytes.
    progress : bool
        Show a progress bar (bytes) on standard error.
    sha256 : str, optional
        Expected SHA-256 in hex of the file as received; by default the sum for
        ``filename`` in the data set's table (for Fashion-MNIST, that of the unpacked
        contents: see ``mlp._files.expected_sha256``).
    dataset : DataSet
        ``mlp._files.MNIST`` or ``FASHION_MNIST``: whose table of sums, and which
        environment variable to suggest if every mirror fails (keyword only).

    Returns
    -------
    pathlib.Path
        ``directory / filename``, verified.

    Raises
    ------
    DataError
        If no mirror delivered a file with the right checksum; the message lists why each
        one failed and how to get the files by hand.
    """
    expected = (sha256, False) if sha256 else expected_sha256(filename, dataset.sha256)
    if expected is None:
        raise ValueError(f"no SHA-256 known for {filename!r}; pass sha256=")
    folder = Path(directory)
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + filename
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{filename}.", suffix=".part", dir=folder)
        except OSError as exc:
            raise DataError(f"{folder}: cannot write a file here ({exc.strerror or exc})") from None
        os.close(handle)
        temporary = Path(name)
        try:
            _fetch(url, temporary, expected, timeout, progress)
            os.replace(temporary, folder / filename)
            return folder / filename
        except _MirrorFailed as exc:
            failures.append(f"  {url}: {exc}")
            print(f"Could not download {filename} from {mirror}: {exc}", file=sys.stderr)
        finally:
            # Also on Ctrl-C: whatever went wrong, no partial file stays behind.
            temporary.unlink(missing_ok=True)
    tried = "\n".join(failures) or "  (no mirrors given)"
    raise DataError(
        f"{folder / filename}: could not download {filename} from any mirror:\n{tried}\n"
        f"Get the file by hand (e.g. from a colleague or another mirror) and copy it into "
        f"{folder}, or set the environment variable {dataset.variable} to the folder that "
        "holds it."
    )


_download_file = download  # load_split's parameter ``download`` hides the function's name


def load_split(
    dataset: DataSet,
    split: str,
    folder: Path,
    download: bool,
    progress: bool,
    mirrors: Sequence[str],
) -> tuple[np.ndarray, np.ndarray]:
    """The images and labels of one split of ``dataset``, found in ``folder`` or downloaded.

    What ``mlp.data.load_mnist`` and ``load_fashion_mnist`` do (see them for the
    parameters): each file is checked against the data set's SHA-256 sums while it is read,
    and the arrays' shapes are checked too.
    """
    if split not in FILES:
        raise ValueError(f"split must be one of {sorted(FILES)}, not {split!r}")
    arrays = []
    for filename in FILES[split]:
        path = find_file(filename, folder)
        if path is None:
            if not download:
                raise DataError(
                    f"{folder / filename}: file not found. Copy the four {dataset.name} files "
                    f"({', '.join(n for pair in FILES.values() for n in pair)}) into {folder}, "
                    f"set the environment variable {dataset.variable} to the folder that holds "
                    f"them, or call {dataset.loader} with download=True."
                )
            path = _download_file(
                filename, folder, mirrors=mirrors, progress=progress, dataset=dataset
            )
        arrays.append((path, read_idx(path, dataset.sha256)))
    (image_path, images), (label_path, labels) = arrays
    n = _SPLIT_SIZES[split]
    if images.shape != (n, 28, 28) or images.dtype != np.uint8:
        raise DataError(
            f"{image_path}: expected uint8 images of shape {(n, 28, 28)}, "
            f"found {images.dtype} {images.shape}"
        )
    if labels.shape != (n,) or labels.dtype != np.uint8 or labels.max() > 9:
        raise DataError(f"{label_path}: expected {n} uint8 labels in 0..9")
    return images, labels
