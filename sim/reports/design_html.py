"""What a design's report pages share: escaping, tables of already-written cells, and the charts written beside
the page as PNG and SVG and embedded in it as base64 PNG (so the page fetches nothing)."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

from . import chart_style

CHART_FOLDER = "charts"
MINUS = "−"
"""Negative numbers on a page carry a true minus sign (U+2212)."""


def esc(value: object) -> str:
    """Text for HTML, quotes too."""
    return html.escape(str(value), quote=True)


def html_table(header: list[str], rows: list[list[str]], ident: str, numeric_from: int = 1) -> str:
    """An HTML table of already-escaped cells, columns from ``numeric_from`` on right-aligned."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{c}</td>' if j >= numeric_from else f"<td>{c}</td>" for j, c in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f'<table id="{ident}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def slug(text: str) -> str:
    """A parameter's path as part of a file name (``parties.SUP-S.copies`` stays as it is)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


class ChartWriter:
    """Writes each chart as PNG and SVG into the folder it is given (``charts/``, or where ``publish`` draws it) and
    gives its HTML figure, image embedded."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder  # where they are drawn; the page cites them in ``charts/``
        self.folder.mkdir(exist_ok=True)

    def figure(self, name: str, fig: Figure, drawn_by: Callable, note: str = "") -> str:
        """Save ``fig`` as ``name``.svg and .png; its HTML figure, captioned by the docstring of ``drawn_by``."""
        fig.savefig(self.folder / f"{name}.svg", metadata={"Date": None})
        fig.savefig(self.folder / f"{name}.png", dpi=110)
        data = base64.b64encode((self.folder / f"{name}.png").read_bytes()).decode("ascii")
        caption = chart_style.caption(drawn_by).replace("``", "")
        return (
            f'<figure id="chart-{esc(name)}"><img alt="{esc(caption.split(".")[0])}" src="data:image/png;base64,{data}">'
            f"<figcaption>{esc(caption)}{(' ' + esc(note)) if note else ''} (Also <code>{CHART_FOLDER}/{esc(name)}.svg</code>.)"
            "</figcaption></figure>"
        )


def value_text(value: object) -> str:
    """A parameter's value as a user wrote it: ``1500`` rather than ``1500.0``."""
    return f"{value:g}" if isinstance(value, float) else str(value)
