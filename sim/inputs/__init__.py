"""Scenario files, before anything runs: YAML read safely and within bounds, ``extends:`` chains, the scenario
schema with every default, unit and source, and values named by dotted path for sweeps.

May import: ``sim.core``, ``sim.law``.
"""
