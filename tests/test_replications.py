"""Tests by intent: validation and interfaces. Paired differences per year and over the horizon
agree with scipy's own t tests and with each other; common random numbers make the paired
interval narrower than the unpaired one; ``--precision`` adds replications until the key
difference is known as precisely as asked, and stops at ``--max-reps`` otherwise."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, strategies as st
from scipy import stats

from sim.analysis.summary import CONFIDENCE, paired, t_quantile
from sim.cli import main
from sim.experiment.runner import Precision, run
from sim.results.output import TableSink, staged, write, write_beside_tables

from .conftest import FIVE_PARTIES, rejected, scenario_from

RANDOM = scenario_from(FIVE_PARTIES, deterministic=False, seed=5)


@given(st.one_of(st.integers(-3, 10_000).map(float), st.floats(allow_nan=True, allow_infinity=True)))
def test_the_t_quantile_is_scipy_stats_own_bit_for_bit(df):
    expected = stats.t.ppf(0.5 + CONFIDENCE / 2, df)
    found = t_quantile(df)
    assert (math.isnan(found) and math.isnan(expected)) or found == expected


def test_paired_and_unpaired_intervals_match_scipy():
    rng = np.random.default_rng(1)
    base = rng.normal(100, 10, 12)
    other = base + rng.normal(3, 2, 12)
    found = paired(base, other)
    low, high = stats.ttest_rel(other, base).confidence_interval(0.95)
    assert (found["diff_ci_low"], found["diff_ci_high"]) == pytest.approx((low, high), rel=1e-12)
    welch = stats.ttest_ind(other, base, equal_var=False).confidence_interval(0.95)
    assert found["unpaired_half_width"] == pytest.approx((welch.high - welch.low) / 2, rel=1e-12)
    expected = 1 - np.var(other - base, ddof=1) / (np.var(base, ddof=1) + np.var(other, ddof=1))
    assert found["variance_reduction"] == pytest.approx(expected, rel=1e-12)


def test_identical_replications_give_a_zero_width_interval_not_nan():
    found = paired(np.array([5.0, 5.0, 5.0]), np.array([7.0, 7.0, 7.0]))
    assert (found["diff_mean"], found["diff_half_width"], found["unpaired_half_width"]) == (2.0, 0.0, 0.0)


@pytest.fixture(scope="module")
def ten() -> object:
    return run(RANDOM, replications=10, progress=False)


def test_common_random_numbers_narrow_the_cost_difference(ten):
    cost = ten.summary[(ten.summary.metric == "cost_gbp") & (ten.summary.regime == "secmp0044")].iloc[0]
    assert cost.diff_half_width < cost.unpaired_half_width
    assert cost.variance_reduction > 0.3


def test_yearly_differences_add_up_to_the_horizon_difference(ten):
    yearly = ten.yearly_summary
    assert yearly.year.nunique() == RANDOM.years
    for year_metric, horizon_metric in [("cost_gbp", "cost_gbp"), ("assessments", "assessments_total"), ("late", "late")]:
        rows = yearly[(yearly.metric == year_metric) & (yearly.regime == "secmp0044")]
        horizon = ten.summary[(ten.summary.metric == horizon_metric) & (ten.summary.regime == "secmp0044")].iloc[0]
        assert rows.diff_mean.sum() == pytest.approx(horizon.diff_mean, abs=1e-6)
        assert (rows.replications == 10).all()


def test_precision_adds_replications_until_the_target_is_met():
    result = run(RANDOM, replications=3, progress=False, precision=Precision(0.25, max_replications=200))
    reached = result.extra["precision"]
    assert reached["reached"] and reached["relative_half_width"]["secmp0044"] <= 0.25
    assert 3 < result.replications < 200
    cost = result.summary[(result.summary.metric == "cost_gbp") & (result.summary.regime == "secmp0044")].iloc[0]
    assert cost.replications == result.replications
    assert cost.diff_half_width <= 0.25 * abs(cost.diff_mean)


def test_precision_stops_at_the_maximum_and_says_so(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "deterministic": False}, sort_keys=False))
    assert main(["run", str(path), "--reps", "2", "--precision", "0.0001", "--max-reps", "5", "--out", str(tmp_path / "o")]) == 0
    printed = capsys.readouterr().out
    assert "5 replication(s) x 2 regime(s)" in printed and "precision 0.0001 NOT reached at --max-reps 5" in printed


def test_batches_grow_to_the_estimated_need_but_at_most_double():
    """Half-width 50 on a mean difference of 100: relative 0.5."""
    summary = pd.DataFrame(
        [
            {
                "metric": "cost_gbp",
                "regime": "pre-secmp0044",
                "baseline": "pre-secmp0044",
                "diff_mean": np.nan,
                "diff_half_width": np.nan,
            },
            {
                "metric": "cost_gbp",
                "regime": "secmp0044",
                "baseline": "pre-secmp0044",
                "diff_mean": -100.0,
                "diff_half_width": 50.0,
            },
        ]
    )
    assert Precision(0.6).next_replications(10, summary) == 10  # met
    assert Precision(0.45).next_replications(10, summary) == 13  # 10 x (0.5 / 0.45)^2 = 12.3
    assert Precision(0.25).next_replications(10, summary) == 20  # needs 40: doubles first
    assert Precision(0.25, max_replications=15).next_replications(10, summary) == 15
    assert Precision(0.25, max_replications=15).next_replications(15, summary) == 15  # at the maximum: stop


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (["--precision", "0"], "argument --precision: expected a number above 0, got '0'"),
        (["--precision", "x"], "argument --precision: expected a number above 0, got 'x'"),
        (["--max-reps", "1"], "argument --max-reps: expected an integer >= 2, got '1'"),
        (
            ["--precision", "0.1", "--reps", "20", "--max-reps", "10"],
            "--max-reps: expected at least the 20 replications asked for, got 10",
        ),
        (["--executor", "gpu"], "argument --executor: invalid choice"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler: only with --executor dask, got --executor serial"),
        (
            ["--workers", "2"],
            "--workers: only with --executor process or a local Dask cluster, got --executor serial (the default)",
        ),
        (
            ["--executor", "dask", "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"],
            "--workers: only with --executor process or a local Dask cluster, got --scheduler (its cluster's workers are its own)",
        ),
        (["--out", ""], "argument --out: expected a path, got ''"),  # it was named --out . (an adversarial try)
        (["--detail-reps", "-1"], "argument --detail-reps: expected a non-negative integer, got '-1'"),
        (["--max-reps", "50"], "--max-reps: only with --precision, got --max-reps 50 alone (--reps sets the replications)"),
        (["--regimes", "secmp0044,"], "argument --regimes: expected regime names separated by commas, got 'secmp0044,'"),
        (
            ["--regimes", "secmp0044,sec-hist"],
            "--regimes: 'sec-hist' is not a regime of small-supplier-on-large-srp; expected some of pre-secmp0044, secmp0044",
        ),
        (
            ["--regimes", "secmp044"],
            "--regimes: 'secmp044' is not a regime of small-supplier-on-large-srp; did you mean \"secmp0044\"?",
        ),
        (["--regimes", "secmp0044,secmp0044"], "--regimes: expected each regime once, got 'secmp0044' more than once"),
    ],
)
def test_bad_run_option_is_one_line_exit_2(tmp_path, capsys, option, expected):
    assert expected in rejected(tmp_path, capsys, "run", option)


def test_precision_needs_two_regimes(tmp_path, capsys):
    err = rejected(tmp_path, capsys, "run", ["--precision", "0.1"], {**FIVE_PARTIES, "regimes": ["secmp0044"]})
    assert "--precision: needs a difference, so at least two regimes" in err


def test_progress_bar_with_eta_when_asked_and_silent_when_stderr_is_not_a_terminal(capsys):
    run(RANDOM, replications=2, progress=True)
    bar = capsys.readouterr().err
    assert "/4 [" in bar and "<" in bar and "run/s" in bar, bar  # done/total [elapsed<remaining, rate]
    run(RANDOM, replications=2)
    assert capsys.readouterr().err == ""


def test_streamed_tables_equal_those_written_from_memory(tmp_path):
    """``secsim run`` streams rows to disk in chunks; the files must not depend on where chunks fall."""
    with staged(tmp_path / "streamed") as folder:
        sink = TableSink(folder, chunk_rows=50)
        streamed = run(RANDOM, replications=4, progress=False, sink=sink)
        counts = sink.close()
        write_beside_tables(streamed, folder, None, counts)
    assert streamed.tables == {} and counts["assessments"] > 100, "many chunks, and nothing kept in memory"
    write(run(RANDOM, replications=4, progress=False), tmp_path / "memory")
    memory = sorted(p.name for p in (tmp_path / "memory").glob("*.csv"))
    assert memory == sorted(p.name for p in (tmp_path / "streamed").glob("*.csv"))
    for name in memory:
        assert (tmp_path / "streamed" / name).read_bytes() == (tmp_path / "memory" / name).read_bytes(), name


def test_detail_reps_keeps_per_event_rows_of_the_first_k_and_the_same_summaries(tmp_path):
    """``--detail-reps 2`` of 5: per-event tables hold replications 0 and 1 only; the yearly table, the
    summaries and the manifest's count cover all 5, and equal those of a run that kept everything."""
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "deterministic": False, "seed": 5}, sort_keys=False))
    assert main(["run", str(path), "--reps", "5", "--quiet", "--out", str(tmp_path / "all")]) == 0
    assert main(["run", str(path), "--reps", "5", "--detail-reps", "2", "--quiet", "--out", str(tmp_path / "two")]) == 0
    for name in ("assessments", "ssc_items", "ssc_meetings", "costs"):  # (no market events among explicit parties)
        every = pd.read_csv(tmp_path / "all" / f"{name}.csv")
        kept = pd.read_csv(tmp_path / "two" / f"{name}.csv")
        assert set(every.replication) == set(range(5)) and set(kept.replication) == {0, 1}, name
        pd.testing.assert_frame_equal(kept, every[every.replication < 2].reset_index(drop=True), check_dtype=False)
    for name in ("yearly", "summary", "yearly_summary"):
        assert (tmp_path / "two" / f"{name}.csv").read_bytes() == (tmp_path / "all" / f"{name}.csv").read_bytes(), name
    manifest = yaml.safe_load((tmp_path / "two" / "manifest.json").read_text())
    assert (manifest["replications"], manifest["detail_replications"]) == (5, 2)


