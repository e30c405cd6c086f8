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

from course.editions import course_notebooks
from mlp._chapters import INTRODUCED_IN, SUPPORT

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = course_notebooks(ROOT / "notebooks")

# The notebook that introduces each module of mlp: one table, in the package itself.
# Names that ``mlp`` itself re-exports, and the module they come from.
TOP_LEVEL_NAMES = {"Network": "network", "save": "io", "load": "io"}


def label(path: Path) -> str:
    """"00" to "12" for the numbered notebooks, "A1" for the appendix."""
    return path.name[:2]


def number(path: Path) -> int:
    """The notebook's layer: its number; an appendix comes with notebook 00 (A1 teaches the
    files that ``mlp.data`` reads, the support modules ``_files`` and ``_download``)."""
    return 0 if label(path).startswith("A") else int(label(path))


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


def modules_used(code: str, package: str = "mlp", exports: dict | None = None) -> set[str]:
    """The modules of ``package`` that code imports (anywhere, even inside a function) or
    reaches as ``package.x``; ``exports`` maps names the package re-exports to modules."""
    exports = TOP_LEVEL_NAMES if exports is None else exports
    used: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == package and len(parts) > 1:
                    used.add(parts[1])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] != package:
                continue
            if len(parts) > 1:
                used.add(parts[1])
            else:
                used |= {exports.get(alias.name, alias.name) for alias in node.names}
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == package
        ):
            used.add(exports.get(node.attr, node.attr))
    return used - {"__version__", "__init__"}


def mlp_modules_used(code: str) -> set[str]:
    return modules_used(code)


def import_graph(folder: Path, package: str, exports: dict | None = None) -> dict[str, set]:
    """Each module of the package in ``folder`` -> the modules of it that it imports."""
    return {
        path.stem: modules_used(path.read_text(encoding="utf-8"), package, exports)
        for path in sorted(folder.glob("*.py"))
        if path.stem != "__init__"
    }


def layering_problems(graph: dict[str, set], table: dict[str, int], roots: dict) -> list[str]:
    """Every module reached from ``roots`` (a name -> (layer, modules it uses)) that belongs
    to a later layer, with the chain of imports that reaches it. Imports are followed
    transitively: through imports of imports."""
    problems = []
    for root, (layer, used) in roots.items():
        chains = {m: [m] for m in used}
        todo = list(used)
        while todo:
            module = todo.pop()
            if module not in table:
                problems.append(f"{root} uses {module}, which is not in the table")
                continue
            if table[module] > layer:
                chain = " -> ".join([root, *chains[module]])
                problems.append(
                    f"{chain}: {module} belongs to notebook {table[module]}, after {layer}"
                )
            for imported in graph.get(module, ()):
                if imported not in chains:
                    chains[imported] = [*chains[module], imported]
                    todo.append(imported)
    return problems


def module_roots(graph: dict[str, set], table: dict[str, int]) -> dict:
    """Every module of the package as a root: its own layer, and what it imports."""
    return {name: (table.get(name, -1), imports) for name, imports in graph.items()}


def notebook_uses(path: Path) -> set[str]:
    """The mlp modules a notebook uses: its cells, and its helpers in ``course/`` (their
    imports of imports included)."""
    used: set[str] = set()
    for cell in code_cells(load(path)):
        used |= modules_used(python_of(cell))
    course_graph = import_graph(ROOT / "course", "course", exports={})
    helpers = {f"nb{label(path)}"} & set(course_graph)
    for cell in code_cells(load(path)):
        helpers |= modules_used(python_of(cell), "course", exports={}) & set(course_graph)
    seen: set[str] = set()
    while helpers - seen:
        helper = (helpers - seen).pop()
        seen.add(helper)
        helpers |= course_graph[helper] & set(course_graph)
        used |= modules_used((ROOT / "course" / f"{helper}.py").read_text(encoding="utf-8"))
    return used


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "no notebooks found in notebooks/"
    numbers = [int(label(p)) for p in NOTEBOOKS if label(p).isdigit()]
    # The course plan has notebooks 00-12; some are still being written, so there may be gaps,
    # but the first half of the course (00-05) is complete and no two share a number.
    assert numbers == sorted(set(numbers)), f"two notebooks share a number: {numbers}"
    assert set(numbers) <= set(range(13)), f"the course plan has notebooks 00-12: {numbers}"
    assert numbers[:6] == list(range(6)), f"notebooks 00-05 should all be there: {numbers}"
    appendices = [label(p) for p in NOTEBOOKS if not label(p).isdigit()]
    assert appendices == [f"A{i}" for i in range(1, len(appendices) + 1)], appendices


