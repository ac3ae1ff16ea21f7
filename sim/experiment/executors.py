"""Where replications run: serially, on local processes, or on a Dask cluster — one code path.

Every executor is a ``concurrent.futures.Executor`` (Dask's through ``Client.get_executor``),
and ``ordered_map`` is the only loop over them. It keeps a bounded number of chunks in flight
(memory stays flat however many runs a sweep has) and yields results in submission order
whatever order they complete in, so tables are byte-identical on every executor.

A worker process that dies (killed, out of memory) breaks a ``ProcessPoolExecutor`` and every
call in flight on it; the pool is replaced and each of those calls runs once more, and a call
whose worker dies twice ends the run with one line. Workers end when the command does, however
it ended (``sim.core.lifetime``). A ``--scheduler`` must answer as a Dask scheduler within
``HANDSHAKE_SECONDS`` or the run stops with one line.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import multiprocessing.context
import os
import signal
import socket
import struct
import sys
import weakref
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from multiprocessing import forkserver, resource_tracker
from typing import Any, TypeVar

from ..core.errors import InputError, RunFailed
from ..core.lifetime import end_with, interrupts_deferred
from .collector import freeze_imports

EXECUTORS = ("serial", "process", "dask")
HANDSHAKE_SECONDS = 5.0
"""How long a Dask scheduler has to accept a connection and send its handshake."""


def max_workers() -> int:
    """Most worker processes ``--workers`` may ask for: twice the cores (at least 4); more only compete for them."""
    return max(4, 2 * (os.cpu_count() or 1))


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
        if self.workers is not None and (self.kind == "serial" or self.scheduler is not None):  # it would go unused
            given = (
                "--scheduler (its cluster's workers are its own)"
                if self.scheduler is not None
                else "--executor serial (the default)"
            )
            raise InputError(f"--workers: only with --executor process or a local Dask cluster, got {given}")
        if self.workers is not None and not 1 <= self.workers <= max_workers():
            raise InputError(f"--workers: expected 1 to {max_workers()} (twice this machine's cores), got {self.workers}")


class SerialExecutor(cf.Executor):
    """Runs each call at once in this process: the default, and the reference the others must match."""

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        """Run ``fn`` now and hand back its result (or its exception) as a completed future."""
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future, as a pool would
            future.set_exception(exc)
        return future


class Pool:
    """An open executor, its kind and how many calls it runs at once; a process pool a dead worker broke is replaced."""

    def __init__(self, kind: str, parallelism: int, make: Callable[[], cf.Executor]) -> None:
        self.kind, self.parallelism, self._make = kind, parallelism, make
        self.executor = make()
        self._generation = 0
        self._issued: weakref.WeakKeyDictionary[cf.Future, int] = weakref.WeakKeyDictionary()
        """Which executor each call went to (a count of replacements), so one breakage replaces the pool once."""

    def submit(self, fn: Callable, /, *args: object) -> cf.Future:
        """Submit to the current pool; a pool found broken is replaced first (a worker died). A process pool starts its
        workers as it is submitted to, so a Ctrl-C is held back until the submission is whole: one that landed half-way
        left the pool waiting for ever on a worker it had not finished starting, or a starting worker printing a
        traceback after the command had ended. The serial executor runs the call in its submission, so there a Ctrl-C
        lands in the call (its cache entries are whole or absent, ``Cache.put``): held back, it waited for the whole
        replication (22 s in a slow one, adversarial try)."""
        held = nullcontext if isinstance(self.executor, SerialExecutor) else interrupts_deferred
        try:
            with held():
                future = self.executor.submit(fn, *args)
        except BrokenProcessPool:  # broken before its failed calls were seen
            self._replace()
            with held():
                future = self.executor.submit(fn, *args)
        self._issued[future] = self._generation
        return future

    def recover(self, failed: cf.Future) -> bool:
        """Whether a failed call may run again: its worker process died. The broken pool is replaced first."""
        if not isinstance(failed.exception(), BrokenProcessPool):
            return False
        if self._issued.get(failed) == self._generation:
            self._replace()
        return True

    def _replace(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._make()
        self._generation += 1

    def close(self) -> None:
        """Shut the current pool down, holding a second Ctrl-C back until it is: one that landed in the shutdown (a
        user pressing twice, or ``timeout``, which signals the command and then its group) left the workers without
        the word to stop, and the command waited for them for ever as it exited."""
        with interrupts_deferred():
            self.executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def open_pool(spec: ExecutorSpec) -> Iterator[Pool]:
    """Open the executor ``spec`` names for the duration of a run, and close it after."""
    workers = spec.workers or os.cpu_count() or 1
    if spec.kind == "serial":
        yield Pool(spec.kind, 1, SerialExecutor)
    elif spec.kind == "process":
        # forkserver: safe with the threads tqdm and pandas may have started; preloading secsim
        # keeps each worker's start-up to a fork of an already-imported server.
        context = _WorkerContext()
        context.set_forkserver_preload(["sim.experiment.runner"])
        with _main_left_out():
            for start in (resource_tracker.ensure_running, forkserver.ensure_running):  # the tracker unblocks SIGINT
                with _signals_left_to_the_command():  # after starting itself, so each is started in a block of its own
                    start()
        pool = Pool(
            spec.kind,
            workers,
            lambda: cf.ProcessPoolExecutor(
                max_workers=workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),)
            ),
        )
        try:
            yield pool
        finally:
            pool.close()
    else:
        with _dask_client(spec.scheduler, workers) as client:
            parallelism = sum(client.nthreads().values()) or 1
            yield Pool(spec.kind, parallelism, lambda: client.get_executor(pure=False))


@contextmanager
def _signals_left_to_the_command() -> Iterator[None]:
    """While the fork server and multiprocessing's resource tracker start, block SIGINT and SIGHUP: the mask passes to
    them (and the workers the server forks), so a Ctrl-C or a closed terminal, sent to the whole process group, is the
    command's alone. Without it the server, importing secsim before it ignores SIGINT, printed a traceback beside the
    command's line, and the tracker, which ignores SIGINT and SIGTERM but not SIGHUP, died, was started again and
    printed five. A signal that comes meanwhile reaches the command as the mask is given back."""
    wanted = {getattr(signal, name) for name in ("SIGINT", "SIGHUP") if hasattr(signal, name)}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextmanager
def _main_left_out() -> Iterator[None]:
    """While the fork server and each worker start, hide the ``__main__`` module's file from multiprocessing, which
    would import it there: a plain script calling ``sim.run(executor="process")`` without an ``if __name__ ==
    "__main__":`` guard would then run itself in every worker, again and again. Workers only ever run secsim's own
    functions, so they need nothing of ``__main__``; a notebook's ``__main__`` has no file to hide."""
    main = sys.modules["__main__"]
    hidden: dict[str, object] = {k: main.__dict__.pop(k) for k in ("__file__", "__spec__") if k in main.__dict__}
    if "__spec__" in hidden:
        main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.update(hidden)


