"""Tests by intent: interfaces. What ``secsim sweep``, ``sensitivity`` and ``breakeven`` print: money in £m/£k and
counts, never scientific notation (``5.28e+06 [±2.08e+05]`` was the sensitivity's), the sweep's cost beside the
metrics that explain one, and every kind of break-even said in words."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest
import yaml

from sim.analysis.display import amount, money, readable, share
from sim.designs.printed import describe, render_breakeven

from .conftest import FIVE_PARTIES, secsim

SCIENTIFIC = re.compile(r"\d\.?\d*e[+-]\d")
UNCERTAIN = [{"path": "costs.cio_day_rate_gbp", "low": 1500, "high": 3500}, {"path": "cio.teams", "low": 1, "high": 3}]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("printing") / "s.yaml"
    data = {**FIVE_PARTIES, "deterministic": False, "replications": 2, "uncertain": UNCERTAIN}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_sweep_prints_pounds_and_what_explains_a_cost(scenario, tmp_path, capsys):
    assert secsim("sweep", scenario, "--param", "cio.teams=1,3", "--out", tmp_path / "o")[0] == 0
    printed = capsys.readouterr().out
    assert "cost_gbp per point (mean of 2 replication(s); differences paired, mean [95% CI]" in printed
    assert "What explains a cost, per regime (pre-secmp0044 / secmp0044)" in printed
    assert re.search(r"£\d[\d.,]*[mk]", printed) and " %" in printed and not SCIENTIFIC.search(printed)


@pytest.mark.parametrize(("method", "shape"), [("morris", r"£[\d.,]+[mk]? \[±£"), ("sobol", r" -?\d\.\d\d \[±\d\.\d\d\]")])
def test_a_sensitivity_prints_its_ranking_in_the_metrics_unit(scenario, tmp_path, capsys, method, shape):
    assert secsim("sensitivity", scenario, "--method", method, "--n", "2", "--reps", "1", "--out", tmp_path / "o")[0] == 0
    printed = capsys.readouterr().out
    assert re.search(shape, printed), printed
    assert not SCIENTIFIC.search(printed)


def row(**values) -> pd.Series:
    base = {
        "metric": "cost_gbp",
        "regime": "secmp0044",
        "baseline": "pre-secmp0044",
        "vary": "parties.SUP-S.copies",
        "replications": 10,
        "crossings": 1,
        "direction": "falls",
        "breakeven": 1.5,
        "ci_low": 1.2,
        "ci_high": 1.8,
        "last_before": 1.0,
        "first_after": 2.0,
        "diff_at_first": 50_000.0,
        "diff_at_last": -2_000_000.0,
        "case": "shipped",
        "parameter": "",
    }
    return pd.Series({**base, **values})


@pytest.mark.parametrize(
    ("values", "said"),
    [
        (
            {},
            "changes sign at parties.SUP-S.copies = 1.5 (95% CI 1.2 to 1.8); secmp0044 saves from 2; +£50.0k at the first value, -£2.00m at the last",
        ),
        ({"ci_low": math.nan, "ci_high": math.nan}, "(95% CI below the range to above the range)"),
        ({"replications": 1}, "(one replication: no interval)"),
        ({"direction": "rises", "diff_at_first": -5.0}, "secmp0044 costs more from 2"),
        ({"crossings": 3}, "(the curve changes sign 3 times; the first is shown)"),
        (
            {"crossings": 0, "breakeven": math.nan, "diff_at_first": 10.0},
            "no sign change in the range: secmp0044 costs more throughout",
        ),
        ({"crossings": 0, "breakeven": math.nan, "diff_at_first": -10.0}, "costs less throughout"),
    ],
)
def test_every_kind_of_break_even_is_said_in_words(values, said):
    assert said in describe(row(**values))


def test_a_swing_that_moves_the_break_even_out_of_the_range_says_so():
    table = pd.DataFrame(
        [
            row(),
            row(case="low", parameter="p", breakeven=1.1),
            row(case="high", parameter="p", breakeven=math.nan, crossings=0, diff_at_first=-1.0),
        ]
    )
    swing = pd.DataFrame(
        [
            {
                "regime": "secmp0044",
                "parameter": "p",
                "low": 1.0,
                "high": 6.0,
                "breakeven_low": 1.1,
                "breakeven_high": math.nan,
                "swing": math.nan,
                "rank": 1,
            }
        ]
    )
    text = render_breakeven(table, swing, (0, 12))
    assert "1. p: 1.1 at 1, none in the range (saves throughout) at 6 (moves it out of the range)" in text


def test_money_shares_and_counts_read_as_people_write_them():
    assert [money(v, True, "−") for v in (-1_569_833, 0.0, 450.0, -1_500.0)] == ["−£1.57m", "£0", "+£450", "−£1.50k"]
    assert money(None) == "—" and share(float("nan")) == "—" and amount("late", float("nan")) == "—"
    assert amount("cio_utilisation_mean", 0.999) == "99.9 %"


def test_readable_formats_indices_and_summaries():
    indices = pd.DataFrame(
        {
            "metric": ["cost_gbp", "cost_gbp", "cost_gbp"],
            "index": ["mu_star", "ST", "S1"],
            "value": [5.28e6, 0.523, -0.04],
            "ci_half_width": [2.08e5, 0.08, float("nan")],
        }
    )
    shown = readable(indices, minus="−")
    assert shown.value.tolist() == ["£5.28m", "0.52", "−0.04"] and shown.ci_half_width.tolist() == ["£208k", "0.08", "—"]
    summary = pd.DataFrame({"metric": ["cost_gbp"], "mean": [6.4e6], "diff_mean": [-1.61e6], "variance_reduction": [0.8]})
    assert readable(summary).iloc[0].tolist() == ["cost_gbp", "£6.40m", "-£1.61m", "80.0 %"]
