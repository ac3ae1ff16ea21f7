"""What the Working Group reads: charts drawn from tables only (``charts``), the self-contained HTML report
(``page``), the assumptions with their sources and the STRESS-DES checklist.

May import: the rooms below it: ``sim.core`` to ``sim.designs``.
"""
