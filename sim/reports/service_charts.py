"""How the services hold up: the User CIO's load, the SSC's backlog and the assessments late against the 12-month
rule. Each says in its own text what it found (a rare backlog, a handful of late assessments) and keeps one peak
year from flattening the others (the off-scale value is written where it leaves the axes)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import chart_style

PEAK = 2.5
"""A year whose value is this many times the next highest year's is drawn off the axes, its value written at the top."""


def clip_peak(ax: Axes, years: list[int], series: dict[str, list[float]], unit: str) -> None:
    """If one year dwarfs the rest, set the axis to the rest and write that year's values where they leave it."""
    peaks = np.array([max((s[i] for s in series.values()), default=0.0) for i in range(len(years))])
    if len(years) < 3 or peaks.max() <= 0:
        return
    top = int(peaks.argmax())
    rest = np.delete(peaks, top).max()
    if rest <= 0 or peaks[top] < PEAK * rest:
        return
    ceiling = rest * 1.35
    ax.set_ylim(0, ceiling)
    said = "\n".join(f"{name}: {s[top]:,.1f} {unit}" for name, s in series.items() if s[top] > ceiling)
    ax.text(
        0.98,
        0.97,
        f"off the scale in {years[top]} ↑\n{said}",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=7,
        bbox={"boxstyle": "round", "facecolor": "#f4f4f4", "edgecolor": "#999999"},
    )


def cio_load(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """User CIO utilisation per year and the mean booking wait per assessment started that year."""
    years = chart_style.years(yearly)
    utilisation = chart_style.mean_by_year(yearly, "cio_utilisation")
    waits = chart_style.mean_by_year(yearly, "cio_wait_days")
    counts = chart_style.mean_by_year(yearly, "assessments")
    fig = chart_style.figure(11, 4.6)
    left, right = fig.subplots(1, 2)
    busy = {r: [100 * v for v in chart_style.series(utilisation, r, years)] for r in regimes}
    chart_style.lines(left, years, busy, regimes)
    left.set_ylabel("User CIO utilisation (% of team-days)")
    left.set_ylim(0, max(100.0, max((max(v) for v in busy.values()), default=0.0) * 1.1))
    left.set_title("utilisation: team-days busy / available", fontsize=10)
    mean_wait = {}
    for r in regimes:
        pairs = zip(chart_style.series(waits, r, years), chart_style.series(counts, r, years), strict=True)
        mean_wait[r] = [w / c if c else 0.0 for w, c in pairs]
    chart_style.lines(right, years, mean_wait, regimes)
    right.set_ylabel("mean booking wait (days per assessment)")
    right.set_ylim(bottom=0)
    right.set_title("booking wait: requested start to fieldwork start", fontsize=10)
    clip_peak(right, years, mean_wait, "days")
    for ax in (left, right):
        ax.set_xlabel("year (fieldwork start)")
    left.legend(fontsize=8)
    fig.suptitle(f"{scenario}: User CIO load (mean per replication)")
    return fig


def ssc_backlog(
    ssc_meetings: pd.DataFrame,
    scenario: str,
    regimes: Sequence[str],
    detail: str = "",
    replications: pd.Series | None = None,
    yearly: pd.DataFrame | None = None,
) -> Figure:
    """Items the SSC carried over to a later meeting, per year (summed over the year's meetings; mean per replication as
    a bar, the most in any replication as a marker), and how many meetings carried any over, counted over every
    replication's meetings. A run that kept no meetings table shows each year's largest backlog after a meeting instead,
    from the yearly table, which every run keeps.

    ``detail`` (``detail_label``) says which replications the meetings table holds, when not all; ``replications``
    how many per regime (default: those with a meeting); ``yearly``: the yearly table, drawn from when the meetings
    table is empty.
    """
    if ssc_meetings.empty and yearly is not None and (yearly.metric == "ssc_backlog_max").any():
        return _backlog_peaks(yearly, scenario, regimes, detail)
    fig = chart_style.figure(11, 4.4)
    ax = fig.subplots()
    frame = ssc_meetings.assign(year=pd.to_datetime(ssc_meetings["meeting_date"]).dt.year)
    years = sorted(int(y) for y in frame.year.unique())
    n = chart_style.replications(frame) if replications is None else replications
    for i, regime in enumerate(regimes):
        rows = frame[frame.regime == regime]
        if rows.empty:
            continue
        per_run = (
            rows.groupby(["replication", "year"])["backlog_after"]
            .sum()
            .unstack(fill_value=0)
            .reindex(columns=years, fill_value=0)
        )
        carried = int((rows.backlog_after > 0).sum())
        label = f"{regime}: after {carried:,} of {len(rows):,} meetings ({carried / len(rows):.1%})"
        _year_bars(ax, years, i, len(regimes), per_run.sum().to_numpy() / n[regime], per_run.max().to_numpy(), label)
    ylabel = "items carried over to a later meeting\n(summed over the year's meetings)"
    if ssc_meetings.empty:
        _backlog_frame(ax, years, ylabel, None, "")
        chart_style.note(ax, detail or "no SSC meetings in this result set")
    else:
        _backlog_frame(ax, years, ylabel, bool(ssc_meetings["backlog_after"].sum() > 0), "; items carried over")
    ax.set_title(
        f"{scenario}: SSC backlog, items carried over to a later meeting"
        + (f"\n{detail}" if detail and not ssc_meetings.empty else "")
    )
    return fig


def _backlog_peaks(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str], detail: str) -> Figure:
    """Each year's largest SSC backlog after a meeting (``ssc_backlog_max``): mean per replication as a bar, the most in
    any replication as a marker; what ``ssc_backlog`` draws when the per-event meetings were not kept."""
    fig = chart_style.figure(11, 4.4)
    ax = fig.subplots()
    years = chart_style.years(yearly)
    peaks = yearly[yearly.metric == "ssc_backlog_max"]
    mean = chart_style.mean_by_year(yearly, "ssc_backlog_max")
    for i, regime in enumerate(regimes):
        most = peaks[peaks.regime == regime].groupby("year")["value"].max().reindex(years, fill_value=0).to_numpy()
        _year_bars(ax, years, i, len(regimes), np.array(chart_style.series(mean, regime, years)), most, regime)
    ylabel = "largest backlog after a meeting\n(items waiting for a later one)"
    _backlog_frame(ax, years, ylabel, bool(peaks.value.any()), "")
    said = f"{detail}: drawn from the yearly table" if detail else "drawn from the yearly table"
    ax.set_title(f"{scenario}: SSC backlog, the largest after a meeting in each year\n{said}")
    return fig


