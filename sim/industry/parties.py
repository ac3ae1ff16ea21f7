"""The industry a replication simulates: parties, their premises over time and their SRPs.

Explicit parties come from the scenario; a ``population`` adds generated ones (drawn per
replication by ``sim.industry.population``). What the threshold counts is a step function per reading
(``sim.law.rules.MEASURES``), worked out the first time a rule asks for that reading and evaluated
when a rule needs it (G8.49), never as monthly events in the event loop. An explicit party's
``premises`` are its count under every reading. An SRP's count is the sum of its active
clients' own; which SRP a User is on is itself a step function (switches, migrations after an
Event of Default).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ..core.streams import Streams
from ..core.timeline import Timeline
from ..inputs.scenario import Scenario
from ..law import rules as R
from .counts import Client, MonthlyCounts, aggregate
from .population import generate, srp_choice
from .smart import market_shares
from .steps import Steps

ALWAYS = -1e18
"""A day before any horizon (explicit SRP membership holds from the beginning)."""


def aggregate_key(measure: str, of: str) -> str:
    """Where an SRP keeps its aggregate of ``of`` (``R.AGGREGATES``) under ``measure``: every User's is the measure's own."""
    return measure if of == "users" else f"{measure} of {of}"


def in_aggregate(role: str, of: str) -> bool:
    """Whether a User of this role counts in its SRP's aggregate under the reading ``of`` (seed s.2)."""
    return of == "users" or role == "supplier"


@dataclass
class Actor:
    """One party as the model sees it."""

    id: str
    role: str
    entry_day: float
    exit_day: float
    counts: dict[str, Steps]
    """What the threshold counts, per reading (filled as readings are asked for: ``Industry.premises``; an SRP's
    aggregate of its Suppliers alone under ``aggregate_key``)."""
    non_domestic: Steps
    srp_steps: tuple[tuple[float, str | None], ...] = ((ALWAYS, None),)
    mandate_day: float | None = None
    group: str = ""
    arrival_day: float | None = None
    """When a generated party entered the market (it books its initial Full then)."""
    customers: Steps | None = None
    """A generated party's customers (premises supplied or served, smart or not)."""

    def active(self, day: float) -> bool:
        """Whether the party is a User on ``day`` (entered and not exited)."""
        return self.entry_day <= day < self.exit_day

    def srp_at(self, day: float) -> str | None:
        """The SRP providing this User's User System on a day (None: its own)."""
        steps = self.srp_steps
        if len(steps) == 1:  # most Users never change SRP
            return steps[0][1]
        i = bisect_right([d for d, _ in steps], day) - 1
        return steps[max(i, 0)][1]

    def srp_on(self, days: np.ndarray) -> list[str | None]:
        """``srp_at`` on many days at once."""
        starts = np.array([d for d, _ in self.srp_steps])
        return [self.srp_steps[i][1] for i in (np.searchsorted(starts, days, side="right") - 1).clip(min=0)]

    def srps(self) -> set[str]:
        """Every SRP the party is ever on."""
        return {s for _, s in self.srp_steps if s is not None}


class Count(NamedTuple):
    """A party's premises as counted on a day, and the SRP it was on then."""

    own: int
    counted: int
    band: str
    basis: str
    srp: str | None
    measure: str


