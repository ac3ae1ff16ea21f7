"""Records → the ``yearly`` table: per calendar year of the horizon, counts, CIO days and load, SSC throughput,
lateness and costs, by role and assessment type.

The only table the summaries need, so runs that keep no per-event rows build it alone, once per run of every
replication: worked out on whole arrays of the run's records (one ``np.bincount`` per metric) rather than
record by record. ``np.bincount`` adds its weights one by one in the order given, so each sum is the same
sequence of additions, and the same number, as adding the records up in the order they were made.
"""

from __future__ import annotations

import datetime as dt
import math
from itertools import chain
from operator import attrgetter

import numpy as np

from ..core.timeline import Timeline
from ..law.rules import TYPES
from ..model import Model, Records
from ..model.costs import PAYER_ROLES, CostRows, cost_rows

WHO = (*PAYER_ROLES, "all")
"""What a row's ``role`` may be: an assessed party's role, a payer's (``sim.model.costs.PAYER_ROLES``), or all."""
KINDS = (*TYPES, "all")
"""What a row's ``type`` may be: an assessment type, or all of them (one-off costs, SSC and CIO totals)."""
_WHO, _KIND = ({name: code for code, name in enumerate(names)} for names in (WHO, KINDS))


DECIMALS = 4
"""A yearly value's decimal places."""


def year_bounds(t: Timeline) -> list[tuple[int, float, float]]:
    """Each calendar year the horizon touches, with its first and end model days within the horizon."""
    out = []
    for year in t.years():
        lo = max(0.0, t.day(dt.date(year, 1, 1)))
        hi = min(t.horizon, t.day(dt.date(year + 1, 1, 1)))
        out.append((year, lo, hi))
    return out


def year_days(start: dt.date, end: dt.date) -> dict[int, float]:
    """Days of each calendar year from ``start`` to ``end`` (exclusive), as ``year_bounds`` splits a horizon: the weight of
    each year's CIO utilisation (``summary.run_totals``).

    >>> year_days(dt.date(2018, 7, 1), dt.date(2020, 7, 1))
    {2018: 184.0, 2019: 365.0, 2020: 182.0}
    """
    return {year: hi - lo for year, lo, hi in year_bounds(Timeline(start, end))}


class _Years:
    """Sums by (year, metric, role, type), each metric added in one pass over the records concerned."""

    def __init__(self, t: Timeline) -> None:
        self.bounds = year_bounds(t)
        self._starts = np.array([lo for _, lo, _ in self.bounds])
        self._horizon = t.horizon
        self.sums: dict[tuple[int, str, str, str], float] = {}

    def index(self, days: np.ndarray) -> np.ndarray:
        """The index in ``bounds`` of each day's calendar year, or -1 for a day outside the horizon (or NaN)."""
        inside = (days >= 0) & (days < self._horizon)
        return np.where(inside, np.searchsorted(self._starts, days, side="right") - 1, -1)

    def add(
        self, metric: str, year: np.ndarray, who: np.ndarray | int, kind: np.ndarray | int, weight: np.ndarray | None = None
    ) -> None:
        """``sums[(year, metric, role, type)] += weight`` (1 without weights) for every record in a year, in order
        (``who`` and ``kind``: codes in ``WHO`` and ``KINDS``, per record or for all)."""
        inside = year >= 0
        code = (year * len(WHO) + who) * len(KINDS) + kind
        count = np.bincount(code[inside], minlength=len(self.bounds) * len(WHO) * len(KINDS))
        total = count if weight is None else np.bincount(code[inside], weights=weight[inside], minlength=len(count))
        for c in np.flatnonzero(count).tolist():
            rest, k = divmod(c, len(KINDS))
            y, r = divmod(rest, len(WHO))
            self.sums[(self.bounds[y][0], metric, WHO[r], KINDS[k])] = float(total[c])


