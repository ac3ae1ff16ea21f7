"""Tests by intent: properties and interfaces. Serial, process and Dask executors run the same pure
replication function and give byte-identical tables for the same seed — through the real parallel
paths, a Dask LocalCluster of two worker processes included — and results come back in
submission order whatever order they complete in."""

from __future__ import annotations

import concurrent.futures as cf
import io
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from distributed import LocalCluster

from sim.designs.sweep import RunSettings, sweep
from sim.experiment.executors import ExecutorSpec, ordered_map
from sim.experiment.runner import run
from sim.results.output import write

from .conftest import FIVE_PARTIES, ROOT, scenario_from

SCENARIO = scenario_from(FIVE_PARTIES, deterministic=False, replications=3, seed=99)
SWEEP = (["cio.teams=1,2", "ssc.items_per_meeting=1,10"], "grid", None)


def _files(folder: Path) -> dict[str, bytes]:
    """Every table a result folder holds (the manifest records wall time and the executor, so it differs)."""
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def _run_and_sweep(tmp_path: Path, name: str, spec: ExecutorSpec) -> tuple[dict[str, bytes], dict[str, bytes]]:
    written = write(run(SCENARIO, progress=False, executor=spec), tmp_path / f"run-{name}")
    swept = sweep(SCENARIO, *SWEEP, tmp_path / f"sweep-{name}", RunSettings(replications=2, executor=spec, progress=False))
    assert swept["executor"] == spec.kind and swept["cache"] == {"hits": 0, "computed": 16}
    return _files(written), _files(swept["out"])


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    return _run_and_sweep(tmp_path_factory.mktemp("serial"), "serial", ExecutorSpec())


def test_the_reference_run_is_random_enough_to_tell_replications_apart(serial):
    tables, swept = serial
    assert {"assessments.csv", "yearly.csv", "summary.csv", "yearly_summary.csv"} <= set(tables)
    summary = pd.read_csv(io.BytesIO(tables["summary.csv"]))
    cost = summary[summary.metric == "cost_gbp"]
    assert (cost.replications == 3).all() and (cost.sd > 0).all(), "replications must differ, or a mixed-up order would not show"
    assert {"design.csv", "runs.csv", "summary.csv"} == set(swept)


def test_process_pool_gives_identical_tables(tmp_path, serial):
    assert _run_and_sweep(tmp_path, "process", ExecutorSpec("process", workers=2)) == serial


def test_dask_local_cluster_gives_identical_tables(tmp_path, serial):
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        spec = ExecutorSpec("dask", scheduler=cluster.scheduler_address)
        assert _run_and_sweep(tmp_path, "dask", spec) == serial
        assert len(cluster.workers) == 2
    assert cluster.status.name == "closed"


def test_results_come_back_in_submission_order_with_a_bounded_window():
    """Later items finish first; the consumer still sees submission order, and no more than
    ``window`` items are ever submitted and not yet consumed."""
    in_flight, most = 0, 0
    lock = threading.Lock()

    def slow_first(i: int) -> int:
        time.sleep(0.02 * (5 - i % 5))
        return i * i

    def submit(i: int) -> cf.Future:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        return pool.submit(slow_first, i)

    completed: list[int] = []
    with cf.ThreadPoolExecutor(max_workers=4) as pool:
        out = []
        for item, result in ordered_map(submit, range(12), window=4, on_complete=lambda i, _: completed.append(i)):
            out.append((item, result))
            with lock:
                in_flight -= 1
    assert out == [(i, i * i) for i in range(12)]
    assert sorted(completed) == list(range(12)) and completed != sorted(completed), (
        "completion order must differ to test anything"
    )
    assert most == 4


def test_a_worker_error_reaches_the_caller_and_cancels_the_rest():
    def fails_on_three(i: int) -> int:
        if i == 3:
            raise ValueError("replication 3 failed")
        return i

    with cf.ThreadPoolExecutor(max_workers=2) as pool:
        seen = []
        with pytest.raises(ValueError, match="replication 3 failed"):
            for item, _ in ordered_map(lambda i: pool.submit(fails_on_three, i), range(100), window=4):
                seen.append(item)
    assert seen == [0, 1, 2]


def test_a_serial_run_leaves_the_callers_garbage_collector_as_it_was():
    """Replications pause automatic collection while they run (no re-scans of their records); a notebook
    calling ``run`` gets its collector back as it was, enabled or not, even when a replication fails."""
    import gc

    from sim.experiment import collector

    mine = (555, 11, 12)
    before = gc.get_threshold()
    gc.set_threshold(*mine)
    try:
        run(SCENARIO, replications=1, progress=False)
        assert gc.get_threshold() == mine and gc.isenabled()
        with pytest.raises(ZeroDivisionError), collector.paused_collection():
            assert not gc.isenabled()
            raise ZeroDivisionError
        assert gc.isenabled()
        gc.disable()
        run(SCENARIO, replications=1, progress=False)
        assert not gc.isenabled(), "a caller that had disabled the collector keeps it disabled"
    finally:
        gc.enable()
        gc.set_threshold(*before)


def test_threads_sharing_a_worker_leave_the_collector_as_they_found_it():
    """A Dask worker may run several replications at once on threads; collection stays paused while any
    runs and comes back when the last one ends, even when the first to start is the first to finish."""
    import gc

    from sim.experiment import collector

    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first():
        with collector.paused_collection():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with collector.paused_collection():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == [False], "the second replication still runs with collection paused"
    assert gc.isenabled()


def test_a_finished_run_leaves_no_reference_cycle_to_collect():
    """What lets collection pause: once its tables are built, a run is freed by reference counting (the SSC's
    calendar lets go of the model, ``Ssc.stop``), so the collector would find only SimPy's few own cycles."""
    import gc

    from sim.analysis.tables import replication_rows
    from sim.experiment import collector
    from sim.inputs.scenario import load, regimes
    from sim.model import simulate

    gb = load(ROOT / "scenarios" / "gb-baseline.yaml")
    regime = regimes(gb)[0]
    for replication in (0, 1):  # the first also pays for what is done once (lazy imports, caches)
        gc.collect()
        with collector.paused_collection():
            records, model = simulate(gb, regime, gb.seed, replication)
            replication_rows(regime.name, replication, records, model)
            del records, model
            found = gc.collect()
    assert found < 50, f"{found} objects in reference cycles"
