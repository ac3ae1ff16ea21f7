"""Sweeps: a design over scenario parameters, each point run under every regime, one tidy table.

``--param cio.teams=2,3,4`` names a value of the validated scenario by dotted path
(``sim.inputs.overrides``) and lists the values to try; ``--param costs.cio_day_rate_gbp=1500:3500``
gives a range for a Latin hypercube (``--design lhs --n K``, ``scipy.stats.qmc``). Every point
is validated before anything runs. Replication r of every point and regime shares its random
streams, so differences between points are paired as well as those between regimes. Results
reach disk in task order, each point's summary as soon as its last run is in, so memory holds
one point and a window of runs, never the whole sweep.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.summary import comparisons, summarise
from ..core.errors import InputError
from ..core.validation import written
from ..experiment.executors import ExecutorSpec
from ..experiment.runner import Runner, open_runner, tasks
from ..inputs.overrides import NOT_VARIED, PathError, lookup, number_kind, value_of as _scalar
from ..inputs.scenario import Scenario, as_data, edited, regimes, validate
from ..results.output import csv, provenance, staged, write_json

DESIGNS = ("grid", "lhs")
MOST_POINTS = 100_000
"""Most points a grid may ask for, as ``--n`` may a Latin hypercube: counted before one is made."""
RUN_COLUMNS = ["point", "regime", "replication", "metric", "value"]
_FLUSH_ROWS = 50_000
"""Run rows buffered before they are appended to runs.csv."""


@dataclass(frozen=True)
class Parameter:
    """One ``--param``: a path and either the values to try or a numeric range to sample."""

    text: str
    path: str
    values: tuple[Any, ...] = ()
    low: float = math.nan
    high: float = math.nan
    kind: type = float
    """``int`` or ``float``: what a value sampled from the range is rounded to."""

    def at(self, u: float) -> Any:
        """The value at quantile ``u`` in [0, 1): equal chances for each listed value or integer."""
        if self.values:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        if self.kind is int:
            return min(int(self.high), math.floor(self.low + u * (self.high - self.low + 1)))
        return self.low + u * (self.high - self.low)


def parse_parameter(text: str, data: dict[str, Any]) -> Parameter:
    """Read ``PATH=v1,v2,...`` or ``PATH=LOW:HIGH`` against the scenario's data, validating every value given."""
    path, sep, spec = text.partition("=")
    source = f"--param {text}"
    if not sep or not path or not spec:
        raise InputError(f"{source}: expected PATH=v1,v2,... or PATH=LOW:HIGH, e.g. cio.teams=2,3,4")
    if path in NOT_VARIED:
        raise InputError(f"{source}: {path} is not a parameter a design varies: {NOT_VARIED[path]}")
    try:
        lookup(data, path)
        if "," not in spec and ":" in spec and not spec.lstrip().startswith(("{", "[")):  # a mapping is a value
            kind = number_kind(data, path)
            ends = [_scalar(x, source) for x in spec.split(":", 1)]
            if not all(isinstance(e, int | float) and not isinstance(e, bool) for e in ends) or not ends[0] < ends[1]:
                raise InputError(f"{source}: expected a range LOW:HIGH of two numbers with LOW < HIGH, got {spec!r}")
            if kind is int and not all(float(e).is_integer() for e in ends):
                raise InputError(f"{source}: {path} is a whole number; expected whole ends, got {spec!r}")
            parameter = Parameter(text, path, low=float(ends[0]), high=float(ends[1]), kind=kind)
            checks = [parameter.at(0.0), parameter.at(1.0)]
        else:
            parameter = Parameter(text, path, values=_listed(spec, source))
            checks = list(parameter.values)
    except PathError as exc:
        raise InputError(f"{source}: {exc}") from None
    for value in checks:
        validate(edited(data, {path: value}), source)
    return parameter


def _listed(spec: str, source: str) -> tuple[Any, ...]:
    """``v1,v2,...`` as the values of a YAML flow list, so a value may be a list or mapping itself (``[8,22],[15]``: two
    values, each a list) and a comma inside one does not split it."""
    try:
        values = _scalar(f"[{spec}]", source)
    except InputError as exc:  # its column counts the bracket added
        said = re.sub(r"(: line 1, column )(\d+)", lambda m: f"{m[1]}{int(m[2]) - 1}", str(exc), count=1)
        raise InputError(said) from None
    if not isinstance(values, list) or spec.rstrip().endswith(","):  # null is a value (a parameter that may be null)
        raise InputError(f"{source}: expected values v1,v2,... with none empty, got {spec!r}")
    return tuple(values)


