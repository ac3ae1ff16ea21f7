"""Tests by intent: reliability, the second adversarial review (2026-12-02), each finding through the CLI as a user
calls it (``test_review_2_finding_N_…``; docs/reference/reliability.md)."""

from __future__ import annotations

import os

import pytest

from .conftest import one_line, secsim


@pytest.mark.parametrize("kind", ["symlink", "user file", "fifo", "folder"])
def test_review_2_finding_1_a_lock_is_never_taken_over_from_what_secsim_did_not_make(tmp_path, scenario_yaml, kind):
    """A file named like the lock beside ``--out`` (``.NAME.lock``) that a secsim run did not make is refused, and kept
    as it was: a link is not followed (its target was overwritten with the pid), a user's file or FIFO not deleted."""
    precious, lock = tmp_path / "precious.txt", tmp_path / ".out.lock"
    precious.write_text("precious data\n")
    if kind == "symlink":
        lock.symlink_to(precious)
    elif kind == "user file":
        lock.write_text("my notes\n")
    elif kind == "fifo":
        os.mkfifo(lock)
    else:
        lock.mkdir()
    err = one_line(*secsim("run", scenario_yaml, "--out", tmp_path / "out", "--quiet"))
    assert f"{lock} is not a lock a secsim run made" in err
    assert precious.read_text() == "precious data\n" and (lock.is_symlink() or lock.exists())
    assert not (tmp_path / "out").exists()
    if kind == "user file":
        assert lock.read_text() == "my notes\n"


def test_review_2_finding_1_a_lock_a_dead_run_left_is_taken(tmp_path, scenario_yaml):
    """A lock left by a run that died (its pid in it, nobody holding it) is the next run's to take."""
    (tmp_path / ".out.lock").write_text("999999\n")
    assert secsim("run", scenario_yaml, "--out", tmp_path / "out", "--quiet")[0] == 0
    assert not (tmp_path / ".out.lock").exists()


def test_review_2_finding_2_a_signal_inside_the_event_loop_is_one_line_not_a_traceback(tmp_path, scenario_yaml, monkeypatch):
    """SimPy re-raises what a process it steps raised as ``type(e)(*e.args)``: a Ctrl-C or SIGTERM that lands there
    (1 in 16 tries) was a 56-line ValueError; it is the same one line and exit status as anywhere else."""
    import signal

    from sim.core.lifetime import Interrupted
    from sim.model.lifecycle import Model

    assert Interrupted(*Interrupted(signal.SIGTERM).args).signum == signal.SIGTERM

    def stopped(self, item):
        raise Interrupted(signal.SIGTERM)

    monkeypatch.setattr(Model, "_decide", stopped)  # the SSC's status, set inside a SimPy process
    code, err = secsim("run", scenario_yaml, "--out", tmp_path / "out", "--quiet")
    assert (code, err) == (143, "interrupted (SIGTERM): nothing was written\n") and not (tmp_path / "out").exists()


def test_review_2_finding_3_a_printout_that_fails_after_the_results_are_in_place_says_they_are(tmp_path, scenario_yaml):
    """With stdout on a full disk (or a signal while it prints), the result set is already whole in place: the
    message says so, where it said that nothing was written."""
    import subprocess
    import sys

    out = tmp_path / "out"
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "sim.cli", "run", str(scenario_yaml), "--out", str(out)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert done.returncode == 1 and (out / "manifest.json").exists()
    assert done.stderr.strip().splitlines() == [
        f"error: No space left on device; {out} had been written whole; what was printed was cut short"
    ]


def _variant(*amendments, **keys):
    from .conftest import FIVE_PARTIES, scenario_from

    return scenario_from(
        FIVE_PARTIES, regimes=["secmp0044", {"name": "v", "base": "secmp0044", "amendments": list(amendments), **keys}]
    )


def test_review_2_finding_4_amendments_apply_in_date_order_whatever_order_they_are_written_in():
    """Written 2020 first, 2019 second, the 2020 change was lost without a word: each is law from its date on."""
    import datetime as dt

    from sim.inputs.scenario import regimes

    later, earlier = {"date": "2020-01-01", "set": {"due_months": 18}}, {"date": "2019-01-01", "set": {"due_months": 6}}
    for order in ((later, earlier), (earlier, later)):
        v = regimes(_variant(*order))[1]
        assert [v.at(dt.date(y, 6, 1)).due_months for y in (2018, 2019, 2020)] == [12, 6, 18]


