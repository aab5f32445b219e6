"""The ``ical`` exporter, read back with icalendar, recurring-ical-events and vobject."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import icalendar
import pytest
import recurring_ical_events
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leiden_twinning as lt
from leiden_twinning._calendar import (
    CalendarEventKind,
    _jubilee_start,
    calendar_events,
    days_unknown,
)
from leiden_twinning._plugins import registry
from leiden_twinning.cli import main
from leiden_twinning.exporters import ical as ical_exporter
from leiden_twinning.exporters.ical import _safe, build_calendar
from synthetic import generated

if TYPE_CHECKING:
    from collections.abc import Iterable

REVISION = dt.date(2026, 11, 29)
DASH = "\N{EN DASH}"

BUFFALO = "leiden-buffalo-city.signed@leiden-twinning"
OXFORD = "leiden-oxford.established@leiden-twinning"
NAGASAKI_FRIENDSHIP = "leiden-nagasaki.signed@leiden-twinning"
NAGASAKI_TWINNING = "leiden-nagasaki.kind_changed@leiden-twinning"
KREFELD = "leiden-krefeld.signed@leiden-twinning"
REMEMBRANCE = "oxford-remembrance-day@leiden-twinning"
LIBERATION = "oxford-liberation-day@leiden-twinning"
WAR_DEAD = "oxford-english-war-victims@leiden-twinning"
KREFELD_VISIT = "krefeld-hochschule-visit-2011@leiden-twinning"
NAGASAKI_VISIT = "nagasaki-mayor-visit-2018@leiden-twinning"

#: Every yearly event of the canonical calendar and the day it starts on.
YEARLY = {
    BUFFALO: dt.date(1998, 9, 1),
    OXFORD: dt.date(1946, 3, 26),
    NAGASAKI_FRIENDSHIP: dt.date(2013, 2, 4),
    NAGASAKI_TWINNING: dt.date(2017, 11, 24),
    KREFELD: dt.date(1974, 10, 3),
    REMEMBRANCE: dt.date(2026, 5, 4),
    LIBERATION: dt.date(2026, 5, 5),
}

#: The jubilees from 2026 to 2040: (first day, UID); Juigalpa's span a year, Toruń's a month.
JUBILEES_2026_2040 = [
    (dt.date(2026, 3, 26), "leiden-oxford.established.jubilee-80@leiden-twinning"),
    (dt.date(2027, 11, 24), "leiden-nagasaki.kind_changed.jubilee-10@leiden-twinning"),
    (dt.date(2028, 1, 1), "leiden-juigalpa.established.jubilee-40@leiden-twinning"),
    (dt.date(2028, 2, 4), "leiden-nagasaki.signed.jubilee-15@leiden-twinning"),
    (dt.date(2028, 9, 1), "leiden-buffalo-city.signed.jubilee-30@leiden-twinning"),
    (dt.date(2028, 11, 1), "leiden-torun.signed.jubilee-40@leiden-twinning"),
    (dt.date(2029, 10, 3), "leiden-krefeld.signed.jubilee-55@leiden-twinning"),
    (dt.date(2031, 3, 26), "leiden-oxford.established.jubilee-85@leiden-twinning"),
    (dt.date(2032, 11, 24), "leiden-nagasaki.kind_changed.jubilee-15@leiden-twinning"),
    (dt.date(2033, 1, 1), "leiden-juigalpa.established.jubilee-45@leiden-twinning"),
    (dt.date(2033, 2, 4), "leiden-nagasaki.signed.jubilee-20@leiden-twinning"),
    (dt.date(2033, 9, 1), "leiden-buffalo-city.signed.jubilee-35@leiden-twinning"),
    (dt.date(2033, 11, 1), "leiden-torun.signed.jubilee-45@leiden-twinning"),
    (dt.date(2034, 10, 3), "leiden-krefeld.signed.jubilee-60@leiden-twinning"),
    (dt.date(2036, 3, 26), "leiden-oxford.established.jubilee-90@leiden-twinning"),
    (dt.date(2037, 11, 24), "leiden-nagasaki.kind_changed.jubilee-20@leiden-twinning"),
    (dt.date(2038, 1, 1), "leiden-juigalpa.established.jubilee-50@leiden-twinning"),
    (dt.date(2038, 2, 4), "leiden-nagasaki.signed.jubilee-25@leiden-twinning"),
    (dt.date(2038, 9, 1), "leiden-buffalo-city.signed.jubilee-40@leiden-twinning"),
    (dt.date(2038, 11, 1), "leiden-torun.signed.jubilee-50@leiden-twinning"),
    (dt.date(2039, 10, 3), "leiden-krefeld.signed.jubilee-65@leiden-twinning"),
]
#: The jubilees that span a month or a year: their UIDs.
SPANNING = {uid for _, uid in JUBILEES_2026_2040 if "juigalpa" in uid or "torun" in uid}


# -- helpers ------------------------------------------------------------------------------------


def synthetic(
    *,
    home_name: str = "Leiden",
    partner_name: str = "Leapton",
    milestone_text: str = "Signed on a leap day.",
    place: str | None = "Town Hall",
    activity_title: str = "Leap-day exchange",
    activity_text: str | None = "Every year on the last day of February.",
    url: str | None = "https://example.org/leapton",
    history: tuple[lt.Milestone, ...] | None = None,
) -> lt.Dataset:
    """One tie signed on 29 February 1996, a leap-day exchange since 2000, and a dated visit."""
    return lt.Dataset(
        home="leiden",
        revision=REVISION,
        sources=(lt.Source(id="page", title="A page", url=url),),
        cities=(
            lt.City(
                id="leiden", name=home_name, country="NL", description=lt.LocalizedText(nl="Stad")
            ),
            lt.City(
                id="leapton",
                name=partner_name,
                country="GB",
                description=lt.LocalizedText(nl="Stad"),
            ),
        ),
        partnerships=(
            lt.Partnership(
                id="leiden-leapton",
                city="leapton",
                description=lt.LocalizedText(nl="Een band"),
                history=history
                or (
                    lt.Milestone(
                        date=lt.PartialDate(1996, 2, 29),
                        kind=lt.MilestoneKind.SIGNED,
                        description=lt.LocalizedText(nl=milestone_text, en=milestone_text),
                        partnership_kind=lt.PartnershipKind.TWINNING,
                        place=place,
                        sources=("page",),
                    ),
                ),
            ),
        ),
        activities=(
            lt.Activity(
                id="leapton-leap-exchange",
                partnership="leiden-leapton",
                kind=lt.ActivityKind.EXCHANGE,
                title=lt.LocalizedText(nl=activity_title, en=activity_title),
                description=None
                if activity_text is None
                else lt.LocalizedText(nl=activity_text, en=activity_text),
                since=lt.PartialDate(2000),
                recurrence=lt.Recurrence(month=2, day=29),
            ),
            lt.Activity(
                id="leapton-visit",
                partnership="leiden-leapton",
                kind=lt.ActivityKind.VISIT,
                title=lt.LocalizedText(nl="Bezoek", en="Visit"),
                date=lt.PartialDate(2010, 6, 1),
            ),
        ),
    )


def parse(data: bytes) -> Any:
    """Parse a whole calendar with icalendar."""
    return icalendar.Calendar.from_ical(data)


def vevents(data: bytes) -> list[Any]:
    """The VEVENT components of a calendar, in file order."""
    return list(parse(data).walk("VEVENT"))


def by_uid(data: bytes) -> dict[str, Any]:
    """The VEVENT components keyed by UID."""
    return {str(e["UID"]): e for e in vevents(data)}


def occurrences(data: bytes, first: int, last: int) -> list[tuple[dt.date, str, str]]:
    """Every occurrence from 1 January *first* to 31 December *last*: (date, UID, SUMMARY)."""
    found = recurring_ical_events.of(parse(data)).between(
        dt.date(first, 1, 1), dt.date(last + 1, 1, 1)
    )
    return sorted((e["DTSTART"].dt, str(e["UID"]), str(e["SUMMARY"])) for e in found)


def dates_of(found: Iterable[tuple[dt.date, str, str]], uid: str) -> list[dt.date]:
    """The dates on which the event *uid* occurs."""
    return [day for day, u, _ in found if u == uid]


def yearly(month: int, day: int, first: int = 2026, last: int = 2040) -> list[dt.date]:
    """``month``/``day`` in every year from *first* to *last*."""
    return [dt.date(year, month, day) for year in range(first, last + 1)]


def ical(dataset: lt.Dataset, locale: str = "en", **options: Any) -> bytes:
    """Export *dataset* as iCalendar through the public API."""
    return lt.export(dataset, "ical", locale=locale, **options)


@pytest.fixture(scope="module")
def canonical_en() -> bytes:
    """The canonical calendar in English with jubilees from 2026 to 2040, past activities too."""
    return ical(lt.load(), from_year=2026, to_year=2040, history=True)


@pytest.fixture(scope="module")
def window_2026_2040(canonical_en: bytes) -> list[tuple[dt.date, str, str]]:
    """Every occurrence of the canonical calendar from 2026 to 2040."""
    return occurrences(canonical_en, 2026, 2040)


# -- tests --------------------------------------------------------------------------------------


class TestRegistration:
    """The exporter is a built-in plugin registered through the public hook."""

    def test_listed(self) -> None:
        exporter = registry().get("ical")
        assert ("ics", "text/calendar", "leiden-twinning") == (
            exporter.extension,
            exporter.media_type,
            exporter.distribution,
        )

    def test_options(self) -> None:
        names = [o.name for o in registry().get("ical").options]
        assert [
            "from_year",
            "to_year",
            "reference_date",
            "partnerships",
            "commemorations",
            "activities",
            "history",
            "remind",
            "remind_anniversaries",
        ] == names

    def test_icalendar_not_imported_by_the_package(self) -> None:
        code = "import sys, leiden_twinning; print('icalendar' in sys.modules)"
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "False" == out.stdout.strip()


class TestExpandedDates:
    """Expanded over 2026-2040, every event falls on its true day and on no other."""

    def test_buffalo_city_every_1_september(self, window_2026_2040: list[Any]) -> None:
        assert yearly(9, 1) == dates_of(window_2026_2040, BUFFALO)

    def test_buffalo_city_30th_jubilee(self, window_2026_2040: list[Any]) -> None:
        uid = "leiden-buffalo-city.signed.jubilee-30@leiden-twinning"
        found = [(day, summary) for day, u, summary in window_2026_2040 if u == uid]
        assert [
            (dt.date(2028, 9, 1), f"30 years of the Leiden{DASH}Buffalo City twinning")
        ] == found

    @pytest.mark.parametrize(
        ("uid", "month", "day"),
        [
            (OXFORD, 3, 26),
            (KREFELD, 10, 3),
            (NAGASAKI_FRIENDSHIP, 2, 4),
            (NAGASAKI_TWINNING, 11, 24),
            (REMEMBRANCE, 5, 4),
            (LIBERATION, 5, 5),
        ],
    )
    def test_other_yearly_days(
        self, window_2026_2040: list[Any], uid: str, month: int, day: int
    ) -> None:
        assert yearly(month, day) == dates_of(window_2026_2040, uid)

    def test_every_jubilee(self, window_2026_2040: list[Any]) -> None:
        found = [(day, uid) for day, uid, _ in window_2026_2040 if ".jubilee-" in uid]
        assert JUBILEES_2026_2040 == found

    def test_nothing_else(self, window_2026_2040: list[Any]) -> None:
        assert 7 * 15 + len(JUBILEES_2026_2040) == len(window_2026_2040)
        days = {(day.month, day.day) for day, uid, _ in window_2026_2040 if uid not in SPANNING}
        # 7 November is only "around" in the source: no event (see test_data.py).
        assert {(9, 1), (3, 26), (10, 3), (2, 4), (11, 24), (5, 4), (5, 5)} == days

    def test_first_occurrence_is_the_true_day(self, canonical_en: bytes) -> None:
        starts = {uid: e.start for uid, e in by_uid(canonical_en).items() if "RRULE" in e}
        assert YEARLY == starts

    def test_dated_visit_is_one_off(self, canonical_en: bytes) -> None:
        visit = by_uid(canonical_en)[KREFELD_VISIT]
        assert "RRULE" not in visit
        assert [dt.date(2011, 6, 24)] == dates_of(
            occurrences(canonical_en, 2000, 2040), KREFELD_VISIT
        )

    def test_no_fabricated_day(self, canonical_en: bytes) -> None:
        ties = {
            str(e["X-LEIDEN-TWINNING-PARTNERSHIP"])
            for e in vevents(canonical_en)
            if str(e["UID"]) not in SPANNING
        }
        assert "leiden-juigalpa" not in ties
        assert "leiden-torun" not in ties
        nov_1988 = occurrences(canonical_en, 1988, 1988)
        assert [] == [o for o in nov_1988 if o[0].month == 11]
        # Year-precision activities (1946 sports exchange, 2012 SieboldHuis agreement) get nothing.
        assert not {"oxford-first-sports-exchange", "nagasaki-sieboldhuis-agreement"} & {
            uid.split("@")[0] for uid in by_uid(canonical_en)
        }

    def test_description_names_ties_without_a_day(self, canonical_en: bytes) -> None:
        description = str(parse(canonical_en)["DESCRIPTION"])
        assert "Juigalpa (since 1988) and Toruń (since November 1988) have no known day" in (
            description
        )
        assert "their jubilees span the whole month or year" in description

    def test_round_jubilee_marked(self) -> None:
        data = ical(lt.load(), from_year=2021, to_year=2023)
        jubilees = {str(e["UID"]): e for e in vevents(data) if "jubilee" in str(e["UID"])}
        oxford = jubilees["leiden-oxford.established.jubilee-75@leiden-twinning"]
        buffalo = jubilees["leiden-buffalo-city.signed.jubilee-25@leiden-twinning"]
        assert f"75 years of the Leiden{DASH}Oxford twinning (round jubilee)" == str(
            oxford["SUMMARY"]
        )
        assert ["jubilee", "round jubilee", "twinning", "Buffalo City"] == [
            str(c) for c in buffalo.categories
        ]
        assert dt.date(2021, 3, 26) == oxford.start


class TestCalendarProperties:
    """The calendar carries what RFC 5545 and RFC 7986 ask for, and what clients read."""

    def test_header(self, canonical_en: bytes) -> None:
        calendar = parse(canonical_en)
        assert "2.0" == str(calendar["VERSION"])
        assert str(calendar["PRODID"]).startswith("-//leiden-twinning//leiden-twinning ")
        assert "METHOD" not in calendar
        name = "Leiden's city ties: anniversaries and jubilees"
        assert name == str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
        assert str(calendar["DESCRIPTION"]) == str(calendar["X-WR-CALDESC"])
        for prop in ("NAME", "X-WR-CALNAME", "DESCRIPTION", "X-WR-CALDESC"):
            assert "en" == calendar[prop].params["LANGUAGE"]
            assert isinstance(calendar[prop], icalendar.vText)
        # Properties icalendar does not know say VALUE=TEXT, so that it (and others) unescape them.
        for prop in ("NAME", "X-WR-CALNAME", "X-WR-CALDESC"):
            assert "TEXT" == calendar[prop].params["VALUE"]
        assert re.fullmatch(r"[0-9a-f-]{36}@leiden-twinning", str(calendar["UID"]))

    def test_paragraphs_survive_in_the_x_property(self, canonical_en: bytes) -> None:
        description = str(parse(canonical_en)["X-WR-CALDESC"])
        assert description.endswith("\n\nData as of November 29, 2026.")

    def test_every_event(self, canonical_en: bytes) -> None:
        for event in vevents(canonical_en):
            start = event["DTSTART"]
            assert "DATE" == start.params["VALUE"]
            assert isinstance(start.dt, dt.date)
            assert not isinstance(start.dt, dt.datetime)
            days = 1
            if str(event["UID"]) in SPANNING:
                days = 30 if "torun" in str(event["UID"]) else 365 + (start.dt.year % 4 == 0)
            assert start.dt + dt.timedelta(days=days) == event["DTEND"].dt
            assert "TRANSPARENT" == str(event["TRANSP"])
            assert dt.datetime(2026, 11, 29, tzinfo=dt.UTC) == event["DTSTAMP"].dt
            assert "en" == event["SUMMARY"].params["LANGUAGE"]
            assert "en" == event["CATEGORIES"].params["LANGUAGE"]
            if "DESCRIPTION" in event:
                assert "en" == event["DESCRIPTION"].params["LANGUAGE"]
            assert event.categories

    def test_raw_lines(self, canonical_en: bytes) -> None:
        text = canonical_en.decode()
        assert "DTSTART;VALUE=DATE:19980901\r\nDTEND;VALUE=DATE:19980902\r\n" in text
        assert "\r\nRRULE:FREQ=YEARLY\r\n" in text
        assert "\r\nDTSTAMP:20261129T000000Z\r\n" in text

    def test_uids_unique_and_stable(self, canonical_en: bytes) -> None:
        uids = [str(e["UID"]) for e in vevents(canonical_en)]
        assert len(uids) == len(set(uids))
        expected = {
            *YEARLY,
            KREFELD_VISIT,
            NAGASAKI_VISIT,
            *(uid for _, uid in JUBILEES_2026_2040),
        }
        assert expected == set(uids)

    def test_calendar_uid_depends_on_language_and_selection(self) -> None:
        dataset = lt.load()
        uids = {
            str(parse(ical(dataset, locale, partnerships=p))["UID"])
            for locale in ("en", "nl")
            for p in ((), ("oxford",))
        }
        assert 4 == len(uids)

    def test_anniversary_description_and_url(self, canonical_en: bytes) -> None:
        buffalo = by_uid(canonical_en)[BUFFALO]
        assert str(buffalo["DESCRIPTION"]).startswith(
            "Every year on this day: agreement signed, September 1, 1998.\n\n"
        )
        # The source says the tie was signed *with* East London, not where: no LOCATION.
        assert "LOCATION" not in buffalo
        assert str(buffalo["URL"]).startswith("https://")


class TestLanguages:
    """The data's text and CLDR's dates follow the locale; LANGUAGE says what is written."""

    def test_dutch(self) -> None:
        data = ical(lt.load(), "nl")
        calendar = parse(data)
        assert "nl" == calendar["NAME"].params["LANGUAGE"]
        assert "Toruń (" in str(calendar["DESCRIPTION"])
        assert " november 1988)" in str(calendar["DESCRIPTION"])
        buffalo = by_uid(data)[BUFFALO]
        assert "nl" == buffalo["SUMMARY"].params["LANGUAGE"]
        paragraphs = str(buffalo["DESCRIPTION"]).split("\n\n")
        assert paragraphs[0].endswith("1 september 1998.")
        assert paragraphs[1].startswith("Burgemeester Goekoop")

    def test_dutch_jubilee_title(self) -> None:
        data = ical(lt.load(), "nl", from_year=2028, to_year=2028)
        jubilee = by_uid(data)["leiden-buffalo-city.signed.jubilee-30@leiden-twinning"]
        assert f"30 jaar stedenband Leiden{DASH}Buffalo City" == str(jubilee["SUMMARY"])

    def test_language_without_a_catalog(self) -> None:
        data = ical(lt.load(), "fr")
        calendar = parse(data)
        # Labels fall back to English, and so does LANGUAGE; CLDR still formats in French.
        assert "en" == calendar["NAME"].params["LANGUAGE"]
        buffalo = by_uid(data)[BUFFALO]
        assert "en" == buffalo["SUMMARY"].params["LANGUAGE"]
        assert "en" == buffalo["DESCRIPTION"].params["LANGUAGE"]
        assert "1 septembre 1998." in str(buffalo["DESCRIPTION"]).split("\n\n")[0]

    def test_dutch_only_text_is_marked_dutch(self) -> None:
        dataset = synthetic()
        exchange = attrs.evolve(
            dataset.activities[0],
            title=lt.LocalizedText(nl="Schrikkeldaguitwisseling"),
            description=lt.LocalizedText(nl="Elk jaar."),
        )
        dataset = attrs.evolve(dataset, activities=(exchange, *dataset.activities[1:]))
        event = by_uid(ical(dataset, "en_GB"))["leapton-leap-exchange@leiden-twinning"]
        assert "nl" == event["SUMMARY"].params["LANGUAGE"]
        assert "nl" == event["DESCRIPTION"].params["LANGUAGE"]
        assert "en-GB" == event["CATEGORIES"].params["LANGUAGE"]

    def test_regional_locale_tag(self) -> None:
        calendar = parse(ical(lt.load(), "en_GB"))
        assert "en-GB" == calendar["NAME"].params["LANGUAGE"]
        assert "Data as of 29 November 2026." in str(calendar["DESCRIPTION"])


class TestDeterminism:
    """The same dataset and options give the same bytes, in one process and across processes."""

    def test_in_process(self) -> None:
        assert ical(lt.load(), "nl") == ical(lt.load(), "nl")

    def test_readme_command_twice(self, tmp_path: Path) -> None:
        script = Path(sys.executable).with_name("leiden-twinning")
        outputs = []
        for seed in ("1", "2"):
            out = tmp_path / f"leiden-{seed}.ics"
            env = {**os.environ, "PYTHONHASHSEED": seed}
            subprocess.run(
                [script, "export", "ical", "--locale", "en", "--output", out],
                check=True,
                env=env,
                cwd=tmp_path,
            )
            outputs.append(out.read_bytes())
        assert outputs[0] == outputs[1]
        assert ical(lt.load()) == outputs[0]

    def test_reference_date_not_wall_clock(self) -> None:
        dataset = lt.load()
        assert ical(dataset, reference_date=REVISION) == ical(dataset)


class TestFolding:
    """Lines end in CRLF and fold at 75 octets without splitting a UTF-8 character."""

    LONG = "Ńagasaki\N{EN DASH}Toruń 長崎 🎉 " * 20

    @pytest.fixture
    def data(self) -> bytes:
        return ical(synthetic(milestone_text=self.LONG, activity_title=self.LONG))

    def test_crlf_only(self, data: bytes) -> None:
        assert data.endswith(b"\r\n")
        assert data.count(b"\n") == data.count(b"\r\n")
        assert data.count(b"\r") == data.count(b"\r\n")

    def test_lines_fit_and_decode(self, data: bytes) -> None:
        lines = data.split(b"\r\n")[:-1]
        assert max(len(line) for line in lines) <= 75
        folded = [line for line in lines if line.startswith(b" ")]
        assert len(folded) > 20
        for line in lines:
            line.decode("utf-8")  # a split character raises here

    def test_unfolds_to_the_text(self, data: bytes) -> None:
        event = by_uid(data)["leiden-leapton.signed@leiden-twinning"]
        assert self.LONG == str(event["DESCRIPTION"]).split("\n\n")[1]
        exchange = by_uid(data)["leapton-leap-exchange@leiden-twinning"]
        assert f"{self.LONG} (Leiden{DASH}Leapton)" == str(exchange["SUMMARY"])


class TestLeapDay:
    """A tie signed on 29 February lands on 28 February in common years."""

    def test_rule(self) -> None:
        data = ical(synthetic())
        # icalendar writes the parts in its canonical order.
        assert 2 == data.count(b"\r\nRRULE:FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2\r\n")
        rules = [dict(e["RRULE"]) for e in vevents(data) if "RRULE" in e]
        assert 2 * [{"FREQ": ["YEARLY"], "BYMONTH": [2], "BYMONTHDAY": [-1]}] == rules
        signed = by_uid(data)["leiden-leapton.signed@leiden-twinning"]
        assert dt.date(1996, 2, 29) == signed.start

    def test_expanded(self) -> None:
        found = occurrences(ical(synthetic()), 1996, 2005)
        expected = [
            dt.date(1996, 2, 29),
            dt.date(1997, 2, 28),
            dt.date(1998, 2, 28),
            dt.date(1999, 2, 28),
            dt.date(2000, 2, 29),
            dt.date(2001, 2, 28),
            dt.date(2002, 2, 28),
            dt.date(2003, 2, 28),
            dt.date(2004, 2, 29),
            dt.date(2005, 2, 28),
        ]
        assert expected == dates_of(found, "leiden-leapton.signed@leiden-twinning")
        # The exchange runs "since 2000": its first sure occurrence is in 2001.
        assert expected[5:] == dates_of(found, "leapton-leap-exchange@leiden-twinning")

    def test_jubilee_in_a_common_year(self) -> None:
        found = occurrences(ical(synthetic(), from_year=2021, to_year=2024), 2021, 2024)
        jubilees = [(day, uid) for day, uid, _ in found if "jubilee" in uid]
        assert [
            (dt.date(2021, 2, 28), "leiden-leapton.signed.jubilee-25@leiden-twinning")
        ] == jubilees


HOSTILE = [
    "a\rb",
    "a\nb",
    "a\r\nb",
    "semi;colon",
    "com,ma",
    "back\\slash",
    "co:lon",
    "\\n not a newline",
    "x\r\nX-INJECTED:1",
    "x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil",
    "x\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR",
    '"quoted";LANGUAGE=xx:',
    "\ttab and trailing space ",
]
ONE_LINE = [h for h in HOSTILE if "\n" not in h and "\r" not in h]


def newlines_as_lf(text: str) -> str:
    """What TEXT can carry: every line break as LF."""
    return re.sub(r"\r\n|\r|\n", "\n", text)


def structure(data: bytes) -> list[tuple[str | None, list[str]]]:
    """Every component with the names of its properties, in order."""
    return [(c.name, sorted(c.keys())) for c in parse(data).walk()]


BASELINE = structure(ical(synthetic()))


class TestWithoutDescription:
    """An activity without a description, of a tie without a foundation, has no DESCRIPTION."""

    def test_no_description(self) -> None:
        """The leap-day exchange's event has a summary in English but no description."""
        dataset = synthetic(activity_text=None)
        data = ical(dataset)
        exchange = by_uid(data)["leapton-leap-exchange@leiden-twinning"]
        assert "DESCRIPTION" not in exchange
        assert "en" == exchange["SUMMARY"].params["LANGUAGE"]
        assert build_calendar(dataset, locale="en").to_ical() == data

    def test_long_uid(self) -> None:
        """A UID too long for one line is folded, as icalendar folds it."""
        long_id = "leapton-" + "x" * 80
        dataset = synthetic()
        activities = (attrs.evolve(dataset.activities[0], id=long_id), *dataset.activities[1:])
        dataset = attrs.evolve(dataset, activities=activities)
        data = ical(dataset)
        assert f"{long_id}@leiden-twinning" in by_uid(data)
        assert b"\r\n " in data.split(b"UID:leapton-")[1].split(b"DTSTART")[0]
        assert build_calendar(dataset, locale="en").to_ical() == data


