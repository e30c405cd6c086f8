"""Grade one submitted notebook: run it in a fresh kernel, then run the reference checks.

    python -m course.classroom.execute SUBMISSION.ipynb REFERENCE.ipynb [--cell-timeout 60]

prints one line of JSON: ``{"rows": [{"exercise", "points", "max_points", "status",
"message"}, ...], "seconds": ...}``, one row per exercise of the reference notebook.
:mod:`course.classroom.grade` runs this module in a subprocess per submission, so that nothing
a student's code does (crash the kernel, loop forever, exhaust memory) can stop the others.

What runs in the kernel is the student's code cells in the student's order, except their copies
of the check cells. Right after each answer cell (found by its nbgrader ``grade_id``) comes a
*grading cell*: it imports ``course.feedback`` and ``course.nbNN`` afresh (a student who redefined
or patched a check gains nothing), runs the **reference** check call on the student's variables
and prints the :class:`course.feedback.Result` as JSON after a marker. Only the output of those
grading cells is read: a printed "Correct!" anywhere else is just text.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course.editions import exercises, source

MARKER = "@@course-grading-result@@ "
TIMEOUT_ERROR = "CellTimeoutError"


@dataclass
class Step:
    """A cell to run: a student's cell (``exercise`` set for an answer cell) or a grading cell."""

    source: str
    kind: str  # "student" or "grading"
    exercise: str | None = None
    outputs: list[dict] = field(default_factory=list)
    ran: bool = False


def nbgrader_id(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def is_check_cell(cell: dict, check_ids: set[str]) -> bool:
    """A cell that holds (the student's copy of) a check: it is never run as the student left it."""
    meta = cell.get("metadata", {})
    return nbgrader_id(cell) in check_ids or "check" in meta.get("tags", []) or bool(
        meta.get("nbgrader", {}).get("grade")
    )


def grading_cell(call: str) -> str:
    """The source of a grading cell for the reference check ``call`` (``nb01.check_x(x)``).

    Every ``course`` module is dropped from ``sys.modules`` and imported again, so the check
    that runs is the installed one, whatever the student's cells did to the old modules.
    """
    alias = call.split(".", 1)[0]
    module = f"course.{alias}" if re.fullmatch(r"nb(?:\d\d|A\d)", alias) else "course.feedback"
    return (
        "import sys as _grading_sys\n"
        "for _grading_name in [n for n in _grading_sys.modules if n.split('.')[0] == 'course']:\n"
        "    del _grading_sys.modules[_grading_name]\n"
        "import dataclasses as _grading_dc, importlib as _grading_il, json as _grading_json\n"
        f"{alias} = _grading_il.import_module({module!r})\n"
        "_grading_result_type = _grading_il.import_module('course.feedback').Result\n"
        "try:\n"
        f"    _grading_result = {call}\n"
        "    if type(_grading_result) is not _grading_result_type:\n"
        "        raise TypeError('the check did not return a course.feedback.Result')\n"
        "    _grading_out = _grading_dc.asdict(_grading_result)\n"
        "except BaseException as _grading_exc:  # NameError, KeyboardInterrupt (time limit), ...\n"
        "    _grading_out = {'error': type(_grading_exc).__name__, 'detail': str(_grading_exc)}\n"
        f"print({MARKER!r} + _grading_json.dumps(_grading_out, default=str))\n"
    )


def plan(student: dict, reference: dict) -> tuple[list[Step], list[dict[str, Any]]]:
    """The cells to run for ``student`` (a notebook dict), and the reference's exercises."""
    wanted = exercises(reference)
    by_id = {ex["id"]: ex for ex in wanted}
    check_ids = {f"{ex['id']}-check" for ex in wanted}
    steps: list[Step] = []
    for cell in student.get("cells", []):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        if is_check_cell(cell, check_ids):
            continue
        exercise_id = nbgrader_id(cell)
        if exercise_id not in by_id:
            steps.append(Step(source(cell), "student"))
            continue
        steps.append(Step(source(cell), "student", exercise_id))
        steps.append(Step(grading_cell(by_id[exercise_id]["call"]), "grading", exercise_id))
    found = {step.exercise for step in steps if step.kind == "student"}
    for ex in wanted:
        if ex["id"] not in found:  # deleted, or pasted into a cell without its metadata
            steps.append(Step(grading_cell(ex["call"]), "grading", ex["id"]))
    return steps, wanted


def kernel_manager(sockets: str) -> Any:
    """A manager for a fresh ``python3`` kernel, talking over Unix sockets where there are some.

    With TCP, a kernel started at the same moment by another process can take one of the ports
    this kernel was given, and the client then waits for a kernel that never answers.
    """
    # The asynchronous manager, as nbclient makes it: with a blocking one, the time limits fail.
    from jupyter_client.manager import AsyncKernelManager

    if os.name != "posix":
        return AsyncKernelManager(kernel_name="python3")
    return AsyncKernelManager(kernel_name="python3", transport="ipc", ip=f"{sockets}/kernel")


def run(steps: list[Step], cell_timeout: int, notebook_timeout: int) -> str:
    """Run ``steps`` in a fresh kernel, filling in their outputs; say why it stopped early."""
    # nbformat -> jsonschema imports rfc3987_syntax if present, which builds a grammar for
    # 2.6 s at every start (checking URIs we never validate); jsonschema does without it.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(step.source) for step in steps],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}},
    )
    with tempfile.TemporaryDirectory(prefix="course-grading-") as workdir, \
            tempfile.TemporaryDirectory(prefix="course-kernel-") as sockets:
        client = NotebookClient(
            notebook, km=kernel_manager(sockets), timeout=cell_timeout, allow_errors=True,
            interrupt_on_timeout=True, shutdown_kernel="immediate",
            error_on_timeout={"ename": TIMEOUT_ERROR, "evalue": f"{cell_timeout} s",
                              "traceback": []},
            resources={"metadata": {"path": workdir}},
        )
        timeouts: set[int] = set()

        def on_cell_error(cell: Any, cell_index: int, execute_reply: dict) -> None:
            # After a time limit nbclient hands over a made-up reply and no output: note it.
            if execute_reply["content"].get("ename") == TIMEOUT_ERROR:
                timeouts.add(cell_index)

        client.on_cell_error = on_cell_error
        deadline = time.monotonic() + notebook_timeout
        stopped, timed_out_before = "", False
        with client.setup_kernel(cleanup_kc=True):  # kill the kernel at the end (we made it)
            for index, (step, cell) in enumerate(zip(steps, notebook.cells, strict=True)):
                remaining = int(deadline - time.monotonic())
                if remaining <= 0:
                    stopped = f"the notebook's time limit ({notebook_timeout} s) was reached"
                    break
                client.timeout = max(1, min(cell_timeout, remaining))
                try:
                    client.execute_cell(cell, index)
                except DeadKernelError:
                    stopped = "the kernel died (the code crashed Python or ran out of memory)"
                    break
                step.ran, step.outputs = True, list(cell.outputs)
                timed_out = index in timeouts
                if timed_out:
                    step.outputs.append({"output_type": "error", "ename": TIMEOUT_ERROR,
                                         "evalue": "", "traceback": []})
                if timed_out and timed_out_before:
                    stopped = "a cell could not be stopped after its time limit"
                    break
                timed_out_before = timed_out
    return stopped


