"""YAML as a scenario file needs it, and nothing a hostile or mistaken file could use against the machine.

A scenario is plain data: mappings, lists, strings, numbers, booleans and nulls. PyYAML's safe
loader already refuses Python objects, but it still accepts what a scenario never needs and a
1 kB file can turn into a problem: a duplicate key silently keeps the last value; ``!!set`` makes
an unordered value whose order depends on PYTHONHASHSEED; nested aliases expand to billions of
nodes; 5,000 levels of nesting exhaust Python's recursion. Here each of those is a one-line
``InputError`` naming the line and column. Dates stay text until validation, so a bad date is
reported at its key ("start: expected a date") rather than by the parser.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.errors import InputError

MAX_DEPTH = 64
"""Levels of nesting a file may have (a scenario needs about six)."""
MAX_NODES = 100_000
"""Values a file may hold once its aliases are expanded (gb-baseline holds about 600)."""

_TAG = "tag:yaml.org,2002:"
ALLOWED_TAGS = frozenset(_TAG + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "merge"))
"""The standard scalar types, mappings and lists (and ``<<`` merge keys, whose size the alias limit bounds)."""


class _Refused(yaml.MarkedYAMLError):
    """A file that parses but uses what a scenario may not."""


class _Loader(yaml.SafeLoader):
    """The safe loader with a depth limit while composing, and duplicate keys refused while constructing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._composed = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self._depth += 1
        self._composed += 1  # each at least one value once aliases are expanded: over the limit, stop parsing here
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(problem=f"nested deeper than {MAX_DEPTH} levels", problem_mark=self.peek_event().start_mark)
            if self._composed > MAX_NODES:
                raise _Refused(problem=f"more than {MAX_NODES:,} values", problem_mark=self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: dict[Any, Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == _TAG + "merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node)
                except TypeError:  # an unhashable key: the safe loader's own message says so
                    break
                if first is not key_node:
                    raise _Refused(
                        problem=f"duplicate key {key!r} (also on line {first.start_mark.line + 1})",
                        problem_mark=key_node.start_mark,
                    )
        return super().construct_mapping(node, deep=deep)


CORE_SCALARS = {
    "bool": (r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    "int": (r"^[-+]?[0-9]+$", "-+0123456789"),
    "float": (
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
}
"""What a boolean and a number look like: YAML 1.2's core schema. PyYAML reads YAML 1.1, where ``010`` is 8 (octal),
``0x10`` 16, ``1_0`` 10, ``1:30`` 90 (base 60) and ``yes``, ``no``, ``on`` and ``off`` booleans, so a value an analyst
writes in decimal, or an id such as ``007``, silently became another. Here ``010`` is 10 and the others stay text (which
the schema then refuses where a number is meant)."""

_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag.removeprefix(_TAG) not in ("timestamp", *CORE_SCALARS)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _kind, (_pattern, _first) in CORE_SCALARS.items():
    _Loader.add_implicit_resolver(_TAG + _kind, re.compile(_pattern), list(_first))


def _decimal(loader: yaml.SafeLoader, node: Node) -> int:
    """An integer in decimal, leading zeros and all (YAML 1.1 would read ``010`` as octal)."""
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if len(text.lstrip("+-")) > 30:  # far beyond any bound, and Python refuses int() of 4,300 digits
        raise _Refused(problem=f"a number of {len(text)} digits", problem_mark=node.start_mark)
    return int(text, 10)


_Loader.add_constructor(_TAG + "int", _decimal)


def _check(root: Node) -> None:
    """Refuse tags a scenario never needs, recursive aliases, and more than ``MAX_NODES`` values once expanded.

    Sizes are counted per node and memoised, so a bomb of nested aliases is measured in time
    proportional to its text, not to its expansion.
    """
    size: dict[int, int] = {}
    opened: set[int] = set()

    def count(node: Node) -> int:
        key = id(node)
        if key in size:
            return size[key]
        if key in opened:
            raise _Refused(problem="an alias refers to the value that contains it", problem_mark=node.start_mark)
        if node.tag not in ALLOWED_TAGS:
            raise _Refused(
                problem=f"tag {node.tag.replace(_TAG, '!!')} is not allowed in a scenario file "
                "(plain mappings, lists, strings, numbers, booleans and nulls only)",
                problem_mark=node.start_mark,
            )
        kind = node.tag.removeprefix(_TAG)
        if isinstance(node, ScalarNode) and kind in CORE_SCALARS and not re.match(CORE_SCALARS[kind][0], node.value):
            # an explicit tag (``!!int 0x3``) on text that is not one: the type's own constructor would fail, or read it as YAML 1.1
            what = {"int": "a decimal integer", "float": "a decimal number", "bool": "true or false"}[kind]
            raise _Refused(problem=f"!!{kind} {node.value!r} is not {what}", problem_mark=node.start_mark)
        opened.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(count(child) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(count(k) + count(v) for k, v in node.value)
        opened.discard(key)
        size[key] = total
        if total > MAX_NODES:
            raise _Refused(problem=f"more than {MAX_NODES:,} values once its aliases are expanded", problem_mark=node.start_mark)
        return total

    count(root)


def load(text: str, source: str) -> Any:
    """The plain data in YAML ``text``; raise ``InputError`` naming ``source``, the line and the problem."""
    try:  # the reader refuses a character YAML does not allow as it is made
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position)
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1)
        raise InputError(
            f"{source}: line {line + 1}, column {column + 1}: character #x{exc.character:04x} is not allowed in YAML"
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check(node)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        kind = "" if isinstance(exc, _Refused) else "malformed YAML: "
        raise InputError(f"{source}: {where}{kind}{problem}") from None
    finally:
        loader.dispose()
