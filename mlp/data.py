"""MNIST as NumPy arrays: read IDX and CSV files, verify, download, and shape for the network.

MNIST (Yann LeCun, Corinna Cortes and Christopher J.C. Burges) holds 70,000 handwritten
digits: 60,000 for training and 10,000 for testing, each a 28 x 28 grid of grey levels
0..255 with its label 0..9. The original files use the small binary IDX format; Kaggle
publishes the same images as CSV text. This module reads both, with nothing but NumPy and
the standard library, and refuses anything malformed with a :class:`DataError` that names
the file and says what is wrong.

The network (notebook 01 on) wants one example per *column*: :func:`to_columns` turns
``(n, 28, 28)`` images into a ``(784, n)`` float32 matrix, :func:`one_hot` turns labels into
``(10, n)`` target columns, and :func:`load_data` gives Nielsen's training / validation /
test split.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import re
import sys
import tempfile
import urllib.error
import urllib.request
import warnings
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mlp.progress import ProgressBar

__all__ = [
    "DataError",
    "FILES",
    "MIRRORS",
    "SHA256",
    "default_directory",
    "download",
    "find_file",
    "load_data",
    "load_mnist",
    "one_hot",
    "read_csv",
    "read_idx",
    "to_columns",
]


class DataError(ValueError):
    """A data file is missing, malformed or corrupted; the message names the file."""


# --------------------------------------------------------------------------------------
# Where MNIST lives, and how to recognise the genuine files
# --------------------------------------------------------------------------------------

#: The two files (images, labels) of each split, as the original site names them.
FILES: dict[str, tuple[str, str]] = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}

# SHA-256 of the original gzip files and of their uncompressed contents (so that files
# someone already unpacked, e.g. from the Kaggle download, can be checked too), in the
# format of ``sha256sum``: compare with ``sha256sum data/*`` on the command line.
_SUMS = """
440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609  train-images-idx3-ubyte.gz
3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c  train-labels-idx1-ubyte.gz
8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6  t10k-images-idx3-ubyte.gz
f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6  t10k-labels-idx1-ubyte.gz
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
"""
#: File name -> expected SHA-256 (hex).
SHA256: dict[str, str] = {name: digest for digest, name in map(str.split, _SUMS.split("\n")[1:-1])}

#: Base URLs that serve the original gzip files, tried in turn. The first two are the
#: mirrors PyTorch and TensorFlow use; the original site has been unreliable for years.
MIRRORS: list[str] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]

_SPLIT_SIZES = {"train": 60_000, "test": 10_000}


def default_directory() -> Path:
    """The folder that holds the MNIST files when no ``directory`` is given.

    The environment variable ``MNIST_DIR`` wins if it is set; otherwise ``data/`` at the
    root of the course repository (next to ``pyproject.toml``), or ``./data`` if the
    package was installed somewhere other than a source checkout.
    """
    if os.environ.get("MNIST_DIR"):
        return Path(os.environ["MNIST_DIR"]).expanduser()
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file():
        return root / "data"
    return Path("data")


def _candidate_names(filename: str) -> list[str]:
    """The names under which a file may already be on disk, the preferred one first.

    ``train-images-idx3-ubyte.gz`` may also appear unpacked as ``train-images-idx3-ubyte``
    or, as in the Kaggle download, ``train-images.idx3-ubyte``.
    """
    raw = filename.removesuffix(".gz")
    return [filename, raw, re.sub(r"-(idx\d)", r".\1", raw)]


def find_file(filename: str, directory: str | os.PathLike[str] | None = None) -> Path | None:
    """Return the path of ``filename`` (or of its unpacked variant) in ``directory``, or None.

    Parameters
    ----------
    filename : str
        An original gzip name such as ``"t10k-labels-idx1-ubyte.gz"``.
    directory : path, optional
        Where to look; :func:`default_directory` if omitted.
    """
    folder = Path(directory) if directory is not None else default_directory()
    for name in _candidate_names(filename):
        if (folder / name).is_file():
            return folder / name
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verify(path: Path) -> None:
    """Compare a file's SHA-256 with the known sum for its name; raise DataError if different."""
    expected = SHA256.get(path.name) or SHA256.get(re.sub(r"\.(idx\d)", r"-\1", path.name))
    if expected is None:
        return  # not a name we know a sum for
    actual = _sha256(path)
    if actual != expected:
        raise DataError(
            f"{path}: checksum mismatch (SHA-256 {actual}, expected {expected}). "
            "The file is corrupted or has been tampered with. Delete it and run again with "
            "download=True to fetch a fresh copy (or copy a good one from a trusted source)."
        )