@pytest.mark.parametrize(
    "amendments,keys,message",
    [
        (
            [{"date": "2020-01-01", "set": {"due_months": 18}}, {"date": "2020-01-01", "set": {"due_months": 6}}],
            {},
            "regimes[1].amendments[1].set.due_months: set on 2020-01-01 by regimes[1].amendments[0].set.due_months too; give it once",
        ),
        (
            [{"date": "2020-01-01", "set": False}],
            {},
            "regimes[1].amendments[0].set: expected a mapping of parameter: value, got false",
        ),
        (
            [{"date": "2020-01-01", "set": {"threshold": {"value": 5, "reading": "maybe"}}}],
            {},
            'regimes[1].amendments[0].set.threshold.reading: expected true or false, got "maybe"',
        ),
        (
            [{"date": "2020-01-01", "set": {"threshold": {"value": 5, "colour": "red"}}}],
            {},
            "regimes[1].amendments[0].set.threshold.colour: unknown key; expected one of reading, ref, value",
        ),
        (
            [{"date": "2020-01-01", "ref": ["a", "b"], "set": {}}],
            {},
            "regimes[1].amendments[0].ref: expected the SEC reference as text",
        ),
        ([], {"from": "2019-01-01"}, "regimes[1].from: given without set: nothing would change from it"),
    ],
    ids=[
        "one parameter twice on one date",
        "set false",
        "reading maybe",
        "unknown key in a value",
        "ref a list",
        "from without set",
    ],
)
def test_review_2_finding_9_a_variants_mistakes_are_refused_not_ignored(amendments, keys, message):
    from sim.core.errors import InputError

    with pytest.raises(InputError) as found:
        _variant(*amendments, **keys)
    assert message in str(found.value) and "\n" not in str(found.value)


def test_review_2_finding_5_a_duplicate_id_in_a_scenario_that_extends_another_is_refused(tmp_path):
    """Two parties with one id in a child scenario were merged into one (the supplier vanished); a file of its own
    refuses them, and so does a child now."""
    import yaml

    from .conftest import FIVE_PARTIES

    (tmp_path / "base.yaml").write_text(yaml.safe_dump(FIVE_PARTIES, sort_keys=False))
    twice = [{"id": "NEW", "role": "supplier", "premises": 5}, {"id": "NEW", "role": "network", "premises": 7}]
    (tmp_path / "child.yaml").write_text(yaml.safe_dump({"extends": "base.yaml", "name": "child", "parties": twice}))
    err = one_line(*secsim("validate", tmp_path / "child.yaml"))
    assert 'duplicate party id "NEW"' in err


@pytest.mark.parametrize(
    "where,value,message",
    [
        ("file", "!!int 0x3", "!!int '0x3' is not a decimal integer"),
        ("file", "!!bool maybe", "!!bool 'maybe' is not true or false"),
        ("file", "!!float abc", "!!float 'abc' is not a decimal number"),
        ("set", "!!int 0x3", "!!int '0x3' is not a decimal integer"),
    ],
)
def test_review_2_finding_6_an_explicit_tag_on_text_it_does_not_fit_is_one_line(tmp_path, where, value, message):
    """``years: !!int 0x3`` went past the core schema's resolvers to the type's own constructor, a traceback."""
    from .conftest import FIVE_PARTIES

    path = tmp_path / "s.yaml"
    import yaml

    text = yaml.safe_dump(FIVE_PARTIES, sort_keys=False)
    if where == "file":
        path.write_text(text.replace("years: 6", f"years: {value}"))
        err = one_line(*secsim("validate", path))
    else:
        path.write_text(text)
        err = one_line(*secsim("run", path, "--out", tmp_path / "out", "--quiet", "--set", f"years={value}"))
    assert message in err


@pytest.mark.parametrize(
    "command",
    [
        ["run", "--set", "parties.².premises=5"],
        ["sweep", "--param", "replications=1,2", "--no-cache"],
        ["sweep", "--param", "seed=1,2", "--no-cache"],
        ["breakeven", "--vary", "replications=1:3", "--no-cache", "--no-swing"],
    ],
    ids=["a unicode digit as a list index", "sweep replications", "sweep the seed", "vary replications"],
)
def test_review_2_finding_6_more_mistakes_that_were_tracebacks_are_one_line(tmp_path, scenario_yaml, command):
    """A digit ``int()`` refuses ("²".isdigit() is true); a design over the replications, whose column collides with
    the summary's own (after every point had run)."""
    one_line(*secsim(command[0], scenario_yaml, *command[1:], "--reps", "1", "--out", tmp_path / "out", "--quiet"))
    assert not (tmp_path / "out").exists()


def test_review_2_finding_15_a_party_id_that_is_another_partys_index_is_refused_as_ambiguous(tmp_path):
    """``--set parties.1.premises`` with a party of id "1" at index 0 set the party at index 1."""
    import yaml

    from .conftest import FIVE_PARTIES

    data = {**FIVE_PARTIES, "parties": [{"id": "1", "role": "other"}, *FIVE_PARTIES["parties"]]}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    err = one_line(*secsim("run", tmp_path / "s.yaml", "--out", tmp_path / "out", "--set", "parties.1.premises=999"))
    assert 'names item 1 and the party with id "1" (item 0)' in err


def test_review_2_finding_8_a_folder_under_the_name_of_a_file_secsim_writes_is_not_replaced(tmp_path, scenario_yaml):
    """``scenario.json/`` made a folder with the user's notes in it was deleted with the old result set."""
    out = tmp_path / "out"
    assert secsim("run", scenario_yaml, "--out", out, "--quiet")[0] == 0
    (out / "scenario.json").unlink()
    (out / "scenario.json").mkdir()
    (out / "scenario.json" / "notes.txt").write_text("my notes\n")
    err = one_line(*secsim("run", scenario_yaml, "--out", out, "--quiet"))
    assert "holds scenario.json/, which secsim did not write" in err
    assert (out / "scenario.json" / "notes.txt").read_text() == "my notes\n"


