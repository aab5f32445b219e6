"""What an exporter needs besides the model: the public helpers every exporter may import.

The built-in exporters import nothing private: they use :mod:`leiden_twinning` (the model,
:func:`~leiden_twinning.i18n`, :class:`~leiden_twinning.Exporter`), :mod:`leiden_twinning.hookspecs`
and this module, exactly as a third-party exporter can. The helpers here are those the built-ins
share, so that each rule (how a ``partnerships`` option picks ties, how a reference date is
read, what ``PRODID`` says, how a large text is written) exists once:

>>> import leiden_twinning as lt
>>> from leiden_twinning import exporting
>>> [p.id for p in exporting.select_partnerships(lt.load(), ["Oxford"], exporter="csv")]
['leiden-oxford']
>>> exporting.reference_date("2026-01-31", lt.load(), exporter="csv")
datetime.date(2026, 1, 31)

The vCard content-line helpers (:func:`content_line`, :func:`escape_text`, :func:`fold`, ...)
implement RFC 2425/2426 and RFC 6350; see their docstrings. The iCalendar writer
(:class:`ICalComponent`, :func:`ical_write`, :func:`ical_text`, :func:`ical_params`, ...) writes
RFC 5545 exactly as icalendar's ``to_ical()`` does, without building its objects.

.. versionadded:: 1.0
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import functools
import itertools
import re
from typing import IO, TYPE_CHECKING, Any, Literal, NamedTuple

from leiden_twinning._calendar import UID_DOMAIN, days_approximate, days_unknown
from leiden_twinning._exporter import Option
from leiden_twinning._i18n import N_
from leiden_twinning._icalwriter import ICalComponent
from leiden_twinning._icalwriter import date as ical_date
from leiden_twinning._icalwriter import date_time as ical_date_time
from leiden_twinning._icalwriter import duration as ical_duration
from leiden_twinning._icalwriter import lines as ical_lines
from leiden_twinning._icalwriter import params as ical_params
from leiden_twinning._icalwriter import recur as ical_recur
from leiden_twinning._icalwriter import text as ical_text
from leiden_twinning._icalwriter import text_list as ical_text_list
from leiden_twinning._icalwriter import to_ical as ical_bytes
from leiden_twinning._icalwriter import uri as ical_uri
from leiden_twinning._icalwriter import write as ical_write
from leiden_twinning._io import encode
from leiden_twinning._rfc import (
    content_line,
    escape_list,
    escape_structured,
    escape_text,
    fold,
    param_value,
)
from leiden_twinning._rfc import fold_icalendar_text as ical_fold
from leiden_twinning.exceptions import ExportError, UnknownEntityError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from leiden_twinning._dataset import Dataset
    from leiden_twinning._i18n import I18n
    from leiden_twinning._model import Partnership

__all__ = [
    "BLOCK_SIZE",
    "N_",
    "UID_DOMAIN",
    "Duration",
    "DurationError",
    "ICalComponent",
    "Phone",
    "content_line",
    "days_approximate",
    "days_unknown",
    "duration",
    "encode",
    "escape_list",
    "escape_structured",
    "escape_text",
    "fold",
    "ical_bytes",
    "ical_date",
    "ical_date_time",
    "ical_duration",
    "ical_fold",
    "ical_lines",
    "ical_params",
    "ical_recur",
    "ical_text",
    "ical_text_list",
    "ical_uri",
    "ical_write",
    "iso_date",
    "param_value",
    "partnerships_option",
    "phone",
    "prodid",
    "reference_date",
    "select_partnerships",
    "translate",
    "write_blocks",
]

#: :func:`write_blocks` gathers pieces to about this many characters before each write.
BLOCK_SIZE = 1 << 16


def partnerships_option() -> Option:
    """The ``partnerships`` option: which ties to export, by id or partner city name.

    Repeatable (``--partnership oxford --partnership torun`` on the CLI, a list in Python);
    every tie when not given. Read its value with :func:`select_partnerships`. Every exporter
    that offers the choice declares this one option, so that it has one name, one metavar and
    one help text everywhere.
    """
    return Option(
        name="partnerships",
        # Translators: help of the --partnership option of an export format.
        help=N_("only this tie, by id or partner city name (repeatable; default: all)"),
        multiple=True,
        default=(),
        metavar="TIE",
        cli_name="partnership",
    )


def select_partnerships(
    dataset: Dataset, keys: Iterable[str] | str | None, *, exporter: str
) -> tuple[Partnership, ...]:
    """The partnerships a ``partnerships`` option names (ids or partner city names).

    The same as :meth:`Dataset.select <leiden_twinning.Dataset.select>` (every partnership when
    *keys* is empty; dataset order), but an unknown key is an
    :exc:`~leiden_twinning.ExportError` that starts with the *exporter*'s name.
    """
    try:
        return dataset.select(keys)
    except UnknownEntityError as exc:
        # Translators: an error of an export; {format} is its name, {message} the problem.
        message_id = N_("{format}: {message}")
        raise ExportError(
            message_id.format(format=exporter, message=exc.message),
            message_id=message_id,
            params={"format": exporter, "message": exc},
        ) from None


def translate(message: str, i18n: I18n) -> str:
    """Translate *message* through the package's own catalog.

    The :attr:`Exporter.translate <leiden_twinning.Exporter.translate>` of the built-in
    exporters, whose description and option help are messages of that catalog. A plugin with
    its own catalog passes its own function instead.
    """
    return i18n.gettext(message)


def iso_date(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD``: the ``convert`` of a date option such as ``--reference-date``."""
    return dt.date.fromisoformat(text.strip())


