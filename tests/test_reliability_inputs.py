"""Tests by intent: validation. Issue 10's findings 3, 4 and 8, through the CLI as a user calls it: a small
file cannot exhaust memory, a value outside its documented range is refused at its key (every range the
docs/reference/reliability.md's table states), and every mistake that was a traceback or a misleading line is one line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from types import UnionType
from typing import Annotated, Union, get_args, get_origin

import pytest
import yaml

from sim.core.errors import InputError
from sim.inputs.scenario import load_text

from .conftest import FIVE_PARTIES, one_line, secsim

BOMB = "description: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"d{i}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (BOMB, "more than 100,000 values once its aliases are expanded"),
        ("cio: {teams: 1000000000}\n", "cio.teams: expected a value <= 1000, got 1000000000"),
        (
            "population:\n  smart: {smets2_share: {2018-01-01: 0.1}}\n  groups: [{name: g, role: other, entrants_per_year: 1.0e+9}]\n",
            "population.groups[0].entrants_per_year: expected a number from 0 to 200",
        ),
    ],
    ids=[
        "alias bomb under description",
        "a billion CIO teams",
        "a billion entrants a year",
    ],
)
def test_finding_3_a_small_file_cannot_exhaust_memory(tmp_path, text, expected):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({k: v for k, v in FIVE_PARTIES.items()}, sort_keys=False) + text)
    assert len(path.read_bytes()) < 2000
    assert expected in one_line(*secsim("run", path, "--out", tmp_path / "out"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_finding_3_copies_count_against_the_parties_limit(tmp_path):
    """100 lines of ``copies: 10000`` (6 kB) stood for a million parties: validate said ok, and a run grew past 3.6 GB
    and no longer answered SIGTERM or Ctrl-C (adversarial review). Each copy is a party of the 20,000."""
    path = tmp_path / "many.yaml"
    parties = [{"id": f"N{i}", "role": "network", "premises": 1000, "copies": 10_000} for i in range(100)]
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "parties": parties}, sort_keys=False))
    assert len(path.read_bytes()) < 7000
    expected = "parties: expected at most 20,000 parties in all, each copy one; got 1,000,000"
    assert expected in one_line(*secsim("validate", path))
    shipped = ("scenarios/srp-break-even.yaml", "--reps", "1", "--out", tmp_path / "out")
    sets = [a for party in ("SUP-L", "SUP-S") for a in ("--set", f"parties.{party}.copies=10000")]
    assert "expected at most 20,000 parties in all, each copy one; got 20,00" in one_line(*secsim("run", *shipped, *sets))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.yaml"]


def test_finding_3_too_many_copies_are_refused_before_any_copy_is_made(monkeypatch):
    """The limit is on the copies written, counted before one is made: a million were made first, each a validated
    party (8 s and a gigabyte to refuse the file above), where a party too many is refused as soon as it is read."""
    from sim.inputs import party_spec

    made = []
    real = party_spec.Party.expanded
    monkeypatch.setattr(party_spec.Party, "expanded", lambda self: made.append(self.copies) or real(self))
    parties = [{"id": f"N{i}", "role": "network", "premises": 1000, "copies": 10_000} for i in range(3)]
    with pytest.raises(InputError, match="expected at most 20,000 parties in all, each copy one; got 30,000"):
        load_text(yaml.safe_dump({**FIVE_PARTIES, "parties": parties}), "many.yaml")
    assert made == [], "no copy made of a party over the limit"


def test_finding_3_a_file_of_too_many_values_is_refused_where_it_passes_the_limit_not_after_it_is_parsed():
    """A megabyte of plain values was parsed whole (seconds, hundreds of MB) before the 100,000-value limit said no."""
    from sim.inputs import safe_yaml

    text = "name: x\nlist:\n" + "- 1\n" * 150_000
    with pytest.raises(InputError, match=r"^big.yaml: line 99998, column 3: more than 100,000 values$"):
        safe_yaml.load(text, "big.yaml")


@pytest.mark.parametrize("status", ["deferred", "rejected"])
def test_finding_3_statuses_no_chain_can_pass_with_are_refused(tmp_path, status):
    """Follow-ups that can never pass repeated to the run's limit, 20 years past the horizon: 100 parties over a year
    took 100 s and 2.3 GB (adversarial try)."""
    never = {"approved": 0, "approved_subject_to": 0, "deferred": 0, "rejected": 0, status: 1}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "deterministic": False, "ssc": {"follow_up_outcomes": never}}))
    assert one_line(*secsim("run", path, "--out", tmp_path / "out")).endswith(
        "s.yaml: ssc.follow_up_outcomes: expected approved or approved_subject_to above 0: every assessment booked after "
        "a Deferred or Rejected status draws from these, so none could pass and each chain would repeat to the run's limit\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


@pytest.mark.parametrize(
    "ssc, deterministic",
    [
        ({"outcomes": {"approved": 0, "approved_subject_to": 0, "deferred": 0, "rejected": 1}}, False),  # Follow-ups pass
        ({"follow_up_outcomes": {"approved": 0, "approved_subject_to": 0, "deferred": 1, "rejected": 0}}, True),  # approved
        (
            {
                "outcomes": {"approved": 1, "approved_subject_to": 0, "deferred": 0, "rejected": 0},
                "follow_up_outcomes": {"approved": 0, "approved_subject_to": 0, "deferred": 1, "rejected": 0},
            },
            False,
        ),  # no Follow-up is ever booked
    ],
    ids=["every first status rejected", "deterministic", "every first status approved"],
)
def test_finding_3_statuses_a_chain_can_pass_with_are_accepted(tmp_path, ssc, deterministic):
    """Only a chain that could never pass is refused: a Follow-up, and the Full MP091 asks for after a Rejected one,
    draw from follow_up_outcomes (``Lifecycle._decide``); a deterministic run approves every report."""
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "years": 2, "deterministic": deterministic, "ssc": ssc}, sort_keys=False))
    assert secsim("validate", path) == (0, "")


def test_finding_3_at_most_50_uncertain_parameters():
    """Each end of each is a validation of the whole scenario: 1,000 on 1,000 parties took 79 s to validate."""
    uncertain = [{"path": "cio.teams", "low": 1, "high": k} for k in range(2, 53)]
    with pytest.raises(InputError, match=r"^u.yaml: uncertain: expected at most 50 items, got 51$"):
        load_text(yaml.safe_dump({**FIVE_PARTIES, "uncertain": uncertain}), "u.yaml")


def _dated_thresholds(count: int, first_year: int = 2000) -> list[dict]:
    """``count`` amendments of the threshold, a day apart from 1 January ``first_year``."""
    first = dt.date(first_year, 1, 1)
    return [{"date": (first + dt.timedelta(days=k)).isoformat(), "set": {"threshold": 250_000 + k}} for k in range(count)]


def test_finding_3_a_regimes_change_dates_are_bounded_before_they_are_built(tmp_path):
    """4,000 dated amendments (200 kB) validated in 5 s and then took 13 s a regime and replication; 20 variants of
    50 each, chained, took 29 s (adversarial try): each change date is a snapshot of the rules a run works out."""
    many = [{"name": "v", "base": "pre-secmp0044", "amendments": _dated_thresholds(4000)}]
    expected = "regimes[1].amendments: expected at most 200 amendments, got 4,000"
    assert expected in one_line(*secsim("validate", _written(tmp_path / "many.yaml", ["pre-secmp0044", *many])))
    chained = [
        {"name": f"v{i}", "base": f"v{i - 1}" if i else "pre-secmp0044", "amendments": _dated_thresholds(50, 1950 + i)}
        for i in range(20)
    ]
    err = one_line(*secsim("validate", _written(tmp_path / "chained.yaml", chained)))
    assert "regimes[3].amendments: expected a regime whose law changes on at most 200 dates" in err, err  # 1 + 4 x 50


def _written(path: Path, regimes: list) -> Path:
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "regimes": regimes}, sort_keys=False))
    return path


def test_finding_3_devices_fifos_and_a_thousand_workers_are_refused(tmp_path, scenario_yaml):
    assert "/dev/zero: not a regular file" in one_line(*secsim("validate", "/dev/zero"))
    fifo = tmp_path / "scenario.fifo"
    os.mkfifo(fifo)
    assert "scenario.fifo: not a regular file" in one_line(*secsim("validate", fifo))  # it hung forever
    big = tmp_path / "big.yaml"
    big.write_text("description: '" + "x" * (1 << 20) + "'\n")
    assert "larger than 1 MiB" in one_line(*secsim("validate", big))
    err = one_line(*secsim("run", scenario_yaml, "--executor", "dask", "--workers", "1000", "--out", tmp_path / "out"))
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
PLAIN = {
    "start": "2018-01-01",
    "years": "50",
    "regimes": "[pre-secmp0044]",
    "premises": "10",
    "customers": "100000",
    "growth": "{mean: 0, sd: 0}",
    "extra": "",
}

NONSENSE = {  # each ran with exit 0 and gave nonsense (or depended on PYTHONHASHSEED)
    "a start before 1900": (
        {"start": "1899-12-31"},
        'start: expected a date from 1900-01-01 to 2200-12-31 (YYYY-MM-DD), got "1899-12-31"',
    ),
    "premises past 2**63": ({"premises": str(2**63)}, "parties[0].premises: expected an integer from 0 to 1,000,000,000"),
    "customers 1e300": ({"customers": "1.0e+300"}, "population.groups[0].customers: expected a number from 0 to 100,000,000"),
    "growth mean .nan": ({"growth": "{mean: .nan}"}, "population.groups[0].growth.mean: expected a finite number"),
    "growth sd .inf": ({"growth": "{sd: .inf}"}, "population.groups[0].growth.sd: expected a finite number"),
    "growth that overflows 64 bits": ({"growth": "{mean: 1, sd: 0}"}, "population.groups[0].growth: a party could reach"),
    "an infinite day rate": ({"extra": "costs: {cio_day_rate_gbp: .inf}"}, "costs.cio_day_rate_gbp: expected a finite number"),
    "an infinite booking lead": (
        {"extra": "cio: {booking_lead_weeks: .inf}"},
        "cio.booking_lead_weeks: expected a finite number",
    ),
    "an infinite margin": ({"extra": "scheduling: {margin_days: .inf}"}, "scheduling.margin_days: expected a finite number"),
    "a duplicate key": ({"extra": "years: 3"}, "line 11, column 1: duplicate key 'years' (also on line 3)"),
    "years: true": ({"years": "true"}, "years: expected an integer, got true"),
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


BOUNDS = [  # docs/reference/reliability.md, the table of ranges: one value beyond each
    ("start", "2201-01-01"),
    ("years", 51),
    ("seed", 2**63),
    ("replications", 100_001),
    ("parties.0.premises", 10**9 + 1),
    ("parties.0.premises", {"2018-01-01": 10**9 + 1}),
    ("parties.0.entry", "1899-12-31"),
    ("cio.teams", 1001),
    ("cio.booking_lead_weeks", 520.5),
    ("durations.fieldwork_days.full", 3650.5),
    ("durations.management_response_days", {"dist": "lognormal", "mean": 20, "sd": 20}),
    ("durations.follow_up_delay_days", {"dist": "uniform", "low": 0, "high": 4000}),
    ("ssc.meeting_days", [29]),
    ("ssc.meeting_days", list(range(1, 29)) * 2),
    ("ssc.items_per_meeting", 10_001),
    ("ssc.papers_lead_days", 366),
    ("scheduling.margin_days", 366),
    ("ssc.outcomes.approved", 1.5),
    ("costs.cio_day_rate_gbp", 1e6 + 1),
    ("costs.report_copy_gbp", 1e6 + 1),
    ("costs.preparation_days.full", 1001),
    ("costs.ssc_hours_per_item", 1001),
    ("costs.secas_days_per_item", 1001),
    ("population.groups.0.count", 10_001),
    ("population.groups.0.customers", 10**8 + 1),
    ("population.groups.0.entrant_customers", {"dist": "lognormal", "median": 100, "sigma": 3.5}),
    ("population.groups.0.entrants_per_year", 201),
    ("population.groups.0.exit_hazard", {"2018-01-01": 51}),
    ("population.groups.0.growth.mean", -1.5),
    ("population.groups.0.growth.sd", 1.5),
    ("population.groups.0.smart_factor", 11),
    ("population.groups.0.exit_size_factor", {"customers": 10**9 + 1, "factor": 1}),
    ("population.groups.0.exit_size_factor", {"customers": 1, "factor": 1001}),
    ("population.groups.0.srp_share", 1.5),
    ("population.srps.count", 1001),
    ("population.srps.weights", [0]),
    ("population.srps.switch_rate", 101),
    ("population.smart.meters_per_premises", 0),
    ("population.smart.meters_per_premises", 11),
    ("population.market_premises", 10**9 + 1),
    ("population.solr_receiver_min_customers", 10**9 + 1),
    ("population.srp_defaults", [{"srp": "SRP-1", "date": "2019-01-01", "migration": {"base_days": 3651}}]),
    ("population.srp_defaults", [{"srp": "SRP-1", "date": "2019-01-01", "migration": {"days_per_100k_premises": 3651}}]),
    ("population.groups", [{"name": n, "role": "other", "count": 10_000} for n in "abc"]),  # the population as a whole
    ("population.groups.0.growth", {"mean": 1, "sd": 1}),
]


@pytest.mark.parametrize("path, value", BOUNDS, ids=[f"{p}={v!r:.30}" for p, v in BOUNDS])
def test_finding_4_every_documented_bound_is_enforced(tmp_path, path, value):
    from sim.core.validation import key_path
    from sim.inputs.overrides import replaced
    from sim.inputs.scenario import as_data, load

    group = {"name": "g", "role": "supplier", "count": 3, "customers": 1000, "growth": {"mean": 0.1, "sd": 0.1}}
    file = tmp_path / "s.yaml"
    file.write_text(
        yaml.safe_dump(
            {
                **FIVE_PARTIES,
                "parties": FIVE_PARTIES["parties"][1:],
                "years": 10,
                "population": {
                    "smart": {"smets2_share": {"2018-01-01": 0.1}},
                    "srps": {"count": 1},
                    "groups": [group, {**group, "name": "h"}],
                },
            }
        )
    )
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
        lambda t: ["sweep", t / "s.yaml", "--param", "cio.teams=[1", "--out", t / "out"],
        "--param cio.teams=[1: line 1",
    ),
    "5000 levels of nesting": (
        lambda t: ["validate", _write(t, "deep.yaml", "name: x\ndescription: " + "[" * 5000 + "]" * 5000 + "\n")],
        "deep.yaml: line 2, column 77: nested deeper than 64 levels",
    ),
    "a 1,200-file extends: chain": (lambda t: ["validate", _chain(t, 1200)], "extends: expected a chain of at most 16 files"),
    "years past 9999": (
        lambda t: ["validate", _write(t, "late.yaml", yaml.safe_dump({**FIVE_PARTIES, "start": "9998-01-01"}))],
        'late.yaml: start: expected a date from 1900-01-01 to 2200-12-31 (YYYY-MM-DD), got "9998-01-01"',
    ),
    "an empty scenario file": (
        lambda t: ["validate", _write(t, "empty.yaml", "")],
        "empty.yaml: the file is empty; expected a mapping",
    ),
    "a bad value in an extends: parent": (
        lambda t: [
            "validate",
            _write(
                t,
                "child.yaml",
                f"extends: {_write(t, 'parent.yaml', yaml.safe_dump({**FIVE_PARTIES, 'cio': {'teams': 0}})).name}\nname: child\n",
            ),
        ],
        "error: parent.yaml: cio.teams: expected a value >= 1, got 0",
    ),
    # Adversarial try (twelfth session): a party a child file adds is merged in after its parent's, and its mistake was
    # named by that place (parties[5] of a child that lists one party); each file's own place now, at every depth.
    "a party a child adds, named by its place in the child": (
        lambda t: [
            "validate",
            _write(
                t,
                "child.yaml",
                f"extends: {_write(t, 'parent.yaml', yaml.safe_dump(FIVE_PARTIES)).name}\n"
                "parties: [{id: NEW, role: supplier, premises: -5}]\n",
            ),
        ],
        "error: child.yaml: parties[0].premises: expected an integer",
    ),
    "a party a grandchild changes, named by its place in the grandchild": (
        lambda t: [
            "validate",
            _write(
                t,
                "grandchild.yaml",
                "extends: "
                + _write(
                    t,
                    "child.yaml",
                    f"extends: {_write(t, 'parent.yaml', yaml.safe_dump(FIVE_PARTIES)).name}\n"
                    "parties: [{id: NEW, role: supplier, premises: 5}]\n",
                ).name
                + "\nparties: [{id: OTHER, role: network, premises: 5}, {id: NEW, role: bogus}]\n",
            ),
        ],
        "error: grandchild.yaml: parties[1].role: expected one of",
    ),
    "a parent's party a child changes elsewhere keeps the parent's place": (  # a grandparent: merged place 5, own 0
        lambda t: [
            "validate",
            _write(
                t,
                "child.yaml",
                "extends: "
                + _write(
                    t,
                    "parent.yaml",
                    f"extends: {_write(t, 'grand.yaml', yaml.safe_dump(FIVE_PARTIES)).name}\n"
                    "parties: [{id: NEW, role: supplier, premises: -1}]\n",
                ).name
                + "\nparties: [{id: NET-1, entry: 2018-02-01}]\n",
            ),
        ],
        "error: parent.yaml: parties[0].premises: expected an integer",
    ),
    # Thirteenth session's try: the "also" of a duplicate id named the merged place too (also parties[27]).
    "a copy's clash in a child names the child's other item by its place there": (
        lambda t: [
            "validate",
            _write(
                t,
                "child.yaml",
                f"extends: {_write(t, 'parent.yaml', yaml.safe_dump(FIVE_PARTIES)).name}\n"
                "parties: [{id: X-2, role: supplier}, {id: X, role: supplier, copies: 2}]\n",
            ),
        ],
        'error: child.yaml: parties[1].copies: copy 2 would have the id "X-2" (also parties[0])',
    ),
    # ... and an id a child or its parent lists twice was "role: required key is missing": the merge made one item of two.
    "an id a child lists twice is a duplicate, not a missing role": (
        lambda t: [
            "validate",
            _write(
                t,
                "child.yaml",
                f"extends: {_write(t, 'parent.yaml', yaml.safe_dump(FIVE_PARTIES)).name}\n"
                "parties: [{id: SUP-S, premises: 6}, {id: SUP-S, role: supplier, premises: 7}]\n",
            ),
        ],
        'error: child.yaml: parties[1].id: duplicate party id "SUP-S" (also parties[0])',
    ),
    "an id a parent lists twice is the parent's duplicate": (
        lambda t: [
            "validate",
            _write(
                t,
                "child.yaml",
                "extends: "
                + _write(
                    t,
                    "parent.yaml",
                    yaml.safe_dump({**FIVE_PARTIES, "parties": [*FIVE_PARTIES["parties"], FIVE_PARTIES["parties"][4]]}),
                ).name
                + "\nparties: [{id: OTH-1, entry: 2019-01-01}]\n",
            ),
        ],
        'error: parent.yaml: parties[5].id: duplicate party id "OTH-1" (also parties[4])',
    ),
    # Adversarial try (twelfth session): a days key's bound read "expected a value >= 0.0" for -1.
    "a whole bound of a days key is written as a whole number": (
        lambda t: ["validate", _write(t, "days.yaml", yaml.safe_dump({**FIVE_PARTIES, "scheduling": {"margin_days": -1}}))],
        "error: days.yaml: scheduling.margin_days: expected a value >= 0, got -1",
    ),
    "--out under a file": (lambda t: ["run", t / "s.yaml", "--out", t / "s.yaml" / "out"], "s.yaml is a file, not a folder"),
    "--out where nothing can be written": (
        lambda t: ["run", t / "s.yaml", "--out", "/proc/secsim-out"],
        "--out /proc/secsim-out: cannot write in /proc",
    ),
    "--cache naming a file": (lambda t: ["run", t / "s.yaml", "--cache", t / "s.yaml", "--out", t / "out"], "--cache "),
    "--cache where nothing can be written": (
        lambda t: ["run", t / "s.yaml", "--cache", "/proc/secsim-cache", "--out", t / "out"],
        "--cache /proc/secsim-cache: cannot use it as the cache folder",
    ),
    "--cache naming a folder of the user's (it wrote beside their files, /etc included)": (
        lambda t: ["run", t / "s.yaml", "--cache", t, "--out", t / "out"],
        "s.yaml, which secsim did not write; choose a new or empty folder, or one secsim caches in",
    ),
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
def test_finding_8_mistakes_are_one_line_not_tracebacks(tmp_path, scenario_yaml, case):
    arguments, expected = ONE_LINERS[case]
    assert expected in one_line(*secsim(*arguments(tmp_path)))
    assert not (tmp_path / "out").exists()


VARIANT_MISTAKES = {
    "a misspelt key": ({"name": "v", "base": "secmp0044", "sett": {}}, 'regimes[1].sett: unknown key; did you mean "set"?'),
    "no base": ({"name": "v"}, "regimes[1].base: required key is missing"),
    "set not a mapping": ({"name": "v", "base": "secmp0044", "set": 5}, "regimes[1].set: expected a mapping, got 5"),
    "a bad name": ({"name": "a b", "base": "secmp0044"}, "regimes[1].name: "),
    "a bad from date": ({"name": "v", "base": "secmp0044", "from": "soon"}, "regimes[1].from: expected a date"),
    "a bad option date": (
        {"name": "v", "base": "sec-history", "options": {"secmp0044_date": "soon"}},
        "regimes[1].options.secmp0044_date: expected a date",
    ),
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


def _numbers(model: type, path: str = "") -> list[tuple[str, type, list]]:
    """Every int, float and date a scenario model holds, however deep, with the constraints that apply to it."""
    from pydantic import BaseModel, BeforeValidator
    from pydantic.fields import FieldInfo

    def walk(annotation: object, metadata: list, where: str) -> list[tuple[str, type, list]]:
        metadata = [c for m in metadata for c in (m.metadata if isinstance(m, FieldInfo) else [m])]
        if any(isinstance(m, BeforeValidator) for m in metadata):
            return []  # read by its own function (premises, rates, durations, sizes), which checks its range
        if get_origin(annotation) is Annotated:
            base, *more = get_args(annotation)
            return walk(base, [*metadata, *more], where)
        if annotation in (int, float, dt.date):
            return [(where, annotation, metadata)]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return _numbers(annotation, where + ".")
        within = metadata if get_origin(annotation) in (Union, UnionType) else []  # a list's bounds are not its items'
        return [n for arg in get_args(annotation) for n in walk(arg, within, where)]

    return [n for name, field in model.model_fields.items() for n in walk(field.annotation, field.metadata, path + name)]


def test_finding_4_every_number_and_date_in_the_scenario_schema_has_a_range():
    """A number or date added to the schema without bounds (or finite-only, or strict) fails here, not in a user's run."""
    from sim.inputs.scenario import Scenario

    found = _numbers(Scenario)
    assert len(found) > 40
    for where, kind, constraints in found:
        assert any(hasattr(c, "le") or hasattr(c, "lt") for c in constraints), f"{where}: no upper bound"
        assert any(hasattr(c, "ge") or hasattr(c, "gt") for c in constraints), f"{where}: no lower bound"
        assert kind is dt.date or any(getattr(c, "strict", None) is True for c in constraints), f"{where}: true read as 1"
        if kind is float:
            assert any(getattr(c, "allow_inf_nan", None) is False for c in constraints), f"{where}: .nan and .inf allowed"


