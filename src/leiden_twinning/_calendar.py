"""The calendar query: which days of the ties a calendar shows, without any calendar library.

:func:`calendar_events` is what the ``ical`` exporter turns into ``VEVENT`` components, so a
developer gets exactly the same events in Python. Rules:

- every anniversary milestone (:attr:`Milestone.is_anniversary`) known to the day gives a
  yearly ``ANNIVERSARY`` event from its true first occurrence;
- every lustrum (5, 10, 15, ... years) of an anniversary milestone from *from_year* to
  *to_year* gives a one-off ``JUBILEE`` event: on the day when the milestone is known to the day
  (a milestone of 29 February comes round on 28 February in common years), else spanning the
  whole month or the whole year it is known to (:attr:`CalendarEvent.span`), so that every tie's
  jubilees show without a day being invented;
- an activity that recurs on a fixed day (a :class:`Recurrence` with a month and a day) gives a
  yearly ``COMMEMORATION`` event, from its first occurrence surely on or after its ``since``
  date, or from the year of the dataset's revision (the year its source describes it);
- an activity dated to the day gives a one-off ``ACTIVITY`` event;
- a date known only to the year or the month gives no yearly anniversary: the day is never
  invented. :func:`days_unknown` lists those milestones so that a calendar can say so;
- a fixed day the data marks as approximate (``Recurrence.approximate``, "around 7 November")
  gives no event either: an all-day event sits on one exact day in every calendar view, and no
  source gives the bounds a span would need. :func:`days_approximate` lists those activities so
  that a calendar can describe them instead.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import operator
from typing import TYPE_CHECKING

import attrs

from leiden_twinning._dataset import anniversary_date
from leiden_twinning._deprecation import renamed
from leiden_twinning._model import (
    Activity,
    Milestone,
    MilestoneKind,
    Partnership,
    PartnershipKind,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from leiden_twinning._dataset import Anniversary, Dataset

__all__ = [
    "UID_DOMAIN",
    "CalendarEvent",
    "CalendarEventKind",
    "CalendarSpan",
    "calendar_events",
    "days_approximate",
    "days_unknown",
]

#: The right-hand side of every UID this library writes.
UID_DOMAIN = "leiden-twinning"


class CalendarEventKind(enum.StrEnum):
    """What a :class:`CalendarEvent` marks."""

    #: The yearly return of a tie's start, signing or change of kind.
    ANNIVERSARY = "anniversary"
    #: A lustrum (5, 10, 15, ... years) of such a milestone: a one-off event.
    JUBILEE = "jubilee"
    #: An activity that recurs every year on a fixed day (a commemoration, an exchange).
    COMMEMORATION = "commemoration"
    #: A one-off activity known to the day (a visit, a signing).
    ACTIVITY = "activity"


class CalendarSpan(enum.StrEnum):
    """How long a :class:`CalendarEvent` lasts: the precision of the date it comes from.

    .. versionadded:: 1.0
    """

    #: One day: the date is known to the day.
    DAY = "day"
    #: A whole month: the date is known to the month only.
    MONTH = "month"
    #: A whole year: the date is known to the year only.
    YEAR = "year"


#: The home id whose UIDs carry no home prefix: the canonical dataset's UIDs as of 1.0.
_UNPREFIXED_HOME = "leiden"


@attrs.frozen
class CalendarEvent:
    """One all-day event of the calendar, yearly or one-off.

    :attr:`date` is the first occurrence of a yearly event, or the first day of a one-off
    event; a jubilee of a milestone known only to the month or the year spans that month or year
    (:attr:`span`), from :attr:`date` up to :attr:`end`.
    """

    kind: CalendarEventKind
    #: A stable identifier derived from dataset ids (``leiden-oxford.established@leiden-twinning``).
    uid: str
    partnership: Partnership
    date: dt.date
    #: The anniversary or jubilee's milestone.
    milestone: Milestone | None = None
    #: The commemoration or activity.
    activity: Activity | None = None
    #: Whole years since the milestone, for a jubilee.
    years: int | None = None
    #: The tie's kind the event celebrates (the kind the milestone set, or the one in force then).
    partnership_kind: PartnershipKind | None = None
    #: How long the event lasts: a day, or the month or year a jubilee is known to.
    span: CalendarSpan = CalendarSpan.DAY

    @property
    def end(self) -> dt.date:
        """The day after the event's last day (``DTEND`` of an all-day event)."""
        if self.span is CalendarSpan.YEAR:
            return dt.date(self.date.year + 1, 1, 1)
        if self.span is CalendarSpan.MONTH:
            year, month = divmod(self.date.year * 12 + self.date.month, 12)
            return dt.date(year, month + 1, 1)
        return self.date + dt.timedelta(days=1)

    @property
    def yearly(self) -> bool:
        """Whether the event repeats every year."""
        return self.kind in {CalendarEventKind.ANNIVERSARY, CalendarEventKind.COMMEMORATION}

    @property
    def yearly_on(self) -> tuple[int, int] | None:
        """The ``(month, day)`` a yearly event repeats on, e.g. ``(2, 29)``; ``None`` if one-off."""
        if self.kind is CalendarEventKind.ANNIVERSARY:
            return (self.date.month, self.date.day)
        if self.kind is CalendarEventKind.COMMEMORATION and self.activity is not None:
            recurrence = self.activity.recurrence
            return None if recurrence is None else recurrence.fixed_day
        return None

    @property
    def is_round(self) -> bool:
        """A round jubilee: 25, 50, 75, 100, ... years."""
        return self.years is not None and self.years % 25 == 0

    @property
    def name(self) -> str:
        """The UID without its domain; safe as a file name."""
        return self.uid.rsplit("@", 1)[0]


