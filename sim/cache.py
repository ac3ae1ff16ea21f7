"""Completed replications on disk, so an interrupted run or sweep resumes where it stopped.

An entry is keyed by (scenario hash, regime, seed, replication, product) under a fingerprint
of the code that computed it — secsim's own sources and the versions of the packages that draw
and shape the numbers — so a changed model never reads stale results. Entries are written to a
temporary file and renamed into place: Ctrl-C at any moment leaves each entry whole or absent.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

_PACKAGES = ("numpy", "simpy", "scipy")
"""Packages whose behaviour shapes a replication's numbers."""


@dataclass(frozen=True)
class Key:
    """What identifies one replication's result."""

    scenario: str
    """The scenario's hash (``Scenario.digest``)."""
    regime: str
    seed: int
    replication: int
    product: str
    """What was kept of the replication (``sim.experiment.PRODUCTS``)."""


@functools.cache
def fingerprint() -> str:
    """A hash of secsim's sources, its regime files and the versions of the numeric packages."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.yaml")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name in _PACKAGES:
        digest.update(f"{name}=={metadata.version(name)}".encode())
    return digest.hexdigest()[:16]


class Cache:
    """A folder of pickled replication results; ``None`` where a result is not cached yet."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root) / fingerprint()

    def _path(self, key: Key) -> Path:
        return self.root / key.scenario / key.regime / f"{key.seed}-{key.replication}.{key.product}.pkl"

    def __contains__(self, key: Key) -> bool:
        return self._path(key).is_file()

    def get(self, key: Key) -> Any | None:
        """The cached result, or ``None`` (an unreadable entry counts as absent and is recomputed)."""
        try:
            with self._path(key).open("rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            return None
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, key: Key, value: Any) -> None:
        """Store a result atomically: written beside its final name, then renamed into place."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with _interrupts_deferred():  # a Ctrl-C lands after the entry is whole, never between its steps
            fd, temporary = tempfile.mkstemp(prefix=".partial-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold SIGINT back while a cache entry is written (where the platform allows it)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
