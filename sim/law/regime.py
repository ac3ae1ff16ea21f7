"""Regimes as dated law (DESIGN.md principle 1).

A regime is a set of parameters, each a list of (date in force, value, SEC reference), read
from ``sim/law/regimes/*.yaml``. A regime may be written in full (``parameters``) or as
``amendments`` over a ``base`` regime; an amendment ``set``s parameters from its date on,
``adopt``s from its date on what another regime changes over its own base (SECMP0044 within
the dated history), and may carry the one-off cost of the change (``one_off_costs``: seed
s.5's £1,200). Scenario variants are the same amendments, so an analyst writes "threshold
500,000" without touching Python.

A value marked ``reading: true`` is our interpretation of an open question, not dated law
(what is counted against 250,000 before SECAS's Sep 2019 rule, what "scheduled" means, when
an assessment falls under a change): a scenario's ``readings`` replaces exactly those values
(``Regime.with_readings``), so an analyst sees how much an answer rests on them.
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_right
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from ..core.errors import InputError
from ..core.schema import ORIGIN
from ..core.validation import Source, key_path, located, shown
from .amendments import as_written_date, dated, one_offs as amendment_one_offs, value_spec
from .parameters import CYCLE_ROLES, ONE_OFF_COLUMNS, PARAMETERS, READINGS, Entry, OneOff, check_value
from .rules import Snapshot

BUILTINS: tuple[str, ...] = ("pre-secmp0044", "secmp0044", "sec-history-without-secmp0044", "sec-history")
"""The shipped regimes, each built only on those before it."""
MAX_CHANGE_DATES = 200
"""Most dates a regime's law may change on, those of the regimes it is built on included (`sec-history` has
seven): each is a snapshot of the rules that every run works out, so thousands made a run's first replication take
minutes. Counted as each regime is built, its own amendments before any is applied."""


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
    changes: frozenset[str] = frozenset()
    """Parameters this regime sets over its base (what ``adopt`` takes from it)."""
    one_offs: tuple[OneOff, ...] = ()
    """One-off costs of the changes this regime makes, dated."""

    def change_dates(self) -> list[dt.date]:
        """Every date on which some parameter changes, in order."""
        return sorted({e.date for entries in self.timeline.values() for e in entries})

    def entry(self, parameter: str, on: dt.date) -> Entry:
        """The entry in force on a date."""
        entries = self.timeline[parameter]
        i = bisect_right([e.date for e in entries], on) - 1
        if i < 0:
            raise InputError(f"regime {self.name}: {parameter} has no value in force on {on}")
        return entries[i]

    def value(self, parameter: str, on: dt.date) -> tuple[Any, str]:
        """The value in force on a date and its reference."""
        found = self.entry(parameter, on)
        return found.value, found.ref

    def with_readings(self, readings: dict[str, Any], source: str) -> Regime:
        """This regime with every value marked as a reading of ``parameter`` replaced by ``readings[parameter]``."""
        if not readings:
            return self
        timeline = dict(self.timeline)
        for parameter, value in readings.items():
            checked = check_value(parameter, value, source, ["readings", parameter])
            timeline[parameter] = tuple(
                e._replace(value=checked, ref=f"scenario reading ({source}), in place of: {e.ref}") if e.reading else e
                for e in timeline[parameter]
            )
        return Regime(self.name, self.title, self.lineage, timeline, self.options, self.definition, self.changes, self.one_offs)

    @functools.lru_cache(maxsize=64)  # noqa: B019 - regimes are few, frozen and live for a run
    def at(self, on: dt.date) -> Snapshot:
        """The snapshot of rules in force on a date."""
        return self._snapshot(tuple(self.entry(parameter, on) for parameter in PARAMETERS))

    def moments(self) -> bool:
        """Whether any of its changes names the event that puts an assessment under it (``Entry.moment``)."""
        return any(e.moment is not None for entries in self.timeline.values() for e in entries)

    @functools.lru_cache(maxsize=64)  # noqa: B019 - as ``at``
    def governing(self, booked: dt.date, requested: dt.date) -> Snapshot:
        """The rules an assessment booked on ``booked`` for fieldwork on ``requested`` follows, change by change: each
        value from the latest change that has reached it by its moment (the change's own, or else the transition moment
        the regime names on ``requested``; DOMAIN.md 4.3). With no change naming its own moment, ``at`` of one day."""
        return self._snapshot(self._reached(booked, requested)[0])

    @functools.lru_cache(maxsize=64)  # noqa: B019 - as ``at``
    def scope_moment(self, booked: dt.date, requested: dt.date) -> str:
        """The moment (``booking`` or ``fieldwork``) by which the rule on a User's SRP part that ``governing`` gives
        reached the assessment: the SRP's status is read then, as the rule is (DOMAIN.md 4.3, one moment for an SRP
        and its Users), so a change adopted by booking decides the part by booking as a regime read by booking does."""
        entries, default = self._reached(booked, requested)
        return entries[list(PARAMETERS).index("srp_scope_in_client")].moment or default

    def _reached(self, booked: dt.date, requested: dt.date) -> tuple[tuple[Entry, ...], str]:
        """Per parameter, the latest entry that has reached the assessment by its moment; and the regime's moment."""
        default = self.value("transition_moment", requested)[0]

        def reached(e: Entry) -> bool:
            return e.date <= (booked if (e.moment or default) == "booking" else requested)

        chosen = []
        for parameter in PARAMETERS:
            found = [e for e in self.timeline[parameter] if reached(e)]
            chosen.append(found[-1] if found else self.entry(parameter, requested))
        return tuple(chosen), default

    def _snapshot(self, entries: tuple[Entry, ...]) -> Snapshot:
        """The snapshot of one entry per parameter (``PARAMETERS`` order)."""
        values = {parameter: e.value for parameter, e in zip(PARAMETERS, entries, strict=True)}
        refs = {parameter: e.ref for parameter, e in zip(PARAMETERS, entries, strict=True)}
        cycles = {
            (role, band): (tuple(values[f"cycles.{role}.{band}"]) if values[f"cycles.{role}.{band}"] is not None else None)
            for role, bands in CYCLE_ROLES.items()
            for band in bands
        }
        return Snapshot(
            threshold=values["threshold"],
            non_domestic_threshold=values["non_domestic_threshold"],
            count_measure=values["count_measure"],
            count_basis=values["count_basis"],
            aggregate_of=values["aggregate_of"],
            cycles=cycles,
            srp_own_assessment=values["srp_own_assessment"],
            srp_scope_in_client=values["srp_scope_in_client"],
            srp_documents_copied=values["srp_documents_copied"],
            due_anchor=values["due_anchor"],
            due_requirement=values["due_requirement"],
            due_months=values["due_months"],
            srp_interval_months=values["srp_interval_months"],
            rejected_requires_full=values["rejected_requires_full"],
            transition_moment=values["transition_moment"],
            transition_retime_days=values["transition_retime_days"],
            refs=refs,
        )

    def rows(self) -> list[dict[str, Any]]:
        """The regime as a tidy table: one row per parameter value in force from a date (``moment``: the event that puts
        an assessment under it where the change says, else empty: the regime's ``transition_moment``)."""
        return [
            {
                "regime": self.name,
                "parameter": p,
                "from": e.date.isoformat(),
                "value": e.value,
                "ref": e.ref,
                "reading": e.reading,
                "moment": e.moment or "",
            }
            for p, entries in sorted(self.timeline.items())
            for e in entries
        ]

    def one_off_rows(self) -> list[dict[str, Any]]:
        """The regime's one-off costs as rows (beside ``rows`` in regimes.csv's terms)."""
        return [
            {"regime": self.name, "date": o.date.isoformat(), "component": o.component, "gbp": o.gbp, "ref": o.ref}
            for o in self.one_offs
        ]

    def __hash__(self) -> int:  # lru_cache on ``at`` needs a hashable self
        return hash((self.name, self.lineage))