@dataclass
class Industry:
    """All actors of one replication and the market events; counts per reading are worked out when first asked for."""

    actors: dict[str, Actor]
    timeline: Timeline
    members: dict[str, list[str]] = field(default_factory=dict)
    events: list[tuple[float, str, str, str, int]] = field(default_factory=list)
    monthly: MonthlyCounts | None = None
    """The generated parties' monthly customers, what their counts are read from."""
    generated: list[Actor] = field(default_factory=list)
    """The generated parties, in ``monthly``'s row order."""

    def premises(self, actor: Actor, measure: str, of: str = "users") -> Steps:
        """What the threshold counts for ``actor`` under ``measure``, over time (an SRP: the sum of its Users', or of
        its Suppliers' alone: ``of``, ``R.AGGREGATES``).

        The first generated party asked for a reading has it worked out for every generated party at once.
        """
        key = aggregate_key(measure, of) if actor.role == "srp" else measure
        found = actor.counts.get(key)
        if found is None:
            if actor.role == "srp":
                found = actor.counts[key] = self._aggregate(actor, measure, of)
            else:
                assert self.monthly is not None, f"{actor.id} has no {measure} count"
                for party, steps in zip(self.generated, self.monthly.steps(measure), strict=True):
                    party.counts[measure] = steps
                found = actor.counts[measure]
        return found

    def _aggregate(self, srp: Actor, measure: str, of: str) -> Steps:
        """An SRP's count: its active clients' own (``of``: all, or Suppliers'), summed on every day any of them changes
        (seed s.2 'in aggregate')."""
        clients = [c for c in map(self.actors.__getitem__, self.members.get(srp.id, [])) if in_aggregate(c.role, of)]
        return aggregate(
            srp.id,
            [Client(self.premises(c, measure), c.entry_day, c.exit_day, c.srp_steps) for c in clients],
            ALWAYS,
        )

    def srp_aggregate(self, srp: str, day: float, measure: str = "customers", of: str = "users") -> int:
        """What the threshold counts for the active Users of an SRP together (seed s.2 'in aggregate'; ``of``: whose)."""
        return self.premises(self.actors[srp], measure, of)(day)

    def clients_at(self, srp: str, day: float) -> list[str]:
        """Users the SRP serves on a day."""
        return [c for c in self.members.get(srp, []) if self.actors[c].active(day) and self.actors[c].srp_at(day) == srp]

    def first_served(self, srp: str, after: float, until: float) -> float | None:
        """The first day in [after, until) on which the SRP serves at least one User, if any.

        Membership only changes on a member's entry, exit or SRP change, so those are the days to try.
        """
        days = {after}
        for c in self.members.get(srp, []):
            member = self.actors[c]
            days |= {member.entry_day, *(d for d, _ in member.srp_steps)}
        return next((d for d in sorted(days) if after <= d < until and self.clients_at(srp, d)), None)

    def count(self, actor: Actor, day: float, rules: R.Snapshot, joining_by: float | None = None) -> Count:
        """How a party's premises are counted on a day (G8.49; seed s.2; SECMP0044 (d)), under the reading in force.

        A User counted at its SRP's aggregate counts with every other User of the SRP, itself included:
        an entrant ascertaining its entry Full is not yet among the SRP's active Users, so its own are added; so are
        a Network Party's when the aggregate sums the Suppliers' alone (its own premises are always its count's).
        Likewise an SRP's assessment ascertained before Users it is assessed to serve are on it (``joining_by``: its
        booked fieldwork start) counts theirs: its first, booked ahead of its first User's entry, is not of none.
        """
        measure, of = rules.count_measure, rules.aggregate_of
        key = aggregate_key(measure, of)
        own = (actor.counts.get(key if actor.role == "srp" else measure) or self.premises(actor, measure, of))(day)
        if joining_by is not None and actor.role == "srp":
            own += self._joining(actor, day, joining_by, measure, of)
        srp = actor.srp_at(day)
        aggregate = None
        if srp is not None:
            clients = self.actors[srp]
            aggregate = (clients.counts.get(key) or self.premises(clients, measure, of))(day)
            if not (actor.entry_day <= day < actor.exit_day and in_aggregate(actor.role, of)):  # ``actor.active(day)``
                aggregate += own  # not yet among the SRP's Users, or a Network Party beside its Suppliers' sum
        role = actor.role
        counted_ = R.counted_premises(role, own, aggregate, rules)  # type: ignore[arg-type]
        basis = R.count_basis(role, aggregate is not None, rules)  # type: ignore[arg-type]
        non_domestic = actor.non_domestic(day) if actor.non_domestic.days else 0
        return Count(own, counted_, R.band(role, counted_, rules, non_domestic), basis, srp, measure)  # type: ignore[arg-type]

    def _joining(self, srp: Actor, day: float, until: float, measure: str, of: str) -> int:
        """Own counts on ``day`` of the Users the SRP serves on ``until`` but not on ``day`` (not yet in its aggregate):
        entrants, and Users moving to it (a switch, a migration after another SRP's default); ``of``: whose count."""
        served = set(self.clients_at(srp.id, day))
        joining = (self.actors[c] for c in self.clients_at(srp.id, until) if c not in served)
        return sum(self.premises(c, measure)(day) for c in joining if in_aggregate(c.role, of))

    def breakpoints(self, actor: Actor, readings: Iterable[tuple[str, str]]) -> list[float]:
        """Days on which this actor's counted premises may change under any of ``readings`` (measure, whose aggregate)."""
        readings = list(readings)
        days = set(actor.non_domestic.days) | {actor.entry_day}
        for measure, of in readings:
            days |= set(self.premises(actor, measure, of).days)
        for day, srp in actor.srp_steps:
            days.add(day)
            if srp is not None:
                for measure, of in readings:
                    days |= set(self.premises(self.actors[srp], measure, of).days)
        return sorted(d for d in days if d > ALWAYS)


def _steps(timeline: Timeline, steps: tuple) -> Steps:
    return Steps(tuple(timeline.day(d) for d, _ in steps), tuple(n for _, n in steps))


