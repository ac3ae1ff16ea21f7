"""Tests by intent: interfaces and validation. ``secsim run --set PATH=VALUE``, ``--years`` and ``--start`` change
exactly the values named (scenario.json differs there and nowhere else; the manifest and the report say what the
command line changed and what the file had); a path or value the scenario cannot take is one line, exit 2, and
nothing written."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from sim.cli import main

from .conftest import FIVE_PARTIES, one_line, secsim


def differences(a, b, path: str = "") -> list[str]:
    """Every dotted path at which two JSON values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(a.keys() | b.keys()) for d in differences(a.get(k), b.get(k), f"{path}.{k}" if path else k)]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}.{i}")]
    return [] if a == b else [path]


@pytest.fixture
def scenario(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "years": 2}, sort_keys=False))
    return path


def written(tmp_path, scenario, name: str, *options: str) -> tuple[dict, dict]:
    out = tmp_path / name
    assert main(["run", str(scenario), "--out", str(out), "--quiet", *options]) == 0
    return json.loads((out / "scenario.json").read_text()), json.loads((out / "manifest.json").read_text())


@pytest.mark.parametrize(
    "options,paths,record",
    [
        (["--set", "cio.teams=1"], ["cio.teams"], [("--set", "cio.teams", 1, 3)]),
        (["--set", "parties.2.premises=250001"], ["parties.2.premises"], [("--set", "parties.2.premises", 250001, 100000)]),
        (["--set", "costs.cio_day_rate_gbp=1e3"], ["costs.cio_day_rate_gbp"], None),
        # a documented optional key the file does not write: named as any default is
        (["--set", "parties.SUP-S.exit=2019-01-01"], ["parties.2.exit"], [("--set", "parties.SUP-S.exit", "2019-01-01", None)]),
        (
            ["--set", "parties.SUP-S.non_domestic_premises=60000"],  # a supplier's: what SECMP0059's test counts
            ["parties.2.non_domestic_premises"],
            [("--set", "parties.SUP-S.non_domestic_premises", 60000, 0)],
        ),
        # a User made an SRP keeps no premises it never wrote (an SRP's are derived)
        (["--set", "parties.OTH-1.role=srp"], ["parties.4.role"], [("--set", "parties.OTH-1.role", "srp", "other")]),
        (["--set", "cio.teams=010"], ["cio.teams"], [("--set", "cio.teams", 10, 3)]),  # YAML 1.1: octal 8
        (["--years", "3"], ["years"], [("--years", "years", 3, 2)]),
        (["--start", "2019-01-01"], ["start"], [("--start", "start", "2019-01-01", "2018-01-01")]),
        (
            ["--set", "ssc.items_per_meeting=5", "--years", "1"],
            ["ssc.items_per_meeting", "years"],
            [("--set", "ssc.items_per_meeting", 5, 10), ("--years", "years", 1, 2)],
        ),
    ],
)
def test_set_changes_exactly_the_named_value(tmp_path, scenario, options, paths, record):
    plain, _ = written(tmp_path, scenario, "plain")
    changed, manifest = written(tmp_path, scenario, "changed", *options)
    assert differences(plain, changed) == sorted(paths)
    said = [(o["option"], o["path"], o["value"], o["scenario_file_value"]) for o in manifest["overrides"]]
    assert said == (record or [("--set", "costs.cio_day_rate_gbp", 1000.0, said[0][3])])
    assert manifest["scenario_hash"] != json.loads((tmp_path / "plain" / "manifest.json").read_text())["scenario_hash"]
    assert "overrides" not in json.loads((tmp_path / "plain" / "manifest.json").read_text())


def test_the_report_says_what_the_command_line_changed(tmp_path, scenario):
    written(tmp_path, scenario, "changed", "--set", "cio.teams=1", "--years", "3")
    assert main(["report", str(tmp_path / "changed")]) == 0
    text = " ".join(re.sub(r"<[^>]+>", " ", (tmp_path / "changed" / "report.html").read_text(encoding="utf-8")).split())
    assert "Changed on the command line ( secsim run ):" in text
    assert "--set cio.teams : 1 (the scenario file: 3)" in text and "--years years : 3 (the scenario file: 2)" in text


