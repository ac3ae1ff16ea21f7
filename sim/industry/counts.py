"""What the threshold counts for every generated party of a replication at once, by reading.

A generated party's count is a step function from its arrival: on its arrival day what it supplies on
the next month's first (its entry Full is ascertained on it), read at the smart shares of the month it
arrives in; then month by month. Worked out with whole-array operations on the population's monthly
customers (``sim.industry.population``) for every party together, the first time a rule asks for a
reading, and compacted to the days the count changes: the same steps, value for value, as working each
party out on its own, at a fraction of the cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .smart import counted
from .steps import Steps


@dataclass(frozen=True)
class MonthlyCounts:
    """The generated parties' customers on the month grid (a party per row), and what is needed to count them."""

    grid: np.ndarray
    """Model days of the first of each month."""
    customers: np.ndarray
    """customers[i, m]: party i's customers in month m, after the market's events."""
    arrival: np.ndarray
    """Each party's arrival day."""
    smart_factor: np.ndarray
    """Each party's group's ``smart_factor``."""
    shares: dict[str, np.ndarray]
    """Market-wide smart shares on the grid (``sim.industry.smart.market_shares``)."""
    meters_per_premises: float

    def steps(self, measure: str) -> list[Steps]:
        """Every party's count under ``measure`` (``sim.law.rules.MEASURES``), in row order."""
        n, months = self.customers.shape
        rows = np.arange(n)
        first = np.searchsorted(self.grid, self.arrival, side="right")  # its first month's first after arrival
        monthly = self._rounded(measure, self.customers, self.shares, self.smart_factor[:, None])
        supplied = np.where(first < months, self.customers[rows, np.minimum(first, months - 1)], 0.0)
        month_of_arrival = np.maximum(first - 1, 0)
        on_arrival = self._rounded(measure, supplied, {k: v[month_of_arrival] for k, v in self.shares.items()}, self.smart_factor)
        before = np.empty_like(monthly)  # each month's predecessor in the party's steps: the month before, or arrival
        before[:, 1:] = monthly[:, :-1]
        inside = first < months
        before[rows[inside], first[inside]] = on_arrival[inside]
        kept_rows, kept_months = np.nonzero((monthly != before) & (np.arange(months) >= first[:, None]))
        ends = np.cumsum(np.bincount(kept_rows, minlength=n)).tolist()
        days, values = self.grid[kept_months].tolist(), monthly[kept_rows, kept_months].tolist()
        out, start = [], 0
        for i, (arrival, value) in enumerate(zip(self.arrival.tolist(), on_arrival.tolist(), strict=True)):
            out.append(Steps((arrival, *days[start : ends[i]]), (value, *values[start : ends[i]])))
            start = ends[i]
        return out

    def _rounded(self, measure: str, customers: np.ndarray, shares: dict[str, np.ndarray], factor: np.ndarray) -> np.ndarray:
        return np.rint(counted(measure, customers, shares, factor, self.meters_per_premises)).astype(np.int64)


@dataclass(frozen=True)
class Client:
    """One User of an SRP as its aggregate sees it: what it counts, while it is in business and on that SRP."""

    counts: Steps
    entry_day: float
    exit_day: float
    srp_steps: tuple[tuple[float, str | None], ...]
    """(from day, SRP) in day order; before the first, the first's SRP."""


def aggregate(srp: str, clients: list[Client], after: float) -> Steps:
    """What the threshold counts for an SRP: its clients' counts summed while each is in business on it (seed s.2
    'in aggregate'), on day 0 and every day after ``after`` on which any of them changes.

    Each client adds a step function that changes only on its own step days, its moves between SRPs, its entry
    and its exit. Those points are put in order for all clients together, each client's addition read off at
    each of its points, and the changes summed in day order: the work grows with the clients' steps, not with
    the clients times everybody's days.
    """
    if not clients:
        return Steps((0.0,), (0,))
    n = len(clients)
    steps = [c.counts.arrays for c in clients]
    moves = [c.srp_steps for c in clients]
    every = np.arange(n)
    points = [  # (client, day, count from then, whether it sets the count, on this SRP from then, whether it sets that)
        (every, np.full(n, -np.inf), np.zeros(n, np.int64), True, np.array([m[0][1] == srp for m in moves]), True),
        (
            np.repeat(every, [len(d) for d, _ in steps]),
            np.concatenate([d for d, _ in steps]),
            np.concatenate([v for _, v in steps]),
            True,
            False,
            False,
        ),
        (
            np.repeat(every, [len(m) for m in moves]),
            np.array([day for m in moves for day, _ in m], dtype=float),
            0,
            False,
            np.array([on == srp for m in moves for _, on in m]),
            True,
        ),
        (every, np.array([c.entry_day for c in clients], dtype=float), 0, False, False, False),
        (every, np.array([c.exit_day for c in clients], dtype=float), 0, False, False, False),
    ]
    owner, day = np.concatenate([p[0] for p in points]), np.concatenate([p[1] for p in points])
    count, sets_count, on, sets_on = (
        np.concatenate([p[k] if isinstance(p[k], np.ndarray) else np.full(len(p[1]), p[k]) for p in points]) for k in range(2, 6)
    )
    order = np.lexsort((day, owner))
    owner, day, count, sets_count, on, sets_on = (a[order] for a in (owner, day, count, sets_count, on, sets_on))
    index = np.arange(len(day))
    count = count[np.maximum.accumulate(np.where(sets_count, index, 0))]  # each client's first point sets both
    on = on[np.maximum.accumulate(np.where(sets_on, index, 0))]
    entry = np.array([c.entry_day for c in clients])[owner]
    exit_ = np.array([c.exit_day for c in clients])[owner]
    adds = np.where(on & (day >= entry) & (day < exit_), count, 0)
    last = np.append((owner[1:] != owner[:-1]) | (day[1:] != day[:-1]), True)  # a client's state after a day's points
    owner, day, adds = owner[last], day[last], adds[last]
    before = np.concatenate([[0], adds[:-1]])
    before[np.append(True, owner[1:] != owner[:-1])] = 0
    in_time = np.argsort(day, kind="stable")
    level, when = np.cumsum((adds - before)[in_time]), day[in_time]
    grid = np.unique(np.concatenate([[0.0], day[(day > after) & (day < np.inf)]]))
    return Steps.compact(grid, level[np.searchsorted(when, grid, side="right") - 1])
