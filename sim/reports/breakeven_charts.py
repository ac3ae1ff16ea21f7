"""A break-even's charts, from its tables only: the curve of the paired difference over the varied parameter with
its 95 % band, the break-even and its interval marked; and the swing, how far each uncertain parameter's low and
high end move the break-even (a tornado, largest first)."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from ..analysis.display import count
from . import chart_style
from .design_charts import SIGN, _whole_axis, difference, label, unit_axis


def breakeven_curve(summary: pd.DataFrame, table: pd.DataFrame, vary: str, scenario: str) -> Figure:
    """The shipped case's paired difference of the metric against the varied parameter, one panel per compared
    regime: the band, zero, the break-even (a vertical line) and its interval (shaded)."""
    shipped = table[table.case == "shipped"]
    fig = chart_style.figure(2.0 + 6.0 * len(shipped), 4.4)
    axes = fig.subplots(1, max(1, len(shipped)), squeeze=False)[0]
    for i, (ax, (_, row)) in enumerate(zip(axes, shipped.iterrows(), strict=False)):
        part = summary[(summary.case == "shipped") & (summary.metric == row["metric"]) & (summary.regime == row["regime"])]
        x = part[vary].tolist()
        difference(ax, part, vary, i + 1)
        ax.axhline(0, color="#555555", linewidth=0.8)
        if not math.isnan(row["breakeven"]):
            ax.axvline(row["breakeven"], color="black", linestyle=":", linewidth=1.2)
            banded = not (math.isnan(row["ci_low"]) or math.isnan(row["ci_high"]))
            if banded and row["ci_high"] > row["ci_low"]:
                ax.axvspan(row["ci_low"], row["ci_high"], color="#bbbbbb", alpha=0.35, linewidth=0)
            ci = f"\n95 % CI {count(row['ci_low'])} to {count(row['ci_high'])}" if banded else ""
            ax.annotate(
                f"break-even {count(row['breakeven'])}{ci}",
                (row["breakeven"], 0),
                xytext=(8, 12),
                textcoords="offset points",
                fontsize=9,
                bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#999999"},
            )
        else:
            chart_style.note(ax, "no sign change in the range")
        ax.set_title(f"{row['regime']} − {row['baseline']}: {label(row['metric'])}", fontsize=10)
        ax.set_xlabel(vary)
        ax.set_ylabel(f"paired difference ({SIGN})", fontsize=8)
        unit_axis(ax, row["metric"], signed=True)
        _whole_axis(ax, x)
        chart_style.grid(ax, "both")
    fig.suptitle(f"{scenario}: break-even (shipped values; 95 % band)", fontsize=11)
    return fig


def breakeven_swing(swing: pd.DataFrame, table: pd.DataFrame, values: list[float], scenario: str) -> Figure:
    """Per compared regime, a bar per uncertain parameter from the break-even at its low end to that at its high end,
    largest swing at the top; the shipped break-even a vertical line; an end with no sign change in the range is
    drawn to the range's edge and marked."""
    regimes = list(dict.fromkeys(swing.regime))
    rows = max((len(swing[swing.regime == r]) for r in regimes), default=1)
    fig = chart_style.figure(1.0 + 6.5 * max(1, len(regimes)), 1.6 + 0.55 * rows)
    axes = fig.subplots(1, max(1, len(regimes)), squeeze=False)[0]
    lo, hi = float(min(values)), float(max(values))
    for ax, regime in zip(axes, regimes, strict=False):
        drawn: list[float] = []
        part = swing[swing.regime == regime].sort_values("rank", ascending=False)
        shipped = table[(table.case == "shipped") & (table.regime == regime)].iloc[0]
        for y, (_, s) in enumerate(part.iterrows()):
            ends = []
            for case, at in (("low", s.breakeven_low), ("high", s.breakeven_high)):
                if math.isnan(at):
                    row = table[(table.regime == regime) & (table.parameter == s.parameter) & (table.case == case)].iloc[0]
                    at = lo if (row["diff_at_first"] < 0) == (shipped["direction"] == "falls") else hi
                    where = f"{'below' if at == lo else 'above'} {count(at)}: no sign change in the range"
                    left = at == lo
                    ax.annotate(
                        where,
                        (at, y),
                        xytext=(6 if left else -6, 7),
                        textcoords="offset points",
                        ha="left" if left else "right",
                        fontsize=7,
                    )
                ends.append(at)
            drawn += ends
            ax.plot(ends, [y, y], color="#303030", linewidth=6, solid_capstyle="butt")
            ax.plot(ends[0], y, marker="<", color="#0072B2", markersize=7, linestyle="none", label="low end" if y == 0 else None)
            ax.plot(ends[1], y, marker=">", color="#E69F00", markersize=7, linestyle="none", label="high end" if y == 0 else None)
        ax.set_yticks(
            range(len(part)),
            [f"{p}\n{_v(a)} – {_v(b)}" for p, a, b in zip(part.parameter, part.low, part.high, strict=True)],
            fontsize=7,
        )
        ax.set_ylim(-0.6, len(part) - 0.25)
        if not math.isnan(shipped["breakeven"]):
            ax.axvline(
                shipped["breakeven"], color="black", linestyle=":", linewidth=1.2, label=f"shipped {count(shipped['breakeven'])}"
            )
        drawn += [] if math.isnan(shipped["breakeven"]) else [shipped["breakeven"]]
        span = max(max(drawn) - min(drawn), 0.05 * (hi - lo), 1e-9)
        ax.set_xlim(min(drawn) - 0.1 * span, max(drawn) + 0.25 * span)
        ax.set_xlabel(f"break-even ({shipped['vary']})")
        ax.set_title(f"{regime} − {shipped['baseline']}: what moves the break-even", fontsize=10)
        chart_style.grid(ax, "x")
        ax.legend(fontsize=7, loc="lower right")
    if not regimes:
        chart_style.note(axes[0], "no uncertain parameters were swung")
    fig.suptitle(f"{scenario}: each uncertain parameter at its low and high end, one at a time", fontsize=11)
    return fig


def _v(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"
