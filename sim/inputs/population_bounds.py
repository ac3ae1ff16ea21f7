"""Bounds on a generated population as a whole, which no single key's range can give.

Each key of ``population:`` has its own range (``sim.inputs.population_spec``), but a party's customers
are its drawn size times its drawn growth compounded over the years, and the industry's size is
every group's count and entrants together. These checks keep both within what a run can hold:
a party's premises within 64 bits (numpy counts wrap silently past 2**63), and the parties few
enough that a replication fits in memory.
"""

from __future__ import annotations

import datetime as dt
import math

from ..core.validation import Source, located
from .population_spec import CountDist, Population

MAX_PARTIES = 20_000
"""Most parties a scenario may have: explicit, present at the start, and entrants at each group's highest rate
(gb-baseline has about 200)."""
MAX_CUSTOMERS_REACHED = 1e18
"""Most customers a generated party may reach at the extremes of its draws (a 64-bit count holds 9.2e18)."""
EXTREME_Z = 8.3
"""The largest standard normal quantile a draw reaches: numpy's uniforms are below 1 - 2**-53 (z = 8.2), and a
normal draw beyond 8.3 has a chance below 1e-16."""


def largest(size: CountDist) -> float:
    """The largest size a count distribution can draw."""
    if size.kind == "constant":
        return size.params[0]
    if size.kind == "uniform":
        return size.params[1]
    return size.params[0] * math.exp(EXTREME_Z * size.params[1])


def check(start: dt.date, end: dt.date, explicit: int, pop: Population, source: Source) -> None:
    """Raise ``InputError`` if the population could hold more parties, or a party more customers, than a run can, or
    a group's parties present at the start could never enter (an ``entry_window`` after the horizon)."""
    years = (end - start).days / 365.0
    parties = explicit + sum(g.count + max(r for _, r in g.entrants_per_year) * years for g in pop.groups)
    if parties > MAX_PARTIES:
        raise located(
            source,
            ["population", "groups"],
            f"expected at most {MAX_PARTIES:,} parties in all (explicit, present "
            f"at the start, and entrants at each group's highest rate), got about {parties:,.0f}",
        )
    for i, group in enumerate(pop.groups):
        if group.count and group.entry_window and group.entry_window[0] >= end:  # only those present use it
            raise located(
                source,
                ["population", "groups", i, "entry_window"],
                f"starts on {group.entry_window[0]}, when the horizon has ended ({end}, exclusive): its "
                f"{group.count} parties would never enter; expected a window that starts before the end",
            )
        until = min(group.growth.until or end, end)
        growing = max(0.0, (until - start).days / 365.0)
        rate = max(0.0, group.growth.mean + EXTREME_Z * group.growth.sd)
        size = max(largest(group.customers), largest(group.entrant_customers or group.customers))
        reached = size * math.exp(min(rate * growing, 700.0))
        if reached > MAX_CUSTOMERS_REACHED:
            raise located(
                source,
                ["population", "groups", i, "growth"],
                f"a party could reach {reached:.2g} customers by {until} (its largest size, growing at mean + "
                f"{EXTREME_Z:g} sd a year); expected at most {MAX_CUSTOMERS_REACHED:.0e}: lower growth or set growth.until",
            )
