"""The report's first screen: the answer in words, computed from the numbers, and who pays, per regime and as the
paired change with its interval (``payers.csv``), money in £m or £k, one sign convention stated."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pandas as pd

from ..analysis.conclusion import SIGN_WORDS, conclusion
from ..analysis.money import MINUS, pounds
from ..analysis.payers import LABELS, TITLES
from ..core.distributions import parse_duration
from ..results.result_set import ResultSet
from .formatting import change

_NEGATIVE = re.compile(r"(?<![^\s(\[])-(?=[£\d])")
"""A hyphen that is a minus sign: before a number or £, and after a space, "(" or "[" or at the start, never inside a
name (``sec-history``, a variant named ``v.-12``)."""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _change(row: pd.Series) -> str:
    return change(float(row.diff_mean), float(row.diff_ci_low), float(row.diff_ci_high), "£")


def period_of(rs: ResultSet) -> tuple[int, int]:
    """The calendar years the report covers: its period, or the horizon's years."""
    return rs.period or (int(rs.tables["yearly"].year.min()), int(rs.tables["yearly"].year.max()))


def value_readings(scenario: dict) -> str:
    """The readings in the scenario's values an SRP's costs rest on (readings.md, its second table), in a sentence;
    "" for a scenario without SRPs. The regimes' readings are said by ``readings_sentence``."""
    parties, population = scenario.get("parties") or [], scenario.get("population") or {}
    if not any(p.get("role") == "srp" for p in parties) and not (population.get("srps") or {}).get("count"):
        return ""
    durations = scenario.get("durations") or {}
    own = "as any User's" if durations.get("srp_own_fieldwork_days") is None else "as durations.srp_own_fieldwork_days sets it"
    part = durations.get("srp_scope_days") or {}
    by_type = any(part.get(kind) != part.get("full") for kind in ("verification", "self"))
    sized = "by the client's assessment type" if by_type else "as a Full's in every client's assessment"
    writing = (durations.get("srp_scope_report_days") or {}).values()
    written = (
        "with report writing of its own (durations.srp_scope_report_days)"
        if any(parse_duration(days).mean > 0 for days in writing)
        else "with no report writing of its own"
    )
    srps = (population.get("srps") or {}).get("count")
    shared = (
        f" The generated industry's {srps} SRP{'' if srps == 1 else 's'} (population.srps, an estimate) decide too whether "
        "SRPs gain: the fewer Users an SRP has, the more its own assessment costs it against its part in theirs."
        if srps
        else ""
    )
    return (
        f"It rests too on three readings in the scenario's values: an SRP's own assessment sized {own}, and its part in a "
        f"client's assessment (before SECMP0044, or where a client cannot rely on its SRP) sized {sized} and {written}; "
        f"docs/explanation/readings.md gives the answer under the others.{shared}"
    )


def answer_html(rs: ResultSet, payers: pd.DataFrame) -> str:
    """The conclusion's paragraphs, the sign convention and, for a period, which years it covers."""
    manifest = rs.manifest
    paragraphs = conclusion(
        rs.tables["summary"], payers, period_of(rs), manifest.get("readings"), manifest["start"], manifest["end"]
    )
    if paragraphs and (values := value_readings(rs.scenario)):
        paragraphs[-1] += " " + values
    body = ""
    for paragraph in paragraphs:
        lead, stop, rest = _NEGATIVE.sub(MINUS, paragraph).partition(". ")
        body += f"<p><b>{_e(lead + stop.strip())}</b> {_e(rest)}</p>" if rest else f"<p>{_e(paragraph)}</p>"
    covers = ""
    if rs.period:
        covers = (
            f" This report covers {rs.period[0]} to {rs.period[1]} of a run from {_e(rs.manifest['start'])} to "
            f"{_e(rs.manifest['end'])} (exclusive), from the tables it wrote (<code>secsim report --from --to</code>)."
        )
    money = f" Money is in {_e(rs.price_base)}, undiscounted (the headline table gives present values too)."
    return f'<div id="conclusion">{body}</div><p class="note">{_e(SIGN_WORDS)}{money}{covers}</p>'


def payers_html(rs: ResultSet, payers: pd.DataFrame, table: Callable[..., str]) -> str:
    """Who pays: per grouping a table of each group's mean cost per regime and its change [95 % CI] (``table`` is the
    page's table builder)."""
    if payers.empty:
        return '<p class="note">No cost rows in this result set.</p>'
    n = int(rs.manifest["replications"])
    kept = int(rs.manifest.get("detail_replications", n))
    parts = []
    for grouping, part in payers.groupby("grouping", sort=False):
        cell = part.set_index(["group", "regime"])
        groups = list(dict.fromkeys(part.group))
        header = [
            "paid",
            *(f"{_e(r)}<br>mean" for r in rs.regimes),
            *(f"{_e(r)} − {_e(rs.baselines[r])}<br>change [95 % CI]" for r in rs.compared),
        ]
        rows = [
            [
                _e(LABELS.get(g, g)),
                *(_e(pounds(cell.loc[(g, r), "mean"], minus=MINUS)) if (g, r) in cell.index else "—" for r in rs.regimes),
                *(_e(_change(cell.loc[(g, r)])) if (g, r) in cell.index else "—" for r in rs.compared),
            ]
            for g in groups
        ]
        covers = (
            f" From the first {kept} of the {n} replications, which kept per-event tables (<code>--detail-reps {kept}</code>)."
            if grouping == "size" and kept < n
            else ""
        )
        parts.append(f"<h3>Cost {_e(TITLES[grouping])}</h3>" + table(header, rows, f"payers-{grouping}", numeric_from=1))
        parts.append(
            f'<p class="note">Mean over the replications per regime, and the paired change from the baseline. '
            f"The groups sum to the whole cost in every replication (<code>payers.csv</code>).{covers}</p>"
        )
    return "".join(parts)
