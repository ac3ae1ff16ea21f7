"""``secsim report`` on a sweep, sensitivity or break-even folder: one self-contained HTML file, as a run's report.

From the design's tables only (``sim.designs.folders``): what was varied and how often it ran, the answer as
formatted tables (money in £m/£k, counts, shares in per cent; a difference is regime − baseline, so a saving is
negative, and the prose says "saves"), the charts (``design_charts``, ``breakeven_charts``) embedded as base64 PNG
with PNG and SVG files beside the page, and the provenance. The page makes no request.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ..analysis.display import amount, count, interval
from ..core.version import __version__
from ..designs.folders import DesignSet, load
from ..designs.printed import EXPLAINING
from ..designs.sensitivity import RANKED_BY
from . import design_charts
from .breakeven_page import breakeven_sections
from .design_html import CHART_FOLDER, MINUS, ChartWriter, esc, html_table, slug, value_text
from .page import PAGE
from .publish import publish

REPORT_NAME = "report.html"
SIGN_NOTE = (
    "A difference is regime − baseline, taken replication by replication on common random numbers (paired), with "
    "its 95 % t interval: a negative cost difference is a saving, and the text says “saves”."
)
SENSITIVITY_METRICS = ("cost_gbp", "srp_part_assessed", "late")
"""The metrics a sensitivity report draws (each only where some index is not zero); every one is in the tables."""


def _design_html(ds: DesignSet) -> str:
    m = ds.manifest
    regimes = ", ".join(f"<b>{esc(r)}</b>" for r in ds.regimes)
    against = "; ".join(f"{esc(r)} against {esc(b)}" for r, b in (m.get("baselines") or {}).items() if r != b)
    if ds.kind == "sweep":
        paths = ", ".join(f"<code>{esc(p)}</code>" for p in ds.paths)
        what = f"a {esc(m.get('design', 'grid'))} design over {paths}, {esc(m.get('points', '?'))} point(s)"
    elif ds.kind == "sensitivity":
        ranges = ", ".join(
            f"<code>{esc(u['path'])}</code> [{esc(value_text(u['low']))}, {esc(value_text(u['high']))}]"
            for u in m.get("uncertain", [])
        )
        what = f"{esc(m.get('method', ''))} analysis of the uncertain parameters {ranges}, {esc(m.get('samples', '?'))} sample(s)"
    else:
        values = m.get("values") or [0]
        what = (
            f"a break-even over <code>{esc(m.get('vary', ''))}</code> at {len(values)} value(s) ({esc(count(min(values)))} "
            f"to {esc(count(max(values)))}), the scenario as shipped"
            + (" and each uncertain parameter at its low and high end, one at a time" if m.get("uncertain") else "")
        )
    return (
        f"<p>Scenario <b>{esc(ds.name)}</b> (<code>{esc(m.get('scenario_file') or '')}</code>): {what}; regimes {regimes}"
        f"{' (' + against + ')' if against else ''}; {esc(m['replications'])} replication(s) per point and regime, seed "
        f"{esc(m['seed'])}{', deterministic' if m.get('deterministic') else ''}. Costs in {esc(ds.price_base)}.</p>"
        f'<p class="note">{SIGN_NOTE} Every point runs on the same random numbers, so points are paired too.</p>'
    )


def _sweep_tables(summary: pd.DataFrame, paths: list[str], regimes: list[str]) -> str:
    """The cost at each point and its paired differences; then, per regime, the metrics that explain a cost."""
    cost = summary[summary.metric == "cost_gbp"]
    cells = summary.set_index(["point", "metric", "regime"])
    against = cost.drop_duplicates("regime").set_index("regime").baseline.to_dict()
    compared = [r for r in regimes if against.get(r, r) != r]
    header = [*(f"<code>{esc(p)}</code>" for p in paths), *(f"{esc(r)}<br>mean" for r in regimes)]
    header += [f"{esc(r)} − {esc(against[r])}<br>[95 % CI]" for r in compared]
    costs, beside = [], []
    for point, part in cost.groupby("point", sort=True):
        values = [esc(part[p].iloc[0]) for p in paths]
        row = [amount("cost_gbp", cells.loc[(point, "cost_gbp", r), "mean"], minus=MINUS) for r in regimes]
        for r in compared:
            d = cells.loc[(point, "cost_gbp", r)]
            row.append(interval("cost_gbp", d["diff_mean"], d["diff_ci_low"], d["diff_ci_high"], minus=MINUS))
        costs.append(values + [esc(c) for c in row])
        explaining = [
            " / ".join(amount(name, cells.loc[(point, name, r), "mean"], minus=MINUS) for r in regimes)
            if (point, name, regimes[0]) in cells.index
            else "—"
            for name, _ in EXPLAINING
        ]
        beside.append(values + [esc(c) for c in explaining])
    order = " / ".join(esc(r) for r in regimes)
    return (
        html_table(header, costs, "answer", numeric_from=len(paths))
        + f'<p class="note">Cost over the horizon, mean per replication. Below, per regime ({order}), the metrics that '
        "explain a cost: fewer assessments done, or more of them late or pushed past their due date by a User CIO near "
        "full utilisation, can look cheaper.</p>"
        + html_table(
            [*(f"<code>{esc(p)}</code>" for p in paths), *(esc(label) for _, label in EXPLAINING)],
            beside,
            "explaining",
            len(paths),
        )
    )


def _reading(summary: pd.DataFrame, paths: list[str]) -> str:
    """Points where a regime keeps the User CIO busy 95 % of its team-days or more: there a cost is partly of
    assessments not done in the horizon, and the page says so."""
    cells = summary.set_index(["point", "metric", "regime"])["mean"]
    most = summary[summary.metric == "assessments_total"].groupby("regime")["mean"].max()
    lines = []
    for _, row in summary[(summary.metric == "cio_utilisation_mean") & (summary["mean"] >= 0.95)].iterrows():
        at = ", ".join(f"{p} = {row[p]}" for p in paths)

        def mean(metric: str, row: pd.Series = row) -> str:
            return count(cells.get((row["point"], metric, row["regime"]), float("nan")))

        lines.append(
            f"At {esc(at)}, <b>{esc(row['regime'])}</b> keeps the User CIO busy {esc(amount('cio_utilisation_mean', row['mean']))} "
            f"of its team-days: it does {esc(mean('assessments_total'))} assessments in the horizon "
            f"({esc(count(most[row['regime']]))} at the point where it does most), {esc(mean('pushed_past_due'))} are "
            f"pushed past their due date and {esc(mean('late'))} are late. A cost there is partly of assessments not "
            "done, not a cheaper regime."
        )
    return "".join(f'<p class="reading">{line}</p>' for line in lines)


def _sweep_html(ds: DesignSet, charts: ChartWriter) -> list[tuple[str, str, str]]:
    summary = ds.tables["summary"]
    parts = [_reading(summary, ds.paths) + _sweep_tables(summary, ds.paths, ds.regimes)]
    for path in ds.paths:
        parts.append(
            charts.figure(f"explained-{slug(path)}", design_charts.explained(summary, path, ds.name), design_charts.explained)
        )
        fig, zero = design_charts.differences(summary, path, ds.name)
        note = f"Zero at every point, so not drawn: {', '.join(design_charts.label(m) for m in zero)}." if zero else ""
        parts.append(charts.figure(f"differences-{slug(path)}", fig, design_charts.differences, note))
    return [("answer-section", "Cost at each point, and what explains it", "\n".join(parts))]


def _rank(value: object) -> str:
    return "—" if value is None or value != value else str(int(float(str(value))))


def _index_text(metric: str, index: str, value: float, half: float) -> str:
    if index in ("S1", "ST"):
        return f"{value:.2f} [±{half:.2f}]".replace("-", MINUS)
    return f"{amount(metric, value, minus=MINUS)} [±{amount(metric, half, minus=MINUS)}]"


def _sensitivity_html(ds: DesignSet, charts: ChartWriter) -> list[tuple[str, str, str]]:
    indices = ds.tables["indices"]
    method = str(ds.manifest.get("method", indices.method.iloc[0]))
    ranked_by = RANKED_BY[method]
    baselines = ds.manifest.get("baselines") or {}
    order = {r: i for i, r in enumerate(ds.regimes)}
    key = indices[(indices.metric == "cost_gbp") & (indices["index"] == ranked_by)]
    key = key.assign(_first=key.output != "paired_diff", _regime=key.regime.map(order)).sort_values(
        ["_first", "_regime", "rank"], kind="stable"
    )
    rows = [
        [
            esc(f"{r.regime} − {baselines.get(r.regime, 'baseline')}" if r.output == "paired_diff" else f"{r.regime}: mean"),
            esc(_rank(r.rank)),
            f"<code>{esc(r.parameter)}</code>",
            esc(_index_text("cost_gbp", r.index, r.value, r.ci_half_width)),
        ]
        for r in key.itertuples()
    ]
    what = (
        "μ*, the mean absolute elementary effect, in pounds"
        if method == "morris"
        else "ST, the total-order index (a share of the variance)"
    )
    shown = {"mu_star": "μ*", "ST": "ST"}[ranked_by]
    answer = html_table(["output", "rank", "parameter", f"{shown} [95 % half-width]"], rows, "answer", numeric_from=3) + (
        f'<p class="note">Cost over the horizon ranked by {what}, with SALib\'s bootstrap 95 % half-width; rank 1 moves it '
        "most. A parameter whose interval reaches zero has no effect this design can detect: raise --n and --reps.</p>"
    )
    figures = []
    drawn = design_charts.morris_plane if method == "morris" else design_charts.sobol_bars
    for metric in SENSITIVITY_METRICS:
        values = indices[(indices.metric == metric) & (indices["index"] == ranked_by)].value
        if len(values) and values.abs().fillna(0).gt(0).any():
            figures.append(charts.figure(f"{method}-{metric}", drawn(indices, metric, ds.name, baselines), drawn))
    every = indices[indices["index"] == ranked_by].sort_values(["metric", "regime", "output", "rank"], kind="stable")
    all_rows = [
        [
            esc(r.metric),
            esc(r.regime),
            esc(r.output),
            esc(_rank(r.rank)),
            f"<code>{esc(r.parameter)}</code>",
            esc(_index_text(r.metric, r.index, r.value, r.ci_half_width)),
        ]
        for r in every.itertuples()
    ]
    details = (
        f"<details><summary>Every metric's {ranked_by} (<code>indices.csv</code> holds every index)</summary>"
        + html_table(
            ["metric", "regime", "output", "rank", "parameter", f"{ranked_by} [95 % half-width]"],
            all_rows,
            "every-index",
            numeric_from=3,
        )
        + "</details>"
    )
    return [
        ("answer-section", "What moves the cost most", answer),
        ("charts", "Indices with their intervals", "\n".join(figures) + details),
    ]


def html_page(ds: DesignSet, drawn_in: Path | None = None) -> str:
    """The whole report of a design's result set as one HTML string (charts written into ``drawn_in``, by default its
    ``charts/``)."""
    charts = ChartWriter(drawn_in or ds.folder / CHART_FOLDER)
    m = ds.manifest
    sections = [("design", "The design", _design_html(ds))]
    sections += {"sweep": _sweep_html, "sensitivity": _sensitivity_html, "breakeven": breakeven_sections}[ds.kind](ds, charts)
    versions = ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items())
    sections.append(
        (
            "provenance",
            "Provenance",
            f"<p>Written by secsim {esc(m.get('versions', {}).get('secsim', '?'))} at commit {esc(m.get('git_commit', 'unknown'))}, "
            f"{esc(m.get('created_utc', '(time not recorded)'))}, in {esc(m.get('wall_seconds', '?'))} s on {esc(m.get('executor', '?'))}; "
            f"packages: {esc(versions)}.</p>",
        )
    )
    nav = "".join(f'<li><a href="#{ident}">{esc(title)}</a></li>' for ident, title, _ in sections)
    title = {"sweep": "sweep", "sensitivity": "sensitivity analysis", "breakeven": "break-even"}[ds.kind]
    body = [
        f'<header><h1>{esc(ds.name)}: {title}</h1><p class="meta">secsim report of the {title} in <code>{esc(ds.folder)}</code>; '
        f"written {dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()} by secsim {__version__}.</p>"
        f"<nav><ol>{nav}</ol></nav></header>"
    ]
    body += [
        f'<section id="{ident}"><h2>{k}. {esc(t)}</h2>{content}</section>' for k, (ident, t, content) in enumerate(sections, 1)
    ]
    return PAGE.substitute(title=esc(f"{ds.name}: secsim {title} report"), body="\n".join(body))


def write_design_report(folder: str | Path) -> Path:
    """Write ``report.html`` (and its charts) into a sweep, sensitivity or break-even folder; return the report's path."""
    ds = load(folder)
    return publish(ds.folder, REPORT_NAME, CHART_FOLDER, lambda drawn_in: html_page(ds, drawn_in))
