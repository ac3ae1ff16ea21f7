"""The industry a replication simulates: explicit and generated parties, their customers and what the 250,000
test counts under each reading, SRP membership and aggregates, and the market's events, drawn from named
streams independent of the regime and of the horizon's length.

May import: ``sim.core``, ``sim.law``, ``sim.inputs``.
"""
