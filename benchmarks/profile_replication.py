"""Where one GB replication's time goes: its phases timed, and the event loop's time split by what it does.

Phases (CPU time, ``time.process_time``, summed over ``--reps`` replications after a warm-up, as a
worker runs them with the collector as ``perform`` leaves it): drawing the industry, simulating each
regime, building the yearly table (what runs with ``--detail-reps 0`` keep), the per-event tables
(only for the first ``--detail-reps``), the run totals the summaries need, and pickling a chunk's
results as a worker process sends them back. The simulation's share is then split, over as many other replications, with
``cProfile`` (which slows what it watches, so only its shares are quoted) into SimPy's own event
handling, the model's lifecycles, rule and count lookups, the random streams, and the records.

Works on any commit with this package layout, so ``PYTHONPATH=<checkout of REV>`` profiles REV.
Run from the repo root: ``.venv/bin/python benchmarks/profile_replication.py [--scenario FILE] [--reps N]``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pickle
import pstats
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sim
from sim.analysis.summary import run_totals, year_totals
from sim.analysis.tables import replication_rows, yearly_rows
from sim.core.streams import Streams
from sim.experiment import collector
from sim.industry.parties import build
from sim.inputs.scenario import load, regimes
from sim.model import simulate, timeline_of

try:  # the yearly table's own module since the speed work; the baseline (db664f1) built it in sim.analysis.tables
    from sim.analysis import yearly as yearly_mod
except ImportError:
    yearly_mod = None  # type: ignore[assignment]

KINDS = {
    "SimPy's event handling": ("simpy/",),
    "lifecycles, CIO, SSC (sim/model)": (
        "sim/model/lifecycle.py",
        "sim/model/planning.py",
        "sim/model/wakes.py",
        "sim/model/cio.py",
        "sim/model/ssc.py",
        "sim/model/waits.py",
    ),
    "rule and count lookups": ("sim/law/", "sim/model/rules_in_force.py", "sim/industry/", "sim/core/timeline.py"),
    "random streams and durations": ("sim/core/streams.py", "sim/core/distributions.py", "random.py"),
    "records": ("sim/model/records.py", "sim/model/srp_status.py", "<string>"),
}
"""What a profiled function's file says it does (the first match; anything else is     "other")."""


def _totals(rows: list, scenario: object) -> dict:
    """``run_totals`` as the profiled checkout takes it (its years' days since the ninth session; none before)."""
    year_days = getattr(yearly_mod, "year_days", None)
    return run_totals(rows) if year_days is None else run_totals(rows, year_days(scenario.start, scenario.end))  # type: ignore[attr-defined,call-arg]


def _paused() -> object:
    return getattr(collector, "paused_collection", None) or collector.fewer_collections  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="scenarios/gb-baseline.yaml")
    ap.add_argument("--reps", type=int, default=10)
    args = ap.parse_args()
    scenario = load(args.scenario)
    chosen = regimes(scenario)
    timeline = timeline_of(scenario)
    phases: dict[str, float] = {}

    @contextmanager
    def timed(name: str) -> Iterator[None]:
        began = time.process_time()
        yield
        phases[name] = phases.get(name, 0.0) + time.process_time() - began

    profile = cProfile.Profile()
    with _paused()():
        for replication in [10_000, *range(args.reps)]:  # the first, a warm-up, is not counted
            if replication == 0:
                phases.clear()
            with timed("industry drawn"):
                industry = build(scenario, timeline, Streams(scenario.seed, replication))
            results = []
            for regime in chosen:
                with timed("regimes simulated"):
                    records, model = simulate(scenario, regime, scenario.seed, replication, industry)
                with timed("yearly table"):
                    rows = yearly_rows(regime.name, replication, records, model)
                with timed("per-event tables (detail only)"):
                    replication_rows(regime.name, replication, records, model)
                with timed("run totals"):
                    results.append((rows, _totals(rows, scenario), year_totals(rows)))  # what a worker sends back
            with timed("pickling the results"):
                pickle.dumps(results)
        for replication in range(args.reps, 2 * args.reps):
            industry = build(scenario, timeline, Streams(scenario.seed, replication))
            profile.enable()
            for regime in chosen:
                simulate(scenario, regime, scenario.seed, replication, industry)
            profile.disable()

    per = {name: seconds / args.reps * 1000 for name, seconds in phases.items()}
    kept = sum(v for k, v in per.items() if "detail" not in k)
    print(
        f"sim from {Path(sim.__file__).parent}; {args.scenario}, {len(chosen)} regimes, {args.reps} replications; "
        f"load average {os.getloadavg()}"
    )
    print(f"{'phase':<34}{'ms per replication':>20}{'share':>8}")
    for name, ms in per.items():
        share = f"{ms / kept:.0%}" if "detail" not in name else "(extra)"
        print(f"{name:<34}{ms:>20.1f}{share:>8}")
    print(f"{'a replication without detail':<34}{kept:>20.1f}")

    stats = pstats.Stats(profile)
    by_kind: dict[str, float] = {}
    for (path, _, _), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        kind = next((k for k, marks in KINDS.items() if any(m in path for m in marks)), "other")
        by_kind[kind] = by_kind.get(kind, 0.0) + tottime
    total = sum(by_kind.values())
    print("simulating, split by cProfile's own time per function (shares only; other: builtins, numpy, dateutil):")
    for kind, seconds in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:<40}{seconds / total:>6.0%}")


if __name__ == "__main__":
    main()
