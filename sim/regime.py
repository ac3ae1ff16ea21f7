"""Regimes as dated law (DESIGN.md principle 1).

A regime is a set of parameters, each a list of (date in force, value, SEC reference), read
from ``sim/regimes/*.yaml``. A regime may be written in full (``parameters``) or as
``amendments`` over a ``base`` regime; an amendment either ``set``s parameters from its date
on, or ``adopt``s every parameter of another regime from its date on. Scenario variants are
the same amendments, so an analyst writes "threshold 500,000" without touching Python.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from bisect import bisect_right
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, TypeAdapter, ValidationError

from .errors import InputError
from .rules import Snapshot
from .schema import ORIGIN, as_date
from .validation import key_path, located, shown


_Cycle = Annotated[list[Literal["full", "verification", "self"]], Field(min_length=1)]
_CYCLE_ROLES = {"supplier": ("large", "small"), "network": ("large", "small"), "other": ("none",), "srp": ("large", "small")}

PARAMETERS: dict[str, TypeAdapter] = {
    "threshold": TypeAdapter(Annotated[int, Field(gt=0, strict=True)]),
    "non_domestic_threshold": TypeAdapter(Annotated[int, Field(gt=0, strict=True)] | None),
    "count_basis": TypeAdapter(Literal["srp_aggregate", "own"]),
    "srp_own_assessment": TypeAdapter(Annotated[bool, Field(strict=True)]),
    "srp_scope_in_client": TypeAdapter(Literal["always", "unless_srp_status"]),
    "srp_documents_copied": TypeAdapter(Annotated[int, Field(ge=0, strict=True)]),
    "due_anchor": TypeAdapter(Literal["status_set", "fieldwork_end"]),
    "due_requirement": TypeAdapter(Literal["scheduled", "completed"]),
    "due_months": TypeAdapter(Annotated[int, Field(ge=1, le=60, strict=True)]),
    "rejected_requires_full": TypeAdapter(Annotated[bool, Field(strict=True)]),
}
for _role, _bands in _CYCLE_ROLES.items():
    for _band in _bands:
        PARAMETERS[f"cycles.{_role}.{_band}"] = TypeAdapter(_Cycle | None if _role == "srp" else _Cycle)

BUILTINS: tuple[str, ...] = ("pre-secmp0044", "secmp0044", "sec-history")

Entry = tuple[dt.date, Any, str]


@dataclass(frozen=True)
class Regime:
    """A named regime: every parameter's dated values with their references."""

    name: str
    title: str
    lineage: tuple[str, ...]
    timeline: dict[str, tuple[Entry, ...]]
    options: dict[str, dt.date] = field(default_factory=dict, compare=False)
    """Dates the regime's own amendments take from options (e.g. sec-history's secmp0044_date)."""
    definition: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def change_dates(self) -> list[dt.date]:
        """Every date on which some parameter changes, in order."""
        return sorted({d for entries in self.timeline.values() for d, _, _ in entries})

    def value(self, parameter: str, on: dt.date) -> tuple[Any, str]:
        """The value in force on a date and its reference."""
        entries = self.timeline[parameter]
        i = bisect_right([d for d, _, _ in entries], on) - 1
        if i < 0:
            raise InputError(f"regime {self.name}: {parameter} has no value in force on {on}")
        _, value, ref = entries[i]
        return value, ref

    @functools.lru_cache(maxsize=64)
    def at(self, on: dt.date) -> Snapshot:
        """The snapshot of rules in force on a date."""
        values: dict[str, Any] = {}
        refs: dict[str, str] = {}
        for parameter in PARAMETERS:
            values[parameter], refs[parameter] = self.value(parameter, on)
        cycles = {
            (role, band): (tuple(values[f"cycles.{role}.{band}"]) if values[f"cycles.{role}.{band}"] is not None else None)
            for role, bands in _CYCLE_ROLES.items()
            for band in bands
        }
        return Snapshot(
            threshold=values["threshold"],
            non_domestic_threshold=values["non_domestic_threshold"],
            count_basis=values["count_basis"],
            cycles=cycles,
            srp_own_assessment=values["srp_own_assessment"],
            srp_scope_in_client=values["srp_scope_in_client"],
            srp_documents_copied=values["srp_documents_copied"],
            due_anchor=values["due_anchor"],
            due_requirement=values["due_requirement"],
            due_months=values["due_months"],
            rejected_requires_full=values["rejected_requires_full"],
            refs=refs,
        )

    def rows(self) -> list[dict[str, Any]]:
        """The regime as a tidy table: one row per parameter value in force from a date."""
        return [
            {"regime": self.name, "parameter": p, "from": d.isoformat(), "value": v, "ref": r}
            for p, entries in sorted(self.timeline.items())
            for d, v, r in entries
        ]

    def __hash__(self) -> int:  # lru_cache on ``at`` needs a hashable self
        return hash((self.name, self.lineage))


