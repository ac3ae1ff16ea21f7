"""The schema of a generated population (DOMAIN.md 6): party groups with counts over time,
premises distributions, growth, exits, SRP choice and the smart-meter curves.

Only the shape and its defaults live here; ``sim.industry.population`` draws a population from it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BeforeValidator, PlainSerializer, model_validator

from ..core.schema import MAX_PREMISES, ORIGIN, Date, Id, Probability, Strict, rate, real, whole
from ..core.validation import AtKey, shown

MAX_CUSTOMERS = 10**8
"""Most customers a party may start with (GB has about 30 million premises)."""
MAX_SIGMA = 3.0
"""Widest lognormal size distribution (gb-baseline's widest is 1.9): its largest draw stays within 64 bits."""


@dataclass(frozen=True)
class CountDist:
    """A non-negative count distribution: a constant, uniform(low, high) or lognormal(median, sigma).

    Drawn by inverse CDF from uniforms, so a deterministic run can use evenly spaced quantiles.
    """

    kind: str
    params: tuple[float, ...]

    def quantiles(self, u: np.ndarray) -> np.ndarray:
        """The values at cumulative probabilities ``u`` (inverse CDF)."""
        from scipy import stats  # here, not at import: it costs every worker process most of a second

        p = self.params
        if self.kind == "constant":
            return np.full(len(u), p[0])
        if self.kind == "uniform":
            return stats.uniform.ppf(u, loc=p[0], scale=p[1] - p[0])
        return stats.lognorm.ppf(u, s=p[1], scale=p[0])

    def to_json(self) -> Any:
        """The form a scenario file would write."""
        if self.kind == "constant":
            return self.params[0]
        names = ("low", "high") if self.kind == "uniform" else ("median", "sigma")
        return {"dist": self.kind, **dict(zip(names, self.params, strict=True))}


def _dist(value: Any, most: float, unit: str) -> CountDist:
    """A ``CountDist`` as a scenario writes it, each number (``unit``: " of days", say) from 0 to ``most``."""
    expected = (
        f"expected a number{unit} from 0 to {most:,.0f}, {{dist: uniform, low, high}} or "
        f"{{dist: lognormal, median, sigma}} (sigma at most {MAX_SIGMA:g})"
    )
    if isinstance(value, CountDist):
        return value

    def ok(v: Any) -> bool:
        return isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= most

    if ok(value):
        return CountDist("constant", (float(value),))
    if isinstance(value, dict):
        kind = value.get("dist")
        names = {"uniform": ("low", "high"), "lognormal": ("median", "sigma")}.get(kind)  # type: ignore[arg-type]
        if names and set(value) == {"dist", *names}:
            params = tuple(value[n] for n in names)
            if all(ok(v) for v in params):
                if kind == "uniform" and params[0] <= params[1]:
                    return CountDist(kind, tuple(float(v) for v in params))
                if kind == "lognormal" and params[0] > 0 and params[1] <= MAX_SIGMA:
                    return CountDist(kind, tuple(float(v) for v in params))
    raise ValueError(f"{expected}, got {shown(value)}")


MAX_DELAY_DAYS = 36_525
"""Longest wait for User Entry a scenario may give (a century: longer is never, within any horizon)."""

Count = Annotated[CountDist, BeforeValidator(lambda v: _dist(v, MAX_CUSTOMERS, "")), PlainSerializer(lambda d: d.to_json())]
Days = Annotated[
    CountDist, BeforeValidator(lambda v: _dist(v, MAX_DELAY_DAYS, " of days")), PlainSerializer(lambda d: d.to_json())
]


class Growth(Strict):
    """Log growth of a party's customer base per year, drawn per party: Normal(mean, sd)."""

    mean: Annotated[float, real(-1, 1)] = 0.0
    """Mean log growth per year (0.1 is about 10 % a year)."""
    sd: Annotated[float, real(0, 1)] = 0.0
    """Spread of log growth across the group's parties."""
    until: Date | None = None
    """Growth stops on this date (e.g. the 2021 crisis ended the challenger boom)."""


class SizeFactor(Strict):
    """Multiplies the exit hazard of parties above a size (large suppliers rarely fail)."""

    customers: Annotated[int, whole(0, MAX_PREMISES)]
    """The size (customers) above which the factor applies."""
    factor: Annotated[float, real(0, 1000)]
    """What the exit hazard is multiplied by above that size (0.1: a tenth as likely to fail)."""


class Group(Strict):
    """Parties of one role drawn alike: present at the start, entering, growing and failing."""

    name: Id
    """The group's name; its parties are named ``<name>-001``, ``<name>-002``, ..."""
    role: Literal["supplier", "network", "other"]
    """The SEC role of every party of the group."""
    count: Annotated[int, whole(0, 10_000)] = 0
    """Parties active at the scenario start."""
    customers: Count = CountDist("constant", (0.0,))
    """Domestic premises supplied (suppliers) or served (networks) at the start."""
    entrants_per_year: rate(200) = ((ORIGIN, 0.0),)  # type: ignore[valid-type]
    """Poisson rate of new parties, per year, as a constant or dated steps."""
    entrant_customers: Count | None = None
    """Customers of a new entrant (default: ``customers``)."""
    entrant_entry_delay_days: Days | None = None
    """Days an entrant waits, beyond the booking lead, before it wants User Entry (default none): some
    supplied customers for a year or more before joining the DCC (nine not yet DCC Users in Jan 2020, C D7)."""
    growth: Growth = Growth()
    """How each party's customer base grows (log-normal, drawn per party)."""
    exit_hazard: rate(50) = ((ORIGIN, 0.0),)  # type: ignore[valid-type]
    """Exit (failure) hazard per party-year, as dated steps: the 2021-22 spike is a step."""
    exit_size_factor: SizeFactor | None = None
    """Large parties fail less often: the exit hazard above a size is multiplied by a factor (default: none)."""
    srp_share: Probability = 0.0
    """Share of the group's Users whose whole User System an SRP provides."""
    smart_factor: Annotated[float, real(0, 10)] = 1.0
    """The group's smart-on-DCC share relative to the market curve (small suppliers installed later)."""
    entry_window: tuple[Date, Date] | None = None
    """Parties present at the start want User Entry spread evenly over this window (default: the start)."""
    mandate: Date | None = None
    """Date by which parties present at the start had to be DCC Users (a missed mandate is reported)."""

    @model_validator(mode="after")
    def _check(self) -> Group:
        if self.role == "other" and (self.customers.kind != "constant" or self.customers.params[0] != 0):
            raise AtKey("customers", "Other Users{} have no premises threshold: leave customers out", ["role"])
        if self.entry_window and self.entry_window[0] > self.entry_window[1]:
            earliest, latest = self.entry_window
            raise AtKey("entry_window", f"expected [earliest, latest], earliest first, got [{earliest}, {latest}]")
        return self


class Cohort(Strict):
    """A SMETS1 cohort enrolled and adopted into the DCC, evenly over a window [C C5]."""

    name: str
    """The cohort's name (e.g. the DCC's enrolment tranche)."""
    share: Probability
    """Its share of the SMETS1 meters eventually adopted (the cohorts' shares sum to 1)."""
    start: Date
    """The first day of its enrolment and adoption window."""
    end: Date
    """The last day of that window."""

    @model_validator(mode="after")
    def _in_order(self) -> Cohort:
        if self.end < self.start:
            raise AtKey("end", f"expected a day on or after start {self.start}{{}}, got {self.end}", ["start"])
        return self


class SmartSpec(Strict):
    """Market-wide smart-meter curves (CALIBRATION.md 6)."""

    meters_per_premises: Annotated[float, real(0, 10, above=True)] = 1.83
    """Meters per domestic premises (28.9m electricity + 23.9m gas over 28.9m premises, end-2021 [C B3])."""
    smets2_share: dict[Date, Probability] = {}
    """Share of premises with a SMETS2 meter on the DCC, at dates (linear between them)."""
    smets1_installed_share: Probability | dict[Date, Probability] = 0.0
    """Share of premises with a SMETS1 meter installed: a constant, or dated shares (linear between them)."""
    smets1_adopted_share: Probability = 0.0
    """Share of installed SMETS1 meters eventually enrolled and adopted into the DCC."""
    smets1_cohorts: list[Cohort] = []
    """The SMETS1 enrolment and adoption cohorts, each adopted evenly over its window [C C5]."""

    @property
    def smets1_installed(self) -> dict[Date, float]:
        """``smets1_installed_share`` as dated shares."""
        given = self.smets1_installed_share
        return dict(given) if isinstance(given, dict) else {ORIGIN: given}

    @model_validator(mode="after")
    def _check(self) -> SmartSpec:
        total = sum(c.share for c in self.smets1_cohorts)
        if self.smets1_cohorts and not math.isclose(total, 1.0, abs_tol=1e-6):
            raise AtKey("smets1_cohorts", f"expected shares summing to 1, got {total:g}")
        if not self.smets2_share:
            raise AtKey("smets2_share", "expected at least one dated share")
        return self


class SrpMarket(Strict):
    """Generated Shared Resource Providers and how clients choose among them."""

    count: Annotated[int, whole(0, 1000)] = 0
    """Generated SRPs, named SRP-1, SRP-2, ... (0: no generated SRP)."""
    weights: list[Annotated[float, real(0, 1e6, above=True)]] | None = None
    """Relative pull of SRP-1, SRP-2, …; a client picks one with these weights (default: equal)."""
    switch_rate: Annotated[float, real(0, 100)] = 0.0
    """SRP client switches per client-year [E]."""
    anchor_group: Id | None = None
    """A supplier group whose largest parties at the start found the SRPs, one each (SRP-1 the largest), and
    stay with them: "currently, all Shared Resources have Large Supplier Customers" (seed Q4)."""

    @model_validator(mode="after")
    def _check(self) -> SrpMarket:
        if self.weights is not None and len(self.weights) != self.count:
            raise AtKey("weights", f"expected {self.count} weights, one per SRP{{}}, got {len(self.weights)}", ["count"])
        return self


class Migration(Strict):
    """Days an SRP's client needs to migrate after an Event of Default: longer for larger ones (seed Q2, Q4)."""

    base_days: Annotated[float, real(0, 3650)] = 90
    """Days any client needs to move its User System to another SRP or its own [E]."""
    days_per_100k_premises: Annotated[float, real(0, 3650)] = 30
    """Days more per 100,000 of the client's premises [E]."""


class SrpDefault(Strict):
    """An SRP's Event of Default (G8.54-G8.60, M8.4): it stops; its Users migrate to others."""

    srp: Id
    """The SRP that defaults (an explicit SRP's id, or SRP-1, SRP-2, ... of the generated ones)."""
    date: Date
    """The day of the Event of Default."""
    migration: Migration = Migration()
    """How long its clients take to migrate."""


class Population(Strict):
    """A generated industry, alongside any explicit parties."""

    groups: list[Group] = []
    srps: SrpMarket = SrpMarket()
    smart: SmartSpec
    market_premises: rate(MAX_PREMISES) | None = None  # type: ignore[valid-type]
    """Domestic premises supplied by all suppliers together, as dated steps: each month the suppliers'
    customers are scaled to it, so one supplier's growth is another's loss (customers switch) [C D9]."""
    solr_receiver_min_customers: Annotated[int, whole(0, MAX_PREMISES)] = 200_000
    """Supplier of Last Resort: a failed supplier's customers go to an active supplier at least this large,
    chosen with probability proportional to its size [E]."""
    srp_defaults: list[SrpDefault] = []

    @model_validator(mode="after")
    def _each_srp_defaults_once(self) -> Population:
        twice = sorted(s for s, n in Counter(d.srp for d in self.srp_defaults).items() if n > 1)  # not list.count: quadratic
        if twice:
            raise AtKey("srp_defaults", f"an SRP defaults once; {', '.join(twice)} is given more than once")
        return self
