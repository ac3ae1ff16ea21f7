"""CPU time per replication, this checkout against a baseline commit, alternated in one run.

The machine is shared and noisy, so the figure to read is the ratio of the two measured side by
side: the baseline is checked out into a temporary ``git worktree`` (outside the repository,
removed afterwards) and blocks of replications run in fresh processes, old, new, old, new, ...,
with the same seeds (``replication_block.py``: ``perform`` as a worker runs it, after a warm-up).
Every block's results are digested, and the run fails if old and new ever differ: the same
numbers, or no speed figure.

``--product yearly`` (default) is what runs with ``--detail-reps 0``, sweeps' points aside, keep:
the yearly rows and totals; ``rows`` keeps every per-event table (the first ``--detail-reps``).

Run from the repo root: ``.venv/bin/python benchmarks/bench_replication.py --baseline db664f1
[--scenario FILE] [--reps N] [--pairs K] [--product yearly|rows] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = Path(__file__).resolve().parent / "replication_block.py"


@contextmanager
def checked_out(rev: str) -> Iterator[Path]:
    """``rev`` in a temporary worktree (detached), removed on the way out."""
    with tempfile.TemporaryDirectory(prefix="secsim-baseline-") as parent:
        where = Path(parent) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where), rev], check=True, capture_output=True)
        try:
            yield where
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(where)], check=False, capture_output=True
            )


def block(code: Path, scenario: str, first: int, count: int, product: str) -> dict[str, object]:
    """One block of ``count`` replications from ``first``, run with the ``sim`` under ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, str(BLOCK), scenario, str(first), str(count), product],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    if Path(found["sim"]).resolve() != (code / "sim").resolve():
        raise SystemExit(f"the block ran {found['sim']}, not {code / 'sim'}")
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True, metavar="REV", help="the commit to compare with (e.g. db664f1)")
    ap.add_argument("--scenario", default="scenarios/gb-baseline.yaml")
    ap.add_argument("--reps", type=int, default=10, help="replications (of every regime) per block")
    ap.add_argument("--pairs", type=int, default=4, help="old/new pairs of blocks")
    ap.add_argument("--product", choices=("yearly", "rows"), default="yearly")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = ap.parse_args()

    print(f"{args.scenario}: {args.reps} replications per block, product {args.product}, load average {os.getloadavg()}")
    rows = []
    with checked_out(args.baseline) as old:
        for pair in range(args.pairs):
            first = 1000 * pair  # each pair its own replications; old and new the same ones
            order = [("old", old), ("new", ROOT)] if pair % 2 == 0 else [("new", ROOT), ("old", old)]
            got = {name: block(code, args.scenario, first, args.reps, args.product) for name, code in order}
            if got["old"]["digest"] != got["new"]["digest"]:
                raise SystemExit(f"pair {pair}: old and new results differ (replications {first}-{first + args.reps - 1})")
            ratio = got["new"]["cpu_per_replication"] / got["old"]["cpu_per_replication"]
            rows.append({"pair": pair, "old_s": got["old"]["cpu_per_replication"], "new_s": got["new"]["cpu_per_replication"]})
            print(
                f"pair {pair} ({' then '.join(n for n, _ in order)}): old {rows[-1]['old_s'] * 1000:7.1f} ms  "
                f"new {rows[-1]['new_s'] * 1000:7.1f} ms  new/old {ratio:.3f}  identical results"
            )
    old_total = sum(r["old_s"] for r in rows)
    new_total = sum(r["new_s"] for r in rows)
    ratios = [r["new_s"] / r["old_s"] for r in rows]
    print(
        f"CPU per replication: old {old_total / len(rows) * 1000:.1f} ms, new {new_total / len(rows) * 1000:.1f} ms; "
        f"ratio new/old {new_total / old_total:.3f} (pairs: median {statistics.median(ratios):.3f}, "
        f"range {min(ratios):.3f}-{max(ratios):.3f}); load average at the end {os.getloadavg()}"
    )
    if args.json:
        out = {"baseline": args.baseline, "scenario": args.scenario, "product": args.product, "reps": args.reps, "pairs": rows}
        out["ratio"] = new_total / old_total
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
