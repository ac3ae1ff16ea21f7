"""Tests by intent: rules. Regimes are dated data: the shipped files, sec-history's dates,
options, and variants written as diffs in a scenario file."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from sim.core.errors import InputError
from sim.inputs.scenario import regimes
from sim.law import rules as R
from sim.law.regime import BUILTINS, PARAMETERS, build, builtin

from .conftest import FIVE_PARTIES, scenario_from


@pytest.mark.parametrize("name", BUILTINS)
def test_every_value_carries_a_reference(name):
    for row in builtin(name).rows():
        assert row["ref"].strip(), f"{name}: {row['parameter']} from {row['from']} has no SEC reference"


@pytest.mark.parametrize("name", BUILTINS)
def test_every_parameter_is_defined(name):
    assert set(builtin(name).timeline) == set(PARAMETERS)


def test_secmp0044_changes_exactly_the_solution_parameters():
    """secmp0044 is solution (a)-(e) and nothing else: the diff over pre-secmp0044 is exactly these."""
    pre, new = builtin("pre-secmp0044").at(dt.date(2018, 1, 1)), builtin("secmp0044").at(dt.date(2018, 1, 1))
    changed = {
        p
        for p in PARAMETERS
        if builtin("pre-secmp0044").value(p, dt.date(2018, 1, 1))[0] != builtin("secmp0044").value(p, dt.date(2018, 1, 1))[0]
    }
    assert changed == {
        "srp_own_assessment",
        "cycles.srp.small",
        "cycles.srp.large",
        "srp_documents_copied",
        "count_basis",
        "srp_scope_in_client",
    }
    assert (pre.due_anchor, pre.due_requirement) == (new.due_anchor, new.due_requirement), "nothing later than the seed"


@pytest.mark.parametrize(
    "day,parameter,value",
    [
        (dt.date(2018, 6, 30), "count_basis", "srp_aggregate"),
        (dt.date(2018, 7, 1), "count_basis", "own"),
        (dt.date(2018, 7, 1), "srp_own_assessment", True),
        (dt.date(2019, 2, 27), "cycles.other.none", ["full", "self", "self"]),
        (dt.date(2019, 2, 28), "cycles.other.none", ["full", "verification", "self"]),
        (dt.date(2019, 2, 28), "non_domestic_threshold", 50000),
        (dt.date(2019, 7, 31), "due_anchor", "status_set"),
        (dt.date(2019, 8, 1), "due_anchor", "fieldwork_end"),
        (dt.date(2020, 2, 26), "rejected_requires_full", False),
        (dt.date(2020, 2, 27), "rejected_requires_full", True),
        (dt.date(2020, 6, 18), "due_requirement", "booked"),
        (dt.date(2019, 9, 25), "count_measure", "customers"),
        (dt.date(2019, 9, 26), "count_measure", "dcc_devices"),
        (dt.date(2020, 6, 19), "due_requirement", "completed"),
    ],
)
def test_sec_history_dates_in_force(day, parameter, value):
    """DOMAIN 4.4: SECMP0044 (default 2018-07-01), SECMP0059, SCF v1.16, MP091, SCF v2.0."""
    assert builtin("sec-history").value(parameter, day)[0] == value


def test_sec_history_implementation_date_is_an_option():
    s = scenario_from(
        FIVE_PARTIES, regimes=[{"name": "late-0044", "base": "sec-history", "options": {"secmp0044_date": "2019-01-01"}}]
    )
    late = regimes(s)[0]
    assert late.value("count_basis", dt.date(2018, 12, 31))[0] == "srp_aggregate"
    assert late.value("count_basis", dt.date(2019, 1, 1))[0] == "own"
    assert late.value("due_anchor", dt.date(2019, 8, 1))[0] == "fieldwork_end", "later changes keep their dates"


def test_threshold_variant_as_a_diff():
    s = scenario_from(
        FIVE_PARTIES, regimes=["secmp0044", {"name": "threshold-500k", "base": "secmp0044", "set": {"threshold": 500000}}]
    )
    variant = regimes(s)[1].at(dt.date(2020, 1, 1))
    assert variant.threshold == 500000
    assert R.band("srp", 400000, variant) == "small"
    assert variant.srp_own_assessment, "the rest of the base regime is kept"


def test_dated_cycle_variant():
    s = scenario_from(
        FIVE_PARTIES,
        regimes=[
            {
                "name": "four-year",
                "base": "secmp0044",
                "from": "2020-01-01",
                "set": {"cycles.supplier.small": ["full", "verification", "self", "self"]},
            }
        ],
    )
    r = regimes(s)[0]
    assert r.value("cycles.supplier.small", dt.date(2019, 12, 31))[0] == ["full", "verification", "self"]
    assert R.next_annual_type("supplier", "small", 3, r.at(dt.date(2020, 1, 1))) == "self"


def test_variant_of_a_variant():
    s = scenario_from(
        FIVE_PARTIES,
        regimes=[
            {"name": "a", "base": "secmp0044", "set": {"threshold": 500000}},
            {"name": "b", "base": "a", "set": {"due_months": 18}},
        ],
    )
    b = regimes(s)[1].at(dt.date(2020, 1, 1))
    assert (b.threshold, b.due_months) == (500000, 18)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"threshold": "big"}, "regimes[0].set.threshold: expected a positive integer"),
        ({"thresold": 5}, "regimes[0].set.thresold: unknown regime parameter"),
        ({"cycles.supplier.small": ["self", "full"]}, "a cycle starts with the entry Full"),
    ],
)
def test_bad_variant_is_a_clear_error(change, message):
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        scenario_from(FIVE_PARTIES, regimes=[{"name": "v", "base": "secmp0044", "set": change}])


def test_srp_assessment_without_srp_cycle_is_rejected():
    with pytest.raises(InputError, match="cycles.srp"):
        build(
            {"name": "x", "base": "pre-secmp0044", "amendments": [{"date": "2020-01-01", "set": {"srp_own_assessment": True}}]},
            "x.yaml",
        )


def test_adopting_a_variant_takes_what_it_and_its_base_change():
    """``adopt`` takes what the adopted regime changes over its own base, its base's changes included: a variant of
    SECMP0044 adopted in 2019 brings SECMP0044 (a)-(e) with it, and its one-off cost once."""
    s = scenario_from(
        FIVE_PARTIES,
        regimes=[
            {"name": "my44", "base": "secmp0044", "set": {"threshold": 500000}},
            {"name": "late44", "base": "pre-secmp0044", "amendments": [{"date": "2019-01-01", "adopt": "my44"}]},
        ],
    )
    late44 = regimes(s)[1]
    before, after = late44.at(dt.date(2018, 12, 31)), late44.at(dt.date(2019, 1, 1))
    assert (before.count_basis, before.srp_own_assessment, before.threshold) == ("srp_aggregate", False, 250000)
    assert (after.count_basis, after.srp_own_assessment, after.srp_scope_in_client, after.threshold) == (
        "own",
        True,
        "unless_srp_status",
        500000,
    )
    assert [(o.date, o.gbp) for o in late44.one_offs] == [(dt.date(2019, 1, 1), 1200.0)]


def test_sec_history_is_its_history_without_secmp0044_plus_secmp0044():
    """``sec-history`` = ``sec-history-without-secmp0044`` with SECMP0044 adopted on its date: they differ in exactly
    SECMP0044's parameters, and only from that date."""
    with_, without = builtin("sec-history"), builtin("sec-history-without-secmp0044")
    for day in (dt.date(2018, 6, 30), dt.date(2018, 7, 1), dt.date(2021, 1, 1)):
        differ = {p for p in PARAMETERS if with_.value(p, day)[0] != without.value(p, day)[0]}
        assert differ == (set() if day < dt.date(2018, 7, 1) else set(builtin("secmp0044").changes))


