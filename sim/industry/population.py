"""Draw a generated industry for one replication (DOMAIN.md 6, issue: the industry over time).

Everything is drawn up front from named streams, independent of the regime, so replication r
of every regime simulates the same industry (common random numbers). Customers grow per
party, suppliers fail with a dated hazard and a Supplier of Last Resort receives their
customers; SRP clients switch. What the 250,000 test counts is then read off the customers
(``sim.industry.smart``), as monthly steps evaluated only when a rule needs them.

The draws do not depend on the horizon's length: entrants are drawn month by month with all
they need, and each month's market draws are sized by the parties already in the market, so
the first N years of a longer run are an N-year run (tests/test_population.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field

import numpy as np

from ..core.streams import Streams, chosen, cumulative, pick
from ..core.timeline import Timeline
from ..inputs.population_spec import Group, Population


@dataclass
class Drawn:
    """One generated party before it becomes a model actor."""

    id: str
    role: str
    group: str
    arrival_day: float
    entry_day: float
    growth: float
    customers0: float
    srp: str | None
    smart_factor: float
    mandate_day: float | None
    exit_day: float = math.inf
    srp_steps: list[tuple[float, str | None]] = field(default_factory=list)
    anchor: bool = False
    """The founding Large client of its SRP, which stays with it (seed Q4: all SRPs have Large Supplier customers)."""


@dataclass
class Generated:
    """A generated population: parties, their customers on a monthly grid, and market events."""

    grid: np.ndarray
    parties: list[Drawn]
    customers: np.ndarray
    """customers[i, m]: party i's domestic premises supplied (or served) in month m (0 when not active)."""
    srp_ids: list[str]
    events: list[tuple[float, str, str, str, int]]
    """(day, event, party, other party, customers)"""


def month_grid(timeline: Timeline) -> np.ndarray:
    """Model days of the first of each month in the horizon (and day 0)."""
    return month_bounds(timeline)[:-1]


@functools.lru_cache(maxsize=64)
def month_bounds(timeline: Timeline) -> np.ndarray:
    """``month_grid`` and, last, the first day of the month after the horizon's last: whole months, so a
    month's draws do not depend on where the horizon ends. Worked out once per timeline (read-only)."""
    days = [0.0]
    year, month = timeline.start.year, timeline.start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        days.append(timeline.day(dt.date(year, month, 1)))
        if days[-1] >= timeline.horizon:
            bounds = np.array(days)
            bounds.flags.writeable = False
            return bounds


def rates_on(steps: tuple, timeline: Timeline, days: np.ndarray) -> np.ndarray:
    """A dated step value (zero before its first date) on each of ``days``."""
    starts = np.array([timeline.day(d) for d, _ in steps])
    values = np.array([float(v) for _, v in steps])
    i = np.searchsorted(starts, days, side="right") - 1
    return np.where(i >= 0, values[i.clip(min=0)], 0.0)


_STRIDES = (1, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43)


def _uniforms(rng: np.random.Generator | None, n: int, variable: int = 0) -> np.ndarray:
    """Random uniforms, or in a deterministic run evenly spaced quantiles, visited in a different
    order for each ``variable`` so that size, SRP choice and entry time are not locked together."""
    if rng is not None:
        return rng.random(n)
    stride = next(s for s in _STRIDES[variable:] if math.gcd(s, n) == 1)
    return ((np.arange(n) * stride) % n + 0.5) / n


