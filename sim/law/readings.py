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
        out[r.name]["own_moments"] = own_moments(r, start)
    return out


def own_moments(regime: Regime, start: dt.date | None = None) -> list[dict[str, Any]]:
    """The changes that name the event putting an assessment under them (``Entry.moment``, e.g. SCF v1.16 "for
    bookings from 1 Aug 2019"), whatever ``transition_moment`` says: ``{from, moment, parameters}`` by date. With
    ``start``, only those after it: every assessment of a horizon is booked after a change before it, so reached by
    either moment."""
    found: dict[tuple[str, str], list[str]] = {}
    for parameter, entries in sorted(regime.timeline.items()):
        for e in entries:
            if e.moment is not None and (start is None or e.date > start):
                found.setdefault((e.date.isoformat(), e.moment), []).append(parameter)
    return [{"from": day, "moment": moment, "parameters": names} for (day, moment), names in sorted(found.items())]


def describe_own_moments(changes: list[dict[str, Any]]) -> str:
    """``, but by booking its change of 2019-08-01 to due_anchor, due_months``: what a regime reads apart from its
    moment (said with commas, as the regimes holding it are set apart by semicolons)."""
    return "".join(f", but by {c['moment']} its change of {c['from']} to {', '.join(c['parameters'])}" for c in changes)


def describe_reading(values: list[dict[str, Any]], start: str) -> str:
    """``customers (a reading), dcc_devices from 2019-09-26``: one reading parameter's values over a horizon."""
    parts = []
    for v in values:
        text = f"{v['value']}" + (" (a reading)" if v["reading"] else "")
        parts.append(text if v["from"] <= start else f"{text} from {v['from']}")
    return ", ".join(parts)