def error_of(step: Step) -> tuple[str, str] | None:
    """``(exception name, message)`` of a cell that raised, or None."""
    for output in step.outputs:
        if output.get("output_type") == "error":
            return output.get("ename", "Error"), output.get("evalue", "")
    return None


def result_of(step: Step) -> dict | None:
    """The JSON a grading cell printed after the marker, or None."""
    for output in step.outputs:
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        for line in text.splitlines():
            if line.startswith(MARKER):
                return json.loads(line[len(MARKER):])
    return None


def describe_error(error: tuple[str, str], cell_timeout: int) -> str:
    name, detail = error
    if name in {TIMEOUT_ERROR, "KeyboardInterrupt"}:  # stopped by the grader's time limit
        return f"did not finish within {cell_timeout} s (an endless loop?) and was stopped"
    return f"raised {name}: {detail}".rstrip(": ")


def exercise_row(ex: dict, steps: list[Step], stopped: str, cell_timeout: int) -> dict:
    """The grade of one exercise: what its reference check said, and why if it could not run."""
    row = {"exercise": ex["id"], "points": 0.0, "max_points": float(ex["points"]),
           "status": "error", "message": ""}
    answers = [s for s in steps if s.kind == "student" and s.exercise == ex["id"]]
    gradings = [s for s in steps if s.kind == "grading" and s.exercise == ex["id"] and s.ran]
    notes = []
    if not answers:
        notes.append("Answer cell not found (deleted, or pasted into a new cell without its "
                     "metadata); the check ran at the end of the notebook.")
    elif len(answers) > 1:
        notes.append(f"The answer cell appears {len(answers)} times; the last one counts.")
    answer_error = next((error_of(s) for s in reversed(answers) if s.ran and error_of(s)), None)
    if answer_error:
        notes.append(f"Your answer cell {describe_error(answer_error, cell_timeout)}.")
    outcome = result_of(gradings[-1]) if gradings else None
    if not gradings:
        row["message"] = f"Not graded: the notebook stopped before this exercise ({stopped})."
    elif outcome is None:
        error = error_of(gradings[-1])
        row["message"] = (f"The check {describe_error(error, cell_timeout)}." if error
                          else "The check printed no result.")
    elif "error" in outcome:
        if answer_error and answer_error[0] == "NotImplementedError":  # nbgrader's stub
            row["status"], row["message"] = "unanswered", "Not answered."
            notes.remove(f"Your answer cell {describe_error(answer_error, cell_timeout)}.")
            notes.append("The answer cell still raises NotImplementedError (nbgrader's stub).")
        elif outcome["error"] == "KeyboardInterrupt":
            row["message"] = f"The check of your answer did not finish within {cell_timeout} s."
        elif outcome["error"] == "NameError" and answer_error:
            row["message"] = f"The check could not run: {outcome['detail']}."
        elif outcome["error"] == "NameError":
            row["message"] = f"Not answered: {outcome['detail']}."
            row["status"] = "unanswered"
        else:
            row["message"] = f"The check failed: {outcome['error']}: {outcome['detail']}"
    else:
        row.update(points=float(outcome["points"]), message=outcome["message"],
                   status="passed" if outcome["passed"] else
                   ("failed" if outcome.get("answered", True) else "unanswered"))
    row["message"] = " ".join([row["message"], *notes]).strip()
    return row


