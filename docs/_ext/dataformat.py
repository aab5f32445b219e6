"""The ``dataset-fields`` directive: the field table of one object of the dataset file format.

The table is generated from the attrs class, so it cannot drift from the model: a field's JSON
type, whether it is required, its default and its documentation (the field's ``#:`` comment in the
model, which the API reference shows too). The directive's content, a field list (``:name:
text``), overrides a comment for this page. A field described nowhere, or a described field the
class lacks, is a warning (an error under ``-W``)::

    .. dataset-fields:: City

       :id: The city's id.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from typing import TYPE_CHECKING, Any

import attrs
from docutils import nodes as docutils_nodes
from docutils.statemachine import StringList
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

import leiden_twinning
from leiden_twinning import PartialDate

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)


def _validators(validator: Any) -> list[Any]:
    """Flatten attrs' ``and_`` and ``optional`` validators."""
    if validator is None:
        return []
    inner = getattr(validator, "_validators", None)
    if inner is not None:
        return [v for item in inner for v in _validators(item)]
    wrapped = getattr(validator, "validator", None)
    if wrapped is not None and type(validator).__name__ == "_OptionalValidator":
        return _validators(wrapped)
    return [validator]


def _constraint(field: attrs.Attribute[Any]) -> str | None:
    """What the field's validator demands of a string, in words."""
    for validator in _validators(field.validator):
        name = getattr(validator, "__name__", "")
        if name == "_slug":
            return "slug"
        if name == "_slugs":
            return "slugs"
        if name == "check" and validator.__closure__:
            cells = dict(zip(validator.__code__.co_freevars, validator.__closure__, strict=True))
            if "what" in cells:
                what: str = cells["what"].cell_contents
                return what
    return None


_SCALARS: dict[Any, str] = {
    bool: "``true`` or ``false``",
    int: "integer",
    float: "number",
    PartialDate: ":ref:`partial date <format-partial-date>`",
    dt.date: "date ``YYYY-MM-DD``",
}


def _json_type(kind: Any, constraint: str | None = None) -> str:
    """Describe a field's type as a JSON value, in reST."""
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        if set(args) == {int, float}:
            return "number"
        (only,) = args
        return _json_type(only, constraint)
    if origin is tuple:
        item, _ = typing.get_args(kind)
        if constraint == "slugs":
            return "list of ids (slugs)"
        one = _json_type(item, constraint)
        if one.endswith((" object", "string")):
            return f"list of {one}s"
        return f"list of {one}"
    if kind is str:
        if constraint == "slug":
            return "id (slug)"
        if constraint:
            return f"string: {constraint}"
        return "string"
    if kind in _SCALARS:
        return _SCALARS[kind]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return "one of " + ", ".join(f"``{m.value}``" for m in kind)
    if isinstance(kind, type) and attrs.has(kind):
        return f":ref:`{kind.__name__} <format-{kind.__name__}>` object"
    msg = f"no JSON description for {kind!r}"
    raise TypeError(msg)


def _default(field: attrs.Attribute[Any]) -> str:
    if field.default is attrs.NOTHING:
        return "required"
    value = field.default
    if value == ():
        return "optional, ``[]``"
    if value is None:
        return "optional"
    if isinstance(value, bool):
        return f"optional, ``{str(value).lower()}``"
    if isinstance(value, enum.Enum):
        return f"optional, ``{value.value}``"
    return f"optional, ``{value!r}``"


class DatasetFields(SphinxDirective):
    """Render the field table of one class of the model."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[docutils_nodes.Node]:
        """Build the table as a ``list-table`` and parse it."""
        name = self.arguments[0]
        cls = getattr(leiden_twinning, name)
        hints = typing.get_type_hints(cls)
        comments = ModuleAnalyzer.for_module(cls.__module__).find_attr_docs()
        extra = self._descriptions()
        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 18 27 15 40",
            "",
            "   * - Field",
            "     - Value",
            "     - Presence",
            "     - Meaning",
        ]
        fields = [f for f in attrs.fields(cls) if f.init]
        for field in fields:
            doc = extra.pop(field.name, None)
            if doc is None and (cls.__name__, field.name) in comments:
                doc = " ".join(line for line in comments[cls.__name__, field.name] if line)
            if doc is None:
                logger.warning(
                    "dataset-fields: %s.%s is not described",
                    name,
                    field.name,
                    location=self.get_location(),
                )
                doc = ""
            lines += [
                f"   * - ``{field.name}``",
                f"     - {_json_type(hints[field.name], _constraint(field))}",
                f"     - {_default(field)}",
                f"     - {doc}",
            ]
        for unknown in extra:
            logger.warning(
                "dataset-fields: %s has no field %r", name, unknown, location=self.get_location()
            )
        holder = docutils_nodes.container()
        self.state.nested_parse(
            StringList(lines, source=self.get_source_info()[0]), self.content_offset, holder
        )
        return list(holder.children)

    def _descriptions(self) -> dict[str, str]:
        """The ``:name: text`` field list of the content, as a mapping."""
        found: dict[str, str] = {}
        current: str | None = None
        for line in self.content:
            if line.startswith(":"):
                current, _, text = line[1:].partition(":")
                found[current] = text.strip()
            elif current is not None and line.strip():
                found[current] += " " + line.strip()
        return found


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("dataset-fields", DatasetFields)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
