"""Tests by intent: interfaces. The CLI as a user calls it: bad input files give one clear line,
exit status 2 and nothing written; a good run writes every table atomically and reproducibly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sim.cli import main

from .conftest import FIVE_PARTIES, ROOT

GOOD = yaml.safe_dump(FIVE_PARTIES, sort_keys=False)


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


BAD_FILES = {
    "typo-key": (
        GOOD.replace("premises: 100000", "premsies: 100000"),
        'scenario.yaml: parties[2].premsies: unknown key; did you mean "premises"?',
    ),
    "negative-premises": (
        GOOD.replace("premises: 100000", "premises: -5"),
        "scenario.yaml: parties[2].premises: expected an integer from 0 to 1,000,000,000 or a dated mapping, got -5",
    ),
    "premises-lots": (
        GOOD.replace("premises: 100000", "premises: lots"),
        'scenario.yaml: parties[2].premises: expected an integer from 0 to 1,000,000,000 or a dated mapping, got "lots"',
    ),
    "unknown-regime": (
        GOOD.replace("- secmp0044", "- secmp44"),
        'scenario.yaml: regimes[1]: unknown regime "secmp44"; expected one of pre-secmp0044, secmp0044, sec-history',
    ),
    "unknown-srp": (
        GOOD.replace("srp: SRP-1\n  entry: '2018-01-01'\n- id: SUP-S", "srp: SRP-9\n  entry: '2018-01-01'\n- id: SUP-S"),
        'scenario.yaml: parties[1].srp: no party with id "SRP-9" and role srp',
    ),
    "malformed-yaml": ("name: x\nparties: [\n  {id: A, role: supplier\n", "scenario.yaml: line "),
    "top-level-typo": (GOOD.replace("years: 6", "yeras: 6"), 'scenario.yaml: yeras: unknown key; did you mean "years"?'),
    "bad-date": (GOOD.replace("start: '2018-01-01'", "start: 2018-13-01"), "scenario.yaml: start: expected a date"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_scenario_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, case):
    text, expected = BAD_FILES[case]
    assert text != GOOD
    path = write(tmp_path, text)
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert expected in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.yaml"]


def test_bad_scenario_leaves_an_existing_result_folder_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "assessments.csv").write_text("earlier results\n")
    path = write(tmp_path, GOOD.replace("premises: 100000", "premises: -5"))
    assert main(["run", str(path), "--out", str(out)]) == 2
    assert [p.name for p in out.iterdir()] == ["assessments.csv"]
    assert (out / "assessments.csv").read_text() == "earlier results\n"


def test_validate_reports_ok_and_errors(tmp_path, capsys):
    assert main(["validate", str(write(tmp_path, GOOD))]) == 0
    assert "ok" in capsys.readouterr().out
    assert main(["validate", str(write(tmp_path, GOOD.replace("years: 6", "years: 0"), "b.yaml"))]) == 2
    assert "b.yaml: years: expected a value >= 1, got 0" in capsys.readouterr().err


def test_missing_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 2
    assert "no such scenario file" in capsys.readouterr().err


def test_run_writes_the_result_set_and_replaces_an_old_one(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(write(tmp_path, GOOD)), "--out", str(out), "--reps", "1", "--seed", "1", "--quiet"]) == 0
    assert main(["run", str(write(tmp_path, GOOD)), "--out", str(out), "--reps", "2", "--seed", "7"]) == 0
    names = {p.name for p in out.iterdir()}
    assert names == {
        "assessments.csv",
        "ssc_meetings.csv",
        "ssc_items.csv",
        "costs.csv",
        "crossings.csv",
        "one_off_costs.csv",
        "yearly.csv",
        "events.csv",
        "summary.csv",
        "payers.csv",
        "yearly_summary.csv",
        "regimes.csv",
        "scenario.json",
        "manifest.json",
    }
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 7 and manifest["replications"] == 2
    assert [r["name"] for r in manifest["regimes"]] == ["pre-secmp0044", "secmp0044"]
    assert len(manifest["scenario_hash"]) == 16
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")], "no staging folder or lock left behind"
    printed = capsys.readouterr().out
    assert "assessments_full" in printed and "Paired change from pre-secmp0044" in printed
    assert "Who pays: secmp0044 - pre-secmp0044" in printed and "In words:" in printed


def test_assessments_csv_contract(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(write(tmp_path, GOOD)), "--out", str(out), "--quiet"]) == 0
    header = (out / "assessments.csv").read_text().splitlines()[0].split(",")
    contract = [
        "regime",
        "replication",
        "party_id",
        "role",
        "type",
        "fieldwork_start",
        "fieldwork_end",
        "premises_counted",
        "band",
        "srp_id",
        "includes_srp_scope",
        "cio_days",
        "cost_gbp",
        "late",
    ]
    assert header[: len(contract)] == contract
    import pandas as pd

    table = pd.read_csv(out / "assessments.csv", dtype=str, keep_default_na=False)
    assert set(table.role) <= {"supplier", "network", "other", "srp"}
    assert set(table.type) <= {"full", "verification", "self", "follow_up"}
    assert set(table.band) <= {"large", "small", "none"}
    assert set(table.includes_srp_scope) <= {"true", "false"} and set(table.late) <= {"true", "false"}
    assert table.fieldwork_start.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def test_same_seed_gives_byte_identical_assessments(tmp_path):
    path = write(tmp_path, GOOD.replace("deterministic: true", "deterministic: false"))
    for out in ("a", "b"):
        assert main(["run", str(path), "--out", str(tmp_path / out), "--reps", "3", "--quiet"]) == 0
    for table in ("assessments.csv", "yearly.csv", "ssc_items.csv", "costs.csv", "summary.csv"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes()


def test_console_script_error_has_no_traceback(tmp_path):
    path = write(tmp_path, GOOD.replace("- secmp0044", "- secmp44"))
    done = subprocess.run(
        [sys.executable, "-m", "sim.cli", "run", str(path), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.parametrize("scenario", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_shipped_scenarios_validate(scenario, capsys):
    assert main(["validate", str(ROOT / "scenarios" / scenario)]) == 0


@pytest.mark.parametrize("option", [["--reps", "0"], ["--seed", "-1"], ["--seed", "x"]])
def test_bad_option_is_one_line_and_exit_2(tmp_path, capsys, option):
    with pytest.raises(SystemExit) as stop:
        main(["run", str(write(tmp_path, GOOD)), "--out", str(tmp_path / "o"), *option])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and option[0] in err
    assert not (tmp_path / "o").exists()


def test_an_option_the_subcommand_does_not_take_points_at_the_subcommands_help(tmp_path, capsys):
    """``sweep`` takes no ``--detail-reps``: the line names ``secsim sweep --help``, which lists what it takes (a
    newcomer was sent to ``secsim --help``, which lists none)."""
    with pytest.raises(SystemExit) as stop:
        main(["sweep", str(write(tmp_path, GOOD)), "--param", "cio.teams=1,2", "--detail-reps", "0"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err == "error: secsim sweep: unrecognized arguments: --detail-reps 0 (see secsim sweep --help)\n"
    with pytest.raises(SystemExit):  # given before the subcommand: the top level's
        main(["--quiet", "sweep", str(write(tmp_path, GOOD)), "--param", "cio.teams=1,2"])
    assert capsys.readouterr().err == "error: secsim: unrecognized arguments: --quiet (see secsim --help)\n"


def test_a_ctrl_c_inside_pydantic_is_still_a_ctrl_c(tmp_path, monkeypatch, capsys):
    """pydantic wraps whatever a serializer raises, KeyboardInterrupt too, in its own error: a Ctrl-C that lands
    while a scenario is hashed (every task hashes it) must still end as an interrupt — status 130, one line — not a
    traceback (found by tests/test_resume.py under load)."""
    from typing import Annotated

    from pydantic import BaseModel, PlainSerializer

    import sim.cli.commands as commands

    def interrupted(_):
        raise KeyboardInterrupt

    class Hashed(BaseModel):
        value: Annotated[int, PlainSerializer(interrupted)]

    monkeypatch.setattr(commands, "_validate", lambda args: Hashed(value=1).model_dump(mode="json"))
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(FIVE_PARTIES))
    assert main(["validate", str(path)]) == 130
    assert capsys.readouterr().err == "interrupted: nothing was written\n"


def test_a_command_starts_without_scipy_stats_or_the_plotting_and_cluster_libraries():
    """Every command and worker process imports the CLI: what it does not need is imported where it is used
    (``scipy.stats`` alone cost most of a second a process)."""
    code = "import sys, sim.cli; print(sorted(m for m in ('scipy.stats', 'matplotlib', 'dask', 'SALib') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("stored", [False, True])
def test_an_interrupted_run_names_its_cache_only_when_it_holds_replications_of_its_own(tmp_path, capsys, monkeypatch, stored):
    import sim.cli.commands as commands
    from sim.experiment.cache import Cache, Key

    cache = tmp_path / "cache"
    Cache(cache).put(Key("another-scenario", "secmp0044", 1, 0, "yearly"), {})  # an earlier command's: not this one's

    def interrupted(_):
        if stored:  # a replication of this command finished before the interrupt
            Cache(cache).put(Key("this-scenario", "secmp0044", 1, 0, "yearly"), {})
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "_run", interrupted)
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(FIVE_PARTIES))
    assert main(["run", str(path), "--cache", str(cache), "--out", str(tmp_path / "out")]) == 130
    said = (
        f"finished replications are cached in {cache}: the same command resumes"
        if stored
        else f"no replication had finished, so {cache} holds nothing to resume from"
    )
    assert capsys.readouterr().err == f"interrupted: nothing was written; {said}\n"


def test_a_run_replacing_a_result_folder_says_it_took_the_reports_and_periods_made_from_it(tmp_path, capsys):
    """A new run replaces the old result set whole, its report with it (a report of results no longer there would
    mislead): the run says so on its last line, naming the report, rather than removing it unsaid."""
    path, out = write(tmp_path, GOOD), tmp_path / "out"
    assert main(["run", str(path), "--reps", "1", "--out", str(out)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"results: {out}"
    assert main(["report", str(out)]) == 0
    assert main(["summarise", str(out), "--from", "2019", "--to", "2020", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["run", str(path), "--reps", "1", "--out", str(out)]) == 0
    said = capsys.readouterr().out.splitlines()[-1]
    made = "payers-2019-2020.csv, report.html, summary-2019-2020.csv"
    assert said == f"results: {out} (it replaced the earlier results there and {made}, made from them)"
    assert not (out / "report.html").exists() and not (out / "summary-2019-2020.csv").exists()
