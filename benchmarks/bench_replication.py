"""CPU time per replication, this checkout against a baseline commit, alternated in one run.

The machine is shared and noisy, so the figure to read is the ratio of the two measured side by
side: the baseline is checked out into a temporary ``git worktree`` (outside the repository,
removed afterwards) and blocks of replications run in fresh processes, old, new, old, new, ...,
with the same seeds (``replication_block.py``: ``perform`` as a worker runs it, after a warm-up).
Every block's results are digested, and the run fails if old and new ever differ: the same
numbers, or no speed figure. A baseline from before the last deliberate change of results (the commit the
golden digests were written from, ``tests/data/golden/digests.json``: rule fixes change numbers on purpose) is
still measured against, its blocks doing the same replications of slightly different rules, and each pair says
that its results differ, as they must: which numbers are the same is then the golden test's to say, from there.

``--compiled`` measures, instead of a baseline, what compiling the event loop's modules with mypyc would give:
old is this checkout as it is (interpreted), new a copy of its ``sim`` with ``COMPILED`` built by ``mypyc``
(which comes with mypy, a test dependency; it needs a C compiler and Python's headers), the same numbers
checked the same way. It answers whether a compiled core is the way to a faster replication.

``--product yearly`` (default) is what runs with ``--detail-reps 0``, sweeps' points aside, keep:
the yearly rows and totals; ``rows`` keeps every per-event table (the first ``--detail-reps``).

Run from the repo root: ``.venv/bin/python benchmarks/bench_replication.py (--baseline db664f1 | --compiled)
[--scenario FILE] [--reps N] [--pairs K] [--product yearly|rows] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = Path(__file__).resolve().parent / "replication_block.py"
COMPILED = (
    *(f"sim/model/{name}.py" for name in ("lifecycle", "planning", "wakes", "waits", "cio", "ssc", "records")),
    *(f"sim/model/{name}.py" for name in ("rules_in_force", "srp_status", "costs")),
    "sim/law/rules.py",
    "sim/industry/parties.py",
    "sim/industry/steps.py",
    "sim/core/streams.py",
    "sim/core/distributions.py",
    "sim/core/timeline.py",
)
"""What ``--compiled`` builds with mypyc: every module the event loop's time is spent in (``profile_replication.py``)."""


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


@contextmanager
def compiled() -> Iterator[Path]:
    """A copy of this checkout's ``sim`` with ``COMPILED`` built by mypyc, in a temporary directory removed on the way out."""
    mypyc = Path(sys.executable).with_name("mypyc")
    if not mypyc.exists() or shutil.which("cc") is None:
        raise SystemExit(f"--compiled needs mypyc beside {sys.executable} (mypy) and a C compiler (cc)")
    with tempfile.TemporaryDirectory(prefix="secsim-compiled-") as parent:
        shutil.copytree(ROOT / "sim", Path(parent) / "sim", ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        built = subprocess.run(
            [str(mypyc), "--ignore-missing-imports", *COMPILED], cwd=parent, capture_output=True, text=True, check=False
        )
        if built.returncode != 0:
            raise SystemExit(f"mypyc failed:\n{built.stdout[-2000:]}{built.stderr[-2000:]}")
        yield Path(parent)


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


def results_changed_since(rev: str) -> str | None:
    """The commit of the last deliberate change of a replication's results (the golden digests' ``results_rev``, else
    their ``rev``) if ``rev`` predates it."""
    recorded = json.loads((ROOT / "tests" / "data" / "golden" / "digests.json").read_text())
    changed = recorded.get("results_rev", recorded["rev"])
    after = subprocess.run(["git", "-C", str(ROOT), "merge-base", "--is-ancestor", changed, rev], capture_output=True)
    return None if after.returncode == 0 else changed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--baseline", metavar="REV", help="the commit to compare with (e.g. db664f1)")
    what.add_argument("--compiled", action="store_true", help="compare this checkout with itself compiled by mypyc")
    ap.add_argument("--scenario", default="scenarios/gb-baseline.yaml")
    ap.add_argument("--reps", type=int, default=10, help="replications (of every regime) per block")
    ap.add_argument("--pairs", type=int, default=4, help="old/new pairs of blocks")
    ap.add_argument("--product", choices=("yearly", "rows"), default="yearly")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = ap.parse_args()

    print(f"{args.scenario}: {args.reps} replications per block, product {args.product}, load average {os.getloadavg()}")
    rows = []
    changed = None if args.compiled else results_changed_since(args.baseline)
    if changed:
        print(f"{args.baseline} predates the results change at {changed}: its results differ from this checkout's")
    with compiled() if args.compiled else checked_out(args.baseline) as other:
        old, new = (ROOT, other) if args.compiled else (other, ROOT)
        if args.compiled:
            print(f"old: this checkout, interpreted; new: the same with {len(COMPILED)} modules compiled by mypyc")
        for pair in range(args.pairs):
            first = 1000 * pair  # each pair its own replications; old and new the same ones
            order = [("old", old), ("new", new)] if pair % 2 == 0 else [("new", new), ("old", old)]
            got = {name: block(code, args.scenario, first, args.reps, args.product) for name, code in order}
            if args.compiled and not (got["new"].get("compiled") and not got["old"].get("compiled")):
                raise SystemExit(f"pair {pair}: the compiled block did not run compiled code, or the interpreted one did")
            same = got["old"]["digest"] == got["new"]["digest"]
            if not same and not changed:
                raise SystemExit(f"pair {pair}: old and new results differ (replications {first}-{first + args.reps - 1})")
            if same and changed:
                raise SystemExit(f"pair {pair}: {args.baseline}'s results equal this checkout's, though {changed} changed them")
            ratio = got["new"]["cpu_per_replication"] / got["old"]["cpu_per_replication"]
            rows.append({"pair": pair, "old_s": got["old"]["cpu_per_replication"], "new_s": got["new"]["cpu_per_replication"]})
            print(
                f"pair {pair} ({' then '.join(n for n, _ in order)}): old {rows[-1]['old_s'] * 1000:7.1f} ms  "
                f"new {rows[-1]['new_s'] * 1000:7.1f} ms  new/old {ratio:.3f}  "
                + ("identical results" if same else f"results differ (the rules changed at {changed})")
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
        out = {
            "baseline": "mypyc" if args.compiled else args.baseline,
            "scenario": args.scenario,
            "product": args.product,
            "reps": args.reps,
            "pairs": rows,
            "results_changed_at": changed,
        }
        out["ratio"] = new_total / old_total
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