def _kind_at(partnership: Partnership, milestone: Milestone) -> PartnershipKind:
    """The kind *milestone* set, else the kind in force at that moment, else the current one."""
    if milestone.partnership_kind is not None:
        return milestone.partnership_kind
    index = next(i for i, m in enumerate(partnership.history) if m is milestone)
    kinds = [m.partnership_kind for m in partnership.history[:index] if m.partnership_kind]
    return kinds[-1] if kinds else partnership.kind


def _anniversary_names(partnership: Partnership) -> dict[int, str]:
    """UID local parts of the anniversary milestones: ``<partnership>.<kind>[-<n>]``.

    The name does not hold the date, so that a corrected date updates the event instead of adding
    one; a second milestone of the same kind gets ``-2``.
    """
    names: dict[int, str] = {}
    seen: dict[MilestoneKind, int] = {}
    for i, m in enumerate(partnership.history):
        if not m.is_anniversary:
            continue
        seen[m.kind] = seen.get(m.kind, 0) + 1
        suffix = "" if seen[m.kind] == 1 else f"-{seen[m.kind]}"
        names[i] = f"{partnership.id}.{m.kind.value}{suffix}"
    return names


#: The end of every UID: ``@`` and :data:`UID_DOMAIN`.
_DOMAIN = f"@{UID_DOMAIN}"


def _uid(home: str, name: str) -> str:
    """``<name>@leiden-twinning``, with the home id in front for any but the canonical home.

    Two datasets with different homes can then never share a UID, while the canonical
    dataset's UIDs stay those of 1.0 (its ids already start with the home, or name events of its
    own ties). The local part holds letters, digits, ``.``, ``_`` and ``-`` only: a safe file
    and resource name.
    """
    local = name if home == _UNPREFIXED_HOME else f"{home}.{name}"
    return f"{local}@{UID_DOMAIN}"


def _commemoration_start(
    activity: Activity, fixed_day: tuple[int, int], revision: dt.date
) -> dt.date:
    """The first occurrence of a yearly activity that is surely on or after its ``since`` date.

    A ``since`` known to the year or the month counts as its latest possible day, so that the
    calendar never shows an occurrence that may not have happened; without ``since``, the rule
    starts in the year of the dataset's revision.
    """
    nominal = dt.date(2000, *fixed_day)  # a leap year holds 29 February
    since = activity.since
    if since is None:
        return anniversary_date(nominal, revision.year)
    month = since.month if since.month is not None else 12
    import calendar  # noqa: PLC0415 - only here, not at import time

    day = since.day if since.day is not None else calendar.monthrange(since.year, month)[1]
    latest = dt.date(since.year, month, day)
    first = anniversary_date(nominal, since.year)
    return first if first >= latest else anniversary_date(nominal, since.year + 1)


def _jubilee_start(a: Anniversary) -> tuple[tuple[dt.date, CalendarSpan], Anniversary]:
    """The first day of a jubilee and its span: its day, or the 1st of its month or year."""
    if a.date is not None:
        return (a.date, CalendarSpan.DAY), a
    month = a.milestone.date.month
    if month is None:
        return (dt.date(a.year, 1, 1), CalendarSpan.YEAR), a
    return (dt.date(a.year, month, 1), CalendarSpan.MONTH), a


def days_unknown(
    dataset: Dataset, partnerships: Iterable[Partnership] | None = None
) -> tuple[tuple[Partnership, Milestone], ...]:
    """The anniversary milestones known only to the year or the month: no yearly event."""
    chosen = dataset.partnerships if partnerships is None else tuple(partnerships)
    return tuple(
        (p, m) for p in chosen for m in p.history if m.is_anniversary and m.date.to_date() is None
    )


def days_approximate(
    dataset: Dataset, partnerships: Iterable[Partnership] | None = None
) -> tuple[Activity, ...]:
    """The activities that recur on a day the data marks as approximate: they get no event."""
    chosen = {p.id for p in (dataset.partnerships if partnerships is None else partnerships)}
    return tuple(
        a
        for a in dataset.activities
        if a.partnership in chosen and a.recurrence is not None and a.recurrence.approximate
    )


