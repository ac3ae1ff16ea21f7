"""Tests by intent: validation. Small deterministic runs through the whole model, one per rule the seed
states and the model once read otherwise: every User on a large SRP is Full every year before SECMP0044
(s.2, s.4); "scheduled" is booked, and the CIO's queue is a capacity finding (s.7); no reliance on a lapsed
SRP status (e, s.7); one transition moment for an SRP and its Users (s.6, s.7); the £1,200 (s.1, s.5)."""

from __future__ import annotations

import pandas as pd
import pytest

from .conftest import assessments, run, scenario_from

BASE = {"name": "seed-clause", "start": "2018-01-01", "years": 3, "deterministic": True}


def _rows(table: pd.DataFrame, party: str, regime: str | None = None) -> pd.DataFrame:
    rows = table[(table.party_id == party) & (table.trigger != "ssc_request")]
    return rows if regime is None else rows[rows.regime == regime]


def test_seed_s2_s4_a_network_party_on_a_large_srp_is_full_every_year_before_secmp0044():
    """Seed s.2 ("each DCC User Using that Shared Resource Provider ... as though they were a Large Supplier") and s.4
    (Network Operators "benefit in a similar way to Small Suppliers"): Full, Full, Full before; Full, Verification,
    Self under SECMP0044 (d), banded on its own 40,000."""
    table = assessments(
        {
            **BASE,
            "regimes": ["pre-secmp0044", "secmp0044"],
            "parties": [
                {"id": "SRP-1", "role": "srp"},
                {"id": "SUP-L", "role": "supplier", "premises": 300000, "srp": "SRP-1"},
                {"id": "NET-1", "role": "network", "premises": 40000, "srp": "SRP-1"},
            ],
        }
    )
    assert list(_rows(table, "NET-1", "pre-secmp0044").type) == ["full", "full", "full"]
    assert set(_rows(table, "NET-1", "pre-secmp0044").premises_counted) == {340000}
    assert list(_rows(table, "NET-1", "secmp0044").type) == ["full", "verification", "self"]


SMALL, LARGE = ["full", "verification", "self"], ["full", "full", "full"]


def _on_one_srp(of: str, supplier: int, network: int, premises: object = None) -> dict:
    """SRP-1 serving a Supplier SUP-1 and a Network Party NET-1 of the premises given, under the aggregate reading ``of``."""
    return {
        **BASE,
        "regimes": ["pre-secmp0044", "secmp0044"],
        "readings": {"aggregate_of": of},
        "parties": [
            {"id": "SRP-1", "role": "srp"},
            {"id": "SUP-1", "role": "supplier", "premises": premises or supplier, "srp": "SRP-1"},
            {"id": "NET-1", "role": "network", "premises": network, "srp": "SRP-1"},
        ],
    }


@pytest.mark.parametrize(
    "of, supplier, network, srp",
    [
        ("users", (300000, LARGE), (300000, LARGE), (300000, LARGE)),
        ("suppliers", (200000, SMALL), (300000, LARGE), (200000, SMALL)),
    ],
)
def test_seed_s2_an_srps_aggregate_sums_every_users_premises_or_its_suppliers_alone_as_read(of, supplier, network, srp):
    """Seed s.2 counts "the Domestic Premises served by other DCC Users" of the SRP (every User, shipped: ``users``)
    but s.1 calls it the Shared Resource that "in aggregate, supplies gas or electricity" (Suppliers only:
    ``suppliers``). A 200,000 Supplier and a 100,000 Network Party on one SRP: before SECMP0044 each is counted at
    300,000 and Full every year; or the Supplier at the Suppliers' 200,000, Small, and the Network Party at its own
    beside them (a party's count always holds its own premises); under SECMP0044 (a) the SRP's own band follows the
    same sum."""
    table = assessments(_on_one_srp(of, 200000, 100000))
    for party, (counted, types) in (("SUP-1", supplier), ("NET-1", network)):
        old = _rows(table, party, "pre-secmp0044")
        assert set(old.premises_counted) == {counted} and list(old.type) == types, party
    own = _rows(table, "SRP-1", "secmp0044")
    assert set(own.premises_counted) == {srp[0]} and list(own.type) == srp[1]


