"""Tests by intent: validation. The generated GB industry: calibration against public figures,
market events (failures with Supplier of Last Resort transfers, SRP switches, an SRP's Event of
Default), the 2017 mandate wave, and the same industry under every regime."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim import calibration
from sim.errors import InputError
from sim.experiment import run
from sim.industry import build
from sim.model import timeline_of
from sim.scenario import load
from sim.streams import Streams

from .conftest import ROOT, scenario_from

GB = ROOT / "scenarios" / "gb-baseline.yaml"


@pytest.fixture(scope="module")
def gb():
    return load(GB)


def test_gb_baseline_reproduces_the_public_figures(gb):
    """Model median over 30 replications within each target's stated tolerance (sim/calibration.py)."""
    table = calibration.table(gb, replications=30)
    misses = table[~table.within]
    assert misses.empty, misses.to_string()


def test_same_seed_same_industry_under_every_regime(gb):
    short = gb.model_copy(update={"years": 3})
    events = run(short, replications=1, progress=False).tables["events"]
    by_regime = [g.drop(columns="regime").reset_index(drop=True) for _, g in events.groupby("regime", sort=False)]
    assert len(by_regime) == 3 and len(by_regime[0]) > 50
    for other in by_regime[1:]:
        pd.testing.assert_frame_equal(by_regime[0], other)


def test_other_seeds_give_other_industries(gb):
    t = timeline_of(gb)
    a, b = build(gb, t, Streams(1, 0)), build(gb, t, Streams(1, 1))
    assert a.events != b.events


def test_a_large_srp_is_assessed_inside_several_dozen_client_assessments_under_the_old_regime(gb):
    """Seed s.2: 'several dozen separate assessments in each calendar year' for one SRP; SECMP0044 (a): one."""
    short = gb.model_copy(update={"years": 3, "regimes": ["pre-secmp0044", "secmp0044"]})
    table = run(short, replications=1, progress=False).tables["assessments"]
    table["year"] = table.fieldwork_start.str[:4]
    inside = table[(table.regime == "pre-secmp0044") & table.includes_srp_scope & (table.srp_id == "SRP-1")]
    per_year = inside.groupby("year").size()
    assert (per_year[["2017", "2018", "2019"]] >= 24).all(), per_year
    own = table[(table.regime == "secmp0044") & (table.party_id == "SRP-1") & (table.trigger != "ssc_request")]
    assert own.groupby("year").size().to_dict() == {"2017": 1, "2018": 1, "2019": 1}
    assert table[(table.regime == "pre-secmp0044") & (table.role == "srp")].empty


def _missed_share(scenario, teams: int, replications: int) -> np.ndarray:
    s = scenario.model_copy(update={"cio": scenario.cio.model_copy(update={"teams": teams})})
    a = run(s, replications=replications, progress=False).tables["assessments"]
    small = a[(a.trigger == "entry") & a.party_id.str.match(r"(challenger|medium)-") & (a.mandate_date != "")]
    return small.groupby("replication").missed_mandate.apply(lambda x: float((x == True).mean())).to_numpy()  # noqa: E712


def test_mandate_wave_2017_crunch_and_doubled_capacity():
    """With the capacity of the time a share of Small Suppliers miss 25 Nov 2017; doubling it removes most of the misses."""
    wave = load(ROOT / "scenarios" / "mandate-wave-2017.yaml")
    base = _missed_share(wave, wave.cio.teams, 10)
    doubled = _missed_share(wave, 2 * wave.cio.teams, 10)
    half = stats.t.ppf(0.975, len(base) - 1) * base.std(ddof=1) / math.sqrt(len(base))
    assert base.mean() - half > 0.2, f"share missing the mandate {base.mean():.2f} +/- {half:.2f}"
    assert doubled.mean() < base.mean() / 3


def _toy(**population):
    pop = {
        "smart": {"smets2_share": {"2018-01-01": 0.5}},
        "groups": [
            {"name": "big", "role": "supplier", "count": 2, "customers": 400000},
            {"name": "small", "role": "supplier", "count": 20, "customers": {"dist": "lognormal", "median": 20000, "sigma": 1.0},
             "exit_hazard": 3.0, "srp_share": 0.5},
        ],
        "srps": {"count": 2, "weights": [0.6, 0.4], "switch_rate": 0.5},
    }
    pop.update(population)
    return scenario_from({"name": "toy", "start": "2018-01-01", "years": 2, "regimes": ["secmp0044"], "parties": []},
                         population=pop)


def test_supplier_of_last_resort_conserves_customers():
    """Without growth, a failed supplier's customers all reappear at its receiver: the market total is constant."""
    s = _toy()
    industry = build(s, timeline_of(s), Streams(3, 0))
    transfers = [e for e in industry.events if e[1] == "solr_transfer"]
    assert len(transfers) > 5, "a high hazard must produce failures"
    suppliers = [a for a in industry.actors.values() if a.role == "supplier"]
    start_total = sum(a.customers(0.0) for a in suppliers)
    for month in range(1, 24):
        day = month * 30.5 + 15
        total = sum(a.customers(day) for a in suppliers if a.exit_day > day)
        in_flight = sum(e[4] for e in transfers if day - 31 < e[0] <= day)  # moved this month, credited next month
        assert start_total - in_flight - 24 <= total <= start_total + 24, month
    for day, _, failed, receiver, _moved in transfers:
        assert industry.actors[failed].exit_day == day
        assert industry.actors[receiver].customers(day) >= s.population.solr_receiver_min_customers


