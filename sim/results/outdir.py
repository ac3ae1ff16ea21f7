"""Output folders are secsim's own: what ``--out`` may name, and how a result set replaces another.

``--out`` may name a path that does not exist yet, or a folder a secsim run wrote (its
``manifest.json`` says so) holding nothing but what secsim writes there; anything else (a file,
the scenario itself, a project folder, a result folder with the user's notes in it) is refused
with one line, touching nothing. A command never deletes what it did not make.

Writing goes to a hidden staging folder beside ``--out`` (``.NAME.partial-XXXXXXXX``) that is
swapped with the old result set in one atomic step (``renameat2(RENAME_EXCHANGE)``), so at every
moment ``--out`` holds either the whole old result set or the whole new one. Where the
filesystem cannot exchange, the old set is renamed aside (``.NAME.old-XXXXXXXX``) and the new one
into place; a crash between those two renames leaves the old set aside, and the next run on
that ``--out`` puts it back before it starts. A lock file beside ``--out`` (``.NAME.lock``,
``fcntl.flock``, released by the kernel if the run dies) refuses a second run on the same
``--out`` while one writes, and lets the next run know that the staging folders it finds are
those of dead runs, which it removes.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..analysis.tables import TABLES
from ..core.errors import InputError
from ..core.lifetime import interrupts_deferred

WRITTEN: list[Path] = []
"""Every result set and file this process put in place, whole, in order: what a command that fails afterwards (a
signal while it prints, a full disk under its printout) did write, so it does not say it wrote nothing."""

MANIFEST = "manifest.json"
WRITTEN_BY = "secsim"
"""``manifest.json``'s ``written_by``; manifests of earlier versions are known by ``LEGACY_KEYS``."""
LEGACY_KEYS = frozenset({"scenario", "scenario_hash", "versions", "git_commit"})
OUTPUT_NAMES = frozenset(
    {
        *(f"{name}.csv" for name in TABLES),
        "summary.csv",
        "payers.csv",
        "yearly_summary.csv",
        "regimes.csv",
        "one_off_costs.csv",
        "scenario.json",  # run
        "design.csv",
        "runs.csv",  # sweep
        "indices.csv",
        "samples.csv",  # sensitivity
        "breakeven.csv",
        "swing.csv",  # breakeven (beside design, runs and summary)
        MANIFEST,
        "report.html",
        ".report.html.partial",
        "charts",
        ".charts.partial",  # a report's charts while they are drawn (sim.reports.publish)
        "report-screenshot.png",  # report (and its browser test)
    }
)
"""Every name secsim writes in a result folder (``charts`` holds only .png and .svg files)."""
PERIOD_NAMES = re.compile(
    r"\.?(summary|payers)-\d{4}-\d{4}\.csv(\.partial)?|\.?report-\d{4}-\d{4}\.html(\.partial)?|charts-\d{4}-\d{4}"
    r"|\.charts-\d{4}-\d{4}\.partial"
)
"""What ``secsim summarise`` and ``secsim report --from --to`` write for a period of a run (``charts-P`` as ``charts``)."""
_FOLDERS = re.compile(r"\.?charts(-\d{4}-\d{4})?(\.partial)?")
"""The names of the folders secsim writes in a result folder; every other name it writes is a file's."""
_STAGING_MARK = ".secsim-staging"
"""In a staging folder while it fills (removed before it is renamed into place)."""


def _not_of_its_kind(path: Path) -> bool:
    """A link, a folder under the name of a file secsim writes, or a file under the name of one of its folders."""
    return path.is_symlink() or (not path.is_dir() if _FOLDERS.fullmatch(path.name) else not path.is_file())