def design(parameters: list[Parameter], kind: str, n: int | None, seed: int) -> list[dict[str, Any]]:
    """The points of a grid (every combination, in the order given) or of a Latin hypercube of ``n`` points."""
    paths = [p.path for p in parameters]
    if len(set(paths)) < len(paths):
        twice = next(p for p in paths if paths.count(p) > 1)
        raise InputError(f"--param {twice}: given twice; list all its values in one --param")
    if kind not in DESIGNS:
        raise InputError(f"--design: expected one of {', '.join(DESIGNS)}, got {kind!r}")
    if kind == "grid":
        ranged = next((p for p in parameters if not p.values), None)
        if ranged is not None:
            raise InputError(
                f"--param {ranged.text}: --design grid needs listed values v1,v2,...; a range LOW:HIGH needs --design lhs"
            )
        if n is not None:
            raise InputError(f"--n: only with --design lhs, got --n {n} with --design grid")
        for p in parameters:  # a grid would run the same point twice, as two points (a hypercube picks it twice as often)
            written = [json.dumps(v, sort_keys=True, default=str) for v in p.values]
            again = next((w for k, w in enumerate(written) if w in written[:k]), None)
            if again is not None:
                raise InputError(f"--param {p.text}: {again} is listed twice; expected each value of a grid once")
        points = math.prod(len(p.values) for p in parameters)
        if points > MOST_POINTS:
            raise InputError(
                f"--param: expected a grid of at most {MOST_POINTS:,} points, got {points:,} "
                f"({' x '.join(str(len(p.values)) for p in parameters)} values); list fewer, or sample with --design lhs --n"
            )
        return [dict(zip(paths, combo, strict=True)) for combo in itertools.product(*(p.values for p in parameters))]
    if n is None:
        raise InputError("--n: --design lhs needs the number of points, e.g. --n 50")
    from scipy.stats import qmc  # here, not at import: scipy.stats costs most of a second in every command

    sample = qmc.LatinHypercube(d=len(parameters), rng=seed).random(n)
    return [{p.path: p.at(u) for p, u in zip(parameters, row, strict=True)} for row in sample]


def cell(value: Any) -> Any:
    """A point's value as a table holds it: a list or mapping as its JSON text (``[8, 22]``), anything else as it is."""
    return json.dumps(value) if isinstance(value, list | dict) else value


def label(values: dict[str, Any]) -> str:
    """``cio.teams=2, ssc.items_per_meeting=5``: a point as a user names it (``null``, ``true`` and a list as a scenario
    file writes them, ``sim.core.validation.written``)."""
    return ", ".join(
        f"{path}={value:g}" if isinstance(value, float) else f"{path}={written(value) or value}" for path, value in values.items()
    )


@dataclass
class PointResult:
    """Every run of one design point and its summary."""

    index: int
    values: dict[str, Any]
    runs: pd.DataFrame
    summary: pd.DataFrame


def run_points(
    data: dict[str, Any], points: list[dict[str, Any]], seed: int, replications: int, runner: Runner, name: str
) -> Iterator[PointResult]:
    """Run each point's replications of every regime (horizon totals only), point by point in order."""
    size = replications * len(data["regimes"])

    def todo() -> Iterator:
        for i, values in enumerate(points):
            point = point_scenario(data, i, values, name)
            yield from tasks(point, regimes(point), seed, range(replications), "totals")

    results = runner.results(todo(), size * len(points), len(data["regimes"]))
    for i, values in enumerate(points):
        block = list(itertools.islice(results, size))
        runs = pd.DataFrame(
            [(t.regime.name, t.replication, metric, value) for t, result in block for metric, value in result.totals.items()],
            columns=RUN_COLUMNS[1:],
        )
        names = list(dict.fromkeys(t.regime.name for t, _ in block))
        yield PointResult(i, values, runs, summarise(runs, names, data.get("baselines")))


def point_scenario(data: dict[str, Any], index: int, values: dict[str, Any], name: str) -> Scenario:
    """The scenario at one point, validated; a mistake names the point (``sweep point 3 (cio.teams=0)``).

    A point has no ``uncertain`` section: it is one set of values, and its hash (the cache key)
    then depends on nothing but what it simulates.
    """
    return validate(edited(data, values) | {"uncertain": []}, f"{name} point {index} ({label(values)})")


def check_points(data: dict[str, Any], points: list[dict[str, Any]], name: str) -> None:
    """Validate every point before anything runs: a mistake is one line, and nothing is written.

    Every point runs the scenario's regimes, by name and in order, so that each point's regimes are paired with the
    same baselines and the points' summaries line up (a point that swapped a regime for another was run, summarised
    and charted as if it had the file's: wrong tables, silently): a design varies what a regime is, not which."""
    names = validate(data, name).regime_names()
    for i, values in enumerate(points):
        found = point_scenario(data, i, values, name).regime_names()
        if found != names:
            raise InputError(
                f"{name} point {i} ({label(values)}): runs the regimes {', '.join(found)}, not the scenario's "
                f"{', '.join(names)}; every point of a design runs the same regimes, paired with the same baselines: vary "
                "a variant's parameters or base (regimes.N.set.PATH, regimes.N.base), or run each set of regimes with "
                "secsim run --set or --regimes"
            )


