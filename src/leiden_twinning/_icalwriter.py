r"""A fast iCalendar (RFC 5545) writer that writes exactly the bytes of icalendar 7's ``to_ical()``.

icalendar builds an object per property and per parameter set and folds each line character by
character; for a large calendar that is most of the export. This writer takes components as
plain data -- a name, ``(NAME, VALUE, PARAMS)`` triples whose value and parameters are already
written as text, and subcomponents -- and gives the same bytes as icalendar would for the same
content:

- properties in icalendar's order: first those of the component's canonical order (``VERSION``,
  ``PRODID``, ``CALSCALE`` ... for ``VCALENDAR``; ``SUMMARY``, ``DTSTART``, ``DTEND`` ... for
  ``VEVENT``), then the others by name; repeated properties keep the order they were added in;
- parameters sorted by name, RFC 6868 caret-encoded and quoted as icalendar quotes them
  (:func:`params`);
- values written as icalendar writes TEXT (:func:`text`, including its reading of a literal
  ``\N`` as a line break), lists of TEXT (:func:`text_list`), DATE, DATE-TIME, DURATION and
  RECUR (:func:`date`, :func:`date_time`, :func:`duration`, :func:`recur`) and URIs (:func:`uri`);
- lines folded as icalendar folds them (:func:`~leiden_twinning._rfc.fold_icalendar`), CRLF.

:func:`from_icalendar` turns an :class:`icalendar.cal.Component` into this writer's input, so that
``to_ical(from_icalendar(calendar)) == calendar.to_ical()`` can be tested on any calendar.

>>> import datetime as dt
>>> from leiden_twinning._icalwriter import Component, date, params, text, to_ical
>>> event = Component("VEVENT")
>>> event.add("UID", text("a@example.org"))
>>> event.add("DTSTART", date(dt.date(2026, 9, 1)), params({"VALUE": "DATE"}))
>>> event.add("SUMMARY", text("Leiden, Oxford; 80 years"), params({"LANGUAGE": "en"}))
>>> calendar = Component("VCALENDAR", [("VERSION", "2.0", "")], [event])
>>> print(*to_ical(calendar).decode().split("\r\n"), sep="\n")
BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
SUMMARY;LANGUAGE=en:Leiden\, Oxford\; 80 years
DTSTART;VALUE=DATE:20260901
UID:a@example.org
END:VEVENT
END:VCALENDAR
<BLANKLINE>
"""

from __future__ import annotations

import datetime as dt
import re
from typing import IO, TYPE_CHECKING, Any

from leiden_twinning._rfc import CRLF, fold_icalendar

#: The longest line icalendar leaves unfolded, in octets (without its CRLF).
_FITS = 74

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

__all__ = [
    "Component",
    "ICalComponent",
    "Property",
    "date",
    "date_time",
    "duration",
    "from_icalendar",
    "lines",
    "params",
    "recur",
    "text",
    "text_list",
    "to_ical",
    "uri",
    "write",
]

#: One property: its name (upper case), its value as written, and its parameters as written by
#: :func:`params` (``""`` for none, else starting with ``;``).
Property = tuple[str, str, str]

#: icalendar's ``canonical_order`` of each component that has one (checked by a test against
#: icalendar's classes); every other property follows in the order of its name.
CANONICAL_ORDER: dict[str, tuple[str, ...]] = {
    "VCALENDAR": (
        "VERSION",
        "PRODID",
        "CALSCALE",
        "METHOD",
        "DESCRIPTION",
        "X-WR-CALDESC",
        "NAME",
        "X-WR-CALNAME",
    ),
    "VEVENT": (
        "SUMMARY",
        "DTSTART",
        "DTEND",
        "DURATION",
        "DTSTAMP",
        "UID",
        "RECURRENCE-ID",
        "SEQUENCE",
        "RRULE",
        "RDATE",
        "EXDATE",
    ),
    "VTIMEZONE": ("TZID",),
    "VAVAILABILITY": (
        "DTSTART",
        "DTEND",
        "DURATION",
        "DTSTAMP",
        "UID",
        "SEQUENCE",
        "SUMMARY",
        "DESCRIPTION",
        "ORGANIZER",
    ),
}
_RANKS = {name: {p: i for i, p in enumerate(order)} for name, order in CANONICAL_ORDER.items()}

#: icalendar's ``vRecur.canonical_order``: the parts of a recurrence rule, in the order written.
RECUR_ORDER = (
    "RSCALE",
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYWEEKDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
    "SKIP",
)
_RECUR_RANKS = {p: i for i, p in enumerate(RECUR_ORDER)}

