"""Durations as constants or distributions, sampled with numpy's Generator.

A scenario writes ``6`` or ``{dist: triangular, low: 3, mode: 6, high: 10}``; a deterministic
run uses each distribution's mean, so its answers are the expected-duration answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

from .validation import shown

_STANDARD_NORMAL = NormalDist()

MAX_DAYS = 3650.0
"""Longest duration a scenario may give, in days (working or calendar): ten years. A lognormal's largest
draw, its 1 - 1e-12 quantile, counts, since ``quantile`` can reach it."""
_TAIL = 1e-12
"""Draws use quantiles in [_TAIL, 1 - _TAIL], so a lognormal's draws are bounded."""

_SHAPES = {
    "constant": ("value",),
    "triangular": ("low", "mode", "high"),
    "uniform": ("low", "high"),
    "lognormal": ("mean", "sd"),
}


@dataclass(frozen=True)
class Duration:
    """A non-negative duration distribution."""

    kind: str
    params: tuple[float, ...]

    @property
    def mean(self) -> float:
        """Expected value (what a deterministic run uses)."""
        p = self.params
        if self.kind == "constant":
            return p[0]
        if self.kind == "triangular":
            return (p[0] + p[1] + p[2]) / 3.0
        if self.kind == "uniform":
            return (p[0] + p[1]) / 2.0
        return p[0]  # lognormal is parameterised by its mean

    def quantile(self, u: float | None) -> float:
        """The value at cumulative probability ``u`` (inverse CDF), or the mean when ``u`` is None.

        Drawing by inverse CDF from a fixed number of uniforms per assessment keeps random
        streams aligned across regimes whatever the distributions are (common random numbers).
        """
        p = self.params
        if self.kind == "constant":
            return p[0]
        if u is None:
            return self.mean
        if self.kind == "uniform":
            return p[0] + u * (p[1] - p[0])
        if self.kind == "triangular":
            low, mode, high = p
            if high == low:
                return low
            split = (mode - low) / (high - low)
            if u < split:
                return low + math.sqrt(u * (high - low) * (mode - low))
            return high - math.sqrt((1.0 - u) * (high - low) * (high - mode))
        mean, sd = p
        if sd == 0:
            return mean
        sigma2 = math.log1p((sd / mean) ** 2)
        return math.exp(
            math.log(mean) - sigma2 / 2.0 + math.sqrt(sigma2) * _STANDARD_NORMAL.inv_cdf(min(max(u, _TAIL), 1 - _TAIL))
        )

    def sampler(self) -> Callable[[float | None], float]:
        """``quantile`` with this distribution's kind and constants worked out once (a run makes one per duration and
        calls it four times an assessment): the same operations in the same order on the same values, so the same
        float for every ``u``. Not kept on the duration, which is pickled to worker processes with its scenario."""
        p, mean = self.params, self.mean
        if self.kind == "constant":
            value = p[0]
            return lambda u: value
        if self.kind == "triangular" and p[2] == p[0]:
            low = p[0]
            return lambda u: mean if u is None else low
        if self.kind == "uniform":
            low, width = p[0], p[1] - p[0]
            return lambda u: mean if u is None else low + u * width
        if self.kind == "triangular":
            low, mode, high = p
            split, span, rise, fall = (mode - low) / (high - low), high - low, mode - low, high - mode
            sqrt = math.sqrt

            def triangular(u: float | None) -> float:
                if u is None:
                    return mean
                if u < split:
                    return low + sqrt(u * span * rise)
                return high - sqrt((1.0 - u) * span * fall)

            return triangular
        if p[1] == 0:
            return lambda u: mean
        sigma2 = math.log1p((p[1] / p[0]) ** 2)
        centre, scale, inv_cdf = math.log(p[0]) - sigma2 / 2.0, math.sqrt(sigma2), _STANDARD_NORMAL.inv_cdf
        return lambda u: mean if u is None else math.exp(centre + scale * inv_cdf(min(max(u, _TAIL), 1 - _TAIL)))

    def to_json(self) -> Any:
        """The form a scenario file would write."""
        if self.kind == "constant":
            return self.params[0]
        return {"dist": self.kind, **dict(zip(_SHAPES[self.kind], self.params, strict=True))}


def parse_duration(value: Any) -> Duration:
    """Read a duration as a scenario writes it; raise ValueError with what was expected."""
    expected = f"expected a number from 0 to {MAX_DAYS:g} or {{dist: triangular|uniform|lognormal, ...}}"
    if isinstance(value, Duration):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{expected}, got {value!r}")
    if isinstance(value, int | float):
        if not 0 <= value <= MAX_DAYS:  # False for NaN too
            raise ValueError(f"{expected}, got {shown(value)}")
        return Duration("constant", (float(value),))
    if not isinstance(value, dict) or "dist" not in value:
        raise ValueError(f"{expected}, got {shown(value)}")
    kind = value["dist"]
    if kind not in _SHAPES or kind == "constant":
        raise ValueError(f"dist: expected triangular, uniform or lognormal, got {shown(kind)}")
    names = _SHAPES[kind]
    extra = set(value) - set(names) - {"dist"}
    if extra or set(names) - set(value):
        raise ValueError(f"a {kind} distribution takes exactly {', '.join(names)}")
    params = []
    for name in names:
        v = value[name]
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= MAX_DAYS:
            raise ValueError(f"{name}: expected a number from 0 to {MAX_DAYS:g}, got {shown(v)}")
        params.append(float(v))
    if kind == "triangular" and not params[0] <= params[1] <= params[2]:
        raise ValueError("a triangular distribution needs low <= mode <= high")
    if kind == "uniform" and not params[0] <= params[1]:
        raise ValueError("a uniform distribution needs low <= high")
    if kind == "lognormal" and params[0] == 0:
        raise ValueError("a lognormal distribution needs mean > 0")
    duration = Duration(kind, tuple(params))
    try:
        largest = duration.quantile(1.0)
    except OverflowError:  # sd / mean beyond floating point
        largest = math.inf
    if not largest <= MAX_DAYS:
        raise ValueError(
            f"a lognormal's largest draw (its 1 - {_TAIL:g} quantile) must be at most {MAX_DAYS:g} days, "
            f"got {largest:,.0f}; lower sd"
        )
    return duration
