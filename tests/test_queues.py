"""Tests by intent: validation (queueing limits).

The model's two queues driven directly with tiny SimPy harnesses and compared with closed
forms: the User CIO reduced to M/M/c against Erlang C, and the SSC's capped, FIFO meetings
against the hand calculation of which meeting reviews each item.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
import simpy
from hypothesis import given, settings, strategies as st
from scipy import stats

from sim.core.timeline import Timeline
from sim.model.cio import UserCio
from sim.model.ssc import Ssc, meeting_days

# -- (a) the User CIO as M/M/c ----------------------------------------------------------------


def erlang_c(c: int, a: float) -> float:
    """P(an arrival waits) in M/M/c with offered load a = lambda/mu, via Erlang B = Poisson pmf/cdf."""
    b = stats.poisson.pmf(c, a) / stats.poisson.cdf(c, a)
    rho = a / c
    return float(b / (1.0 - rho * (1.0 - b)))


def test_erlang_c_closed_form_matches_the_textbook_sum():
    """The scipy route equals the explicit sum formula (so the reference itself is checked)."""
    c, a = 3, 2.1
    top = a**c / math.factorial(c) * c / (c - a)
    textbook = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    assert erlang_c(c, a) == pytest.approx(textbook, rel=1e-12)


def mmc_waits(teams: int, arrival_rate: float, service_rate: float, customers: int, seed: int) -> np.ndarray:
    """Waits in queue (service start - arrival) of Poisson arrivals with exponential service at a UserCio."""
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1.0 / arrival_rate, customers)
    services = rng.exponential(1.0 / service_rate, customers)
    env = simpy.Environment()
    cio = UserCio(env, teams=teams, lead_days=0.0)
    waits = np.full(customers, np.nan)
    held = np.full(customers, np.nan)

    def customer(i: int, arrived: float):
        start, _, done = cio.book(services[i], 0.0)
        yield env.timeout(done - env.now)
        waits[i], held[i] = start - arrived, done - start

    def arrivals():
        for i in range(customers):
            yield env.timeout(gaps[i])
            env.process(customer(i, env.now))

    env.process(arrivals())
    env.run()
    assert not np.isnan(waits).any(), "every customer was served"
    assert np.allclose(held, services), "a team is held for exactly the service time"
    assert len(cio.busy) == customers
    return waits


def test_user_cio_mean_wait_matches_erlang_c():
    """M/M/3 at rho = 0.7: P(wait) = C(3, 2.1) = 0.4923 and Wq = C / (c mu - lambda) = 0.5470.

    Tolerances. Waits in a queue are strongly autocorrelated, so n customers are worth far
    fewer independent ones. Over 120 seeds at exactly this n (49,000 after a 1,000-customer
    warm-up from an empty system) the relative error had sd 1.5% for P(wait) and 4.5% for the
    mean wait (max 3.7% and 15.7%). The tolerances are ~4 sd: 6% and 18%. A few percent on the
    mean would need ~10x the customers (> 10 s). Both still separate neighbouring capacities by
    far: with 4 teams C = 0.20 and Wq = 0.10; with 2 the queue is unstable (rho = 1.05).
    """
    teams, mu = 3, 1.0
    lam = 0.7 * teams * mu
    c_prob = erlang_c(teams, lam / mu)
    wq = c_prob / (teams * mu - lam)
    waits = mmc_waits(teams, lam, mu, customers=50_000, seed=20180511)[1_000:]
    assert (waits >= 0).all()
    assert (waits > 0).mean() == pytest.approx(c_prob, rel=0.06)
    assert waits.mean() == pytest.approx(wq, rel=0.18)


def resource_starts(teams: int, arrivals: list[float], holds: list[float]) -> list[float]:
    """The reference: each booking requests a ``simpy.Resource`` of ``teams`` at its arrival and holds it."""
    env = simpy.Environment()
    resource = simpy.Resource(env, capacity=teams)
    starts = [math.nan] * len(arrivals)

    def booking(i: int):
        yield env.timeout(arrivals[i])
        with resource.request() as slot:
            yield slot
            starts[i] = env.now
            yield env.timeout(holds[i])

    for i in range(len(arrivals)):
        env.process(booking(i))
    env.run()
    return starts


@settings(max_examples=60, deadline=None)
@given(teams=st.integers(1, 4), jobs=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), min_size=1, max_size=40))
def test_user_cio_starts_equal_a_simpy_resource(teams, jobs):
    """The CIO computes each start as max(arrival, earliest free team) instead of simulating a resource:
    on whole-day arrivals and holds (ties included, zero holds included) every start is the one a
    FIFO ``simpy.Resource`` gives when bookings arrive in order."""
    jobs = sorted(jobs, key=lambda job: job[0])  # bookings reach the CIO in time order, as in the model
    arrivals, holds = [float(a) for a, _ in jobs], [float(h) for _, h in jobs]
    env = simpy.Environment()
    cio = UserCio(env, teams=teams, lead_days=0.0)
    starts = [math.nan] * len(jobs)

    def booking(i: int):
        yield env.timeout(arrivals[i])
        starts[i], _, done = cio.book(holds[i], 0.0)
        yield env.timeout(done - env.now)

    for i in range(len(jobs)):
        env.process(booking(i))
    env.run()
    assert starts == resource_starts(teams, arrivals, holds)


# -- (b) the SSC: capped FIFO meetings ---------------------------------------------------------

MEETINGS = [10.0, 24.0, 38.0, 52.0, 66.0, 80.0, 94.0]


def run_ssc(submissions: list[tuple[float, str]], capacity: int, papers_lead: float, days: list[float] = MEETINGS):
    """Submit each item for its day at the start (as the model does once a report is written); return the SSC
    after every meeting, and each item's decision with the day it was heard."""
    env = simpy.Environment()
    decided: dict[str, tuple[str, float]] = {}
    ssc = Ssc(
        env,
        days,
        capacity,
        papers_lead,
        decide=lambda item: f"approved:{item}",
        on_status=lambda item, status: decided.__setitem__(item, (status, env.now)),
    )
    for day, item in sorted(submissions):
        ssc.submit(item, day)
    env.run(until=days[-1] + 1)
    return ssc, decided


