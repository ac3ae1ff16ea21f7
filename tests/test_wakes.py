"""A party process stepped as a ``Wake`` (a delay yielded as a float, no ``Timeout``; sim/model/wakes.py) is stepped
in exactly the order SimPy steps the same process as a ``simpy.Process`` yielding ``env.timeout``: the model's
assessment numbers, the CIO's first-come order and the SSC's queue all follow that order, so the golden tables
depend on it. Checked on random workloads with ties (zero and equal delays), waits on events other processes
succeed (pending and already processed), processes started from inside others, and the moment all have ended."""

from __future__ import annotations

from collections.abc import Generator

import pytest
import simpy
from hypothesis import given, settings, strategies as st

from sim.model.wakes import Ending, Wake

Step = tuple[str, float]
"""One step of a process: ("sleep", days), ("wait", signal index), ("fire", signal index) or ("spawn", days)."""

steps = st.lists(
    st.one_of(
        st.tuples(st.just("sleep"), st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0, 3.5])),
        st.tuples(st.just("wait"), st.integers(0, 2)),
        st.tuples(st.just("fire"), st.integers(0, 2)),
        st.tuples(st.just("spawn"), st.sampled_from([0.0, 1.0, 2.0])),
    ),
    max_size=8,
)


def trace(plans: list[list[Step]], lean: bool) -> list[tuple]:
    """What happened, in order, when ``plans`` run as Wakes (``lean``) or as SimPy processes."""
    env = simpy.Environment()
    log: list[tuple] = []
    signals = [env.event() for _ in range(3)]

    def sleep(days: float) -> object:
        return days if lean else env.timeout(days)

    def start(body: Generator, on_end: object = None) -> None:
        if lean:
            Wake(env, body, on_end)  # type: ignore[arg-type]
        else:
            env.process(body)

    def party(name: str, plan: list[Step]) -> Generator:
        log.append((env.now, name, "start"))
        for k, (what, arg) in enumerate(plan):
            if what == "sleep":
                yield sleep(arg)
            elif what == "wait":
                yield signals[int(arg)]
            elif what == "fire" and not signals[int(arg)].triggered:
                signals[int(arg)].succeed()
            elif what == "spawn":
                start(party(f"{name}.{k}", [("sleep", arg)]))
            log.append((env.now, name, k))

    def observer() -> Generator:  # another process, stepping among the parties' events at the same moments
        for _ in range(12):
            yield env.timeout(0.5)
            log.append((env.now, "observer"))

    env.process(observer())
    bodies = [party(f"p{i}", plan) for i, plan in enumerate(plans)]
    if lean:
        ending = Ending(env, len(bodies))
        for body in bodies:
            start(body, ending.one_ended)
        done = lambda: ending.done  # noqa: E731
    else:
        condition = env.all_of([env.process(body) for body in bodies])
        done = lambda: condition.processed  # noqa: E731
    while not done() and env.peek() != float("inf"):
        env.step()
    log.append((env.now, "all ended" if done() else "stuck"))
    return log


@settings(max_examples=300, deadline=None)
@given(st.lists(steps, max_size=6))
def test_wakes_step_in_simpys_order(plans):
    assert trace(plans, lean=True) == trace(plans, lean=False)


def test_the_end_of_every_process_comes_after_events_already_queued_for_that_moment():
    """As ``all_of`` does: the observer's step at 1.0 was queued before the last party ended at 1.0, so it comes first."""
    log = trace([[("sleep", 1.0)]], lean=True)
    assert log[-2:] == [(1.0, "observer"), (1.0, "all ended")]
    assert log == trace([[("sleep", 1.0)]], lean=False)


def test_no_process_ends_at_once():
    assert trace([], lean=True) == trace([], lean=False) == [(0.0, "all ended")]


def test_a_negative_delay_is_refused():
    env = simpy.Environment()

    def body() -> Generator:
        yield -1.0

    Wake(env, body())
    with pytest.raises(ValueError, match="negative delay"):
        env.step()


def test_a_whole_number_of_days_sleeps_as_a_float_does():
    env = simpy.Environment()
    woke: list[float] = []

    def body() -> Generator:
        yield 2
        woke.append(env.now)

    Wake(env, body())
    env.run()
    assert woke == [2.0]