@dataclass(frozen=True)
class SrpChoice:
    """How a User picks an SRP: by the SRPs' pull, among those not closed by an Event of Default."""

    ids: tuple[str, ...]
    weights: tuple[float, ...]
    closed: dict[str, float] = field(default_factory=dict)
    _open: dict[tuple[str | None, tuple[str, ...]], tuple[tuple[str, ...], tuple[float, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """The SRPs open and their cumulative pull, by the one left out and those closed: what a pick reads (every
    User picks, so a pick does not go through every SRP: that made drawing the industry quadratic in its size)."""

    def pick(self, u: float, day: float, exclude: str | None = None) -> str | None:
        """The SRP a uniform ``u`` picks on ``day``, by pull, among those open then (``exclude``: one to leave out)."""
        key = (exclude, tuple(s for s, closed in self.closed.items() if closed <= day))
        found = self._open.get(key)
        if found is None:
            allowed = [
                (s, w) for s, w in zip(self.ids, self.weights, strict=True) if s != exclude and self.closed.get(s, math.inf) > day
            ]
            found = self._open[key] = (tuple(s for s, _ in allowed), cumulative(tuple(w for _, w in allowed)))
        ids, shares = found
        return ids[chosen(shares, u)] if ids else None


def srp_choice(pop: Population, timeline: Timeline, explicit: tuple[str, ...] = ()) -> SrpChoice:
    """Generated SRPs with their weights, explicit SRPs with weight 1, and the dates SRPs default."""
    ids = tuple(f"SRP-{k + 1}" for k in range(pop.srps.count))
    weights = tuple(pop.srps.weights or [1.0] * pop.srps.count)
    return SrpChoice(ids + explicit, weights + (1.0,) * len(explicit), {d.srp: timeline.day(d.date) for d in pop.srp_defaults})


def generate(pop: Population, timeline: Timeline, streams: Streams, lead_days: float) -> Generated:
    """Draw one replication's generated population."""
    grid = month_grid(timeline)
    choice = srp_choice(pop, timeline)
    srp_ids = list(choice.ids)
    parties: list[Drawn] = []
    events: list[tuple[float, str, str, str, int]] = []
    for group in pop.groups:
        parties += _initial(group, timeline, streams, choice, pop.srps.count if pop.srps.anchor_group == group.name else 0)
        parties += _entrants(group, timeline, streams, grid, choice, lead_days)
    for p in parties:
        if p.arrival_day > 0:
            events.append((p.arrival_day, "entry", p.id, "", int(p.customers0)))
        p.srp_steps = [(p.arrival_day, p.srp)]
    customers = _base_customers(parties, grid, {g.name: g for g in pop.groups}, timeline)
    _market(pop, timeline, streams, grid, parties, customers, choice, events)
    return Generated(grid, parties, customers, srp_ids, sorted(events, key=lambda e: (e[0], e[1], e[2])))


def _initial(group: Group, timeline: Timeline, streams: Streams, choice: SrpChoice, anchors: int) -> list[Drawn]:
    """The group's parties present at the start; with ``anchors``, its largest found the first SRPs, one each."""
    n = group.count
    if n == 0:
        return []
    rng = streams.get("population", group.name)
    sizes = group.customers.quantiles(_uniforms(rng, n, 0))
    growth = np.full(n, group.growth.mean) if rng is None else rng.normal(group.growth.mean, group.growth.sd, n)
    on_srp = _uniforms(rng, n, 1) < group.srp_share
    pick = _uniforms(rng, n, 2)
    if group.entry_window:
        lo, hi = (timeline.day(d) for d in group.entry_window)
        entries = lo + (hi - lo) * _uniforms(rng, n, 3)
    else:
        entries = np.zeros(n)
    mandate = timeline.day(group.mandate) if group.mandate else None
    drawn = [
        Drawn(
            id=f"{group.name}-{i + 1:03d}",
            role=group.role,
            group=group.name,
            arrival_day=0.0,
            entry_day=float(max(0.0, entries[i])),
            growth=float(growth[i]),
            customers0=float(sizes[i]),
            srp=choice.pick(float(pick[i]), 0.0) if on_srp[i] else None,
            smart_factor=group.smart_factor,
            mandate_day=mandate,
        )
        for i in range(n)
    ]
    for srp, i in zip(choice.ids[:anchors], np.argsort(-sizes, kind="stable"), strict=False):  # the largest, one per SRP
        drawn[i].srp, drawn[i].anchor = srp, True
    return drawn


def _entrants(
    group: Group,
    timeline: Timeline,
    streams: Streams,
    grid: np.ndarray,
    choice: SrpChoice,
    lead_days: float,
) -> list[Drawn]:
    """New parties: a Poisson process with a dated rate, drawn month by month with each entrant's size,
    growth, SRP and wait; each books its initial Full on arrival, for User Entry a booking lead (and its
    group's ``entrant_entry_delay_days``) later."""
    rng = streams.get("entrants", group.name)
    if rng is None:
        return []  # a deterministic run has no random events
    bounds = month_bounds(timeline)
    rates = rates_on(group.entrants_per_year, timeline, grid)
    arrivals, uniforms, growth = [np.empty(0)], [np.empty((0, 4))], [np.empty(0)]
    for lo, hi, rate in zip(bounds[:-1].tolist(), bounds[1:].tolist(), rates.tolist(), strict=True):
        # A month without entrants draws nothing, so it is skipped (numpy's Poisson draws nothing for a zero mean).
        k = int(rng.poisson(rate * (hi - lo) / 365.0)) if rate else 0
        if k:
            arrivals.append(rng.uniform(lo, hi, k))
            uniforms.append(rng.random((k, 4)))  # size, on an SRP, which SRP, wait for User Entry
            growth.append(rng.normal(group.growth.mean, group.growth.sd, k))
    when, u, g = np.concatenate(arrivals), np.concatenate(uniforms), np.concatenate(growth)
    inside = when < timeline.horizon
    when, u, g = when[inside], u[inside], g[inside]
    sizes = (group.entrant_customers or group.customers).quantiles(u[:, 0])
    waits = group.entrant_entry_delay_days.quantiles(u[:, 3]) if group.entrant_entry_delay_days else np.zeros(len(when))
    return [
        Drawn(
            id=f"{group.name}-{group.count + k + 1:03d}",
            role=group.role,
            group=group.name,
            arrival_day=float(when[k]),
            entry_day=float(when[k] + lead_days + waits[k]),
            growth=float(g[k]),
            customers0=float(sizes[k]),
            srp=choice.pick(float(u[k, 2]), float(when[k])) if u[k, 1] < group.srp_share else None,
            smart_factor=group.smart_factor,
            mandate_day=None,
        )
        for k in range(len(when))
    ]


def _base_customers(parties: list[Drawn], grid: np.ndarray, groups: dict[str, Group], timeline: Timeline) -> np.ndarray:
    """Customers by month from each party's arrival, growing at its own rate until its group's ``until``
    (a party per row, computed for all at once)."""
    stops = {name: timeline.day(g.growth.until) if g.growth.until else math.inf for name, g in groups.items()}
    arrival, stop, growth, customers0 = (
        np.array(values, dtype=float).reshape(-1, 1)
        for values in (
            [p.arrival_day for p in parties],
            [stops[p.group] for p in parties],
            [p.growth for p in parties],
            [p.customers0 for p in parties],
        )
    )
    years = (np.minimum(grid, stop) - arrival).clip(min=0.0) / 365.0
    return np.where(grid >= arrival, customers0 * np.exp(growth * years), 0.0)


def _market(
    pop: Population,
    timeline: Timeline,
    streams: Streams,
    grid: np.ndarray,
    parties: list[Drawn],
    customers: np.ndarray,
    choice: SrpChoice,
    events: list,
) -> None:
    """Month by month: failures with a Supplier of Last Resort transfer, and SRP client switches."""
    rng = streams.get("market")
    groups = {g.name: g for g in pop.groups}
    n, months = customers.shape
    ends = month_bounds(timeline)[1:]
    alive = np.ones(n, dtype=bool)
    role = np.array([p.role for p in parties])
    arrival = np.array([p.arrival_day for p in parties])
    suppliers = role == "supplier"
    by_group = {g.name: rates_on(g.exit_hazard, timeline, grid) for g in pop.groups}
    member_group = [p.group for p in parties]
    hazards = np.array([by_group[g] for g in member_group]).reshape(n, months)
    market = rates_on(pop.market_premises, timeline, grid) if pop.market_premises is not None else None
    factors = [groups[g].exit_size_factor for g in member_group]
    size_cut = np.array([np.inf if f is None else f.customers for f in factors])
    size_factor = np.array([1.0 if f is None else f.factor for f in factors])
    switching = bool(choice.ids) and pop.srps.switch_rate > 0
    for m, (day, end) in enumerate(zip(grid.tolist(), ends.tolist(), strict=False)):
        span = end - day  # the whole month, wherever the horizon ends
        active = alive & (arrival <= day)
        if market is not None:
            supplied = customers[active & suppliers, m].sum()
            if supplied > 0:
                customers[active & suppliers, m] *= market[m] / supplied
        if rng is None:
            continue  # a deterministic run has no random events
        present = np.flatnonzero(active)  # the month's draws go to the parties in the market, in order
        u_exit, u_switch, u_pick = rng.random((3, len(present)))
        at_risk = hazards[present, m]
        hazard = np.where(customers[present, m] > size_cut[present], at_risk * size_factor[present], at_risk)
        leaving = np.flatnonzero(u_exit < 1.0 - np.exp(-hazard * span / 365.0))  # positions in ``present``
        alive[present[leaving]] = False  # no supplier failing this month can receive another's customers
        receivers = active & alive & suppliers
        for k in leaving.tolist():
            i, p = int(present[k]), parties[present[k]]
            p.exit_day = day + float(u_pick[k]) * span
            events.append((p.exit_day, "exit", p.id, "", int(customers[i, m])))
            if p.role == "supplier":
                _solr(pop, rng, i, m, parties, customers, receivers, events)
            customers[i, m + 1 :] = 0.0
        if switching:
            for k in np.flatnonzero(alive[present] & (u_switch < pop.srps.switch_rate * span / 365.0)).tolist():
                i, p = int(present[k]), parties[present[k]]
                current = p.srp_steps[-1][1]
                if current is None or p.anchor:
                    continue
                new = choice.pick(float(u_pick[k]), day, exclude=current)
                p.srp_steps.append((day, new))
                events.append((day, "srp_switch", p.id, f"{current}->{new}", int(customers[i, m])))


def _solr(
    pop: Population,
    rng: np.random.Generator,
    i: int,
    m: int,
    parties: list[Drawn],
    customers: np.ndarray,
    receivers: np.ndarray,
    events: list,
) -> None:
    """Supplier of Last Resort: the failed supplier's customers move to one receiver, chosen by size."""
    moved = customers[i, m]
    eligible = np.flatnonzero(receivers & (customers[:, m] >= pop.solr_receiver_min_customers))
    sizes = customers[eligible, m]
    if moved <= 0 or eligible.size == 0 or sizes.sum() <= 0:
        return
    receiver = int(eligible[pick(sizes, rng.random())])
    customers[receiver, m + 1 :] += moved
    events.append((parties[i].exit_day, "solr_transfer", parties[i].id, parties[receiver].id, int(moved)))
