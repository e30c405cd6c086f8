"""Grade a class: every submitted notebook in a fresh kernel, scored by the reference checks.

    python3 course.py grade SUBMISSIONS --out grades.csv [--notebooks 01 05] [--jobs 2]

``SUBMISSIONS`` holds one folder per student (see :mod:`course.classroom.submissions`). Each
notebook is graded by :mod:`course.classroom.execute` in a subprocess of its own, with a time limit
per cell and per notebook, so that one broken or endless submission never stops the others.
Writes ``grades.csv`` (one row per student, notebook and exercise), one feedback file per
student, and prints a summary table (:mod:`course.classroom.report`).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from course.classroom import report
from course.classroom.submissions import Submission, find, reference_notebooks
from course.editions import exercises

REVIEW = "(review)"  # the exercise column of a row that flags a notebook for the teacher
REFERENCE = Path(__file__).resolve().parent.parent.parent / "notebooks"


def rows_for_all(sub: Submission, wanted: list[dict], status: str, message: str) -> list[dict]:
    """The same verdict for every exercise of a notebook (not handed in, not JSON, ...)."""
    return [{"exercise": ex["id"], "points": 0.0, "max_points": float(ex["points"]),
             "status": status, "message": message} for ex in wanted]


def unreadable(path: Path) -> str:
    """Why ``path`` cannot be graded without running it ("" if it is a JSON object)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"The file cannot be read ({type(exc).__name__}): not graded."
    if not text.strip():
        return "The file is empty (was it saved?): not graded."
    try:
        notebook = json.loads(text)
    except ValueError as exc:
        return (f"The file is not valid JSON ({exc}); it is damaged or was not saved as a "
                "notebook: not graded.")
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return "The file is JSON but not a Jupyter notebook (it has no cells): not graded."
    return ""


def worker_env(jobs: int) -> dict[str, str]:
    """The environment of a grading kernel: record nothing, draw nothing, share the cores."""
    env = {**os.environ, "COURSE_GRADING": "1", "MPLBACKEND": "Agg"}
    env.pop("NBGRADER_EXECUTION", None)  # failed checks must return a Result, not raise
    if jobs > 1:  # one BLAS thread per kernel, so that parallel kernels do not fight over cores
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def run_worker(path: Path, reference: Path, args: argparse.Namespace) -> dict:
    """Grade one file in a subprocess; ``{"rows": ...}`` or ``{"error": why}``."""
    command = [sys.executable, "-m", "course.classroom.execute", str(path), str(reference),
               "--cell-timeout", str(args.cell_timeout),
               "--notebook-timeout", str(args.notebook_timeout)]
    # A last resort only: the worker keeps to the notebook's time limit itself.
    backstop = args.notebook_timeout + args.cell_timeout + 60
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=worker_env(args.jobs), start_new_session=True)
    try:
        out, err = process.communicate(timeout=backstop)
    except subprocess.TimeoutExpired:
        if hasattr(os, "killpg"):  # the worker and everything it started
            os.killpg(process.pid, signal.SIGKILL)
        else:  # Windows
            process.kill()
        process.communicate()
        return {"error": f"grading did not finish within {backstop} s and was stopped"}
    try:
        return json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        last = " ".join(err.strip().splitlines()[-1:]) or f"exit code {process.returncode}"
        return {"error": f"the grader could not run this notebook ({last})"}


def grade_one(sub: Submission, reference: Path, args: argparse.Namespace) -> list[dict]:
    """Rows (without student and notebook) for one submission."""
    wanted = exercises(json.loads(reference.read_text(encoding="utf-8")))
    if sub.path is None:
        return rows_for_all(sub, wanted, "missing", sub.note)
    problem = unreadable(sub.path)
    if problem:
        return rows_for_all(sub, wanted, "error", " ".join([problem, sub.note]).strip())
    outcome = run_worker(sub.path, reference, args)
    if "error" in outcome:
        return rows_for_all(sub, wanted, "error", f"Not graded: {outcome['error']}.")
    for row in outcome["rows"]:
        row["message"] = " ".join([row["message"], sub.note]).strip()
        row["seconds"] = outcome["seconds"]
    if outcome.get("suspicious"):  # one row for the whole notebook, worth nothing either way
        outcome["rows"].append({
            "exercise": REVIEW, "points": 0.0, "max_points": 0.0, "status": "flagged",
            "message": "Flagged for the teacher: " + "; ".join(outcome["suspicious"])
            + ". This changed no grade: the reference checks ran, not the student's."})
    return outcome["rows"]