def written_by_secsim(folder: Path) -> bool:
    """Whether ``folder`` holds a manifest a secsim run wrote."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and (manifest.get("written_by") == WRITTEN_BY or LEGACY_KEYS <= manifest.keys())


_OWN_NAMES = re.compile(r"\..+\.((partial|old)-[a-z0-9_]{8}|lock)")
"""The names of what a run keeps beside its ``--out`` (``_tidy``, ``_locked``): never an ``--out`` itself."""


def not_charts(out: Path, folders: list[Path]) -> list[str]:
    """What chart ``folders`` of the result folder ``out`` hold that secsim did not write there (it writes only .png
    and .svg files), as ``charts/NAME``: a run replacing ``out``, or a report its charts, would take them with it."""
    return sorted(
        f"{charts.relative_to(out)}/{p.name}"
        for charts in folders
        for p in charts.glob("*")
        if p.suffix not in (".png", ".svg") or not p.is_file()
    )


def check(out: Path) -> None:
    """Raise ``InputError`` unless secsim may write ``out``: a missing path, or a result folder a secsim run wrote."""
    shown = f"--out {out}"
    staging = len(os.fsencode(f".{out.name}.partial-XXXXXXXX"))  # beside it, the longest name a run makes
    if staging > 255 or any(len(os.fsencode(part)) > 255 for part in out.parts):  # NAME_MAX (ext4, xfs, btrfs, tmpfs)
        raise InputError(
            f"{shown}: its name is too long (at most {255 - staging + len(os.fsencode(out.name))} bytes); nothing was written"
        )
    if _OWN_NAMES.fullmatch(out.name):  # another --out's staging, old set or lock: its run would sweep or trip on it
        raise InputError(f"{shown}: is named as secsim names its own hidden working files; choose another name")
    if out.is_symlink():
        raise InputError(f"{shown}: is a symbolic link; name a folder itself (nothing was written)")
    inside = next((p for p in out.absolute().parents if written_by_secsim(p)), None)
    if inside is not None:  # it would hold a folder that is not one of its own, and a later run into it refuse it
        raise InputError(f"{shown}: is inside the result folder {inside}; choose a folder outside it (nothing was written)")
    if not out.exists():
        existing = next(p for p in [out.absolute(), *out.absolute().parents] if p.exists())
        if not existing.is_dir():
            raise InputError(f"{shown}: {existing} is a file, not a folder (nothing was written)")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise InputError(f"{shown}: cannot write in {existing} (permission denied)")
        return
    if not out.is_dir():
        raise InputError(f"{shown}: is a file secsim did not write; choose a folder name (nothing was written)")
    if out.resolve() == Path.cwd().resolve() or out.resolve() in Path.cwd().resolve().parents:
        raise InputError(f"{shown}: is the current folder or holds it; name a result folder from outside it")
    if not written_by_secsim(out):
        if not any(out.iterdir()):  # nothing to lose, but a folder secsim did not make
            raise InputError(
                f"{shown}: is an empty folder secsim did not make; remove it (secsim writes a result folder whole, in "
                "its place) or choose a new folder name"
            )
        raise InputError(
            f"{shown}: exists and is not a result folder written by secsim (no secsim {MANIFEST}); "
            "choose a new folder, or empty it yourself"
        )
    foreign = sorted(p.name for p in out.iterdir() if p.name not in OUTPUT_NAMES and not PERIOD_NAMES.fullmatch(p.name))
    foreign += sorted(f"{p.name}/" for p in out.iterdir() if _not_of_its_kind(p) and p.name not in foreign)
    foreign += not_charts(out, [out / "charts", *out.glob("charts-*"), *out.glob(".charts*.partial")])
    if foreign:
        raise InputError(
            f"{shown}: holds {', '.join(foreign[:3])}{', ...' if len(foreign) > 3 else ''}, which secsim did not "
            "write; move it out, or choose a new folder"
        )
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise InputError(f"{shown}: cannot write in {out.parent} (permission denied)")


@contextmanager
def writing_into(folder: Path) -> Iterator[None]:
    """Hold a result folder's lock while a command reads it and writes beside its tables (a report, a period's summary),
    so that a run replacing the folder meanwhile is refused, or refuses it, in one line."""
    if not written_by_secsim(Path(folder)):  # not secsim's: what reads it says so, with nothing made beside it
        yield
        return
    with _locked(Path(folder), str(folder), needed=False):
        yield


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A hidden staging folder for ``out``, swapped into place when the block succeeds and removed when it fails.

    Holds ``out``'s lock throughout; parent folders it made are removed again if the block fails.
    """
    out = Path(out)
    check(out)
    made = _make_parents(out.parent)
    try:
        with _locked(out):
            _tidy(out)
            check(out)  # again, under the lock
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
            try:
                (staging / _STAGING_MARK).write_text(f"{os.getpid()}\n")
                staging.chmod(0o777 & ~_umask())  # mkdtemp's 0700 would hide the results from the user's group
                yield staging
                with interrupts_deferred():
                    (staging / _STAGING_MARK).unlink()
                    _replace(staging, out)
                    WRITTEN.append(out)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except BaseException:
        for folder in made:
            try:
                folder.rmdir()
            except OSError:
                break
        raise


