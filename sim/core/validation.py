"""Turn validation failures into the one line a user sees: ``file: key.path: expected ..., got ...``."""

from __future__ import annotations

import difflib
import json
import reprlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from .errors import InputError

Loc = Sequence[str | int]

Source = str | Callable[[Loc], str]
"""The file a mistake is reported against: a name, or a function of the key path (a value from an
``extends:`` parent is reported against the parent, ``sim.inputs.scenario_file.Provenance``)."""


def file_of(source: Source, loc: Loc) -> str:
    """The file the value at ``loc`` came from."""
    return source if isinstance(source, str) else source(loc)


def written_at(source: Source, loc: Loc) -> tuple[str | int, ...]:
    """``loc`` as the file the value came from writes it (``Provenance.as_written``: a party a child file adds is its
    ``parties[0]``, wherever the ``extends:`` merge put it)."""
    as_written = getattr(source, "as_written", None)
    return tuple(loc if as_written is None else as_written(loc))


def where(source: Source, loc: Loc) -> str:
    """``file: key.path`` of the value at ``loc``, as that file writes it."""
    return f"{file_of(source, loc)}: {key_path(written_at(source, loc))}"


def also_at(source: Source, loc: Loc, other: Loc) -> str:
    """Where ``other`` is, for an error at ``loc`` that names it ("also parties[0]"): as its own file writes it, and
    that file's name where it is not the one the error names."""
    file = file_of(source, other)
    return key_path(written_at(source, other)) + ("" if file == file_of(source, loc) else f" in {file}")


