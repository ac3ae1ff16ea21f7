"""The paired summary of a slice of a finished run, from its ``yearly`` table alone: some of its calendar years,
or its cost by who pays (the payer role of each cost component).

``yearly`` holds every replication whatever ``--detail-reps`` kept, and a run's horizon totals are sums of its
yearly rows (``summary.run_totals``), so a slice is summarised exactly as the horizon is: per replication, then
paired regime − baseline with the same 95 % t interval. Over every year of the horizon the slice is the run's own
summary, number for number.
"""

from __future__ import annotations

import pandas as pd

from ..core.errors import InputError
from .summary import SUMMARY_COLUMNS, run_totals, summarise
from .tables import YEARLY_COLUMNS

PAYER_COLUMNS = ["payer_role", *SUMMARY_COLUMNS]


def _years(yearly: pd.DataFrame, first: int | None, last: int | None) -> pd.DataFrame:
    """The rows of the calendar years ``first`` to ``last`` (inclusive; either open), refused if none are in range."""
    years = sorted(int(y) for y in yearly.year.unique())
    low, high = first if first is not None else years[0], last if last is not None else years[-1]
    if low > high or high < years[0] or low > years[-1]:
        raise InputError(f"years {low} to {high}: expected a period within the run's years {years[0]} to {years[-1]}")
    return yearly[(yearly.year >= low) & (yearly.year <= high)]


def period_summary(
    yearly: pd.DataFrame,
    regimes: list[str],
    baselines: dict[str, str] | None = None,
    first: int | None = None,
    last: int | None = None,
) -> pd.DataFrame:
    """The horizon metrics of the years ``first`` to ``last`` only, per regime and paired (``summary.csv``'s form)."""
    rows = _years(yearly, first, last)
    totals = [
        (regime, replication, metric, value)
        for (regime, replication), part in rows.groupby(["regime", "replication"], sort=False)
        for metric, value in run_totals(part[YEARLY_COLUMNS].itertuples(index=False, name=None)).items()
    ]
    return summarise(pd.DataFrame(totals, columns=["regime", "replication", "metric", "value"]), regimes, baselines)


def payer_summary(
    yearly: pd.DataFrame,
    regimes: list[str],
    baselines: dict[str, str] | None = None,
    first: int | None = None,
    last: int | None = None,
) -> pd.DataFrame:
    """Cost per payer role (suppliers, networks, other Users, SRPs, SECCo) per regime and its paired difference;
    a replication in which a role paid nothing counts as zero, so the roles' differences sum to the total's."""
    rows = _years(yearly, first, last)
    paid = rows[rows.metric == "cost_gbp"].groupby(["regime", "replication", "role"])["value"].sum()
    runs = rows[["regime", "replication"]].drop_duplicates()
    roles = list(dict.fromkeys(paid.index.get_level_values("role")))
    parts = []
    for role in roles:
        cells = runs.assign(metric="cost_gbp", value=[paid.get((r, k, role), 0.0) for r, k in runs.itertuples(index=False)])
        parts.append(summarise(cells, regimes, baselines).assign(payer_role=role))
    if not parts:
        return pd.DataFrame(columns=PAYER_COLUMNS)
    return pd.concat(parts, ignore_index=True)[PAYER_COLUMNS]
