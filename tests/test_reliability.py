"""Tests by intent: interfaces and validation. Issue 10's findings, each tried again as the adversarial user
tried it, through the CLI as a user calls it: output folders that secsim did not write are never touched,
a valid scenario never crashes, a small file never exhausts memory, nonsense values are refused, a
mistake is one line. Findings 5 to 7 (the cache, processes and signals, the scheduler) are in
tests/test_reliability_processes.py; the property test of valid runs in tests/test_reliability_property.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

import sim.outdir
from sim.cli import main

from .conftest import FIVE_PARTIES, ROOT

SCENARIO = {**FIVE_PARTIES, "years": 2, "uncertain": [{"path": "cio.teams", "low": 1, "high": 3}]}


def secsim(*args: object) -> tuple[int, str]:
    """``secsim ARGS`` in this process: its exit status and what it wrote on stderr (capsys keeps stdout)."""
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as stop:
            code = int(stop.code)
    return code, err.getvalue()


def one_line(code: int, err: str, status: int = 2) -> str:
    assert code == status and err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err, (code, err)
    return err


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (hidden ones too) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def scenario(tmp_path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(SCENARIO, sort_keys=False))
    return path


COMMANDS = {
    "run": ["--quiet"],
    "sweep": ["--param", "cio.teams=1,2", "--quiet", "--no-cache"],
    "sensitivity": ["--n", "1", "--quiet", "--no-cache"],
}


def _precious_file(tmp: Path) -> Path:
    (tmp / "precious.txt").write_text("a year of notes\n")
    return tmp / "precious.txt"


def _project_folder(tmp: Path) -> Path:
    (tmp / "project").mkdir()
    (tmp / "project" / "analysis.py").write_text("print('mine')\n")
    return tmp / "project"


def _result_folder_with_notes(tmp: Path) -> Path:
    assert secsim("run", tmp / "s.yaml", "--out", tmp / "results", "--quiet")[0] == 0
    (tmp / "results" / "notes.md").write_text("what I found\n")
    return tmp / "results"


def _link_to_a_result_folder(tmp: Path) -> Path:
    assert secsim("run", tmp / "s.yaml", "--out", tmp / "results", "--quiet")[0] == 0
    (tmp / "link").symlink_to(tmp / "results")
    return tmp / "link"


TARGETS = {
    "a file": _precious_file,
    "a symbolic link to a result folder": _link_to_a_result_folder,
    "a project folder": _project_folder,
    "the scenario itself": lambda tmp: tmp / "s.yaml",
    "a result folder with the user's notes": _result_folder_with_notes,
}


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_finding_1_out_refuses_what_secsim_did_not_write(tmp_path, scenario, command, target):
    out = TARGETS[target](tmp_path)
    before = tree(tmp_path)
    err = one_line(*secsim(command, scenario, "--out", out, *COMMANDS[command]))
    assert f"--out {out}" in err
    assert tree(tmp_path) == before, "nothing touched, nothing added"


def test_finding_1_out_dot_is_refused_and_leaves_nothing(tmp_path, scenario, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = tree(tmp_path)
    one_line(*secsim("run", scenario, "--out", ".", "--quiet"))
    assert tree(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_finding_1_out_replaces_a_result_set_secsim_wrote(tmp_path, scenario, command):
    out = tmp_path / "out"
    assert secsim(command, scenario, "--out", out, "--seed", "1", *COMMANDS[command])[0] == 0
    assert json.loads((out / "manifest.json").read_text())["written_by"] == "secsim"
    assert secsim(command, scenario, "--out", out, "--seed", "2", *COMMANDS[command])[0] == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.yaml"], "no staging folder or lock left"


def test_finding_1_a_result_folder_of_the_previous_version_may_be_replaced(tmp_path, scenario):
    out = tmp_path / "out"
    assert secsim("run", scenario, "--out", out, "--quiet")[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["written_by"]  # manifests before this mark have scenario, scenario_hash, versions, git_commit
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert secsim("run", scenario, "--out", out, "--quiet", "--seed", "3")[0] == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 3


def test_finding_1_a_crash_between_the_two_renames_keeps_the_old_result_set(tmp_path, scenario, monkeypatch):
    """Where the filesystem cannot swap two folders atomically, the old set is renamed aside and the new one
    into place: a failure between the two puts the old one back, and a death between them leaves it aside,
    where the next run on that --out puts it back before it starts."""
    out = tmp_path / "out"
    assert secsim("run", scenario, "--out", out, "--quiet", "--seed", "1")[0] == 0
    old = tree(out)
    monkeypatch.setattr(sim.outdir, "_exchange", lambda a, b: False)
    real_rename = Path.rename

    def dies_on_the_second(self, target):
        if self.name.startswith(".out.partial-") and Path(target) == out:
            raise OSError(5, "Input/output error", str(out))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", dies_on_the_second)
    err = one_line(*secsim("run", scenario, "--out", out, "--quiet", "--seed", "2"), status=1)
    assert "Input/output error" in err and tree(out) == old
    monkeypatch.setattr(Path, "rename", real_rename)

    aside = tmp_path / ".out.old-abcd1234"
    out.rename(aside)  # as a death between the renames leaves it
    code, err = secsim("run", scenario, "--out", out, "--quiet", "--regimes", "nope")
    assert code == 2 and not out.exists(), "an option error is found before the lock, so nothing moves"
    assert secsim("run", scenario, "--out", out, "--quiet", "--seed", "2")[0] == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.yaml"]


CRASHED = {  # each ended in "RuntimeError: No scheduled events left" after validate said it was fine
    "follow-ups always deferred": {"ssc": {"follow_up_outcomes": {"approved": 0, "approved_subject_to": 0, "deferred": 1, "rejected": 0}}},
    "every outcome rejected": {"ssc": {"outcomes": {"approved": 0, "approved_subject_to": 0, "deferred": 0, "rejected": 1},
                                       "follow_up_outcomes": {"approved": 0, "approved_subject_to": 0, "deferred": 0, "rejected": 1}}},
    "one item per meeting with many parties": {
        "ssc": {"items_per_meeting": 1, "meeting_days": [8]},
        "parties": [{"id": f"S{i}", "role": "supplier", "premises": 1000 * i} for i in range(40)]},
    "very long durations and delays": {"durations": {"fieldwork_days": {"full": 3650, "verification": 3650, "self": 3650, "follow_up": 3650},
                                                     "follow_up_delay_days": 3650, "management_response_days": 3650},
                                       "deterministic": False},
}


@pytest.mark.parametrize("case", sorted(CRASHED))
def test_finding_2_valid_scenarios_that_crashed_now_end(tmp_path, case):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "years": 3, "deterministic": False, **CRASHED[case]}, sort_keys=False))
    assert secsim("validate", path)[0] == 0
    code, err = secsim("run", path, "--out", tmp_path / "out", "--quiet")
    assert code == 0 and "Traceback" not in err, err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    stopped = manifest.get("stopped_at_limit")
    if stopped:  # a backlog that never clears, or Follow-ups without end: stopped at the stated limit, and said so
        assert err.count("\n") == 1 and err.startswith(f"warning: {stopped['runs']} run(s) stopped 20 years after the horizon")
        assert stopped["unfinished_assessments"] > 0
    else:
        assert err == ""
    assert case != "follow-ups always deferred" or stopped, "a Follow-up chain that never passes cannot end by itself"


def test_finding_2_gb_with_ten_times_the_parties_and_the_ssc_at_12_items(tmp_path):
    gb = yaml.safe_load((ROOT / "scenarios" / "gb-baseline.yaml").read_text())
    groups = [{**g, "count": g.get("count", 0) * 10} for g in gb["population"]["groups"]]
    path = tmp_path / "gb10.yaml"
    path.write_text(yaml.safe_dump({**gb, "name": "gb10", "population": {**gb["population"], "groups": groups},
                                    "cio": {"teams": 80}, "ssc": {"items_per_meeting": 12}}, sort_keys=False))
    code, err = secsim("run", path, "--out", tmp_path / "out", "--quiet", "--reps", "1", "--regimes", "pre-secmp0044")
    assert code == 0 and "Traceback" not in err, err


BOMB = "description: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"d{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8))


@pytest.mark.parametrize("text, expected", [
    (BOMB, "more than 100,000 values once its aliases are expanded"),
    ("cio: {teams: 1000000000}\n", "cio.teams: expected a value <= 1000, got 1000000000"),
    ("population:\n  smart: {smets2_share: {2018-01-01: 0.1}}\n  groups: [{name: g, role: other, entrants_per_year: 1.0e+9}]\n",
     "population.groups[0].entrants_per_year: expected a number from 0 to 200"),
], ids=["alias bomb under description", "a billion CIO teams", "a billion entrants a year"])
def test_finding_3_a_small_file_cannot_exhaust_memory(tmp_path, text, expected):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({k: v for k, v in FIVE_PARTIES.items()}, sort_keys=False) + text)
    assert len(path.read_bytes()) < 2000
    assert expected in one_line(*secsim("run", path, "--out", tmp_path / "out"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_finding_3_devices_fifos_and_a_thousand_workers_are_refused(tmp_path, scenario):
    assert "/dev/zero: not a regular file" in one_line(*secsim("validate", "/dev/zero"))
    fifo = tmp_path / "scenario.fifo"
    os.mkfifo(fifo)
    assert "scenario.fifo: not a regular file" in one_line(*secsim("validate", fifo))  # it hung forever
    big = tmp_path / "big.yaml"
    big.write_text("description: '" + "x" * (1 << 20) + "'\n")
    assert "larger than 1 MiB" in one_line(*secsim("validate", big))
    err = one_line(*secsim("run", scenario, "--executor", "dask", "--workers", "1000", "--out", tmp_path / "out"))
    assert "--workers: expected a positive integer up to" in err


TEMPLATE = """name: n
start: {start}
years: {years}
regimes: {regimes}
parties:
  - {{id: S, role: supplier, premises: {premises}}}
