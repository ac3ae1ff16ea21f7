"""The Security Sub-Committee: meetings on a calendar, a cap on items, a carried-over backlog."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections import deque
from collections.abc import Callable, Generator

import simpy

from ..core.timeline import Timeline


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

    An item is submitted on a given day, now or later (the day its management response is
    ready), and is eligible at a meeting when it arrived ``papers_lead`` days before it. At the
    meeting ``decide`` sets the item's assurance status (G8.34) and ``on_status`` hears it: a
    call, not a SimPy event, as nothing waits on a review but the party's own bookkeeping.
    ``stop`` ends the calendar once the run is over.
    """

    def __init__(
        self,
        env: simpy.Environment,
        days: list[float],
        capacity: int,
        papers_lead: float,
        decide: Callable[[object], str],
        on_status: Callable[[object, str], None],
    ) -> None:
        self.env = env
        self.capacity = capacity
        self.papers_lead = papers_lead
        self.queue: deque[tuple[float, object]] = deque()
        """Arrived and not yet reviewed, in order of arrival."""
        self._coming: list[tuple[float, float, int, int, object]] = []
        """Submitted for a later day: a heap by (day, when its report came, in what order, order of submission)."""
        self._order = itertools.count()
        self.meetings: list[tuple[float, int, int, int, int]] = []
        self.items: list[tuple[object, float, float]] = []
        self._calendar = self._meet(days, decide, on_status)
        env.process(self._calendar)

    def submit(self, item: object, day: float, report: tuple[float, int] | None = None) -> None:
        """Put a report and response to the SSC on ``day`` (now or later). Those for one day arrive in the order
        their reports came (``report``: its day and its order among those of that day; by default now, as
        submitted), so a report may be submitted before its day comes (a Follow-up's, ``Model._book``)."""
        when, order = (self.env.now, 0) if report is None else report
        heapq.heappush(self._coming, (day, when, order, next(self._order), item))

    def stop(self) -> None:
        """The run is over: end the calendar where it stands, letting go of the model it calls back into, so that
        a finished run is freed as soon as its tables are built (the garbage collector need not find it)."""
        self._calendar.close()

    def _meet(
        self, days: list[float], decide: Callable[[object], str], on_status: Callable[[object, str], None]
    ) -> Generator[simpy.Event, None, None]:
        """Each meeting of the calendar; after its last, the run stops, whatever still waits for a status.

        The calendar runs to the run's limit (``lifecycle.TAIL_DAYS`` past the horizon): a run that
        is still going then has a backlog that never clears, or Follow-ups without end, and its
        unfinished assessments are reported, not waited for forever (``sim.experiment.runner``).
        """
        coming, queue = self._coming, self.queue
        for day in days:
            yield self.env.timeout(day - self.env.now)
            arrived = 0
            while coming and coming[0][0] <= day:  # arrivals since the last meeting, in arrival order
                submitted, _, _, _, item = heapq.heappop(coming)
                queue.append((submitted, item))
                arrived += 1
            cutoff = day - self.papers_lead
            reviewed = 0
            while queue and reviewed < self.capacity and queue[0][0] <= cutoff:
                submitted, item = queue.popleft()
                self.items.append((item, submitted, day))
                on_status(item, decide(item))
                reviewed += 1
            eligible = 0
            for submitted, _ in queue:  # FIFO by submission: stop at the first not yet eligible
                if submitted > cutoff:
                    break
                eligible += 1
            self.meetings.append((day, arrived, reviewed, eligible, len(queue) - eligible))
        stop = self.env.event()
        stop.callbacks.append(simpy.core.StopSimulation.callback)  # what Environment.run(until=...) itself uses
        stop.succeed()
