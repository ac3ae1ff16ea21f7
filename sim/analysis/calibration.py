"""Calibration: the public figures and the seed's own statements a generated GB population must reproduce.

Each target is a dated figure with its source (CALIBRATION.md, or the seed: "[S] s.2", ...) and the
range the model's median over replications must fall in. Industry targets read a drawn industry;
the seed's statements about the old regime (who is Large, who is counted above 250,000 through an
SRP, how often an SRP's part is assessed) and the 2017 entry wave read a ``pre-secmp0044`` run of
each replication, since they are facts about that regime in 2017-2018.

``python -m sim.analysis.calibration scenarios/gb-baseline.yaml [replications] [--readings]`` prints the table;
with ``--readings`` it also prints the seed's statements under every reading of the count (DOMAIN.md 6).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..industry.parties import Actor, Industry
from ..industry.smart import market_shares
from ..inputs.scenario import Readings, Scenario, load, regimes
from ..law import rules as R
from ..law.regime import Regime
from ..model import Records, industry_of, simulate


@dataclass(frozen=True)
class Target:
    """A dated public figure (or a seed statement) and the range the model's median must fall in."""

    metric: str
    date: dt.date
    figure: float
    source: str
    low: float
    high: float
    """The range the model's median must fall in."""
    until: dt.date | None = None
    """For a count over a period: its end (``date`` is its start)."""

    @property
    def tolerance(self) -> str:
        """The range as docs/explanation/calibration.md writes it."""
        if self.low == self.high:
            return f"= {self.figure:g}"
        if math.isinf(self.high):
            return f">= {self.low:g}"
        if self.low <= 0:
            return f"<= {self.high:g}"
        spread = (self.high - self.figure) / self.figure
        if math.isclose(self.figure - self.low, self.high - self.figure, rel_tol=1e-9):
            return f"±{spread:.0%}"
        return f"{self.low:g} to {self.high:g}"


def _around(figure: float, tolerance: float) -> tuple[float, float]:
    return figure * (1 - tolerance), figure * (1 + tolerance)


def _t(metric: str, on: dt.date, figure: float, source: str, tolerance: float) -> Target:
    return Target(metric, on, figure, source, *_around(figure, tolerance))


D = dt.date
SEED_DATE = D(2018, 5, 11)
"""The seed's date (Draft Modification Report v0.5): its "currently" is May 2018."""

