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

Safety: text is escaped as icalendar's ``vText`` escapes it (``\``, ``;``, ``,`` and line
breaks), including the ``NAME``, ``X-WR-CALNAME`` and ``X-WR-CALDESC`` properties that icalendar
would otherwise write unescaped; a line break in the data can never start a new property. TEXT
has no way to carry a carriage return, so line breaks (CRLF, CR, LF) are written as ``\n``. URI
and UID values with a control character are refused. No ``METHOD`` is written: the file is meant
for import, subscription and CalDAV upload, and CalDAV servers refuse ``METHOD`` in a stored
object.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from typing import IO, TYPE_CHECKING, Any, NamedTuple

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
    ICalComponent,
    days_approximate,
    days_unknown,
    duration,
    ical_bytes,
    ical_date_time,
    ical_duration,
    ical_fold,
    ical_params,
    ical_recur,
    ical_text,
    ical_text_list,
    ical_uri,
    iso_date,
    partnerships_option,
    phone,
    prodid,
    reference_date,
    select_partnerships,
    translate,
    write_blocks,
)
from leiden_twinning.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from icalendar import Calendar, Event

    from leiden_twinning import Dataset, Foundation, I18n, Milestone, Partnership

__all__ = ["DEFAULT_YEARS_AFTER", "DEFAULT_YEARS_BEFORE", "build_calendar", "register_exporters"]

#: The default jubilee range starts this many years before the reference year (it starts there)...
DEFAULT_YEARS_BEFORE = 0
#: ... and ends this many years after it.
DEFAULT_YEARS_AFTER = 10

#: The namespace of the calendar's own UID (a UUID 5 of the locale and the chosen ties).
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "leiden-twinning.calendar")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Stands for the tie in a title made once for many ties: no catalog message holds a NUL.
_STAND_IN = "\x00"


def _safe(value: str, what: str) -> str:
    """Refuse a URI or UID value holding a control character (they are written unescaped)."""
    if _CONTROL.search(value):
        msg = f"ical: {what} {value!r} contains a control character"
        raise ExportError(msg)
    return value


def _text(value: str) -> str:
    r"""Line breaks as LF: TEXT writes each as ``\n`` and cannot carry a carriage return."""
    return _LINE_BREAK.sub("\n", value) if "\r" in value else value  # LF stays LF


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


def _summary(dataset: Dataset, event: CalendarEvent, t: I18n, context: _Context) -> str:
    tie = context.tie(event.partnership)
    kind = event.partnership_kind or PartnershipKind.TWINNING
    if event.kind is CalendarEventKind.ANNIVERSARY:
        return t.anniversary_title(tie, kind)
    if event.kind is CalendarEventKind.JUBILEE:
        assert event.years is not None  # noqa: S101 - set for every jubilee
        assert event.milestone is not None  # noqa: S101
        title = context.jubilee_title(tie, kind, event.years)
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


def _what(event: CalendarEvent, context: _Context) -> str:
    """The first line of a milestone event's description: what the event marks."""
    m = event.milestone
    assert m is not None  # noqa: S101 - anniversaries and jubilees have a milestone
    when, what = context.mark(m)
    if event.kind is CalendarEventKind.ANNIVERSARY:
        return context.every_year.format(event=what, date=when)
    assert event.years is not None  # noqa: S101
    line = context.jubilee_line.format(years=context.years(event.years), date=when, event=what)
    if event.span is CalendarSpan.MONTH:
        line += context.month_unknown
    elif event.span is CalendarSpan.YEAR:
        line += context.year_unknown
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


def _milestone_text(m: Milestone, partnership: Partnership, t: I18n, context: _Context) -> str:
    """What every event of milestone *m* says after its first line: the same for each."""
    paragraphs = [t.text(m.description).text]
    if m.signatories:
        names = t.list(f"{s.name} ({t.text(s.role).text})" for s in m.signatories)
        # Translators: a line of an event's description: who signed the agreement.
        paragraphs.append(t.gettext("Signed by {names}.").format(names=names))
    paragraphs += context.foundations(partnership)
    return _text("\n\n".join(paragraphs))


