"""``secsim report``: one self-contained HTML file a Working Group member can open anywhere.

From a result set only (never the model): the question, the headline table per regime with
the paired differences and their intervals (present value at the Green Book 3.5 %), the
charts embedded as base64 PNG (the PNG and SVG files are written beside it too), the
assumptions with their sources, and the STRESS-DES checklist. The page makes no request:
no external fonts, scripts or images.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import html
import re
from pathlib import Path
from string import Template

import pandas as pd

from ..analysis.appraisal import GREEN_BOOK_RATE, present_value_summary
from ..analysis.periods import chosen, name as period_name
from ..analysis.summary import render_readings
from ..core.version import __version__
from ..results import sub_period
from ..results.outdir import writing_into
from ..results.output import git_commit
from ..results.result_set import ResultSet, load
from . import chart_style, charts
from .answer import answer_html, payers_html
from .assumptions import SOURCES, parameters, render
from .formatting import as_written, change, number
from .publish import publish
from .stress_des import SECTIONS, checklist

REPORT_NAME = "report.html"
CHART_FOLDER = "charts"

HEADLINE = [  # (metric, label, unit); money rows are shown in pounds
    ("assessments_total", "Assessments, all types", "count"),
    ("assessments_full", "… Full", "count"),
    ("assessments_verification", "… Verification", "count"),
    ("assessments_self", "… Self-Assessment", "count"),
    ("assessments_follow_up", "… Follow-up", "count"),
    ("srp_part_assessed", "Assessments of the SRP-provided part", "count"),
    ("cio_days", "User CIO effort", "team working days"),
    ("ssc_items", "SSC items reviewed", "count"),
    ("late", "Late against the 12-month rule", "count"),
    ("cost_gbp", "Cost", "£"),
    ("pv_cost_gbp", "Present value of cost at 3.5 %", "£"),
]

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0 auto;
       max-width: 1180px; padding: 1rem 2rem 3rem; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 2px solid #333; padding-bottom: 0.2rem; margin-top: 2.2rem; }
.meta, figcaption, .note { color: #444; font-size: 0.9rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.88rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; vertical-align: top; text-align: left; }
th { background: #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.default td { color: #555; }
figure { margin: 1.2rem 0 2rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
code { background: #f3f3f3; padding: 0 0.2rem; }
nav ol { columns: 2; }
.wide { overflow-x: auto; }
</style>
</head>
<body>
$body
</body>
</html>
""")


def _prose(text: str) -> str:
    """A docstring for the page: escaped, with its ``literal`` spans as code."""
    return re.sub(r"``(.+?)``", r"<code>\1</code>", _e(text))


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(
    header: list[str], rows: list[list[str]], table_id: str = "", numeric_from: int = 99, row_classes: list[str] | None = None
) -> str:
    """An HTML table of already-escaped cells; columns from ``numeric_from`` on are right-aligned."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        cells = "".join(f'<td class="num">{c}</td>' if j >= numeric_from else f"<td>{c}</td>" for j, c in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    ident = f' id="{table_id}"' if table_id else ""
    # A table wider than the page (many regimes) scrolls on its own; the page around it does not.
    return f'<div class="wide"><table{ident}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def headline(rs: ResultSet) -> pd.DataFrame:
    """The run's summary rows for the headline metrics, with the present value computed per replication."""
    pv = present_value_summary(rs.tables["yearly"], rs.regimes, rs.start_year, baselines=rs.baselines)
    return pd.concat([rs.tables["summary"][list(pv.columns)], pv], ignore_index=True)


def _cell(rows: pd.DataFrame, metric: str, regime: str, unit: str, difference: bool) -> str:
    """A regime's mean, or its paired difference from the baseline with the interval where there is one."""
    if (metric, regime) not in rows.index:
        return "not in summary.csv"
    r = rows.loc[(metric, regime)]
    if not difference:
        return number(r["mean"], unit)
    return change(r.diff_mean, r.diff_ci_low, r.diff_ci_high, unit)


