"""Who pays, as the change it brings: each payer role's (and each size class's) paired change in cost from the
baseline with its 95 % interval — an SRP's few £10k show beside a Supplier's £m, as absolute totals never could."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..analysis.money import pounds, pounds_interval
from ..analysis.payers import LABELS, TITLES
from . import chart_style


def _tick(value: float) -> str:
    """A tick's pounds without the trailing zeros a round tick has: ``+£4m``, ``−£25k``, ``+£1.5k``."""
    text = pounds(value, True, "−")
    return re.sub(r"\.?0+(?=[mk]$)", "", text) if "." in text else text


def _group(ax: Axes, text: Axes, rows: pd.DataFrame, regimes: Sequence[str], compared: list[str]) -> None:
    """One group's change under each compared regime: a marker at the mean, a whisker for the 95 % interval, on an
    axis of its own centred on zero (so an SRP's £10k reads as well as a Supplier's £m), the figures beside it."""
    cell = rows.set_index("regime")
    extent = float(np.nanmax(np.abs(cell.loc[compared, ["diff_mean", "diff_ci_low", "diff_ci_high"]].to_numpy(float))))
    extent = extent if extent > 0 else 1.0
    for k, regime in enumerate(compared):
        colour, _, marker, _ = chart_style.regime_style(list(regimes).index(regime))
        mean, low, high = (float(cell.loc[regime, c]) for c in ("diff_mean", "diff_ci_low", "diff_ci_high"))
        whisker = None if np.isnan(low) else [[mean - low], [high - mean]]
        ax.errorbar([mean], [k], xerr=whisker, fmt=marker, color=colour, markeredgecolor="black", ecolor=colour, capsize=4)
        text.text(0.0, k, pounds_interval(mean, low, high, "−"), va="center", fontsize=8)
    for axis in (ax, text):
        axis.set_ylim(len(compared) - 0.4, -0.6)
    ax.axvline(0, color="#333333", linewidth=0.9)
    ax.set_xlim(-1.3 * extent, 1.3 * extent)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, symmetric=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(v)))
    if not cell.loc[compared, "diff_mean"].abs().sum() and not cell.loc[compared, "diff_ci_low"].abs().sum() > 0:
        ax.set_xticks([0.0], ["no change"])
    ax.tick_params(axis="x", labelsize=7)
    ax.set_yticks([])
    chart_style.grid(ax, "x")
    text.set_axis_off()


def who_pays(
    payers: pd.DataFrame, scenario: str, regimes: Sequence[str], price_base: str, baselines: dict[str, str] | None = None
) -> Figure:
    """The change in cost by who pays (payer role) and by size class (the band each assessment was determined in),
    regime − baseline with its paired 95 % interval; the last bar of each panel, "all", is the whole change."""
    against = baselines or {r: regimes[0] for r in regimes}
    compared = [r for r in regimes if against.get(r, regimes[0]) != r and r in set(payers.regime)]
    groupings = [g for g in TITLES if g in set(payers.grouping)] if compared else []
    most = max((payers[payers.grouping == g].group.nunique() for g in groupings), default=1)
    fig = chart_style.figure(6.5 * max(1, len(groupings)), 1.8 + most * (0.5 + 0.28 * len(compared)))
    if not groupings:
        ax = fig.subplots()
        ax.set_axis_off()
        chart_style.note(ax, "one regime only: no change to show" if not payers.empty else "no cost rows in this result set")
        ax.set_title(f"{scenario}: who pays")
        return fig
    subfigures = np.atleast_1d(fig.subfigures(1, len(groupings)))  # type: ignore[arg-type]
    for sub, grouping in zip(subfigures, groupings, strict=True):
        part = payers[payers.grouping == grouping]
        groups = list(dict.fromkeys(part.group))
        axes = sub.subplots(len(groups), 2, width_ratios=[3, 2], squeeze=False)
        for (ax, text), group in zip(axes, groups, strict=True):
            _group(ax, text, part[part.group == group], regimes, compared)
            ax.set_title(LABELS.get(group, group), loc="left", fontsize=9)
        axes[-1][0].set_xlabel(f"change in cost ({price_base})\n← lower under the regime: a saving    higher →", fontsize=8)
        sub.suptitle(TITLES[grouping], fontsize=10)
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=chart_style.regime_style(list(regimes).index(r))[2],
            color=chart_style.regime_style(list(regimes).index(r))[0],
            markeredgecolor="black",
            label=f"{r} − {against[r]}",
        )
        for r in compared
    ]
    fig.legend(handles=handles, fontsize=8, loc="outside lower center", ncols=min(3, len(compared)))
    n = int(payers.replications.max())
    interval = f"mean and paired 95 % interval over {n} replications" if n > 1 else "one replication: no interval"
    fig.suptitle(
        f"{scenario}: who pays — the change in cost, regime − baseline ({interval});\neach panel on its own scale, centred on no change"
    )
    return fig