TARGETS: tuple[Target, ...] = (
    _t("dcc_smets2_meters", D(2019, 5, 21), 1.0e6, "C7: 1m SMETS2 on the DCC", 0.30),
    _t("dcc_meters", D(2020, 4, 30), 4.33e6, "C1: DCC-connected total Apr 2020", 0.20),
    _t("dcc_meters", D(2021, 3, 31), 11.0e6, "C1: 7.17m SMETS2 + 3.87m SMETS1", 0.20),
    _t("dcc_meters", D(2021, 11, 30), 16.3e6, "C1/B12: 16.3m Nov 2021", 0.20),
    _t("dcc_smets2_meters", D(2022, 12, 31), 14.8e6, "B4: SMETS2 stock end-2022", 0.20),
    _t("dcc_smets2_meters", D(2023, 12, 31), 18.9e6, "B5: SMETS2 stock end-2023", 0.20),
    _t("dcc_smets2_meters", D(2024, 8, 31), 20.0e6, "C7: over 20m SMETS2 Aug 2024", 0.20),
    _t("active_suppliers", D(2017, 12, 31), 68, "D1: Dec 2017", 0.15),
    _t("active_suppliers", D(2018, 12, 31), 62, "D2: Dec 2018", 0.15),
    _t("active_suppliers", D(2019, 12, 31), 58, "D2: 2019, 8 entries and 12 exits", 0.15),
    _t("active_suppliers", D(2020, 12, 31), 47, "D5: start of 2021", 0.15),
    _t("active_suppliers", D(2021, 12, 31), 26, "D3: Q4 2021", 0.20),
    _t("active_suppliers", D(2022, 12, 31), 23, "D3: Q1 2022 24, Q4 2023 22", 0.25),
    _t("active_suppliers", D(2023, 12, 31), 22, "D3: Q4 2023", 0.25),
    _t("active_suppliers", D(2024, 6, 30), 21, "D3: Q2/Q3 2024", 0.25),
    _t("suppliers_250k_customers", D(2019, 6, 30), 14, "B11: BEIS Q2 2019 release", 0.25),
    _t("suppliers_250k_customers", D(2020, 3, 31), 16, "B8: BEIS Q1 2020 release", 0.25),
    _t("suppliers_250k_customers", D(2021, 3, 31), 14, "BEIS Q1 2021 release", 0.25),
    Target(
        "solr_customers",
        D(2021, 6, 1),
        2.4e6,
        "D4 (NAO, June 2022): about 2.4m customers moved under SoLR since June 2021",
        *_around(2.4e6, 0.30),
        until=D(2022, 7, 1),
    ),
    Target(
        "supplier_failures",
        D(2021, 6, 1),
        28,
        "D4 (NAO, June 2022): 28 suppliers failed since June 2021",
        *_around(28, 0.25),
        until=D(2022, 7, 1),
    ),
    Target(
        "small_suppliers_booked",
        D(2017, 5, 15),
        0.25,
        "A13: 'less than 25%' of Small Suppliers had organised their "
        "assessment by May 2017 (0.10 is our floor: the wave came later, not never)",
        0.10,
        0.25,
    ),
    Target(
        "late_bookers_entered_by_mandate",
        D(2017, 7, 14),
        0.5,
        "A13: applications after 14 Jul 2017 'unlikely' to reach User Entry by the 25 Nov 2017 mandate",
        0.0,
        0.5,
    ),
    Target(
        "suppliers_not_dcc_users",
        D(2020, 1, 31),
        9,
        "D7: nine suppliers told to join the DCC in Jan 2020 (counted: supplying for six months or more without User Entry)",
        5,
        14,
    ),
    Target(
        "srp_part_assessed_busiest",
        D(2018, 1, 1),
        36,
        "[S] s.1, s.2: 'one full assessment for each User that it serves "
        "each year', 'several dozen' for one SRP (read as at least three dozen; Follow-ups not counted)",
        36,
        120,
        until=D(2019, 1, 1),
    ),
    Target(
        "small_suppliers_on_large_srp",
        SEED_DATE,
        0.5,
        "[S] s.2: 'The majority of Small Suppliers are currently using' an SRP above 250,000 in aggregate",
        0.5,
        1.0,
    ),
    Target(
        "srps_with_large_supplier_client",
        SEED_DATE,
        1.0,
        "[S] Q4: 'currently, all Shared Resources have Large Supplier Customers'",
        1.0,
        1.0,
    ),
    Target(
        "incumbents_large_and_full",
        D(2017, 1, 1),
        1.0,
        "[S] s.2 table: Large Suppliers have a Full assessment every year (incumbents' assessments 2017-2019)",
        1.0,
        1.0,
        until=D(2020, 1, 1),
    ),
)
SEED_STATEMENTS = (
    "srp_part_assessed_busiest",
    "small_suppliers_on_large_srp",
    "srps_with_large_supplier_client",
    "incumbents_large_and_full",
)
"""The seed's four statements about the industry of 2018 (DOMAIN.md 6): the test a reading of the count must pass."""


@dataclass
class Replication:
    """One replication's industry and its ``pre-secmp0044`` run: what every measure reads."""

    scenario: Scenario
    industry: Industry
    records: Records
    old: Regime

    def day(self, on: dt.date) -> float:
        """The model day of a date."""
        return self.industry.timeline.day(on)

    def suppliers(self, day: float) -> list[Actor]:
        """Generated suppliers in the market on a day (arrived and not failed)."""
        return [
            a
            for a in self.industry.actors.values()
            if a.role == "supplier" and a.customers is not None and (a.arrival_day or 0.0) <= day < a.exit_day
        ]

    def own(self, actor: Actor, day: float) -> tuple[int, R.Snapshot]:
        """A party's own count on a day under the old regime's reading then, with the rules of that day."""
        rules = self.old.at(self.industry.timeline.date(day))
        return self.industry.premises(actor, rules.count_measure)(day), rules

    def user_entry(self) -> dict[str, float]:
        """Each party's User Entry day (its entry Full's review chain passed), NaN where it never did."""
        return {a.party_id: a.closed_day for a in self.records.assessments if a.trigger == "entry"}


