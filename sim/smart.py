"""The share of a party's premises counted by the SEC test: smart meters in smart mode on the DCC.

SMETS2 meters count once installed (they are DCC-connected); SMETS1 meters count only after
their cohort's enrolment and adoption into the DCC (seed s.7 'Further Discussions';
CALIBRATION.md 6). Both are shares of domestic premises, market-wide curves read from the
scenario, times a party group's ``smart_factor`` (small suppliers installed later).
"""

from __future__ import annotations

import numpy as np

from .population_spec import SmartSpec
from .timeline import Timeline


def smart_share(spec: SmartSpec, timeline: Timeline, days: np.ndarray, factor: float = 1.0) -> np.ndarray:
    """Share of premises with a smart meter on the DCC on each model day (clipped to [0, 1])."""
    points = sorted(spec.smets2_share.items())
    xs = np.array([timeline.day(d) for d, _ in points])
    ys = np.array([v for _, v in points])
    smets2 = np.interp(days, xs, ys, left=0.0, right=ys[-1])
    smets1 = np.zeros_like(days, dtype=float)
    for cohort in spec.smets1_cohorts:
        lo, hi = timeline.day(cohort.start), timeline.day(cohort.end)
        smets1 += cohort.share * np.clip((days - lo) / max(hi - lo, 1.0), 0.0, 1.0)
    smets1 *= spec.smets1_installed_share * spec.smets1_adopted_share
    return np.clip(factor * (smets2 + smets1), 0.0, 1.0)


def smets_split(spec: SmartSpec, timeline: Timeline, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Market-wide (SMETS2, SMETS1-on-DCC) shares of premises, for calibration against DCC counts."""
    smets2 = smart_share(spec.model_copy(update={"smets1_cohorts": []}), timeline, days)
    return smets2, smart_share(spec, timeline, days) - smets2