iso_date.__name__ = "date"  # argparse names the type in its error message


def reference_date(value: Any, dataset: Dataset, *, exporter: str) -> dt.date:
    """The "today" of an export: *value* as a date, or the dataset's revision date for ``None``.

    Never the wall clock, so that an export is reproducible. *value* may be a
    :class:`datetime.date`, a :class:`datetime.datetime` or a ``YYYY-MM-DD`` string.

    :raises ExportError: for anything else, starting with the *exporter*'s name.
    """
    if value is None:
        return dataset.revision
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return iso_date(str(value))
    except ValueError:
        # Translators: an error; keep reference_date and YYYY-MM-DD as they are.
        message_id = N_("{format}: reference_date must be a date (YYYY-MM-DD), not {value!r}")
        params = {"format": exporter, "value": value}
        raise ExportError(
            message_id.format(**params), message_id=message_id, params=params
        ) from None


class Duration(NamedTuple):
    """A span of whole days, weeks, months or years, such as how long before an event to remind.

    .. versionadded:: 1.0
    """

    #: How many units, at least 1.
    amount: int
    #: ``"D"`` (days), ``"W"`` (weeks), ``"M"`` (months) or ``"Y"`` (years).
    unit: Literal["D", "W", "M", "Y"]

    def __str__(self) -> str:
        """The ISO 8601 form: ``P90D``, ``P6W``, ``P3M``, ``P1Y``."""
        return f"P{self.amount}{self.unit}"

    def before(self, day: dt.date) -> dt.timedelta:
        """How far back from *day* the duration reaches, in days.

        Months and years count back on the calendar (three months before 1 September is
        1 June, 92 days), landing on the month's last day where the day does not exist there.
        """
        if self.unit == "D":
            return dt.timedelta(days=self.amount)
        if self.unit == "W":
            return dt.timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit == "Y" else 1)
        year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return day - dt.date(year, month + 1, min(day.day, last))


class DurationError(argparse.ArgumentTypeError, ValueError):
    """A text that is not a :class:`Duration`; argparse shows its message as it is.

    .. versionadded:: 1.0
    """


#: The largest amount of each unit :func:`duration` accepts: ten years.
_DURATION_LIMITS = {"D": 3660, "W": 522, "M": 120, "Y": 10}
_DURATION = re.compile(
    r"(?P<short>[0-9]+)(?P<unit>[dwmyDWMY])|P(?P<iso>[0-9]+)(?P<iso_unit>[DWMY])"
)


