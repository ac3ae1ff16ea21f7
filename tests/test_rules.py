"""Tests by intent: rules. Every row of the seed's table and every clause (a)-(e) of SECMP0044,
one named case each, against the shipped regime data (not copies of it)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sim.inputs.process_spec import Costs
from sim.law import rules as R
from sim.law.regime import builtin
from sim.model.costs import PAYER_ROLES, ROW_ORDER, cost_rows
from sim.model.records import Assessment

PRE = builtin("pre-secmp0044").at(dt.date(2018, 1, 1))
NEW = builtin("secmp0044").at(dt.date(2018, 1, 1))


def three_years(role, premises, rules):
    """Types for years 1-3 and the restart in year 4, walking the cycle position."""
    band = R.band(role, premises, rules)
    out, position = ["full"], 1
    for _ in range(3):
        kind = R.next_annual_type(role, band, position, rules)
        out.append(kind)
        position = 1 if kind == "full" else position + 1
    return out


# seed s.2, the table "what type of assessment each Party is required to undertake"
SEED_TABLE = [
    pytest.param("supplier", 300_000, ["full", "full", "full"], id="supplier-more-than-250k"),
    pytest.param("supplier", 250_000, ["full", "verification", "self"], id="supplier-250k-or-less"),
    pytest.param("network", 250_001, ["full", "verification", "verification"], id="network-more-than-250k"),
    pytest.param("network", 10_000, ["full", "verification", "self"], id="network-250k-or-less"),
    pytest.param("other", 9_000_000, ["full", "self", "self"], id="other-user-no-threshold"),
]


@pytest.mark.parametrize("role,premises,years", SEED_TABLE)
@pytest.mark.parametrize("regime", [PRE, NEW], ids=["pre-secmp0044", "secmp0044"])
def test_seed_table_row(role, premises, years, regime):
    sequence = three_years(role, premises, regime)
    assert sequence[:3] == years
    assert sequence[3] == "full", "the cycle repeats every three years (seed Q3)"


def test_threshold_is_more_than_250000():
    """Seed table: 'More than 250,000' is Large, '250,000 or less' is Small."""
    assert R.band("supplier", 250_000, PRE) == "small"
    assert R.band("supplier", 250_001, PRE) == "large"


def test_pre_small_supplier_on_large_srp_counts_the_aggregate():
    """Seed s.2: a Small Supplier on an SRP above 250,000 in aggregate is treated as Large."""
    counted = R.counted_premises("supplier", 40_000, 600_000, PRE)
    assert counted == 600_000
    assert R.band("supplier", counted, PRE) == "large"


def test_pre_network_party_on_srp_counts_the_aggregate():
    assert R.count_basis("network", True, PRE) == "srp_aggregate"


def test_user_without_srp_counts_its_own_premises():
    assert R.counted_premises("supplier", 40_000, None, PRE) == 40_000
    assert R.count_basis("supplier", False, PRE) == "own"


def test_clause_a_srp_has_a_single_assessment_of_its_own():
    """(a) the SRP becomes a SEC Party subject to a single User Security Assessment."""
    assert not R.srp_has_own_assessment(PRE)
    assert R.srp_has_own_assessment(NEW)


def test_clause_a_q3_srp_250k_or_less_follows_the_small_supplier_pattern():
    assert three_years("srp", 200_000, NEW)[:3] == ["full", "verification", "self"]


def test_clause_a_srp_above_250k_is_full_every_year():
    assert three_years("srp", 400_000, NEW)[:3] == ["full", "full", "full"]


def _costs(party: str, role: str, srp: str | None, cio_days: float, srp_part: bool, copies: int = 0) -> dict[str, tuple]:
    """The cost rows of one Full assessment, by component: (payer, payer role, GBP)."""
    rec = Assessment(0, party, role, "full", "annual", 1, 0.0, 0.0, 0, 0, "large", srp, srp_part, None, "booked")
    rec.cio_days, rec.report_copies = cio_days, copies
    rows = cost_rows(Costs(), [rec])
    return {
        ROW_ORDER[c]: (p, PAYER_ROLES[r], g)
        for c, p, r, g in zip(
            rows.component.tolist(), rows.payer_id.tolist(), rows.payer_role.tolist(), rows.gbp.tolist(), strict=True
        )
    }


def test_clause_b_srp_pays_for_its_own_assessment():
    """(b) the SRP pays for its assessment as a User does under G8.51."""
    rows = _costs("SRP-1", "srp", None, 10, False)
    assert rows["cio_charge"] == ("SRP-1", "srp", 10 * Costs().cio_day_rate_gbp)
    assert "srp_preparation" not in rows and "report_copies" not in rows


def test_pre_client_pays_the_cio_for_the_srp_part_and_srp_bears_its_effort():
    rows = _costs("SUP-S", "supplier", "SRP-1", 12, True)
    assert rows["cio_charge"][0] == "SUP-S"
    assert rows["srp_preparation"][0] == rows["srp_response"][0] == "SRP-1"
    assert rows["ssc_review"] == ("SECCo", "secco", (Costs().ssc_hours_per_item + Costs().ssc_hours_srp_scope) * 100)


def test_secas_handles_more_for_an_item_that_re_assesses_an_srp():
    """Seed s.2 issue (a) and s.8 objective (g): SECAS repeats the SRP's similar management responses, item by item,
    so an item with the SRP's part costs SECAS more than its User's own (paid by SEC Parties collectively)."""
    c = Costs()
    alone, with_part = _costs("SUP-S", "supplier", None, 12, False), _costs("SUP-S", "supplier", "SRP-1", 12, True)
    assert alone["secas_admin"] == ("SECCo", "secco", c.secas_days_per_item * c.secas_day_rate_gbp)
    assert with_part["secas_admin"] == ("SECCo", "secco", (c.secas_days_per_item + c.secas_days_srp_scope) * c.secas_day_rate_gbp)
    assert with_part["secas_admin"][2] > alone["secas_admin"][2]


def test_an_srps_copies_to_its_users_are_its_own_cost():
    """(c) the SRP that copies its documents to its Users pays for the copies (a row only when there are any)."""
    assert _costs("SRP-1", "srp", None, 10, False, copies=36)["report_copies"] == ("SRP-1", "srp", 36 * Costs().report_copy_gbp)


def test_clause_c_srp_documents_are_copied_to_every_user():
    """(c) G10.7: report, response, SSC outcome go to every Shared Resource User."""
    assert R.report_copies(12, False, NEW) == 36
    assert R.report_copies(12, True, NEW) == 48, "plus a remediation report (G8.28(b)) after Approved subject to"
    assert R.report_copies(12, True, PRE) == 0


def test_clause_d_small_supplier_is_banded_on_its_own_premises():
    """(d) irrespective of how many premises the SRP handles for other Users."""
    counted = R.counted_premises("supplier", 100_000, 400_000, NEW)
    assert counted == 100_000
    assert R.band("supplier", counted, NEW) == "small"
    assert three_years("supplier", counted, NEW)[:3] == ["full", "verification", "self"]


def test_clause_d_large_supplier_stays_full_every_year():
    """Seed s.4: Large Suppliers still have a Full assessment every year, independent of their SRP."""
    assert three_years("supplier", R.counted_premises("supplier", 300_000, 400_000, NEW), NEW)[:3] == ["full"] * 3


def test_clause_e_user_relies_on_srp_status():
    """(e) a User relies on the SRP's status for the SRP-provided part: its assessment omits it."""
    assert R.srp_scope_included(uses_srp=True, srp_status_relied_on=True, rules=NEW) is False


