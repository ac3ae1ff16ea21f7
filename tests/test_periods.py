"""Tests by intent: interfaces and properties. Any period of a finished run: ``secsim summarise --from --to`` equals a
run of that period where the industry allows it (explicit parties from the horizon's start), and the sums of the
yearly rows otherwise; it uses yearly.csv (every replication) and, for size classes, the per-event tables the run
kept; it writes only files secsim names, into the result folder or a folder of its own; ``report`` takes the same
option; a year outside the horizon is one line and exit status 2."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from scipy import stats

from sim.analysis.summary import STATISTICS
from sim.cli import main

from .conftest import FIVE_PARTIES, one_line, run_quietly as run, secsim

STOCHASTIC = {**FIVE_PARTIES, "deterministic": False, "replications": 4}
REGIMES = ["pre-secmp0044", "secmp0044"]


def table(path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""]).set_index(["metric", "regime"])


@pytest.fixture(scope="module")
def six_years(tmp_path_factory):
    return run(tmp_path_factory.mktemp("periods"), "six", STOCHASTIC)


@pytest.mark.parametrize("data", [FIVE_PARTIES, STOCHASTIC], ids=["deterministic", "stochastic"])
def test_the_first_years_summarised_equal_a_run_of_those_years(tmp_path, data):
    six = run(tmp_path, "six", data)
    three = run(tmp_path, "three", {**data, "years": 3})
    assert main(["summarise", str(six), "--from", "2018", "--to", "2020", "--quiet"]) == 0
    sub, whole = table(six / "summary-2018-2020.csv"), table(three / "summary.csv")
    assert list(sub.index) == list(whole.index)
    numbers = ["mean", "sd", "diff_mean", "diff_ci_low", "diff_ci_high", "diff_half_width"]
    assert sub[numbers].to_numpy() == pytest.approx(whole[numbers].to_numpy(), abs=1e-9, nan_ok=True)
    payers_sub = pd.read_csv(six / "payers-2018-2020.csv")
    payers_whole = pd.read_csv(three / "payers.csv")
    assert payers_sub["mean"].to_numpy() == pytest.approx(payers_whole["mean"].to_numpy(), abs=1e-6)


def test_a_middle_period_is_the_sums_of_its_yearly_rows_with_the_same_paired_interval(six_years):
    assert main(["summarise", str(six_years), "--from", "2020", "--to", "2022", "--quiet"]) == 0
    sub = table(six_years / "summary-2020-2022.csv")
    yearly = pd.read_csv(six_years / "yearly.csv")
    cost = yearly[(yearly.metric == "cost_gbp") & yearly.year.between(2020, 2022)]
    per_run = cost.groupby(["regime", "replication"]).value.sum().unstack(0)
    change = per_run["secmp0044"] - per_run["pre-secmp0044"]
    half = stats.t.ppf(0.975, 3) * change.std(ddof=1) / math.sqrt(4)
    row = sub.loc[("cost_gbp", "secmp0044")]
    assert row["mean"] == pytest.approx(per_run["secmp0044"].mean())
    assert (row.diff_mean, row.diff_ci_low, row.diff_ci_high) == pytest.approx(
        (change.mean(), change.mean() - half, change.mean() + half)
    )
    full = yearly[(yearly.metric == "assessments") & (yearly.type == "full") & yearly.year.between(2020, 2022)]
    assert sub.loc[("assessments_full", "pre-secmp0044"), "mean"] == pytest.approx(
        full[full.regime == "pre-secmp0044"].value.sum() / 4
    )
    assert list(sub.columns) == STATISTICS


def test_the_whole_horizon_summarised_is_the_runs_own_summary(six_years):
    assert main(["summarise", str(six_years), "--quiet"]) == 0
    again, summary = table(six_years / "summary-2018-2023.csv"), table(six_years / "summary.csv")
    assert again.baseline.equals(summary.baseline)
    numbers = [c for c in STATISTICS if c != "baseline"]
    assert again[numbers].to_numpy(float) == pytest.approx(summary[numbers].to_numpy(float), rel=1e-12, nan_ok=True)
    assert pd.read_csv(six_years / "payers-2018-2023.csv").equals(pd.read_csv(six_years / "payers.csv"))


def test_under_detail_reps_a_period_uses_the_yearly_table_of_every_replication_and_size_classes_of_those_kept(tmp_path):
    every = run(tmp_path, "every", STOCHASTIC)
    some = run(tmp_path, "some", STOCHASTIC, "--detail-reps", "1")
    for out in (every, some):
        assert main(["summarise", str(out), "--from", "2019", "--to", "2021", "--quiet"]) == 0
    assert table(some / "summary-2019-2021.csv").equals(table(every / "summary-2019-2021.csv"))
    payers = pd.read_csv(some / "payers-2019-2021.csv")
    assert set(payers[payers.grouping == "payer"].replications) == {4} and set(
        payers[payers.grouping == "size"].replications
    ) == {1}


def test_summarise_prints_the_period_who_pays_and_the_words(six_years, capsys):
    assert main(["summarise", str(six_years), "--from", "2019", "--to", "2019"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("small-supplier-on-large-srp: 2019 to 2019 of a run from 2018-01-01 to 2024-01-01")
    assert "Who pays: secmp0044 - pre-secmp0044, mean of 4 replication(s)" in printed
    assert "the rules before SECMP0044 (pre-secmp0044), both in force from the horizon's first day, over 2019 (" in " ".join(
        printed.split()
    )
    assert printed.rstrip().endswith(f"written: {six_years / 'summary-2019-2019.csv'}, {six_years / 'payers-2019-2019.csv'}")


def test_a_period_report_says_its_years_and_its_files_are_secsims_so_a_later_run_may_replace_the_folder(six_years, tmp_path):
    assert main(["summarise", str(six_years), "--from", "2019", "--to", "2020", "--quiet"]) == 0
    assert main(["report", str(six_years), "--from", "2019", "--to", "2020"]) == 0
    assert list((six_years / "charts-2019-2020").glob("*.png"))
    text = " ".join(re.sub(r"<[^>]+>", " ", (six_years / "report-2019-2020.html").read_text(encoding="utf-8")).split())
    assert "This report covers 2019 to 2020 of a run from 2018-01-01 to 2024-01-01 (exclusive)" in text
    assert "over 2019–2020" in text
    again = tmp_path / "again.yaml"
    again.write_text(yaml.safe_dump(STOCHASTIC, sort_keys=False))
    assert main(["run", str(again), "--out", str(six_years), "--quiet"]) == 0  # not refused as someone else's files
    assert not (six_years / "summary-2019-2020.csv").exists()


def test_out_writes_a_folder_of_its_own_and_refuses_one_secsim_did_not_write(six_years, tmp_path, capsys):
    out = tmp_path / "sub"
    assert main(["summarise", str(six_years), "--from", "2020", "--to", "2021", "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "payers-2020-2021.csv", "summary-2020-2021.csv"]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    code, err = secsim("summarise", six_years, "--out", mine)
    assert "is not a result folder written by secsim" in one_line(code, err)
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
    assert main(["summarise", str(six_years), "--from", "2021", "--to", "2022", "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "payers-2021-2022.csv", "summary-2021-2022.csv"]


def test_out_never_replaces_a_runs_tables_its_own_least_of_all(six_years, tmp_path):
    """A run's folder is secsim's, but it is what a summary is read from: --out naming it (or another run's) is refused."""
    before = {p.name: p.read_bytes() for p in six_years.iterdir() if p.is_file()}
    other = run(tmp_path, "other", STOCHASTIC)
    for out in (six_years, Path(f"{six_years}/"), other):
        code, err = secsim("summarise", six_years, "--from", "2019", "--to", "2020", "--out", out)
        assert "holds a result set's tables, which summarise does not replace" in one_line(code, err)
    assert {p.name: p.read_bytes() for p in six_years.iterdir() if p.is_file()} == before
    assert (other / "yearly.csv").exists()


@pytest.mark.parametrize(
    "options,says",
    [
        (["--from", "2017"], "--from 2017: expected a year of the run's horizon, 2018 to 2023"),
        (["--to", "2024"], "--to 2024: expected a year of the run's horizon, 2018 to 2023"),
        (["--from", "2021", "--to", "2019"], "--from 2021 --to 2019: expected --from no later than --to"),
        (["--from", "twenty"], "argument --from: expected a year, got 'twenty'"),
    ],
)
def test_a_year_outside_the_horizon_is_one_line_and_nothing_is_written(six_years, options, says):
    before = sorted(p.name for p in six_years.iterdir())
    for command in ("summarise", "report"):
        code, err = secsim(command, six_years, *options)
        assert says in one_line(code, err)
    assert sorted(p.name for p in six_years.iterdir()) == before


def test_cio_utilisation_mean_weighs_each_year_by_its_days_in_the_horizon():
    """A horizon from 1 July holds its first and last calendar years in half: the mean utilisation is the CIO's
    team-days busy over its team-days, not the plain mean of three years' utilisations (which gave a half-year as
    much weight as a whole one); the same over a period, and as the assessments' own holds of the CIO say."""
    import sim

    from .conftest import scenario_from

    scenario = scenario_from({**FIVE_PARTIES, "start": "2018-07-01", "years": 2})
    result = sim.run(scenario, reps=2, progress=False)
    summary = result.summary.set_index(["metric", "regime"])["mean"]
    yearly = result.tables["yearly"].query("metric == 'cio_utilisation'").groupby(["regime", "year"]).value.mean()
    days = {2018: 184, 2019: 365, 2020: 182}  # 1 July 2018 to 1 July 2020, by hand
    for regime in ("pre-secmp0044", "secmp0044"):
        by_year = yearly[regime]
        weighted = sum(by_year[y] * d for y, d in days.items()) / sum(days.values())
        assert summary[("cio_utilisation_mean", regime)] == pytest.approx(weighted, abs=1e-9)
        assert abs(weighted - by_year.mean()) > 0.003  # the plain mean is another number here
    held = result.tables["assessments"].query("regime == 'secmp0044'")
    start, end = (held[c].clip("2018-07-01", "2020-07-01").pipe(pd.to_datetime) for c in ("fieldwork_start", "report_date"))
    busy = (end - start).dt.days.sum() / 2 / (scenario.cio.teams * sum(days.values()))  # dates to the day only
    assert summary[("cio_utilisation_mean", "secmp0044")] == pytest.approx(busy, rel=0.05)
    early = result.period(2018, 2019).set_index(["metric", "regime"])["mean"][("cio_utilisation_mean", "secmp0044")]
    assert early == pytest.approx((yearly["secmp0044"][2018] * 184 + yearly["secmp0044"][2019] * 365) / 549, abs=1e-9)


def test_the_answer_names_the_days_where_the_horizon_holds_a_year_in_part(tmp_path, capsys):
    """A run from 1 July: its answer over 2018–2020 says the days it covers, and a period of 2020 alone says it ends
    on 30 June (an adversarial try read "over 2019" for January to June)."""
    out = run(tmp_path, "july", {**FIVE_PARTIES, "start": "2018-07-01", "years": 2})
    assert main(["summarise", str(out)]) == 0
    assert "over 2018–2020 (2018-07-01 to 2020-06-30) (" in " ".join(capsys.readouterr().out.split())
    assert main(["summarise", str(out), "--from", "2020", "--to", "2020"]) == 0
    assert "over 2020 (2020-01-01 to 2020-06-30) (" in " ".join(capsys.readouterr().out.split())
    assert main(["summarise", str(out), "--from", "2019", "--to", "2019"]) == 0
    whole = " ".join(capsys.readouterr().out.split())
    assert "over 2019 (£" in whole and "2019-01-01 to" not in whole  # a whole year says no days
