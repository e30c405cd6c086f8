"""The exercise checks and pictures of notebook 05 (training on MNIST)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import nb05  # noqa: E402


@pytest.mark.parametrize(
    "check",
    [
        nb05.check_batches_per_epoch,
        nb05.check_accuracy,
        nb05.check_learning_rate,
    ],
)
def test_placeholder_asks_for_an_answer(verdict, check) -> None:
    assert verdict(check, ...).startswith("Not yet. Replace the `...`")


def test_placeholders_with_more_arguments(verdict) -> None:
    matrix = np.eye(10, dtype=int)
    assert verdict(nb05.check_most_confused, ..., matrix).startswith("Not yet. Replace")
    assert verdict(nb05.check_random_guess, ..., ..., 0.95).startswith("Not yet. Replace")
    assert "error_ratio" in verdict(nb05.check_random_guess, 0.1, ..., 0.95)


def test_batches_per_epoch(verdict) -> None:
    assert verdict(nb05.check_batches_per_epoch, 5000).startswith("Correct!")
    assert "validation" in verdict(nb05.check_batches_per_epoch, 6000)
    assert "multiplied" in verdict(nb05.check_batches_per_epoch, 500_000)
    assert "one mini-batch" in verdict(nb05.check_batches_per_epoch, 123)


def test_accuracy_function(verdict) -> None:
    def right(outputs, labels):
        return np.mean(np.argmax(outputs, axis=0) == labels)

    def count(outputs, labels):
        return np.sum(np.argmax(outputs, axis=0) == labels)

    def wrong_axis(outputs, labels):
        return np.mean(np.argmax(outputs, axis=1) == labels[:3])

    def elementwise(outputs, labels):
        return np.argmax(outputs, axis=0) == labels

    def crashes(outputs, labels):
        raise KeyError("oops")

    assert verdict(nb05.check_accuracy, right).startswith("Correct!")
    assert "divide" in verdict(nb05.check_accuracy, count)
    assert "largest output" in verdict(nb05.check_accuracy, wrong_axis)
    assert "one number" in verdict(nb05.check_accuracy, elementwise)
    assert "KeyError" in verdict(nb05.check_accuracy, crashes)
    assert "function" in verdict(nb05.check_accuracy, 0.6)


def test_learning_rate(verdict) -> None:
    assert verdict(nb05.check_learning_rate, nb05.MYSTERY_ETA).startswith("Correct!")
    assert "barely moves" in verdict(nb05.check_learning_rate, 0.001)
    assert "saturate" in verdict(nb05.check_learning_rate, 100.0)
    assert "slowly" in verdict(nb05.check_learning_rate, 3.0)


def test_most_confused(verdict) -> None:
    matrix = np.diag(np.full(10, 900))
    matrix[9, 4] = 35
    matrix[4, 9] = 11
    matrix[3, 5] = 20
    assert verdict(nb05.check_most_confused, (9, 4), matrix).startswith("Correct!")
    index = np.unravel_index(np.argmax(np.where(np.eye(10) == 1, 0, matrix)), matrix.shape)
    assert verdict(nb05.check_most_confused, index, matrix).startswith("Correct!")
    assert "wrong order" in verdict(nb05.check_most_confused, (4, 9), matrix)
    assert "diagonal" in verdict(nb05.check_most_confused, (1, 1), matrix)
    assert "largest entry" in verdict(nb05.check_most_confused, (3, 5), matrix)
    assert "tuple" in verdict(nb05.check_most_confused, 7, matrix)


def test_random_guess(verdict) -> None:
    accuracy = 0.95
    ratio = 0.9 / 0.05
    assert verdict(nb05.check_random_guess, 0.1, ratio, accuracy).startswith("Correct!")
    assert "fraction" in verdict(nb05.check_random_guess, 10, ratio, accuracy)
    assert "How often" in verdict(nb05.check_random_guess, 0.5, ratio, accuracy)
    assert "error rates" in verdict(nb05.check_random_guess, 0.1, 9.5, accuracy)


def test_source_excerpt() -> None:
    def example():
        a = 1
        b = 2
        c = 3
        return a + b + c

    assert nb05.source_excerpt(example, "b = 2", "c = 3") == "b = 2\nc = 3"
    assert "def example" in nb05.source_excerpt(example, "missing marker", "c = 3")


def test_pictures_draw() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, size=50)
    predictions = rng.integers(0, 10, size=50)
    matrix = np.zeros((10, 10), dtype=int)
    np.add.at(matrix, (labels, predictions), 1)
    images = rng.random((784, 50))
    nb05.plot_learning_curves({"a": [0.5, 0.7, 0.8]}, reference=(0.9, "book"))
    nb05.plot_confusion_matrix(matrix)
    nb05.plot_per_class_accuracy(np.linspace(0.9, 0.99, 10), overall=0.95)
    fig = nb05.plot_worst_mistakes(images, labels, predictions, rng.random(50), rng.random(50),
                                   [0, 1, 2, 3, 4, 5, 6])
    assert len(fig.axes) == 12
    plt.close("all")


def test_live_curve_draws_without_printing(capsys) -> None:
    pytest.importorskip("ipywidgets")
    live = nb05.LiveCurve()
    live.update(0.9)
    live.update(0.91)
    assert live.accuracies == [0.9, 0.91]
    assert "2 epochs" in live.label.value
    # Outside a notebook clear_output writes terminal escape codes; nothing else may appear.
    printed = capsys.readouterr().out.replace("\x1b[2K", "").replace("\r", "")
    assert printed == ""
    plt.close("all")
