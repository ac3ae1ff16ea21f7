"""Tests by intent: validation. Deterministic runs whose assessment sequences, scopes, waits and
lateness equal a hand calculation (the simulator-core acceptance cases)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.experiment.runner import run

from .conftest import FIVE_PARTIES, assessments, scenario_from


def sequence(table: pd.DataFrame, regime: str, party: str, n: int = 6) -> list[str]:
    rows = table[(table.regime == regime) & (table.party_id == party)].sort_values("fieldwork_start")
    return list(rows.type[:n])


def test_pre_small_supplier_on_large_srp_is_full_every_year(five_party_assessments):
    """Seed s.2: SUP-S's SRP serves 400,000 in aggregate, so SUP-S is treated as Large."""
    assert sequence(five_party_assessments, "pre-secmp0044", "SUP-S") == ["full"] * 6
    rows = five_party_assessments.query("regime == 'pre-secmp0044' and party_id == 'SUP-S'")
    assert set(rows.premises_counted) == {400000} and set(rows.band) == {"large"}


def test_secmp0044_small_supplier_follows_its_own_band(five_party_assessments):
    """SECMP0044 (d): full, verification, self, full, verification, self."""
    assert sequence(five_party_assessments, "secmp0044", "SUP-S") == ["full", "verification", "self"] * 2


def test_pre_srp_has_no_assessment_of_its_own(five_party_assessments):
    assert five_party_assessments.query("regime == 'pre-secmp0044' and party_id == 'SRP-1'").empty


def test_secmp0044_srp_full_once_a_year(five_party_assessments):
    """SECMP0044 (a) with Q3: aggregate 400,000 > 250,000, so a Full every year, one a year."""
    rows = five_party_assessments.query("regime == 'secmp0044' and party_id == 'SRP-1'")
    assert list(rows.type) == ["full"] * 6
    assert rows.fieldwork_start.str[:4].value_counts().max() == 1
    assert sorted(rows.fieldwork_start.str[:4].unique()) == [str(y) for y in range(2018, 2024)]


def test_pre_both_suppliers_assessments_include_the_srp_part(five_party_assessments):
    rows = five_party_assessments.query("regime == 'pre-secmp0044' and party_id in ['SUP-L', 'SUP-S']")
    assert len(rows) == 12 and rows.includes_srp_scope.all()


def test_secmp0044_clients_rely_on_srp_status_after_the_fallback(five_party_assessments):
    """(e): the first assessments (SRP has no status yet) cover the SRP part; later ones do not."""
    for party in ("SUP-L", "SUP-S"):
        rows = five_party_assessments.query(f"regime == 'secmp0044' and party_id == '{party}'").sort_values("fieldwork_start")
        assert list(rows.includes_srp_scope) == [True] + [False] * (len(rows) - 1)


@pytest.mark.parametrize("regime", ["pre-secmp0044", "secmp0044"])
def test_network_and_other_user_cycles_under_both_regimes(five_party_assessments, regime):
    assert sequence(five_party_assessments, regime, "NET-1") == ["full", "verification", "verification"] * 2
    assert sequence(five_party_assessments, regime, "OTH-1") == ["full", "self", "self"] * 2


def test_large_supplier_full_every_year_in_both(five_party_assessments):
    for regime in ("pre-secmp0044", "secmp0044"):
        assert sequence(five_party_assessments, regime, "SUP-L") == ["full"] * 6


def test_srp_report_copies_go_to_each_user(five_party_assessments):
    """(c) three documents (report, response, outcome) per client per SRP assessment, all Approved."""
    rows = five_party_assessments.query("regime == 'secmp0044' and party_id == 'SRP-1'")
    assert set(rows.report_copies) == {2 * 3}


def test_ample_capacity_has_no_late_assessment():
    """A team per party and room at every SSC meeting: nobody waits, nothing is late."""
    table = assessments(FIVE_PARTIES, cio={"teams": 5}, ssc={"items_per_meeting": 5})
    assert (table.cio_wait_days == 0).all()
    assert not table.late.any()


