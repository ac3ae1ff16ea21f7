"""Totals per regime and the paired difference against its baseline, over the horizon and per year.

A regime's baseline is the first regime listed unless the scenario's ``baselines`` names another
(``sec-history`` against ``sec-history-without-secmp0044``: the effect of SECMP0044 within the
real sequence of changes).

Replication r of every regime shares its random streams (common random numbers), so a
difference is taken replication by replication and its interval is a paired t interval. Beside
it stands the Welch interval the same runs would give had the regimes been run on independent
streams, and the share of the difference's variance that pairing removed: what CRN bought.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import special

from ..law.readings import READINGS, describe_own_moments, describe_reading
from .money import pounds, pounds_interval
from .tables import YEARLY_COLUMNS

STATISTICS = [
    "mean",
    "sd",
    "replications",
    "baseline",
    "diff_mean",
    "diff_ci_low",
    "diff_ci_high",
    "diff_half_width",
    "unpaired_half_width",
    "variance_reduction",
]
SUMMARY_COLUMNS = ["metric", "regime", *STATISTICS]
YEARLY_SUMMARY_COLUMNS = ["year", *SUMMARY_COLUMNS]

HORIZON_METRICS = [
    "assessments_total",
    "assessments_full",
    "assessments_verification",
    "assessments_self",
    "assessments_follow_up",
    "srp_part_assessed",
    "cio_days",
    "cio_utilisation_mean",
    "ssc_items",
    "late",
    "pushed_past_due",
    "missed_mandate",
    "report_copies",
    "cost_gbp",
]
"""The horizon totals of one replication, in the order they are printed."""

_ADDITIVE = {
    "assessments": "assessments_total",
    "cio_days": "cio_days",
    "ssc_items": "ssc_items",
    "late": "late",
    "pushed_past_due": "pushed_past_due",
    "cost_gbp": "cost_gbp",
    "srp_part_assessed": "srp_part_assessed",
    "report_copies": "report_copies",
    "missed_mandate": "missed_mandate",
}
_YEAR, _METRIC, _TYPE, _VALUE = (YEARLY_COLUMNS.index(c) for c in ("year", "metric", "type", "value"))
CONFIDENCE = 0.95


def t_quantile(df: float) -> float:
    """Student's t quantile for a two-sided ``CONFIDENCE`` interval on ``df`` degrees of freedom (NaN unless df > 0).

    What ``scipy.stats.t.ppf`` returns, bit for bit (its ``_ppf`` is ``scipy.special.stdtrit``; tests/test_replications.py
    checks), without importing ``scipy.stats``, which costs most of a second in every command and worker process.
    """
    return float(special.stdtrit(df, 0.5 + CONFIDENCE / 2))


_NO_DIFFERENCE = dict.fromkeys(STATISTICS[4:], math.nan)


def run_totals(yearly_rows: Iterable[tuple], days: Mapping[int, float]) -> dict[str, float]:
    """Horizon totals of one (regime, replication) from its ``yearly`` rows (exactly rounded sums).

    ``days``: each calendar year's days in the horizon (``yearly.year_days``), the weight of its CIO utilisation, so that the
    mean is the horizon's team-days busy over its team-days (a year the horizon holds in part weighs as much as it holds).
    """
    parts: dict[str, list[float]] = defaultdict(list)
    weights: list[float] = []
    for row in yearly_rows:
        metric, value = row[_METRIC], row[_VALUE]
        if metric in _ADDITIVE:
            parts[_ADDITIVE[metric]].append(value)
        if metric == "assessments":
            parts[f"assessments_{row[_TYPE]}"].append(value)
        elif metric == "cio_utilisation":
            weights.append(days[row[_YEAR]])
            parts["cio_utilisation"].append(value * weights[-1])
    totals = {name: math.fsum(parts[name]) for name in HORIZON_METRICS}
    held, available = math.fsum(parts["cio_utilisation"]), math.fsum(weights)
    totals["cio_utilisation_mean"] = held / available if available else 0.0
    return totals


def paired(base: np.ndarray, other: np.ndarray) -> dict[str, float]:
    """The paired difference ``other - base`` with its t interval, the Welch interval and the variance pairing removed."""
    n = len(base)
    diff = other - base
    out = {**_NO_DIFFERENCE, "diff_mean": float(diff.mean()) if n else math.nan}
    if n < 2:
        return out
    t = t_quantile(n - 1)
    half = t * diff.std(ddof=1) / math.sqrt(n)
    out.update(diff_ci_low=out["diff_mean"] - half, diff_ci_high=out["diff_mean"] + half, diff_half_width=half)
    var_base, var_other = base.var(ddof=1), other.var(ddof=1)
    independent = var_base + var_other
    if independent > 0:
        welch_df = independent**2 / ((var_base**2 + var_other**2) / (n - 1))
        out["unpaired_half_width"] = t_quantile(welch_df) * math.sqrt(independent / n)
        out["variance_reduction"] = 1.0 - diff.var(ddof=1) / independent
    else:
        out["unpaired_half_width"] = 0.0
    return out


Cells = dict[str, dict[int, float]]
"""One metric's values: regime → replication → value."""


