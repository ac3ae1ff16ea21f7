"""Scenario parameters named by dotted path (``cio.teams``, ``regimes.1.set.threshold``, ``parties.SUP-S.copies``).

Sweeps and sensitivity analyses vary a scenario by naming its parameters. A path is read in
the scenario's validated form, every default filled in, so ``cio.teams`` exists even where a
file leaves it out, and a typo is caught before anything runs. An item of a list of parties may be named by its index or its ``id``
(``parties.SUP-S`` is the party with id SUP-S), so a path does not break when a party is added above it.
Plain data in, plain data out:
re-validating the changed scenario is the caller's job (``sim.inputs.scenario.validate``).
"""

from __future__ import annotations

import copy
import difflib
from typing import Any

from . import safe_yaml

SRP_UNSET = {
    "premises": "its premises are derived from its clients",
    "copies": "there is always one of it (its clients name it by its id; copy its clients)",
}
"""What an SRP has no key for, and why (``sim.inputs.scenario.as_data`` leaves them out)."""


class PathError(ValueError):
    """A path that names nothing in the scenario; the message says what was expected."""


def lookup(data: Any, path: str) -> Any:
    """The value at ``path``: mapping keys and list indices separated by dots."""
    node = data
    walked: list[str] = []
    for step in path.split("."):
        where = ".".join(walked) or "the scenario"
        if isinstance(node, dict):
            if step not in node and node.get("role") == "srp" and step in SRP_UNSET:
                raise PathError(f'{where} is an SRP: {SRP_UNSET[step]}, so it has no "{step}" to set')
            if step not in node:
                close = difflib.get_close_matches(step, [str(k) for k in node], n=1)
                hint = f'; did you mean "{close[0]}"?' if close else ""
                raise PathError(f'no key "{step}" in {where}{hint}')
            node = node[step]
        elif isinstance(node, list):
            node = node[_index(node, step, where)]
        else:
            raise PathError(f'{where} is a value, not a mapping; nothing is inside it to name "{step}"')
        walked.append(step)
    return node


def _index(items: list[Any], step: str, where: str) -> int:
    """The list index ``step`` names: a number, or the ``id`` of one of the list's items (a party)."""
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    number = step.isascii() and step.isdigit()  # "²".isdigit() is true, and int() refuses it
    if number and int(step) < len(items):
        if step in ids and ids.index(step) != int(step):
            raise PathError(
                f'{where}: "{step}" names item {step} and the party with id "{step}" (item {ids.index(step)}); '
                "give the party an id that is not a number"
            )
        return int(step)
    if step in ids:
        return ids.index(step)
    named = [i for i in ids if isinstance(i, str)]
    if named and len(named) == len(items):
        close = difflib.get_close_matches(step, named, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        raise PathError(
            f'{where} is a list; expected an index from 0 to {len(items) - 1} or an id of one of its items, got "{step}"{hint}'
        )
    if not items:
        raise PathError(f'{where} is an empty list; there is no item "{step}" to set')
    raise PathError(f'{where} is a list; expected an index from 0 to {len(items) - 1}, got "{step}"')


NOT_VARIED = {
    "replications": "every point runs the same replications (--reps)",
    "seed": "every point runs on the same seed, so that points are compared on common random numbers (--seed)",
}
"""Scenario keys a sweep, a break-even or a sensitivity analysis does not vary, and why."""


def varied_kind(data: Any, path: str) -> type[int] | type[float]:
    """``number_kind`` of a number a design may vary (not one of ``NOT_VARIED``)."""
    if path in NOT_VARIED:
        raise PathError(f"{path} is not a parameter a design varies: {NOT_VARIED[path]}")
    return number_kind(data, path)


def number_kind(data: Any, path: str) -> type[int] | type[float]:
    """``int`` or ``float``: the kind of number at ``path`` (what a sampled value is rounded to)."""
    value = lookup(data, path)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PathError(f"expected a path to a number, but {path} is {value!r}")
    return type(value)


def replaced(data: Any, values: dict[str, Any]) -> Any:
    """A deep copy of ``data`` with the value at each path replaced."""
    out = copy.deepcopy(data)
    for path, value in values.items():
        parent_path, _, last = path.rpartition(".")
        lookup(out, path)
        parent = lookup(out, parent_path) if parent_path else out
        parent[_index(parent, last, parent_path) if isinstance(parent, list) else last] = value
    return out


def value_of(text: str, source: str) -> Any:
    """A value typed on the command line as a scenario file would write it (``3``, ``2.5``, ``1e6``, ``true``,
    ``2019-01-01``, ``secmp0044``: ``sim.inputs.safe_yaml``'s YAML 1.2 reading). ``source`` names it in a YAML mistake."""
    if not text.strip():
        return text
    return safe_yaml.load(text, source)