def _industry(rep: Replication, metric: str, target: Target) -> float:
    day = rep.day(target.date)
    suppliers = rep.suppliers(day)
    if metric == "active_suppliers":
        return float(len(suppliers))
    if metric == "suppliers_250k_customers":
        return float(sum(1 for a in suppliers if a.customers(day) >= 250_000))  # type: ignore[misc]
    pop = rep.scenario.population
    assert pop is not None
    shares = {k: v[0] for k, v in market_shares(pop.smart, rep.industry.timeline, np.array([day])).items()}
    groups = {g.name: g for g in pop.groups}
    weighted = sum(a.customers(day) * groups[a.group].smart_factor for a in suppliers)  # type: ignore[misc]
    share = shares["smets2"] if metric == "dcc_smets2_meters" else shares["dcc"]
    return float(pop.smart.meters_per_premises * weighted * share)


def _market_events(rep: Replication, metric: str, target: Target) -> float:
    lo, hi = rep.day(target.date), rep.day(target.until or target.date)
    events = [e for e in rep.industry.events if lo <= e[0] < hi]
    if metric == "solr_customers":
        return float(sum(e[4] for e in events if e[1] == "solr_transfer"))
    return float(sum(1 for e in events if e[1] == "exit" and rep.industry.actors[e[2]].role == "supplier"))


def _mandate_wave(rep: Replication, metric: str, target: Target) -> float:
    """Small Supplier Parties present in 2017 (those with the 25 Nov 2017 mandate): when they booked and entered."""
    mandate = rep.day(D(2017, 11, 25))
    entries = [
        a
        for a in rep.records.assessments
        if a.trigger == "entry" and a.role == "supplier" and rep.industry.actors[a.party_id].mandate_day == mandate
    ]
    cut = rep.day(target.date)
    if metric == "small_suppliers_booked":
        return float(np.mean([a.determination_day <= cut for a in entries])) if entries else math.nan
    late = [a for a in entries if a.determination_day > cut]
    return float(np.mean([a.closed_day <= mandate for a in late])) if late else 0.0


def _not_users(rep: Replication, metric: str, target: Target) -> float:
    """Suppliers in the market for six months or more without User Entry: those an enforcer would chase (D7)."""
    day = rep.day(target.date)
    entered = rep.user_entry()
    return float(
        sum(1 for a in rep.suppliers(day) if (a.arrival_day or 0.0) <= day - 182.5 and not entered.get(a.id, math.nan) <= day)
    )


def _srp_part(rep: Replication, metric: str, target: Target) -> float:
    lo, hi = rep.day(target.date), rep.day(target.until or target.date)
    counts = Counter(
        a.srp_id
        for a in rep.records.assessments
        if a.includes_srp_scope and a.srp_id and a.trigger != "ssc_request" and lo <= a.fieldwork_start < hi
    )
    return float(max(counts.values(), default=0))


def _on_large_srp(rep: Replication, metric: str, target: Target) -> float:
    """Small Suppliers (own count at most the threshold) on an SRP above it in aggregate, itself included (seed s.2)."""
    day = rep.day(target.date)
    small = []
    for a in rep.suppliers(day):
        own, rules = rep.own(a, day)
        if own <= rules.threshold:
            srp = a.srp_at(day)
            summed = rep.industry.srp_aggregate(srp, day, rules.count_measure, rules.aggregate_of) if srp else 0
            aggregate = summed + (0 if a.active(day) else own) if srp else 0
            small.append(aggregate > rules.threshold)
    return float(np.mean(small)) if small else math.nan


def _large_clients(rep: Replication, metric: str, target: Target) -> float:
    """SRPs serving Users on the day with at least one Large Supplier among them (seed Q4)."""
    day = rep.day(target.date)
    found = []
    for srp in rep.industry.members:
        clients = [rep.industry.actors[c] for c in rep.industry.clients_at(srp, day)]
        if clients:
            found.append(any(c.role == "supplier" and rep.own(c, day)[0] > rep.own(c, day)[1].threshold for c in clients))
    return float(np.mean(found)) if found else math.nan


