"""Named random streams (DESIGN.md principle 4).

Every draw comes from a stream keyed by (root seed, replication, purpose, key): adding a
process never shifts another's numbers, and replication r of every regime sees the same
draws (common random numbers), so regime differences are paired. The regime is
deliberately not part of the key.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np


def _code(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


class Streams:
    """The random streams of one replication; ``None`` everywhere in a deterministic run."""

    def __init__(self, seed: int, replication: int, deterministic: bool = False) -> None:
        self.seed = seed
        self.replication = replication
        self.deterministic = deterministic
        self._cache: dict[tuple[str, str], np.random.Generator] = {}

    def get(self, purpose: str, key: str = "") -> np.random.Generator | None:
        """The stream for a purpose (e.g. ``"durations"``) and key (e.g. a party id)."""
        if self.deterministic:
            return None
        found = self._cache.get((purpose, key))
        if found is None:
            seq = np.random.SeedSequence(self.seed, spawn_key=(self.replication, _code(purpose), _code(key)))
            found = self._cache[(purpose, key)] = np.random.Generator(np.random.PCG64(seq))
        return found


def pick(weights: Sequence[float], u: float) -> int:
    """The index a uniform ``u`` selects among ``weights`` (inverse CDF of a discrete distribution)."""
    cumulative = np.cumsum(weights)
    return min(int(np.searchsorted(cumulative / cumulative[-1], u, side="right")), len(cumulative) - 1)
