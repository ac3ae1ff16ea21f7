"""What a run assumed: every scenario parameter with its value, whether it is the default, and its source.

Read from the result set's ``scenario.json`` (every default filled in), compared with the
installed schema's defaults, and annotated with the schema's own field docstrings, which
carry the source tags of CALIBRATION.md ([C] cited, [S] seed, [E] our estimate). The
industry (``parties``) and the regimes are shown as their own tables by the report.
"""

from __future__ import annotations

import ast
import functools
import inspect
import json
import re
import textwrap
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.errors import PydanticSchemaGenerationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticSerializationError

from ..inputs.scenario import Scenario

SOURCES = {"C": "cited", "S": "seed", "E": "our estimate"}
NOT_PARAMETERS = ("name", "description", "regimes", "parties")
"""Scenario keys the report shows elsewhere (the question, the regimes table, the industry table)."""

_TAG = re.compile(r"\[([CSE])\b[^\]]*\]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIST_ORDER = {"low": 0, "mode": 1, "high": 2, "mean": 3, "sd": 4}


@dataclass(frozen=True)
class Parameter:
    """One scenario input as the report lists it."""

    key: str
    value: str
    default: str | None
    """The installed schema's default, rendered; None where it has none (a required key) or it cannot be known."""
    is_default: bool
    doc: str
    sources: tuple[str, ...]


def _dated(value: Any) -> bool:
    """A step mapping {YYYY-MM-DD: value}, as scenario.json writes dated values."""
    return isinstance(value, dict) and bool(value) and all(_DATE.fullmatch(str(k)) for k in value)


def render(value: Any, grouped: bool = False) -> str:
    """A value as one short line: ``triangular(low 3, mode 6, high 10)``, ``from 2018-01-01: 280,000; ...``.

    ``grouped`` writes numbers with thousands separators (premises), not seeds or rates.
    """
    if isinstance(value, dict) and "dist" in value:
        params = sorted((k for k in value if k != "dist"), key=lambda k: (_DIST_ORDER.get(k, 9), k))
        return f"{value['dist']}(" + ", ".join(f"{k} {render(value[k], grouped)}" for k in params) + ")"
    if _dated(value):
        return "; ".join(f"from {d}: {render(v, grouped)}" for d, v in value.items())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}" if grouped else str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings and lists of mappings as dotted keys (``population.groups[0].name``).

    A distribution or a dated step mapping stays one value.
    """
    if isinstance(data, dict) and "dist" not in data and data and not _dated(data):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        out = {}
        for i, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{i}]"))
        return out
    return {prefix: data}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``X``, ``X | None``, ``list[X]``, ``Annotated[X, ...]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


@functools.cache
def _docstrings(model: type[BaseModel]) -> dict[str, str]:
    """Field docstrings (the string literal after each annotated field) of a model class and its bases."""
    out: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or cls is BaseModel:
            continue
        try:
            body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
        except (OSError, TypeError, SyntaxError):
            continue
        statements = getattr(body, "body", [])
        for field, doc in zip(statements, statements[1:], strict=False):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(doc, ast.Expr)
                and isinstance(doc.value, ast.Constant)
                and isinstance(doc.value.value, str)
            ):
                out[field.target.id] = " ".join(doc.value.value.split())
    return out


_UNKNOWN = object()


def _json_default(field: FieldInfo) -> Any:
    """A field's default as scenario.json would hold it, or ``_UNKNOWN``."""
    if field.is_required():
        return _UNKNOWN
    value = field.get_default(call_default_factory=True)
    try:
        return TypeAdapter(field.rebuild_annotation()).dump_python(value, mode="json", by_alias=True)
    except (PydanticSchemaGenerationError, PydanticSerializationError, TypeError, ValueError):
        return _UNKNOWN


def _describe(key: str) -> tuple[str, Any]:
    """A dotted key's docstring (its field's, else its parent field's) and schema default (or ``_UNKNOWN``)."""
    model: type[BaseModel] | None = Scenario
    docs: list[str] = []
    default: Any = _UNKNOWN
    for part in key.split("."):
        name, _, index = part.partition("[")
        if default is not _UNKNOWN:  # inside a defaulted value: read on in it
            default = default.get(name, _UNKNOWN) if isinstance(default, dict) else _UNKNOWN
        fields = {f.alias or n: (n, f) for n, f in model.model_fields.items()} if model is not None else {}
        if name in fields:
            attribute, field = fields[name]
            docs.append(_docstrings(model).get(attribute, ""))
            if default is _UNKNOWN:
                default = _json_default(field)
            model = _model_in(field.annotation)
        else:
            docs.append("")
            model = None
        if index:
            i = int(index.rstrip("]"))
            default = default[i] if isinstance(default, list) and i < len(default) else _UNKNOWN
    return next((d for d in reversed(docs[-2:]) if d), ""), default


def parameters(scenario: dict[str, Any]) -> list[Parameter]:
    """Every input of a result set's ``scenario.json`` except those the report shows on their own."""
    given = flatten({k: v for k, v in scenario.items() if k not in NOT_PARAMETERS})
    out = []
    for key, value in given.items():
        doc, default = _describe(key)
        known = default is not _UNKNOWN
        out.append(
            Parameter(
                key=key,
                value=render(value),
                default=render(default) if known else None,
                is_default=known and default == value,
                doc=doc,
                sources=tuple(dict.fromkeys(_TAG.findall(doc))),
            )
        )
    return out
