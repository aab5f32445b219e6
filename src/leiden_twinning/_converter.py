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
from leiden_twinning._i18n import N_
from leiden_twinning._model import LANGUAGE_TAG, LocalizedText, PartialDate
from leiden_twinning.exceptions import DatasetError, DatasetProblem

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

__all__ = [
    "configure_converter",
    "make_converter",
    "structure_dataset",
    "unstructure_dataset",
    "unstructure_parts",
]


class _MistakeError(ValueError):
    """A value of the wrong shape: an English message, and its catalog template and params."""

    def __init__(self, message_id: str, *, where: str = "", **params: Any) -> None:
        super().__init__(message_id.format(**params))
        self.message_id = message_id
        self.params = params
        #: A step of the path below the value's own (a text's language).
        self.where = where


_SCALARS: dict[type, str] = {
    # Translators: a dataset problem; {found} is e.g. "a number". Keep JSON words untranslated.
    str: N_("expected a string, found {found}"),
    # Translators: a dataset problem; true and false are JSON words, keep them as they are.
    bool: N_("expected true or false, found {found}"),
    # Translators: a dataset problem; {found} is e.g. "a string".
    int: N_("expected an integer, found {found}"),
}


def _strict_scalar(kind: type) -> Callable[[Any, type], Any]:
    def structure(value: Any, _: type) -> Any:
        # bool is an int in Python, but not in a JSON document.
        if type(value) is not kind:
            raise _MistakeError(_SCALARS[kind], found=_describe(value))
        return value

    return structure


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _structure_number(value: Any, _: type) -> int | float:
    if type(value) not in (int, float):
        # Translators: a dataset problem; {found} is e.g. "a string".
        raise _MistakeError(N_("expected a number, found {found}"), found=_describe(value))
    if type(value) is float and not math.isfinite(value):  # 1e400 reads as infinity
        # Translators: a dataset problem; {found} is a number too large, e.g. "inf".
        raise _MistakeError(N_("expected a finite number, found {found}"), found=str(value))
    number: int | float = value
    return number


def _structure_float(value: Any, _: type) -> float:
    return float(_structure_number(value, float))


def _describe(value: Any) -> str:
    """What a JSON value is, in a JSON word (the same in every language)."""
    if value is None:
        return "null"
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) in (int, float):
        return repr(value)
    if type(value) is str:
        return _quote(value)
    names: dict[type, str] = {dict: "{...}", list: "[...]"}
    return names.get(type(value), type(value).__name__)


def _quote(value: str) -> str:
    """*value* as a JSON string, cut short when long: one problem stays one short line."""
    import json  # noqa: PLC0415 - only for a mistake

    short = value if len(value) <= 40 else value[:37] + "..."
    return json.dumps(short, ensure_ascii=not short.isprintable())


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
    expected = ", ".join(values)
    if type(value) is str:
        import difflib  # noqa: PLC0415 - only for a mistake

        close = difflib.get_close_matches(value, values, n=1, cutoff=0.6)
        if close:
            raise _MistakeError(
                # Translators: a dataset problem; {expected} lists the allowed values.
                N_("expected one of {expected}, found {found}; did you mean {suggestion}?"),
                expected=expected,
                found=_describe(value),
                suggestion=_quote(close[0]),
            )
    # Translators: a dataset problem; {expected} lists the allowed values.
    raise _MistakeError(
        N_("expected one of {expected}, found {found}"), expected=expected, found=_describe(value)
    )


def _structure_partial_date(value: Any, _: type) -> PartialDate:
    # Translators: a dataset problem; YYYY, MM and DD stand for year, month and day digits.
    message = N_("expected a date like YYYY, YYYY-MM or YYYY-MM-DD, found {found}")
    if type(value) is not str:
        raise _MistakeError(message, found=_describe(value))
    try:
        return PartialDate.fromisoformat(value)
    except ValueError:
        if _DATE_SHAPE.fullmatch(value):  # the right shape, but no such day or month
            message = _REAL_DATE
        raise _MistakeError(message, found=_describe(value)) from None


