"""The garbage collector while replications run: no passes over records that live to the end of a run.

A GB run allocates its records and SimPy's events by the ten thousand and keeps most of them until
its tables are built. Every automatic pass of the collector re-scans those that are still alive
(at Python's default threshold a fifth of a run; at a raised threshold still 9 % of a GB
replication, measured with ``gc.callbacks``), and finds almost nothing to free: a finished run
holds no reference cycle of its own (``Ssc.stop``), so reference counting frees it as soon as its
tables are built. Automatic collection is therefore paused while a chunk of replications runs,
and given back as it was found (a notebook's settings survive); should young objects have piled
up all the same (threads of one Dask worker keeping it paused between them), one pass of the
youngest generation clears them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PILED_UP = 200_000
"""Young objects left after a chunk beyond which the youngest generation is collected at once."""


@contextmanager
def paused_collection() -> Iterator[None]:
    """No automatic garbage collection for the duration; the collector as it was found afterwards."""
    global _pausing, _enabled_before
    with _gc_lock:  # threads of one Dask worker share the collector: the first pauses it, the last gives it back
        if _pausing == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _gc_lock:
            _pausing -= 1
            if _pausing == 0 and _enabled_before:
                gc.enable()
        if gc.get_count()[0] > PILED_UP:
            gc.collect(0)


_gc_lock = threading.Lock()
_pausing = 0
"""How many ``paused_collection`` blocks are open in this process."""
_enabled_before = gc.isenabled()


def freeze_imports() -> None:
    """In a worker process: what it imported lives as long as it does, so keep it out of every full collection."""
    gc.freeze()
