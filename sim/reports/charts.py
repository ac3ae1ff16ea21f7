"""The Working Group's charts, drawn from the tidy tables a run writes (never from the model).

One function per chart: tables (as written to CSV) plus the scenario name and the regimes in
the run's order (the first is the baseline) in, a matplotlib ``Figure`` out. Figures are
built without pyplot (no global state; PNG is rendered by the Agg canvas). Each series is
told apart by line style, marker or hatch as well as colour, so a greyscale print reads.
Counts are means over replications (a replication without a row counts as zero).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple

from ..analysis.appraisal import cost_by_year, cumulative_saving
from ..analysis.money import pounds, scale
from ..analysis.payers import collect, summarise_payers
from ..analysis.summary import comparisons
from . import chart_style
from .chart_style import TYPE_LABELS, TYPE_STYLE, TYPES
from .crossings_chart import threshold_crossings
from .service_charts import cio_load, late_assessments, ssc_backlog
from .who_pays_chart import who_pays

PANELS_PER_ROW = 4
"""Regimes' panels side by side before a chart starts another row (gb-baseline's four fit one)."""


def assessments_by_type(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """Assessments per year, stacked by type, one panel per regime (old beside new), four to a row (a row of 100
    regimes' panels was a PNG 37,510 pixels wide)."""
    years = chart_style.years(yearly)
    means = chart_style.mean_by_year(yearly, "assessments", ["type"])
    columns = min(PANELS_PER_ROW, len(regimes))
    rows = math.ceil(len(regimes) / columns)
    fig = chart_style.figure(1.0 + 3.4 * columns, 0.6 + 3.8 * rows)
    grid = fig.subplots(rows, columns, sharey=True, squeeze=False)
    axes = grid.ravel()
    for ax in axes[len(regimes) :]:
        ax.set_visible(False)
    for ax, regime in zip(axes, regimes, strict=False):
        bottom = [0.0] * len(years)
        for kind in TYPES:
            heights = chart_style.series(means, regime, years, type=kind)
            fill, hatch = TYPE_STYLE[kind]
            ax.bar(
                years, heights, bottom=bottom, color=fill, hatch=hatch, edgecolor="black", linewidth=0.6, label=TYPE_LABELS[kind]
            )
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_title(regime)
        chart_style.year_ticks(ax, years)
        ax.set_xlabel("year (fieldwork start)")
        chart_style.grid(ax)
    for row in grid:
        row[0].set_ylabel("assessments per year (mean per replication)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles[::-1], labels[::-1], loc="outside right upper", fontsize=8)
    fig.suptitle(f"{scenario}: assessments per year by type")
    return fig


def srp_part_assessed(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """How often the SRP-provided part is assessed: SRPs' own assessments plus clients' assessments including it."""
    years = chart_style.years(yearly)
    means = chart_style.mean_by_year(yearly, "srp_part_assessed")
    fig = chart_style.figure(8, 4.4)
    ax = fig.subplots()
    chart_style.lines(ax, years, {r: chart_style.series(means, r, years) for r in regimes}, regimes)
    ax.set_xlabel("year (fieldwork start)")
    ax.set_ylabel("assessments of the SRP part per year\n(mean per replication)")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    ax.set_title(f"{scenario}: assessments of the SRP-provided part")
    return fig


def detail_label(kept: int | None, replications: int | None) -> str:
    """What per-event charts cover when ``--detail-reps`` kept fewer replications than ran ("" when all)."""
    if kept is None or replications is None or kept >= replications:
        return ""
    if kept == 0:
        return f"per-event tables not kept for any of the {replications} replications (--detail-reps 0)"
    return f"the first {kept} of {replications} replications (--detail-reps {kept})"


def cost_and_saving(
    yearly: pd.DataFrame, scenario: str, regimes: Sequence[str], price_base: str, baselines: dict[str, str] | None = None
) -> Figure:
    """Cost per year by regime, and each regime's cumulative change in cost from its baseline (regime − baseline, so
    a saving runs below zero) with its paired 95 % t band."""
    years = chart_style.years(yearly)
    cost = cost_by_year(yearly).groupby(level=["regime", "year"]).mean()
    fig = chart_style.figure(11, 5.6)
    left, right = fig.subplots(1, 2)
    divisor, unit = scale(float(cost.abs().max()) if len(cost) else 0.0)
    chart_style.lines(
        left, years, {r: [cost.get((r, y), 0.0) / divisor for y in years] for r in regimes if r in cost.index}, regimes
    )
    left.set_ylabel(f"cost per year ({unit}; {price_base})")
    left.set_ylim(bottom=0)
    left.set_title("cost per year (mean per replication)", fontsize=10)
    left.legend(fontsize=8)
    saving = cumulative_saving(yearly, list(regimes), baselines)
    change = saving.assign(mean=-saving["mean"], low=-saving["high"], high=-saving["low"])  # regime − baseline
    divisor, unit = scale(float(change[["mean", "low", "high"]].abs().max().max()) if len(change) else 0.0)
    for i, regime in enumerate(regimes):
        rows = change[change.regime == regime]
        if rows.empty:
            continue
        colour, style, marker, hatch = chart_style.regime_style(i)
        pair = f"{regime} − {rows.baseline.iloc[0]}"
        right.plot(rows.year, rows["mean"] / divisor, color=colour, linestyle=style, marker=marker, label=f"{pair} (mean)")
        if rows["low"].notna().all():
            right.fill_between(
                rows.year,
                rows["low"] / divisor,
                rows["high"] / divisor,
                facecolor=colour,
                alpha=0.2,
                hatch=hatch,
                edgecolor=colour,
                linewidth=0,
                label=f"{pair} (95 % interval)",
            )
        last = rows.iloc[-1]
        right.annotate(
            pounds(last["mean"], True, "−"),
            (last.year, last["mean"] / divisor),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=7,
            va="center",
        )
    right.axhline(0, color="#555555", linewidth=0.8)
    chart_style.year_ticks(right, years)
    right.set_xlim(years[0] - 0.5, years[-1] + 0.5 + 0.12 * len(years))  # room for the last value
    chart_style.grid(right)
    right.set_ylabel(f"cumulative change in cost ({unit}; {price_base})\nbelow zero: a saving")
    one = set(change.baseline) == {regimes[0]}
    right.set_title(f"cumulative change from {regimes[0] if one else 'each baseline'}: regime − baseline (paired)", fontsize=10)
    if change.empty:
        chart_style.note(right, "one regime only: no change to show")
    else:  # one entry per pair (line over its band), below the panel: inside it, it hid the curves it names
        handles, labels = right.get_legend_handles_labels()
        pairs: dict[str, list[Any]] = {label.removesuffix(" (mean)"): [] for label in labels if label.endswith(" (mean)")}
        for handle, label in zip(handles, labels, strict=True):
            pairs[label.removesuffix(" (mean)").removesuffix(" (95 % interval)")].insert(0, handle)
        fig.legend(
            [tuple(h) for h in pairs.values()],  # type: ignore[call-overload]  # a tuple of artists is one entry (HandlerTuple)
            [f"{pair} (mean, 95 % band)" if len(h) > 1 else pair for pair, h in pairs.items()],
            handler_map={tuple: HandlerTuple(ndivide=1)},
            fontsize=8,
            loc="outside lower right",
            title="right: cumulative change",
            title_fontsize=8,
        )
    for ax in (left, right):
        ax.set_xlabel("year (fieldwork start)")
    fig.suptitle(f"{scenario}: cost and its change")
    return fig


CHARTS = (
    "assessments_by_type",
    "srp_part_assessed",
    "cio_load",
    "ssc_backlog",
    "late_assessments",
    "cost_and_saving",
    "who_pays",
    "threshold_crossings",
)


def figures(
    tables: Mapping[str, pd.DataFrame],
    scenario: str,
    regimes: Sequence[str],
    price_base: str,
    detail: str = "",
    baselines: dict[str, str] | None = None,
    kept: int | None = None,
) -> dict[str, Figure]:
    """Every chart, by name, in reading order (``detail``: see ``detail_label``; ``baselines``: each regime's;
    ``kept``: how many replications the per-event tables hold, when ``--detail-reps`` kept fewer than ran).

    ``who_pays`` draws ``tables["payers"]`` (``payers.csv``, or ``sim.Result.payers``); without it, cost by payer
    role from the yearly table, and no size class.
    """
    yearly = tables["yearly"]
    against = comparisons(list(regimes), baselines)
    per_event = chart_style.replications(yearly) if kept is None else chart_style.replications(yearly).clip(upper=kept)
    payers = (
        tables["payers"]
        if "payers" in tables
        else summarise_payers(collect({"yearly": yearly}, "", "", 0), list(regimes), baselines)
    )
    return {
        "assessments_by_type": assessments_by_type(yearly, scenario, regimes),
        "srp_part_assessed": srp_part_assessed(yearly, scenario, regimes),
        "cio_load": cio_load(yearly, scenario, regimes),
        "ssc_backlog": ssc_backlog(tables["ssc_meetings"], scenario, regimes, detail, per_event, yearly),
        "late_assessments": late_assessments(yearly, scenario, regimes),
        "cost_and_saving": cost_and_saving(yearly, scenario, regimes, price_base, baselines),
        "who_pays": who_pays(payers, scenario, regimes, price_base, against),
        "threshold_crossings": threshold_crossings(tables["crossings"], scenario, regimes, detail, per_event),
    }


def draw_all(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path,
    scenario: str,
    regimes: Sequence[str],
    price_base: str,
    detail: str = "",
    baselines: dict[str, str] | None = None,
    kept: int | None = None,
) -> dict[str, Path]:
    """Write every chart as PNG and SVG into ``out_dir``; return each chart's PNG path by name."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, fig in figures(tables, scenario, regimes, price_base, detail, baselines, kept).items():
        fig.savefig(out_dir / f"{name}.svg", metadata={"Date": None})
        fig.savefig(out_dir / f"{name}.png", dpi=110)
        written[name] = out_dir / f"{name}.png"
    return written
