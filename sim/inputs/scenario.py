"""Scenario files: load, validate and describe, before anything runs.

Every key has a default with its unit and source (CALIBRATION.md: [C] cited, [S] seed,
[E] our estimate). Unknown keys are errors; a mistake is reported as one line naming the
file, the key path and what was expected (``sim.core.errors.InputError``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from dateutil.relativedelta import relativedelta
from pydantic import ConfigDict, Discriminator, Field, Tag, ValidationError, model_validator

from ..core.arguments import MAX_SEED, MOST
from ..core.errors import InputError
from ..core.schema import ORIGIN, Date, Id, Strict, real, whole
from ..core.validation import AtKey, Source, file_of, input_error, keys_at, located, shown
from ..law import regime as regime_mod
from ..law.amendments import Written
from ..law.regime import Regime
from ..law.rules import AGGREGATES, MEASURES, MOMENTS, TYPES
from . import cross_checks, scenario_file
from .overrides import PathError, lookup, replaced, varied_kind
from .party_spec import Party
from .population_spec import Population
from .process_spec import Cio, Costs, Durations, Scheduling, Ssc


class RegimeVariant(Strict):
    """A regime written as a diff over a shipped regime (or another of the scenario's variants, ``build_order``)."""

    name: Id
    base: str
    title: str | None = None
    options: dict[str, Any] = {}  # names, then dates, checked where the base regime is known (sim.law.regime.build)
    set: dict[str, Any] = {}
    from_: Date | None = Field(default=None, alias="from")
    amendments: list[dict[str, Any]] = []

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _from_needs_set(self) -> RegimeVariant:
        if self.from_ is not None and not self.set:
            raise AtKey("from", "given without set: nothing would change from it")
        return self

    def definition(self) -> dict[str, Any]:
        own = {
            "date": self.from_ or ORIGIN,
            "ref": f"scenario variant {self.name}",
            "set": dict(self.set),
            Written.VARIANT_SET: 1,
        }
        amendments = [own] * bool(self.set) + list(self.amendments)  # its own set first, then its amendments
        return {
            "name": self.name,
            "title": self.title or self.name,
            "base": self.base,
            "options": dict(self.options),
            "amendments": amendments,
        }


class Readings(Strict):
    """Readings of the SEC's open questions, each replacing every regime value marked as that reading (DOMAIN.md 5, 6).

    Unset, each regime keeps its own; set, it holds wherever a regime only interprets (dated law, such as SECAS's
    device count from Sep 2019 or SCF v2.0's "completed", stays), so an analyst sees how much an answer rests on it.
    """

    count_measure: Literal[MEASURES] | None = None  # type: ignore[valid-type]
    """What is counted against 250,000 (customers, smart_premises, dcc_premises, dcc_devices)."""
    aggregate_of: Literal[AGGREGATES] | None = None  # type: ignore[valid-type]
    """Whose premises an SRP's aggregate sums: every User it serves, or only its Suppliers'."""
    due_requirement: Literal["booked", "started"] | None = None
    """What "scheduled within 12 months" asks by the due date: the booking, or the fieldwork's start."""
    transition_moment: Literal[MOMENTS] | None = None  # type: ignore[valid-type]
    """Which event of an assessment puts it under a change's rules: its booking, or its booked fieldwork start."""

    def given(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v is not None}


def _regime_kind(value: Any) -> str | None:
    """Which kind of regime entry a value is, so a mistake in a variant is reported as the variant's."""
    if isinstance(value, str):
        return "regime-name"
    return "regime-variant" if isinstance(value, dict | RegimeVariant) else None


RegimeEntry = Annotated[
    Annotated[str, Tag("regime-name")] | Annotated[RegimeVariant, Tag("regime-variant")],
    Discriminator(
        _regime_kind,
        custom_error_type="regime_entry",
        custom_error_message="expected a shipped regime's name or a variant {name, base, set, ...}",
    ),
]
"""A regime of a scenario: a shipped regime's name, or a variant written as a diff."""

MAX_REPLICATIONS = MOST


class Uncertain(Strict):
    """A parameter a sensitivity analysis varies: a dotted path to a number in this scenario, and its range."""

    path: str
    low: Annotated[float, real(-1e12, 1e12)]
    high: Annotated[float, real(-1e12, 1e12)]


class Scenario(Strict):
    """A whole scenario: the industry, the regimes to compare and every process parameter."""

    name: Id
    description: Annotated[str, Field(max_length=10_000)] = ""
    start: Date
    """The first day of the horizon."""
    years: Annotated[int, whole(1, 50)]
    """The horizon's length in years."""
    regimes: Annotated[list[RegimeEntry], Field(min_length=1, max_length=100)]
    deterministic: Annotated[bool, Field(strict=True)] = False
    """Fixed (mean) durations, every SSC outcome Approved, no random events."""
    seed: Annotated[int, whole(0, MAX_SEED)] = 20180511
    """The root seed of every random stream (the same seed gives the same tables)."""
    replications: Annotated[int, whole(1, MAX_REPLICATIONS)] = 1
    """Replications per regime, each a new draw of the industry and the process, shared by every regime."""
    parties: list[Party] = []
    population: Population | None = None
    """A generated industry (sim/inputs/population_spec.py), alongside any explicit parties."""
    cio: Cio = Cio()
    durations: Durations = Durations()
    ssc: Ssc = Ssc()
    scheduling: Scheduling = Scheduling()
    costs: Costs = Costs()
    uncertain: Annotated[list[Uncertain], Field(max_length=50)] = []
    """Parameters ``secsim sensitivity`` varies, each over [low, high] (sim/designs/sensitivity.py): each end validated."""
    readings: Readings = Readings()
    """Readings of open questions that replace the regimes' own (``Readings``)."""
    baselines: dict[Id, Id] = {}
    """Regime → the regime its differences are taken from (default: the first regime listed)."""

    @property
    def end(self) -> dt.date:
        """First day after the horizon."""
        return self.start + relativedelta(years=self.years)

    def digest(self) -> str:
        """A hash of the validated content (comments and key order do not change it)."""
        text = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def with_(self, changes: Mapping[str, Any] | None = None, /, source: str | None = None, **more: Any) -> Scenario:
        """This scenario with values changed by dotted path, validated again: ``s.with_({"cio.teams": 4})``,
        ``s.with_(years=6)``. A path names a value of the validated scenario (every default filled in), as
        ``secsim sweep --param`` does; a mistake is one line naming ``source`` (default: the scenario's name)."""
        return changed(self, {**(changes or {}), **more}, source or self.name)

    def listed_parties(self) -> list[Party]:
        """The explicit parties with every copy its own (``Party.copies``): the parties the industry is built from."""
        return [copy for p in self.parties for copy in p.expanded()]

    def regime_names(self) -> list[str]:
        """The names of the scenario's regimes, in order."""
        return [r if isinstance(r, str) else r.name for r in self.regimes]


def load_text(text: str, source: str, base_dir: Path | None = None) -> Scenario:
    """Parse and validate scenario YAML text; raise InputError on any mistake (naming the file the bad value is in)."""
    return _composed(text, source, base_dir)[0]


def _composed(text: str, source: str, base_dir: Path | None) -> tuple[Scenario, Source]:
    data, provenance = scenario_file.compose(text, source, base_dir)
    return validate(data, provenance), provenance


def validate(data: dict[str, Any], source: Source) -> Scenario:
    """Validate scenario data as a file's YAML reads (or as a sweep changed it); raise InputError on any mistake."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise input_error(source, exc, keys_at=functools.partial(keys_at, Scenario)) from None
    cross_checks.check(scenario, source)
    _check_uncertain(scenario, source)
    return scenario


def as_data(s: Scenario) -> dict[str, Any]:
    """The scenario as data to edit by path and re-validate: every default filled in, a party's too (``parties.SUP-S.exit``
    names a value whether the file writes it or not), but an SRP's premises and ``copies`` (derived, and always 1)."""
    data = s.model_dump(mode="json", by_alias=True)
    data["parties"] = [_party_data(p) for p in s.parties]
    return data


