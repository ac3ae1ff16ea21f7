"""Each SRP's latest assurance status, as its Users may rely on it and as its own cycle continues (SECMP0044 (e)).

A status is relied on while it passed and is current: current until the due date of the SRP's next assessment,
and, once that assessment is known to meet the 12-month rule in force (booked in time; or, under "started" and
"completed", booked with the CIO for a fieldwork start or end in time), until its own status is set; never after
an Event of Default (``rules.status_current``). A status that lapsed stays lapsed until the SSC sets the next one:
the next due date, planned before then (from a fieldwork end), takes effect only with that status. One record
serves both the clients' reliance and whether an SRP that went without Users continues its cycle.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..industry.parties import Actor
from ..law import rules as R


class SrpStatuses:
    """The SRPs' statuses in one run (``actors``: the run's parties, whose days in business bound a status)."""

    def __init__(self, actors: Mapping[str, Actor]) -> None:
        self._actors = actors
        self._passing: dict[str, bool] = {}
        self._lapses: dict[str, float] = {}
        self._pending: dict[str, float] = {}
        """The next due date, planned before the status it follows was set (it takes effect with that status)."""

    def set(self, srp: str, status: str) -> None:
        """The SSC set ``status`` on one of the SRP's assessments (a Follow-up's too)."""
        self._passing[srp] = status in R.PASSING
        pending = self._pending.pop(srp, None)
        if pending is not None:
            self._lapses[srp] = pending

    def lapses_on(self, srp: str, due: float, before_status: bool = False) -> None:
        """The status lapses on ``due`` unless the SRP's next assessment meets the rule by then (``before_status``:
        planned before the SSC has set the status of the assessment just done, which ``due`` is to follow)."""
        if before_status:
            self._pending[srp] = due  # until that status is set, the status in force is the one before it
        else:
            self._lapses[srp] = due

    def kept_in_force(self, srp: str) -> None:
        """The SRP's next assessment meets the rule: its status stays in force until that assessment's is set."""
        self._lapses[srp] = math.inf
        self._pending.pop(srp, None)

    def due(self, srp: str) -> float:
        """The day the SRP's status lapses (``-inf`` before it has one)."""
        return self._lapses.get(srp, -math.inf)

    def current(self, srp: str, day: float) -> bool:
        """Whether the SRP's latest status is in force on ``day`` (never after it left or defaulted)."""
        return R.status_current(day, self.due(srp), self._actors[srp].active(day))

    def relied_on(self, srp: str, day: float) -> bool:
        """Whether a User may rely on the SRP's status on ``day``: it passed and is current."""
        return self._passing.get(srp, False) and self.current(srp, day)
