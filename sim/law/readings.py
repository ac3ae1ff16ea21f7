"""The readings of open questions a set of regimes holds, as manifests, summaries and reports name them (DOMAIN.md 5, 6)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .parameters import READINGS
from .regime import Regime


def readings_in_force(regimes: list[Regime], start: dt.date | None = None) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Per regime and reading parameter, its values from ``start`` on: ``{from, value, reading}`` (for manifests and reports)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for r in regimes:
        out[r.name] = {}
        for p in READINGS:
            entries = [e for e in r.timeline[p] if start is None or e.date > start]
            if start is not None:
                entries.insert(0, r.entry(p, start))
            out[r.name][p] = [{"from": e.date.isoformat(), "value": e.value, "reading": e.reading} for e in entries]
    return out


def describe_reading(values: list[dict[str, Any]], start: str) -> str:
    """``customers (a reading), dcc_devices from 2019-09-26``: one reading parameter's values over a horizon."""
    parts = []
    for v in values:
        text = f"{v['value']}" + (" (a reading)" if v["reading"] else "")
        parts.append(text if v["from"] <= start else f"{text} from {v['from']}")
    return ", ".join(parts)