def calendar_events(
    dataset: Dataset,
    *,
    from_year: int | None = None,
    to_year: int | None = None,
    partnerships: Iterable[Partnership] | None = None,
    commemorations: bool = True,
    activities: bool = True,
    first_year: int | None = None,
    last_year: int | None = None,
) -> tuple[CalendarEvent, ...]:
    """The events of a calendar of *dataset*'s ties, in a stable order.

    Yearly anniversaries first (in dataset order), then the jubilees from *from_year* to
    *to_year* (both included; *from_year* alone without *to_year*) by date, then the yearly
    commemorations and the dated activities. *first_year* and *last_year* are deprecated
    aliases of *from_year* and *to_year*.

    >>> import leiden_twinning as lt
    >>> events = lt.calendar_events(lt.load(), from_year=2028)
    >>> [(e.date.isoformat(), e.span.value, e.years) for e in events if e.kind == "jubilee"]
    [('2028-01-01', 'year', 40), ('2028-02-04', 'day', 15), ('2028-09-01', 'day', 30), \
('2028-11-01', 'month', 40)]
    """
    first = renamed("calendar_events()", "first_year", "from_year", first_year, from_year)
    last = renamed("calendar_events()", "last_year", "to_year", last_year, to_year)
    if first is None:
        msg = "calendar_events() needs from_year"
        raise TypeError(msg)
    chosen = dataset.partnerships if partnerships is None else tuple(partnerships)
    return tuple(
        _events(
            dataset,
            chosen,
            years=(first, first if last is None else last),
            commemorations=commemorations,
            activities=activities,
        )
    )


def _events(
    dataset: Dataset,
    chosen: tuple[Partnership, ...],
    *,
    years: tuple[int, int],
    commemorations: bool,
    activities: bool,
) -> Iterator[CalendarEvent]:
    first_year, last_year = years
    home = dataset.home
    names: dict[str, dict[int, str]] = {p.id: _anniversary_names(p) for p in chosen}
    # The fields in CalendarEvent's order (positional: the events are many): kind, uid,
    # partnership, date, milestone, activity, years, partnership_kind, span.
    day_span = CalendarSpan.DAY
    kind = CalendarEventKind.ANNIVERSARY
    for p in chosen:
        for i, m in enumerate(p.history):
            day = m.date.to_date()
            if not m.is_anniversary or day is None:
                continue
            uid = _uid(home, names[p.id][i])
            yield CalendarEvent(kind, uid, p, day, m, None, None, _kind_at(p, m), day_span)
    # By first day: jubilees() gives them year by year, and a jubilee starts in its own year,
    # so each year is sorted apart (the same order as one sort of them all, in less time).
    jubilees: list[tuple[tuple[dt.date, CalendarSpan], Anniversary]] = []
    for _year, of_year in itertools.groupby(
        dataset.jubilees(first_year, last_year, chosen), key=operator.attrgetter("year")
    ):
        jubilees += sorted(map(_jubilee_start, of_year), key=operator.itemgetter(0))
    # Per milestone, once: the start of its jubilees' UIDs and the tie's kind then (a tie has
    # jubilees every 5 years).
    milestones: dict[int, tuple[str, PartnershipKind]] = {}
    kind = CalendarEventKind.JUBILEE
    for (day, span), a in jubilees:
        m = a.milestone
        found = milestones.get(id(m))
        if found is None:
            index = next(i for i, own in enumerate(a.partnership.history) if own is m)
            # _uid(home, f"{name}.jubilee-{years}") is this start, the years and the domain.
            start = _uid(home, f"{names[a.partnership.id][index]}.jubilee-").removesuffix(_DOMAIN)
            found = milestones[id(m)] = (start, _kind_at(a.partnership, m))
        uid = f"{found[0]}{a.years}{_DOMAIN}"
        yield CalendarEvent(kind, uid, a.partnership, day, m, None, a.years, found[1], span)
    wanted = {p.id: p for p in chosen}
    own = [a for a in dataset.activities if a.partnership in wanted]
    if commemorations:
        for activity in own:
            fixed_day = None if activity.recurrence is None else activity.recurrence.fixed_day
            if fixed_day is None:
                continue
            yield CalendarEvent(
                CalendarEventKind.COMMEMORATION,
                _uid(home, activity.id),
                wanted[activity.partnership],
                _commemoration_start(activity, fixed_day, dataset.revision),
                activity=activity,
            )
    if activities:
        dated = [
            (when, activity)
            for activity in own
            if activity.date is not None and (when := activity.date.to_date()) is not None
        ]
        for when, activity in sorted(dated, key=lambda pair: (pair[0], pair[1].id)):
            yield CalendarEvent(
                CalendarEventKind.ACTIVITY,
                _uid(home, activity.id),
                wanted[activity.partnership],
                when,
                activity=activity,
            )