def test_every_mlp_module_has_a_place_in_the_course() -> None:
    modules = {p.stem for p in (ROOT / "mlp").glob("*.py")} - {"__init__"}
    unplaced = modules - set(INTRODUCED_IN)
    assert not unplaced, f"add these modules to mlp/_chapters.py: {unplaced}"
    gone = set(INTRODUCED_IN) - modules
    assert not gone, f"mlp/_chapters.py names modules that do not exist: {gone}"
    assert SUPPORT <= set(INTRODUCED_IN)


def test_import_checker_sees_imports() -> None:
    """The checker below must be able to fail: it finds every form of import."""
    code = (
        "import mlp.optim\nfrom mlp.io import save\nfrom mlp import Network, train\nmlp.viz.x\n"
        "def f():\n    from mlp.init import he\n"
    )
    assert mlp_modules_used(code) == {"optim", "io", "network", "train", "viz", "init"}


def test_every_module_imports_only_earlier_ones_transitively() -> None:
    graph = import_graph(ROOT / "mlp", "mlp")
    assert graph["train"] >= {"network", "data", "progress"}  # the graph is not empty
    assert layering_problems(graph, INTRODUCED_IN, module_roots(graph, INTRODUCED_IN)) == []


def test_layering_check_fails_when_an_early_module_imports_a_later_one(tmp_path: Path) -> None:
    """On a made-up package: early (1) -> middle (1) -> late (5) is caught, with its chain,
    though early imports late only through middle."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "early.py").write_text("from pkg import middle\n")
    (package / "middle.py").write_text("def f():\n    import pkg.late\n")
    (package / "late.py").write_text("import numpy\n")
    table = {"early": 1, "middle": 1, "late": 5}
    graph = import_graph(package, "pkg", exports={})
    assert graph == {"early": {"middle"}, "middle": {"late"}, "late": set()}
    problems = layering_problems(graph, table, module_roots(graph, table))
    assert sorted(problems) == [
        "early -> middle -> late: late belongs to notebook 5, after 1",
        "middle -> late: late belongs to notebook 5, after 1",
    ]
    table["late"] = 1
    assert layering_problems(graph, table, module_roots(graph, table)) == []
    # A notebook 1 that uses early reaches late too.
    roots = {"notebook 01": (1, {"early"})}
    assert layering_problems(graph, {**table, "late": 5}, roots) == [
        "notebook 01 -> early -> middle -> late: late belongs to notebook 5, after 1"
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_modules_introduced_so_far(path: Path) -> None:
    """The notebook's cells, its helper ``course/nbNN.py`` and everything they import."""
    graph = import_graph(ROOT / "mlp", "mlp")
    roots = {path.stem: (number(path), notebook_uses(path))}
    assert layering_problems(graph, INTRODUCED_IN, roots) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_structure(path: Path) -> None:
    notebook = load(path)
    cells = notebook["cells"]
    first = source(cells[0])
    assert cells[0]["cell_type"] == "markdown"
    assert re.match(rf"# {label(path)} · \S", first), "title should be '# NN · Title'"
    text = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    assert "What you will learn" in text
    assert "3blue1brown.com" in text or "neuralnetworksanddeeplearning.com" in text, (
        "credit the sources with links"
    )
    assert re.search(r"^#+ .*Summary", text, re.MULTILINE), "end with a summary"
    last = [p for p in NOTEBOOKS if label(p).isdigit()][-1]
    assert "What comes next" in text or path == last
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