def _make_parents(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; those made, deepest first."""
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out: cannot make {folder} ({exc.strerror or exc.__class__.__name__})") from None
    return missing


@contextmanager
def _locked(out: Path, shown: str | None = None, needed: bool = True) -> Iterator[None]:
    """Hold ``out``'s lock file (``.NAME.lock`` beside it), refusing at once if another run holds it (``shown``: how the
    refusal names ``out``; ``needed``: False goes on unlocked where the lock cannot be made, a folder to write into
    whose parent is not the user's to write in)."""
    path, shown = out.parent / f".{out.name}.lock", shown or f"--out {out}"
    while True:
        try:  # never through a link, and never blocking on a FIFO: a lock is a plain file a secsim run made
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EISDIR):
                raise InputError(_not_a_lock(out, path)) from None
            if not needed:
                yield
                return
            raise InputError(f"--out {out}: cannot write in {out.parent} ({exc.strerror or exc.__class__.__name__})") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode) or not _LOCK_TEXT.fullmatch(os.pread(fd, 64, 0)):
            os.close(fd)
            raise InputError(_not_a_lock(out, path))
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise InputError(
                f"{shown}: another secsim run (pid {holder}) is writing it; wait until it ends"
                + (", or choose another folder" if needed else "")
            ) from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:  # the previous holder removed it as we opened it: take a fresh one
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        path.unlink(missing_ok=True)  # while still holding it: a run that opened it meanwhile sees it gone and retries
        os.close(fd)


_LOCK_TEXT = re.compile(rb"(\d{1,20}\n)?")
"""What a lock holds: nothing (just made) or the pid of the run that holds or held it."""


def _not_a_lock(out: Path, path: Path) -> str:
    return f"--out {out}: {path} is not a lock a secsim run made (secsim writes its lock there); move it aside or choose another folder"


def _tidy(out: Path) -> None:
    """Under ``out``'s lock, what dead runs left beside it: staging folders are removed, and an old result set
    renamed aside (a crash between the two renames of a non-atomic replacement) goes back where it was."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(partial|old)-[a-z0-9_]{{8}}")
    for left in sorted(out.parent.iterdir()):
        match = pattern.fullmatch(left.name)
        if not match or left.is_symlink() or not left.is_dir():
            continue
        ours = (left / _STAGING_MARK).is_file() or written_by_secsim(left) or not any(left.iterdir())
        if not ours:
            continue
        if match.group(1) == "old" and not out.exists() and written_by_secsim(left):
            left.rename(out)
        else:
            shutil.rmtree(left, ignore_errors=True)


def _replace(staging: Path, out: Path) -> None:
    """Put ``staging`` at ``out``; an old result set there stays whole until the new one is in place."""
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):  # out is the new set, staging the old one
        shutil.rmtree(staging, ignore_errors=True)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    aside.rmdir()
    out.rename(aside)
    try:
        staging.rename(out)
    except BaseException:
        aside.rename(out)
        raise
    shutil.rmtree(aside, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where the platform or filesystem cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