def _year_bars(ax: Axes, years: list[int], i: int, regimes: int, mean: np.ndarray, most: np.ndarray, label: str) -> None:
    """Regime ``i``'s bars of the mean per year beside the others', and a marker for the most in one replication."""
    colour, _, marker, hatch = chart_style.regime_style(i)
    width = 0.8 / max(1, regimes)
    x = np.array([y - 0.4 + width * (i + 0.5) for y in years])
    ax.bar(x, mean, width=width, color=colour, hatch=hatch, edgecolor="black", linewidth=0.6, alpha=0.85, label=label)
    some = most > 0
    ax.plot(x[some], most[some], linestyle="none", marker=marker, color=colour, markeredgecolor="black", markersize=5)


def _backlog_frame(ax: Axes, years: list[int], ylabel: str, backlog: bool | None, legend: str) -> None:
    """The backlog chart's axes, and its legend (``backlog``), or a note that there was none (False; None: neither)."""
    chart_style.year_ticks(ax, years)
    ax.set_xlabel("year of the SSC meeting")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    chart_style.grid(ax)
    if backlog is False:
        ax.set_ylim(0, 1)
        chart_style.note(ax, "no backlog under any regime: every eligible item was reviewed at the first meeting it could go to")
    elif backlog:
        ax.plot(
            [],
            [],
            linestyle="none",
            marker="o",
            color="white",
            markeredgecolor="black",
            label="marker: the most in one replication",
        )
        ax.legend(fontsize=8, title=f"bar: mean per replication{legend}", title_fontsize=8)


def _totals(yearly: pd.DataFrame, metric: str) -> pd.Series:
    """A metric's horizon total per regime, mean per replication."""
    n = chart_style.replications(yearly)
    rows = yearly[yearly.metric == metric]
    return rows.groupby("regime")["value"].sum() / n


def _small(value: float) -> str:
    """A mean count as a bar's label: one decimal, or two significant figures under 0.1 (not "0.0"); none for 0."""
    return "" if not value else f"{value:.1f}" if value >= 0.095 else f"{value:.2g}"


def late_assessments(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """Annual assessments that missed the 12-month rule: over the horizon per regime (with those the CIO's queue
    pushed past the due date, and how many fell due), and per due-date year, every bar labelled with its value."""
    years = chart_style.years(yearly)
    means = chart_style.mean_by_year(yearly, "late")
    fig = chart_style.figure(12, 4.6)
    left, right = fig.subplots(1, 2, width_ratios=[1, 2])
    late, pushed, due = (_totals(yearly, m) for m in ("late", "pushed_past_due", "due"))
    y = np.arange(len(regimes))
    for k, (values, fill, hatch, what) in enumerate(
        (
            (late, "#303030", "", "late"),
            (pushed, "#d0d0d0", "//", "pushed past the due date by the CIO's queue\n(also late under started or completed)"),
        )
    ):
        heights = [float(values.get(r, 0.0)) for r in regimes]
        bars = left.barh(
            y + 0.2 - 0.4 * k, heights, height=0.4, color=fill, hatch=hatch, edgecolor="black", linewidth=0.6, label=what
        )
        left.bar_label(bars, [f"{h:,.1f}" for h in heights], padding=3, fontsize=7)
    left.set_yticks(y, [f"{r}\n(of {float(due.get(r, 0.0)):,.0f} due)" for r in regimes], fontsize=8)
    left.invert_yaxis()
    left.set_xlabel("annual assessments over the horizon\n(mean per replication)")
    left.set_xlim(0, max(1.0, float(max(late.max() if len(late) else 0, pushed.max() if len(pushed) else 0)) * 1.3))
    left.legend(fontsize=7, loc="best")
    chart_style.grid(left, "x")
    left.set_title("over the horizon", fontsize=10)
    width = 0.8 / len(regimes)
    for i, regime in enumerate(regimes):
        colour, _, _, hatch = chart_style.regime_style(i)
        heights = chart_style.series(means, regime, years)
        bars = right.bar(
            [yr - 0.4 + width * (i + 0.5) for yr in years],
            heights,
            width=width,
            color=colour,
            hatch=hatch,
            edgecolor="black",
            linewidth=0.6,
            alpha=0.85,
            label=regime if sum(heights) else f"{regime} (none late)",
        )
        right.bar_label(bars, [_small(h) for h in heights], padding=2, fontsize=7, rotation=90)
    chart_style.year_ticks(right, years)
    right.set_xlabel("year (due date)")
    right.set_ylabel("late per year (mean per replication)")
    chart_style.grid(right)
    right.set_ylim(0, max(1.0, float(means["value"].max()) * 1.25 if len(means) else 1.0))
    right.set_title("per due-date year", fontsize=10)
    if means["value"].sum() == 0:
        chart_style.note(right, "no late assessments under any regime")
    right.legend(fontsize=8)
    fig.suptitle(f"{scenario}: assessments late against the 12-month rule")
    return fig
