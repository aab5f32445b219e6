"""The JSON Schema of the dataset file format, generated from the attrs model.

The schema is derived by walking the fields and types of :class:`~leiden_twinning.Dataset` and
the classes it holds, following the rules of the one converter (:mod:`leiden_twinning._converter`):

- an attrs class is an object with ``additionalProperties: false``; its required properties are
  the fields without a default (the converter leaves out fields equal to their default);
- ``str``, ``int``, ``bool`` are themselves; ``float`` and ``int | float`` are numbers;
- an enumeration is a string with its values listed;
- :class:`~leiden_twinning.PartialDate` is a string of the form ``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD``, and :class:`datetime.date` a full ``YYYY-MM-DD`` date;
- ``tuple[X, ...]`` is an array of ``X``; ``X | None`` also allows ``null``;
- the validators that map onto JSON Schema (ids as slugs, lower and upper bounds, minimum lengths)
  add their constraints.

The loader checks more than any schema can (references between entities, milestones in date
order, real calendar dates): a document valid against the schema may still be rejected by
:func:`~leiden_twinning.load_file`, never the other way round.

``python -m leiden_twinning._schema`` prints the schema; with ``--write`` it rewrites the copy
shipped in ``data/leiden.schema.json``.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import attrs

from leiden_twinning import _model
from leiden_twinning._dataset import SCHEMA_VERSION, Dataset
from leiden_twinning._model import LANGUAGE_TAG, LocalizedText, PartialDate
from leiden_twinning._validators import Pattern

__all__ = ["SCHEMA_FILE", "dumps", "json_schema"]

#: Where the package ships the generated schema.
SCHEMA_FILE = Path(__file__).parent / "data" / "leiden.schema.json"

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Where the schema is published: its `$id`, and the `"$schema"` a starter file points to.
SCHEMA_ID = "https://leiden-twinning.readthedocs.io/en/latest/_static/leiden.schema.json"
_ID = SCHEMA_ID
_PARTIAL_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_TAG = f"^{LANGUAGE_TAG.pattern}$"
_LOCALIZED_TEXT: dict[str, Any] = {
    "title": "LocalizedText",
    "description": (
        "A text in one or more of the dataset's languages: an object from BCP 47 language tag"
        " to text. It must hold the primary language (the first of languages) and may hold any"
        " other declared language."
    ),
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": _TAG},
    "additionalProperties": {"type": "string", "minLength": 1},
    "examples": [{"nl": "stedenband", "en": "twinning"}, {"de": "Partnerschaft"}],
}
_HEADER_FIELDS = ("languages", "json_schema")


def _summary(kind: type) -> str:
    doc = (kind.__doc__ or "").strip()
    return doc.split("\n\n")[0].replace("\n", " ").strip()


def _constraints(validator: Any, *, items: bool = False) -> dict[str, Any]:
    """The JSON Schema keywords for the validators that have one; others add nothing."""
    found: dict[str, Any] = {}
    if validator is None:
        return found
    if isinstance(validator, list | tuple):
        for v in validator:
            found.update(_constraints(v, items=items))
        return found
    name = type(validator).__name__
    if validator is _model._slug:  # the model's own id validator
        found["pattern"] = _model._SLUG.pattern
    elif validator is _model._slugs:
        found["items"] = {"type": "string", "pattern": _model._SLUG.pattern}
        found["uniqueItems"] = True
    elif isinstance(validator, Pattern):
        # The model's regular expressions (e-mail, URL, E.164, country, Wikidata).
        # `\"` is Python's escape, not ECMA 262's in unicode mode: the quote stands alone.
        found["pattern"] = validator.regex.pattern.replace('\\"', '"')
    elif name == "_AndValidator":
        found.update(_constraints(validator._validators, items=items))
    elif name == "_OptionalValidator":
        found.update(_constraints(validator.validator, items=items))
    elif name == "_NumberValidator":
        keyword = {
            ">=": "minimum",
            "<=": "maximum",
            ">": "exclusiveMinimum",
            "<": "exclusiveMaximum",
        }
        found[keyword[validator.compare_op]] = validator.bound
    elif name == "_MinLengthValidator":
        found["minItems" if items else "minLength"] = validator.min_length
    return found


def _merge(schema: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Add the validators' keywords to a field's schema (to the non-null branch of an optional)."""
    if not extra:
        return schema
    if "anyOf" in schema:
        inner, null = schema["anyOf"]
        return {"anyOf": [_merge(inner, extra), null]}
    if "$ref" in schema:
        return {"allOf": [schema], **extra}
    if "items" in extra and "items" in schema:
        return {**schema, **extra, "items": {**schema["items"], **extra["items"]}}
    return {**schema, **extra}