def duration(text: str) -> Duration:
    """Parse a duration: ``90d``, ``6w``, ``3m``, ``1y`` or ISO 8601 ``P90D``, ``P6W``, ``P3M``.

    Strict: one number and one unit, from 1 up to ten years; the ``convert`` of an option
    such as ``--remind``.

    :raises ValueError: (a :class:`DurationError`) naming the text and the forms accepted.
    """
    found = _DURATION.fullmatch(text.strip())
    if found is not None:
        amount = int(found["short"] or found["iso"])
        unit = (found["unit"] or found["iso_unit"]).upper()
        if 1 <= amount <= _DURATION_LIMITS[unit]:
            return Duration(amount, unit)  # type: ignore[arg-type]
    msg = (
        f"{text!r} is not a duration from 1 day to 10 years: write a number and a unit, "
        "d, w, m or y (90d, 6w, 3m, 1y), or ISO 8601 (P90D, P6W, P3M, P1Y)"
    )
    raise DurationError(msg)


class Phone(NamedTuple):
    """A phone number in the forms an export needs."""

    #: ``+31715141720``
    e164: str
    #: ``+31 71 514 1720``: to show, and vCard 3.0's ``TEL``.
    international: str
    #: ``tel:+31-71-514-1720``: vCard 4.0's ``TEL`` URI.
    rfc3966: str

    @property
    def uri(self) -> str:
        """``tel:+31715141720``, for a link."""
        return f"tel:{self.e164}"


def phone(number: str | None) -> Phone | None:
    """*number* (``+`` and digits) in every form, or ``None`` when it is not a valid number.

    The one rule of every built-in exporter: a number that is not valid for its country (per
    ``phonenumbers``) is never written or linked as a number.
    """
    import phonenumbers  # noqa: PLC0415 - heavy metadata, loaded only when a number is formatted

    if not number:
        return None
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    fmt = phonenumbers.PhoneNumberFormat
    e164: str = phonenumbers.format_number(parsed, fmt.E164)
    international: str = phonenumbers.format_number(parsed, fmt.INTERNATIONAL)
    if parsed.extension:
        rfc3966: str = phonenumbers.format_number(parsed, fmt.RFC3966)
    else:
        rfc3966 = _rfc3966(international, f"+{parsed.country_code}")
    return Phone(e164, international, rfc3966)


#: What phonenumbers counts as punctuation in a number (its ``_VALID_PUNCTUATION``).
_PHONE_SEPARATORS = re.compile(
    "[-x\u2010-\u2015\u2212\u30fc\uff0d-\uff0f \u00a0\u00ad\u200b\u2060\u3000()"
    "\uff08\uff09\uff3b\uff3d.\\[\\]/~\u2053\u223c\uff5e]+"
)


def _rfc3966(international: str, code: str) -> str:
    """The RFC 3966 form phonenumbers gives a number without extension, from its international one.

    phonenumbers formats the national number of both by the same pattern; for RFC 3966 it then
    drops leading punctuation and writes a dash for every other run of it, as here. Formatting
    once makes :func:`phone` about a quarter faster.
    """
    national = international.removeprefix(f"{code} ")
    leading = _PHONE_SEPARATORS.match(national)
    if leading:
        national = national[leading.end() :]
    return f"tel:{code}-{_PHONE_SEPARATORS.sub('-', national)}"


@functools.cache
def prodid() -> str:
    """The ``PRODID`` of iCalendar and vCard output: the package and its version.

    Read from the package metadata once per process: looking the version up costs about as much
    as writing a whole card, and the vCard exporter writes it on every card.
    """
    from leiden_twinning import __version__  # noqa: PLC0415 - read from the metadata on use

    return f"-//leiden-twinning//leiden-twinning {__version__}//EN"


#: How many pieces :func:`write_blocks` joins before it counts their length.
_BATCH = 128


def write_blocks(stream: IO[bytes], pieces: Iterable[str]) -> None:
    """Write text *pieces* to *stream* as UTF-8, a block of about :data:`BLOCK_SIZE` at a time.

    The text is never held whole, so the memory of a large export stays flat. The pieces are
    joined 128 at a time before their length is counted: a JSON export yields a few characters
    per piece, hundreds of thousands of them, and a Python loop step for each piece took a
    tenth of its time.
    """
    it = iter(pieces)
    pending: list[str] = []
    size = 0
    while batch := list(itertools.islice(it, _BATCH)):  # not the joined text: it may be ""
        text = "".join(batch)
        pending.append(text)
        size += len(text)
        if size >= BLOCK_SIZE:
            stream.write("".join(pending).encode("utf-8"))
            pending.clear()
            size = 0
    stream.write("".join(pending).encode("utf-8"))
