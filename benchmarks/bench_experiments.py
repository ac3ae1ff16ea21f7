"""Experiments at scale, measured in one run: replications/s serial and on 2 worker processes,
what this machine lets two processes do at best, Dask's overhead per task, paired vs unpaired
CI half-widths, 1,000 paired gb-baseline replications end to end, and a sweep's peak memory.

Speed is measured here, never in timed tests. Every figure comes from this one run on this
machine, so the ratios (speed-up, variance reduction, memory per run) are the figures to
compare; absolute rates on a shared machine move between runs. Times include opening the
executor (starting worker processes or a local Dask cluster), as a user's command pays it.

The platform ceiling: two independent serial processes run the same replications side by
side, and their combined rate over one process's rate alone is the most any 2-worker pool can
reach at that moment (on a shared virtual machine it is often well below 2). The pool's
speed-up is reported beside it.

Run from the repo root: ``.venv/bin/python benchmarks/bench_experiments.py [--quick] [--all-regimes] [--json PATH]``.
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

from sim.analysis.summary import summarise
from sim.experiment.executors import ExecutorSpec, open_pool, ordered_map
from sim.experiment.runner import Runner, tasks
from sim.inputs.scenario import load, regimes

EXAMPLE = "scenarios/shared-resource-example.yaml"
GB = "scenarios/gb-baseline.yaml"
"""The calibrated GB population: the speed-up and the 1,000-replication target are measured on it."""


def replications_per_second(
    path: str, replications: int, spec: ExecutorSpec, names: int | None = None
) -> tuple[dict[str, float], pd.DataFrame]:
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
        list(runner.results(warm, len(warm), len(chosen)))
        warmed = time.perf_counter()
        rows = [
            (t.regime.name, t.replication, m, v)
            for t, result in runner.results(todo, len(todo), len(chosen))
            for m, v in result.totals.items()
        ]
        seconds = time.perf_counter() - warmed
    start = warmed - began
    rates = {
        "runs": len(todo),
        "runs_per_s": len(todo) / seconds,
        "start_s": start,
        "end_to_end_runs_per_s": len(todo) / (seconds + start),
    }
    return rates, pd.DataFrame(rows, columns=["regime", "replication", "metric", "value"])


def interleaved_speed_up(path: str, names: list[str], replications: int, rounds: int) -> dict[str, object]:
    """Serial and 2-process blocks of the same ``replications``, alternated ``rounds`` times with the pool kept open.

    A shared machine's speed drifts over seconds; alternating short blocks lets both executors
    see the same machine, and the speed-up is the ratio of their summed times for equal work.
    The pool's start (the fork server imports secsim) is timed apart.
    """
    scenario = load(path)
    chosen = [r for r in regimes(scenario) if r.name in names]
    block = list(tasks(scenario, chosen, scenario.seed, range(replications), "totals"))
    began = time.perf_counter()
    serial, pooled = [], []
    with open_pool(ExecutorSpec("process", workers=2)) as pool, open_pool(ExecutorSpec()) as alone, tqdm(disable=True) as bar:
        warm = list(tasks(scenario, chosen, scenario.seed, range(replications, replications + 2), "totals"))
        list(Runner(pool, None, bar).results(warm, len(warm), len(chosen)))
        start = time.perf_counter() - began
        for _ in range(rounds):
            for runner, times in ((Runner(alone, None, bar), serial), (Runner(pool, None, bar), pooled)):
                t0 = time.perf_counter()
                list(runner.results(block, len(block), len(chosen)))
                times.append(time.perf_counter() - t0)
    runs = len(block) * rounds
    return {
        "runs_each": runs,
        "serial_runs_per_s": runs / sum(serial),
        "process2_runs_per_s": runs / sum(pooled),
        "speed_up": sum(serial) / sum(pooled),
        "speed_up_by_round": [a / b for a, b in zip(serial, pooled, strict=True)],
        "pool_start_s": start,
        "speed_up_counting_start": sum(serial) / (sum(pooled) + start),
    }


SERIAL_CHILD = textwrap.dedent("""
    import json, sys, time
    from sim.inputs.scenario import load
    from sim.experiment.runner import chosen_regimes, perform, tasks
    path, names, first, last = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])
    scenario = load(path)
    chosen = chosen_regimes(scenario, names)
    todo = list(tasks(scenario, chosen, scenario.seed, range(first, last), "totals"))
    print("ready", flush=True)
    sys.stdin.readline()  # start together with the other process
    began = time.perf_counter()
    perform(todo)
    print(json.dumps({"runs": len(todo), "seconds": time.perf_counter() - began}), flush=True)
