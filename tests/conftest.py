"""Shared helpers: scenarios written as Python dicts, run through the real loader and model."""

from __future__ import annotations

import contextlib
import copy
import io
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.experiment.runner import run
from sim.inputs.scenario import load_text

ROOT = Path(__file__).resolve().parent.parent

FIVE_PARTIES = {
    "name": "small-supplier-on-large-srp",
    "start": "2018-01-01",
    "years": 6,
    "regimes": ["pre-secmp0044", "secmp0044"],
    "deterministic": True,
    "parties": [
        {"id": "SRP-1", "role": "srp"},
        {"id": "SUP-L", "role": "supplier", "premises": 300000, "srp": "SRP-1", "entry": "2018-01-01"},
        {"id": "SUP-S", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2018-01-01"},
        {"id": "NET-1", "role": "network", "premises": 400000, "entry": "2018-01-01"},
        {"id": "OTH-1", "role": "other", "entry": "2018-01-01"},
    ],
}


@pytest.fixture(autouse=True)
def _own_cache_home(tmp_path_factory, monkeypatch):
    """Sweeps and sensitivity cache in the user's cache folder by default: the tests' is their own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


def scenario_from(data: dict, **changes):
    """Validate a scenario given as a dict (through YAML, as a user's file would be)."""
    data = copy.deepcopy(data)
    data.update(changes)
    return load_text(yaml.safe_dump(data, sort_keys=False), "test.yaml")


def assessments(data: dict, **changes) -> pd.DataFrame:
    """The assessments table of a scenario run."""
    return run(scenario_from(data, **changes), progress=False).tables["assessments"]


@pytest.fixture(scope="session")
def five_party_assessments() -> pd.DataFrame:
    return assessments(FIVE_PARTIES)


def secsim(*args: object) -> tuple[int, str]:
    """``secsim ARGS`` in this process: its exit status and what it wrote on stderr (capsys keeps stdout)."""
    from sim.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as stop:
            code = int(stop.code)
    return code, err.getvalue()


def run_quietly(folder: Path, name: str, data: dict, *options: str) -> Path:
    """``secsim run`` of a scenario given as a dict, written to ``folder/name.yaml``, into ``folder/name``."""
    from sim.cli import main

    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    out = folder / name
    assert main(["run", str(path), "--out", str(out), "--quiet", *options]) == 0
    return out


def one_line(code: int, err: str, status: int = 2) -> str:
    """Assert a mistake's answer: exit ``status``, one line on stderr beginning "error: ", no traceback; return it."""
    assert code == status and err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, (code, err)
    return err


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (hidden ones too) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def scenario_yaml(tmp_path) -> Path:
    """``tmp_path/s.yaml``: five parties over two years, with one uncertain parameter (for ``sensitivity``)."""
    path = tmp_path / "s.yaml"
    path.write_text(
        yaml.safe_dump({**FIVE_PARTIES, "years": 2, "uncertain": [{"path": "cio.teams", "low": 1, "high": 3}]}, sort_keys=False)
    )
    return path


def rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture, command: str, options: list[str], scenario: dict = FIVE_PARTIES
) -> str:
    """``secsim COMMAND s.yaml OPTIONS`` as a user runs it: assert exit status 2, one line on stderr
    and nothing written beside the scenario; return that line."""
    from sim.cli import main

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False))
    try:
        code = main([command, str(path), *options, "--out", str(tmp_path / "out")])
    except SystemExit as stop:
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: "), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"], "nothing may be written"
    return err
