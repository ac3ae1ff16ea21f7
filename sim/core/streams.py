"""Named random streams (DESIGN.md principle 4).

Every draw comes from a stream keyed by (root seed, replication, purpose, key): adding a
process never shifts another's numbers, and replication r of every regime sees the same
draws (common random numbers), so regime differences are paired. The regime is
deliberately not part of the key.

Two kinds share that key. ``get`` gives a numpy ``Generator`` (PCG64 from a ``SeedSequence``)
for the population, which draws arrays from named distributions. ``uniforms`` gives a
``random.Random`` for the event loop, which only ever needs one uniform at a time for an
inverse CDF: a run opens about 800 such streams (one per party and purpose), and the standard
library's Mersenne Twister is seeded three times and draws seven times faster than a numpy
generator called for a scalar. Its ``random()`` sequence for a given integer seed is one
Python guarantees across versions.
"""

from __future__ import annotations

import random
import zlib
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

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
        self._uniforms: dict[tuple[str, str], random.Random] = {}

    def get(self, purpose: str, key: str = "") -> np.random.Generator | None:
        """The numpy stream for a purpose (e.g. ``"population"``) and key (e.g. a group name)."""
        if self.deterministic:
            return None
        found = self._cache.get((purpose, key))
        if found is None:
            seq = np.random.SeedSequence(self.seed, spawn_key=(self.replication, _code(purpose), _code(key)))
            found = self._cache[(purpose, key)] = np.random.Generator(np.random.PCG64(seq))
        return found

    def uniforms(self, purpose: str, key: str = "") -> random.Random | None:
        """A stream of uniforms on [0, 1) for a purpose and key, from ``random()``; ``None`` in a deterministic run."""
        if self.deterministic:
            return None
        found = self._uniforms.get((purpose, key))
        if found is None:
            # The four parts in disjoint bit ranges (CRC-32s, a replication below 2**32, a non-negative seed):
            # distinct (seed, replication, purpose, key) give distinct seeds.
            found = self._uniforms[(purpose, key)] = random.Random(
                (self.seed << 96) | (self.replication << 64) | (_code(purpose) << 32) | _code(key)
            )
        return found


def pick(weights: Sequence[float], u: float) -> int:
    """The index a uniform ``u`` selects among ``weights`` (inverse CDF of a discrete distribution)."""
    cdf = _cdf(tuple(weights))
    return min(bisect_right(cdf, u), len(cdf) - 1)


@lru_cache(maxsize=256)
def _cdf(weights: tuple[float, ...]) -> tuple[float, ...]:
    """Cumulative shares (called per SSC decision with a handful of distinct weightings, hence the cache)."""
    cumulative = list(accumulate(weights))
    return tuple(c / cumulative[-1] for c in cumulative)
