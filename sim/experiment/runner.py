"""Replications × regimes with common random numbers, on any executor, through the cache.

``run_replication`` is a pure function of (scenario, regime, seed, replication): that is what
lets ``Runner`` map it serially, on a process pool or on Dask and get identical numbers, and
what lets a cache keyed by those arguments stand in for a replication already run.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import difflib
import functools
import itertools
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from ..analysis.summary import run_totals, summarise, year_totals, yearly_summary
from ..analysis.tables import TABLES, frames, replication_rows, yearly_rows
from ..analysis.yearly import year_days
from ..core.errors import InputError
from ..industry.parties import Industry
from ..inputs import scenario as scenario_mod
from ..inputs.scenario import Scenario
from ..law.regime import Regime
from ..model import simulate
from ..model.lifecycle import TAIL_DAYS
from .cache import Cache, Key
from .collector import paused_collection
from .executors import ExecutorSpec, Pool, open_pool, ordered_map

WIDTHS = {name: len(frame.columns) for name, frame in frames({}).items()}
"""Columns of each table's rows (what a cache entry's rows must have)."""
PRODUCTS = ("rows", "yearly", "totals")
"""What a task keeps of its replication: every table's rows; the ``yearly`` rows only (all the
summaries need); or the horizon totals only (sweeps, sensitivity)."""


def run_replication(
    scenario: Scenario,
    regime: Regime,
    seed: int,
    replication: int,
    industry: Industry | None = None,
    product: str = "rows",
) -> tuple[dict[str, list[tuple]], int]:
    """The table rows of one replication of one regime: every table's, or with ``product`` other than
    ``rows`` the ``yearly`` table's alone (the per-event tables cost more to build than the run); and how
    many of its assessments had no status yet when the run stopped (0 unless it reached its limit)."""
    records, model = simulate(scenario, regime, seed, replication, industry)
    unfinished = sum(1 for a in records.assessments if not a.status)
    if product == "rows":
        return replication_rows(regime.name, replication, records, model), unfinished
    return {"yearly": yearly_rows(regime.name, replication, records, model)}, unfinished


@dataclass(frozen=True)
class Task:
    """One replication of one regime of one scenario, and what to keep of it."""

    scenario: Scenario
    scenario_hash: str
    regime: Regime
    seed: int
    replication: int
    product: str = "rows"
    """One of ``PRODUCTS``."""

    def key(self) -> Key:
        """The cache key of this task's result."""
        return Key(self.scenario_hash, self.regime.name, self.seed, self.replication, self.product)


def tasks(
    scenario: Scenario, regimes: list[Regime], seed: int, replications: range, product: str = "rows", detail: int | None = None
) -> Iterator[Task]:
    """Replication-major: replication r of every regime, then r + 1 (the order tables are written in).

    With ``detail``, replications from ``detail`` on keep their ``yearly`` rows only, whatever ``product`` says.
    """
    digest = scenario.digest()
    for replication in replications:
        kept = product if detail is None or replication < detail else "yearly"
        for regime in regimes:
            yield Task(scenario, digest, regime, seed, replication, kept)


@dataclass(frozen=True)
class Replication:
    """What a task returns: its table rows (none for ``totals``) and, summed where it ran, its totals."""

    rows: dict[str, list[tuple]]
    totals: dict[str, float]
    """Horizon totals (``run_totals``)."""
    by_year: list[tuple[int, str, float]]
    """Totals per year (``year_totals``; none for ``totals``)."""
    unfinished: int = 0
    """Assessments still without a status when the run stopped at its limit (``TAIL_DAYS`` past the horizon)."""

    def to_data(self) -> dict[str, object]:
        """As JSON data (the cache's form)."""
        return {"rows": self.rows, "totals": self.totals, "by_year": self.by_year, "unfinished": self.unfinished}

    @classmethod
    def from_data(cls, data: object) -> Replication | None:
        """Back from ``to_data``'s form; ``None`` for anything else (a cache entry that is not one)."""
        if not isinstance(data, dict) or set(data) != {"rows", "totals", "by_year", "unfinished"}:
            return None
        try:
            rows = {name: [tuple(row) for row in part] for name, part in data["rows"].items()}
            by_year = [tuple(y) for y in data["by_year"]]
            totals, unfinished = dict(data["totals"]), data["unfinished"]
        except (AttributeError, TypeError, ValueError):
            return None
        whole = (
            all(
                name in WIDTHS and all(len(r) == WIDTHS[name] and all(map(_is_cell, r)) for r in part)
                for name, part in rows.items()
            )
            and all(len(y) == 3 and all(map(_is_cell, y)) for y in by_year)
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in totals.values())
            and isinstance(unfinished, int)
        )
        return cls(rows, totals, by_year, unfinished) if whole else None


def _is_cell(value: object) -> bool:
    return value is None or isinstance(value, str | int | float)


