"""Is a replication's cost linear in the industry's size and in the horizon? Two ratios, measured in one run.

- 10x the parties: gb-baseline with every group's count and entrants, the SRPs, the market's premises,
  the User CIO's teams and the SSC's items per meeting all multiplied by 10 (each party's world as in
  gb-baseline, ten times over), against gb-baseline. Linear is 10; the target is at most 11.
- 30 years: gb-baseline run for 30 years instead of its 11. Linear is 30/11 = 2.73; the target is at most 3.

Each variant and gb-baseline are timed in alternating blocks in this one process (CPU time of
``perform``, every regime of each replication, the yearly product that runs with ``--detail-reps 0``
keep; each block after a warm-up), and the ratio is of the summed times, so both see the same machine.
Each block starts from nothing cached (outside the timer): the variant and gb-baseline share a seed and
replication numbers, so a block would otherwise read the uniforms the other drew (``sim.model.draws_of``
is keyed by seed and replication) and free the other's cached industries, each flattering the variant.
A gb-baseline block runs as many more replications as the variant is larger (``linear``: 10 or 30/11 times
``--reps``), so both blocks do about the same work and average over as much of the world: gb-baseline's
replications differ in cost by up to half (a year of Follow-ups, a backlog), and two of them per block made
the ratio of one round anywhere from 9 to 15.

Run from the repo root: ``.venv/bin/python benchmarks/bench_scaling.py [--reps N] [--rounds K] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import tempfile
import time
from pathlib import Path

import yaml

from sim.experiment.runner import perform, tasks
from sim.inputs.scenario import Scenario, load, regimes
from sim.model import _DRAWS, _INDUSTRIES

GB = Path("scenarios/gb-baseline.yaml")
TIMES = 10


def bigger(data: dict, times: int) -> dict:
    """gb-baseline with ``times`` the parties (groups with entrants repeated, the others' counts multiplied), SRPs,
    market and capacity: each party's world as before."""
    out = copy.deepcopy(data)
    pop = out["population"]
    groups = []
    for group in pop["groups"]:
        if "entrants_per_year" in group:  # a group with entrants ten times over (a group's rate is bounded)
            groups += [{**group, "name": f"{group['name']}-{k + 1}"} for k in range(times)]
        else:
            groups.append({**group, "count": group.get("count", 0) * times})
    pop["groups"] = groups
    srps = pop["srps"]
    srps["count"] *= times
    srps["weights"] = [w / times for w in srps["weights"]] * times
    pop["market_premises"] = {d: v * times for d, v in pop["market_premises"].items()}
    out["cio"] = {**out.get("cio", {}), "teams": out.get("cio", {}).get("teams", 3) * times}
    out["ssc"] = {**out.get("ssc", {}), "items_per_meeting": out.get("ssc", {}).get("items_per_meeting", 10) * times}
    out["name"] = f"{data['name']}-x{times}"
    return out


def cpu_per_replication(scenario: Scenario, first: int, count: int) -> tuple[float, int]:
    """CPU seconds per replication (every regime) of ``count`` replications from ``first``, and the runs' assessments."""
    chosen = regimes(scenario)
    todo = list(tasks(scenario, chosen, scenario.seed, range(first, first + count), "yearly"))
    _INDUSTRIES.clear()  # nothing another block drew or cached (see the module's docstring)
    getattr(_DRAWS, "cache", {}).clear()
    gc.collect()
    began = time.process_time()
    results = perform(todo)
    seconds = time.process_time() - began
    assessments = sum(r.totals["assessments_total"] for r in results)
    return seconds / count, int(assessments)


def compare(name: str, base: Scenario, other: Scenario, reps: int, rounds: int, target: float, linear: float) -> dict:
    """Alternating blocks of ``base`` and ``other``; the ratio of their summed CPU per replication."""
    for scenario in (base, other):
        cpu_per_replication(scenario, 10_000, 1)  # warm-up: imports, caches
    times: dict[str, list[float]] = {"base": [], "other": []}
    made: dict[str, float] = {"base": 0.0, "other": 0.0}
    count = {"base": round(reps * linear), "other": reps}  # about the same work in each block (see the docstring)
    for k in range(rounds):
        order = [("base", base), ("other", other)] if k % 2 == 0 else [("other", other), ("base", base)]
        for key, scenario in order:
            seconds, assessments = cpu_per_replication(scenario, 100 * k, count[key])
            times[key].append(seconds)
            made[key] += assessments / count[key]  # per replication, as the times are
    ratio = sum(times["other"]) / sum(times["base"])
    per_assessment = (sum(times["other"]) / made["other"]) / (sum(times["base"]) / made["base"])
    print(
        f"{name}: {sum(times['base']) / rounds * 1000:.0f} ms -> {sum(times['other']) / rounds * 1000:.0f} ms CPU per "
        f"replication, ratio {ratio:.2f} (linear {linear:.2f}, target at most {target:g}); assessments "
        f"x{made['other'] / made['base']:.2f}, CPU per assessment x{per_assessment:.2f}; by round: "
        + ", ".join(f"{o / b:.2f}" for o, b in zip(times["other"], times["base"], strict=True))
    )
    return {"ratio": ratio, "linear": linear, "target": target, "base_s": times["base"], "other_s": times["other"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=2, help="replications per block")
    ap.add_argument("--rounds", type=int, default=4, help="alternating rounds")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = ap.parse_args()
    print(f"load average at the start {os.getloadavg()}")
    data = yaml.safe_load(GB.read_text())
    base = load(GB)
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / "gb-x10.yaml"
        big.write_text(yaml.safe_dump(bigger(data, TIMES), sort_keys=False))
        long = Path(folder) / "gb-30-years.yaml"
        long.write_text(yaml.safe_dump({**data, "name": "gb-baseline-30-years", "years": 30}, sort_keys=False))
        figures = {
            "parties_x10": compare(f"{TIMES}x the parties", base, load(big), args.reps, args.rounds, 11, TIMES),
            "horizon_30_years": compare("30-year horizon", base, load(long), args.reps, args.rounds, 3, 30 / 11),
        }
    print(f"load average at the end {os.getloadavg()}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
