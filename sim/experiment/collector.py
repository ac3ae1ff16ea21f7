"""The garbage collector while replications run: fewer passes over records that live to the end of a run.

A GB run allocates its records by the ten thousand and keeps them until its tables are built;
at Python's default threshold (a young-generation pass every 700 allocations) the collector
spent a fifth of the run re-scanning them (measured with ``gc.callbacks``). Raised for the
duration of a chunk of replications, and restored after, so a notebook's settings survive.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fewer_collections(young: int = 20_000) -> Iterator[None]:
    """Collect the youngest generation every ``young`` allocations instead of every 700, for the duration.

    The run's cyclic garbage (SimPy's processes) is still collected, in fewer and larger passes.
    """
    global _collecting_less, _thresholds_before
    with _gc_lock:  # threads of one Dask worker share the collector: the first raises it, the last restores it
        if _collecting_less == 0:
            _thresholds_before = gc.get_threshold()
            gc.set_threshold(young, _thresholds_before[1], _thresholds_before[2])
        _collecting_less += 1
    try:
        yield
    finally:
        with _gc_lock:
            _collecting_less -= 1
            if _collecting_less == 0:
                gc.set_threshold(*_thresholds_before)


_gc_lock = threading.Lock()
_collecting_less = 0
"""How many ``fewer_collections`` blocks are open in this process."""
_thresholds_before: tuple[int, int, int] = gc.get_threshold()


def freeze_imports() -> None:
    """In a worker process: what it imported lives as long as it does, so keep it out of every full collection."""
    gc.freeze()
