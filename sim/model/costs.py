"""What one assessment costs and who pays (DOMAIN.md 7).

Pure: a function of the assessment's facts and the scenario's unit costs. Payers: the
assessed party pays the User CIO (G8.51; an SRP for its own assessment, SECMP0044 (b));
the SRP bears its own effort when its part is assessed inside a client's assessment and
when it copies its documents to its Users (SECMP0044 (c)); SECAS and SSC time is paid by
SEC Parties collectively ("secco").
"""

from __future__ import annotations

from ..inputs.process_spec import Costs

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


def assessment_costs(
    costs: Costs,
    kind: str,
    cio_days: float,
    includes_srp_scope: bool,
    report_copies: int,
    party_id: str,
    party_role: str,
    srp_id: str | None,
) -> list[tuple[str, str, str, float]]:
    """The cost components of one assessment as (component, payer_id, payer_role, GBP)."""
    rows = [
        ("cio_charge", party_id, party_role, cio_days * costs.cio_day_rate_gbp),
        ("preparation", party_id, party_role, costs.preparation_days.of(kind) * costs.party_day_rate_gbp),
        ("secas_admin", "SECCo", "secco", costs.secas_days_per_item * costs.secas_day_rate_gbp),
        (
            "ssc_review",
            "SECCo",
            "secco",
            (costs.ssc_hours_per_item + (costs.ssc_hours_srp_scope if includes_srp_scope else 0.0)) * costs.ssc_hour_rate_gbp,
        ),
    ]
    if includes_srp_scope and srp_id is not None:
        rows.append(("srp_preparation", srp_id, "srp", costs.srp_preparation_days.of(kind) * costs.party_day_rate_gbp))
        rows.append(("srp_response", srp_id, "srp", costs.srp_response_days * costs.party_day_rate_gbp))
    if report_copies:
        rows.append(("report_copies", party_id, party_role, report_copies * costs.report_copy_gbp))
    return rows
