"""Reading a check's verdict in the tests of ``course/nbNN.py`` (shared by those test files).

Those files also ask for the ``grading`` fixture of ``conftest.py`` (``pytestmark``): with it a
check records nothing and always gives its first-tier hint, so every test sees the same verdict.
"""

from __future__ import annotations

import numpy as np

from course.feedback import Result


def passes(result: Result) -> bool:
    """True if the check said "Correct!"."""
    assert isinstance(result, Result)
    return result.passed and repr(result).startswith("✔ Correct!")


def not_yet(result: Result) -> str:
    """The message of a failed check (asserting that it failed, with a message)."""
    assert isinstance(result, Result)
    assert not result.passed and result.answered, repr(result)
    assert repr(result).startswith("✘ Not yet.") and result.message
    return result.message


def stub(*args, **kwargs):
    """A learner's function before it is written."""
    ...


def raises(*args, **kwargs):
    """A learner's function with a bug that raises IndexError."""
    return np.zeros(3)[5]


def assert_buggy_functions_get_feedback(check, wrong_results) -> None:
    """A function exercise's check says "Not answered yet" for an unwritten function and
    "Not yet" (never a traceback) for one that raises, returns None, is not a function, or
    returns each of ``wrong_results``."""
    unwritten = check(stub)
    assert not unwritten.passed and not unwritten.answered
    assert "IndexError" in not_yet(check(raises))
    assert "return" in not_yet(check(lambda *args: None))
    assert "function" in not_yet(check(42))
    for answer in wrong_results:
        not_yet(check(lambda *args, value=answer: value))
