"""Numbers as the report prints them: money in £m or £k to three significant figures (``sim.analysis.money``),
counts to one decimal, a true minus sign."""

from __future__ import annotations

import math

from ..analysis.money import MINUS, pounds, pounds_interval


def number(value: float | None, unit: str = "count", signed: bool = False) -> str:
    """``£1.45m`` for ``unit="£"``; otherwise one decimal below 1,000 (means over replications are rarely whole).

    ``signed`` puts + on a positive value (a difference); a negative value always gets − (U+2212).
    """
    if value is None or math.isnan(value):
        return "—"
    if unit == "£":
        return pounds(value, signed, MINUS)
    sign = MINUS if value < 0 else "+" if signed and value > 0 else ""
    return f"{sign}{abs(value):,.0f}" if abs(value) >= 1000 else f"{sign}{abs(value):,.1f}"


def change(mean: float, low: float, high: float, unit: str = "count") -> str:
    """A signed change with its interval, ``−£6.14m [−£6.48m, −£5.79m]`` (money in the unit of the largest)."""
    if unit == "£":
        return pounds_interval(mean, low, high, MINUS)
    interval = "" if math.isnan(low) else f" [{number(low, unit, True)}, {number(high, unit, True)}]"
    return number(mean, unit, True) + interval
