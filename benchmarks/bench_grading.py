"""How long grading a class takes: N made-up students, graded by one command.

    .venv/bin/python benchmarks/bench_grading.py                      # 30 students, 01 and 05
    .venv/bin/python benchmarks/bench_grading.py --students 6 --notebooks 04 --jobs 1 2

The students are made from the handout (the learner's edition): a third answer everything as
the reference does, a third hand it back blank, a third answer every other exercise. Each run
grades the whole class with ``python -m course.classroom.grade`` and prints the wall time, the
time per notebook, and whether every student got the points their answers deserve.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from course.classroom import grade  # noqa: E402
from course.editions import exercises, learner_notebook  # noqa: E402


def make_class(folder: Path, names: list[str], students: int) -> dict[tuple[str, str], float]:
    """Write the class's notebooks; return the points each (student, notebook) deserves."""
    expected = {}
    for name in names:
        reference = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text())
        handout = learner_notebook(reference)
        wanted = exercises(reference)
        for number in range(students):
            kind = number % 3  # 0 right, 1 blank, 2 every other exercise
            right = [ex for i, ex in enumerate(wanted) if kind == 0 or (kind == 2 and i % 2 == 0)]
            notebook = json.loads(json.dumps(handout))
            for ex in right:
                notebook["cells"][ex["answer"]]["source"] = reference["cells"][ex["answer"]][
                    "source"]
            student = folder / f"student{number:02d}"
            student.mkdir(exist_ok=True)
            (student / f"{name}.ipynb").write_text(json.dumps(notebook))
            expected[(student.name, name)] = float(sum(ex["points"] for ex in right))
    return expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--notebooks", nargs="+", default=["01", "05"])
    parser.add_argument("--jobs", type=int, nargs="+", default=[2])
    args = parser.parse_args()
    names = [next(p.stem for p in (ROOT / "notebooks").glob(f"{n[:2]}_*.ipynb"))
             for n in args.notebooks]
    print(f"{args.students} students x {', '.join(names)}; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        expected = make_class(folder, names, args.students)
        for jobs in args.jobs:
            options = grade.parser().parse_args([str(folder), "--jobs", str(jobs), "--quiet"])
            start = time.perf_counter()
            rows = grade.grade(options)  # what `python3 course.py grade` does, minus the files
            seconds = time.perf_counter() - start
            got: dict[tuple[str, str], float] = defaultdict(float)
            took: dict[str, dict[str, float]] = defaultdict(dict)
            for row in rows:
                got[(row["student"], row["notebook"])] += row["points"]
                took[row["notebook"]][row["student"]] = row.get("seconds", 0.0)
            wrong = sorted(key for key in expected if got[key] != expected[key])
            count = len(expected)
            print(f"--jobs {jobs}: {count} notebooks in {seconds:.0f} s "
                  f"({seconds / count:.1f} s per notebook); load average "
                  f"{os.getloadavg()[0]:.1f}; "
                  + ("every grade as expected" if not wrong else f"WRONG GRADES: {wrong}"))
            for name, times in took.items():
                print(f"    {name}: {statistics.median(times.values()):.1f} s per student "
                      f"(median; slowest {max(times.values()):.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