@functools.cache
def builtin_definitions() -> dict[str, dict[str, Any]]:
    """The shipped regime files, by name."""
    out = {}
    for name in BUILTINS:
        text = resources.files("sim.law.regimes").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
        out[name] = yaml.safe_load(text)
    return out


def _own(parameter: str, moment: str | None) -> str | None:
    """The moment an adoption gives ``parameter``'s entry: its own, but none for ``transition_moment`` itself, which is
    the moment the other entries default to and is read on the fieldwork day (``Regime.governing``)."""
    return None if parameter == "transition_moment" else moment


def _in_force(entries: list[Entry], on: dt.date) -> Any:
    earlier = [e.value for e in entries if e.date <= on]
    return earlier[-1] if earlier else None


def _set_from(timeline: dict[str, list[Entry]], parameter: str, on: dt.date, entries: list[Entry]) -> None:
    """Replace a parameter's values from ``on`` onward (an amendment is law from its date)."""
    kept = [e for e in timeline.get(parameter, []) if e.date < on]
    timeline[parameter] = kept + entries


def build(
    definition: dict[str, Any],
    source: Source,
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
    changes: set[str] = set()
    one_offs: list[OneOff] = []
    if "parameters" in definition:
        params = definition["parameters"]
        for parameter, spec in params.items():
            loc = [*prefix, "parameters", parameter]
            values = spec.get("values", {}) if isinstance(spec, dict) else None
            if not isinstance(values, dict) or not values:
                raise located(source, loc, "expected a mapping with dated values")
            entries = []
            for when, entry in values.items():
                where = [*loc, "values", str(when)]
                on = as_written_date(when, {}, source, where)
                value, ref, reading = value_spec(entry, "", source, where)
                entries.append(Entry(on, check_value(parameter, value, source, where), ref, reading))
            timeline[parameter] = sorted(entries, key=lambda e: e.date)
        missing = set(PARAMETERS) - set(timeline)
        if missing:
            raise located(source, [*prefix, "parameters"], f"missing parameters: {', '.join(sorted(missing))}")
        changes = set(PARAMETERS)
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
                as_written_date(value, {}, source, [*prefix, "options", key])
            # Options move the base's own amendment dates: rebuild the base with them.
            declared = {k: {"default": values.get(k, v)} for k, v in base.options.items()}
            base = build({**base.definition, "options": declared}, source, prefix, known)
        options = dict(base.options)
        timeline = {p: list(e) for p, e in base.timeline.items()}
        lineage = (*base.lineage, name)
        one_offs = list(base.one_offs)
        if (
            len(base.lineage) > 1
        ):  # what a variant changes includes what its base changes (a full regime changes nothing over itself)
            changes = set(base.changes)
    own_options = {k: v["default"] for k, v in (definition.get("options") or {}).items() if isinstance(v, dict)}
    options.update({k: as_written_date(v, {}, source, [*prefix, "options", k]) for k, v in own_options.items()})

    written = definition.get("amendments")
    if isinstance(written, list) and len(written) > MAX_CHANGE_DATES:
        raise located(source, [*prefix, "amendments"], f"expected at most {MAX_CHANGE_DATES} amendments, got {len(written):,}")
    for on, loc, amendment in dated(written, prefix, options, source):
        ref = str(amendment.get("ref", ""))
        moment = amendment.get("moment")
        if "adopt" in amendment:
            # What the adopted regime changes over its base, from this date on: the rest of this
            # regime's law (earlier or later amendments) stays as it is, whatever order they are written in.
            # A ``moment`` written here is how the adoption reaches an assessment (its later changes keep their own).
            other = _lookup(amendment["adopt"], known, source, [*loc, "adopt"])
            for parameter in sorted(other.changes):
                adopted = other.entry(parameter, on)
                head = (
                    []
                    if _in_force(timeline[parameter], on) == adopted.value
                    else [adopted._replace(date=on, ref=adopted.ref or ref, moment=_own(parameter, moment) or adopted.moment)]
                )
                own_later = [e for e in timeline[parameter] if e.date > on]  # later law of this regime amends it again
                taken = {e.date for e in own_later}
                later = [e for e in other.timeline[parameter] if e.date > on and e.date not in taken]
                _set_from(timeline, parameter, on, sorted([*head, *later, *own_later], key=lambda e: e.date))
            changes |= other.changes
            one_offs += [o._replace(date=max(o.date, on)) for o in other.one_offs]
        for parameter, change in amendment.get("set", {}).items():
            ploc = [*loc, "set", parameter]
            if parameter == "transition_moment" and moment is not None:
                raise located(
                    source,
                    [*loc, "moment"],
                    "transition_moment is the moment the regime's other changes are read by, not read by one itself; "
                    "set it in an amendment without a moment",
                )
            value, value_ref, reading = value_spec(change, ref or f"scenario variant {name}", source, ploc)
            entry = Entry(on, check_value(parameter, value, source, ploc), value_ref, reading, moment)
            _set_from(timeline, parameter, on, [entry])
            changes.add(parameter)
        one_offs += amendment_one_offs(amendment, on, ref, source, loc)

    regime = Regime(
        name=name,
        title=str(definition.get("title", name)),
        lineage=lineage,
        timeline={p: tuple(e) for p, e in timeline.items()},
        options=options,
        definition=definition,
        changes=frozenset(changes),
        one_offs=tuple(sorted(one_offs)),
    )
    if len(regime.change_dates()) > MAX_CHANGE_DATES:
        raise located(
            source,
            [*prefix, "amendments"],
            f"expected a regime whose law changes on at most {MAX_CHANGE_DATES} dates, those of the regimes it is built on "
            f"included; got {len(regime.change_dates()):,}",
        )
    snapshots = [(on, regime.at(on)) for on in regime.change_dates()]
    for on, snap in snapshots:
        if snap.srp_own_assessment and (snap.cycles[("srp", "large")] is None or snap.cycles[("srp", "small")] is None):
            raise located(source, prefix, f"SRPs have their own assessment from {on} but cycles.srp.* is not set")
    interval = next((on for on, snap in snapshots if snap.srp_interval_months is not None), None)
    if interval is not None and not any(snap.srp_own_assessment for _, snap in snapshots):  # it would change nothing
        raise located(
            source,
            prefix,
            f"srp_interval_months is set from {interval} but SRPs never have an assessment of their own in this regime "
            "(srp_own_assessment is false throughout); base it on one where they do (secmp0044), or set that too",
        )
    return regime


def _lookup(name: Any, known: dict[str, Regime], source: Source, loc: list[Any]) -> Regime:
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
        raise InputError(f'unknown regime "{name}"; expected one of {", ".join(BUILTINS)}')
    definition = builtin_definitions()[name]
    known = {n: builtin(n) for n in BUILTINS[: BUILTINS.index(name)]}
    return build(definition, f"sim/law/regimes/{name}.yaml", known=known)


__all__ = [
    "BUILTINS",
    "ONE_OFF_COLUMNS",
    "ORIGIN",
    "PARAMETERS",
    "READINGS",
    "Regime",
    "build",
    "builtin",
    "key_path",
]
