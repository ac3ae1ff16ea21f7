"""Party lifecycles: entry Full, then annual assessments by regime and cycle, and Follow-ups.

The SEC decisions are taken by ``sim.law.rules`` at the moments the code says: the nature of the
next assessment when it is ascertained (booking, G8.49: the premises counted then), under the
rules of its transition moment (``rules.governing_day``: by default those in force on its booked
fieldwork start, for SRPs and Users alike); the SRP part's scope at that moment, from whether
the SRP's status is passing and current (SECMP0044 (e), ``rules.status_current``); the due date
from the anchor the regime names (G8.40/G8.41, SCF); and a Follow-up when the SSC sets a
Deferred or Rejected status (G8.34).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Generator

import simpy

from ..core.distributions import Duration
from ..core.streams import Streams, Tape, chosen, cumulative
from ..core.timeline import WORKING_TO_CALENDAR, Timeline
from ..industry.parties import Actor, Industry
from ..inputs.scenario import Scenario
from ..law import rules as R
from ..law.regime import Regime
from .cio import UserCio
from .planning import Planner
from .records import Assessment, Records
from .rules_in_force import RulesInForce
from .srp_status import SrpStatuses
from .ssc import Ssc, meeting_days
from .waits import Waits
from .wakes import Ending, Wake

TAIL_DAYS = 20 * 365.0
"""How far past the horizon a run may go so every booked assessment gets its status: the SSC's calendar
ends there, and a run still going then stops, its unfinished assessments counted (sim/model/ssc.py)."""


@functools.lru_cache(maxsize=16)
def _calendar(timeline: Timeline, days_of_month: tuple[int, ...], until: float) -> list[float]:
    """The SSC's meeting days (``meeting_days``), worked out once for every regime and replication of a scenario."""
    return meeting_days(timeline, list(days_of_month), until)