class _WorkerProcess(multiprocessing.context.ForkServerProcess):
    """A fork-server process started with ``__main__``'s file left out (``_main_left_out``)."""

    @staticmethod
    def _Popen(process_obj):  # multiprocessing's own hook
        from multiprocessing.popen_forkserver import Popen

        with _main_left_out():
            return Popen(process_obj)


class _WorkerContext(multiprocessing.context.ForkServerContext):
    """The fork-server context, with workers that do not import the user's script."""

    Process = _WorkerProcess


def _worker_start(command: int) -> None:
    """Ctrl-C (and a closed terminal's SIGHUP, sent to the whole group) is the command's to handle: it cancels
    what is queued and keeps the cache consistent. The worker ends when the command process does.

    What the worker imported lives as long as it does, so it is frozen out of the garbage
    collector's reach: full collections then scan only the replications' own objects.
    """
    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    end_with(command)
    freeze_imports()


@contextmanager
def _dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler``, or of a local cluster of single-threaded processes."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    _handshake(scheduler, HANDSHAKE_SECONDS)
    try:
        client = Client(scheduler, timeout=f"{HANDSHAKE_SECONDS:g}s")
    except (OSError, TimeoutError, ValueError, MemoryError) as exc:
        raise InputError(f"--scheduler {scheduler}: cannot connect to a Dask scheduler ({exc.__class__.__name__})") from None
    with client:
        yield client


