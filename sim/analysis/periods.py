"""Any period of a finished run: the paired summary of calendar years FROM to TO, from the tables already written.

``yearly.csv`` holds every replication's totals per calendar year, so a sub-period's summary is the horizon
summary's arithmetic over fewer years (``run_totals`` of those years' rows), with the same paired intervals and
no re-run. Years are calendar years of the horizon as ``yearly.csv`` counts them: an assessment's costs and count
by its fieldwork start, lateness by its due date, SSC items by their review (docs/reference/outputs.md); a
horizon that starts or ends within a year has that year in part.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..core.errors import InputError
from .summary import run_totals, summarise
from .tables import YEARLY_COLUMNS
from .yearly import year_days

Period = tuple[int, int]
"""First and last calendar year, both included."""
Horizon = tuple[str | dt.date, str | dt.date]
"""A run's start and end (exclusive), as dates or as a manifest's ISO dates."""


def horizon_years(yearly: pd.DataFrame) -> Period:
    """The first and last calendar year a ``yearly`` table has."""
    return int(yearly.year.min()), int(yearly.year.max())


def chosen(yearly: pd.DataFrame, first: int | None, last: int | None, where: str) -> Period:
    """``--from`` and ``--to`` (each defaulting to the horizon's end), checked against the years ``yearly`` holds."""
    low, high = horizon_years(yearly)
    period = (low if first is None else first, high if last is None else last)
    for option, year in (("--from", period[0]), ("--to", period[1])):
        if not low <= year <= high:
            raise InputError(f"{where}: {option} {year}: expected a year of the run's horizon, {low} to {high}")
    if period[0] > period[1]:
        raise InputError(f"{where}: --from {period[0]} --to {period[1]}: expected --from no later than --to")
    return period


def name(period: Period) -> str:
    """``2018-2020``: how a period names its files (``summary-2018-2020.csv``)."""
    return f"{period[0]}-{period[1]}"


def within(yearly: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The rows of ``yearly`` in the period's years."""
    return yearly[(yearly.year >= period[0]) & (yearly.year <= period[1])]


def period_totals(yearly: pd.DataFrame, period: Period, horizon: Horizon) -> pd.DataFrame:
    """Long ``regime, replication, metric, value``: each run's totals over the period (``run_totals``; every run has
    rows in every year of its horizon, its CIO utilisation at least). ``horizon``: the run's start and end (ISO dates,
    as a manifest has them), whose years weigh the CIO's utilisation by their days."""
    rows = within(yearly, period)[YEARLY_COLUMNS]
    days = year_days(*(dt.date.fromisoformat(str(d)) for d in horizon))
    out = [
        (regime, replication, metric, value)
        for (regime, replication), part in rows.groupby(["regime", "replication"], sort=False)
        for metric, value in run_totals(part.itertuples(index=False, name=None), days).items()
    ]
    return pd.DataFrame(out, columns=["regime", "replication", "metric", "value"])


def period_summary(
    yearly: pd.DataFrame, regimes: list[str], period: Period, horizon: Horizon, baselines: dict[str, str] | None = None
) -> pd.DataFrame:
    """``summary.csv``'s rows for the period: mean, sd and the paired change from each regime's baseline."""
    return summarise(period_totals(yearly, period, horizon), regimes, baselines)