def test_srp_aggregate_is_the_sum_of_its_active_clients():
    s = _toy()
    industry = build(s, timeline_of(s), Streams(3, 0))
    for day in (0.0, 100.0, 400.0, 700.0):
        for srp in ("SRP-1", "SRP-2"):
            clients = industry.clients_at(srp, day)
            assert industry.srp_aggregate(srp, day) == sum(industry.actors[c].premises(day) for c in clients)
    assert any(e[1] == "srp_switch" for e in industry.events)


def test_srp_default_clients_migrate_after_a_size_dependent_time():
    s = _toy(srp_defaults=[{"srp": "SRP-1", "date": "2018-06-01", "migration": {"base_days": 60, "days_per_100k_premises": 100}}],
             groups=[{"name": "small", "role": "supplier", "count": 30, "customers": {"dist": "uniform", "low": 10000, "high": 300000},
                      "srp_share": 1.0}])
    industry = build(s, timeline_of(s), Streams(5, 0))
    default_day = timeline_of(s).day(s.population.srp_defaults[0].date)
    migrations = [e for e in industry.events if e[1] == "srp_migration"]
    assert migrations
    for day, _, client, move, premises in migrations:
        assert day == pytest.approx(default_day + 60 + 100 * premises / 1e5)
        assert move.startswith("SRP-1->") and not move.endswith("SRP-1")
        assert industry.actors[client].srp_at(day) != "SRP-1"
    later = default_day + 365
    assert industry.clients_at("SRP-1", later) == []
    assert not any(a.srp_at(d) == "SRP-1" for a in industry.actors.values() if a.arrival_day and a.arrival_day > default_day
                   for d in [a.arrival_day])


def test_smets1_counts_only_after_its_cohort_is_adopted():
    """Seed s.7: after Enrolment and Adoption both SMETS1 and SMETS2 count towards 250,000."""
    s = _toy(smart={"smets2_share": {"2018-01-01": 0.0}, "smets1_installed_share": 0.5, "smets1_adopted_share": 1.0,
                    "smets1_cohorts": [{"name": "all", "share": 1.0, "start": "2019-01-01", "end": "2019-01-02"}]},
             groups=[{"name": "big", "role": "supplier", "count": 1, "customers": 600000}])
    industry = build(s, timeline_of(s), Streams(1, 0))
    big = industry.actors["big-001"]
    t = timeline_of(s)
    assert big.premises(t.day(s.start) + 30) == 0
    assert big.premises(t.day(s.start) + 400) == 300000


def test_deterministic_population_has_no_random_events():
    s = _toy().model_copy(update={"deterministic": True})
    a, b = build(s, timeline_of(s), Streams(1, 0, True)), build(s, timeline_of(s), Streams(2, 7, True))
    assert a.events == [] and b.events == []
    assert [x.premises for x in a.actors.values()] == [x.premises for x in b.actors.values()]


@pytest.mark.parametrize(
    "population,message",
    [
        ({"groups": [{"name": "o", "role": "other", "count": 2, "customers": 5}], "smart": {"smets2_share": {"2018-01-01": 0.1}}},
         "Other Users have no premises threshold"),
        ({"groups": [{"name": "s", "role": "supplier", "count": 2, "srp_share": 0.5}], "smart": {"smets2_share": {"2018-01-01": 0.1}}},
         "population.groups[0].srp_share: expected 0 when population.srps.count is 0"),
        ({"groups": [{"name": "s", "role": "supplier", "count": 2}], "smart": {"smets2_share": {"2018-01-01": 0.1}},
          "srp_defaults": [{"srp": "SRP-9", "date": "2018-06-01"}]}, 'population.srp_defaults[0].srp: no SRP with id "SRP-9"'),
        ({"groups": [{"name": "s", "role": "supplier", "count": 2}], "smart": {"smets2_share": {"2018-01-01": 0.1},
          "smets1_cohorts": [{"name": "a", "share": 0.5, "start": "2019-01-01", "end": "2020-01-01"}]}}, "expected shares summing to 1"),
        ({"groups": [{"name": "s", "role": "supplier", "count": 2, "customers": "many"}], "smart": {"smets2_share": {"2018-01-01": 0.1}}},
         "population.groups[0].customers: expected a number from 0 to 100,000,000"),
    ],
)
def test_bad_population_is_one_clear_error(population, message):
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        scenario_from({"name": "bad", "start": "2018-01-01", "years": 2, "regimes": ["secmp0044"], "parties": []}, population=population)


def test_extends_merges_groups_by_name(tmp_path):
    (tmp_path / "child.yaml").write_text(f"extends: {GB}\nname: child\npopulation:\n  groups:\n    - {{name: challenger, srp_share: 0.1}}\n")
    child = load(tmp_path / "child.yaml")
    groups = {g.name: g for g in child.population.groups}
    assert groups["challenger"].srp_share == 0.1
    assert groups["challenger"].count == 38, "the parent's other keys are kept"
    assert len(groups) == len(load(GB).population.groups)


def test_extends_a_missing_file_is_a_clear_error(tmp_path):
    (tmp_path / "child.yaml").write_text("extends: nowhere.yaml\nname: child\n")
    with pytest.raises(InputError, match=r'child.yaml: extends: no scenario file "nowhere.yaml"'):
        load(tmp_path / "child.yaml")