def build(scenario: Scenario, timeline: Timeline, streams: Streams | None = None) -> Industry:
    """The scenario's explicit parties and, if it has one, a population drawn from ``streams``."""
    streams = streams or Streams(scenario.seed, 0, scenario.deterministic)
    actors: dict[str, Actor] = {}
    listed = scenario.listed_parties()
    for p in listed:
        own = _steps(timeline, p.premises)
        actors[p.id] = Actor(
            id=p.id,
            role=p.role,
            entry_day=timeline.day(p.entry or scenario.start),
            exit_day=timeline.day(p.exit) if p.exit else math.inf,
            counts={} if p.role == "srp" else dict.fromkeys(R.MEASURES, own),
            non_domestic=_steps(timeline, p.non_domestic_premises),
            srp_steps=((ALWAYS, p.srp),),
        )
    explicit_entry = {p.id for p in listed if p.entry is not None}
    events: list[tuple[float, str, str, str, int]] = []
    pop = scenario.population
    industry = Industry(actors=actors, timeline=timeline, events=events)
    if pop is not None:
        drawn = generate(pop, timeline, streams, scenario.cio.booking_lead_weeks * 7.0)
        for srp in drawn.srp_ids:
            actors[srp] = Actor(id=srp, role="srp", entry_day=math.inf, exit_day=math.inf, counts={}, non_domestic=Steps((), ()))
        industry.monthly = MonthlyCounts(
            drawn.grid,
            drawn.customers,
            np.array([d.arrival_day for d in drawn.parties], dtype=float),
            np.array([d.smart_factor for d in drawn.parties], dtype=float),
            market_shares(pop.smart, timeline, drawn.grid),
            pop.smart.meters_per_premises,
        )
        for d, customers in zip(drawn.parties, industry.monthly.steps("customers"), strict=True):
            actors[d.id] = Actor(
                id=d.id,
                role=d.role,
                entry_day=d.entry_day,
                exit_day=d.exit_day,
                counts={"customers": customers},
                non_domestic=Steps((), ()),
                srp_steps=tuple(d.srp_steps) if d.srp_steps[0][0] > 0 else ((ALWAYS, d.srp_steps[0][1]), *d.srp_steps[1:]),
                mandate_day=d.mandate_day,
                group=d.group,
                arrival_day=d.arrival_day,
                customers=customers,
            )
            industry.generated.append(actors[d.id])
        events += drawn.events
    industry.members = {a.id: [] for a in actors.values() if a.role == "srp"}
    for actor in actors.values():
        for srp in sorted(actor.srps()):
            industry.members[srp].append(actor.id)
    if pop is not None:
        _defaults(industry, scenario, streams)
    for srp_id, clients in industry.members.items():
        _timing(industry, actors[srp_id], [actors[c] for c in clients], srp_id in explicit_entry)
    industry.events.sort(key=lambda e: (e[0], e[1], e[2]))
    return industry


def _timing(industry: Industry, srp: Actor, clients: list[Actor], explicit_entry: bool) -> None:
    """When an SRP is in business: from the first day it serves a User (SECMP0044 (a)) while it has Users."""
    if not explicit_entry:
        first = industry.first_served(srp.id, -math.inf, math.inf)
        srp.entry_day = math.inf if first is None else first
    if math.isinf(srp.exit_day):  # an SRP stays while it has Users, unless it exits or defaults
        srp.exit_day = max((c.exit_day for c in clients), default=srp.exit_day)


def _size(actor: Actor, day: float) -> int:
    """A party's portfolio on a day: its customers (generated) or its premises (explicit)."""
    return actor.customers(day) if actor.customers is not None else actor.counts["customers"](day)


def _defaults(industry: Industry, scenario: Scenario, streams: Streams) -> None:
    """Events of Default (G8.54-G8.60): the SRP stops; each client migrates after a time that grows with its
    portfolio (seed Q2, Q4: "potentially longer for a Large Supplier to complete this migration due to the large volume"),
    a client still waiting for User Entry too ("all its customers ... would need to migrate"), by its entry at the
    latest: it does not become a User on an SRP in default."""
    pop = scenario.population
    assert pop is not None
    t = industry.timeline
    rng = streams.get("srp_default")
    explicit = tuple(p.id for p in scenario.parties if p.role == "srp")
    choice = srp_choice(pop, t, explicit)
    for default in sorted(pop.srp_defaults, key=lambda d: d.date):
        srp, day = industry.actors[default.srp], t.day(default.date)
        srp.exit_day = day
        clients = industry.clients_at(srp.id, day)
        industry.events.append((day, "srp_default", srp.id, "", sum(_size(industry.actors[c], day) for c in clients)))
        waiting = [  # on it, User Entry still to come (and to come at all): they migrate too, after the active ones
            c
            for c in industry.members.get(srp.id, [])
            if c not in clients
            and industry.actors[c].srp_at(day) == srp.id
            and day < industry.actors[c].entry_day < industry.actors[c].exit_day
        ]
        for k, client_id in enumerate(clients + waiting):
            client = industry.actors[client_id]
            size = _size(client, day)
            moved = day + default.migration.base_days + default.migration.days_per_100k_premises * size / 1e5
            if k >= len(clients):  # with no portfolio on the SRP yet, it enters on its new one at the latest
                moved = min(moved, client.entry_day)
            new = choice.pick(0.5 if rng is None else float(rng.random()), moved, exclude=srp.id)
            client.srp_steps = (*[s for s in client.srp_steps if s[0] < moved], (moved, new))
            if new is not None and client_id not in industry.members[new]:
                industry.members[new].append(client_id)
            industry.events.append((moved, "srp_migration", client_id, f"{srp.id}->{new}", size))
