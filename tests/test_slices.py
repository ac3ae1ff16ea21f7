"""Tests by intent: validation. Some years of a run, through the API (``Result.period``), are summarised as the
horizon is: over every year it is the run's own summary, over some years the sums of their yearly rows, and a
period outside the run is one line. (``secsim summarise`` and who pays: tests/test_periods.py, test_payers.py.)"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import sim

from .conftest import FIVE_PARTIES, scenario_from

RANDOM = {**FIVE_PARTIES, "deterministic": False, "seed": 5, "replications": 3}


@pytest.fixture(scope="module")
def result():
    return sim.run(scenario_from(RANDOM))


def test_the_whole_horizon_as_a_period_is_the_runs_summary(result):
    pd.testing.assert_frame_equal(result.period(), result.summary)
    pd.testing.assert_frame_equal(result.period(2018, 2023), result.summary)


def test_a_period_is_the_sum_of_its_yearly_rows(result):
    yearly = result.tables["yearly"]
    cost = yearly[(yearly.metric == "cost_gbp") & yearly.year.between(2019, 2020)]
    per_run = cost.groupby(["regime", "replication"]).value.sum().groupby("regime").mean()
    period = result.period(2019, 2020).query("metric == 'cost_gbp'").set_index("regime")["mean"]
    assert period.to_dict() == pytest.approx(per_run.to_dict())


@pytest.mark.parametrize(
    ("first", "last", "says"),
    [
        (2030, 2031, "--from 2030: expected a year of the run's horizon, 2018 to 2023"),
        (2020, 2019, "--from 2020 --to 2019: expected --from no later than --to"),
        (2000, 2010, "--from 2000: expected a year of the run's horizon, 2018 to 2023"),
    ],
)
def test_a_period_outside_the_run_is_one_line(result, first, last, says):
    with pytest.raises(sim.InputError, match=re.escape(f"small-supplier-on-large-srp: period: {says}")):
        result.period(first, last)
