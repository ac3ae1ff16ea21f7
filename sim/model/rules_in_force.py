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
        self._mixed: dict[tuple[int, int], tuple[R.Snapshot, str]] | None = {} if regime.moments() else None
        """Where a change names its own moment (``Entry.moment``): the rules of a (booking, fieldwork) pair of change
        indices, and the moment by which their rule on the SRP part reached it, made when first asked for."""

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
            return self._governing_mixed(booking, requested)[0]
        day = R.governing_day(booking, requested, ruling.transition_moment)
        return ruling if day == requested else self.at(day)

    def ruling(self, booking: float, requested: float) -> tuple[R.Snapshot, bool]:
        """``governing``, and whether the booked fieldwork start is the day the SRP part is decided on (asked together):
        the day whose rules it follows, or where changes name their own moments, the day of the moment by which its
        rule on the SRP part reached it (``Regime.scope_moment``)."""
        if self._mixed is not None:
            rules, moment = self._governing_mixed(booking, requested)
            return rules, R.governing_day(booking, requested, moment) == requested
        ruling = self.at(requested)
        day = R.governing_day(booking, requested, ruling.transition_moment)
        return (ruling if day == requested else self.at(day)), day == requested

    def _governing_mixed(self, booking: float, requested: float) -> tuple[R.Snapshot, str]:
        """``Regime.governing`` and ``Regime.scope_moment`` for model days: a change reaches an assessment by its own
        moment where it names one. Only which change days the two days have passed matters, so both are kept by that
        pair."""
        key = (bisect_right(self.change_days, booking), bisect_right(self.change_days, requested))
        found = self._mixed.get(key)  # type: ignore[union-attr]
        if found is None:
            booked, fieldwork = (self._dates[k - 1] if k > 0 else dt.date.min for k in key)
            if key[0] == key[1]:  # no change between the two days (most assessments): the rules of both
                rules = self.snapshots[max(0, key[1] - 1)]
            else:
                made = self._regime.governing(booked, fieldwork)
                rules = next((s for s in self._distinct if s == made), made)  # equal snapshots are one object
                if rules is made:
                    self._distinct.append(made)
            found = self._mixed[key] = (rules, self._regime.scope_moment(booked, fieldwork))  # type: ignore[index]
        return found
