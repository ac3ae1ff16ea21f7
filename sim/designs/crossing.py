"""Where a curve of paired differences changes sign, and the interval its 95 % band gives: pure arithmetic.

The curve is piecewise linear between the grid values it was measured at (the mean paired difference of
a metric, regime − baseline, at each value of the varied parameter). Its first zero is the break-even.
The interval is the set of values at which the pointwise 95 % band still holds zero, the connected part
of it around the break-even: the values the data cannot tell apart from the break-even (a test
inverted). Each end of that set is a zero of the band's upper or lower edge, so the interval is found
exactly from the edges' zeros; an end the band does not reach within the grid is ``nan`` ("beyond the
range").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def zeros(x: Sequence[float], y: Sequence[float]) -> list[float]:
    """Every value at which the piecewise-linear curve through ``(x, y)`` is zero, ascending (``x`` ascending).

    >>> zeros([1, 2, 3], [34.0, -116.0, -266.0])
    [1.2266666666666666]
    >>> zeros([1, 2, 3], [1.0, 0.0, 1.0])
    [2.0]
    """
    found: list[float] = []
    for i, (xi, yi) in enumerate(zip(x, y, strict=True)):
        if math.isnan(yi):
            continue
        if yi == 0:
            found.append(float(xi))
        elif i + 1 < len(x) and not math.isnan(y[i + 1]) and yi * y[i + 1] < 0:
            found.append(xi + (x[i + 1] - xi) * yi / (yi - y[i + 1]))
    return found


@dataclass(frozen=True)
class Crossing:
    """The first sign change of a curve of differences over a grid, and its interval."""

    crossings: int
    """Sign changes of the mean curve within the grid (0: none; above 1: the curve turns; the first is reported)."""
    direction: str
    """``falls`` (positive before, negative after: the regime saves from the break-even on), ``rises``, or ``""``."""
    breakeven: float
    ci_low: float
    ci_high: float
    last_before: float
    """The last grid value before the break-even with the first sign (``nan`` when the curve starts at zero)."""
    first_after: float
    """The first grid value after the break-even with the other sign: for a count, where the sign has changed."""


def crossing(x: Sequence[float], mean: Sequence[float], low: Sequence[float], high: Sequence[float]) -> Crossing:
    """The first zero of ``mean`` over ascending ``x``, bracketed by grid values, with the interval of ``low``-``high``.

    >>> c = crossing([1, 2, 3], [30.0, -10.0, -50.0], [10.0, -30.0, -70.0], [50.0, 10.0, -30.0])
    >>> c.direction, round(c.breakeven, 2), round(c.ci_low, 2), round(c.ci_high, 2), c.last_before, c.first_after
    ('falls', 1.75, 1.25, 2.25, 1.0, 2.0)
    """
    change = _first_sign_change(x, mean)
    found = [] if change is None else [z for z in zeros(x, mean) if change[0] <= z <= change[1]]
    if not found:  # a curve that only touches zero, or is zero throughout, does not change sign
        return Crossing(0, "", math.nan, math.nan, math.nan, math.nan, math.nan)
    at = found[0]
    before = [v for xi, v in zip(x, mean, strict=True) if xi < at and v != 0 and not math.isnan(v)]
    after = [(xi, v) for xi, v in zip(x, mean, strict=True) if xi > at and v != 0 and not math.isnan(v)]
    sign_before = math.copysign(1, before[-1]) if before else -math.copysign(1, after[0][1]) if after else 0
    direction = "falls" if sign_before > 0 else "rises" if sign_before < 0 else ""
    changed = [xi for xi, v in after if math.copysign(1, v) != sign_before]
    last = [xi for xi, v in zip(x, mean, strict=True) if xi < at and v != 0 and math.copysign(1, v) == sign_before]
    edges = sorted(zeros(x, low) + zeros(x, high))
    below = [e for e in edges if e <= at]
    above = [e for e in edges if e >= at]
    banded = not any(math.isnan(v) for v in (*low, *high))
    return Crossing(
        crossings=_sign_changes(mean),
        direction=direction,
        breakeven=at,
        ci_low=below[-1] if banded and below else math.nan,
        ci_high=above[0] if banded and above else math.nan,
        last_before=float(last[-1]) if last else math.nan,
        first_after=float(changed[0]) if changed else math.nan,
    )


def _first_sign_change(x: Sequence[float], y: Sequence[float]) -> tuple[float, float] | None:
    """The grid values of the first two consecutive non-zero points of opposite sign (None: the sign never changes).

    >>> _first_sign_change([0, 1, 2, 3], [0.0, 0.0, 0.0, 0.0]) is None
    True
    >>> _first_sign_change([0, 1, 2, 3], [0.0, 5.0, 0.0, -1.0])
    (1, 3)
    """
    points = [(xi, math.copysign(1, v)) for xi, v in zip(x, y, strict=True) if v != 0 and not math.isnan(v)]
    return next(((a, b) for (a, sa), (b, sb) in zip(points, points[1:], strict=False) if sa != sb), None)


def _sign_changes(y: Sequence[float]) -> int:
    """How often the sign of the non-zero values changes along the curve."""
    signs = [math.copysign(1, v) for v in y if v != 0 and not math.isnan(v)]
    return sum(1 for a, b in zip(signs, signs[1:], strict=False) if a != b)
