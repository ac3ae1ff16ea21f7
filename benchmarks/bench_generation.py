"""Generating the GB population against simulating it: one replication of gb-baseline, in one run.

Issue "the industry over time" asks that drawing a replication's population and trajectories
costs a small fraction of that replication's simulation. A replication simulates every regime
of the scenario on one industry (drawn once per replication, ``sim.model.industry_of``). Both
are timed here in the same run, interleaved round by round, best of ``--repeat``; the ratios
are the figures to read.

Run from the repo root: ``.venv/bin/python benchmarks/bench_generation.py [--scenario FILE] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import time

from sim.core.streams import Streams
from sim.industry.parties import build
from sim.inputs.scenario import load, regimes
from sim.model import simulate, timeline_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="scenarios/gb-baseline.yaml")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scenario = load(args.scenario)
    timeline = timeline_of(scenario)
    all_regimes = regimes(scenario)
    generate, simulate_s = [], []
    for r in range(args.repeat):
        began = time.perf_counter()
        industry = build(scenario, timeline, Streams(scenario.seed, r))
        generate.append(time.perf_counter() - began)
        began = time.perf_counter()
        for regime in all_regimes:
            simulate(scenario, regime, scenario.seed, r, industry)
        simulate_s.append(time.perf_counter() - began)
    g, s = min(generate), min(simulate_s)
    parties = len(industry.actors)
    print(f"{scenario.name}: {parties} parties, {len(all_regimes)} regimes, best of {args.repeat}")
    print(f"generate population            {g * 1000:8.1f} ms")
    print(f"simulate one regime (mean)     {s / len(all_regimes) * 1000:8.1f} ms")
    print(f"simulate the replication       {s * 1000:8.1f} ms")
    print(f"ratio generate/replication: {g / s:.3f}   generate/one regime: {g * len(all_regimes) / s:.3f}")


if __name__ == "__main__":
    main()
