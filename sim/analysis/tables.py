"""Records → tidy tables (DESIGN.md principle 5): one row per assessment, SSC item, meeting,
cost component, threshold crossing, and per year × metric. Framed once per run, never in the
event loop. Every column is documented in docs/reference/outputs.md.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pandas as pd

from ..core.timeline import Timeline
from ..law.rules import due_reference
from ..model import Model, Records
from ..model.costs import PAYER_ROLES, ROW_ORDER, cost_rows
from .crossings import threshold_crossings
from .yearly import yearly_rows

ASSESSMENT_COLUMNS = [
    "regime",
    "replication",
    "party_id",
    "role",
    "type",
    "fieldwork_start",
    "fieldwork_end",
    "premises_counted",
    "band",
    "srp_id",
    "includes_srp_scope",
    "cio_days",
    "cost_gbp",
    "late",
    "assessment_id",
    "trigger",
    "cycle_year",
    "determination_date",
    "requested_start",
    "report_date",
    "submitted_date",
    "status_date",
    "status",
    "premises_own",
    "cio_wait_days",
    "ssc_wait_days",
    "due_date",
    "due_requirement",
    "days_late",
    "report_copies",
    "follow_up_of",
    "user_entry_date",
    "mandate_date",
    "missed_mandate",
    "count_measure",
    "pushed_past_due",
    "retimed",
    "aggregate_of",
]
MEETING_COLUMNS = ["regime", "replication", "meeting_date", "arrived", "reviewed", "backlog_after", "not_yet_eligible"]
ITEM_COLUMNS = [
    "regime",
    "replication",
    "assessment_id",
    "party_id",
    "role",
    "type",
    "includes_srp_scope",
    "submitted_date",
    "meeting_date",
    "wait_days",
    "status",
]
COST_COLUMNS = ["regime", "replication", "assessment_id", "party_id", "year", "component", "payer_id", "payer_role", "cost_gbp"]
CROSSING_COLUMNS = [
    "regime",
    "replication",
    "party_id",
    "role",
    "date",
    "basis",
    "premises_counted",
    "threshold",
    "band_from",
    "band_to",
    "next_assessment_type",
    "next_fieldwork_start",
    "next_within_12_months",
    "count_measure",
    "aggregate_of",
]
YEARLY_COLUMNS = ["regime", "replication", "year", "metric", "role", "type", "value"]
EVENT_COLUMNS = ["regime", "replication", "date", "event", "party_id", "other", "customers"]
TABLES = ("assessments", "ssc_meetings", "ssc_items", "costs", "crossings", "yearly", "events")


def _date(t: Timeline, day: float | None) -> str:
    return "" if day is None or math.isnan(day) else t.iso(day)


def _r(x: float) -> float:
    return round(x, 4)


def replication_rows(regime: str, replication: int, records: Records, model: Model) -> dict[str, list[tuple]]:
    """All rows one (regime, replication) contributes to each table."""
    t = model.timeline
    aid = _assessment_ids(records)
    priced = cost_rows(model.scenario.costs, records.reviewed())
    cost_of = np.bincount(priced.seq, weights=priced.gbp, minlength=len(records.assessments)).tolist()  # in row order
    by_seq = records.assessments  # seq is the index: records are appended as booked
    costs = [
        (regime, replication, aid[seq], by_seq[seq].party_id, t.date(by_seq[seq].fieldwork_start).year)
        + (ROW_ORDER[component], payer, PAYER_ROLES[role], _r(gbp))
        for seq, component, payer, role, gbp in zip(
            *(column.tolist() for column in (priced.seq, priced.component, priced.payer_id, priced.payer_role, priced.gbp)),
            strict=True,
        )
    ]
    for day, component, payer, payer_role, gbp in records.one_offs:  # a regime's own one-off costs (seed s.5)
        costs.append((regime, replication, "", payer, t.date(day).year, component, payer, payer_role, _r(gbp)))
    wait_of = {seq: reviewed - submitted for seq, submitted, reviewed in records.items}

    assessments = []
    actors = model.industry.actors
    for a in records.assessments:
        mandate = actors[a.party_id].mandate_day if a.trigger == "entry" else None
        days_late = 0.0
        if a.due_day is not None and a.late:
            days_late = due_reference(a.due_requirement, a.determination_day, a.fieldwork_start, a.fieldwork_end) - a.due_day
        assessments.append(
            (
                regime,
                replication,
                a.party_id,
                a.role,
                a.type,
                _date(t, a.fieldwork_start),
                _date(t, a.fieldwork_end),
                a.premises_counted,
                a.band,
                a.srp_id or "",
                a.includes_srp_scope,
                _r(a.cio_days),
                _r(cost_of[a.seq]),
                a.late,
                aid[a.seq],
                a.trigger,
                a.cycle_year,
                _date(t, a.determination_day),
                _date(t, a.requested_day),
                _date(t, a.report_day),
                _date(t, a.submitted_day),
                _date(t, a.status_day),
                a.status,
                a.premises_own,
                _r(a.fieldwork_start - a.requested_day),
                _r(wait_of.get(a.seq, math.nan)),
                _date(t, a.due_day),
                a.due_requirement if a.due_day is not None else "",
                _r(days_late),
                a.report_copies,
                aid[a.follow_up_of] if a.follow_up_of is not None else "",
                _date(t, a.closed_day) if a.trigger == "entry" else "",
                _date(t, mandate),
                "" if mandate is None else bool(math.isnan(a.closed_day) or a.closed_day > mandate),
                a.count_measure,
                a.pushed_past_due if a.due_day is not None else "",
                a.retimed,
                a.aggregate_of,
            )
        )
    items = [
        (
            regime,
            replication,
            aid[seq],
            by_seq[seq].party_id,
            by_seq[seq].role,
            by_seq[seq].type,
            by_seq[seq].includes_srp_scope,
            _date(t, submitted),
            _date(t, reviewed),
            _r(reviewed - submitted),
            by_seq[seq].status,
        )
        for seq, submitted, reviewed in records.items
    ]
    last_status = max((a.status_day for a in records.assessments if not math.isnan(a.status_day)), default=0.0)
    meetings = [(regime, replication, _date(t, day), *rest) for day, *rest in records.meetings if day <= last_status]

    crossings = []
    annual = sorted((a for a in records.assessments if a.trigger != "ssc_request"), key=lambda a: a.determination_day)
    for party, role, day, basis, counted, threshold, band_from, band_to, measure, of in threshold_crossings(
        model.industry, model.rules_at, model.change_days, model.horizon
    ):
        nxt = next((a for a in annual if a.party_id == party and a.determination_day >= day), None)
        within = "" if nxt is None else nxt.fieldwork_start <= t.add_months(day, 12)
        crossings.append(
            (
                regime,
                replication,
                party,
                role,
                _date(t, day),
                basis,
                counted,
                threshold,
                band_from,
                band_to,
                nxt.type if nxt else "",
                _date(t, nxt.fieldwork_start) if nxt else "",
                within,
                measure,
                of,
            )
        )

    yearly = yearly_rows(regime, replication, records, model, priced)
    events = [
        (regime, replication, _date(t, day), kind, party, other, n)
        for day, kind, party, other, n in model.industry.events
        if day < t.horizon
    ]
    return {
        "assessments": assessments,
        "ssc_meetings": meetings,
        "ssc_items": items,
        "costs": costs,
        "crossings": crossings,
        "yearly": yearly,
        "events": events,
    }


def _assessment_ids(records: Records) -> dict[int, str]:
    """``PARTY#k``: the k-th assessment booked for a party."""
    counters: dict[str, int] = defaultdict(int)
    out = {}
    for a in records.assessments:
        counters[a.party_id] += 1
        out[a.seq] = f"{a.party_id}#{counters[a.party_id]}"
    return out


def frames(rows: dict[str, list[tuple]]) -> dict[str, pd.DataFrame]:
    """Frame every table once."""
    columns = {
        "assessments": ASSESSMENT_COLUMNS,
        "ssc_meetings": MEETING_COLUMNS,
        "ssc_items": ITEM_COLUMNS,
        "costs": COST_COLUMNS,
        "crossings": CROSSING_COLUMNS,
        "yearly": YEARLY_COLUMNS,
        "events": EVENT_COLUMNS,
    }
    return {name: pd.DataFrame(rows.get(name, []), columns=columns[name]) for name in TABLES}
