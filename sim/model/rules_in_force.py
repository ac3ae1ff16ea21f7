"""The regime's rules by model day, and the rules an assessment follows (its transition moment, DOMAIN.md 4.3).

Asked several times per assessment, so worked out once per run: the snapshots on the regime's change days,
equal snapshots made one object (so "the same rules" is an identity test), and a regime without changes
answered without a search.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

from ..core.timeline import Timeline
from ..law import rules as R
from ..law.regime import Regime


class RulesInForce:
    """One regime's snapshots over one scenario's model days."""

    def __init__(self, regime: Regime, timeline: Timeline) -> None:
        dates = regime.change_dates()
        self.change_days = [timeline.day(d) for d in dates]
        """Model days on which the regime changes, in order."""
        distinct: list[R.Snapshot] = []
        for snapshot in (regime.at(d) for d in dates):
            if snapshot not in distinct:
                distinct.append(snapshot)
        self.snapshots = [next(s for s in distinct if s == regime.at(d)) for d in dates]
        """The snapshot from each change day on; equal ones are the same object."""
        self._only = self.snapshots[0] if len(distinct) == 1 else None
        self._regime, self._dates, self._distinct = regime, dates, distinct
        self._mixed: dict[tuple[int, int], R.Snapshot] | None = {} if regime.moments() else None
        """Where a change names its own moment (``Entry.moment``): the rules of a (booking, fieldwork) pair of change
        indices, made when first asked for."""

    def at(self, day: float) -> R.Snapshot:
        """The snapshot in force on a model day (the first one before the first change)."""
        if self._only is not None:
            return self._only
        return self.snapshots[max(0, bisect_right(self.change_days, day) - 1)]

    def governing(self, booking: float, requested: float) -> R.Snapshot:
        """The rules an assessment booked on ``booking`` for fieldwork on ``requested`` follows (its transition moment)."""
        if self._only is not None:
            return self._only
        ruling = self.at(requested)
        if self._mixed is not None:
            return self._governing_mixed(booking, requested)
        day = R.governing_day(booking, requested, ruling.transition_moment)
        return ruling if day == requested else self.at(day)

    def ruling(self, booking: float, requested: float) -> tuple[R.Snapshot, bool]:
        """``governing``, and whether the booked fieldwork start is the day whose rules it follows (asked together)."""
        ruling = self.at(requested)
        day = R.governing_day(booking, requested, ruling.transition_moment)
        if self._mixed is not None:
            return self._governing_mixed(booking, requested), day == requested
        return (ruling if day == requested else self.at(day)), day == requested

    def _governing_mixed(self, booking: float, requested: float) -> R.Snapshot:
        """``Regime.governing`` for model days: a change reaches an assessment by its own moment where it names one.
        Only which change days the two days have passed matters, so the rules are kept by that pair."""
        key = (bisect_right(self.change_days, booking), bisect_right(self.change_days, requested))
        if key[0] == key[1]:  # no change between the two days (most assessments): the rules of both
            return self.snapshots[max(0, key[1] - 1)]
        found = self._mixed.get(key)  # type: ignore[union-attr]
        if found is None:
            booked, fieldwork = (self._dates[k - 1] if k > 0 else dt.date.min for k in key)
            made = self._regime.governing(booked, fieldwork)
            found = next((s for s in self._distinct if s == made), made)  # equal snapshots are one object
            if found is made:
                self._distinct.append(made)
            self._mixed[key] = found  # type: ignore[index]
        return found
