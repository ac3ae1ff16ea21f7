"""The parties' processes, stepped by SimPy's own event queue without a ``Timeout`` per wait.

A party's process is a generator like a SimPy process's, which yields either a SimPy event to wait
on or a delay in days (a ``float``, or an ``int``) to sleep for. A ``simpy.Process`` makes each sleep a ``Timeout``
(an object, a schedule call, a resume through a general ``_resume``) and schedules an event of its
own at its end; here the process itself is the event put on the queue, with the entry SimPy would
give the ``Timeout``: (now + delay, NORMAL, the environment's next event id). So every event is
stepped in the order SimPy steps it (the golden tables check this), at about two thirds of the cost per wait
(0.62-0.65 of a ``Timeout``'s, measured with 200 processes sleeping 200 times each under ``env.run``).

The processes' end is what a ``Model`` run waits for: as ``env.all_of`` of SimPy processes, it is
processed two steps after the last one ends (its process's event, then the condition's), so events
of that moment already queued are stepped before the run stops, as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from heapq import heappush
from typing import Any

import simpy
from simpy.core import NORMAL, URGENT

Body = Generator[simpy.Event | float, object, object]
"""A party's process: yields a SimPy event to wait on, or a delay in days to sleep for."""


class Wake:
    """One party process, as the event SimPy's queue steps whenever it wakes (it is never an event to wait on)."""

    __slots__ = ("_body", "_env", "_on_end", "_queue", "_resumes", "callbacks")
    _ok = True  # what ``Environment.step`` asks of an event it has stepped
    _value = None  # what it sends the process on waking: nothing, as a ``Timeout`` does

    def __init__(self, env: simpy.Environment, body: Body, on_end: Callable[[], None] | None = None) -> None:
        self._env, self._body, self._on_end = env, body, on_end
        self._queue: list[Any] = env._queue
        self._resumes: list[Callable[[Any], None]] | None = [self._resume]
        self.callbacks: list | None = self._resumes
        entry: tuple[Any, ...] = (env.now, URGENT, next(env._eid), self)
        heappush(self._queue, entry)  # as ``Initialize`` is queued

    def _resume(self, event: simpy.Event | Wake) -> None:
        """Send the process what it waited for, and queue it again for what it yields next."""
        body, value = self._body, event._value
        while True:
            try:
                target = body.send(value)
            except StopIteration:
                self._resumes = None  # let go of itself: an ended run holds no cycle
                if self._on_end is not None:
                    self._on_end()
                return
            if type(target) is int:  # a whole number of days sleeps too (``env.now`` starts as the int 0; not a bool)
                target = float(target)
            if type(target) is float:
                if target < 0:
                    raise ValueError(f"negative delay {target}")
                self.callbacks = self._resumes
                env = self._env
                heappush(self._queue, (env._now + target, NORMAL, next(env._eid), self))
                return
            waited: simpy.Event = target  # type: ignore[assignment]  # not a float: a SimPy event
            if waited.callbacks is not None:  # not yet processed: resume when it is
                waited.callbacks.append(self._resume)
                return
            value = waited._value  # processed already: go on at once, as ``Process`` does


class Ending:
    """The moment every process of a set has ended, stepped as SimPy steps ``all_of`` their ``Process`` events."""

    __slots__ = ("_env", "_left", "callbacks", "done")
    _ok = True
    _value = None

    def __init__(self, env: simpy.Environment, processes: int) -> None:
        self._env, self._left, self.done = env, processes, False
        self.callbacks: list | None = None
        if processes == 0:  # an empty ``all_of`` succeeds at once
            self._queue(self._finish)

    def one_ended(self) -> None:
        """A process of the set has ended (``Process`` schedules its own event then)."""
        self._left -= 1
        if self._left == 0:
            self._queue(self._last_process)

    def _last_process(self, _: object) -> None:
        self._queue(self._finish)  # the condition, checked on the last process's event, succeeds

    def _finish(self, _: object) -> None:
        self.done = True

    def _queue(self, callback: Callable[[object], None]) -> None:
        env = self._env
        self.callbacks = [callback]
        queue: list[Any] = env._queue
        heappush(queue, (env._now, NORMAL, next(env._eid), self))
