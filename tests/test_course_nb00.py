"""The exercise checks of notebook 00 accept the right answers and explain wrong ones."""

from __future__ import annotations

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
        nb00.check_ink_fraction,
        nb00.check_class_fractions,
        nb00.check_mean_darkness,
        nb00.check_classify_by_darkness,
        nb00.check_nearest_mean,
        nb00.check_worst_digit,
    ],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


def test_ink_fraction(verdict, train) -> None:
    fraction = float(np.mean(train[0] > 0))
    assert verdict(nb00.check_ink_fraction, fraction).startswith("Correct!")
    assert "percentage" in verdict(nb00.check_ink_fraction, 100 * fraction)
    assert "blank" in verdict(nb00.check_ink_fraction, 1 - fraction)
    assert "one image" in verdict(nb00.check_ink_fraction, float(np.mean(train[0][0] > 0)))


def test_class_fractions(verdict) -> None:
    def right(labels):
        counts = np.zeros(10)
        for digit in range(10):
            counts[digit] = np.sum(labels == digit)
        return counts / len(labels)

    message = verdict(nb00.check_class_fractions, right)
    assert message.startswith("Correct!") and "11.24%" in message
    assert "ten digits" in verdict(nb00.check_class_fractions,
                                   lambda labels: np.bincount(labels) / len(labels))
    assert "counts" in verdict(nb00.check_class_fractions, lambda labels: right(labels) * 4)
    assert "percentages" in verdict(nb00.check_class_fractions, lambda labels: 100 * right(labels))
    assert "all of it" in verdict(nb00.check_class_fractions,
                                  lambda labels: right(np.array([0, 1, 1, 3])))
    assert "Not yet." in verdict(nb00.check_class_fractions, lambda labels: np.ones(10) / 10)


def test_mean_darkness(verdict) -> None:
    def right(images, labels):
        darkness = images.reshape(len(images), 784).sum(axis=1)
        return np.array([darkness[labels == d].mean() for d in range(10)])

    assert verdict(nb00.check_mean_darkness, right).startswith("Correct!")
    assert "sum of its" in verdict(nb00.check_mean_darkness, lambda i, l: right(i, l) / 784)
    assert "0 to 255" in verdict(nb00.check_mean_darkness, lambda i, l: right(i, l) / 255)
    everyone = lambda i, l: np.full(10, i.reshape(len(i), 784).sum(axis=1).mean())  # noqa: E731
    assert "each digit" in verdict(nb00.check_mean_darkness, everyone)
    assert "shape (10,)" in verdict(nb00.check_mean_darkness, lambda i, l: np.zeros(9))


def test_classify_by_darkness(verdict) -> None:
    def darkness(images):
        return images.reshape(len(images), 784).sum(axis=1).astype(float)

    def right(images, means):
        return np.argmin(np.abs(darkness(images)[:, None] - means[None, :]), axis=1)

    message = verdict(nb00.check_classify_by_darkness, right)
    assert message.startswith("Correct!") and "22.25%" in message
    assert "sign" in verdict(nb00.check_classify_by_darkness,
                             lambda i, m: np.argmin(darkness(i)[:, None] - m[None, :], axis=1))
    assert "farthest" in verdict(
        nb00.check_classify_by_darkness,
        lambda i, m: np.argmax(np.abs(darkness(i)[:, None] - m[None, :]), axis=1))
    assert "not the distance" in verdict(
        nb00.check_classify_by_darkness,
        lambda i, m: np.min(np.abs(darkness(i)[:, None] - m[None, :]), axis=1))
    assert "22.25%" in verdict(nb00.check_classify_by_darkness, lambda i, m: np.ones(len(i)))


def test_nearest_mean(verdict) -> None:
    def distances(images, means, power):
        x = images.reshape(len(images), 784).astype(float)
        return np.stack([np.sum(np.abs(x - means[d].reshape(784)) ** power, axis=1)
                         for d in range(10)], axis=1)

    right = lambda i, m: np.argmin(distances(i, m, 2), axis=1)  # noqa: E731
    message = verdict(nb00.check_nearest_mean, right)
    assert message.startswith("Correct!") and "82.00%" in message
    assert "squares" in verdict(nb00.check_nearest_mean,
                                lambda i, m: np.argmin(distances(i, m, 1), axis=1))
    assert "farthest" in verdict(nb00.check_nearest_mean,
                                 lambda i, m: np.argmax(distances(i, m, 2), axis=1))
    assert "shape (10000,)" in verdict(nb00.check_nearest_mean, lambda i, m: distances(i, m, 2))
    assert "Not yet." in verdict(nb00.check_nearest_mean, lambda i, m: np.zeros(len(i)))


def test_worst_digit(verdict) -> None:
    assert verdict(nb00.check_worst_digit, 5).startswith("Correct!")
    assert "best-recognised" in verdict(nb00.check_worst_digit, 1)
    assert "0 to 9" in verdict(nb00.check_worst_digit, 12)
    assert verdict(nb00.check_worst_digit, 8).startswith("Not yet.")


def test_course_copies_agree_with_the_straightforward_code(train) -> None:
    images, labels = train[0][:2000], train[1][:2000]
    fractions = nb00.class_fractions(labels)
    assert fractions.shape == (10,) and np.isclose(fractions.sum(), 1)
    assert np.isclose(fractions[1], np.mean(labels == 1))
    means = nb00.mean_darkness(images, labels)
    assert np.isclose(means[3], images[labels == 3].astype(float).sum(axis=(1, 2)).mean())
    class_means = np.stack([images[labels == d].mean(axis=0) for d in range(10)])
    x = images[:300].reshape(300, 784).astype(float)
    slow = np.argmin(((x[:, None, :] - class_means.reshape(10, 784)[None]) ** 2).sum(2), axis=1)
    assert np.array_equal(nb00.classify_by_nearest_mean(images[:300], class_means), slow)


def test_nearest_class_mean_predictions_small() -> None:
    images = np.zeros((20, 28, 28), dtype=np.uint8)
    labels = np.repeat(np.arange(10, dtype=np.uint8), 2)
    for digit in range(10):
        images[labels == digit, digit, :] = 255  # class d: row d full of ink
    predictions = nb00.nearest_class_mean_predictions(images, labels, images[::2])
    assert predictions.tolist() == list(range(10))


def test_answers_of_the_wrong_type_get_a_hint(verdict) -> None:
    assert "not a number" in verdict(nb00.check_ink_fraction, "a lot")
    assert "function" in verdict(nb00.check_class_fractions, [0.1] * 10)
    assert "raised ZeroDivisionError" in verdict(nb00.check_mean_darkness, lambda i, l: 1 / 0)
