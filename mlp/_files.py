"""MNIST's files: where they live, their checksums, and reading IDX and CSV files.

Support that notebook 00 uses through ``mlp.data`` and the appendix (A1) takes apart: the
original files use the small binary IDX format; Kaggle publishes the same images as CSV
text. Both are read with nothing but NumPy and the standard library, and anything
malformed is refused with a :class:`DataError` that names the file and says what is wrong.
Fashion-MNIST (notebook 12) comes in four IDX files with the same names as MNIST's;
:data:`MNIST` and :data:`FASHION_MNIST` say where each set lives and how to recognise it.
"""

from __future__ import annotations

import gzip
import hashlib
import math
import os
import re
import warnings
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import numpy as np


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

# Fashion-MNIST (Han Xiao, Kashif Rasul and Roland Vollgraf, 2017): the SHA-256 of the
# *unpacked* files only. Copies in the wild (Debian's package, for one) were compressed
# again, so their gzip bytes differ from the official downloads while the contents agree.
_FASHION_SUMS = """
c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888  train-images-idx3-ubyte
bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9  train-labels-idx1-ubyte
5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b  t10k-images-idx3-ubyte
0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34  t10k-labels-idx1-ubyte
"""
#: Fashion-MNIST's unpacked file name -> expected SHA-256 (hex) of the unpacked contents.
FASHION_SHA256: dict[str, str] = {
    name: digest for digest, name in map(str.split, _FASHION_SUMS.split("\n")[1:-1])
}

# Every sum we know, to say which file a wrong one is (the two sets share file names).
_KNOWN_SUMS = {
    **{digest: f"MNIST's {name}" for name, digest in SHA256.items()},
    **{digest: f"Fashion-MNIST's {name}" for name, digest in FASHION_SHA256.items()},
}


class DataSet(NamedTuple):
    """One set of four IDX files: what to call it, where it lives, how to recognise it."""

    name: str  # in messages: "MNIST"
    variable: str  # the environment variable naming its folder: "MNIST_DIR"
    subfolder: str  # its folder below data/ ("" for data/ itself)
    sha256: dict[str, str]  # file name (gzip or unpacked) -> SHA-256
    loader: str  # the function that loads it, named in messages


MNIST = DataSet("MNIST", "MNIST_DIR", "", SHA256, "load_mnist")
FASHION_MNIST = DataSet(
    "Fashion-MNIST", "FASHION_MNIST_DIR", "fashion-mnist", FASHION_SHA256, "load_fashion_mnist"
)


def default_directory(dataset: DataSet = MNIST) -> Path:
    """The folder that holds a data set's files when no ``directory`` is given.

    The environment variable (``MNIST_DIR``, ``FASHION_MNIST_DIR``) wins if it is set;
    otherwise ``data/`` (MNIST) or ``data/fashion-mnist/`` at the root of the course
    repository (next to ``pyproject.toml``), or below ``./data`` if the package was
    installed somewhere other than a source checkout.
    """
    if os.environ.get(dataset.variable):
        return Path(os.environ[dataset.variable]).expanduser()
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file():
        return root / "data" / dataset.subfolder
    return Path("data") / dataset.subfolder


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


def expected_sha256(name: str, sums: Mapping[str, str] = SHA256) -> tuple[str, bool] | None:
    """The SHA-256 a file called ``name`` must have, and whether it is that of its contents.

    ``sums`` lists the file as stored (``train-images-idx3-ubyte.gz``, or unpacked, also as
    Kaggle names it: ``train-images.idx3-ubyte``); failing that, a gzip file is known by
    the sum of its unpacked contents. Returns ``(sha256, unpacked)``, or None if the table
    knows no sum for the name.
    """
    standard = re.sub(r"\.(idx\d)", r"-\1", name)
    for candidate in (name, standard):
        if candidate in sums:
            return sums[candidate], False
    if standard.endswith(".gz") and standard.removesuffix(".gz") in sums:
        return sums[standard.removesuffix(".gz")], True
    return None


def _check_sum(path: Path, actual: str, expected: str, unpacked: bool) -> None:
    """Raise DataError naming ``path`` (and which file it is, if we know) if the sums differ."""
    if actual == expected:
        return
    of = "SHA-256 of the unpacked contents" if unpacked else "SHA-256"
    known = _KNOWN_SUMS.get(actual)
    what = (
        f"This is {known}, not the file this folder should hold."
        if known
        else "The file is corrupted or has been tampered with."
    )
    raise DataError(
        f"{path}: checksum mismatch ({of} {actual}, expected {expected}). {what} Delete it "
        "and run again with download=True to fetch a fresh copy (or copy a good one from a "
        "trusted source)."
    )


def unpacked_sha256(path: Path) -> str:
    """The SHA-256 of a gzip file's unpacked contents (DataError if it is not valid gzip)."""
    return hashlib.sha256(_read_bytes(path, gzip_only=True)).hexdigest()


def verify(path: Path, sums: Mapping[str, str] = SHA256) -> None:
    """Compare a file's SHA-256 with the known sum for its name; raise DataError if different.

    ``sums`` is the table of known sums (:data:`SHA256` for MNIST, :data:`FASHION_SHA256`);
    see :func:`expected_sha256` for how a name is looked up.
    """
    known = expected_sha256(path.name, sums)
    if known is None:
        return  # not a name we know a sum for
    expected, unpacked = known
    _check_sum(path, unpacked_sha256(path) if unpacked else _sha256(path), expected, unpacked)


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