def test_regimes_option_runs_the_named_regimes_in_that_order(tmp_path):
    """``--regimes secmp0044,pre-secmp0044``: only those, the first named is the baseline, and each
    regime's numbers are those it has in a run of all of them (the same random streams)."""
    three = {**FIVE_PARTIES, "deterministic": False, "seed": 5, "regimes": ["pre-secmp0044", "secmp0044", "sec-history"]}
    scenario = scenario_from(three)
    every = run(scenario, replications=3, progress=False)
    chosen = run(scenario, replications=3, progress=False, only=["secmp0044", "pre-secmp0044"])
    assert [r.name for r in chosen.regimes] == ["secmp0044", "pre-secmp0044"]
    assert set(chosen.summary.baseline) == {"secmp0044"}
    for name in ("secmp0044", "pre-secmp0044"):  # noqa: B007 - read by the queries as @name
        mine = chosen.tables["assessments"].query("regime == @name").reset_index(drop=True)
        theirs = every.tables["assessments"].query("regime == @name").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, theirs)
    saving = chosen.summary.query("metric == 'cost_gbp' and regime == 'pre-secmp0044'").diff_mean.iloc[0]
    reverse = every.summary.query("metric == 'cost_gbp' and regime == 'secmp0044'").diff_mean.iloc[0]
    assert saving == pytest.approx(-reverse)