def comparisons(regimes: list[str], baselines: dict[str, str] | None = None) -> dict[str, str]:
    """Each regime's baseline: the one ``baselines`` names where that regime ran too, else the first regime."""
    chosen = baselines or {}
    return {r: chosen[r] if chosen.get(r) in regimes and chosen[r] != r else regimes[0] for r in regimes}


def statistics(cells: Cells, regimes: list[str], baselines: dict[str, str] | None = None) -> list[dict[str, object]]:
    """One row of statistics per regime; differences from its baseline over the replications both have."""
    against = comparisons(regimes, baselines)
    rows = []
    for regime in regimes:
        baseline = against[regime]
        values = np.array(list(cells.get(regime, {}).values()), dtype=float)
        n = len(values)
        row: dict[str, object] = {
            "regime": regime,
            "mean": values.mean() if n else math.nan,
            "sd": values.std(ddof=1) if n > 1 else math.nan,
            "replications": n,
            "baseline": baseline,
            **_NO_DIFFERENCE,
        }
        if regime != baseline and baseline in cells and regime in cells:
            common = sorted(cells[baseline].keys() & cells[regime].keys())
            row.update(paired(np.array([cells[baseline][r] for r in common]), np.array([cells[regime][r] for r in common])))
        rows.append(row)
    return rows


def summarise(totals: pd.DataFrame, regimes: list[str], baselines: dict[str, str] | None = None) -> pd.DataFrame:
    """Per horizon metric and regime (from long ``regime, replication, metric, value``): mean, sd and the paired
    difference from its baseline (``comparisons``)."""
    by_metric: dict[str, Cells] = defaultdict(lambda: defaultdict(dict))
    for regime, replication, metric, value in totals[["regime", "replication", "metric", "value"]].itertuples(
        index=False, name=None
    ):
        by_metric[metric][regime][replication] = value
    order = {m: i for i, m in enumerate(HORIZON_METRICS)}
    metrics = sorted(by_metric, key=lambda m: (order.get(m, len(order)), m))
    rows = [{"metric": metric, **row} for metric in metrics for row in statistics(by_metric[metric], regimes, baselines)]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def year_totals(yearly_rows: Iterable[tuple]) -> list[tuple[int, str, float]]:
    """``(year, metric, value)`` of one (regime, replication), summed over role and type: all ``yearly_summary`` needs."""
    parts: dict[tuple[int, str], list[float]] = defaultdict(list)
    for row in yearly_rows:
        parts[(row[_YEAR], row[_METRIC])].append(row[_VALUE])
    return [(year, metric, math.fsum(values)) for (year, metric), values in parts.items()]


def yearly_summary(yearly: pd.DataFrame, regimes: list[str], baselines: dict[str, str] | None = None) -> pd.DataFrame:
    """Per calendar year, metric (summed over role and type) and regime: mean, sd and the paired difference.

    ``yearly`` is the ``yearly`` table, or its ``year_totals`` per run (``regime, replication, year, metric, value``).
    """
    per_run = yearly.groupby(["regime", "replication", "year", "metric"], sort=True)["value"].sum()
    wide = per_run.unstack(["year", "metric"], fill_value=0.0).fillna(0.0)
    rows = []
    for year, metric in sorted(wide.columns):
        cells: Cells = defaultdict(dict)
        for (regime, replication), value in wide[(year, metric)].items():
            cells[regime][replication] = value
        rows += [{"year": year, "metric": metric, **row} for row in statistics(cells, regimes, baselines)]
    return pd.DataFrame(rows, columns=YEARLY_SUMMARY_COLUMNS)


