"""The Security Sub-Committee: meetings on a calendar, a cap on items, a carried-over backlog."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Generator

import simpy

from ..timeline import Timeline


def meeting_days(timeline: Timeline, days_of_month: list[int], until: float) -> list[float]:
    """Model days of every meeting from the start until ``until`` ([C A4]: twice a month)."""
    out: list[float] = []
    year, month = timeline.start.year, timeline.start.month
    while True:
        for dom in sorted(days_of_month):
            day = timeline.day(dt.date(year, month, dom))
            if day > until:
                return out
            if day >= 0:
                out.append(day)
        month += 1
        if month > 12:
            year, month = year + 1, 1


class Ssc:
    """Reviews items first come, first served, at most ``capacity`` per meeting.

    An item is eligible at a meeting when it arrived ``papers_lead`` days before it. The
    decision callback sets the assurance status (G8.34).
    """

    def __init__(
        self,
        env: simpy.Environment,
        days: list[float],
        capacity: int,
        papers_lead: float,
        decide: Callable[[object], str],
    ) -> None:
        self.env = env
        self.capacity = capacity
        self.papers_lead = papers_lead
        self.decide = decide
        self.queue: deque[tuple[float, object, simpy.Event]] = deque()
        self.meetings: list[tuple[float, int, int, int, int]] = []
        self.items: list[tuple[object, float, float]] = []
        self._arrived = 0
        env.process(self._meet(days))

    def submit(self, item: object) -> simpy.Event:
        """Put a report and response to the SSC; the event fires with the status."""
        decided = self.env.event()
        self.queue.append((self.env.now, item, decided))
        self._arrived += 1
        return decided

    def _meet(self, days: list[float]) -> Generator[simpy.Event, None, None]:
        for day in days:
            yield self.env.timeout(day - self.env.now)
            cutoff = day - self.papers_lead
            reviewed = 0
            while self.queue and reviewed < self.capacity and self.queue[0][0] <= cutoff:
                submitted, item, decided = self.queue.popleft()
                self.items.append((item, submitted, day))
                decided.succeed(self.decide(item))
                reviewed += 1
            eligible = 0
            for submitted, _, _ in self.queue:  # FIFO by submission: stop at the first not yet eligible
                if submitted > cutoff:
                    break
                eligible += 1
            self.meetings.append((day, self._arrived, reviewed, eligible, len(self.queue) - eligible))
            self._arrived = 0