def _handshake(address: str, timeout: float) -> None:
    """Fail fast unless ``address`` answers as a Dask scheduler: it accepts within ``timeout`` and sends
    the first frame of its handshake (an 8-byte length, then a message) without being asked.

    A port that accepts and never answers, or a web server (which waits for a request), fails
    here in ``timeout`` seconds with one line, instead of hanging or reading "HTTP/1.1" as a
    length of exabytes. Addresses of other protocols (``tls://``, ``ucx://``) are left to Dask.
    """
    scheme, _, rest = address.rpartition("://")
    if scheme not in ("", "tcp"):
        return
    host, _, port = rest.rpartition(":")
    if not host or not (port.isascii() and port.isdigit()):
        raise InputError(f"--scheduler {address}: expected HOST:PORT or tcp://HOST:PORT")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout) as connection:
            head = b""
            while len(head) < 8:
                got = connection.recv(8 - len(head))
                if not got:
                    break
                head += got
    except TimeoutError:
        raise InputError(
            f"--scheduler {address}: no Dask handshake within {timeout:g} s; is a Dask scheduler listening there?"
        ) from None
    except OSError as exc:
        raise InputError(f"--scheduler {address}: cannot connect ({exc.strerror or exc.__class__.__name__})") from None
    if len(head) < 8 or not 0 < struct.unpack("<Q", head)[0] <= 1 << 26:
        raise InputError(f"--scheduler {address}: something answered, but not as a Dask scheduler does")


def ordered_map(
    submit: Callable[[Item], cf.Future],
    items: Iterable[Item],
    window: int,
    on_complete: Callable[[Item, Result], None] | None = None,
    recover: Callable[[cf.Future], bool] | None = None,
) -> Iterator[tuple[Item, Result]]:
    """``(item, result)`` in the order of ``items``, with at most ``window`` submitted and unconsumed.

    ``on_complete`` sees each result as soon as it completes, in completion order (the cache
    writes it then, so an interrupt loses no finished work); consumers see submission order.
    ``recover(future)`` says whether a failed call may run again (its worker died): each may, once.
    """
    source = iter(items)
    futures: dict[cf.Future, int] = {}
    items_by_index: dict[int, Item] = {}
    finished: dict[int, Result] = {}
    retried: set[int] = set()
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
                if future.exception() is not None and recover is not None and recover(future):
                    if index in retried:
                        raise RunFailed(
                            "a worker process died twice running the same replications (killed, or out of "
                            "memory?); nothing was written"
                        ) from None
                    retried.add(index)
                    futures[submit(items_by_index[index])] = index
                    continue
                if _lost_by_dask(future.exception()):
                    raise RunFailed(
                        "Dask gave up on replications whose workers kept dying (killed, or out of memory?; "
                        "distributed.scheduler.allowed-failures); nothing was written"
                    ) from None
                finished[index] = future.result()
                if on_complete is not None:
                    on_complete(items_by_index[index], finished[index])
    finally:
        for future in futures:
            future.cancel()


_END = object()


def _lost_by_dask(exc: BaseException | None) -> bool:
    """A task the Dask scheduler gave up on because every worker that ran it died (``distributed.KilledWorker``)."""
    if exc is None or "distributed" not in sys.modules:  # only a Dask future can hold one
        return False
    from distributed import KilledWorker

    return isinstance(exc, KilledWorker)
