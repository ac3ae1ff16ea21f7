"""Cost over time, present values and the saving of one regime over another (DOMAIN.md 7).

The HM Treasury Green Book convention: real prices in the scenario's price base, cost per
calendar year, present value at 3.5 % a year discounted to the scenario's start year.
Replication r of every regime shares its random streams (common random numbers), so a
saving is taken replication by replication and its interval is a paired t interval. Reads
the tidy ``yearly`` table only.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .summary import comparisons, t_quantile

GREEN_BOOK_RATE = 0.035
"""HM Treasury Green Book social time preference rate for years 0-30."""

SUMMARY_FORM = ["metric", "regime", "mean", "sd", "replications", "baseline", "diff_mean", "diff_ci_low", "diff_ci_high"]
"""The leading columns of ``summary.csv``, which the present value is given in."""


def cost_by_year(yearly: pd.DataFrame) -> pd.Series:
    """Cost per (regime, replication, year), every horizon year present (zero where nothing was paid)."""
    runs = yearly[["regime", "replication"]].drop_duplicates()
    years = pd.DataFrame({"year": sorted(yearly.year.unique())})
    grid = pd.MultiIndex.from_frame(runs.merge(years, how="cross"))
    paid = yearly[yearly.metric == "cost_gbp"].groupby(["regime", "replication", "year"])["value"].sum()
    return paid.reindex(grid, fill_value=0.0)


def present_values(yearly: pd.DataFrame, start_year: int, rate: float = GREEN_BOOK_RATE) -> pd.Series:
    """Present value of each (regime, replication)'s yearly cost, year ``start_year`` undiscounted."""
    cost = cost_by_year(yearly)
    years = cost.index.get_level_values("year").to_numpy()
    discounted = cost / (1.0 + rate) ** (years - start_year)
    return discounted.groupby(level=["regime", "replication"], sort=False).sum()


def paired_interval(diffs: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95 % t interval of each column of per-replication differences (rows: replications).

    With one replication there is no interval (NaN bounds).
    """
    n = diffs.count()
    mean = diffs.mean()
    sd = diffs.std(ddof=1)
    half = pd.Series(
        [t_quantile(k - 1) * s / math.sqrt(k) if k > 1 else math.nan for k, s in zip(n, sd, strict=True)],
        index=diffs.columns,
    )
    return pd.DataFrame({"mean": mean, "low": mean - half, "high": mean + half, "replications": n})


def _by_replication(values: pd.Series, regime: str) -> pd.Series | pd.DataFrame:
    """One regime's values indexed by replication (a frame when a further level remains)."""
    part = values.xs(regime, level="regime")
    return part if part.index.nlevels == 1 else part.unstack()


def cumulative_saving(yearly: pd.DataFrame, regimes: list[str], baselines: dict[str, str] | None = None) -> pd.DataFrame:
    """Cumulative saving of each regime over its baseline (baseline cost − regime cost), by year.

    Columns: regime, baseline, year, mean, low, high, replications — the interval is paired, per year.
    """
    cost = cost_by_year(yearly)
    present = set(cost.index.get_level_values("regime"))
    against = comparisons(regimes, baselines)
    parts = []
    for regime in regimes:
        base = against[regime]
        if regime == base or regime not in present or base not in present:
            continue
        saving = _by_replication(cost, base).cumsum(axis=1) - _by_replication(cost, regime).cumsum(axis=1)
        parts.append(paired_interval(saving).rename_axis("year").reset_index().assign(regime=regime, baseline=base))
    columns = ["regime", "baseline", "year", "mean", "low", "high", "replications"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def present_value_summary(
    yearly: pd.DataFrame,
    regimes: list[str],
    start_year: int,
    rate: float = GREEN_BOOK_RATE,
    baselines: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Rows in ``summary.csv``'s form for the metric ``pv_cost_gbp``: mean, sd and the paired difference from each
    regime's baseline."""
    pv = present_values(yearly, start_year, rate)
    against = comparisons(regimes, baselines)
    rows = []
    for regime in regimes:
        baseline = against[regime]
        values = _by_replication(pv, regime)
        row = {
            "metric": "pv_cost_gbp",
            "regime": regime,
            "mean": values.mean(),
            "sd": values.std(ddof=1),
            "replications": int(values.count()),
            "baseline": baseline,
            "diff_mean": np.nan,
            "diff_ci_low": np.nan,
            "diff_ci_high": np.nan,
        }
        if regime != baseline:
            diff = paired_interval((values - _by_replication(pv, baseline)).to_frame("pv")).loc["pv"]
            row.update(diff_mean=diff["mean"], diff_ci_low=diff["low"], diff_ci_high=diff["high"])
        rows.append(row)
    return pd.DataFrame(rows, columns=SUMMARY_FORM)