@functools.cache
def builtin_definitions() -> dict[str, dict[str, Any]]:
    """The shipped regime files, by name."""
    out = {}
    for name in BUILTINS:
        text = resources.files("sim.regimes").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
        out[name] = yaml.safe_load(text)
    return out


def _check_value(parameter: str, value: Any, source: str, loc: list[Any]) -> Any:
    if parameter not in PARAMETERS:
        close = difflib.get_close_matches(parameter, list(PARAMETERS), n=1)
        hint = f'did you mean "{close[0]}"?' if close else f"expected one of {', '.join(sorted(PARAMETERS))}"
        raise located(source, loc, f"unknown regime parameter; {hint}")
    try:
        checked = PARAMETERS[parameter].validate_python(value)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise located(source, loc, f"{_expected(parameter)}, got {shown(err.get('input', value))}") from None
    if parameter.startswith("cycles.") and checked is not None and checked[0] != "full":
        raise located(source, loc, f"a cycle starts with the entry Full assessment (seed s.2), got {shown(value)}")
    return checked


def _expected(parameter: str) -> str:
    if parameter.startswith("cycles."):
        return "expected a list of full/verification/self" + (" or null" if parameter.startswith("cycles.srp") else "")
    return {
        "threshold": "expected a positive integer",
        "non_domestic_threshold": "expected a positive integer or null",
        "due_months": "expected an integer from 1 to 60",
        "srp_documents_copied": "expected a non-negative integer",
        "count_basis": "expected srp_aggregate or own",
        "srp_scope_in_client": "expected always or unless_srp_status",
        "due_anchor": "expected status_set or fieldwork_end",
        "due_requirement": "expected scheduled or completed",
    }.get(parameter, "expected true or false")


def _as_date(value: Any, options: dict[str, dt.date], source: str, loc: list[Any]) -> dt.date:
    """A date as written in a regime file (or ``$option``)."""
    if isinstance(value, str) and value.startswith("$"):
        if value[1:] not in options:
            raise located(source, loc, f"unknown option {shown(value)}")
        return options[value[1:]]
    found = as_date(value.date() if isinstance(value, dt.datetime) else value)
    if found is None:
        raise located(source, loc, f"expected a date (YYYY-MM-DD), got {shown(value)}")
    return found


def _in_force(entries: list[Entry], on: dt.date) -> Any:
    earlier = [v for d, v, _ in entries if d <= on]
    return earlier[-1] if earlier else None


def _set_from(timeline: dict[str, list[Entry]], parameter: str, on: dt.date, entries: list[Entry]) -> None:
    """Replace a parameter's values from ``on`` onward (an amendment is law from its date)."""
    kept = [e for e in timeline.get(parameter, []) if e[0] < on]
    timeline[parameter] = kept + entries


