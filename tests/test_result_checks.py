"""Tests by intent: validation. A result folder is read back only as secsim wrote it: a hand-edited or damaged
one is answered by ``secsim report`` with exit status 2 and one line naming the file, the key or column and
what secsim writes there — and nothing is added to the folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import FIVE_PARTIES, one_line, secsim, tree


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """One small result set, written once for every case."""
    folder = tmp_path_factory.mktemp("written")
    path = folder / "s.yaml"
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "years": 2}, sort_keys=False))
    assert secsim("run", path, "--out", folder / "res", "--quiet")[0] == 0
    return folder / "res"


def _manifest(**changes):
    def edit(folder: Path) -> None:
        manifest = json.loads((folder / "manifest.json").read_text())
        (folder / "manifest.json").write_text(json.dumps({**manifest, **changes}))

    return edit


def _csv(name: str, edit):
    def change(folder: Path) -> None:
        path = folder / f"{name}.csv"
        path.write_text(edit(path.read_text()))

    return change


def _first_value(column: str, value: str):
    """Replace ``column``'s value in the first data row."""

    def edit(text: str) -> str:
        head, first, *rest = text.split("\n")
        cells = first.split(",")
        cells[head.split(",").index(column)] = value
        return "\n".join([head, ",".join(cells), *rest])

    return edit


CASES = {
    "manifest not an object": (
        lambda f: (f / "manifest.json").write_text("[1, 2]"),
        "manifest.json: expected a JSON object written by secsim run",
    ),
    "manifest key missing": (
        lambda f: (f / "manifest.json").write_text(
            json.dumps({k: v for k, v in json.loads((f / "manifest.json").read_text()).items() if k != "seed"})
        ),
        "manifest.json: expected the keys secsim run writes; missing seed",
    ),
    "regimes not a list": (
        _manifest(regimes="secmp0044"),
        "manifest.json: regimes: expected a list of regimes, each with a name",
    ),
    "baseline not the first": (
        _manifest(baseline="secmp0044"),
        "manifest.json: baseline: expected the first regime's name (pre-secmp0044)",
    ),
    "replications zero": (_manifest(replications=0), "manifest.json: replications: expected a positive integer"),
    "seed negative": (_manifest(seed=-1), "manifest.json: seed: expected a non-negative integer"),
    "seed true": (_manifest(seed=True), "manifest.json: seed: expected a non-negative integer"),
    "deterministic as text": (_manifest(deterministic="yes"), "manifest.json: deterministic: expected true or false"),
    "price base a number": (_manifest(price_base=2018), "manifest.json: price_base: expected text"),
    "scenario missing": (lambda f: (f / "scenario.json").unlink(), "scenario.json: missing; expected"),
    "table missing": (lambda f: (f / "crossings.csv").unlink(), "crossings.csv: missing; expected"),
    "table empty": (lambda f: (f / "crossings.csv").write_text(""), "crossings.csv: expected a CSV table written by secsim run"),
    "column missing": (_csv("summary", lambda t: t.replace("diff_mean", "difference", 1)), "summary.csv: expected columns"),
    "yearly without rows": (_csv("yearly", lambda t: t.split("\n")[0] + "\n"), "yearly.csv: expected at least one row"),
    "value not a number": (_csv("yearly", _first_value("value", "lots")), "yearly.csv: value: expected numbers"),
    "meeting date not a date": (
        _csv("ssc_meetings", _first_value("meeting_date", "soon")),
        "ssc_meetings.csv: meeting_date: expected dates (YYYY-MM-DD)",
    ),
    "regime not the manifest's": (
        _csv("yearly", _first_value("regime", "secmp0045")),
        "yearly.csv: regime 'secmp0045' is not one of the manifest's regimes (pre-secmp0044, secmp0044)",
    ),
    "yearly cut short mid-line": (  # adversarial review: a year "202" and half the replications, read with exit 0
        _csv("yearly", lambda t: t[: len(t) // 2].rsplit(",", 4)[0]),
        "yearly.csv: line ",
    ),
    "meetings cut short mid-row": (  # an adversarial try: report made its report of the rows left, exit 0
        _csv("ssc_meetings", lambda t: t[:-3]),  # its last row's count left at a digit fewer, its line unended
        "ssc_meetings.csv: ends in the middle of a row; expected a whole table written by secsim run (cut short?)",
    ),
    "meetings cut short at a row's end": (
        _csv("ssc_meetings", lambda t: "".join(t.splitlines(keepends=True)[:-1])),
        "ssc_meetings.csv: expected the ",
    ),
    "a replication's rows taken out": (
        _csv("yearly", lambda t: "\n".join(line for line in t.split("\n") if not line.startswith("secmp0044,0,"))),
        "yearly.csv: expected rows for every regime, replication and year the manifest names (4); missing: secmp0044, "
        "replication 0, 2018",
    ),
    "more replications than the manifest's": (
        _manifest(replications=2),
        "yearly.csv: expected rows for every regime, replication and year the manifest names (8); missing: "
        "pre-secmp0044, replication 1, 2018",
    ),
    "ten million replications": (  # the adversarial try, finding 10: listing them first took 8.5 GB and a minute
        _manifest(replications=10_000_000),
        "yearly.csv: expected rows for every regime, replication and year the manifest names (40,000,000); found 4",
    ),
}
"""Each case: how the folder is damaged, and the line's text after the folder."""


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_result_folder_is_one_line(written, tmp_path, case):
    damage, expected = CASES[case]
    folder = tmp_path / "res"
    shutil.copytree(written, folder)
    damage(folder)
    before = tree(folder)
    line = one_line(*secsim("report", folder))
    assert line.startswith(f"error: {folder}/{expected}"), line
    assert tree(folder) == before, "nothing is added to a folder that cannot be read"


def test_the_undamaged_copy_is_reported(written, tmp_path):
    """The cases' base reads, so each line comes from its own damage."""
    shutil.copytree(written, tmp_path / "res")
    assert secsim("report", tmp_path / "res")[0] == 0
