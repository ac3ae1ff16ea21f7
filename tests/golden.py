"""The golden set: the tables secsim writes for a fixed list of commands, kept as SHA-256 digests of their bytes.

``tests/data/golden/digests.json`` holds the digests the baseline commit it names wrote, so
``tests/test_golden.py`` can check that a change meant to make secsim faster changes no table:
every shipped scenario (one replication, serial), three scenarios under ``tests/data/golden/``
that reach the model's less used branches (a re-timing SSC, a due date from the fieldwork end,
"completed" and "started", the ``booking`` moment, a DCC count, a busy CIO and SSC, a
deterministic GB run where many events share a day), runs on worker processes, ``--detail-reps``,
a sweep and a Morris analysis.

Regenerate only from the baseline (digests from the code under test would prove nothing):

    git worktree add --detach /tmp/secsim-base REV
    cd /tmp/secsim-base && PYTHONPATH=/tmp/secsim-base /path/to/checkout/.venv/bin/python tests/golden.py \
        --write /path/to/checkout/tests/data/golden/digests.json --rev REV
    git worktree remove /tmp/secsim-base

``PYTHONPATH`` puts the baseline's ``sim`` before this checkout's, and the baseline's own copy of this script, run
from its folder, has its scenarios and its worker processes import its code: run from this checkout, the cases on
worker processes ran this checkout's code in the workers (found when they failed on a parameter the baseline
lacked). The script itself uses only ``sim.cli.main``, the command as a user calls it. ``--keep DIR`` keeps each
case's tables to diff.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
DIGESTS = GOLDEN / "digests.json"
SCENARIOS = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "scenarios").glob("*.yaml"))
EXTRA = sorted(p.relative_to(ROOT).as_posix() for p in GOLDEN.glob("*.yaml"))

CASES: dict[str, str] = {
    **{f"run {Path(s).stem}": f"run {s} --reps 1" for s in [*SCENARIOS, *EXTRA]},
    "run gb-baseline on processes": "run scenarios/gb-baseline.yaml --reps 3 --executor process --workers 2",
    "run supplier-crisis-2021 detail 1 of 4": "run scenarios/supplier-crisis-2021.yaml --reps 4 --detail-reps 1",
    "run srp-default on processes detail 2 of 3": "run scenarios/srp-default.yaml --reps 3 --detail-reps 2 --executor process",
    "sweep cio.teams": "sweep scenarios/shared-resource-example.yaml --param cio.teams=1,3 --reps 2 --no-cache",
    "sensitivity morris": "sensitivity scenarios/shared-resource-example.yaml --n 2 --reps 1 --no-cache",
}
"""Case name → ``secsim`` arguments (run from the repository's root; ``--out`` and ``--quiet`` are added)."""
UNSTABLE = {"manifest.json", "scenario.json"}
"""Written beside the tables but not tables: times, versions, the commit, the scenario as validated."""


def tables_of(command: str, out: Path) -> dict[str, str]:
    """Run ``secsim COMMAND --out OUT --quiet`` in this process; the SHA-256 of each file it wrote but ``UNSTABLE``."""
    from sim.cli import main

    with contextlib.chdir(ROOT), contextlib.redirect_stdout(io.StringIO()):
        status = main([*command.split(), "--out", str(out), "--quiet"])
    if status != 0:
        raise RuntimeError(f"secsim {command}: exit status {status}")
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in UNSTABLE and p.suffix == ".csv"
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", metavar="PATH", help="write every case's digests to PATH (run under the baseline's code)")
    ap.add_argument("--rev", default="unknown", help="the baseline commit, recorded beside the digests")
    ap.add_argument(
        "--results-rev",
        help="the last commit that changed what a replication computes (default: --rev; give the earlier one where only "
        "a table's form changed, as bench_replication.py compares replications' results from there)",
    )
    ap.add_argument("--keep", metavar="DIR", help="keep each case's tables under DIR")
    args = ap.parse_args()
    import sim

    print(f"sim from {Path(sim.__file__).parent}", file=sys.stderr)
    found: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(args.keep) if args.keep else Path(scratch)
        for i, (name, command) in enumerate(CASES.items()):
            found[name] = tables_of(command, base / f"case-{i:02d}")
            print(f"{name}: {len(found[name])} tables", file=sys.stderr)
    if args.write:
        Path(args.write).write_text(
            json.dumps({"rev": args.rev, "results_rev": args.results_rev or args.rev, "cases": found}, indent=1, sort_keys=True)
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
