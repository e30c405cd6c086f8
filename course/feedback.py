"""Feedback for exercises: a verdict that teaches, drawn as a box, and never a crash.

A check helper in ``course.nbNN`` is declared with :func:`exercise`::

    @exercise("01-count-parameters", points=2)
    def check_count_parameters(count_parameters):
        answer = call_learner(count_parameters, [784, 30, 10], name="count_parameters")
        if answer != 23_860:
            raise Hint("A nudge.", pointed="A more pointed hint, still without the answer's code.")
        return "Why the right answer is right."

Inside, the helper raises :class:`Hint` for a wrong answer and returns a message for a right
one; the decorator turns either into a :class:`Result`, records it in the learner's workspace
(``.course/progress.json``, see :mod:`course.progress`) and returns it, so the check cell draws
a coloured box. Every call of the learner's code goes through :func:`call_learner`, and every
value they typed through :func:`as_int`, :func:`as_float`, :func:`as_array` or
:func:`require_answer`, so a bug or a wrong type becomes a "Not yet", never a traceback.

Environment variables: ``NBGRADER_EXECUTION`` (set by nbgrader) makes a failed check raise
``AssertionError``; ``COURSE_GRADING`` makes checks record nothing (our grader collects the
returned :class:`Result` instead, see :meth:`Result.to_json`).
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from course import progress

# Okabe-Ito colours (safe for every common colour-vision deficiency), with an icon and a
# word in each box so that the colour is never the only signal.
_STYLES = {
    "passed": ("✔", "Correct!", "#009E73", "#E5F5F0"),  # bluish green
    "failed": ("✘", "Not yet.", "#D55E00", "#FBEBE0"),  # vermillion
    "unanswered": ("✎", "Not answered yet.", "#0072B2", "#E5F0F7"),  # blue
}
COURSE_DIR = Path(__file__).resolve().parent
_STDLIB = Path(os.__file__).resolve().parent


@dataclass
class Result:
    """The verdict of one check: what a learner sees, and what a grader counts."""

    exercise: str
    passed: bool
    points: float
    max_points: float
    message: str
    answered: bool = True

    @property
    def _kind(self) -> str:
        return "passed" if self.passed else ("failed" if self.answered else "unanswered")

    def __repr__(self) -> str:
        icon, word, _, _ = _STYLES[self._kind]
        return f"{icon} {word} {self.message}".rstrip()

    def _repr_html_(self) -> str:
        icon, word, colour, background = _STYLES[self._kind]
        points = f"{self.points:g} / {self.max_points:g} point{'s' * (self.max_points != 1)}"
        return (
            f'<div class="course-check course-check-{self._kind}" style="border-left: 6px solid '
            f"{colour}; background: {background}; color: #1a1a1a; padding: 0.5em 0.8em; "
            "margin: 0.2em 0; border-radius: 3px; font-family: sans-serif; line-height: 1.45; "
            'white-space: normal; word-break: normal; overflow-wrap: break-word; hyphens: none;">'
            f'<span style="color: {colour}; font-size: 1.25em; font-weight: bold;" '
            f'aria-hidden="true">{icon}</span> <b>{word}</b> {_markup(self.message)}'
            f'<div style="font-size: 0.8em; color: #555; margin-top: 0.2em;">exercise '
            f"{html.escape(self.exercise)} · {points}</div></div>"
        )

    def to_json(self) -> str:
        """One line of JSON with every field (what the grader collects)."""
        return json.dumps(asdict(self), ensure_ascii=False)


def _markup(message: str) -> str:
    """Escape ``message`` for HTML and show its `backticked` spans as code."""
    escaped = html.escape(message)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


class Hint(Exception):
    """Raised inside a check for a wrong answer.

    Parameters
    ----------
    nudge : str
        Shown at the first failed try: where to look, not what to write.
    pointed : str, optional
        Added from the second failed try on: more precise, still without the answer's code.
    """

    def __init__(self, nudge: str, pointed: str | None = None) -> None:
        super().__init__(nudge)
        self.nudge = nudge
        self.pointed = pointed

    def text(self, failed_before: int) -> str:
        """The hint for a learner who has already failed ``failed_before`` times."""
        if failed_before and self.pointed:
            return f"{self.nudge} {self.pointed}"
        return self.nudge


class Unanswered(Exception):
    """Raised inside a check when the answer is still the stub ``...``."""


# Failed tries per exercise in this kernel, for the tiers of hints.
_FAILED: dict[str, int] = {}


def exercise(exercise_id: str, points: float = 1) -> Callable[[Callable[..., str]], Callable]:
    """Declare a check helper for exercise ``exercise_id`` worth ``points``.

    The decorated helper returns a :class:`Result` instead of its message: ``passed`` if it
    returned, ``Not yet`` with a tiered hint if it raised :class:`Hint` (or if anything else
    went wrong), ``answered=False`` if the answer is still ``...``.
    """

    def decorate(check: Callable[..., str | None]) -> Callable[..., Result]:
        @functools.wraps(check)
        def run_check(*args: Any, **kwargs: Any) -> Result:
            result = _verdict(exercise_id, points, check, args, kwargs)
            if not os.environ.get("COURSE_GRADING"):
                progress.record(exercise_id, result.passed, answered=result.answered)
            if os.environ.get("NBGRADER_EXECUTION") and not result.passed:
                raise AssertionError(repr(result))
            return result

        run_check.exercise_id = exercise_id  # type: ignore[attr-defined]
        run_check.points = points  # type: ignore[attr-defined]
        return run_check

    return decorate


def _verdict(exercise_id: str, points: float, check: Callable, args: tuple, kwargs: dict) -> Result:
    def not_yet(message: str, answered: bool = True) -> Result:
        return Result(exercise_id, False, 0, points, message, answered)

    failed_before = 0 if os.environ.get("COURSE_GRADING") else _FAILED.get(exercise_id, 0)
    stubs = [name for name, value in _arguments(check, args, kwargs) if value is Ellipsis]
    if stubs:
        names = " and ".join(f"`{name}`" for name in stubs)
        return not_yet(UNANSWERED.replace("the `...`", f"the `...` in {names}"), answered=False)
    try:
        message = check(*args, **kwargs)
    except Unanswered as exc:
        return not_yet(str(exc) or UNANSWERED, answered=False)
    except Hint as hint:
        _FAILED[exercise_id] = failed_before + 1
        return not_yet(hint.text(failed_before))
    except Exception as exc:  # a bug in a check must not look like the learner's
        _FAILED[exercise_id] = failed_before + 1
        return not_yet(
            f"The check could not use your answer ({type(exc).__name__}: {exc}). Look at its "
            "type and shape, then run your cell and this one again."
        )
    return Result(exercise_id, True, points, points, message or "")


def _arguments(check: Callable, args: tuple, kwargs: dict) -> list[tuple[str, Any]]:
    """(parameter name, value) pairs of a call; the names are the notebook's variables."""
    import inspect

    try:
        bound = inspect.signature(check).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return [(f"argument {i + 1}", value) for i, value in enumerate(args)]
    return list(bound.arguments.items())