def _description(event: CalendarEvent, t: I18n, context: _Context) -> tuple[str, str] | None:
    """The description in two parts: its first line (``""`` for none) and the rest.

    The rest of a milestone's events is the same text for each of them (made once).
    """
    if event.milestone is not None:
        # The first line is labels and dates only (no line break to normalise).
        return _what(event, context), context.milestone_text(event.milestone, event.partnership)
    assert event.activity is not None  # noqa: S101
    paragraphs = []
    if event.activity.description is not None:
        paragraphs.append(t.text(event.activity.description).text)
    paragraphs += context.foundations(event.partnership)
    return ("", _text("\n\n".join(paragraphs))) if paragraphs else None


def _joined(description: tuple[str, str]) -> str:
    """The whole description: the first line, an empty line, the rest."""
    first, rest = description
    return f"{first}\n\n{rest}" if first else rest


def _labels(event: CalendarEvent, t: I18n) -> list[str]:
    """The categories of *event* other than the partner city: what it is, of which tie."""
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
    return found


def _url(dataset: Dataset, event: CalendarEvent) -> str | None:
    own = event.milestone.sources if event.milestone is not None else ()
    if event.activity is not None:
        own = event.activity.sources
    for source_id in (*own, *event.partnership.sources):
        url = dataset.source(source_id).url
        if url is not None:
            return _safe(url, "URL")
    return None


class _Event(NamedTuple):
    """What one event says, computed once and written by either writer."""

    uid: str
    start: dt.date
    end: dt.date
    summary: str
    #: The language of the summary, and of the description.
    title_language: str
    #: The first line (``""`` for none) and the rest; see :func:`_joined`.
    description: tuple[str, str] | None
    language: str
    place: str | None
    categories: list[str]
    #: The month and day of a yearly event (``None`` for a one-off).
    yearly_on: tuple[int, int] | None
    url: str | None
    partnership: str
    kind: str
    #: The text and the trigger (before the start) of the reminder, if any.
    alarm: tuple[str, dt.timedelta] | None


class _Context:
    """What stays the same for every event of one export: computed once, not per event."""

    def __init__(self, dataset: Dataset, settings: _Settings, t: I18n) -> None:
        self.dataset = dataset
        self.settings = settings
        self.t = t
        self.label_language = t.label_language
        # Translators: the text of a reminder a calendar app shows ahead of an event:
        # "Coming up: 30 years of the Leiden-Buffalo City twinning".
        self.coming_up = t.gettext("Coming up: {title}")
        # Translators: the first line of a yearly anniversary's description: "Every year on
        # this day: agreement signed, 1 September 1998."
        self.every_year = t.gettext("Every year on this day: {event}, {date}.")
        # Translators: the first line of a jubilee's description: "Jubilee: 30 years since
        # 1 September 1998 (agreement signed)."
        self.jubilee_line = t.gettext("Jubilee: {years} since {date} ({event}).")
        # Translators: in a jubilee's description, when the tie is known to the month only.
        self.month_unknown = " " + t.gettext(
            "The day is not known, so the event spans the whole month: it is not on its 1st."
        )
        # Translators: in a jubilee's description, when the tie is known to the year only.
        self.year_unknown = " " + t.gettext(
            "The month and day are not known, so the event spans the whole year: "
            "it is not on 1 January."
        )
        self._marks: dict[int, tuple[str, str]] = {}
        self._years: dict[int, str] = {}
        self._titles: dict[tuple[PartnershipKind, int], str] = {}
        self._ties: dict[str, str] = {}
        self._foundations: dict[str, list[str]] = {}
        self._categories: dict[tuple[Any, ...], list[str]] = {}
        self._cities: dict[str, str] = {}
        self._milestones: dict[int, str] = {}

    def mark(self, milestone: Milestone) -> tuple[str, str]:
        """When a milestone was, and what it was: its date and its label, localized."""
        key = id(milestone)  # the milestones live as long as the dataset, and so the export
        found = self._marks.get(key)
        if found is None:
            found = self._marks[key] = (self.t.date(milestone.date), self.t.label(milestone.kind))
        return found

    def jubilee_title(self, tie: str, kind: PartnershipKind, years: int) -> str:
        """:meth:`I18n.jubilee_title`, translated and its number formatted once per kind and age.

        The title is made once with a stand-in for the tie that no translation holds, which is
        then replaced: the same text as formatting with the tie itself.
        """
        key = (kind, years)
        template = self._titles.get(key)
        if template is None:
            template = self._titles[key] = self.t.jubilee_title(_STAND_IN, kind, years)
        return template.replace(_STAND_IN, tie)

    def years(self, n: int) -> str:
        found = self._years.get(n)
        if found is None:
            found = self._years[n] = self.t.years(n)
        return found

    def tie(self, partnership: Partnership) -> str:
        found = self._ties.get(partnership.id)
        if found is None:
            found = self._ties[partnership.id] = _tie(self.dataset, partnership)
        return found

    def foundations(self, partnership: Partnership) -> list[str]:
        found = self._foundations.get(partnership.id)
        if found is None:
            found = _foundations(self.dataset, partnership, self.t)
            self._foundations[partnership.id] = found
        return found

    def milestone_text(self, milestone: Milestone, partnership: Partnership) -> str:
        key = id(milestone)  # the milestones live as long as the dataset, and so the export
        found = self._milestones.get(key)
        if found is None:
            found = _milestone_text(milestone, partnership, self.t, self)
            self._milestones[key] = found
        return found

    def categories(self, event: CalendarEvent) -> list[str]:
        """The event's categories: its labels (made once per kind of event), then the city."""
        key = (
            event.kind,
            event.is_round,
            event.partnership_kind,
            None if event.activity is None else event.activity.kind,
        )
        labels = self._categories.get(key)
        if labels is None:
            labels = self._categories[key] = _labels(event, self.t)
        city = self._cities.get(event.partnership.id)
        if city is None:
            city = self.dataset.partner_city(event.partnership).name
            self._cities[event.partnership.id] = city
        return labels if city in labels else [*labels, city]


