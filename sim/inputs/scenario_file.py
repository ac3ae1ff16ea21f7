"""A scenario file and the files it ``extends:``, read into one mapping that remembers which file said what.

Reading is bounded: a scenario is a regular file of at most ``MAX_BYTES`` (a FIFO, a device or
``/dev/zero`` is refused before a byte is read, so nothing hangs or fills memory), and an
``extends:`` chain is at most ``MAX_EXTENDS`` files long. Each value of the merged mapping keeps
the name of the file it came from, so a bad value in a parent is reported against the parent.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from ..core.errors import InputError
from ..core.validation import Loc, key_path, located, shown
from . import safe_yaml

MAX_BYTES = 1 << 20
"""Largest scenario file read (gb-baseline is 6 kB)."""
MAX_EXTENDS = 16
"""Longest chain of ``extends:`` files."""

Origin = Union[str, dict[Any, "Origin"], list["Origin"], "Placed"]
"""Which file each value came from: a file name for a whole value, a mapping/list of origins for a merged one, and for
an item a merge by ``name`` or ``id`` placed in a list, its places in the files that wrote it (``Placed``)."""


@dataclass(frozen=True)
class Placed:
    """The origin of an item a merge by ``name`` or ``id`` put in a list, and where each file that wrote it has it: a
    party a child adds is ``parties[0]`` in the child, whatever its place after the parent's."""

    indices: dict[str, int]
    origin: Origin


def _files_in(origin: Origin) -> Iterator[str]:
    """Every file that writes part of a value whose origin is ``origin``."""
    if isinstance(origin, str):
        yield origin
    elif isinstance(origin, Placed):
        yield from origin.indices
        yield from _files_in(origin.origin)
    else:
        for part in origin.values() if isinstance(origin, dict) else origin:
            yield from _files_in(part)


def _item(origin: Origin) -> Origin:
    return origin.origin if isinstance(origin, Placed) else origin


@dataclass(frozen=True)
class Provenance:
    """Names the file a key path's value came from: callable as a ``sim.core.validation`` source."""

    source: str
    """The file that was loaded (the one named when a value has no single origin)."""
    origin: Origin
    chain: tuple[str, ...] = ()
    """The loaded file, then each it extends in turn: of the files that write part of a value, the first is named."""
    data: Any = field(default=None, compare=False, repr=False)
    """The mapping the files make together, before any default is filled in (``writes``)."""

    def __call__(self, loc: Loc) -> str:
        """The file a value at ``loc`` came from; for a value no one file gave whole (an item two files wrote, a key
        none wrote), the child-most file that writes part of the value holding it, else the loaded file."""
        origin = self.origin
        for part in loc:
            origin = _item(origin)
            if isinstance(origin, str):
                return origin
            if isinstance(origin, dict) and part in origin:
                origin = origin[part]
            elif isinstance(origin, list) and isinstance(part, int) and 0 <= part < len(origin):
                origin = origin[part]
            else:
                return self._child_most(origin)
        origin = _item(origin)
        return origin if isinstance(origin, str) else self._child_most(origin)

    def writes(self, loc: Loc) -> bool:
        """Whether any of the files writes the value at ``loc`` (not a default), as far as ``data`` says."""
        value = self.data
        for part in loc:
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
                value = value[part]
            else:
                return False
        return True

    def _child_most(self, origin: Origin) -> str:
        """The first file of ``chain`` that writes part of a value whose origin is ``origin``."""
        files = set(_files_in(origin))
        return next((f for f in self.chain if f in files), self.source)

    def as_written(self, loc: Loc) -> list[str | int]:
        """``loc`` as the file the value came from writes it: each list index the one that file gives the item."""
        file, origin, out = self(loc), self.origin, list[str | int]()
        for part in loc:
            if isinstance(origin, list) and isinstance(part, int) and 0 <= part < len(origin):
                origin = origin[part]
                out.append(origin.indices.get(file, part) if isinstance(origin, Placed) else part)
                origin = _item(origin)
            else:
                out.append(part)
                origin = origin[part] if isinstance(origin, dict) and part in origin else file
        return out