def test_clause_e_fallback_when_srp_has_no_status_yet():
    """(e) where the SRP has no status yet (new SRP, transition), the User's assessment covers it."""
    assert R.srp_scope_included(uses_srp=True, srp_status_relied_on=False, rules=NEW) is True


def test_clause_e_seed_s7_a_status_lapses_with_a_missed_annual_cycle():
    """(e) with seed s.7 (SRPs "subject to annual User Security Assessments in their own right"): a status is current
    until the next assessment's due date, unless that assessment is booked by then; never after a default."""
    assert R.status_current(day=360.0, lapses_day=365.0, in_business=True)
    assert not R.status_current(day=366.0, lapses_day=365.0, in_business=True), "a missed cycle: no status to rely on"
    assert R.status_current(day=500.0, lapses_day=float("inf"), in_business=True), "its next assessment booked in time"
    assert not R.status_current(day=10.0, lapses_day=365.0, in_business=False), "an SRP in default (G8.54-G8.60)"


def test_pre_srp_part_in_every_client_assessment():
    """Seed s.2: the SRP is assessed as part of each User's assessment."""
    assert R.srp_scope_included(uses_srp=True, srp_status_relied_on=True, rules=PRE) is True


def test_no_srp_no_srp_scope():
    assert R.srp_scope_included(uses_srp=False, srp_status_relied_on=False, rules=PRE) is False


@pytest.mark.parametrize("role", ["supplier", "network"])
def test_seed_s2_s4_every_user_on_a_large_srp_is_full_every_year_before_secmp0044(role):
    """Seed s.2: "each DCC User Using that Shared Resource Provider will be subject to a Full User Security
    Assessment every year, as though they were a Large Supplier"; Network Parties too (s.4), not F, V, V."""
    counted = R.counted_premises(role, 40_000, 600_000, PRE)
    basis = R.count_basis(role, True, PRE)
    band = R.band(role, counted, PRE)
    assert (counted, basis, band) == (600_000, "srp_aggregate", "large")
    assert [R.next_annual_type(role, band, year, PRE, basis) for year in (1, 2)] == ["full", "full"]