def _languages(event: CalendarEvent, t: I18n, labels: str) -> tuple[str, str]:
    """The languages of the summary and of the description of *event*.

    LANGUAGE is the language the text is written in: a label falls back to English, the data to
    Dutch where it has no English. A milestone's description starts with labels (what the event
    marks), an activity's with the data.
    """
    activity = event.activity
    if activity is None:
        return labels, labels
    title = t.text(activity.title).language
    if activity.description is None:
        return title, labels
    return title, t.text(activity.description).language


def _alarm(
    event: CalendarEvent, summary: str, context: _Context
) -> tuple[str, dt.timedelta] | None:
    """The text and the trigger (before the start) of the event's reminder, if it has one."""
    settings = context.settings
    if settings.remind is not None and (
        event.kind is CalendarEventKind.JUBILEE
        or (settings.remind_anniversaries and event.kind is CalendarEventKind.ANNIVERSARY)
    ):
        return context.coming_up.format(title=summary), settings.remind.before(event.date)
    return None


def _content(event: CalendarEvent, context: _Context) -> _Event:
    """What *event* says: its texts, their languages, its dates, reminder and links."""
    dataset, t = context.dataset, context.t
    title, written = _languages(event, t, context.label_language)
    summary = _summary(dataset, event, t, context)
    return _Event(
        uid=_safe(event.uid, "UID"),
        start=event.date,
        end=event.end,
        summary=summary,
        title_language=title,
        description=_description(event, t, context),
        language=written,
        place=None if event.milestone is None else event.milestone.place,
        categories=context.categories(event),
        yearly_on=event.yearly_on,
        url=_url(dataset, event),
        partnership=event.partnership.id,
        kind=event.kind.value,
        alarm=_alarm(event, summary, context),
    )


