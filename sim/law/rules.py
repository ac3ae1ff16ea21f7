"""The assessment rules of SEC Section G8 as pure functions of a regime snapshot.

No SimPy and no I/O here: the model calls these at the moments the SEC says a decision is
made (G8.49: the premises count that decides the nature of an assessment is the one at the
time it "falls to be ascertained"). Which rule applies is data (``sim/law/regimes/*.yaml``);
this module only says how the data is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["supplier", "network", "other", "srp"]
Band = Literal["large", "small", "none"]
AssessmentType = Literal["full", "verification", "self", "follow_up"]
Status = Literal["approved", "approved_subject_to", "deferred", "rejected"]

Measure = Literal["customers", "smart_premises", "dcc_premises", "dcc_devices"]
Requirement = Literal["booked", "started", "completed"]
Moment = Literal["booking", "fieldwork"]
AggregateOf = Literal["users", "suppliers"]

ROLES: tuple[Role, ...] = ("supplier", "network", "other", "srp")
MEASURES: tuple[Measure, ...] = ("customers", "smart_premises", "dcc_premises", "dcc_devices")
"""Readings of what is counted against the threshold (DOMAIN.md 6; seed footnote 1; SECAS A22): all
domestic premises supplied; premises with any smart meter (SMETS1 installed or SMETS2); premises with
a meter on the DCC (SMETS2 and enrolled SMETS1); smart meter devices on the DCC."""
REQUIREMENTS: tuple[Requirement, ...] = ("booked", "started", "completed")
"""What the 12-month rule asks by the due date: the next assessment booked ("scheduled", G8.41, read
as booked: seed s.7), its fieldwork started, or its fieldwork completed (SCF v2.0)."""
AGGREGATES: tuple[AggregateOf, ...] = ("users", "suppliers")
"""Readings of whose premises an SRP's aggregate sums (seed s.2): every User it serves, Network Parties too (the
Domestic Premises "served by other DCC Users that also use the Supplier's chosen Shared Resource"), or only its
Suppliers' (the Shared Resource that "in aggregate, supplies gas or electricity" to more than 250,000, s.1; "handles the
supply of energy", s.2). A User's own premises are in its count under either."""
MOMENTS: tuple[Moment, ...] = ("booking", "fieldwork")
"""Which event of an assessment puts it under the rules of a change: its booking, or its booked fieldwork start."""
TYPES: tuple[AssessmentType, ...] = ("full", "verification", "self", "follow_up")
STATUSES: tuple[Status, ...] = ("approved", "approved_subject_to", "deferred", "rejected")
PASSING: frozenset[str] = frozenset({"approved", "approved_subject_to"})
"""Statuses that allow User Entry and close an assessment (G8.34; CALIBRATION.md 1.3)."""


@dataclass(frozen=True)
class Snapshot:
    """The regime's parameters in force on one date (see ``sim/law/regimes/*.yaml`` for each reference)."""

    threshold: int
    non_domestic_threshold: int | None
    count_measure: Measure
    count_basis: Literal["srp_aggregate", "own"]
    aggregate_of: AggregateOf
    cycles: dict[tuple[str, str], tuple[str, ...] | None]
    srp_own_assessment: bool
    srp_scope_in_client: Literal["always", "unless_srp_status"]
    srp_documents_copied: int
    due_anchor: Literal["status_set", "fieldwork_end"]
    due_requirement: Requirement
    due_months: int
    srp_interval_months: int | None
    """An SRP's own assessment every this many months, due as many months from the anchor (None: as any User's, yearly
    and ``due_months``): a variant's, the SEC has none."""
    rejected_requires_full: bool
    transition_moment: Moment
    transition_retime_days: int
    refs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


def interval_months(role: Role, rules: Snapshot) -> tuple[int, int]:
    """(Months from the anchor to the due date, months from one fieldwork start to the next a party keeps to): the
    12-month rule and a yearly cycle (G8.40/G8.41), but for an SRP's own assessment under a variant that sets
    ``srp_interval_months``, that many for both."""
    if role == "srp" and rules.srp_interval_months is not None:
        return rules.srp_interval_months, rules.srp_interval_months
    return rules.due_months, 12