def test_seed_s4_a_large_network_party_on_its_own_user_system_keeps_its_cycle():
    assert [R.next_annual_type("network", "large", year, PRE, "own") for year in (1, 2)] == ["verification", "verification"]


def test_seed_s4_other_users_are_not_affected_by_the_threshold():
    """Seed s.4: Other Users "are not affected by the criteria relating to ... 250,000 Domestic Premises"."""
    assert R.count_basis("other", True, PRE) == "own"
    assert R.band("other", R.counted_premises("other", 0, 600_000, PRE), PRE) == "none"


def test_upward_crossing_mid_cycle_forces_a_full():
    """DOMAIN 4.1: a band change reads the new band's cycle at the same position."""
    assert R.next_annual_type("supplier", "large", 2, PRE) == "full"


def test_downward_crossing_after_full_gives_verification():
    assert R.next_annual_type("supplier", "small", 1, PRE) == "verification"


def test_network_large_to_small_mid_cycle():
    assert R.next_annual_type("network", "small", 2, PRE) == "self"


@pytest.mark.parametrize(
    "requirement,booking,start,end,late",
    [
        ("booked", 20.0, 101.0, 120.0, False),
        ("booked", 100.5, 190.0, 200.0, True),
        ("started", 20.0, 99.0, 120.0, False),
        ("started", 20.0, 101.0, 110.0, True),
        ("completed", 20.0, 90.0, 100.0, False),
        ("completed", 20.0, 90.0, 101.0, True),
    ],
)
def test_lateness_against_the_twelve_month_rule(requirement, booking, start, end, late):
    """G8.41 'scheduled within 12 months' read as booked by the due date (the seed's reading, s.7) or as fieldwork
    started by it; SCF v2.0 'completed' as fieldwork ended by it."""
    rules = {
        "booked": PRE,
        "started": dataclasses.replace(PRE, due_requirement="started"),
        "completed": builtin("sec-history").at(dt.date(2021, 1, 1)),
    }[requirement]
    assert R.is_late(100.0, booking, start, end, rules) is late


def test_seed_s7_scheduled_is_booked_in_the_shipped_regimes():
    """Seed s.7: "The SEC does not define the period between the scheduling and the actual User Security Assessment"."""
    assert PRE.due_requirement == NEW.due_requirement == "booked"
    assert builtin("pre-secmp0044").entry("due_requirement", dt.date(2018, 1, 1)).reading, "a reading an analyst may replace"


@pytest.mark.parametrize(
    "requirement,requested,start,end,pushed",
    [
        ("booked", 90.0, 101.0, 110.0, True),
        ("booked", 90.0, 99.0, 110.0, False),
        ("booked", 101.0, 105.0, 110.0, False),
        ("started", 90.0, 101.0, 110.0, True),
        ("completed", 80.0, 95.0, 105.0, True),
        ("completed", 95.0, 95.0, 105.0, False),
    ],
)
def test_seed_s7_fieldwork_the_cio_queue_pushed_past_the_due_date(requirement, requested, start, end, pushed):
    """A booking in time whose fieldwork the User CIO's queue moved past the due date: a capacity finding, not a breach."""
    assert R.pushed_past_due(100.0, requested, start, end, requirement) is pushed


def test_seed_s6_the_shipped_transition_moment_is_the_booked_fieldwork_start():
    """Seed s.6: Users due an assessment "in the near future" are to benefit; the new rules reach an assessment whose
    fieldwork is booked for the change date or later, an SRP's and its Users' alike."""
    assert PRE.transition_moment == "fieldwork"
    assert R.governing_day(booking_day=10.0, requested_day=94.0, moment="fieldwork") == 94.0
    assert R.governing_day(booking_day=10.0, requested_day=94.0, moment="booking") == 10.0


def test_seed_s7_the_ssc_may_retime_users_affected_by_a_change():
    """Seed s.7: the SSC "will ... need to determine the timing" of Users adversely affected by the change's timing."""

    def always(_day):
        return True

    assert R.retimed_start(90.0, [(100.0, 14)], always) == 100.0
    assert R.retimed_start(80.0, [(100.0, 14)], always) == 80.0, "outside the window"
    assert R.retimed_start(90.0, [(95.0, 14), (100.0, 14)], lambda day: day == 100.0) == 100.0, "the change that affects it"
    assert R.retimed_start(90.0, [(100.0, 14)], lambda _day: False) == 90.0, "a change that alters nothing for it"


def test_due_anchor_status_set_before_scf_and_fieldwork_end_after():
    """G8.41 counts from the status; SCF v1.16 (2019-08-01) from the previous fieldwork's completion."""
    history = builtin("sec-history")
    assert R.due_anchor_day(50.0, 10.0, history.at(dt.date(2019, 7, 31))) == 50.0
    assert R.due_anchor_day(50.0, 10.0, history.at(dt.date(2019, 8, 1))) == 10.0
