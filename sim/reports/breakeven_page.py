"""The break-even's report sections: the answer in words and as a table per case, what moves it most (the swing),
and its charts (``breakeven_charts``, ``design_charts.explained`` for the shipped case)."""

from __future__ import annotations

import pandas as pd

from ..analysis.display import amount, count
from ..designs.folders import DesignSet
from ..designs.printed import describe
from . import breakeven_charts, design_charts
from .design_html import MINUS, ChartWriter, esc, html_table, slug, value_text


def _end(value: float, beyond: str) -> str:
    return beyond if value != value else count(value)


def _swing_text(swing: pd.DataFrame) -> str:
    """The swing in one sentence: the range the break-even keeps over the ends, and what moves it most."""
    if swing.empty:
        return ""
    ends = pd.concat([swing.breakeven_low, swing.breakeven_high])
    out = " (at one end the curve no longer changes sign in the range)" if ends.isna().any() else ""
    top = swing.iloc[0]
    return (
        f" Each uncertain parameter at either end of its range, one at a time, puts it between {count(ends.min())} and "
        f"{count(ends.max())}{out}; {top.parameter} moves it most ({value_text(top.low)} to {value_text(top.high)})."
    )


def breakeven_sections(ds: DesignSet, charts: ChartWriter) -> list[tuple[str, str, str]]:
    """The break-even's sections of its report: (id, title, HTML) each."""
    table, swing, summary = ds.tables["breakeven"], ds.tables["swing"], ds.tables["summary"]
    vary = str(ds.manifest.get("vary", ds.paths[0]))
    metric = str(ds.manifest.get("metric", "cost_gbp"))
    rows = []
    for _, r in table.iterrows():
        banded = r["replications"] > 1
        ci = f"{_end(r['ci_low'], 'below the range')} to {_end(r['ci_high'], 'above the range')}" if banded else "—"
        verb = "saves" if r["direction"] == "falls" else "costs more"
        rows.append(
            [
                esc(r["case"]),
                f"<code>{esc(r['parameter'])}</code> = {esc(value_text(r['parameter_value']))}"
                if r["parameter"]
                else "as shipped",
                esc(f"{r['regime']} − {r['baseline']}"),
                esc(count(r["breakeven"]) if r["breakeven"] == r["breakeven"] else "none in the range"),
                esc(ci),
                esc(f"{verb} from {count(r['first_after'])}" if r["first_after"] == r["first_after"] else "—"),
                esc(amount(metric, r["diff_at_first"], True, MINUS)),
                esc(amount(metric, r["diff_at_last"], True, MINUS)),
            ]
        )
    low, high = count(min(ds.manifest.get("values") or [0])), count(max(ds.manifest.get("values") or [0]))
    header = ["case", "values", "difference", "break-even", "95 % CI", "from the grid value", f"at {low}", f"at {high}"]
    said = "".join(
        f'<p class="reading"><b>{esc(r["regime"])} − {esc(r["baseline"])}</b>, as shipped: {esc(describe(r, MINUS))}.'
        f"{esc(_swing_text(swing[swing.regime == r['regime']]))}</p>"
        for _, r in table[table.case == "shipped"].iterrows()
    )
    answer = (
        said
        + html_table(header, rows, "answer", numeric_from=3)
        + (
            f'<p class="note">Where the mean paired difference of {esc(design_charts.label(metric))} changes sign over '
            f"<code>{esc(vary)}</code>, interpolated linearly between the grid values either side; its 95 % interval is "
            "where the pointwise 95 % band of the difference still holds zero (none with one replication). “From the grid "
            "value”: the first value measured at which the difference has the other sign.</p>"
        )
    )
    swings = [
        [
            esc(s.regime),
            f"<code>{esc(s.parameter)}</code>",
            esc(f"{value_text(s.low)} – {value_text(s.high)}"),
            esc(count(s.breakeven_low)),
            esc(count(s.breakeven_high)),
            esc("out of the range" if s.swing != s.swing else count(s.swing)),
            esc(s.rank),
        ]
        for s in swing.itertuples()
    ]
    moved = (
        html_table(
            ["regime", "parameter", "range", "break-even at low", "at high", "swing", "rank"], swings, "swing", numeric_from=3
        )
        if swings
        else '<p class="note">No uncertain parameters were swung (the scenario declares none, or --no-swing).</p>'
    )
    values = [float(v) for v in ds.manifest.get("values", summary[vary].tolist())]
    shipped = summary[summary.case == "shipped"]
    figures = [
        charts.figure(
            "breakeven", breakeven_charts.breakeven_curve(summary, table, vary, ds.name), breakeven_charts.breakeven_curve
        ),
        charts.figure("swing", breakeven_charts.breakeven_swing(swing, table, values, ds.name), breakeven_charts.breakeven_swing)
        if swings
        else "",
        charts.figure(f"explained-{slug(vary)}", design_charts.explained(shipped, vary, ds.name), design_charts.explained),
    ]
    return [
        ("answer-section", "The break-even", answer),
        ("swing-section", "What moves it most", moved),
        ("charts", "Charts", "\n".join(figures)),
    ]
