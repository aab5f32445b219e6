r"""The ``ical`` exporter: an iCalendar (RFC 5545) calendar of anniversaries, jubilees and days.

The events come from :func:`leiden_twinning.calendar_events`; see there for which
dates become events. Every event is an all-day, transparent (not busy) event. A tie whose start
is known only to the year or the month gets no yearly anniversary, and its jubilees span that
whole year or month, titled with the date as known ("40 years of the Leiden-Toruń twinning
(November 1988; day unknown)"): no day is ever invented.

The calendar is a plan: jubilees from the reference year on, one-off activities from the
reference date on (``history`` adds the past ones), and each event's description says what it
is, when it started, who signed, and which foundation carries the tie and how to reach it.
``remind`` adds an alarm (``VALARM``) before every jubilee (``remind_anniversaries``: before
every yearly anniversary too).

Reproducibility: UIDs derive from dataset ids, ``DTSTAMP`` is midnight UTC of the dataset's
revision date, and the jubilee range starts at the reference date (the revision date unless
``--reference-date`` is given), never at the wall clock. The same dataset and options give
byte-identical output.

Safety: text goes through icalendar's ``vText`` (escaping ``\``, ``;``, ``,`` and line breaks),
including the ``NAME``, ``X-WR-CALNAME`` and ``X-WR-CALDESC`` properties that icalendar would
otherwise write unescaped; a line break in the data can never start a new property. TEXT has no
way to carry a carriage return, so line breaks (CRLF, CR, LF) are written as ``\n``. URI and
UID values with a control character are refused. No ``METHOD`` is written: the file is meant for
import, subscription and CalDAV upload, and CalDAV servers refuse ``METHOD`` in a stored object.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from typing import IO, TYPE_CHECKING, Any

from leiden_twinning import (
    CalendarEvent,
    CalendarEventKind,
    CalendarSpan,
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
    Duration,
    days_approximate,
    days_unknown,
    duration,
    iso_date,
    partnerships_option,
    phone,
    prodid,
    reference_date,
    select_partnerships,
    translate,
)
from leiden_twinning.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from icalendar import Alarm, Calendar, Event

    from leiden_twinning import Dataset, Foundation, I18n, Partnership

__all__ = ["DEFAULT_YEARS_AFTER", "DEFAULT_YEARS_BEFORE", "build_calendar", "register_exporters"]

#: The default jubilee range starts this many years before the reference year (it starts there)...
DEFAULT_YEARS_BEFORE = 0
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
        self.history = options.get("history") is True
        self.remind = _reminder(options.get("remind"))
        self.remind_anniversaries = options.get("remind_anniversaries") is True
        if self.remind_anniversaries and self.remind is None:
            msg = "ical: remind_anniversaries needs remind (how long before, such as 90d)"
            raise ExportError(msg)

    def narrowed(self, partnership: Partnership) -> _Settings:
        """The same settings for *partnership* alone, as if it were the one tie chosen."""
        own = copy.copy(self)
        own.partnerships = (partnership,)
        own.selected = True
        return own


def _reminder(value: Any) -> Duration | None:
    """The ``remind`` option: ``None``, a :class:`Duration`, or a text such as ``90d``."""
    if value is None or isinstance(value, Duration):
        return value
    if isinstance(value, str):
        try:
            return duration(value)
        except ValueError as exc:
            raise ExportError(f"ical: remind: {exc}") from None
    msg = f"ical: remind must be a duration such as '90d' or 'P3M', not {value!r}"
    raise ExportError(msg)


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
        assert event.milestone is not None  # noqa: S101
        title = t.jubilee_title(tie, kind, event.years)
        if event.span is CalendarSpan.DAY:
            return title
        when = t.date(event.milestone.date)
        if event.span is CalendarSpan.MONTH:
            # Translators: a jubilee whose tie is known to the month only, spanning that month:
            # "40 years of the Leiden-Toruń twinning (November 1988; day unknown)".
            return t.gettext("{title} ({date}; day unknown)").format(title=title, date=when)
        # Translators: a jubilee whose tie is known to the year only, spanning that year:
        # "40 years of the Leiden-Juigalpa friendship tie (1988; month and day unknown)".
        return t.gettext("{title} ({date}; month and day unknown)").format(title=title, date=when)
    assert event.activity is not None  # noqa: S101 - set for commemorations and activities
    return f"{_text(t.text(event.activity.title).text)} ({tie})"


def _what(event: CalendarEvent, t: I18n) -> str:
    """The first line of a milestone event's description: what the event marks."""
    m = event.milestone
    assert m is not None  # noqa: S101 - anniversaries and jubilees have a milestone
    when, what = t.date(m.date), t.label(m.kind)
    if event.kind is CalendarEventKind.ANNIVERSARY:
        # Translators: the first line of a yearly anniversary's description: "Every year on
        # this day: agreement signed, 1 September 1998."
        return t.gettext("Every year on this day: {event}, {date}.").format(event=what, date=when)
    assert event.years is not None  # noqa: S101
    # Translators: the first line of a jubilee's description: "Jubilee: 30 years since
    # 1 September 1998 (agreement signed)."
    line = t.gettext("Jubilee: {years} since {date} ({event}).").format(
        years=t.years(event.years), date=when, event=what
    )
    if event.span is CalendarSpan.MONTH:
        # Translators: in a jubilee's description, when the tie is known to the month only.
        line += " " + t.gettext(
            "The day is not known, so the event spans the whole month: it is not on its 1st."
        )
    elif event.span is CalendarSpan.YEAR:
        # Translators: in a jubilee's description, when the tie is known to the year only.
        line += " " + t.gettext(
            "The month and day are not known, so the event spans the whole year: "
            "it is not on 1 January."
        )
    return line