@pytest.mark.parametrize("n,capacity", [(1, 1), (7, 3), (9, 3), (10, 4), (12, 2), (5, 10)])
def test_ssc_reviews_item_k_at_meeting_ceil_k_over_c(n, capacity):
    """All N items before the first meeting: item k (1-based, FIFO) is reviewed at meeting ceil(k/c)."""
    items = [f"I{k:02d}" for k in range(1, n + 1)]
    ssc, decided = run_ssc([(0.0, item) for item in items], capacity, papers_lead=7)
    reviewed_at = {item: day for item, _, day in ssc.items}
    assert [item for item, _, _ in ssc.items] == items, "FIFO order"
    for k, item in enumerate(items, start=1):
        assert reviewed_at[item] == MEETINGS[math.ceil(k / capacity) - 1]
        assert decided[item] == (f"approved:{item}", reviewed_at[item])


@pytest.mark.parametrize("n,capacity", [(7, 3), (12, 2), (5, 10)])
def test_ssc_backlog_per_meeting_equals_the_closed_form(n, capacity):
    """Meeting m: arrived N at m = 1 else 0; reviewed min(c, N - (m-1)c)+; backlog (N - mc)+; none pending."""
    ssc, _ = run_ssc([(0.0, f"I{k}") for k in range(n)], capacity, papers_lead=7)
    expected = [
        (day, n if m == 1 else 0, max(0, min(capacity, n - (m - 1) * capacity)), max(0, n - m * capacity), 0)
        for m, day in enumerate(MEETINGS, start=1)
    ]
    assert ssc.meetings == expected


