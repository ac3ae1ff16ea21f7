"""Intent: a mistake is named in the file, and at the key, its writer would look for, through ``extends:`` chains.

A check of one key against another (an exit against its entry, an SRP's weights against the count) names the key
it faults where that key is written, and the other where another file writes it: the child that changed the count
broke the parent's weights. Each case here failed, or named the wrong file or key, before the fourteenth session
(a helper's review of the thirteenth session's change, and the carried notes of its adversarial try).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sim.inputs.scenario import load

from .conftest import FIVE_PARTIES, ROOT, one_line, secsim

GB = ROOT / "scenarios" / "gb-baseline.yaml"


def _files(tmp: Path, **texts: str) -> Path:
    """Write each ``name=text`` as ``name.yaml`` in ``tmp``; the last one is the file a command is given."""
    for name, text in texts.items():
        (tmp / f"{name}.yaml").write_text(text)
    return tmp / f"{name}.yaml"


def _error(*args: object) -> str:
    return one_line(*secsim("validate", *args))


def test_a_count_a_child_changes_names_the_parents_weights_and_the_childs_count(tmp_path):
    child = _files(tmp_path, child=f"extends: {GB}\npopulation: {{srps: {{count: 3}}}}\n")
    assert _error(child) == (
        f"error: {GB}: population.srps.weights: expected 3 weights, one per SRP (population.srps.count in child.yaml), got 4\n"
    )


def test_weights_a_child_gives_against_the_parents_count_are_the_childs_mistake(tmp_path):
    child = _files(tmp_path, child=f"extends: {GB}\npopulation: {{srps: {{weights: [0.5, 0.5]}}}}\n")
    assert _error(child).startswith(
        f"error: child.yaml: population.srps.weights: expected 4 weights, one per SRP (population.srps.count in {GB})"
    )


def test_an_entry_a_child_moves_past_the_parents_exit_names_both(tmp_path):
    parent = {**FIVE_PARTIES, "parties": [*FIVE_PARTIES["parties"][:3], {**FIVE_PARTIES["parties"][3], "exit": "2019-06-01"}]}
    child = _files(
        tmp_path, parent=yaml.safe_dump(parent), child="extends: parent.yaml\nparties: [{id: NET-1, entry: 2019-09-01}]\n"
    )
    assert _error(child) == (
        "error: parent.yaml: parties[3].exit: expected a date after entry 2019-09-01 (parties[0].entry in child.yaml), "
        "got 2019-06-01\n"
    )


def test_population_null_is_named_not_parties(tmp_path):
    assert _error(_files(tmp_path, child=f"extends: {GB}\npopulation: null\n")) == (
        "error: child.yaml: population: expected a population with groups, or a party in parties, got null\n"
    )


def test_a_reversed_entry_window_is_named_at_its_key_with_what_it_was(tmp_path):
    child = _files(
        tmp_path, child=f"extends: {GB}\npopulation: {{groups: [{{name: incumbent, entry_window: [2017-05-01, 2017-03-15]}}]}}\n"
    )
    assert _error(child) == (
        "error: child.yaml: population.groups[0].entry_window: expected [earliest, latest], earliest first, "
        "got [2017-05-01, 2017-03-15]\n"
    )


def test_a_childs_cohorts_that_share_a_name_replace_the_parents_as_in_one_file(tmp_path):
    """Only parties, groups and regimes must name each item once; a list that names two alike is taken whole."""
    cohorts = "[{name: IOC, share: 0.5, start: 2020-04-01, end: 2021-03-31}, {name: IOC, share: 0.5, start: 2021-04-01, end: 2022-03-31}]"
    child = _files(tmp_path, child=f"extends: {GB}\npopulation: {{smart: {{smets1_cohorts: {cohorts}}}}}\n")
    assert secsim("validate", child)[0] == 0
    assert [(c.name, str(c.start)) for c in load(child).population.smart.smets1_cohorts] == [
        ("IOC", "2020-04-01"),
        ("IOC", "2021-04-01"),
    ]


def test_the_other_item_of_a_clash_is_named_where_its_last_writer_has_it(tmp_path):
    """X is written by the grandparent (with copies: 2) and the parent: the clash's "also" is the parent's X."""
    grand = {**FIVE_PARTIES, "parties": [*FIVE_PARTIES["parties"], {"id": "X", "role": "supplier", "premises": 3, "copies": 2}]}
    child = _files(
        tmp_path,
        grand=yaml.safe_dump(grand),
        parent="extends: grand.yaml\nparties: [{id: X, premises: 4}]\n",
        child="extends: parent.yaml\nparties: [{id: X-2, role: supplier}]\n",
    )
    assert (
        _error(child)
        == 'error: child.yaml: parties[0].id: duplicate party id "X-2" (also parties[0] in parent.yaml, one of its 2 copies)\n'
    )


def test_a_variants_mistake_in_the_parent_is_named_there_when_a_child_retitles_it(tmp_path):
    variants = [{"name": "v1", "base": "secmp0044"}, {"name": "v2", "base": "secmp0044", "set": {"bogus_param": 1}}]
    child = _files(
        tmp_path,
        parent=yaml.safe_dump({**FIVE_PARTIES, "regimes": variants}),
        child="extends: parent.yaml\nregimes: [{name: v2, title: changed}]\n",
    )
    assert _error(child).startswith("error: parent.yaml: regimes[1].set.bogus_param: unknown regime parameter")


def test_a_regime_a_child_lists_twice_reads_as_in_one_file(tmp_path):
    variants = [{"name": "v1", "base": "secmp0044"}]
    text = "regimes: [{name: v1, title: a}, {name: v1, title: b}]\n"
    child = _files(tmp_path, parent=yaml.safe_dump({**FIVE_PARTIES, "regimes": variants}), child=f"extends: parent.yaml\n{text}")
    alone = _files(tmp_path, alone=yaml.safe_dump({**FIVE_PARTIES, "regimes": [*variants, {"name": "v1", "base": "secmp0044"}]}))
    assert _error(child) == 'error: child.yaml: regimes[1]: regime "v1" is listed twice (also regimes[0])\n'
    assert _error(alone) == 'error: alone.yaml: regimes[1]: regime "v1" is listed twice (also regimes[0])\n'


def test_validate_checks_the_changes_run_would_make(scenario_yaml, capsys):
    assert secsim("validate", scenario_yaml, "--set", "cio.teams=2", "--years", "3")[0] == 0
    assert "s.yaml with cio.teams=2, years=3: ok" in capsys.readouterr().out
    assert _error(scenario_yaml, "--set", "cio.teams=0") == "error: --set cio.teams=0: cio.teams: expected a value >= 1, got 0\n"


def test_dates_the_horizon_reads_otherwise_are_warned_of_and_the_run_goes_on(tmp_path, capsys):
    """A variant from after the horizon runs as its base, an entry before the start is booked for the start, a
    mandate after the horizon counts nothing: each valid (a sweep or --years may move the horizon), each said."""
    data = {
        **FIVE_PARTIES,
        "years": 2,
        "regimes": ["secmp0044", {"name": "later", "base": "secmp0044", "from": "2030-01-01", "set": {"threshold": 1}}],
        "parties": [{**FIVE_PARTIES["parties"][1], "srp": None, "entry": "2017-06-01"}, *FIVE_PARTIES["parties"][3:]],
    }
    child = _files(tmp_path, parent=yaml.safe_dump(data), child="extends: parent.yaml\nname: child\n")
    code, err = secsim("validate", child)
    assert code == 0 and "child.yaml: ok" in capsys.readouterr().out
    assert err.splitlines() == [
        "warning: parent.yaml: regimes[1].from: 2030-01-01 is past the horizon (it ends before 2020-01-01): its set changes "
        "nothing within it",
        "warning: parent.yaml: parties[0].entry: 2017-06-01 is before the start 2018-01-01: its initial Full is booked for "
        "the start",
    ]
    assert secsim("validate", child, "--years", "20")[1].count("warning:") == 1  # the variant's change is inside now
    code, err = secsim("run", child, "--out", tmp_path / "out", "--quiet")
    assert code == 0 and err.count("warning:") == 2 and (tmp_path / "out" / "summary.csv").exists()
    mandate = f"extends: {GB}\npopulation: {{groups: [{{name: incumbent, mandate: 2040-01-01}}]}}\n"
    assert secsim("validate", _files(tmp_path, late=mandate))[1] == (
        "warning: late.yaml: population.groups[0].mandate: 2040-01-01 is past the horizon (it ends before 2028-01-01): no "
        "missed mandate can be counted\n"
    )


# A second adversarial try (fourteenth session), of the changes above.


def test_a_childs_regime_that_is_neither_a_name_nor_a_variant_is_one_line_beside_a_parents_baselines(tmp_path):
    parent = {**FIVE_PARTIES, "baselines": {"secmp0044": "pre-secmp0044"}}
    for entry in ("5", "null", "[x]"):  # a traceback (AttributeError) while the parent's baselines were kept
        child = _files(tmp_path, parent=yaml.safe_dump(parent), child=f"extends: parent.yaml\nregimes: [secmp0044, {entry}]\n")
        assert _error(child).startswith("error: child.yaml: regimes[1]: expected a shipped regime's name or a variant")


def test_a_party_gone_before_the_start_is_refused_whatever_its_entry(tmp_path):
    """With an entry before the start too, it was booked a Full for the start, years after it had left."""
    parent = {**FIVE_PARTIES, "parties": [*FIVE_PARTIES["parties"][:3], {**FIVE_PARTIES["parties"][3], "exit": "2020-01-01"}]}
    path = _files(tmp_path, parent=yaml.safe_dump(parent))
    assert _error(path, "--start", "2021-01-01") == (
        "error: --start 2021-01-01: parties[3].exit: expected a date after the start 2021-01-01 (a party gone by then is "
        "never a User within it), got 2020-01-01\n"
    )


def test_a_warning_for_a_value_set_on_the_command_line_names_the_option_not_the_file(tmp_path):
    path = _files(tmp_path, five=yaml.safe_dump(FIVE_PARTIES))
    assert secsim("validate", path, "--set", "parties.SUP-L.entry=2010-01-01")[1] == (
        "warning: --set parties.SUP-L.entry=2010-01-01: parties[1].entry: 2010-01-01 is before the start 2018-01-01: its "
        "initial Full is booked for the start\n"
    )
    assert "warning: five.yaml: parties[1].entry" in secsim("validate", path, "--start", "2018-06-01")[1]  # the file's date


def test_no_warning_comes_before_an_error_nor_for_a_regime_the_run_leaves_out(tmp_path):
    variant = {"name": "later", "base": "secmp0044", "from": "2030-01-01", "set": {"threshold": 1}}
    path = _files(tmp_path, s=yaml.safe_dump({**FIVE_PARTIES, "regimes": ["secmp0044", variant]}))
    code, err = secsim("run", path, "--regimes", "nope", "--out", tmp_path / "out")
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: --regimes")
    code, err = secsim("run", path, "--regimes", "secmp0044", "--out", tmp_path / "out", "--quiet")
    assert code == 0 and "warning" not in err


def test_a_key_no_file_writes_is_not_named_as_another_files(tmp_path):
    """count is a default here: the weights' own file is named, and no file for the count."""
    population = (
        "population: {smart: {smets2_share: {2018-01-01: 0.1}}, groups: [{name: g, role: supplier, count: 2}], "
        "srps: {switch_rate: 0.01}}"
    )
    child = _files(
        tmp_path,
        p=f"{yaml.safe_dump({k: v for k, v in FIVE_PARTIES.items() if k != 'parties'})}{population}\n",
        c="extends: p.yaml\npopulation: {srps: {weights: [1, 2]}}\n",
        leaf="extends: c.yaml\ndescription: leaf\n",
    )
    assert _error(child) == "error: c.yaml: population.srps.weights: expected 0 weights, one per SRP, got 2\n"


