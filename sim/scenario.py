"""Scenario files: load, validate and describe, before anything runs.

Every key has a default with its unit and source (CALIBRATION.md: [C] cited, [S] seed,
[E] our estimate). Unknown keys are errors; a mistake is reported as one line naming the
file, the key path and what was expected (``sim.errors.InputError``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import regime as regime_mod
from .distributions import Duration
from .errors import InputError
from .overrides import PathError, number_kind, replaced
from .regime import BUILTINS, Regime
from .rules import TYPES
from .population_spec import Population
from .schema import ORIGIN, Dist, Id, Premises, Probability, Strict
from .validation import input_error, located, shown


class Party(Strict):
    """One SEC Party: a User (supplier, network, other) or a Shared Resource Provider."""

    id: Id
    role: Literal["supplier", "network", "other", "srp"]
    premises: Premises = ((ORIGIN, 0),)
    """Own Domestic Premises supplied through Smart Metering Systems (an SRP's are derived from its clients)."""
    non_domestic_premises: Premises = ((ORIGIN, 0),)
    """Non-domestic premises (counted against SECMP0059's 50,000 test where the regime has it)."""
    srp: Id | None = None
    """The SRP providing this User's whole User System, if any."""
    entry: dt.date | None = None
    """Date the party wants User Entry (its initial Full is booked to start then); default: the scenario start."""
    exit: dt.date | None = None
    """Date the party stops being a User (no later assessments; leaves its SRP's aggregate)."""


class PerType(Strict):
    """One duration per assessment type (working days unless stated)."""

    full: Dist
    verification: Dist
    self: Dist
    follow_up: Dist

    def of(self, kind: str) -> Duration:
        return getattr(self, kind)


class PerTypeDays(Strict):
    """One number of days per assessment type."""

    full: Annotated[float, Field(ge=0)]
    verification: Annotated[float, Field(ge=0)]
    self: Annotated[float, Field(ge=0)]
    follow_up: Annotated[float, Field(ge=0)]

    def of(self, kind: str) -> float:
        return getattr(self, kind)


def _tri(low: float, mode: float, high: float) -> Duration:
    return Duration("triangular", (low, mode, high))


class Cio(Strict):
    """The User CIO (the assessor): finite capacity and a booking lead time."""

    teams: Annotated[int, Field(ge=1)] = 3
    """Assessments the CIO can work on at once [E: capacity is unpublished, CALIBRATION.md 11.2]."""
    booking_lead_weeks: Annotated[float, Field(ge=0)] = 12
    """A booking is made at least this long before fieldwork [C A16]."""


class Durations(Strict):
    """How long each step takes."""

    fieldwork_days: PerType = PerType(
        full=_tri(3, 6, 10), verification=_tri(2, 3, 5), self=_tri(1, 1.5, 3), follow_up=_tri(1, 2, 4)
    )
    """CIO fieldwork in working days, own scope [C A1, A2: Full 3-10; others E]."""
    report_days: PerType = PerType(
        full=_tri(5, 6, 10), verification=_tri(2, 3, 5), self=Duration("constant", (1.0,)), follow_up=Duration("constant", (2.0,))
    )
    """CIO report writing in working days (the team stays busy) [E: CALIBRATION.md 10]."""
    srp_scope_days: PerType = PerType(
        full=Duration("constant", (3.0,)), verification=Duration("constant", (2.0,)),
        self=Duration("constant", (1.0,)), follow_up=Duration("constant", (1.0,)),
    )
    """Extra fieldwork working days when the SRP-provided part is in scope [E]."""
    management_response_days: Dist = _tri(10, 20, 30)
    """Calendar days from report to the User's management response (G8.24: by a date the SSC sets) [E]."""
    follow_up_delay_days: Dist = Duration("constant", (60.0,))
    """Calendar days from a Deferred/Rejected status to the Follow-up's requested start [E]."""


class Outcomes(Strict):
    """Probabilities of each assurance status (G8.34); they must sum to 1."""

    approved: Probability
    approved_subject_to: Probability
    deferred: Probability
    rejected: Probability

    @model_validator(mode="after")
    def _sums_to_one(self) -> Outcomes:
        total = self.approved + self.approved_subject_to + self.deferred + self.rejected
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"expected probabilities summing to 1, got {total:g}")
        return self

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.approved, self.approved_subject_to, self.deferred, self.rejected)


