"""Handouts for a class: the learner's edition of the notebooks, and the helpers they import.

    python3 course.py handout [NN ...] [--out handout]

writes ``handout/NN_*.ipynb`` (each answer a stub, each check "not answered yet", every other
output kept; made by :func:`course.editions.learner_notebook`, as the learner's workspace is) and
``handout/nn-from-scratch/``: the ``mlp`` and ``course`` packages that the notebooks import,
for a class that does not clone the repository. Students install them with
``python -m pip install ./nn-from-scratch`` (see ``docs/teaching.md``). The reference notebooks
are not in it, so ``show_answer`` says that the model answers are with the teacher.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from course.classroom.grade import REFERENCE, resolve
from course.classroom.submissions import reference_notebooks
from course.editions import dumps, learner_notebook

ROOT = REFERENCE.parent
PACKAGE = "nn-from-scratch"
STUDENT_README = """\
# Neural Networks from Scratch: the course's helpers

The notebooks you were given import two small packages: `mlp` (the network you build) and
`course` (the checks under each exercise). Install them once, into the Python that runs your
notebooks (a virtual environment is best):

    python -m pip install ./{package}

The MNIST files are downloaded and verified the first time a notebook loads them (into `data/`
next to your notebooks, or into the folder named by the environment variable `MNIST_DIR`).
"""


def write_package(out: Path) -> Path:
    """Copy ``mlp``, ``course`` and what pip needs to install them into ``out/nn-from-scratch``."""
    target = out / PACKAGE
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("mlp", "course"):
        shutil.copytree(ROOT / package, target / package, ignore=ignore)
    for name in ("pyproject.toml", "LICENSE"):
        shutil.copy2(ROOT / name, target / name)
    (target / "README.md").write_text(STUDENT_README.format(package=PACKAGE), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 course.py handout",
        description="Write the learner's edition of the notebooks for a class, and the helpers.",
    )
    parser.add_argument("notebooks", nargs="*", metavar="NN", help="default: every notebook")
    parser.add_argument("--out", type=Path, default=Path("handout"), help="default: handout/")
    args = parser.parse_args(argv)
    references = reference_notebooks(REFERENCE)
    names = [resolve(name, references) for name in args.notebooks] or list(references)
    if args.out.resolve() == REFERENCE.resolve():
        parser.error("refusing to write the handouts over the reference notebooks")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for name in names:
            notebook = json.loads(references[name].read_text(encoding="utf-8"))
            (args.out / f"{name}.ipynb").write_text(dumps(learner_notebook(notebook)),
                                                    encoding="utf-8")
            print(f"{args.out / name}.ipynb")
        print(f"{write_package(args.out)}/  (students: python -m pip install ./{PACKAGE})")
    except OSError as exc:
        raise SystemExit(f"Cannot write the handouts to {args.out}: {exc}") from None
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
