"""``secsim breakeven``: the command that finds where a regime's paired difference changes sign
(``sim.designs.breakeven``) and prints the answer; its result folder is secsim's own, as a sweep's is."""

from __future__ import annotations

import argparse
from pathlib import Path


def breakeven(args: argparse.Namespace) -> int:
    """Run the break-even's grid for every case, write its result set and print each break-even and its swing."""
    from ..designs.breakeven import breakeven as find
    from ..designs.printed import render_breakeven
    from ..inputs.scenario import load
    from .commands import _settings, _warn_stopped

    scenario = load(args.scenario)
    out = args.out or Path("results") / f"{scenario.name}-breakeven"
    done = find(scenario, args.vary, out, _settings(args, out), args.metric, not args.no_swing, str(args.scenario))
    _warn_stopped(done)
    if not args.quiet:
        vary = done["vary"]
        print(
            f"{scenario.name}: {vary.path} at {len(vary.values)} value(s), {done['points'] // len(vary.values)} case(s), "
            f"{done['runs']} run(s) ({done['cache']['hits']} from the cache) on {done['executor']}\n"
        )
        print(render_breakeven(done["breakeven"], done["swing"], vary.values))
        print(f"results: {done['out']}")
    return 0
