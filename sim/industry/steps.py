"""Step functions of model day: how a party's premises, customers and counts change over time."""

from __future__ import annotations

import functools
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Steps:
    """A right-continuous step function of model day; zero before its first step."""

    days: tuple[float, ...]
    values: tuple[int, ...]

    def __call__(self, day: float) -> int:
        """The value on ``day``."""
        i = bisect_right(self.days, day) - 1
        return self.values[i] if i >= 0 else 0

    @functools.cached_property
    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``days`` and ``values`` as arrays (made once)."""
        return np.array(self.days, dtype=float), np.array(self.values, dtype=np.int64)

    def on(self, days: np.ndarray) -> np.ndarray:
        """Vectorised evaluation."""
        if not self.days:
            return np.zeros(len(days))
        starts, values = self.arrays
        i = np.searchsorted(starts, days, side="right") - 1
        return np.where(i >= 0, values[i.clip(min=0)], 0)

    @classmethod
    def compact(cls, days: np.ndarray, values: np.ndarray) -> Steps:
        """Steps from samples, keeping only the days where the value changes."""
        values = np.rint(values).astype(np.int64)
        keep = np.ones(len(values), dtype=bool)
        keep[1:] = values[1:] != values[:-1]
        return cls(tuple(days[keep].tolist()), tuple(values[keep].tolist()))