UNANSWERED = "Replace the `...` with your answer, run that cell, then run this one again."


# ---------------------------------------------------------------------------------------
# Calling the learner's code, and reading the values they typed
# ---------------------------------------------------------------------------------------


def call_learner(function: Any, *args: Any, name: str, hint: str = "", **kwargs: Any) -> Any:
    """Call the learner's ``function(*args, **kwargs)`` inside a guard.

    Raises :class:`Unanswered` if ``function`` is still a stub, and :class:`Hint` if it is not
    a function, raises (naming the exception, the line of the learner's cell and its message,
    then ``hint``), or returns ``None`` or ``...``. Otherwise returns what it returned.
    """
    require_answer(function, name)
    if not callable(function):
        raise Hint(f"`{name}` should be a function (`def {name}(...):`), not a "
                   f"{type(function).__name__}.")
    if is_stub(function):
        raise Unanswered(f"Write the body of `{name}` in place of the `...`, run that cell, "
                         "then run this one again.")
    try:
        with np.errstate(all="ignore"):
            value = function(*args, **kwargs)
    except Exception as exc:
        raise Hint(f"Your function raised {type(exc).__name__}{_where(exc)}: {exc}. "
                   f"{hint}".rstrip()) from None
    if value is None or value is Ellipsis:
        raise Hint(f"`{name}` returned {value!r}: does every path end with a `return` line?")
    return value