class TestHostileStrings:
    """CR, LF, ``;``, ``,``, ``\\`` and ``:`` in any text round-trip and add no property."""

    @pytest.mark.parametrize("text", HOSTILE)
    def test_in_free_text(self, text: str) -> None:
        data = ical(synthetic(milestone_text=text, activity_title=text, activity_text=text))
        assert BASELINE == structure(data)
        events = by_uid(data)
        exchange = events["leapton-leap-exchange@leiden-twinning"]
        assert f"{newlines_as_lf(text)} (Leiden{DASH}Leapton)" == str(exchange["SUMMARY"])
        assert newlines_as_lf(text) == str(exchange["DESCRIPTION"])
        signed = events["leiden-leapton.signed@leiden-twinning"]
        assert f"\n\n{newlines_as_lf(text)}" in str(signed["DESCRIPTION"])

    @pytest.mark.parametrize("text", HOSTILE)
    def test_read_by_vobject(self, text: str) -> None:
        data = ical(synthetic(activity_title=text, activity_text=text))
        parsed = vobject.readOne(data.decode("utf-8"))
        summaries = {str(e.uid.value): e.summary.value for e in parsed.vevent_list}
        assert (
            f"{newlines_as_lf(text)} (Leiden{DASH}Leapton)"
            == summaries["leapton-leap-exchange@leiden-twinning"]
        )

    @pytest.mark.parametrize("value", ONE_LINE)
    def test_in_names(self, value: str) -> None:
        data = ical(synthetic(home_name=f"Home {value}", partner_name=value, place=value))
        assert BASELINE == structure(data)
        calendar = parse(data)
        name = f"Home {value}'s city ties: anniversaries and jubilees"
        assert name == str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
        assert f"between Home {value} and {value}." in str(calendar["X-WR-CALDESC"])
        # vobject reads the X- properties as TEXT too.
        parsed = vobject.readOne(data.decode("utf-8"))
        assert name == parsed.contents["x-wr-calname"][0].value
        signed = by_uid(data)["leiden-leapton.signed@leiden-twinning"]
        assert value == str(signed["LOCATION"])
        assert f"Anniversary of the Home {value}{DASH}{value} twinning" == str(signed["SUMMARY"])
        assert ["anniversary", "twinning", value] == [str(c) for c in signed.categories]

    def test_x_properties_are_text(self) -> None:
        calendar = build_calendar(synthetic(), locale="en")
        for prop in ("NAME", "X-WR-CALNAME", "X-WR-CALDESC", "DESCRIPTION"):
            assert isinstance(calendar[prop], icalendar.vText)

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        st.text(
            st.characters(
                blacklist_categories=["Cs"],
                blacklist_characters=[
                    chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r"
                ],
            ),
            min_size=1,
            max_size=80,
        )
    )
    def test_any_text(self, text: str) -> None:
        data = ical(synthetic(activity_title=text, activity_text=text))
        assert BASELINE == structure(data)
        exchange = by_uid(data)["leapton-leap-exchange@leiden-twinning"]
        assert newlines_as_lf(text) == str(exchange["DESCRIPTION"])


