"""Numbers as the report prints them: pounds to the pound, counts to one decimal, a true minus sign."""

from __future__ import annotations

import math


def number(value: float | None, unit: str = "count", signed: bool = False) -> str:
    """``£1,454,390`` for ``unit="£"``; otherwise one decimal below 1,000 (means over replications are rarely whole).

    ``signed`` puts + on a positive value (a difference); a negative value always gets − (U+2212).
    """
    if value is None or math.isnan(value):
        return "—"
    sign = "−" if value < 0 else "+" if signed and value > 0 else ""
    if unit == "£":
        return f"{sign}£{abs(value):,.0f}"
    return f"{sign}{abs(value):,.0f}" if abs(value) >= 1000 else f"{sign}{abs(value):,.1f}"
