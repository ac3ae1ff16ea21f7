"""The assessment rules of SEC Section G8 as pure functions of a regime snapshot.

No SimPy and no I/O here: the model calls these at the moments the SEC says a decision is
made (G8.49: the premises count that decides the nature of an assessment is the one at the
time it "falls to be ascertained"). Which rule applies is data (``sim/regimes/*.yaml``);
this module only says how the data is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["supplier", "network", "other", "srp"]
Band = Literal["large", "small", "none"]
AssessmentType = Literal["full", "verification", "self", "follow_up"]
Status = Literal["approved", "approved_subject_to", "deferred", "rejected"]

ROLES: tuple[Role, ...] = ("supplier", "network", "other", "srp")
TYPES: tuple[AssessmentType, ...] = ("full", "verification", "self", "follow_up")
STATUSES: tuple[Status, ...] = ("approved", "approved_subject_to", "deferred", "rejected")
PASSING: frozenset[str] = frozenset({"approved", "approved_subject_to"})
"""Statuses that allow User Entry and close an assessment (G8.34; CALIBRATION.md 1.3)."""


@dataclass(frozen=True)
class Snapshot:
    """The regime's parameters in force on one date (see ``sim/regimes/*.yaml`` for each reference)."""

    threshold: int
    non_domestic_threshold: int | None
    count_basis: Literal["srp_aggregate", "own"]
    cycles: dict[tuple[str, str], tuple[str, ...] | None]
    srp_own_assessment: bool
    srp_scope_in_client: Literal["always", "unless_srp_status"]
    srp_documents_copied: int
    due_anchor: Literal["status_set", "fieldwork_end"]
    due_requirement: Literal["scheduled", "completed"]
    due_months: int
    rejected_requires_full: bool
    refs: dict[str, str] = field(default_factory=dict, compare=False, repr=False)


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


def cycle(role: Role, band_: Band, rules: Snapshot) -> tuple[str, ...]:
    """The three-year pattern for a role and band (seed s.2 table; SECMP0044 Q3 for SRPs)."""
    pattern = rules.cycles.get((role, band_))
    if pattern is None:
        raise ValueError(f"regime has no assessment cycle for {role}/{band_}")
    return pattern


def next_annual_type(role: Role, band_: Band, years_since_full: int, rules: Snapshot) -> str:
    """The type of the next annual assessment from the cycle position (DOMAIN.md 4.1).

    ``years_since_full`` is 1 right after a Full. The band's cycle is read from that position
    (year 2 is index 1); past its end, the next is Full again. A band change simply reads the
    new band's cycle at the same position, so a Supplier crossing 250,000 upward gets a Full.
    """
    pattern = cycle(role, band_, rules)
    if years_since_full < len(pattern):
        return pattern[years_since_full]
    return "full"


def srp_scope_included(uses_srp: bool, srp_has_status: bool, rules: Snapshot) -> bool:
    """Whether a User's assessment also assesses the SRP-provided part of its User System.

    Before SECMP0044 always (seed s.2). Under SECMP0044 (e) the User relies on the SRP's
    assurance status, so only where the SRP has no status yet (a new SRP, the transition).
    """
    if not uses_srp:
        return False
    if rules.srp_scope_in_client == "always":
        return True
    return not srp_has_status


def srp_has_own_assessment(rules: Snapshot) -> bool:
    """SECMP0044 (a): the SRP is a SEC Party with a single User Security Assessment of its own."""
    return rules.srp_own_assessment


def due_anchor_day(status_day: float, fieldwork_end_day: float, rules: Snapshot) -> float:
    """What the 12-month rule counts from: the status being set (G8.41) or the fieldwork end (SCF v1.16)."""
    return status_day if rules.due_anchor == "status_set" else fieldwork_end_day


def is_late(due_day: float, fieldwork_start_day: float, fieldwork_end_day: float, rules: Snapshot) -> bool:
    """Non-compliance with the 12-month rule.

    "Scheduled within 12 months" (G8.41, SCF v1.16) is read as fieldwork starting by the due
    date; "completed within 12 months" (SCF v2.0) as fieldwork ending by it.
    """
    reference = fieldwork_start_day if rules.due_requirement == "scheduled" else fieldwork_end_day
    return reference > due_day


def report_copies(n_clients: int, remediation_report: bool, rules: Snapshot) -> int:
    """SECMP0044 (c), G10.7: one copy of each SRP document per User: the documents the regime names
    (report, response, SSC outcome), and a remediation report (G8.28(b)) when the status asks for one."""
    if rules.srp_documents_copied == 0:
        return 0
    return n_clients * (rules.srp_documents_copied + (1 if remediation_report else 0))
