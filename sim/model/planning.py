"""When a party's next assessment is due, booked and asked to start: the 12-month rule as a party plans for it.

A party plans under the rules that will judge the assessment (those of its transition moment), so that planning
and lateness read the same law (G8.40/G8.41, SCF); an SRP plans its own assessment only while it serves a User
and the rules require one (SECMP0044 (a)).
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import simpy

from ..industry.parties import Actor, Industry
from ..law import rules as R
from .records import Assessment
from .rules_in_force import RulesInForce
from .waits import Waits


class Planner:
    """The plans of one run's parties (what ``Model``'s lifecycles ask before they book)."""

    def __init__(
        self,
        env: simpy.Environment,
        rules: RulesInForce,
        industry: Industry,
        lead_days: float,
        margin_days: float,
        expected: dict[tuple[bool, str], tuple[float, float]],
        relied_on: Callable[[str, float], bool],
        status_set: Waits,
    ) -> None:
        self.env, self.rules, self.industry = env, rules, industry
        self.add_months = industry.timeline.add_months
        self.horizon = industry.timeline.horizon
        self.lead_days, self.margin_days = lead_days, margin_days
        self.expected = expected
        """Per (an SRP's own assessment?, assessment type): the calendar days its fieldwork is expected to take, with and
        without an SRP's part."""
        self.relied_on = relied_on
        """Whether a User may rely on an SRP's status on a day (then its assessment leaves the SRP's part out)."""
        self.status_set = status_set

    def srp_start(self, actor: Actor, after: float) -> float | None:
        """First day from ``after`` on when an SRP's own assessment would start: it serves at least one User
        and the rules that assessment would follow require one (SECMP0044 (a)). None if not within the horizon.

        Those rules change only where its fieldwork start or its booking passes a change day, whichever moment the
        change is read by (its own, ``Entry.moment``, or the regime's): so the next day to try is the first on which
        fieldwork is on a later change day, or booking is."""
        limit = min(self.horizon, actor.exit_day)
        lead = self.lead_days
        day: float | None = after
        while day is not None and day < limit:
            served = self.industry.first_served(actor.id, day, limit)
            if served is None:
                return None
            booking = max(self.env.now, served - lead)
            if R.srp_has_own_assessment(self.rules.governing(booking, served)):
                return served
            later = [d for d in self.rules.change_days if d > served] + [d + lead for d in self.rules.change_days if d > booking]
            day = min(later, default=None)
        return None

    def next_annual(
        self, actor: Actor, last: Assessment, years_since_full: int
    ) -> Generator[simpy.Event, object, tuple[float, float, float]]:
        """The next annual assessment's due date, booking day and requested start, planned under the rules that will
        judge it (those of its transition moment), so that planning and lateness read the same law.

        The 12-month window runs from the anchor those rules name (the status being set, G8.41, which is waited
        for; or the fieldwork end, SCF v1.16). The party keeps the anniversary of its last fieldwork unless the rule
        needs it earlier: then it aims to start (or, under "completed", to finish) ``scheduling.margin_days`` inside
        the window, booking ``cio.booking_lead_weeks`` ahead. The rules depend on the dates planned, so the plan is
        repeated under the rules it falls under until they agree; where they never do (a plan either side of a
        change), the earliest plan is kept, which meets both.
        """
        env, lead, add_months = self.env, self.lead_days, self.add_months
        rules = self.rules.at(env.now)
        plans: list[tuple[float, float, float]] = []
        for _ in range(4):
            if rules.due_anchor == "status_set" and not last.status:
                yield self.status_set.until(last)
            due = self.due_after(last, rules)
            assert due is not None  # its anchor is there: the status was waited for
            lead_in = self.margin_days
            anniversary = add_months(last.fieldwork_start, R.interval_months(actor.role, rules)[1])  # type: ignore[arg-type]
            if rules.due_requirement == "completed":  # to finish by the due date: started by then at the latest
                # Counted as at the start the margin alone gives, a little after the one it books: an SRP whose
                # joiners come between the two plans a Full's days and starts early, never late (fourth review, F2).
                lead_in += self.expected_days(actor, rules, years_since_full, min(anniversary, due - lead_in))
            target = min(anniversary, due - lead_in)
            booking = max(env.now, target - lead)
            plan = (due, booking, max(target, booking + lead))
            plans.append(plan)
            ruling = self.rules.governing(booking, plan[2])
            if ruling is rules:  # equal snapshots are one object (``RulesInForce``)
                return plan
            rules = ruling
        return min(plans, key=lambda plan: plan[2])

    def due_after(self, last: Assessment, rules: R.Snapshot) -> float | None:
        """The due date ``rules`` give the assessment after ``last``: ``due_months`` from the anchor they name (G8.40/
        G8.41, SCF v1.16); None while that anchor is a status not yet set."""
        if rules.due_anchor == "status_set" and not last.status:
            return None
        due_months, _ = R.interval_months(last.role, rules)  # type: ignore[arg-type]
        return self.add_months(R.due_anchor_day(last.status_day, last.fieldwork_end, rules), due_months)

    def expected_days(self, actor: Actor, rules: R.Snapshot, years_since_full: int, start: float) -> float:
        """Calendar days a party expects its next assessment's fieldwork, planned to start on ``start``, to take (to
        finish on time): its SRP's part only where that would be in scope as things stand (a User on an SRP it cannot
        rely on, SECMP0044 (e)); an SRP's own type from its band with the Users it will serve by then, as it will be
        counted (``Industry.count``'s ``joining_by``)."""
        now = self.env.now
        count = self.industry.count(actor, now, rules, start if actor.role == "srp" else None)
        kind = R.next_annual_type(actor.role, count.band, years_since_full, rules, count.basis)  # type: ignore[arg-type]
        with_srp, alone = self.expected[(actor.role == "srp", kind)]
        srp = count.srp
        return with_srp if srp is not None and R.srp_scope_included(True, self.relied_on(srp, now), rules) else alone