@dataclass
class RunSettings:
    """How a sweep or sensitivity analysis runs its replications (the CLI's run options)."""

    seed: int | None = None
    replications: int | None = None
    executor: ExecutorSpec = field(default_factory=ExecutorSpec)
    cache: Path | None = None
    progress: bool | None = None

    def resolved(self, scenario: Scenario) -> tuple[int, int]:
        """(seed, replications): the options, or the scenario's own."""
        return (
            scenario.seed if self.seed is None else self.seed,
            scenario.replications if self.replications is None else self.replications,
        )


def sweep(
    scenario: Scenario,
    texts: list[str],
    kind: str,
    n: int | None,
    out: Path,
    settings: RunSettings,
    scenario_file: str | None = None,
) -> dict[str, Any]:
    """Run a sweep and write ``design.csv``, ``runs.csv``, ``summary.csv`` and a manifest into ``out``, atomically."""
    began = time.perf_counter()
    data = as_data(scenario)
    seed, replications = settings.resolved(scenario)
    parameters = [parse_parameter(text, data) for text in texts]
    points = design(parameters, kind, n, seed)
    check_points(data, points, "sweep")
    paths = [p.path for p in parameters]
    with staged(out) as staging:
        csv(
            pd.DataFrame(
                [{"point": i, **{k: cell(v) for k, v in values.items()}} for i, values in enumerate(points)],
                columns=["point", *paths],
            ),
            staging / "design.csv",
        )
        total = len(points) * replications * len(scenario.regimes)
        with open_runner(settings.executor, settings.cache, settings.progress, total, f"{scenario.name} sweep") as runner:
            counts = write_points(run_points(data, points, seed, replications, runner, "sweep"), paths, staging)
            stats = runner.stats()
        specific = {"kind": "sweep", "design": kind, "parameters": texts, "points": len(points)}
        write_json(
            design_manifest(scenario, scenario_file, specific, (seed, replications), began, counts, stats),
            staging / "manifest.json",
        )
    return {"out": Path(out), "points": len(points), "runs": total, "paths": paths, **stats}


def design_manifest(
    scenario: Scenario,
    scenario_file: str | None,
    specific: dict[str, Any],
    seeded: tuple[int, int],
    began: float,
    counts: dict[str, int],
    stats: dict[str, Any],
) -> dict[str, Any]:
    """The manifest of a design's result set: the scenario, what is ``specific`` to the design (its ``kind``:
    sweep, sensitivity or breakeven, and its settings), (seed, replications), the regimes and the provenance."""
    return {
        "scenario": scenario.name,
        "scenario_file": scenario_file,
        "scenario_hash": scenario.digest(),
        **specific,
        "seed": seeded[0],
        "replications": seeded[1],
        "regimes": scenario.regime_names(),
        "baseline": scenario.regime_names()[0],
        "baselines": comparisons(scenario.regime_names(), scenario.baselines),
        "deterministic": scenario.deterministic,
        "price_base": scenario.costs.price_base,
        **provenance(),
        "wall_seconds": round(time.perf_counter() - began, 3),
        "tables": counts,
        **stats,
    }


def write_points(
    results: Iterator[PointResult], paths: list[str], staging: Path, labels: dict[int, dict[str, Any]] | None = None
) -> dict[str, int]:
    """Append each point's runs and summary to the staging CSVs as they arrive; return the row counts.

    ``labels`` gives columns of each point's own to put after ``point`` in ``summary.csv`` (a break-even's case).
    """
    counts = {"design": 0, "runs": 0, "summary": 0}
    pending: list[pd.DataFrame] = []

    def flush(final: bool = False) -> None:
        if pending and (final or sum(map(len, pending)) >= _FLUSH_ROWS):
            csv(pd.concat(pending, ignore_index=True), staging / "runs.csv", append=counts["runs"] > 0)
            counts["runs"] += sum(map(len, pending))
            pending.clear()

    for point in results:
        counts["design"] += 1
        pending.append(point.runs.assign(point=point.index)[RUN_COLUMNS])
        flush()
        extra = (labels or {}).get(point.index, {})
        summary = point.summary.assign(point=point.index, **extra, **{p: cell(point.values[p]) for p in paths})
        columns = ["point", *extra, *paths, *point.summary.columns]
        csv(summary[columns], staging / "summary.csv", append=counts["summary"] > 0)
        counts["summary"] += len(summary)
    flush(final=True)
    return counts
