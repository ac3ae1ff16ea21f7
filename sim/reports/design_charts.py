"""Charts of a design's result set, drawn from its tables only (never the model).

A sweep: each metric's paired difference (regime − baseline) against each varied parameter with its 95 % band,
and beside the cost the metrics that explain one (assessments done, late, pushed past the due date, User CIO
utilisation), per regime. A sensitivity analysis: Morris's μ*–σ plane with μ*'s interval, or Sobol's S1 and ST
bars with theirs, in the metric's own unit. A break-even: the curve of the difference with its band, the
break-even and its interval, and how far each uncertain parameter's ends move it. Money is in £m/£k and counts
are counts (``sim.analysis.display``); every series differs by marker and line style as well as colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..analysis.display import amount, count, unit
from ..analysis.summary import HORIZON_METRICS, t_quantile
from ..designs.printed import EXPLAINING
from . import chart_style

LABELS = {
    "assessments_total": "assessments, all types",
    "assessments_full": "Full assessments",
    "assessments_verification": "Verification assessments",
    "assessments_self": "Self-Assessments",
    "assessments_follow_up": "Follow-ups",
    "srp_part_assessed": "assessments of the SRP part",
    "cio_days": "User CIO days",
    "cio_utilisation_mean": "User CIO utilisation",
    "ssc_items": "SSC items",
    "late": "late assessments",
    "pushed_past_due": "pushed past the due date",
    "missed_mandate": "missed mandates",
    "report_copies": "copies of SRP documents",
    "cost_gbp": "cost",
}
SIGN = "regime − baseline: below zero is a saving"


def label(metric: str) -> str:
    """A metric as a reader names it."""
    return LABELS.get(metric, metric)


def unit_axis(ax: Axes, metric: str, axis: str = "y", signed: bool = False) -> None:
    """Tick labels in the metric's unit: £m/£k, per cent, or counts; never scientific notation."""
    formatter = FuncFormatter(lambda v, _: amount(metric, v, signed, "−") if unit(metric) != "count" else count(v, signed, "−"))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _whole_axis(ax: Axes, values: Sequence[float]) -> None:
    if all(float(v).is_integer() for v in values):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _categories(summary: pd.DataFrame, path: str) -> tuple[pd.DataFrame, list[str] | None]:
    """A parameter that is not a number (a reading, a list of meeting days) drawn at evenly spaced positions in the
    order of its points, with its values as the ticks (None: a number, drawn at its value)."""
    if pd.api.types.is_numeric_dtype(summary[path]):
        return summary, None
    text = summary[path].astype(str)
    order = list(dict.fromkeys(text.iloc[summary["point"].to_numpy().argsort(kind="stable")]))
    return summary.assign(**{path: text.map({v: i for i, v in enumerate(order)})}), order


def _x_axis(ax: Axes, values: Sequence[float], ticks: list[str] | None) -> None:
    """Whole-number ticks for a whole-number parameter, or the values of one that is not a number."""
    if ticks is None:
        _whole_axis(ax, values)
    else:
        ax.set_xticks(range(len(ticks)), ticks, fontsize=8)
        ax.set_xlim(-0.5, len(ticks) - 0.5)


def _curve(
    ax: Axes, x: list[float], y: list[float], low: list[float], high: list[float], i: int, name: str, joined: bool
) -> None:
    """One regime's values with their band (a line through a one-parameter grid; points with bars otherwise)."""
    colour, style, marker, _ = chart_style.regime_style(i)
    banded = not any(math.isnan(v) for v in (*low, *high))
    if joined:
        ax.plot(x, y, color=colour, linestyle=style, marker=marker, label=name)
        if banded:
            ax.fill_between(x, low, high, color=colour, alpha=0.18, linewidth=0)
    else:
        errors = [[m - lo for m, lo in zip(y, low, strict=True)], [hi - m for m, hi in zip(y, high, strict=True)]]
        ax.errorbar(x, y, yerr=errors if banded else None, color=colour, marker=marker, linestyle="none", capsize=3, label=name)


def difference(ax: Axes, part: pd.DataFrame, path: str, i: int, joined: bool = True) -> None:
    """One compared regime's paired difference (summary rows of one metric) against ``path``, with its 95 % band."""
    part = part.sort_values(path)
    name = f"{part.regime.iloc[0]} − {part.baseline.iloc[0]}"
    band = part.diff_ci_low.tolist(), part.diff_ci_high.tolist()
    _curve(ax, part[path].tolist(), part.diff_mean.tolist(), *band, i, name, joined)


def _joined(summary: pd.DataFrame, path: str) -> bool:
    """Whether a parameter's points form one curve (one point per value): a one-parameter grid."""
    first = summary[(summary.metric == summary.metric.iloc[0]) & (summary.regime == summary.regime.iloc[0])]
    return bool(first[path].is_unique)