def _event(content: _Event, stamp: dt.datetime, labels: str) -> Event:
    """The event as an :class:`icalendar.Event` (for :func:`build_calendar`)."""
    from icalendar import Alarm, Event, vRecur, vText  # noqa: PLC0415 - loaded only to build

    # Event() and add() rather than Event.new(): the same lines, at half the cost per event.
    component = Event()
    component.add("UID", vText(content.uid))
    component.add("DTSTAMP", stamp)
    component.add("DTSTART", content.start)
    component.add("DTEND", content.end)
    component.add("TRANSP", vText("TRANSPARENT"))
    component.add(
        "SUMMARY", vText(content.summary), parameters={"LANGUAGE": content.title_language}
    )
    if content.description is not None:
        component.add(
            "DESCRIPTION",
            vText(_joined(content.description)),
            parameters={"LANGUAGE": content.language},
        )
    if content.place is not None:
        component.add("LOCATION", vText(content.place))
    component.add("CATEGORIES", content.categories, parameters={"LANGUAGE": labels})
    if content.yearly_on == (2, 29):
        # Lands on the last day of February: 29 February in leap years, 28 February otherwise.
        component.add("RRULE", vRecur(FREQ="YEARLY", BYMONTH=2, BYMONTHDAY=-1))
    elif content.yearly_on is not None:
        component.add("RRULE", vRecur(FREQ="YEARLY"))
    if content.url is not None:
        component.add("URL", content.url)
    # VALUE=TEXT: a parser that does not know a property still reads it as (escaped) TEXT.
    text = {"VALUE": "TEXT"}
    component.add("X-LEIDEN-TWINNING-PARTNERSHIP", vText(content.partnership), parameters=text)
    component.add("X-LEIDEN-TWINNING-KIND", vText(content.kind), parameters=text)
    if content.alarm is not None:
        alarm = Alarm()
        alarm.add("ACTION", vText("DISPLAY"))
        alarm.add("DESCRIPTION", vText(content.alarm[0]), parameters={"LANGUAGE": labels})
        alarm.add("TRIGGER", -content.alarm[1])
        component.add_component(alarm)
    return component