HISTORY = "sec-history-without-secmp0044"


def test_scf_v1_16_reaches_the_assessments_booked_from_1_august_2019():
    """SCF v1.16 was "effective for bookings from 1 Aug 2019" (CALIBRATION.md A5): its anchor (the previous fieldwork's end)
    rules an assessment booked from that day, whatever the transition moment of the other changes (DOMAIN.md 4.3)."""
    history = builtin(HISTORY)
    assert history.governing(dt.date(2019, 7, 15), dt.date(2019, 8, 20)).due_anchor == "status_set", "booked before"
    assert history.governing(dt.date(2019, 8, 2), dt.date(2019, 10, 25)).due_anchor == "fieldwork_end", "booked from"


def test_a_change_without_its_own_moment_follows_the_regimes_transition_moment_beside_one_that_has_it():
    """Booked before SCF v1.16 for fieldwork after SECAS's device count of 26 Sep 2019: the device count reaches it by its
    fieldwork start (the shipped reading), v1.16 does not (booked before 1 Aug); read at the booking, neither does."""
    booked, fieldwork = dt.date(2019, 7, 20), dt.date(2019, 10, 7)
    rules = builtin(HISTORY).governing(booked, fieldwork)
    assert (rules.due_anchor, rules.count_measure) == ("status_set", "dcc_devices")
    assert rules != builtin(HISTORY).at(booked) and rules != builtin(HISTORY).at(fieldwork), "a mix of the two days' rules"
    by_booking = builtin(HISTORY).with_readings({"transition_moment": "booking"}, "test").governing(booked, fieldwork)
    assert (by_booking.due_anchor, by_booking.count_measure) == ("status_set", "customers")


