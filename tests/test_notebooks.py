"""The notebooks follow the course's conventions (CONTRIBUTING.md).

nbval itself re-runs every notebook and compares its outputs (see pyproject.toml); these
tests check what nbval does not: structure, exercises, widgets, and that a notebook only
uses parts of ``mlp`` that it or an earlier notebook introduced.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# The notebook that introduces each module of mlp (CONTRIBUTING.md keeps the same list).
INTRODUCED_IN = {
    "data": 0,
    "progress": 0,
    "activations": 1,
    "network": 1,
    "costs": 2,
    "descent": 2,
    "gradcheck": 3,
    "train": 5,
    "metrics": 5,
    "viz": 6,
    "widgets": 6,
    "init": 7,
    "regularization": 8,
    "augment": 8,
    "optim": 9,
    "io": 12,
}
# Names that ``mlp`` itself re-exports, and the module they come from.
TOP_LEVEL_NAMES = {"Network": "network", "save": "io", "load": "io"}


def number(path: Path) -> int:
    return int(path.name[:2])


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(notebook: dict) -> list[dict]:
    return [c for c in notebook["cells"] if c["cell_type"] == "code"]


def source(cell: dict) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def python_of(cell: dict) -> str:
    """A cell's source with IPython magics and shell escapes blanked out."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source(cell).splitlines()
    )


def mlp_modules_used(code: str) -> set[str]:
    """The modules of ``mlp`` that a piece of code imports or reaches as ``mlp.x``."""
    used: set[str] = set()
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "mlp" and len(parts) > 1:
                    used.add(parts[1])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] != "mlp":
                continue
            if len(parts) > 1:
                used.add(parts[1])
            else:
                for alias in node.names:
                    used.add(TOP_LEVEL_NAMES.get(alias.name, alias.name))
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "mlp"
        ):
            used.add(TOP_LEVEL_NAMES.get(node.attr, node.attr))
    return used - {"__version__"}


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "no notebooks found in notebooks/"
    numbers = [number(p) for p in NOTEBOOKS]
    assert numbers == list(range(len(numbers))), f"not numbered 00, 01, ...: {numbers}"


def test_every_mlp_module_has_a_place_in_the_course() -> None:
    modules = {p.stem for p in (ROOT / "mlp").glob("*.py")} - {"__init__", "__main__"}
    unplaced = modules - set(INTRODUCED_IN)
    assert not unplaced, f"add these modules to INTRODUCED_IN and CONTRIBUTING.md: {unplaced}"


def test_import_checker_sees_imports() -> None:
    """The checker below must be able to fail: it finds every form of import."""
    code = "import mlp.optim\nfrom mlp.io import save\nfrom mlp import Network, train\nmlp.viz.x"
    assert mlp_modules_used(code) == {"optim", "io", "network", "train", "viz"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_modules_introduced_so_far(path: Path) -> None:
    notebook = load(path)
    used: set[str] = set()
    for cell in code_cells(notebook):
        used |= mlp_modules_used(python_of(cell))
    # The notebook's own helper module counts as part of the notebook.
    helper = ROOT / "course" / f"nb{number(path):02d}.py"
    if helper.exists():
        used |= mlp_modules_used(helper.read_text(encoding="utf-8"))
    unknown = used - set(INTRODUCED_IN)
    assert not unknown, f"{path.name} uses mlp modules that do not exist: {unknown}"
    too_early = {m for m in used if INTRODUCED_IN[m] > number(path)}
    assert not too_early, (
        f"{path.name} uses {sorted(too_early)}, introduced only in later notebooks "
        f"{sorted(INTRODUCED_IN[m] for m in too_early)}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_structure(path: Path) -> None:
    notebook = load(path)
    cells = notebook["cells"]
    first = source(cells[0])
    assert cells[0]["cell_type"] == "markdown"
    assert re.match(rf"# {number(path):02d} · \S", first), "title should be '# NN · Title'"
    text = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    assert "What you will learn" in text
    assert "3blue1brown.com" in text or "neuralnetworksanddeeplearning.com" in text, (
        "credit the sources with links"
    )
    assert re.search(r"^#+ .*Summary", text, re.MULTILINE), "end with a summary"
    assert "What comes next" in text or number(path) == len(NOTEBOOKS) - 1
    assert "$" in text, "equations in LaTeX"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercises_have_solutions_and_checks(path: Path) -> None:
    cells = load(path)["cells"]
    solutions = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code" and "solution" in c.get("metadata", {}).get("tags", [])
    ]
    assert 3 <= len(solutions) <= 6, f"{len(solutions)} exercises; the course wants 3-6"
    for i in solutions:
        following = [c for c in cells[i + 1 :] if c["cell_type"] == "code"][:1]
        assert following and "check_" in source(following[0]), (
            f"the solution in cell {i} should be followed by a check_... cell"
        )
        shown = [o for o in following[0].get("outputs", []) if o["output_type"] == "execute_result"]
        text = "".join(shown[0]["data"]["text/plain"]) if len(shown) == 1 else ""
        assert text.startswith("✔ Correct!"), f"the model answer in cell {i} fails its check"
        assert "course-check-passed" in "".join(shown[0]["data"]["text/html"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_executed_with_widget_state(path: Path) -> None:
    notebook = load(path)
    cells = [c for c in code_cells(notebook) if source(c).strip()]
    counts = [c["execution_count"] for c in cells]
    assert None not in counts, "commit notebooks executed top to bottom"
    assert counts == list(range(1, len(counts) + 1)), "execute the notebook top to bottom once"
    errors = [o for c in cells for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, "a stored output is an error"
    assert any("ipywidgets" in source(c) or "course.nb" in source(c) for c in cells)
    widgets = notebook["metadata"].get("widgets", {})
    state = widgets.get("application/vnd.jupyter.widget-state+json", {})
    assert state.get("state"), (
        "store the widget state (nbconvert --ExecutePreprocessor.store_widget_state=True)"
    )
