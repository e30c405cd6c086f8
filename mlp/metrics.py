"""How good are the predictions? Accuracy and the confusion matrix (notebooks 05 and 06).

Both functions take the correct labels first and the predictions second, e.g.
``accuracy(labels, net.predict(x))``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["accuracy", "confusion_matrix", "format_confusion_matrix"]


def accuracy(labels: np.ndarray, predictions: np.ndarray) -> float:
    """The fraction of predictions that equal the labels, between 0 and 1.

    Parameters
    ----------
    labels, predictions : array-like of int
        Shape ``(n,)`` each, ``n >= 1``.
    """
    labels, predictions = _check(labels, predictions)
    if labels.size == 0:
        raise ValueError("accuracy of zero examples is not defined")
    return float(np.count_nonzero(labels == predictions)) / labels.size


def confusion_matrix(
    labels: np.ndarray, predictions: np.ndarray, n_classes: int = 10
) -> np.ndarray:
    """Count every (true class, predicted class) pair.

    Parameters
    ----------
    labels, predictions : array-like of int
        Shape ``(n,)`` each, values in ``0..n_classes-1``.
    n_classes : int

    Returns
    -------
    numpy.ndarray
        ``int64`` of shape ``(n_classes, n_classes)``: entry ``[i, j]`` is how many examples
        of class ``i`` were predicted as ``j``. Rows are the truth, columns the prediction;
        the diagonal holds the correct answers.
    """
    labels, predictions = _check(labels, predictions)
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values.size and (values.min() < 0 or values.max() >= n_classes):
            raise ValueError(
                f"{name} must lie in 0..{n_classes - 1}; found {values.min()}..{values.max()}"
            )
    pairs = labels.astype(np.int64) * n_classes + predictions
    return np.bincount(pairs, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def format_confusion_matrix(matrix: np.ndarray) -> str:
    """The confusion matrix as a small text table, rows true digits, columns predictions."""
    matrix = np.asarray(matrix)
    width = max(5, len(str(int(matrix.max()))) + 1)
    n = len(matrix)
    lines = ["true\\pred" + "".join(f"{j:>{width}}" for j in range(n))]
    for i, row in enumerate(matrix):
        lines.append(f"{i:>9}" + "".join(f"{int(v):>{width}}" for v in row))
    return "\n".join(lines)


def _check(labels: np.ndarray, predictions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if labels.ndim != 1 or labels.shape != predictions.shape:
        raise ValueError(
            "labels and predictions should be 1-D arrays of the same length; "
            f"got shapes {labels.shape} and {predictions.shape}"
        )
    for name, values in (("labels", labels), ("predictions", predictions)):
        if values.size and not np.issubdtype(values.dtype, np.integer):
            raise ValueError(f"{name} should be integers (class numbers), not {values.dtype}")
    return labels, predictions