#: Parameters icalendar always quotes (``Parameters.always_quoted``), and CN when it holds these.
ALWAYS_QUOTED = frozenset(
    {
        "ALTREP",
        "DELEGATED-FROM",
        "DELEGATED-TO",
        "DIR",
        "MEMBER",
        "SENT-BY",
        "X-ADDRESS",
        "X-TITLE",
        "LINKREL",
    }
)
_CN_QUOTED = " '"
_QUOTABLE = re.compile("[,;:\N{RIGHT SINGLE QUOTATION MARK}]")
_CARET = re.compile(r'\^|\r\n|\r|\n|"')
_CARETS = {"^": "^^", "\r\n": "^n", "\r": "^n", "\n": "^n", '"': "^'"}
_NAME = re.compile(r"[A-Z0-9-]+")
_RECUR_TOKEN = re.compile(r"[A-Za-z0-9+-]+")
_LINE_BREAK = re.compile(r"[\r\n]")
#: What text() changes: a backslash (also of a literal ``\N``), ``;``, ``,`` and line breaks.
_TO_ESCAPE = re.compile(r"[\\;,\r\n]")
_ZERO = dt.timedelta(0)
#: Names checked once: a property or parameter name is one of a dozen constants per export.
_CHECKED_NAMES: set[str] = set()


def _name(name: str) -> str:
    if name not in _CHECKED_NAMES:
        if not _NAME.fullmatch(name):
            msg = f"{name!r} is not an upper-case property, parameter or component name"
            raise ValueError(msg)
        _CHECKED_NAMES.add(name)
    return name


def text(value: str) -> str:
    r"""A TEXT value as icalendar writes it: ``\``, ``;``, ``,`` and line breaks escaped.

    Like icalendar, a literal ``\N`` is read as a line break, and CR LF, CR and LF all become
    ``\n`` (TEXT cannot carry a carriage return).

    >>> from leiden_twinning._icalwriter import text
    >>> print(text("a\\b;c,d\r\ne"))
    a\\b\;c\,d\ne
    """
    if not _TO_ESCAPE.search(value):
        return value  # most titles and names: nothing to escape
    if "\\" not in value and "\n" not in value and "\r" not in value:
        return value.replace(";", "\\;").replace(",", "\\,")  # most others: a comma
    # The order is icalendar's (_escape_char): each step sees the output of the one before.
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def text_list(values: Iterable[str]) -> str:
    r"""A list of TEXT values (``CATEGORIES``), each escaped, joined by ``,``.

    >>> from leiden_twinning._icalwriter import text_list
    >>> text_list(["jubilee", "Leiden, Oxford"])
    'jubilee,Leiden\\, Oxford'
    """
    return ",".join(map(text, values))


def uri(value: str) -> str:
    """A URI (or CAL-ADDRESS) value: written as it is, so a line break in it is refused.

    >>> from leiden_twinning._icalwriter import uri
    >>> uri("https://example.org/a?b=c;d")
    'https://example.org/a?b=c;d'
    """
    if _LINE_BREAK.search(value):
        msg = f"the URI {value!r} holds a line break"
        raise ValueError(msg)
    return value


def date(value: dt.date) -> str:
    """A DATE value: ``YYYYMMDD`` (give the property ``VALUE=DATE``, as icalendar does).

    >>> import datetime as dt
    >>> from leiden_twinning._icalwriter import date
    >>> date(dt.date(998, 9, 1))
    '09980901'
    """
    return f"{value.year:04}{value.month:02}{value.day:02}"


def _is_utc(tz: dt.tzinfo) -> bool:
    return tz is dt.UTC or getattr(tz, "key", None) == "UTC" or getattr(tz, "zone", None) == "UTC"


def date_time(value: dt.datetime) -> str:
    """A DATE-TIME value: ``YYYYMMDDTHHMMSS``, with ``Z`` in UTC.

    A time in another zone is written as its local time: give the property ``TZID`` (and the
    calendar its ``VTIMEZONE``), as icalendar does.

    >>> import datetime as dt
    >>> from leiden_twinning._icalwriter import date_time
    >>> date_time(dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
    '20261129T000000Z'
    """
    written = (
        f"{value.year:04}{value.month:02}{value.day:02}"
        f"T{value.hour:02}{value.minute:02}{value.second:02}"
    )
    if value.tzinfo is not None and _is_utc(value.tzinfo):
        return written + "Z"
    return written


