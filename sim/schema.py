"""Shared building blocks of the scenario schema: strict models, dated step values, durations, ids."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from .distributions import Duration, parse_duration
from .validation import shown

ORIGIN = dt.date(1900, 1, 1)
"""Date of a constant given without dates: in force before any modelled horizon."""


class Strict(BaseModel):
    """Unknown keys are errors; validated values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def as_date(key: Any) -> dt.date | None:
    """A date, or a YYYY-MM-DD string as a date; None for anything else."""
    if isinstance(key, dt.date):
        return key
    if isinstance(key, str):
        try:
            return dt.date.fromisoformat(key)
        except ValueError:
            return None
    return None


def _dated(value: Any, integer: bool, expected: str) -> tuple[tuple[dt.date, Any], ...]:
    """A constant or a step mapping {date: value}, as sorted (date, value) pairs."""
    if isinstance(value, tuple):
        return value

    def ok(v: Any) -> bool:
        if isinstance(v, bool):
            return False
        return (isinstance(v, int) if integer else isinstance(v, int | float)) and v >= 0

    if ok(value):
        return ((ORIGIN, value),)
    if isinstance(value, dict) and value:
        steps = []
        for when, v in value.items():
            on = as_date(when)
            if on is None:
                raise ValueError(f"{expected} (dates as YYYY-MM-DD), got key {shown(when)}")
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
    BeforeValidator(lambda v: _dated(v, True, "expected a non-negative integer or a dated mapping")),
    PlainSerializer(_dated_json),
]
"""Premises over time: a constant or a step mapping {date: count}; zero before the first date."""

Rate = Annotated[
    tuple[tuple[dt.date, float], ...],
    BeforeValidator(lambda v: _dated(v, False, "expected a non-negative number or a dated mapping")),
    PlainSerializer(_dated_json),
]
"""A non-negative rate over time: a constant or a step mapping {date: value}."""

Dist = Annotated[Duration, BeforeValidator(parse_duration), PlainSerializer(lambda d: d.to_json())]
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
Probability = Annotated[float, Field(ge=0, le=1)]
