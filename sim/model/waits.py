"""Events a process waits on until an assessment has its status, or its review chain has closed.

Made only when a process asks for one, since most assessments are never waited on: two SimPy events fewer
per assessment than an event made for each.
"""

from __future__ import annotations

import simpy

from .records import Assessment


class Waits:
    """One kind of moment (a status set, a chain closed) that processes may wait on, per assessment."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self._waiting: dict[int, simpy.Event] = {}

    def until(self, rec: Assessment) -> simpy.Event:
        """An event that succeeds at the moment for ``rec``."""
        found = self._waiting.get(rec.seq)
        if found is None:
            found = self._waiting[rec.seq] = self.env.event()
        return found

    def reached(self, rec: Assessment) -> None:
        """The moment has come for ``rec``: wake whatever waits on it (nothing, mostly)."""
        found = self._waiting.pop(rec.seq, None)
        if found is not None:
            found.succeed()
