"""What ``secsim sweep``, ``sensitivity`` and ``breakeven`` print: money in £m/£k and counts, never ``5.28e+06``.

A difference is regime − baseline, as in the tables: a saving is negative; the prose says "saves".
Beside a sweep's costs stand the metrics that explain one (assessments done, late, pushed past the due
date, User CIO utilisation): fewer assessments done at full utilisation can look cheaper.
"""

from __future__ import annotations

import math

import pandas as pd

from ..analysis.display import amount, count, interval
from .sensitivity import RANKED_BY

EXPLAINING = [
    ("assessments_total", "assessments"),
    ("late", "late"),
    ("pushed_past_due", "pushed past due"),
    ("cio_utilisation_mean", "CIO utilisation"),
]
"""The metrics that explain a cost, printed beside it (and drawn beside it in a sweep's report)."""
SIGN = "regime - baseline: a negative change is a saving"


def _value(path_value: object) -> str:
    return f"{path_value:g}" if isinstance(path_value, float) else str(path_value)


def render_sweep(summary: pd.DataFrame, paths: list[str], metric: str = "cost_gbp", limit: int = 20) -> str:
    """Per point (the first ``limit``): its values, each regime's mean ``metric``, each paired difference with its
    95 % interval, and per regime the metrics that explain a cost."""
    rows = summary[summary.metric == metric]
    if rows.empty:
        return f"(no {metric} in the summary)"
    regimes = list(dict.fromkeys(rows.regime))
    against = rows.drop_duplicates("regime").set_index("regime")["baseline"].to_dict()
    compared = [r for r in regimes if against[r] != r]
    cells = summary.set_index(["point", "metric", "regime"])
    first, second = [], []
    for point, part in rows.groupby("point", sort=True):
        cell = part.set_index("regime")
        values = {p: _value(part[p].iloc[0]) for p in paths}
        line = {"point": point, **values, **{r: amount(metric, cell.loc[r, "mean"]) for r in regimes}}
        for r in compared:
            line[f"{r} - {against[r]}"] = interval(
                metric, cell.loc[r, "diff_mean"], cell.loc[r, "diff_ci_low"], cell.loc[r, "diff_ci_high"]
            )
        first.append(line)
        beside = {"point": point, **values}
        for name, label in EXPLAINING:
            if (point, name, regimes[0]) in cells.index:
                beside[label] = " / ".join(amount(name, cells.loc[(point, name, r), "mean"]) for r in regimes)
        second.append(beside)
    n = int(rows.replications.max())
    how = f"mean of {n} replication(s)" + ("; differences paired, mean [95% CI]" if n > 1 else "; one replication: no interval")
    more = len(first) - limit
    text = [
        f"{metric} per point ({how}; {SIGN})",
        pd.DataFrame(first[:limit]).to_string(index=False),
        "",
        f"What explains a cost, per regime ({' / '.join(regimes)}), mean per replication:",
        pd.DataFrame(second[:limit]).to_string(index=False),
    ]
    return "\n".join(text) + (f"\n... {more} more point(s) in summary.csv" if more > 0 else "")


def render_sensitivity(table: pd.DataFrame, method: str, metric: str = "cost_gbp") -> list[str]:
    """One line per regime, output and parameter: the index that ranks (μ* or ST) with its 95 % half-width."""
    index = RANKED_BY[method]
    key = table[(table.metric == metric) & (table["index"] == index)]
    lines = []
    for (regime, output), ranked in key.groupby(["regime", "output"], sort=False):
        for row in ranked.sort_values("rank", kind="stable").itertuples():
            if method == "morris":
                value, half = amount(metric, row.value), amount(metric, row.ci_half_width)
            else:
                value, half = f"{row.value:.2f}", f"{row.ci_half_width:.2f}"
            rank = "-" if row.rank is None or (isinstance(row.rank, float) and math.isnan(row.rank)) else int(row.rank)
            lines.append(f"  {regime} {output}: {rank}. {row.parameter} {value} [±{half}]")
    return lines


def _at(vary: str, x: float) -> str:
    return f"{vary} = {count(x)}"


def render_breakeven(table: pd.DataFrame, swings: pd.DataFrame, values: tuple) -> str:
    """The break-even of each compared regime under the shipped values, and which uncertain parameters move it most."""
    lines = []
    low, high = count(values[0]), count(values[-1])
    for _, row in table[table.case == "shipped"].iterrows():
        lines.append(f"{row['metric']}, {row['regime']} - {row['baseline']} ({SIGN}), over {row['vary']} from {low} to {high}:")
        lines.append("  " + describe(row))
        moved = swings[swings.regime == row["regime"]]
        if len(moved):
            lines.append(
                "  What moves it most (each uncertain parameter at its low and its high end, one at a time, the others "
                "as shipped):"
            )
            for s in moved.itertuples():
                ends = ", ".join(
                    f"{_end(table, row['regime'], s.parameter, case, at)} at {_value(value)}"
                    for case, at, value in (("low", s.breakeven_low, s.low), ("high", s.breakeven_high, s.high))
                )
                how_far = "moves it out of the range" if math.isnan(s.swing) else f"moves it by {count(s.swing)}"
                lines.append(f"    {s.rank}. {s.parameter}: {ends} ({how_far})")
    return "\n".join(lines)


def _end(table: pd.DataFrame, regime: str, parameter: str, case: str, at: float) -> str:
    """A swing's break-even at one end, or where it went when the curve no longer changes sign in the range."""
    if not math.isnan(at):
        return count(at)
    row = table[(table.regime == regime) & (table.parameter == parameter) & (table.case == case)].iloc[0]
    return "none in the range (saves throughout)" if row["diff_at_first"] < 0 else "none in the range (costs more throughout)"


def describe(row: pd.Series, minus: str = "-") -> str:
    """One row of ``breakeven.csv`` in words: where the sign changes, its interval, the changes at the range's ends."""
    metric, regime = row["metric"], row["regime"]
    first, last = amount(metric, row["diff_at_first"], True, minus), amount(metric, row["diff_at_last"], True, minus)
    ends = f"{first} at the first value, {last} at the last"
    if math.isnan(row["breakeven"]):
        end = row["diff_at_first"] or row["diff_at_last"]
        if not end:
            return f"no sign change in the range ({ends})"
        return f"no sign change in the range: {regime} costs {'more' if end > 0 else 'less'} throughout ({ends})"
    if row["replications"] < 2:
        ci = "one replication: no interval"
    else:
        lo = "below the range" if math.isnan(row["ci_low"]) else count(row["ci_low"])
        hi = "above the range" if math.isnan(row["ci_high"]) else count(row["ci_high"])
        ci = f"95% CI {lo} to {hi}"
    verb = "saves" if row["direction"] == "falls" else "costs more"
    after = "" if math.isnan(row["first_after"]) else f"; {regime} {verb} from {count(row['first_after'])}"
    turns = f" (the curve changes sign {row['crossings']} times; the first is shown)" if row["crossings"] > 1 else ""
    return f"changes sign at {_at(row['vary'], row['breakeven'])} ({ci}){after}{turns}; {ends}"
