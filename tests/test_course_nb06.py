"""The exercise checks, the course's own answers and the pictures of notebook 06."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import nb06  # noqa: E402
from mlp.images import image_to_column  # noqa: E402


@pytest.mark.parametrize(
    "check",
    [nb06.check_shift, nb06.check_confident_mistakes, nb06.check_centre_of_mass],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


def test_placeholders_with_more_arguments(verdict) -> None:
    assert verdict(nb06.check_noise_favourite, ..., np.zeros(5, int)).startswith("Not yet. Replace")
    assert verdict(nb06.check_precision, ..., np.eye(10)).startswith("Not yet. Replace")


# --------------------------------------------------------------------------------------
# The course's own answers
# --------------------------------------------------------------------------------------


def test_shift_moves_and_fills_with_zeros() -> None:
    image = np.arange(16.0).reshape(4, 4)
    right = nb06.shift(image, 1, 0)
    assert np.array_equal(right[:, 1:], image[:, :3]) and not right[:, 0].any()
    up = nb06.shift(image, 0, -2)
    assert np.array_equal(up[:2], image[2:]) and not up[2:].any()
    assert np.array_equal(nb06.shift(image, 0, 0), image)
    assert not nb06.shift(image, 4, 0).any() and not nb06.shift(image, 0, -9).any()
    assert image[0, 0] == 0 and image[3, 3] == 15  # the input is untouched


def test_confident_mistakes_ranks_only_the_wrong_answers() -> None:
    outputs = np.array([[0.9, 0.1, 0.8, 0.3],
                        [0.1, 0.95, 0.1, 0.6]])
    labels = np.array([0, 0, 1, 1])  # columns 1 and 2 are wrong; 1 is surer
    assert nb06.confident_mistakes(outputs, labels, 5).tolist() == [1, 2]
    assert nb06.confident_mistakes(outputs, labels, 1).tolist() == [1]


def test_centre_of_mass() -> None:
    image = np.zeros((5, 7))
    image[1, 2] = 1.0
    image[3, 6] = 3.0
    row, column = nb06.centre_of_mass(image)
    assert row == pytest.approx(2.5) and column == pytest.approx(5.0)


def test_on_paper_is_prepared_back_like_the_original() -> None:
    digit = np.zeros((28, 28))
    digit[6:22, 12:16] = 1.0  # a thick bar, 16 x 4 pixels
    paper = nb06.on_paper(digit)
    assert paper.shape == (280, 280) and paper.max() == 1.0 and paper.min() == 0.0
    prepared = image_to_column(paper).reshape(28, 28)
    # Scaled to 20 pixels tall and centred by its centre of mass.
    rows = np.flatnonzero(prepared.max(axis=1) > 0.5)
    assert rows[-1] - rows[0] + 1 == 20
    assert nb06.centre_of_mass(prepared) == pytest.approx((14, 14), abs=0.6)


# --------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------


def test_noise_favourite(verdict) -> None:
    predictions = np.array([8, 8, 8, 3, 5, 8, 3])
    assert verdict(nb06.check_noise_favourite, 8, predictions).startswith("Correct!")
    assert verdict(nb06.check_noise_favourite, np.int64(8), predictions).startswith("Correct!")
    assert "the digit itself" in verdict(nb06.check_noise_favourite, 4, predictions)
    assert "0 to 9" in verdict(nb06.check_noise_favourite, 12, predictions)
    assert "Count how often" in verdict(nb06.check_noise_favourite, 3, predictions)
    assert "string" in verdict(nb06.check_noise_favourite, "8", predictions)


def test_shift_image(verdict) -> None:
    def right(image, dx, dy):
        return nb06.shift(image, dx, dy)

    def rolls(image, dx, dy):
        return np.roll(image, (dy, dx), axis=(0, 1))

    def swapped(image, dx, dy):
        return nb06.shift(image, dy, dx)

    def backwards(image, dx, dy):
        return nb06.shift(image, -dx, -dy)

    def in_place(image, dx, dy):
        moved = nb06.shift(image, dx, dy)
        image[:] = moved
        return moved

    def positive_only(image, dx, dy):
        moved = np.zeros_like(image)
        moved[dy:, dx:] = image[: 28 - dy, : 28 - dx]
        return moved

    assert verdict(nb06.check_shift, right).startswith("Correct!")
    assert "np.roll" in verdict(nb06.check_shift, rolls)
    assert "wrong axis" in verdict(nb06.check_shift, swapped)
    assert "wrong way" in verdict(nb06.check_shift, backwards)
    assert "changed the image" in verdict(nb06.check_shift, in_place)
    assert verdict(nb06.check_shift, positive_only).startswith("Not yet.")
    assert "shape (28, 28)" in verdict(nb06.check_shift, lambda image, dx, dy: image[:5])
    assert "IndexError" in verdict(nb06.check_shift, lambda image, dx, dy: image[99])


def _reference_mistakes(outputs, labels, k):
    predictions = np.argmax(outputs, axis=0)
    wrong = np.flatnonzero(predictions != labels)
    confidence = outputs[predictions[wrong], wrong]
    return wrong, confidence, wrong[np.argsort(-confidence)][:k]


def test_confident_mistakes(verdict) -> None:
    outputs, labels = nb06._mistake_outputs()
    wrong, _, expected = _reference_mistakes(outputs, labels, 4)
    assert len(wrong) == 7 and len(set(outputs.max(axis=0)[wrong])) == 7  # no ties

    def right(outputs, labels, k):
        return _reference_mistakes(outputs, labels, k)[2]

    def as_list(outputs, labels, k):
        return [int(i) for i in _reference_mistakes(outputs, labels, k)[2]]

    def least(outputs, labels, k):
        wrong, confidence, _ = _reference_mistakes(outputs, labels, k)
        return wrong[np.argsort(confidence)][:k]

    def unsorted(outputs, labels, k):
        return _reference_mistakes(outputs, labels, k)[2][::-1]

    def positions(outputs, labels, k):
        return np.argsort(-_reference_mistakes(outputs, labels, k)[1])[:k]

    def all_columns(outputs, labels, k):
        return np.argsort(-outputs.max(axis=0))[:k]

    def activations(outputs, labels, k):
        return np.sort(outputs.max(axis=0)[_reference_mistakes(outputs, labels, k)[2]])

    assert verdict(nb06.check_confident_mistakes, right).startswith("Correct!")
    assert verdict(nb06.check_confident_mistakes, as_list).startswith("Correct!")
    assert "least confident" in verdict(nb06.check_confident_mistakes, least)
    assert "wrong order" in verdict(nb06.check_confident_mistakes, unsorted)
    assert "positions in your list" in verdict(nb06.check_confident_mistakes, positions)
    assert "answered correctly" in verdict(nb06.check_confident_mistakes, all_columns)
    assert "winning activations" in verdict(nb06.check_confident_mistakes, activations)
    assert "k = 4" in verdict(nb06.check_confident_mistakes, lambda o, y, k: wrong)
    assert "between 0 and 39" in verdict(nb06.check_confident_mistakes,
                                         lambda o, y, k: np.array([100, 1, 2, 3]))


def test_precision(verdict) -> None:
    rng = np.random.default_rng(0)
    matrix = rng.integers(0, 20, size=(10, 10)) + np.diag(rng.integers(800, 1000, size=10))
    right = np.diag(matrix) / matrix.sum(axis=0)
    recall = np.diag(matrix) / matrix.sum(axis=1)
    assert verdict(nb06.check_precision, right, matrix).startswith("Correct!")
    assert "recall" in verdict(nb06.check_precision, recall, matrix)
    assert "percentages" in verdict(nb06.check_precision, 100 * right, matrix)
    assert "called d" in verdict(nb06.check_precision, right + 0.01, matrix)
    assert "shape (10,)" in verdict(nb06.check_precision, right[:9], matrix)


def test_centre_of_mass_check(verdict) -> None:
    def right(image):
        return nb06.centre_of_mass(image)

    def swapped(image):
        return nb06.centre_of_mass(image)[::-1]

    def unweighted(image):
        rows, cols = np.nonzero(image)
        return rows.mean(), cols.mean()

    def not_divided(image):
        return tuple(image.sum() * np.array(nb06.centre_of_mass(image)))

    def middle(image):
        return 14, 14

    assert verdict(nb06.check_centre_of_mass, right).startswith("Correct!")
    assert "swapped" in verdict(nb06.check_centre_of_mass, swapped)
    assert "Weight each position" in verdict(nb06.check_centre_of_mass, unweighted)
    assert "total amount of ink" in verdict(nb06.check_centre_of_mass, not_divided)
    assert "middle of the frame" in verdict(nb06.check_centre_of_mass, middle)
    assert "weighted mean" in verdict(nb06.check_centre_of_mass, lambda image: (1.0, 2.0))
    assert "None" in verdict(nb06.check_centre_of_mass, lambda image: None)


# --------------------------------------------------------------------------------------
# Pictures
# --------------------------------------------------------------------------------------


def test_pictures_draw() -> None:
    rng = np.random.default_rng(0)
    fig = nb06.plot_weight_images(rng.normal(size=(12, 784)), columns=5, title="t")
    assert len(fig.axes) == 15
    outputs = rng.random((10, 6))
    fig = nb06.plot_answers(rng.random((6, 784)), outputs, [str(i) for i in range(6)],
                            truths=[0, 1, 2, 3, 4, 5], columns=3)
    assert len(fig.axes) == 12
    nb06.plot_accuracy_by_shift([-1, 0, 1], [0.5, 0.9, 0.6])
    nb06.plot_precision_recall(np.linspace(0.9, 0.99, 10), np.linspace(0.99, 0.9, 10))
    plt.close("all")
