"""secsim's Python API: load a scenario, change it, run it, write and report the results — what the ``secsim``
command does, for a notebook or a script. ``import sim`` exposes these names (``sim.__all__``).

Every function takes and returns plain objects (a validated ``Scenario``, a ``Result`` holding pandas tables);
a mistake is an ``InputError`` whose message is the one line the command would print.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, InstanceOf, StrictBool, StrictStr

from .analysis import periods
from .analysis.display import readable as _readable
from .core.arguments import Count, Day, Name, NonNegative, PathLike, Seed, Workers, Year, checked
from .core.errors import InputError
from .core.validation import shown
from .designs.breakeven import breakeven as _breakeven
from .designs.folders import kind_of
from .designs.printed import render_breakeven
from .designs.sensitivity import sensitivity as _sensitivity
from .designs.sweep import RunSettings, sweep as _sweep
from .experiment.executors import ExecutorSpec
from .experiment.runner import RunResult, run as _run
from .inputs.scenario import Scenario, load as _load
from .reports.design_page import write_design_report
from .reports.page import write_report
from .results.output import payer_summary, write as _write
from .results.result_set import UNREADABLE, unreadable

Executor = Literal["serial", "process", "dask"]
"""``sim.experiment.executors.EXECUTORS``."""


def _fingerprint(run: RunResult) -> str:
    """A digest of every table and summary of a run, their columns and values (pandas' own row hashes)."""
    digest = hashlib.sha256()
    frames = [*sorted(run.tables.items()), ("summary", run.summary), ("yearly_summary", run.yearly_summary)]
    for name, frame in frames:
        if frame is not None:
            digest.update(f"{name}:{','.join(map(str, frame.columns))}".encode())
            digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def _settings(seed: int | None, reps: int | None, executor: str, workers: int | None, cache: Path | None) -> RunSettings:
    """How a design's runs are run: ``sweep``'s, ``sensitivity``'s and ``breakeven``'s common arguments."""
    return RunSettings(seed, reps, ExecutorSpec(executor, workers), Path(cache) if cache is not None else None, False)


def _listed(values: list[Any]) -> str:
    """A sweep's values as the YAML flow list ``--param`` reads (``v1,v2,...``), each written as JSON so a value with a
    comma in it stays one value (``"a,b"``); a numpy number as the number it is."""
    return ",".join(_value(v.item() if isinstance(v, np.generic) else v) for v in values)


def _value(value: Any) -> str:
    """One listed value: text as ``--param`` reads it (``"2"`` a number, ``"2019-01-01"`` a date), unless it holds what
    would split or nest it there (``"costs, 2018"``); anything else as JSON."""
    if isinstance(value, str) and not set(value) & set(",[]{}\"'") and value.strip() == value and value:
        return value
    return json.dumps(value, default=str)


@checked
def load(
    path: PathLike,
    set: Mapping[StrictStr, Any] | None = None,  # noqa: A002 - the CLI's and the issue's name for it
    *,
    years: Count | None = None,
    start: Day | None = None,
) -> Scenario:
    """A scenario file, validated, with values changed by dotted path (``set``) and its horizon (``years``, ``start``).

    A path is one ``secsim sweep --param`` takes (``cio.teams``, ``costs.cio_day_rate_gbp``, ``regimes.1``), read in
    the validated scenario with every default filled in; the changed scenario is validated again.

    >>> s = load("scenarios/small-supplier-on-large-srp.yaml", {"cio.teams": 4}, years=3)
    >>> s.cio.teams, s.years, s.name
    (4, 3, 'small-supplier-on-large-srp')
    >>> load("scenarios/small-supplier-on-large-srp.yaml", {"cio.tems": 4})
    Traceback (most recent call last):
    ...
    sim.core.errors.InputError: small-supplier-on-large-srp.yaml: cio.tems: no key "tems" in cio; did you mean "teams"?
    """
    scenario = _load(path)
    changes = {
        **(set or {}),
        **({"years": years} if years is not None else {}),
        **({"start": str(start)} if start is not None else {}),
    }
    return scenario.with_(changes, source=Path(path).name) if changes else scenario


@dataclass(frozen=True)
class Result:
    """What a run produced: its tables and summaries in memory, to read in pandas or write as a result set.

    ``summary`` has one row per metric and regime (mean, sd and the paired difference from the regime's baseline
    with its 95 % interval: docs/reference/outputs.md); ``yearly_summary`` the same per calendar year;
    ``tables`` every table by name (``assessments``, ``costs``, ``yearly``, ...). The frames are the result's own:
    one edited in place changes what ``difference`` and ``period`` read, but ``write`` refuses to write it as a
    result set secsim wrote (``handed``).
    """

    run: RunResult
    handed: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    """The tables' fingerprint when a frame was first handed out (``summary``, ``yearly_summary``, ``tables``), which
    ``write`` checks them against; a result none was handed out of is written without the cost of one."""

    def _handing(self) -> RunResult:
        if "fingerprint" not in self.handed:
            self.handed["fingerprint"] = _fingerprint(self.run)
        return self.run

    @property
    def summary(self) -> pd.DataFrame:
        """The horizon totals per regime and their paired differences (``summary.csv``)."""
        return self._handing().summary

    @property
    def yearly_summary(self) -> pd.DataFrame:
        """The same statistics per calendar year (``yearly_summary.csv``)."""
        found = self._handing().yearly_summary
        assert found is not None
        return found

    @property
    def payers(self) -> pd.DataFrame:
        """Cost by payer role and by size class per regime, with the paired change and its interval (``payers.csv``).

        >>> r = run(load("scenarios/small-supplier-on-large-srp.yaml"))
        >>> srp = r.payers.query("grouping == 'payer' and group == 'srp' and regime == 'secmp0044'")
        >>> round(float(srp.diff_mean.iloc[0]))
        201080
        """
        return payer_summary(self.run)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the run, by name (``assessments``, ``ssc_items``, ``costs``, ``yearly``, ...)."""
        return self._handing().tables

    @property
    def regimes(self) -> list[str]:
        """The regimes run, in order (the first is the baseline unless the scenario's ``baselines`` says otherwise)."""
        return [r.name for r in self.run.regimes]

    @property
    def scenario(self) -> Scenario:
        """The scenario run."""
        return self.run.scenario

    @checked
    def difference(self, metric: Name = "cost_gbp") -> pd.DataFrame:
        """One metric's paired differences: per compared regime, its baseline, mean and 95 % interval.

        >>> r = run(load("scenarios/small-supplier-on-large-srp.yaml"))
        >>> r.difference("assessments_full")[["regime", "baseline", "diff_mean"]].to_string(index=False)
        '   regime      baseline  diff_mean\\nsecmp0044 pre-secmp0044        2.0'
        """
        summary = self.run.summary
        if metric not in set(summary.metric):
            raise InputError(
                f"sim.Result().difference(): metric: expected one of {', '.join(dict.fromkeys(summary.metric))}, got {shown(metric)}"
            )
        rows = summary[(summary.metric == metric) & (summary.regime != summary.baseline)]
        return rows[["regime", "baseline", "mean", "diff_mean", "diff_ci_low", "diff_ci_high"]].reset_index(drop=True)

    @checked
    def period(self, first: Year | None = None, last: Year | None = None) -> pd.DataFrame:
        """The summary of the calendar years ``first`` to ``last`` (inclusive; each defaults to the horizon's end) only,
        paired as ``summary`` is — what ``secsim summarise --from --to`` writes.

        >>> r = run(load("scenarios/small-supplier-on-large-srp.yaml"))
        >>> early = r.period(2018, 2020).query("metric == 'cost_gbp' and regime == 'secmp0044'")
        >>> round(float(early.diff_mean.iloc[0]))
        27723
        """
        yearly = self.run.tables["yearly"]
        chosen = periods.chosen(yearly, first, last, f"{self.scenario.name}: period")
        horizon = (self.run.scenario.start, self.run.scenario.end)
        return periods.period_summary(yearly, self.regimes, chosen, horizon, self.run.scenario.baselines)

    @checked
    def write(self, folder: PathLike) -> Path:
        """Write the result set into ``folder`` atomically, as ``secsim run --out`` does; the folder written.

        ``folder`` must be new, or one a secsim run wrote (docs/reference/reliability.md); anything else is refused.
        """
        if "fingerprint" in self.handed and _fingerprint(self.run) != self.handed["fingerprint"]:
            raise InputError(
                "sim.Result().write(): the result's tables were changed in place since the run; a result set is what the "
                "run computed (copy a table before editing it: result.tables['yearly'].copy())"
            )
        return _write(self.run, Path(folder))


@checked
def run(
    scenario: InstanceOf[Scenario],
    reps: Count | None = None,
    *,
    seed: Seed | None = None,
    executor: Executor = "serial",
    workers: Workers | None = None,
    scheduler: Name | None = None,
    regimes: Annotated[list[Name], Field(min_length=1)] | None = None,
    detail_reps: NonNegative | None = None,
    cache: PathLike | None = None,
    progress: StrictBool = False,
) -> Result:
    """Run every regime of ``scenario`` for ``reps`` replications (default: the scenario's) on common random numbers.

    ``executor`` is ``serial``, ``process`` (local processes; works from a script without an
    ``if __name__ == "__main__":`` guard, and from a notebook) or ``dask`` (a local cluster, or ``scheduler``'s).
    ``regimes`` runs a subset in that order; ``detail_reps`` keeps the per-event tables of the first K replications.

    >>> r = run(load("scenarios/small-supplier-on-large-srp.yaml"))
    >>> r.regimes, int(r.summary.query("metric == 'assessments_total'")["mean"].sum())
    (['pre-secmp0044', 'secmp0044'], 54)
    """
    result = _run(
        scenario,
        seed=seed,
        replications=reps,
        progress=progress,
        executor=ExecutorSpec(executor, workers, scheduler),
        cache=Path(cache) if cache is not None else None,
        detail=detail_reps,
        only=list(regimes) if regimes is not None else None,
    )
    return Result(result)


@checked
def report(folder: PathLike) -> Path:
    """Write ``report.html`` (and its charts) into a result folder ``secsim run`` or ``Result.write`` made, or one of
    ``sweep``, ``sensitivity`` or ``breakeven``; its path.

    >>> import tempfile
    >>> out = run(load("scenarios/small-supplier-on-large-srp.yaml")).write(Path(tempfile.mkdtemp()) / "five")
    >>> report(out).name
    'report.html'
    """
    try:
        return (write_design_report if kind_of(folder) else write_report)(folder)
    except UNREADABLE as exc:  # a hand edit past result_set's checks: one line, as the command says it
        raise unreadable(str(folder), "make a report of this folder", exc) from None


@checked
def sweep(
    scenario: InstanceOf[Scenario],
    params: Annotated[dict[Name, list[Any] | StrictStr], Field(min_length=1)],
    out: PathLike,
    *,
    design: Literal["grid", "lhs"] = "grid",
    n: Count | None = None,
    reps: Count | None = None,
    seed: Seed | None = None,
    executor: Executor = "serial",
    workers: Workers | None = None,
    cache: PathLike | None = None,
) -> pd.DataFrame:
    """Run a design over dotted paths (``{"cio.teams": [2, 3]}``; ``"LOW:HIGH"`` with ``design="lhs"``) under every
    regime, write the sweep's result set into ``out`` and return its ``summary.csv`` (one row per point, metric and
    regime, with the point's values).

    >>> import tempfile
    >>> s = load("scenarios/small-supplier-on-large-srp.yaml")
    >>> table = sweep(s, {"cio.teams": [1, 2]}, Path(tempfile.mkdtemp()) / "teams")
    >>> sorted(table["cio.teams"].unique().tolist())
    [1, 2]
    """
    texts = [f"{path}={values if isinstance(values, str) else _listed(values)}" for path, values in params.items()]
    settings = _settings(seed, reps, executor, workers, cache)
    done = _sweep(scenario, texts, design, n, Path(out), settings)
    return pd.read_csv(Path(done["out"]) / "summary.csv")


@checked
def sensitivity(
    scenario: InstanceOf[Scenario],
    out: PathLike,
    *,
    method: Literal["morris", "sobol"] = "morris",
    n: Count | None = None,
    reps: Count | None = None,
    seed: Seed | None = None,
    executor: Executor = "serial",
    workers: Workers | None = None,
    cache: PathLike | None = None,
) -> pd.DataFrame:
    """Rank the scenario's ``uncertain:`` parameters by their effect on every metric (SALib Morris or Sobol'), write
    the analysis into ``out`` and return its ``indices.csv``.

    >>> import tempfile
    >>> s = load("scenarios/shared-resource-example.yaml", years=3)
    >>> indices = sensitivity(s, Path(tempfile.mkdtemp()) / "morris", n=2, reps=1)
    >>> sorted(indices["index"].unique().tolist())
    ['mu', 'mu_star', 'sigma']
    """
    settings = _settings(seed, reps, executor, workers, cache)
    done = _sensitivity(scenario, method, {"morris": 10, "sobol": 64}[method] if n is None else n, Path(out), settings)
    return done["indices"]


@dataclass(frozen=True)
class BreakEven:
    """A break-even's answer: ``table`` (``breakeven.csv``: per case and compared regime, where the difference
    changes sign, with its interval), ``swing`` (``swing.csv``: how far each uncertain parameter's ends move it) and
    the ``folder`` its result set was written to; ``text()`` is what ``secsim breakeven`` prints."""

    table: pd.DataFrame
    swing: pd.DataFrame
    folder: Path
    values: tuple[Any, ...]

    def text(self) -> str:
        """The answer in words, as the command prints it."""
        return render_breakeven(self.table, self.swing, self.values)


@checked
def breakeven(
    scenario: InstanceOf[Scenario],
    vary: Name,
    out: PathLike,
    *,
    metric: Name = "cost_gbp",
    swing: StrictBool = True,
    reps: Count | None = None,
    seed: Seed | None = None,
    executor: Executor = "serial",
    workers: Workers | None = None,
    cache: PathLike | None = None,
) -> BreakEven:
    """Where each regime's paired difference of ``metric`` from its baseline changes sign as ``vary`` (``PATH=LOW:HIGH``,
    ``PATH=LOW:HIGH:STEP`` or ``PATH=v1,v2,...``) goes over its grid, with the interval its 95 % band gives, and (with
    ``swing``) how far each of the scenario's ``uncertain:`` parameters moves it at its low and high end; the result
    set is written into ``out``, as ``secsim breakeven`` does.

    >>> import tempfile
    >>> s = load("scenarios/srp-break-even.yaml")
    >>> found = breakeven(s, "parties.SUP-S.copies=0:3", Path(tempfile.mkdtemp()) / "be", swing=False)
    >>> round(float(found.table.breakeven.iloc[0]), 2), float(found.table.first_after.iloc[0])
    (1.22, 2.0)
    """
    settings = _settings(seed, reps, executor, workers, cache)
    done = _breakeven(scenario, vary, Path(out), settings, metric, swing)
    return BreakEven(done["breakeven"], done["swing"], Path(done["out"]), done["vary"].values)


@checked
def readable(table: InstanceOf[pd.DataFrame], metric: Name = "cost_gbp") -> pd.DataFrame:
    """A copy of a tidy table (a summary, ``by_payer``, a sweep's, ``indices.csv``) with every number written in its
    row's metric's unit: money in £m/£k, shares in per cent, counts with separators, never ``3.82e+07``. A table
    without a ``metric`` column (``Result.difference``'s) is read in ``metric``'s unit.

    >>> r = run(load("scenarios/small-supplier-on-large-srp.yaml"))
    >>> readable(r.difference())[["regime", "mean", "diff_mean"]].to_dict("records")
    [{'regime': 'secmp0044', 'mean': '£942k', 'diff_mean': '+£32.5k'}]
    """
    if "metric" in table.columns:
        return _readable(table, minus="−")
    return _readable(table.assign(metric=metric), minus="−").drop(columns="metric")


__all__ = [
    "BreakEven",
    "InputError",
    "Result",
    "Scenario",
    "breakeven",
    "load",
    "readable",
    "report",
    "run",
    "sensitivity",
    "sweep",
]
