"""mlp.augment: shifted images, the book's expansion and random shifts."""

from __future__ import annotations

import numpy as np
import pytest

from mlp.augment import expand, random_shifts, shift


def single_pixel_images(positions):
    """One image per (row, col) with a single lit pixel, as columns (784, n)."""
    x = np.zeros((784, len(positions)), dtype=np.float32, order="F")
    for k, (r, c) in enumerate(positions):
        x[r * 28 + c, k] = 1.0
    return x


def lit(column):
    return divmod(int(np.flatnonzero(column)[0]), 28) if column.any() else None


def test_shift_moves_pixels_and_fills_with_zeros():
    x = single_pixel_images([(10, 10), (0, 5), (27, 27)])
    moved = shift(x, dx=2, dy=-1)  # two right, one up
    assert moved.shape == x.shape and moved.dtype == x.dtype and moved.flags.f_contiguous
    assert lit(moved[:, 0]) == (9, 12)
    assert lit(moved[:, 1]) is None  # moved off the top edge
    assert lit(moved[:, 2]) is None  # moved off the right edge
    assert lit(shift(x, 0, 0)[:, 0]) == (10, 10)
    assert not shift(x, 40, 0).any()
    assert x[10 * 28 + 10, 0] == 1  # the input is unchanged


def test_expand_is_the_books_five_fold_set():
    x = single_pixel_images([(10, 10), (3, 4)])
    labels = np.array([7, 1], dtype=np.uint8)
    big, big_labels = expand(x, labels)
    assert big.shape == (784, 10) and big_labels.tolist() == [7, 1] * 5
    positions = [lit(big[:, k]) for k in range(0, 10, 2)]
    assert positions == [(10, 10), (9, 10), (11, 10), (10, 9), (10, 11)]
    with pytest.raises(ValueError, match="labels"):
        expand(x, labels[:1])


def test_random_shifts_move_each_image_by_at_most_one_pixel():
    x = single_pixel_images([(14, 14)] * 900)
    out = random_shifts(x, np.random.default_rng(0))
    moves = [tuple(np.subtract(lit(out[:, k]), (14, 14))) for k in range(900)]
    assert set(moves) == {(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)}
    counts = np.unique(np.array(moves), axis=0, return_counts=True)[1]
    assert counts.min() > 60  # roughly uniform over the 9 offsets
    again = random_shifts(x, np.random.default_rng(0), out=np.empty_like(x, order="F"))
    np.testing.assert_array_equal(out, again)


def test_random_shifts_checks_its_arguments():
    x = single_pixel_images([(14, 14)] * 3)
    with pytest.raises(ValueError, match="must not be x itself"):
        random_shifts(x, np.random.default_rng(0), out=x)
    with pytest.raises(ValueError, match="Fortran-ordered"):
        random_shifts(x, np.random.default_rng(0), out=np.empty((784, 3), dtype=np.float32))
    with pytest.raises(ValueError, match=r"\(784, n\)"):
        random_shifts(np.zeros((10, 3)), np.random.default_rng(0))