_NO_PREMISES = Party(id="X", role="other").model_dump(mode="json", by_alias=True)["premises"]  # none given, as data


def _party_data(p: Party) -> dict[str, Any]:
    if p.role != "srp":
        return p.model_dump(mode="json", by_alias=True) | {"copies": p.copies}  # the model writes it only above 1
    return p.model_dump(mode="json", by_alias=True, exclude={"copies"} | ({"premises"} - p.model_fields_set))


def edited(data: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """``as_data``'s form with the value at each path replaced (``replaced``), less what the change made derived: a User
    made an SRP keeps no default premises."""
    out = replaced(data, dict(values))
    parties = out.get("parties")  # anything, as given: validating the result says what is wrong with it
    if isinstance(parties, list) and len(parties) == len(data["parties"]):
        for party, before in zip(parties, data["parties"], strict=True):
            made_srp = isinstance(party, dict) and party.get("role") == "srp" != before.get("role")
            if made_srp and party.get("premises") == _NO_PREMISES:
                del party["premises"]
    return out


def _check_uncertain(s: Scenario, source: Source) -> None:
    """Each uncertain parameter names a number of this scenario, once, and both ends of its range are valid values."""
    data = as_data(s) | {"uncertain": []}
    seen: dict[str, int] = {}
    for i, u in enumerate(s.uncertain):
        try:
            kind = varied_kind(data, u.path)
        except PathError as exc:
            raise located(source, ["uncertain", i, "path"], str(exc)) from None
        if u.path in seen:
            raise located(source, ["uncertain", i, "path"], f"{shown(u.path)} is listed twice (also uncertain[{seen[u.path]}])")
        seen[u.path] = i
        if not u.low < u.high:
            raise located(source, ["uncertain", i, "high"], f"expected a value above low ({u.low:g}), got {u.high:g}")
        for end in ("low", "high"):
            value = getattr(u, end)
            value = int(value) if kind is int and value.is_integer() else value
            validate(edited(data, {u.path: value}), f"{file_of(source, ['uncertain', i])}: uncertain[{i}].{end}")


def changed(s: Scenario, changes: Mapping[str, Any], source: str) -> Scenario:
    """``s`` with the value at each dotted path replaced, validated again; a path naming nothing, or a value its key
    does not take, is one line naming ``source`` and the path."""
    data = as_data(s)
    changes = {
        path: value.item() if isinstance(value, np.generic) else value for path, value in changes.items()
    }  # read from a table
    for path in changes:
        try:
            lookup(data, path)
        except PathError as exc:
            raise InputError(f"{source}: {path}: {exc}") from None
    return validate(edited(data, changes), source)


def load(path: str | Path) -> Scenario:
    """Load a scenario file."""
    return load_written(path)[0]


def load_written(path: str | Path) -> tuple[Scenario, Source]:
    """Load a scenario file, with where each of its values is written (``scenario_file.Provenance``), to name them."""
    path = Path(path)
    return _composed(scenario_file.read(path), path.name, path.resolve().parent)


def regimes(s: Scenario) -> list[Regime]:
    """The scenario's regimes, built (shipped ones by name, variants from their diffs), with its ``readings``."""
    known: dict[str, Regime] = {}
    for i in build_order(s):
        r = s.regimes[i]
        assert isinstance(r, RegimeVariant)
        known[r.name] = regime_mod.build(r.definition(), s.name, ("regimes", i), known)
    out = [known[r.name] if isinstance(r, RegimeVariant) else known.get(r) or regime_mod.builtin(r) for r in s.regimes]
    readings = s.readings.given()
    return [r.with_readings(readings, s.name) for r in out]


def build_order(s: Scenario) -> list[int]:
    """The places of the scenario's variants, each after the variant it is based on, else in the order listed: a
    child file's variant may be based on one it lists after it, whatever place merging with its parent's gives them."""
    variants = {r.name: i for i, r in enumerate(s.regimes) if isinstance(r, RegimeVariant)}
    order: list[int] = []

    def after_its_base(i: int, within: frozenset[int]) -> None:
        if i in order or i in within:  # built already, or based on itself in turn (its base is then unknown to it)
            return
        base = variants.get(s.regimes[i].base)  # type: ignore[union-attr]
        if base is not None:
            after_its_base(base, within | {i})
        order.append(i)

    for i in variants.values():
        after_its_base(i, frozenset())
    return order


__all__ = ["Scenario", "Party", "load", "load_text", "regimes", "TYPES"]