class Ssc(Strict):
    """The Security Sub-Committee: a meeting calendar and a review queue."""

    meeting_days: Annotated[list[Annotated[int, Field(ge=1, le=28)]], Field(min_length=1)] = [8, 22]
    """Days of the month the SSC meets [C A4: twice a month; days E]."""
    items_per_meeting: Annotated[int, Field(ge=1)] = 10
    """Reports the SSC can review at one meeting; the rest carry over [E: 5-15]."""
    papers_lead_days: Annotated[float, Field(ge=0)] = 7
    """A report and response must reach SECAS this many days before a meeting [E]."""
    outcomes: Outcomes = Outcomes(approved=0.55, approved_subject_to=0.35, deferred=0.08, rejected=0.02)
    """Status of an annual or entry assessment [E: the outcome mix is unpublished]."""
    follow_up_outcomes: Outcomes = Outcomes(approved=0.7, approved_subject_to=0.3, deferred=0.0, rejected=0.0)
    """Status after a Follow-up [E]."""


class Scheduling(Strict):
    """How a User plans its next annual assessment."""

    margin_days: Annotated[float, Field(ge=0)] = 14
    """A User keeps the anniversary of its last fieldwork, but where the 12-month rule would be
    missed it aims to meet it this many days early [E]."""


class Costs(Strict):
    """Unit costs, in real prices of ``price_base``."""

    price_base: str = "GBP, 2018 prices"
    cio_day_rate_gbp: Annotated[float, Field(ge=0)] = 2500
    """User CIO charge per team working day [E: maps the published GBP 5k-45k invoice range, C A12]."""
    party_day_rate_gbp: Annotated[float, Field(ge=0)] = 600
    """A party's own staff day [E: the SECAS blended rate, S]."""
    preparation_days: PerTypeDays = PerTypeDays(full=10, verification=5, self=8, follow_up=3)
    """The assessed party's own preparation (for a Self-Assessment, doing it) [E]."""
    srp_preparation_days: PerTypeDays = PerTypeDays(full=5, verification=3, self=2, follow_up=1)
    """The SRP's effort when its part is in a client's assessment [E]."""
    srp_response_days: Annotated[float, Field(ge=0)] = 1
    """The SRP's management response to each assessment of its part [E; seed s.8 'dozens of similar management responses']."""
    secas_day_rate_gbp: Annotated[float, Field(ge=0)] = 600
    """SECAS blended day rate [S: seed s.5 footnote 2]."""
    secas_days_per_item: Annotated[float, Field(ge=0)] = 0.5
    """SECAS admin per SSC item (booking, papers, minutes) [E]."""
    ssc_hour_rate_gbp: Annotated[float, Field(ge=0)] = 100
    """SSC member time [E]."""
    ssc_hours_per_item: Annotated[float, Field(ge=0)] = 4
    """SSC member hours to review one report [E]."""
    ssc_hours_srp_scope: Annotated[float, Field(ge=0)] = 2
    """Extra SSC hours when a report re-assesses an SRP [E; seed s.2 issue (a)]."""
    report_copy_gbp: Annotated[float, Field(ge=0)] = 30
    """Providing one copy of one SRP document to one User (SECMP0044 (c), G10.7) [E]."""


class RegimeVariant(Strict):
    """A regime written as a diff over a shipped regime (or an earlier variant)."""

    name: Id
    base: str
    title: str | None = None
    options: dict[str, dt.date] = {}
    set: dict[str, Any] = {}
    from_: dt.date | None = Field(default=None, alias="from")
    amendments: list[dict[str, Any]] = []

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def definition(self) -> dict[str, Any]:
        amendments = list(self.amendments)
        if self.set:
            amendments.insert(0, {"date": self.from_ or ORIGIN, "ref": f"scenario variant {self.name}", "set": dict(self.set)})
        return {"name": self.name, "title": self.title or self.name, "base": self.base,
                "options": dict(self.options), "amendments": amendments}


class Uncertain(Strict):
    """A parameter a sensitivity analysis varies: a dotted path to a number in this scenario, and its range."""

    path: str
    low: float
    high: float