def _reach(dataset: Dataset, foundation: Foundation, partnership: Partnership) -> list[str]:
    """How to reach a foundation: its website, then its own e-mail addresses and numbers."""
    ways = [] if foundation.website is None else [foundation.website]
    for c in dataset.contacts_of(partnership):
        if c.organisation != foundation.id or c.name is not None:
            continue
        if c.email is not None:
            ways.append(c.email)
        number = phone(c.phone)
        if number is not None:
            ways.append(number.international)
    return list(dict.fromkeys(ways))


def _foundations(dataset: Dataset, partnership: Partnership, t: I18n) -> list[str]:
    lines = []
    for f in dataset.foundations_of(partnership):
        ways = _reach(dataset, f, partnership)
        if ways:
            # Translators: a line of an event's description: the foundation that carries the
            # tie and how to reach it: "Carried by Stichting Stedenband Leiden-Oxford:
            # https://www.leiden-oxford-link.nl/".
            line = t.gettext("Carried by {foundation}: {ways}.")
        else:
            # Translators: a line of an event's description: the foundation that carries the tie.
            line = t.gettext("Carried by {foundation}.")
        lines.append(line.format(foundation=f.name, ways=", ".join(ways)))
    return lines


def _description(dataset: Dataset, event: CalendarEvent, t: I18n) -> str | None:
    if event.milestone is not None:
        m = event.milestone
        paragraphs = [_what(event, t), t.text(m.description).text]
        if m.signatories:
            names = t.list(f"{s.name} ({t.text(s.role).text})" for s in m.signatories)
            # Translators: a line of an event's description: who signed the agreement.
            paragraphs.append(t.gettext("Signed by {names}.").format(names=names))
        paragraphs += _foundations(dataset, event.partnership, t)
        return _text("\n\n".join(paragraphs))
    assert event.activity is not None  # noqa: S101
    paragraphs = []
    if event.activity.description is not None:
        paragraphs.append(t.text(event.activity.description).text)
    paragraphs += _foundations(dataset, event.partnership, t)
    return _text("\n\n".join(paragraphs)) if paragraphs else None


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


def _alarm(event: CalendarEvent, summary: str, before: Duration, t: I18n) -> Alarm:
    """A display alarm *before* the event's (first) start, with a localized text."""
    from icalendar import Alarm, vText  # noqa: PLC0415

    alarm = Alarm()
    alarm.add("ACTION", vText("DISPLAY"))
    # Translators: the text of a reminder a calendar app shows ahead of an event:
    # "Coming up: 30 years of the Leiden-Buffalo City twinning".
    text = t.gettext("Coming up: {title}").format(title=summary)
    alarm.add("DESCRIPTION", vText(text), parameters={"LANGUAGE": t.label_language})
    alarm.add("TRIGGER", -before.before(event.date))
    return alarm


