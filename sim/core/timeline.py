"""Model time: float days from the scenario start; calendar dates only at the edges (DESIGN.md 6)."""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

WORKING_TO_CALENDAR = 7.0 / 5.0
"""Calendar days per working day: fieldwork and report effort are quoted in working days."""


@dataclass(frozen=True)
class Timeline:
    """Converts between calendar dates and model days for one scenario."""

    start: dt.date
    end: dt.date

    @property
    def horizon(self) -> float:
        """Length of the horizon in days."""
        return float((self.end - self.start).days)

    def day(self, date: dt.date) -> float:
        """Model day of a calendar date (may be negative for dates before the start)."""
        return float((date - self.start).days)

    def date(self, day: float) -> dt.date:
        """Calendar date on which model day ``day`` falls (kept per day, as ``iso``)."""
        whole = math.floor(day)
        found = self._dates.get(whole)
        if found is None:
            found = self._dates[whole] = self.start + dt.timedelta(days=whole)
        return found

    @functools.cached_property
    def _dates(self) -> dict[int, dt.date]:
        return {}

    def iso(self, day: float) -> str:
        """``date(day)`` as YYYY-MM-DD (kept per day: output tables repeat the same days)."""
        whole = math.floor(day)
        found = self._isos.get(whole)
        if found is None:
            found = self._isos[whole] = (self.start + dt.timedelta(days=whole)).isoformat()
        return found

    @functools.cached_property
    def _isos(self) -> dict[int, str]:
        """``iso`` of this timeline's days (a dict, not a cache keyed by the timeline, which hashes it each time)."""
        return {}

    def add_months(self, day: float, months: int) -> float:
        """The model day ``months`` calendar months after ``day`` (the 12-month rule, G8.40)."""
        whole = math.floor(day)
        shifted = self._shifts.get((whole, months))
        if shifted is None:
            shifted = self._shifts[(whole, months)] = _shift(self.start, whole, months)
        return shifted + (day - whole)

    @functools.cached_property
    def _shifts(self) -> dict[tuple[int, int], float]:
        """``_shift`` of this timeline's days, kept: every replication asks for a few thousand days many times each."""
        return {}

    def years(self) -> list[int]:
        """Calendar years the horizon touches."""
        last = self.date(self.horizon - 1) if self.horizon > 0 else self.start
        return list(range(self.start.year, last.year + 1))


@functools.lru_cache(maxsize=1 << 16)
def _shift(start: dt.date, whole: int, months: int) -> float:
    """Day ``whole`` from ``start`` moved ``months`` calendar months on (cached across runs: every replication
    of a scenario shares its start, and asks for a few thousand distinct days many times each)."""
    moved = start + dt.timedelta(days=whole) + relativedelta(months=months)
    return float((moved - start).days)
