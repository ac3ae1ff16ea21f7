"""SimPy events per second: the secsim model against a bare SimPy loop, measured in one run, and
what one assessment costs in bare SimPy events.

Speed is measured here, not in timed tests: a test that asserts a wall-clock limit fails on a
slow or busy machine and passes on a fast one, telling nothing about the code. Absolute rates
from this shared machine are noisy too, so the figure that matters is the ratio model/bare:
both are counted the same way (one ``env.step()`` per event in a Python loop), timed in the
same run, interleaved round by round, and each takes its best of ``--repeat`` rounds.

Events per second alone rewards a model for spending events: since the CIO's starts are computed
and reviews call back (about 3 events per assessment instead of 12), each event carries more of
the model's work and the events/s ratio fell while a replication got three times faster. So the
run also reports the model's seconds per assessment in units of the bare loop's seconds per event:
"an assessment costs as much as N bare SimPy events", lower is better.

``--scenario FILE`` measures another scenario: by default the deterministic small example, whose figures
compare across sessions; ``--scenario scenarios/gb-baseline.yaml`` measures the GB world as a replication
runs it (stochastic: replication 0, its industry and its uniforms drawn afresh each round and shared by
the round's regimes, so drawing them is paid once a round, by its first regime).

Run from the repo root: ``.venv/bin/python benchmarks/bench_events.py [--scenario FILE] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Generator
from functools import partial
from importlib.metadata import version
from pathlib import Path

import simpy

from sim import model
from sim.core.streams import Draws, Streams
from sim.industry import parties as industry
from sim.industry.parties import Industry
from sim.inputs import scenario
from sim.law.regime import Regime
from sim.model.lifecycle import Model

SCENARIO = "scenarios/shared-resource-example.yaml"
WORKERS, ROUNDS, SERVERS = 30, 60, 3
"""Bare loop: 30 processes, each timing out 60 times and using a 3-server Resource every 10th."""

Run = Callable[[], tuple[int, int]]
"""Runs an already built simulation to its end; returns the events stepped and the assessments made."""


def model_runs(path: str = SCENARIO) -> dict[str, Callable[[], Run]]:
    """One builder per regime of a scenario, as ``simulate`` builds a replication's runs: the regimes of a round share
    one industry (and, when stochastic, one replication's uniforms), drawn afresh for each round (the industry outside
    the timer), so the counts it works out the first time a rule asks for them, and the uniforms, are paid once a
    round, by its first regime, as in a replication. The default example runs deterministic."""
    sc = scenario.load(path)
    if Path(path).resolve() == Path(SCENARIO).resolve():
        sc = sc.model_copy(update={"deterministic": True})
    shared: list[tuple[Industry, Draws]] = []

    def builder(regime: Regime, first: bool) -> Run:
        if first:
            shared[:] = [(industry.build(sc, model.timeline_of(sc), Streams(sc.seed, 0, sc.deterministic)), {})]
        built, draws = shared[0]
        m = Model(sc, regime, built, Streams(sc.seed, 0, sc.deterministic, draws))
        return lambda: (m.run().events, len(m.records.assessments))

    return {f"model {r.name}": partial(builder, r, k == 0) for k, r in enumerate(scenario.regimes(sc))}


def bare_run() -> Run:
    """A trivial SimPy workload stepped exactly as ``Model.run`` steps."""
    env = simpy.Environment()
    res = simpy.Resource(env, capacity=SERVERS)

    def worker(i: int) -> Generator[simpy.Event, object, None]:
        delay = 1.0 + (i * 7 % 11) / 10
        for k in range(ROUNDS):
            yield env.timeout(delay)
            if k % 10 == 0:
                with res.request() as req:
                    yield req
                    yield env.timeout(0.5)

    done = env.all_of([env.process(worker(i)) for i in range(WORKERS)])

    def run() -> tuple[int, int]:
        n = 0
        while not done.processed:
            env.step()
            n += 1
        return n, 0

    return run


def measure(builders: dict[str, Callable[[], Run]], repeat: int) -> dict[str, tuple[int, float, int]]:
    """Best (events, seconds, assessments) per name; each round builds afresh and times only the stepping."""
    best: dict[str, tuple[int, float, int]] = {}
    for _ in range(repeat):
        for name, build in builders.items():
            run = build()
            t0 = time.perf_counter()
            events, assessments = run()
            seconds = time.perf_counter() - t0
            if name not in best or seconds < best[name][1]:
                best[name] = (events, seconds, assessments)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10, help="rounds; each figure is its best round")
    ap.add_argument("--scenario", default=SCENARIO, help="the scenario whose regimes are measured")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = ap.parse_args()

    best = measure({**model_runs(args.scenario), "bare simpy": bare_run}, args.repeat)
    models = [v for k, v in best.items() if k.startswith("model ")]
    best["model total"] = (sum(e for e, _, _ in models), sum(s for _, s, _ in models), sum(a for _, _, a in models))
    rates = {k: e / s for k, (e, s, _) in best.items()}
    ratio = rates["model total"] / rates["bare simpy"]
    _, model_seconds, assessments = best["model total"]
    bare_events, bare_seconds, _ = best["bare simpy"]
    per_assessment = (model_seconds / assessments) / (bare_seconds / bare_events)
    events_per = best["model total"][0] / assessments

    machine = {"platform": platform.platform(), "python": sys.version.split()[0], "simpy": version("simpy")}
    print("  ".join(f"{k}={v}" for k, v in machine.items()) + f"  best of {args.repeat}  {args.scenario}")
    width = max(map(len, best)) + 2
    print(f"{'name':<{width}}{'events':>8}{'assessments':>13}{'seconds':>10}{'events/s':>12}")
    for name, (events, seconds, made) in best.items():
        print(f"{name:<{width}}{events:>8}{made or '':>13}{seconds:>10.4f}{rates[name]:>12,.0f}")
    print(f"ratio model/bare events/s: {ratio:.3f}")
    print(
        f"one assessment costs as much time as {per_assessment:.1f} bare SimPy events ({events_per:.1f} model events per assessment)"
    )
    if args.json:
        rows = {k: {"events": e, "seconds": s, "assessments": a, "events_per_s": rates[k]} for k, (e, s, a) in best.items()}
        out = {
            "machine": machine,
            "scenario": args.scenario,
            "repeat": args.repeat,
            "rows": rows,
            "ratio_model_bare": ratio,
            "assessment_in_bare_events": per_assessment,
            "events_per_assessment": events_per,
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
