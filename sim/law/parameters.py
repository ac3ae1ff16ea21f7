"""The regime parameters: what each is, the values it may take, and how a dated value is kept.

``PARAMETERS`` validates every value a regime file or a scenario variant gives (one line naming the key on a
mistake); ``Entry`` is one dated value with its SEC reference, marked where it is a reading of an open question;
``OneOff`` is a change's one-off cost.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import Field, TypeAdapter, ValidationError

from ..core.validation import Source, located, shown
from . import rules as R

_Cycle = Annotated[list[Literal["full", "verification", "self"]], Field(min_length=1)]
CYCLE_ROLES = {
    "supplier": ("large", "small"),
    "network": ("large", "small"),
    "other": ("none",),
    "srp": ("large", "small"),
    "srp_user": ("large",),
}
"""Roles and bands with a cycle; ``srp_user``/``large`` is a Supplier or Network Party counted Large
through its SRP's aggregate (seed s.2: Full every year "as though they were a Large Supplier")."""

PARAMETERS: dict[str, TypeAdapter] = {
    "threshold": TypeAdapter(Annotated[int, Field(gt=0, strict=True)]),
    "non_domestic_threshold": TypeAdapter(Annotated[int, Field(gt=0, strict=True)] | None),
    "count_measure": TypeAdapter(R.Measure),
    "count_basis": TypeAdapter(Literal["srp_aggregate", "own"]),
    "aggregate_of": TypeAdapter(R.AggregateOf),
    "srp_own_assessment": TypeAdapter(Annotated[bool, Field(strict=True)]),
    "srp_scope_in_client": TypeAdapter(Literal["always", "unless_srp_status"]),
    "srp_documents_copied": TypeAdapter(Annotated[int, Field(ge=0, strict=True)]),
    "due_anchor": TypeAdapter(Literal["status_set", "fieldwork_end"]),
    "due_requirement": TypeAdapter(R.Requirement),
    "due_months": TypeAdapter(Annotated[int, Field(ge=1, le=60, strict=True)]),
    "srp_interval_months": TypeAdapter(Annotated[int, Field(ge=1, le=60, strict=True)] | None),
    "rejected_requires_full": TypeAdapter(Annotated[bool, Field(strict=True)]),
    "transition_moment": TypeAdapter(R.Moment),
    "transition_retime_days": TypeAdapter(Annotated[int, Field(ge=0, le=366, strict=True)]),
}
for _role, _bands in CYCLE_ROLES.items():
    for _band in _bands:
        PARAMETERS[f"cycles.{_role}.{_band}"] = TypeAdapter(_Cycle | None if _role == "srp" else _Cycle)


class Entry(NamedTuple):
    """One dated value of a parameter."""

    date: dt.date
    value: Any
    ref: str
    reading: bool = False
    """The value is our reading of an open question (a scenario's ``readings`` may replace it), not dated law."""
    moment: str | None = None
    """The event that puts an assessment under this value, where the change itself says (SCF v1.16: "for bookings
    from 1 Aug 2019"): ``booking`` or ``fieldwork``; None, the ``transition_moment`` the regime names (a reading)."""


class OneOff(NamedTuple):
    """A one-off cost of adopting a change, paid on its date by SECCo (seed s.5: SECAS effort)."""

    date: dt.date
    component: str
    gbp: float
    ref: str


READINGS = ("count_measure", "aggregate_of", "due_requirement", "transition_moment")
"""The parameters whose shipped values include readings of open questions (a scenario's ``readings`` keys)."""
ONE_OFF_COLUMNS = ["regime", "date", "component", "gbp", "ref"]


def check_value(parameter: str, value: Any, source: Source, loc: list[Any]) -> Any:
    """``value`` checked as ``parameter`` takes it; a one-line error at ``loc`` otherwise."""
    if parameter not in PARAMETERS:
        close = difflib.get_close_matches(parameter, list(PARAMETERS), n=1)
        hint = f'did you mean "{close[0]}"?' if close else f"expected one of {', '.join(sorted(PARAMETERS))}"
        raise located(source, loc, f"unknown regime parameter; {hint}")
    try:
        checked = PARAMETERS[parameter].validate_python(value)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise located(source, loc, f"{expected(parameter, value)}, got {shown(err.get('input', value))}") from None
    if parameter.startswith("cycles.") and checked is not None and checked[0] != "full":
        raise located(source, loc, f"a cycle starts with the entry Full assessment (seed s.2), got {shown(value)}")
    return checked


def expected(parameter: str, value: Any = None) -> str:
    """What a parameter's value must be, in the words of the one-line error."""
    if parameter.startswith("cycles."):
        return "expected a list of full/verification/self" + (" or null" if parameter.startswith("cycles.srp.") else "")
    if parameter == "due_requirement" and value == "scheduled":
        return (
            'expected booked, started or completed ("scheduled" is ambiguous: the SEC does not define the period '
            "between the scheduling and the assessment, seed s.7; the seed's reading is booked)"
        )
    return {
        "threshold": "expected a positive integer",
        "non_domestic_threshold": "expected a positive integer or null",
        "due_months": "expected an integer from 1 to 60",
        "srp_interval_months": "expected an integer from 1 to 60, or null (as any User's)",
        "srp_documents_copied": "expected a non-negative integer",
        "count_basis": "expected srp_aggregate or own",
        "srp_scope_in_client": "expected always or unless_srp_status",
        "due_anchor": "expected status_set or fieldwork_end",
        "due_requirement": "expected booked, started or completed",
        "count_measure": f"expected one of {', '.join(R.MEASURES)}",
        "aggregate_of": f"expected one of {', '.join(R.AGGREGATES)}",
        "transition_moment": "expected booking or fieldwork",
        "transition_retime_days": "expected a whole number of days from 0 to 366",
    }.get(parameter, "expected true or false")
