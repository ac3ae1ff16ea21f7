"""The Working Group's charts, drawn from the tidy tables a run writes (never from the model).

One function per chart: tables (as written to CSV) plus the scenario name and the regimes in
the run's order (the first is the baseline) in, a matplotlib ``Figure`` out. Figures are
built without pyplot (no global state; PNG is rendered by the Agg canvas). Each series is
told apart by line style, marker or hatch as well as colour, so a greyscale print reads.
Counts are means over replications (a replication without a row counts as zero).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ..analysis.appraisal import cost_by_year, cumulative_saving
from . import chart_style
from .chart_style import PAYER_LABELS, PAYER_STYLE, TYPE_LABELS, TYPE_STYLE, TYPES
from .crossings_chart import threshold_crossings


def assessments_by_type(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """Assessments per year, stacked by type, one panel per regime (old beside new)."""
    years = chart_style.years(yearly)
    means = chart_style.mean_by_year(yearly, "assessments", ["type"])
    fig = chart_style.figure(1.0 + 3.4 * len(regimes), 4.4)
    axes = fig.subplots(1, len(regimes), sharey=True, squeeze=False)[0]
    for ax, regime in zip(axes, regimes, strict=True):
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
    axes[0].set_ylabel("assessments per year (mean per replication)")
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


def cio_load(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """User CIO utilisation per year and the mean booking wait per assessment started that year."""
    years = chart_style.years(yearly)
    utilisation = chart_style.mean_by_year(yearly, "cio_utilisation")
    waits = chart_style.mean_by_year(yearly, "cio_wait_days")
    counts = chart_style.mean_by_year(yearly, "assessments")
    fig = chart_style.figure(11, 4.4)
    left, right = fig.subplots(1, 2)
    chart_style.lines(left, years, {r: [100 * v for v in chart_style.series(utilisation, r, years)] for r in regimes}, regimes)
    left.set_ylabel("User CIO utilisation (% of team-days)")
    left.set_ylim(bottom=0)
    mean_wait = {}
    for r in regimes:
        pairs = zip(chart_style.series(waits, r, years), chart_style.series(counts, r, years), strict=True)
        mean_wait[r] = [w / c if c else 0.0 for w, c in pairs]
    chart_style.lines(right, years, mean_wait, regimes)
    right.set_ylabel("mean booking wait (days per assessment)")
    right.set_ylim(bottom=0)
    for ax in (left, right):
        ax.set_xlabel("year (fieldwork start)")
    left.legend(fontsize=8)
    fig.suptitle(f"{scenario}: User CIO load")
    return fig


def detail_label(kept: int | None, replications: int | None) -> str:
    """What per-event charts cover when ``--detail-reps`` kept fewer replications than ran ("" when all)."""
    if kept is None or replications is None or kept >= replications:
        return ""
    if kept == 0:
        return f"per-event tables not kept for any of the {replications} replications (--detail-reps 0)"
    return f"the first {kept} of {replications} replications (--detail-reps {kept})"


def ssc_backlog(ssc_meetings: pd.DataFrame, scenario: str, regimes: Sequence[str], detail: str = "") -> Figure:
    """Eligible items the SSC carried over after each meeting (mean over replications, max as a thin line).

    ``detail`` (``detail_label``) says which replications the meetings table holds, when not all.
    """
    fig = chart_style.figure(11, 4.4)
    ax = fig.subplots()
    n = chart_style.replications(ssc_meetings)
    for i, regime in enumerate(regimes):
        rows = ssc_meetings[ssc_meetings.regime == regime]
        if rows.empty:
            continue
        colour, style, marker, _ = chart_style.regime_style(i)
        per_meeting = rows.groupby("meeting_date")["backlog_after"]
        dates = pd.to_datetime(per_meeting.sum().index)
        ax.step(
            dates,
            per_meeting.sum().to_numpy() / n[regime],
            where="post",
            color=colour,
            linestyle=style,
            marker=marker,
            markevery=max(1, len(dates) // 12),
            label=f"{regime} (mean)",
        )
        ax.step(
            dates,
            per_meeting.max().to_numpy(),
            where="post",
            color=colour,
            linestyle=style,
            linewidth=0.6,
            alpha=0.6,
            label=f"{regime} (max over replications)",
        )
    ax.set_xlabel("SSC meeting date")
    ax.set_ylabel("items carried over after the meeting")
    ax.set_ylim(bottom=0)
    chart_style.grid(ax)
    if ssc_meetings.empty:
        chart_style.note(ax, detail or "no SSC meetings in this result set")
    elif ssc_meetings["backlog_after"].sum() == 0:
        ax.set_ylim(0, 1)
        chart_style.note(ax, "no backlog under any regime: every eligible item was reviewed at the first meeting it could go to")
    else:
        ax.legend(fontsize=8, ncols=2)
    ax.set_title(f"{scenario}: SSC backlog per meeting" + (f"\n{detail}" if detail and not ssc_meetings.empty else ""))
    return fig


def late_assessments(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """Annual assessments that missed the 12-month rule, by due-date year, one bar group per year."""
    years = chart_style.years(yearly)
    means = chart_style.mean_by_year(yearly, "late")
    fig = chart_style.figure(9, 4.4)
    ax = fig.subplots()
    width = 0.8 / len(regimes)
    for i, regime in enumerate(regimes):
        colour, _, _, hatch = chart_style.regime_style(i)
        offsets = [y - 0.4 + width * (i + 0.5) for y in years]
        ax.bar(
            offsets,
            chart_style.series(means, regime, years),
            width=width,
            color=colour,
            hatch=hatch,
            edgecolor="black",
            linewidth=0.6,
            alpha=0.85,
            label=regime,
        )
    chart_style.year_ticks(ax, years)
    ax.set_xlabel("year (due date)")
    ax.set_ylabel("late assessments per year (mean per replication)")
    chart_style.grid(ax)
    if means["value"].sum() == 0:
        ax.set_ylim(0, 1)
        chart_style.note(ax, "no late assessments under any regime")
    ax.legend(fontsize=8)
    ax.set_title(f"{scenario}: assessments late against the 12-month rule")
    return fig


def cost_and_saving(
    yearly: pd.DataFrame, scenario: str, regimes: Sequence[str], price_base: str, baselines: dict[str, str] | None = None
) -> Figure:
    """Cost per year by regime, and each regime's cumulative saving over its baseline with its paired 95 % t band."""
    years = chart_style.years(yearly)
    cost = cost_by_year(yearly).groupby(level=["regime", "year"]).mean()
    fig = chart_style.figure(11, 4.6)
    left, right = fig.subplots(1, 2)
    chart_style.lines(left, years, {r: [cost.get((r, y), 0.0) / 1e3 for y in years] for r in regimes if r in cost.index}, regimes)
    left.set_ylabel(f"cost per year (£ thousand; {price_base})")
    left.set_ylim(bottom=0)
    left.set_title("cost per year (mean per replication)", fontsize=10)
    left.legend(fontsize=8)
    saving = cumulative_saving(yearly, list(regimes), baselines)
    for i, regime in enumerate(regimes):
        rows = saving[saving.regime == regime]
        if rows.empty:
            continue
        colour, style, marker, hatch = chart_style.regime_style(i)
        pair = f"{regime} vs {rows.baseline.iloc[0]}"
        right.plot(rows.year, rows["mean"] / 1e3, color=colour, linestyle=style, marker=marker, label=f"{pair} (mean)")
        if rows["low"].notna().all():
            right.fill_between(
                rows.year,
                rows["low"] / 1e3,
                rows["high"] / 1e3,
                facecolor=colour,
                alpha=0.2,
                hatch=hatch,
                edgecolor=colour,
                linewidth=0,
                label=f"{pair} (95 % interval)",
            )
    right.axhline(0, color="#555555", linewidth=0.8)
    chart_style.year_ticks(right, years)
    chart_style.grid(right)
    right.set_ylabel(f"cumulative saving (£ thousand; {price_base})")
    one = set(saving.baseline) == {regimes[0]}
    right.set_title(f"cumulative saving over {regimes[0] if one else 'each baseline'} (paired, per replication)", fontsize=10)
    if saving.empty:
        chart_style.note(right, "one regime only: no saving to show")
    else:
        right.legend(fontsize=8)
    for ax in (left, right):
        ax.set_xlabel("year (fieldwork start)")
    fig.suptitle(f"{scenario}: cost and saving")
    return fig


