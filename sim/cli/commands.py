"""What each ``secsim`` subcommand does: run, validate, sweep, sensitivity, report.

A user's mistake (a bad scenario file, a bad option, an ``--out`` secsim may not write) is one
line on stderr and exit status 2, with nothing written; no traceback. A run that cannot finish
for another reason (a worker process killed twice, memory exhausted) is one line and status 1.
Ctrl-C, SIGTERM and SIGHUP stop a command the same way: one line, status 128 + the signal's
number, nothing written, finished replications kept in the cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import InputError, RunFailed, printable
from ..core.lifetime import signals_as_interrupts
from ..core.validation import written
from ..experiment.cache import Cache
from ..experiment.executors import ExecutorSpec
from ..results.outdir import WRITTEN
from . import answers, design_commands
from .parser import parser

if TYPE_CHECKING:
    from ..designs.sweep import RunSettings
    from ..inputs.scenario import Scenario


def main(argv: list[str] | None = None) -> int:
    """Run ``secsim`` with ``argv`` (default: the process's); the exit status (2 for a user's mistake)."""
    args = parser().parse_args(argv)
    held = Cache.held  # entries stored or found before this command: what it adds to them is its own (``_resume_hint``)
    written = len(WRITTEN)  # result sets put in place before this command (the API may run several in one process)
    try:
        with signals_as_interrupts():
            return _interruptible(_command, args)
    except InputError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except RunFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `secsim run ... | head`: the reader left; nothing to report
        sys.stderr.close()
        return 0
    except OSError as exc:  # the disk, not the user: full, failing, or taken away while writing
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc.__class__.__name__}; {_what_was_written(written)}", file=sys.stderr)
        return 1
    except MemoryError:
        print(
            f"error: out of memory; {_what_was_written(written)} (fewer --workers, or --detail-reps 0, need less)",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        resume = _resume_hint(_cache(args), Cache.held > held)
        how = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
        print(f"interrupted{how}: {_what_was_written(written)}{resume}", file=sys.stderr)
        return 128 + signum


def _what_was_written(before: int) -> str:
    """ "nothing was written", or what this command had put in place, whole, before it stopped (while it printed)."""
    done = WRITTEN[before:]
    if not done:
        return "nothing was written"
    return f"{', '.join(str(p) for p in done)} had been written whole; what was printed was cut short"


def _command(args: argparse.Namespace) -> int:
    if args.command == "validate":
        return _validate(args)
    if args.command == "report":
        return _report(args)
    if args.command == "breakeven":
        return design_commands.breakeven(args)
    if args.command in ("summarise", "compare"):
        return _read(
            args,
            getattr(answers, args.command),
            "summarise this folder" if args.command == "summarise" else "compare these folders",
        )
    return {"run": _run, "sweep": _sweep, "sensitivity": _sensitivity}[args.command](args)


def _interruptible(call: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """``call(args)``, with a Ctrl-C (or SIGTERM) that a library wrapped in its own error raised as itself: pydantic
    turns an exception raised inside a serializer, even ``KeyboardInterrupt``, into a ``PydanticSerializationError``
    caused by it, and a signal arriving while a scenario is hashed would otherwise end in a traceback."""
    try:
        return call(args)
    except Exception as exc:
        cause = exc.__cause__
        while cause is not None:
            if isinstance(cause, KeyboardInterrupt):
                raise cause from None
            cause = cause.__cause__
        raise


def _validate(args: argparse.Namespace) -> int:
    from ..inputs.scenario import regimes

    scenario, overrides, warnings = _loaded(args)
    names = ", ".join(r.name for r in regimes(scenario))
    groups = scenario.population.groups if scenario.population else []
    listed = len(scenario.listed_parties())
    copies = f" ({listed - len(scenario.parties)} of them copies)" if listed > len(scenario.parties) else ""
    who = f"{listed} explicit parties{copies}" + (f", a population of {len(groups)} groups" if groups else "")
    given = " with " + ", ".join(f"{o['path']}={written(o['value']) or o['value']}" for o in overrides) if overrides else ""
    _warn(warnings)
    print(f"{args.scenario}{given}: ok ({scenario.name}: {who}, {scenario.years} year(s) from {scenario.start}, regimes {names})")
    return 0


def _loaded(args: argparse.Namespace) -> tuple[Scenario, list[dict[str, Any]], list[str]]:
    """The scenario with ``--set``, ``--years`` and ``--start`` applied, what they changed, and a warning for each
    date its horizon reads otherwise or never reaches (``sim.inputs.notices``), to print once every check has passed."""
    from ..inputs.notices import outside_horizon
    from ..inputs.scenario import load_written

    filed, written_at = load_written(args.scenario)
    scenario, overrides = answers.overridden(filed, args)
    changes = answers.changed_by(args)
    return scenario, overrides, outside_horizon(scenario, written_at, filed, changes, getattr(args, "regimes", None))


def _warn(lines: list[str]) -> None:
    for line in lines:
        print(f"warning: {line}", file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    from ..analysis.payers import Collector, summarise_payers
    from ..experiment.runner import Precision, chosen_regimes, run
    from ..law.readings import readings_in_force
    from ..results.output import TableSink, staged, write_beside_tables

    scenario, overrides, warnings = _loaded(args)
    out = args.out or Path("results") / scenario.name
    if args.max_reps is not None and args.precision is None:
        raise InputError(
            f"--max-reps: only with --precision, got --max-reps {args.max_reps} alone (--reps sets the replications)"
        )
    precision = Precision(args.precision, args.max_reps or Precision.max_replications) if args.precision is not None else None
    chosen_regimes(scenario, args.regimes)
    executor = _ready(args, out)
    reports = _drawn_from(Path(out))
    with staged(out) as staging:
        _warn(warnings)  # every check has passed: the run goes on
        sink = TableSink(staging)
        who = Collector(scenario.start.isoformat(), scenario.end.isoformat(), args.detail_reps)
        result = run(
            scenario,
            seed=args.seed,
            replications=args.reps,
            progress=None if not args.quiet else False,
            executor=executor,
            cache=args.cache,
            precision=precision,
            sink=lambda rows: _both(sink, who, rows),
            detail=args.detail_reps,
            only=args.regimes,
        )
        payers = summarise_payers(who.runs(), [r.name for r in result.regimes], scenario.baselines)
        write_beside_tables(result, staging, str(args.scenario), sink.close(), payers, overrides)
    written = out
    _warn_stopped(result.extra)
    if not args.quiet:
        print(
            f"{scenario.name}: {result.replications} replication(s) x {len(result.regimes)} regime(s), "
            f"seed {result.seed}, {result.wall_seconds:.1f} s\n"
        )
        readings = readings_in_force(result.regimes, scenario.start)
        kept = int(result.extra["detail_replications"])  # type: ignore[call-overload]
        period = (scenario.start.year, (scenario.end - dt.timedelta(days=1)).year)
        detail = answers.detail_words(kept, result.replications)
        horizon = (scenario.start.isoformat(), scenario.end.isoformat())
        answers.print_answers(result.summary, payers, period, readings, horizon, detail)
        reached = result.extra.get("precision")
        if isinstance(reached, dict):
            widths = ", ".join(f"{r} {w:.3g}" for r, w in reached["relative_half_width"].items())
            verdict = "reached" if reached["reached"] else f"NOT reached at --max-reps {precision.max_replications}"  # type: ignore[union-attr]
            print(f"\nprecision {args.precision:g} {verdict}: relative half-width of the {reached['metric']} difference {widths}")
        gone = f" (it replaced the earlier results there and {', '.join(reports)}, made from them)" if reports else ""
        print(f"results: {written}{gone}")
    return 0


def _drawn_from(out: Path) -> list[str]:
    """What ``report`` and ``summarise`` made from the result set in ``out``, which a new run there replaces with it."""
    from ..results.outdir import PERIOD_NAMES

    if not out.is_dir():
        return []
    return sorted(p.name for p in out.iterdir() if p.name == "report.html" or (PERIOD_NAMES.fullmatch(p.name) and p.is_file()))


def _both(sink: Callable[[dict], None], who: Callable[[dict], None], rows: dict) -> None:
    """One replication's rows to the files and to the who-pays tally."""
    sink(rows)
    who(rows)


