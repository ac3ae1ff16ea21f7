"""From a replication's records to tidy rows (``tables``, ``crossings``), and from rows to answers: horizon and
yearly totals with paired differences (``summary``), cost over time and present values (``appraisal``), and
the calibration of the generated GB world against public figures and the seed (``calibration``).

May import: ``sim.core``, ``sim.law``, ``sim.inputs``, ``sim.industry``, ``sim.model``.
"""
