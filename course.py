#!/usr/bin/env python3
"""Set up the course and open it, or set it up and run every test.

    python3 course.py            # set up, then open your workspace in JupyterLab at notebook 00
    python3 course.py progress   # what you have solved so far, notebook by notebook
    python3 course.py test       # set up, then run ruff and the whole test suite

"Set up" means: create a virtual environment in ``.venv/``, install the course into it
(only when ``pyproject.toml`` changed since the last time), and make sure the four MNIST
files are in ``data/`` (or in the folder named by ``MNIST_DIR``) and the four Fashion-MNIST
files in ``data/fashion-mnist/`` (or ``FASHION_MNIST_DIR``), downloading and verifying them
if they are not. Each step is skipped when it is already done, so both commands are
safe to repeat and work offline once the environment and the data are in place.

Opening the course also brings ``workspace/`` (git-ignored) up to date: the learner's own
copies of the notebooks, made from ``notebooks/`` and never overwritten (see
``course/workspace.py``). JupyterLab serves ``workspace/`` only, so nothing the learner does
changes a tracked file.

Extra arguments are passed on: ``python3 course.py test -k data`` runs only the data tests,
``python3 course.py lab --no-browser`` starts JupyterLab without opening a browser, and
``python3 course.py lab 03`` opens notebook 03.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".setup-stamp"
REFERENCE = ROOT / "notebooks"
# The learner's notebooks; COURSE_WORKSPACE puts them elsewhere (the tests use that).
WORKSPACE = Path(os.environ.get("COURSE_WORKSPACE") or ROOT / "workspace").resolve()
COMMANDS = {
    "lab": "(default) set up, then open your workspace in JupyterLab at notebook 00;\n"
    "            `lab NN` opens notebook NN, other options go to JupyterLab",
    "progress": "what you have solved in your workspace, notebook by notebook",
    "test": "set up, then run ruff and the whole test suite (pytest, every notebook)",
    "setup": "only set up: virtual environment, packages, MNIST and Fashion-MNIST data",
    "handout": "[NN ...] [--out DIR]: the notebooks without answers, for a class\n"
    "            (see docs/teaching.md)",
    "grade": "SUBMISSIONS --out grades.csv: grade a class's notebooks (docs/teaching.md)",
}
USAGE = "usage: python3 course.py [{}] [extra arguments]\n\n{}\n".format(
    "|".join(COMMANDS), "\n".join(f"  {name:<9} {text}" for name, text in COMMANDS.items())
)
# JupyterLab's own defaults for this course (a drop-in read from .venv, not the learner's
# settings): never ask about Jupyter news, never check for updates.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
}


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
    """Make sure the MNIST and Fashion-MNIST files are present and intact (download them if not).

    MNIST is needed by every notebook; without it the course cannot start. Fashion-MNIST
    (notebook 12, ``--dataset fashion-mnist``) is fetched now too, so that the whole course
    works offline afterwards, but if that fails the course still opens: the files are
    fetched again when they are first needed.
    """
    code = (
        "import sys\n"
        "from mlp.data import DataError, load_fashion_mnist, load_mnist\n"
        "try:\n"
        "    for split in ('train', 'test'):\n"
        "        load_mnist(split)\n"
        "except DataError as exc:\n"
        "    sys.exit(str(exc))\n"
        "try:\n"
        "    for split in ('train', 'test'):\n"
        "        load_fashion_mnist(split)\n"
        "except DataError as exc:\n"
        "    print(f'{exc}\\nFashion-MNIST is not ready; it is used only by notebook 12 and '\n"
        "          '`mlp train --dataset fashion-mnist`, which fetch it when they need it.',\n"
        "          file=sys.stderr)\n"
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


def notebook_url(extra: list[str]) -> tuple[str, list[str]]:
    """The notebook to open and the options for JupyterLab.

    ``lab 03``, ``lab 03_backpropagation_intuition.ipynb`` or ``lab workspace/03_...`` open
    notebook 03; without a name, the first notebook.
    """
    # course.editions.NOTEBOOK_GLOB (this script runs before the environment exists): 00-12, A1
    names = sorted(path.name for path in WORKSPACE.glob("[0-9A][0-9]_*.ipynb"))
    if not extra or not (re.match("[0-9A][0-9]", extra[0]) or extra[0].endswith(".ipynb")):
        return (names[0] if names else ""), extra
    wanted = Path(extra[0]).name
    matches = [name for name in names if name == wanted or name.startswith(wanted[:2] + "_")]
    if not matches:
        sys.exit(f"No notebook {extra[0]!r} in {WORKSPACE}; there are: {', '.join(names)}.")
    return matches[0], extra[1:]


def write_lab_overrides(prefix: Path) -> None:
    """Install :data:`LAB_OVERRIDES` as a drop-in of the JupyterLab in environment ``prefix``."""
    overrides = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.d"
    overrides.mkdir(parents=True, exist_ok=True)
    (overrides / "nn-from-scratch.json").write_text(json.dumps(LAB_OVERRIDES, indent=1) + "\n")


def lab_command(notebook: str, options: list[str]) -> list[str]:
    """JupyterLab serving only the workspace, opening ``notebook`` even at the bare URL."""
    # JupyterLab refuses to start as root (common in containers) unless told it may.
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    return [
        str(venv_bin("jupyter")), "lab", f"--ServerApp.root_dir={WORKSPACE}",
        f"--LabApp.default_url=/lab/tree/{notebook}", "--LabApp.news_url=None",
        f"--LabApp.workspaces_dir={WORKSPACE / '.course' / 'jupyterlab'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *as_root, *options,
    ]


def open_lab(extra: list[str]) -> int:
    """Bring the workspace up to date, then run JupyterLab on it until Ctrl+C."""
    python = venv_bin("python")
    if run([python, "-m", "course.workspace", "update", REFERENCE, WORKSPACE]) != 0:
        sys.exit("Could not prepare your workspace (see the message above).")
    write_lab_overrides(VENV)
    notebook, rest = notebook_url(extra)
    command = lab_command(notebook, rest)
    print(f"Opening your workspace ({WORKSPACE.name}/) at {notebook}. Stop with Ctrl+C.",
          flush=True)
    # Its own process group: Ctrl+C reaches only us, and we stop JupyterLab without its
    # "Shutdown this Jupyter server (y/[n])?" question.
    lab = subprocess.Popen(command, cwd=WORKSPACE, start_new_session=True)
    # Ctrl+C (and a plain `kill`) stop JupyterLab too, even where SIGINT was ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return lab.wait()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not interrupt this
        print("\nStopping JupyterLab ...", flush=True)
        lab.send_signal(signal.SIGTERM)
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            lab.kill()
        print(f"Stopped. Your notebooks, as last saved, are in {WORKSPACE};\n"
              "`python3 course.py` opens them again, `python3 course.py progress` shows progress.")
        return 0


def show_progress() -> int:
    if not venv_bin("python").exists():
        print("No course set up yet: `python3 course.py` sets it up and opens it.")
        return 1
    return subprocess.call([str(venv_bin("python")), "-m", "course.workspace", "progress",
                            str(REFERENCE), str(WORKSPACE)], cwd=ROOT)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 10):  # noqa: UP036 - say so clearly on an old Python
        sys.exit(f"The course needs Python 3.10 or newer; this is {sys.version.split()[0]}.")
    if argv and argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, extra = parse(argv)
    if command not in COMMANDS:
        print(f"course.py: unknown command {command!r}.\n\n{USAGE}", file=sys.stderr)
        return 2
    if command == "progress":
        return show_progress()
    set_up_environment()
    set_up_data()
    if command == "setup":
        print("Set-up complete.")
        return 0
    if command in CLASSROOM:
        return classroom(command, extra)
    if command == "lab":
        return open_lab(extra)
    lint = run([venv_bin("ruff"), "check", "."])
    tests = run([venv_bin("pytest"), *extra])
    if lint != 0:
        print("ruff found problems (see above).", file=sys.stderr)
    return lint or tests


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
