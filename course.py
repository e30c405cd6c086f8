#!/usr/bin/env python3
"""Set up the course and open it, or set it up and run every test.

    python3 course.py          # set up, then open the course in JupyterLab at notebook 00
    python3 course.py test     # set up, then run ruff and the whole test suite

"Set up" means: create a virtual environment in ``.venv/``, install the course into it
(only when ``pyproject.toml`` changed since the last time), and make sure the four MNIST
files are in ``data/`` (or in the folder named by ``MNIST_DIR``), downloading and verifying
them if they are not. Each step is skipped when it is already done, so both commands are
safe to repeat and work offline once the environment and the data are in place.

Extra arguments are passed on: ``python3 course.py test -k data`` runs only the data tests,
``python3 course.py lab --no-browser`` starts JupyterLab without opening a browser.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".setup-stamp"
FIRST_NOTEBOOK = "notebooks/00_meet_mnist.ipynb"
USAGE = """usage: python3 course.py [lab|test|setup|handout|grade] [extra arguments]

  lab    (default) set up, then open the course in JupyterLab at the first notebook
  test   set up, then run ruff and the whole test suite (pytest, every notebook included)
  setup  only set up: virtual environment, packages and MNIST data
  handout [NN ...] [--out DIR]   the notebooks without answers, for a class (docs/teaching.md)
  grade SUBMISSIONS --out grades.csv   grade a class's notebooks (docs/teaching.md)
"""


def venv_bin(name: str) -> Path:
    """Path of an executable inside the virtual environment (POSIX or Windows layout)."""
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def run(command: list[str | Path]) -> int:
    """Run a command from the project root and return its exit code."""
    print("$", " ".join(str(part) for part in command), flush=True)
    return subprocess.call([str(part) for part in command], cwd=ROOT)


def wanted_stamp() -> str:
    """What the stamp should say: the Python version and a hash of pyproject.toml."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"python {sys.version_info.major}.{sys.version_info.minor} pyproject {digest}\n"


def set_up_environment() -> None:
    """Create ``.venv`` and install the course into it, unless that is already done."""
    if not venv_bin("python").exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except Exception as exc:  # e.g. Debian without the python3-venv package
            sys.exit(
                f"Could not create a virtual environment ({exc}).\n"
                "On Debian or Ubuntu install it first: sudo apt install python3-venv"
            )
    if STAMP.exists() and STAMP.read_text() == wanted_stamp():
        return
    python = venv_bin("python")
    if run([python, "-m", "pip", "install", "--upgrade", "pip"]) != 0:
        sys.exit("Could not upgrade pip in .venv (are you online?).")
    if run([python, "-m", "pip", "install", "--editable", ".[test]"]) != 0:
        sys.exit("Could not install the course into .venv (see pip's message above).")
    STAMP.write_text(wanted_stamp())


def set_up_data() -> None:
    """Make sure the MNIST files are present and intact (download them if not)."""
    code = (
        "import sys\n"
        "from mlp.data import DataError, load_mnist\n"
        "try:\n"
        "    for split in ('train', 'test'):\n"
        "        load_mnist(split)\n"
        "except DataError as exc:\n"
        "    sys.exit(str(exc))\n"
    )
    if subprocess.call([str(venv_bin("python")), "-c", code], cwd=ROOT) != 0:
        sys.exit("The MNIST data is not ready (see the message above).")


CLASSROOM = {"handout": "course.classroom.handout", "grade": "course.classroom.grade"}


def classroom(command: str, extra: list[str]) -> int:
    """``handout`` or ``grade``: run the classroom module in the course's environment."""
    return subprocess.call([str(venv_bin("python")), "-m", CLASSROOM[command], *extra])


def parse(argv: list[str]) -> tuple[str, list[str]]:
    """Split the arguments into a command and the arguments passed on to it.

    ``python3 course.py --no-browser`` means the default command, ``lab``, with that option.
    """
    if argv and not argv[0].startswith("-"):
        return argv[0], argv[1:]
    return "lab", argv


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 10):  # noqa: UP036 - say so clearly on an old Python
        sys.exit(f"The course needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    if argv and argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, extra = parse(argv)
    if command not in {"lab", "test", "setup", *CLASSROOM}:
        print(USAGE, file=sys.stderr)
        return 2
    set_up_environment()
    set_up_data()
    if command == "setup":
        print("Set-up complete.")
        return 0
    if command in CLASSROOM:
        return classroom(command, extra)
    if command == "lab":
        # JupyterLab refuses to start as root (common in containers) unless told it may.
        as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        return run([venv_bin("jupyter"), "lab", FIRST_NOTEBOOK, *as_root, *extra])
    lint = run([venv_bin("ruff"), "check", "."])
    tests = run([venv_bin("pytest"), *extra])
    if lint != 0:
        print("ruff found problems (see above).", file=sys.stderr)
    return lint or tests


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