def test_a_cache_folder_that_cannot_be_listed_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    """Whether a folder is secsim's cache is told by listing it: one that cannot be listed is the user's mistake,
    said in one line (it was a PermissionError from the API, and a disk fault, exit 1, from the command)."""
    from sim.core.errors import InputError
    from sim.experiment.cache import Cache

    folder = tmp_path / "cache"
    folder.mkdir()
    real = Path.iterdir

    def refused(self):
        if self == folder.absolute():
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refused)
    with pytest.raises(InputError, match=r"--cache .*cache: cannot list it \(Permission denied\); choose another cache folder"):
        Cache(folder)


def test_a_parents_baselines_stay_when_a_childs_variants_merge_by_name(tmp_path):
    """Thirteenth session's try: a child changing one of its parent's variants (both lists of variants, merged by name)
    kept only the parent's baselines that paired two of the child's own listed regimes, so ``{v2: v1}`` was dropped and
    v2 was silently compared with the first regime instead of v1."""
    parent = {
        **FIVE_PARTIES,
        "regimes": [
            {"name": "base0", "base": "pre-secmp0044"},
            {"name": "v1", "base": "secmp0044", "set": {"threshold": 500000}},
            {"name": "v2", "base": "secmp0044", "set": {"threshold": 400000}},
        ],
        "baselines": {"v2": "v1"},
    }
    (tmp_path / "parent.yaml").write_text(yaml.safe_dump(parent))
    child = tmp_path / "child.yaml"
    child.write_text("extends: parent.yaml\nregimes: [{name: v2, set: {threshold: 300000}}]\n")
    s = load_text(child.read_text(), child.name, tmp_path)
    assert s.regime_names() == ["base0", "v1", "v2"]
    assert s.baselines == {"v2": "v1"}
