"""What each reading of the 250,000 test counts for a party, from the market's smart-meter curves.

The seed's footnote counts "Domestic Premises supplied ... through one or more Smart Metering
Systems"; what that meant in practice is an open question (DOMAIN.md 6), so every reading is
carried (``sim.law.rules.MEASURES``) and the regime says which is in force:

- ``customers``: every domestic premises the party supplies (or serves);
- ``smart_premises``: premises with any smart meter, SMETS1 installed or SMETS2;
- ``dcc_premises``: premises with a meter on the DCC: SMETS2 (DCC-connected once installed) and
  SMETS1 only after its cohort's enrolment and adoption (seed s.7 'Further Discussions');
- ``dcc_devices``: smart meter devices on the DCC (SECAS, Sep 2019, CALIBRATION.md A22):
  ``dcc_premises`` times the meters per premises.

Shares are market-wide curves read from the scenario, times a party group's ``smart_factor``
(small suppliers installed later), clipped to [0, 1].
"""

from __future__ import annotations

import numpy as np

from ..core.timeline import Timeline
from ..inputs.population_spec import SmartSpec


def _curve(points: dict, timeline: Timeline, days: np.ndarray) -> np.ndarray:
    """A dated share, linear between its dates, zero before the first and flat after the last."""
    ordered = sorted(points.items())
    xs = np.array([timeline.day(d) for d, _ in ordered])
    ys = np.array([v for _, v in ordered])
    return np.interp(days, xs, ys, left=0.0, right=ys[-1])


def smets1_on_dcc(spec: SmartSpec, timeline: Timeline, days: np.ndarray) -> np.ndarray:
    """Share of premises whose SMETS1 meter has been enrolled and adopted into the DCC, cohort by cohort [C C5]."""
    progress = np.zeros_like(days, dtype=float)
    for cohort in spec.smets1_cohorts:
        lo, hi = timeline.day(cohort.start), timeline.day(cohort.end)
        progress += cohort.share * np.clip((days - lo) / max(hi - lo, 1.0), 0.0, 1.0)
    return progress * _curve(spec.smets1_installed, timeline, days) * spec.smets1_adopted_share


def market_shares(spec: SmartSpec, timeline: Timeline, days: np.ndarray) -> dict[str, np.ndarray]:
    """Market-wide share of premises with any smart meter (``smart``), with SMETS2 (``smets2``), and on the DCC (``dcc``)."""
    smets2 = _curve(spec.smets2_share, timeline, days)
    return {
        "smets2": smets2,
        "smart": np.clip(smets2 + _curve(spec.smets1_installed, timeline, days), 0.0, 1.0),
        "dcc": np.clip(smets2 + smets1_on_dcc(spec, timeline, days), 0.0, 1.0),
    }


def counted(
    measure: str, customers: np.ndarray, shares: dict[str, np.ndarray], factor: float | np.ndarray, meters: float
) -> np.ndarray:
    """Parties' counts under ``measure`` from their customers on the days ``shares`` were evaluated on (``factor``:
    their smart factor, one or one per party)."""
    if measure == "customers":
        return customers
    if measure == "smart_premises":
        return customers * np.clip(shares["smart"] * factor, 0.0, 1.0)
    on_dcc = customers * np.clip(shares["dcc"] * factor, 0.0, 1.0)
    return on_dcc * meters if measure == "dcc_devices" else on_dcc
