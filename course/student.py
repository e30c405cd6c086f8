"""Write the learner's edition of notebooks to a folder (kept for ``python -m course.student``).

    python -m course.student                 # every notebook -> student/
    python -m course.student notebooks/05_training_on_mnist.ipynb --out handout/

The edition is made by :func:`course.editions.learner_notebook`: answers become stubs, check
cells show "not answered yet", every other output stays. A self-learner does not need this:
``python3 course.py`` makes the same edition in ``workspace/``. The reference notebooks in
``notebooks/`` are never modified.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from course.editions import course_notebooks, dumps, learner_notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course.student",
        description="Write the learner's edition of the notebooks (answers replaced by stubs).",
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*")
    parser.add_argument("--out", type=Path, default=Path("student"), help="default: student/")
    args = parser.parse_args(argv)
    paths = args.notebooks or course_notebooks("notebooks")
    if not paths:
        parser.error("no notebooks found; run from the course folder or name them")
    for path in paths:
        if (args.out / path.name).resolve() == path.resolve():
            parser.error(f"refusing to overwrite the reference notebook {path}")
    args.out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        target = args.out / path.name
        target.write_text(dumps(learner_notebook(notebook)), encoding="utf-8")
        print(f"{path} -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
