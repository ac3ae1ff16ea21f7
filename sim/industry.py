"""The industry a replication simulates: parties, their premises over time and their SRPs.

Premises are step functions evaluated when a rule needs them (G8.49), never monthly events
in the event loop. An SRP's premises are the sum of its active clients' own premises.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from . import rules as R
from .scenario import Scenario
from .timeline import Timeline


@dataclass(frozen=True)
class Steps:
    """A right-continuous step function of model day; zero before its first step."""

    days: tuple[float, ...]
    values: tuple[int, ...]

    def __call__(self, day: float) -> int:
        i = bisect_right(self.days, day) - 1
        return self.values[i] if i >= 0 else 0


@dataclass
class Actor:
    """One party as the model sees it."""

    id: str
    role: str
    entry_day: float
    exit_day: float
    srp: str | None
    premises: Steps
    non_domestic: Steps
    clients: list[str] = field(default_factory=list)

    def active(self, day: float) -> bool:
        return self.entry_day <= day < self.exit_day


@dataclass
class Industry:
    """All actors of one replication, with SRP aggregates precomputed."""

    actors: dict[str, Actor]
    timeline: Timeline

    def srp_aggregate(self, srp: str, day: float) -> int:
        """Domestic premises of every active User of an SRP (seed s.2 'in aggregate')."""
        return self.actors[srp].premises(day)

    def count(self, actor: Actor, day: float, rules: R.Snapshot) -> tuple[int, int, str, str]:
        """(own premises, premises counted, band, basis) on a day (G8.49; seed s.2; SECMP0044 (d))."""
        own = actor.premises(day)
        aggregate = self.srp_aggregate(actor.srp, day) if actor.srp else None
        role = actor.role  # type: ignore[assignment]
        counted = R.counted_premises(role, own, aggregate, rules)  # type: ignore[arg-type]
        basis = R.count_basis(role, aggregate is not None, rules)  # type: ignore[arg-type]
        return own, counted, R.band(role, counted, rules, actor.non_domestic(day)), basis  # type: ignore[arg-type]

    def breakpoints(self, actor: Actor) -> list[float]:
        """Days on which this actor's counted premises may change."""
        days = set(actor.premises.days) | set(actor.non_domestic.days) | {actor.entry_day}
        if actor.srp is not None:
            days |= set(self.actors[actor.srp].premises.days)
        return sorted(days)


def _steps(timeline: Timeline, steps: tuple) -> Steps:
    return Steps(tuple(timeline.day(d) for d, _ in steps), tuple(n for _, n in steps))


def build(scenario: Scenario, timeline: Timeline) -> Industry:
    """The explicit parties of a scenario as model actors."""
    never = timeline.horizon + 1e9
    actors: dict[str, Actor] = {}
    for p in scenario.parties:
        actors[p.id] = Actor(
            id=p.id,
            role=p.role,
            entry_day=timeline.day(p.entry or scenario.start),
            exit_day=timeline.day(p.exit) if p.exit else never,
            srp=p.srp,
            premises=_steps(timeline, p.premises),
            non_domestic=_steps(timeline, p.non_domestic_premises),
        )
    for actor in actors.values():
        if actor.srp is not None:
            actors[actor.srp].clients.append(actor.id)
    explicit_entry = {p.id for p in scenario.parties if p.entry is not None}
    for srp in (a for a in actors.values() if a.role == "srp"):
        clients = [actors[c] for c in srp.clients]
        days = sorted({d for c in clients for d in (*c.premises.days, c.entry_day, c.exit_day) if d < never})
        values = tuple(sum(c.premises(d) for c in clients if c.active(d)) for d in days)
        srp.premises = Steps(tuple(days), values)
        if srp.id not in explicit_entry:
            srp.entry_day = min((c.entry_day for c in clients), default=never)
        srp.exit_day = max((c.exit_day for c in clients), default=srp.exit_day)
    return Industry(actors=actors, timeline=timeline)
