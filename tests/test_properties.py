"""Tests by intent: properties.

Invariants of whole runs on small random scenarios (hypothesis): no assessment before entry,
nothing negative, premises conserved across an SRP's clients, no SRP assessment before
SECMP0044, every type from the regime's cycle, and a run a pure function of scenario and seed.
Each scenario is written as a dict and validated by the real loader (``scenario_from``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings, strategies as st

from sim.experiment.runner import run
from sim.law import rules as R
from sim.law.regime import builtin

from .conftest import scenario_from

REGIMES = ("pre-secmp0044", "secmp0044", "sec-history-without-secmp0044", "sec-history")
PROPERTY = settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

_counts = st.one_of(st.sampled_from([0, 250_000, 250_001]), st.integers(0, 600_000))


def _iso(start: dt.date, offset: int) -> str:
    return (start + dt.timedelta(days=offset)).isoformat()


@st.composite
def scenarios(draw, min_srps: int = 0, regimes: tuple[str, ...] | None = None) -> dict:
    """A small scenario dict: 1-8 Users, 0-2 SRPs with clients, dated premises, entries and exits."""
    start = draw(st.dates(dt.date(2016, 1, 1), dt.date(2020, 12, 31)))
    years = draw(st.integers(2, 4))
    horizon = (start + relativedelta(years=years) - start).days
    n_srps = draw(st.integers(min_srps, 2))
    srps = [f"SRP{j}" for j in range(n_srps)]
    parties: list[dict] = []
    for i in range(draw(st.integers(max(1, n_srps if min_srps else 1), 8))):
        party: dict = {"id": f"P{i}", "role": draw(st.sampled_from(["supplier", "network", "other"]))}
        if draw(st.booleans()):
            party["premises"] = draw(_counts)
        else:
            offsets = draw(st.lists(st.integers(-365, horizon), min_size=1, max_size=3, unique=True))
            party["premises"] = {_iso(start, o): draw(_counts) for o in sorted(offsets)}
        if srps and draw(st.booleans()):
            party["srp"] = draw(st.sampled_from(srps))
        entry = draw(st.one_of(st.none(), st.integers(0, horizon - 1)))
        if entry is not None:
            party["entry"] = _iso(start, entry)
        if draw(st.booleans()):
            party["exit"] = _iso(start, (entry or 0) + draw(st.integers(1, horizon + 365)))
        parties.append(party)
    if min_srps:  # every SRP has at least one client
        for j, srp in enumerate(srps):
            parties[j % len(parties)]["srp"] = srp
    chosen = regimes or tuple(draw(st.lists(st.sampled_from(REGIMES), min_size=1, max_size=3, unique=True)))
    return {
        "name": "property",
        "start": start.isoformat(),
        "years": years,
        "regimes": list(chosen),
        "deterministic": draw(st.booleans()),
        "seed": draw(st.integers(0, 2**31)),
        "parties": [{"id": s, "role": "srp"} for s in srps] + parties,
        "cio": {"teams": draw(st.integers(1, 3))},
        "ssc": {"items_per_meeting": draw(st.integers(1, 5))},
    }


def tables(data: dict) -> dict[str, pd.DataFrame]:
    return run(scenario_from(data), progress=False).tables


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _entry(data: dict, party: dict) -> dt.date:
    return _date(party.get("entry", data["start"]))


def _active(data: dict, party: dict, on: dt.date) -> bool:
    exit_ = party.get("exit")
    return _entry(data, party) <= on and (exit_ is None or on < _date(exit_))


def _premises(party: dict, on: dt.date) -> int:
    """A party's own premises on a date, read from the scenario dict (constant, or steps; zero before the first)."""
    value = party.get("premises", 0)
    if isinstance(value, int):
        return value
    steps = [(_date(d), n) for d, n in value.items() if _date(d) <= on]
    return max(steps)[1] if steps else 0


def governing(row) -> R.Snapshot:
    """The rules an assessment row followed: those of its transition moment (booking, or booked fieldwork start)."""
    regime, requested = builtin(row.regime), _date(row.requested_start)
    moment = regime.at(requested).transition_moment
    return regime.at(requested if moment == "fieldwork" else _date(row.determination_date))


def _clients(data: dict, srp: str) -> list[dict]:
    return [p for p in data["parties"] if p.get("srp") == srp]


@PROPERTY
@given(scenarios())
def test_no_assessment_starts_before_entry(data):
    """A User's fieldwork never starts before its entry; an SRP's never before its first client's."""
    table = tables(data)["assessments"]
    by_id = {p["id"]: p for p in data["parties"]}
    for row in table.itertuples():
        party = by_id[row.party_id]
        if party["role"] == "srp":
            entry = min(_entry(data, c) for c in _clients(data, party["id"]))
        else:
            entry = _entry(data, party)
        assert row.fieldwork_start, f"{row.assessment_id} never started"
        assert _date(row.fieldwork_start) >= entry, f"{row.assessment_id} ({row.regime}) starts before entry {entry}"


