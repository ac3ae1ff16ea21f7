"""The process parameters of a scenario: the User CIO, durations, the SSC, scheduling and costs.

Every key has a default with its unit and source (CALIBRATION.md: [C] cited, [S] seed, [E] our
estimate); ``sim.inputs.scenario`` assembles them with the parties and regimes.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from ..core.distributions import Duration
from ..core.schema import Dist, Probability, Strict, real, whole
from ..core.validation import AtKey, Source, located

DAYS = real(0, 1000)
"""Bounds of a number of days of effort (preparation, SECAS time) or hours (SSC time): 0 to 1,000."""
GBP = real(0, 1e6)
"""Bounds of a unit cost: 0 to GBP 1m."""


class PerType(Strict):
    """One duration per assessment type (working days unless stated)."""

    full: Dist
    verification: Dist
    self: Dist
    follow_up: Dist

    def of(self, kind: str) -> Duration:
        """The duration of an assessment type."""
        return getattr(self, kind)


class PerTypeDays(Strict):
    """One number of days per assessment type."""

    full: Annotated[float, DAYS]
    verification: Annotated[float, DAYS]
    self: Annotated[float, DAYS]
    follow_up: Annotated[float, DAYS]

    def of(self, kind: str) -> float:
        """The days of an assessment type."""
        return getattr(self, kind)


def _tri(low: float, mode: float, high: float) -> Duration:
    return Duration("triangular", (low, mode, high))


class Cio(Strict):
    """The User CIO (the assessor): finite capacity and a booking lead time."""

    teams: Annotated[int, whole(1, 1000)] = 3
    """Assessments the CIO can work on at once [E: capacity is unpublished, CALIBRATION.md 11.2]."""
    booking_lead_weeks: Annotated[float, real(0, 520)] = 12
    """A booking is made at least this long before fieldwork [C A16]."""


class Durations(Strict):
    """How long each step takes."""

    fieldwork_days: PerType = PerType(
        full=_tri(3, 6, 10), verification=_tri(2, 3, 5), self=_tri(1, 1.5, 3), follow_up=_tri(1, 2, 4)
    )
    """CIO fieldwork in working days, own scope [C A1, A2: Full 3-10; others E]."""
    report_days: PerType = PerType(
        full=_tri(5, 6, 10), verification=_tri(2, 3, 5), self=Duration("constant", (1.0,)), follow_up=Duration("constant", (2.0,))
    )
    """CIO report writing in working days (the team stays busy) [E: CALIBRATION.md 10]."""
    srp_scope_days: PerType = PerType(
        full=Duration("constant", (3.0,)),
        verification=Duration("constant", (2.0,)),
        self=Duration("constant", (1.0,)),
        follow_up=Duration("constant", (1.0,)),
    )
    """Extra fieldwork working days when the SRP-provided part is in scope [E]."""
    srp_scope_report_days: PerType = PerType(
        full=Duration("constant", (0.0,)),
        verification=Duration("constant", (0.0,)),
        self=Duration("constant", (0.0,)),
        follow_up=Duration("constant", (0.0,)),
    )
    """Extra report-writing working days when the SRP-provided part is in scope, drawn with the part's fieldwork (the
    same uniform: a longer part, a longer write-up) [E, a reading: none, its observations written into the client's
    report with the rest; the seed's "duplication of the User CIO's observations" (s.2 issue (a)) may cost writing
    too, docs/explanation/readings.md]."""
    srp_own_fieldwork_days: PerType | None = None
    """CIO fieldwork in working days of an SRP's own assessment (SECMP0044 (a)); unset, as any User's
    ``fieldwork_days`` [E, a reading: once a Party an SRP is "treated as if they were a User" (seed s.7, G5.10); before
    SECMP0044 its part took ``srp_scope_days`` inside a client's assessment, docs/explanation/readings.md]."""
    management_response_days: Dist = _tri(10, 20, 30)
    """Calendar days from report to the User's management response (G8.24: by a date the SSC sets) [E]."""
    follow_up_delay_days: Dist = Duration("constant", (60.0,))
    """Calendar days from a Deferred/Rejected status to the Follow-up's requested start [E]."""

    def fieldwork_of(self, role: str) -> PerType:
        """The fieldwork of a party of ``role``'s own assessment (an SRP's, ``srp_own_fieldwork_days`` if set)."""
        return self.srp_own_fieldwork_days if role == "srp" and self.srp_own_fieldwork_days is not None else self.fieldwork_days


class Outcomes(Strict):
    """Probabilities of each assurance status (G8.34); they must sum to 1."""

    approved: Probability
    approved_subject_to: Probability
    deferred: Probability
    rejected: Probability

    @model_validator(mode="after")
    def _sums_to_one(self) -> Outcomes:
        total = self.approved + self.approved_subject_to + self.deferred + self.rejected
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"expected probabilities summing to 1, got {total:g}")
        return self

    def as_tuple(self) -> tuple[float, float, float, float]:
        """The probabilities in ``rules.STATUSES`` order."""
        return (self.approved, self.approved_subject_to, self.deferred, self.rejected)


