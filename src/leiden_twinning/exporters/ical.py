r"""The ``ical`` exporter: an iCalendar (RFC 5545) calendar of anniversaries, jubilees and days.

The events come from :func:`leiden_twinning.calendar_events`; see there for which
dates become events. Every event is an all-day, transparent (not busy) event. A tie whose start
is known only to the year or the month gets no event: the calendar's description names it, with
its jubilee years in the chosen range, instead of inventing a day.

Reproducibility: UIDs derive from dataset ids, ``DTSTAMP`` is midnight UTC of the dataset's
revision date, and the jubilee range defaults to a window around the reference date (the
revision date unless ``--reference-date`` is given), never around the wall clock. The same
dataset and options give byte-identical output.

Safety: text goes through icalendar's ``vText`` (escaping ``\``, ``;``, ``,`` and line breaks),
including the ``NAME``, ``X-WR-CALNAME`` and ``X-WR-CALDESC`` properties that icalendar would
otherwise write unescaped; a line break in the data can never start a new property. TEXT has no
way to carry a carriage return, so line breaks (CRLF, CR, LF) are written as ``\n``. URI and
UID values with a control character are refused. No ``METHOD`` is written: the file is meant for
import, subscription and CalDAV upload, and CalDAV servers refuse ``METHOD`` in a stored object.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import IO, TYPE_CHECKING, Any

from leiden_twinning import (
    CalendarEvent,
    CalendarEventKind,
    Exporter,
    ExportError,
    Option,
    PartnershipKind,
    calendar_events,
    i18n,
)
from leiden_twinning.exporting import (
    N_,
    UID_DOMAIN,
    days_approximate,
    days_unknown,
    iso_date,
    partnerships_option,
    prodid,
    reference_date,
    select_partnerships,
    translate,
)
from leiden_twinning.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from icalendar import Calendar, Event

    from leiden_twinning import Dataset, I18n, Partnership

__all__ = ["DEFAULT_YEARS_AFTER", "DEFAULT_YEARS_BEFORE", "build_calendar", "register_exporters"]

#: The default jubilee range starts this many years before the reference year...
DEFAULT_YEARS_BEFORE = 1
#: ... and ends this many years after it.
DEFAULT_YEARS_AFTER = 10

#: The namespace of the calendar's own UID (a UUID 5 of the locale and the chosen ties).
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "leiden-twinning.calendar")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _safe(value: str, what: str) -> str:
    """Refuse a URI or UID value holding a control character (they are written unescaped)."""
    if _CONTROL.search(value):
        msg = f"ical: {what} {value!r} contains a control character"
        raise ExportError(msg)
    return value


def _text(value: str) -> str:
    r"""Line breaks as LF: TEXT writes each as ``\n`` and cannot carry a carriage return."""
    return _LINE_BREAK.sub("\n", value)


def _year(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9998:
        msg = f"ical: {name} must be a year from 1 to 9998, not {value!r}"
        raise ExportError(msg)
    return value


class _Settings:
    """The options of one export, checked and resolved."""

    def __init__(self, dataset: Dataset, options: Mapping[str, Any]) -> None:
        self.reference = reference_date(options.get("reference_date"), dataset, exporter="ical")
        ref = self.reference.year
        first = options.get("from_year")
        last = options.get("to_year")
        self.first_year = _year(
            max(1, ref - DEFAULT_YEARS_BEFORE) if first is None else first, "from_year"
        )
        self.last_year = _year(
            min(9998, ref + DEFAULT_YEARS_AFTER) if last is None else last, "to_year"
        )
        if self.first_year > self.last_year:
            msg = f"ical: from_year {self.first_year} is after to_year {self.last_year}"
            raise ExportError(msg)
        keys = options.get("partnerships")
        # Dataset order, whatever the order on the command line.
        self.partnerships = select_partnerships(dataset, keys, exporter="ical")
        self.selected = bool(keys)
        self.commemorations = options.get("commemorations") is not False
        self.activities = options.get("activities") is not False


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _tie(dataset: Dataset, partnership: Partnership) -> str:
    """The two cities joined by an en dash: ``Leiden\N{EN DASH}Buffalo City``."""
    return f"{dataset.home_city.name}\N{EN DASH}{dataset.partner_city(partnership).name}"


def _summary(dataset: Dataset, event: CalendarEvent, t: I18n) -> str:
    tie = _tie(dataset, event.partnership)
    kind = event.partnership_kind or PartnershipKind.TWINNING
    if event.kind is CalendarEventKind.ANNIVERSARY:
        return t.anniversary_title(tie, kind)
    if event.kind is CalendarEventKind.JUBILEE:
        assert event.years is not None  # noqa: S101 - set for every jubilee
        return t.jubilee_title(tie, kind, event.years)
    assert event.activity is not None  # noqa: S101 - set for commemorations and activities
    return f"{_text(t.text(event.activity.title).text)} ({tie})"


def _description(event: CalendarEvent, t: I18n) -> str | None:
    if event.milestone is not None:
        m = event.milestone
        # Translators: a line in an event's description: "Agreement signed: 1 September 1998".
        line = t.gettext("{event}: {date}").format(
            event=_capital(t.label(m.kind)), date=t.date(m.date)
        )
        return _text(f"{t.text(m.description).text}\n\n{line}")
    assert event.activity is not None  # noqa: S101
    if event.activity.description is None:
        return None
    return _text(t.text(event.activity.description).text)


def _categories(dataset: Dataset, event: CalendarEvent, t: I18n) -> list[str]:
    found: list[str] = []
    if event.kind is CalendarEventKind.ANNIVERSARY:
        # Translators: a calendar category: the yearly return of the day a tie started.
        found.append(t.gettext("anniversary"))
    elif event.kind is CalendarEventKind.JUBILEE:
        # Translators: a calendar category: a lustrum (5, 10, 15, ... years) of a tie.
        found.append(t.gettext("jubilee"))
        if event.is_round:
            # Translators: a calendar category: a jubilee of 25, 50, 75, 100, ... years.
            found.append(t.gettext("round jubilee"))
    if event.partnership_kind is not None:
        found.append(t.label(event.partnership_kind))
    if event.activity is not None:
        found.append(t.label(event.activity.kind))
    found.append(dataset.partner_city(event.partnership).name)
    return list(dict.fromkeys(found))


def _url(dataset: Dataset, event: CalendarEvent) -> str | None:
    own = event.milestone.sources if event.milestone is not None else ()
    if event.activity is not None:
        own = event.activity.sources
    for source_id in (*own, *event.partnership.sources):
        url = dataset.source(source_id).url
        if url is not None:
            return _safe(url, "URL")
    return None


def _event(dataset: Dataset, event: CalendarEvent, t: I18n, stamp: dt.datetime) -> Event:
    from icalendar import Event, vRecur, vText  # noqa: PLC0415 - loaded only to export

    # LANGUAGE is the language the text is written in: a label falls back to English, the
    # data to Dutch where it has no English.
    data = event.milestone.description if event.milestone is not None else None
    if event.activity is not None:
        data = event.activity.description
    labels = {"LANGUAGE": t.label_language}
    written = labels if data is None else {"LANGUAGE": t.text(data).language}
    title = labels
    if event.activity is not None:
        title = {"LANGUAGE": t.text(event.activity.title).language}
    # Event() and add() rather than Event.new(): the same lines, at half the cost per event.
    component = Event()
    component.add("UID", vText(_safe(event.uid, "UID")))
    component.add("DTSTAMP", stamp)
    component.add("DTSTART", event.date)
    component.add("DTEND", event.date + dt.timedelta(days=1))
    component.add("TRANSP", vText("TRANSPARENT"))
    component.add("SUMMARY", vText(_summary(dataset, event, t)), parameters=title)
    description = _description(event, t)
    if description is not None:
        component.add("DESCRIPTION", vText(description), parameters=written)
    if event.milestone is not None and event.milestone.place is not None:
        component.add("LOCATION", vText(event.milestone.place))
    component.add("CATEGORIES", _categories(dataset, event, t), parameters=labels)
    yearly_on = event.yearly_on
    if yearly_on == (2, 29):
        # Lands on the last day of February: 29 February in leap years, 28 February otherwise.
        component.add("RRULE", vRecur(FREQ="YEARLY", BYMONTH=2, BYMONTHDAY=-1))
    elif yearly_on is not None:
        component.add("RRULE", vRecur(FREQ="YEARLY"))
    url = _url(dataset, event)
    if url is not None:
        component.add("URL", url)
    # VALUE=TEXT: a parser that does not know a property still reads it as (escaped) TEXT.
    text = {"VALUE": "TEXT"}
    component.add("X-LEIDEN-TWINNING-PARTNERSHIP", vText(event.partnership.id), parameters=text)
    component.add("X-LEIDEN-TWINNING-KIND", vText(event.kind.value), parameters=text)
    return component


def _calendar_texts(dataset: Dataset, settings: _Settings, t: I18n) -> tuple[str, str]:
    home = dataset.home_city.name
    # Translators: the name of the calendar, as calendar apps show it in their list of calendars.
    name = t.gettext("{home}'s city ties: anniversaries and jubilees").format(home=home)
    partners = t.list(dataset.partner_city(p).name for p in settings.partnerships)
    paragraphs = [
        # Translators: the first sentence of the calendar's description.
        t.gettext(
            "Anniversaries, jubilees and commemorations of the ties between {home} and {partners}."
        ).format(home=home, partners=partners),
        # Translators: the calendar's description: the years its one-off jubilee events cover.
        t.gettext(
            "Anniversaries repeat every year; "
            "jubilees (every 5 years) are shown from {first} to {last}."
        ).format(first=settings.first_year, last=settings.last_year),
    ]
    unknown = days_unknown(dataset, settings.partnerships)
    if unknown:
        ties = []
        for p, m in unknown:
            city = dataset.partner_city(p).name
            if m is p.start:
                # Translators: a tie whose start is known only to the year or the month:
                # "Juigalpa (since 1988)".
                item = t.gettext("{city} (since {date})")
            else:
                # Translators: a later milestone known only to the year or the month:
                # "Toruń (agreement signed, 1990)".
                item = t.gettext("{city} ({event}, {date})")
            ties.append(item.format(city=city, event=t.label(m.kind), date=t.date(m.date)))
        paragraphs.append(
            # Translators: the calendar's description: ties whose day is not known get no event.
            t.ngettext(
                "{ties} has no known day, so the calendar shows no event for it.",
                "{ties} have no known day, so the calendar shows no event for them.",
                len(ties),
            ).format(ties=t.list(ties))
        )
        jubilees = [
            a
            for a in dataset.jubilees(
                settings.first_year, settings.last_year, settings.partnerships
            )
            if a.date is None
        ]
        if jubilees:
            items = [
                # Translators: a jubilee without a known day: "Juigalpa: 40 years in 2028".
                t.gettext("{city}: {years} in {year}").format(
                    city=dataset.partner_city(a.partnership).name,
                    years=t.years(a.years),
                    year=a.year,
                )
                for a in jubilees
            ]
            paragraphs.append(
                # Translators: the calendar's description: jubilees of ties without a known day.
                t.gettext("Their jubilees in these years: {jubilees}.").format(
                    jubilees=t.list(items)
                )
            )
    approximate = days_approximate(dataset, settings.partnerships)
    if approximate:
        items = []
        for activity in approximate:
            r = activity.recurrence
            assert r is not None  # noqa: S101 - days_approximate keeps recurrences only
            assert r.month is not None  # noqa: S101 - an approximate recurrence has a set day
            assert r.day is not None  # noqa: S101
            # Translators: an activity held on an approximate day: "Commemoration of the
            # English war dead (around 7 November)".
            item = t.gettext("{title} (around {day})")
            items.append(
                item.format(title=t.text(activity.title).text, day=t.day_month(r.month, r.day))
            )
        paragraphs.append(
            # Translators: the calendar's description: activities whose day is only approximate.
            t.ngettext(
                "{items} is held on an approximate day, so the calendar shows no event for it.",
                "{items} are held on approximate days, so the calendar shows no events for them.",
                len(items),
            ).format(items=t.list(items))
        )
    # Translators: the calendar's description: the date of the data it was made from.
    paragraphs.append(t.gettext("Data as of {date}.").format(date=t.date(dataset.revision)))
    return name, _text("\n\n".join(paragraphs))


def _calendar_uid(dataset: Dataset, settings: _Settings, t: I18n) -> str:
    ties = ",".join(p.id for p in settings.partnerships) if settings.selected else "*"
    key = f"{dataset.home}/{t.tag}/{ties}"
    return f"{uuid.uuid5(_NAMESPACE, key)}@{UID_DOMAIN}"


def _new_calendar(dataset: Dataset, settings: _Settings, t: I18n) -> Calendar:
    from icalendar import Calendar, vText  # noqa: PLC0415

    name, description = _calendar_texts(dataset, settings, t)
    calendar = Calendar.new(
        prodid=prodid(),
        uid=_safe(_calendar_uid(dataset, settings, t), "UID"),
        calscale="GREGORIAN",
    )
    # icalendar writes NAME and the X-WR-* properties unescaped: add them as TEXT ourselves,
    # and say so with VALUE=TEXT, so that parsers that do not know them unescape them too.
    language = {"LANGUAGE": t.label_language}
    text = {"VALUE": "TEXT", **language}
    calendar.add("NAME", vText(name), parameters=text)
    calendar.add("X-WR-CALNAME", vText(name), parameters=text)
    calendar.add("DESCRIPTION", vText(description), parameters=language)
    calendar.add("X-WR-CALDESC", vText(description), parameters=text)
    return calendar


def _stamp(dataset: Dataset) -> dt.datetime:
    return dt.datetime.combine(dataset.revision, dt.time(0, 0), tzinfo=dt.UTC)


def _events(dataset: Dataset, settings: _Settings) -> tuple[CalendarEvent, ...]:
    return calendar_events(
        dataset,
        from_year=settings.first_year,
        to_year=settings.last_year,
        partnerships=settings.partnerships,
        commemorations=settings.commemorations,
        activities=settings.activities,
    )


def build_calendar(
    dataset: Dataset, *, locale: str = "nl", options: Mapping[str, Any] | None = None
) -> Calendar:
    """Build the :class:`icalendar.Calendar` that :func:`write` serialises.

    *options* are the exporter's options (``from_year``, ``to_year``, ``reference_date``,
    ``partnerships``, ``commemorations``, ``activities``); missing ones take their defaults.

    :raises ExportError: for a bad option, or when no event is left: RFC 5545 wants at least
        one, and a tie known only to the year or the month has none.
    """
    t, settings, events = _prepare(dataset, locale, options or {})
    calendar = _new_calendar(dataset, settings, t)
    stamp = _stamp(dataset)
    for event in events:
        calendar.add_component(_event(dataset, event, t, stamp))
    return calendar


def _prepare(
    dataset: Dataset, locale: str, options: Mapping[str, Any]
) -> tuple[I18n, _Settings, tuple[CalendarEvent, ...]]:
    """The translations, the checked options and the events; an error when there is no event."""
    t = i18n(locale)
    settings = _Settings(dataset, options)
    events = _events(dataset, settings)
    if not events:
        cities = ", ".join(dataset.partner_city(p).name for p in settings.partnerships) or "none"
        msg = (
            f"ical: no event to write for the ties chosen ({cities}): "
            "no day of theirs is known, and a calendar needs at least one event"
        )
        raise ExportError(msg)
    return t, settings, events


_END = b"END:VCALENDAR\r\n"


def write(dataset: Dataset, stream: IO[bytes], *, locale: str, options: Mapping[str, Any]) -> None:
    """Write the calendar as UTF-8 iCalendar with CRLF line ends, folded at 75 octets.

    The bytes are those of :func:`build_calendar`'s ``to_ical()``, written event by event: only
    one event's icalendar objects exist at a time (the whole calendar as icalendar objects takes
    some 15 times the memory of its text).
    """
    t, settings, events = _prepare(dataset, locale, options)
    head = _new_calendar(dataset, settings, t).to_ical()
    stream.write(head.removesuffix(_END))
    stamp = _stamp(dataset)
    for event in events:
        stream.write(_event(dataset, event, t, stamp).to_ical())
    stream.write(_END)


def parts(
    dataset: Dataset, *, locale: str, options: Mapping[str, Any]
) -> Iterator[tuple[str, bytes]]:
    """One calendar object per event (``<uid>.ics``), as a CalDAV server stores them.

    Each object holds ``VERSION``, ``PRODID``, ``CALSCALE`` and its one ``VEVENT``: the calendar's
    name and description belong to the collection, not to every object in it.
    """
    from icalendar import Calendar  # noqa: PLC0415

    # The same preparation as write(): the same checks, and the same error when no event is left.
    t, _settings, events = _prepare(dataset, locale, options)
    stamp = _stamp(dataset)
    for event in events:
        calendar = Calendar()
        calendar.add("VERSION", "2.0")
        calendar.add("PRODID", prodid())
        calendar.add("CALSCALE", "GREGORIAN")
        calendar.add_component(_event(dataset, event, t, stamp))
        yield f"{event.name}.ics", calendar.to_ical()


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the ``ical`` format."""
    register(
        Exporter(
            name="ical",
            extension="ics",
            media_type="text/calendar",
            # Translators: the description of the iCalendar export format.
            description=N_("Anniversaries, jubilees and commemorations as an iCalendar file"),
            write=write,
            parts=parts,
            translate=translate,
            options=(
                Option(
                    "from_year",
                    # Translators: help of the ical exporter's --from-year option.
                    N_("first year of jubilee events (default: the reference year minus 1)"),
                    convert=int,
                    metavar="YEAR",
                ),
                Option(
                    "to_year",
                    # Translators: help of the ical exporter's --to-year option.
                    N_("last year of jubilee events (default: the reference year plus 10)"),
                    convert=int,
                    metavar="YEAR",
                ),
                Option(
                    "reference_date",
                    # Translators: help of the ical exporter's --reference-date option.
                    N_(
                        "the date the default jubilee range centres on "
                        "(default: the dataset's revision date)"
                    ),
                    convert=iso_date,
                    metavar="YYYY-MM-DD",
                ),
                partnerships_option(),
                Option(
                    "commemorations",
                    # Translators: help of the ical exporter's --commemorations option.
                    N_("include commemorations and exchanges held every year on a fixed day"),
                    flag=True,
                    default=True,
                ),
                Option(
                    "activities",
                    # Translators: help of the ical exporter's --activities option.
                    N_("include one-off activities known to the day (visits, signings)"),
                    flag=True,
                    default=True,
                ),
            ),
        )
    )