@functools.lru_cache(maxsize=16)
def _year_days(start: dt.date, end: dt.date) -> dict[int, float]:
    """``year_days`` of a scenario's horizon, once per process (every replication of a scenario asks)."""
    return year_days(start, end)


def perform(chunk: list[Task]) -> list[Replication]:
    """Run a chunk of tasks where the executor put it, keeping each task's product (summed there, not
    in the process collecting results, which would otherwise compete with the workers for a core)."""
    out: list[Replication] = []
    with paused_collection():
        for task in chunk:
            rows, unfinished = run_replication(task.scenario, task.regime, task.seed, task.replication, product=task.product)
            totals = run_totals(rows["yearly"], _year_days(task.scenario.start, task.scenario.end))
            if task.product == "totals":
                out.append(Replication({}, totals, [], unfinished))
            else:
                out.append(Replication(rows, totals, year_totals(rows["yearly"]), unfinished))
    return out


@dataclass
class _Group:
    """Consecutive tasks sent to a worker together, with the results the cache already had."""

    tasks: list[Task]
    cached: list[Replication | None]

    @property
    def missing(self) -> list[Task]:
        return [t for t, c in zip(self.tasks, self.cached, strict=True) if c is None]


class Runner:
    """Tasks → results in task order, from the cache or the executor, counted on a progress bar."""

    def __init__(self, pool: Pool, cache: Cache | None, bar: tqdm) -> None:
        self.pool, self.cache, self.bar = pool, cache, bar
        self.hits = self.computed = 0
        self.stopped_runs = self.unfinished = 0

    def results(self, todo: Iterable[Task], total: int, together: int = 1) -> Iterator[tuple[Task, Replication]]:
        """``(task, result)`` for every task, in the order given; ``total`` sizes the chunks.

        Chunks hold whole runs of ``together`` consecutive tasks (a replication's regimes), so a
        worker draws each replication's industry once for all its regimes.
        """
        parallelism = self.pool.parallelism
        runs = max(1, min(max(1, 8 // together), total // (4 * parallelism * together)))
        size = 1 if parallelism == 1 else runs * together
        source = iter(todo)
        groups = (self._group(chunk) for chunk in iter(lambda: list(itertools.islice(source, size)), []))
        for group, computed in ordered_map(self._submit, groups, 2 * parallelism, self._store, self.pool.recover):
            fresh = iter(computed)
            for task, cached in zip(group.tasks, group.cached, strict=True):
                result = cached if cached is not None else next(fresh)
                if result.unfinished:
                    self.stopped_runs += 1
                    self.unfinished += result.unfinished
                yield task, result

    def _group(self, chunk: list[Task]) -> _Group:
        cached = [Replication.from_data(self.cache.get(t.key())) if self.cache else None for t in chunk]
        hits = sum(c is not None for c in cached)
        self.hits += hits
        self.bar.update(hits)
        return _Group(chunk, cached)

    def _submit(self, group: _Group) -> cf.Future:
        missing = group.missing
        if missing:
            return self.pool.submit(perform, missing)
        done: cf.Future = cf.Future()
        done.set_result([])
        return done

    def _store(self, group: _Group, computed: list[Replication]) -> None:
        for task, result in zip(group.missing, computed, strict=True):
            if self.cache:
                self.cache.put(task.key(), result.to_data())
        self.computed += len(computed)
        self.bar.update(len(computed))

    def stats(self) -> dict[str, object]:
        """What the manifest records of how the results were obtained, and of runs stopped at their limit."""
        stats: dict[str, object] = {"executor": self.pool.kind, "cache": {"hits": self.hits, "computed": self.computed}}
        if self.stopped_runs:
            stats["stopped_at_limit"] = {
                "runs": self.stopped_runs,
                "unfinished_assessments": self.unfinished,
                "limit_years_after_horizon": TAIL_DAYS / 365,
            }
        return stats


@contextmanager
def open_runner(executor: ExecutorSpec, cache: Path | None, progress: bool | None, total: int, desc: str) -> Iterator[Runner]:
    """A runner on an open executor; the progress bar shows when asked, or by default when stderr is a terminal."""
    show = sys.stderr.isatty() if progress is None else progress
    with open_pool(executor) as pool, tqdm(total=total, desc=desc, unit="run", disable=not show, leave=False) as bar:
        yield Runner(pool, Cache(cache) if cache is not None else None, bar)


@dataclass(frozen=True)
class Precision:
    """``--precision``: add replications until the key difference's 95 % half-width is at most ``target`` × |mean|."""

    target: float
    max_replications: int = 1000
    metric: str = "cost_gbp"

    def relative_half_widths(self, summary: pd.DataFrame) -> dict[str, float]:
        """Half-width over |mean difference| of the key metric, per regime compared with the baseline."""
        rows = summary[(summary.metric == self.metric) & (summary.regime != summary.baseline)]
        return {r.regime: _relative(r.diff_half_width, r.diff_mean) for r in rows.itertuples()}

    def next_replications(self, n: int, summary: pd.DataFrame) -> int:
        """How many replications to have next: ``n`` when the target is met or the maximum reached."""
        worst = max(self.relative_half_widths(summary).values())
        if worst <= self.target or n >= self.max_replications:
            return n
        needed = n * (worst / self.target) ** 2 if math.isfinite(worst) else 2 * n
        return min(self.max_replications, max(n + 1, min(2 * n, math.ceil(needed))))


def _relative(half_width: float, mean: float) -> float:
    if half_width == 0:
        return 0.0
    return half_width / abs(mean) if mean != 0 else math.inf


def chosen_regimes(scenario: Scenario, only: list[str] | None) -> list[Regime]:
    """The scenario's regimes, or those named in ``only`` in that order (``--regimes``)."""
    built = scenario_mod.regimes(scenario)
    if only is None:
        return built
    by_name = {r.name: r for r in built}
    unknown = [name for name in only if name not in by_name]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(by_name), n=1)
        hint = f'did you mean "{close[0]}"?' if close else f"expected some of {', '.join(by_name)}"
        raise InputError(f"--regimes: {unknown[0]!r} is not a regime of {scenario.name}; {hint}")
    repeated = sorted({name for name in only if only.count(name) > 1})
    if repeated:
        raise InputError(f"--regimes: expected each regime once, got {repeated[0]!r} more than once")
    return [by_name[name] for name in only]


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
    yearly_summary: pd.DataFrame | None = None


def run(
    scenario: Scenario,
    seed: int | None = None,
    replications: int | None = None,
    progress: bool | None = None,
    *,
    executor: ExecutorSpec = ExecutorSpec(),  # noqa: B008 - a frozen dataclass, never changed
    cache: Path | None = None,
    precision: Precision | None = None,
    sink: Callable[[dict[str, list[tuple]]], None] | None = None,
    detail: int | None = None,
    only: list[str] | None = None,
) -> RunResult:
    """Run every regime of a scenario for N replications (replication r of each regime shares its draws).

    With ``precision``, replications are added in batches (at most doubling) until the key
    difference is known to the relative precision asked for, or the maximum is reached. With
    ``sink``, each replication's rows go to it in table order and are not kept (``tables`` is
    then empty): memory holds the summaries' inputs only, however many replications run. With
    ``detail``, only the first ``detail`` replications keep their per-event tables (assessments, SSC
    items and meetings, costs, crossings, events); every replication keeps its yearly rows, so the
    summaries are the same. Building those tables costs about as much as the run, and at a thousand
    GB replications they come to gigabytes. With ``only``, just those of the scenario's regimes run,
    in that order (the first is the baseline of each regime whose own, ``scenario.baselines``, did not run).
    """
    began = time.perf_counter()
    seed = scenario.seed if seed is None else seed
    n = scenario.replications if replications is None else replications
    regimes = chosen_regimes(scenario, only)
    names = [r.name for r in regimes]
    if precision is not None:
        if len(regimes) < 2:
            raise InputError(f"--precision: needs a difference, so at least two regimes; {scenario.name} has one")
        n = max(n, 2)
        if precision.max_replications < n:
            raise InputError(f"--max-reps: expected at least the {n} replications asked for, got {precision.max_replications}")
    rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
    totals: list[tuple] = []
    by_year: list[tuple] = []
    done = 0
    with open_runner(executor, cache, progress, n * len(regimes), scenario.name) as runner:
        while True:
            batch = tasks(scenario, regimes, seed, range(done, n), detail=detail)
            for task, result in runner.results(batch, (n - done) * len(regimes), len(regimes)):
                if sink is not None:
                    sink(result.rows)
                else:
                    for name, part in result.rows.items():
                        rows[name].extend(part)
                key = (task.regime.name, task.replication)
                totals += [(*key, m, v) for m, v in result.totals.items()]
                by_year += [(*key, *year) for year in result.by_year]
            done = n
            summary = summarise(
                pd.DataFrame(totals, columns=["regime", "replication", "metric", "value"]), names, scenario.baselines
            )
            n = precision.next_replications(done, summary) if precision else done
            if n == done:
                break
            runner.bar.total = n * len(regimes)
            runner.bar.refresh()
        extra = runner.stats()
    extra["detail_replications"] = n if detail is None else min(n, detail)
    if precision is not None:
        achieved = precision.relative_half_widths(summary)
        extra["precision"] = {
            "metric": precision.metric,
            "target": precision.target,
            "max_replications": precision.max_replications,
            "relative_half_width": achieved,
            "reached": max(achieved.values()) <= precision.target,
        }
    yearly = pd.DataFrame(by_year, columns=["regime", "replication", "year", "metric", "value"])
    return RunResult(
        scenario,
        regimes,
        seed,
        n,
        frames(rows) if sink is None else {},
        summary,
        time.perf_counter() - began,
        extra,
        yearly_summary(yearly, names, scenario.baselines),
    )
