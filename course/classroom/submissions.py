"""Find the class's notebooks: one folder per student, in our layout or in nbgrader's.

    SUBMISSIONS/<student>/<NN_name>.ipynb                    (handed back as they were handed out)
    submitted/<student>/<assignment>/<NN_name>.ipynb         (nbgrader's ``submitted/`` folder)

Each file is matched to a reference notebook by its name; a renamed file is recognised by the
exercises it contains (nbgrader ``grade_id`` metadata) or by its number, and graded with a note.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from course.editions import course_notebooks, exercises


@dataclass
class Submission:
    """One student's copy of one reference notebook (``path`` None if it was not handed in)."""

    student: str
    notebook: str  # the reference notebook's stem, e.g. "01_what_is_a_neural_network"
    path: Path | None
    note: str = ""


@dataclass
class Stray:
    """A file in a student's folder that is not a course notebook (reported, not graded)."""

    student: str
    path: Path
    note: str


def reference_notebooks(folder: Path) -> dict[str, Path]:
    """``{stem: path}`` of the reference notebooks (``NN_*``, ``A1_*``) in ``folder``."""
    return {path.stem: path for path in course_notebooks(folder)}


def _visible(path: Path) -> bool:
    return not path.name.startswith(".") and path.name != "__MACOSX"


def student_files(folder: Path) -> list[Path]:
    """The notebooks in a student's folder and in its subfolders one level down (assignments)."""
    found = [p for p in sorted(folder.glob("*.ipynb")) if _visible(p)]
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and _visible(p)):
        found += [p for p in sorted(sub.glob("*.ipynb")) if _visible(p)]
    return found


def grade_ids(path: Path) -> set[str]:
    """The nbgrader ``grade_id``s in a notebook file (empty if it cannot be read)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        return {c["metadata"]["nbgrader"]["grade_id"] for c in notebook["cells"]
                if isinstance(c, dict) and "grade_id" in c.get("metadata", {}).get("nbgrader", {})}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


def identify(path: Path, references: dict[str, set[str]]) -> tuple[str | None, str]:
    """Which reference notebook ``path`` is a copy of, and a note if it was renamed."""
    if path.stem in references:
        return path.stem, ""
    ids = grade_ids(path)
    overlap = {stem: len(ids & wanted) for stem, wanted in references.items()}
    best = max(overlap, key=overlap.get, default=None)
    if best is None or overlap[best] == 0:
        number = re.match(r"\s*(\d\d|A\d)(?!\d)", path.name)
        same_number = [s for s in references if number and s[:2] == number.group(1)]
        best = same_number[0] if len(same_number) == 1 else None
    if best is None:
        return None, f"{path.name} is not one of the course's notebooks: not graded."
    return best, f"The file was renamed ({path.name}); it was graded as {best}.ipynb."


def find(root: Path, references: dict[str, Path],
         wanted: list[str] | None = None) -> tuple[list[Submission], list[Stray]]:
    """Every (student, notebook) pair to grade, in order, and the files that are not notebooks.

    ``wanted`` names the notebooks to grade (stems); by default, every reference notebook that
    at least one student handed in. A student without one of them gets a "not handed in" entry.
    """
    ids = {stem: {ex["id"] for ex in exercises(json.loads(path.read_text(encoding="utf-8")))}
           for stem, path in references.items()}
    students = sorted(p for p in root.iterdir() if p.is_dir() and _visible(p))
    found: dict[tuple[str, str], Submission] = {}
    strays: list[Stray] = []
    for folder in students:
        for path in student_files(folder):
            stem, note = identify(path, ids)
            key = (folder.name, stem or "")
            if stem is None:
                strays.append(Stray(folder.name, path, note))
            elif key in found and not note:  # the file with the right name wins over a copy
                other = found[key].path
                found[key] = Submission(folder.name, stem, path,
                                        f"Another copy ({other.name}) was not graded.")
            elif key in found:
                found[key].note += f" Another copy ({path.name}) was not graded."
            else:
                found[key] = Submission(folder.name, stem, path, note)
    notebooks = wanted or sorted({stem for _, stem in found})
    submissions = []
    for folder in students:
        for stem in notebooks:
            submissions.append(found.get((folder.name, stem))
                               or Submission(folder.name, stem, None, "Not handed in."))
    return submissions, strays