class TestUnsafeValues:
    """URI and UID values with a control character are refused, not written."""

    def test_url_with_control_character(self) -> None:
        with pytest.raises(lt.ExportError, match="control character"):
            ical(synthetic(url="https://example.org/\x01evil"))

    @pytest.mark.parametrize("value", ["a\rb", "a\nb", "a\x00b", "a\x7fb", "a\x85b"])
    def test_refused(self, value: str) -> None:
        with pytest.raises(lt.ExportError, match="control character"):
            _safe(value, "UID")

    def test_accepted(self) -> None:
        assert "leiden-oxford.established@leiden-twinning" == _safe(OXFORD, "UID")


class TestOptions:
    """The year range, the reference date, the tie selection and the switches."""

    def test_default_window_from_the_revision(self) -> None:
        """A plan: jubilees from the revision's year to ten years on, past visits left out."""
        data = ical(lt.load())
        events = vevents(data)
        years = {e.start.year for e in events if "jubilee" in str(e["UID"])}
        assert 2026 == min(years)  # Oxford's 80th; the window starts in 2026
        assert 2036 == max(years)  # Oxford's 90th; the window ends in 2036
        description = str(parse(data)["DESCRIPTION"])
        assert "from 2026 to 2036" in description
        assert "One-off activities before November 29, 2026 are left out." in description
        assert not {KREFELD_VISIT, NAGASAKI_VISIT} & set(by_uid(data))

    def test_reference_date_moves_the_window(self) -> None:
        data = ical(lt.load(), reference_date=dt.date(2047, 6, 1))
        jubilees = {
            (e.start, str(e["SUMMARY"])) for e in vevents(data) if "jubilee" in str(e["UID"])
        }
        assert min(day for day, _ in jubilees).year >= 2046
        assert max(day for day, _ in jubilees).year <= 2057
        assert (
            dt.date(2048, 9, 1),
            f"50 years of the Leiden{DASH}Buffalo City twinning (round jubilee)",
        ) in jubilees

    def test_reference_date_as_text(self) -> None:
        dataset = lt.load()
        assert ical(dataset, reference_date="2030-01-01") == ical(
            dataset, reference_date=dt.date(2030, 1, 1)
        )

    @pytest.mark.parametrize(
        "keys",
        [("Buffalo City",), ("leiden-buffalo-city",), ("buffalo city", "Buffalo City")],
    )
    def test_one_partnership(self, keys: tuple[str, ...]) -> None:
        events = vevents(ical(lt.load(), partnerships=keys))
        assert {"leiden-buffalo-city"} == {str(e["X-LEIDEN-TWINNING-PARTNERSHIP"]) for e in events}
        assert [BUFFALO, "leiden-buffalo-city.signed.jubilee-30@leiden-twinning"] == [
            str(e["UID"]) for e in events
        ][:2]

    def test_several_partnerships_and_accents(self) -> None:
        data = ical(lt.load(), partnerships=("krefeld", "torun", "Toruń"))
        assert {"leiden-krefeld", "leiden-torun"} == {
            str(e["X-LEIDEN-TWINNING-PARTNERSHIP"]) for e in vevents(data)
        }
        assert "Toruń (since November 1988) has no known day" in str(parse(data)["DESCRIPTION"])
        assert f"Leiden{DASH}Toruń and Leiden{DASH}Krefeld: anniversaries and jubilees" == str(
            parse(data)["NAME"]
        )

    def test_empty_selection_says_so(self) -> None:
        """Years without any jubilee of ties without a day: a clear error, not an empty file."""
        with pytest.raises(
            lt.ExportError,
            match=r"calendar would be empty: Juigalpa, Toruń have no day known .* 2030 to 2031",
        ):
            ical(lt.load(), partnerships=("torun", "juigalpa"), from_year=2030, to_year=2031)

    def test_split_follows_the_same_rule(self) -> None:
        """--split refuses the same selection write() refuses, instead of writing nothing."""
        from leiden_twinning._plugins import parts  # noqa: PLC0415

        options = {"partnerships": ("juigalpa",), "from_year": 2030, "to_year": 2031}
        with pytest.raises(lt.ExportError, match=r"calendar would be empty: Juigalpa has"):
            parts(lt.load(), "ical", locale="en", options=options)

    def test_unknown_partnership(self) -> None:
        with pytest.raises(lt.ExportError, match="atlantis"):
            ical(lt.load(), partnerships=("atlantis",))

    def test_no_commemorations(self) -> None:
        uids = set(by_uid(ical(lt.load(), commemorations=False, history=True)))
        assert not {REMEMBRANCE, LIBERATION, WAR_DEAD} & uids
        assert KREFELD_VISIT in uids

    def test_no_activities(self) -> None:
        uids = set(by_uid(ical(lt.load(), activities=False)))
        assert KREFELD_VISIT not in uids
        assert REMEMBRANCE in uids

    @pytest.mark.parametrize(
        "options",
        [
            {"from_year": 2030, "to_year": 2029},
            {"from_year": "2026"},
            {"to_year": 0},
            {"from_year": True},
            {"reference_date": "28-11-2026"},
        ],
    )
    def test_bad_values(self, options: dict[str, Any]) -> None:
        with pytest.raises(lt.ExportError, match="ical"):
            ical(lt.load(), **options)