class AtKey(ValueError):
    """A model's check of one key against others (``weights`` against ``count``), reported at that key's path and
    against the file that wrote it, as a check of the key alone is. Each ``{}`` in the message is where one of
    ``against`` is written where that is another file (`` (population.srps.count in child.yaml)``, ``beside``), so a
    value an ``extends:`` child changed is named there; nothing where both are in one file."""

    def __init__(self, key: str, message: str, against: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.key, self.message, self.against = key, message, tuple(against)

    def at(self, source: Source, loc: Loc) -> tuple[list[str | int], str]:
        """The faulted key's location under the model at ``loc``, and the message with the other keys' places."""
        faulted = [*loc, self.key]
        return faulted, self.message.format(*(beside(source, faulted, [*loc, other]) for other in self.against))


def beside(source: Source, loc: Loc, other: Loc) -> str:
    """`` (parties[0].entry in child.yaml)`` where the value at ``other``, which the error at ``loc`` is checked
    against, is written in another file than the one the error names; nothing where it is the same file, or where no
    file writes it (a default)."""
    if file_of(source, other) == file_of(source, loc) or not writes(source, other):
        return ""
    return f" ({also_at(source, loc, other)})"


def writes(source: Source, loc: Loc) -> bool:
    """Whether a file writes the value at ``loc``, as ``source`` knows (``Provenance.writes``); True where it cannot say."""
    known = getattr(source, "writes", None)
    return True if known is None else bool(known(loc))


def key_path(loc: Loc) -> str:
    """Render a location tuple as ``parties[3].premises``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


_SHORT = reprlib.Repr()
"""Bounded: the repr of a huge value (a file's aliases expanded, a 10**6-item list) is never built whole."""
_SHORT.maxlevel, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxtuple = 2, 4, 4, 4
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 60, 60, 40


def written(value: Any) -> str | None:
    """``null``, ``true``, a list or a mapping (``{"a": 1}``) as a scenario file writes it, not as Python does (``None``,
    ``True``, ``{'a': 1}``); None for any other value, which Python writes as a file does."""
    if value is None or isinstance(value, bool | list | dict):
        try:
            return json.dumps(value, default=str)
        except (TypeError, ValueError):  # a mapping with keys JSON cannot name
            return None
    return None


def shown(value: Any) -> str:
    """A short, quoted rendering of the offending value, as a scenario file writes it (``written``)."""
    text = f'"{value[:60]}"' if isinstance(value, str) else written(value) or _SHORT.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_EXPECTED = {
    "int_type": "expected an integer",
    "int_parsing": "expected an integer",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_type": "expected a string",
    "date_type": "expected a date (YYYY-MM-DD)",
    "date_parsing": "expected a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "expected a date (YYYY-MM-DD)",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "finite_number": "expected a finite number",
    "path_type": "expected a path (text or a pathlib.Path)",
}


def _message(err: Mapping[str, Any], allowed_keys: Iterable[str] | None) -> str:
    kind = err["type"]
    got = err.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        hint = ""
        if allowed_keys:
            close = difflib.get_close_matches(key, list(allowed_keys), n=1)
            if close:
                hint = f'; did you mean "{close[0]}"?'
        return f"unknown key{hint}"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"expected one of {expected}, got {shown(got)}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        ctx = err.get("ctx", {})
        bound = next(iter(ctx.values())) if ctx else "?"
        if isinstance(bound, float) and bound.is_integer():  # a days key's 0.0 is written 0, as a file would
            bound = int(bound)
        words = {
            "greater_than_equal": ">=",
            "greater_than": ">",
            "less_than_equal": "<=",
            "less_than": "<",
        }[kind]
        return f"expected a value {words} {bound}, got {shown(got)}"
    if kind in ("too_long", "too_short"):  # the list itself would be the "got": say how long it is
        ctx = err.get("ctx", {})
        bound = ctx.get("max_length" if kind == "too_long" else "min_length")
        most = f"{'at most' if kind == 'too_long' else 'at least'} {bound} item{'' if bound == 1 else 's'}"
        return f"expected {most}, got {ctx.get('actual_length', len(got) if isinstance(got, list) else '?')}"
    if kind == "is_instance_of":  # an argument of the Python API (``sim.core.arguments``)
        return f"expected a {err.get('ctx', {}).get('class', 'value of its type')}, got {shown(got)}"
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"]))
    if kind in _EXPECTED:
        return f"{_EXPECTED[kind]}, got {shown(got)}"
    return f"{err['msg'][0].lower()}{err['msg'][1:]}, got {shown(got)}"


def input_error(source: Source, exc: ValidationError, keys_at: Any = None, named: Sequence[str] = ()) -> InputError:
    """One InputError naming the file, the first failing key and what was expected.

    ``keys_at(loc)`` may return the keys allowed at a location, to suggest a fix for a typo; ``named``: a function's
    parameters, to name an argument passed by position (``sim.core.arguments``).
    """
    errors = exc.errors(include_url=False)
    # A typo'd key also makes the intended key "missing": report the typo, the root cause.
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    loc = [p for p in first["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    # Pydantic adds union-member tags to locations; drop those that are not keys the user wrote.
    loc = [p for p in loc if not (isinstance(p, str) and (p in UNION_TAGS or p.startswith("constrained-")))]
    if named and loc and isinstance(loc[0], int) and loc[0] < len(named):
        loc[0] = named[loc[0]]
    if "[key]" in loc:  # a mapping's key, not a value: pydantic puts the key itself before "[key]"
        loc = loc[: loc.index("[key]") - 1]
        first = {**first, "type": "value_error", "ctx": {"error": f"expected text keys, got {shown(first.get('input'))}"}}
    if first["type"] == "missing" and loc and isinstance(loc[-1], int) and isinstance(got := first.get("input"), list):
        short = [e for e in errors if e["type"] == "missing" and tuple(e["loc"][:-1]) == tuple(first["loc"][:-1])]
        loc, errors = loc[:-1], [first, *(e for e in errors if e not in short)]  # a fixed-length list is short
        first = {**first, "type": "value_error", "ctx": {"error": f"expected {len(got) + len(short)} items, got {len(got)}"}}
    if first["type"] == "value_error" and isinstance(keyed := first.get("ctx", {}).get("error"), AtKey):
        loc, message = keyed.at(source, loc)
        first = {**first, "ctx": {"error": message}}
    allowed = keys_at(loc[:-1]) if keys_at and first["type"] == "extra_forbidden" else None
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return InputError(f"{where(source, loc)}: {_message(first, allowed)}{more}")


UNION_TAGS = {
    "int",
    "float",
    "str",
    "list",
    "dict",
    "constrained-int",
    "constrained-float",
    "list[...]",
    "dict[...]",
    "date",
    "bool",
    "none",
    "regime-name",
    "regime-variant",
}
"""Locations pydantic adds for the members of a union (and the tags of the scenario's discriminated one,
``sim.inputs.scenario.RegimeEntry``), none of them a key the user wrote."""


def located(source: Source, loc: Loc, message: str) -> InputError:
    """An InputError for a check made outside pydantic."""
    return InputError(f"{where(source, loc)}: {message}")


def keys_at(root: type[BaseModel], loc: Loc) -> list[str]:
    """The keys ``root`` allows at a location, for "did you mean" hints (``input_error``'s ``keys_at``)."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field is None:
            return []
        model = next(_models_in(field.annotation), None)
        if model is None:
            return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models a field's type holds, however deep in lists, unions and annotations."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in get_args(annotation):
        yield from _models_in(arg)