def duration(value: dt.timedelta) -> str:
    """A DURATION value as icalendar writes it (days, hours, minutes, seconds; no weeks).

    >>> import datetime as dt
    >>> from leiden_twinning._icalwriter import duration
    >>> duration(-dt.timedelta(minutes=15)), duration(dt.timedelta(days=1, seconds=3600))
    ('-PT15M', 'P1DT1H')
    """
    sign = ""
    if value.days < 0:
        sign = "-"
        value = -value
    time = ""
    if value.seconds:
        hours, rest = divmod(value.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        time = "T"
        if hours:
            time += f"{hours}H"
        if minutes or (hours and seconds):
            time += f"{minutes}M"
        if seconds:
            time += f"{seconds}S"
        if value.days == 0:
            return f"{sign}P{time}"
    return f"{sign}P{value.days}D{time}"


def _recur_item(value: int | str | dt.date) -> str:
    if isinstance(value, bool):
        msg = f"a recurrence rule part cannot be {value!r}"
        raise TypeError(msg)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if not _RECUR_TOKEN.fullmatch(value):
            msg = f"{value!r} is not a recurrence rule value"
            raise ValueError(msg)
        return value
    if isinstance(value, dt.datetime):
        return date_time(value)
    return date(value)


def recur(parts: Mapping[str, int | str | dt.date | Sequence[int | str | dt.date]]) -> str:
    """A RECUR value (``RRULE``): the parts in icalendar's order, lists joined by ``,``.

    >>> from leiden_twinning._icalwriter import recur
    >>> recur({"BYMONTHDAY": -1, "BYMONTH": 2, "FREQ": "YEARLY"})
    'FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2'
    """
    n = len(RECUR_ORDER)
    keys = sorted(parts, key=lambda k: (_RECUR_RANKS.get(k.upper(), n), k.upper()))
    written = []
    for key in keys:
        value = parts[key]
        items = value if isinstance(value, list | tuple) else (value,)
        written.append(f"{_name(key.upper())}={','.join(map(_recur_item, items))}")
    return ";".join(written)


def _param(value: str, always: bool) -> str:
    """RFC 6868 encoding, quoted when icalendar quotes: ``,``, ``;``, ``:`` or U+2019 in it."""
    encoded = _CARET.sub(lambda m: _CARETS[m.group()], value)
    if always or _QUOTABLE.search(encoded):
        return f'"{encoded}"'
    return encoded


def params(
    items: Mapping[str, str | Sequence[str]] | Iterable[tuple[str, str | Sequence[str]]],
) -> str:
    r"""Parameters as icalendar writes them: ``;NAME=value`` sorted by name, or ``""`` for none.

    A value that is a list or tuple becomes a comma-separated list, each item quoted on its own.
    ``TZID=UTC`` is left out (a UTC time says so with ``Z``). Compute the parameters once per
    export where they repeat: the result is a string.

    >>> from leiden_twinning._icalwriter import params
    >>> params({"VALUE": "TEXT", "LANGUAGE": "en"})
    ';LANGUAGE=en;VALUE=TEXT'
    >>> params([("X-NOTE", 'say "hi", ^_^'), ("MEMBER", ["mailto:a@b", "mailto:c@d"])])
    ';MEMBER="mailto:a@b","mailto:c@d";X-NOTE="say ^\'hi^\', ^^_^^"'
    """
    pairs = items.items() if hasattr(items, "items") else items
    # Upper-cased and de-duplicated (the last wins) as icalendar's Parameters dictionary does.
    found = {_name(k.upper()): v for k, v in pairs}
    written = []
    for key in sorted(found):
        value = found[key]
        if key == "TZID" and value == "UTC":
            continue
        always = key in ALWAYS_QUOTED or (
            key == "CN" and any(c in value for c in _CN_QUOTED)  # as icalendar tests it
        )
        if isinstance(value, str):
            written.append(f";{key}={_param(value, always)}")
        else:
            written.append(f";{key}={','.join(_param(v, always) for v in value)}")
    return "".join(written)


class ICalComponent:
    """A component to write: a name, ``(NAME, VALUE, PARAMS)`` triples, subcomponents.

    Each triple holds the property's name in upper case, its value as written (by
    :func:`~leiden_twinning.exporting.ical_text`, :func:`~leiden_twinning.exporting.ical_date`
    ...) and its parameters as :func:`~leiden_twinning.exporting.ical_params` writes them (``""``
    for none). *components* may be any iterable, a generator too:
    :func:`~leiden_twinning.exporting.ical_write` consumes it once, one
    subcomponent at a time, so a calendar of many events need not exist in memory all at once.
    """

    __slots__ = ("components", "name", "properties")

    def __init__(
        self,
        name: str,
        properties: Iterable[tuple[str, str, str]] = (),
        components: Iterable[ICalComponent] | None = None,
    ) -> None:
        self.name = _name(name)
        self.properties = list(properties)
        self.components: Iterable[ICalComponent] = [] if components is None else components

    def add(self, name: str, value: str, params: str = "") -> None:
        """Add a property: *value* and *params* as written (as in the triples above)."""
        self.properties.append((name, value, params))

    def __repr__(self) -> str:
        return f"ICalComponent({self.name!r}, {self.properties!r}, {self.components!r})"


#: The name the writer's own code and tests use.
Component = ICalComponent


#: Per component name: each property name's sort key, made (and the name checked) once.
_SORT_KEYS: dict[str, dict[str, tuple[int, str]]] = {}


def _ordered(name: str, properties: list[Property]) -> list[Property]:
    """The properties in icalendar's order: canonical ones first, then by name, stable."""
    keys = _SORT_KEYS.setdefault(name, {})
    for key, _value, _params in properties:
        if key not in keys:
            ranks = _RANKS.get(name, {})
            keys[_name(key)] = (ranks.get(key, len(ranks)), key)
    return sorted(properties, key=lambda p: keys[p[0]])


def _chunks(component: ICalComponent) -> Iterator[bytes]:
    """The bytes of *component*: its own lines in one piece, then each subcomponent's."""
    name = component.name
    lines = [b"BEGIN:", name.encode("ascii"), CRLF]
    for key, value, written in _ordered(name, component.properties):
        if "\n" in value or "\r" in value:
            msg = f"{name} {key}: the value holds a line break; escape it with text()"
            raise ValueError(msg)
        lines.append(fold_icalendar(f"{key}{written}:{value}"))
    yield b"".join(lines)
    for sub in component.components:
        yield from _chunks(sub)
    yield b"END:" + name.encode("ascii") + CRLF


def lines(properties: Iterable[tuple[str, str, str]]) -> bytes:
    r"""*properties* as folded content lines with CRLF, in the order given (nothing is sorted).

    For a caller that writes a component's lines itself, already in icalendar's order (the
    canonical properties first, then the others by name), which a test must then hold equal
    to icalendar's bytes.

    >>> from leiden_twinning._icalwriter import lines, params, text
    >>> lines([("SUMMARY", text("a;b"), params({"LANGUAGE": "en"})), ("UID", "1", "")])
    b'SUMMARY;LANGUAGE=en:a\\;b\r\nUID:1\r\n'
    """
    written = []
    for key, value, parameters in properties:
        if "\n" in value or "\r" in value:
            msg = f"{key}: the value holds a line break; escape it with text()"
            raise ValueError(msg)
        line = f"{key}{parameters}:{value}"
        data = line.encode("utf-8")
        # Most lines fit: only a long one goes through the folding loop.
        written.append(data + CRLF if len(data) <= _FITS else fold_icalendar(line))
    return b"".join(written)


def to_ical(component: ICalComponent) -> bytes:
    """The component as iCalendar bytes, equal to icalendar's ``to_ical()`` for the same content."""
    return b"".join(_chunks(component))


def write(component: ICalComponent, stream: IO[bytes]) -> None:
    """Write the component to a binary *stream*, one (sub)component at a time."""
    for chunk in _chunks(component):
        stream.write(chunk)


def _value(name: str, value: Any) -> tuple[str, str]:
    """The written value of one icalendar property value, and its parameters as written."""
    from icalendar.prop import (  # noqa: PLC0415 - only for tests and conversions
        vCalAddress,
        vCategory,
        vDate,
        vDatetime,
        vDDDTypes,
        vDuration,
        vInt,
        vRecur,
        vText,
        vUri,
    )

    written = params(value.params.items()) if hasattr(value, "params") else ""
    if isinstance(value, vText):
        return text(str(value)), written
    if isinstance(value, vCategory):
        return text_list(str(c) for c in value.cats), written
    if isinstance(value, vUri | vCalAddress):
        return uri(str(value)), written
    if isinstance(value, vRecur):
        return recur(dict(value)), written
    if isinstance(value, vInt):
        return str(int(value)), written
    if isinstance(value, vDDDTypes | vDate | vDatetime | vDuration):
        inner = value.dt if not isinstance(value, vDuration) else value.td
        if isinstance(inner, dt.datetime):
            return date_time(inner), written
        if isinstance(inner, dt.date):
            return date(inner), written
        if isinstance(inner, dt.timedelta):
            return duration(inner), written
    msg = f"{name}: no writer for icalendar's {type(value).__name__} value {value!r}"
    raise TypeError(msg)


def from_icalendar(component: Any) -> ICalComponent:
    """The writer's input for an icalendar component (a calendar, an event...).

    Handles the value types the exporters use: TEXT (``vText``), ``CATEGORIES``, URI and
    CAL-ADDRESS, RECUR, INTEGER, DATE, DATE-TIME and DURATION; another type is a
    :class:`TypeError`. Properties are taken in the order they were added: the writer sorts them.
    """
    properties: list[Property] = []
    for name, values in component.items():
        for value in values if isinstance(values, list) else [values]:
            properties.append((name, *_value(name, value)))
    return ICalComponent(
        component.name,
        properties,
        [from_icalendar(sub) for sub in component.subcomponents],
    )
