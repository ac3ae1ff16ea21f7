"""Shared helpers: scenarios written as Python dicts, run through the real loader and model."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.experiment import run
from sim.scenario import load_text

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


def rejected(tmp_path: Path, capsys: pytest.CaptureFixture, command: str, options: list[str], scenario: dict = FIVE_PARTIES) -> str:
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