def who_pays(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str], price_base: str) -> Figure:
    """Cost over the horizon by who pays (the payer role of each cost component), stacked, one bar per regime."""
    n = chart_style.replications(yearly)
    paid = yearly[yearly.metric == "cost_gbp"].groupby(["regime", "role"])["value"].sum()
    roles = [r for r in PAYER_LABELS if r in paid.index.get_level_values("role")]
    roles += sorted(set(paid.index.get_level_values("role")) - set(roles))
    fig = chart_style.figure(max(6.0, 2.0 + 1.6 * len(regimes)), 4.8)
    ax = fig.subplots()
    bottom = [0.0] * len(regimes)
    for j, role in enumerate(roles):
        heights = [paid.get((r, role), 0.0) / n.get(r, 1) / 1e6 for r in regimes]
        fill, hatch = PAYER_STYLE[j % len(PAYER_STYLE)]
        ax.bar(
            list(regimes),
            heights,
            bottom=bottom,
            color=fill,
            hatch=hatch,
            edgecolor="black",
            linewidth=0.6,
            label=PAYER_LABELS.get(role, role),
        )
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_xlabel("regime")
    ax.set_ylabel(f"cost over the horizon (£ million; {price_base})")
    chart_style.grid(ax)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(f"{scenario}: who pays (mean per replication)")
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
) -> dict[str, Figure]:
    """Every chart, by name, in reading order (``detail``: see ``detail_label``; ``baselines``: each regime's)."""
    yearly = tables["yearly"]
    return {
        "assessments_by_type": assessments_by_type(yearly, scenario, regimes),
        "srp_part_assessed": srp_part_assessed(yearly, scenario, regimes),
        "cio_load": cio_load(yearly, scenario, regimes),
        "ssc_backlog": ssc_backlog(tables["ssc_meetings"], scenario, regimes, detail),
        "late_assessments": late_assessments(yearly, scenario, regimes),
        "cost_and_saving": cost_and_saving(yearly, scenario, regimes, price_base, baselines),
        "who_pays": who_pays(yearly, scenario, regimes, price_base),
        "threshold_crossings": threshold_crossings(tables["crossings"], scenario, regimes, detail),
    }


def draw_all(
    tables: Mapping[str, pd.DataFrame],
    out_dir: Path,
    scenario: str,
    regimes: Sequence[str],
    price_base: str,
    detail: str = "",
    baselines: dict[str, str] | None = None,
) -> dict[str, Path]:
    """Write every chart as PNG and SVG into ``out_dir``; return each chart's PNG path by name."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, fig in figures(tables, scenario, regimes, price_base, detail, baselines).items():
        fig.savefig(out_dir / f"{name}.svg", metadata={"Date": None})
        fig.savefig(out_dir / f"{name}.png", dpi=110)
        written[name] = out_dir / f"{name}.png"
    return written