#: A partial date in the right shape; when it still fails, the day or the month does not exist.
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?")
# Translators: a dataset problem; YYYY, MM and DD stand for year, month and day digits.
_REAL_DATE = N_("expected a real date like YYYY-MM-DD, found {found}")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _structure_date(value: Any, _: type) -> dt.date:
    message = _REAL_DATE
    if type(value) is not str:
        raise _MistakeError(message, found=_describe(value))
    try:
        # fromisoformat also takes "20110203" and "2011-W05-3": not the dataset format.
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _MistakeError(message, found=_describe(value)) from None


#: The languages of the dataset being read, in order: a text's languages are put in this order.
_ORDER: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "_ORDER", default=DEFAULT_LANGUAGES
)


def _structure_text(value: Any, _: type) -> LocalizedText:
    if type(value) is not dict:
        raise _MistakeError(
            # Translators: a dataset problem; {example} is e.g. {"nl": "..."}, keep it as it is.
            N_("expected a text object like {example}, found {found}"),
            example=f'{{"{_ORDER.get()[0]}": "..."}}',
            found=_describe(value),
        )
    for tag, written in value.items():
        if type(written) is not str:
            # A key may hold a line break: quote a key that is no language tag.
            name = tag if LANGUAGE_TAG.fullmatch(tag) else repr(tag)
            raise _MistakeError(_SCALARS[str], where=name, found=_describe(written))
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
                raise _MistakeError(
                    # Translators: a dataset problem; [...] is a JSON list, keep it as it is.
                    N_("expected a list [...], found {found}"),
                    found=_describe(value),
                )
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
                raise _MistakeError(
                    # Translators: a dataset problem; {...} is a JSON object, keep it as it is.
                    N_("expected an object {{...}}, found {found}"),
                    found=_describe(value),
                )
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


def _join(path: str, step: str) -> str:
    return f"{path}.{step}" if path else step


def _collect(exc: BaseException, path: str, out: list[str]) -> None:
    """Every problem inside cattrs' structured *exc*, each with its path, in document order."""
    if isinstance(exc, ClassValidationError):
        with_notes, others = exc.group_exceptions()
        for sub, note in with_notes:
            _collect(sub, _join(path, note.name), out)
        for sub in others:
            _collect(sub, path, out)
    elif isinstance(exc, IterableValidationError):
        with_indices, others = exc.group_exceptions()
        for sub, index in with_indices:
            _collect(sub, f"{path}[{index.index}]", out)
        for sub in others:  # pragma: no cover - every item carries its index
            _collect(sub, path, out)
    elif isinstance(exc, DatasetError):
        out.extend(exc.problems)
    elif isinstance(exc, _MistakeError):
        out.append(_mistake_problem(exc, path))
    elif isinstance(exc, KeyError):
        # Translators: a dataset problem: a field the object must have is not there.
        out.append(DatasetProblem(path, N_("required field missing")))
    elif isinstance(exc, cattrs.ForbiddenExtraKeysError):
        out.extend(_unknown_fields(exc, path))
    else:  # a validator of the model: English only, at the path it names
        text = _path_and_message(f"{exc} @ $.{path}" if path else str(exc))
        where, sep, message = text.partition(": ")
        if not sep:
            where, message = "", text
        out.append(DatasetProblem(where, "{message}", {"message": message}))


def _mistake_problem(exc: _MistakeError, path: str) -> DatasetProblem:
    if not exc.where or exc.where.isidentifier():
        where = _join(path, exc.where) if exc.where else path
        return DatasetProblem(where, exc.message_id, exc.params)
    # A key that is no name ("de-CH", or a quoted mistake) goes before the message.
    # Translators: a dataset problem; {language} is a text's language tag, e.g. "de-CH".
    template = N_("{language}: expected a string, found {found}")
    return DatasetProblem(path, template, {"language": exc.where, **exc.params})


