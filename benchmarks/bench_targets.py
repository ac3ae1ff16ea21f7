"""The speed targets, measured in one run: each figure beside its target and the load average when measured.

1. CPU per GB replication, this checkout against ``--baseline``, alternated (``bench_replication.py``):
   target new/old at most 0.33.
2. Model events/s against bare SimPy, and an assessment's cost in bare SimPy events (``bench_events.py``):
   targets at least 0.5 and at most 8; on the small deterministic example (the figures earlier sessions
   measured) and on the GB world (gb-baseline, one stochastic replication), which the issue asks for.
3. 1,000 replications of every gb-baseline regime on 2 processes, ``secsim run`` as a user types it:
   target at most 60 s wall.
4. 10x the parties and a 30-year horizon (``bench_scaling.py``): targets at most 11x and 3x.

The machine is shared: the load average (1, 5, 15 minutes) is printed before and after each figure.
Run from the repo root: ``.venv/bin/python benchmarks/bench_targets.py [--baseline REV] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GB = "scenarios/gb-baseline.yaml"
END_TO_END = f"run {GB} --reps 1000 --executor process --workers 2 --detail-reps 0 --quiet"


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench(script: str, *args: str) -> dict:
    """Run ``benchmarks/SCRIPT ARGS --json``, show its lines, and return its figures."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "figures.json"
        print(f"\n$ {Path(sys.executable).name} benchmarks/{script} {' '.join(args)}   ({load()})", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *args, "--json", str(out)], cwd=ROOT, check=True)
        return json.loads(out.read_text())


def end_to_end() -> dict:
    """``secsim END_TO_END`` timed from outside, as a user waits for it."""
    before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        command = [str(Path(sys.executable).with_name("secsim")), *END_TO_END.split(), "--out", str(Path(folder) / "out")]
        print(f"\n$ secsim {END_TO_END}   ({load()})", flush=True)
        began = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True)
        seconds = time.perf_counter() - began
        runs = json.loads((Path(folder) / "out" / "manifest.json").read_text())["cache"]["computed"]
    print(f"{seconds:.1f} s wall for {runs} runs ({load()})")
    return {"seconds": seconds, "runs": runs, "load_before": before, "load_after": os.getloadavg()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="db664f1", metavar="REV", help="the code the per-replication ratio is against")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = ap.parse_args()
    figures = {
        "replication": bench("bench_replication.py", "--baseline", args.baseline, "--reps", "8", "--pairs", "6"),
        "events": bench("bench_events.py"),
        "events_gb": bench("bench_events.py", "--scenario", GB),
        "end_to_end": end_to_end(),
        "scaling": bench("bench_scaling.py"),
    }
    rows = [
        ("CPU per replication, new/old", figures["replication"]["ratio"], "<=", 0.33),
        ("example: model/bare SimPy events/s", figures["events"]["ratio_model_bare"], ">=", 0.5),
        ("example: an assessment in bare SimPy events", figures["events"]["assessment_in_bare_events"], "<=", 8),
        ("GB world: model/bare SimPy events/s", figures["events_gb"]["ratio_model_bare"], ">=", 0.5),
        ("GB world: an assessment in bare SimPy events", figures["events_gb"]["assessment_in_bare_events"], "<=", 8),
        ("1,000 GB replications x 4 regimes, 2 processes, s", figures["end_to_end"]["seconds"], "<=", 60),
        ("10x the parties, time ratio", figures["scaling"]["parties_x10"]["ratio"], "<=", 11),
        ("30 years against 11, time ratio", figures["scaling"]["horizon_30_years"]["ratio"], "<=", 3),
    ]
    print(f"\n{'figure':<52}{'measured':>10}  target   ({load()})")
    for name, value, sense, target in rows:
        met = value <= target if sense == "<=" else value >= target
        print(f"{name:<52}{value:>10.2f}  {sense} {target:<5}  {'met' if met else 'NOT met'}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=float) + "\n")


if __name__ == "__main__":
    main()
