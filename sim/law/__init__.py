"""The Smart Energy Code as data and pure rules: the regimes' dated parameters with their SEC references
(``regimes/*.yaml``, ``regime``) and the decisions of SEC G8 as functions of a regime snapshot (``rules``:
bands, cycles, scope, due dates, lateness, the transition moment). No SimPy, no files but the shipped regimes.

May import: ``sim.core``.
"""
