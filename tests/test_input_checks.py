"""Tests by intent: validation. Every check a scenario meets after its schema — the parties' cross-references,
the regimes and their variants, baselines, generated populations — answers a mistake through ``secsim validate``
as a user meets it: exit status 2, one line naming the file and the key, and what was expected."""

from __future__ import annotations

import copy

import pytest
import yaml

from .conftest import FIVE_PARTIES, one_line, secsim

POPULATION = {
    "groups": [{"name": "s", "role": "supplier", "count": 2}],
    "smart": {"smets2_share": {"2018-01-01": 0.1}},
    "srps": {"count": 1},
}


def _party(i: int, **changes):
    def change(data):
        data["parties"][i].update(changes)

    return change


def _set(**changes):
    def change(data):
        data.update(copy.deepcopy(changes))

    return change


def _variant(**variant):
    return _set(regimes=["secmp0044", {"name": "v", "base": "secmp0044", **variant}])


def _population(**changes):
    return _set(population={**POPULATION, **changes})


CASES = {
    # the parties (sim/inputs/scenario.py, _cross_check)
    "no parties": (_set(parties=[]), "parties: expected at least one party, or a population with groups"),
    "duplicate id": (_party(4, id="NET-1"), 'parties[4].id: duplicate party id "NET-1" (also parties[3])'),
    "srp on an srp": (_party(0, srp="SRP-1"), "parties[0].srp: an SRP cannot itself use an SRP"),
    "srp premises": (_party(0, premises=5), "parties[0].premises: an SRP's premises are derived from its clients"),
    "non-domestic premises of a network party": (
        _party(3, non_domestic_premises={"2019-01-01": 60000}),
        "parties[3].non_domestic_premises: only a supplier's are counted (SECMP0059, G8.47); expected 0",
    ),
    "non-domestic premises of an srp": (
        _party(0, non_domestic_premises=5),
        "parties[0].non_domestic_premises: only a supplier's are counted (SECMP0059, G8.47); expected 0",
    ),
    "unknown srp": (_party(1, srp="SRP-9"), 'parties[1].srp: no party with id "SRP-9" and role srp'),
    "srp not an srp": (_party(1, srp="NET-1"), 'parties[1].srp: no party with id "NET-1" and role srp'),
    "entry after the horizon": (
        _party(3, entry="2024-01-01"),
        "parties[3].entry: expected a date before the horizon end 2024-01-01",
    ),
    "exit before entry": (_party(3, exit="2017-06-01"), "parties[3].exit: expected a date after entry 2018-01-01"),
    "exit before the start a party without an entry enters on": (
        _party(0, exit="2017-06-01"),
        "parties[0].exit: expected a date after its entry, the start 2018-01-01 (it gives none), got 2017-06-01",
    ),
    # the regimes and baselines
    "unknown regime": (_set(regimes=["secmp0044", "secmp44"]), 'regimes[1]: unknown regime "secmp44"; expected one of'),
    "regime twice": (
        _set(regimes=["secmp0044", "secmp0044"]),
        'regimes[1]: regime "secmp0044" is listed twice (also regimes[0])',
    ),
    "variant named as shipped": (
        _set(regimes=[{"name": "secmp0044", "base": "pre-secmp0044"}]),
        'regimes[0].name: "secmp0044" is a shipped regime; give the variant its own name',
    ),
    "baseline not a regime": (
        _set(baselines={"secmp0044": "sec-history"}),
        'baselines.secmp0044: "sec-history" is not one of this scenario\'s regimes (pre-secmp0044, secmp0044)',
    ),
    "baseline itself": (_set(baselines={"secmp0044": "secmp0044"}), "baselines.secmp0044: a regime is not compared with itself"),
    # a variant regime (sim/law/regime.py, build)
    "variant unknown base": (_variant(base="secmp44"), 'regimes[1].base: unknown regime "secmp44"'),
    "variant unknown option": (
        _variant(options={"go_live": "2019-01-01"}),
        "regimes[1].options.go_live: unknown option; secmp0044 takes:",
    ),
    "variant amendment not a mapping": (_variant(amendments=[3]), "regimes[1].amendments[0]: expected a mapping, got 3"),
    "variant amendment key": (
        _variant(amendments=[{"date": "2019-01-01", "sett": {}}]),
        "regimes[1].amendments[0].sett: unknown key; expected one of adopt, date, moment, one_off_costs, ref, set",
    ),
    "variant amendment moment": (
        _variant(amendments=[{"date": "2019-01-01", "moment": "soon", "set": {"threshold": 1}}]),
        'regimes[1].amendments[0].moment: expected booking or fieldwork, got "soon"',
    ),
    "variant amendment without a date (it applied from 1900, unsaid)": (
        _variant(amendments=[{"set": {"threshold": 1}}]),
        "regimes[1].amendments[0].date: missing; an amendment is law from its date (1900-01-01 for always)",
    ),
    "variant amendment with secsim's own marker (a traceback: it skipped the date check)": (
        _variant(amendments=[{"_written_as": "set", "set": {"due_months": 18}}]),
        "regimes[1].amendments[0]._written_as: unknown key; expected one of adopt, date, moment, one_off_costs, ref, set",
    ),
    "variant with set and amendments: an amendment's mistake at its own index (it said amendments[1])": (
        _variant(set={"threshold": 1}, amendments=[{"date": "2019-01-01", "set": {"bogus": 12}}]),
        "regimes[1].amendments[0].set.bogus: unknown regime parameter",
    ),
    "variant with set and amendments: a date mistake at its own index": (
        _variant(set={"threshold": 1}, amendments=[{"date": "2019-02-30", "set": {"due_months": 18}}]),
        "regimes[1].amendments[0].date: expected a date",
    ),
    "variant amendment set": (
        _variant(amendments=[{"date": "2019-01-01", "set": [1]}]),
        "regimes[1].amendments[0].set: expected a mapping of parameter: value",
    ),
    "a start given as a number (a Unix time to pydantic)": (
        _set(start=1514764800),
        "start: expected a date from 1900-01-01 to 2200-12-31 (YYYY-MM-DD), got 1514764800",
    ),
    "an entry given as a number": (
        _party(1, entry=20180101),
        "parties[1].entry: expected a date from 1900-01-01 to 2200-12-31 (YYYY-MM-DD), got 20180101",
    ),
    "a start before 1900": (
        _set(start="1899-12-31"),
        'start: expected a date from 1900-01-01 to 2200-12-31 (YYYY-MM-DD), got "1899-12-31"',
    ),
    "a variant's option given as a number": (
        _set(regimes=["secmp0044", {"name": "v", "base": "sec-history", "options": {"secmp0044_date": 0}}]),
        "regimes[1].options.secmp0044_date: expected a date from 1900-01-01 to 2200-12-31 (YYYY-MM-DD), got 0",
    ),
    "a variant's unknown option, not a date either": (  # the name first (it said the value was no date)
        _set(regimes=["secmp0044", {"name": "v", "base": "sec-history", "options": {"bogus": 1}}]),
        "regimes[1].options.bogus: unknown option; sec-history takes: secmp0044_date",
    ),
    "variant amendment date": (
        _variant(amendments=[{"date": "someday", "set": {"threshold": 1}}]),
        'regimes[1].amendments[0].date: expected a date from 1900-01-01 to 2200-12-31 (YYYY-MM-DD), got "someday"',
    ),
    "variant adopts the unknown": (
        _variant(amendments=[{"date": "2019-01-01", "adopt": "secmp99"}]),
        'regimes[1].amendments[0].adopt: unknown regime "secmp99"',
    ),
    "one-off costs not a list": (
        _variant(amendments=[{"date": "2019-01-01", "one_off_costs": 5}]),
        "regimes[1].amendments[0].one_off_costs: expected a list of {component, gbp, ref}",
    ),
    "one-off cost without gbp": (
        _variant(amendments=[{"date": "2019-01-01", "one_off_costs": [{"component": "x"}]}]),
        "regimes[1].amendments[0].one_off_costs[0]: expected a mapping with component, gbp and ref",
    ),
    "one-off cost negative": (
        _variant(amendments=[{"date": "2019-01-01", "one_off_costs": [{"component": "x", "gbp": -1}]}]),
        "regimes[1].amendments[0].one_off_costs[0].gbp: expected a non-negative amount of pounds, got -1",
    ),
    "one-off cost as text": (
        _variant(amendments=[{"date": "2019-01-01", "one_off_costs": [{"component": "x", "gbp": "1k"}]}]),
        'regimes[1].amendments[0].one_off_costs[0].gbp: expected a non-negative amount of pounds, got "1k"',
    ),
    # a generated population (sim/inputs/scenario.py, _check_population)
    "party named as a generated srp": (_population(), 'parties[0].id: "SRP-1" is the id of a generated SRP; rename it'),
    "duplicate group": (
        _population(groups=[POPULATION["groups"][0], POPULATION["groups"][0]]),
        'population.groups[1].name: duplicate group name "s"',
    ),
    "party named as a group's": (
        _population(groups=[{"name": "SUP", "role": "supplier", "count": 2}]),
        'parties[1].id: "SUP-L" clashes with group "SUP"\'s generated ids',
    ),
    "anchor not a supplier group": (
        _population(srps={"count": 1, "anchor_group": "nobody"}),
        'population.srps.anchor_group: no supplier group named "nobody"',
    ),
    "anchor group too small": (
        _population(srps={"count": 3, "anchor_group": "s"}),
        "population.srps.anchor_group: expected a group of at least 3 parties, one per SRP, got 2",
    ),
    "srp default outside the horizon": (
        _population(srp_defaults=[{"srp": "SRP-X", "date": "2030-01-01"}]),
        "population.srp_defaults[0].date: expected a date within 2018-01-01 to 2024-01-01, got 2030-01-01",
    ),
}
"""Each check: the change to the five-party scenario that trips it, and the line's text after the file name."""


