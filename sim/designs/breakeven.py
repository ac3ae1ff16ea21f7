"""Break-even: the value of one parameter at which a regime's paired difference from its baseline changes sign.

``--vary parties.SUP-S.copies=1:12`` names a number of the scenario by dotted path (the number of an SRP's
Small Suppliers, when that party has ``copies``; their size, ``parties.SUP-S.premises``; a cost) and the grid
to measure it on. At each grid value every regime runs on common random numbers, as a sweep's points do
(``sim.designs.sweep``), and the mean paired difference of the metric (default ``cost_gbp``, regime −
baseline: a saving is negative) is a curve over the grid. Its first zero is the break-even, interpolated
between the grid values around it, with the interval its pointwise 95 % band gives (``sim.designs.crossing``).

What moves it: each of the scenario's ``uncertain:`` parameters is set to its low and then its high end, one
at a time with the others at their shipped values, and the break-even is found again (a one-at-a-time swing:
cheap, and it says in the parameter's own terms how far the break-even moves; a variance-based analysis would
need a grid per sample).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.summary import HORIZON_METRICS
from ..core.errors import InputError
from ..experiment.runner import open_runner
from ..inputs.overrides import PathError, lookup, number_kind, varied_kind
from ..inputs.scenario import Scenario, as_data, edited, validate
from ..results.output import csv, staged, write_json
from .crossing import crossing
from .sweep import PointResult, RunSettings, check_points, design_manifest, run_points, write_points

KIND = "breakeven"
"""``manifest.json``'s ``kind`` for a break-even's result set."""
MOST_VALUES = 1000
"""Most grid values one ``--vary`` may ask for."""
BREAKEVEN_COLUMNS = [
    "case",
    "parameter",
    "parameter_value",
    "regime",
    "baseline",
    "metric",
    "vary",
    "replications",
    "crossings",
    "direction",
    "breakeven",
    "ci_low",
    "ci_high",
    "last_before",
    "first_after",
    "diff_at_first",
    "diff_at_last",
]
SWING_COLUMNS = ["regime", "baseline", "metric", "parameter", "low", "high", "breakeven_low", "breakeven_high", "swing", "rank"]


@dataclass(frozen=True)
class Vary:
    """The parameter a break-even varies and the grid of values it is measured at, ascending."""

    text: str
    path: str
    values: tuple[float, ...]


def _number(text: str, source: str, whole: bool) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{source}: expected numbers, got {text!r}") from None
    if not math.isfinite(value) or (whole and not value.is_integer()):
        raise InputError(f"{source}: expected {'whole numbers' if whole else 'finite numbers'}, got {text!r}")
    return value


def parse_vary(text: str, data: dict[str, Any]) -> Vary:
    """Read ``PATH=LOW:HIGH`` (every whole number, for a whole-number path), ``PATH=LOW:HIGH:STEP`` or
    ``PATH=v1,v2,...`` against the scenario's data; every value is validated before anything runs."""
    path, sep, spec = text.partition("=")
    source = f"--vary {text}"
    if not sep or not path or not spec:
        raise InputError(
            f"{source}: expected PATH=LOW:HIGH, PATH=LOW:HIGH:STEP or PATH=v1,v2,..., e.g. parties.SUP-S.copies=1:12"
        )
    try:
        kind = varied_kind(data, path)
    except PathError as exc:
        raise InputError(f"{source}: {exc}") from None
    whole = kind is int
    if ":" in spec:
        parts = [_number(p, source, whole) for p in spec.split(":")]
        if len(parts) == 2 and not whole:
            raise InputError(f"{source}: {path} is not a whole number; give a step, LOW:HIGH:STEP, or the values v1,v2,...")
        if len(parts) not in (2, 3) or not parts[0] < parts[1] or (len(parts) == 3 and not parts[2] > 0):
            raise InputError(f"{source}: expected LOW:HIGH or LOW:HIGH:STEP with LOW < HIGH and STEP > 0, got {spec!r}")
        step = parts[2] if len(parts) == 3 else 1.0
        count = math.floor((parts[1] - parts[0]) / step + 1e-9) + 1
        if count > MOST_VALUES:
            raise InputError(f"{source}: expected at most {MOST_VALUES} values, got {count}; use a larger step")
        values = [parts[0] + k * step for k in range(count)]
    else:
        listed = spec.split(",")
        if len(listed) > MOST_VALUES:
            raise InputError(f"{source}: expected at most {MOST_VALUES} values, got {len(listed)}")
        values = sorted({_number(v, source, whole) for v in listed})
    if len(values) < 2:
        raise InputError(f"{source}: expected at least two values to find a sign change between, got {spec!r}")
    cast = [int(v) if whole else v for v in values]
    for value in cast:
        validate(edited(data, {path: value}), source)
    return Vary(text, path, tuple(cast))