def yearly_rows(regime: str, rep: int, records: Records, model: Model, priced: CostRows | None = None) -> list[tuple]:
    """Per calendar year of the horizon: counts, CIO days and load, SSC throughput, lateness, costs (``priced``:
    the run's cost rows, if they are already worked out)."""
    years = _Years(model.timeline)
    found = records.assessments
    facts = ("role", "type", "party_id", "trigger", "closed_day", "fieldwork_start", "cio_days", "requested_day") + (
        "includes_srp_scope",
        "report_copies",
        "due_day",
        "late",
        "pushed_past_due",
    )
    columns = (
        dict(zip(facts, zip(*map(attrgetter(*facts), found), strict=True), strict=True)) if found else dict.fromkeys(facts, ())
    )

    def column(name: str) -> np.ndarray:
        return np.array(columns[name], dtype=float)

    role = np.array([_WHO[r] for r in columns["role"]], dtype=np.int64)
    kind = np.array([_KIND[k] for k in columns["type"]], dtype=np.int64)
    every, srp, all_kinds = _WHO["all"], _WHO["srp"], _KIND["all"]
    mandates = {a.id: a.mandate_day for a in model.industry.actors.values() if a.mandate_day is not None}
    mandate_day = np.array(
        [
            mandates.get(p, math.nan) if t == "entry" else math.nan
            for p, t in zip(columns["party_id"], columns["trigger"], strict=True)
        ],
        dtype=float,
    )
    closed = column("closed_day")
    in_year = np.where(np.isnan(mandate_day), -1, years.index(mandate_day))
    years.add("mandated_entries", in_year, role, kind)
    years.add("missed_mandate", in_year, role, kind, (np.isnan(closed) | (closed > mandate_day)).astype(float))

    start = column("fieldwork_start")
    held = years.index(start)  # the year of its fieldwork: what its costs count in too
    years.add("assessments", held, role, kind)
    years.add("cio_days", held, role, kind, column("cio_days"))
    years.add("cio_wait_days", held, every, all_kinds, start - column("requested_day"))
    srp_part = (role == srp) | np.array(columns["includes_srp_scope"], dtype=bool)
    years.add("srp_part_assessed", np.where(srp_part, held, -1), srp, kind)
    years.add("report_copies", held, role, kind, column("report_copies"))

    due = years.index(np.array(columns["due_day"], dtype=float))  # None (no due date) is NaN
    years.add("due", due, role, kind)
    years.add("late", due, role, kind, column("late"))
    years.add("pushed_past_due", due, role, kind, column("pushed_past_due"))

    priced = priced or cost_rows(model.scenario.costs, records.reviewed())  # then a regime's own one-offs (seed s.5)
    years.add(
        "cost_gbp",
        np.concatenate([held[priced.seq], years.index(np.array([day for day, *_ in records.one_offs], dtype=float))]),
        np.concatenate([priced.payer_role, np.array([_WHO[r] for *_, r, _ in records.one_offs], dtype=np.int64)]),
        np.concatenate([kind[priced.seq], np.full(len(records.one_offs), all_kinds, dtype=np.int64)]),
        np.concatenate([priced.gbp, np.array([gbp for *_, gbp in records.one_offs], dtype=float)]),
    )
    years.add("ssc_items", years.index(np.array([reviewed for *_, reviewed in records.items], dtype=float)), every, all_kinds)
    busy = np.fromiter(chain.from_iterable(records.cio_busy), dtype=float, count=2 * len(records.cio_busy)).reshape(-1, 2)
    lo, hi = (np.array([b[k] for b in years.bounds], dtype=float)[:, None] for k in (1, 2))
    taken = np.clip(np.minimum(busy[:, 1], hi) - np.maximum(busy[:, 0], lo), 0.0, None).sum(axis=1)  # a year a row
    for (year, lo_, hi_), backlog, held_days in zip(years.bounds, _backlogs(records, years), taken.tolist(), strict=True):
        if backlog is not None:
            years.sums[(year, "ssc_backlog_max", "all", "all")] = backlog
        years.sums[(year, "cio_utilisation", "all", "all")] = held_days / (model.cio.teams * (hi_ - lo_)) if hi_ > lo_ else 0.0
    return [(regime, rep, y, m, r, k, round(v, DECIMALS)) for (y, m, r, k), v in sorted(years.sums.items())]


def _backlogs(records: Records, years: _Years) -> list[float | None]:
    """Each year's largest backlog after a meeting (the first meeting's number where several tie; 0.0 where every
    meeting left none; None for a year without meetings)."""
    out: list[float | None] = [None] * len(years.bounds)
    meeting = years.index(np.array([day for day, *_ in records.meetings], dtype=float))
    for y, (_, _, _, backlog, _) in zip(meeting.tolist(), records.meetings, strict=True):
        if y >= 0:
            out[y] = max(0.0 if out[y] is None else out[y], backlog)
    return out
