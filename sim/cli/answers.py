"""The analyst's answers on the command line: ``run``'s changes to a scenario (``--set``, ``--years``,
``--start``), who pays in ``run``'s printout, ``summarise`` (any period of a finished run) and ``compare``
(two result sets). Kept apart from ``commands`` so each subcommand's code stays small.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.conclusion import conclusion
from ..analysis.payers import render_payers
from ..analysis.summary import render, render_readings
from ..core.errors import InputError
from ..inputs.overrides import PathError, lookup, value_of
from ..inputs.scenario import Scenario, as_data


def changed_by(args: argparse.Namespace) -> str:
    """What a value ``--set``, ``--years`` or ``--start`` gave is named by: the one option given, else all three."""
    given = [f"--set {text}" for text in args.set]
    given += [f"{option} {value}" for option, value in (("--years", args.years), ("--start", args.start)) if value is not None]
    return given[0] if len(given) == 1 else "--set/--years/--start"


def overridden(scenario: Scenario, args: argparse.Namespace) -> tuple[Scenario, list[dict[str, Any]]]:
    """The scenario with ``--set``, ``--years`` and ``--start`` applied and validated again, and what each changed
    (for the manifest: option, path, value, and the value the file gave)."""
    data = as_data(scenario)
    changes: dict[str, Any] = {}
    said: list[tuple[str, str]] = []
    for text in args.set:
        path, sep, value = text.partition("=")
        if not sep or not path or not value:
            raise InputError(f"--set {text}: expected PATH=VALUE, e.g. cio.teams=4")
        try:
            lookup(data, path)
        except PathError as exc:
            raise InputError(f"--set {text}: {exc}") from None
        if path in changes:
            raise InputError(f"--set {text}: {path} is set twice; give it once")
        changes[path] = value_of(value, f"--set {text}")
        said.append((f"--set {text}", path))
    for option, path in (("--seed", "seed"), ("--reps", "replications")):  # applied to the run, not to the scenario
        if path in changes and getattr(args, option[2:], None) is not None:
            raise InputError(f"{option} {getattr(args, option[2:])}: {path} is given by --set too; give it once")
    for option, path, value in (("--years", "years", args.years), ("--start", "start", args.start)):
        if value is not None:
            if path in changes:
                raise InputError(f"{option} {value}: {path} is given by --set too; give it once")
            changes[path] = value
            said.append((f"{option} {value}", path))
    if not changes:
        return scenario, []
    source = changed_by(args)
    changed = scenario.with_(changes, source=source)
    after = as_data(changed)
    record = [
        {"option": option.split(" ")[0], "path": path, "value": lookup(after, path), "scenario_file_value": lookup(data, path)}
        for option, path in said
    ]
    return changed, record


def print_answers(
    summary: pd.DataFrame, payers: pd.DataFrame, period: tuple[int, int], readings: Any, horizon: tuple[str, str], detail: str
) -> None:
    """The printed summary, who pays and the answer in words (``run`` and ``summarise``)."""
    print(render(summary))
    print("\n" + render_payers(payers, detail))
    print("\nIn words:")
    for paragraph in conclusion(summary, payers, period, None, *horizon):
        kept = paragraph.replace(" % CI", "\x01%\x01CI")  # "95 % CI" stays on one line
        wrapped = textwrap.fill(kept, 110, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)
        print(wrapped.replace("\x01", " "))
    print("\n" + render_readings(readings, horizon[0]))


def detail_words(kept: int, n: int) -> str:
    """What the size-class rows cover when ``--detail-reps`` kept fewer replications ("" when all)."""
    if kept >= n:
        return ""
    if kept == 0:
        return "not available: no replication kept per-event tables (--detail-reps 0)"
    return f"from the {kept} of {n} replications that kept per-event tables (--detail-reps {kept})"


def summarise(args: argparse.Namespace) -> int:
    """``secsim summarise``: a period's summary and who pays, from the tables written; into the folder or ``--out``."""
    from ..analysis.periods import chosen
    from ..results import sub_period
    from ..results.result_set import load

    rs = load(args.results)
    period = chosen(rs.tables["yearly"], args.first, args.last, str(args.results))
    tables = sub_period.frames(rs, period)
    written = sub_period.write(rs, period, tables, args.out)
    if not args.quiet:
        n, kept = int(rs.manifest["replications"]), sub_period.detail_replications(rs)
        print(
            f"{rs.name}: {period[0]} to {period[1]} of a run from {rs.manifest['start']} to {rs.manifest['end']} "
            f"(exclusive), {n} replication(s), from yearly.csv (every replication)\n"
        )
        summary, payers = tables.values()
        horizon = (rs.manifest["start"], rs.manifest["end"])
        print_answers(summary, payers, period, rs.manifest.get("readings"), horizon, detail_words(kept, n))
    print("written: " + ", ".join(str(p) for p in written))
    return 0


def compare(args: argparse.Namespace) -> int:
    """``secsim compare A B``: B − A per regime and metric, paired where the runs share seed and industry."""
    from ..analysis.compare import check_comparable, compare as differences, pairing, render_comparison
    from ..analysis.periods import horizon_years, period_totals
    from ..results.result_set import load

    sets = [load(folder) for folder in (args.a, args.b)]
    data = [{"manifest": rs.manifest, "scenario": rs.scenario, "summary": rs.tables["summary"]} for rs in sets]
    check_comparable(data[0], data[1], f"secsim compare {args.a} {args.b}")
    is_paired, how = pairing(data[0], data[1])
    totals = [
        period_totals(rs.tables["yearly"], horizon_years(rs.tables["yearly"]), (rs.manifest["start"], rs.manifest["end"]))
        for rs in sets
    ]
    table = differences(totals[0], totals[1], sets[0].regimes, sets[0].baselines, is_paired)
    print(f"A: {args.a} ({sets[0].name}, seed {sets[0].manifest['seed']}, {sets[0].manifest['replications']} replication(s))")
    print(f"B: {args.b} ({sets[1].name}, seed {sets[1].manifest['seed']}, {sets[1].manifest['replications']} replication(s))")
    print(render_comparison(table, how))
    return 0


def report_period(args: argparse.Namespace) -> Path:
    """``secsim report`` with ``--from``/``--to``: the period's report (``report-FROM-TO.html``)."""
    from ..reports.page import write_report

    return write_report(args.results, (args.first, args.last) if args.first is not None or args.last is not None else None)
