"""Calibration: the public figures a generated GB population must reproduce, and how the model measures them.

Each target is a dated public figure with its source (CALIBRATION.md); the measure reads a
drawn industry only (no simulation needed), so the check is cheap enough for the test suite.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .industry import Industry
from .industry import build as build_industry
from .model import timeline_of
from .scenario import Scenario, load
from .smart import smets_split
from .streams import Streams


@dataclass(frozen=True)
class Target:
    metric: str
    date: dt.date
    figure: float
    source: str
    tolerance: float
    """Allowed relative error of the model's median (absolute for counts below 30)."""


TARGETS: tuple[Target, ...] = (
    Target("dcc_smets2_meters", dt.date(2019, 5, 21), 1.0e6, "C7: 1m SMETS2 on the DCC", 0.30),
    Target("dcc_meters", dt.date(2020, 4, 30), 4.33e6, "C1: DCC-connected total Apr 2020", 0.20),
    Target("dcc_meters", dt.date(2021, 3, 31), 11.0e6, "C1: 7.17m SMETS2 + 3.87m SMETS1", 0.20),
    Target("dcc_meters", dt.date(2021, 11, 30), 16.3e6, "C1/B12: 16.3m Nov 2021", 0.20),
    Target("dcc_smets2_meters", dt.date(2022, 12, 31), 14.8e6, "B4: SMETS2 stock end-2022", 0.20),
    Target("dcc_smets2_meters", dt.date(2023, 12, 31), 18.9e6, "B5: SMETS2 stock end-2023", 0.20),
    Target("dcc_smets2_meters", dt.date(2024, 8, 31), 20.0e6, "C7: over 20m SMETS2 Aug 2024", 0.20),
    Target("active_suppliers", dt.date(2017, 12, 31), 68, "D1: Dec 2017", 0.15),
    Target("active_suppliers", dt.date(2018, 12, 31), 62, "D2: Dec 2018", 0.15),
    Target("active_suppliers", dt.date(2019, 12, 31), 58, "D2: 2019, 8 entries and 12 exits", 0.15),
    Target("active_suppliers", dt.date(2020, 12, 31), 47, "D5: start of 2021", 0.15),
    Target("active_suppliers", dt.date(2021, 12, 31), 26, "D3: Q4 2021", 0.20),
    Target("active_suppliers", dt.date(2022, 12, 31), 23, "D3: Q1 2022 24, Q4 2023 22", 0.25),
    Target("active_suppliers", dt.date(2023, 12, 31), 22, "D3: Q4 2023", 0.25),
    Target("active_suppliers", dt.date(2024, 6, 30), 21, "D3: Q2/Q3 2024", 0.25),
    Target("suppliers_250k_customers", dt.date(2019, 6, 30), 14, "B11: BEIS Q2 2019 release", 0.25),
    Target("suppliers_250k_customers", dt.date(2020, 3, 31), 16, "B8: BEIS Q1 2020 release", 0.25),
    Target("suppliers_250k_customers", dt.date(2021, 3, 31), 14, "BEIS Q1 2021 release", 0.25),
)


def measure(industry: Industry, scenario: Scenario, metric: str, on: dt.date) -> float:
    """One industry-level figure on a date."""
    t = industry.timeline
    day = t.day(on)
    suppliers = [a for a in industry.actors.values() if a.role == "supplier" and a.customers is not None
                 and (a.arrival_day or 0.0) <= day < a.exit_day]
    if metric == "active_suppliers":
        return float(len(suppliers))
    if metric == "suppliers_250k_customers":
        return float(sum(1 for a in suppliers if a.customers(day) >= 250_000))  # type: ignore[misc]
    pop = scenario.population
    assert pop is not None
    smets2, smets1 = (x[0] for x in smets_split(pop.smart, t, np.array([day])))
    groups = {g.name: g for g in pop.groups}
    weighted = sum(a.customers(day) * groups[a.group].smart_factor for a in suppliers)  # type: ignore[misc]
    share = smets2 if metric == "dcc_smets2_meters" else smets2 + smets1
    return float(pop.smart.meters_per_premises * weighted * share)


def table(scenario: Scenario, replications: int = 30, seed: int | None = None) -> pd.DataFrame:
    """Model median (and 5-95 % range) over replications against each target."""
    seed = scenario.seed if seed is None else seed
    industries = [build_industry(scenario, timeline_of(scenario), Streams(seed, r)) for r in range(replications)]
    rows = []
    for target in TARGETS:
        values = np.array([measure(ind, scenario, target.metric, target.date) for ind in industries])
        median = float(np.median(values))
        error = abs(median - target.figure) / target.figure
        rows.append({
            "metric": target.metric, "date": target.date.isoformat(), "source_figure": target.figure,
            "model_median": median, "model_p05": float(np.percentile(values, 5)), "model_p95": float(np.percentile(values, 95)),
            "relative_error": round(error, 3), "tolerance": target.tolerance, "within": bool(error <= target.tolerance),
            "source": target.source,
        })
    return pd.DataFrame(rows)


if __name__ == "__main__":  # python -m sim.calibration scenarios/gb-baseline.yaml [replications]
    frame = table(load(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 30)
    print(frame.to_string(index=False, float_format=lambda v: f"{v:,.3g}"))
