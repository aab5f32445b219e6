"""The one way data crosses the edge: a cattrs converter for the dataset file format.

:func:`configure_converter` only registers hooks; :func:`make_converter` returns a new, configured
converter. There is deliberately no global, customised converter to mutate.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import enum
import functools
import math
import re
from typing import TYPE_CHECKING, Any, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ClassValidationError, IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from leiden_twinning._dataset import (
    DEFAULT_LANGUAGES,
    READABLE_VERSIONS,
    SCHEMA_VERSION,
    Dataset,
)
from leiden_twinning._model import LANGUAGE_TAG, LocalizedText, PartialDate
from leiden_twinning.exceptions import DatasetError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["configure_converter", "make_converter", "structure_dataset", "unstructure_dataset"]

_SCALARS: dict[type, str] = {str: "a string", bool: "true or false", int: "an integer"}


def _strict_scalar(kind: type) -> Callable[[Any, type], Any]:
    def structure(value: Any, _: type) -> Any:
        # bool is an int in Python, but not in a JSON document.
        if type(value) is not kind:
            msg = f"expected {_SCALARS[kind]}, got {_describe(value)}"
            raise TypeError(msg)
        return value

    return structure


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _structure_number(value: Any, _: type) -> int | float:
    if type(value) not in (int, float):
        msg = f"expected a number, got {_describe(value)}"
        raise TypeError(msg)
    if type(value) is float and not math.isfinite(value):  # 1e400 reads as infinity
        msg = f"expected a finite number, got {value}"
        raise ValueError(msg)
    number: int | float = value
    return number


def _structure_float(value: Any, _: type) -> float:
    return float(_structure_number(value, float))


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    names = {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)


@functools.cache
def _members(kind: type[enum.Enum]) -> dict[tuple[type, Any], enum.Enum]:
    """The members of *kind* by (type, value) of their value: one dict look-up per value."""
    return {(type(m.value), m.value): m for m in kind}


def _structure_enum(value: Any, kind: type[enum.Enum]) -> enum.Enum:
    # Exact types: "1" is not IntEnum 1, nor true 1. (A list or dict value is unhashable.)
    if type(value) in (str, int):
        member = _members(kind).get((type(value), value))
        if member is not None:
            return member
    values = [str(m.value) for m in kind]
    msg = f"expected one of {', '.join(values)}; got {value!r}"
    if type(value) is str:
        import difflib  # noqa: PLC0415 - only for a mistake

        close = difflib.get_close_matches(value, values, n=1)
        if close:
            msg += f" (did you mean {close[0]!r}?)"
    raise ValueError(msg)


def _structure_partial_date(value: Any, _: type) -> PartialDate:
    if type(value) is not str:
        msg = f"expected a date string (YYYY, YYYY-MM or YYYY-MM-DD), got {_describe(value)}"
        raise TypeError(msg)
    return PartialDate.fromisoformat(value)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _structure_date(value: Any, _: type) -> dt.date:
    if type(value) is not str:
        msg = f"expected a date string YYYY-MM-DD, got {_describe(value)}"
        raise TypeError(msg)
    try:
        # fromisoformat also takes "20110203" and "2011-W05-3": not the dataset format.
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        msg = f"{value!r} is not a real date of the form YYYY-MM-DD"
        raise ValueError(msg) from None


#: The languages of the dataset being read, in order: a text's languages are put in this order.
_ORDER: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "_ORDER", default=DEFAULT_LANGUAGES
)


def _structure_text(value: Any, _: type) -> LocalizedText:
    if type(value) is not dict:
        msg = (
            "expected an object from language to text, like"
            f' {{"{_ORDER.get()[0]}": "..."}}, got {_describe(value)}'
        )
        raise TypeError(msg)
    for tag, written in value.items():
        if type(written) is not str:
            # A key may hold a line break: quote a key that is no language tag.
            name = tag if LANGUAGE_TAG.fullmatch(tag) else repr(tag)
            msg = f"{name}: expected a string, got {_describe(written)}"
            raise TypeError(msg)
    rank = {tag: i for i, tag in enumerate(_ORDER.get())}
    ordered = sorted(value.items(), key=lambda item: rank.get(item[0], len(rank)))
    return LocalizedText(dict(ordered))


def _unstructure_text(value: LocalizedText) -> dict[str, str]:
    return dict(value.items)


def _tuple_factory(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(kind: Any) -> Callable[[Any, Any], Any]:
        (item_type, _ellipsis) = get_args(kind)
        # Looked up on first use (not here, where the item type may still be in the making),
        # then kept: dispatching once per item costs a third of the loading time.
        hook: list[Callable[[Any, Any], Any]] = []

        def structure(value: Any, _: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                msg = f"expected a list, got {_describe(value)}"
                raise TypeError(msg)
            if not hook:
                hook.append(converter.get_structure_hook(item_type))
            item_hook = hook[0]
            items: list[Any] = []
            errors: list[Exception] = []
            for i, item in enumerate(value):
                try:
                    items.append(item_hook(item, item_type))
                except Exception as exc:
                    note = IterableValidationNote(f"Structuring {kind} @ index {i}", i, item_type)
                    exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {kind!r}", errors, kind)
            return tuple(items)

        return structure

    return factory


def _attrs_factory(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(kind: Any) -> Callable[[Any, Any], Any]:
        base = make_dict_structure_fn(
            kind, converter, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )

        def structure(value: Any, _: Any) -> Any:
            if type(value) is not dict:
                msg = f"expected an object, got {_describe(value)}"
                raise TypeError(msg)
            try:
                return base(value, kind)
            except (ClassValidationError, DatasetError):
                raise
            except (ValueError, TypeError) as exc:
                # A validator of the class itself: report it at the object's own path.
                raise ClassValidationError(
                    f"While structuring {kind.__name__}", [exc], kind
                ) from None

        return structure

    return factory


def configure_converter(converter: cattrs.Converter) -> None:
    """Register the hooks of the dataset file format on *converter*.

    - ``str``, ``int``, ``bool`` and numbers are strict: ``"5"`` is not an integer, nor ``true`` 1;
    - enumerations are their string values;
    - :class:`~leiden_twinning.PartialDate` is an ISO 8601 string at its own precision
      (``"1988"``, ``"2013-02"``, ``"1998-09-01"``), and :class:`datetime.date` a full ISO date;
    - :class:`~leiden_twinning.LocalizedText` is an object from language tag to text;
    - tuples are JSON lists;
    - attrs classes are JSON objects: unknown keys are errors, and fields equal to their default are
      left out when writing.
    """
    # Class hooks, not predicates: cattrs consults its class registry (which already maps str, int,
    # float, bool and enums to a lenient ``str(value)``-style call) before any predicate.
    for kind in (str, int, bool):
        converter.register_structure_hook(kind, _strict_scalar(kind))
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(int | float, _structure_number)
    # A StrEnum is a str and an IntEnum an int: register every enum base so that the class
    # registry picks the enum hook over the scalar ones.
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        converter.register_structure_hook(base, _structure_enum)
    converter.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda v: v.value
    )
    converter.register_structure_hook(LocalizedText, _structure_text)
    converter.register_unstructure_hook(LocalizedText, _unstructure_text)
    converter.register_structure_hook(PartialDate, _structure_partial_date)
    converter.register_unstructure_hook(PartialDate, PartialDate.isoformat)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_factory(converter))
    converter.register_structure_hook_factory(attrs.has, _attrs_factory(converter))
    converter.register_unstructure_hook_factory(
        attrs.has,
        lambda kind: make_dict_unstructure_fn(kind, converter, _cattrs_omit_if_default=True),
    )


def make_converter() -> cattrs.Converter:
    """Return a new converter for the dataset file format."""
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(converter)
    return converter


@functools.cache
def _shared_converter() -> cattrs.Converter:
    """The converter used when none is passed: built once, since it compiles a hook per class.

    It is private and never handed out, so nobody can customise it for everybody else.
    """
    return make_converter()


_ATTRS_MESSAGE = re.compile(r"(Length of )?'([A-Za-z_][A-Za-z0-9_]*)' (must .*)", re.DOTALL)


def _path_and_message(line: str) -> str:
    """Turn cattrs' ``"message @ $.a[0].b"`` into ``"a[0].b: message"``."""
    message, _, path = line.rpartition(" @ ")
    path = path.removeprefix("$").removeprefix(".")
    # A class validator names its own field first ("city: ..."): fold it into the path.
    head, sep, rest = message.partition(": ")
    if sep and head.isidentifier():
        path, message = (f"{path}.{head}" if path else head), rest
    else:
        # attrs' own validators quote the field: "'latitude' must be <= 90: 91.0",
        # "Length of 'nl' must be >= 1: 0".
        match = _ATTRS_MESSAGE.fullmatch(message)
        if match is not None:
            length, field, rest = match.groups()
            path = f"{path}.{field}" if path else field
            message = f"length {rest}" if length else rest
    return f"{path}: {message}" if path else message