population:
  smart: {{smets2_share: {{2018-01-01: 0.1}}}}
  groups:
    - {{name: g, role: supplier, count: 3, customers: {customers}, growth: {growth}}}
{extra}
"""
PLAIN = {"start": "2018-01-01", "years": "50", "regimes": "[pre-secmp0044]", "premises": "10", "customers": "100000",
         "growth": "{mean: 0, sd: 0}", "extra": ""}

NONSENSE = {  # each ran with exit 0 and gave nonsense (or depended on PYTHONHASHSEED)
    "a start before 1900": ({"start": "1899-12-31"}, "start: expected a value >= 1900-01-01"),
    "premises past 2**63": ({"premises": str(2**63)}, "parties[0].premises: expected an integer from 0 to 1,000,000,000"),
    "customers 1e300": ({"customers": "1.0e+300"}, "population.groups[0].customers: expected a number from 0 to 100,000,000"),
    "growth mean .nan": ({"growth": "{mean: .nan}"}, "population.groups[0].growth.mean: expected a finite number"),
    "growth sd .inf": ({"growth": "{sd: .inf}"}, "population.groups[0].growth.sd: expected a finite number"),
    "growth that overflows 64 bits": ({"growth": "{mean: 1, sd: 0}"}, "population.groups[0].growth: a party could reach"),
    "an infinite day rate": ({"extra": "costs: {cio_day_rate_gbp: .inf}"}, "costs.cio_day_rate_gbp: expected a finite number"),
    "an infinite booking lead": ({"extra": "cio: {booking_lead_weeks: .inf}"}, "cio.booking_lead_weeks: expected a finite number"),
    "an infinite margin": ({"extra": "scheduling: {margin_days: .inf}"}, "scheduling.margin_days: expected a finite number"),
    "a duplicate key": ({"extra": "years: 3"}, "line 11, column 1: duplicate key 'years' (also on line 3)"),
    "years: true": ({"years": "true"}, "years: expected an integer, got True"),
    "regimes as a set": ({"regimes": "!!set {pre-secmp0044, secmp0044}"}, "tag !!set is not allowed in a scenario file"),
}


@pytest.mark.parametrize("case", sorted(NONSENSE))
def test_finding_4_nonsense_values_are_refused(tmp_path, case):
    changes, expected = NONSENSE[case]
    path = tmp_path / "s.yaml"
    path.write_text(TEMPLATE.format(**{**PLAIN, **changes}))
    assert expected in one_line(*secsim("run", path, "--out", tmp_path / "out"))
    path.write_text(TEMPLATE.format(**PLAIN))
    assert secsim("validate", path)[0] == 0, "the same file without the nonsense is valid"


BOUNDS = [  # README "Reliability", the table of ranges: one value beyond each
    ("start", "2201-01-01"), ("years", 51), ("seed", 2**63), ("replications", 100_001),
    ("parties.0.premises", 10**9 + 1), ("parties.0.premises", {"2018-01-01": 10**9 + 1}), ("parties.0.entry", "1899-12-31"),
    ("cio.teams", 1001), ("cio.booking_lead_weeks", 520.5), ("durations.fieldwork_days.full", 3650.5),
    ("durations.management_response_days", {"dist": "lognormal", "mean": 20, "sd": 20}),
    ("durations.follow_up_delay_days", {"dist": "uniform", "low": 0, "high": 4000}),
    ("ssc.meeting_days", [29]), ("ssc.meeting_days", list(range(1, 29)) * 2), ("ssc.items_per_meeting", 10_001),
    ("ssc.papers_lead_days", 366), ("scheduling.margin_days", 366), ("ssc.outcomes.approved", 1.5),
    ("costs.cio_day_rate_gbp", 1e6 + 1), ("costs.report_copy_gbp", 1e6 + 1), ("costs.preparation_days.full", 1001),
    ("costs.ssc_hours_per_item", 1001), ("costs.secas_days_per_item", 1001),
    ("population.groups.0.count", 10_001), ("population.groups.0.customers", 10**8 + 1),
    ("population.groups.0.entrant_customers", {"dist": "lognormal", "median": 100, "sigma": 3.5}),
    ("population.groups.0.entrants_per_year", 201), ("population.groups.0.exit_hazard", {"2018-01-01": 51}),
    ("population.groups.0.growth.mean", -1.5), ("population.groups.0.growth.sd", 1.5), ("population.groups.0.smart_factor", 11),
    ("population.groups.0.exit_size_factor", {"customers": 10**9 + 1, "factor": 1}),
    ("population.groups.0.exit_size_factor", {"customers": 1, "factor": 1001}), ("population.groups.0.srp_share", 1.5),
    ("population.srps.count", 1001), ("population.srps.weights", [0]), ("population.srps.switch_rate", 101),
    ("population.smart.meters_per_premises", 0), ("population.smart.meters_per_premises", 11),
    ("population.market_premises", 10**9 + 1), ("population.solr_receiver_min_customers", 10**9 + 1),
    ("population.srp_defaults", [{"srp": "SRP-1", "date": "2019-01-01", "migration": {"base_days": 3651}}]),
    ("population.srp_defaults", [{"srp": "SRP-1", "date": "2019-01-01", "migration": {"days_per_100k_premises": 3651}}]),
    ("population.groups", [{"name": n, "role": "other", "count": 10_000} for n in "abc"]),  # the population as a whole
    ("population.groups.0.growth", {"mean": 1, "sd": 1}),
]


@pytest.mark.parametrize("path, value", BOUNDS, ids=[f"{p}={v!r:.30}" for p, v in BOUNDS])
def test_finding_4_every_documented_bound_is_enforced(tmp_path, path, value):
    from sim.overrides import replaced
    from sim.scenario import as_data, load
    from sim.validation import key_path

    group = {"name": "g", "role": "supplier", "count": 3, "customers": 1000, "growth": {"mean": 0.1, "sd": 0.1}}
    file = tmp_path / "s.yaml"
    file.write_text(yaml.safe_dump({**FIVE_PARTIES, "parties": FIVE_PARTIES["parties"][1:], "years": 10, "population": {
        "smart": {"smets2_share": {"2018-01-01": 0.1}}, "srps": {"count": 1}, "groups": [group, {**group, "name": "h"}]}}))
    data = as_data(load(file))  # every default filled in: each path names a value
    file.write_text(yaml.safe_dump(data, sort_keys=False))
    assert secsim("validate", file)[0] == 0
    file.write_text(yaml.safe_dump(replaced(data, {path: value}), sort_keys=False))
    where = key_path([int(part) if part.isdigit() else part for part in path.split(".")])
    assert one_line(*secsim("validate", file)).startswith(f"error: s.yaml: {where}")


def _regimes(entry: object) -> dict:
    return {**FIVE_PARTIES, "regimes": ["pre-secmp0044", entry]}


ONE_LINERS = {  # each was a traceback, or a misleading line
    "a YAML error inside a --param value": (
        lambda t: ["sweep", t / "s.yaml", "--param", "cio.teams=[1", "--out", t / "out"], "--param cio.teams=[1: line 1"),
    "5000 levels of nesting": (
        lambda t: ["validate", _write(t, "deep.yaml", "name: x\ndescription: " + "[" * 5000 + "]" * 5000 + "\n")],
        "deep.yaml: line 2, column 77: nested deeper than 64 levels"),
    "a 1,200-file extends: chain": (lambda t: ["validate", _chain(t, 1200)], "extends: expected a chain of at most 16 files"),
    "years past 9999": (lambda t: ["validate", _write(t, "late.yaml", yaml.safe_dump({**FIVE_PARTIES, "start": "9998-01-01"}))],
                        "late.yaml: start: expected a value <= 2200-12-31"),
    "an empty scenario file": (lambda t: ["validate", _write(t, "empty.yaml", "")], "empty.yaml: the file is empty; expected a mapping"),
    "a bad value in an extends: parent": (
        lambda t: ["validate", _write(t, "child.yaml", f"extends: {_write(t, 'parent.yaml', yaml.safe_dump({**FIVE_PARTIES, 'cio': {'teams': 0}})).name}\nname: child\n")],
        "error: parent.yaml: cio.teams: expected a value >= 1, got 0"),
    "--out under a file": (lambda t: ["run", t / "s.yaml", "--out", t / "s.yaml" / "out"], "s.yaml is a file, not a folder"),
    "--out where nothing can be written": (lambda t: ["run", t / "s.yaml", "--out", "/proc/secsim-out"], "--out /proc/secsim-out: cannot write in /proc"),
    "--cache naming a file": (lambda t: ["run", t / "s.yaml", "--cache", t / "s.yaml", "--out", t / "out"], "--cache "),
    "--cache where nothing can be written": (lambda t: ["run", t / "s.yaml", "--cache", "/proc/secsim-cache", "--out", t / "out"],
                                             "--cache /proc/secsim-cache: cannot use it as the cache folder"),
    "report on a hand-edited result folder": (lambda t: ["report", _edited_result(t)], "manifest.json: start: expected a date"),
}


def _write(tmp: Path, name: str, text: str) -> Path:
    (tmp / name).write_text(text)
    return tmp / name


def _chain(tmp: Path, n: int) -> Path:
    for i in range(n):
        body = f"extends: c{i + 1}.yaml\n" if i + 1 < n else yaml.safe_dump(FIVE_PARTIES)
        _write(tmp, f"c{i}.yaml", body)
    return tmp / "c0.yaml"


def _edited_result(tmp: Path) -> Path:
    assert secsim("run", tmp / "s.yaml", "--out", tmp / "res", "--quiet")[0] == 0
    manifest = json.loads((tmp / "res" / "manifest.json").read_text())
    (tmp / "res" / "manifest.json").write_text(json.dumps({**manifest, "start": "the first of May"}))
    return tmp / "res"


@pytest.mark.parametrize("case", sorted(ONE_LINERS))
def test_finding_8_mistakes_are_one_line_not_tracebacks(tmp_path, scenario, case):
    arguments, expected = ONE_LINERS[case]
    assert expected in one_line(*secsim(*arguments(tmp_path)))
    assert not (tmp_path / "out").exists()


VARIANT_MISTAKES = {
    "a misspelt key": ({"name": "v", "base": "secmp0044", "sett": {}}, 'regimes[1].sett: unknown key; did you mean "set"?'),
    "no base": ({"name": "v"}, "regimes[1].base: required key is missing"),
    "set not a mapping": ({"name": "v", "base": "secmp0044", "set": 5}, "regimes[1].set: expected a mapping, got 5"),
    "a bad name": ({"name": "a b", "base": "secmp0044"}, "regimes[1].name: "),
    "a bad from date": ({"name": "v", "base": "secmp0044", "from": "soon"}, "regimes[1].from: expected a date"),
    "a bad option date": ({"name": "v", "base": "sec-history", "options": {"secmp0044_date": "soon"}},
                          "regimes[1].options.secmp0044_date: expected a date"),
    "amendments not a list": ({"name": "v", "base": "secmp0044", "amendments": 5}, "regimes[1].amendments: expected a list"),
    "a title not text": ({"name": "v", "base": "secmp0044", "title": 5}, "regimes[1].title: expected a string, got 5"),
    "a number for a regime": (5, "regimes[1]: expected a shipped regime's name or a variant"),
}


@pytest.mark.parametrize("case", sorted(VARIANT_MISTAKES))
def test_finding_8_a_regime_variant_mistake_is_reported_at_its_key(tmp_path, case):
    entry, expected = VARIANT_MISTAKES[case]
    path = _write(tmp_path, "s.yaml", yaml.safe_dump(_regimes(entry), sort_keys=False))
    err = one_line(*secsim("validate", path))
    assert expected in err and "RegimeVariant" not in err and "expected a string, got {" not in err


@pytest.mark.parametrize("options", [["--regimes", "nope"], ["--regimes", "secmp0044", "--precision", "0.1"]],
                         ids=["found before the run", "found in the run"])
def test_finding_8_option_errors_create_no_parent_folders(tmp_path, scenario, options):
    one_line(*secsim("run", scenario, "--out", tmp_path / "a" / "b" / "out", "--quiet", *options))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_finding_9_a_second_run_on_the_same_out_is_refused_while_one_writes(tmp_path, scenario):
    out = tmp_path / "out"
    with sim.outdir._locked(out):  # as a run holds it while it writes
        err = one_line(*secsim("run", scenario, "--out", out, "--quiet"))
    assert f"--out {out}: another secsim run (pid {os.getpid()}) is writing it" in err
    assert not out.exists()
    assert secsim("run", scenario, "--out", out, "--quiet")[0] == 0, "once it ends, the next may write"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.yaml"]
