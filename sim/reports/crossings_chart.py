"""The threshold-crossings chart: when parties cross 250,000 (own or through their SRP), per regime, a timeline
of the parties that cross most and the crossings per quarter."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from . import chart_style

PARTY_ROWS = 20
"""Up to this many parties with crossings per regime, each gets its own row; beyond, crossings are counted by quarter."""


def _crossings_by_party(ax: Axes, rows: pd.DataFrame, middle: pd.Timestamp) -> None:
    """One row per party, a marker per crossing, labelled with what the next assessment was."""
    parties = sorted(rows.party_id.unique())
    keys = ["party_id", "date", "band_from", "band_to", "next_assessment_type"]
    events = rows.groupby(keys, dropna=False).agg(n=("replication", "size"), within=("within", "sum")).reset_index()
    for _, e in events.iterrows():
        upward, y, left = e.band_to == "large", parties.index(e.party_id), e.date > middle
        ax.plot(
            e.date,
            y,
            linestyle="none",
            marker="^" if upward else "v",
            markersize=9,
            color="black",
            markerfacecolor="black" if upward else "white",
        )
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
        ax.bar(
            counts.index,
            sign * counts.to_numpy(),
            width=80,
            align="edge",
            color=fill,
            hatch=hatch,
            edgecolor="black",
            linewidth=0.6,
        )
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):g}"))  # a count down is drawn below, not negative
    followed = rows[rows.next_assessment_type.notna() & (rows.next_assessment_type != "")]
    within = f"{followed.within.mean():.0%} of the {len(followed):,} followed by one" if len(followed) else "none followed by one"
    ax.set_title(
        f"{len(rows) / replications:,.1f} crossings per replication ({len(rows):,} in {replications}); the next assessment "
        f"started within 12 months of {within}",
        fontsize=8,
        loc="right",
    )


def threshold_crossings(
    crossings: pd.DataFrame, scenario: str, regimes: Sequence[str], detail: str = "", replications: pd.Series | None = None
) -> Figure:
    """Band changes on a timeline, one panel per regime, and whether the next assessment came within 12 months.

    With few parties each has a row, labelled "next: type, within 12 m k/n" (in k of the n replications
    with this crossing the next assessment's fieldwork started within 12 months of it: the seed's
    G8.41/G8.49 question); with many, crossings are counted per quarter, up above the axis, down below, and the
    share within 12 months is of the crossings followed by an assessment in the run. A crossing on the date of a
    rule (SECMP0044 banding a User on its own premises, a change of what is counted) is the rule's, not growth.

    ``detail`` (``detail_label``) says which replications the crossings table holds, when not all; ``replications``
    how many per regime (default: those with a crossing; a replication without one counts too when given).
    """
    if crossings.empty:
        fig = chart_style.figure(9, 2.4)
        ax = fig.subplots()
        ax.set_axis_off()
        chart_style.note(ax, detail or "no threshold crossings in this result set")
        ax.set_title(f"{scenario}: threshold crossings")
        return fig
    frame = crossings.assign(
        date=pd.to_datetime(crossings["date"]), within=crossings["next_within_12_months"].astype(str).str.lower() == "true"
    )
    first, last = frame.date.min() - pd.DateOffset(months=6), frame.date.max() + pd.DateOffset(months=6)
    n = chart_style.replications(frame) if replications is None else replications
    by_party = frame.groupby("regime").party_id.nunique().max() <= PARTY_ROWS
    heights = [max(1, frame[frame.regime == r].party_id.nunique()) if by_party else 3 for r in regimes]
    fig = chart_style.figure(11, 1.4 + 0.35 * sum(heights) + 0.5 * len(regimes))
    axes = fig.subplots(len(regimes), 1, sharex=True, squeeze=False, height_ratios=heights)[:, 0]
    for ax, regime in zip(axes, regimes, strict=True):
        rows = frame[frame.regime == regime]
        ax.set_title(regime, fontsize=10, loc="left")
        chart_style.grid(ax, "x")
        ax.set_xlim(first, last)
        if rows.empty:
            ax.set_yticks([])
            chart_style.note(ax, f"no threshold crossings under {regime}")
        elif by_party:
            _crossings_by_party(ax, rows, first + (last - first) / 2)
        else:
            _crossings_by_quarter(ax, rows, int(n[regime]))
    up, down = ("crossed up (→ large)", "crossed down (→ small)")
    if by_party:
        handles = [
            axes[0].plot([], [], linestyle="none", marker="^", color="black", label=up)[0],
            axes[0].plot([], [], linestyle="none", marker="v", color="black", markerfacecolor="white", label=down)[0],
        ]
    else:
        handles = [
            Patch(facecolor="black", edgecolor="black", label=up),
            Patch(facecolor="white", edgecolor="black", hatch="//", label=down),
        ]
    fig.legend(handles=handles, fontsize=8, loc="outside lower center", ncols=2)
    axes[-1].set_xlabel("date of the crossing")
    if not by_party:  # one label for every panel: a panel's own overlapped its neighbours' on a short panel
        fig.supylabel("crossings per quarter, mean per replication (up above the axis, down below it)", fontsize=9)
    thresholds = ", ".join(f"{int(t):,}" for t in sorted(frame.threshold.dropna().unique()))
    given = frame.sort_values("date").get("count_measure", pd.Series(dtype=object)).dropna()  # older result sets lack it
    measures = ", ".join(str(m).replace("_", " ") for m in dict.fromkeys(given))
    fig.suptitle(
        f"{scenario}: threshold crossings (the count in force, own or SRP aggregate: {measures or 'premises'}; against {thresholds})"
        + (f"\n{detail}" if detail else "")
    )
    return fig
