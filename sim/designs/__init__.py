"""Experimental designs over a scenario's parameters: grids and Latin hypercubes (``sweep``) and SALib's Morris
and Sobol' analyses of its ``uncertain:`` parameters (``sensitivity``), each one tidy result set.

May import: the rooms below it: ``sim.core`` to ``sim.results``.
"""
