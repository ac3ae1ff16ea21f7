"""The ``secsim`` command line: every subcommand, its options and their one-line errors.

An option's mistake is one line on stderr and exit status 2, as a scenario's is (``_Parser.error``).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ..core.arguments import MAX_SEED, MOST  # the API's bounds are the options' (sim.core.arguments)
from ..core.version import __version__
from ..experiment.executors import EXECUTORS, max_workers


def _path(text: str) -> Path:
    """An argparse type: a path, never empty (``Path("")`` is the current folder, so ``--out ""`` named ``.``)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"expected a path, got {text!r}")
    return Path(text)


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


class _Once(argparse.Action):
    """An option that takes one value and refuses a second (argparse would keep the last without a word)."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option: str | None = None
    ) -> None:
        if getattr(namespace, self.dest, None) is not None:
            raise argparse.ArgumentError(self, f"given twice ({getattr(namespace, self.dest)} and {values}); give it once")
        setattr(namespace, self.dest, values)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line too (``secsim run --help`` shows the usage)."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)

    def parse_args(self, args: Sequence[str] | None = None, namespace: None = None) -> argparse.Namespace:  # type: ignore[override]
        """As argparse's, but an option the subcommand does not take is refused by the subcommand, so the line points
        at its own help (``secsim sweep --help``), not the top level's, which lists no options; one given before the
        subcommand's name is the top level's."""
        given = list(sys.argv[1:] if args is None else args)
        found, extra = self.parse_known_args(given, namespace)
        if extra:
            commands = next((a.choices for a in self._actions if isinstance(a, argparse._SubParsersAction)), {})
            command = getattr(found, "command", "")
            before = command in given and given.index(extra[0]) < given.index(command)
            (self if before else commands.get(command, self)).error(f"unrecognized arguments: {' '.join(extra)}")
        return found


def parser() -> argparse.ArgumentParser:
    """The ``secsim`` command line: every subcommand and option."""
    p = _Parser(prog="secsim", description="Simulate SEC User Security Assessments under different regimes.")
    p.add_argument("--version", action="version", version=f"secsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run a scenario under each of its regimes and write tidy tables")
    run.add_argument("scenario", type=_path, help="scenario YAML file")
    run.add_argument(
        "--out", type=_path, default=None, help="output folder, new or one secsim wrote (default: results/<scenario name>)"
    )
    run.add_argument(
        "--reps",
        type=_between(1, MOST, "a positive integer"),
        default=None,
        help="replications per regime (default: the scenario's)",
    )
    run.add_argument(
        "--seed",
        type=_between(0, MAX_SEED, "a non-negative integer"),
        default=None,
        help="root random seed (default: the scenario's)",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    _run_options(run, cache_default=None)
    run.add_argument(
        "--precision",
        type=_above_zero,
        default=None,
        metavar="X",
        help="add replications in batches until the 95%% half-width of the cost difference is at most X times its mean",
    )
    run.add_argument(
        "--regimes",
        type=_names,
        default=None,
        metavar="A,B",
        help="run only these of the scenario's regimes, in this order; the first is the baseline (default: all)",
    )
    run.add_argument(
        "--detail-reps",
        type=_between(0, MOST, "a non-negative integer"),
        default=None,
        metavar="K",
        help="per-event tables (assessments, SSC items and meetings, costs, crossings, events) for the first K "
        "replications only; the yearly table and the summaries cover all (default: all)",
    )
    run.add_argument(
        "--max-reps",
        type=_between(2, MOST, "an integer >= 2"),
        default=None,
        help="most replications --precision may reach (default 1000)",
    )
    sweep = _subcommand(
        sub, "sweep", "run a design over scenario parameters under every regime: one tidy table", "results/<scenario name>-sweep"
    )
    sweep.add_argument(
        "--param",
        action="append",
        required=True,
        metavar="PATH=VALUES",
        help="a dotted path into the scenario and values v1,v2,... (or LOW:HIGH with --design lhs); repeatable",
    )
    sweep.add_argument(
        "--design", choices=("grid", "lhs"), default="grid", help="every combination (grid) or a Latin hypercube (lhs)"
    )
    sweep.add_argument("--n", type=_between(1, MOST, "a positive integer"), default=None, help="points of a Latin hypercube")
    sensitivity = _subcommand(
        sub, "sensitivity", "rank the scenario's uncertain parameters by their effect (SALib)", "results/<scenario name>-<method>"
    )
    sensitivity.add_argument("--method", choices=("morris", "sobol"), default="morris", help="Morris screening or Sobol' indices")
    sensitivity.add_argument(
        "--n",
        type=_between(1, MOST, "a positive integer"),
        default=None,
        help="Morris trajectories (default 10) or Sobol' base samples, a power of 2 (default 64)",
    )
    _breakeven(sub)
    validate = sub.add_parser("validate", help="check a scenario file without running it")
    validate.add_argument("scenario", type=_path, help="scenario YAML file")
    _overrides(validate)  # what run would check with them
    report = sub.add_parser("report", help="write RESULTS_DIR/report.html: headline, charts, assumptions, STRESS-DES")
    report.add_argument("results", type=_path, metavar="RESULTS_DIR", help="a result folder written by secsim run")
    _period(report)
    _overrides(run)
    _answers(sub)
    return p


def _breakeven(sub: argparse._SubParsersAction) -> None:
    """``secsim breakeven``: where a regime's paired difference changes sign over one parameter, and what moves it."""
    p = _subcommand(
        sub,
        "breakeven",
        "find where a paired difference changes sign, and what moves it",
        "results/<scenario name>-breakeven",
    )
    p.add_argument(
        "--vary",
        required=True,
        action=_Once,
        metavar="PATH=RANGE",
        help="a dotted path to a number and its grid: LOW:HIGH (whole numbers), LOW:HIGH:STEP or v1,v2,... "
        "(e.g. parties.SUP-S.copies=0:12)",
    )
    p.add_argument("--metric", default="cost_gbp", help="the horizon metric whose difference is followed (default cost_gbp)")
    p.add_argument(
        "--no-swing",
        action="store_true",
        help="skip the swing of each uncertain parameter to its low and high end (default: swing them, if the "
        "scenario declares uncertain:)",
    )


