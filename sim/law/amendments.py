"""A regime file's dates and amendments as written: each checked, dated (``$option`` dates included) and put in the
order they are applied in, date order, whatever order they are written in (``sim.law.regime.build`` applies them)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from ..core.schema import DATE_EXPECTED, ORIGIN, as_date
from ..core.validation import Source, also_at, located, shown
from .parameters import OneOff
from .rules import MOMENTS


class Written(enum.Enum):
    """How an amendment came to be, where it was not written in a regime's ``amendments`` list: a key no YAML file
    can write (an enum member, which pickles as itself), so a user's amendment cannot pass for one."""

    VARIANT_SET = "a scenario variant's own set and from"


ALWAYS_WRITTEN = ORIGIN.isoformat()
"""How a regime file writes "always" as an amendment's date: the model's origin, before any horizon."""


def as_written_date(value: Any, options: dict[str, dt.date], source: Source, loc: list[Any]) -> dt.date:
    """A date as written in a regime file (or ``$option``)."""
    if isinstance(value, str) and value.startswith("$"):
        if value[1:] not in options:
            raise located(source, loc, f"unknown option {shown(value)}")
        return options[value[1:]]
    found = as_date(value.date() if isinstance(value, dt.datetime) else value)
    if found is None:
        raise located(source, loc, f"{DATE_EXPECTED}, got {shown(value)}")
    return found


def value_spec(spec: Any, default_ref: str, source: Source, loc: list[Any]) -> tuple[Any, str, bool]:
    """A value as a regime file writes it: plain, or ``{value, ref, reading}``."""
    if isinstance(spec, dict) and "value" in spec:
        for key in spec:
            if key not in ("value", "ref", "reading"):
                raise located(source, [*loc, key], "unknown key; expected one of reading, ref, value")
        if not isinstance(spec.get("reading", False), bool):
            raise located(source, [*loc, "reading"], f"expected true or false, got {shown(spec['reading'])}")
        if not isinstance(spec.get("ref", ""), str):
            raise located(source, [*loc, "ref"], f"expected the SEC reference as text, got {shown(spec['ref'])}")
        return spec["value"], str(spec.get("ref") or default_ref), spec.get("reading") is True
    return spec, default_ref, False


def dated(
    amendments: Any, prefix: tuple[Any, ...], options: dict[str, dt.date], source: Source
) -> list[tuple[dt.date, list[Any], dict[str, Any]]]:
    """Each amendment checked, with its date and where it is written, in date order (the order they are applied in,
    whatever order they are written in: each is law from its date on); two that set one parameter on one date are
    refused, as neither would say which holds."""
    if amendments is None:
        return []
    if not isinstance(amendments, list):
        raise located(source, [*prefix, "amendments"], "expected a list of amendments")
    out = []
    setting: dict[tuple[dt.date, str], list[Any]] = {}
    own = 1 if amendments and isinstance(amendments[0], dict) and Written.VARIANT_SET in amendments[0] else 0
    for i, amendment in enumerate(amendments):
        loc = [*prefix, "amendments", i - own]  # as the user numbers them: a variant's own set is put first
        if not isinstance(amendment, dict):
            raise located(source, loc, "expected a mapping with date and set (or adopt)")
        date_key = "date"
        if Written.VARIANT_SET in amendment:  # a scenario variant's own ``set``/``from``: report its mistakes there
            loc, date_key = list(prefix), "from"
            amendment = {k: v for k, v in amendment.items() if k is not Written.VARIANT_SET}
        for key in amendment:
            if key not in ("date", "ref", "set", "adopt", "one_off_costs", "moment"):
                raise located(source, [*loc, key], "unknown key; expected one of adopt, date, moment, one_off_costs, ref, set")
        if date_key == "date" and "date" not in amendment:  # a variant's ``set`` without ``from`` is always (its default)
            raise located(source, [*loc, "date"], f"missing; an amendment is law from its date ({ALWAYS_WRITTEN} for always)")
        on = as_written_date(amendment["date"], options, source, [*loc, date_key])
        if "ref" in amendment and not isinstance(amendment["ref"], str):
            raise located(source, [*loc, "ref"], f"expected the SEC reference as text, got {shown(amendment['ref'])}")
        moment = amendment.get("moment")
        if moment is not None and moment not in MOMENTS:
            raise located(source, [*loc, "moment"], f"expected booking or fieldwork, got {shown(moment)}")
        if moment is not None and not amendment.get("set") and "adopt" not in amendment:
            raise located(
                source,
                [*loc, "moment"],
                "a moment says when what an amendment sets or adopts rules an assessment; this one sets and adopts nothing",
            )
        if not isinstance(amendment.get("set", {}), dict):
            raise located(source, [*loc, "set"], f"expected a mapping of parameter: value, got {shown(amendment['set'])}")
        for parameter in amendment.get("set", {}):
            earlier = setting.setdefault((on, str(parameter)), loc)
            if earlier is not loc:
                at = [*loc, "set", parameter]
                raise located(source, at, f"set on {on} by {also_at(source, at, [*earlier, 'set', parameter])} too; give it once")
        out.append((on, loc, amendment))
    return sorted(out, key=lambda dated: dated[0])


def one_offs(amendment: dict[str, Any], on: dt.date, ref: str, source: Source, loc: list[Any]) -> list[OneOff]:
    """``one_off_costs: [{component, gbp, ref}]``: what adopting the amendment costs once, on its date."""
    given = amendment.get("one_off_costs") or []
    if not isinstance(given, list):
        raise located(source, [*loc, "one_off_costs"], "expected a list of {component, gbp, ref}")
    out = []
    for j, cost in enumerate(given):
        where = [*loc, "one_off_costs", j]
        if not isinstance(cost, dict) or set(cost) - {"component", "gbp", "ref"} or not {"component", "gbp"} <= set(cost):
            raise located(source, where, "expected a mapping with component, gbp and ref")
        gbp = cost["gbp"]
        if isinstance(gbp, bool) or not isinstance(gbp, int | float) or not 0 <= gbp < 1e12:
            raise located(source, [*where, "gbp"], f"expected a non-negative amount of pounds, got {shown(gbp)}")
        out.append(OneOff(on, str(cost["component"]), float(gbp), str(cost.get("ref") or ref)))
    return out
