"""The learner's workspace: their own copies of the notebooks, never overwritten.

``python3 course.py`` calls :func:`update_workspace` before it opens JupyterLab in
``workspace/`` (git-ignored). For every reference notebook ``notebooks/NN_*.ipynb``:

- not in the workspace yet: its learner's edition (:func:`course.editions.learner_notebook`)
  is written there;
- already there, and the reference's text or code unchanged since: nothing happens;
- already there, and the reference changed (a fix, a new exercise): the new learner's edition
  is written *beside* the learner's copy as ``NN_name.update-<hash>.ipynb``; their copy is
  not touched;
- deleted by the learner: a fresh copy is written (that is how to start a notebook over).

``.course/reference.json`` records, per notebook, the hash of the reference it was last made
from (:func:`course.editions.content_hash`); ``.course/progress.json`` holds what the checks
record (:mod:`course.progress`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from course.editions import content_hash, course_notebooks, dumps, exercises, learner_notebook
from course.progress import MARKER

REFERENCE_FILE = "reference.json"
LAB_LAYOUTS = "jupyterlab"  # JupyterLab's saved layouts of this workspace


def reference_notebooks(folder: Path) -> list[Path]:
    """The course's notebooks of ``folder`` (00-12, then the appendix A1), in course order."""
    return course_notebooks(folder)


def _write_new(path: Path, text: str) -> None:
    """Write ``path`` atomically, and never over an existing file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    try:
        os.link(temporary, path)  # fails if ``path`` exists, unlike os.replace
    finally:
        temporary.unlink()


def update_workspace(reference: Path, workspace: Path) -> list[str]:
    """Bring ``workspace`` up to date with the notebooks in ``reference``; say what changed.

    Returns
    -------
    list of str
        One line per notebook written (nothing when all is up to date).
    """
    (workspace / MARKER).mkdir(parents=True, exist_ok=True)
    record_path = workspace / MARKER / REFERENCE_FILE
    try:
        recorded = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    messages = []
    for path in reference_notebooks(reference):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        digest = content_hash(notebook)
        target = workspace / path.name
        if not target.exists():
            _write_new(target, dumps(learner_notebook(notebook)))
            messages.append(f"new: {target.name}")
        elif path.name not in recorded:
            pass  # a copy we did not record (an old workspace): it is the learner's, keep it
        elif recorded[path.name] != digest:
            update = target.with_name(f"{target.stem}.update-{digest[:8]}.ipynb")
            if not update.exists():
                _write_new(update, dumps(learner_notebook(notebook)))
                messages.append(
                    f"updated: {path.name} changed in the course; the new version is "
                    f"{update.name}, beside your copy (which is untouched)"
                )
        recorded[path.name] = digest
    notebooks = reference_notebooks(reference)
    if notebooks:
        first_layout(workspace, notebooks[0].name)
    temporary = record_path.with_name(f".{REFERENCE_FILE}.tmp")
    temporary.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, record_path)
    return messages


def first_layout(workspace: Path, notebook: str) -> Path | None:
    """JupyterLab's saved layout of ``workspace``, notebook ``notebook`` open, if none exists yet.

    JupyterLab restores the layout at ``/lab``; without one it shows its Launcher. Written into
    ``.course/jupyterlab`` (``course.py`` points ``--LabApp.workspaces_dir`` there), so a learner
    who opens the address by hand the first time lands on the first notebook, and later finds
    their own layout again.
    """
    try:
        from jupyterlab_server.workspaces_handler import WORKSPACE_EXTENSION, slugify
    except ImportError:  # no JupyterLab: nothing to lay out
        return None
    path = workspace / MARKER / LAB_LAYOUTS / (slugify("default") + WORKSPACE_EXTENSION)
    if path.exists():
        return None
    widget = f"notebook:{notebook}"
    layout = {
        "data": {
            "layout-restorer:data": {"main": {"dock": {"type": "tab-area", "currentIndex": 0,
                                                       "widgets": [widget]},
                                              "current": widget}},
            widget: {"data": {"path": notebook, "factory": "Notebook"}},
        },
        "metadata": {"id": "default"},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(layout, indent=1) + "\n", encoding="utf-8")
    return path


def course_exercises(reference: Path) -> dict[str, list[str]]:
    """Notebook stem -> its exercise ids, from the reference notebooks."""
    found = {}
    for path in reference_notebooks(reference):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = [item["id"] for item in exercises(notebook)]
    return found


def main(argv: list[str] | None = None) -> int:
    """``python -m course.workspace update|progress REFERENCE WORKSPACE`` (used by course.py)."""
    import argparse

    from course import progress

    parser = argparse.ArgumentParser(prog="python -m course.workspace")
    parser.add_argument("action", choices=["update", "progress"])
    parser.add_argument("reference", type=Path, help="the reference notebooks, e.g. notebooks/")
    parser.add_argument("workspace", type=Path, help="the learner's workspace, e.g. workspace/")
    args = parser.parse_args(argv)
    if args.action == "update":
        for line in update_workspace(args.reference, args.workspace):
            print(f"workspace/{line.split(': ', 1)[1]}" if line.startswith("new: ") else line)
        return 0
    if not (args.workspace / MARKER).is_dir():
        print(f"No workspace yet in {args.workspace}: `python3 course.py` makes it.")
        return 1
    records = progress.load(args.workspace)
    print(progress.table(course_exercises(args.reference), records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
