"""Tests by intent: validation. A slice of a finished run (some of its years, its cost by who pays) is summarised
as the horizon is: over every year it is the run's own summary, the payers' differences sum to the total's in
every replication, and a period outside the run is one line."""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.analysis.slices import payer_summary, period_summary

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


def test_the_payers_differences_sum_to_the_totals_in_every_replication(result):
    yearly = result.tables["yearly"]
    by_role = yearly[yearly.metric == "cost_gbp"].groupby(["regime", "replication", "role"]).value.sum().unstack(fill_value=0)
    total = by_role.sum(axis=1)
    difference = (by_role.loc["secmp0044"] - by_role.loc["pre-secmp0044"]).sum(axis=1)
    assert difference.to_numpy() == pytest.approx((total.loc["secmp0044"] - total.loc["pre-secmp0044"]).to_numpy())
    payers = result.by_payer().query("regime == 'secmp0044'")
    overall = result.summary.query("metric == 'cost_gbp' and regime == 'secmp0044'").iloc[0]
    assert payers.diff_mean.sum() == pytest.approx(overall.diff_mean)
    assert set(payers.payer_role) == {"supplier", "network", "other", "srp", "secco"}


def test_a_role_that_pays_nothing_under_one_regime_counts_as_zero():
    yearly = pd.DataFrame(
        [
            ("a", 0, 2018, "cost_gbp", "srp", "all", 10.0),
            ("a", 1, 2018, "cost_gbp", "srp", "all", 20.0),
            ("b", 0, 2018, "cost_gbp", "supplier", "all", 5.0),
            ("b", 1, 2018, "cost_gbp", "supplier", "all", 5.0),
        ],
        columns=["regime", "replication", "year", "metric", "role", "type", "value"],
    )
    srp = payer_summary(yearly, ["a", "b"]).query("payer_role == 'srp' and regime == 'b'").iloc[0]
    assert (srp["mean"], srp.diff_mean) == (0.0, -15.0)


@pytest.mark.parametrize(("first", "last"), [(2030, 2031), (2020, 2019), (2000, 2010)])
def test_a_period_outside_the_run_is_one_line(result, first, last):
    with pytest.raises(sim.InputError, match=r"expected a period within the run's years 2018 to 2023"):
        period_summary(result.tables["yearly"], result.regimes, first=first, last=last)
