"""How secsim's processes end: on a signal like Ctrl-C, never half-way through a write, and never outliving the run.

* SIGTERM and SIGHUP (a ``kill``, a closed terminal) are taken as Ctrl-C is: the command stops,
  its staging folder is removed, finished replications stay cached, and it says so in one line
  (exit status 128 + the signal's number).
* A write that must be whole (a cache entry, a result set's final rename) holds those signals
  back until it is done.
* A worker process ends when the command that started it ends, however that ended: even after
  ``kill -9``, when nothing in the command can tidy up. Workers of ``--executor process`` are
  children of multiprocessing's fork server, not of the command, and both wait on pipes the
  command held; so each worker watches the command's process itself and exits when it is gone,
  after which the fork server and the resource tracker, seeing their last client leave, exit too.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
"""The signals that end a command as Ctrl-C does."""


class Interrupted(KeyboardInterrupt):
    """A signal that ends the command like Ctrl-C; ``signum`` says which.

    Made again from its ``args`` (the signal's name) as well as from a number: SimPy re-raises an exception from a
    process it steps as ``type(e)(*e.args)``, and one that cannot be remade that way becomes a traceback."""

    def __init__(self, signum: int | str) -> None:
        which = signal.Signals[signum] if isinstance(signum, str) else signal.Signals(signum)
        super().__init__(which.name)
        self.signum = int(which)


_deferring = 0
_pending: list[int] = []


def _on_signal(signum: int, _frame: object) -> None:
    if _deferring:
        _pending.append(signum)
        return
    _pending.clear()  # this one stands for any a deferral that is ending has not raised yet
    raise Interrupted(signum)


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """While a command runs in the main thread: SIGINT, SIGTERM and SIGHUP raise ``Interrupted``."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _on_signal) for s in SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _pending.clear()


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back for the duration; one that came meanwhile is raised after.

    Under ``signals_as_interrupts`` the handler itself defers (a signal may reach any thread, and
    Python runs its handler in the main one); elsewhere the thread blocks them.
    """
    global _deferring
    _deferring += 1  # first: a handler that runs before this raises with nothing yet to undo, and defers after it
    blocked, swapped = None, False
    try:
        # Blocked inside the try, so that the mask is given back whatever happens: blocked before it, a signal whose
        # handler ran in between left this thread blocking the signals for good, and every later Ctrl-C was lost.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, set(SIGNALS)) if hasattr(signal, "pthread_sigmask") else None
        # Python's own Ctrl-C handler (the API, a notebook) raises wherever the main thread is, mask or not, since
        # another thread takes the signal for it: so it defers too, while this lasts.
        swapped = threading.current_thread() is threading.main_thread() and (
            signal.getsignal(signal.SIGINT) is signal.default_int_handler
        )
        if swapped:
            signal.signal(signal.SIGINT, _on_signal)
        yield
    finally:
        try:
            if swapped:
                signal.signal(signal.SIGINT, signal.default_int_handler)
            if blocked is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        finally:
            _deferring -= 1
            if not _deferring and _pending:
                signum = _pending[0]
                _pending.clear()
                raise Interrupted(signum)


_PR_SET_PDEATHSIG = 1


def end_with(command: int) -> None:
    """In a worker process: exit when the process ``command`` ends (and when the worker's own parent does)."""
    if sys.platform.startswith("linux"):
        try:  # the kernel signals the worker if its parent (the fork server) dies
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_exit_after, args=(command,), name="secsim-end-with-command", daemon=True).start()


def _exit_after(pid: int) -> None:
    """Wait until process ``pid`` has ended, then end this one at once (nothing of a worker needs tidying)."""
    try:
        handle = os.pidfd_open(pid)  # readable once the process has ended, even before it is reaped
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        while _running(pid):
            time.sleep(0.5)
        os._exit(1)
    select.select([handle], [], [])
    os._exit(1)


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (where /proc says, a zombie, ended but not yet reaped, is not)."""
    if os.path.isdir("/proc/self"):
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rpartition(")")[2].split()[0] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True
