"""CPU per assessment of the event loop as the industry grows: where does the 10x-parties ratio lose its linearity?

gb-baseline at 1, 2, 4 and 10 times the parties (``bench_scaling.bigger``: groups, SRPs, market, CIO teams and
SSC items alike), each run's industry drawn before the timer, every regime simulated (``sim.model.simulate``),
with the collector paused as a worker runs. A term that grows with the industry (a list of every party, a bisect
over a growing array, a heap of every process) adds the same amount per doubling or more; what this machine's
caches do (a core's hot data outgrowing its level-2 cache) rises and then levels off.

Run from the repo root: ``.venv/bin/python benchmarks/bench_sizes.py [--times 1 2 4 10] [--assessments N]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import yaml
from bench_scaling import GB, bigger

from sim.experiment.collector import paused_collection
from sim.inputs.scenario import load, regimes
from sim.model import industry_of, simulate


def per_assessment(path: Path, assessments: int) -> tuple[float, int]:
    """Microseconds of CPU per assessment over replications of ``path`` until about ``assessments`` were made."""
    scenario = load(path)
    chosen = regimes(scenario)
    for regime in chosen:  # warm-up: imports, caches
        simulate(scenario, regime, scenario.seed, 10_000)
    seconds, made, replication = 0.0, 0, 0
    while made < assessments:
        industry = industry_of(scenario, scenario.seed, replication)
        with paused_collection():
            began = time.process_time()
            for regime in chosen:
                records, _ = simulate(scenario, regime, scenario.seed, replication, industry)
                made += len(records.assessments)
            seconds += time.process_time() - began
        replication += 1
    return seconds / made * 1e6, made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--times", type=int, nargs="+", default=[1, 2, 4, 10])
    ap.add_argument("--assessments", type=int, default=40_000, help="about how many to time at each size")
    args = ap.parse_args()
    print(f"load average at the start {os.getloadavg()}")
    data = yaml.safe_load(GB.read_text())
    with tempfile.TemporaryDirectory() as folder:
        first = None
        for times in args.times:
            path = Path(folder) / f"gb-x{times}.yaml"
            path.write_text(yaml.safe_dump(bigger(data, times) if times > 1 else data, sort_keys=False))
            micro, made = per_assessment(path, args.assessments)
            first = first or micro
            print(f"x{times}: {micro:.1f} us CPU per assessment ({made} assessments), x{micro / first:.2f} of the first")
    print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
