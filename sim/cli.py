"""The ``secsim`` command: run a scenario, or validate one without running it.

A user's mistake (a bad scenario file, a bad option, an ``--out`` secsim may not write) is one
line on stderr and exit status 2, with nothing written; no traceback. A run that cannot finish
for another reason (a worker process killed twice, memory exhausted) is one line and status 1.
Ctrl-C, SIGTERM and SIGHUP stop a command the same way: one line, status 128 + the signal's
number, nothing written, finished replications kept in the cache.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .errors import InputError, RunFailed
from .executors import EXECUTORS, ExecutorSpec, max_workers
from .lifetime import signals_as_interrupts

if TYPE_CHECKING:
    from .sweep import RunSettings


MOST = 100_000
"""Most replications (``--reps``, ``--max-reps``) and design points (``--n``) an option may ask for."""
MAX_SEED = 2**63 - 1


def _between(minimum: int, maximum: int, words: str):
    """An argparse type: an integer from ``minimum`` to ``maximum``, with a one-line message otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {words}, got {text!r}")
        if value > maximum:
            raise argparse.ArgumentTypeError(f"expected {words} up to {maximum:,}, got {text!r}")
        return value

    return parse


def _names(text: str) -> list[str]:
    """An argparse type: regime names separated by commas."""
    names = [n.strip() for n in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected regime names separated by commas, got {text!r}")
    return names


def _above_zero(text: str) -> float:
    """An argparse type: a number > 0, with a one-line message otherwise."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line too (``secsim run --help`` shows the usage)."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="secsim", description="Simulate SEC User Security Assessments under different regimes.")
    p.add_argument("--version", action="version", version=f"secsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a scenario under each of its regimes and write tidy tables")
    run.add_argument("scenario", type=Path, help="scenario YAML file")
    run.add_argument("--out", type=Path, default=None,
                     help="output folder, new or one secsim wrote (default: results/<scenario name>)")
    run.add_argument("--reps", type=_between(1, MOST, "a positive integer"), default=None, help="replications per regime (default: the scenario's)")
    run.add_argument("--seed", type=_between(0, MAX_SEED, "a non-negative integer"), default=None, help="root random seed (default: the scenario's)")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    _run_options(run, cache_default=None)
    run.add_argument("--precision", type=_above_zero, default=None, metavar="X",
                     help="add replications in batches until the 95%% half-width of the cost difference is at most X times its mean")
    run.add_argument("--regimes", type=_names, default=None, metavar="A,B",
                     help="run only these of the scenario's regimes, in this order; the first is the baseline (default: all)")
    run.add_argument("--detail-reps", type=_between(0, MOST, "a non-negative integer"), default=None, metavar="K",
                     help="per-event tables (assessments, SSC items and meetings, costs, crossings, events) for the first K "
                          "replications only; the yearly table and the summaries cover all (default: all)")
    run.add_argument("--max-reps", type=_between(2, MOST, "an integer >= 2"), default=None,
                     help="most replications --precision may reach (default 1000)")
    sweep = _subcommand(sub, "sweep", "run a design over scenario parameters under every regime: one tidy table",
                        "results/<scenario name>-sweep")
    sweep.add_argument("--param", action="append", required=True, metavar="PATH=VALUES",
                       help="a dotted path into the scenario and values v1,v2,... (or LOW:HIGH with --design lhs); repeatable")
    sweep.add_argument("--design", choices=("grid", "lhs"), default="grid", help="every combination (grid) or a Latin hypercube (lhs)")
    sweep.add_argument("--n", type=_between(1, MOST, "a positive integer"), default=None, help="points of a Latin hypercube")
    sensitivity = _subcommand(sub, "sensitivity", "rank the scenario's uncertain parameters by their effect (SALib)",
                              "results/<scenario name>-<method>")
    sensitivity.add_argument("--method", choices=("morris", "sobol"), default="morris", help="Morris screening or Sobol' indices")
    sensitivity.add_argument("--n", type=_between(1, MOST, "a positive integer"), default=None,
                             help="Morris trajectories (default 10) or Sobol' base samples, a power of 2 (default 64)")
    validate = sub.add_parser("validate", help="check a scenario file without running it")
    validate.add_argument("scenario", type=Path, help="scenario YAML file")
    report = sub.add_parser("report", help="write RESULTS_DIR/report.html: headline, charts, assumptions, STRESS-DES")
    report.add_argument("results", type=Path, metavar="RESULTS_DIR", help="a result folder written by secsim run")
    return p


def _subcommand(sub: argparse._SubParsersAction, name: str, text: str, out: str) -> argparse.ArgumentParser:
    """A sweep-like subcommand: the scenario, where to write, replications, seed, executor and cache."""
    p = sub.add_parser(name, help=text)
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--out", type=Path, default=None, help=f"output folder, new or one secsim wrote (default: {out})")
    p.add_argument("--reps", type=_between(1, MOST, "a positive integer"), default=None, help="replications per point and regime (default: the scenario's)")
    p.add_argument("--seed", type=_between(0, MAX_SEED, "a non-negative integer"), default=None, help="root random seed (default: the scenario's)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    _run_options(p, cache_default="$XDG_CACHE_HOME/secsim, else ~/.cache/secsim")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the replication cache")
    return p


def _run_options(p: argparse.ArgumentParser, cache_default: str | None) -> None:
    """Where replications run, and where finished ones are cached."""
    p.add_argument("--executor", choices=EXECUTORS, default="serial", help="serial (default), local processes, or Dask")
    p.add_argument("--workers", type=_between(1, max_workers(), "a positive integer"), default=None,
                   help=f"processes for process/local Dask (default: cores; at most {max_workers()}: twice the cores, 4 at least)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="a running Dask scheduler (default: a local cluster)")
    p.add_argument("--cache", type=Path, default=None, metavar="DIR",
                   help=f"cache finished replications here, to resume (default: {cache_default or 'no cache'})")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with signals_as_interrupts():
            if args.command == "validate":
                return _validate(args)
            if args.command == "report":
                return _report(args)
            return {"run": _run, "sweep": _sweep, "sensitivity": _sensitivity}[args.command](args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RunFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the disk, not the user: full, failing, or taken away while writing
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc.__class__.__name__}; nothing was written", file=sys.stderr)
        return 1
    except MemoryError:
        print("error: out of memory; nothing was written (fewer --workers, or --detail-reps 0, need less)", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `secsim run ... | head`: the reader left; nothing to report
        sys.stderr.close()
        return 0
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        cache = _cache(args)
        resume = f"; finished replications are cached in {cache}: the same command resumes" if cache else ""
        how = "" if signum == signal.SIGINT else f" ({signal.Signals(signum).name})"
        print(f"interrupted{how}: nothing was written{resume}", file=sys.stderr)
        return 128 + signum


def _validate(args: argparse.Namespace) -> int:
    from .scenario import load, regimes

    scenario = load(args.scenario)
    names = ", ".join(r.name for r in regimes(scenario))
    groups = scenario.population.groups if scenario.population else []
    who = f"{len(scenario.parties)} explicit parties" + (f", a population of {len(groups)} groups" if groups else "")
    print(f"{args.scenario}: ok ({scenario.name}: {who}, {scenario.years} year(s) from {scenario.start}, regimes {names})")
    return 0


def _run(args: argparse.Namespace) -> int:
    from .experiment import Precision, chosen_regimes, run
    from .output import TableSink, staged, write_beside_tables
    from .scenario import load
    from .regime import readings_in_force
    from .summary import render, render_readings

    scenario = load(args.scenario)
    out = args.out or Path("results") / scenario.name
    if args.max_reps is not None and args.precision is None:
        raise InputError(f"--max-reps: only with --precision, got --max-reps {args.max_reps} alone (--reps sets the replications)")
    precision = Precision(args.precision, args.max_reps or Precision.max_replications) if args.precision is not None else None
    chosen_regimes(scenario, args.regimes)
    executor = _ready(args, out)
    with staged(out) as staging:
        sink = TableSink(staging)
        result = run(scenario, seed=args.seed, replications=args.reps, progress=None if not args.quiet else False,
                     executor=executor, cache=args.cache, precision=precision, sink=sink,
                     detail=args.detail_reps, only=args.regimes)
        write_beside_tables(result, staging, str(args.scenario), sink.close())
    written = out
    _warn_stopped(result.extra)
    if not args.quiet:
        print(f"{scenario.name}: {result.replications} replication(s) x {len(result.regimes)} regime(s), "
              f"seed {result.seed}, {result.wall_seconds:.1f} s\n")
        print(render(result.summary))
        print("\n" + render_readings(readings_in_force(result.regimes, scenario.start), scenario.start.isoformat()))
        reached = result.extra.get("precision")
        if isinstance(reached, dict):
            widths = ", ".join(f"{r} {w:.3g}" for r, w in reached["relative_half_width"].items())
            verdict = "reached" if reached["reached"] else f"NOT reached at --max-reps {precision.max_replications}"  # type: ignore[union-attr]
            print(f"\nprecision {args.precision:g} {verdict}: relative half-width of the {reached['metric']} difference {widths}")
        print(f"results: {written}")
    return 0


def _ready(args: argparse.Namespace, out: Path) -> ExecutorSpec:
    """Check, before anything runs or is written, that the executor options hold, ``--out`` is secsim's to
    write and the cache folder is usable; the executor to run on."""
    from .cache import Cache
    from .outdir import check

    executor = ExecutorSpec(args.executor, args.workers, args.scheduler)
    check(out)
    cache = _cache(args)
    if cache is not None:
        Cache(cache)
    return executor


def _cache(args: argparse.Namespace) -> Path | None:
    """``--cache``; for sweeps and sensitivity by default the user's own cache folder (``sim.cache.default_root``)."""
    from .cache import default_root

    if getattr(args, "cache", None) is not None or args.command not in ("sweep", "sensitivity"):
        return getattr(args, "cache", None)
    return None if args.no_cache else default_root()


def _warn_stopped(stats: dict[str, object]) -> None:
    """One line on stderr when runs stopped at their limit with assessments still waiting for a status."""
    stopped = stats.get("stopped_at_limit")
    if isinstance(stopped, dict):
        print(f"warning: {stopped['runs']} run(s) stopped {stopped['limit_years_after_horizon']:g} years after the horizon "
              f"with {stopped['unfinished_assessments']} assessment(s) still without an SSC status (a backlog that never "
              "clears, or Follow-ups without end); their status is empty in the tables, and manifest.json says "
              "stopped_at_limit", file=sys.stderr)


def _settings(args: argparse.Namespace, out: Path) -> RunSettings:
    from .sweep import RunSettings

    return RunSettings(args.seed, args.reps, _ready(args, out), _cache(args), None if not args.quiet else False)


def _sweep(args: argparse.Namespace) -> int:
    import pandas as pd

    from .scenario import load
    from .summary import render_points
    from .sweep import sweep

    scenario = load(args.scenario)
    out = args.out or Path("results") / f"{scenario.name}-sweep"
    done = sweep(scenario, args.param, args.design, args.n, out, _settings(args, out), str(args.scenario))
    _warn_stopped(done)
    if not args.quiet:
        print(f"{scenario.name}: {done['points']} point(s), {done['runs']} run(s) "
              f"({done['cache']['hits']} from the cache) on {done['executor']}\n")
        print(render_points(pd.read_csv(done["out"] / "summary.csv"), done["paths"]))
        print(f"results: {done['out']}")
    return 0


def _sensitivity(args: argparse.Namespace) -> int:
    from .scenario import load
    from .sensitivity import RANKED_BY, sensitivity

    scenario = load(args.scenario)
    out = args.out or Path("results") / f"{scenario.name}-{args.method}"
    n = args.n or {"morris": 10, "sobol": 64}[args.method]
    done = sensitivity(scenario, args.method, n, out, _settings(args, out), str(args.scenario))
    _warn_stopped(done)
    if not args.quiet:
        index = RANKED_BY[args.method]
        table = done["indices"]
        key = table[(table.metric == "cost_gbp") & (table["index"] == index)]
        print(f"{scenario.name}: {args.method}, {done['samples']} sample(s), {done['runs']} run(s) "
              f"({done['cache']['hits']} from the cache); cost_gbp by {index} [95% CI half-width]:")
        for (regime, output), ranked in key.groupby(["regime", "output"], sort=False):
            for row in ranked.sort_values("rank", kind="stable").itertuples():
                print(f"  {regime} {output}: {row.rank}. {row.parameter} {row.value:,.4g} [±{row.ci_half_width:,.3g}]")
        print(f"results: {done['out']}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from .report import write_report

    try:
        written = write_report(args.results)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        # result_set checks what a hand edit usually breaks; whatever else one breaks is still one line
        what = f"{exc.__class__.__name__}: {str(exc).splitlines()[0][:80]}" if str(exc) else exc.__class__.__name__
        raise InputError(f"{args.results}: cannot make a report of this folder ({what}); expected a result folder "
                         "written by secsim run, not edited since") from None
    print(f"report: {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
