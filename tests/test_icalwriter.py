"""The fast iCalendar writer: its bytes equal icalendar's ``to_ical()`` for the same content.

icalendar is the oracle: the same components are built once through icalendar's own API and once
through the writer (directly with its value helpers, and through :func:`from_icalendar`), and the
bytes must be equal -- for the calendars the ``ical`` exporter builds from the canonical data, the
synthetic datasets of the bench, the hostile twins and Hypothesis datasets, and for Hypothesis
components full of hostile strings that the exporter never writes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zoneinfo
from typing import TYPE_CHECKING, Any

import attrs
import icalendar
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar.caselessdict import CaselessDict
from icalendar.parser import Parameters
from icalendar.prop import vRecur, vText

import leiden_twinning as lt
from leiden_twinning import _icalwriter as w
from leiden_twinning import exporting
from leiden_twinning.exporters import ical
from leiden_twinning.exporters.ical import build_calendar
from synthetic import generate
from test_hostile import _TEXT_CHARS, PAYLOADS, Twins, one_line
from test_loader import datasets

if TYPE_CHECKING:
    from collections.abc import Iterator


AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def icalendar_bytes(component: Any) -> bytes:
    """icalendar's own serialisation (typed for mypy)."""
    data: bytes = component.to_ical()
    return data


def assert_same(calendar: icalendar.cal.Component) -> None:
    """The writer's bytes for *calendar*, whole and streamed, are icalendar's."""
    expected = icalendar_bytes(calendar)
    converted = w.from_icalendar(calendar)
    stream = io.BytesIO()
    w.write(converted, stream)

    assert expected == w.to_ical(converted)
    assert expected == stream.getvalue()


def assert_exported(
    dataset: lt.Dataset, locale: str = "en", options: dict[str, Any] | None = None
) -> None:
    """The ``ical`` export, which writes without icalendar, is ``build_calendar()``'s bytes."""
    calendar = build_calendar(dataset, locale=locale, options=options)
    assert_same(calendar)
    assert icalendar_bytes(calendar) == lt.export(dataset, "ical", locale=locale, **options or {})


class TestExporterCalendars:
    """The calendars of ``build_calendar()`` are written byte for byte as icalendar writes them."""

    @pytest.mark.parametrize("locale", ["nl", "en"])
    def test_canonical(self, locale: str) -> None:
        """The canonical dataset, in Dutch and English; also equal to the exporter's file."""
        assert_exported(lt.load(), locale)

    @pytest.mark.parametrize("locale", ["nl", "en"])
    @pytest.mark.parametrize(
        "options",
        [
            {"from_year": 1990, "to_year": 2100},
            {"activities": False, "commemorations": False},
            {"history": True, "from_year": 1950},
            {"remind": "90d"},
            {"remind": "P3M", "remind_anniversaries": True, "history": True},
            {"partnerships": ["Oxford", "Toruń"], "reference_date": "2031-02-28"},
        ],
    )
    def test_canonical_with_options(self, options: dict[str, Any], locale: str) -> None:
        """Every jubilee, no activities, the past, reminders, chosen ties: the same bytes."""
        assert_exported(lt.load(), locale, options)

    @pytest.mark.parametrize("options", [{}, {"remind": "6w", "remind_anniversaries": True}])
    def test_each_tie_on_its_own(self, options: dict[str, Any]) -> None:
        """Each calendar of ``parts()`` (``--split``) is that tie's ``build_calendar()``."""
        dataset = lt.load()
        parts = dict(ical.parts(dataset, locale="nl", options=options))

        assert 4 <= len(parts)
        for partnership in dataset.partnerships:
            name = f"{partnership.id}.ics"
            if name not in parts:
                continue
            own = {**options, "partnerships": [partnership.id]}
            expected = icalendar_bytes(build_calendar(dataset, locale="nl", options=own))
            assert expected == parts[name], name

    @pytest.mark.parametrize(("size", "locale"), [(50, "nl"), (200, "en")])
    def test_synthetic(self, size: int, locale: str) -> None:
        """The bench's generated datasets (fixed seed)."""
        dataset = lt.loads(json.dumps(generate(size)).encode("utf-8"))
        assert_exported(dataset, locale, {"remind": "90d", "history": True})

    @pytest.mark.slow
    def test_synthetic_1000(self) -> None:
        """The bench's 1,000-tie dataset, 3,888 events (no past one-off activity)."""
        dataset = lt.loads(json.dumps(generate(1000)).encode("utf-8"))
        calendar = build_calendar(dataset, locale="en")

        assert 3888 == len(calendar.subcomponents)
        assert_same(calendar)
        assert icalendar_bytes(calendar) == lt.export(dataset, "ical", locale="en")

    @pytest.mark.parametrize("name", ["twinning", "anniversary", "jubilee", "Jubilee", "a,b"])
    def test_city_named_like_a_category(self, name: str) -> None:
        """A partner city named like one of an event's labels is not repeated in CATEGORIES."""
        dataset = lt.load()
        cities = tuple(
            attrs.evolve(c, name=name) if c.id == "oxford" else c for c in dataset.cities
        )
        renamed = attrs.evolve(dataset, cities=cities)
        assert_exported(renamed, "en", {"history": True})
        calendar: Any = icalendar.Calendar.from_ical(lt.export(renamed, "ical", locale="en"))
        oxford = [
            e
            for e in calendar.walk("VEVENT")
            if e["X-LEIDEN-TWINNING-PARTNERSHIP"] == "leiden-oxford"
        ]
        assert oxford
        for event in oxford:
            categories = [str(c) for c in event.categories]
            assert name in categories
            assert len(categories) == len(set(categories))

    @pytest.mark.parametrize("payload", sorted(PAYLOADS))
    def test_hostile_twins(self, payload: str) -> None:
        """Line breaks, separators, markup, injections, bidi and emoji, 10,000 characters."""
        assert_exported(Twins(PAYLOADS[payload]).hostile, "en", {"remind": "1w", "history": True})

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(_TEXT_CHARS, min_size=1, max_size=40))
    def test_any_text_in_every_field(self, text: str) -> None:
        """Random text the model accepts, in every text field of the canonical data."""
        assert_exported(Twins(text, line_payload=one_line(text)).hostile, "nl", {"remind": "1d"})

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(datasets())
    def test_hypothesis_datasets(self, dataset: lt.Dataset) -> None:
        """The loader tests' random datasets, every entity and field of the format in use."""
        try:
            calendar = build_calendar(dataset, locale="en")
        except lt.ExportError:
            assume(False)  # no event to write: the exporter refuses, the writer is not involved
        assert_same(calendar)
        assert icalendar_bytes(calendar) == lt.export(dataset, "ical", locale="en")