def test_the_reports_rerun_command_computes_the_same_tables(tmp_path, scenario):
    """STRESS-DES 6.1: the report's "Rerun with" command carries what the command line changed (it gave the scenario
    file, seed and replications only, so following it computed another answer), and a value the file leaves to its
    default is said to be one, not "(the scenario file: None)"."""
    import html
    import shlex

    given = ["--set", "cio.teams=1", "--set", "parties.SUP-S.exit=2019-06-01", "--years", "3", "--reps", "2"]
    written(tmp_path, scenario, "changed", *given, "--regimes", "secmp0044,pre-secmp0044")
    assert main(["report", str(tmp_path / "changed")]) == 0
    page = html.unescape((tmp_path / "changed" / "report.html").read_text(encoding="utf-8"))
    command = re.search(r"Rerun with `(secsim run [^`]+)`", page)
    assert command, "the rerun command is on the page"
    words = shlex.split(command.group(1))
    assert words[2] == str(scenario) and "--regimes" in words
    assert main([*words[1:], "--out", str(tmp_path / "again"), "--quiet"]) == 0
    for table in ("summary.csv", "yearly.csv"):
        assert (tmp_path / "again" / table).read_bytes() == (tmp_path / "changed" / table).read_bytes(), table
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "--set parties.SUP-S.exit : 2019-06-01 (not in the scenario file: its default)" in text


@pytest.mark.parametrize(
    "options,says",
    [
        (["--set", "cio.tems=1"], '--set cio.tems=1: no key "tems" in cio; did you mean "teams"?'),
        (["--set", "cio.teams=0"], "--set cio.teams=0: cio.teams: expected a value >= 1, got 0"),
        (["--set", "cio.teams"], "--set cio.teams: expected PATH=VALUE, e.g. cio.teams=4"),
        (["--set", "cio.teams=2", "--set", "cio.teams=3"], "--set cio.teams=3: cio.teams is set twice; give it once"),
        (["--set", "years=3", "--years", "4"], "--years 4: years is given by --set too; give it once"),
        (["--years", "0"], "argument --years: expected a positive integer, got '0'"),
        (["--years", "60"], "--years 60: years: expected a value <= 50, got 60"),
        (
            ["--start", "2018-13-01"],
            '--start 2018-13-01: start: expected a date from 1900-01-01 to 2200-12-31 (YYYY-MM-DD), got "2018-13-01"',
        ),
        (
            ["--set", "parties.SRP-1.premises=5"],
            '--set parties.SRP-1.premises=5: parties.SRP-1 is an SRP: its premises are derived from its clients, so it has no "premises" to set',
        ),
        (
            ["--set", "parties.SRP-1.copies=2"],
            "parties.SRP-1 is an SRP: there is always one of it (its clients name it by its id; copy",
        ),
        (
            ["--set", "parties.SUP-S.copiess=2"],
            '--set parties.SUP-S.copiess=2: no key "copiess" in parties.SUP-S; did you mean "copies"?',
        ),
        (
            ["--set", "parties.NET-1.non_domestic_premises=5"],
            "parties[3].non_domestic_premises: only a supplier's are counted (SECMP0059, G8.47); expected 0",
        ),
        (["--set", "parties.9.premises=5"], "--set parties.9.premises=5: parties is a list; expected an index from 0 to 4"),
        # a party, or the list, replaced by something else (a traceback before: the adversarial try, finding 4)
        (["--set", "parties.SUP-S=null"], "--set parties.SUP-S=null: parties[2]: expected a mapping, got null"),
        (["--set", "parties.1=5"], "--set parties.1=5: parties[1]: expected a mapping, got 5"),
        (["--set", "parties=null"], "--set parties=null: parties: expected a list, got null"),
    ],
)
def test_a_bad_path_or_value_is_one_line_exit_2_and_nothing_written(tmp_path, scenario, options, says):
    code, err = secsim("run", scenario, "--out", tmp_path / "out", *options)
    assert says in one_line(code, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


@pytest.mark.parametrize(
    "text, read",
    [
        ("010", 10),
        ("007", 7),
        ("1e3", 1000.0),
        ("0x10", "0x10"),
        ("1_0", "1_0"),
        ("1:30", "1:30"),
        ("yes", "yes"),
        ("off", "off"),
    ],
)
def test_numbers_and_booleans_are_read_as_yaml_1_2_reads_them(text, read):
    """PyYAML reads YAML 1.1, where ``010`` is 8, ``0x10`` 16, ``1_0`` 10, ``1:30`` 90 and ``yes`` true: a value written in
    decimal silently became another (adversarial review: ``--set cio.teams=010`` ran with 8 teams, and
    ``premises=0100000`` with 32,768). Files and ``--set`` share the loader."""
    from sim.inputs import safe_yaml

    value = safe_yaml.load(f"a: {text}", "s.yaml")["a"]
    assert value == read and type(value) is type(read)


@pytest.mark.parametrize("value", ["0x10", "1_0"])
def test_a_number_that_is_not_decimal_is_refused_where_a_number_is_meant(scenario, tmp_path, value):
    """``--set`` reads its value as a file does (Python's own float() would read ``1_0`` as 10)."""
    says = one_line(*secsim("run", scenario, "--set", f"cio.teams={value}", "--out", tmp_path / "out"))
    assert f'cio.teams: expected an integer, got "{value}"' in says
    assert not (tmp_path / "out").exists()
