"""Threshold crossings (DOMAIN.md 5.7): when a party's counted premises move it across 250,000.

Premises are step functions, so crossings are found exactly at their steps (and at regime
changes, which can move the count basis or the threshold), outside the event loop.
"""

from __future__ import annotations

from collections.abc import Callable

from .industry import Industry
from .rules import Snapshot


def threshold_crossings(
    industry: Industry,
    rules_at: Callable[[float], Snapshot],
    change_days: list[float],
    horizon: float,
) -> list[tuple[str, str, float, str, int, int, str, str]]:
    """Every band change after entry: (party, role, day, basis, counted, threshold, band_from, band_to).

    Covers each User's own count and, under the old regime, its SRP's aggregate (the basis
    says which); an SRP's own band only while it has an assessment of its own (SECMP0044 (a)).
    """
    out = []
    for actor in industry.actors.values():
        if actor.role == "other":
            continue
        end = min(horizon, actor.exit_day)
        days = sorted({d for d in (*industry.breakpoints(actor), *change_days) if actor.entry_day <= d < end})
        previous: str | None = None
        for day in days:
            rules = rules_at(day)
            if actor.role == "srp" and not rules.srp_own_assessment:
                previous = None
                continue
            _, counted, band, basis = industry.count(actor, day, rules)
            if previous is not None and band != previous:
                out.append((actor.id, actor.role, day, basis, counted, rules.threshold, previous, band))
            previous = band
    return out
