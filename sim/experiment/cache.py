"""Completed replications on disk, so an interrupted run or sweep resumes where it stopped.

An entry is keyed by (scenario hash, regime, seed, replication, product) under a fingerprint
of the code that computed it — secsim's own sources and the versions of the packages that draw
and shape the numbers — so a changed model never reads stale results. Entries are written to a
temporary file and renamed into place: Ctrl-C at any moment leaves each entry whole or absent.

Entries are JSON, which loads as data and never runs code (a pickle planted in a cache folder
would run whatever it names). An entry that does not parse, names another key or holds
something else than the caller expects counts as absent and is computed again; a cache is a
convenience, never a reason for a run to fail.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..core.errors import InputError
from ..core.lifetime import interrupts_deferred

_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
"""What a cache folder holds: a folder per code fingerprint (``fingerprint``), and nothing else."""
_PACKAGES = ("numpy", "simpy", "scipy")
"""Packages whose behaviour shapes a replication's numbers."""
FORMAT = "secsim-cache-1"


@dataclass(frozen=True)
class Key:
    """What identifies one replication's result."""

    scenario: str
    """The scenario's hash (``Scenario.digest``)."""
    regime: str
    seed: int
    replication: int
    product: str
    """What was kept of the replication (``sim.experiment.runner.PRODUCTS``)."""


PACKAGE = Path(__file__).resolve().parent.parent
"""The ``sim`` package: every module of it may shape a replication's numbers (the model, the rules, the industry)."""


@functools.cache
def fingerprint() -> str:
    """The code that computes a result, as a hash (``code_digest`` of this ``sim``): worked out once per process."""
    return code_digest(PACKAGE)


def code_digest(package: Path) -> str:
    """A hash of a package's sources (every module and regime file) and the numeric packages' versions."""
    digest = hashlib.sha256()
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.yaml")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name in _PACKAGES:
        digest.update(f"{name}=={metadata.version(name)}".encode())
    return digest.hexdigest()[:16]


def default_root() -> Path:
    """The user's own cache folder for secsim: ``$XDG_CACHE_HOME/secsim``, by default ``~/.cache/secsim``."""
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache") / "secsim"


class Cache:
    """A folder of JSON replication results; ``None`` where a result is not cached yet.

    The folder is made when the first entry is stored, if missing (only its owner may read it: ``0700``), so a
    command that stops at a mistake first leaves none behind; one that cannot be used is the user's mistake,
    reported before anything runs.
    """

    held = 0
    """Entries this process has stored or found, every cache together: whether an interrupted command leaves
    replications of its own to resume from (``sim.cli``), however many others the folder holds."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root) / fingerprint()
        given = Path(root).absolute()
        try:
            held = list(given.iterdir()) if given.is_dir() else []
        except OSError as exc:  # not to be listed: whether it is secsim's cannot be told
            raise InputError(
                f"--cache {root}: cannot list it ({exc.strerror or exc.__class__.__name__}); choose another cache folder"
            ) from None
        foreign = sorted(p.name for p in held if not _FINGERPRINT.fullmatch(p.name) or not p.is_dir())
        if foreign:  # a cache writes only into a folder of its own (new, empty, or one it wrote)
            raise InputError(
                f"--cache {root}: holds {', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}, which secsim did not "
                "write; choose a new or empty folder, or one secsim caches in"
            )
        missing = [p for p in [self.root.absolute(), given, *given.parents] if not p.exists()]
        try:  # made and removed again: whether it can be, found before anything runs, and nothing left if nothing is kept
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise InputError(
                f"--cache {root}: cannot use it as the cache folder ({exc.strerror or exc.__class__.__name__})"
            ) from None
        finally:
            for folder in missing:  # deepest first
                try:
                    folder.rmdir()
                except FileNotFoundError:  # another run started with it removed it first
                    continue
                except OSError:  # it holds another run's first entries (two runs started together): keep it
                    break
        if not missing and not os.access(self.root, os.W_OK | os.X_OK):
            raise InputError(f"--cache {root}: cannot write in it (permission denied); choose another cache folder")
        self._made = not missing

    def _make(self) -> None:
        """The folder and its fingerprint's, made at the first entry stored (``0700``: only its owner may read them)."""
        if not self._made:
            for folder in (self.root.parent, self.root):
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._made = True

    def _path(self, key: Key) -> Path:
        return self.root / key.scenario / key.regime / f"{key.seed}-{key.replication}.{key.product}.json"

    def __contains__(self, key: Key) -> bool:
        return self._path(key).is_file()

    def get(self, key: Key) -> Any | None:
        """The cached data, or ``None`` (an unreadable entry, or one for another key, counts as absent)."""
        try:
            entry = json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != asdict(key):
            return None
        Cache.held += 1
        return entry.get("value")

    def put(self, key: Key, value: Any) -> None:
        """Store JSON data atomically: written beside its final name, then renamed into place."""
        path = self._path(key)
        text = json.dumps({"format": FORMAT, "key": asdict(key), "value": value}, separators=(",", ":"), default=_plain)
        with interrupts_deferred():  # a Ctrl-C lands after the entry is whole, never between its steps
            try:
                self._make()
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, temporary = tempfile.mkstemp(prefix=".partial-", dir=path.parent)
            except OSError as exc:
                raise InputError(
                    f"--cache {self.root.parent}: cannot write in it ({exc.strerror or exc.__class__.__name__})"
                ) from None
            try:
                with os.fdopen(fd, "w") as f:
                    f.write(text)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            Cache.held += 1


def _plain(value: Any) -> Any:
    """numpy scalars as the Python numbers they hold (a table row may carry one)."""
    item = getattr(value, "item", None)
    if item is None:
        raise TypeError(f"cannot cache a {type(value).__name__}")
    return item()