def count_basis(role: Role, uses_srp: bool, rules: Snapshot) -> Literal["own", "srp_aggregate"]:
    """Whose premises decide the band (seed s.2; SECMP0044 (d)).

    Before SECMP0044 a Supplier or Network Party on an SRP counts the SRP's aggregate; under
    SECMP0044 (d) only its own. An SRP is always banded on its aggregate (SECMP0044 (a), Q3).
    """
    if role == "srp":
        return "srp_aggregate"
    if uses_srp and rules.count_basis == "srp_aggregate" and role in ("supplier", "network"):
        return "srp_aggregate"
    return "own"


def counted_premises(role: Role, own: int, srp_aggregate: int | None, rules: Snapshot) -> int:
    """The premises count that decides the band, on the basis ``count_basis`` names (an SRP's own are its aggregate)."""
    if role != "srp" and srp_aggregate is not None and count_basis(role, True, rules) == "srp_aggregate":
        return srp_aggregate
    return own


def band(role: Role, premises: int, rules: Snapshot, non_domestic: int = 0) -> Band:
    """Large or Small against the threshold (seed s.2 table: "more than 250,000" is Large).

    Other Users have no threshold (seed table, "n/a"). From SECMP0059 a Supplier is also Large
    above the non-domestic threshold; the weighted equation for mixed portfolios is not public
    and is approximated by treating either test as sufficient.
    """
    if role == "other":
        return "none"
    if premises > rules.threshold:
        return "large"
    if role == "supplier" and rules.non_domestic_threshold is not None and non_domestic > rules.non_domestic_threshold:
        return "large"
    return "small"


def cycle(role: Role, band_: Band, rules: Snapshot, basis: str = "own") -> tuple[str, ...]:
    """The three-year pattern for a role and band (seed s.2 table; SECMP0044 Q3 for SRPs).

    A Supplier or Network Party counted Large through its SRP's aggregate follows
    ``cycles.srp_user.large``: before SECMP0044 a Full every year, "as though they were a Large
    Supplier" (seed s.2), a Network Party too (seed s.4).
    """
    if basis == "srp_aggregate" and band_ == "large" and role in ("supplier", "network"):
        return rules.cycles[("srp_user", "large")]  # type: ignore[return-value]
    pattern = rules.cycles.get((role, band_))
    if pattern is None:
        raise ValueError(f"regime has no assessment cycle for {role}/{band_}")
    return pattern


def next_annual_type(role: Role, band_: Band, years_since_full: int, rules: Snapshot, basis: str = "own") -> str:
    """The type of the next annual assessment from the cycle position (DOMAIN.md 4.1).

    ``years_since_full`` is 1 right after a Full. The band's cycle is read from that position
    (year 2 is index 1); past its end, the next is Full again. A band change simply reads the
    new band's cycle at the same position, so a Supplier crossing 250,000 upward gets a Full.
    """
    pattern = cycle(role, band_, rules, basis)
    if years_since_full < len(pattern):
        return pattern[years_since_full]
    return "full"


def status_current(day: float, lapses_day: float, in_business: bool) -> bool:
    """Whether a party's latest assurance status is still in force on ``day``.

    It lapses when its annual cycle is missed (the next assessment not booked, started or completed
    by its due date, as the rule in force asks: ``lapses_day``) and with an Event of Default
    (G8.54-G8.60). One rule for a client's reliance on its SRP (SECMP0044 (e)) and for whether an
    SRP that went without Users restarts with an entry Full: SRPs are "subject to annual User
    Security Assessments in their own right" (seed s.7), so a status more than a cycle old is not
    one to rely on.
    """
    return in_business and day <= lapses_day


def srp_scope_included(uses_srp: bool, srp_status_relied_on: bool, rules: Snapshot) -> bool:
    """Whether a User's assessment also assesses the SRP-provided part of its User System.

    Before SECMP0044 always (seed s.2). Under SECMP0044 (e) the User relies on the SRP's
    assurance status, so only where the SRP has no passing, current status (a new SRP, the
    transition, a lapsed cycle, a default): ``srp_status_relied_on`` is ``PASSING`` and ``status_current``.
    """
    if not uses_srp:
        return False
    if rules.srp_scope_in_client == "always":
        return True
    return not srp_status_relied_on


