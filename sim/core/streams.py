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
Python guarantees across versions. What a ``random.Random`` draws is kept (``Draws``) and read by every
regime of the replication (``Tape``), each from its own place: the regimes read the same numbers as
if each had seeded its own generator, and a replication seeds each stream once, not once per regime.
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


Draws = dict[tuple[str, str], tuple[list[float], random.Random]]
"""A replication's uniforms by (purpose, key): those drawn so far and the generator that draws the rest."""


class Tape:
    """One stream of uniforms as one run reads it: its own place in draws the regimes of a replication share."""

    __slots__ = ("_at", "_drawn", "_rng")

    def __init__(self, drawn: list[float], rng: random.Random) -> None:
        self._drawn, self._rng, self._at = drawn, rng, 0

    def take(self, n: int) -> list[float]:
        """The next ``n`` uniforms (the first run to reach them draws them, in the generator's order)."""
        at, drawn = self._at, self._drawn
        self._at = end = at + n
        if len(drawn) < end:
            drawn += [self._rng.random() for _ in range(max(n, 8))]
        return drawn[at:end]

    def random(self) -> float:
        """The next uniform."""
        at, drawn = self._at, self._drawn
        self._at = at + 1
        if len(drawn) <= at:
            drawn += [self._rng.random() for _ in range(8)]
        return drawn[at]


class Streams:
    """The random streams of one replication; ``None`` everywhere in a deterministic run.

    ``draws`` shares the event loop's uniforms with other ``Streams`` of the same seed and
    replication (``sim.model.simulate`` gives every regime of a replication the same).
    """

    def __init__(self, seed: int, replication: int, deterministic: bool = False, draws: Draws | None = None) -> None:
        self.seed = seed
        self.replication = replication
        self.deterministic = deterministic
        self._cache: dict[tuple[str, str], np.random.Generator] = {}
        self._uniforms: dict[tuple[str, str], Tape] = {}
        self._draws: Draws = {} if draws is None else draws

    def get(self, purpose: str, key: str = "") -> np.random.Generator | None:
        """The numpy stream for a purpose (e.g. ``"population"``) and key (e.g. a group name)."""
        if self.deterministic:
            return None
        found = self._cache.get((purpose, key))
        if found is None:
            seq = np.random.SeedSequence(self.seed, spawn_key=(self.replication, _code(purpose), _code(key)))
            found = self._cache[(purpose, key)] = np.random.Generator(np.random.PCG64(seq))
        return found

    def uniforms(self, purpose: str, key: str = "") -> Tape | None:
        """A stream of uniforms on [0, 1) for a purpose and key; ``None`` in a deterministic run."""
        if self.deterministic:
            return None
        found = self._uniforms.get((purpose, key))
        if found is None:
            shared = self._draws.get((purpose, key))
            if shared is None:
                # The four parts in disjoint bit ranges (CRC-32s, a replication below 2**32, a non-negative seed):
                # distinct (seed, replication, purpose, key) give distinct seeds.
                rng = random.Random((self.seed << 96) | (self.replication << 64) | (_code(purpose) << 32) | _code(key))
                shared = self._draws[(purpose, key)] = ([], rng)
            found = self._uniforms[(purpose, key)] = Tape(*shared)
        return found


def pick(weights: Sequence[float], u: float) -> int:
    """The index a uniform ``u`` selects among ``weights`` (inverse CDF of a discrete distribution)."""
    return chosen(cumulative(tuple(weights)), u)


def chosen(shares: tuple[float, ...], u: float) -> int:
    """The index a uniform ``u`` selects by cumulative ``shares`` (``cumulative``): ``pick`` with them worked out."""
    return min(bisect_right(shares, u), len(shares) - 1)


@lru_cache(maxsize=256)
def cumulative(weights: tuple[float, ...]) -> tuple[float, ...]:
    """Cumulative shares of ``weights`` (asked for with a handful of distinct weightings, hence the cache)."""
    sums = list(accumulate(weights))
    return tuple(c / sums[-1] for c in sums)
