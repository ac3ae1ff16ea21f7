"""Horizon totals per regime and the paired difference against the first regime listed.

Replication r of every regime shares its random streams (common random numbers), so the
difference is taken replication by replication and its interval is a paired t interval.
"""

from __future__ import annotations

import math

import pandas as pd
from scipy import stats

SUMMARY_COLUMNS = [
    "metric", "regime", "mean", "sd", "replications", "baseline", "diff_mean", "diff_ci_low", "diff_ci_high",
]

_ADDITIVE = {
    "assessments": "assessments_total",
    "cio_days": "cio_days",
    "ssc_items": "ssc_items",
    "late": "late",
    "cost_gbp": "cost_gbp",
    "srp_part_assessed": "srp_part_assessed",
    "report_copies": "report_copies",
}


def horizon_totals(yearly: pd.DataFrame) -> pd.DataFrame:
    """One row per (regime, replication, metric): totals over the horizon."""
    parts = []
    keys = ["regime", "replication"]
    for metric, name in _ADDITIVE.items():
        sub = yearly[yearly.metric == metric]
        parts.append(sub.groupby(keys, sort=False)["value"].sum().rename(name))
    kinds = yearly[yearly.metric == "assessments"].pivot_table(
        index=keys, columns="type", values="value", aggfunc="sum", fill_value=0, sort=False
    )
    for kind in ("full", "verification", "self", "follow_up"):
        parts.append((kinds[kind] if kind in kinds else pd.Series(0.0, index=kinds.index)).rename(f"assessments_{kind}"))
    util = yearly[yearly.metric == "cio_utilisation"].groupby(keys, sort=False)["value"].mean().rename("cio_utilisation_mean")
    parts.append(util)
    wide = pd.concat(parts, axis=1).fillna(0.0)
    runs = yearly[keys].drop_duplicates()
    wide = runs.set_index(keys).join(wide).fillna(0.0)
    long = wide.reset_index().melt(id_vars=keys, var_name="metric", value_name="value")
    return long


def summarise(yearly: pd.DataFrame, regimes: list[str]) -> pd.DataFrame:
    """Mean and sd per regime and metric, and the paired difference from ``regimes[0]`` with a 95 % t interval."""
    totals = horizon_totals(yearly)
    baseline = regimes[0]
    rows = []
    for metric in totals.metric.unique():
        sub = totals[totals.metric == metric].pivot(index="replication", columns="regime", values="value")
        for regime in regimes:
            values = sub[regime] if regime in sub else pd.Series(dtype=float)
            n = int(values.count())
            row = {"metric": metric, "regime": regime, "mean": values.mean(), "sd": values.std(ddof=1) if n > 1 else math.nan,
                   "replications": n, "baseline": baseline, "diff_mean": math.nan, "diff_ci_low": math.nan, "diff_ci_high": math.nan}
            if regime != baseline and baseline in sub and regime in sub:
                diff = (sub[regime] - sub[baseline]).dropna()
                row["diff_mean"] = diff.mean()
                if len(diff) > 1:
                    half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / math.sqrt(len(diff))
                    row["diff_ci_low"], row["diff_ci_high"] = row["diff_mean"] - half, row["diff_mean"] + half
            rows.append(row)
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    order = {m: i for i, m in enumerate([
        "assessments_total", "assessments_full", "assessments_verification", "assessments_self", "assessments_follow_up",
        "srp_part_assessed", "cio_days", "cio_utilisation_mean", "ssc_items", "late", "report_copies", "cost_gbp"])}
    out["_o"] = out.metric.map(order).fillna(99)
    return out.sort_values(["_o", "metric"], kind="stable").drop(columns="_o").reset_index(drop=True)


def _fmt(value: float) -> str:
    if math.isnan(value):
        return ""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def render(summary: pd.DataFrame) -> str:
    """The printed summary: horizon totals per regime, then paired differences from the baseline."""
    metrics = list(dict.fromkeys(summary.metric))
    regimes = list(dict.fromkeys(summary.regime))
    baseline = regimes[0]
    cell = summary.set_index(["metric", "regime"])
    means = pd.DataFrame({r: [_fmt(cell.loc[(m, r), "mean"]) for m in metrics] for r in regimes}, index=metrics)
    n = int(summary.replications.max())
    blocks = [f"Horizon totals, mean of {n} replication(s)", means.to_string()]
    if len(regimes) > 1:
        diffs = {}
        for r in regimes[1:]:
            column = []
            for m in metrics:
                row = cell.loc[(m, r)]
                ci = "" if math.isnan(row.diff_ci_low) else f" [{_fmt(row.diff_ci_low)}, {_fmt(row.diff_ci_high)}]"
                column.append(_fmt(row.diff_mean) + ci)
            diffs[r] = column
        heading = f"Paired difference from {baseline} (regime - {baseline})" + (", mean [95% CI]" if n > 1 else "")
        blocks += ["", heading, pd.DataFrame(diffs, index=metrics).to_string()]
    return "\n".join(blocks)