def _ready(args: argparse.Namespace, out: Path) -> ExecutorSpec:
    """Check, before anything runs or is written, that the executor options hold, ``--out`` is secsim's to
    write and the cache folder is usable; the executor to run on."""
    from ..experiment.cache import Cache
    from ..results.outdir import check

    executor = ExecutorSpec(args.executor, args.workers, args.scheduler)
    check(out)
    cache = _cache(args)
    if cache is not None:
        _own_cache_folder(cache, out)  # first: a result folder is refused as one, whatever else it holds
        Cache(cache)
    return executor


def _own_cache_folder(cache: Path, out: Path) -> None:
    """A cache folder is not ``--out``, nor in it, nor in any result folder secsim wrote: its entries there would be
    files secsim did not write in a result folder, and every later run into it refused."""
    from ..results.outdir import written_by_secsim

    at = cache.absolute()
    inside = next((p for p in [at, *at.parents] if p == out.absolute() or written_by_secsim(p)), None)
    if inside is not None:
        raise InputError(f"--cache {cache}: is in the result folder {inside}; choose a cache folder of its own")


def _cache(args: argparse.Namespace) -> Path | None:
    """``--cache``; for sweeps and sensitivity by default the user's own cache folder (``sim.experiment.cache.default_root``)."""
    from ..experiment.cache import default_root

    if getattr(args, "cache", None) is not None or args.command not in ("sweep", "sensitivity", "breakeven"):
        return getattr(args, "cache", None)
    return None if args.no_cache else default_root()