# -- Hypothesis components: the writer's helpers against icalendar's API ----------------------

#: Any text UTF-8 can carry, control characters and line breaks included (icalendar accepts them
#: in TEXT and parameter values); escapes and separators often.
_HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(["\\", "\\N", "\\n", ";", ",", ":", '"', "^", "'", "\u2019", "\r\n", "é"]),
        st.characters(codec="utf-8"),
    ),
    max_size=90,
).map("".join)
_NAMES = st.sampled_from(["X-A", "X-B", "COMMENT", "CONTACT", "LOCATION", "DESCRIPTION", "SUMMARY"])
_PARAM_NAMES = st.sampled_from(
    ["LANGUAGE", "CN", "MEMBER", "ALTREP", "X-P", "X-Q", "RELTYPE", "FMTTYPE", "X-ADDRESS"]
)
_PARAM_VALUES = st.one_of(_HOSTILE, st.lists(_HOSTILE, min_size=1, max_size=3), st.just("UTC"))
_PARAMS = st.dictionaries(_PARAM_NAMES, _PARAM_VALUES, max_size=3)
_DATES = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
_DATETIMES = st.datetimes(dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30))
_DURATIONS = st.timedeltas(dt.timedelta(days=-9999), dt.timedelta(days=9999))
_RECURS: st.SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(
    {"FREQ": st.sampled_from(["YEARLY", "MONTHLY", "DAILY"])},
    optional={
        "BYMONTH": st.integers(1, 12),
        "BYMONTHDAY": st.lists(st.integers(-31, 31).filter(bool), min_size=1, max_size=3),
        "COUNT": st.integers(1, 1000),
        "INTERVAL": st.integers(1, 10),
        "BYDAY": st.sampled_from(["MO", "-1FR", "2SU"]),
        "UNTIL": _DATES,
        "WKST": st.just("MO"),
    },
)