class _Builder:
    """Walks the model, collecting one definition per attrs class."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def reference(self, kind: type) -> dict[str, Any]:
        name = kind.__name__
        if name not in self.defs:
            self.defs[name] = {}  # a placeholder first: the model may refer to itself
            self.defs[name] = self.object(kind)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, kind: type) -> dict[str, Any]:
        hints = typing.get_type_hints(kind)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in attrs.fields(kind):
            if not field.init or (kind is Dataset and field.name in _HEADER_FIELDS):
                continue
            name = field.name
            is_tuple = get_origin(hints[field.name]) is tuple
            schema = self.type(hints[field.name])
            schema = _merge(schema, _constraints(field.validator, items=is_tuple))
            if field.default is attrs.NOTHING:
                required.append(name)
            properties[name] = schema
        result: dict[str, Any] = {
            "title": kind.__name__,
            "description": _summary(kind),
            "type": "object",
            "properties": properties,
        }
        if required:
            result["required"] = required
        result["additionalProperties"] = False
        return result

    def type(self, hint: Any) -> dict[str, Any]:
        origin = get_origin(hint)
        if origin in (Union, types.UnionType):
            members = [m for m in get_args(hint) if m is not type(None)]
            nullable = len(members) < len(get_args(hint))
            if {*members} == {int, float}:
                inner: dict[str, Any] = {"type": "number"}
            elif len(members) == 1:
                inner = self.type(members[0])
            else:  # pragma: no cover - the model has no other unions
                inner = {"anyOf": [self.type(m) for m in members]}
            return {"anyOf": [inner, {"type": "null"}]} if nullable else inner
        if origin is tuple:
            item, ellipsis = get_args(hint)
            assert ellipsis is Ellipsis, hint  # noqa: S101 - the model uses tuple[X, ...] only
            return {"type": "array", "items": self.type(item)}
        if hint is PartialDate:
            return {"type": "string", "pattern": _PARTIAL_DATE}
        if hint is dt.date:
            return {"type": "string", "format": "date", "pattern": _DATE}
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return {"type": "string", "enum": [str(m.value) for m in hint]}
        if hint is LocalizedText:
            self.defs.setdefault("LocalizedText", _LOCALIZED_TEXT)
            return {"$ref": "#/$defs/LocalizedText"}
        if attrs.has(hint):
            return self.reference(hint)
        simple = {str: "string", bool: "boolean", int: "integer", float: "number"}
        if hint in simple:
            return {"type": simple[hint]}
        msg = f"no JSON Schema for {hint!r}"  # pragma: no cover - a new type in the model
        raise TypeError(msg)  # pragma: no cover


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the dataset file format, generated from the model."""
    builder = _Builder()
    body = builder.object(Dataset)
    properties = {
        "$schema": {
            "title": "$schema",
            "description": "The JSON Schema of the file, for editors; kept when the file is"
            " read and written again.",
            "type": "string",
            "examples": [_ID],
        },
        "schema_version": {
            "title": "schema_version",
            "description": "The version of the file format.",
            "const": SCHEMA_VERSION,
            "examples": [SCHEMA_VERSION],
        },
        "languages": {
            "title": "languages",
            "description": "The BCP 47 tags of the languages the texts are written in, the"
            " primary language first: every text holds the primary language and may hold the"
            " others.",
            "type": "array",
            "items": {"type": "string", "pattern": _TAG},
            "minItems": 1,
            "uniqueItems": True,
            "examples": [["nl", "en"], ["de", "en"]],
        },
        **body["properties"],
    }
    return {
        "$schema": _DIALECT,
        "$id": _ID,
        "title": "Leiden twinning dataset",
        "description": _summary(Dataset),
        "type": "object",
        "properties": properties,
        "required": ["schema_version", "languages", *body.get("required", [])],
        "additionalProperties": False,
        "$defs": dict(sorted(builder.defs.items())),
    }


def dumps() -> str:
    """The schema as the indented JSON text the package ships."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        SCHEMA_FILE.write_text(dumps(), encoding="utf-8")
    else:
        sys.stdout.write(dumps())
