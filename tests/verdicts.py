"""Reading a check's verdict in the tests of ``course/nbNN.py`` (shared by those test files).

Those files also ask for the ``grading`` fixture of ``conftest.py`` (``pytestmark``): with it a
check records nothing and always gives its first-tier hint, so every test sees the same verdict.
"""

from __future__ import annotations

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
