"""The SimPy model: one (scenario, regime, seed, replication) → records, and nothing else."""

from __future__ import annotations

from ..industry import Industry
from ..industry import build as build_industry
from ..regime import Regime
from ..scenario import Scenario
from ..streams import Streams
from ..timeline import Timeline
from .lifecycle import Model
from .records import Assessment, Records


def timeline_of(scenario: Scenario) -> Timeline:
    """The scenario's model clock."""
    return Timeline(scenario.start, scenario.end)


def simulate(
    scenario: Scenario,
    regime: Regime,
    seed: int,
    replication: int,
    industry: Industry | None = None,
) -> tuple[Records, Model]:
    """Run one replication of one regime; a pure function of its arguments."""
    streams = Streams(seed, replication, scenario.deterministic)
    industry = industry or build_industry(scenario, timeline_of(scenario), streams)
    model = Model(scenario, regime, industry, streams)
    return model.run(), model


__all__ = ["Assessment", "Model", "Records", "simulate", "timeline_of"]