def test_a_list_a_child_changes_in_part_is_named_in_the_child_that_changed_it(tmp_path):
    child = _files(
        tmp_path,
        shares=f"extends: {GB}\npopulation: {{smart: {{smets1_cohorts: [{{name: EDMI, share: 0.05}}]}}}}\n",
        leaf="extends: shares.yaml\ndescription: leaf\n",
    )
    assert _error(child) == "error: shares.yaml: population.smart.smets1_cohorts: expected shares summing to 1, got 1.01\n"


def test_a_group_too_small_for_the_srps_names_the_child_that_shrank_it(tmp_path):
    child = _files(tmp_path, child=f"extends: {GB}\npopulation: {{groups: [{{name: medium, count: 2}}]}}\n")
    assert _error(child) == (
        f"error: {GB}: population.srps.anchor_group: expected a group of at least 4 parties, one per SRP, got 2 "
        "(population.groups[0].count in child.yaml)\n"
    )


def test_a_variants_set_that_an_amendment_repeats_is_named_where_the_set_is_written(tmp_path):
    variants = [{"name": "v1", "base": "secmp0044"}, {"name": "v2", "base": "v1", "set": {"threshold": 3}, "from": "2020-01-01"}]
    child = _files(
        tmp_path,
        parent=yaml.safe_dump({**FIVE_PARTIES, "regimes": variants}),
        child="extends: parent.yaml\nregimes: [{name: v2, amendments: [{date: 2020-01-01, ref: x, set: {threshold: 2}}]}]\n",
    )
    assert _error(child) == (
        "error: child.yaml: regimes[0].amendments[0].set.threshold: set on 2020-01-01 by regimes[1].set.threshold in "
        "parent.yaml too; give it once\n"
    )