def test_entry_round_waits_equal_the_hand_calculation():
    """One CIO team, four entry Fulls booked for the same day (pre-secmp0044), first come first served.

    Deterministic durations are the triangular means: Full fieldwork (3+6+10)/3, report
    (5+6+10)/3, SRP part +3 working days; working days are 7/5 calendar days.
    """
    table = assessments(FIVE_PARTIES, cio={"teams": 1}, regimes=["pre-secmp0044"])
    entry = table[table.trigger == "entry"].set_index("party_id").cio_wait_days
    full = (19 / 3 + 7) * 7 / 5
    full_with_srp = (19 / 3 + 3 + 7) * 7 / 5
    assert entry["SUP-L"] == 0
    assert entry["SUP-S"] == pytest.approx(full_with_srp, abs=1e-3)
    assert entry["NET-1"] == pytest.approx(2 * full_with_srp, abs=1e-3)
    assert entry["OTH-1"] == pytest.approx(2 * full_with_srp + full, abs=1e-3)


def _small_suppliers(n: int) -> list[dict]:
    return [{"id": f"S{i:02d}", "role": "supplier", "premises": 10000} for i in range(n)]


def test_cio_capacity_below_the_offered_load_pushes_fieldwork_past_the_due_date():
    """Offered load = parties x mean CIO team-days per party-year; below it the queue grows and fieldwork
    moves past the 12-month date. Small Suppliers cycle Full, Verification, Self (seed table). Read as booked
    (seed s.7) that is a capacity finding, not lateness; read as started, the same waits are late."""
    n = 40
    scenario = scenario_from(FIVE_PARTIES, parties=_small_suppliers(n), regimes=["secmp0044"], ssc={"items_per_meeting": n})
    d = scenario.durations
    team_days = {k: (d.fieldwork_days.of(k).mean + d.report_days.of(k).mean) * 7 / 5 for k in ("full", "verification", "self")}
    load = n * sum(team_days.values()) / 3 / 365  # teams busy on average
    assert 1 < load < 2
    cut = math.floor(load)
    ample = n

    def with_teams(teams, **changes):
        varied = scenario.model_copy(update={"cio": scenario.cio.model_copy(update={"teams": teams}), **changes})
        return run(varied, progress=False).tables["assessments"]

    ample_run, cut_run = with_teams(ample), with_teams(cut)
    assert ample_run.late.sum() == 0 and (ample_run.pushed_past_due == True).sum() == 0  # noqa: E712
    pushed = (cut_run.pushed_past_due == True).sum()  # noqa: E712
    assert pushed > n, f"with {cut} team(s) for a load of {load:.2f}, expected widespread waits past the due date, got {pushed}"
    assert cut_run.late.sum() == 0, "booked in time: not a breach (seed s.7)"
    started = with_teams(cut, readings=scenario.readings.model_copy(update={"due_requirement": "started"}))
    assert started.late.sum() == pushed, "the same waits, read as 'fieldwork started by the due date'"


def test_same_scenario_and_seed_give_identical_tables():
    s = scenario_from(FIVE_PARTIES, deterministic=False, replications=3)
    a, b = run(s, progress=False), run(s, progress=False)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])


def test_a_different_seed_gives_different_draws():
    s = scenario_from(FIVE_PARTIES, deterministic=False)
    a, b = run(s, seed=1, progress=False), run(s, seed=2, progress=False)
    assert not a.tables["assessments"].cio_days.equals(b.tables["assessments"].cio_days)


def test_regimes_share_the_duration_draws():
    """Common random numbers: a party's k-th annual assessment sees the same draws in every regime,
    whatever happened to other parties or in Follow-ups (NET-1 and OTH-1 have the same cycle in both)."""
    s = scenario_from(FIVE_PARTIES, deterministic=False, replications=3)
    table = run(s, progress=False).tables["assessments"]
    table = table[table.trigger != "ssc_request"]
    for party in ("NET-1", "OTH-1"):
        rows = table[table.party_id == party]
        by_regime = [g.sort_values("fieldwork_start").cio_days.to_numpy() for _, g in rows.groupby(["replication", "regime"])]
        for pre, new in zip(by_regime[::2], by_regime[1::2], strict=True):
            n = min(len(pre), len(new))
            assert n >= 5 and (pre[:n] == new[:n]).all(), party


def test_draws_stay_aligned_when_the_regimes_choose_different_types():
    """SUP-S is Full every year before SECMP0044 and Full, Verification, Self after: its fourth
    assessment is a Full in both and must see the same draws, differing only by the SRP part (3 days)."""
    s = scenario_from(FIVE_PARTIES, deterministic=False, replications=3)
    table = run(s, progress=False).tables["assessments"]
    rows = table[(table.party_id == "SUP-S") & (table.trigger != "ssc_request")]
    for _, rep in rows.groupby("replication"):
        pre = rep[rep.regime == "pre-secmp0044"].sort_values("fieldwork_start").iloc[3]
        new = rep[rep.regime == "secmp0044"].sort_values("fieldwork_start").iloc[3]
        assert (pre.type, new.type) == ("full", "full")
        assert (pre.includes_srp_scope, new.includes_srp_scope) == (True, False)
        assert pre.cio_days - new.cio_days == pytest.approx(3.0, abs=1e-3)


