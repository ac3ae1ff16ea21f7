"""Tests by intent: interfaces. The README documents every scenario key and every output column,
so the reference cannot drift from the code."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from sim.analysis.summary import SUMMARY_COLUMNS
from sim.analysis.tables import ASSESSMENT_COLUMNS, COST_COLUMNS, CROSSING_COLUMNS, ITEM_COLUMNS, MEETING_COLUMNS, YEARLY_COLUMNS
from sim.inputs.scenario import Scenario

from .conftest import ROOT

README = (ROOT / "README.md").read_text()


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    out = []
    for name, field in model.model_fields.items():
        key = prefix + (field.alias or name)
        out.append(key)
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and prefix == "":
            out += _keys(annotation, key + ".")
    return out


@pytest.mark.parametrize("key", _keys(Scenario))
def test_every_scenario_key_is_documented(key):
    assert f"`{key}`" in README or re.search(rf"`[^`]*\b{re.escape(key)}\b[^`]*`", README), key


@pytest.mark.parametrize(
    "column",
    sorted(
        set(
            ASSESSMENT_COLUMNS
            + MEETING_COLUMNS
            + ITEM_COLUMNS
            + COST_COLUMNS
            + CROSSING_COLUMNS
            + YEARLY_COLUMNS
            + SUMMARY_COLUMNS
        )
    ),
)
def test_every_output_column_is_documented(column):
    assert re.search(rf"\b{re.escape(column)}\b", README), column
