"""Tests by intent: interfaces and validation. ``secsim sweep`` runs each design point as the scenario
with those values would run on its own, writes one tidy table, samples a Latin hypercube within
its ranges, and answers a bad ``--param`` with one line, exit status 2 and nothing written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.analysis.summary import SUMMARY_COLUMNS
from sim.cli import main
from sim.core.errors import InputError
from sim.designs.sweep import Parameter, design, parse_parameter
from sim.experiment.runner import run
from sim.inputs.scenario import as_data

from .conftest import FIVE_PARTIES, rejected, scenario_from

RANDOM = {**FIVE_PARTIES, "deterministic": False, "seed": 11, "replications": 2}


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sweep")
    scenario = folder / "s.yaml"
    scenario.write_text(yaml.safe_dump(RANDOM, sort_keys=False))
    assert (
        main(
            [
                "sweep",
                str(scenario),
                "--param",
                "cio.teams=1,3",
                "--param",
                "costs.cio_day_rate_gbp=2000,3000",
                "--out",
                str(folder / "out"),
                "--quiet",
            ]
        )
        == 0
    )
    return folder / "out"


def test_sweep_writes_one_tidy_table_with_the_design(swept):
    assert sorted(p.name for p in swept.iterdir()) == ["design.csv", "manifest.json", "runs.csv", "summary.csv"]
    points = pd.read_csv(swept / "design.csv")
    assert points.to_dict("list") == {
        "point": [0, 1, 2, 3],
        "cio.teams": [1, 1, 3, 3],
        "costs.cio_day_rate_gbp": [2000, 3000, 2000, 3000],
    }
    summary = pd.read_csv(swept / "summary.csv")
    assert list(summary.columns) == ["point", "cio.teams", "costs.cio_day_rate_gbp", *SUMMARY_COLUMNS]
    assert len(pd.read_csv(swept / "runs.csv")) == 4 * 2 * 2 * summary.metric.nunique()  # points x regimes x reps x metrics


def test_each_point_equals_a_run_of_the_scenario_with_its_values(swept):
    summary = pd.read_csv(swept / "summary.csv")
    point = summary[summary.point == 1].drop(columns=["point", "cio.teams", "costs.cio_day_rate_gbp"]).reset_index(drop=True)
    alone = run(scenario_from(RANDOM, cio={"teams": 1}, costs={"cio_day_rate_gbp": 3000}), progress=False).summary
    pd.testing.assert_frame_equal(point, alone, check_dtype=False)


def test_cio_capacity_and_day_rate_move_the_results_they_should(swept):
    summary = pd.read_csv(swept / "summary.csv").query("regime == 'pre-secmp0044'").set_index(["point", "metric"])["mean"]
    assert summary[(1, "cost_gbp")] > summary[(0, "cost_gbp")]  # a dearer CIO day
    assert summary[(0, "cio_utilisation_mean")] > summary[(2, "cio_utilisation_mean")]  # one team is busier than three


def test_sweep_prints_each_points_cost_and_paired_difference(swept, capsys):
    """Without --quiet the sweep ends with a table: a row per point, its values, each regime's mean
    cost and the difference from the baseline with its interval, as summary.csv holds them, in £k/£m;
    then per regime the metrics that explain a cost."""
    from sim.analysis.display import interval
    from sim.designs.printed import render_sweep

    summary = pd.read_csv(swept / "summary.csv")
    text = render_sweep(summary, ["cio.teams", "costs.cio_day_rate_gbp"])
    lines = text.splitlines()
    assert lines[0].startswith("cost_gbp per point") and lines[2 + 4] == ""
    assert "pre-secmp0044" in lines[1] and "secmp0044 - pre-secmp0044" in lines[1]
    row = summary.query("point == 3 and metric == 'cost_gbp' and regime == 'secmp0044'").iloc[0]
    assert interval("cost_gbp", row.diff_mean, row.diff_ci_low, row.diff_ci_high) in lines[5]
    assert lines[7].startswith("What explains a cost, per regime (pre-secmp0044 / secmp0044)")
    assert "CIO utilisation" in lines[8] and len(lines) == 8 + 1 + 4
    assert render_sweep(summary, ["cio.teams"], limit=2).splitlines()[-1] == "... 2 more point(s) in summary.csv"
    one = summary.assign(replications=1, diff_ci_low=float("nan"), diff_ci_high=float("nan"))
    assert "one replication: no interval" in render_sweep(one, ["cio.teams"]).splitlines()[0]


def test_latin_hypercube_stays_in_range_and_fills_every_stratum():
    data = as_data(scenario_from(FIVE_PARTIES))
    teams = parse_parameter("cio.teams=1:5", data)
    rate = parse_parameter("costs.cio_day_rate_gbp=1000:3000", data)
    assert teams.kind is int and rate.kind is float
    points = design([teams, rate], "lhs", 10, seed=3)
    assert len(points) == 10
    assert all(isinstance(p["cio.teams"], int) and 1 <= p["cio.teams"] <= 5 for p in points)
    assert sorted(p["cio.teams"] for p in points) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert sorted(int((p["costs.cio_day_rate_gbp"] - 1000) // 200) for p in points) == list(range(10))
    assert design([teams, rate], "lhs", 10, seed=3) == points


def test_a_listed_value_may_be_a_list_itself_written_as_a_scenario_file_would():
    """``ssc.meeting_days=[8,22],[15]`` sweeps two calendars (a newcomer's try: it was refused as malformed YAML, the
    commas inside a list splitting it); plain values read as before, and a mistake still names its column."""
    data = as_data(scenario_from(FIVE_PARTIES))
    assert parse_parameter("ssc.meeting_days=[8,22],[15]", data).values == ([8, 22], [15])
    assert parse_parameter("ssc.meeting_days=[15]", data).values == ([15],)
    assert parse_parameter("cio.teams=1,2,3", data).values == (1, 2, 3)
    assert parse_parameter("readings.count_measure=customers,dcc_premises", data).values == ("customers", "dcc_premises")
    with pytest.raises(InputError, match=r"^--param cio.teams=1,,2: line 1, column 3: malformed YAML"):
        parse_parameter("cio.teams=1,,2", data)
    with pytest.raises(InputError, match="with none empty"):
        parse_parameter("cio.teams=1,2,", data)
    variant = {
        **FIVE_PARTIES,
        "regimes": [*FIVE_PARTIES["regimes"], {"name": "v", "base": "secmp0044", "set": {"srp_interval_months": None}}],
    }
    data = as_data(scenario_from(variant))
    assert parse_parameter("regimes.2.set.srp_interval_months=null,24", data).values == (None, 24)  # null is a value
    assert parse_parameter("regimes.2.set={srp_interval_months: 24}", data).values == ({"srp_interval_months": 24},)


def test_a_listed_value_is_picked_with_equal_chances():
    choice = Parameter("x=a,b", "x", values=("a", "b"))
    assert [choice.at(u) for u in (0.0, 0.49, 0.5, 0.999)] == ["a", "a", "b", "b"]


BAD_PARAMS = {
    "unknown key": (["--param", "cio.tems=2,3"], '--param cio.tems=2,3: no key "tems" in cio; did you mean "teams"?'),
    "unknown top": (["--param", "cio_teams=2"], '--param cio_teams=2: no key "cio_teams" in the scenario'),
    "below minimum": (["--param", "cio.teams=0,2"], "--param cio.teams=0,2: cio.teams: expected a value >= 1, got 0"),
    "not a number": (
        ["--param", "costs.cio_day_rate_gbp=cheap"],
        "--param costs.cio_day_rate_gbp=cheap: costs.cio_day_rate_gbp: expected a number",
    ),
    "no values": (["--param", "cio.teams"], "--param cio.teams: expected PATH=v1,v2,... or PATH=LOW:HIGH"),
    "bad index": (
        ["--param", "parties.7.premises=1"],
        "--param parties.7.premises=1: parties is a list; expected an index from 0 to 4",
    ),
    "inside a value": (["--param", "cio.teams.x=1"], "--param cio.teams.x=1: cio.teams is a value, not a mapping"),
    "range on grid": (["--param", "cio.teams=1:3"], "--design grid needs listed values"),
    "reversed range": (
        ["--param", "cio.teams=3:1", "--design", "lhs", "--n", "4"],
        "--param cio.teams=3:1: expected a range LOW:HIGH",
    ),
    "range of text": (["--param", "name=a:b", "--design", "lhs", "--n", "4"], "--param name=a:b: expected a path to a number"),
    "lhs without n": (["--param", "cio.teams=1:3", "--design", "lhs"], "--n: --design lhs needs the number of points"),
    "twice": (["--param", "cio.teams=1", "--param", "cio.teams=2"], "--param cio.teams: given twice"),
    "bad regime": (["--param", "regimes.1=secmp44"], '--param regimes.1=secmp44: regimes[1]: unknown regime "secmp44"'),
    "swapped regime": (  # point 1 ran sec-history and was summarised, paired and charted as secmp0044: exit 0
        ["--param", "regimes.1=secmp0044,sec-history"],
        "sweep point 1 (regimes.1=sec-history): runs the regimes pre-secmp0044, sec-history, not the scenario's "
        "pre-secmp0044, secmp0044; every point of a design runs the same regimes",
    ),
    "other regimes": (  # each point's runs were cut into blocks of the file's regime count: point 1 lost, point 0 mixed
        ["--param", "regimes=[secmp0044],[pre-secmp0044]"],
        'sweep point 0 (regimes=["secmp0044"]): runs the regimes secmp0044, not the scenario\'s',
    ),
    "a value twice": (
        ["--param", "cio.teams=1,2,1"],
        "--param cio.teams=1,2,1: 1 is listed twice; expected each value of a grid once",
    ),
    "bad design": (["--param", "cio.teams=1", "--design", "box"], "argument --design: invalid choice"),
    "grid too large": (  # every combination was made and checked first: nothing printed for minutes, then out of memory
        [
            *("--param", "cio.teams=" + ",".join(map(str, range(1, 51)))),
            *("--param", "ssc.items_per_meeting=" + ",".join(map(str, range(1, 51)))),
            *("--param", "costs.cio_day_rate_gbp=" + ",".join(map(str, range(1000, 1050)))),
        ],
        "--param: expected a grid of at most 100,000 points, got 125,000 (50 x 50 x 50 values)",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PARAMS))
def test_bad_param_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, case):
    option, expected = BAD_PARAMS[case]
    assert expected in rejected(tmp_path, capsys, "sweep", option)


def test_a_point_that_makes_a_user_an_srp_drops_the_premises_it_had_by_default():
    from sim.core.errors import InputError
    from sim.designs.sweep import point_scenario
    from sim.inputs.scenario import validate

    data = as_data(validate(FIVE_PARTIES, "five.yaml"))
    made = point_scenario(data, 0, {"parties.OTH-1.role": "srp"}, "five")  # OTH-1 writes no premises
    assert next(p for p in made.parties if p.id == "OTH-1").role == "srp"
    with pytest.raises(InputError, match="an SRP's premises are derived from its clients"):
        point_scenario(data, 1, {"parties.SUP-S.role": "srp", "parties.SUP-S.srp": None}, "five")  # SUP-S writes its own


def test_summarise_and_compare_say_a_sweeps_folder_is_a_sweeps(tmp_path, capsys):
    """A sweep's folder given to a run's command: one line saying what it is, not "missing start, end"."""
    from sim.cli import main

    from .conftest import FIVE_PARTIES

    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(FIVE_PARTIES))
    out = tmp_path / "teams"
    assert (
        main(["sweep", str(scenario), "--param", "cio.teams=1,2", "--reps", "1", "--no-cache", "--quiet", "--out", str(out)]) == 0
    )
    capsys.readouterr()
    for command in (["summarise", str(out)], ["compare", str(out), str(out)]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert (
            err == f"error: {out}: is a sweep's result folder; this command reads one written by secsim run "
            f"(secsim report {out} writes the sweep's own report)\n"
        )


@pytest.mark.parametrize(
    ("param", "cells"),
    [("ssc.meeting_days=[8,22],[15]", ["[8, 22]", "[15]"]), ("readings.count_measure=customers,dcc_premises", None)],
)
def test_a_sweep_of_values_that_are_not_numbers_is_written_and_reported(tmp_path, param, cells):
    """A list-valued parameter's points are tables' cells as JSON text, and a sweep of a reading or of a list gets its
    report, the values as the charts' ticks (both failed: a traceback writing summary.csv, and "could not convert
    string to float" in the report, which the docs' own readings sweep hit)."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(FIVE_PARTIES))
    out = tmp_path / "sweep"
    assert main(["sweep", str(scenario), "--param", param, "--reps", "1", "--no-cache", "--quiet", "--out", str(out)]) == 0
    path = param.partition("=")[0]
    design_table = pd.read_csv(out / "design.csv")
    if cells:
        assert design_table[path].tolist() == cells
        assert sorted(set(pd.read_csv(out / "summary.csv")[path])) == sorted(cells)
    assert main(["report", str(out)]) == 0
    assert (out / "report.html").is_file() and (out / "charts" / f"explained-{path}.png").is_file()


def test_a_variants_base_may_be_swept_its_points_paired_with_the_same_baseline(tmp_path):
    """What a design may vary of a regime: its base, where the regime is a variant (its name, and so every point's
    regimes and baselines, stay the file's). Point k is a run of the scenario with that base."""
    data = {**FIVE_PARTIES, "regimes": ["pre-secmp0044", {"name": "v", "base": "secmp0044"}]}
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    out = tmp_path / "bases"
    param = "regimes.1.base=secmp0044,sec-history"
    assert main(["sweep", str(scenario), "--param", param, "--reps", "1", "--no-cache", "--quiet", "--out", str(out)]) == 0
    summary = pd.read_csv(out / "summary.csv")
    assert summary.groupby("point").regime.unique().map(list).tolist() == [["pre-secmp0044", "v"]] * 2
    point = summary[summary.point == 1].drop(columns=["point", "regimes.1.base"]).reset_index(drop=True)
    alone = run(scenario_from(data, regimes=["pre-secmp0044", {"name": "v", "base": "sec-history"}]), progress=False)
    pd.testing.assert_frame_equal(point, alone.summary, check_dtype=False)
    assert main(["report", str(out)]) == 0