@st.composite
def properties(draw: st.DrawFn) -> tuple[str, str, Any, dict[str, Any]]:
    """One property: its name, its kind, its Python value and its parameters."""
    kind = draw(
        st.sampled_from(["text", "categories", "date", "utc", "floating", "zoned", "duration"])
    )
    values: dict[str, st.SearchStrategy[Any]] = {
        "text": _HOSTILE,
        "categories": st.lists(_HOSTILE, min_size=1, max_size=4),
        "date": _DATES,
        "utc": _DATETIMES.map(lambda d: d.replace(tzinfo=dt.UTC)),
        "floating": _DATETIMES,
        "zoned": st.datetimes(dt.datetime(1900, 1, 2), dt.datetime(2100, 1, 1)).map(
            lambda d: d.replace(tzinfo=AMSTERDAM)
        ),
        "duration": _DURATIONS,
    }
    name = {"categories": "CATEGORIES", "duration": "DURATION"}.get(kind) or draw(_NAMES)
    if kind in {"date", "utc", "floating", "zoned"}:
        name = draw(st.sampled_from(["DTSTART", "DTEND", "DUE", "RECURRENCE-ID"]))
    return name, kind, draw(values[kind]), draw(_PARAMS)


def add_to_icalendar(component: Any, name: str, kind: str, value: Any, params: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Add the property through icalendar's API: ``add()`` picks the type from the value."""
    if kind == "text":
        value = vText(value)
    component.add(name, value, parameters=params or None)


def add_to_writer(
    component: w.Component, name: str, kind: str, value: Any, params: dict[str, Any]
) -> None:
    """Add the same property to the writer's component, with the writer's value helpers."""
    extra = dict(params)
    if kind == "text":
        written = w.text(value)
    elif kind == "categories":
        written = w.text_list(value)
    elif kind == "date":
        written = w.date(value)
        extra["VALUE"] = "DATE"  # icalendar sets it for a date
    elif kind == "duration":
        written = w.duration(value)
    else:
        written = w.date_time(value)
        if kind == "zoned":
            extra["TZID"] = "Europe/Amsterdam"
    component.add(name, written, w.params(extra))


@st.composite
def events(draw: st.DrawFn) -> tuple[Any, w.Component]:
    """An event (and maybe alarms) built both ways from the same drawn content."""
    ical = icalendar.Event()
    ours = w.Component("VEVENT")
    for name, kind, value, params in draw(st.lists(properties(), max_size=8)):
        add_to_icalendar(ical, name, kind, value, params)
        add_to_writer(ours, name, kind, value, params)
    uid = draw(_HOSTILE)
    ical.add("UID", vText(uid))
    ours.add("UID", w.text(uid))
    rule = draw(st.none() | _RECURS)
    if rule is not None:
        ical.add("RRULE", vRecur(rule))
        ours.add("RRULE", w.recur(rule))
    alarms = []
    for _ in range(draw(st.integers(0, 2))):
        trigger = draw(_DURATIONS)
        related = draw(st.sampled_from([None, "END", "START"]))
        description = draw(_HOSTILE)
        alarm = icalendar.Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", trigger, parameters={"RELATED": related} if related else {})
        alarm.add("DESCRIPTION", vText(description))
        ical.add_component(alarm)
        alarms.append(
            w.Component(
                "VALARM",
                [
                    ("ACTION", w.text("DISPLAY"), ""),
                    (
                        "TRIGGER",
                        w.duration(trigger),
                        w.params({"RELATED": related} if related else {}),
                    ),
                    ("DESCRIPTION", w.text(description), ""),
                ],
            )
        )
    ours.components = alarms
    return ical, ours


class TestHostileComponents:
    """Components full of hostile strings: the writer's helpers write what icalendar writes."""

    @settings(max_examples=60, deadline=None)
    @given(st.lists(events(), max_size=3), _HOSTILE)
    def test_calendar(self, built: list[tuple[Any, w.Component]], name: str) -> None:
        """A calendar of such events, with a calendar name and properties out of order."""
        calendar = icalendar.Calendar()
        calendar.add("X-WR-CALNAME", vText(name), parameters={"VALUE": "TEXT"})
        calendar.add("PRODID", "-//x//y//EN")
        calendar.add("VERSION", "2.0")
        ours = w.Component(
            "VCALENDAR",
            [
                ("X-WR-CALNAME", w.text(name), w.params({"VALUE": "TEXT"})),
                ("PRODID", w.text("-//x//y//EN"), ""),
                ("VERSION", "2.0", ""),
            ],
            [event for _, event in built],
        )
        for event, _ in built:
            calendar.add_component(event)

        assert icalendar_bytes(calendar) == w.to_ical(ours)
        assert_same(calendar)


class TestValues:
    """Each value helper on its own, against icalendar's value type."""

    @given(_HOSTILE)
    def test_text(self, value: str) -> None:
        """TEXT escaping, icalendar's reading of a literal ``\\N`` included."""
        assert icalendar_bytes(vText(value)).decode("utf-8") == w.text(value)

    @pytest.mark.parametrize(
        "value", ["June 3, 1948", "a;b,c", ";,;,", "no escape", "a,b\\c", "a,\\N", "a;b\r\nc"]
    )
    def test_text_with_separators(self, value: str) -> None:
        """Commas and semicolons alone (the fast path) and with what the full path escapes."""
        assert icalendar_bytes(vText(value)).decode("utf-8") == w.text(value)

    @given(_DURATIONS)
    def test_duration(self, value: dt.timedelta) -> None:
        """Durations of either sign, with and without days and seconds."""
        assert icalendar_bytes(icalendar.vDuration(value)).decode("ascii") == w.duration(value)

    @pytest.mark.parametrize("zone", [dt.UTC, zoneinfo.ZoneInfo("UTC"), AMSTERDAM, None], ids=str)
    def test_date_time(self, zone: dt.tzinfo | None) -> None:
        """``Z`` for UTC however it is given, local time otherwise."""
        value = dt.datetime(2026, 3, 29, 2, 30, 5, tzinfo=zone)
        assert icalendar_bytes(icalendar.vDatetime(value)).decode("ascii") == w.date_time(value)

    @given(st.dictionaries(st.sampled_from(["TZID", "VALUE", "X-P", "CN"]), _PARAM_VALUES))
    def test_params(self, params: dict[str, Any]) -> None:
        """Sorted, caret-encoded, quoted where icalendar quotes; ``TZID=UTC`` left out."""
        written = Parameters(params).to_ical().decode("utf-8")
        assert (";" + written if written else "") == w.params(params)

    @pytest.mark.parametrize("value", ["a", "a b", "a'b", "a,b"])
    def test_common_name(self, value: str) -> None:
        """CN is quoted when it holds a space or an apostrophe, as icalendar quotes it."""
        assert ";" + Parameters({"CN": value}).to_ical().decode() == w.params([("cn", value)])


class TestOrders:
    """The orders the writer copies from icalendar are icalendar's."""

    def test_component_orders(self) -> None:
        """Every icalendar component class with a canonical order has the same one here."""
        found = {}
        for cls in icalendar.cal.component_factory.ComponentFactory().values():
            if getattr(cls, "canonical_order", None):
                found[cls.name] = tuple(cls.canonical_order)
        assert found == w.CANONICAL_ORDER

    def test_recur_order_and_quoting(self) -> None:
        """The parts of a rule, and the parameters always quoted."""
        assert tuple(vRecur.canonical_order) == w.RECUR_ORDER
        assert frozenset(Parameters.always_quoted) == w.ALWAYS_QUOTED

    def test_repeated_properties_keep_their_order(self) -> None:
        """Two ``COMMENT`` properties stay in the order added, after the canonical ones."""
        event = w.Component(
            "VEVENT", [("COMMENT", "b", ""), ("UID", "u", ""), ("COMMENT", "a", "")]
        )
        assert b"BEGIN:VEVENT\r\nUID:u\r\nCOMMENT:b\r\nCOMMENT:a\r\nEND:VEVENT\r\n" == w.to_ical(
            event
        )


class TestStreaming:
    """Subcomponents may come from a generator: they are written one at a time."""

    def test_generator(self) -> None:
        """Each event is made only when the stream has taken the ones before it."""
        stream = io.BytesIO()
        sizes = []

        def made() -> Iterator[w.Component]:
            for i in range(3):
                sizes.append(len(stream.getvalue()))
                yield w.Component("VEVENT", [("UID", str(i), "")])

        w.write(w.Component("VCALENDAR", [("VERSION", "2.0", "")], made()), stream)
        assert [len(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") + 33 * i for i in range(3)] == sizes
        assert 3 == stream.getvalue().count(b"BEGIN:VEVENT")


class TestRefusals:
    """What would break a line or cannot be written is an error naming it."""

    def test_uri_with_a_line_break(self) -> None:
        """A URI is written as it is, so it cannot hold a line break."""
        with pytest.raises(ValueError, match="line break"):
            w.uri("https://example.org/\r\nX-EVIL:1")

    def test_unescaped_value(self) -> None:
        """A value not escaped with text() would start a new line: refused with its property."""
        event = w.Component("VEVENT", [("SUMMARY", "a\nb", "")])
        with pytest.raises(ValueError, match="VEVENT SUMMARY"):
            w.to_ical(event)

    def test_lines_keep_their_order(self) -> None:
        """lines() writes the properties in the order given, each folded as icalendar folds it."""
        summary = "ä" * 60
        event = icalendar.Event()
        event.add("SUMMARY", vText(summary), parameters={"LANGUAGE": "de"})
        folded = icalendar_bytes(event).removeprefix(b"BEGIN:VEVENT\r\n")
        written = w.lines([("UID", "u", ""), ("SUMMARY", w.text(summary), ";LANGUAGE=de")])

        assert b"UID:u\r\n" + folded.removesuffix(b"END:VEVENT\r\n") == written
        assert 3 == written.count(b"\r\n")  # the summary is folded once

    def test_fold_writes_the_bytes_of_lines(self) -> None:
        """The public ical_fold(), joined and encoded once, gives the bytes of ical_lines()."""
        properties = [
            ("SUMMARY", w.text("ä" * 60 + ", ok"), ";LANGUAGE=de"),
            ("UID", "u", ""),
            ("DESCRIPTION", w.text("x\\" * 70), ""),
            ("X-A", "é" * 10, ""),
        ]
        folded = "".join(exporting.ical_fold(f"{n}{p}:{v}") for n, v, p in properties)
        assert exporting.ical_lines(properties) == folded.encode("utf-8")

    def test_lines_refuse_a_raw_line_break(self) -> None:
        """A value with a carriage return would end the line early: refused with its name."""
        with pytest.raises(ValueError, match="SUMMARY"):
            w.lines([("SUMMARY", "a\rb", "")])

    @pytest.mark.parametrize("name", ["summary", "X A", "X:A", ""])
    def test_bad_names(self, name: str) -> None:
        """A name that is not an upper-case token, as a component, property or parameter."""
        with pytest.raises(ValueError, match="not an upper-case"):
            w.Component(name)
        with pytest.raises(ValueError, match="not an upper-case"):
            w.to_ical(w.Component("VEVENT", [(name, "x", "")]))
        if name != "summary":  # parameter names are upper-cased, as icalendar does
            with pytest.raises(ValueError, match="not an upper-case"):
                w.params({name: "x"})

    @pytest.mark.parametrize(("value", "error"), [(True, TypeError), ("YEARLY;X=1", ValueError)])
    def test_recur_parts(self, value: Any, error: type[Exception]) -> None:
        """A boolean or a value that would add a part is not a rule part."""
        with pytest.raises(error, match="recurrence rule"):
            w.recur({"FREQ": value})

    def test_recur_until(self) -> None:
        """``UNTIL`` as a date or a UTC date-time."""
        until = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
        assert "FREQ=DAILY;UNTIL=20300101T000000Z" == w.recur({"UNTIL": until, "FREQ": "DAILY"})
        rule: dict[str, Any] = {"FREQ": "DAILY", "UNTIL": dt.date(2030, 1, 1)}
        assert icalendar_bytes(vRecur(rule)).decode() == w.recur(rule)

    def test_unknown_type(self) -> None:
        """from_icalendar names the property and the type it cannot write."""
        event = icalendar.Event()
        event.add("GEO", (52.16, 4.49))
        with pytest.raises(TypeError, match="GEO: no writer for icalendar's vGeo"):
            w.from_icalendar(event)

    def test_unknown_date_type(self) -> None:
        """A period is a date-like value the writer does not write: an error, not a guess."""
        event = icalendar.Event()
        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        event.add("DTSTART", (start, start + dt.timedelta(hours=1)))
        with pytest.raises(TypeError, match="DTSTART: no writer for icalendar's vDDDTypes"):
            w.from_icalendar(event)

    def test_more_types(self) -> None:
        """SEQUENCE (INTEGER), ORGANIZER (CAL-ADDRESS) and URL are written as icalendar does."""
        event = icalendar.Event()
        event.add("SEQUENCE", 3)
        event.add("ORGANIZER", "mailto:a@example.org", parameters={"CN": "A, B"})
        event.add("URL", "https://example.org/a;b")
        event.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1})
        assert_same(event)

    def test_repr(self) -> None:
        """A component shows its name, properties and subcomponents."""
        assert "ICalComponent('VEVENT', [('UID', 'u', '')], [])" == repr(
            w.Component("VEVENT", [("UID", "u", "")])
        )


def test_case_insensitive_keys_are_icalendars() -> None:
    """icalendar upper-cases parameter names: so does the writer (one name, the last value)."""
    assert CaselessDict({"language": "en"}).keys() == {"LANGUAGE"}
    assert ";LANGUAGE=de" == w.params([("language", "en"), ("LANGUAGE", "de")])