def _overrides(run: argparse.ArgumentParser) -> None:
    """``run``'s changes to the scenario: values by dotted path, and the horizon."""
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="change one value of the scenario by the dotted path sweep's --param takes (cio.teams=4); repeatable",
    )
    run.add_argument("--years", type=_between(1, MOST, "a positive integer"), default=None, help="the horizon in years")
    run.add_argument("--start", default=None, metavar="YYYY-MM-DD", help="the horizon's first day")


def _period(p: argparse.ArgumentParser) -> None:
    """``--from`` and ``--to``: calendar years of a finished run's horizon (files are named for them)."""
    year = _between(1, 9999, "a year")
    p.add_argument("--from", dest="first", type=year, default=None, metavar="YEAR", help="first year (default: the run's first)")
    p.add_argument(
        "--to", dest="last", type=year, default=None, metavar="YEAR", help="last year, included (default: the run's last)"
    )


def _answers(sub: argparse._SubParsersAction) -> None:
    """``summarise`` (any period of a finished run) and ``compare`` (two result sets)."""
    summarise = sub.add_parser("summarise", help="the paired summary and who pays for any years of a run, from its tables")
    summarise.add_argument("results", type=_path, metavar="RESULTS_DIR", help="a result folder written by secsim run")
    _period(summarise)
    summarise.add_argument(
        "--out",
        type=_path,
        default=None,
        metavar="DIR",
        help="write summary-FROM-TO.csv and payers-FROM-TO.csv here, new or one secsim wrote (default: RESULTS_DIR)",
    )
    summarise.add_argument("--quiet", action="store_true", help="print only where the files went")
    compare = sub.add_parser("compare", help="B - A of two result sets, per regime and metric, with a 95%% interval")
    compare.add_argument("a", type=_path, metavar="A", help="a result folder written by secsim run")
    compare.add_argument("b", type=_path, metavar="B", help="another, over the same horizon, regimes and metrics")


def _subcommand(sub: argparse._SubParsersAction, name: str, text: str, out: str) -> argparse.ArgumentParser:
    """A sweep-like subcommand: the scenario, where to write, replications, seed, executor and cache."""
    p = sub.add_parser(name, help=text)
    p.add_argument("scenario", type=_path, help="scenario YAML file")
    p.add_argument("--out", type=_path, default=None, help=f"output folder, new or one secsim wrote (default: {out})")
    p.add_argument(
        "--reps",
        type=_between(1, MOST, "a positive integer"),
        default=None,
        help="replications per point and regime (default: the scenario's)",
    )
    p.add_argument(
        "--seed",
        type=_between(0, MAX_SEED, "a non-negative integer"),
        default=None,
        help="root random seed (default: the scenario's)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    _run_options(p, cache_default="$XDG_CACHE_HOME/secsim, else ~/.cache/secsim")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the replication cache")
    return p


def _run_options(p: argparse.ArgumentParser, cache_default: str | None) -> None:
    """Where replications run, and where finished ones are cached."""
    p.add_argument("--executor", choices=EXECUTORS, default="serial", help="serial (default), local processes, or Dask")
    p.add_argument(
        "--workers",
        type=_between(1, max_workers(), "a positive integer"),
        default=None,
        help=f"processes for process/local Dask (default: the number of cores; at most {max_workers()}, the larger of 4 and twice the cores)",
    )
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help="a running Dask scheduler (default: a local cluster)")
    p.add_argument(
        "--cache",
        type=_path,
        default=None,
        metavar="DIR",
        help=f"cache finished replications here, to resume (default: {cache_default or 'no cache'})",
    )