def _format_exception(exc: BaseException, kind: type | None) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        # A key may hold a line break or a terminal escape: quote those, one problem stays one line.
        names = (k if k.isprintable() else repr(k) for k in sorted(exc.extra_fields))
        return f"unknown field(s): {', '.join(names)}"
    if isinstance(exc, ValueError | TypeError | OverflowError):  # Overflow: an int past C long
        return str(exc)
    return f"{type(exc).__name__}: {exc}"  # pragma: no cover - cattrs raises only the above


def _header(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Check the keys the converter does not read itself; return the rest of the document."""
    problems: list[str] = []
    body = dict(document)
    version = body.pop("schema_version", None)
    if "schema_version" not in document:
        raise DatasetError(["schema_version: required field missing"])
    # Exact type: true and 1.0 compare equal to 1, but are not the version number.
    if type(version) is not int or version not in READABLE_VERSIONS:
        readable = " or ".join(str(v) for v in READABLE_VERSIONS)
        problems.append(f"schema_version: expected {readable}, got {version!r}")
        raise DatasetError(problems)
    if "$schema" in body:
        body["json_schema"] = body.pop("$schema")
    if version == 1:
        if "languages" in body:
            problems.append(
                f"languages: not in schema_version 1 files; write schema_version {SCHEMA_VERSION}"
            )
        body["languages"] = list(DEFAULT_LANGUAGES)
    elif "languages" not in body:
        problems.append("languages: required field missing")
    return body, problems


def _order(body: dict[str, Any]) -> tuple[str, ...]:
    languages = body.get("languages")
    if type(languages) is list and languages and all(type(t) is str for t in languages):
        return tuple(languages)
    return DEFAULT_LANGUAGES


def structure_dataset(document: Any, converter: cattrs.Converter | None = None) -> Dataset:
    """Turn a parsed JSON document into a :class:`Dataset`, or raise :exc:`DatasetError`.

    Files of schema version 1 are read as version 2 with ``"languages": ["nl", "en"]``.
    """
    if type(document) is not dict:
        raise DatasetError([f"expected a JSON object at the top, got {_describe(document)}"])
    body, header = _header(document)
    if header and "languages" not in body:
        raise DatasetError(header)
    token = _ORDER.set(_order(body))
    try:
        dataset: Dataset = (converter or _shared_converter()).structure(body, Dataset)
    except ClassValidationError as exc:
        if len(exc.exceptions) == 1 and isinstance(exc.exceptions[0], DatasetError):
            # Every field was well-formed; the Dataset's own reference checks failed.
            raise DatasetError([*header, *exc.exceptions[0].problems]) from None
        lines = cattrs.transform_error(exc, path="$", format_exception=_format_exception)
        raise DatasetError([*header, *(_path_and_message(line) for line in lines)]) from None
    finally:
        _ORDER.reset(token)
    if header:
        raise DatasetError(header)
    return dataset


def unstructure_dataset(
    dataset: Dataset, converter: cattrs.Converter | None = None
) -> dict[str, Any]:
    """Turn *dataset* into a JSON-ready document, ``$schema`` and ``schema_version`` first."""
    body: dict[str, Any] = (converter or _shared_converter()).unstructure(dataset)
    body.pop("languages", None)
    head: dict[str, Any] = {}
    schema = body.pop("json_schema", None)
    if schema is not None:
        head["$schema"] = schema
    head["schema_version"] = SCHEMA_VERSION
    head["languages"] = list(dataset.languages)
    return {**head, **body}
