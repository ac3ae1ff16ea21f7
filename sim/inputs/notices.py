"""What a valid scenario writes that its horizon will not show: a date a run reads as another, or never reaches.

None of these is a mistake (a sweep or ``--years`` may put any date outside the horizon, and a file may be written
for a longer one), so each is a warning, not a refusal: one line naming the file and key, as an error would, and
what the run does instead. ``secsim validate`` and ``secsim run`` print them on stderr, once every check has passed,
and go on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from ..core.validation import Loc, Source, where

if TYPE_CHECKING:
    from .scenario import Scenario

Dated = tuple[tuple[str | int, ...], dt.date, str | None]
"""A date a scenario gives (where, which, and what a run does with it where the horizon does not hold it)."""


def outside_horizon(
    s: Scenario, source: Source, as_filed: Scenario | None = None, changes: str = "", regimes: Collection[str] | None = None
) -> list[str]:
    """One line for each date the horizon [start, end) does not hold where a run reads it otherwise, named where
    ``source`` writes it; a date ``as_filed`` (the scenario as its files give it) does not give at that place is named
    as ``changes`` (``--set ...``) instead. ``regimes``: those a run runs (default: all)."""
    filed = {loc: day for loc, day, _ in _dated(as_filed)} if as_filed is not None else None
    lines = []
    for loc, day, says in _dated(s, regimes):
        if says is not None:
            named: Source = source if filed is None or filed.get(loc) == day else changes
            lines.append(f"{where(named, loc)}: {says}")
    return lines


def _dated(s: Scenario, regimes: Collection[str] | None = None) -> Iterator[Dated]:
    from .scenario import RegimeVariant

    past = f"past the horizon (it ends before {s.end})"

    def outside(loc: Loc, day: dt.date, inside: bool, then: str) -> Dated:
        return tuple(loc), day, None if inside else then

    for i, r in enumerate(s.regimes):
        if isinstance(r, RegimeVariant) and r.from_ is not None and (regimes is None or r.name in regimes):
            yield outside(
                ("regimes", i, "from"), r.from_, r.from_ < s.end, f"{r.from_} is {past}: its set changes nothing within it"
            )
    for i, p in enumerate(s.parties):
        if p.entry is not None and p.copies:
            then = f"{p.entry} is before the start {s.start}: its initial Full is booked for the start"
            yield outside(("parties", i, "entry"), p.entry, p.entry >= s.start, then)
    for i, g in enumerate(s.population.groups if s.population else []):
        if g.mandate is not None:
            yield outside(
                ("population", "groups", i, "mandate"),
                g.mandate,
                g.mandate < s.end,
                f"{g.mandate} is {past}: no missed mandate can be counted",
            )