def grade(args: argparse.Namespace) -> list[dict]:
    """Grade every submission under ``args.submissions``; the rows of ``grades.csv``."""
    references = reference_notebooks(args.reference)
    wanted = [resolve(name, references) for name in args.notebooks] if args.notebooks else None
    submissions, strays = find(args.submissions, references, wanted)
    if not submissions:
        raise SystemExit(f"No student folders with notebooks in {args.submissions}.")
    rows: list[dict] = []
    with report.Progress(len(submissions), enabled=not args.quiet) as progress, \
            ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(grade_one, sub, references[sub.notebook], args)
                   for sub in submissions]
        for sub, future in zip(submissions, futures, strict=True):
            for row in future.result():
                rows.append({"student": sub.student, "notebook": sub.notebook, **row})
            progress.done(f"{sub.student}/{sub.notebook[:2]}")
    rows += [{"student": s.student, "notebook": s.path.name, "exercise": "-", "points": 0.0,
              "max_points": 0.0, "status": "ignored", "message": s.note} for s in strays]
    return rows


def resolve(name: str, references: dict[str, Path]) -> str:
    """``"01"``, ``"01_what_is_a_neural_network"`` or its file name -> the reference stem."""
    stem = Path(name).stem
    matches = [s for s in references if s == stem or s[:2] == stem]
    if len(matches) != 1:
        raise SystemExit(f"No reference notebook called {name!r} (there are: "
                         f"{', '.join(references)}).")
    return matches[0]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python3 course.py grade",
        description="Grade the class's notebooks: each in a fresh kernel, by the reference checks.",
    )
    p.add_argument("submissions", type=Path,
                   help="folder with one folder per student (or nbgrader's submitted/)")
    p.add_argument("--out", type=Path, default=Path("grades.csv"), help="default: grades.csv")
    p.add_argument("--feedback", type=Path, default=None,
                   help="folder for the students' feedback files (default: feedback/ beside --out)")
    p.add_argument("--notebooks", nargs="+", metavar="NN",
                   help="grade these notebooks (default: every notebook a student handed in)")
    # Notebook 05's 30 epochs take 19 s on a quiet 2-core machine and 50 s on a busy one.
    p.add_argument("--cell-timeout", type=int, default=120,
                   help="seconds per cell (default 120)")
    p.add_argument("--notebook-timeout", type=int, default=600,
                   help="seconds per notebook (default 600)")
    p.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="notebooks graded at once (default: 2, or 1 on a single core)")
    p.add_argument("--reference", type=Path, default=REFERENCE, help=argparse.SUPPRESS)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not args.submissions.is_dir():
        raise SystemExit(f"{args.submissions} is not a folder of submissions.")
    if not reference_notebooks(args.reference):
        raise SystemExit(f"No reference notebooks (NN_*.ipynb) in {args.reference}.")
    if args.jobs < 1 or args.cell_timeout < 1 or args.notebook_timeout < 1:
        raise SystemExit("--jobs, --cell-timeout and --notebook-timeout must be at least 1.")
    feedback = args.feedback or args.out.parent / "feedback"
    report.check_writable(args.out, feedback)  # before the work, not after it
    start = time.monotonic()
    rows = grade(args)
    report.write_csv(rows, args.out)
    report.write_feedback(rows, feedback)
    print(report.summary(rows))
    print(f"Graded in {time.monotonic() - start:.0f} s. Wrote {args.out} and "
          f"{len({r['student'] for r in rows})} feedback files in {feedback}/.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