class Scenario(Strict):
    """A whole scenario: the industry, the regimes to compare and every process parameter."""

    name: Id
    description: str = ""
    start: dt.date
    years: Annotated[int, Field(ge=1, le=50)]
    regimes: Annotated[list[str | RegimeVariant], Field(min_length=1)]
    deterministic: bool = False
    """Fixed (mean) durations, every SSC outcome Approved, no random events."""
    seed: Annotated[int, Field(ge=0)] = 20180511
    replications: Annotated[int, Field(ge=1)] = 1
    parties: list[Party] = []
    population: Population | None = None
    """A generated industry (sim/population_spec.py), alongside any explicit parties."""
    cio: Cio = Cio()
    durations: Durations = Durations()
    ssc: Ssc = Ssc()
    scheduling: Scheduling = Scheduling()
    costs: Costs = Costs()
    uncertain: list[Uncertain] = []
    """Parameters ``secsim sensitivity`` varies, each over [low, high] (sim/sensitivity.py)."""

    @property
    def end(self) -> dt.date:
        """First day after the horizon."""
        return self.start + relativedelta(years=self.years)

    def digest(self) -> str:
        """A hash of the validated content (comments and key order do not change it)."""
        text = json.dumps(self.model_dump(mode="json", by_alias=True), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def regime_names(self) -> list[str]:
        return [r if isinstance(r, str) else r.name for r in self.regimes]


def _keys_at(loc: list[Any]) -> list[str]:
    """The keys a scenario allows at a location, for "did you mean" hints."""
    model: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
        if field is None:
            return []
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        candidates = [annotation, *args, *(a for arg in args for a in getattr(arg, "__args__", ()))]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return []
    return [f.alias or n for n, f in model.model_fields.items()]


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: dates stay text until validation, so a bad date is
    reported at its key path ("start: expected a date") rather than as a parser crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"{source}: {where}malformed YAML: {problem}") from None
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a mapping of scenario keys at the top level, got {type(data).__name__}")
    return data


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such scenario file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the scenario file ({exc.__class__.__name__})") from None


def _merge(base: Any, override: Any) -> Any:
    """A child scenario's values over its parent's: mappings merge key by key; lists of mappings
    with a ``name`` (or ``id``) merge item by item; anything else is replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        return {**base, **{k: _merge(base[k], v) if k in base else v for k, v in override.items()}}
    if isinstance(base, list) and isinstance(override, list):
        for key in ("name", "id"):
            if base and override and all(isinstance(x, dict) and key in x for x in [*base, *override]):
                merged = {x[key]: x for x in base}
                for x in override:
                    merged[x[key]] = _merge(merged[x[key]], x) if x[key] in merged else x
                return list(merged.values())
    return override


def _extend(data: dict[str, Any], source: str, base_dir: Path | None, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """``extends: other.yaml``: start from another scenario file (relative to this one) and change what this one says."""
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str) or base_dir is None:
        raise located(source, ["extends"], f"expected the path of a scenario file, got {shown(parent)}")
    path = (base_dir / parent).resolve()
    if path in seen:
        raise located(source, ["extends"], f"{shown(parent)} extends itself")
    if not path.is_file():
        raise located(source, ["extends"], f"no scenario file {shown(parent)} next to {source}")
    base = _extend(_parse(_read(path), path.name), path.name, path.parent, (*seen, path))
    return _merge(base, data)


def load_text(text: str, source: str, base_dir: Path | None = None) -> Scenario:
    """Parse and validate scenario YAML text; raise InputError on any mistake."""
    return validate(_extend(_parse(text, source), source, base_dir), source)


def validate(data: dict[str, Any], source: str) -> Scenario:
    """Validate scenario data as a file's YAML reads (or as a sweep changed it); raise InputError on any mistake."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise input_error(source, exc, keys_at=_keys_at) from None
    _cross_check(scenario, source)
    _check_uncertain(scenario, source)
    return scenario


def as_data(s: Scenario) -> dict[str, Any]:
    """The scenario as data to edit by path and re-validate: every default filled in, except each party's
    keys, kept as written (an SRP's derived premises must stay unwritten)."""
    data = s.model_dump(mode="json", by_alias=True)
    data["parties"] = [p.model_dump(mode="json", by_alias=True, exclude_unset=True) for p in s.parties]
    return data


def _check_uncertain(s: Scenario, source: str) -> None:
    """Each uncertain parameter names a number of this scenario, once, and both ends of its range are valid values."""
    data = as_data(s) | {"uncertain": []}
    seen: dict[str, int] = {}
    for i, u in enumerate(s.uncertain):
        try:
            kind = number_kind(data, u.path)
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
            validate(replaced(data, {u.path: value}), f"{source}: uncertain[{i}].{end}")