def _incumbents(rep: Replication, metric: str, target: Target) -> float:
    lo, hi = rep.day(target.date), rep.day(target.until or target.date)
    rows = [
        a
        for a in rep.records.assessments
        if a.trigger != "ssc_request" and rep.industry.actors[a.party_id].group == "incumbent" and lo <= a.fieldwork_start < hi
    ]
    return float(np.mean([a.type == "full" and a.band == "large" for a in rows])) if rows else math.nan


MEASURES: dict[str, Callable[[Replication, str, Target], float]] = {
    "dcc_smets2_meters": _industry,
    "dcc_meters": _industry,
    "active_suppliers": _industry,
    "suppliers_250k_customers": _industry,
    "solr_customers": _market_events,
    "supplier_failures": _market_events,
    "small_suppliers_booked": _mandate_wave,
    "late_bookers_entered_by_mandate": _mandate_wave,
    "suppliers_not_dcc_users": _not_users,
    "srp_part_assessed_busiest": _srp_part,
    "small_suppliers_on_large_srp": _on_large_srp,
    "srps_with_large_supplier_client": _large_clients,
    "incumbents_large_and_full": _incumbents,
}


def replicate(scenario: Scenario, n: int, seed: int | None = None) -> list[Replication]:
    """Each replication's industry and its run under ``pre-secmp0044`` (with the scenario's readings)."""
    seed = scenario.seed if seed is None else seed
    old = next(r for r in regimes(scenario.model_copy(update={"regimes": ["pre-secmp0044"]})))
    out = []
    for r in range(n):
        records, model = simulate(scenario, old, seed, r, industry_of(scenario, seed, r))
        out.append(Replication(scenario, model.industry, records, old))
    return out


def table(
    scenario: Scenario, replications: int = 30, seed: int | None = None, targets: tuple[Target, ...] = TARGETS
) -> pd.DataFrame:
    """Model median (and 5-95 % range) over replications against each target."""
    reps = replicate(scenario, replications, seed)
    rows = []
    for target in targets:
        values = np.array([MEASURES[target.metric](rep, target.metric, target) for rep in reps])
        median = float(np.nanmedian(values))
        rows.append(
            {
                "metric": target.metric,
                "date": target.date.isoformat() + (f" to {target.until}" if target.until else ""),
                "source_figure": target.figure,
                "model_median": median,
                "model_p05": float(np.nanpercentile(values, 5)),
                "model_p95": float(np.nanpercentile(values, 95)),
                "tolerance": target.tolerance,
                "within": bool(target.low <= median <= target.high),
                "source": target.source,
            }
        )
    return pd.DataFrame(rows)


def readings_table(scenario: Scenario, replications: int = 30, aggregates: tuple[str, ...] = R.AGGREGATES) -> pd.DataFrame:
    """The seed's four statements about 2018 under each reading of the count and of whose premises an SRP's aggregate
    sums (``aggregates``: those to read): median [5-95 %] and whether it holds."""
    seed_targets = tuple(t for t in TARGETS if t.metric in SEED_STATEMENTS)
    rows = []
    for measure, of in itertools.product(R.MEASURES, aggregates):
        read = scenario.model_copy(update={"readings": Readings(count_measure=measure, aggregate_of=of)})
        found = table(read, replications, targets=seed_targets)
        for row in found.itertuples():
            rows.append(
                {
                    "count_measure": measure,
                    "aggregate_of": of,
                    "metric": row.metric,
                    "model_median": row.model_median,
                    "model_p05": row.model_p05,
                    "model_p95": row.model_p95,
                    "holds": row.within,
                }
            )
    return pd.DataFrame(rows)


if __name__ == "__main__":  # python -m sim.analysis.calibration scenarios/gb-baseline.yaml [replications] [--readings]
    args = [a for a in sys.argv[1:] if a != "--readings"]
    chosen = load(args[0])
    n = int(args[1]) if len(args) > 1 else 30
    print(table(chosen, n).to_string(index=False, float_format=lambda v: f"{v:,.3g}"))
    if "--readings" in sys.argv:
        print()
        print(readings_table(chosen, n).to_string(index=False, float_format=lambda v: f"{v:,.3g}"))