def srp_has_own_assessment(rules: Snapshot) -> bool:
    """SECMP0044 (a): the SRP is a SEC Party with a single User Security Assessment of its own."""
    return rules.srp_own_assessment


def due_anchor_day(status_day: float, fieldwork_end_day: float, rules: Snapshot) -> float:
    """What the 12-month rule counts from: the status being set (G8.41) or the fieldwork end (SCF v1.16)."""
    return status_day if rules.due_anchor == "status_set" else fieldwork_end_day


def due_reference(requirement: str, booking_day: float, fieldwork_start_day: float, fieldwork_end_day: float) -> float:
    """The day the 12-month rule looks at: the booking (``booked``), the fieldwork start or its end."""
    if requirement == "booked":
        return booking_day
    return fieldwork_start_day if requirement == "started" else fieldwork_end_day


def is_late(due_day: float, booking_day: float, fieldwork_start_day: float, fieldwork_end_day: float, rules: Snapshot) -> bool:
    """Non-compliance with the 12-month rule in force (a compliance finding).

    "Scheduled within 12 months" (G8.41, SCF v1.16) is read as booked by the due date: "The SEC
    does not define the period between the scheduling and the actual User Security Assessment"
    (seed s.7); ``started`` is the stricter reading. "Completed within 12 months" (SCF v2.0) is
    fieldwork ending by it.
    """
    return due_reference(rules.due_requirement, booking_day, fieldwork_start_day, fieldwork_end_day) > due_day


def pushed_past_due(
    due_day: float, requested_day: float, fieldwork_start_day: float, fieldwork_end_day: float, requirement: str
) -> bool:
    """The User CIO's queue pushed the fieldwork past the due date: a capacity finding.

    The fieldwork was booked to start (or, under ``completed``, to end) by the due date, and the wait
    for a free team moved it past: what a "started" reading of G8.41 would call late. Under ``booked`` it is
    not a breach; under ``started`` and ``completed`` ``is_late`` says the same assessment is late too (this is the
    part of lateness the queue caused, not more of it).
    """
    wait = fieldwork_start_day - requested_day
    if requirement == "completed":
        return fieldwork_end_day > due_day >= fieldwork_end_day - wait
    return fieldwork_start_day > due_day >= requested_day


def governing_day(booking_day: float, requested_day: float, moment: str) -> float:
    """The day whose rules an assessment follows (its transition moment, DOMAIN.md 4.3).

    ``fieldwork`` (the shipped reading): the rules in force on its booked fieldwork start, so a
    change reaches an SRP's first own assessment and its Users' next ones alike, from the day it
    takes effect (seed s.6: Users "due a second User Security Assessment in the near future" are to
    benefit). ``booking``: the rules in force when it was booked, so a change reaches assessments
    booked from that day (one booking lead later).
    """
    return requested_day if moment == "fieldwork" else booking_day


def retimed_start(requested_day: float, changes: list[tuple[float, int]], affected: Callable[[float], bool]) -> float:
    """The SSC's re-timing of a User "adversely affected by the implementation timing" (seed s.7): fieldwork booked
    to start within a change's re-timing window (``changes``: its day and ``transition_retime_days``) before it, where
    the change alters how the User would be assessed (``affected(day)``), moves to the day the change takes effect."""
    for change, window in changes:
        if 0 < change - requested_day <= window and affected(change):
            return change
    return requested_day


def report_copies(n_clients: int, remediation_report: bool, rules: Snapshot) -> int:
    """SECMP0044 (c), G10.7: one copy of each SRP document per User: the documents the regime names
    (report, response, SSC outcome), and a remediation report (G8.28(b)) when the status asks for one."""
    if rules.srp_documents_copied == 0:
        return 0
    return n_clients * (rules.srp_documents_copied + (1 if remediation_report else 0))
