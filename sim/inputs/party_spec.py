"""An explicit party of a scenario: a User (supplier, network, other) or a Shared Resource Provider, and its copies.

``copies: N`` makes one entry stand for N parties with the same keys (ids ``ID``, ``ID-2``, ... ``ID-N``; none for
0): how a break-even varies the number of an SRP's clients as data (``parties.SUP-S.copies=0:12``), without writing
N entries. Copy k keeps its id whatever N is, so its random streams (keyed by party) are the same at every N.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import SerializerFunctionWrapHandler, model_serializer

from ..core.schema import ORIGIN, Date, Id, Premises, Strict, whole

ID_LENGTH = 64
"""Longest party id (``sim.core.schema.Id``), a copy's too."""
MAX_COPIES = 10_000
"""Most parties one entry may stand for."""


class Party(Strict):
    """One SEC Party: a User (supplier, network, other) or a Shared Resource Provider."""

    id: Id
    role: Literal["supplier", "network", "other", "srp"]
    premises: Premises = ((ORIGIN, 0),)
    """Own Domestic Premises supplied through Smart Metering Systems (an SRP's are derived from its clients)."""
    non_domestic_premises: Premises = ((ORIGIN, 0),)
    """Non-domestic premises (counted against SECMP0059's 50,000 test where the regime has it)."""
    srp: Id | None = None
    """The SRP providing this User's whole User System, if any."""
    entry: Date | None = None
    """Date the party wants User Entry (its initial Full is booked to start then); default: the scenario start."""
    exit: Date | None = None
    """Date the party stops being a User (no later assessments; leaves its SRP's aggregate)."""
    copies: Annotated[int, whole(0, MAX_COPIES)] = 1
    """How many parties this entry stands for: itself and copies ``ID-2`` ... ``ID-N`` with the same keys (so a
    break-even can vary the number of an SRP's clients, ``parties.ID.copies``); 0 leaves the party out."""

    @model_serializer(mode="wrap")
    def _copies_when_several(self, handler: SerializerFunctionWrapHandler) -> Any:
        """``copies`` is written only when above 1: a scenario without copies keeps its hash and scenario.json."""
        data = handler(self)
        if self.copies == 1 and isinstance(data, dict):
            data.pop("copies", None)
        return data

    def expanded(self) -> list[Party]:
        """This party and its copies, each with its own id (the first keeps the id as written)."""
        return [self.model_copy(update={"id": copy_id(self.id, k), "copies": 1}) for k in range(1, self.copies + 1)]


def copy_id(party_id: str, k: int) -> str:
    """The id of copy ``k`` (from 1) of a party: ``SUP-S``, ``SUP-S-2``, ``SUP-S-3``, ..."""
    return party_id if k == 1 else f"{party_id}-{k}"