def test_a_regime_without_a_change_of_its_own_moment_is_ruled_as_before():
    """Only a change that names its moment is read apart: ``governing`` is then ``at`` of the day the reading names."""
    secmp = builtin("secmp0044")
    assert not secmp.moments() and builtin(HISTORY).moments()
    assert secmp.governing(dt.date(2019, 7, 20), dt.date(2019, 10, 7)) == secmp.at(dt.date(2019, 10, 7))


def test_the_run_reads_each_change_by_its_moment_on_model_days():
    """``RulesInForce`` (what a run asks) gives ``Regime.governing`` on model days, partial days included, and the same
    object each time and wherever equal rules were made already (the planner compares rules by identity)."""
    from sim.core.timeline import Timeline
    from sim.model.rules_in_force import RulesInForce

    timeline = Timeline(dt.date(2017, 1, 1), dt.date(2028, 1, 1))
    history = builtin(HISTORY)
    rules = RulesInForce(history, timeline)
    booked, fieldwork = timeline.day(dt.date(2019, 7, 20)) + 0.5, timeline.day(dt.date(2019, 10, 7)) + 0.25
    mixed = rules.governing(booked, fieldwork)
    assert mixed == history.governing(dt.date(2019, 7, 20), dt.date(2019, 10, 7))
    assert rules.governing(booked + 1, fieldwork + 1) is mixed and rules.ruling(booked, fieldwork) == (mixed, True)
    later = timeline.day(dt.date(2021, 3, 1))
    assert rules.governing(later - 84, later) is rules.at(later), "no change between: the rules of the fieldwork start"


