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
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .appraisal import cost_by_year, cumulative_saving

TYPES = ("full", "verification", "self", "follow_up")
TYPE_LABELS = {"full": "Full", "verification": "Verification", "self": "Self-Assessment", "follow_up": "Follow-up"}
TYPE_STYLE = {  # (fill, hatch): grey shades so colour and greyscale agree
    "full": ("#303030", ""), "verification": ("#8c8c8c", "//"), "self": ("#d0d0d0", ".."), "follow_up": ("#ffffff", "xx"),
}
PAYER_LABELS = {"supplier": "Suppliers", "network": "Network Parties", "other": "Other Users", "srp": "SRPs",
                "secco": "SECCo (SECAS and SSC time)"}
PAYER_STYLE = [("#303030", ""), ("#8c8c8c", "//"), ("#d0d0d0", ".."), ("#ffffff", "xx"), ("#5f5f5f", "\\\\"), ("#b0b0b0", "--")]
REGIME_STYLE = [  # (colour, line style, marker, hatch): Okabe-Ito colours, distinct in greyscale by line and marker
    ("#000000", "-", "o", "//"), ("#E69F00", "--", "s", "\\\\"), ("#0072B2", ":", "^", ".."),
    ("#009E73", "-.", "D", "xx"), ("#CC79A7", (0, (5, 1, 1, 1)), "v", "++"),
]


def _regime_style(i: int) -> tuple[str, object, str, str]:
    return REGIME_STYLE[i % len(REGIME_STYLE)]


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _replications(table: pd.DataFrame) -> pd.Series:
    """Replications per regime, from the runs present in a table."""
    return table[["regime", "replication"]].drop_duplicates().groupby("regime").size()


def _mean_by_year(yearly: pd.DataFrame, metric: str, by: Sequence[str] = ()) -> pd.DataFrame:
    """Mean over replications of a yearly metric per (regime, year, *by): a missing row counts as zero."""
    n = _replications(yearly)
    rows = yearly[yearly.metric == metric]
    total = rows.groupby(["regime", "year", *by])["value"].sum().reset_index()
    total["value"] = total["value"] / total["regime"].map(n)
    return total


def _years(yearly: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in yearly.year.unique())


def _series(frame: pd.DataFrame, regime: str, years: list[int], **match: str) -> list[float]:
    """A regime's mean values for each year (zero where absent), optionally for one by-value."""
    rows = frame[frame.regime == regime]
    for column, value in match.items():
        rows = rows[rows[column] == value]
    by_year = rows.groupby("year")["value"].sum()
    return [float(by_year.get(y, 0.0)) for y in years]


def _lines(ax: Axes, years: list[int], series: dict[str, list[float]], regimes: Sequence[str]) -> None:
    """One line per regime, each with its own colour, line style and marker."""
    for i, regime in enumerate(regimes):
        if regime not in series:
            continue
        colour, style, marker, _ = _regime_style(i)
        ax.plot(years, series[regime], color=colour, linestyle=style, marker=marker, label=regime)
    _year_ticks(ax, years)
    _grid(ax)


def _year_ticks(ax: Axes, years: list[int]) -> None:
    """A tick per year, turned upright when there are too many to sit side by side in a narrow panel."""
    ax.set_xticks(years, [str(y) for y in years], rotation=90 if len(years) > 7 else 0)


def _grid(ax: Axes, axis: str = "y") -> None:
    """Light grid lines behind the data."""
    ax.grid(axis=axis, color="#dddddd")
    ax.set_axisbelow(True)


def _note(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=11,
            bbox={"boxstyle": "round", "facecolor": "#f4f4f4", "edgecolor": "#999999"})