class _Writer:
    """Writes events straight as iCalendar text: icalendar's lines, without its objects.

    Each event is one string of folded lines (:func:`~leiden_twinning.exporting.ical_fold`),
    encoded with many others at once. What repeats -- the parameters, ``DTSTAMP``, the
    recurrence rules, and per tie or milestone the categories, place, link and ids -- is written
    once per export.
    """

    def __init__(self, context: _Context, stamp: dt.datetime) -> None:
        self.context = context
        self.labels = ical_params({"LANGUAGE": context.label_language})
        self.as_text = ical_params({"VALUE": "TEXT"})
        self.as_date = ical_params({"VALUE": "DATE"})
        # DTSTAMP follows DTEND on the same piece of text: its line break comes first.
        self.stamp = "\r\n" + ical_fold(f"DTSTAMP:{ical_date_time(stamp)}")
        self.yearly = ical_fold(f"RRULE:{ical_recur({'FREQ': 'YEARLY'})}")
        self.leap = ical_fold(
            f"RRULE:{ical_recur({'FREQ': 'YEARLY', 'BYMONTH': 2, 'BYMONTHDAY': -1})}"
        )
        # DTSTART and DTEND: always short lines, the date (8 digits) follows each start.
        self.start = f"DTSTART{self.as_date}:"
        self.end = f"\r\nDTEND{self.as_date}:"
        self._summaries: dict[str, str] = {}
        self._descriptions: dict[str, str] = {}
        self._shared: dict[str, str] = {}
        self.kinds = {
            kind: ical_fold(f"X-LEIDEN-TWINNING-KIND{self.as_text}:{ical_text(kind.value)}")
            for kind in CalendarEventKind
        }
        self.transparent = ical_fold("TRANSP:TRANSPARENT")
        self.remind = context.settings.remind is not None
        self._labels: dict[tuple[Any, ...], tuple[frozenset[str], str]] = {}
        self._cities: dict[str, tuple[str, str]] = {}
        self._locations: dict[str, str] = {}
        self._places: dict[tuple[int, str], str] = {}
        self._ties: dict[str, str] = {}

    def language(self, tag: str, memo: dict[str, str], name: str) -> str:
        """The start of a line of *name* in language *tag*: ``SUMMARY;LANGUAGE=en:``."""
        found = memo.get(tag)
        if found is None:
            found = memo[tag] = f"{name}{ical_params({'LANGUAGE': tag})}:"
        return found

    def description(self, description: tuple[str, str]) -> str:
        """The escaped description; the part shared by a milestone's events is escaped once.

        Escaping the two parts apart gives the same text: no escape spans the empty line.
        """
        first, rest = description
        if not first:
            return ical_text(rest)
        found = self._shared.get(rest)
        if found is None:
            found = self._shared[rest] = ical_text(rest)
        return f"{ical_text(first)}\\n\\n{found}"

    def categories(self, event: CalendarEvent, is_round: bool) -> str:
        """The ``CATEGORIES`` line: the labels (written once per kind of event), then the city."""
        activity = event.activity
        key = (
            event.kind,
            is_round,
            event.partnership_kind,
            None if activity is None else activity.kind,
        )
        labels = self._labels.get(key)
        if labels is None:
            found = _labels(event, self.context.t)
            # Every event has a label (what it is): the city follows after a comma.
            written = f"CATEGORIES{self.labels}:{ical_text_list(found)},"
            labels = self._labels[key] = (frozenset(found), written)
        partnership = event.partnership
        city = self._cities.get(partnership.id)
        if city is None:
            name = self.context.dataset.partner_city(partnership).name
            city = self._cities[partnership.id] = (name, ical_text(name))
        names, head = labels
        if city[0] in names:
            return ical_fold(head.removesuffix(","))
        return ical_fold(head + city[1])

    def place(self, event: CalendarEvent) -> str:
        """The ``LOCATION``, ``TRANSP`` and ``URL`` lines: the same for a milestone's events."""
        activity = event.activity
        owner = activity if activity is not None else event.milestone
        key = (id(owner), event.partnership.id)  # the owners live as long as the export
        found = self._places.get(key)
        if found is None:
            found = self.transparent
            milestone = event.milestone
            if milestone is not None and milestone.place is not None:
                location = self._locations.get(milestone.place)
                if location is None:
                    location = ical_fold(f"LOCATION:{ical_text(milestone.place)}")
                    self._locations[milestone.place] = location
                found = location + found
            url = _url(self.context.dataset, event)
            if url is not None:
                found += ical_fold(f"URL:{ical_uri(url)}")
            self._places[key] = found
        return found

    def tie(self, partnership: Partnership) -> str:
        """The ``X-LEIDEN-TWINNING-PARTNERSHIP`` line, once per tie."""
        found = self._ties.get(partnership.id)
        if found is None:
            written = ical_text(partnership.id)
            found = ical_fold(f"X-LEIDEN-TWINNING-PARTNERSHIP{self.as_text}:{written}")
            self._ties[partnership.id] = found
        return found

    def event(self, event: CalendarEvent) -> str:
        """The event's lines in icalendar's order, those :func:`_event` gets from icalendar."""
        context = self.context
        t = context.t
        title, written = _languages(event, t, context.label_language)
        summary = _summary(context.dataset, event, t, context)
        start = event.date
        end = start + _DAY if event.span is CalendarSpan.DAY else event.end
        years = event.years
        kind = event.kind
        uid = event.uid
        if _PLAIN_UID.search(uid) is None and len(uid) <= _SHORT_UID and uid.isascii():
            uid = f"UID:{uid}\r\n"  # most UIDs: nothing to refuse, escape or fold
        else:
            uid = ical_fold(f"UID:{ical_text(_safe(uid, 'UID'))}")
        # SUMMARY ... RRULE in icalendar's canonical order of an event, then the rest by name.
        # DTSTART and DTEND are short lines: isoformat() without "-" is ical_date() of a date.
        dates = start.isoformat().replace("-", ""), end.isoformat().replace("-", "")
        lines = [
            "BEGIN:VEVENT\r\n",
            ical_fold(self.language(title, self._summaries, "SUMMARY") + ical_text(summary)),
            f"{self.start}{dates[0]}{self.end}{dates[1]}{self.stamp}{uid}",
        ]
        if kind is not CalendarEventKind.JUBILEE:
            yearly_on = event.yearly_on
            if yearly_on == (2, 29):
                lines.append(self.leap)
            elif yearly_on is not None:
                lines.append(self.yearly)
        lines.append(self.categories(event, years is not None and years % 25 == 0))
        description = _description(event, t, context)
        if description is not None:
            head = self.language(written, self._descriptions, "DESCRIPTION")
            lines.append(ical_fold(head + self.description(description)))
        lines.append(self.place(event))
        lines.append(self.kinds[kind])
        lines.append(self.tie(event.partnership))
        if self.remind:
            alarm = _alarm(event, summary, context)
            if alarm is not None:
                text, before = alarm
                lines.append("BEGIN:VALARM\r\nACTION:DISPLAY\r\n")
                lines.append(ical_fold(f"DESCRIPTION{self.labels}:{ical_text(text)}"))
                lines.append(ical_fold(f"TRIGGER:{ical_duration(-before)}"))
                lines.append("END:VALARM\r\n")
        lines.append("END:VEVENT\r\n")
        return "".join(lines)