def test_a_moment_written_on_an_adoption_is_how_the_adopted_change_reaches_an_assessment():
    """``adopt: secmp0044`` with ``moment: booking`` on 2019-03-01: booked before it for fieldwork after it, the old rules
    (the SRP no assessment of its own); booked from it, the new. Without a moment, the regime's (fieldwork)."""
    by_booking = build(
        {
            "name": "b",
            "base": "sec-history-without-secmp0044",
            "amendments": [{"date": "2019-03-01", "adopt": "secmp0044", "moment": "booking"}],
        },
        "b.yaml",
    )
    plain = build(
        {"name": "p", "base": "sec-history-without-secmp0044", "amendments": [{"date": "2019-03-01", "adopt": "secmp0044"}]},
        "p.yaml",
    )
    before, after = dt.date(2019, 2, 1), dt.date(2019, 4, 1)
    assert (by_booking.governing(before, after).srp_own_assessment, plain.governing(before, after).srp_own_assessment) == (
        False,
        True,
    )
    assert by_booking.governing(dt.date(2019, 3, 1), after).srp_own_assessment
    assert {e.moment for e in by_booking.timeline["srp_own_assessment"] if e.date == dt.date(2019, 3, 1)} == {"booking"}


def test_a_moment_on_an_amendment_that_changes_no_rule_is_refused():
    """A ``moment`` on an amendment with only one-off costs would say nothing: refused at its key, not ignored."""
    amendment = {"date": "2019-03-01", "moment": "booking", "one_off_costs": [{"component": "x", "gbp": 1}]}
    with pytest.raises(InputError, match=r"x.yaml: amendments\[0\]\.moment: .*sets and adopts nothing"):
        build({"name": "x", "base": "pre-secmp0044", "amendments": [amendment]}, "x.yaml")


def test_a_moment_on_a_change_of_the_transition_moment_itself_is_refused():
    """``transition_moment`` is what the other changes default to, read on the fieldwork day: a change of it read by
    its own moment would say one moment and be read by another (the rules said one, ``governing`` used the other)."""
    amendment = {"date": "2019-03-01", "moment": "booking", "set": {"transition_moment": "booking", "threshold": 1}}
    with pytest.raises(InputError, match=r"x.yaml: amendments\[0\]\.moment: transition_moment is the moment"):
        build({"name": "x", "base": "pre-secmp0044", "amendments": [amendment]}, "x.yaml")


def test_an_adoption_by_booking_leaves_the_adopted_transition_moment_read_as_any():
    """Adopted with a moment, a regime's entries take it, but its ``transition_moment`` entry, if it changes one, does
    not: that is still the moment the others default to."""
    change = {"date": "2018-01-01", "set": {"transition_moment": "booking", "threshold": 9}}
    adopter = build({"name": "bk", "base": "pre-secmp0044", "amendments": [change]}, "x.yaml")
    made = build(
        {"name": "x", "base": "pre-secmp0044", "amendments": [{"date": "2019-03-01", "adopt": "bk", "moment": "booking"}]},
        "x.yaml",
        known={"bk": adopter},
    )
    on = dt.date(2019, 3, 1)
    assert made.timeline["threshold"][-1].moment == "booking"
    assert [e.moment for e in made.timeline["transition_moment"] if e.date == on] == [None]


def test_a_change_read_by_its_own_moment_is_shown_so_in_regimes_csv_and_the_printed_readings(tmp_path, capsys):
    """SCF v1.16 rules by booking (its ``moment``): ``regimes.csv`` says so beside its values, and the readings a run
    prints name it beside the regime's own transition moment (they said "fieldwork" alone)."""
    import pandas as pd
    import yaml

    from sim.cli import main

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**FIVE_PARTIES, "start": "2019-01-01", "years": 2, "regimes": ["secmp0044", HISTORY]}))
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 0
    table = pd.read_csv(tmp_path / "out" / "regimes.csv", keep_default_na=False)
    v116 = table[(table.regime == HISTORY) & (table["from"] == "2019-08-01")]
    assert set(v116.parameter) == {"due_anchor"} and set(v116.moment) == {"booking"}
    assert set(table[table.regime == "secmp0044"].moment) == {""}
    printed = capsys.readouterr().out
    assert f"fieldwork (a reading), but by booking its change of 2019-08-01 to due_anchor in {HISTORY}" in printed