def _resume_hint(cache: Path | None, held: bool) -> str:
    """What an interrupted command says of its cache: where its finished replications are (``held``: it stored or
    found some), or that none had finished, whatever else the folder holds."""
    if cache is None:
        return ""
    if not held:
        return f"; no replication had finished, so {cache} holds nothing to resume from"
    return f"; finished replications are cached in {cache}: the same command resumes"


def _warn_stopped(stats: dict[str, object]) -> None:
    """One line on stderr when runs stopped at their limit with assessments still waiting for a status."""
    stopped = stats.get("stopped_at_limit")
    if isinstance(stopped, dict):
        print(
            f"warning: {stopped['runs']} run(s) stopped {stopped['limit_years_after_horizon']:g} years after the horizon "
            f"with {stopped['unfinished_assessments']} assessment(s) still without an SSC status (a backlog that never "
            "clears, or Follow-ups without end); their status is empty in the tables, and manifest.json says "
            "stopped_at_limit",
            file=sys.stderr,
        )


def _settings(args: argparse.Namespace, out: Path) -> RunSettings:
    from ..designs.sweep import RunSettings

    return RunSettings(args.seed, args.reps, _ready(args, out), _cache(args), None if not args.quiet else False)


def _sweep(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..designs.printed import render_sweep
    from ..designs.sweep import sweep
    from ..inputs.scenario import load

    scenario = load(args.scenario)
    out = args.out or Path("results") / f"{scenario.name}-sweep"
    done = sweep(scenario, args.param, args.design, args.n, out, _settings(args, out), str(args.scenario))
    _warn_stopped(done)
    if not args.quiet:
        print(
            f"{scenario.name}: {done['points']} point(s), {done['runs']} run(s) "
            f"({done['cache']['hits']} from the cache) on {done['executor']}\n"
        )
        print(render_sweep(pd.read_csv(done["out"] / "summary.csv"), done["paths"]))
        print(f"results: {done['out']}")
    return 0


def _sensitivity(args: argparse.Namespace) -> int:
    from ..designs.printed import render_sensitivity
    from ..designs.sensitivity import RANKED_BY, sensitivity
    from ..inputs.scenario import load

    scenario = load(args.scenario)
    out = args.out or Path("results") / f"{scenario.name}-{args.method}"
    n = args.n or {"morris": 10, "sobol": 64}[args.method]
    done = sensitivity(scenario, args.method, n, out, _settings(args, out), str(args.scenario))
    _warn_stopped(done)
    if not args.quiet:
        print(
            f"{scenario.name}: {args.method}, {done['samples']} sample(s), {done['runs']} run(s) "
            f"({done['cache']['hits']} from the cache); cost_gbp by {RANKED_BY[args.method]} [95% CI half-width]:"
        )
        print("\n".join(render_sensitivity(done["indices"], args.method)))
        print(f"results: {done['out']}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from ..designs.folders import kind_of
    from ..reports.design_page import write_design_report

    kind = kind_of(args.results)
    if kind and (args.first is not None or args.last is not None):
        raise InputError(f"{args.results}: --from and --to choose years of a run's result folder, not of a {kind} folder")
    call = (lambda a: write_design_report(a.results)) if kind else answers.report_period
    written = _read(args, call, "make a report of this folder")
    print(f"report: {written}")
    return 0


def _read(args: argparse.Namespace, call: Callable[[argparse.Namespace], Any], what: str) -> Any:
    """``call(args)`` on result folders, a mistake in one (a hand edit ``result_set`` does not catch) one line."""
    from ..results.result_set import UNREADABLE, unreadable

    try:
        return call(args)
    except UNREADABLE as exc:  # result_set checks what a hand edit usually breaks; whatever else one breaks is one line
        folders = " and ".join(
            str(f) for f in (getattr(args, "results", None), getattr(args, "a", None), getattr(args, "b", None)) if f
        )
        raise unreadable(folders, what, exc) from None