def moved_exercises(steps: list[Step], wanted: list[dict]) -> set[str]:
    """Exercises whose answer cells are not in the handout's order relative to the others."""
    order = [s.exercise for s in steps if s.kind == "student" and s.exercise]
    seen = list(dict.fromkeys(order))
    expected = [ex["id"] for ex in wanted if ex["id"] in seen]
    return {a for a, b in zip(seen, expected, strict=True) if a != b}


def grade_notebook(student: dict, reference: dict, cell_timeout: int = 120,
                   notebook_timeout: int = 600) -> dict:
    """Grade ``student`` against ``reference`` (both notebook dicts): ``{"rows", "seconds"}``."""
    start = time.monotonic()
    steps, wanted = plan(student, reference)
    stopped = run(steps, cell_timeout, notebook_timeout)
    moved = moved_exercises(steps, wanted)
    rows = []
    for ex in wanted:
        row = exercise_row(ex, steps, stopped, cell_timeout)
        if ex["id"] in moved:
            row["message"] += " (Its cell was moved: the cells are not in the handout's order.)"
        rows.append(row)
    return {"rows": rows, "seconds": round(time.monotonic() - start, 1),
            "suspicious": suspicious_code(student, reference)}


PROTECTED = re.compile(
    r"nb(?:\d\d|A\d)|course|feedback|np|numpy|builtins|sys|json|dataclasses|importlib"
)


def _root_name(node: ast.AST) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


def _cheats_in(code: str) -> list[str]:
    """What in ``code`` looks like an attempt to fool the checks (never changes a grade)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name.startswith("check_") or node.name == "Result":
                found.append(f"defines its own {node.name}")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setattr":
            targets = node.args[:1]
            found += [f"calls setattr on {_root_name(t)}" for t in targets
                      if PROTECTED.fullmatch(_root_name(t))]
            continue
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "Correct!" in node.value or "✔" in node.value:
                found.append("prints a verdict of its own (\"Correct!\")")
        elif isinstance(node, ast.Attribute) and ast.unparse(node) == "sys.modules":
            found.append("touches sys.modules")
        for target in targets:
            name = target.id if isinstance(target, ast.Name) else ""
            if name.startswith("check_") or name in {"Result", "print"}:
                found.append(f"redefines {name}")
            elif isinstance(target, (ast.Attribute, ast.Subscript)) and PROTECTED.fullmatch(
                _root_name(target)
            ):
                found.append(f"changes {ast.unparse(target)}")
    return list(dict.fromkeys(found))


def suspicious_code(student: dict, reference: dict) -> list[str]:
    """``"cell N <what>"`` for each of the student's own cells that tries to fool the checks."""
    handout = {source(cell).strip() for cell in reference.get("cells", [])}
    notes = []
    for number, cell in enumerate(student.get("cells", []), start=1):
        if not isinstance(cell, dict) or source(cell).strip() in handout:
            continue
        if cell.get("cell_type") == "code":
            notes += [f"cell {number} {what}" for what in _cheats_in(source(cell))]
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m course.classroom.execute")
    parser.add_argument("submission", type=Path)
    parser.add_argument("reference", type=Path)
    parser.add_argument("--cell-timeout", type=int, default=120)
    parser.add_argument("--notebook-timeout", type=int, default=600)
    args = parser.parse_args(argv)
    student = json.loads(args.submission.read_text(encoding="utf-8"))
    reference = json.loads(args.reference.read_text(encoding="utf-8"))
    outcome = grade_notebook(student, reference, args.cell_timeout, args.notebook_timeout)
    sys.stdout.write(json.dumps(outcome) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
