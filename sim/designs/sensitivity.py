"""Sensitivity analysis: which of a scenario's uncertain parameters drive its results (SALib).

A scenario declares ``uncertain: [{path, low, high}]``. Morris elementary effects screen the
parameters cheaply; Sobol' indices apportion the variance. Each sample point is the scenario
run for N replications under every regime, with common random numbers across points as well
as regimes, so an effect belongs to the parameter rather than to sampling noise. For every
horizon metric two kinds of output are analysed: each regime's mean, and each regime's mean
paired difference from the baseline. Indices carry SALib's bootstrap 95 % confidence
half-widths; ``rank`` 1 is the most influential parameter for that output.
"""

from __future__ import annotations

import math
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze, sobol as sobol_analyze
from SALib.sample import morris as morris_sample, sobol as sobol_sample

from ..analysis.summary import CONFIDENCE
from ..core.errors import InputError
from ..experiment.runner import open_runner
from ..inputs.overrides import number_kind
from ..inputs.scenario import Scenario, as_data
from ..results.output import csv, staged, write_json
from .sweep import MOST_POINTS, Parameter, RunSettings, check_points, design_manifest, run_points

METHODS = ("morris", "sobol")
INDEX_COLUMNS = ["method", "metric", "regime", "output", "parameter", "index", "value", "ci_half_width", "rank"]
RANKED_BY = {"morris": "mu_star", "sobol": "ST"}
_LEVELS = 4
"""Morris grid levels: with a whole-number range of 4 values, every level is one of them."""
_RESAMPLES = 1000


def problem(scenario: Scenario) -> dict[str, Any]:
    """SALib's problem: the scenario's uncertain parameters and their ranges."""
    if not scenario.uncertain:
        raise InputError(
            f"{scenario.name}: uncertain: expected at least one parameter [{{path, low, high}}] to analyse, got none"
        )
    return {
        "num_vars": len(scenario.uncertain),
        "names": [u.path for u in scenario.uncertain],
        "bounds": [[u.low, u.high] for u in scenario.uncertain],
    }


def sample(spec: dict[str, Any], method: str, n: int, seed: int) -> np.ndarray:
    """The sample matrix: ``n`` Morris trajectories, or Sobol' base samples (a power of 2) without second order."""
    if method not in METHODS:
        raise InputError(f"--method: expected one of {', '.join(METHODS)}, got {method!r}")
    k = spec["num_vars"]
    per = k + 1 if method == "morris" else k + 2  # a trajectory's points; a base sample's, without second order
    if n * per > MOST_POINTS:  # counted before any is drawn: 458,752 were drawn and checked one by one, silently
        raise InputError(
            f"--n: expected at most {MOST_POINTS:,} samples in all, got {n * per:,} ({n:,} x {per}, for {k} uncertain "
            "parameters); ask for fewer"
        )
    if method == "morris":
        return morris_sample.sample(spec, n, num_levels=_LEVELS, seed=seed)
    if n & (n - 1):
        raise InputError(f"--n: Sobol' sampling needs a power of 2, got {n}")
    return sobol_sample.sample(spec, n, calc_second_order=False, seed=seed)


def points_of(x: np.ndarray, scenario: Scenario, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Sample rows as scenario values; a whole-number parameter takes each whole value in its range with equal chances."""
    parameters = [Parameter(u.path, u.path, low=u.low, high=u.high, kind=number_kind(data, u.path)) for u in scenario.uncertain]
    return [{p.path: p.at((v - p.low) / (p.high - p.low)) for p, v in zip(parameters, row, strict=True)} for row in x]


def indices(spec: dict[str, Any], method: str, x: np.ndarray, y: np.ndarray, seed: int) -> pd.DataFrame:
    """``parameter, index, value, ci_half_width, rank`` for one output."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # a constant output (no late assessments, say) has
        warnings.filterwarnings("ignore", "Constant values encountered")  # undefined indices: NaN or 0, not noise
        if method == "morris":
            found = morris_analyze.analyze(
                spec, x, y, num_resamples=_RESAMPLES, conf_level=CONFIDENCE, num_levels=_LEVELS, seed=seed
            )
            columns = {"mu_star": "mu_star_conf", "sigma": None, "mu": None}
        else:
            found = sobol_analyze.analyze(
                spec, y, calc_second_order=False, num_resamples=_RESAMPLES, conf_level=CONFIDENCE, seed=seed
            )
            columns = {"ST": "ST_conf", "S1": "S1_conf"}
    ranks = pd.Series(np.asarray(found[RANKED_BY[method]], dtype=float)).rank(ascending=False, method="min")
    rows = [
        (
            name,
            index,
            float(found[index][j]),
            float(found[conf][j]) if conf else math.nan,
            int(ranks[j]) if not math.isnan(ranks[j]) else None,
        )
        for index, conf in columns.items()
        for j, name in enumerate(spec["names"])
    ]
    return pd.DataFrame(rows, columns=INDEX_COLUMNS[4:])


def outputs(summary: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    """One point's outputs: (metric, regime, "mean" | "paired_diff") → value."""
    out: dict[tuple[str, str, str], float] = {}
    for row in summary.itertuples():
        out[(row.metric, row.regime, "mean")] = row.mean
        if row.regime != row.baseline:
            out[(row.metric, row.regime, "paired_diff")] = row.diff_mean
    return out


def sensitivity(
    scenario: Scenario, method: str, n: int, out: Path, settings: RunSettings, scenario_file: str | None = None
) -> dict[str, Any]:
    """Sample, run every point, analyse every output; write ``indices.csv``, ``samples.csv`` and a manifest, atomically."""
    began = time.perf_counter()
    data = as_data(scenario)
    seed, replications = settings.resolved(scenario)
    spec = problem(scenario)
    x = sample(spec, method, n, seed)
    points = points_of(x, scenario, data)
    check_points(data, points, "sensitivity")
    total = len(points) * replications * len(scenario.regimes)
    with open_runner(settings.executor, settings.cache, settings.progress, total, f"{scenario.name} {method}") as runner:
        y = [outputs(point.summary) for point in run_points(data, points, seed, replications, runner, "sensitivity")]
        stats = runner.stats()
    names = list(y[0])
    parts = [
        indices(spec, method, x, np.array([row[key] for row in y], dtype=float), seed).assign(
            method=method, metric=key[0], regime=key[1], output=key[2]
        )
        for key in names
    ]
    table = pd.concat(parts, ignore_index=True)[INDEX_COLUMNS]
    samples = pd.DataFrame(
        [{"sample": i, **p, **{":".join(k): row[k] for k in names}} for i, (p, row) in enumerate(zip(points, y, strict=True))]
    )
    with staged(out) as staging:
        csv(table, staging / "indices.csv")
        csv(samples, staging / "samples.csv")
        specific = {
            "kind": "sensitivity",
            "method": method,
            "n": n,
            "samples": len(points),
            "uncertain": [u.model_dump() for u in scenario.uncertain],
        }
        counts = {"indices": len(table), "samples": len(samples)}
        write_json(
            design_manifest(scenario, scenario_file, specific, (seed, replications), began, counts, stats),
            staging / "manifest.json",
        )
    return {"out": Path(out), "indices": table, "samples": len(points), "runs": total, **stats}
