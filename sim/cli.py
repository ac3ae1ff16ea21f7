"""The ``secsim`` command: run a scenario, or validate one without running it.

A user's mistake (a bad scenario file, a bad option) is one line on stderr and exit status
2, with nothing written; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from . import __version__
from .errors import InputError


def _at_least(minimum: int, words: str):
    """An argparse type: an integer >= ``minimum``, with a one-line message otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {words}, got {text!r}")
        return value

    return parse


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
    run.add_argument("--out", type=Path, default=None, help="output folder (default: results/<scenario name>)")
    run.add_argument("--reps", type=_at_least(1, "a positive integer"), default=None, help="replications per regime (default: the scenario's)")
    run.add_argument("--seed", type=_at_least(0, "a non-negative integer"), default=None, help="root random seed (default: the scenario's)")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    validate = sub.add_parser("validate", help="check a scenario file without running it")
    validate.add_argument("scenario", type=Path, help="scenario YAML file")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        return _run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 130


def _validate(args: argparse.Namespace) -> int:
    from .scenario import load, regimes

    scenario = load(args.scenario)
    names = ", ".join(r.name for r in regimes(scenario))
    print(f"{args.scenario}: ok ({scenario.name}: {len(scenario.parties)} parties, {scenario.years} years from {scenario.start}, regimes {names})")
    return 0


def _run(args: argparse.Namespace) -> int:
    from .experiment import run
    from .output import write
    from .scenario import load
    from .summary import render

    scenario = load(args.scenario)
    out = args.out or Path("results") / scenario.name
    result = run(scenario, seed=args.seed, replications=args.reps, progress=None if not args.quiet else False)
    written = write(result, out, str(args.scenario))
    if not args.quiet:
        print(f"{scenario.name}: {result.replications} replication(s) x {len(result.regimes)} regime(s), "
              f"seed {result.seed}, {result.wall_seconds:.1f} s\n")
        print(render(result.summary))
        print(f"results: {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
