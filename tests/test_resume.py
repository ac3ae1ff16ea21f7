"""Tests by intent: interfaces. An interrupted sweep leaves a consistent cache and no half-written
results, and resuming it computes only what is missing and gives byte-identical tables to an
uninterrupted sweep — interrupted inside a run (as Ctrl-C lands) and by a real SIGINT to the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

import sim.experiment.runner
from sim.designs.sweep import RunSettings, sweep
from sim.experiment.cache import Cache, Key

from .conftest import FIVE_PARTIES, ROOT, scenario_from

CHANGED = {**FIVE_PARTIES, "deterministic": False, "seed": 7}
SCENARIO = scenario_from(CHANGED)
PARAMS = ["cio.teams=1,2,3", "ssc.items_per_meeting=2,10"]
REPS = 6
RUNS = 6 * REPS * 2  # points x replications x regimes


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def _entries(cache: Path) -> list[Path]:
    """The cache's entries; none while the folder is missing, or vanishes mid-listing (a starting command makes its
    folder and removes it again to learn that it can: a listing beside it may see the folder and then not)."""
    try:
        return sorted(cache.rglob("*.json"))
    except FileNotFoundError:
        return []


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("whole") / "sweep"
    sweep(SCENARIO, PARAMS, "grid", None, out, RunSettings(replications=REPS, progress=False))
    return _tables(out)


def test_interrupted_inside_a_run_then_resumed_equals_uninterrupted(tmp_path, monkeypatch, uninterrupted):
    cache, out = tmp_path / "cache", tmp_path / "sweep"
    settings = RunSettings(replications=REPS, cache=cache, progress=False)
    real, calls = sim.experiment.runner.run_replication, []

    def interrupted_at_the_ninth(*args, **kwargs):
        calls.append(args)
        if len(calls) == 9:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(sim.experiment.runner, "run_replication", interrupted_at_the_ninth)
    with pytest.raises(KeyboardInterrupt):
        sweep(SCENARIO, PARAMS, "grid", None, out, settings)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache"], "no result folder, and no staging folder left"
    entries = _entries(cache)
    assert len(entries) == 8 and not list(cache.rglob(".partial-*"))
    assert all(isinstance(json.loads(p.read_bytes())["value"]["totals"], dict) for p in entries)

    monkeypatch.setattr(sim.experiment.runner, "run_replication", real)
    resumed = sweep(SCENARIO, PARAMS, "grid", None, out, settings)
    assert resumed["cache"] == {"hits": 8, "computed": RUNS - 8}
    assert _tables(out) == uninterrupted


def test_sigint_to_the_cli_then_resumed_equals_uninterrupted(tmp_path, uninterrupted):
    """Ctrl-C as a user gives it, to a sweep on two worker processes, part-way through."""
    cache, out = tmp_path / "cache", tmp_path / "sweep"
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(CHANGED, sort_keys=False))
    command = [
        sys.executable,
        "-m",
        "sim.cli",
        "sweep",
        str(scenario),
        *sum((["--param", p] for p in PARAMS), []),
        "--reps",
        str(REPS),
        "--out",
        str(out),
        "--cache",
        str(cache),
        "--executor",
        "process",
        "--workers",
        "2",
        "--quiet",
    ]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(_entries(cache)) < 3 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert child.poll() is None, f"the sweep ended before it could be interrupted: {child.communicate()}"
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert err.count("\n") == 1 and err.startswith("interrupted: nothing was written; finished replications are cached")
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".sweep")]
    done = len(_entries(cache))
    assert 3 <= done < RUNS and not list(cache.rglob(".partial-*"))

    resumed = sweep(SCENARIO, PARAMS, "grid", None, out, RunSettings(replications=REPS, cache=cache, progress=False))
    assert resumed["cache"] == {"hits": done, "computed": RUNS - done}
    assert _tables(out) == uninterrupted


def test_a_ctrl_c_in_a_serial_run_lands_in_its_replication_not_after_it(tmp_path, monkeypatch):
    """The serial executor runs a replication as it is submitted: a Ctrl-C held back over the submission waited for the
    whole replication (22 s in a slow one). It lands where it comes; the replications finished before are cached."""
    from .conftest import secsim

    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(CHANGED, sort_keys=False))
    real, ran_on = sim.experiment.runner.run_replication, []

    def interrupted_in_the_third(*args, **kwargs):
        if len(ran_on) == 2:
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # the handler runs between two of these steps, in this thread
                time.sleep(0.001)
            ran_on.append("after the signal")
        ran_on.append("a replication")
        return real(*args, **kwargs)

    monkeypatch.setattr(sim.experiment.runner, "run_replication", interrupted_in_the_third)
    code, err = secsim("run", scenario, "--reps", "3", "--out", tmp_path / "out", "--cache", tmp_path / "cache", "--quiet")
    assert code == 130 and err.startswith("interrupted: nothing was written; finished replications are cached"), err
    assert ran_on == ["a replication"] * 2, "the interrupt landed in the third replication"
    assert len(_entries(tmp_path / "cache")) == 2 and not (tmp_path / "out").exists()


def test_an_unreadable_cache_entry_is_recomputed_not_trusted(tmp_path):
    cache = Cache(tmp_path)
    key = Key("abc", "secmp0044", 1, 0, "totals")
    cache.put(key, {"cost_gbp": 1.0})
    assert cache.get(key) == {"cost_gbp": 1.0}
    next(tmp_path.rglob("*.json")).write_bytes(b'{"format": "secsim-cache-1", "key"')
    assert cache.get(key) is None
    assert cache.get(Key("abc", "secmp0044", 1, 1, "totals")) is None


@pytest.mark.parametrize("changed", ["model/lifecycle.py", "law/rules.py", "industry/parties.py", "law/regimes/secmp0044.yaml"])
def test_a_change_to_any_module_of_the_model_gives_the_cache_another_folder(tmp_path, changed):
    """An entry is read only by the code that wrote it: a changed rule, lifecycle or industry (not only a changed
    cache module, as when the fingerprint hashed ``sim/experiment`` alone) never reads a result computed before."""
    import shutil

    from sim.experiment.cache import PACKAGE, code_digest, fingerprint

    copy = tmp_path / "sim"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert code_digest(copy) == code_digest(PACKAGE) == fingerprint()
    with (copy / changed).open("a") as f:
        f.write("\n# changed\n")
    assert code_digest(copy) != fingerprint()