def assessments_by_type(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """Assessments per year, stacked by type, one panel per regime (old beside new)."""
    years = _years(yearly)
    means = _mean_by_year(yearly, "assessments", ["type"])
    fig = _figure(1.0 + 3.4 * len(regimes), 4.4)
    axes = fig.subplots(1, len(regimes), sharey=True, squeeze=False)[0]
    for ax, regime in zip(axes, regimes, strict=True):
        bottom = [0.0] * len(years)
        for kind in TYPES:
            heights = _series(means, regime, years, type=kind)
            fill, hatch = TYPE_STYLE[kind]
            ax.bar(years, heights, bottom=bottom, color=fill, hatch=hatch, edgecolor="black", linewidth=0.6,
                   label=TYPE_LABELS[kind])
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        ax.set_title(regime)
        _year_ticks(ax, years)
        ax.set_xlabel("year (fieldwork start)")
        _grid(ax)
    axes[0].set_ylabel("assessments per year (mean per replication)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles[::-1], labels[::-1], loc="outside right upper", fontsize=8)
    fig.suptitle(f"{scenario}: assessments per year by type")
    return fig


def srp_part_assessed(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """How often the SRP-provided part is assessed: SRPs' own assessments plus clients' assessments including it."""
    years = _years(yearly)
    means = _mean_by_year(yearly, "srp_part_assessed")
    fig = _figure(8, 4.4)
    ax = fig.subplots()
    _lines(ax, years, {r: _series(means, r, years) for r in regimes}, regimes)
    ax.set_xlabel("year (fieldwork start)")
    ax.set_ylabel("assessments of the SRP part per year\n(mean per replication)")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    ax.set_title(f"{scenario}: assessments of the SRP-provided part")
    return fig


def cio_load(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """User CIO utilisation per year and the mean booking wait per assessment started that year."""
    years = _years(yearly)
    utilisation = _mean_by_year(yearly, "cio_utilisation")
    waits = _mean_by_year(yearly, "cio_wait_days")
    counts = _mean_by_year(yearly, "assessments")
    fig = _figure(11, 4.4)
    left, right = fig.subplots(1, 2)
    _lines(left, years, {r: [100 * v for v in _series(utilisation, r, years)] for r in regimes}, regimes)
    left.set_ylabel("User CIO utilisation (% of team-days)")
    left.set_ylim(bottom=0)
    mean_wait = {}
    for r in regimes:
        pairs = zip(_series(waits, r, years), _series(counts, r, years), strict=True)
        mean_wait[r] = [w / c if c else 0.0 for w, c in pairs]
    _lines(right, years, mean_wait, regimes)
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
    fig = _figure(11, 4.4)
    ax = fig.subplots()
    n = _replications(ssc_meetings)
    for i, regime in enumerate(regimes):
        rows = ssc_meetings[ssc_meetings.regime == regime]
        if rows.empty:
            continue
        colour, style, marker, _ = _regime_style(i)
        per_meeting = rows.groupby("meeting_date")["backlog_after"]
        dates = pd.to_datetime(per_meeting.sum().index)
        ax.step(dates, per_meeting.sum().to_numpy() / n[regime], where="post", color=colour, linestyle=style,
                marker=marker, markevery=max(1, len(dates) // 12), label=f"{regime} (mean)")
        ax.step(dates, per_meeting.max().to_numpy(), where="post", color=colour, linestyle=style, linewidth=0.6,
                alpha=0.6, label=f"{regime} (max over replications)")
    ax.set_xlabel("SSC meeting date")
    ax.set_ylabel("items carried over after the meeting")
    ax.set_ylim(bottom=0)
    _grid(ax)
    if ssc_meetings.empty:
        _note(ax, detail or "no SSC meetings in this result set")
    elif ssc_meetings["backlog_after"].sum() == 0:
        ax.set_ylim(0, 1)
        _note(ax, "no backlog under any regime: every eligible item was reviewed at the first meeting it could go to")
    else:
        ax.legend(fontsize=8, ncols=2)
    ax.set_title(f"{scenario}: SSC backlog per meeting" + (f"\n{detail}" if detail and not ssc_meetings.empty else ""))
    return fig


def late_assessments(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str]) -> Figure:
    """Annual assessments that missed the 12-month rule, by due-date year, one bar group per year."""
    years = _years(yearly)
    means = _mean_by_year(yearly, "late")
    fig = _figure(9, 4.4)
    ax = fig.subplots()
    width = 0.8 / len(regimes)
    for i, regime in enumerate(regimes):
        colour, _, _, hatch = _regime_style(i)
        offsets = [y - 0.4 + width * (i + 0.5) for y in years]
        ax.bar(offsets, _series(means, regime, years), width=width, color=colour, hatch=hatch, edgecolor="black",
               linewidth=0.6, alpha=0.85, label=regime)
    _year_ticks(ax, years)
    ax.set_xlabel("year (due date)")
    ax.set_ylabel("late assessments per year (mean per replication)")
    _grid(ax)
    if means["value"].sum() == 0:
        ax.set_ylim(0, 1)
        _note(ax, "no late assessments under any regime")
    ax.legend(fontsize=8)
    ax.set_title(f"{scenario}: assessments late against the 12-month rule")
    return fig


def cost_and_saving(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str], price_base: str,
                    baselines: dict[str, str] | None = None) -> Figure:
    """Cost per year by regime, and each regime's cumulative saving over its baseline with its paired 95 % t band."""
    years = _years(yearly)
    cost = cost_by_year(yearly).groupby(level=["regime", "year"]).mean()
    fig = _figure(11, 4.6)
    left, right = fig.subplots(1, 2)
    _lines(left, years, {r: [cost.get((r, y), 0.0) / 1e3 for y in years] for r in regimes if r in cost.index}, regimes)
    left.set_ylabel(f"cost per year (£ thousand; {price_base})")
    left.set_ylim(bottom=0)
    left.set_title("cost per year (mean per replication)", fontsize=10)
    left.legend(fontsize=8)
    saving = cumulative_saving(yearly, list(regimes), baselines)
    for i, regime in enumerate(regimes):
        rows = saving[saving.regime == regime]
        if rows.empty:
            continue
        colour, style, marker, hatch = _regime_style(i)
        pair = f"{regime} vs {rows.baseline.iloc[0]}"
        right.plot(rows.year, rows["mean"] / 1e3, color=colour, linestyle=style, marker=marker, label=f"{pair} (mean)")
        if rows["low"].notna().all():
            right.fill_between(rows.year, rows["low"] / 1e3, rows["high"] / 1e3, facecolor=colour, alpha=0.2,
                               hatch=hatch, edgecolor=colour, linewidth=0, label=f"{pair} (95 % interval)")
    right.axhline(0, color="#555555", linewidth=0.8)
    _year_ticks(right, years)
    _grid(right)
    right.set_ylabel(f"cumulative saving (£ thousand; {price_base})")
    one = set(saving.baseline) == {regimes[0]}
    right.set_title(f"cumulative saving over {regimes[0] if one else 'each baseline'} (paired, per replication)", fontsize=10)
    if saving.empty:
        _note(right, "one regime only: no saving to show")
    else:
        right.legend(fontsize=8)
    for ax in (left, right):
        ax.set_xlabel("year (fieldwork start)")
    fig.suptitle(f"{scenario}: cost and saving")
    return fig


def who_pays(yearly: pd.DataFrame, scenario: str, regimes: Sequence[str], price_base: str) -> Figure:
    """Cost over the horizon by who pays (the payer role of each cost component), stacked, one bar per regime."""
    n = _replications(yearly)
    paid = yearly[yearly.metric == "cost_gbp"].groupby(["regime", "role"])["value"].sum()
    roles = [r for r in PAYER_LABELS if r in paid.index.get_level_values("role")]
    roles += sorted(set(paid.index.get_level_values("role")) - set(roles))
    fig = _figure(max(6.0, 2.0 + 1.6 * len(regimes)), 4.8)
    ax = fig.subplots()
    bottom = [0.0] * len(regimes)
    for j, role in enumerate(roles):
        heights = [paid.get((r, role), 0.0) / n.get(r, 1) / 1e6 for r in regimes]
        fill, hatch = PAYER_STYLE[j % len(PAYER_STYLE)]
        ax.bar(list(regimes), heights, bottom=bottom, color=fill, hatch=hatch, edgecolor="black", linewidth=0.6,
               label=PAYER_LABELS.get(role, role))
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_xlabel("regime")
    ax.set_ylabel(f"cost over the horizon (£ million; {price_base})")
    _grid(ax)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(f"{scenario}: who pays (mean per replication)")
    return fig


PARTY_ROWS = 20
"""Up to this many parties with crossings per regime, each gets its own row; beyond, crossings are counted by quarter."""


def _crossings_by_party(ax: Axes, rows: pd.DataFrame, middle: pd.Timestamp) -> None:
    """One row per party, a marker per crossing, labelled with what the next assessment was."""
    parties = sorted(rows.party_id.unique())
    keys = ["party_id", "date", "band_from", "band_to", "next_assessment_type"]
    events = rows.groupby(keys, dropna=False).agg(n=("replication", "size"), within=("within", "sum")).reset_index()
    for _, e in events.iterrows():
        upward, y, left = e.band_to == "large", parties.index(e.party_id), e.date > middle
        ax.plot(e.date, y, linestyle="none", marker="^" if upward else "v", markersize=9, color="black",
                markerfacecolor="black" if upward else "white")
        label = f"{e.band_from}→{e.band_to}; next: {e.next_assessment_type or 'none'}, within 12 m {int(e.within)}/{int(e.n)}"
        ax.annotate(label + "  " if left else "  " + label, (e.date, y), fontsize=7, va="center", ha="right" if left else "left")
    ax.set_yticks(range(len(parties)), parties, fontsize=8)
    ax.set_ylim(-0.7, len(parties) - 0.3)
    ax.set_ylabel("party")


def _crossings_by_quarter(ax: Axes, rows: pd.DataFrame, replications: int) -> None:
    """Crossings per quarter (mean per replication): upward above the axis, downward below it."""
    quarter = rows.date.dt.to_period("Q").dt.start_time
    for upward, sign, fill, hatch in ((True, 1, "black", ""), (False, -1, "white", "//")):
        counts = rows[(rows.band_to == "large") == upward].groupby(quarter).size() / replications
        ax.bar(counts.index, sign * counts.to_numpy(), width=80, align="edge", color=fill, hatch=hatch,
               edgecolor="black", linewidth=0.6)
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_ylabel("crossings per quarter\n(mean per replication)", fontsize=8)
    within = rows.within.mean()
    ax.set_title(f"next assessment within 12 months of the crossing: {within:.0%} of {len(rows)} crossings", fontsize=8, loc="right")


def threshold_crossings(crossings: pd.DataFrame, scenario: str, regimes: Sequence[str], detail: str = "") -> Figure:
    """Band changes on a timeline, one panel per regime, and whether the next assessment came within 12 months.

    With few parties each has a row, labelled "next: type, within 12 m k/n" (in k of the n replications
    with this crossing the next assessment's fieldwork started within 12 months of it: the seed's
    G8.41/G8.49 question); with many, crossings are counted per quarter, up above the axis, down below.
    ``detail`` (``detail_label``) says which replications the crossings table holds, when not all.
    """
    if crossings.empty:
        fig = _figure(9, 2.4)
        ax = fig.subplots()
        ax.set_axis_off()
        _note(ax, detail or "no threshold crossings in this result set")
        ax.set_title(f"{scenario}: threshold crossings")
        return fig
    frame = crossings.assign(date=pd.to_datetime(crossings["date"]),
                             within=crossings["next_within_12_months"].astype(str).str.lower() == "true")
    first, last = frame.date.min() - pd.DateOffset(months=6), frame.date.max() + pd.DateOffset(months=6)
    n = _replications(frame)
    by_party = frame.groupby("regime").party_id.nunique().max() <= PARTY_ROWS
    heights = [max(1, frame[frame.regime == r].party_id.nunique()) if by_party else 3 for r in regimes]
    fig = _figure(11, 1.4 + 0.35 * sum(heights) + 0.5 * len(regimes))
    axes = fig.subplots(len(regimes), 1, sharex=True, squeeze=False, height_ratios=heights)[:, 0]
    for ax, regime in zip(axes, regimes, strict=True):
        rows = frame[frame.regime == regime]
        ax.set_title(regime, fontsize=10, loc="left")
        _grid(ax, "x")
        ax.set_xlim(first, last)
        if rows.empty:
            ax.set_yticks([])
            _note(ax, f"no threshold crossings under {regime}")
        elif by_party:
            _crossings_by_party(ax, rows, first + (last - first) / 2)
        else:
            _crossings_by_quarter(ax, rows, int(n[regime]))
    up, down = ("crossed up (→ large)", "crossed down (→ small)")
    if by_party:
        handles = [axes[0].plot([], [], linestyle="none", marker="^", color="black", label=up)[0],
                   axes[0].plot([], [], linestyle="none", marker="v", color="black", markerfacecolor="white", label=down)[0]]
    else:
        handles = [Patch(facecolor="black", edgecolor="black", label=up),
                   Patch(facecolor="white", edgecolor="black", hatch="//", label=down)]
    fig.legend(handles=handles, fontsize=8, loc="outside lower center", ncols=2)
    axes[-1].set_xlabel("date of the crossing")
    thresholds = ", ".join(f"{int(t):,}" for t in sorted(frame.threshold.dropna().unique()))
    fig.suptitle(f"{scenario}: threshold crossings (own or SRP aggregate premises against {thresholds})"
                 + (f"\n{detail}" if detail else ""))
    return fig


CHARTS = ("assessments_by_type", "srp_part_assessed", "cio_load", "ssc_backlog", "late_assessments",
          "cost_and_saving", "who_pays", "threshold_crossings")


def figures(tables: Mapping[str, pd.DataFrame], scenario: str, regimes: Sequence[str], price_base: str,
            detail: str = "", baselines: dict[str, str] | None = None) -> dict[str, Figure]:
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


def draw_all(tables: Mapping[str, pd.DataFrame], out_dir: Path, scenario: str, regimes: Sequence[str],
             price_base: str, detail: str = "", baselines: dict[str, str] | None = None) -> dict[str, Path]:
    """Write every chart as PNG and SVG into ``out_dir``; return each chart's PNG path by name."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, fig in figures(tables, scenario, regimes, price_base, detail, baselines).items():
        fig.savefig(out_dir / f"{name}.svg", metadata={"Date": None})
        fig.savefig(out_dir / f"{name}.png", dpi=110)
        written[name] = out_dir / f"{name}.png"
    return written
