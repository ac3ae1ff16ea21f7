"""Where replications run: serially, on local processes, or on a Dask cluster — one code path.

Every executor is a ``concurrent.futures.Executor`` (Dask's through ``Client.get_executor``),
and ``ordered_map`` is the only loop over them. It keeps a bounded number of chunks in flight
(memory stays flat however many runs a sweep has) and yields results in submission order
whatever order they complete in, so tables are byte-identical on every executor.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from .collector import freeze_imports
from .errors import InputError

EXECUTORS = ("serial", "process", "dask")

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass(frozen=True)
class ExecutorSpec:
    """The executor a user chose: ``--executor``, ``--workers`` and ``--scheduler``."""

    kind: str = "serial"
    workers: int | None = None
    """Worker processes (process, local Dask cluster); default: the machine's cores."""
    scheduler: str | None = None
    """Address of a running Dask scheduler; none starts a local cluster."""

    def __post_init__(self) -> None:
        if self.kind not in EXECUTORS:
            raise InputError(f"--executor: expected one of {', '.join(EXECUTORS)}, got {self.kind!r}")
        if self.scheduler is not None and self.kind != "dask":
            raise InputError(f"--scheduler: only with --executor dask, got --executor {self.kind}")


class SerialExecutor(cf.Executor):
    """Runs each call at once in this process: the default, and the reference the others must match."""

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:  # type: ignore[override]
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future, as a pool would
            future.set_exception(exc)
        return future


@dataclass(frozen=True)
class Pool:
    """An open executor, its kind and how many calls it runs at once."""

    kind: str
    executor: cf.Executor
    parallelism: int


@contextmanager
def open_pool(spec: ExecutorSpec) -> Iterator[Pool]:
    """Open the executor ``spec`` names for the duration of a run, and close it after."""
    workers = spec.workers or os.cpu_count() or 1
    if spec.kind == "serial":
        yield Pool(spec.kind, SerialExecutor(), 1)
    elif spec.kind == "process":
        # forkserver: safe with the threads tqdm and pandas may have started; preloading secsim
        # keeps each worker's start-up to a fork of an already-imported server.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sim.experiment"])
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start) as executor:
            yield Pool(spec.kind, executor, workers)
    else:
        with _dask_client(spec.scheduler, workers) as client:
            parallelism = sum(client.nthreads().values()) or 1
            yield Pool(spec.kind, client.get_executor(pure=False), parallelism)


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle: it cancels what is queued and keeps the cache consistent.

    What the worker imported lives as long as it does, so it is frozen out of the garbage
    collector's reach: full collections then scan only the replications' own objects.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    freeze_imports()


@contextmanager
def _dask_client(scheduler: str | None, workers: int) -> Iterator[object]:
    """A client of the scheduler at ``scheduler``, or of a local cluster of single-threaded processes."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"--scheduler {scheduler}: cannot connect to a Dask scheduler ({exc.__class__.__name__})") from None
    with client:
        yield client


def ordered_map(
    submit: Callable[[Item], cf.Future],
    items: Iterable[Item],
    window: int,
    on_complete: Callable[[Item, Result], None] | None = None,
) -> Iterator[tuple[Item, Result]]:
    """``(item, result)`` in the order of ``items``, with at most ``window`` submitted and unconsumed.

    ``on_complete`` sees each result as soon as it completes, in completion order (the cache
    writes it then, so an interrupt loses no finished work); consumers see submission order.
    """
    source = iter(items)
    futures: dict[cf.Future, int] = {}
    items_by_index: dict[int, Item] = {}
    finished: dict[int, Result] = {}
    submitted = consumed = 0
    exhausted = False
    try:
        while True:
            while not exhausted and submitted - consumed < window:
                item = next(source, _END)
                if item is _END:
                    exhausted = True
                    break
                items_by_index[submitted] = item  # type: ignore[assignment]
                futures[submit(item)] = submitted  # type: ignore[arg-type]
                submitted += 1
            if consumed in finished:
                yield items_by_index.pop(consumed), finished.pop(consumed)
                consumed += 1
                continue
            if not futures:
                return
            done, _ = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
            for future in sorted(done, key=futures.__getitem__):
                index = futures.pop(future)
                finished[index] = future.result()
                if on_complete is not None:
                    on_complete(items_by_index[index], finished[index])
    finally:
        for future in futures:
            future.cancel()


_END = object()
