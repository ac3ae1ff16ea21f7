"""Replications × regimes with common random numbers: the pure replication function and a serial map.

``run_replication`` is a pure function of (scenario, regime, seed, replication): that is what
lets later executors (process pools, Dask) map it and get identical numbers.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import pandas as pd
from tqdm import tqdm

from . import scenario as scenario_mod
from .industry import Industry
from .industry import build as build_industry
from .model import simulate, timeline_of
from .regime import Regime
from .scenario import Scenario
from .summary import summarise
from .tables import TABLES, frames, replication_rows


def run_replication(
    scenario: Scenario, regime: Regime, seed: int, replication: int, industry: Industry | None = None
) -> dict[str, list[tuple]]:
    """All table rows of one replication of one regime."""
    records, model = simulate(scenario, regime, seed, replication, industry)
    return replication_rows(regime.name, replication, records, model)


@dataclass
class RunResult:
    """What ``secsim run`` produces, before it is written."""

    scenario: Scenario
    regimes: list[Regime]
    seed: int
    replications: int
    tables: dict[str, pd.DataFrame]
    summary: pd.DataFrame
    wall_seconds: float
    extra: dict[str, object] = field(default_factory=dict)


def run(scenario: Scenario, seed: int | None = None, replications: int | None = None, progress: bool | None = None) -> RunResult:
    """Run every regime of a scenario for N replications (replication r of each regime shares its draws)."""
    began = time.perf_counter()
    seed = scenario.seed if seed is None else seed
    replications = scenario.replications if replications is None else replications
    regimes = scenario_mod.regimes(scenario)
    industry = build_industry(scenario, timeline_of(scenario))
    rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
    tasks = [(r, regime) for r in range(replications) for regime in regimes]
    show = sys.stderr.isatty() if progress is None else progress
    for replication, regime in tqdm(tasks, desc=scenario.name, unit="run", disable=not show, leave=False):
        for name, part in run_replication(scenario, regime, seed, replication, industry).items():
            rows[name].extend(part)
    tables = frames(rows)
    summary = summarise(tables["yearly"], [r.name for r in regimes])
    return RunResult(scenario, regimes, seed, replications, tables, summary, time.perf_counter() - began)
