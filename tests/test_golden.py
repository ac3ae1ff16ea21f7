"""Tests by intent: back tests. Every table of the golden set (``tests/golden.py``) is byte-identical to the
tables the baseline commit wrote for the same commands: changes made for speed change no number."""

from __future__ import annotations

import json

import pytest

from .golden import CASES, DIGESTS, tables_of

RECORDED = json.loads(DIGESTS.read_text())


@pytest.mark.parametrize("name", list(CASES))
def test_tables_are_byte_identical_to_the_baseline(name, tmp_path):
    expected = RECORDED["cases"][name]
    found = tables_of(CASES[name], tmp_path / "out")
    changed = sorted(t for t in expected.keys() | found.keys() if expected.get(t) != found.get(t))
    assert not changed, (
        f"secsim {CASES[name]}: {', '.join(changed)} differ from commit {RECORDED['rev']}'s "
        "(tests/golden.py says how to write the baseline's tables to diff against)"
    )


def test_the_golden_set_covers_every_case_and_every_shipped_scenario():
    assert set(RECORDED["cases"]) == set(CASES)
    assert all(len(tables) >= 2 for tables in RECORDED["cases"].values())