def test_a_variant_may_be_based_on_one_its_file_lists_after_it(tmp_path):
    """Merging puts the parent's v1 first; the child bases it on v3, which it lists before it."""
    child = _files(
        tmp_path,
        parent=yaml.safe_dump({**FIVE_PARTIES, "regimes": [{"name": "v1", "base": "secmp0044"}]}),
        child="extends: parent.yaml\nregimes: [{name: v3, base: secmp0044, set: {threshold: 7}}, {name: v1, base: v3}]\n",
    )
    assert secsim("validate", child)[0] == 0
    from sim.inputs.scenario import regimes

    built = {r.name: r for r in regimes(load(child))}
    assert list(built) == ["v1", "v3"] and built["v1"].lineage[-2:] == ("v3", "v1")


def test_a_short_fixed_list_says_how_many_items_it_takes(tmp_path):
    child = _files(tmp_path, child=f"extends: {GB}\npopulation: {{groups: [{{name: incumbent, entry_window: [2017-01-01]}}]}}\n")
    assert _error(child) == "error: child.yaml: population.groups[0].entry_window: expected 2 items, got 1\n"


def test_no_entry_warning_for_a_party_of_no_copies(tmp_path):
    parties = [*FIVE_PARTIES["parties"], {"id": "NONE", "role": "supplier", "premises": 5, "copies": 0, "entry": "2010-01-01"}]
    assert secsim("validate", _files(tmp_path, s=yaml.safe_dump({**FIVE_PARTIES, "parties": parties})))[1] == ""
