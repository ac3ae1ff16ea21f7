"""Tests by intent: interfaces and properties. ``secsim compare A B``: a result set compared with itself is zero with
zero width; two runs sharing seed and industry are compared replication by replication (paired, over the
replications both ran), any others with Welch's interval, and the printout says which; sets over different horizons,
regimes or metrics are refused in one line, exit status 2."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

from sim.analysis.compare import industry_hash
from sim.analysis.money import pounds as money_of, pounds_interval
from sim.cli import main

from .conftest import FIVE_PARTIES, one_line, run_quietly as run, secsim

STOCHASTIC = {**FIVE_PARTIES, "deterministic": False, "replications": 3, "years": 3}


def compared(a, b, capsys) -> str:
    assert main(["compare", str(a), str(b)]) == 0
    return capsys.readouterr().out


def cost_per_run(folder) -> pd.DataFrame:
    yearly = pd.read_csv(folder / "yearly.csv")
    return yearly[yearly.metric == "cost_gbp"].groupby(["replication", "regime"]).value.sum().unstack()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return run(tmp_path_factory.mktemp("compare"), "a", STOCHASTIC)


def test_a_result_set_compared_with_itself_is_zero_with_zero_width(base, capsys):
    printed = compared(base, base, capsys)
    assert "B - A, paired: the same seed, replications and industry" in printed
    rows = [line for line in printed.splitlines() if "[" in line and "B - A" not in line]
    assert len(rows) == 14 * 2 + 14  # every metric: each regime's mean, and secmp0044's change
    assert all(line.rstrip().endswith(("0.00 [0.00, 0.00]", "£0 [£0, £0]")) for line in rows), rows


def test_one_replication_a_side_has_no_interval_and_its_header_says_none(tmp_path, capsys):
    """With one replication a side there is no interval: the column was headed "B - A [95% CI]" over bare differences
    (the newcomer's try); it is headed "B - A"."""
    one = {**STOCHASTIC, "replications": 1}
    a, b = run(tmp_path, "a", one), run(tmp_path, "b", one, "--set", "cio.teams=1")
    printed = compared(a, b, capsys)
    headers = [line for line in printed.splitlines() if line.rstrip().endswith(("B - A", "B - A [95% CI]"))]
    assert len(headers) == 2 and all(line.rstrip().endswith(" B - A") for line in headers), headers


def test_runs_sharing_seed_replications_and_industry_are_paired(base, tmp_path, capsys):
    other = run(tmp_path, "b", STOCHASTIC, "--set", "costs.cio_day_rate_gbp=2000")
    printed = compared(base, other, capsys)
    assert "B - A, paired:" in printed
    a, b = cost_per_run(base), cost_per_run(other)
    diff = b["secmp0044"] - a["secmp0044"]
    half = stats.t.ppf(0.975, 2) * diff.std(ddof=1) / math.sqrt(3)
    assert pounds_interval(diff.mean(), diff.mean() - half, diff.mean() + half) in printed


def test_runs_of_more_and_fewer_replications_are_paired_over_those_both_ran(base, tmp_path, capsys):
    """Replication r draws the same numbers whatever the run's length: a 3-replication run against a 2-replication
    variant pairs their first two, every mean over those (a newcomer compared ``make run``'s 30 with a 5-replication
    variant and got Welch's wider interval)."""
    other = run(tmp_path, "b", {**STOCHASTIC, "replications": 2}, "--set", "costs.cio_day_rate_gbp=2000")
    printed = compared(base, other, capsys)
    assert "B - A, paired over the 2 replications both ran (A ran 3, B 2; every mean here is over those)" in printed
    a, b = cost_per_run(base).loc[[0, 1]], cost_per_run(other)
    diff = b["secmp0044"] - a["secmp0044"]
    half = stats.t.ppf(0.975, 1) * diff.std(ddof=1) / math.sqrt(2)
    assert pounds_interval(diff.mean(), diff.mean() - half, diff.mean() + half) in printed
    assert money_of(a["secmp0044"].mean()) in printed  # A's mean over the two, not its three


def test_runs_with_another_seed_are_compared_by_welchs_interval(base, tmp_path, capsys):
    other = run(tmp_path, "b", STOCHASTIC, "--seed", "99")
    printed = compared(base, other, capsys)
    assert "B - A, unpaired (Welch): the seed differs" in printed
    a, b = cost_per_run(base)["pre-secmp0044"], cost_per_run(other)["pre-secmp0044"]
    va, vb = a.var(ddof=1) / 3, b.var(ddof=1) / 3
    df = (va + vb) ** 2 / (va**2 / 2 + vb**2 / 2)
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    mean = b.mean() - a.mean()
    assert pounds_interval(mean, mean - half, mean + half) in printed


def test_the_industry_is_what_the_industry_is_drawn_from():
    data = {"start": "2018-01-01", "years": 3, "parties": [{"id": "A"}], "cio": {"teams": 3, "booking_lead_weeks": 6}}
    assert industry_hash(data) == industry_hash({**data, "cio": {"teams": 1, "booking_lead_weeks": 6}, "costs": {}})
    assert industry_hash(data) != industry_hash({**data, "parties": [{"id": "B"}]})
    assert industry_hash(data) != industry_hash({**data, "cio": {"teams": 3, "booking_lead_weeks": 8}})


def test_another_industry_is_unpaired(base, tmp_path, capsys):
    parties = [{**p, "premises": 120_000} if p["id"] == "SUP-S" else p for p in STOCHASTIC["parties"]]
    other = run(tmp_path, "b", {**STOCHASTIC, "parties": parties})
    assert "B - A, unpaired (Welch): the industry differs" in compared(base, other, capsys)


@pytest.mark.parametrize(
    "change,says",
    [
        ({"years": 2}, "different horizons (2018-01-01 to 2021-01-01, 2018-01-01 to 2020-01-01)"),
        ({"regimes": ["pre-secmp0044"]}, "different regimes (pre-secmp0044, secmp0044; pre-secmp0044)"),
        ("metric", "different metrics (pushed_past_due in one only)"),
    ],
)
def test_sets_that_cannot_be_compared_are_refused_in_one_line(base, tmp_path, change, says):
    if change == "metric":  # as a result set of an earlier secsim without that metric
        other = run(tmp_path, "b", STOCHASTIC)
        summary = pd.read_csv(other / "summary.csv")
        summary[summary.metric != "pushed_past_due"].to_csv(other / "summary.csv", index=False)
    else:
        other = run(tmp_path, "b", {**STOCHASTIC, **change})
    code, err = secsim("compare", base, other)
    assert says in one_line(code, err)


def test_a_folder_edited_so_that_a_regimes_rows_are_gone_is_one_line(base, tmp_path):
    other = run(tmp_path, "b", STOCHASTIC)
    yearly = pd.read_csv(other / "yearly.csv")
    yearly[yearly.regime != "secmp0044"].to_csv(other / "yearly.csv", index=False)
    code, err = secsim("compare", base, other)
    says = "yearly.csv: expected rows for every regime, replication and year the manifest names (18); missing: secmp0044"
    assert says in one_line(code, err)