def differences(summary: pd.DataFrame, path: str, scenario: str) -> tuple[Figure, list[str]]:
    """Every metric's paired difference against one parameter, with its 95 % band (metrics whose difference is zero
    at every point are left out and named)."""
    compared = summary[summary.regime != summary.baseline]
    metrics = [m for m in HORIZON_METRICS if m in set(compared.metric)]
    zero = [
        m
        for m in metrics
        if not compared[compared.metric == m][["diff_mean", "diff_ci_low", "diff_ci_high"]].abs().gt(0).any().any()
    ]
    shown = [m for m in metrics if m not in zero] or metrics[:1]
    shown = sorted(shown, key=lambda m: m != "cost_gbp")  # the cost first, then the rest in the tables' order
    columns = min(4, len(shown))
    rows = math.ceil(len(shown) / columns)
    fig = chart_style.figure(3.3 * columns + 0.6, 2.7 * rows + 0.9)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    regimes = list(dict.fromkeys(compared.regime))
    summary, ticks = _categories(summary, path)
    compared = summary[summary.regime != summary.baseline]
    joined = _joined(summary, path) and ticks is None  # values that are not numbers have no order to join
    for ax, metric in zip(axes, shown, strict=False):
        for i, regime in enumerate(regimes):
            difference(ax, compared[(compared.metric == metric) & (compared.regime == regime)], path, i + 1, joined)
        ax.axhline(0, color="#555555", linewidth=0.8)
        ax.set_title(label(metric), fontsize=10)
        unit_axis(ax, metric, signed=True)
        _x_axis(ax, summary[path].tolist(), ticks)
        chart_style.grid(ax)
        ax.set_xlabel(path, fontsize=8)
    for ax in axes[len(shown) :]:
        ax.set_visible(False)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=max(1, len(names)), fontsize=8)
    fig.suptitle(f"{scenario}: paired difference against {path} ({SIGN}; 95 % band)")
    return fig, zero


def _mean_band(part: pd.DataFrame) -> tuple[list[float], list[float]]:
    """The 95 % t interval of each point's mean over its replications (none with one replication)."""
    n = part.replications.astype(float)
    t = [t_quantile(k - 1) if k > 1 else math.nan for k in n]
    half = [q * sd / math.sqrt(k) if k > 1 else math.nan for q, sd, k in zip(t, part.sd.fillna(0.0), n, strict=True)]
    return [m - h for m, h in zip(part["mean"], half, strict=True)], [m + h for m, h in zip(part["mean"], half, strict=True)]


def explained(summary: pd.DataFrame, path: str, scenario: str, metric: str = "cost_gbp") -> Figure:
    """The paired difference in one metric against one parameter and, beside it, each regime's mean of the metrics
    that explain a cost: assessments done, late, pushed past the due date, User CIO utilisation."""
    beside = [m for m, _ in EXPLAINING if m in set(summary.metric)]
    fig = chart_style.figure(4.6 + 3.0 * len(beside), 4.2)
    axes = fig.subplots(1, 1 + len(beside), width_ratios=[1.6] + [1.0] * len(beside), squeeze=False)[0]
    summary, ticks = _categories(summary, path)
    joined = _joined(summary, path) and ticks is None  # values that are not numbers have no order to join
    compared = summary[(summary.metric == metric) & (summary.regime != summary.baseline)]
    for i, regime in enumerate(dict.fromkeys(compared.regime)):
        difference(axes[0], compared[compared.regime == regime], path, i + 1, joined)
    axes[0].axhline(0, color="#555555", linewidth=0.8)
    axes[0].set_title(f"{label(metric)}: paired difference\n({SIGN})", fontsize=10)
    unit_axis(axes[0], metric, signed=True)
    axes[0].legend(fontsize=8)
    for ax, name in zip(axes[1:], beside, strict=True):
        for i, regime in enumerate(dict.fromkeys(summary.regime)):
            part = summary[(summary.metric == name) & (summary.regime == regime)].sort_values(path)
            low, high = _mean_band(part)
            values = part["mean"] * (100 if name == "cio_utilisation_mean" else 1)
            scale = 100 if name == "cio_utilisation_mean" else 1
            _curve(
                ax, part[path].tolist(), values.tolist(), [v * scale for v in low], [v * scale for v in high], i, regime, joined
            )
        ax.set_title(f"{label(name)} (mean)" + (", %" if name == "cio_utilisation_mean" else ""), fontsize=10)
        ax.set_ylim(bottom=0)
        if name == "cio_utilisation_mean":
            ax.set_ylim(0, 105)
        elif not summary[summary.metric == name]["mean"].abs().gt(0).any():
            ax.set_ylim(0, 1)
            chart_style.note(ax, "none at any point")
        else:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=7, loc="upper left")
    for ax in axes:
        ax.set_xlabel(path)
        _x_axis(ax, summary[path].tolist(), ticks)
        chart_style.grid(ax)
    fig.suptitle(f"{scenario}: {label(metric)} against {path}, and what explains it (95 % bands)")
    return fig