""")


def side_by_side(path: str, names: list[str], replications: int) -> tuple[float, float]:
    """(runs/s of one serial process alone, combined runs/s of two running at once), on the same replications."""

    def start(first: int, last: int) -> subprocess.Popen:
        child = subprocess.Popen(
            [sys.executable, "-c", SERIAL_CHILD, path, ",".join(names), str(first), str(last)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        return child

    def finish(child: subprocess.Popen) -> dict[str, float]:
        out, _ = child.communicate()
        return json.loads(out)

    alone = start(0, replications)
    alone.stdin.write("go\n")  # type: ignore[union-attr]
    one = finish(alone)
    half = replications // 2
    pair = [start(0, half), start(half, 2 * half)]
    for child in pair:
        child.stdin.write("go\n")  # type: ignore[union-attr]
        child.stdin.flush()  # type: ignore[union-attr]
    both = [finish(child) for child in pair]
    return one["runs"] / one["seconds"], sum(b["runs"] for b in both) / max(b["seconds"] for b in both)


def end_to_end(path: str, replications: int, names: list[str] | None) -> dict[str, object]:
    """``secsim run`` as a user types it, on 2 processes with the yearly table and summaries only: wall seconds."""
    with tempfile.TemporaryDirectory() as folder:
        command = [
            str(Path(sys.executable).with_name("secsim")),
            "run",
            path,
            "--reps",
            str(replications),
            "--executor",
            "process",
            "--workers",
            "2",
            "--detail-reps",
            "0",
            "--quiet",
        ]
        if names:
            command += ["--regimes", ",".join(names)]
        command += ["--out", str(Path(folder) / "out")]
        began = time.perf_counter()
        subprocess.run(command, check=True)
        seconds = time.perf_counter() - began
        manifest = json.loads((Path(folder) / "out" / "manifest.json").read_text())
    return {
        "command": " ".join(["secsim", *command[1:-2]]),
        "replications": replications,
        "regimes": [r["name"] for r in manifest["regimes"]],
        "seconds": seconds,
    }


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
    from sim.inputs.scenario import load
    from sim.experiment.executors import ExecutorSpec
    from sim.designs.sweep import RunSettings, sweep
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
        scenario.write_text(
            textwrap.dedent("""
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
        """)
        )
        values = ",".join(str(v) for v in range(1, points_per_team + 1))
        done = subprocess.run(
            [sys.executable, "-c", SWEEP_CHILD, str(scenario), values, str(Path(folder) / "out")],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller workloads (a smoke run, not the figures to quote)")
    ap.add_argument(
        "--all-regimes", action="store_true", help="also time the 1,000 replications with all three gb-baseline regimes"
    )
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = ap.parse_args()
    reps, sweep_points, gb_reps, rounds, tasks_n, e2e_reps = (
        (10, (2, 4), 2, 2, 200, 20) if args.quick else (60, (10, 100), 20, 4, 2000, 1000)
    )
    figures: dict[str, object] = {
        "machine": {
            "platform": platform.platform(),
            "python": sys.version.split()[0],
            "cores": os.cpu_count(),
            "load_average_1min_at_start": os.getloadavg()[0],
        }
    }

    serial, totals = replications_per_second(EXAMPLE, reps, ExecutorSpec())
    process, same = replications_per_second(EXAMPLE, reps, ExecutorSpec("process", workers=2))
    dask, also = replications_per_second(EXAMPLE, reps, ExecutorSpec("dask", workers=2))
    assert totals.equals(same) and totals.equals(also), "executors disagree"
    figures["example"] = {
        "serial": serial,
        "process2": process,
        "dask2": dask,
        "speed_up": process["runs_per_s"] / serial["runs_per_s"],
        "speed_up_end_to_end": process["end_to_end_runs_per_s"] / serial["end_to_end_runs_per_s"],
    }
    print(f"{EXAMPLE}: {reps} replications x 3 regimes = {serial['runs']} runs (identical totals on every executor)")
    print(f"{'executor':<22}{'runs/s':>8}{'start s':>9}{'runs/s incl. start':>20}")
    for name, rate in (("serial", serial), ("2 processes", process), ("Dask, 2 workers", dask)):
        print(f"{name:<22}{rate['runs_per_s']:>8.1f}{rate['start_s']:>9.2f}{rate['end_to_end_runs_per_s']:>20.1f}")
    print(
        f"speed-up of 2 processes: {figures['example']['speed_up']:.2f}x ({figures['example']['speed_up_end_to_end']:.2f}x counting the start)"
    )

    opened, per_task = dask_overhead_per_task(tasks_n)
    figures["dask"] = {"cluster_start_s": opened, "overhead_per_task_ms": per_task * 1000, "tasks": tasks_n}
    print(
        f"Dask local cluster (2 workers): start {opened:.2f} s; overhead per empty task {per_task * 1000:.2f} ms over {tasks_n} tasks"
    )

    summary = summarise(totals, sorted(totals.regime.unique(), key=["pre-secmp0044", "secmp0044", "sec-history"].index))
    paired = summary[
        (summary.regime != summary.baseline) & summary.metric.isin(["cost_gbp", "assessments_total", "cio_days", "late"])
    ]
    figures["pairing"] = paired[
        ["metric", "regime", "diff_mean", "diff_half_width", "unpaired_half_width", "variance_reduction"]
    ].to_dict("records")
    print(f"95% CI half-widths of the paired difference ({reps} replications):")
    for row in paired.itertuples():
        ratio = (row.unpaired_half_width / row.diff_half_width) ** 2 if row.diff_half_width else float("inf")
        print(
            f"  {row.metric:<18} {row.regime:<12} paired {row.diff_half_width:>12,.2f}  unpaired {row.unpaired_half_width:>12,.2f}"
            f"  variance removed {row.variance_reduction:.0%}  (independent runs would need {ratio:.1f}x the replications)"
        )

    pair = ["pre-secmp0044", "secmp0044"]
    measured = interleaved_speed_up(GB, pair, gb_reps, rounds)
    alone, together = side_by_side(GB, pair, 2 * gb_reps)
    gb = {
        "paired_replications_per_block": gb_reps,
        "rounds": rounds,
        "regimes": pair,
        **measured,
        "platform_ceiling": together / alone,
        "one_process_alone_runs_per_s": alone,
        "two_processes_runs_per_s": together,
    }
    print(
        f"\n{GB}: {gb_reps} paired replications of {' and '.join(pair)} ({2 * gb_reps} runs) a block, serial and on 2 "
        f"processes alternately, {rounds} rounds"
    )
    print(
        f"serial {measured['serial_runs_per_s']:.2f} runs/s, 2 processes {measured['process2_runs_per_s']:.2f} runs/s: "
        f"speed-up {measured['speed_up']:.2f}x (rounds: {', '.join(f'{r:.2f}' for r in measured['speed_up_by_round'])}); "
        f"{measured['speed_up_counting_start']:.2f}x counting the pool's start of {measured['pool_start_s']:.2f} s"
    )
    print(f"platform ceiling: two independent serial processes side by side reach {gb['platform_ceiling']:.2f}x one alone")
    target = end_to_end(GB, e2e_reps, pair)
    gb["end_to_end"] = [target]
    print(f"{target['command']}: {target['seconds']:.1f} s for {e2e_reps} paired replications (target: under 120 s for 1,000)")
    if args.all_regimes:
        every = end_to_end(GB, e2e_reps, None)
        gb["end_to_end"].append(every)
        print(f"{every['command']}: {every['seconds']:.1f} s for {e2e_reps} replications of all {len(every['regimes'])} regimes")
    figures["gb_baseline"] = gb

    memory = [sweep_memory(points) for points in sweep_points]
    figures["sweep_memory"] = memory
    for m in memory:
        print(
            f"sweep of {m['runs']:,} runs (2 processes): {m['seconds']:.1f} s, peak RSS of the sweeping process "
            f"{m['peak_rss_mib']:.0f} MiB, runs.csv {m['runs_csv_mib']:.1f} MiB"
        )

    figures["machine"]["load_average_1min_at_end"] = os.getloadavg()[0]  # type: ignore[index]
    print(
        f"load average (1 min) at start {figures['machine']['load_average_1min_at_start']:.2f}, at end {os.getloadavg()[0]:.2f}"  # type: ignore[index]
        " (other work on the 2 cores lowers the parallel figures)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=float) + "\n")


if __name__ == "__main__":
    main()