def test_srp_without_users_pauses_and_restarts_with_an_entry_full():
    """SECMP0044 (a): an SRP is assessed while it serves Users; with none it stops, and starts again
    with an entry Full when a User joins (here after a 16-month gap)."""
    parties = [
        {"id": "SRP-1", "role": "srp"},
        {"id": "A", "role": "supplier", "premises": 50000, "srp": "SRP-1", "entry": "2018-01-01", "exit": "2019-02-01"},
        {"id": "B", "role": "supplier", "premises": 50000, "srp": "SRP-1", "entry": "2020-06-01"},
    ]
    table = assessments(FIVE_PARTIES, parties=parties, regimes=["secmp0044"])
    srp = table[table.party_id == "SRP-1"].sort_values("fieldwork_start")
    assert list(zip(srp.trigger, srp.fieldwork_start, strict=True))[:3] == [
        ("entry", "2018-01-01"),
        ("annual", "2019-01-01"),
        ("entry", "2020-06-01"),
    ]


def test_seed_s2_an_srp_part_adds_its_write_up_to_a_clients_report_only_where_the_scenario_says(five_party_assessments):
    """The SRP part in a client's assessment adds fieldwork (``srp_scope_days``) and, if the scenario says so, report
    writing (``srp_scope_report_days``: the seed's "duplication of the User CIO's observations", s.2 issue (a), may be
    written up each time); none by default. It lengthens the CIO's hold and the cost of exactly the assessments with
    the part in scope, and no other."""
    writing = {"full": 3, "verification": 2, "self": 1, "follow_up": 1}
    tables = run(scenario_from(FIVE_PARTIES, durations={"srp_scope_report_days": writing}), progress=False).tables
    key = ["regime", "assessment_id"]
    before, after = (t.set_index(key).sort_index() for t in (five_party_assessments, tables["assessments"]))
    assert before.index.equals(after.index)
    part = before.includes_srp_scope.astype(bool)
    assert part.any() and not part.all()
    added = after.cio_days - before.cio_days
    assert (added[~part] == 0).all(), "an assessment without the part is as it was"
    assert added[part].round(9).tolist() == before[part].type.map(writing).astype(float).tolist()

    def writing_days(t: pd.DataFrame) -> pd.Series:  # the team writes for longer: its report comes later
        return pd.to_datetime(t.report_date) - pd.to_datetime(t.fieldwork_end)

    assert (writing_days(after)[part] > writing_days(before)[part]).all()


def test_an_srps_own_assessment_is_sized_as_a_users_unless_the_scenario_sizes_it(five_party_assessments):
    """SECMP0044 (a) gives the SRP an assessment of its own; how big it is, the seed does not say (an SRP "treated as if
    they were a User", s.7; its part took ``srp_scope_days`` inside each client's before). By default the User's size;
    ``durations.srp_own_fieldwork_days`` and ``costs.srp_own_preparation_days`` size it apart, and only it."""
    full = {"full": 3, "verification": 2, "self": 1, "follow_up": 1}
    sized = scenario_from(
        FIVE_PARTIES,
        durations={"srp_own_fieldwork_days": full},
        costs={"srp_own_preparation_days": {"full": 5, "verification": 3, "self": 2, "follow_up": 1}},
    )
    tables = run(sized, progress=False).tables
    before, after = five_party_assessments.query("regime == 'secmp0044'"), tables["assessments"].query("regime == 'secmp0044'")
    report_full = sized.durations.report_days.full.mean  # a deterministic run takes each duration's mean
    srp_before, srp_after = (t.query("party_id == 'SRP-1'") for t in (before, after))
    assert set(srp_after.cio_days) == {3 + report_full} and set(srp_before.cio_days) != {3 + report_full}
    users = "party_id != 'SRP-1'"
    assert after.query(users).cio_days.tolist() == before.query(users).cio_days.tolist(), "the Users' own are as they were"
    costs = tables["costs"].query("regime == 'secmp0044' and payer_id == 'SRP-1' and component == 'preparation'")
    assert set(costs.cost_gbp) == {5 * 600.0}
