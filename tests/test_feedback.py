"""The shared check mechanism: results, the guard, tiered hints, grading modes, progress."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from course import feedback, progress
from course.feedback import Hint, Result, as_array, as_float, as_int, call_learner, exercise


@exercise("99-demo", points=2)
def check_demo(answer: object) -> str:
    value = as_int(answer, "answer")
    if value != 42:
        raise Hint("A nudge.", pointed="A pointed hint.")
    return "Forty-two."


@exercise("99-function", points=3)
def check_function(function: object) -> str:
    value = call_learner(function, np.ones((2, 3)), name="function", hint="Look at the shapes.")
    as_array(value, "function(x)", shape=(3,))
    return "Fine."


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test starts outside any workspace, with no tries counted and no grading mode."""
    feedback._FAILED.clear()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("COURSE_GRADING", raising=False)


def test_a_right_answer_gives_the_points() -> None:
    result = check_demo(42)
    assert result == Result("99-demo", True, 2, 2, "Forty-two.")
    assert repr(result) == "✔ Correct! Forty-two."
    assert "#009E73" in result._repr_html_() and "✔" in result._repr_html_()
    assert json.loads(result.to_json())["points"] == 2


def test_a_wrong_answer_shows_the_nudge_then_the_pointed_hint() -> None:
    first, second = check_demo(41), check_demo(40)
    assert not first.passed and first.points == 0
    assert repr(first) == "✘ Not yet. A nudge."
    assert second.message == "A nudge. A pointed hint."
    assert "#D55E00" in first._repr_html_() and "✘" in first._repr_html_()


def test_the_box_never_breaks_words() -> None:
    html = check_demo(41)._repr_html_()
    assert "word-break: normal" in html and "overflow-wrap: break-word" in html
    assert "break-all" not in html


def test_a_stub_is_not_answered_and_not_a_try() -> None:
    result = check_demo(...)
    assert not result.passed and not result.answered
    assert "`answer`" in result.message and repr(result).startswith("✎ Not answered yet.")
    assert feedback._FAILED == {}


@pytest.mark.parametrize(
    ("value", "words"),
    [("5421", "string"), ([1, 2], "single number"), (True, "truth value"), (None, "None"),
     (4.5, "whole number"), (float("nan"), "nan")],
)
def test_wrong_types_are_refused_kindly(value: object, words: str) -> None:
    result = check_demo(value)
    assert not result.passed and words in result.message


def test_as_float_and_as_array() -> None:
    assert as_float(np.array([0.5]), "x") == 0.5
    with pytest.raises(Hint, match="shape"):
        as_array([1, 2], "x", shape=(3,))


def test_the_guard_names_the_error_and_the_line() -> None:
    def buggy(x):
        y = x.T
        return y @ y.T @ np.ones(5)  # raises ValueError: shapes do not line up

    result = check_function(buggy)
    line = buggy.__code__.co_firstlineno + 2
    assert not result.passed
    assert result.message.startswith(f"Your function raised ValueError at line {line} of "
                                      "test_feedback.py: matmul")
    assert result.message.endswith("Look at the shapes.")


def test_the_guard_catches_none_wrong_shapes_and_non_functions() -> None:
    assert "returned None" in check_function(lambda x: None).message
    assert "shape (3,)" in check_function(lambda x: np.zeros((2, 2))).message
    assert "should be a function" in check_function(3).message


def test_a_bug_in_a_check_is_still_a_verdict() -> None:
    @exercise("99-broken")
    def check_broken(answer: object) -> str:
        raise KeyError("oops")

    result = check_broken(1)
    assert not result.passed and "KeyError" in result.message


def test_is_stub() -> None:
    def stub(x):
        """Docstring."""
        ...

    def written(x):
        """Docstring."""
        return x

    assert feedback.is_stub(stub) and not feedback.is_stub(written)


def test_nbgrader_gets_an_assertion_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert check_demo(42).passed
    with pytest.raises(AssertionError, match="Not yet"):
        check_demo(41)
    with pytest.raises(AssertionError, match="Not answered"):
        check_demo(...)


def test_progress_is_recorded_only_in_a_workspace(tmp_path: Path) -> None:
    check_demo(41)
    assert not list(tmp_path.rglob("progress.json")), "outside a workspace: no record"
    (tmp_path / ".course").mkdir()
    check_demo(41)
    check_demo(42)
    check_demo(...)
    record = progress.load(tmp_path)["99-demo"]
    assert record["tries"] == 2 and record["passed"] is True
    assert record["answer_viewed"] is False and record["notebook"] == "99"
    check_demo(40)
    assert progress.load(tmp_path)["99-demo"]["passed"], "once solved, stays solved"


def test_grading_records_nothing_and_always_gives_the_nudge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".course").mkdir()
    monkeypatch.setenv("COURSE_GRADING", "1")
    assert check_demo(41).message == check_demo(41).message == "A nudge."
    assert not (tmp_path / ".course" / "progress.json").exists()


def test_show_answer_displays_the_model_answer_and_records_it(tmp_path: Path) -> None:
    (tmp_path / ".course").mkdir()
    answer = feedback.show_answer("01-feedforward")
    text = answer._repr_markdown_()
    assert "def feedforward(weights, biases, a):" in text
    assert "BEGIN SOLUTION" not in text
    assert progress.load(tmp_path)["01-feedforward"]["answer_viewed"] is True


def test_show_answer_without_the_reference_notebooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSE_NOTEBOOKS", "/nonexistent")
    assert "not available" in repr(feedback.show_answer("01-feedforward"))


def test_a_corrupt_progress_file_is_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / ".course").mkdir()
    (tmp_path / ".course" / "progress.json").write_text("{not json")
    assert check_demo(42).passed
    assert progress.load(tmp_path)["99-demo"]["passed"]


def test_progress_table() -> None:
    records = {"00-a": {"passed": True, "tries": 1}, "00-b": {"answer_viewed": True, "tries": 2},
               "01-c": {"tries": 1}}
    table = progress.table({"00_x": ["00-a", "00-b"], "01_y": ["01-c"]}, records)
    lines = table.splitlines()
    assert lines[0].split() == ["notebook", "solved", "answers", "looked", "at", "tried,", "not",
                                "solved", "yet"]
    assert lines[2].split()[:4] == ["00_x", "1", "/", "2"] and "b" in lines[2]
    assert "01_y" in lines[3] and "c" in lines[3]
    assert lines[-1].split()[:5] == ["all", "notebooks", "1", "/", "3"]