#: What a UID written as it is holds none of: a control character, or what TEXT escapes.
_PLAIN_UID = re.compile(r"[\x00-\x1f\x7f-\x9f\\;,]")
#: The longest UID whose line fits unfolded (``UID:`` takes 4 octets).
_SHORT_UID = 70
_DAY = dt.timedelta(days=1)


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


def _calendar_properties(
    dataset: Dataset, settings: _Settings, t: I18n
) -> tuple[str, str, str, str]:
    """The calendar's ``PRODID``, ``UID``, name and description."""
    name, description = _calendar_texts(dataset, settings, t)
    return prodid(), _safe(_calendar_uid(dataset, settings, t), "UID"), name, description


def _new_calendar(dataset: Dataset, settings: _Settings, t: I18n) -> Calendar:
    from icalendar import Calendar, vText  # noqa: PLC0415

    product, uid, name, description = _calendar_properties(dataset, settings, t)
    calendar = Calendar.new(prodid=product, uid=uid, calscale="GREGORIAN")
    # icalendar writes NAME and the X-WR-* properties unescaped: add them as TEXT ourselves,
    # and say so with VALUE=TEXT, so that parsers that do not know them unescape them too.
    language = {"LANGUAGE": t.label_language}
    text = {"VALUE": "TEXT", **language}
    calendar.add("NAME", vText(name), parameters=text)
    calendar.add("X-WR-CALNAME", vText(name), parameters=text)
    calendar.add("DESCRIPTION", vText(description), parameters=language)
    calendar.add("X-WR-CALDESC", vText(description), parameters=text)
    return calendar


def _head(dataset: Dataset, settings: _Settings, t: I18n) -> list[tuple[str, str, str]]:
    """The calendar's own properties for the writer: those of :func:`_new_calendar`."""
    product, uid, name, description = _calendar_properties(dataset, settings, t)
    language = ical_params({"LANGUAGE": t.label_language})
    text = ical_params({"VALUE": "TEXT", "LANGUAGE": t.label_language})
    name, description = ical_text(name), ical_text(description)
    return [
        ("VERSION", "2.0", ""),
        ("PRODID", ical_text(product), ""),
        ("UID", ical_text(uid), ""),
        ("CALSCALE", "GREGORIAN", ""),
        ("NAME", name, text),
        ("X-WR-CALNAME", name, text),
        ("DESCRIPTION", description, language),
        ("X-WR-CALDESC", description, text),
    ]


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
    # The dated activities come last (calendar_events' order), by date: keep those from the
    # reference day on, without passing over the thousands of events before them.
    start = len(events)
    while start and events[start - 1].kind is CalendarEventKind.ACTIVITY:
        start -= 1
    return events[:start] + tuple(e for e in events[start:] if e.date >= settings.reference)


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
    context = _Context(dataset, settings, t)
    for event in events:
        calendar.add_component(_event(_content(event, context), stamp, t.label_language))
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


_END = "END:VCALENDAR\r\n"


def _serialise(
    dataset: Dataset,
    settings: _Settings,
    events: tuple[CalendarEvent, ...],
    t: I18n,
) -> Iterator[str]:
    """The calendar's text, piece by piece: its head, then one event at a time."""
    head = ical_bytes(ICalComponent("VCALENDAR", _head(dataset, settings, t))).decode("utf-8")
    yield head.removesuffix(_END)
    writer = _Writer(_Context(dataset, settings, t), _stamp(dataset))
    for event in events:
        yield writer.event(event)
    yield _END


def write(dataset: Dataset, stream: IO[bytes], *, locale: str, options: Mapping[str, Any]) -> None:
    """Write the calendar as UTF-8 iCalendar with CRLF line ends, folded at 75 octets.

    The bytes are those of :func:`build_calendar`'s ``to_ical()`` (a test holds them equal), but
    written line by line (:func:`leiden_twinning.exporting.ical_fold`) without icalendar's
    objects, and encoded a block of about :data:`~leiden_twinning.exporting.BLOCK_SIZE` at a
    time (:func:`~leiden_twinning.exporting.write_blocks`).
    """
    t, settings, events = _prepare(dataset, locale, options)
    write_blocks(stream, _serialise(dataset, settings, events, t))


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
        yield f"{partnership.id}.ics", "".join(_serialise(dataset, own, events, t)).encode()


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
