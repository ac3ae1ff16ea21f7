"""The SimPy model: one (scenario, regime, seed, replication) → records, and nothing else: party lifecycles
(``lifecycle``, stepped on SimPy's queue as ``wakes``), how a party plans its next assessment (``planning``), the
User CIO's teams (``cio``), the SSC's meetings (``ssc``), what an assessment costs (``costs``) and the records they
leave (``records``).

May import: ``sim.core``, ``sim.law``, ``sim.inputs``, ``sim.industry``.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict

from ..core.streams import Draws, Streams
from ..core.timeline import Timeline
from ..industry.parties import Industry, build as build_industry
from ..inputs.scenario import Scenario
from ..law.regime import Regime
from .lifecycle import Model
from .records import Assessment, Records


def timeline_of(scenario: Scenario) -> Timeline:
    """The scenario's model clock: one object for every replication of a scenario, so that the days, dates and month
    shifts it keeps (``Timeline.add_months``) are worked out once per process, not once per replication."""
    return _timeline(scenario.start, scenario.end)


@functools.lru_cache(maxsize=16)
def _timeline(start: dt.date, end: dt.date) -> Timeline:
    return Timeline(start, end)


_INDUSTRIES: OrderedDict[tuple[str, int, int], Industry] = OrderedDict()
"""The last few replications' industries in this process: every regime of a replication shares one."""


def industry_of(scenario: Scenario, seed: int, replication: int) -> Industry:
    """The replication's industry, drawn once and shared by its regimes (it does not depend on the regime).

    Building it again would give the same industry (named streams), so the cache changes no number.
    """
    key = (_digest(scenario), seed, replication)
    found = _INDUSTRIES.get(key)
    if found is None:
        found = build_industry(scenario, timeline_of(scenario), Streams(seed, replication, scenario.deterministic))
        _INDUSTRIES[key] = found
        if len(_INDUSTRIES) > 8:
            _INDUSTRIES.popitem(last=False)
    return found


_DIGESTS: OrderedDict[int, tuple[Scenario, str]] = OrderedDict()
"""The last few scenarios' digests by identity (a scenario is frozen), each kept alive with its digest so that its
identity is not reused: every regime of every replication asks, and a digest dumps the whole scenario."""


def _digest(scenario: Scenario) -> str:
    found = _DIGESTS.get(id(scenario))
    if found is None or found[0] is not scenario:
        found = _DIGESTS[id(scenario)] = (scenario, scenario.digest())
        if len(_DIGESTS) > 8:
            _DIGESTS.popitem(last=False)
    return found[1]


_DRAWS = threading.local()
"""Per thread (a Dask worker may run tasks on several), the last few replications' uniforms: every regime of a
replication reads the same draws, so each stream is seeded once per replication, not once per regime."""


def draws_of(seed: int, replication: int) -> Draws:
    """The uniforms of a replication's event loop, shared by its regimes (and by the points of a sweep)."""
    cache: OrderedDict[tuple[int, int], Draws] = getattr(_DRAWS, "cache", None) or OrderedDict()
    _DRAWS.cache = cache
    found = cache.get((seed, replication))
    if found is None:
        found = cache[(seed, replication)] = {}
        if len(cache) > 8:
            cache.popitem(last=False)
    return found


def simulate(
    scenario: Scenario,
    regime: Regime,
    seed: int,
    replication: int,
    industry: Industry | None = None,
) -> tuple[Records, Model]:
    """Run one replication of one regime; a pure function of its arguments."""
    industry = industry or industry_of(scenario, seed, replication)
    streams = Streams(seed, replication, scenario.deterministic, draws_of(seed, replication))
    model = Model(scenario, regime, industry, streams)
    return model.run(), model


__all__ = ["Assessment", "Model", "Records", "industry_of", "simulate", "timeline_of"]
