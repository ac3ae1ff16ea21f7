"""Numbers as the report prints them: money in £m or £k to three significant figures (``sim.analysis.money``),
counts to one decimal, a true minus sign."""

from __future__ import annotations

import math
from typing import Any

import yaml

from ..analysis.money import MINUS, pounds, pounds_interval
from ..core.schema import as_date


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


def as_written(value: Any) -> str:
    """A scenario value as a scenario file or ``--set`` writes it (YAML flow style: ``{full: 3.0, self: 1.0}``; a date
    as a date, not the quoted string a saved scenario holds)."""
    return yaml.safe_dump(_dates(value), default_flow_style=True, width=10**6).strip().removesuffix("...").strip()


def _dates(value: Any) -> Any:
    if isinstance(value, dict):
        return {_dates(k): _dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v) for v in value]
    return as_date(value) if isinstance(value, str) and as_date(value) is not None else value