def _unknown_fields(exc: cattrs.ForbiddenExtraKeysError, path: str) -> list[str]:
    import difflib  # noqa: PLC0415 - only for a mistake

    known = [a.alias for a in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
    problems: list[str] = []
    for key in sorted(exc.extra_fields):
        # A key may hold a line break or a terminal escape: quote those, one problem stays one line.
        name = key if key.isprintable() else repr(key)
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
        if close:
            problems.append(
                DatasetProblem(
                    path,
                    # Translators: a dataset problem; {field} is a key of a JSON object.
                    N_("unknown field {field}; did you mean {suggestion}?"),
                    {"field": name, "suggestion": close[0]},
                )
            )
        else:
            problems.append(
                DatasetProblem(
                    path,
                    # Translators: a dataset problem; {field} is a key of a JSON object.
                    N_("unknown field {field}"),
                    {"field": name},
                )
            )
    return problems


def _header(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Check the keys the converter does not read itself; return the rest of the document."""
    problems: list[str] = []
    body = dict(document)
    version = body.pop("schema_version", None)
    if "schema_version" not in document:
        raise DatasetError([DatasetProblem("schema_version", N_("required field missing"))])
    # Exact type: true and 1.0 compare equal to 1, but are not the version number.
    if type(version) is not int or version not in READABLE_VERSIONS:
        readable = ", ".join(str(v) for v in READABLE_VERSIONS)
        # Translators: a dataset problem; {expected} lists the allowed values.
        message = N_("expected one of {expected}, found {found}")
        found = _describe(version)
        problems.append(
            DatasetProblem("schema_version", message, {"expected": readable, "found": found})
        )
        raise DatasetError(problems)
    if "$schema" in body:
        body["json_schema"] = body.pop("$schema")
    if version == 1:
        if "languages" in body:
            problems.append(
                DatasetProblem(
                    "languages",
                    # Translators: a dataset problem; "languages" and schema_version are keys.
                    N_("not in schema_version 1 files; write schema_version {version}"),
                    {"version": SCHEMA_VERSION},
                )
            )
        body["languages"] = list(DEFAULT_LANGUAGES)
    elif "languages" not in body:
        problems.append(DatasetProblem("languages", N_("required field missing")))
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
        found = _describe(document)
        # Translators: a dataset problem; {...} is a JSON object, keep it as it is.
        raise DatasetError(
            [DatasetProblem("", N_("expected an object {{...}}, found {found}"), {"found": found})]
        )
    body, header = _header(document)
    if header and "languages" not in body:
        raise DatasetError(header)
    token = _ORDER.set(_order(body))
    try:
        dataset: Dataset = (converter or _shared_converter()).structure(body, Dataset)
    except (ClassValidationError, DatasetError) as exc:
        problems: list[str] = [*header]
        _collect(exc, "", problems)
        raise DatasetError(problems) from None
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


def unstructure_parts(
    dataset: Dataset, converter: cattrs.Converter | None = None
) -> Iterator[tuple[str, Any, Iterator[Any] | None]]:
    """:func:`unstructure_dataset`'s document key by key, a collection one item at a time.

    Each part is ``(key, value, None)``, or ``(key, None, items)`` for a collection (sources,
    cities, partnerships, ...), whose items are unstructured only as they are taken: a writer
    then never holds the whole plain document, which for a large dataset is many objects for the
    garbage collector to walk again and again. The keys, their order and every value are those
    of :func:`unstructure_dataset` (a test holds the JSON of the two equal).
    """
    unstructure = (converter or _shared_converter()).unstructure
    if dataset.json_schema is not None:
        yield "$schema", dataset.json_schema, None
    yield "schema_version", SCHEMA_VERSION, None
    yield "languages", list(dataset.languages), None
    for field in attrs.fields(type(dataset)):
        if not field.init or field.name in _HEAD_FIELDS:
            continue
        value = getattr(dataset, field.name)
        if field.default is not attrs.NOTHING and value == field.default:
            continue  # as the converter's omit_if_default
        if isinstance(value, tuple) and value and attrs.has(type(value[0])):
            yield field.name, None, (unstructure(item) for item in value)
        else:
            yield field.name, unstructure(value), None


#: The fields :func:`unstructure_dataset` puts first (as ``$schema`` and ``languages``).
_HEAD_FIELDS = frozenset({"json_schema", "languages"})
