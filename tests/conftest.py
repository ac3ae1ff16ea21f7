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