class TestCommandLine:
    """``leiden-twinning export ical`` with its options."""

    def test_options(self, tmp_path: Path) -> None:
        out = tmp_path / "buffalo.ics"
        args = ["export", "ical", "--locale", "en", "--output", str(out)]
        args += ["--partnership", "Buffalo City", "--from-year", "2028", "--to-year", "2028"]
        args += ["--no-commemorations", "--no-activities"]
        assert 0 == main(args)
        assert [BUFFALO, "leiden-buffalo-city.signed.jubilee-30@leiden-twinning"] == [
            str(e["UID"]) for e in vevents(out.read_bytes())
        ]

    def test_reference_date(self, tmp_path: Path) -> None:
        out = tmp_path / "later.ics"
        args = ["export", "ical", "--locale", "en", "--output", str(out)]
        assert 0 == main([*args, "--reference-date", "2047-06-01"])
        assert ical(lt.load(), reference_date=dt.date(2047, 6, 1)) == out.read_bytes()

    def test_bad_year_range(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        out = tmp_path / "bad.ics"
        args = ["export", "ical", "--output", str(out), "--from-year", "2030", "--to-year", "2020"]
        assert 1 == main(args)
        assert "from_year 2030 is after to_year 2020" in capsys.readouterr().err
        assert not out.exists()

    def test_split(self, tmp_path: Path) -> None:
        """--split: one complete calendar per tie, named after it, as --partnership gives it."""
        args = ["export", "ical", "--locale", "en", "--split", str(tmp_path / "parts")]
        assert 0 == main(args)
        files = sorted((tmp_path / "parts").iterdir())
        ties = sorted(f"{p.id}.ics" for p in lt.load().partnerships)
        assert ties == [path.name for path in files]
        union: set[str] = set()
        for path in files:
            data = path.read_bytes()
            assert ical(lt.load(), partnerships=(path.stem,)) == data
            calendar = parse(data)
            assert {path.stem} == {
                str(e["X-LEIDEN-TWINNING-PARTNERSHIP"]) for e in calendar.walk("VEVENT")
            }
            city = lt.load().partner_city(lt.load().partnership(path.stem)).name
            name = f"Leiden{DASH}{city}: anniversaries and jubilees"
            assert name == str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
            union |= set(by_uid(data))
        assert set(by_uid(ical(lt.load()))) == union


class TestCalendarQuery:
    """The query behind the calendar works without iCalendar."""

    def test_same_events_as_the_file(self, dataset: lt.Dataset) -> None:
        found = calendar_events(dataset, from_year=2026, to_year=2040)
        data = ical(dataset, from_year=2026, to_year=2040, history=True)
        assert {e.uid for e in found} == set(by_uid(data))

    def test_jubilee(self, dataset: lt.Dataset) -> None:
        found = calendar_events(dataset, from_year=2028, to_year=2028, activities=False)
        buffalo = [e for e in found if e.kind is CalendarEventKind.JUBILEE and e.years == 30]
        assert [(dt.date(2028, 9, 1), "leiden-buffalo-city")] == [
            (e.date, e.partnership.id) for e in buffalo
        ]
        assert not buffalo[0].is_round
        assert buffalo[0].yearly_on is None

    def test_days_unknown(self, dataset: lt.Dataset) -> None:
        assert [("leiden-juigalpa", "1988"), ("leiden-torun", "1988-11")] == [
            (p.id, m.date.isoformat()) for p, m in days_unknown(dataset)
        ]

    def test_commemoration_starts_after_since(self) -> None:
        found = calendar_events(synthetic(), from_year=2026, to_year=2026)
        exchange = next(e for e in found if e.kind is CalendarEventKind.COMMEMORATION)
        # "since 2000" could be any day of 2000: the first sure occurrence is in 2001.
        assert dt.date(2001, 2, 28) == exchange.date
        assert (2, 29) == exchange.yearly_on

    def test_jubilees_by_first_day(self) -> None:
        # Sorted year by year; the same order as one stable sort of all of them by first day.
        dataset = generated(300)
        found = calendar_events(dataset, from_year=2026, to_year=2037, commemorations=False)
        jubilees = [e for e in found if e.kind is CalendarEventKind.JUBILEE]
        starts = (_jubilee_start(a) for a in dataset.jubilees(2026, 2037))
        expected = sorted(starts, key=lambda pair: pair[0])
        assert len({day.year for (day, _span), _a in expected}) == 12
        assert [(day, span, a.partnership.id, a.years) for (day, span), a in expected] == [
            (e.date, e.span, e.partnership.id, e.years) for e in jubilees
        ]

    @pytest.mark.parametrize("history", [False, True])
    def test_past_activities_only_with_history(self, history: bool) -> None:
        dataset = generated(300)
        dated = sorted(filter(None, (a.date.to_date() for a in dataset.activities if a.date)))
        reference = dated[len(dated) // 2]
        options = {"reference_date": reference.isoformat(), "history": history}
        settings = ical_exporter._Settings(dataset, options)
        found = ical_exporter._events(dataset, settings, settings.partnerships)
        every = calendar_events(dataset, from_year=settings.first_year, to_year=settings.last_year)
        past = [e for e in every if e.kind is CalendarEventKind.ACTIVITY and e.date < reference]
        assert past  # some of them are left out without history
        kept = [e for e in every if history or e not in past]
        assert kept == list(found)

    def test_yearly(self, dataset: lt.Dataset) -> None:
        found = calendar_events(dataset, from_year=2028, to_year=2028)
        assert {
            CalendarEventKind.ANNIVERSARY: True,
            CalendarEventKind.JUBILEE: False,
            CalendarEventKind.COMMEMORATION: True,
            CalendarEventKind.ACTIVITY: False,
        } == {e.kind: e.yearly for e in found}


def milestone(date: str, kind: str, tie: str | None = None) -> lt.Milestone:
    """A milestone of the synthetic tie."""
    return lt.Milestone(
        date=lt.PartialDate.fromisoformat(date),
        kind=lt.MilestoneKind(kind),
        description=lt.LocalizedText(nl=f"{kind} {date}"),
        partnership_kind=None if tie is None else lt.PartnershipKind(tie),
    )


class TestHistories:
    """Ties whose milestones set no kind, or whose later milestones have no known day."""

    def test_kind_in_force(self) -> None:
        history = (
            milestone("1990-05-01", "established", "friendship"),
            milestone("2000-06-01", "signed"),
        )
        events = by_uid(ical(synthetic(history=history), from_year=2030, to_year=2030))
        assert f"Anniversary of the Leiden{DASH}Leapton friendship tie" == str(
            events["leiden-leapton.signed@leiden-twinning"]["SUMMARY"]
        )
        assert f"30 years of the Leiden{DASH}Leapton friendship tie" == str(
            events["leiden-leapton.signed.jubilee-30@leiden-twinning"]["SUMMARY"]
        )

    def test_kind_set_later(self) -> None:
        history = (
            milestone("1990-05-01", "signed"),
            milestone("1995-01-01", "kind_changed", "twinning"),
        )
        found = calendar_events(synthetic(history=history), from_year=2030, to_year=2030)
        first = next(e for e in found if e.uid == "leiden-leapton.signed@leiden-twinning")
        assert lt.PartnershipKind.TWINNING == first.partnership_kind

    def test_second_milestone_of_a_kind(self) -> None:
        history = (
            milestone("1990-05-01", "signed", "twinning"),
            milestone("2001-07-02", "signed"),
        )
        events = by_uid(ical(synthetic(history=history), activities=False, commemorations=False))
        assert {
            "leiden-leapton.signed@leiden-twinning": dt.date(1990, 5, 1),
            "leiden-leapton.signed-2@leiden-twinning": dt.date(2001, 7, 2),
        } == {uid: e.start for uid, e in events.items() if "RRULE" in e}

    def test_later_milestone_without_a_day(self) -> None:
        history = (
            milestone("1990-05-01", "established", "friendship"),
            milestone("2005-03", "kind_changed", "twinning"),
        )
        data = ical(synthetic(history=history), from_year=2030, to_year=2030)
        description = str(parse(data)["DESCRIPTION"])
        assert "Leapton (kind of tie changed, March 2005) has no known day" in description
        jubilee = by_uid(data)["leiden-leapton.kind_changed.jubilee-25@leiden-twinning"]
        assert (dt.date(2030, 3, 1), dt.date(2030, 4, 1)) == (jubilee.start, jubilee.end)
        assert ["leiden-leapton.established@leiden-twinning"] == [
            uid for uid, e in by_uid(data).items() if "RRULE" in e and "leiden-leapton." in uid
        ]

    def test_no_jubilee_without_a_day_in_range(self) -> None:
        history = (milestone("1990", "established", "twinning"),)
        data = ical(synthetic(history=history), from_year=2031, to_year=2034)
        description = str(parse(data)["DESCRIPTION"])
        assert "Leapton (since 1990) has no known day" in description
        assert not [e for e in vevents(data) if "jubilee" in str(e["UID"])]

    def test_no_source_url(self) -> None:
        events = vevents(ical(synthetic(url=None)))
        assert [] == [e for e in events if "URL" in e]


class TestPythonOptions:
    """build_calendar and export accept Python values as well as the command line's text."""

    def test_partnership_as_a_string(self) -> None:
        calendar = build_calendar(lt.load(), locale="en", options={"partnerships": "oxford"})
        assert {"leiden-oxford"} == {
            str(e["X-LEIDEN-TWINNING-PARTNERSHIP"]) for e in calendar.walk("VEVENT")
        }

    def test_reference_datetime(self) -> None:
        dataset = lt.load()
        moment = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
        assert ical(dataset, reference_date=moment) == ical(
            dataset, reference_date=dt.date(2030, 1, 1)
        )


def split_calendars(tmp_path: Path, *extra: str) -> dict[str, bytes]:
    """The calendars ``--split`` writes, one per tie, keyed by file name."""
    directory = tmp_path / "split"
    assert 0 == main(["export", "ical", "--locale", "en", "--split", str(directory), *extra])
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


class TestSpans:
    """A tie known to the month or the year has its jubilees as spans, never on a day."""

    def test_torun_spans_november(self) -> None:
        """Toruń (November 1988): its 40th spans November 2028, titled as such."""
        data = ical(lt.load(), "nl", partnerships=("torun",))
        jubilee = by_uid(data)["leiden-torun.signed.jubilee-40@leiden-twinning"]
        assert (dt.date(2028, 11, 1), dt.date(2028, 12, 1)) == (jubilee.start, jubilee.end)
        assert f"40 jaar stedenband Leiden{DASH}Toruń (november 1988; dag onbekend)" == str(
            jubilee["SUMMARY"]
        )
        assert "TRANSPARENT" == str(jubilee["TRANSP"])
        assert "RRULE" not in jubilee

    def test_juigalpa_spans_2028(self) -> None:
        """Juigalpa (1988): its 40th spans the year 2028, and it has no yearly event."""
        data = ical(lt.load(), partnerships=("juigalpa",))
        events = by_uid(data)
        jubilee = events["leiden-juigalpa.established.jubilee-40@leiden-twinning"]
        assert (dt.date(2028, 1, 1), dt.date(2029, 1, 1)) == (jubilee.start, jubilee.end)
        assert "(1988; month and day unknown)" in str(jubilee["SUMMARY"])
        assert "spans the whole year" in str(jubilee["DESCRIPTION"])
        assert [] == [e for e in events.values() if "RRULE" in e]

    def test_descriptions_say_what_it_is(self) -> None:
        """A jubilee's description: which jubilee, since when, who signed, the foundation."""
        data = ical(lt.load(), partnerships=("torun",))
        text = str(by_uid(data)["leiden-torun.signed.jubilee-40@leiden-twinning"]["DESCRIPTION"])
        assert text.startswith("Jubilee: 40 years since November 1988 (agreement signed).")
        assert "Signed by Cees Goekoop (" in text
        assert "Carried by Stichting Stedenband Leiden-Toruń: https://leiden-torun.eu/." in text

    def test_foundation_mail_in_the_description(self) -> None:
        """A foundation's own e-mail address is how to reach it, beside its website."""
        data = ical(lt.load(), partnerships=("juigalpa",))
        text = str(vevents(data)[0]["DESCRIPTION"])
        assert "https://www.leiden-juigalpa.nl/, infosvlj@gmail.com." in text

    @pytest.mark.parametrize("locale", ["en", "nl"])
    def test_no_unknown_day_in_any_calendar(self, locale: str, tmp_path: Path) -> None:
        """recurring-ical-events: every one-day occurrence is on a day the data knows."""
        dataset = lt.load()
        known = {
            (d.month, d.day)
            for p in dataset.partnerships
            for m in p.history
            if (d := m.date.to_date()) is not None
        }
        for a in dataset.activities:
            fixed = None if a.recurrence is None else a.recurrence.fixed_day
            if fixed is not None:
                known.add(fixed)
        known |= {
            (d.month, d.day)
            for a in dataset.activities
            if a.date is not None and (d := a.date.to_date()) is not None
        }
        calendars = [
            ical(dataset, locale, history=True, from_year=1946, to_year=2060),
            *split_calendars(tmp_path, "--history").values(),
        ]
        for data in calendars:
            for event in recurring_ical_events.of(parse(data)).between(
                dt.date(1946, 1, 1), dt.date(2061, 1, 1)
            ):
                start, end = event["DTSTART"].dt, event["DTEND"].dt
                if end - start == dt.timedelta(days=1):
                    assert (start.month, start.day) in known, event["UID"]
                    # 7 November is only "around" in the source (issue 15): never a day.
                    assert (11, 7) != (start.month, start.day)
                else:
                    assert 1 == start.day
                    assert end in {
                        dt.date(start.year + 1, 1, 1),
                        dt.date(start.year + start.month // 12, start.month % 12 + 1, 1),
                    }


class TestReminders:
    """--remind adds a display alarm before every jubilee; --remind-anniversaries before more."""

    def test_ninety_days(self) -> None:
        """``remind="90d"``: ``TRIGGER:-P90D`` on each jubilee, none on a yearly event."""
        data = ical(lt.load(), "nl", remind="90d")
        assert b"\r\nTRIGGER:-P90D\r\n" in data
        for event in vevents(data):
            alarms = [c for c in event.subcomponents if c.name == "VALARM"]
            if str(event["X-LEIDEN-TWINNING-KIND"]) != "jubilee":
                assert [] == alarms
                continue
            (alarm,) = alarms
            assert "DISPLAY" == str(alarm["ACTION"])
            assert -dt.timedelta(days=90) == alarm["TRIGGER"].dt
            assert f"Binnenkort: {event['SUMMARY']}" == str(alarm["DESCRIPTION"])
            assert "nl" == alarm["DESCRIPTION"].params["LANGUAGE"]

    def test_months_count_back_on_the_calendar(self) -> None:
        """``P3M`` before 1 September 2028 is 1 June: 92 days, as iCalendar has no months."""
        data = ical(lt.load(), partnerships=("buffalo city",), remind="P3M")
        jubilee = by_uid(data)["leiden-buffalo-city.signed.jubilee-30@leiden-twinning"]
        (alarm,) = jubilee.walk("VALARM")
        assert -dt.timedelta(days=92) == alarm["TRIGGER"].dt

    def test_anniversaries_too(self) -> None:
        """--remind-anniversaries: the yearly anniversaries get the alarm, commemorations not."""
        data = ical(lt.load(), remind="6w", remind_anniversaries=True)
        for event in vevents(data):
            kind = str(event["X-LEIDEN-TWINNING-KIND"])
            alarms = event.walk("VALARM")
            assert (kind in {"jubilee", "anniversary"}) == bool(alarms), event["UID"]
            for alarm in alarms:
                assert -dt.timedelta(weeks=6) == alarm["TRIGGER"].dt

    @pytest.mark.parametrize(
        ("text", "expected"),
        [("90d", "P90D"), ("6W", "P6W"), ("3m", "P3M"), ("P3M", "P3M"), (" 1y ", "P1Y")],
    )
    def test_durations(self, text: str, expected: str) -> None:
        """The short and the ISO 8601 forms both parse."""
        from leiden_twinning.exporting import duration  # noqa: PLC0415

        assert expected == str(duration(text))

    @pytest.mark.parametrize("text", ["", "90", "d", "0d", "3x", "P1Y2M", "p3m", "-5d", "3661d"])
    def test_bad_durations(self, text: str) -> None:
        """Anything else is refused with the forms accepted."""
        with pytest.raises(lt.ExportError, match=r"ical: remind: .* is not a duration"):
            ical(lt.load(), remind=text)

    def test_bad_duration_on_the_command_line(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The CLI names the option and the forms, without a traceback."""
        with pytest.raises(SystemExit):
            main(["export", "ical", "--remind", "soon"])
        err = capsys.readouterr().err
        assert "argument --remind: 'soon' is not a duration" in err
        assert "Traceback" not in err

    def test_anniversaries_need_remind(self) -> None:
        """--remind-anniversaries alone has nothing to add."""
        with pytest.raises(lt.ExportError, match="remind_anniversaries needs remind"):
            ical(lt.load(), remind_anniversaries=True)

    def test_not_a_duration_value(self) -> None:
        """A Python value that is neither a duration nor text is refused."""
        with pytest.raises(lt.ExportError, match="remind must be a duration"):
            ical(lt.load(), remind=90)

    def test_duration_object(self) -> None:
        """A Duration passes as it is."""
        from leiden_twinning.exporting import Duration  # noqa: PLC0415

        assert ical(lt.load(), remind=Duration(90, "D")) == ical(lt.load(), remind="90d")

    def test_help_names_the_default(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--help says the reference date is the dataset's revision date."""
        assert 0 == main(["export", "ical", "--locale", "en", "--help"])
        out = " ".join(capsys.readouterr().out.split())
        assert "--remind DURATION" in out
        assert "default: the dataset's revision date" in out


class TestPlan:
    """The calendar is a plan from the reference date, and follows the selection."""

    def test_history(self) -> None:
        """Past one-off activities come back with history, later ones are always there."""
        assert KREFELD_VISIT in by_uid(ical(lt.load(), history=True))
        later = ical(lt.load(), history=False, reference_date=dt.date(2015, 1, 1))
        assert {NAGASAKI_VISIT} == {uid for uid in by_uid(later) if "visit" in uid}

    def test_selection_names_the_calendar(self) -> None:
        """One tie: "Leiden-Krefeld: verjaardagen en jubilea"."""
        calendar = parse(ical(lt.load(), "nl", partnerships=("krefeld",)))
        assert f"Leiden{DASH}Krefeld: verjaardagen en jubilea" == str(calendar["NAME"])

    def test_two_runs_identical(self, tmp_path: Path) -> None:
        """Two runs of the CLI with every option give the same bytes."""
        runs = []
        for n in (1, 2):
            out = tmp_path / f"{n}.ics"
            main(["export", "ical", "--remind", "90d", "--remind-anniversaries", "-o", str(out)])
            runs.append(out.read_bytes())
        assert runs[0] == runs[1]
        assert split_calendars(tmp_path / "a") == split_calendars(tmp_path / "b")


def elsewhere() -> lt.Dataset:
    """The synthetic dataset with another home id: the same ids, another home."""
    dataset = synthetic()
    cities = tuple(
        attrs.evolve(c, id="elsewhere") if c.id == "leiden" else c for c in dataset.cities
    )
    return attrs.evolve(dataset, home="elsewhere", cities=cities)


class TestOtherHomes:
    """Two datasets with different homes never share an event UID."""

    def test_uids_carry_the_home(self) -> None:
        """Outside the canonical home, every event UID starts with the home id."""
        ours = set(by_uid(ical(synthetic())))
        theirs = set(by_uid(ical(elsewhere())))
        assert not ours & theirs
        assert {f"elsewhere.{uid}" for uid in ours} == theirs
