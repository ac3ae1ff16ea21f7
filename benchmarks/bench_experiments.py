"""Experiments at scale, measured in one run: replications/s serial and on 2 worker processes,
Dask's overhead per task, paired vs unpaired CI half-widths, and a sweep's peak memory.

Speed is measured here, never in timed tests. Every figure comes from this one run on this
machine, so the ratios (speed-up, variance reduction, memory per run) are the figures to
compare; absolute rates on a shared machine move between runs. Times include opening the
executor (starting worker processes or a local Dask cluster), as a user's command pays it.

Run from the repo root: ``.venv/bin/python benchmarks/bench_experiments.py [--quick] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from sim.executors import ExecutorSpec, open_pool, ordered_map
from sim.experiment import Runner, tasks
from sim.scenario import load, regimes
from sim.summary import summarise

EXAMPLE = "scenarios/shared-resource-example.yaml"
GB = "scenarios/gb-baseline.yaml"
"""Measured too when present (the calibrated GB population)."""


def replications_per_second(path: str, replications: int, spec: ExecutorSpec, names: int | None = None) -> tuple[dict[str, float], pd.DataFrame]:
    """Runs per second of ``replications`` of the scenario's first ``names`` regimes, and their horizon totals.

    ``runs_per_s`` is measured once the executor is open and each worker has run a chunk (the
    steady rate a long run sees); ``start_s`` is what opening and warming it cost, and
    ``end_to_end_runs_per_s`` counts that too.
    """
    scenario = load(path)
    chosen = regimes(scenario)[: names or None]
    todo = list(tasks(scenario, chosen, scenario.seed, range(replications), "totals"))
    warm = list(tasks(scenario, chosen, scenario.seed, range(replications, replications + 2 * (spec.workers or 1)), "totals"))
    began = time.perf_counter()
    with open_pool(spec) as pool, tqdm(disable=True) as bar:
        runner = Runner(pool, None, bar)
        list(runner.results(warm, len(warm)))
        warmed = time.perf_counter()
        rows = [(t.regime.name, t.replication, m, v) for t, totals in runner.results(todo, len(todo)) for m, v in totals.items()]
        seconds = time.perf_counter() - warmed
    start = warmed - began
    rates = {"runs": len(todo), "runs_per_s": len(todo) / seconds, "start_s": start, "end_to_end_runs_per_s": len(todo) / (seconds + start)}
    return rates, pd.DataFrame(rows, columns=["regime", "replication", "metric", "value"])


def _nothing(chunk: list) -> list:
    return []


def dask_overhead_per_task(n: int) -> tuple[float, float]:
    """(seconds to open a 2-worker local cluster, seconds per empty task through ``ordered_map``)."""
    began = time.perf_counter()
    with open_pool(ExecutorSpec("dask", workers=2)) as pool:
        opened = time.perf_counter() - began
        list(ordered_map(lambda i: pool.executor.submit(_nothing, [i]), range(20), 4))  # warm the workers
        began = time.perf_counter()
        list(ordered_map(lambda i: pool.executor.submit(_nothing, [i]), range(n), 2 * pool.parallelism))
        return opened, (time.perf_counter() - began) / n


SWEEP_CHILD = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from sim.scenario import load
    from sim.executors import ExecutorSpec
    from sim.sweep import RunSettings, sweep
    scenario, values, out = load(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    began = time.perf_counter()
    done = sweep(scenario, [f"ssc.items_per_meeting={values}", "cio.teams=1,2,3,4,5"], "grid", None, out,
                 RunSettings(replications=10, executor=ExecutorSpec("process", workers=2), progress=False))
    print(json.dumps({"runs": done["runs"], "seconds": time.perf_counter() - began,
                      "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "runs_csv_mib": (out / "runs.csv").stat().st_size / 2**20}))
""")