def _headline_html(rs: ResultSet) -> str:
    rows = headline(rs).set_index(["metric", "regime"])
    others = rs.compared
    n = int(rs.manifest["replications"])
    header = [
        "measure over the horizon",
        "unit",
        *(f"{_e(r)}<br>mean" for r in rs.regimes),
        *(f"{_e(r)} − {_e(rs.baselines[r])}<br>{'mean [95 % CI]' if n > 1 else 'difference'}" for r in others),
    ]
    body = [
        [
            _e(label),
            _e(f"£ ({rs.price_base})" if unit == "£" else unit),
            *(_cell(rows, metric, r, unit, False) for r in rs.regimes),
            *(_cell(rows, metric, r, unit, True) for r in others),
        ]
        for metric, label, unit in HEADLINE
    ]
    interval = ", with its paired 95 % t interval" if n > 1 else "; one replication, so no interval"
    against = sorted({rs.baselines[r] for r in others})
    note = (
        f"Means over {n} replication(s) per regime. A difference is regime − "
        f"{'its baseline (' + _e(' or '.join(against)) + ', as its column says)' if len(against) > 1 else _e(''.join(against))}, "
        "taken replication by "
        f"replication on common random numbers{interval}. Costs in {_e(rs.price_base)}, in £m or £k to three "
        f"significant figures (summary.csv has them to the penny). Present value: yearly cost "
        f"discounted at {GREEN_BOOK_RATE:.1%} a year (HM Treasury Green Book) to {rs.start_year}, computed per "
        "replication, then summarised the same way. A negative cost difference is a saving."
    )
    return _table(header, body, "headline", numeric_from=2) + f'<p class="note">{note}</p>'


def _detail_note(kept: int, n: int) -> str:
    """What the charts drawn from per-event tables cover, when ``--detail-reps`` kept fewer replications."""
    if not charts.detail_label(kept, n):
        return ""
    which, shown = ("none", "are empty") if kept == 0 else (f"the first {kept}", f"show those {kept}")
    return (
        f'<p class="note">Per-event tables were kept for {which} of the {n} replications (<code>--detail-reps '
        f"{kept}</code>), so the SSC backlog and threshold-crossing charts {shown}; every other chart and the "
        "headline cover all replications.</p>"
    )


def _charts_html(rs: ResultSet, folder: str, drawn_in: Path) -> str:
    n = rs.manifest["replications"]
    kept = rs.manifest.get("detail_replications", n)  # result sets from before --detail-reps kept every replication
    written = charts.draw_all(
        rs.tables, drawn_in, rs.name, rs.regimes, rs.price_base, charts.detail_label(kept, n), rs.baselines, kept
    )
    parts = [_detail_note(kept, n)]
    for name, png in written.items():
        data = base64.b64encode(png.read_bytes()).decode("ascii")
        caption = chart_style.caption(getattr(charts, name))
        parts.append(
            f'<figure id="chart-{name}"><img alt="{_e(caption.split(". ")[0].replace("``", ""))}" src="data:image/png;base64,{data}">'
            f"<figcaption>{_prose(caption)} (Also <code>{folder}/{name}.svg</code>.)"
            "</figcaption></figure>"
        )
    return "\n".join(parts)


def _parameters_html(rs: ResultSet) -> str:
    params = parameters(rs.scenario)
    rows = [
        [
            _e(p.key),
            _e(p.value),
            "default" if p.is_default else "no default" if p.default is None else f"set (default {_e(p.default)})",
            _e(", ".join(SOURCES[s] for s in p.sources) or ("—" if p.is_default else "the scenario file's comments")),
            _prose(p.doc or "—"),
        ]
        for p in params
    ]
    legend = "; ".join(f"{k} = {v}" for k, v in SOURCES.items())
    installed, ran = git_commit(), str(rs.manifest.get("git_commit", "unknown"))
    provenance = (
        ""
        if installed == ran and not installed.endswith("+dirty")
        else f" Defaults and meanings are those of the installed secsim (commit {_e(installed)}); the run was made "
        f"at commit {_e(ran)}, whose defaults may differ."
    )
    return (
        f'<h3>Scenario parameters</h3><p class="note">Every input of <code>scenario.json</code>; rows at their '
        f"default are grey. Source tags: {legend} (the sources themselves: CALIBRATION.md's source key); a value the "
        f"scenario sets where the schema cites nothing is sourced in the scenario file's comments.{provenance}</p>"
        + _table(
            ["parameter", "value", "default?", "source", "meaning and source (CALIBRATION.md key)"],
            rows,
            "parameters",
            row_classes=["default" if p.is_default else "" for p in params],
        )
    )