def test_review_2_finding_12_the_seed_or_the_replications_given_by_set_and_by_their_option_is_refused(tmp_path, scenario_yaml):
    """``--set seed=5 --seed 7`` ran seed 7 and recorded 5 in the manifest; as ``--set years`` with ``--years``, refused."""
    for given in (["--set", "seed=5", "--seed", "7"], ["--set", "replications=5", "--reps", "2"]):
        err = one_line(*secsim("run", scenario_yaml, "--out", tmp_path / "out", "--quiet", *given))
        assert "is given by --set too; give it once" in err
    assert not (tmp_path / "out").exists()


def test_review_2_finding_13_a_second_vary_is_refused_not_dropped(tmp_path):
    from .conftest import ROOT

    code, err = secsim(
        "breakeven", ROOT / "scenarios/srp-break-even.yaml", "--vary", "parties.SUP-S.copies=0:3", "--vary", "cio.teams=1:2",
        "--out", tmp_path / "out",
    )  # fmt: skip
    assert code == 2 and "argument --vary: given twice" in err and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "change,message",
    [
        ({"ssc.meeting_days": "[8, 8, 8]"}, "meeting_days: expected each day of the month once, got 8 more than once"),
        (
            {"population.smart.smets1_cohorts.0.end": "2019-01-01"},
            "smets1_cohorts[0].end: expected a day on or after start 2020-04-01, got 2019-01-01",
        ),
        (
            {"population.srp_defaults": "[{srp: SRP-1, date: 2019-01-01}, {srp: SRP-1, date: 2020-01-01}]"},
            "srp_defaults: an SRP defaults once; SRP-1 is given more than once",
        ),
    ],
    ids=["three meetings a day", "a SMETS1 window reversed", "an SRP defaulting twice"],
)
def test_review_2_finding_14_nonsense_values_are_refused(tmp_path, change, message):
    """Three SSC meetings on the 8th tripled its capacity; a SMETS1 window ending before it starts; a second default."""
    from .conftest import ROOT

    ((path, value),) = change.items()
    err = one_line(*secsim("run", ROOT / "scenarios/gb-baseline.yaml", "--out", tmp_path / "out", "--set", f"{path}={value}"))
    assert message in err


def test_review_2_finding_7_a_cache_folder_is_made_only_once_there_is_something_to_keep(tmp_path, scenario_yaml):
    """``--cache`` was made before the inputs were checked (a mistake left it behind), and could be a result folder,
    after which every run into that folder was refused."""
    cache = tmp_path / "cache"
    one_line(
        *secsim("sweep", scenario_yaml, "--param", "cio.teams=0,1", "--reps", "1", "--cache", cache, "--out", tmp_path / "x")
    )
    assert not cache.exists()
    out = tmp_path / "out"
    assert secsim("run", scenario_yaml, "--out", out, "--quiet")[0] == 0
    for inside in (out, out / "cache"):
        err = one_line(*secsim("run", scenario_yaml, "--out", out, "--quiet", "--cache", inside))
        assert f"--cache {inside}: is in the result folder {out}" in err
    assert secsim("run", scenario_yaml, "--out", out, "--quiet")[0] == 0, "the result folder is still secsim's to replace"
    assert secsim("run", scenario_yaml, "--out", out, "--quiet", "--cache", cache)[0] == 0 and any(cache.iterdir())


def test_review_2_finding_10_a_mistake_in_a_parent_in_another_folder_names_that_file(tmp_path):
    import yaml

    from .conftest import FIVE_PARTIES

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "base.yaml").write_text(yaml.safe_dump({**FIVE_PARTIES, "start": "2018-13-01"}))
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(FIVE_PARTIES))  # valid, and named as the faulty one is
    (tmp_path / "child.yaml").write_text(yaml.safe_dump({"extends": "sub/base.yaml", "name": "child"}))
    assert one_line(*secsim("validate", tmp_path / "child.yaml")).startswith("error: sub/base.yaml: start: expected a date")


def test_review_2_finding_11_a_line_break_or_escape_in_a_key_stays_one_printable_line(tmp_path, scenario_yaml):
    err = one_line(*secsim("run", scenario_yaml, "--out", tmp_path / "out", "--set", "cio.te\x1b[2J\nams=3"))
    assert "\\x1b[2J\\nams" in err and "\x1b" not in err


def test_review_2_finding_16_an_out_whose_name_is_too_long_is_a_users_mistake(tmp_path, scenario_yaml):
    """A name over 237 bytes makes the staging folder's name beside it longer than a filesystem allows: exit 1."""
    err = one_line(*secsim("run", scenario_yaml, "--out", tmp_path / ("b" * 240), "--quiet"))
    assert "its name is too long (at most 237 bytes)" in err
    assert secsim("run", scenario_yaml, "--out", tmp_path / ("b" * 237), "--quiet")[0] == 0
