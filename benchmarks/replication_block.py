"""One timed block of ``bench_replication.py``: replications of a scenario's regimes as a worker runs them.

Run in a fresh process by ``bench_replication.py``, once with this checkout's ``sim`` and once with a
baseline's (``PYTHONPATH``), so the two are timed the same way. Prints one JSON line: CPU seconds per
replication (``time.process_time`` around ``perform``, after one warm-up replication) and a digest of
everything the replications returned (and whether the event loop's modules ran compiled), so the benchmark can check both gave the same numbers.

``python benchmarks/replication_block.py SCENARIO FIRST COUNT PRODUCT``
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import sim
import sim.model.lifecycle
from sim.experiment.runner import perform, tasks
from sim.inputs.scenario import load, regimes


def main() -> None:
    path, first, count, product = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    scenario = load(path)
    chosen = regimes(scenario)
    perform(list(tasks(scenario, chosen, scenario.seed, range(first + count, first + count + 1), product)))  # warm-up
    todo = list(tasks(scenario, chosen, scenario.seed, range(first, first + count), product))
    began = time.process_time()
    results = perform(todo)
    cpu = time.process_time() - began
    digest = hashlib.sha256(repr([(r.rows, sorted(r.totals.items()), r.by_year) for r in results]).encode()).hexdigest()
    compiled = not sim.model.lifecycle.__file__.endswith(".py")  # an extension module: mypyc built it
    print(
        json.dumps(
            {"sim": str(Path(sim.__file__).parent), "compiled": compiled, "cpu_per_replication": cpu / count, "digest": digest}
        )
    )


if __name__ == "__main__":
    main()