def _industry_html(rs: ResultSet) -> str:
    parties = rs.scenario.get("parties", [])
    rows = [
        [
            _e(p["id"]),
            _e(p["role"]),
            _e(render(p.get("premises", 0), grouped=True)),
            _e(render(p.get("non_domestic_premises", 0), grouped=True)),
            _e(p.get("srp") or "—"),
            _e(p.get("entry") or "scenario start"),
            _e(p.get("exit") or "—"),
        ]
        for p in parties
    ]
    if not parties:
        return (
            '<h3>Industry</h3><p class="note">The scenario lists no parties: every party is drawn from the population '
            "parameters above, afresh in each replication (<code>population.*</code>).</p>"
        )
    return (
        f'<h3>Industry</h3><p class="note">{len(parties)} parties listed in the scenario (own premises per party; '
        "an SRP's are its active clients' sum).</p>"
        + _table(["id", "role", "premises", "non-domestic premises", "SRP", "entry", "exit"], rows, "parties")
    )


def _from(row: pd.Series) -> str:
    """When a value is in force from, and by which event where its change names its own (``moment``)."""
    day = "always" if str(row["from"]) <= "1900-01-01" else str(row["from"])
    moment = row.get("moment")
    return f"{day}, by {moment}" if isinstance(moment, str) and moment else day


def _regimes_html(rs: ResultSet) -> str:
    rows = [[_e(r.regime), _e(r.parameter), _e(_from(r)), _e(r.value), _e(r.ref)] for _, r in rs.tables["regimes"].iterrows()]
    lineage = "".join(
        f"<li><b>{_e(r['name'])}</b>: {_e(r.get('title', ''))} (built from {_e(' → '.join(r.get('lineage', [])))})</li>"
        for r in rs.manifest["regimes"]
    )
    return (
        f"<h3>Regimes in force</h3><ul>{lineage}</ul><details><summary>Every dated parameter value with its SEC "
        f"reference (<code>regimes.csv</code>, {len(rows)} rows)</summary>"
        + _table(["regime", "parameter", "from", "value", "reference"], rows, "regimes")
        + "</details>"
    )


def _stress_html(rs: ResultSet) -> str:
    items = checklist(rs)
    parts = [
        '<p class="note">Monks, Currie, Onggo, Robinson, Kunc and Taylor (2019), "Strengthening the reporting of '
        'empirical simulation studies: introducing the STRESS guidelines", <i>Journal of Simulation</i> 13(1):55–67, '
        "doi:10.1080/17477778.2018.1442155. STRESS-DES, every item, answered from this run.</p>"
    ]
    for k, section in enumerate(SECTIONS, start=1):
        rows = [[_e(i.number), _e(i.title), _e(i.answer)] for i in items if i.section == section]
        parts.append(f'<h3 id="stress-{k}">{k}. {_e(section)}</h3>' + _table(["item", "", "answer"], rows))
    return "\n".join(parts)


def _question_html(rs: ResultSet) -> str:
    m = rs.manifest
    description = rs.scenario.get("description") or "(the scenario gives no description)"
    regimes = ", ".join(f"<b>{_e(r)}</b>" for r in rs.regimes)
    mode = "deterministic (fixed durations, every status Approved)" if m["deterministic"] else "stochastic"
    declared = [r if isinstance(r, str) else r.get("name", "") for r in rs.scenario.get("regimes", [])]
    if declared and declared != rs.regimes:
        description += (
            f" (This run compares {', '.join(rs.regimes)} only, chosen with --regimes; the scenario declares "
            f"{', '.join(declared)}.)"
        )
    against = (
        "the first being the baseline"
        if all(rs.baselines[r] == rs.regimes[0] for r in rs.compared)
        else "each compared with its baseline: " + "; ".join(f"{_e(r)} with {_e(rs.baselines[r])}" for r in rs.compared)
    )
    changed = "".join(
        f"<li><code>{_e(o['option'])} {_e(o['path'])}</code>: {_e(as_written(o['value']))} ("
        + (
            "not in the scenario file: its default"
            if o["scenario_file_value"] is None
            else f"the scenario file: {_e(as_written(o['scenario_file_value']))}"
        )
        + ")</li>"
        for o in m.get("overrides", [])
    )
    overrides = f"<p>Changed on the command line (<code>secsim run</code>):</p><ul>{changed}</ul>" if changed else ""
    period = f" This report covers {rs.period[0]} to {rs.period[1]} of it." if rs.period else ""
    return (
        f"<p>{_e(description)}</p><p>Horizon {_e(m['start'])} to {_e(m['end'])} (exclusive).{period} Regimes {regimes}, "
        f"{against}; {_e(m['replications'])} replication(s) per regime, seed {_e(m['seed'])}, {mode}.</p>"
        + overrides
        + _readings_html(rs)
    )


