"""Foundations every room shares and none of the domain: one-line input errors, the model clock, named random
streams, duration distributions, the scenario schema's shared types, and a command's lifetime (signals, the
parent's death).

May import: nothing of secsim outside ``sim.core``.
"""