def _renamed_srp(data):
    """The population cases but the first give the explicit SRP another id, so only their own check trips."""
    data["parties"][0]["id"] = "SRP-X"
    for party in data["parties"][1:3]:
        party["srp"] = "SRP-X"


@pytest.mark.parametrize("case", list(CASES))
def test_each_check_is_one_line_at_its_key(tmp_path, case):
    change, expected = CASES[case]
    data = copy.deepcopy(FIVE_PARTIES)
    if case.startswith(("duplicate group", "party named as a group", "anchor", "srp default")):
        _renamed_srp(data)
    change(data)
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    line = one_line(*secsim("validate", path))
    assert line.startswith(f"error: s.yaml: {expected}"), line


def test_the_unchanged_scenario_passes_every_check(tmp_path):
    """The cases' base is valid, so each case's line comes from its own change."""
    path = tmp_path / "s.yaml"
    data = copy.deepcopy(FIVE_PARTIES)
    _renamed_srp(data)
    data["population"] = POPULATION
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert secsim("validate", path)[0] == 0


FILES = {
    "not UTF-8": ({"s.yaml": b"name: caf\xe9\n"}, "s.yaml: not UTF-8 text (byte 9); expected a scenario YAML file"),
    "a character YAML does not allow": (
        {"s.yaml": b"name: t\nx: a\x00\n"},
        "s.yaml: line 2, column 5: character #x0000 is not allowed in YAML",
    ),
    "an escape character": ({"s.yaml": b"name: t\x1b\n"}, "s.yaml: line 1, column 8: character #x001b is not allowed in YAML"),
    "such a character in the parent": (
        {"s.yaml": b"extends: b.yaml\n", "b.yaml": b"years: 3\x7f\n"},
        "b.yaml: line 1, column 9: character #x007f is not allowed in YAML",
    ),
    "a list at the top": ({"s.yaml": b"- name: a\n"}, "s.yaml: expected a mapping of scenario keys at the top level, got a list"),
    "a number at the top": ({"s.yaml": b"42\n"}, "s.yaml: expected a mapping of scenario keys at the top level, got a number"),
    "empty": ({"s.yaml": b"\n"}, "s.yaml: the file is empty; expected a mapping of scenario keys"),
    "extends a number": ({"s.yaml": b"extends: 3\n"}, "s.yaml: extends: expected the path of a scenario file, got 3"),
    "extends itself": ({"s.yaml": b"extends: s.yaml\n"}, 's.yaml: extends: "s.yaml" leads back to itself (s.yaml → s.yaml)'),
    "extends in a circle": (
        {"s.yaml": b"extends: b.yaml\n", "b.yaml": b"extends: s.yaml\n"},
        's.yaml: extends: "b.yaml" leads back to itself (b.yaml → s.yaml → b.yaml)',
    ),
    "extends the missing": (
        {"s.yaml": b"extends: gone.yaml\n"},
        's.yaml: extends: no scenario file "gone.yaml" (the path is read from this file\'s folder)',
    ),
    "extends from a subfolder names the path it tried": (
        {"mine/s.yaml": b"extends: scenarios/base.yaml\n"},
        's.yaml: extends: no scenario file "mine/scenarios/base.yaml" (the path is read from this file\'s folder)',
    ),
    "extends nothing": ({"s.yaml": b'extends: ""\n'}, 's.yaml: extends: expected the path of a scenario file, got ""'),
    "extends a folder": (  # it said 'no scenario file' of a folder that is there
        {"s.yaml": b"extends: sub\n", "sub/b.yaml": b"years: 3\n"},
        's.yaml: extends: "sub" is a folder; expected the path of a scenario file',
    ),
    "a mistake in the parent": (
        {"s.yaml": b"extends: b.yaml\nname: child\n", "b.yaml": yaml.safe_dump({**FIVE_PARTIES, "years": 0}).encode()},
        "b.yaml: years: ",
    ),
}
"""Each file mistake: the files written (the first is the one given to secsim) and the line's text."""


@pytest.mark.parametrize("case", list(FILES))
def test_a_file_mistake_is_one_line_naming_the_file(tmp_path, case):
    files, expected = FILES[case]
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(content)
    line = one_line(*secsim("validate", tmp_path / next(iter(files))))
    assert line.replace(f"{tmp_path}/", "").startswith(f"error: {expected}"), line


def test_a_folder_is_not_a_scenario(tmp_path):
    assert one_line(*secsim("validate", tmp_path)) == f"error: {tmp_path}: a folder; expected a scenario YAML file\n"