def test_ssc_item_inside_the_papers_lead_waits_for_the_next_meeting():
    """Papers are due papers_lead days before a meeting: on the cut-off is in time, a moment later is not."""
    lead = 7.0
    cutoff = MEETINGS[0] - lead
    ssc, _ = run_ssc(
        [(cutoff, "on-time"), (cutoff + 0.5, "late-papers"), (MEETINGS[0] - 0.1, "eve")], capacity=10, papers_lead=lead
    )
    reviewed_at = {item: day for item, _, day in ssc.items}
    assert reviewed_at == {"on-time": MEETINGS[0], "late-papers": MEETINGS[1], "eve": MEETINGS[1]}
    first, second = ssc.meetings[0], ssc.meetings[1]
    assert first == (MEETINGS[0], 3, 1, 0, 2), "two arrived but not yet eligible"
    assert second == (MEETINGS[1], 0, 2, 0, 0)


def test_ssc_with_no_papers_lead_reviews_an_item_submitted_on_the_meeting_day():
    """With ``papers_lead_days: 0`` the cut-off is the meeting day itself, and on the cut-off is in time."""
    ssc, decided = run_ssc([(MEETINGS[0], "same-day"), (MEETINGS[0] + 0.5, "next")], capacity=10, papers_lead=0.0)
    assert {item: day for item, _, day in ssc.items} == {"same-day": MEETINGS[0], "next": MEETINGS[1]}
    assert decided["same-day"] == ("approved:same-day", MEETINGS[0])
    assert ssc.meetings[0] == (MEETINGS[0], 1, 1, 0, 0)


def test_ssc_late_papers_do_not_jump_a_full_meeting_queue():
    """FIFO with the cap: an eligible backlog is served before later, ineligible arrivals, and the
    cap counts only reviewed items."""
    lead = 7.0
    subs = [(0.0, f"early{k}") for k in range(3)] + [(MEETINGS[0] - 1.0, "late")]
    ssc, _ = run_ssc(subs, capacity=2, papers_lead=lead)
    reviewed_at = {item: day for item, _, day in ssc.items}
    assert reviewed_at == {"early0": MEETINGS[0], "early1": MEETINGS[0], "early2": MEETINGS[1], "late": MEETINGS[1]}
    assert ssc.meetings[0] == (MEETINGS[0], 4, 2, 1, 1)


# -- (c) the SSC calendar -----------------------------------------------------------------------


def test_meeting_days_are_twice_a_month_on_the_configured_days():
    timeline = Timeline(dt.date(2018, 1, 1), dt.date(2020, 1, 1))
    days = meeting_days(timeline, [8, 22], timeline.horizon)
    dates = [timeline.date(d) for d in days]
    assert len(dates) == 48
    assert {d.day for d in dates} == {8, 22}
    per_month: dict[tuple[int, int], int] = {}
    for d in dates:
        per_month[(d.year, d.month)] = per_month.get((d.year, d.month), 0) + 1
    assert set(per_month.values()) == {2} and len(per_month) == 24
    assert days == sorted(days) and len(set(days)) == len(days)
    assert dates[0] == dt.date(2018, 1, 8) and dates[-1] == dt.date(2019, 12, 22)


def test_meeting_days_start_mid_month_skip_past_days_and_sort_the_configured_days():
    """A start on the 10th drops that month's 8th; days given out of order still come out in date order."""
    timeline = Timeline(dt.date(2018, 3, 10), dt.date(2018, 6, 10))
    days = meeting_days(timeline, [22, 5], timeline.day(dt.date(2018, 5, 22)))
    assert [timeline.date(d) for d in days] == [
        dt.date(2018, 3, 22),
        dt.date(2018, 4, 5),
        dt.date(2018, 4, 22),
        dt.date(2018, 5, 5),
        dt.date(2018, 5, 22),
    ]
    assert all(d >= 0 for d in days)


def test_meeting_days_cross_the_year_end():
    timeline = Timeline(dt.date(2018, 11, 1), dt.date(2019, 3, 1))
    days = meeting_days(timeline, [1, 15], timeline.day(dt.date(2019, 2, 28)))
    assert [timeline.date(d) for d in days] == [
        dt.date(2018, 11, 1),
        dt.date(2018, 11, 15),
        dt.date(2018, 12, 1),
        dt.date(2018, 12, 15),
        dt.date(2019, 1, 1),
        dt.date(2019, 1, 15),
        dt.date(2019, 2, 1),
        dt.date(2019, 2, 15),
    ]