def test_seed_table_a_large_network_party_on_an_srp_of_small_suppliers_is_large_under_either_reading():
    """The seed's table: a Network Party over 250,000 is Large (Full, Verification, Verification). On an SRP whose
    Suppliers supply 100,000, counted at their sum alone it was banded Small (review of the reading): its own
    2,000,000 are part of its count under every reading, so it is Full every year before SECMP0044 (s.2) and Large on
    its own under it (SECMP0044 (d))."""
    for of in ("users", "suppliers"):
        table = assessments(_on_one_srp(of, 100000, 2000000))
        assert set(_rows(table, "NET-1", "pre-secmp0044").premises_counted) == {2100000}, of
        assert list(_rows(table, "NET-1", "pre-secmp0044").type) == LARGE, of
        assert list(_rows(table, "NET-1", "secmp0044").type) == ["full", "verification", "verification"], of
        srp = _rows(table, "SRP-1", "secmp0044")
        assert set(srp.premises_counted) == ({2100000} if of == "users" else {100000}), of


@pytest.mark.parametrize("of", ["users", "suppliers"])
def test_seed_s2_an_srps_first_assessment_counts_the_users_joining_it_that_its_aggregate_sums(of):
    """An SRP's first own assessment (SECMP0044 (a)), booked before its Users enter, counts those joining it by its
    fieldwork: a 200,000 Supplier and a 100,000 Network Party, or under ``suppliers`` the Supplier alone."""
    table = assessments(
        {
            **BASE,
            "regimes": ["secmp0044"],
            "readings": {"aggregate_of": of},
            "parties": [
                {"id": "SRP-1", "role": "srp", "entry": "2018-03-01"},
                {"id": "SUP-1", "role": "supplier", "premises": 200000, "srp": "SRP-1", "entry": "2018-09-01"},
                {"id": "NET-1", "role": "network", "premises": 100000, "srp": "SRP-1", "entry": "2018-09-01"},
            ],
        }
    )
    first = _rows(table, "SRP-1").iloc[0]
    assert first.premises_counted == (300000 if of == "users" else 200000)


@pytest.mark.parametrize("of", ["users", "suppliers"])
def test_seed_s2_a_crossing_is_found_on_the_aggregate_the_reading_sums(of):
    """The Supplier grows from 200,000 to 260,000 in 2019 beside a 100,000 Network Party: summed with it, the SRP
    was above 250,000 all along (no crossing); of its Suppliers alone, it crosses then, and the Supplier with it (the
    Network Party, counted at its own beside the Suppliers', was above all along)."""
    from .conftest import run

    scenario = scenario_from(_on_one_srp(of, 200000, 100000, {"2018-01-01": 200000, "2019-06-01": 260000}))
    crossings = run(scenario, progress=False).tables["crossings"]
    found = {(r.regime, r.party_id, r.date, r.premises_counted) for r in crossings.itertuples() if r.band_to == "large"}
    if of == "users":  # SECMP0044 (d): the Supplier crosses on its own 260,000 either way
        assert found == {("secmp0044", "SUP-1", "2019-06-01", 260000)}
    else:
        assert found == {
            ("pre-secmp0044", "SUP-1", "2019-06-01", 260000),
            ("secmp0044", "SUP-1", "2019-06-01", 260000),
            ("secmp0044", "SRP-1", "2019-06-01", 260000),
        }


def test_seed_s7_a_booking_in_time_with_fieldwork_after_the_due_date_is_not_late():
    """Seed s.7: "The SEC does not define the period between the scheduling and the actual User Security Assessment".
    One CIO team; four entrants book for December 2018, a month before U0's anniversary, and their entry Fulls hold
    the team until mid-2019: U0's annual fieldwork starts months after its due date (March 2019). Booked in time, it
    is not late (G8.41 read as booked) but is in the capacity finding; read as started, it is late."""
    parties = [{"id": "U0", "role": "supplier", "premises": 1000, "entry": "2018-01-01"}]
    parties += [{"id": f"U{i}", "role": "supplier", "premises": 1000, "entry": "2018-12-01"} for i in range(1, 5)]
    data = {
        **BASE,
        "regimes": ["pre-secmp0044"],
        "parties": parties,
        "cio": {"teams": 1},
        "ssc": {"items_per_meeting": 10},
        "durations": {"fieldwork_days": {"full": 30, "verification": 30, "self": 30, "follow_up": 2}},
    }
    booked = assessments(data)
    annual = booked[booked.trigger == "annual"]
    assert (annual.late == False).all()  # noqa: E712
    pushed = annual[annual.pushed_past_due == True]  # noqa: E712
    assert "U0#2" in set(pushed.assessment_id)
    assert (pd.to_datetime(pushed.fieldwork_start) > pd.to_datetime(pushed.due_date)).all()
    assert (pd.to_datetime(pushed.determination_date) <= pd.to_datetime(pushed.due_date)).all(), "booked by the due date"
    started = assessments(data, readings={"due_requirement": "started"})
    assert set(started[started.late == True].assessment_id) == set(pushed.assessment_id)  # noqa: E712