def read(path: Path) -> str:
    """The text of a scenario file: a regular file of at most ``MAX_BYTES``, in UTF-8."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # O_NONBLOCK: opening a FIFO does not wait for a writer
    except FileNotFoundError:
        raise InputError(f"{path}: no such scenario file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the scenario file ({exc.strerror or exc.__class__.__name__})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):  # before fdopen, which refuses a folder with an OSError naming the descriptor
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise InputError(f"{path}: {kind}; expected a scenario YAML file")
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read(MAX_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read the scenario file ({exc.strerror or exc.__class__.__name__})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than {MAX_BYTES >> 20} MiB; expected a scenario YAML file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); expected a scenario YAML file") from None


def parse(text: str, source: str) -> dict[str, Any]:
    """The top-level mapping of a scenario file's text."""
    data = safe_yaml.load(text, source)
    if data is None:
        raise InputError(f"{source}: the file is empty; expected a mapping of scenario keys (name, start, years, regimes, ...)")
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a mapping of scenario keys at the top level, got {_kind(data)}")
    return data


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "true or false"}.get(
        type(value), type(value).__name__
    )


def compose(text: str, source: str, base_dir: Path | None) -> tuple[dict[str, Any], Provenance]:
    """A scenario file's mapping with its ``extends:`` parents merged in, and where each value came from."""
    chain: list[str] = []
    data, origin = _extend(parse(text, source), source, base_dir, (), chain)
    return data, Provenance(source, origin, tuple(chain), data)


def _extend(
    data: dict[str, Any], source: str, base_dir: Path | None, seen: tuple[Path, ...], chain: list[str]
) -> tuple[dict[str, Any], Origin]:
    """``extends: other.yaml``: start from another scenario file (relative to this one) and change what this one says
    (``chain``: each file read, this one first)."""
    chain.append(source)
    parent = data.pop("extends", None)
    if parent is None:
        return data, source
    if not isinstance(parent, str) or not parent.strip() or base_dir is None:  # "" would name this file's own folder
        raise located(source, ["extends"], f"expected the path of a scenario file, got {shown(parent)}")
    path = (base_dir / parent).resolve()
    if path in seen:
        circle = " → ".join(p.name for p in (*seen[seen.index(path) :], path))
        raise located(source, ["extends"], f"{shown(parent)} leads back to itself ({circle})")
    if len(seen) >= MAX_EXTENDS:
        raise located(source, ["extends"], f"expected a chain of at most {MAX_EXTENDS} files, got a longer one")
    if not path.is_file():
        tried = os.path.relpath(path)
        tried = str(path) if tried.startswith("..") else tried  # the path tried, from where secsim runs if it is below
        if path.exists():  # a folder, a device, a FIFO: there, but not a file to read
            kind = "a folder" if path.is_dir() else "not a regular file"
            raise located(source, ["extends"], f"{shown(parent)} is {kind}; expected the path of a scenario file")
        raise located(source, ["extends"], f'no scenario file "{tried}" (the path is read from this file\'s folder)')
    label = os.path.normpath(os.path.join(os.path.dirname(source), parent))  # as the user would find it from here
    base, base_origin = _extend(parse(read(path), label), label, path.parent, (*seen, path), chain)
    merged, origin = _merge(base, base_origin, data, source)
    if "regimes" in data and isinstance(merged.get("baselines"), dict):
        # A child with regimes of its own keeps only those of its parent's baselines that pair two of them, beside its own:
        # its regimes, merged with its parent's where both lists are of variants (by name), not only those it lists.
        regimes = merged.get("regimes")
        given = [r.get("name") if isinstance(r, dict) else r for r in regimes] if isinstance(regimes, list) else []
        names = {n for n in given if isinstance(n, str)}  # anything else is refused where it is written, once validated
        own = data["baselines"] if isinstance(data.get("baselines"), dict) else {}
        merged["baselines"] = {k: v for k, v in merged["baselines"].items() if k in own or (k in names and v in names)}
        found = origin.get("baselines") if isinstance(origin, dict) else None
        if isinstance(origin, dict) and isinstance(found, dict):
            origin["baselines"] = {k: v for k, v in found.items() if k in merged["baselines"]}
    return merged, origin


