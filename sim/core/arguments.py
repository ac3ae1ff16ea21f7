"""The Python API's arguments, checked as the command's options are: the same ranges, one line naming the argument.

``checked`` wraps a function with pydantic's ``validate_call``: every argument is validated against its annotation
before the function runs, and a mistake is the ``InputError`` ``sim.run(): reps: expected a value >= 1, got 0``,
never a traceback from numpy or pathlib later. A numpy integer is taken as the integer it is (a value read back from
a table is one); a bool is not a number.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import numpy as np
from pydantic import BeforeValidator, ConfigDict, Field, StrictInt, StrictStr, ValidationError, validate_call

from .validation import input_error, shown

MOST = 100_000
"""Most replications, points or samples a call or option asks for (``--reps``, ``--max-reps``, ``--n``, a scenario's
``replications``)."""
MAX_SEED = 2**63 - 1
"""Largest seed (a scenario's ``seed``, ``--seed``, ``seed=``)."""


def _whole(value: Any) -> Any:
    """A numpy integer, or a float with nothing after the point (a table's column), as the integer it is; a bool
    refused, where pydantic's strict integer would say it is no integer."""
    if isinstance(value, bool):
        raise ValueError(f"expected an integer, got {str(value).lower()}")
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return int(value)
    return int(value) if isinstance(value, np.integer) else value


Count = Annotated[StrictInt, BeforeValidator(_whole), Field(ge=1, le=MOST)]
"""Replications, points or samples: the command's ``--reps`` and ``--n``."""
NonNegative = Annotated[StrictInt, BeforeValidator(_whole), Field(ge=0, le=MOST)]
"""``detail_reps``: the command's ``--detail-reps``."""
Seed = Annotated[StrictInt, BeforeValidator(_whole), Field(ge=0, le=MAX_SEED)]
Year = Annotated[StrictInt, BeforeValidator(_whole), Field(ge=1, le=9999)]
Workers = Annotated[StrictInt, BeforeValidator(_whole), Field(ge=1, le=10_000)]
"""An executor's workers: how many this machine may run is ``ExecutorSpec``'s to say, once it is opened."""


def _day(value: Any) -> Any:
    """A date, or its ISO text; a number is not a day (pydantic would read 0 as 1970-01-01)."""
    if isinstance(value, np.datetime64):
        value = value.astype("datetime64[D]").item()
    if isinstance(value, int | float) or value == "":
        raise ValueError(f"expected a date (YYYY-MM-DD), got {shown(value)}")
    return value


Day = Annotated[dt.date, BeforeValidator(_day)]
Name = Annotated[StrictStr, Field(min_length=1)]


def _path(value: Any) -> Any:
    """Any ``os.PathLike`` (a ``pathlib.Path``, pytest's ``tmpdir``) or text as a ``Path``, ``~`` expanded."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    return Path(value).expanduser() if isinstance(value, str) and value else value


PathLike = Annotated[Path, BeforeValidator(_path)]
"""A path as text or any ``os.PathLike``, ``~`` expanded as a shell would (pandas expands it, so secsim's checks must too)."""

F = TypeVar("F", bound=Callable[..., Any])


def checked(function: F) -> F:
    """``function`` with its arguments validated against its annotations first (``validate_call``); a mistake is one
    ``InputError`` naming ``sim.<function>()`` and the argument, by name however it was passed."""
    validated = validate_call(config=ConfigDict(arbitrary_types_allowed=True))(function)
    names = list(inspect.signature(function).parameters)
    owner, _, own = function.__qualname__.rpartition(".")
    called = f"sim.{owner}().{own}()" if owner else f"sim.{own}()"

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return validated(*args, **kwargs)
        except ValidationError as exc:
            if exc.title != function.__qualname__:  # raised inside the function, not by its arguments
                raise
            raise input_error(lambda loc: called, exc, named=names) from None

    return call  # type: ignore[return-value]
