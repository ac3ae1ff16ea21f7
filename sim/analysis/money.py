"""Money as a Working Group reads it: £6.14m, £34.0k, £850 — three significant figures, one sign convention.

Tables keep exact signed pounds (a change is regime − baseline, so a saving is negative); everything printed or
drawn goes through here, so the CLI, the report and the charts show the same figure the same way. Shared by the
run's printout, the report, the charts and any page that shows pounds (``pounds``, ``pounds_interval``, ``scale``).
"""

from __future__ import annotations

import math

MINUS = "−"
"""The true minus sign (U+2212) pages use; the CLI prints ASCII ``-`` so its output greps and pastes."""


def _unit(magnitude: float) -> tuple[float, str]:
    """The divisor and suffix that show ``magnitude`` pounds: millions, thousands or pounds."""
    if magnitude >= 999_500:
        return 1e6, "m"
    if magnitude >= 999.5:
        return 1e3, "k"
    return 1.0, ""


def _decimals(scaled: float) -> int:
    """Decimals that give three significant figures to a number from 1 to 999 (none below 1: £0 or pence)."""
    if scaled >= 99.95:
        return 0
    return 1 if scaled >= 9.995 else 2


def _text(value: float, divisor: float, suffix: str, decimals: int, signed: bool, minus: str) -> str:
    shown = round(abs(value) / divisor, decimals)
    sign = minus if value < 0 and shown else "+" if signed and value > 0 and shown else ""
    return f"{sign}£{shown:,.{decimals}f}{suffix}"


def pounds(value: float | None, signed: bool = False, minus: str = "-") -> str:
    """``£6.14m``, ``£34.0k``, ``£850``; ``signed`` puts + on a positive value (a change); "—" for none."""
    if value is None or math.isnan(value):
        return "—"
    divisor, suffix = _unit(abs(value))
    decimals = _decimals(abs(value) / divisor) if suffix else 0
    return _text(value, divisor, suffix, decimals, signed, minus)


def pounds_interval(mean: float, low: float, high: float, minus: str = "-") -> str:
    """``-£6.14m [-£6.48m, -£5.79m]``: a signed change and its interval in one unit, that of the largest of the three
    (no interval when its bounds are NaN: one replication)."""
    if math.isnan(mean):
        return "—"
    if math.isnan(low) or math.isnan(high):
        return pounds(mean, True, minus)
    largest = max(abs(mean), abs(low), abs(high))
    divisor, suffix = _unit(largest)
    decimals = _decimals(largest / divisor) if suffix else 0
    low_text, high_text = (_text(v, divisor, suffix, decimals, True, minus) for v in (low, high))
    return f"{_text(mean, divisor, suffix, decimals, True, minus)} [{low_text}, {high_text}]"


def saving_words(mean: float, low: float, high: float, verbs: tuple[str, str] = ("saves", "costs")) -> str:
    """A change of cost in words: "saves £6.14m [95 % CI £5.79m, £6.48m]" or "costs £34.0k more" (no interval for
    one replication), the interval turned with the words, so its bounds read in the sentence's own sense."""
    if math.isnan(mean):
        return "has no cost to compare"
    if mean == 0 and not low < 0 < high:
        return f"{verbs[1]} the same"
    flip = mean < 0
    shown = [-mean, -high, -low] if flip else [mean, low, high]
    verb, more = (verbs[0], "") if flip else (verbs[1], " more")
    if math.isnan(low) or math.isnan(high):
        return f"{verb} {pounds(shown[0])}{more}"
    largest = max(map(abs, shown))
    divisor, suffix = _unit(largest)
    decimals = _decimals(largest / divisor) if suffix else 0
    a, b, c = (_text(v, divisor, suffix, decimals, False, "-") for v in shown)
    return f"{verb} {a}{more} [95 % CI {b}, {c}]"


def scale(largest: float) -> tuple[float, str]:
    """For a chart's axis: the divisor and the unit words (``£ million`` or ``£ thousand``) for values up to ``largest``."""
    return (1e6, "£ million") if abs(largest) >= 1e6 else (1e3, "£ thousand")
