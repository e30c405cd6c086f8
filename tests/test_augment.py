"""mlp.augment: shifted images, the book's expansion and random shifts."""

from __future__ import annotations

import numpy as np
import pytest

from mlp.augment import expand, random_shifts, rotate, shift


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


def test_rotate_by_zero_and_by_quarter_turns_is_exact():
    rng = np.random.default_rng(0)
    x = rng.random((784, 3)).astype(np.float32)
    same = rotate(x, 0)
    assert same.shape == x.shape and same.dtype == x.dtype and same.flags.f_contiguous
    np.testing.assert_allclose(same, x, atol=1e-6)
    images = x.T.reshape(3, 28, 28)
    for turns in (1, 2, 3, -1):
        expected = np.rot90(images, k=turns, axes=(1, 2)).reshape(3, 784).T
        np.testing.assert_allclose(rotate(x, 90 * turns), expected, atol=1e-5)


def test_rotate_turns_counter_clockwise_and_interpolates():
    x = single_pixel_images([(4, 14)])  # above the centre (13.5, 13.5), half a pixel right
    turned = rotate(x, 30).reshape(28, 28)
    # the lit pixel's centre of mass moves by 30 degrees counter-clockwise (to the left)
    rows, cols = np.mgrid[0:28, 0:28]
    mass = turned.sum()
    row, col = (turned * rows).sum() / mass, (turned * cols).sum() / mass
    angle = np.degrees(np.arctan2(-(row - 13.5), col - 13.5))
    assert angle == pytest.approx(np.degrees(np.arctan2(9.5, 0.5)) + 30, abs=0.5)
    assert mass == pytest.approx(1.0, abs=0.1)  # shared out by bilinear weights, nearly kept
    assert (turned > 0).sum() > 1 and turned.max() < 1  # between pixels: spread over several


def test_rotate_back_and_forth_keeps_a_smooth_image():
    rows, cols = np.mgrid[0:28, 0:28]
    blob = np.exp(-((rows - 6) ** 2 + (cols - 19) ** 2) / 12).reshape(784, 1)
    there_and_back = rotate(rotate(blob, 15), -15)
    assert np.abs(there_and_back - blob).max() < 0.1  # a little blurred by interpolating
    assert np.abs(rotate(blob, 15) - blob).max() > 0.5  # it did move


def test_rotate_loses_what_turns_out_of_the_frame_and_checks_shapes():
    x = single_pixel_images([(0, 0)])
    assert rotate(x, 45).sum() == pytest.approx(0.0)  # the corner leaves the frame
    with pytest.raises(ValueError, match="784"):
        rotate(np.zeros((28, 28)), 10)
