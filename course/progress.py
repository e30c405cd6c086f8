"""What the checks record in a learner's workspace, and the table ``course.py progress`` prints.

A folder is a workspace if it holds ``.course/`` (made with the workspace). The checks run in
the kernel, whose working folder is the notebook's folder; only there do they record, so
running the reference notebooks (``notebooks/``, nbval, CI) changes no file. The record is
``.course/progress.json``::

    {"01-feedforward": {"tries": 3, "passed": true, "answer_viewed": false,
                              "notebook": "01", "updated": "2026-11-22T22:30:00"}}

written atomically (a temporary file, then ``os.replace``).
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

MARKER = ".course"
PROGRESS_FILE = "progress.json"


def find_workspace(start: Path | None = None) -> Path | None:
    """The workspace holding ``start`` (default: the working folder), or None."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / MARKER).is_dir():
            return candidate
    return None


def load(workspace: Path) -> dict[str, dict[str, Any]]:
    """The records of ``workspace``; an unreadable file counts as no record (never a crash)."""
    try:
        records = json.loads((workspace / MARKER / PROGRESS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}


def save(workspace: Path, records: dict[str, dict[str, Any]]) -> None:
    """Write the records atomically: a reader sees the old file or the new one, never half."""
    target = workspace / MARKER / PROGRESS_FILE
    temporary = target.with_name(f".{PROGRESS_FILE}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, target)


def _update(exercise_id: str, change: dict[str, Any]) -> None:
    try:
        workspace = find_workspace()
    except OSError:  # e.g. the working folder was deleted: record nothing, never crash
        return
    if workspace is None:
        return
    records = load(workspace)
    entry = records.get(exercise_id)
    entry = entry if isinstance(entry, dict) else {}
    entry.setdefault("tries", 0)
    entry.setdefault("passed", False)
    entry.setdefault("answer_viewed", False)
    entry["notebook"] = exercise_id.split("-", 1)[0]
    for key, value in change.items():
        entry[key] = value(entry) if callable(value) else value
    entry["updated"] = datetime.datetime.now().isoformat(timespec="seconds")
    records[exercise_id] = entry
    try:
        save(workspace, records)
    except OSError:  # a read-only workspace must not break the check
        pass


def record(exercise_id: str, passed: bool, answered: bool = True) -> None:
    """Count one try of ``exercise_id`` (an unanswered stub is not a try); once passed, stays."""
    if not answered:
        _update(exercise_id, {})
        return
    _update(exercise_id, {
        "tries": lambda entry: int(entry.get("tries", 0)) + 1,
        "passed": lambda entry: bool(entry.get("passed")) or passed,
    })


def record_answer_viewed(exercise_id: str) -> None:
    """Note that the learner asked for the model answer of ``exercise_id``."""
    _update(exercise_id, {"answer_viewed": True})


def table(exercises: dict[str, list[str]], records: dict[str, dict[str, Any]]) -> str:
    """The progress table: one row per notebook, solved / total and answers looked at.

    Parameters
    ----------
    exercises : dict
        Notebook name -> its exercise ids, in order.
    records : dict
        What :func:`load` returns.
    """
    rows = [("notebook", "solved", "answers looked at", "tried, not solved yet")]
    total_solved = total = 0
    for notebook, ids in exercises.items():
        solved = [i for i in ids if records.get(i, {}).get("passed")]
        viewed = [i for i in ids if records.get(i, {}).get("answer_viewed")]
        trying = [i for i in ids if records.get(i, {}).get("tries") and i not in solved]
        rows.append((notebook, f"{len(solved)} / {len(ids)}", _short(viewed), _short(trying)))
        total_solved += len(solved)
        total += len(ids)
    rows.append(("all notebooks", f"{total_solved} / {total}", "", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.insert(-1, lines[1])
    return "\n".join(lines)


def _short(ids: list[str]) -> str:
    """``["01-w2-shape", "01-bar-bias"]`` -> ``"w2-shape, bar-bias"`` (or "-")."""
    return ", ".join(i.split("-", 1)[-1] for i in ids) or "-"
