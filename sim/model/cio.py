"""The User CIO: a finite number of assessment teams, booked ahead (CALIBRATION.md 3)."""

from __future__ import annotations

from collections.abc import Generator

import simpy


class UserCio:
    """Teams as a SimPy resource; a booking waits for the first free team from its requested start."""

    def __init__(self, env: simpy.Environment, teams: int, lead_days: float) -> None:
        self.env = env
        self.teams = teams
        self.lead_days = lead_days
        self.resource = simpy.Resource(env, capacity=teams)
        self.busy: list[tuple[float, float]] = []

    def assess(self, fieldwork: float, report: float) -> Generator[simpy.Event, None, tuple[float, float, float]]:
        """Hold a team for fieldwork then report writing (calendar days); return (start, fieldwork end, report day)."""
        with self.resource.request() as slot:
            yield slot
            start = self.env.now
            yield self.env.timeout(fieldwork)
            fieldwork_end = self.env.now
            yield self.env.timeout(report)
            done = self.env.now
        self.busy.append((start, done))
        return start, fieldwork_end, done
