"""What grading writes: ``grades.csv``, one feedback file per student, a summary table."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path

from mlp.progress import ProgressBar

COLUMNS = ["student", "notebook", "exercise", "points", "max_points", "status", "message"]
ICONS = {"passed": "✔", "failed": "✘", "unanswered": "✎", "error": "⚠", "missing": "∅",
         "flagged": "⚑", "ignored": "-"}


class Progress:
    """A progress bar over the submissions (on standard error, as for training)."""

    def __init__(self, total: int, enabled: bool = True) -> None:
        # Short enough for an 80-column terminal, where a wrapped line cannot be redrawn.
        self.bar = ProgressBar(total, label="grading", width=20, enabled=enabled, min_interval=0)

    def done(self, label: str) -> None:
        self.bar.label = f"graded {label}"[:36].ljust(36)
        self.bar.update()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.label = "done".ljust(36)
        self.bar.close()


def check_writable(out: Path, feedback: Path) -> None:
    """Refuse, before any grading, an output path that cannot be written."""
    for folder in (out.parent, feedback):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder):
                pass
        except OSError as exc:
            message = f"Cannot write to {folder} ({exc.strerror}); nothing was graded."
            raise SystemExit(message) from None
    if out.is_dir():
        raise SystemExit(f"{out} is a folder; give a file name such as {out / 'grades.csv'}.")


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then put it in place."""
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, encoding="utf-8",
                                     newline="", suffix=".tmp") as handle:
        handle.write(text)
    os.replace(handle.name, path)


def write_csv(rows: list[dict], path: Path) -> None:
    """``grades.csv``: one row per student, notebook and exercise."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n",
                            extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "points": f"{row['points']:g}",
                         "max_points": f"{row['max_points']:g}"})
    _atomic_write(path, buffer.getvalue())


def _by(rows: list[dict], key: str) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    return groups


def _points(rows: list[dict]) -> str:
    return f"{sum(r['points'] for r in rows):g} / {sum(r['max_points'] for r in rows):g}"


def feedback_text(student: str, rows: list[dict]) -> str:
    """A student's feedback in Markdown: each notebook, each exercise, the verdict."""
    lines = [f"# Feedback for {student}", "", f"Total: {_points(rows)} points.", ""]
    for notebook, group in _by(rows, "notebook").items():
        lines += [f"## {notebook}: {_points(group)} points", ""]
        for row in group:
            icon = ICONS.get(row["status"], "?")
            lines.append(f"- {icon} **{row['exercise']}** ({row['points']:g} / "
                         f"{row['max_points']:g}): {row['message']}")
        lines.append("")
    return "\n".join(lines)


def safe_name(student: str) -> str:
    return re.sub(r"[^\w.-]+", "_", student).strip("._") or "student"


def write_feedback(rows: list[dict], folder: Path) -> None:
    """One ``<student>.md`` per student in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for student, group in _by(rows, "student").items():
        _atomic_write(folder / f"{safe_name(student)}.md", feedback_text(student, group))


def summary(rows: list[dict]) -> str:
    """A table for the terminal: points per student and notebook, and what needs a look."""
    notebooks = [n for n in _by(rows, "notebook") if any(r["max_points"] for r in
                                                          _by(rows, "notebook")[n])]
    header = ["student", *[n[:2] for n in notebooks], "total", "notes"]
    table = [header]
    for student, group in _by(rows, "student").items():
        per = _by(group, "notebook")
        problems = sorted({r["status"] for r in group if r["status"] in {"error", "missing"}})
        flagged = any(r["status"] == "flagged" for r in group)
        notes = ", ".join(problems + (["flagged"] if flagged else []))
        table.append([student, *[_points(per[n]) if n in per else "-" for n in notebooks],
                      _points(group), notes])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in table]
    text.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(text)
