"""Experimental designs over a scenario's parameters: grids and Latin hypercubes (``sweep``) and SALib's Morris
and Sobol' analyses of its ``uncertain:`` parameters (``sensitivity``), break-evens over one parameter with the swing of
the uncertain ones (``breakeven``), each one tidy result set, read back for its report (``folders``).

May import: the rooms below it: ``sim.core`` to ``sim.results``.
"""
