"""Tests by intent: properties. Issue 10's finding 2 as a property: ``secsim run`` on any valid scenario, however
extreme its values within their documented ranges, ends with exit status 0 (its results, perhaps stopped at
the run's limit and saying so) or 2 (a one-line reason), never a traceback, a hang or a crash.

Hypothesis draws EXAMPLES scenarios per run of the suite: dates from 1900 to 2200, horizons of 1 to 50
years, one CIO team or a thousand, one SSC item per meeting or ten thousand, every outcome Deferred or
Rejected, Follow-ups that never pass, durations and delays of 0 to 3,650 days, explicit parties of any
role and size, and a small generated population.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from .conftest import secsim

EXAMPLES = 60
"""Scenarios tried per run of the suite (about 6 s on the 2-core development machine)."""

OUTCOME_MIXES = [
    {"approved": 1, "approved_subject_to": 0, "deferred": 0, "rejected": 0},
    {"approved": 0, "approved_subject_to": 0, "deferred": 1, "rejected": 0},
    {"approved": 0, "approved_subject_to": 0, "deferred": 0, "rejected": 1},
    {"approved": 0, "approved_subject_to": 1, "deferred": 0, "rejected": 0},
    {"approved": 0.25, "approved_subject_to": 0.25, "deferred": 0.25, "rejected": 0.25},
]

days = st.one_of(st.sampled_from([0, 3650]), st.floats(0, 3650))
extreme_int = lambda low, high: st.one_of(st.sampled_from([low, high]), st.integers(low, high))  # noqa: E731


@st.composite
def durations(draw) -> object:
    low, high = sorted([draw(days), draw(days)])
    return draw(
        st.sampled_from(
            [low, {"dist": "triangular", "low": low, "mode": low, "high": high}, {"dist": "uniform", "low": low, "high": high}]
        )
    )


@st.composite
def scenarios(draw) -> dict:
    start = draw(st.dates(dt.date(1900, 1, 1), dt.date(2150, 12, 31)))
    years = draw(extreme_int(1, 50))
    end = dt.date(start.year + years, start.month, min(start.day, 28))
    day = st.dates(start, end - dt.timedelta(days=1))
    parties = []
    for i in range(draw(st.integers(0, 4))):
        role = draw(st.sampled_from(["supplier", "network", "other", "srp"]))
        party = {"id": f"P{i}", "role": role, "entry": draw(day).isoformat()}
        if role != "srp":
            party["premises"] = draw(extreme_int(0, 10**9))
        if draw(st.booleans()):
            party["exit"] = (dt.date.fromisoformat(party["entry"]) + dt.timedelta(days=draw(st.integers(1, 20000)))).isoformat()
        parties.append(party)
    srps = [p["id"] for p in parties if p["role"] == "srp"]
    for p in parties:
        if p["role"] in ("supplier", "network") and srps and draw(st.booleans()):
            p["srp"] = draw(st.sampled_from(srps))
    scenario = {
        "name": "extreme",
        "start": start.isoformat(),
        "years": years,
        "seed": draw(extreme_int(0, 2**63 - 1)),
        "regimes": draw(st.sampled_from([["pre-secmp0044"], ["secmp0044", "sec-history"], ["sec-history"]])),
        "deterministic": draw(st.booleans()),
        "parties": parties,
        "cio": {"teams": draw(extreme_int(1, 1000)), "booking_lead_weeks": draw(st.floats(0, 520))},
        "ssc": {
            "items_per_meeting": draw(extreme_int(1, 10_000)),
            "papers_lead_days": draw(st.floats(0, 365)),
            "meeting_days": draw(st.lists(st.integers(1, 28), min_size=1, max_size=4)),
            "outcomes": draw(st.sampled_from(OUTCOME_MIXES)),
            "follow_up_outcomes": draw(st.sampled_from(OUTCOME_MIXES)),
        },
        "durations": {
            "fieldwork_days": {k: draw(durations()) for k in ("full", "verification", "self", "follow_up")},
            "management_response_days": draw(durations()),
            "follow_up_delay_days": draw(durations()),
        },
        "scheduling": {"margin_days": draw(st.floats(0, 365))},
        "costs": {"cio_day_rate_gbp": draw(st.sampled_from([0, 1e6]))},
    }
    if draw(st.booleans()) or not parties:
        scenario["population"] = {
            "smart": {"smets2_share": {start.isoformat(): draw(st.floats(0, 1))}},
            "groups": [
                {
                    "name": "g",
                    "role": draw(st.sampled_from(["supplier", "network"])),
                    "count": draw(st.integers(0, 20)),
                    "customers": draw(st.sampled_from([0, 10**8, {"dist": "lognormal", "median": 20000, "sigma": 3}])),
                    "entrants_per_year": draw(st.floats(0, 5)),
                    "exit_hazard": draw(st.floats(0, 50)),
                    "growth": {"mean": draw(st.floats(-1, 1)), "sd": draw(st.floats(0, 1))},
                }
            ],
        }
    return scenario


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_finding_2_property_a_valid_scenario_runs_to_exit_0_or_2_never_a_traceback(scenario):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extreme.yaml"
        path.write_text(yaml.safe_dump(scenario, sort_keys=False))
        code, err = secsim("run", path, "--out", Path(folder) / "out", "--quiet")
        assert code in (0, 2) and "Traceback" not in err, err
        if code == 2:
            assert err.count("\n") == 1 and err.startswith("error: extreme.yaml: "), err
        else:
            assert (Path(folder) / "out" / "manifest.json").is_file()
            assert err == "" or err.startswith("warning: ") and err.count("\n") == 1, err