def test_a_change_by_its_own_moment_before_the_horizon_is_not_named():
    """Every assessment of a horizon is booked after a change that came before it, so reached by either moment: the
    readings name SCF v1.16's booking moment for a horizon it falls in, not for one from 2022 (fourth review, F4)."""
    from sim.law.readings import readings_in_force

    history = builtin(HISTORY)
    assert [c["from"] for c in readings_in_force([history], dt.date(2019, 1, 1))[HISTORY]["own_moments"]] == ["2019-08-01"]
    assert readings_in_force([history], dt.date(2022, 1, 1))[HISTORY]["own_moments"] == []


def test_a_variant_may_assess_an_srp_every_two_years_and_its_users_as_before():
    """``srp_interval_months`` (a variant's; the SEC has none: G8.40/G8.41 give an SRP's own assessment the 12-month rule
    of any User's): an SRP's own fieldwork starts keep that many months apart and are due as many months from the
    anchor, while its Users' are as they were (a newcomer asked "what if SRPs were assessed only every two years?")."""
    from .conftest import assessments

    biennial = [
        *FIVE_PARTIES["regimes"],
        {"name": "biennial", "base": "secmp0044", "set": {"srp_interval_months": 24}},
        {"name": "from-fieldwork", "base": "biennial", "set": {"due_anchor": "fieldwork_end"}},
    ]
    table = assessments({**FIVE_PARTIES, "years": 8}, regimes=biennial)
    srp, users = table[table.party_id == "SRP-1"], table[table.party_id != "SRP-1"]
    starts = {r: pd.to_datetime(srp[srp.regime == r].fieldwork_start) for r in ("secmp0044", "biennial")}
    assert len(starts["biennial"]) < len(starts["secmp0044"])
    assert starts["secmp0044"].diff().dt.days.dropna().between(330, 400).all()
    assert starts["biennial"].diff().dt.days.dropna().between(690, 760).all()
    annual = srp[(srp.regime == "biennial") & (srp.trigger == "annual")]
    anchors = pd.to_datetime(srp[srp.regime == "biennial"].status_date).shift(1)[annual.index]
    assert (pd.to_datetime(annual.due_date) - anchors).dt.days.between(725, 735).all()  # 24 months from the status
    own = srp[srp.regime == "from-fieldwork"]
    assert len(annual) >= 2 and (own.trigger == "annual").sum() >= 2
    ends = pd.to_datetime(own.fieldwork_end).shift(1)[own.trigger == "annual"]
    assert (pd.to_datetime(own[own.trigger == "annual"].due_date) - ends).dt.days.between(725, 735).all()  # SCF v1.16
    mine = ["party_id", "type", "fieldwork_start", "due_date", "cio_days"]
    off = users[users.party_id.isin(["NET-1", "OTH-1"])]
    kept = {r: off[off.regime == r][mine].reset_index(drop=True) for r in ("secmp0044", "biennial")}
    assert len(kept["biennial"]) > 10 and kept["biennial"].equals(kept["secmp0044"]), "the Users off the SRP are as before"
    assert "srp_interval_months" in PARAMETERS


def test_an_srp_interval_in_a_regime_where_srps_are_never_assessed_alone_is_refused():
    """It was accepted and changed nothing (an adversarial try: results identical to pre-secmp0044, exit 0): SRPs have no
    assessment of their own there to space out (seed s.2), so the variant is a mistake to say, not a run to make."""
    variant = {"name": "v", "base": "pre-secmp0044", "set": {"srp_interval_months": 24}}
    with pytest.raises(InputError, match=r"srp_interval_months is set from 1900-01-01 but SRPs never have an assessment"):
        scenario_from(FIVE_PARTIES, regimes=["pre-secmp0044", variant])
    scenario_from(FIVE_PARTIES, regimes=["pre-secmp0044", {**variant, "base": "secmp0044"}])  # where they do: fine