@PROPERTY
@given(scenarios())
def test_nothing_is_negative(data):
    """No negative cost, CIO days, wait, premises or count; every assessment's dates in their order
    (determination, requested start, fieldwork, report, submission, status), so no negative interval."""
    out = tables(data)
    a = out["assessments"]
    for column in (
        "cio_days",
        "cost_gbp",
        "cio_wait_days",
        "ssc_wait_days",
        "premises_own",
        "premises_counted",
        "days_late",
        "report_copies",
    ):
        assert not a[column].isna().any(), f"{column} missing"
        assert (a[column] >= 0).all(), f"negative {column}: {a.loc[a[column] < 0, ['assessment_id', column]].values.tolist()}"
    assert (a.cio_days > 0).all(), "every assessment occupies the CIO"
    assert (out["costs"].cost_gbp >= 0).all()
    assert (out["ssc_items"].wait_days >= 0).all()
    m = out["ssc_meetings"]
    assert (m[["arrived", "reviewed", "backlog_after", "not_yet_eligible"]] >= 0).all().all()
    for row in a.itertuples():
        assert _date(row.determination_date) <= _date(row.requested_start) <= _date(row.fieldwork_start)
        assert _date(row.fieldwork_start) <= _date(row.fieldwork_end) <= _date(row.report_date)
        assert _date(row.report_date) <= _date(row.submitted_date) <= _date(row.status_date)


@PROPERTY
@given(scenarios(min_srps=1))
def test_srp_premises_are_the_sum_of_its_active_clients_own(data):
    """Premises conserved: an SRP counts exactly its active clients' own premises on the determination
    date (SECMP0044 (a)), and those of clients entering by its booked fieldwork start; a client on the aggregate basis (seed s.2) counts the same sum with itself in it
    (a party ascertaining its entry Full is not yet active: its own are added); a client on its own basis
    (SECMP0044 (d)) counts its own, and its own is what the scenario gives it."""
    table = tables(data)["assessments"]
    by_id = {p["id"]: p for p in data["parties"]}
    srps = [p["id"] for p in data["parties"] if p["role"] == "srp"]

    def aggregate(srp: str, on: dt.date) -> int:
        return sum(_premises(c, on) for c in _clients(data, srp) if _active(data, c, on))

    if "secmp0044" in data["regimes"]:
        have = set(table.query("regime == 'secmp0044' and role == 'srp'").party_id)
        assert have == set(srps), "under SECMP0044 every SRP with a client has its own assessment"
    for row in table.itertuples():
        on = _date(row.determination_date)
        party = by_id[row.party_id]
        if row.role == "srp":
            start = _date(row.requested_start)
            joining = sum(
                _premises(c, on)
                for c in _clients(data, row.party_id)
                if on < _entry(data, c) <= start and _active(data, c, start)
            )
            assert row.premises_own == row.premises_counted == aggregate(row.party_id, on) + joining, row.assessment_id
            continue
        assert row.premises_own == _premises(party, on), row.assessment_id
        rules = governing(row)
        if row.srp_id and row.role in ("supplier", "network") and rules.count_basis == "srp_aggregate":
            itself = 0 if _active(data, party, on) else _premises(party, on)
            assert row.premises_counted == aggregate(row.srp_id, on) + itself, row.assessment_id
        else:
            assert row.premises_counted == row.premises_own, row.assessment_id


@PROPERTY
@given(scenarios(min_srps=1, regimes=("pre-secmp0044",)))
def test_no_srp_assessment_before_secmp0044(data):
    """Seed s.2: before SECMP0044 an SRP is assessed only inside its clients' assessments."""
    table = tables(data)["assessments"]
    assert not table.empty
    assert (table.role != "srp").all()
    assert not table.party_id.str.startswith("SRP").any()
    client_rows = table[table.srp_id != ""]
    assert client_rows.includes_srp_scope.all(), "the SRP part is in every client's assessment"


@PROPERTY
@given(scenarios())
def test_every_type_is_in_the_regime_cycle_for_its_role_and_band(data):
    """Each assessment's type is in the cycle for its role and band under the rules it followed (its transition
    moment's: by default its booked fieldwork start's), or is a Follow-up, and its band agrees with the premises it
    counted against the threshold."""
    table = tables(data)["assessments"]
    for row in table.itertuples():
        rules = governing(row)
        if row.role == "other":
            assert row.band == "none", row.assessment_id
        else:
            assert row.band == ("large" if row.premises_counted > rules.threshold else "small"), row.assessment_id
        if row.type == "follow_up":
            assert row.trigger == "ssc_request", row.assessment_id
            continue
        aggregate = row.srp_id and row.role in ("supplier", "network") and rules.count_basis == "srp_aggregate"
        cycle = rules.cycles[("srp_user" if aggregate and row.band == "large" else row.role, row.band)]
        assert cycle is not None and row.type in cycle, f"{row.assessment_id} ({row.regime}): {row.type} not in {cycle}"
        if row.trigger == "entry":
            assert row.type == "full", row.assessment_id


@PROPERTY
@given(scenarios())
def test_same_scenario_and_seed_give_equal_tables(data):
    """A replication is a pure function of (scenario, regime, seed) (DESIGN.md principle 3)."""
    scenario = scenario_from(data)
    first, second = run(scenario, progress=False), run(scenario, progress=False)
    assert set(first.tables) == set(second.tables)
    for name in first.tables:
        pd.testing.assert_frame_equal(first.tables[name], second.tables[name], check_exact=True, obj=name)
    pd.testing.assert_frame_equal(first.summary, second.summary, check_exact=True, obj="summary")