def _at(origin: Origin, part: Any) -> Origin:
    """The origin of one key or item of a value whose origin is ``origin``."""
    origin = _item(origin)
    return origin if isinstance(origin, str) else origin[part]  # type: ignore[index]


def _placed(origin: Origin, file: str, index: int) -> Placed:
    """``origin`` as an item of a merged list, written at ``index`` by ``file`` (or by the one file it came from); an
    item merged before already knows its files' places."""
    if isinstance(origin, Placed):
        return origin
    written = origin if isinstance(origin, str) else file
    return Placed({written: index} if written else {}, origin)


_DUPLICATES: dict[tuple[str | int, ...], tuple[str | None, str]] = {
    ("parties",): ("id", "duplicate party id {} (also {})"),
    ("population", "groups"): ("name", "duplicate group name {} (also {})"),
    ("regimes",): (None, "regime {} is listed twice (also {})"),
}
"""The lists whose items' names the scenario's own checks refuse twice (``sim.inputs.cross_checks``), with the key
their error names and its words, which are those checks' own."""


def _refuse_duplicate(items: list[dict[str, Any]], origin: Origin, key: str, path: Loc) -> None:
    """One line for a list that gives an item's ``name`` or ``id`` twice, where its file gives them (a list one file
    wrote: one merged before holds each once)."""
    named, words = _DUPLICATES[tuple(path)]
    first: dict[str, int] = {}
    for i, x in enumerate(items):
        if x[key] in first:
            at = [*path, i] if named is None else [*path, i, named]
            raise located(_file(origin), at, words.format(shown(x[key]), key_path([*path, first[x[key]]])))
        first[x[key]] = i


def _once(items: list[dict[str, Any]], key: str) -> bool:
    """Whether each item's ``key`` is given once in ``items``."""
    return len({x[key] for x in items}) == len(items)


def _file(origin: Origin) -> str:
    """The file a list's items come from when the list has one (a merged list's items say their own)."""
    return origin if isinstance(origin, str) else ""


def _merge(base: Any, base_origin: Origin, override: Any, override_origin: Origin, path: Loc = ()) -> tuple[Any, Origin]:
    """A child scenario's values over its parent's: mappings merge key by key; lists of mappings
    with a ``name`` (or ``id``) merge item by item; anything else is replaced (``path``: where, for a duplicate)."""
    if isinstance(base, dict) and isinstance(override, dict):
        value, origin = dict(base), {k: _at(base_origin, k) for k in base}
        for k, v in override.items():
            if k in base:
                value[k], origin[k] = _merge(base[k], origin[k], v, _at(override_origin, k), (*path, k))
            else:
                value[k], origin[k] = v, _at(override_origin, k)
        return value, origin
    if isinstance(base, list) and isinstance(override, list):
        for key in ("name", "id"):
            if base and override and all(isinstance(x, dict) and isinstance(x.get(key), str) for x in [*base, *override]):
                if tuple(path) in _DUPLICATES:  # a name the scenario's own checks refuse twice: refused where it is written
                    _refuse_duplicate(base, base_origin, key, path)
                    _refuse_duplicate(override, override_origin, key, path)
                elif not (_once(base, key) and _once(override, key)):  # merging would make one item of two: replaced
                    break
                merged = {x[key]: (x, _placed(_at(base_origin, i), _file(base_origin), i)) for i, x in enumerate(base)}
                for j, x in enumerate(override):
                    found = merged.get(x[key])
                    item = _at(override_origin, j)
                    if found:
                        value, within = _merge(found[0], _item(found[1]), x, item, (*path, j))
                        merged[x[key]] = (value, Placed({**found[1].indices, _file(override_origin): j}, within))
                    else:
                        merged[x[key]] = (x, _placed(item, _file(override_origin), j))
                return [v for v, _ in merged.values()], [o for _, o in merged.values()]
    return override, override_origin
