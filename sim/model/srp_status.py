"""Each SRP's assurance status in force, as its Users may rely on it and as its own cycle continues (SECMP0044 (e)).

The status the SSC sets on an SRP's assessment (or on a Follow-up of it) is in force from then until the due
date of the SRP's next assessment, or, once that next assessment is known to meet the 12-month rule in force
(booked in time; or, under "started" and "completed", booked with the CIO for a fieldwork start or end in time),
until the next assessment's own status is set; never after an Event of Default (``rules.status_current``). It is
relied on while it passed and is in force. Each due date belongs to the assessment it follows, so a status that
lapsed stays lapsed until the SSC sets the next, however late that is, and a Follow-up's status of an earlier
assessment does not bring in a later one's due date. One record serves both the clients' reliance and whether an
SRP that went without Users continues its cycle.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..industry.parties import Actor
from ..law import rules as R


class SrpStatuses:
    """The SRPs' statuses in one run (``actors``: the run's parties, whose days in business bound a status).

    Assessments are named by ``seq``; a Follow-up's status is its chain's, the assessment it follows up (``root``).
    """

    def __init__(self, actors: Mapping[str, Actor]) -> None:
        self._actors = actors
        self._in_force: dict[str, tuple[int, bool]] = {}
        """Per SRP: the assessment whose status is in force (the latest set), and whether it passed."""
        self._next_after: dict[str, int] = {}
        """Per SRP: the assessment its next one follows (the last one planned from)."""
        self._until: dict[int, float] = {}
        """Per assessment: the day its status lapses (the next one's due date; ``inf`` once that meets the rule)."""

    def set(self, srp: str, status: str, root: int) -> None:
        """The SSC set ``status`` on assessment ``root`` of the SRP, or on a Follow-up of it (not an older one's)."""
        found = self._in_force.get(srp)
        if found is None or root >= found[0]:
            self._in_force[srp] = (root, status in R.PASSING)

    def lapses_on(self, srp: str, due: float, after: int) -> None:
        """The status of assessment ``after`` lapses on ``due`` unless the SRP's next assessment meets the rule by then."""
        self._next_after[srp] = after
        self._until[after] = due

    def kept_in_force(self, srp: str) -> None:
        """The SRP's next assessment meets the rule: the status it follows stays in force until that one's is set."""
        after = self._next_after.get(srp)
        if after is not None:
            self._until[after] = math.inf

    def due(self, srp: str) -> float:
        """The day the SRP's status in force lapses (``-inf`` before it has one)."""
        found = self._in_force.get(srp)
        return -math.inf if found is None else self._until.get(found[0], math.inf)

    def current(self, srp: str, day: float) -> bool:
        """Whether the SRP's latest status is in force on ``day`` (never after it left or defaulted)."""
        return R.status_current(day, self.due(srp), self._actors[srp].active(day))

    def relied_on(self, srp: str, day: float) -> bool:
        """Whether a User may rely on the SRP's status on ``day``: it passed and is current."""
        found = self._in_force.get(srp)
        return found is not None and found[1] and self.current(srp, day)