# --------------------------------------------------------------------------------------
# IDX files
# --------------------------------------------------------------------------------------

# The third byte of an IDX file says the element type; the data are big-endian.
_IDX_TYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, unpacked if they are gzip (recognised by the magic bytes 1f 8b)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
        # EOFError is what a download cut short looks like: the stream just stops.
        raise DataError(
            f"{path}: the gzip data is truncated or corrupted ({exc}); "
            "delete the file and get a fresh copy"
        ) from None


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an IDX file (raw or gzip-compressed) into an array.

    The IDX format is a 4-byte magic number (two zero bytes, a type code, the number of
    dimensions ``d``), then ``d`` big-endian 32-bit sizes, then the elements in C order.

    Parameters
    ----------
    path : path
        The file. Compression is detected from its first bytes, not from its name.

    Returns
    -------
    numpy.ndarray
        The array with the shape the file declares, in native byte order; ``uint8`` for
        MNIST, e.g. ``(60000, 28, 28)`` images or ``(60000,)`` labels.

    Raises
    ------
    DataError
        If the file is empty, truncated, longer than declared, has a bad magic number or an
        unknown type code, or its gzip stream is broken.
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) == 0:
        raise DataError(f"{path}: the file is empty")
    if len(data) < 4:
        raise DataError(f"{path}: truncated header ({len(data)} bytes, an IDX header needs 4)")
    zero1, zero2, type_code, ndim = data[:4]
    if zero1 != 0 or zero2 != 0:
        raise DataError(
            f"{path}: bad magic number 0x{data[:4].hex()} (an IDX file starts with two zero "
            "bytes); is this really an IDX file?"
        )
    if type_code not in _IDX_TYPES:
        known = ", ".join(f"0x{code:02X}" for code in _IDX_TYPES)
        raise DataError(f"{path}: unsupported type code 0x{type_code:02X} (known: {known})")
    if ndim == 0:
        raise DataError(f"{path}: wrong dimensions: the header declares 0 dimensions")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError(
            f"{path}: truncated header ({len(data)} bytes, {header} needed for {ndim} dimensions)"
        )
    shape = tuple(int(s) for s in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    dtype = _IDX_TYPES[type_code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(data) - header
    if found < expected:
        raise DataError(
            f"{path}: truncated data: shape {shape} needs {expected} bytes after the header, "
            f"only {found} present"
        )
    if found > expected:
        raise DataError(
            f"{path}: {found - expected} trailing bytes after the {expected} bytes of data "
            f"that shape {shape} needs"
        )
    array = np.frombuffer(data, dtype=dtype, count=expected // dtype.itemsize, offset=header)
    # astype copies into native byte order, and gives a writable array (frombuffer's is not).
    return array.astype(dtype.newbyteorder("="), copy=True).reshape(shape)


# --------------------------------------------------------------------------------------
# Kaggle CSV files
# --------------------------------------------------------------------------------------

_PIXELS = 28 * 28
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NOT_INTEGER_TEXT = re.compile(rb"[^0-9,+\-\s]")  # anything but digits, signs, commas, space


def _csv_header(path: Path, first_line: str) -> tuple[bool, bool]:
    """Decide from the first line whether there is a header and whether labels are present.

    Returns ``(has_header, labelled)``. A header starts with ``label`` or with the name of
    the first pixel (``pixel0`` or ``1x1``); a labelled file has 785 columns (label + 784
    pixels), an unlabelled one 784. Without a header, the column count decides.
    """
    names = [name.strip().strip("\"'").lower() for name in first_line.split(",")]
    has_header = re.fullmatch(r"label|pixel\d+|\d+x\d+", names[0]) is not None
    labelled = names[0] == "label" if has_header else len(names) == _PIXELS + 1
    expected = _PIXELS + 1 if labelled else _PIXELS
    if has_header and len(names) != expected:
        raise DataError(
            f"{path}: line 1 (header) has {len(names)} columns, expected {expected} "
            f"({'label + 784 pixels' if labelled else '784 pixels'})"
        )
    if not has_header and len(names) not in (_PIXELS, _PIXELS + 1):
        raise DataError(
            f"{path}: line 1 has {len(names)} columns, expected 785 (label + 784 pixels) "
            "or 784 (pixels only)"
        )
    return has_header, labelled


def _line_problem(number: int, line: str, columns: int, labelled: bool) -> str | None:
    """Say in words what is wrong with one line of a CSV file, or None if nothing is."""
    tokens = [token.strip() for token in line.split(",")]
    if len(tokens) != columns:
        return f"line {number} has {len(tokens)} columns, expected {columns}"
    for column, token in enumerate(tokens, start=1):
        if not _INTEGER.fullmatch(token):
            return f"line {number}, column {column}: {token!r} is not an integer"
        value = int(token)
        if labelled and column == 1:
            if not 0 <= value <= 9:
                return f"line {number}: label {value} is outside 0..9"
        elif not 0 <= value <= 255:
            return f"line {number}, column {column}: pixel value {value} is outside 0..255"
    return None


def _first_problem(path: Path, skip: int, columns: int, labelled: bool) -> str:
    """Find the first bad line of a CSV file (slow, so used only once we know there is one)."""
    with open(path, encoding="utf-8-sig", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if number > skip and line.strip():
                problem = _line_problem(number, line.rstrip("\r\n"), columns, labelled)
                if problem:
                    return problem
    return "the file could not be read as comma-separated whole numbers"


def read_csv(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """Read MNIST from a Kaggle-style CSV file.

    Accepted layouts, each with or without its header row:

    * ``label,1x1,1x2,...,28x28`` and ``label,pixel0,...,pixel783`` (785 columns);
    * ``pixel0,...,pixel783`` (784 columns, no labels, as in Kaggle's ``test.csv``).

    Without a header, 785 columns mean labelled and 784 unlabelled. Pixels run along rows
    of the image, as in the IDX files.

    Parameters
    ----------
    path : path
        The CSV file (plain text; ``\\n`` or ``\\r\\n`` line ends).

    Returns
    -------
    images : numpy.ndarray
        ``uint8`` of shape ``(n, 28, 28)``.
    labels : numpy.ndarray or None
        ``uint8`` of shape ``(n,)``, or ``None`` if the file has no label column.

    Raises
    ------
    DataError
        Naming the file and the line: wrong column count, a token that is not a whole
        number, a pixel outside 0..255 or a label outside 0..9, an empty file.

    Notes
    -----
    ``np.loadtxt`` reads the 60,000 training rows (110 MB) in one to two seconds. Values
    are checked here, not left to loadtxt; when one is wrong, the file is scanned again line
    by line to say exactly which line is wrong and why.
    """
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig") as file:  # -sig: skip a byte-order mark
            first_line = file.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    if not first_line.strip():
        raise DataError(f"{path}: the file is empty")
    has_header, labelled = _csv_header(path, first_line)
    columns = _PIXELS + 1 if labelled else _PIXELS

    # Older NumPy versions let loadtxt read "1.5" as 1 and wrap 256 round to 0, so we do
    # not rely on it to refuse bad values: only digits, signs, commas and whitespace may
    # appear, the numbers are read as int64, and their range is checked here.
    skip = int(has_header)
    body = path.read_bytes().split(b"\n", skip)[-1] if skip else path.read_bytes()
    values = None
    if not _NOT_INTEGER_TEXT.search(body.removeprefix(b"\xef\xbb\xbf")):
        try:
            with warnings.catch_warnings():  # a header alone: "no data" is reported below
                warnings.simplefilter("ignore", UserWarning)
                values = np.loadtxt(
                    path, delimiter=",", dtype=np.int64, skiprows=skip, ndmin=2,
                    encoding="utf-8-sig",
                )
        except ValueError:
            pass
    if values is not None and values.shape[0] == 0:
        raise DataError(f"{path}: no data rows")
    # Something is wrong (a token that is not a number, a column too many or too few, a
    # value out of range): find the first bad line and say what is wrong with it.
    if (
        values is None
        or values.shape[1] != columns
        or values.min() < 0
        or values.max() > 255
        or (labelled and values[:, 0].max() > 9)
    ):
        raise DataError(f"{path}: {_first_problem(path, skip, columns, labelled)}")
    values = values.astype(np.uint8)
    images = values[:, 1:] if labelled else values
    labels = values[:, 0].copy() if labelled else None
    return np.ascontiguousarray(images).reshape(-1, 28, 28), labels


# --------------------------------------------------------------------------------------
# Downloading
# --------------------------------------------------------------------------------------


class _MirrorFailed(Exception):
    """One mirror could not deliver a good file; the message says why."""


def _fetch(url: str, temporary: Path, expected: str, timeout: float, progress: bool) -> None:
    """Download ``url`` into ``temporary`` and check its SHA-256; raise _MirrorFailed if not."""
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
    if digest.hexdigest() != expected:
        raise _MirrorFailed(
            f"checksum mismatch after {received} bytes (SHA-256 {digest.hexdigest()}, "
            f"expected {expected})"
        )


def download(
    filename: str,
    directory: str | os.PathLike[str],
    mirrors: Sequence[str] = MIRRORS,
    timeout: float = 30,
    progress: bool = True,
    sha256: str | None = None,
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
        Expected SHA-256 in hex; by default the sum in :data:`SHA256` for ``filename``.

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
    expected = sha256 or SHA256.get(filename)
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
        f"{folder}, or set the environment variable MNIST_DIR to the folder that holds it."
    )


_download = download  # load_mnist's parameter ``download`` hides the function's name


# --------------------------------------------------------------------------------------
# MNIST as arrays
# --------------------------------------------------------------------------------------


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
    if split not in FILES:
        raise ValueError(f"split must be one of {sorted(FILES)}, not {split!r}")
    folder = Path(directory) if directory is not None else default_directory()
    arrays = []
    for filename in FILES[split]:
        path = find_file(filename, folder)
        if path is None:
            if not download:
                raise DataError(
                    f"{folder / filename}: file not found. Copy the four MNIST files "
                    f"({', '.join(n for pair in FILES.values() for n in pair)}) into {folder}, "
                    "set the environment variable MNIST_DIR to the folder that holds them, "
                    "or call load_mnist with download=True."
                )
            path = _download(filename, folder, mirrors=mirrors, progress=progress)
        _verify(path)
        arrays.append((path, read_idx(path)))
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
    rows = images.reshape(len(images), _PIXELS).astype(np.float32)
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
    mirrors: Sequence[str] = MIRRORS,
) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Nielsen's split of MNIST, ready for the network.

    The first ``60000 - validation_size`` training images are for training, the last
    ``validation_size`` for validation (choosing hyper-parameters); the 10,000 test images
    are kept for the final measurement.

    Parameters
    ----------
    directory, download, progress, mirrors
        As for :func:`load_mnist`.
    validation_size : int
        Number of training images held out, 0..60000 (Nielsen: 10,000).

    Returns
    -------
    training, validation, test : tuple of (numpy.ndarray, numpy.ndarray)
        Each ``(x, labels)``: ``x`` ``float32`` of shape ``(784, m)`` from :func:`to_columns`,
        ``labels`` ``uint8`` of shape ``(m,)``; ``m`` is 50,000, 10,000 and 10,000 by default.
    """
    if not 0 <= validation_size <= _SPLIT_SIZES["train"]:
        raise ValueError(f"validation_size must lie in 0..60000, not {validation_size}")
    options = dict(directory=directory, download=download, progress=progress, mirrors=mirrors)
    train_images, train_labels = load_mnist("train", **options)
    test_images, test_labels = load_mnist("test", **options)
    x = to_columns(train_images)
    cut = len(train_labels) - validation_size
    training = (x[:, :cut], train_labels[:cut])
    validation = (x[:, cut:], train_labels[cut:])
    return training, validation, (to_columns(test_images), test_labels)
