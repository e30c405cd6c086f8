"""Instant feedback for exercises: a clear verdict and, when wrong, a hint that helps.

Every ``check_...`` helper in ``course.nbNN`` ends with :func:`correct` or :func:`hint`.
Both print one line (never return True/False), so a learner sees what to do next.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Hint(Exception):
    """Raised inside a check to stop it and show the learner a hint."""


def correct(message: str = "") -> None:
    """Print a success line."""
    print(f"Correct! {message}".rstrip())


def hint(message: str) -> None:
    """Print a not-yet line with a hint for the next try."""
    print(f"Not yet. {message}")


def require_answer(value: Any, name: str = "your answer") -> None:
    """Raise :class:`Hint` if ``value`` is still the ``...`` placeholder."""
    if value is Ellipsis or value is None:
        raise Hint(f"Replace the `...` in {name} with your code, then run the cell again.")


def check(function):
    """Decorator for check helpers: a :class:`Hint` raised inside becomes a "Not yet." line."""

    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            function(*args, **kwargs)
        except Hint as exc:
            hint(str(exc))

    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    wrapper.__wrapped__ = function
    return wrapper


def as_array(value: Any, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Convert ``value`` to a float array, raising :class:`Hint` if its shape is wrong."""
    require_answer(value, name)
    array = np.asarray(value, dtype=float)
    if shape is not None and array.shape != shape:
        raise Hint(
            f"`{name}` should have shape {shape}, but yours has shape {array.shape}."
        )
    return array


def as_int(value: Any, name: str) -> int:
    """``value`` as an int, raising :class:`Hint` if it is missing, not a number, or not whole."""
    require_answer(value, name)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Hint(f"`{name}` should be a single number, not {type(value).__name__}.") from None
    if number != int(number):
        raise Hint(f"`{name}` should be a whole number; yours is {number}.")
    return int(number)


def as_float(value: Any, name: str) -> float:
    """``value`` as a float, raising :class:`Hint` if it is missing or not a single number."""
    require_answer(value, name)
    try:
        return float(np.asarray(value, dtype=float).item())
    except (TypeError, ValueError):
        raise Hint(f"`{name}` should be a single number.") from None
