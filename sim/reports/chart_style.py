"""What every chart shares: the styles that keep series apart in greyscale, and the table helpers (means over
replications per year, series on a common year axis) the chart functions read their data through."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Literal

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

TYPES = ("full", "verification", "self", "follow_up")
TYPE_LABELS = {"full": "Full", "verification": "Verification", "self": "Self-Assessment", "follow_up": "Follow-up"}
TYPE_STYLE = {  # (fill, hatch): grey shades so colour and greyscale agree
    "full": ("#303030", ""),
    "verification": ("#8c8c8c", "//"),
    "self": ("#d0d0d0", ".."),
    "follow_up": ("#ffffff", "xx"),
}
REGIME_STYLE = [  # (colour, line style, marker, hatch): Okabe-Ito colours, distinct in greyscale by line and marker
    ("#000000", "-", "o", "//"),
    ("#E69F00", "--", "s", "\\\\"),
    ("#0072B2", ":", "^", ".."),
    ("#009E73", "-.", "D", "xx"),
    ("#CC79A7", (0, (5, 1, 1, 1)), "v", "++"),
]


def regime_style(i: int) -> tuple[str, object, str, str]:
    """Colour, line style, marker and hatch of the ``i``-th regime."""
    return REGIME_STYLE[i % len(REGIME_STYLE)]


def figure(width: float, height: float) -> Figure:
    """A figure of the given size with a constrained layout, outside pyplot."""
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def replications(table: pd.DataFrame) -> pd.Series:
    """Replications per regime, from the runs present in a table."""
    return table[["regime", "replication"]].drop_duplicates().groupby("regime").size()


def mean_by_year(yearly: pd.DataFrame, metric: str, by: Sequence[str] = ()) -> pd.DataFrame:
    """Mean over replications of a yearly metric per (regime, year, *by): a missing row counts as zero."""
    n = replications(yearly)
    rows = yearly[yearly.metric == metric]
    total = rows.groupby(["regime", "year", *by])["value"].sum().reset_index()
    total["value"] = total["value"] / total["regime"].map(n)
    return total


def years(yearly: pd.DataFrame) -> list[int]:
    """The horizon's calendar years in a ``yearly`` table."""
    return sorted(int(y) for y in yearly.year.unique())


def series(frame: pd.DataFrame, regime: str, years: list[int], **match: str) -> list[float]:
    """A regime's mean values for each year (zero where absent), optionally for one by-value."""
    rows = frame[frame.regime == regime]
    for column, value in match.items():
        rows = rows[rows[column] == value]
    by_year = rows.groupby("year")["value"].sum()
    return [float(by_year.get(y, 0.0)) for y in years]


def lines(ax: Axes, years: list[int], series: dict[str, list[float]], regimes: Sequence[str]) -> None:
    """One line per regime, each with its own colour, line style and marker."""
    for i, regime in enumerate(regimes):
        if regime not in series:
            continue
        colour, style, marker, _ = regime_style(i)
        ax.plot(years, series[regime], color=colour, linestyle=style, marker=marker, label=regime)
    year_ticks(ax, years)
    grid(ax)


def year_ticks(ax: Axes, years: list[int]) -> None:
    """A tick per year, turned upright when there are too many to sit side by side in a narrow panel."""
    ax.set_xticks(years, [str(y) for y in years], rotation=90 if len(years) > 7 else 0)


def grid(ax: Axes, axis: Literal["both", "x", "y"] = "y") -> None:
    """Light grid lines behind the data."""
    ax.grid(axis=axis, color="#dddddd")
    ax.set_axisbelow(True)


def note(ax: Axes, text: str) -> None:
    """A note in the middle of an empty panel."""
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=11,
        bbox={"boxstyle": "round", "facecolor": "#f4f4f4", "edgecolor": "#999999"},
    )


def caption(drawn_by: Callable) -> str:
    """A chart's caption: its function's docstring for the reader, one line. A paragraph that starts with a
    ``literal`` names the function's arguments, for whoever calls it, and is left out."""
    doc = inspect.getdoc(drawn_by) or drawn_by.__name__
    paragraphs = [p for p in doc.split("\n\n") if not p.lstrip().startswith("``")]
    return " ".join(" ".join(paragraphs).split())