def _where(exc: BaseException) -> str:
    """" at line N of your cell" for the deepest frame that is the learner's own code."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        path = Path(frame.filename)
        if frame.filename.startswith("<") and "ipython-input" not in frame.filename:
            continue
        if _is_library(path):
            continue
        if "ipykernel" in frame.filename or "ipython-input" in frame.filename:
            return f" at line {frame.lineno} of your cell"
        return f" at line {frame.lineno} of {path.name}"
    return ""


def _is_library(path: Path) -> bool:
    text = str(path)
    if "site-packages" in text or "dist-packages" in text:
        return True
    try:
        resolved = path.resolve()
    except OSError:
        return False
    ours = (COURSE_DIR, COURSE_DIR.parent / "mlp", _STDLIB)
    return any(resolved.is_relative_to(folder) for folder in ours)


def is_stub(function: Callable) -> bool:
    """True if ``function``'s body is only a docstring and ``...`` (the learner's stub)."""
    import ast
    import inspect
    import textwrap

    try:
        source = textwrap.dedent(inspect.getsource(function))
        node = ast.parse(source).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return False
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and (
        isinstance(body[0].value.value, str)
    ):
        body = body[1:]
    return len(body) == 1 and isinstance(body[0], ast.Expr) and (
        isinstance(body[0].value, ast.Constant) and body[0].value.value is Ellipsis
    )


def require_answer(value: Any, name: str = "your answer") -> None:
    """Raise :class:`Unanswered` for ``...`` and :class:`Hint` for ``None``."""
    if value is Ellipsis:
        raise Unanswered(f"Replace the `...` in `{name}` with your answer, run that cell, "
                         "then run this one again.")
    if value is None:
        raise Hint(f"`{name}` is None. Did you assign the result of a function that prints "
                   "instead of returning?")


def _number(value: Any, name: str) -> float:
    require_answer(value, name)
    if isinstance(value, (str, bytes)):
        raise Hint(f"`{name}` is a string ({value!r}), not a number: remove the quotes.")
    if isinstance(value, bool):
        raise Hint(f"`{name}` is {value}, a truth value; give a number.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"`{name}` should be a single number, not a {type(value).__name__}.") from None
    if array.size != 1:
        raise Hint(f"`{name}` should be a single number, but it holds {array.size} values "
                   f"(shape {array.shape}).")
    number = float(array.reshape(()))
    if not np.isfinite(number):
        raise Hint(f"`{name}` is {number}; look for a division by zero or an overflow.")
    return number


def as_int(value: Any, name: str) -> int:
    """``value`` as an int; a string, a fraction or an array is refused with a hint."""
    number = _number(value, name)
    if number != int(number):
        raise Hint(f"`{name}` should be a whole number; yours is {number:g}.")
    return int(number)


def as_float(value: Any, name: str) -> float:
    """``value`` as a float; a string or an array of several values is refused with a hint."""
    return _number(value, name)


def as_array(value: Any, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a float array; a wrong type or (if given) a wrong shape is refused."""
    require_answer(value, name)
    if isinstance(value, (str, bytes)):
        raise Hint(f"`{name}` is a string ({value!r}), not numbers: remove the quotes.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"`{name}` should be numbers (an array, list or tuple), not a "
                   f"{type(value).__name__}.") from None
    if shape is not None and array.shape != shape:
        raise Hint(f"`{name}` should have shape {shape}, but yours has shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise Hint(f"`{name}` contains nan or inf; look for a division by zero or an overflow.")
    return array


def as_int_tuple(value: Any, name: str, length: int | None = None) -> tuple[int, ...]:
    """``value`` as a tuple of whole numbers (a shape, or dimensions)."""
    require_answer(value, name)
    if isinstance(value, (str, bytes)) or np.ndim(value) != 1:
        raise Hint(f"`{name}` should be a tuple of whole numbers, like (3, 4).")
    numbers = tuple(as_int(v, f"each entry of {name}") for v in value)
    if length is not None and len(numbers) != length:
        raise Hint(f"`{name}` should hold {length} numbers; yours holds {len(numbers)}.")
    return numbers


# ---------------------------------------------------------------------------------------
# The model answer, on request
# ---------------------------------------------------------------------------------------


class Answer:
    """A model answer to display (markdown with a code block), or why there is none."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_markdown_(self) -> str:
        return self.text


def reference_folder() -> Path:
    """The reference notebooks: ``$COURSE_NOTEBOOKS`` or ``notebooks/`` beside ``course/``."""
    return Path(os.environ.get("COURSE_NOTEBOOKS") or COURSE_DIR.parent / "notebooks")


def model_answer(exercise_id: str) -> str | None:
    """The source of the reference answer cell whose ``grade_id`` is ``exercise_id``."""
    prefix = exercise_id.split("-", 1)[0]
    for path in sorted(reference_folder().glob(f"{prefix}_*.ipynb")):
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in notebook.get("cells", []):
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == exercise_id:
                source = cell.get("source", "")
                return source if isinstance(source, str) else "".join(source)
    return None


def show_answer(exercise_id: str) -> Answer:
    """Show the model answer of ``exercise_id`` and record that the learner looked."""
    source = model_answer(exercise_id)
    if source is None:
        return Answer(
            f"No model answer for `{exercise_id}` here: the reference notebooks "
            f"({reference_folder()}) are not available, or the exercise id is misspelt "
            "(it is printed under each check)."
        )
    if not os.environ.get("COURSE_GRADING"):
        progress.record_answer_viewed(exercise_id)
    source = "".join(line for line in source.splitlines(keepends=True)
                     if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
    return Answer(
        f"**Model answer to {exercise_id}** (one way among several; yours may differ and be "
        f"just as right):\n\n```python\n{source.rstrip()}\n```"
    )