def build(
    definition: dict[str, Any],
    source: str,
    prefix: tuple[Any, ...] = (),
    known: dict[str, Regime] | None = None,
) -> Regime:
    """Build a regime from its definition (a shipped file or a scenario variant)."""
    if not isinstance(definition, dict):
        raise located(source, prefix, "expected a mapping")
    known = dict(known or {})
    allowed = {"name", "title", "description", "base", "options", "parameters", "amendments"}
    for key in definition:
        if key not in allowed:
            raise located(source, [*prefix, key], f"unknown key; expected one of {', '.join(sorted(allowed))}")
    name = definition.get("name")
    if not isinstance(name, str) or not name:
        raise located(source, [*prefix, "name"], "expected a regime name")

    timeline: dict[str, list[Entry]] = {}
    lineage: tuple[str, ...] = (name,)
    options: dict[str, dt.date] = {}
    if "parameters" in definition:
        params = definition["parameters"]
        for parameter, spec in params.items():
            loc = [*prefix, "parameters", parameter]
            values = spec.get("values", {}) if isinstance(spec, dict) else None
            if not isinstance(values, dict) or not values:
                raise located(source, loc, "expected a mapping with dated values")
            entries = []
            for when, entry in values.items():
                on = _as_date(when, {}, source, [*loc, "values", str(when)])
                entries.append((on, _check_value(parameter, entry["value"], source, [*loc, "values", str(when)]), entry.get("ref", "")))
            timeline[parameter] = sorted(entries, key=lambda e: e[0])
        missing = set(PARAMETERS) - set(timeline)
        if missing:
            raise located(source, [*prefix, "parameters"], f"missing parameters: {', '.join(sorted(missing))}")
    else:
        base = _lookup(definition.get("base"), known, source, [*prefix, "base"])
        given = definition.get("options") or {}
        if not isinstance(given, dict):
            raise located(source, [*prefix, "options"], "expected a mapping of option: date")
        values = {k: v for k, v in given.items() if not isinstance(v, dict)}
        if values:
            for key, value in values.items():
                if key not in base.options:
                    expected = ", ".join(sorted(base.options)) or "none"
                    raise located(source, [*prefix, "options", key], f"unknown option; {base.name} takes: {expected}")
                _as_date(value, {}, source, [*prefix, "options", key])
            # Options move the base's own amendment dates: rebuild the base with them.
            declared = {k: {"default": values.get(k, v)} for k, v in base.options.items()}
            base = build({**base.definition, "options": declared}, source, prefix, known)
        options = dict(base.options)
        timeline = {p: list(e) for p, e in base.timeline.items()}
        lineage = (*base.lineage, name)
    own_options = {k: v["default"] for k, v in (definition.get("options") or {}).items() if isinstance(v, dict)}
    options.update({k: _as_date(v, {}, source, [*prefix, "options", k]) for k, v in own_options.items()})

    amendments = definition.get("amendments") or []
    if not isinstance(amendments, list):
        raise located(source, [*prefix, "amendments"], "expected a list of amendments")
    for i, amendment in enumerate(amendments):
        loc = [*prefix, "amendments", i]
        if not isinstance(amendment, dict):
            raise located(source, loc, "expected a mapping with date and set (or adopt)")
        for key in amendment:
            if key not in ("date", "ref", "set", "adopt"):
                raise located(source, [*loc, key], "unknown key; expected one of adopt, date, ref, set")
        on = _as_date(amendment.get("date", ORIGIN), options, source, [*loc, "date"])
        ref = str(amendment.get("ref", ""))
        if "adopt" in amendment:
            other = _lookup(amendment["adopt"], known, source, [*loc, "adopt"])
            for parameter, entries in other.timeline.items():
                value, value_ref = other.value(parameter, on)
                later = [e for e in entries if e[0] > on]
                unchanged = _in_force(timeline[parameter], on) == value  # no restatement of what is already law
                _set_from(timeline, parameter, on, ([] if unchanged else [(on, value, value_ref or ref)]) + later)
        changes = amendment.get("set") or {}
        if not isinstance(changes, dict):
            raise located(source, [*loc, "set"], "expected a mapping of parameter: value")
        for parameter, change in changes.items():
            ploc = [*loc, "set", parameter]
            value, value_ref = (change["value"], change.get("ref", ref)) if isinstance(change, dict) and "value" in change else (change, ref)
            _set_from(timeline, parameter, on, [(on, _check_value(parameter, value, source, ploc), value_ref or f"scenario variant {name}")])

    regime = Regime(
        name=name,
        title=str(definition.get("title", name)),
        lineage=lineage,
        timeline={p: tuple(e) for p, e in timeline.items()},
        options=options,
        definition=definition,
    )
    for on in regime.change_dates():
        snap = regime.at(on)
        if snap.srp_own_assessment and (snap.cycles[("srp", "large")] is None or snap.cycles[("srp", "small")] is None):
            raise located(source, prefix, f"SRPs have their own assessment from {on} but cycles.srp.* is not set")
    return regime


def _lookup(name: Any, known: dict[str, Regime], source: str, loc: list[Any]) -> Regime:
    if isinstance(name, str) and name in known:
        return known[name]
    if isinstance(name, str) and name in BUILTINS:
        return builtin(name)
    choices = ", ".join([*BUILTINS, *(k for k in known if k not in BUILTINS)])
    raise located(source, loc, f"unknown regime {shown(name)}; expected one of {choices}")


@functools.cache
def builtin(name: str) -> Regime:
    """One of the shipped regimes, by name."""
    if name not in BUILTINS:
        raise InputError(f"unknown regime \"{name}\"; expected one of {', '.join(BUILTINS)}")
    definition = builtin_definitions()[name]
    known = {n: builtin(n) for n in BUILTINS[: BUILTINS.index(name)]}
    return build(definition, f"sim/regimes/{name}.yaml", known=known)


__all__ = ["BUILTINS", "ORIGIN", "PARAMETERS", "Regime", "build", "builtin", "key_path"]
