"""What a replication produces: plain records appended in the event loop, framed once later."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, eq=False)
class Assessment:
    """One User Security Assessment as it moves through booking, fieldwork, report and SSC review."""

    seq: int
    party_id: str
    role: str
    type: str
    trigger: str  # entry | annual | ssc_request
    cycle_year: int
    determination_day: float
    requested_day: float
    premises_own: int
    premises_counted: int
    band: str
    srp_id: str | None
    includes_srp_scope: bool
    due_day: float | None
    due_requirement: str
    count_measure: str = "customers"
    """The reading of the 250,000 test ``premises_counted`` was taken on (``sim.law.rules.MEASURES``)."""
    aggregate_of: str = "users"
    """Whose premises an SRP's aggregate summed for that count (``sim.law.rules.AGGREGATES``), whether or not it was used."""
    retimed: bool = False
    """The SSC moved this assessment to the date a change took effect (seed s.7)."""
    fieldwork_start: float = float("nan")
    fieldwork_end: float = float("nan")
    report_day: float = float("nan")
    response_day: float = float("nan")
    submitted_day: float = float("nan")
    status_day: float = float("nan")
    status: str = ""
    closed_day: float = float("nan")
    """When the assessment's review chain ended with a passing status (for an entry Full: User Entry)."""
    closed: bool = False
    """Whether the review chain has ended (passed, or its party left)."""
    cio_days: float = 0.0
    report_copies: int = 0
    late: bool = False
    pushed_past_due: bool = False
    """The User CIO's queue moved the fieldwork past the due date of a booking made in time (a capacity finding)."""
    follow_up_of: int | None = None


@dataclass
class Records:
    """Everything one (regime, replication) run recorded."""

    assessments: list[Assessment] = field(default_factory=list)
    meetings: list[tuple[float, int, int, int, int]] = field(default_factory=list)
    """(day, arrived, reviewed, backlog_after, not_yet_eligible)"""
    items: list[tuple[int, float, float]] = field(default_factory=list)
    """(assessment seq, submitted day, reviewed day), in the order reviewed: the order statuses were set"""
    cio_busy: list[tuple[float, float]] = field(default_factory=list)
    """(start day, end day) each team-occupancy interval"""
    one_offs: list[tuple[float, str, str, str, float]] = field(default_factory=list)
    """(day, component, payer_id, payer_role, GBP): the regime's one-off costs within the horizon (seed s.5)"""
    events: int = 0
    """SimPy events the run stepped."""

    def reviewed(self) -> list[Assessment]:
        """The assessments that got a status, in the order they got it (what their costs are worked out for)."""
        return [self.assessments[seq] for seq, _, _ in self.items]  # seq is the index: records are appended as booked