class Ssc(Strict):
    """The Security Sub-Committee: a meeting calendar and a review queue."""

    meeting_days: Annotated[list[Annotated[int, whole(1, 28)]], Field(min_length=1, max_length=28)] = [8, 22]
    """Days of the month the SSC meets [C A4: twice a month; days E]."""
    items_per_meeting: Annotated[int, whole(1, 10_000)] = 10
    """Reports the SSC can review at one meeting; the rest carry over [E: 5-15]."""
    papers_lead_days: Annotated[float, real(0, 365)] = 7
    """A report and response must reach SECAS this many days before a meeting [E]."""
    outcomes: Outcomes = Outcomes(approved=0.55, approved_subject_to=0.35, deferred=0.08, rejected=0.02)
    """Status of an annual or entry assessment [E: the outcome mix is unpublished]."""
    follow_up_outcomes: Outcomes = Outcomes(approved=0.7, approved_subject_to=0.3, deferred=0.0, rejected=0.0)
    """Status of every assessment booked after a Deferred or Rejected one: a Follow-up, or the Full MP091 asks for [E]."""

    @model_validator(mode="after")
    def _meets_once_a_day(self) -> Ssc:
        repeated = sorted({d for d in self.meeting_days if self.meeting_days.count(d) > 1})
        if repeated:
            raise AtKey(
                "meeting_days", f"expected each day of the month once, got {', '.join(map(str, repeated))} more than once"
            )
        return self


class Scheduling(Strict):
    """How a User plans its next annual assessment."""

    margin_days: Annotated[float, real(0, 365)] = 14
    """A User keeps the anniversary of its last fieldwork, but where the 12-month rule would be
    missed it aims to meet it this many days early [E]."""


class Costs(Strict):
    """Unit costs, in real prices of ``price_base``."""

    price_base: Annotated[str, Field(max_length=200)] = "GBP, 2018 prices"
    """The prices every cost is in (the seed's figures are 2018's [S])."""
    cio_day_rate_gbp: Annotated[float, GBP] = 2500
    """User CIO charge per team working day [E: maps the published GBP 5k-45k invoice range, C A12]."""
    party_day_rate_gbp: Annotated[float, GBP] = 600
    """A party's own staff day [E: the SECAS blended rate, S]."""
    preparation_days: PerTypeDays = PerTypeDays(full=10, verification=5, self=8, follow_up=3)
    """The assessed party's own preparation (for a Self-Assessment, doing it) [E]."""
    srp_preparation_days: PerTypeDays = PerTypeDays(full=5, verification=3, self=2, follow_up=1)
    """The SRP's effort when its part is in a client's assessment [E]."""
    srp_own_preparation_days: PerTypeDays | None = None
    """An SRP's own preparation for its own assessment (SECMP0044 (a)); unset, as any party's ``preparation_days``
    [E, a reading with ``durations.srp_own_fieldwork_days``]."""
    srp_response_days: Annotated[float, DAYS] = 1
    """The SRP's management response to each assessment of its part [E; seed s.8 'dozens of similar management responses']."""
    secas_day_rate_gbp: Annotated[float, GBP] = 600
    """SECAS blended day rate [S: seed s.5 footnote 2]."""
    secas_days_per_item: Annotated[float, DAYS] = 0.5
    """SECAS admin per SSC item (booking, papers, minutes) [E]."""
    secas_days_srp_scope: Annotated[float, DAYS] = 0.25
    """Extra SECAS days when an item re-assesses an SRP and carries its management response [E; seed s.2 issue (a),
    s.8 objective (g): 'SECAS being required to repeat dozens of similar management responses']."""
    ssc_hour_rate_gbp: Annotated[float, GBP] = 100
    """SSC member time [E]."""
    ssc_hours_per_item: Annotated[float, DAYS] = 4
    """SSC member hours to review one report [E]."""
    ssc_hours_srp_scope: Annotated[float, DAYS] = 2
    """Extra SSC hours when a report re-assesses an SRP [E; seed s.2 issue (a)]."""
    report_copy_gbp: Annotated[float, GBP] = 30
    """Providing one copy of one SRP document to one User (SECMP0044 (c), G10.7) [E]."""

    def preparation_of(self, role: str) -> PerTypeDays:
        """The preparation of a party of ``role`` for its own assessment (an SRP's, ``srp_own_preparation_days`` if set)."""
        return (
            self.srp_own_preparation_days
            if role == "srp" and self.srp_own_preparation_days is not None
            else self.preparation_days
        )


def check_can_pass(ssc: Ssc, deterministic: bool, source: Source) -> None:
    """A party whose status is Deferred or Rejected can pass later: every assessment its chain books after (a
    Follow-up, or the Full MP091 asks for) draws its status from ``follow_up_outcomes`` (``Lifecycle._decide``), so
    with none passing there the chain would repeat to the run's limit, 20 years past the horizon (100 parties over a
    year took 100 s and 2.3 GB, adversarial try). A deterministic run approves every report."""
    can_fail = ssc.outcomes.deferred + ssc.outcomes.rejected > 0
    if not deterministic and can_fail and ssc.follow_up_outcomes.approved + ssc.follow_up_outcomes.approved_subject_to == 0:
        raise located(
            source,
            ["ssc", "follow_up_outcomes"],
            "expected approved or approved_subject_to above 0: every assessment booked after a Deferred or Rejected "
            "status draws from these, so none could pass and each chain would repeat to the run's limit",
        )