class Model:
    """One regime and one replication of a scenario, as a SimPy environment."""

    def __init__(self, scenario: Scenario, regime: Regime, industry: Industry, streams: Streams) -> None:
        self.scenario = scenario
        self.industry = industry
        self.timeline = industry.timeline
        self.horizon = self.timeline.horizon
        self.streams = streams
        self.env = simpy.Environment()
        self.rules = RulesInForce(regime, self.timeline)
        self._retime_windows = [
            (day, snap.transition_retime_days)
            for day, snap in zip(self.rules.change_days, self.rules.snapshots, strict=True)
            if snap.transition_retime_days > 0
        ]
        """(change day, the SSC's re-timing window for it) where a change comes with one (seed s.7)."""
        self.cio = UserCio(self.env, scenario.cio.teams, scenario.cio.booking_lead_weeks * 7.0)
        meetings = _calendar(self.timeline, tuple(scenario.ssc.meeting_days), self.horizon + TAIL_DAYS)
        self._last_meeting = meetings[-1] if meetings else -math.inf
        """After it the run stops (``Ssc``): a report due by then is written whether or not a process wakes for it."""
        self.ssc = Ssc(
            self.env,
            meetings,
            scenario.ssc.items_per_meeting,
            scenario.ssc.papers_lead_days,
            self._decide,
            self._on_status,
        )
        d = scenario.durations
        self._durations: dict[tuple[bool, str], tuple[Duration, Duration, Duration, Duration, Duration]] = {
            (as_srp, kind): (
                d.fieldwork_of("srp" if as_srp else "user").of(kind),
                d.srp_scope_days.of(kind),
                d.report_days.of(kind),
                d.management_response_days,
                d.srp_scope_report_days.of(kind),
            )
            for as_srp in (False, True)
            for kind in R.TYPES
        }
        """Per (an SRP's own assessment?, assessment type): fieldwork, SRP part, report, management response and the SRP
        part's report durations."""
        self._quantiles = {key: tuple(part.sampler() for part in parts) for key, parts in self._durations.items()}
        self._follow_up_delay = d.follow_up_delay_days.sampler()
        self._outcomes = cumulative(scenario.ssc.outcomes.as_tuple())
        self._follow_up_outcomes = cumulative(scenario.ssc.follow_up_outcomes.as_tuple())
        """Cumulative shares of each status (``R.STATUSES``), for a review and for a Follow-up's."""
        self._tapes: dict[tuple[str, str], Tape | None] = {}
        self.records = Records()
        self.records.one_offs = [  # paid on the change's date; one of a change before the horizon is sunk
            (day, o.component, "SECCo", "secco", o.gbp)
            for o in regime.one_offs
            if 0 <= (day := self.timeline.day(o.date)) < self.horizon
        ]
        self.srp_statuses = SrpStatuses(industry.actors)
        self._seq, self._booked = itertools.count(), itertools.count()
        self._open: dict[str, list[Assessment]] = {a: [] for a in industry.actors}
        self._status_set = Waits(self.env)
        self.plans = Planner(
            self.env,
            self.rules,
            industry,
            self.cio.lead_days,
            scenario.scheduling.margin_days,
            {
                (as_srp, kind): ((f.mean + srp.mean) * WORKING_TO_CALENDAR, f.mean * WORKING_TO_CALENDAR)
                for (as_srp, kind), (f, srp, *_) in self._durations.items()
            },
            self.srp_statuses.relied_on,
            self._status_set,
        )
        self._closed = Waits(self.env)
        self._ended = Ending(self.env, len(industry.actors))
        for a in industry.actors.values():
            Wake(self.env, self._lifecycle(a), self._ended.one_ended)

    # -- regime ---------------------------------------------------------------------------
    @property
    def change_days(self) -> list[float]:
        """Model days on which the regime changes."""
        return list(self.rules.change_days)

    def rules_at(self, day: float) -> R.Snapshot:
        """The regime snapshot in force on a model day."""
        return self.rules.at(day)

    def governing(self, booking: float, requested: float) -> R.Snapshot:
        """The rules an assessment booked on ``booking`` for fieldwork on ``requested`` follows (its transition moment)."""
        return self.rules.governing(booking, requested)

    # -- running --------------------------------------------------------------------------
    def run(self) -> Records:
        """Run until every party's last booked assessment has its final status, counting the events stepped.

        Stepped here rather than by ``env.run(until=...)``, whose way of stopping (an exception) leaves the
        environment in a reference cycle with every process; with the SSC's calendar stopped, a finished run
        holds no cycle of its own and is freed as soon as it is dropped (``sim.experiment.collector``).
        """
        step, ended, n = self.env.step, self._ended, 0
        try:
            while not ended.done:
                step()
                n += 1
        except simpy.core.StopSimulation:
            pass  # the SSC's calendar ended (``TAIL_DAYS`` past the horizon): the run stops where it stands
        self.records.events = n
        self.ssc.stop()
        self.records.meetings = self.ssc.meetings
        self.records.items = [(item.seq, submitted, reviewed) for item, submitted, reviewed in self.ssc.items]  # type: ignore[attr-defined]
        self.records.cio_busy = self.cio.busy
        return self.records

    # -- lifecycles -----------------------------------------------------------------------
    def _lifecycle(self, actor: Actor) -> Generator[simpy.Event | float, object, None]:
        env, is_srp, end = self.env, actor.role == "srp", min(self.horizon, actor.exit_day)
        entry = self.plans.srp_start(actor, actor.entry_day) if is_srp else actor.entry_day
        if entry is None or entry >= end:
            return
        lead = self.cio.lead_days
        yield max(0.0, entry - lead - env.now)
        last = yield from self._book(actor, "entry", max(entry, env.now), None, 0, "full")
        years_since_full = 1
        while True:
            due, booking, requested = yield from self.plans.next_annual(actor, last, years_since_full)
            if is_srp:
                # the status of the assessment just done lapses then, unless the next meets the 12-month rule (``_book``)
                self.srp_statuses.lapses_on(actor.id, due, last.seq)
            if requested >= end:
                break
            yield booking - env.now
            if is_srp and not (
                R.srp_has_own_assessment(self.rules.governing(env.now, requested)) and self._clients(actor, env.now)
            ):
                # No User to serve (or no SRP assessment in the regime) now: book again when it has Users, if it
                # does within the horizon: the next annual assessment if its status is still current then, else an
                # entry Full (one rule with its clients' reliance, SECMP0044 (e)).
                again = self.plans.srp_start(actor, env.now)
                if again is None:
                    break
                booking = max(env.now, again - lead)
                yield booking - env.now
                start = max(requested, again, booking + lead)
                rules = self.rules.governing(booking, start)  # its status current on the day the rule looks at, as planned
                end_ = start + self.plans.expected_days(actor, rules, years_since_full, start)
                if not self.srp_statuses.current(actor.id, R.due_reference(rules.due_requirement, booking, start, end_)):
                    last = yield from self._book(actor, "entry", max(again, env.now), None, 0, "full")
                    years_since_full = 1
                    continue
                requested = start
            last = yield from self._book(actor, "annual", requested, due, years_since_full, after=last)
            years_since_full = 1 if last.type == "full" else years_since_full + 1
        pending = [self._closed.until(a) for a in self._open[actor.id] if not a.closed]
        if pending:
            yield env.all_of(pending)

    def _clients(self, srp: Actor, day: float) -> int:
        return len(self.industry.clients_at(srp.id, day))

    # -- one assessment -------------------------------------------------------------------
    def _book(
        self,
        actor: Actor,
        trigger: str,
        requested: float,
        due: float | None,
        years_since_full: int,
        kind: str | None = None,
        follow_up_of: Assessment | None = None,
        after: Assessment | None = None,
    ) -> Generator[simpy.Event | float, object, Assessment]:
        """Ascertain the assessment's nature now, wait for the CIO through fieldwork and report, then submit
        report and response to the SSC for the day the response is ready (its status comes to ``_on_status``).
        ``after``: the annual assessment this one follows in the cycle, whose dates a re-timed due date counts from."""
        env, now, role = self.env, self.env.now, actor.role
        retimed = False
        if self._retime_windows and trigger == "annual" and role != "srp":  # the SSC may re-time Users (seed s.7)
            moved = R.retimed_start(
                requested, self._retime_windows, lambda day: self._affected(actor, requested, day, years_since_full)
            )
            if moved != requested:
                if due is not None:  # the due date the rules it is moved under give, and by then what they ask of it
                    moved_rules = self.rules.governing(now, moved)
                    counted = self.plans.due_after(after, moved_rules) if after is not None else None
                    due = due if counted is None else counted
                    if moved_rules.due_requirement == "completed":
                        due = max(due, moved + self.plans.expected_days(actor, moved_rules, years_since_full, moved))
                    else:
                        due = max(due, moved)
                retimed, requested = True, moved
        rules, fieldwork_moment = self.rules.ruling(now, requested)
        own, counted, band, basis, srp, measure = self.industry.count(actor, now, rules, requested if role == "srp" else None)
        if kind is None:
            kind = R.next_annual_type(role, band, years_since_full, rules, basis)  # type: ignore[arg-type]
        if role == "srp":
            srp = None
        rec = Assessment(
            seq=next(self._seq),
            party_id=actor.id,
            role=role,
            type=kind,
            trigger=trigger,
            cycle_year=0 if trigger == "ssc_request" else (1 if kind == "full" else years_since_full + 1),
            determination_day=now,
            requested_day=requested,
            premises_own=own,
            premises_counted=counted,
            band=band,
            srp_id=srp,
            includes_srp_scope=False,
            due_day=due,
            due_requirement=rules.due_requirement,
            count_measure=measure,
            aggregate_of=rules.aggregate_of,
            retimed=retimed,
            follow_up_of=follow_up_of.seq if follow_up_of is not None else None,
        )
        self.records.assessments.append(rec)
        self._open[actor.id].append(rec)
        if role == "srp" and due is not None and rules.due_requirement == "booked" and now <= due:
            self.srp_statuses.kept_in_force(actor.id)  # booked in time: its status stays in force until the next is set

        # Four uniforms per booking from the party's stream (Follow-ups from their own), whatever the
        # type and scope: the k-th annual assessment of a party sees the same draws in every regime.
        rng = self._tape("follow_up_durations" if trigger == "ssc_request" else "durations", actor.id)
        u: list[float] | list[None] = [None] * 4 if rng is None else rng.take(4)
        fieldwork_days, srp_scope_days, report_days, response_days, srp_report_days = self._quantiles[(role == "srp", kind)]
        fieldwork, srp_part, report, response = fieldwork_days(u[0]), srp_scope_days(u[1]), report_days(u[2]), response_days(u[3])

        if not fieldwork_moment:
            rec.includes_srp_scope = self._scope(rec, follow_up_of, rules)
        yield requested - now
        if fieldwork_moment:  # the SRP part's scope, like the rules, as at the booked fieldwork start
            rec.includes_srp_scope = self._scope(rec, follow_up_of, rules)
        if rec.includes_srp_scope:  # its part's fieldwork and write-up, drawn from one uniform
            fieldwork += srp_part
            report += srp_report_days(u[1])
        rec.cio_days = fieldwork + report
        start, fieldwork_end, report_day = self.cio.book(fieldwork * WORKING_TO_CALENDAR, report * WORKING_TO_CALENDAR)
        if due is not None:  # booked with the CIO: whether it meets the rule in force is known now
            rec.late = R.is_late(due, rec.determination_day, start, fieldwork_end, rules)
            rec.pushed_past_due = R.pushed_past_due(due, requested, start, fieldwork_end, rules.due_requirement)
            if role == "srp" and not rec.late:  # to start (or complete) in time: its status stays in force from now
                self.srp_statuses.kept_in_force(actor.id)
        # Reports come on their day (as SimPy times a wait for it) in the order booked with the CIO; a Follow-up's
        # process has nothing more to do then, so it submits its report now, for that day (one event fewer).
        came = (env.now + (report_day - env.now), next(self._booked))
        if trigger != "ssc_request" or came[0] >= self._last_meeting:
            yield report_day - env.now
        rec.fieldwork_start, rec.fieldwork_end, rec.report_day = start, fieldwork_end, report_day
        rec.response_day = rec.submitted_day = report_day + response
        self.ssc.submit(rec, rec.submitted_day, came)
        return rec

    def _affected(self, actor: Actor, requested: float, change: float, years_since_full: int) -> bool:
        """Whether a change on ``change`` alters how ``actor``'s next annual assessment would be assessed (its type,
        or whether its SRP part is in it) against fieldwork on ``requested``: what the SSC's re-timing is for."""

        def nature(rules: R.Snapshot) -> tuple[str, str | None]:
            count = self.industry.count(actor, self.env.now, rules)
            kind = R.next_annual_type(actor.role, count.band, years_since_full, rules, count.basis)  # type: ignore[arg-type]
            return kind, rules.srp_scope_in_client if count.srp is not None else None

        # As the moved assessment would be ruled: under the ``booking`` moment still by its booking, so never affected.
        return nature(self.rules.governing(self.env.now, requested)) != nature(self.rules.governing(self.env.now, change))

    def _scope(self, rec: Assessment, follow_up_of: Assessment | None, rules: R.Snapshot) -> bool:
        """Whether ``rec`` also assesses its SRP's part, decided now (its transition moment): a Follow-up as the
        assessment it follows; otherwise unless the User may rely on its SRP's status (SECMP0044 (e))."""
        if follow_up_of is not None:
            return follow_up_of.includes_srp_scope
        srp = rec.srp_id
        return R.srp_scope_included(srp is not None, srp is not None and self.srp_statuses.relied_on(srp, self.env.now), rules)

    def _on_status(self, item: object, status: str) -> None:
        """The SSC has set a status (G8.34): record it (its costs follow from the record, ``sim.model.costs``), then close the assessment if it
        passed, or book the Follow-up it asks for (its own status closes this one)."""
        assert isinstance(item, Assessment)
        rec, env = item, self.env
        actor = self.industry.actors[rec.party_id]
        rec.status, rec.status_day = status, env.now
        self._status_set.reached(rec)
        if actor.role == "srp":
            self.srp_statuses.set(actor.id, status, self._root(rec).seq)
            rec.report_copies = R.report_copies(
                self._clients(actor, env.now), status == "approved_subject_to", self.rules.at(env.now)
            )
        delay_rng = self._tape("follow_up_delay", actor.id)
        u = None if delay_rng is None else delay_rng.random()  # drawn at every status: the k-th status reads the k-th
        if status in R.PASSING:
            self._close(rec, env.now)
        elif env.now + (delay := self._follow_up_delay(u)) < actor.exit_day:  # the party stays
            kind = "full" if status == "rejected" and self.rules.at(env.now).rejected_requires_full else "follow_up"
            Wake(env, self._book(actor, "ssc_request", env.now + delay, None, 0, kind, follow_up_of=rec))  # the Follow-up
        else:
            self._close(rec, math.nan)

    def _tape(self, purpose: str, party: str) -> Tape | None:
        """The party's stream of uniforms for ``purpose`` (``Streams.uniforms``, kept by purpose then party)."""
        found = self._tapes.get((purpose, party), False)
        if found is False:
            found = self._tapes[(purpose, party)] = self.streams.uniforms(purpose, party)
        return found  # type: ignore[return-value]

    def _root(self, rec: Assessment) -> Assessment:
        """The assessment a review chain follows up (itself, if it is not a Follow-up)."""
        while rec.follow_up_of is not None:
            rec = self.records.assessments[rec.follow_up_of]  # seq is the index: records are appended as booked
        return rec

    def _close(self, rec: Assessment, passed: float) -> None:
        """End a review chain on ``passed`` (NaN: never passed): the assessment and every one it follows up."""
        while True:
            rec.closed_day, rec.closed = passed, True
            self._closed.reached(rec)
            if rec.follow_up_of is None:
                return
            rec = self.records.assessments[rec.follow_up_of]  # seq is the index: records are appended as booked

    def _decide(self, item: object) -> str:
        """The SSC's status for a report (G8.34); always Approved in a deterministic run."""
        assert isinstance(item, Assessment)
        rng = self._tape("ssc_outcome" if item.trigger != "ssc_request" else "ssc_follow_up_outcome", item.party_id)
        if rng is None:
            return "approved"
        return R.STATUSES[chosen(self._follow_up_outcomes if item.trigger == "ssc_request" else self._outcomes, rng.random())]