def _fmt(value: float, money: bool = False, signed: bool = False) -> str:
    if math.isnan(value):
        return ""
    if money:
        return pounds(value, signed)
    sign = "+" if signed and value > 0 else ""
    return sign + (f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}")


def _change(row: pd.Series, money: bool) -> str:
    """A signed change with its interval: ``-£6.14m [-£6.48m, -£5.79m]``, ``+6.00 [4.00, 8.00]``."""
    if money:
        return pounds_interval(row.diff_mean, row.diff_ci_low, row.diff_ci_high)
    ci = "" if math.isnan(row.diff_ci_low) else f" [{_fmt(row.diff_ci_low)}, {_fmt(row.diff_ci_high)}]"
    return _fmt(row.diff_mean, signed=True) + ci


def render(summary: pd.DataFrame, key_metric: str = "cost_gbp") -> str:
    """The printed summary: horizon totals per regime, paired changes from each regime's baseline (money in £m or
    £k), and what pairing bought."""
    metrics = list(dict.fromkeys(summary.metric))
    regimes = list(dict.fromkeys(summary.regime))
    cell = summary.set_index(["metric", "regime"])
    against = {r: cell.loc[(metrics[0], r), "baseline"] for r in regimes}
    money = {m: m.endswith("_gbp") for m in metrics}
    means = pd.DataFrame({r: [_fmt(cell.loc[(m, r), "mean"], money[m]) for m in metrics] for r in regimes}, index=metrics)
    n = int(summary.replications.max())
    blocks = [f"Horizon totals, mean of {n} replication(s)", means.to_string()]
    compared = [r for r in regimes if against[r] != r]
    if compared:
        one = len(set(against[r] for r in compared)) == 1
        diffs = {r if one else f"{r} - {against[r]}": [_change(cell.loc[(m, r)], money[m]) for m in metrics] for r in compared}
        base = against[compared[0]]
        heading = f"Paired change from {base} (regime - {base})" if one else "Paired change from each regime's baseline"
        interval = ", mean [95% CI]" if n > 1 else ""
        blocks += ["", f"{heading}{interval}; a negative cost is a saving", pd.DataFrame(diffs, index=metrics).to_string()]
        if n > 1 and key_metric in metrics:
            blocks += [""] + [
                f"{key_metric} {r} - {against[r]}: 95% half-width "
                f"{_fmt(cell.loc[(key_metric, r), 'diff_half_width'], money[key_metric])} paired vs "
                f"{_fmt(cell.loc[(key_metric, r), 'unpaired_half_width'], money[key_metric])} unpaired; pairing removed "
                f"{_percent(cell.loc[(key_metric, r), 'variance_reduction'])} of the difference's variance"
                for r in compared
            ]
    return "\n".join(blocks)


READING_TITLES = {
    "count_measure": "What is counted against the threshold",
    "aggregate_of": "Whose premises an SRP's aggregate sums",
    "due_requirement": "What the 12-month rule asks for by the due date",
    "transition_moment": "Which event of an assessment puts it under a change's rules",
}


def render_readings(
    readings: dict[str, dict[str, list[dict[str, object]]]], start: str, which: tuple[str, ...] = READINGS
) -> str:
    """One line per reading parameter: its values over the horizon, regimes with the same values together (what a
    result rests on; ``manifest.json``'s ``readings``)."""
    lines = []
    for parameter in which:
        groups: dict[str, list[str]] = {}
        for regime, values in readings.items():
            text = describe_reading(values[parameter], start)
            if parameter == "transition_moment":  # a change that names its own moment is read by it (Entry.moment)
                text += describe_own_moments(values.get("own_moments", []))
            groups.setdefault(text, []).append(regime)
        lines.append(
            f"  {READING_TITLES[parameter]}: " + "; ".join(f"{text} in {', '.join(names)}" for text, names in groups.items())
        )
    return "Readings of open questions (DOMAIN.md 5, 6; scenario key readings):\n" + "\n".join(lines)


def _percent(share: float) -> str:
    return "an undefined share" if math.isnan(share) else f"{share:.0%}"
