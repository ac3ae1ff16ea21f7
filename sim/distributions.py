"""Durations as constants or distributions, sampled with numpy's Generator.

A scenario writes ``6`` or ``{dist: triangular, low: 3, mode: 6, high: 10}``; a deterministic
run uses each distribution's mean, so its answers are the expected-duration answers.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from dataclasses import dataclass
from typing import Any

_STANDARD_NORMAL = NormalDist()

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
        if u is None or self.kind == "constant":
            return self.mean
        p = self.params
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
        return math.exp(math.log(mean) - sigma2 / 2.0 + math.sqrt(sigma2) * _STANDARD_NORMAL.inv_cdf(min(max(u, 1e-12), 1 - 1e-12)))

    def to_json(self) -> Any:
        """The form a scenario file would write."""
        if self.kind == "constant":
            return self.params[0]
        return {"dist": self.kind, **dict(zip(_SHAPES[self.kind], self.params, strict=True))}


def parse_duration(value: Any) -> Duration:
    """Read a duration as a scenario writes it; raise ValueError with what was expected."""
    expected = (
        "expected a non-negative number or {dist: triangular|uniform|lognormal, ...}"
    )
    if isinstance(value, Duration):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{expected}, got {value!r}")
    if isinstance(value, int | float):
        if value < 0 or not math.isfinite(value):
            raise ValueError(f"{expected}, got {value!r}")
        return Duration("constant", (float(value),))
    if not isinstance(value, dict) or "dist" not in value:
        raise ValueError(f"{expected}, got {value!r}")
    kind = value["dist"]
    if kind not in _SHAPES or kind == "constant":
        raise ValueError(f"dist: expected triangular, uniform or lognormal, got {kind!r}")
    names = _SHAPES[kind]
    extra = set(value) - set(names) - {"dist"}
    if extra or set(names) - set(value):
        raise ValueError(f"a {kind} distribution takes exactly {', '.join(names)}")
    params = []
    for name in names:
        v = value[name]
        if isinstance(v, bool) or not isinstance(v, int | float) or v < 0 or not math.isfinite(v):
            raise ValueError(f"{name}: expected a non-negative number, got {v!r}")
        params.append(float(v))
    if kind == "triangular" and not params[0] <= params[1] <= params[2]:
        raise ValueError("a triangular distribution needs low <= mode <= high")
    if kind == "uniform" and not params[0] <= params[1]:
        raise ValueError("a uniform distribution needs low <= high")
    if kind == "lognormal" and params[0] == 0:
        raise ValueError("a lognormal distribution needs mean > 0")
    return Duration(kind, tuple(params))
