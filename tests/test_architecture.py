"""Tests by intent: interfaces. The house keeps its shape: the data flow of docs/DESIGN.md as folders of
``sim/``, imports pointing only down the flow, every room saying its job and what it may import, and no
module over 400 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "sim"
FLOW = ("core", "law", "inputs", "industry", "model", "analysis", "experiment", "results", "designs", "reports", "cli", "api", "")
"""The rooms in the order data flows; the command (``sim/cli/``), the public API (``sim/api.py``) and ``sim/__init__.py``
("") last."""
MOST_LINES = 400


def _room(module: str) -> str:
    """The room of a dotted module name under ``sim`` (``sim.law.rules`` → ``law``; ``sim.cli`` → ``cli``; ``sim`` → "")."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """Every module of ``sim`` that ``path`` imports (relative imports resolved), with its line."""
    name = _name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                target = ".".join([*parts[: len(parts) - node.level + 1], *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            found += [(node.lineno, f"{target}.{a.name}") for a in node.names] if node.module is None else [(node.lineno, target)]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return [(line, t) for line, t in found if t == "sim" or t.startswith("sim.")]


def upward(path: Path, root: Path = ROOT) -> list[str]:
    """The imports of ``path`` that point up the flow."""
    here = _room(_name(path, root))
    return [f"line {line}: {target}" for line, target in _imports(path, root) if FLOW.index(_room(target)) > FLOW.index(here)]


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_flow(path):
    """A module imports only from its own room or rooms before it in the flow (``sim.core`` first, the CLI last)."""
    found = upward(path)
    assert not found, f"{path.relative_to(ROOT)} imports up the flow: {found}"


@pytest.mark.parametrize("room", [r for r in FLOW if r not in ("api", "")])
def test_every_room_says_its_job_and_what_it_may_import(room):
    doc = ast.get_docstring(ast.parse((PACKAGE / room / "__init__.py").read_text()))
    assert doc and "May import:" in doc, f"sim/{room}/__init__.py: a docstring saying its job and 'May import: ...'"


def test_the_rooms_are_the_flows():
    rooms = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert rooms == set(FLOW) - {"api", ""}


def test_the_drawn_flow_is_the_flow():
    """docs/explanation/architecture.md draws the rooms in the order of FLOW, so the picture a newcomer reads is the
    one this test enforces."""
    page = (ROOT / "docs" / "explanation" / "architecture.md").read_text()
    drawn = [m.group(1) for m in re.finditer(r"sim/(\w+)", page.partition("```text")[2].partition("```")[0])]
    order = list(dict.fromkeys(r for r in drawn if r in FLOW))
    assert order == [r for r in FLOW if r not in ("core", "")] + ["core"], order


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_400_lines(path):
    assert len(path.read_text().splitlines()) <= MOST_LINES, f"{path.relative_to(ROOT)}: split it (DESIGN.md: one job a module)"


def test_the_import_check_sees_an_upward_import(tmp_path):
    """The check has teeth: in a tree of the same shape, a rule importing the model, or the model importing the
    report, relatively or absolutely, is found; the model importing the law is not."""
    (tmp_path / "sim" / "law").mkdir(parents=True)
    (tmp_path / "sim" / "model").mkdir()
    bad = tmp_path / "sim" / "law" / "rules.py"
    bad.write_text("from ..model import lifecycle\nimport sim.reports.charts\n")
    good = tmp_path / "sim" / "model" / "lifecycle.py"
    good.write_text("from ..law import rules as R\nfrom . import cio\n")
    assert upward(bad, tmp_path) == ["line 1: sim.model", "line 2: sim.reports.charts"]
    assert upward(good, tmp_path) == []