@dataclass(frozen=True)
class Case:
    """The scenario as shipped, or with one uncertain parameter at one end of its range."""

    name: str
    parameter: str = ""
    value: Any = None


def cases(scenario: Scenario, data: dict[str, Any], vary: str, swing: bool) -> list[Case]:
    """``shipped``, then each uncertain parameter at ``low`` and at ``high`` (when ``swing``)."""
    found = [Case("shipped")]
    for u in scenario.uncertain if swing else []:
        if u.path == vary:
            raise InputError(f"--vary {vary}: is also one of the scenario's uncertain parameters; vary another, or --no-swing")
        whole = number_kind(data, u.path) is int
        found += [Case(end, u.path, int(v) if whole else v) for end, v in (("low", u.low), ("high", u.high))]
    return found


def breakeven(
    scenario: Scenario,
    vary_text: str,
    out: Path,
    settings: RunSettings,
    metric: str = "cost_gbp",
    swing: bool = True,
    scenario_file: str | None = None,
) -> dict[str, Any]:
    """Run the grid of every case, find each break-even and write ``design.csv``, ``runs.csv``, ``summary.csv``,
    ``breakeven.csv``, ``swing.csv`` and a manifest into ``out``, atomically."""
    began = time.perf_counter()
    if metric not in HORIZON_METRICS:
        raise InputError(f"--metric: expected one of {', '.join(HORIZON_METRICS)}, got {metric!r}")
    if len(scenario.regimes) < 2:
        raise InputError(
            f"{scenario.name}: regimes: a break-even compares regimes; expected at least two, got {len(scenario.regimes)}"
        )
    data = as_data(scenario)
    vary = parse_vary(vary_text, data)
    seed, replications = settings.resolved(scenario)
    found = cases(scenario, data, vary.path, swing)
    uncertain = list(dict.fromkeys(c.parameter for c in found if c.parameter))
    shipped = {p: lookup(data, p) for p in uncertain}
    points = [{vary.path: v, **shipped, **({c.parameter: c.value} if c.parameter else {})} for c in found for v in vary.values]
    check_points(data, points, KIND)
    paths = [vary.path, *uncertain]
    labels = {
        i: {"case": found[i // len(vary.values)].name, "parameter": found[i // len(vary.values)].parameter}
        for i in range(len(points))
    }
    design = pd.DataFrame(
        [{"point": i, **labels[i], **p} for i, p in enumerate(points)], columns=["point", "case", "parameter", *paths]
    )
    kept: list[pd.DataFrame] = []

    def keep(results: Iterator[PointResult]) -> Iterator[PointResult]:
        for point in results:
            kept.append(point.summary[point.summary.metric == metric].assign(point=point.index))
            yield point

    total = len(points) * replications * len(scenario.regimes)
    with staged(out) as staging:
        csv(design, staging / "design.csv")
        with open_runner(settings.executor, settings.cache, settings.progress, total, f"{scenario.name} {KIND}") as runner:
            counts = write_points(keep(run_points(data, points, seed, replications, runner, KIND)), paths, staging, labels)
            stats = runner.stats()
        curves = pd.concat(kept, ignore_index=True).merge(design, on="point")
        table = breakevens(curves, found, vary.path, metric)
        swings = swing_table(table)
        csv(table, staging / "breakeven.csv")
        csv(swings, staging / "swing.csv")
        specific = {
            "kind": KIND,
            "vary": vary.path,
            "values": list(vary.values),
            "metric": metric,
            "swing": swing,
            "uncertain": [u.model_dump() for u in scenario.uncertain] if swing else [],
            "points": len(points),
        }
        counts = {**counts, "breakeven": len(table), "swing": len(swings)}
        write_json(
            design_manifest(scenario, scenario_file, specific, (seed, replications), began, counts, stats),
            staging / "manifest.json",
        )
    return {"out": Path(out), "vary": vary, "breakeven": table, "swing": swings, "points": len(points), "runs": total, **stats}


def breakevens(curves: pd.DataFrame, found: list[Case], vary: str, metric: str) -> pd.DataFrame:
    """One row per case and compared regime: the first sign change of its curve of ``metric``'s paired difference."""
    rows = []
    for case in found:
        of_case = curves[(curves.case == case.name) & (curves.parameter.fillna("") == case.parameter)]
        for regime, curve in of_case[of_case.regime != of_case.baseline].groupby("regime", sort=False):
            curve = curve.sort_values(vary)
            x = curve[vary].astype(float).tolist()
            c = crossing(x, curve.diff_mean.tolist(), curve.diff_ci_low.tolist(), curve.diff_ci_high.tolist())
            rows.append(
                {
                    "case": case.name,
                    "parameter": case.parameter,
                    "parameter_value": case.value,
                    "regime": regime,
                    "baseline": curve.baseline.iloc[0],
                    "metric": metric,
                    "vary": vary,
                    "replications": int(curve.replications.min()),
                    "crossings": c.crossings,
                    "direction": c.direction,
                    "breakeven": c.breakeven,
                    "ci_low": c.ci_low,
                    "ci_high": c.ci_high,
                    "last_before": c.last_before,
                    "first_after": c.first_after,
                    "diff_at_first": curve.diff_mean.iloc[0],
                    "diff_at_last": curve.diff_mean.iloc[-1],
                }
            )
    return pd.DataFrame(rows, columns=BREAKEVEN_COLUMNS)


def swing_table(table: pd.DataFrame) -> pd.DataFrame:
    """Per compared regime and uncertain parameter: the break-even at its low and high end and how far apart they
    are; rank 1 moves it most (a parameter at whose end the curve no longer changes sign within the grid ranks
    first, its swing empty: it moves the break-even out of the range measured)."""
    rows = []
    for (regime, parameter), part in table[table.case != "shipped"].groupby(["regime", "parameter"], sort=False):
        ends = part.set_index("case")
        low, high = ends.loc["low"], ends.loc["high"]
        rows.append(
            {
                "regime": regime,
                "baseline": low.baseline,
                "metric": low.metric,
                "parameter": parameter,
                "low": low.parameter_value,
                "high": high.parameter_value,
                "breakeven_low": low.breakeven,
                "breakeven_high": high.breakeven,
                "swing": abs(high.breakeven - low.breakeven),
            }
        )
    frame = pd.DataFrame(rows, columns=SWING_COLUMNS[:-1])
    regimes = list(dict.fromkeys(frame.regime))
    frame = frame.assign(_regime=frame.regime.map(regimes.index), _moved_out=frame.swing.isna())
    frame = frame.sort_values(["_regime", "_moved_out", "swing"], ascending=[True, False, False], kind="stable")
    frame["rank"] = frame.groupby("regime", sort=False).cumcount() + 1
    return frame[SWING_COLUMNS].reset_index(drop=True)
