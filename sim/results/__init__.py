"""Result sets on disk: folders secsim owns (``outdir``), tables, summaries and the manifest written atomically
(``output``), and a finished result folder read back and checked (``result_set``).

May import: the rooms below it: ``sim.core`` to ``sim.experiment``.
"""
