"""Tests by intent: interfaces. Every notebook executes end to end (few replications), holds no
outputs in git, only calls the package, and shows its tables formatted (no scientific notation)."""

from __future__ import annotations

import ast
import json
import os
import re

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_four_notebooks():
    assert [p.stem for p in NOTEBOOKS] == ["01-guided-tour", "02-regime-comparison", "03-sensitivity", "04-explore"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_valid_as_committed(path):
    """Valid nbformat 4.5 as it stands in git, every cell with an id (a missing id is a warning today, an error later)."""
    notebook = json.loads(path.read_text())
    assert (notebook["nbformat"], notebook["nbformat_minor"]) >= (4, 5), path.name
    assert all(cell.get("id") for cell in notebook["cells"]), f"{path.name}: run nbformat's normalize()"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_holds_no_logic(path):
    """Thin: no function or class definitions, no loops; the logic lives in sim/."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            python = "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))  # IPython magics
            nodes = {type(node) for node in ast.walk(ast.parse(python))}
            assert not nodes & {ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.Lambda}, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path, monkeypatch):
    monkeypatch.setenv("SECSIM_NOTEBOOK_REPS", "2")
    monkeypatch.setenv("SECSIM_NOTEBOOK_N", "2")
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = [o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs]
    assert not [t for t in shown if re.search(r"\d\.\d+e[+-]\d\d", t)], "tables are formatted: no 3.82e+07"
    assert any("image/png" in o.get("data", {}) for o in outputs) or path.stem == "03-sensitivity"
    assert os.environ.get("SECSIM_NOTEBOOK_REPS") == "2"
