"""mlp.metrics: accuracy and the confusion matrix."""

from __future__ import annotations

import numpy as np
import pytest

from mlp.metrics import accuracy, confusion_matrix, format_confusion_matrix


def test_accuracy():
    assert accuracy(np.array([1, 2, 3, 4]), np.array([1, 2, 0, 4])) == 0.75
    with pytest.raises(ValueError, match="same length"):
        accuracy(np.array([1, 2]), np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="zero examples"):
        accuracy(np.array([], dtype=int), np.array([], dtype=int))
    with pytest.raises(ValueError, match="integers"):
        accuracy(np.array([1.0]), np.array([1]))


def test_confusion_matrix_rows_are_truth_columns_predictions():
    labels = np.array([0, 0, 1, 2, 2, 2], dtype=np.uint8)
    predictions = np.array([0, 1, 1, 2, 0, 2])
    matrix = confusion_matrix(labels, predictions, n_classes=3)
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert matrix.sum() == 6 and np.trace(matrix) == 4
    assert confusion_matrix(labels, predictions).shape == (10, 10)
    with pytest.raises(ValueError, match=r"predictions must lie in 0\.\.2"):
        confusion_matrix(labels, predictions + 1, n_classes=3)


def test_format_confusion_matrix():
    text = format_confusion_matrix(np.array([[5, 0], [1, 1234]]))
    lines = text.splitlines()
    assert len(lines) == 3 and lines[0].startswith("true\\pred")
    assert lines[2].split() == ["1", "1", "1234"]
