"""What each assessment costs and who pays (DOMAIN.md 7).

Pure: a function of the assessments' facts and the scenario's unit costs, worked out once a run is over
for every assessment that got a status, on whole arrays (the event loop records no cost rows). Payers: the
assessed party pays the User CIO (G8.51; an SRP for its own assessment, SECMP0044 (b)); the SRP bears its
own effort when its part is assessed inside a client's assessment and when it copies its documents to its
Users (SECMP0044 (c)); SECAS and SSC time is paid by SEC Parties collectively ("secco"), each with more of it for
an item that re-assesses an SRP's part (the duplication SECMP0044 removes, seed s.2 issue (a), s.8 objective (g)).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..inputs.process_spec import Costs
from ..law import rules as R
from .records import Assessment

COMPONENTS = (
    "cio_charge",
    "preparation",
    "srp_preparation",
    "srp_response",
    "secas_admin",
    "ssc_review",
    "report_copies",
    "implementation",
)
"""Cost components; ``implementation`` is a regime's own one-off (``sim.law.regime.OneOff``), not an assessment's."""
ROW_ORDER = ("cio_charge", "preparation", "secas_admin", "ssc_review", "srp_preparation", "srp_response", "report_copies")
"""The order of one assessment's cost rows."""


PAYER_ROLES = (*R.ROLES, "secco")
"""Who may pay: a party of a role, or SEC Parties collectively (SECCo)."""
_ROLE = {role: code for code, role in enumerate(PAYER_ROLES)}


class CostRows(NamedTuple):
    """Every cost row of the assessments given, theirs in the order given and each one's in ``ROW_ORDER``
    (those it has: the SRP's only when its part was in scope, copies only when there were any)."""

    seq: np.ndarray
    """The assessment's ``seq``."""
    component: np.ndarray
    """Index in ``ROW_ORDER``."""
    payer_id: np.ndarray
    payer_role: np.ndarray
    """Index in ``PAYER_ROLES``."""
    gbp: np.ndarray


def cost_rows(costs: Costs, assessed: list[Assessment]) -> CostRows:
    """The cost rows of ``assessed`` (the assessments that got a status, in the order they got it)."""
    n = len(assessed)
    kinds = [a.type for a in assessed]
    in_scope = np.array([a.includes_srp_scope for a in assessed], dtype=bool)
    srp = np.array([a.srp_id for a in assessed], dtype=object)
    copies = np.array([a.report_copies for a in assessed], dtype=np.int64)
    party = np.array([a.party_id for a in assessed], dtype=object)
    role = np.array([_ROLE[a.role] for a in assessed], dtype=np.int64)
    day_rate = costs.party_day_rate_gbp
    as_srp = [a.role == "srp" for a in assessed]
    per_type = {
        (srp_own, k): (
            costs.preparation_of("srp" if srp_own else "user").of(k) * day_rate,
            costs.srp_preparation_days.of(k) * day_rate,
        )
        for srp_own, k in set(zip(as_srp, kinds, strict=True))
    }
    gbp = np.column_stack(
        [
            np.array([a.cio_days for a in assessed], dtype=float) * costs.cio_day_rate_gbp,
            np.array([per_type[key][0] for key in zip(as_srp, kinds, strict=True)], dtype=float),
            (costs.secas_days_per_item + np.where(in_scope, costs.secas_days_srp_scope, 0.0)) * costs.secas_day_rate_gbp,
            (costs.ssc_hours_per_item + np.where(in_scope, costs.ssc_hours_srp_scope, 0.0)) * costs.ssc_hour_rate_gbp,
            np.array([per_type[key][1] for key in zip(as_srp, kinds, strict=True)], dtype=float),
            np.full(n, costs.srp_response_days * day_rate),
            copies * costs.report_copy_gbp,
        ]
    ).reshape(n, len(ROW_ORDER))
    srp_part = in_scope & (srp != None)  # noqa: E711 - elementwise
    kept = np.column_stack([np.ones((n, 4), dtype=bool), srp_part, srp_part, copies != 0]).reshape(n, len(ROW_ORDER))
    secco, srp_role = _ROLE["secco"], _ROLE["srp"]
    return CostRows(
        np.repeat(np.array([a.seq for a in assessed], dtype=np.int64), kept.sum(axis=1)),
        np.tile(np.arange(len(ROW_ORDER)), n)[kept.ravel()],
        np.column_stack(
            [party, party, np.full(n, "SECCo", dtype=object), np.full(n, "SECCo", dtype=object), srp, srp, party]
        ).reshape(n, len(ROW_ORDER))[kept],
        np.column_stack(
            [role, role, np.full(n, secco), np.full(n, secco), np.full(n, srp_role), np.full(n, srp_role), role]
        ).reshape(n, len(ROW_ORDER))[kept],
        gbp[kept],
    )