def load(path: str | Path) -> Scenario:
    """Load a scenario file."""
    path = Path(path)
    return load_text(_read(path), path.name, path.resolve().parent)


def _cross_check(s: Scenario, source: str) -> None:
    if not s.parties and (s.population is None or not s.population.groups):
        raise located(source, ["parties"], "expected at least one party, or a population with groups")
    generated_srps = {f"SRP-{k + 1}" for k in range(s.population.srps.count)} if s.population else set()
    ids: dict[str, int] = {}
    for i, p in enumerate(s.parties):
        if p.id in ids:
            raise located(source, ["parties", i, "id"], f"duplicate party id {shown(p.id)} (also parties[{ids[p.id]}])")
        ids[p.id] = i
    for i, p in enumerate(s.parties):
        if p.role == "srp":
            if p.srp is not None:
                raise located(source, ["parties", i, "srp"], "an SRP cannot itself use an SRP")
            if "premises" in p.model_fields_set:
                raise located(source, ["parties", i, "premises"], "an SRP's premises are derived from its clients; remove this key")
        elif p.srp is not None and p.srp not in generated_srps:
            j = ids.get(p.srp)
            if j is None or s.parties[j].role != "srp":
                raise located(source, ["parties", i, "srp"], f"no party with id {shown(p.srp)} and role srp")
        entry = p.entry or s.start
        if entry >= s.end:
            raise located(source, ["parties", i, "entry"], f"expected a date before the horizon end {s.end}, got {entry}")
        if p.exit is not None and p.exit <= entry:
            raise located(source, ["parties", i, "exit"], f"expected a date after entry {entry}, got {p.exit}")
    if s.population is not None:
        _check_population(s, source, ids, generated_srps)
    known: dict[str, Regime] = {}
    for i, r in enumerate(s.regimes):
        if isinstance(r, str):
            if r not in BUILTINS and r not in known:
                choices = ", ".join([*BUILTINS, *known])
                raise located(source, ["regimes", i], f"unknown regime {shown(r)}; expected one of {choices}")
            name = r
        else:
            if r.name in BUILTINS:
                raise located(source, ["regimes", i, "name"], f"{shown(r.name)} is a shipped regime; give the variant its own name")
            known[r.name] = regime_mod.build(r.definition(), source, ("regimes", i), known)
            name = r.name
        if s.regime_names().count(name) > 1:
            raise located(source, ["regimes", i], f"regime {shown(name)} is listed twice")


def _check_population(s: Scenario, source: str, ids: dict[str, int], generated_srps: set[str]) -> None:
    pop = s.population
    assert pop is not None
    clash = generated_srps & set(ids)
    if clash:
        raise located(source, ["parties", ids[min(clash)], "id"], f"{shown(min(clash))} is the id of a generated SRP; rename it")
    names: set[str] = set()
    for i, group in enumerate(pop.groups):
        if group.name in names:
            raise located(source, ["population", "groups", i, "name"], f"duplicate group name {shown(group.name)}")
        names.add(group.name)
        prefix = f"{group.name}-"
        taken = sorted(p for p in ids if p.startswith(prefix))
        if taken:
            raise located(source, ["parties", ids[taken[0]], "id"], f"{shown(taken[0])} clashes with group {shown(group.name)}'s generated ids")
        if group.srp_share > 0 and not generated_srps:
            raise located(source, ["population", "groups", i, "srp_share"], "expected 0 when population.srps.count is 0")
    srps = generated_srps | {p.id for p in s.parties if p.role == "srp"}
    for i, default in enumerate(pop.srp_defaults):
        if default.srp not in srps:
            raise located(source, ["population", "srp_defaults", i, "srp"], f"no SRP with id {shown(default.srp)}")
        if not s.start <= default.date < s.end:
            raise located(source, ["population", "srp_defaults", i, "date"], f"expected a date within {s.start} to {s.end}, got {default.date}")


def regimes(s: Scenario) -> list[Regime]:
    """The scenario's regimes, built (shipped ones by name, variants from their diffs)."""
    known: dict[str, Regime] = {}
    out = []
    for i, r in enumerate(s.regimes):
        if isinstance(r, str):
            out.append(known.get(r) or regime_mod.builtin(r))
        else:
            known[r.name] = regime_mod.build(r.definition(), s.name, ("regimes", i), known)
            out.append(known[r.name])
    return out


__all__ = ["Scenario", "Party", "load", "load_text", "regimes", "TYPES"]