def _read_bytes(
    path: Path, sums: Mapping[str, str] | None = None, *, gzip_only: bool = False
) -> bytes:
    """The file's bytes, unpacked if they are gzip (recognised by the magic bytes 1f 8b).

    With ``sums``, the file is checked first (see :func:`verify`): the bytes as stored,
    or the unpacked ones, whichever the table knows, so each file is unpacked only once.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from None
    known = expected_sha256(path.name, sums) if sums is not None else None
    if known is not None and not known[1]:
        _check_sum(path, hashlib.sha256(data).hexdigest(), known[0], unpacked=False)
    if data[:2] != b"\x1f\x8b":
        if gzip_only or (known is not None and known[1]):
            raise DataError(f"{path}: not a gzip file (it does not start with 1f 8b)")
        return data
    try:
        data = gzip.decompress(data)
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
        # EOFError is what a download cut short looks like: the stream just stops.
        raise DataError(
            f"{path}: the gzip data is truncated or corrupted ({exc}); "
            "delete the file and get a fresh copy"
        ) from None
    if known is not None and known[1]:
        _check_sum(path, hashlib.sha256(data).hexdigest(), known[0], unpacked=True)
    return data


def read_idx(path: str | os.PathLike[str], sums: Mapping[str, str] | None = None) -> np.ndarray:
    """Read an IDX file (raw or gzip-compressed) into an array.

    The IDX format is a 4-byte magic number (two zero bytes, a type code, the number of
    dimensions ``d``), then ``d`` big-endian 32-bit sizes, then the elements in C order.

    Parameters
    ----------
    path : path
        The file. Compression is detected from its first bytes, not from its name.
    sums : mapping, optional
        File name -> SHA-256, e.g. :data:`SHA256`: check the file against it first
        (:func:`verify`; the unpacked contents where the table knows only those).

    Returns
    -------
    numpy.ndarray
        The array with the shape the file declares, in native byte order; ``uint8`` for
        MNIST, e.g. ``(60000, 28, 28)`` images or ``(60000,)`` labels.

    Raises
    ------
    DataError
        If the file is empty, truncated, longer than declared, has a bad magic number or an
        unknown type code, or its gzip stream is broken; or if it fails the check.
    """
    path = Path(path)
    data = _read_bytes(path, sums)
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
    expected = math.prod(shape) * dtype.itemsize  # Python ints: no overflow past 2**63
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
# The longest sensible line: 785 columns of "pixel783" or "255", with spaces and quotes.
_MAX_LINE = 16 * (_PIXELS + 1)
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NOT_INTEGER_TEXT = re.compile(rb"[^0-9,+\-\s]")  # anything but digits, signs, commas, space


def _csv_header(path: Path, first_line: str) -> tuple[bool, bool]:
    """Decide from the first line whether there is a header and whether labels are present.

    Returns ``(has_header, labelled)``. A header starts with ``label`` or with the name of
    the first pixel (``pixel0`` or ``1x1``); a labelled file has 785 columns (label + 784
    pixels), an unlabelled one 784. Without a header, the column count decides.
    """
    names = [name.strip().strip("\"'").lower() for name in first_line.split(",")]
    if len(names) == 1:
        # A few spaces may be part of a value; 783 of them separate columns.
        for separator, word, least in (
            (";", "semicolons", 1),
            ("\t", "tabs", 1),
            (" ", "spaces", 783),
        ):
            if first_line.count(separator) >= least:
                raise DataError(
                    f"{path}: line 1 has no commas but {first_line.count(separator)} "
                    f"{word}: the separator looks wrong. Save the file as comma-separated "
                    "values (CSV) with ',' between the columns"
                )
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
            first_line = file.readline(_MAX_LINE + 1)  # bounded: a file may be one huge line
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None
    _check_line_length(path, 1, len(first_line.rstrip("\r\n")))
    first_line = first_line.rstrip("\r\n")
    if not first_line.strip():
        raise DataError(f"{path}: the file is empty")
    has_header, labelled = _csv_header(path, first_line)
    columns = _PIXELS + 1 if labelled else _PIXELS

    # Older NumPy versions let loadtxt read "1.5" as 1 and wrap 256 round to 0, so we do
    # not rely on it to refuse bad values: only digits, signs, commas and whitespace may
    # appear, the numbers are read as int64, and their range is checked here.
    skip = int(has_header)
    body = path.read_bytes().split(b"\n", skip)[-1] if skip else path.read_bytes()
    longest = max(enumerate(body.split(b"\n"), start=1 + skip), key=lambda item: len(item[1]))
    _check_line_length(path, longest[0], len(longest[1]))
    values = None
    if not _NOT_INTEGER_TEXT.search(body.removeprefix(b"\xef\xbb\xbf")):
        try:
            with warnings.catch_warnings():  # a header alone: "no data" is reported below
                warnings.simplefilter("ignore", UserWarning)
                values = np.loadtxt(
                    path,
                    delimiter=",",
                    dtype=np.int64,
                    skiprows=skip,
                    ndmin=2,
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


def _check_line_length(path: Path, number: int, length: int) -> None:
    """Refuse a line far longer than an MNIST row before splitting it into columns."""
    if length > _MAX_LINE:
        raise DataError(
            f"{path}: line {number} is longer than {_MAX_LINE:,} characters, far more than "
            f"the {_PIXELS + 1} columns of an MNIST row; is this really an MNIST CSV file?"
        )
