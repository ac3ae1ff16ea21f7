"""Threshold crossings (DOMAIN.md 5.7): when a party's counted premises move it across 250,000.

Premises are step functions, so crossings are found exactly at their steps (and at regime
changes, which can move the count basis, the reading counted or the threshold), outside the event loop: each
party's counted premises and band are evaluated on all its breakpoints at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..industry.parties import Industry, in_aggregate
from ..law.rules import Snapshot


def threshold_crossings(
    industry: Industry,
    rules_at: Callable[[float], Snapshot],
    change_days: list[float],
    horizon: float,
) -> list[tuple[str, str, float, str, int, int, str, str, str, str]]:
    """Every band change after entry: (party, role, day, basis, counted, threshold, band_from, band_to, measure, and whose
    premises an SRP's aggregate sums: ``aggregate_of``).

    Covers each User's own count and, under the old regime, its SRP's aggregate (the basis
    says which); an SRP's own band only while it has an assessment of its own (SECMP0044 (a)).
    """
    out = []
    starts = np.array(sorted(change_days)) if change_days else np.array([-np.inf])
    snapshots = [rules_at(d) for d in starts]
    measure = np.array([r.count_measure for r in snapshots])
    readings = sorted({(r.count_measure, r.aggregate_of) for r in snapshots})  # what is counted, and whose aggregate
    reading = np.array([readings.index((r.count_measure, r.aggregate_of)) for r in snapshots])
    threshold = np.array([r.threshold for r in snapshots])
    non_domestic_threshold = np.array(
        [np.inf if r.non_domestic_threshold is None else r.non_domestic_threshold for r in snapshots]
    )
    aggregate_basis = np.array([r.count_basis == "srp_aggregate" for r in snapshots])
    srp_assessed = np.array([r.srp_own_assessment for r in snapshots])
    for actor in industry.actors.values():
        if actor.role == "other":
            continue
        end = min(horizon, actor.exit_day)
        days = np.array(sorted({d for d in (*industry.breakpoints(actor, readings), *change_days) if actor.entry_day <= d < end}))
        if len(days) < 2:
            continue
        regime = (np.searchsorted(starts, days, side="right") - 1).clip(min=0)
        srps = actor.srp_on(days)
        on_srp = np.array([s is not None for s in srps])
        in_force = reading[regime]  # the reading counted on each day
        counted = np.zeros(len(days), dtype=np.int64)
        for k, (m, of) in enumerate(readings):
            counted = np.where(in_force == k, industry.premises(actor, m, of).on(days), counted)
        if actor.role == "srp":  # banded on its aggregate, which is its own premises (SECMP0044 (a), Q3)
            basis = np.ones(len(days), dtype=bool)
        else:  # seed s.2: a Supplier or Network Party on an SRP counts the aggregate; SECMP0044 (d): its own
            basis = on_srp & aggregate_basis[regime]
            for srp in {s for s in srps if s is not None}:
                use = basis & np.array([s == srp for s in srps])
                for k, (m, of) in enumerate(readings):
                    summed = industry.premises(industry.actors[srp], m, of).on(days)
                    if not in_aggregate(actor.role, of):  # a Network Party beside its SRP's Suppliers: its own added
                        summed = summed + industry.premises(actor, m).on(days)
                    counted = np.where(use & (in_force == k), summed, counted)
        large = counted > threshold[regime]
        if actor.role == "supplier":
            large |= actor.non_domestic.on(days) > non_domestic_threshold[regime]
        valid = srp_assessed[regime] if actor.role == "srp" else np.ones(len(days), dtype=bool)
        changed = np.flatnonzero(valid[1:] & valid[:-1] & (large[1:] != large[:-1])) + 1
        for i in changed:
            out.append(
                (
                    actor.id,
                    actor.role,
                    float(days[i]),
                    "srp_aggregate" if basis[i] else "own",
                    int(counted[i]),
                    int(threshold[regime[i]]),
                    "large" if large[i - 1] else "small",
                    "large" if large[i] else "small",
                    str(measure[regime[i]]),
                    readings[in_force[i]][1],
                )
            )
    return out
