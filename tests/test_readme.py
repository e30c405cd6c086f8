"""The README's promises: the notebook list, the two commands, and what CI runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

from course.editions import course_notebooks

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
NOTEBOOKS = course_notebooks(ROOT / "notebooks")


def notebook_title(path: Path) -> str:
    first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]
    first = first if isinstance(first, str) else "".join(first)
    match = re.match(r"# (?:\d\d|A\d) · (.+)", first.splitlines()[0])
    assert match, f"{path.name}: the first line should be '# NN · Title'"
    return match.group(1).strip()


def test_readme_lists_every_notebook_with_its_title() -> None:
    rows = re.findall(r"\| (?:\d\d|A\d) \| \[([^\]]+)\]\((notebooks/[^)]+\.ipynb)\)", README)
    listed = {link: title for title, link in rows}
    present = {f"notebooks/{p.name}": notebook_title(p) for p in NOTEBOOKS}
    assert set(listed) == set(present), (
        f"README lists {sorted(set(listed) - set(present))} that do not exist and misses "
        f"{sorted(set(present) - set(listed))}"
    )
    for link, title in present.items():
        assert listed[link] == title, f"README: {listed[link]!r}; {link}: {title!r}"


def test_quick_start_has_exactly_the_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", quick_start, re.DOTALL)
    assert block, "the quick start should have a bash block"
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert [c for c in commands if c] == ["python3 course.py", "python3 course.py test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^python3 course\.py test$", ci, re.MULTILINE)


def test_local_links_exist() -> None:
    for link in re.findall(r"\]\(((?!https?:)[^)#]+)\)", README):
        assert (ROOT / link).exists(), f"README links to {link}, which does not exist"


def test_teachers_guide_names_every_exercise_with_its_points() -> None:
    """docs/teaching.md's table of core and optional exercises matches the notebooks."""
    from course.editions import exercises

    guide = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    named = dict(re.findall(r"`((?:\d\d|A\d)-[a-z0-9-]+)` \((\d+)\)", guide))
    actual = {}
    for path in NOTEBOOKS:
        for exercise in exercises(json.loads(path.read_text(encoding="utf-8"))):
            actual[exercise["id"]] = str(int(exercise["points"]))
    assert set(named) == set(actual), (
        f"docs/teaching.md names {sorted(set(named) - set(actual))} that do not exist and "
        f"misses {sorted(set(actual) - set(named))}"
    )
    wrong = {i: (named[i], actual[i]) for i in actual if named[i] != actual[i]}
    assert not wrong, f"points in docs/teaching.md differ from the notebooks: {wrong}"
