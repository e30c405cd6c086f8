"""The exercise checks of appendix A1 accept the right answers and explain wrong ones."""

from __future__ import annotations

import hashlib
import struct
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from course import nbA1
from mlp import data


def idx_dims(header):
    return tuple(int.from_bytes(header[4 + 4 * i : 8 + 4 * i], "big") for i in range(header[3]))


def parse_row(line):
    values = [int(token) for token in line.strip().split(",")]
    if len(values) != 785:
        raise ValueError("expected 785 values")
    label, pixels = values[0], np.array(values[1:])
    if not 0 <= label <= 9 or pixels.min() < 0 or pixels.max() > 255:
        raise ValueError("out of range")
    return label, pixels.astype(np.uint8)


def file_matches(path, expected):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() == expected


@pytest.mark.parametrize(
    "check",
    [nbA1.check_file_size, nbA1.check_idx_dims, nbA1.check_parse_row, nbA1.check_file_matches],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


def test_file_size(verdict) -> None:
    assert verdict(nbA1.check_file_size, 47_040_016).startswith("Correct!")
    assert "header" in verdict(nbA1.check_file_size, 47_040_000)
    assert "one byte" in verdict(nbA1.check_file_size, 4 * 47_040_000 + 16)
    assert "one image" in verdict(nbA1.check_file_size, 800)
    assert "whole number" in verdict(nbA1.check_file_size, 1.5)


def test_idx_dims(verdict) -> None:
    assert verdict(nbA1.check_idx_dims, idx_dims).startswith("Correct!")
    little = lambda h: struct.unpack("<3I", h[4:16])  # noqa: E731
    assert "big-endian" in verdict(nbA1.check_idx_dims, little)
    from_zero = lambda h: struct.unpack(">3I", h[0:12])  # noqa: E731
    assert "magic number" in verdict(nbA1.check_idx_dims, from_zero)
    always_three = lambda h: struct.unpack(">3I", h[4:16])  # noqa: E731
    assert "not always 3" in verdict(nbA1.check_idx_dims, always_three)
    assert "tuple" in verdict(nbA1.check_idx_dims, lambda h: 500)
    assert "raised IndexError" in verdict(nbA1.check_idx_dims, lambda h: h[99])


def test_parse_row(verdict) -> None:
    assert verdict(nbA1.check_parse_row, parse_row).startswith("Correct!")

    def no_checks(line):
        values = [int(token) for token in line.split(",")]
        return values[0], np.array(values[1:], dtype=np.uint8)

    assert "accepted a row with no label" in verdict(nbA1.check_parse_row, no_checks)

    def no_range_check(line):
        values = [int(token) for token in line.split(",")]
        if len(values) != 785:
            raise ValueError("length")
        return values[0], np.array(values[1:]).astype(np.uint8)

    assert "accepted a pixel of 256" in verdict(nbA1.check_parse_row, no_range_check)

    def asserts(line):
        values = [int(token) for token in line.split(",")]
        assert len(values) == 785
        return values[0], np.array(values[1:])

    assert "raised AssertionError" in verdict(nbA1.check_parse_row, asserts)
    assert "784" in verdict(nbA1.check_parse_row, lambda line: (7, np.zeros(785)))
    assert "two things" in verdict(nbA1.check_parse_row, lambda line: np.zeros(785))
    assert "label or the pixels" in verdict(nbA1.check_parse_row,
                                            lambda line: (0, np.zeros(784)))


def test_file_matches(verdict) -> None:
    assert verdict(nbA1.check_file_matches, file_matches).startswith("Correct!")
    of_name = lambda p, e: hashlib.sha256(str(p).encode()).hexdigest() == e  # noqa: E731
    assert "returns False" in verdict(nbA1.check_file_matches, of_name)
    digest = lambda p, e: hashlib.sha256(Path(p).read_bytes()).hexdigest()  # noqa: E731
    assert "string" in verdict(nbA1.check_file_matches, digest)
    assert "also for a wrong" in verdict(nbA1.check_file_matches, lambda p, e: True)
    def head_only(path, expected):  # hashes the first 100 bytes: blind to the damage
        head = hashlib.sha256(Path(path).read_bytes()[:100]).hexdigest()
        return head == hashlib.sha256((data.default_directory() / Path(path).name)
                                      .read_bytes()[:100]).hexdigest() and expected != "0" * 64

    assert "whole file" in verdict(nbA1.check_file_matches, head_only)
    assert "True or False" in verdict(nbA1.check_file_matches, lambda p, e: np.zeros((7, 3)))


def test_local_server_serves_a_folder_and_stops(tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_text("hello")
    with nbA1.local_server(tmp_path) as url:
        assert urllib.request.urlopen(url + "hello.txt", timeout=10).read() == b"hello"
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "hello.txt", timeout=2)


def test_avalanche_figure_counts_changed_bits() -> None:
    import matplotlib.pyplot as plt

    content = b"MNIST" * 10
    fig = nbA1.avalanche_figure(content, 3)
    changed = bytearray(content)
    changed[3] ^= 1
    a = np.unpackbits(np.frombuffer(hashlib.sha256(content).digest(), dtype=np.uint8))
    b = np.unpackbits(np.frombuffer(hashlib.sha256(bytes(changed)).digest(), dtype=np.uint8))
    assert f"{int(np.sum(a != b))} of the 256 bits differ" in fig.axes[2].get_title()
    plt.close(fig)


def test_exercise_header_is_a_valid_idx_header() -> None:
    assert nbA1.EXERCISE_HEADER[:3] == b"\x00\x00\x08"
    assert idx_dims(nbA1.EXERCISE_HEADER) == (500, 20, 24)
    assert data.SHA256["t10k-labels-idx1-ubyte.gz"]
