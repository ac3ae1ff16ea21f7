"""Shared building blocks of the scenario schema: strict models, bounded numbers and dates, dated step values,
durations, ids.

Every number a scenario gives has a range that means something physically and that the
machine can hold: finite (no ``.nan`` or ``.inf``), never ``true``/``false`` read as 1/0, dates
from 1900 (when constants take effect) to 2200, counts small enough that sums of them stay
within 64 bits. Out of range is the usual one-line error at validation, before anything runs.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer
from pydantic.fields import FieldInfo

from .distributions import Duration, parse_duration
from .lifetime import interrupts_deferred
from .validation import shown

ORIGIN = dt.date(1900, 1, 1)
"""Date of a constant given without dates: in force before any modelled horizon (so the earliest date a scenario may use)."""
LAST_DATE = dt.date(2200, 12, 31)
"""The latest date a scenario may use (a horizon of 50 years from it, plus the run's limit, stays far inside year 9999)."""
MAX_PREMISES = 10**9
"""Most premises one party may have on any date (GB has about 30 million): thousands of parties' sum fits in 64 bits."""


def whole(low: int, high: int) -> FieldInfo:
    """The bounds of an integer parameter; strict, so ``true`` or ``2.5`` is never read as a count."""
    return Field(strict=True, ge=low, le=high)


def real(low: float, high: float, *, above: bool = False) -> FieldInfo:
    """The bounds of a real parameter, ``[low, high]`` (``(low, high]`` when ``above``): finite, and never true/false."""
    return Field(strict=True, allow_inf_nan=False, gt=low if above else None, ge=None if above else low, le=high)


DATE_EXPECTED = f"expected a date from {ORIGIN} to {LAST_DATE} (YYYY-MM-DD)"
"""What a date's mistake says, in a scenario and in a regime's amendments alike."""


def _a_date(value: Any) -> dt.date:
    """A date, or a YYYY-MM-DD string (as a saved scenario writes it); never a number, which pydantic would read as a
    Unix time (``start: 1514764800`` was 2018-01-01), nor a date with a time of day."""
    day = as_date(value) if not isinstance(value, dt.datetime) else None
    if day is None:
        raise ValueError(f"{DATE_EXPECTED}, got {shown(value)}")
    return day


Date = Annotated[dt.date, BeforeValidator(_a_date)]
"""A calendar date a scenario gives: from 1900-01-01 to 2200-12-31."""


class Strict(BaseModel):
    """Unknown keys are errors; validated values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """``BaseModel.model_dump`` with SIGINT, SIGTERM and SIGHUP held back until it returns: pydantic turns an
        exception raised in one of our serializers or discriminators, ``KeyboardInterrupt`` included, into a warning and
        carries on, so a Ctrl-C landing there (a sweep hashes its scenario at every point) was lost."""
        with interrupts_deferred():
            return super().model_dump(**options)


def as_date(key: Any) -> dt.date | None:
    """A date, or a YYYY-MM-DD string as a date, from ``ORIGIN`` to ``LAST_DATE``; None for anything else."""
    if isinstance(key, str):
        try:
            key = dt.date.fromisoformat(key)
        except ValueError:
            return None
    if isinstance(key, dt.date) and ORIGIN <= key <= LAST_DATE:
        return key
    return None


def _dated(value: Any, integer: bool, maximum: float, expected: str) -> tuple[tuple[dt.date, Any], ...]:
    """A constant or a step mapping {date: value}, each value in [0, ``maximum``], as sorted (date, value) pairs."""
    if isinstance(value, tuple):
        return value

    def ok(v: Any) -> bool:
        if isinstance(v, bool):
            return False
        return (isinstance(v, int) if integer else isinstance(v, int | float)) and 0 <= v <= maximum and math.isfinite(v)

    if ok(value):
        return ((ORIGIN, value),)
    if isinstance(value, dict) and value:
        steps = []
        for when, v in value.items():
            on = as_date(when)
            if on is None:
                raise ValueError(f"{expected} (dates as YYYY-MM-DD from {ORIGIN} to {LAST_DATE}), got key {shown(when)}")
            if not ok(v):
                raise ValueError(f"{expected}, got {shown(v)} on {on}")
            steps.append((on, v))
        return tuple(sorted(steps))
    raise ValueError(f"{expected}, got {shown(value)}")


def _dated_json(steps: tuple[tuple[dt.date, Any], ...]) -> Any:
    if len(steps) == 1 and steps[0][0] == ORIGIN:
        return steps[0][1]
    return {d.isoformat(): n for d, n in steps}


Premises = Annotated[
    tuple[tuple[dt.date, int], ...],
    BeforeValidator(
        lambda v: _dated(v, True, MAX_PREMISES, f"expected an integer from 0 to {MAX_PREMISES:,} or a dated mapping")
    ),
    PlainSerializer(_dated_json),
]
"""Premises over time: a constant or a step mapping {date: count}; zero before the first date."""


def rate(maximum: float) -> Any:
    """A non-negative rate over time, at most ``maximum``: a constant or a step mapping {date: value}."""
    expected = f"expected a number from 0 to {maximum:,g} or a dated mapping"
    return Annotated[
        tuple[tuple[dt.date, float], ...],
        BeforeValidator(lambda v: _dated(v, False, maximum, expected)),
        PlainSerializer(_dated_json),
    ]


Dist = Annotated[Duration, BeforeValidator(parse_duration), PlainSerializer(lambda d: d.to_json())]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
Probability = Annotated[float, real(0, 1)]