def _index_panels(indices: pd.DataFrame, metric: str) -> tuple[Figure, list[tuple[Axes, tuple[str, str], pd.DataFrame]]]:
    """A figure with a panel per (regime, output) of one metric, each paired difference first, then each regime's
    mean; unused panels hidden. Each panel with its pair and its rows of ``indices``."""
    of_metric = indices[indices.metric == metric]
    found = list(of_metric[["regime", "output"]].drop_duplicates().itertuples(index=False, name=None))
    pairs = [p for p in found if p[1] == "paired_diff"] + [p for p in found if p[1] == "mean"]
    columns = min(3, max(1, len(pairs)))
    rows = math.ceil(len(pairs) / columns)
    fig = chart_style.figure(4.3 * columns + 0.4, 3.7 * rows + 0.7)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes[len(pairs) :]:
        ax.set_visible(False)
    rows_of = [of_metric[(of_metric.regime == r) & (of_metric.output == o)] for r, o in pairs]
    return fig, list(zip(axes, pairs, rows_of, strict=False))


def _short(path: str) -> str:
    """A parameter's path shortened for a label: its last two steps."""
    return ".".join(path.split(".")[-2:])


def _output_title(regime: str, output: str, baselines: dict[str, str]) -> str:
    return f"{regime} − {baselines.get(regime, 'baseline')}" if output == "paired_diff" else f"{regime}: mean"


def morris_plane(indices: pd.DataFrame, metric: str, scenario: str, baselines: dict[str, str]) -> Figure:
    """Morris's μ* (mean absolute elementary effect, with its 95 % bootstrap interval) against σ (their spread), in
    the metric's unit, one panel per regime's output: far right is influential; high up, non-linear or interacting."""
    fig, panels = _index_panels(indices, metric)
    for ax, (regime, output), part in panels:
        wide = part.pivot_table(index="parameter", columns="index", values="value", sort=False)
        half = part[part["index"] == "mu_star"].set_index("parameter").ci_half_width
        for j, (parameter, row) in enumerate(wide.iterrows()):
            colour, _, marker, _ = chart_style.regime_style(j)
            ax.errorbar(
                row.mu_star,
                row.sigma,
                xerr=half.get(parameter, math.nan),
                color=colour,
                marker=marker,
                capsize=3,
                linestyle="none",
                label=_short(str(parameter)),
            )
        right = float((wide.mu_star + half.reindex(wide.index).fillna(0)).max()) if len(wide) else 0.0
        top = float(wide.sigma.max()) if len(wide) else 0.0
        if right > 0:
            ax.plot([0, right * 1.1], [0, right * 1.1], color="#999999", linestyle="--", linewidth=0.8)
        ax.set_xlim(0, right * 1.1 if right > 0 else 1)
        ax.set_ylim(0, top * 1.3 if top > 0 else right * 0.2 if right > 0 else 1)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        if right == 0 and top == 0:
            chart_style.note(ax, "no effect on this output:\nevery index is zero")
        ax.set_title(_output_title(regime, output, baselines), fontsize=10)
        ax.set_xlabel("μ* (mean |effect|)")
        ax.set_ylabel("σ (spread of effects)")
        unit_axis(ax, metric, "x")
        unit_axis(ax, metric, "y")
        chart_style.grid(ax, "both")
    handles, names = panels[0][0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncols=min(5, max(1, len(names))), fontsize=8)
    fig.suptitle(f"{scenario}: Morris screening of {label(metric)} (dashed: σ = μ*)")
    return fig


def sobol_bars(indices: pd.DataFrame, metric: str, scenario: str, baselines: dict[str, str]) -> Figure:
    """Sobol's first-order (S1) and total (ST) indices per parameter with their 95 % bootstrap intervals: the share
    of the output's variance each parameter explains alone, and with its interactions."""
    fig, panels = _index_panels(indices, metric)
    for ax, (regime, output), part in panels:
        names = list(dict.fromkeys(part.parameter))
        for k, (index, fill, hatch) in enumerate((("S1", "#8c8c8c", "//"), ("ST", "#303030", ""))):
            rows_of = part[part["index"] == index].set_index("parameter").reindex(names)
            ax.bar(
                [j + (k - 0.5) * 0.38 for j in range(len(names))],
                rows_of.value.fillna(0.0),
                width=0.38,
                yerr=rows_of.ci_half_width.fillna(0.0),
                color=fill,
                hatch=hatch,
                edgecolor="black",
                linewidth=0.6,
                capsize=3,
                label=index,
            )
        ax.set_xticks(range(len(names)), [_short(n) for n in names], rotation=30, ha="right", fontsize=8)
        ax.axhline(0, color="#555555", linewidth=0.8)
        ax.set_ylim(-0.25, 1.25)  # an index is a share of the variance; beyond this is estimation noise
        ends = pd.concat([part.value - part.ci_half_width, part.value + part.ci_half_width]).dropna()
        if len(ends) and (ends.min() < -0.25 or ends.max() > 1.25):
            ax.text(
                0.5,
                0.03,
                "some intervals run off the axis: raise --n",
                transform=ax.transAxes,
                ha="center",
                va="bottom",
                fontsize=8,
            )
        ax.set_title(_output_title(regime, output, baselines), fontsize=10)
        ax.set_ylabel("share of variance")
        chart_style.grid(ax)
        ax.legend(fontsize=8, loc="upper right")
    fig.suptitle(f"{scenario}: Sobol' indices of {label(metric)} (95 % intervals)")
    return fig
