"""The User CIO: a finite number of assessment teams, booked ahead (CALIBRATION.md 3)."""

from __future__ import annotations

import heapq

import simpy


class UserCio:
    """``teams`` servers taking bookings first come, first served, each held for a known time.

    A booking's hold (fieldwork then report writing) is known when it reaches the CIO, so the
    FIFO multi-server queue needs no simulated resource: its start is the later of its arrival
    and the earliest day a team comes free (the Kiefer-Wolfowitz recursion), the same start a
    ``simpy.Resource`` would give, for one timeout instead of five events. tests/test_queues.py
    checks it against Erlang C.
    """

    def __init__(self, env: simpy.Environment, teams: int, lead_days: float) -> None:
        self.env = env
        self.teams = teams
        self.lead_days = lead_days
        self._free = [0.0] * teams
        """When each team is next free (a heap)."""
        self.busy: list[tuple[float, float]] = []

    def book(self, fieldwork: float, report: float) -> tuple[float, float, float]:
        """A booking arriving now: hold the first free team for fieldwork then report writing (calendar days)
        from now or when one is free; (start, fieldwork end, report day), for the caller to wait until."""
        start = max(self.env.now, self._free[0])
        done = start + fieldwork + report
        heapq.heapreplace(self._free, done)
        self.busy.append((start, done))
        return start, start + fieldwork, done