LAPSE = {
    **BASE,
    "years": 4,
    "regimes": ["secmp0044"],
    "parties": [
        {"id": "SRP-1", "role": "srp"},
        {"id": "A", "role": "supplier", "premises": 300000, "srp": "SRP-1", "entry": "2018-01-01", "exit": "2019-03-01"},
        {"id": "B", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2020-09-01"},
    ],
}


def test_clause_e_seed_s7_no_reliance_on_a_lapsed_srp_status_and_the_srp_restarts_with_an_entry_full():
    """An SRP without Users from March 2019 misses its 2020 cycle (its status, set early 2019, lapses a year on).
    Its next User, from September 2020, cannot rely on that status: its entry Full covers the SRP part, and the
    SRP itself starts again with an entry Full. One rule (``rules.status_current``) decides both."""
    table = assessments(LAPSE)
    srp = _rows(table, "SRP-1")
    assert list(zip(srp.fieldwork_start, srp.trigger, strict=True)) == [
        ("2018-01-01", "entry"),
        ("2019-01-01", "annual"),
        ("2020-09-01", "entry"),
        ("2021-09-01", "annual"),
    ]
    b_entry = _rows(table, "B").iloc[0]
    assert b_entry.fieldwork_start == "2020-09-01" and bool(b_entry.includes_srp_scope)


def test_clause_e_a_status_still_current_is_relied_on_and_the_srp_keeps_its_cycle():
    """The same SRP with a gap of three months inside its window: the status set in 2019 is current when the next
    User arrives, who relies on it, and the SRP's next assessment is its annual Verification (cycle year 2)."""
    gap = {
        **LAPSE,
        "parties": [
            LAPSE["parties"][0],
            {**LAPSE["parties"][1], "exit": "2019-09-01"},
            {**LAPSE["parties"][2], "entry": "2019-12-01"},
        ],
    }
    table = assessments(gap)
    srp = _rows(table, "SRP-1")
    assert list(zip(srp.trigger, srp.type, strict=True))[:3] == [
        ("entry", "full"),
        ("annual", "full"),
        ("annual", "verification"),
    ]
    assert not bool(_rows(table, "B").iloc[0].includes_srp_scope)


def _one_team_srp(entry_b: str, fillers: str, copies: int) -> dict:
    """An SRP and two small clients on one CIO team; ``copies`` Large fillers entering on ``fillers`` push the SRP's
    second assessment back in the team's queue."""
    return {
        **BASE,
        "start": "2017-10-01",
        "regimes": ["secmp0044"],
        "cio": {"teams": 1},
        "parties": [
            {"id": "SRP-1", "role": "srp"},
            {"id": "SUP-A", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2018-01-01"},
            {"id": "SUP-B", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": entry_b},
            {"id": "FIL", "role": "supplier", "premises": 400000, "entry": fillers, "copies": copies},
        ],
    }


V2 = {"name": "v2", "base": "secmp0044", "set": {"due_anchor": "fieldwork_end", "due_requirement": "completed"}}
"""SECMP0044 with SCF v1.16's window from the fieldwork end and SCF v2.0's "completed", as sec-history has from 2020."""


def test_clause_e_a_lapsed_srp_status_is_not_relied_on_again_before_the_ssc_sets_the_next():
    """The 12-month window from the fieldwork end (SCF v1.16) and "completed" (SCF v2.0), as sec-history has from
    2020: the SRP's second assessment ends after its due date, so its first status lapses then. A User starting
    after the SRP's report but before the SSC's new status has nothing current to rely on, as one starting before
    the report has not: both cover the SRP part (the next due date, planned at the report, waits for that status)."""
    data = _one_team_srp("2018-02-20", "2018-12-15", 2)
    data["regimes"] = [V2]
    table = assessments(data).set_index("assessment_id")
    srp = table.loc["SRP-1#2"]
    assert bool(srp.late) and srp.due_date < srp.fieldwork_end < srp.report_date < srp.status_date
    before, after = table.loc["SUP-A#2"], table.loc["SUP-B#2"]
    assert srp.due_date < before.requested_start < srp.report_date < after.requested_start < srp.status_date
    assert bool(before.includes_srp_scope) and bool(after.includes_srp_scope)


def test_clause_e_a_lapsed_status_stays_lapsed_however_long_the_ssc_takes_to_set_the_next():
    """The same late SRP assessment, its status set only after a year (a 340-day response stands for a backlog): its
    next assessment, booked in time meanwhile, keeps in force the status it follows, which is not yet set; the one in
    force, from the year before, has lapsed, so a User starting before the SSC catches up covers the SRP part."""
    data = _one_team_srp("2018-02-20", "2018-12-15", 2)
    data.update(regimes=[V2], durations={"management_response_days": 340})
    table = assessments(data).set_index("assessment_id")
    late, next_, user = table.loc["SRP-1#2"], table.loc["SRP-1#3"], table.loc["SUP-A#3"]
    assert bool(late.late) and not bool(next_.late)
    assert late.due_date < next_.requested_start < user.requested_start < late.status_date
    assert bool(user.includes_srp_scope)


def test_clause_e_a_follow_ups_status_does_not_bring_in_a_later_assessments_due_date():
    """Every first review Deferred, every Follow-up Approved, 295 days to a Follow-up: the Follow-up of the SRP's entry
    Full passes after the report of its late annual and before that annual's status. The status in force is the entry
    Full's, passed now but lapsed at the late annual's due date; the annual's own due date is not yet in force, so a
    User starting then covers the SRP part."""
    data = _one_team_srp("2018-02-20", "2018-12-10", 2)
    data["parties"].append({"id": "SUP-C", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2018-03-10"})
    data.pop("deterministic")
    data.update(
        regimes=[V2],
        durations={
            "management_response_days": 20,
            "follow_up_delay_days": 295,
            "fieldwork_days": {"full": 6, "verification": 3, "self": 1.5, "follow_up": 2},
            "report_days": {"full": 6, "verification": 3, "self": 1, "follow_up": 2},
        },
        ssc={
            "outcomes": {"approved": 0.0, "approved_subject_to": 0.0, "deferred": 1.0, "rejected": 0.0},
            "follow_up_outcomes": {"approved": 1.0, "approved_subject_to": 0.0, "deferred": 0.0, "rejected": 0.0},
        },
    )
    table = assessments(data).set_index("assessment_id")
    follow_up, late, user = table.loc["SRP-1#2"], table.loc["SRP-1#3"], table.loc["SUP-C#3"]
    assert follow_up.trigger == "ssc_request" and follow_up.status == "approved" and bool(late.late)
    assert late.due_date < late.report_date < follow_up.status_date < user.requested_start < late.status_date
    assert bool(user.includes_srp_scope)


def test_clause_e_an_srp_assessment_booked_to_start_in_time_keeps_its_status_in_force_until_its_report():
    """Read as "started" (G8.41), an SRP whose fieldwork is booked with the CIO to start by its due date keeps its
    status in force: a User starting after that due date but before the SRP's report relies on it, as under the
    "booked" reading. The reading changes what is called late, not whether a status that met it is relied on."""
    data = _one_team_srp("2018-02-25", "2018-12-25", 3)
    started = assessments(data, readings={"due_requirement": "started"}).set_index("assessment_id")
    srp, user = started.loc["SRP-1#2"], started.loc["SUP-B#2"]
    assert srp.fieldwork_start <= srp.due_date < user.requested_start < srp.report_date and not bool(srp.late)
    assert not bool(user.includes_srp_scope)
    booked = assessments(data).set_index("assessment_id")
    assert booked.includes_srp_scope.equals(started.includes_srp_scope)


def test_clause_e_an_srp_back_from_a_gap_restarts_by_the_rule_its_clients_rely_by():
    """One currency rule for a client's reliance and for an SRP that went without Users: read as "started", the SRP
    whose status is due in February 2019 and whose next User enters in April cannot start by then, so its status has
    lapsed for that User (who covers the SRP part) and the SRP starts again with an entry Full. Read as "booked", it
    books by its due date: its status is current, relied on, and its cycle goes on."""
    data = {
        **BASE,
        "start": "2017-10-01",
        "regimes": ["secmp0044"],
        "parties": [
            {"id": "SRP-1", "role": "srp"},
            {"id": "SUP-A", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2018-01-01", "exit": "2018-09-01"},
            {"id": "SUP-B", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2019-04-01"},
        ],
    }
    for reading, trigger, covered in (("started", "entry", True), ("booked", "annual", False)):
        table = assessments(data, readings={"due_requirement": reading}).set_index("assessment_id")
        back, user = table.loc["SRP-1#2"], table.loc["SUP-B#1"]
        assert back.determination_date <= "2019-02-22" < back.requested_start == "2019-04-01", reading
        assert (back.trigger, bool(user.includes_srp_scope), bool(back.late)) == (trigger, covered, False), reading


TRANSITION = {
    **BASE,
    "parties": [
        {"id": "SRP-1", "role": "srp"},
        {"id": "SUP-L", "role": "supplier", "premises": 300000, "srp": "SRP-1", "entry": "2018-01-01"},
        {"id": "SUP-S", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2018-03-15"},
    ],
}


RETIMED_PARTIES = [
    *TRANSITION["parties"],
    {"id": "SUP-T", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2018-02-10"},
]
"""With SUP-T, whose annual Full is booked for 10 February 2019, just before SECMP0044's date in these tests."""


@pytest.mark.parametrize("moment", ["fieldwork", "booking"])
def test_seed_s6_an_srp_and_its_user_either_side_of_the_change_follow_the_same_moment(moment):
    """SECMP0044 in force on 2019-03-01. SUP-S books its second assessment in December 2018 for 15 March 2019.
    Under the ``fieldwork`` moment (shipped) both it and SRP-1's first own assessment follow the new rules from
    fieldwork on the change date: SUP-S has a Verification (banded on its own 100,000), and SRP-1's own Full starts
    on 1 March, booked before it. Under ``booking`` both follow the rules of their booking day: SUP-S a Full under
    the old rules, and SRP-1's first own assessment is booked on 1 March, for fieldwork a booking lead later."""
    regime = {
        "name": moment,
        "base": "sec-history",
        "options": {"secmp0044_date": "2019-03-01"},
        "set": {"transition_moment": moment},
    }
    table = assessments({**TRANSITION, "regimes": [regime]})
    second = _rows(table, "SUP-S").iloc[1]
    first_own = _rows(table, "SRP-1").iloc[0]
    assert second.determination_date < "2019-03-01" <= second.fieldwork_start
    if moment == "fieldwork":
        assert (second.type, second.premises_counted) == ("verification", 100000)
        assert first_own.fieldwork_start == "2019-03-01" and first_own.determination_date < "2019-03-01"
    else:
        assert (second.type, second.premises_counted) == ("full", 400000)
        assert first_own.determination_date == "2019-03-01" and first_own.fieldwork_start > "2019-05-01"


SUP_X = {"id": "SUP-X", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2018-09-15"}
"""A Small Supplier on SRP-1 whose second assessment is booked before SRP-1's first own status and fielded after it."""


def test_seed_s6_secmp0044_adopted_by_booking_gives_the_srp_its_own_assessment_from_the_first_booking_after_it():
    """SECMP0044 adopted on 2019-03-01 with ``moment: booking`` (a variant naming the change's own moment, whatever the
    regime's): SRP-1's first own assessment is booked on 1 March, for fieldwork a booking lead later, exactly as with
    the ``booking`` transition moment for the whole regime, and its Users' SRP part is decided at their booking too.
    (The planner once stepped to the next change by the regime's moment, fieldwork, where the change is read by
    booking, and the SRP was never assessed; the part was decided at the fieldwork start.)"""
    adopted = {
        "name": "adopted-by-booking",
        "base": "sec-history-without-secmp0044",
        "amendments": [{"date": "2019-03-01", "adopt": "secmp0044", "moment": "booking"}],
    }
    whole = {"name": "booking", "base": "sec-history", "options": {"secmp0044_date": "2019-03-01"}}
    whole["set"] = {"transition_moment": "booking"}
    table = assessments({**TRANSITION, "parties": [*TRANSITION["parties"], SUP_X], "regimes": [adopted, whole]})
    own, reference = _rows(table, "SRP-1", "adopted-by-booking"), _rows(table, "SRP-1", "booking")
    assert len(own) >= 2 and own.iloc[0].determination_date == "2019-03-01" < own.iloc[0].fieldwork_start
    assert own.iloc[0].fieldwork_start == reference.iloc[0].fieldwork_start
    # SUP-X's second assessment, booked on 23 June 2019 (the new rules' test already) for 15 September: SRP-1's first
    # status comes on 22 July, between the two. Read by booking, as the change is, the part is decided at the booking,
    # when the SRP had no status to rely on, so it is in: as with the regime read by booking. (It was decided at the
    # fieldwork start, the regime's moment, and left out.)
    user, user_reference = _rows(table, "SUP-X", "adopted-by-booking").iloc[1], _rows(table, "SUP-X", "booking").iloc[1]
    assert own.iloc[0].status_date == "2019-07-22"
    assert (user.determination_date, user.fieldwork_start) == ("2019-06-23", "2019-09-15")
    assert bool(user.includes_srp_scope) and bool(user_reference.includes_srp_scope)


def test_seed_s7_the_ssc_retimes_a_user_whose_assessment_falls_just_before_the_change():
    """``transition_retime_days``: SUP-T's annual Full under the old rules, booked for 10 February 2019, moves to
    1 March (SECMP0044's date, not SECMP0059's of 28 February, which changes nothing for it): a Verification."""
    regimes = [
        {"name": "plain", "base": "sec-history", "options": {"secmp0044_date": "2019-03-01"}},
        {
            "name": "retimed",
            "base": "sec-history",
            "options": {"secmp0044_date": "2019-03-01"},
            "set": {"transition_retime_days": 30},
        },
    ]
    table = assessments({**TRANSITION, "parties": RETIMED_PARTIES, "regimes": regimes})
    plain, retimed = _rows(table, "SUP-T", "plain").iloc[1], _rows(table, "SUP-T", "retimed").iloc[1]
    assert (plain.fieldwork_start, plain.type, bool(plain.retimed)) == ("2019-02-10", "full", False)
    assert (retimed.fieldwork_start, retimed.type, bool(retimed.retimed), bool(retimed.late)) == (
        "2019-03-01",
        "verification",
        True,
        False,
    )


def test_seed_s5_the_implementation_cost_appears_once_in_the_year_of_the_change():
    """Seed s.1, s.5: about £1,200 of SECAS effort, paid by SECCo, once, in 2018 for sec-history (2018-07-01); never
    for the regimes without SECMP0044, nor for ``secmp0044``, whose change is law before any horizon (a sunk cost)."""
    result = run(
        scenario_from(
            {
                **TRANSITION,
                "start": "2017-01-01",
                "years": 4,
                "regimes": ["pre-secmp0044", "secmp0044", "sec-history-without-secmp0044", "sec-history"],
            }
        ),
        progress=False,
    )
    costs = result.tables["costs"]
    one_off = costs[costs.component == "implementation"]
    assert sorted(zip(one_off.regime, one_off.year, one_off.cost_gbp, one_off.payer_role, strict=True)) == [
        ("sec-history", 2018, 1200.0, "secco")
    ]
    yearly = result.tables["yearly"]
    secco = yearly[(yearly.metric == "cost_gbp") & (yearly.role == "secco") & (yearly.type == "all")]
    assert sorted(zip(secco.regime, secco.year, secco.value, strict=True)) == [("sec-history", 2018, 1200.0)]
    later = run(scenario_from({**TRANSITION, "start": "2019-01-01", "regimes": ["sec-history"]}), progress=False)
    assert (later.tables["costs"].component != "implementation").all(), "a change of 2018 is sunk in a 2019 horizon"


def test_seed_s7_retiming_under_the_booking_moment_changes_nothing():
    """Under ``transition_moment: booking`` a fieldwork moved to the change date would still follow the rules of its
    booking, so the SSC's re-timing has nothing to offer and nothing moves."""
    regime = {
        "name": "booking",
        "base": "sec-history",
        "options": {"secmp0044_date": "2019-03-01"},
        "set": {"transition_retime_days": 30, "transition_moment": "booking"},
    }
    second = _rows(assessments({**TRANSITION, "parties": RETIMED_PARTIES, "regimes": [regime]}), "SUP-T").iloc[1]
    assert (second.fieldwork_start, second.type, bool(second.retimed)) == ("2019-02-10", "full", False)


def test_seed_s7_under_scf_v2_an_assessment_is_planned_by_the_rule_that_judges_it():
    """SCF v2.0 (2020-06-19): "completed within 12 months of the previous fieldwork end". An assessment whose fieldwork
    falls after the change is judged by it, so it is planned by it (to finish inside the window): with ample capacity
    no assessment is late, either side of the change."""
    parties = [
        {"id": f"U{i}", "role": "supplier", "premises": 1000, "entry": f"2018-{m:02d}-01"} for i, m in enumerate(range(1, 13))
    ]
    table = assessments(
        {
            **BASE,
            "start": "2018-01-01",
            "years": 5,
            "regimes": ["sec-history-without-secmp0044"],
            "parties": parties,
            "cio": {"teams": 12},
        }
    )
    annual = table[table.trigger == "annual"]
    assert set(annual.due_requirement) == {"booked", "completed"}
    assert (annual.late == False).all(), annual[annual.late == True][["assessment_id", "due_date", "fieldwork_end"]]  # noqa: E712


@pytest.mark.parametrize(
    "base, in_scope, early",
    [
        ("pre-secmp0044", {"SUP-S": True, "SUP-O": False}, set()),
        ("secmp0044", {"SRP-1": False, "SUP-S": False, "SUP-O": False}, {"SUP-S#2"}),
    ],
)
def test_seed_s7_under_completed_a_party_plans_for_the_fieldwork_its_assessment_will_have(base, in_scope, early):
    """Planned by the rule that judges it ("completed", SCF v2.0), an assessment aims to end ``scheduling.margin_days``
    (14) before its due date, which needs the fieldwork it will have as things stand when it is planned: a User on an
    SRP whose part is in scope (before SECMP0044, always) expects that part too; a User with its own User System, an
    SRP's own assessment and (under SECMP0044) a client relying on its SRP do not, so they do not start early by the
    SRP part's days. Dates are whole days, hence 13-15. ``early``: planned (at its entry Full's report) before the SRP
    had a status to rely on, so with its part, which its fieldwork then left out: 16-18."""
    data = {
        **BASE,
        "years": 4,
        "regimes": [{"name": "v2", "base": base, "set": {"due_anchor": "fieldwork_end", "due_requirement": "completed"}}],
        "cio": {"teams": 4},
        "parties": [
            {"id": "SRP-1", "role": "srp"},
            {"id": "SUP-S", "role": "supplier", "premises": 100000, "srp": "SRP-1"},
            {"id": "SUP-O", "role": "supplier", "premises": 100000},
        ],
    }
    annual = assessments(data).query("trigger == 'annual'")
    ahead = (pd.to_datetime(annual.due_date) - pd.to_datetime(annual.fieldwork_end)).dt.days
    assert set(annual.party_id) == set(in_scope) and len(annual) >= 3 * len(in_scope)
    assert {p: set(rows.includes_srp_scope) for p, rows in annual.groupby("party_id")} == {p: {v} for p, v in in_scope.items()}
    planned_early = annual.assessment_id.isin(early)
    assert planned_early.sum() == len(early) and ahead[planned_early].between(16, 18).all()
    shown = annual.assign(ahead=ahead)[["assessment_id", "fieldwork_end", "due_date", "ahead"]]
    assert ahead[~planned_early].between(13, 15).all(), shown


def test_clause_a_an_srp_booked_before_its_users_enter_is_banded_on_those_it_is_assessed_to_serve():
    """SECMP0044 (a): an SRP's own assessment, banded by its aggregate. Ascertained at booking (G8.49), 12 weeks
    before the fieldwork, an SRP's first assessment comes before its first User is one, as an entrant User's does
    before it is among its SRP's Users (whose own are counted then): the SRP counts the Users entering by its
    fieldwork start. So its entry Full is Large with a Large client, and after a gap without Users its next
    assessment, for a Large client still to enter, is a Full, not the Self-Assessment a count of none would give."""
    first = assessments(
        {
            **BASE,
            "regimes": ["secmp0044"],
            "parties": [
                {"id": "SRP-1", "role": "srp"},
                {"id": "SUP-L", "role": "supplier", "premises": 300000, "srp": "SRP-1", "entry": "2018-06-01"},
                {"id": "SUP-S", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2018-07-01"},
            ],
        }
    ).set_index("assessment_id")
    entry = first.loc["SRP-1#1"]
    assert entry.determination_date < "2018-06-01" == entry.requested_start
    assert (entry.premises_counted, entry.band) == (300000, "large"), "SUP-S enters after the fieldwork: not counted"
    srp, a, b = LAPSE["parties"]
    gap = {
        **LAPSE,
        "parties": [srp, {**a, "premises": 100000, "exit": "2019-09-01"}, {**b, "premises": 300000, "entry": "2019-12-01"}],
    }
    gap = assessments(gap).set_index("assessment_id")
    resumed = gap.loc["SRP-1#3"]
    assert resumed.trigger == "annual" and resumed.determination_date < "2019-12-01" < resumed.requested_start
    assert (resumed.type, resumed.premises_counted, resumed.band) == ("full", 300000, "large")


def test_seed_s7_a_retimed_assessments_due_date_follows_the_rules_it_is_ruled_by():
    """Re-timed from 10 February to 1 March 2019 (SECMP0044's date, ``transition_retime_days``), SUP-T's assessment was
    booked in 2018, before a change of 1 January 2019 read by booking (``moment: booking``) that asks for assessments to
    be completed by their due date: it is not under that change, so its due date stays 12 months from its last status
    (G8.41), not moved to the end of its expected fieldwork (as the rules in force on 1 March alone would say)."""
    regime = {
        "name": "retimed",
        "base": "sec-history",
        "options": {"secmp0044_date": "2019-03-01"},
        "set": {"transition_retime_days": 30},
        "amendments": [{"date": "2019-01-01", "moment": "booking", "set": {"due_requirement": "completed"}}],
    }
    fieldwork = {"full": 6, "verification": 60, "self": 1.5, "follow_up": 2}  # working days: a long Verification
    table = assessments(
        {**TRANSITION, "parties": RETIMED_PARTIES, "regimes": [regime], "durations": {"fieldwork_days": fieldwork}}
    )
    moved = _rows(table, "SUP-T").iloc[1]
    assert (moved.fieldwork_start, bool(moved.retimed), moved.due_requirement) == ("2019-03-01", True, "booked")
    first = _rows(table, "SUP-T").iloc[0]
    assert moved.due_date == f"{int(first.status_date[:4]) + 1}{first.status_date[4:]}" < "2019-05-01", "12 months on"


def test_seed_s7_a_retimed_assessments_due_date_is_counted_by_the_months_of_the_rules_it_is_moved_under():
    """Re-timed from 10 February to 1 March 2019, SUP-T's assessment is ruled by the rules of 1 March, which (with
    SECMP0044) give 18 months from the last status (G8.41): its due date is 18 months on, not the 12 it was planned by
    (a moved assessment's due date was only ever put later to its new start, never counted again)."""
    regime = {
        "name": "retimed",
        "base": "sec-history",
        "options": {"secmp0044_date": "2019-03-01"},
        "set": {"transition_retime_days": 30},
        "amendments": [{"date": "2019-03-01", "set": {"due_months": 18}}],
    }
    table = assessments({**TRANSITION, "parties": RETIMED_PARTIES, "regimes": [regime]})
    first, moved = _rows(table, "SUP-T").iloc[0], _rows(table, "SUP-T").iloc[1]
    assert (moved.fieldwork_start, bool(moved.retimed)) == ("2019-03-01", True)
    assert moved.due_date == (pd.Timestamp(first.status_date) + pd.DateOffset(months=18)).date().isoformat()


def test_seed_s7_an_srp_plans_its_next_assessment_by_the_band_its_joining_users_give_it():
    """Under "completed" an SRP aims to finish ``scheduling.margin_days`` inside its 12-month window, so it plans by the
    type it expects. SUP-B (300,000) joins SRP-1 on 1 December 2018, after SRP-1 would book its second assessment and
    before its fieldwork: counted with its joiners, as at booking (DOMAIN 4.3 (a)), SRP-1 is Large and has a Full. It
    planned by its band without them (Small, a Verification of a few days) and finished on its due date, the margin
    lost; now it plans the Full and finishes the margin inside."""
    data = {
        **BASE,
        "regimes": [
            {"name": "completed", "base": "secmp0044", "set": {"due_requirement": "completed", "due_anchor": "fieldwork_end"}}
        ],
        "durations": {"fieldwork_days": {"full": 60, "verification": 3, "self": 1.5, "follow_up": 2}},
        "cio": {"teams": 5},
        "parties": [
            {"id": "SRP-1", "role": "srp"},
            {"id": "SUP-A", "role": "supplier", "premises": 100000, "srp": "SRP-1", "entry": "2018-01-01"},
            {"id": "SUP-B", "role": "supplier", "premises": 300000, "srp": "SRP-1", "entry": "2018-12-01"},
        ],
    }
    second = _rows(assessments(data), "SRP-1").iloc[1]
    assert (second.type, second.band, second.premises_counted) == ("full", "large", 400000)
    margin = scenario_from(data).scheduling.margin_days
    assert (pd.Timestamp(second.due_date) - pd.Timestamp(second.fieldwork_end)).days == margin