def _readings_html(rs: ResultSet) -> str:
    """The readings of open questions the result rests on (DOMAIN.md 5, 6), from the manifest."""
    readings = rs.manifest.get("readings")
    if not readings:
        return ""
    lines = render_readings(readings, rs.manifest["start"]).splitlines()
    items = "".join(f"<li>{_e(line.strip())}</li>" for line in lines[1:])
    return (
        f'<p class="note">The readings this result rests on: what the SEC leaves open, read one way (a scenario\'s '
        f"<code>readings</code> chooses another; docs/explanation/readings.md).</p><ul>{items}</ul>"
    )


def html_page(rs: ResultSet, chart_folder: str = CHART_FOLDER, drawn_in: Path | None = None) -> str:
    """The whole report as one HTML string (its charts written into ``drawn_in``, by default ``chart_folder`` of the
    result folder, and cited there)."""
    m = rs.manifest
    payers = rs.tables["payers"] if "payers" in rs.tables else sub_period.payers(rs)
    sections = [
        ("answer", "The answer", answer_html(rs, payers)),
        ("question", "The question", _question_html(rs)),
        (
            "headline-section",
            "Headline: per regime, the paired change, and who pays",
            _headline_html(rs) + payers_html(rs, payers, _table),
        ),
        (
            "charts",
            "Charts",
            _charts_html(
                dataclasses.replace(rs, tables={**rs.tables, "payers": payers}),
                chart_folder,
                drawn_in or rs.folder / chart_folder,
            ),
        ),
        ("assumptions", "Assumptions and their sources", _parameters_html(rs) + _industry_html(rs) + _regimes_html(rs)),
        ("stress-des", "STRESS-DES checklist", _stress_html(rs)),
    ]
    nav = "".join(f'<li><a href="#{ident}">{_e(title)}</a></li>' for ident, title, _ in sections)
    years = f" ({rs.period[0]}–{rs.period[1]})" if rs.period else ""
    body = [
        f'<header><h1>{_e(rs.name)}{years}</h1><p class="meta">secsim report of the result set <code>{_e(rs.folder)}</code>: '
        f"run {_e(m.get('created_utc', '(time not recorded)'))} at commit {_e(m.get('git_commit', 'unknown'))}; report "
        f"written {dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()} by secsim {__version__}.</p>"
        f"<nav><ol>{nav}</ol></nav></header>"
    ]
    body += [
        f'<section id="{ident}"><h2>{k}. {_e(title)}</h2>{content}</section>'
        for k, (ident, title, content) in enumerate(sections, start=1)
    ]
    return PAGE.substitute(title=_e(f"{rs.name}: secsim report"), body="\n".join(body))


def write_report(folder: str | Path, period: tuple[int | None, int | None] | None = None) -> Path:
    """Write ``report.html`` (and the chart files) into a result folder; return the report's path. With ``period``
    (first and last year, either None for the horizon's own), ``report-FROM-TO.html`` and ``charts-FROM-TO/`` for
    those years, from the tables already written."""
    with writing_into(Path(folder)):  # a run replacing the folder meanwhile is refused, or refuses this, in one line
        rs = load(folder)
        report, chart_folder = REPORT_NAME, CHART_FOLDER
        if period is not None:
            years = chosen(rs.tables["yearly"], period[0], period[1], str(folder))
            rs = sub_period.restricted(rs, years)
            report, chart_folder = f"report-{period_name(years)}.html", f"{CHART_FOLDER}-{period_name(years)}"
        return publish(rs.folder, report, chart_folder, lambda drawn_in: html_page(rs, chart_folder, drawn_in))
