"""Helpers for appendix A1 · The files themselves: a local mirror, the SHA-256 picture and
its widget, and the exercise checks.

The checks compare a learner's answer with what :mod:`mlp.data` (and its support modules
``mlp._files`` and ``mlp._download``) compute, and say what is off when the answer is wrong.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import shutil
import struct
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from course.feedback import Hint, as_int, call_learner, exercise
from course.feedback import show_answer as show_answer  # for the notebook: nbA1.show_answer
from course.nb00 import excerpt as excerpt  # for the notebook: nbA1.excerpt
from mlp import data

#: The 16 header bytes of a made-up IDX file: magic number, then three big-endian dimensions.
EXERCISE_HEADER = bytes.fromhex("00000803000001f40000001400000018")
#: The first 16 bytes of more files, for the check of ``idx_dims``: the training labels (one
#: dimension, then the first eight labels) and a made-up file with two dimensions.
_MORE_HEADERS = {
    bytes.fromhex("000008010000ea600500040109020103"): (60_000,),
    bytes.fromhex("00000802000000070000012c00ff00ff"): (7, 300),
}


# ---------------------------------------------------------------------------------------
# A mirror on this computer, for showing downloads without the internet
# ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def local_server(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on this computer while the block runs; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
            pass  # no request log in the notebook

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------------------
# One bit changed, half the fingerprint changed
# ---------------------------------------------------------------------------------------


def _bits(digest: bytes) -> np.ndarray:
    return np.unpackbits(np.frombuffer(digest, dtype=np.uint8)).reshape(8, 32)


def avalanche_figure(content: bytes, index: int) -> plt.Figure:
    """The SHA-256 of ``content`` and of a copy with the lowest bit of byte ``index`` flipped,
    as 8 x 32 grids of bits, and the bits that differ."""
    changed = bytearray(content)
    changed[index] ^= 1
    before = _bits(hashlib.sha256(content).digest())
    after = _bits(hashlib.sha256(bytes(changed)).digest())
    differ = before != after
    fig, axes = plt.subplots(3, 1, figsize=(7, 4.4))
    panels = [(before, "gray_r", "SHA-256 of the file (black: bit 1)"),
              (after, "gray_r", f"after flipping one bit of byte {index:,}"),
              (differ, "cividis", f"{int(differ.sum())} of the 256 bits differ (yellow)")]
    for ax, (bits, cmap, title) in zip(axes, panels, strict=True):
        ax.imshow(bits, cmap=cmap, vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def avalanche_widget(content: bytes):
    """A slider over the byte to change; draws :func:`avalanche_figure`."""
    import ipywidgets as widgets

    slider = widgets.IntSlider(value=0, min=0, max=len(content) - 1, description="byte",
                               continuous_update=False, layout=widgets.Layout(width="500px"))

    def draw(index: int) -> None:
        avalanche_figure(content, index)
        plt.show()

    return widgets.interactive(draw, index=slider)


# ---------------------------------------------------------------------------------------
# Exercise checks
# ---------------------------------------------------------------------------------------


@exercise("A1-file-size", points=1)
def check_file_size(file_size: Any) -> str:
    """Exercise 1: bytes in the uncompressed training-images file."""
    answer = as_int(file_size, "file_size")
    n_pixels = 60_000 * 28 * 28
    expected = 16 + n_pixels
    if answer == expected:
        return (
            f"{expected:,} bytes: a 16-byte header and {n_pixels:,} pixels of one byte each "
            "(about 47 MB; gzip shrinks it to under 10 MB)."
        )
    if answer == n_pixels:
        raise Hint("That is the pixels alone. The file starts with a header: how many bytes?",
                   pointed="The header is the magic number and three dimensions, 4 bytes each.")
    if answer in (4 * n_pixels, 4 * n_pixels + 16, 8 * n_pixels, 8 * n_pixels + 16):
        raise Hint("In the file each pixel takes one byte (type code 0x08, unsigned byte).")
    if answer in (28 * 28 + 16, 28 * 28):
        raise Hint("That is one image. The file holds 60,000 of them.")
    raise Hint(
        "The file is a header followed by every pixel of every training image.",
        pointed="The header holds the magic number and three dimensions, 4 bytes each; "
        "each pixel is one byte.",
    )


def _dims(value: Any, name: str) -> tuple[int, ...]:
    if isinstance(value, (str, bytes)) or np.ndim(value) != 1:
        raise Hint(f"`{name}` should return a tuple of whole numbers, like (60000, 28, 28).")
    return tuple(as_int(v, f"each entry of {name}(...)") for v in value)


@exercise("A1-idx-dims", points=2)
def check_idx_dims(idx_dims: Any) -> str:
    """Exercise 2: ``idx_dims(header)`` -> the dimensions an IDX header announces."""
    answer = _dims(call_learner(idx_dims, EXERCISE_HEADER, name="idx_dims"), "idx_dims")
    expected = struct.unpack(">3I", EXERCISE_HEADER[4:16])
    if answer == struct.unpack("<3I", EXERCISE_HEADER[4:16]):
        raise Hint("IDX stores integers big-endian (most significant byte first).")
    if answer == struct.unpack(">3I", EXERCISE_HEADER[0:12]):
        raise Hint("The first 4 bytes are the magic number; the dimensions start at byte 4.")
    if answer != expected:
        raise Hint(
            f"For nbA1.EXERCISE_HEADER your function returns {answer}.",
            pointed="After the 4-byte magic number come the dimensions, 4 bytes each; read "
            "each group of 4 bytes as one unsigned integer, most significant byte first.",
        )
    for header, right in _MORE_HEADERS.items():
        answer = _dims(call_learner(idx_dims, header, name="idx_dims"), "idx_dims")
        if answer != right:
            raise Hint(
                f"Right for a file with three dimensions, but for a file that starts "
                f"{header.hex(' ', 4)} your function returns {answer} instead of {right}: the "
                "number of dimensions is not always 3.",
                pointed="The last byte of the magic number says how many sizes follow.",
            )
    return (f"{expected}: {expected[0]} images of {expected[1]}x{expected[2]} pixels; a labels "
            "file has one dimension, and your function reads that too.")


GOOD_ROW = "7," + ",".join(["0"] * 400 + ["255", "128", "3"] + ["0"] * 381)
BAD_ROWS = {
    "a row with no label (784 values)": ",".join(["0"] * 784),
    "a row with a value too many (786 values)": ",".join(["0"] * 786),
    "a pixel of 256": "3," + ",".join(["0"] * 783 + ["256"]),
    "a pixel of -1": "3," + ",".join(["-1"] + ["0"] * 783),
    "a label of 10": "10," + ",".join(["0"] * 784),
    "a value that is not a number ('12a')": "3," + ",".join(["12a"] + ["0"] * 783),
}


@exercise("A1-parse-row", points=2)
def check_parse_row(parse_row: Any) -> str:
    """Exercise 3: ``parse_row(line)`` -> (label, pixels), or ValueError for a bad row."""
    value = call_learner(parse_row, GOOD_ROW + "\n", name="parse_row")
    if not isinstance(value, tuple) or len(value) != 2:
        raise Hint("`parse_row` should return two things, `label, pixels` (a tuple).")
    label, pixels = value
    label = as_int(label, "the label parse_row returns")
    try:
        pixels = np.asarray(pixels, dtype=float)
    except (TypeError, ValueError):
        raise Hint("The pixels should be numbers (an array of 784 of them).") from None
    expected = np.array([int(v) for v in GOOD_ROW.split(",")[1:]], dtype=float)
    if pixels.shape != (784,):
        raise Hint(f"The pixels should have shape (784,), not {pixels.shape}. The first value "
                   "of a row is the label, the other 784 are pixels.")
    if label != 7 or not np.array_equal(pixels, expected):
        raise Hint("For a good row the label or the pixels come out wrong. The label is the "
                   "first value; the pixels are the 784 after it, in order.")
    for problem, row in BAD_ROWS.items():
        try:
            with np.errstate(all="ignore"):
                parse_row(row)
        except ValueError:
            continue
        except Exception as exc:
            raise Hint(f"For {problem}, your function raised {type(exc).__name__}: {exc}. "
                       "Raise a ValueError with a message instead.") from None
        raise Hint(f"Your function accepted {problem}. It should raise a ValueError that says "
                   "what is wrong.",
                   pointed="Check the number of values, that the label lies in 0..9 and that "
                   "every pixel lies in 0..255, before converting to uint8 (which would "
                   "silently turn 256 into 0).")
    return ("Good rows are read and every kind of bad row is refused: that is what "
            "`data.read_csv` does for a whole file, naming the line.")


def _labels_file() -> Path:
    return data.default_directory() / "t10k-labels-idx1-ubyte.gz"


@exercise("A1-file-matches", points=2)
def check_file_matches(file_matches: Any) -> str:
    """Exercise 4: ``file_matches(path, expected)`` -> True if the file's SHA-256 is expected."""
    path = _labels_file()
    right = data.SHA256[path.name]
    answer = call_learner(file_matches, path, right, name="file_matches")
    if isinstance(answer, str):
        raise Hint("`file_matches` returns a string. Compare the digest with `expected` and "
                   "return the result, True or False.")
    if not isinstance(answer, (bool, np.bool_)):
        raise Hint(f"`file_matches` should return True or False, not a "
                   f"{type(answer).__name__}.")
    if not answer:
        raise Hint(
            f"For {path.name} and its correct SHA-256 your function returns False.",
            pointed="Hash the bytes of the file (opened in binary mode), not its name, with "
            "SHA-256, and compare the hexadecimal digest with `expected`.",
        )
    wrong = "0" * 64
    if call_learner(file_matches, path, wrong, name="file_matches"):
        raise Hint("Your function returns True also for a wrong checksum. Compare with "
                   "`expected`.")
    with tempfile.TemporaryDirectory() as folder:
        damaged = Path(folder) / path.name
        shutil.copy(path, damaged)
        content = bytearray(damaged.read_bytes())
        content[len(content) // 2] ^= 1
        damaged.write_bytes(bytes(content))
        if call_learner(file_matches, damaged, right, name="file_matches"):
            raise Hint("Your function says a copy with one bit changed matches: does it "
                       "read the whole file?")
    return ("True for the good file, False for a wrong sum and for a copy with a single bit "
            "changed.")
