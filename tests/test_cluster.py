"""Tests by intent: interfaces. secsim on a Dask cluster started as a user starts one on several machines: a
``dask scheduler`` and two ``dask worker`` processes on the loopback address, each a process of its own, and
``secsim run --executor dask --scheduler ADDRESS`` as another; its tables are byte-identical to the serial
executor's. The cluster's processes are stopped however the test ends, and the test is skipped (saying why)
only when ``distributed`` cannot start a scheduler on this machine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, secsim

RUN = (ROOT / "scenarios" / "gb-baseline.yaml", "--reps", "3", "--regimes", "pre-secmp0044,secmp0044", "--quiet")
"""Six runs of two regimes: more than the two single-threaded workers take at once."""
STARTUP_SECONDS = 60.0


def _start(module: str, *args: str, log: Path) -> subprocess.Popen:
    """``python -m MODULE ARGS`` in a session of its own (a worker's nanny and the worker it starts stop together)."""
    return subprocess.Popen(
        [sys.executable, "-m", module, *args],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process's whole group, SIGKILL to what is left after 10 s."""
    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait)
            os.killpg(process.pid, signal.SIGKILL)  # what the leader left behind
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def _address(scheduler_file: Path, scheduler: subprocess.Popen, log: Path) -> str:
    """The address the scheduler wrote, once it listens; skip if it cannot start here."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if scheduler.poll() is not None:
            pytest.skip(f"distributed cannot start a scheduler on this machine: {log.read_text()[-500:]}")
        try:
            return str(json.loads(scheduler_file.read_text())["address"])
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)
    pytest.skip(f"distributed's scheduler wrote no address within {STARTUP_SECONDS:g} s: {log.read_text()[-500:]}")


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def _secsim(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.cli", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_a_run_on_a_dask_scheduler_and_two_workers_gives_the_serial_tables(tmp_path):
    from distributed import Client

    scheduler_file = tmp_path / "scheduler.json"
    started: list[subprocess.Popen] = []
    try:
        log = tmp_path / "scheduler.log"
        started.append(
            _start(
                "distributed.cli.dask_scheduler",
                *("--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)),
                log=log,
            )
        )
        address = _address(scheduler_file, started[0], log)
        for i in range(2):
            worker = ("--nthreads", "1", "--nworkers", "1", "--no-dashboard", "--name", f"worker-{i}")
            where = ("--host", "127.0.0.1", "--local-directory", str(tmp_path / f"worker-{i}"))
            started.append(_start("distributed.cli.dask_worker", address, *worker, *where, log=tmp_path / f"worker-{i}.log"))
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=STARTUP_SECONDS)
            assert len(client.scheduler_info()["workers"]) == 2

        on_cluster = _secsim("run", *RUN, "--executor", "dask", "--scheduler", address, "--out", tmp_path / "dask")
        assert on_cluster.returncode == 0, on_cluster.stderr
        assert secsim("run", *RUN, "--out", tmp_path / "serial")[0] == 0

        manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
        assert manifest["executor"] == "dask" and manifest["cache"]["computed"] == 6
        assert _tables(tmp_path / "dask") == _tables(tmp_path / "serial")
        assert len(_tables(tmp_path / "dask")) >= 9
    finally:
        for process in reversed(started):
            _stop(process)
    assert all(p.poll() is not None for p in started)
