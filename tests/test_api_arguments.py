"""Intent: the Python API's arguments are checked as the command's options are (``sim.core.arguments``).

An adversarial try of the API (fourteenth session) found that only argparse checked the numbers: ``sim.run(s, 0)``
wrote a result set ``report`` refused, ``sim.run(s, 10**6)`` ran without end, a seed of -1 was numpy's traceback,
numpy integers read back from a table broke ``write`` and ``with_``, a wrong type was a TypeError or AttributeError
from inside, and a sweep value with a comma in it was split in two. Each is one line naming the argument now.
"""

from __future__ import annotations

import numpy as np
import pytest

import sim

from .conftest import ROOT

FIVE = ROOT / "scenarios" / "small-supplier-on-large-srp.yaml"


@pytest.fixture(scope="module")
def five():
    return sim.load(FIVE, years=2)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda s: sim.run(s, 0), "sim.run(): reps: expected a value >= 1, got 0"),
        (lambda s: sim.run(s, True), "sim.run(): reps: expected an integer, got true"),
        (lambda s: sim.run(s, 10**6), "sim.run(): reps: expected a value <= 100000, got 1000000"),
        (lambda s: sim.run(s, 1, seed=-1), "sim.run(): seed: expected a value >= 0, got -1"),
        (lambda s: sim.run(s, 1, seed=2**64), "sim.run(): seed: expected a value <= 9223372036854775807"),
        (lambda s: sim.run({"name": "x"}), 'sim.run(): scenario: expected a Scenario, got {"name": "x"}'),
        (lambda s: sim.run(s, 1, regimes="secmp0044"), 'sim.run(): regimes: expected a list, got "secmp0044"'),
        (lambda s: sim.run(s, 1, regimes=[]), "sim.run(): regimes: expected at least 1 item, got 0"),
        (lambda s: sim.run(s, 1, executor="process", workers=1.5), "sim.run(): workers: expected an integer, got 1.5"),
        (lambda s: sim.run(s, 1, executor="threads"), "sim.run(): executor: expected one of 'serial', 'process' or 'dask'"),
        (lambda s: sim.load(None), "sim.load(): path: expected a path (text or a pathlib.Path), got null"),
        (lambda s: sim.load(FIVE, {1: 2}), "sim.load(): set: expected text keys, got 1"),
        (lambda s: sim.load(FIVE, start=0), "sim.load(): start: expected a date (YYYY-MM-DD), got 0"),
        (lambda s: sim.run(s, 1).write(None), "sim.Result().write(): folder: expected a path"),
        (lambda s: sim.run(s, 1).period("2018"), 'sim.Result().period(): first: expected an integer, got "2018"'),
        (lambda s: sim.run(s, 1).difference("bogus"), "sim.Result().difference(): metric: expected one of assessments_total"),
        (lambda s: sim.sensitivity(s, "out", method="MORRIS"), "sim.sensitivity(): method: expected one of 'morris' or 'sobol'"),
        (lambda s: sim.sensitivity(s, "out", n=0), "sim.sensitivity(): n: expected a value >= 1, got 0"),
        (lambda s: sim.sweep(s, {"cio.teams": [1]}, "out", reps=10**9), "sim.sweep(): reps: expected a value <= 100000"),
        (lambda s: sim.breakeven(s, None, "out"), "sim.breakeven(): vary: expected a string, got null"),
    ],
    ids=lambda x: "" if callable(x) else x.split(": ")[1],
)
def test_a_wrong_argument_is_one_line_naming_it(five, tmp_path, monkeypatch, call, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(sim.InputError) as raised:
        call(five)
    assert str(raised.value).startswith(message)
    assert not (tmp_path / "out").exists()


def test_numpy_integers_are_the_integers_they_are(five, tmp_path):
    teams = np.int64(2)
    assert five.with_({"cio.teams": teams}).cio.teams == 2
    plain, numpy = sim.run(five, 1, seed=7), sim.run(five, np.int64(1), seed=np.int64(7))
    assert plain.summary.equals(numpy.summary)
    assert numpy.write(tmp_path / "r").joinpath("manifest.json").exists()


def test_a_swept_value_with_a_comma_is_one_value(five, tmp_path):
    table = sim.sweep(five, {"description": ["costs, 2018", "plain"], "cio.teams": list(np.array([1, 2]))}, tmp_path / "s")
    assert sorted(table["description"].unique()) == ["costs, 2018", "plain"]
    assert sorted(table["cio.teams"].unique()) == [1, 2]


def test_an_api_error_is_one_line_as_the_command_prints_it(five):
    with pytest.raises(sim.InputError) as raised:
        five.with_({"name": "a\nb"})
    assert "\n" not in str(raised.value) and "\\n" in str(raised.value)


def test_a_hand_edited_result_folder_is_one_line_from_the_api_as_from_the_command(five, tmp_path):
    """Past the result checks a hand edit was a KeyError from sim.report (the command said one line), and a value of
    1e400 in yearly.csv was drawn: a run writes no infinite number."""
    folder = sim.run(five, 1).write(tmp_path / "r")
    (folder / "scenario.json").write_text('{"name": "x"}')
    with pytest.raises(sim.InputError, match=r"cannot make a report of this folder \(KeyError: 'cio'\)"):
        sim.report(folder)
    folder = sim.run(five, 1).write(tmp_path / "r2")
    lines = (folder / "yearly.csv").read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",1e400"
    (folder / "yearly.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(sim.InputError, match=r"yearly.csv: value: expected finite numbers as secsim run writes, got inf"):
        sim.report(folder)
    assert not (folder / "report.html").exists()


def test_a_result_whose_tables_were_edited_in_place_is_not_written_as_secsims(five, tmp_path):
    result = sim.run(five, 1)
    result.tables["yearly"]["value"] = -5.0
    with pytest.raises(sim.InputError, match="tables were changed in place since the run"):
        result.write(tmp_path / "edited")
    assert not (tmp_path / "edited").exists()
    kept = sim.run(five, 1)
    mine = kept.tables["yearly"].copy()  # a copy is the analyst's own
    mine["value"] = -5.0
    assert kept.write(tmp_path / "kept").exists()


def test_what_worked_before_the_checks_still_works(tmp_path):
    """A review of the checks: any os.PathLike, a numpy date, text values a sweep reads as numbers, a whole float."""

    class Where:
        def __fspath__(self) -> str:
            return str(FIVE)

    five = sim.load(Where(), years=2, start=np.datetime64("2018-01-01"))
    table = sim.sweep(five, {"cio.teams": ["1", "2"]}, tmp_path / "s", reps=1)
    assert sorted(table["cio.teams"].unique()) == [1, 2]
    assert sim.run(five, 1).period(2018.0).shape[0] > 0