def _event(
    dataset: Dataset, event: CalendarEvent, t: I18n, stamp: dt.datetime, settings: _Settings
) -> Event:
    from icalendar import Event, vRecur, vText  # noqa: PLC0415 - loaded only to export

    # LANGUAGE is the language the text is written in: a label falls back to English, the
    # data to Dutch where it has no English. A milestone's description starts with labels
    # (what the event marks), an activity's with the data.
    data = None if event.activity is None else event.activity.description
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
    component.add("DTEND", event.end)
    component.add("TRANSP", vText("TRANSPARENT"))
    summary = _summary(dataset, event, t)
    component.add("SUMMARY", vText(summary), parameters=title)
    description = _description(dataset, event, t)
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
    if settings.remind is not None and (
        event.kind is CalendarEventKind.JUBILEE
        or (settings.remind_anniversaries and event.kind is CalendarEventKind.ANNIVERSARY)
    ):
        component.add_component(_alarm(event, summary, settings.remind, t))
    return component


def _calendar_texts(dataset: Dataset, settings: _Settings, t: I18n) -> tuple[str, str]:
    home = dataset.home_city.name
    if settings.selected:
        ties = t.list(_tie(dataset, p) for p in settings.partnerships)
        # Translators: the name of a calendar of chosen ties, as calendar apps show it in their
        # list of calendars: "Leiden-Krefeld: anniversaries and jubilees".
        name = t.gettext("{ties}: anniversaries and jubilees").format(ties=ties)
    else:
        # Translators: the name of the calendar, as calendar apps show it in their list of
        # calendars.
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
        ties_unknown = []
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
            ties_unknown.append(item.format(city=city, event=t.label(m.kind), date=t.date(m.date)))
        paragraphs.append(
            # Translators: the calendar's description: ties known only to the month or year.
            t.ngettext(
                "{ties} has no known day: it has no yearly anniversary, "
                "and its jubilees span the whole month or year it is known to.",
                "{ties} have no known day: they have no yearly anniversary, "
                "and their jubilees span the whole month or year they are known to.",
                len(ties_unknown),
            ).format(ties=t.list(ties_unknown))
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
    if settings.activities and not settings.history:
        # Translators: the calendar's description: the plan leaves out what is over.
        line = t.gettext("One-off activities before {date} are left out.")
        paragraphs.append(line.format(date=t.date(settings.reference)))
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


def _events(
    dataset: Dataset, settings: _Settings, partnerships: tuple[Partnership, ...]
) -> tuple[CalendarEvent, ...]:
    """The events of *partnerships*; past one-off activities only with ``history``."""
    events = calendar_events(
        dataset,
        from_year=settings.first_year,
        to_year=settings.last_year,
        partnerships=partnerships,
        commemorations=settings.commemorations,
        activities=settings.activities,
    )
    if settings.history:
        return events
    return tuple(
        e
        for e in events
        if e.kind is not CalendarEventKind.ACTIVITY or e.date >= settings.reference
    )


def build_calendar(
    dataset: Dataset, *, locale: str = "nl", options: Mapping[str, Any] | None = None
) -> Calendar:
    """Build the :class:`icalendar.Calendar` that :func:`write` serialises.

    *options* are the exporter's options (``from_year``, ``to_year``, ``reference_date``,
    ``partnerships``, ``commemorations``, ``activities``, ``history``, ``remind``,
    ``remind_anniversaries``); missing ones take their defaults.

    :raises ExportError: for a bad option, or when no event is left (RFC 5545 wants at least
        one): the ties chosen have no jubilee in the years chosen and no day known.
    """
    t, settings, events = _prepare(dataset, locale, options or {})
    calendar = _new_calendar(dataset, settings, t)
    stamp = _stamp(dataset)
    for event in events:
        calendar.add_component(_event(dataset, event, t, stamp, settings))
    return calendar


def _nothing(dataset: Dataset, settings: _Settings) -> ExportError:
    """The error for a selection without any event: what was chosen, and what to change."""
    cities = ", ".join(dataset.partner_city(p).name for p in settings.partnerships)
    return ExportError(
        f"ical: the calendar would be empty: {cities or 'no tie'} "
        f"{'has' if len(settings.partnerships) == 1 else 'have'} no day known to put in it "
        f"and no jubilee from {settings.first_year} to {settings.last_year}; "
        "choose a wider range of years (from_year, to_year)"
    )


def _prepare(
    dataset: Dataset, locale: str, options: Mapping[str, Any]
) -> tuple[I18n, _Settings, tuple[CalendarEvent, ...]]:
    """The translations, the checked options and the events; an error when there is no event."""
    t = i18n(locale)
    settings = _Settings(dataset, options)
    events = _events(dataset, settings, settings.partnerships)
    if not events:
        raise _nothing(dataset, settings)
    return t, settings, events


_END = b"END:VCALENDAR\r\n"


def _serialise(
    dataset: Dataset,
    settings: _Settings,
    events: tuple[CalendarEvent, ...],
    t: I18n,
) -> Iterator[bytes]:
    """The calendar's bytes, piece by piece: its head, then one event at a time."""
    head = _new_calendar(dataset, settings, t).to_ical()
    yield head.removesuffix(_END)
    stamp = _stamp(dataset)
    for event in events:
        yield _event(dataset, event, t, stamp, settings).to_ical()
    yield _END


def write(dataset: Dataset, stream: IO[bytes], *, locale: str, options: Mapping[str, Any]) -> None:
    """Write the calendar as UTF-8 iCalendar with CRLF line ends, folded at 75 octets.

    The bytes are those of :func:`build_calendar`'s ``to_ical()``, written event by event: only
    one event's icalendar objects exist at a time (the whole calendar as icalendar objects takes
    some 15 times the memory of its text).
    """
    t, settings, events = _prepare(dataset, locale, options)
    for piece in _serialise(dataset, settings, events, t):
        stream.write(piece)


def parts(
    dataset: Dataset, *, locale: str, options: Mapping[str, Any]
) -> Iterator[tuple[str, bytes]]:
    """One complete calendar per tie, ``<partnership id>.ics`` (the CLI's ``--split DIR``).

    Each file is exactly the calendar that ``partnerships`` set to that one tie gives: its own
    name ("Leiden-Krefeld: anniversaries and jubilees"), description and events. A tie with no
    event in the years chosen gets no file; when no tie has any, the error is that of
    :func:`write`.
    """
    t = i18n(locale)
    settings = _Settings(dataset, options)
    found = []
    for partnership in settings.partnerships:
        own = settings.narrowed(partnership)
        events = _events(dataset, own, own.partnerships)
        if events:
            found.append((partnership, own, events))
    if not found:
        raise _nothing(dataset, settings)
    for partnership, own, events in found:
        yield f"{partnership.id}.ics", b"".join(_serialise(dataset, own, events, t))


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
                    N_("first year of jubilee events (default: the reference year)"),
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
                        "the 'today' of the plan: jubilees from its year on, one-off activities "
                        "from it on (default: the dataset's revision date, so that the same "
                        "data gives the same file)"
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
                Option(
                    "history",
                    # Translators: help of the ical exporter's --history option.
                    N_("include one-off activities before the reference date too"),
                    flag=True,
                    default=False,
                ),
                Option(
                    "remind",
                    # Translators: help of the ical exporter's --remind option; keep the
                    # examples 90d, 6w, P3M as they are.
                    N_(
                        "add a reminder this long before each jubilee "
                        "(e.g. 90d, 6w, 3m, P3M: days, weeks, months or years)"
                    ),
                    convert=duration,
                    metavar="DURATION",
                ),
                Option(
                    "remind_anniversaries",
                    # Translators: help of the ical exporter's --remind-anniversaries option.
                    N_("add the --remind reminder to the yearly anniversaries too"),
                    flag=True,
                    default=False,
                ),
            ),
        )
    )
