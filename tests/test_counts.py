"""Tests by intent: properties. The industry's counts worked out for all parties at once (``sim.industry.counts``)
are, step for step, the definitions they replace: an SRP's aggregate is the sum of what each client counts on
every day while it is in business on that SRP; a generated party's count is read off its monthly customers from
its arrival, at the smart shares of each day's month."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings, strategies as st

from sim.industry.counts import Client, MonthlyCounts, aggregate
from sim.industry.smart import counted
from sim.industry.steps import Steps
from sim.law import rules as R

ALWAYS = -1e18
DAYS = st.integers(min_value=-20, max_value=400).map(float)


@st.composite
def clients(draw):
    """A client: a count with a few steps, an entry, maybe an exit, and moves between two SRPs (or none)."""
    days = sorted(draw(st.sets(DAYS, max_size=6)))
    values = [draw(st.integers(0, 10**6)) for _ in days]
    entry = draw(DAYS)
    exit_ = draw(st.one_of(st.just(math.inf), DAYS.map(lambda d: d + 1.0)))
    moves = sorted(draw(st.sets(DAYS, max_size=3)))
    starts = [ALWAYS, *moves] if not moves or draw(st.booleans()) else moves  # on an SRP from the start, or not
    srps = draw(st.lists(st.sampled_from(["A", "B", None]), min_size=len(starts), max_size=len(starts)))
    return Client(Steps(tuple(days), tuple(values)), entry, exit_, tuple(zip(starts, srps, strict=True)))


def _on(client: Client, srp: str, day: float) -> bool:
    """Whether the client is a User of ``srp`` on ``day``: the definition, day by day."""
    moves = client.srp_steps
    i = max((k for k, (d, _) in enumerate(moves) if d <= day), default=0)  # before the first move, the first's
    return moves[i][1] == srp and client.entry_day <= day < client.exit_day


@settings(max_examples=150, deadline=None)
@given(st.lists(clients(), max_size=6))
def test_an_srps_aggregate_is_its_clients_counts_summed_while_each_is_on_it(parties):
    found = aggregate("A", parties, ALWAYS)
    days = sorted(
        {0.0}
        | {
            d
            for c in parties
            for d in (*c.counts.days, c.entry_day, c.exit_day, *(s for s, _ in c.srp_steps))
            if ALWAYS < d < math.inf
        }
    )
    expected = Steps.compact(np.array(days), np.array([sum(c.counts(d) for c in parties if _on(c, "A", d)) for d in days]))
    assert found == expected


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 400), st.floats(0.2, 1.6)), min_size=1, max_size=5),
    st.sampled_from(R.MEASURES),
    st.integers(0, 2**32 - 1),
)
def test_every_generated_partys_count_is_its_own_monthly_customers_from_its_arrival(parties, measure, seed):
    grid = np.arange(0.0, 365.0, 30.5)
    rng = np.random.default_rng(seed)
    customers = np.rint(rng.uniform(0, 400_000, (len(parties), len(grid))))
    shares = {k: np.sort(rng.uniform(0, 0.9, len(grid))) for k in ("smets2", "smart", "dcc")}
    arrival, factor = (np.array(column) for column in zip(*parties, strict=True))
    monthly = MonthlyCounts(grid, customers, arrival, factor, shares, 1.83)
    for i, found in enumerate(monthly.steps(measure)):
        later = grid > arrival[i]  # on arrival what it supplies next month, at this month's shares
        days = np.concatenate([[arrival[i]], grid[later]])
        values = np.concatenate([[customers[i][later][0] if later.any() else 0.0], customers[i][later]])
        month = (np.searchsorted(grid, days, side="right") - 1).clip(min=0)
        expected = counted(measure, values, {k: v[month] for k, v in shares.items()}, factor[i], 1.83)
        assert found == Steps.compact(days, expected)
