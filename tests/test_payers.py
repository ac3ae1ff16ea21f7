"""Tests by intent: properties and interfaces. Who pays: cost by payer role and by size class sums to the whole cost
in every replication, and so does each group's paired change; the table a run streams equals the one made from its
tables in memory or from its folder; with ``--detail-reps K`` the size classes say they cover K replications."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml

import sim
from sim.analysis.payers import GROUPS, collect, summarise_payers
from sim.analysis.summary import run_totals
from sim.cli import main
from sim.results import sub_period
from sim.results.result_set import load

from .conftest import FIVE_PARTIES, scenario_from

LATE_ENTRANTS = [
    {"id": f"SUP-{k}", "role": "supplier", "premises": 50_000 * k, "srp": "SRP-1", "entry": "2020-06-10"} for k in range(1, 5)
]
"""Four Suppliers entering three weeks before the horizon ends (mid-year), onto a CIO of one team: the queue pushes
some of their fieldwork past the end, into a year yearly.csv has, but (by fieldwork start) not into its rows."""
QUEUED = {
    **FIVE_PARTIES,
    "start": "2018-07-01",
    "years": 2,
    "deterministic": False,
    "replications": 4,
    "cio": {"teams": 1},
    "parties": [{**p, "entry": "2018-07-01"} if "entry" in p else p for p in FIVE_PARTIES["parties"]] + LATE_ENTRANTS,
}


@pytest.fixture(scope="module")
def queued() -> sim.Result:
    return sim.run(scenario_from(QUEUED))


def per_run_cost(yearly: pd.DataFrame) -> pd.Series:
    """Each run's whole cost as ``summary.csv`` takes it (``run_totals`` of its yearly rows)."""
    return pd.Series(
        {
            run: run_totals(part.itertuples(index=False, name=None), dict.fromkeys(part.year, 1.0))["cost_gbp"]
            for run, part in yearly.groupby(["regime", "replication"])
        }
    )


def test_some_fieldwork_was_pushed_past_the_horizon_so_the_test_can_fail(queued):
    keys = ["regime", "replication", "assessment_id"]
    starts = queued.tables["assessments"][[*keys, "fieldwork_start"]]
    costs = queued.tables["costs"].merge(starts, on=keys)
    pushed = costs[costs.fieldwork_start.fillna("") >= queued.scenario.end.isoformat()]
    assert len(pushed) and pushed.cost_gbp.sum() > 0


def test_by_payer_and_by_size_class_the_groups_sum_to_the_cost_in_every_replication(queued):
    s = queued.scenario
    runs = collect(queued.tables, s.start.isoformat(), s.end.isoformat())
    whole = per_run_cost(queued.tables["yearly"])
    rows = len(queued.tables["costs"]) + len(queued.tables["yearly"])
    for grouping in GROUPS:
        summed = runs[runs.grouping == grouping].groupby(["regime", "replication"])["value"].apply(math.fsum)
        assert sorted(summed.index) == sorted(whole.index)
        # payer roles come from yearly.csv itself; size classes from costs.csv, each row to 4 decimals
        tolerance = 1e-6 if grouping == "payer" else 5e-5 * rows
        assert (summed - whole).abs().max() <= tolerance, grouping


def test_each_groups_paired_change_sums_to_the_change_in_cost_replication_by_replication(queued):
    s = queued.scenario
    runs = collect(queued.tables, s.start.isoformat(), s.end.isoformat())
    total = per_run_cost(queued.tables["yearly"]).unstack(0)
    change = total["secmp0044"] - total["pre-secmp0044"]
    for grouping in GROUPS:
        per = runs[runs.grouping == grouping].groupby(["regime", "replication", "group"])["value"].apply(math.fsum).unstack(0)
        by_group = (per["secmp0044"] - per["pre-secmp0044"]).unstack("group")
        assert by_group.sum(axis=1).to_numpy() == pytest.approx(change.to_numpy(), abs=0.01), grouping
    payers = queued.payers.set_index(["grouping", "group", "regime"])
    cost = queued.summary.set_index(["metric", "regime"]).loc[("cost_gbp", "secmp0044")]
    for grouping in GROUPS:
        groups = [g for g in payers.loc[grouping].index.get_level_values("group").unique() if g != "all"]
        assert sum(payers.loc[(grouping, g, "secmp0044"), "diff_mean"] for g in groups) == pytest.approx(cost.diff_mean, abs=0.01)
        assert payers.loc[(grouping, "all", "secmp0044"), "diff_mean"] == pytest.approx(cost.diff_mean, abs=0.01)


def test_the_table_a_run_streams_equals_the_one_from_its_tables_and_from_its_folder(queued, tmp_path):
    path = tmp_path / "queued.yaml"
    path.write_text(yaml.safe_dump(QUEUED, sort_keys=False))
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    streamed = pd.read_csv(tmp_path / "out" / "payers.csv", keep_default_na=False, na_values=[""])
    in_memory = queued.payers
    rs = load(tmp_path / "out")
    from_folder = summarise_payers(sub_period.payer_runs(rs), rs.regimes, rs.baselines)
    for other in (in_memory, from_folder):
        assert list(other.columns) == list(streamed.columns)
        assert other[["grouping", "group", "regime"]].values.tolist() == streamed[["grouping", "group", "regime"]].values.tolist()
        numbers = ["mean", "sd", "diff_mean", "diff_ci_low", "diff_ci_high"]
        assert other[numbers].to_numpy() == pytest.approx(streamed[numbers].to_numpy(), rel=1e-9, nan_ok=True)


def test_under_detail_reps_the_size_classes_cover_the_replications_that_kept_per_event_tables(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(QUEUED, sort_keys=False))
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--quiet", "--detail-reps", "1"]) == 0
    payers = pd.read_csv(out / "payers.csv", keep_default_na=False, na_values=[""])
    assert set(payers[payers.grouping == "payer"].replications) == {4}
    assert set(payers[payers.grouping == "size"].replications) == {1}
    first = per_run_cost(pd.read_csv(out / "yearly.csv")).xs(0, level=1)
    size_all = payers.query("grouping == 'size' and group == 'all'").set_index("regime")["mean"]
    assert size_all.to_numpy() == pytest.approx(first[size_all.index].to_numpy(), abs=0.01)


def test_without_per_event_tables_the_printout_says_the_size_classes_are_not_available(tmp_path, capsys):
    """Under ``--detail-reps 0`` the size-class block was left out without a word (adversarial review)."""
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(QUEUED, sort_keys=False))
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--detail-reps", "0"]) == 0
    assert main(["summarise", str(out)]) == 0
    run_printed, summarised = capsys.readouterr().out.split("Horizon totals")[1:]
    for printed in (run_printed, summarised):
        said = "by size class (the band of each assessment): not available: no replication kept per-event tables"
        assert said in printed


def test_the_run_prints_who_pays_per_compared_regime(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(FIVE_PARTIES, sort_keys=False))
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    block = printed[printed.index("Who pays: secmp0044 - pre-secmp0044") : printed.index("In words:")]
    assert "  SRPs                                              £43.2k     £244k   +£201k" in block
    assert "  Small                                                 £0     £157k   +£157k" in block
    words = " ".join(printed[printed.index("In words:") :].split())
    assert (
        "SECMP0044 (secmp0044) costs £32.5k more than the rules before SECMP0044 (pre-secmp0044), both in force from the "
        "horizon's first day, over 2018–2023" in words
    )
    assert "Who gains: Suppliers (save £169k)" in words and "SRPs (pay £201k more)" in words
