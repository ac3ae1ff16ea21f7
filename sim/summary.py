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


def render(summary: pd.DataFrame) -> str:
    """The printed summary: metrics by regime, and the difference from the baseline."""
    table = summary.pivot(index="metric", columns="regime", values="mean")
    table = table.loc[list(dict.fromkeys(summary.metric))]
    regimes = list(dict.fromkeys(summary.regime))
    table = table[regimes]
    baseline = regimes[0]
    lines = []
    for other in regimes[1:]:
        diffs = summary[summary.regime == other].set_index("metric")
        label = f"{other} - {baseline}"
        table[label] = diffs["diff_mean"]
        if diffs["diff_ci_low"].notna().any():
            table[f"{label} 95% CI"] = [
                f"[{lo:,.1f}, {hi:,.1f}]" if not math.isnan(lo) else "" for lo, hi in zip(diffs["diff_ci_low"], diffs["diff_ci_high"], strict=True)
            ]
    lines.append(table.to_string(float_format=lambda v: f"{v:,.2f}" if abs(v) < 10 else f"{v:,.0f}"))
    return "\n".join(lines)
