"""Replications of every regime on common random numbers, on any executor (serial, processes, Dask), through
a cache that resumes an interrupted run: ``runner`` maps, ``executors`` open pools, ``cache`` stores,
``collector`` keeps the garbage collector out of the way.

May import: the rooms below it: ``sim.core`` to ``sim.analysis``.
"""
