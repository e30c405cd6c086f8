"""environment.yml (conda, Binder) and pyproject.toml must ask for the same packages."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")


def split_requirement(text: str) -> tuple[str, str]:
    """``"numpy >= 1.24"`` -> ``("numpy", ">=1.24")``, names normalised as pip does."""
    match = REQUIREMENT.match(text)
    assert match, f"cannot parse requirement {text!r}"
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = dict(split_requirement(r) for r in project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements.update(split_requirement(r) for r in extra if ";" not in r)
    requirements["python"] = project["requires-python"].replace(" ", "")
    return requirements


def environment_yml() -> tuple[dict[str, str], list[str]]:
    """The conda dependencies and the pip entries of environment.yml.

    The file is simple enough to read without a YAML library (which the course does not
    need otherwise): one ``- name spec`` per line, and a nested ``- pip:`` list.
    """
    conda: dict[str, str] = {}
    pip: list[str] = []
    in_dependencies = in_pip = False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if not stripped:
            continue
        if not line.startswith(" "):
            in_dependencies = stripped == "dependencies:"
            in_pip = False
            continue
        if not in_dependencies:
            continue
        item = stripped.strip()
        assert item.startswith("- "), f"unexpected line in environment.yml: {line!r}"
        item = item[2:].strip()
        if item == "pip:":
            in_pip = True
        elif in_pip and line.startswith("      "):
            pip.append(item)
        else:
            in_pip = False
            name, spec = split_requirement(item)
            conda[name] = spec
    return conda, pip


def test_environment_yml_matches_pyproject() -> None:
    conda, pip = environment_yml()
    conda.pop("pip", None)
    wanted = pyproject_requirements()
    missing = {name: spec for name, spec in wanted.items() if name not in conda}
    extra = {name: spec for name, spec in conda.items() if name not in wanted}
    different = {
        name: (spec, conda[name])
        for name, spec in wanted.items()
        if name in conda and conda[name] != spec
    }
    assert not missing, f"in pyproject.toml but not in environment.yml: {missing}"
    assert not extra, f"in environment.yml but not in pyproject.toml: {extra}"
    assert not different, f"versions differ (pyproject, environment.yml): {different}"
    assert "--editable ." in pip, "environment.yml should install the course itself with pip"


def test_parser_notices_a_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: a package dropped from environment.yml is reported."""
    text = (ROOT / "environment.yml").read_text().replace("  - ipywidgets>=8.0\n", "")
    (tmp_path / "environment.yml").write_text(text)
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="ipywidgets"):
        test_environment_yml_matches_pyproject()
