"""Tests by intent: interfaces. The Python API as an analyst calls it: ``import sim``, its doctests (every example
in the API's docstrings runs), the README's one-liner, and the process executor from a plain script without an
``if __name__ == "__main__":`` guard."""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
import textwrap

import pytest

import sim
import sim.api

from .conftest import ROOT


@pytest.mark.parametrize("module", [sim, sim.api], ids=["sim", "sim.api"])
def test_the_api_examples_run(module, monkeypatch):
    monkeypatch.chdir(ROOT)
    found = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert found.attempted > 0 and found.failed == 0, found


def test_import_sim_exposes_the_api_and_nothing_else():
    assert dir(sim) == sorted(sim.__all__)
    assert {"load", "run", "report", "sweep", "sensitivity", "Result", "Scenario"} <= set(sim.__all__)
    for name in sim.__all__:
        assert getattr(sim, name) is not None
    with pytest.raises(AttributeError):
        sim.not_a_name  # noqa: B018


def test_every_public_function_has_an_example_and_type_hints():
    for name in ("load", "run", "report", "sweep", "sensitivity"):
        function = getattr(sim, name)
        assert ">>>" in (function.__doc__ or ""), name
        assert "return" in function.__annotations__, name
    assert (ROOT / "sim" / "py.typed").is_file(), "the package ships typed"


def test_the_readme_one_liner_works_from_the_repository_root():
    code = "import sim; r = sim.run(sim.load('scenarios/small-supplier-on-large-srp.yaml')); print(r.summary)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "cost_gbp" in done.stdout and "[28 rows x 12 columns]" in done.stdout, "the summary: 14 metrics of 2 regimes"


def test_with_changes_exactly_the_named_value():
    s = sim.load(ROOT / "scenarios" / "small-supplier-on-large-srp.yaml")
    changed = s.with_({"cio.teams": 5, "costs.cio_day_rate_gbp": 2000.0}, years=3)
    before, after = s.model_dump(mode="json"), changed.model_dump(mode="json")
    assert (after["cio"]["teams"], after["costs"]["cio_day_rate_gbp"], after["years"]) == (5, 2000.0, 3)
    after["cio"]["teams"], after["costs"]["cio_day_rate_gbp"], after["years"] = (
        before["cio"]["teams"],
        before["costs"]["cio_day_rate_gbp"],
        before["years"],
    )
    assert after == before, "nothing else moves"
    with pytest.raises(sim.InputError, match=r"cio\.teams: expected a value >= 1, got 0"):
        s.with_({"cio.teams": 0})


def test_the_process_executor_works_from_a_script_without_a_main_guard(tmp_path):
    """A script that calls ``sim.run(executor="process")`` at its top level: multiprocessing would import it again in
    every worker, which ran the script again and broke the pool. Its summary equals a serial run's."""
    script = tmp_path / "analysis.py"
    script.write_text(
        textwrap.dedent(f"""
        import json, sim
        s = sim.load({str(ROOT / "scenarios" / "small-supplier-on-large-srp.yaml")!r}, years=3)
        pooled = sim.run(s, reps=2, executor="process", workers=2).summary
        serial = sim.run(s, reps=2).summary
        print(json.dumps([pooled.equals(serial), len(pooled)]))
        """)
    )
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    same, rows = json.loads(done.stdout.strip().splitlines()[-1])
    assert same and rows > 10