def sweep_memory(points_per_team: int) -> dict[str, float]:
    """A sweep of 5 x ``points_per_team`` points x 10 replications x 2 regimes, in a fresh process: its peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        scenario = Path(folder) / "five.yaml"
        scenario.write_text(textwrap.dedent("""
            name: five-parties
            start: 2018-01-01
            years: 6
            regimes: [pre-secmp0044, secmp0044]
            parties:
              - {id: SRP-1, role: srp}
              - {id: SUP-L, role: supplier, premises: 300000, srp: SRP-1}
              - {id: SUP-S, role: supplier, premises: 100000, srp: SRP-1}
              - {id: NET-1, role: network, premises: 400000}
              - {id: OTH-1, role: other}
        """))
        values = ",".join(str(v) for v in range(1, points_per_team + 1))
        done = subprocess.run([sys.executable, "-c", SWEEP_CHILD, str(scenario), values, str(Path(folder) / "out")],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller workloads (a smoke run, not the figures to quote)")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = ap.parse_args()
    reps, sweep_points, gb_reps, tasks_n = (10, (2, 4), 2, 200) if args.quick else (60, (10, 100), 10, 2000)
    figures: dict[str, object] = {"machine": {"platform": platform.platform(), "python": sys.version.split()[0],
                                              "cores": os.cpu_count(), "load_average_1min_at_start": os.getloadavg()[0]}}

    serial, totals = replications_per_second(EXAMPLE, reps, ExecutorSpec())
    process, same = replications_per_second(EXAMPLE, reps, ExecutorSpec("process", workers=2))
    dask, also = replications_per_second(EXAMPLE, reps, ExecutorSpec("dask", workers=2))
    assert totals.equals(same) and totals.equals(also), "executors disagree"
    figures["example"] = {"serial": serial, "process2": process, "dask2": dask,
                          "speed_up": process["runs_per_s"] / serial["runs_per_s"],
                          "speed_up_end_to_end": process["end_to_end_runs_per_s"] / serial["end_to_end_runs_per_s"]}
    print(f"{EXAMPLE}: {reps} replications x 3 regimes = {serial['runs']} runs (identical totals on every executor)")
    print(f"{'executor':<22}{'runs/s':>8}{'start s':>9}{'runs/s incl. start':>20}")
    for name, rate in (("serial", serial), ("2 processes", process), ("Dask, 2 workers", dask)):
        print(f"{name:<22}{rate['runs_per_s']:>8.1f}{rate['start_s']:>9.2f}{rate['end_to_end_runs_per_s']:>20.1f}")
    print(f"speed-up of 2 processes: {figures['example']['speed_up']:.2f}x ({figures['example']['speed_up_end_to_end']:.2f}x counting the start)")

    opened, per_task = dask_overhead_per_task(tasks_n)
    figures["dask"] = {"cluster_start_s": opened, "overhead_per_task_ms": per_task * 1000, "tasks": tasks_n}
    print(f"Dask local cluster (2 workers): start {opened:.2f} s; overhead per empty task {per_task * 1000:.2f} ms over {tasks_n} tasks")

    summary = summarise(totals, sorted(totals.regime.unique(), key=["pre-secmp0044", "secmp0044", "sec-history"].index))
    paired = summary[(summary.regime != summary.baseline) & summary.metric.isin(["cost_gbp", "assessments_total", "cio_days", "late"])]
    figures["pairing"] = paired[["metric", "regime", "diff_mean", "diff_half_width", "unpaired_half_width", "variance_reduction"]].to_dict("records")
    print(f"95% CI half-widths of the paired difference ({reps} replications):")
    for row in paired.itertuples():
        ratio = (row.unpaired_half_width / row.diff_half_width) ** 2 if row.diff_half_width else float("inf")
        print(f"  {row.metric:<18} {row.regime:<12} paired {row.diff_half_width:>12,.2f}  unpaired {row.unpaired_half_width:>12,.2f}"
              f"  variance removed {row.variance_reduction:.0%}  (independent runs would need {ratio:.1f}x the replications)")

    if Path(GB).exists():
        rate, _ = replications_per_second(GB, gb_reps, ExecutorSpec("process", workers=2), names=2)
        projected = rate["start_s"] + 2000 / rate["runs_per_s"]
        figures["gb_baseline"] = {"paired_replications": gb_reps, "process2": rate, "projected_s_for_1000_paired": projected}
        print(f"{GB}: {gb_reps} paired replications (2 regimes) on 2 processes: {rate['runs_per_s']:.2f} runs/s; "
              f"1,000 paired replications would take about {projected:,.0f} s at this rate (a projection, not a measurement)")

    memory = [sweep_memory(points) for points in sweep_points]
    figures["sweep_memory"] = memory
    for m in memory:
        print(f"sweep of {m['runs']:,} runs (2 processes): {m['seconds']:.1f} s, peak RSS of the sweeping process "
              f"{m['peak_rss_mib']:.0f} MiB, runs.csv {m['runs_csv_mib']:.1f} MiB")

    figures["machine"]["load_average_1min_at_end"] = os.getloadavg()[0]  # type: ignore[index]
    print(f"load average (1 min) at start {figures['machine']['load_average_1min_at_start']:.2f}, at end {os.getloadavg()[0]:.2f}"  # type: ignore[index]
          " (other work on the 2 cores lowers the parallel figures)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=float) + "\n")


if __name__ == "__main__":
    main()
