"""What a valid scenario writes that its horizon will not show: a date a run reads as another, or never reaches.

None of these is a mistake (a sweep or ``--years`` may put any date outside the horizon, and a file may be written
for a longer one), so each is a warning, not a refusal: one line naming the file and key, as an error would, and
what the run does instead. ``secsim validate`` and ``secsim run`` print them on stderr and go on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.validation import Source, where

if TYPE_CHECKING:
    from .scenario import Scenario


def outside_horizon(s: Scenario, source: Source) -> list[str]:
    """One line for each date the horizon [start, end) does not hold where a run would read it otherwise."""
    from .scenario import RegimeVariant

    past = f"past the horizon (it ends before {s.end})"
    lines = []
    for i, r in enumerate(s.regimes):
        if isinstance(r, RegimeVariant) and r.from_ is not None and r.from_ >= s.end:
            lines.append(f"{where(source, ('regimes', i, 'from'))}: {r.from_} is {past}: {r.name} runs as {r.base}")
    for i, p in enumerate(s.parties):
        if p.entry is not None and p.entry < s.start:
            lines.append(
                f"{where(source, ('parties', i, 'entry'))}: {p.entry} is before the start {s.start}: "
                "its initial Full is booked for the start"
            )
    for i, g in enumerate(s.population.groups if s.population else []):
        if g.mandate is not None and g.mandate >= s.end:
            lines.append(
                f"{where(source, ('population', 'groups', i, 'mandate'))}: {g.mandate} is {past}: "
                "no missed mandate can be counted"
            )
    return lines
