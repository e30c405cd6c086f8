"""The exercise checks of notebook 00 accept the right answers and explain wrong ones."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from course import nb00
from mlp import data


@pytest.fixture(scope="module")
def train() -> tuple[np.ndarray, np.ndarray]:
    return data.load_mnist("train")



@pytest.mark.parametrize(
    "check",
    [
        nb00.check_file_size,
        nb00.check_n_fives,
        nb00.check_ink_fraction,
        nb00.check_header_dims,
        nb00.check_worst_digit,
    ],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


def test_file_size(verdict) -> None:
    assert verdict(nb00.check_file_size, 47_040_016).startswith("Correct!")
    assert "header" in verdict(nb00.check_file_size, 47_040_000)
    assert "one byte" in verdict(nb00.check_file_size, 4 * 47_040_000 + 16)
    assert verdict(nb00.check_file_size, 12).startswith("Not yet.")
    assert "whole number" in verdict(nb00.check_file_size, 1.5)


def test_n_fives(verdict, train) -> None:
    assert verdict(nb00.check_n_fives, int(np.sum(train[1] == 5))).startswith("Correct!")
    assert "number of 3s" in verdict(nb00.check_n_fives, int(np.sum(train[1] == 3)))
    assert "test set" in verdict(nb00.check_n_fives, 892)
    assert verdict(nb00.check_n_fives, 1).startswith("Not yet.")


def test_ink_fraction(verdict, train) -> None:
    fraction = float(np.mean(train[0] > 0))
    assert verdict(nb00.check_ink_fraction, fraction).startswith("Correct!")
    assert "percentage" in verdict(nb00.check_ink_fraction, 100 * fraction)
    assert "blank" in verdict(nb00.check_ink_fraction, 1 - fraction)
    assert "one image" in verdict(nb00.check_ink_fraction, float(np.mean(train[0][0] > 0)))


def test_header_dims(verdict) -> None:
    assert verdict(nb00.check_header_dims, (500, 20, 24)).startswith("Correct!")
    little_endian = struct.unpack("<3I", nb00.EXERCISE_HEADER[4:16])
    assert "big-endian" in verdict(nb00.check_header_dims, little_endian)
    assert "dimensions" in verdict(nb00.check_header_dims, (500, 20))
    assert "magic number" in verdict(nb00.check_header_dims, (2051, 500, 20))
    assert "tuple" in verdict(nb00.check_header_dims, 500)


def test_worst_digit(verdict) -> None:
    assert verdict(nb00.check_worst_digit, 5).startswith("Correct!")
    assert "best-recognised" in verdict(nb00.check_worst_digit, 1)
    assert "0 to 9" in verdict(nb00.check_worst_digit, 12)
    assert verdict(nb00.check_worst_digit, 8).startswith("Not yet.")


def test_nearest_class_mean_predictions_small() -> None:
    images = np.zeros((20, 28, 28), dtype=np.uint8)
    labels = np.repeat(np.arange(10, dtype=np.uint8), 2)
    for digit in range(10):
        images[labels == digit, digit, :] = 255  # class d: row d full of ink
    predictions = nb00.nearest_class_mean_predictions(images, labels, images[::2])
    assert predictions.tolist() == list(range(10))


def test_answers_of_the_wrong_type_get_a_hint(verdict) -> None:
    assert "not a number" in verdict(nb00.check_ink_fraction, "a lot")
    assert "single number" in verdict(nb00.check_file_size, [1, 2])
