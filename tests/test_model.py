"""The model's value types and entities validate their own fields."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
import pytest

from leiden_twinning import (
    Activity,
    ActivityKind,
    City,
    Contact,
    Coordinates,
    Figure,
    Foundation,
    LocalizedText,
    Milestone,
    MilestoneKind,
    PartialDate,
    Partnership,
    PartnershipKind,
    PersonName,
    Precision,
    Quantity,
    Recurrence,
    Source,
)
from leiden_twinning._validators import pattern

TEXT = LocalizedText(nl="tekst", en="text")


def milestone(
    date: str,
    kind: MilestoneKind = MilestoneKind.ESTABLISHED,
    partnership_kind: PartnershipKind | None = PartnershipKind.TWINNING,
) -> Milestone:
    return Milestone(
        date=PartialDate.fromisoformat(date),
        kind=kind,
        description=TEXT,
        partnership_kind=partnership_kind,
    )


def city(**changes: Any) -> City:
    fields: dict[str, Any] = {"id": "torun", "name": "Toruń", "country": "PL", "description": TEXT}
    fields.update(changes)
    return City(**fields)


def contact(**changes: Any) -> Contact:
    fields: dict[str, Any] = {
        "id": "marjan-de-jonge",
        "role": TEXT,
        "organisation": "stedenband-leiden-buffalo-city",
        "partnerships": ("leiden-buffalo-city",),
    }
    fields.update(changes)
    return Contact(**fields)


class TestSlugs:
    """Ids are slugs: lower-case ASCII letters and digits joined by single hyphens."""

    @pytest.mark.parametrize("slug", ["torun", "buffalo-city", "leiden-2013", "a", "x1-2-3"])
    def test_valid(self, slug: str) -> None:
        assert slug == city(id=slug).id

    @pytest.mark.parametrize(
        "slug",
        ["", "Torun", "toruń", "buffalo_city", "buffalo city", "-torun", "torun-", "a--b", "a.b"],
    )
    def test_invalid(self, slug: str) -> None:
        with pytest.raises(ValueError, match="is not a slug"):
            city(id=slug)

    def test_reference_lists_are_slugs(self) -> None:
        with pytest.raises(ValueError, match="sources: 'Wikipedia' is not a slug"):
            city(sources=("Wikipedia",))

    def test_reference_list_without_repeats(self) -> None:
        with pytest.raises(ValueError, match="sources: an id is listed twice"):
            city(sources=("wikipedia", "wikipedia"))

    def test_optional_reference_is_checked_when_given(self) -> None:
        with pytest.raises(ValueError, match="is not a slug"):
            Figure(
                id="f",
                label=TEXT,
                quantity=Quantity(1),
                unit="Per Cent",
            )


class TestTrailingLineBreak:
    """A pattern must match the whole value: a trailing line break is not let through."""

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("id", "torun\n", "is not a slug"),
            ("country", "PL\n", "is not an ISO 3166-1 alpha-2 code"),
            ("wikidata", "Q47554\n", "is not a Wikidata id"),
        ],
    )
    def test_city(self, field: str, value: str, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            city(**{field: value})

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("phone", "+31715141720\n", r"is not an E\.164 phone number"),
            ("email", "m.weevers@leiden.nl\n", "is not an e-mail address"),
        ],
    )
    def test_contact(self, field: str, value: str, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            contact(**{field: value})

    def test_url(self) -> None:
        with pytest.raises(ValueError, match=r"is not an http\(s\) URL"):
            Source(id="s", title="t", url="https://gemeente.leiden.nl/\n")


class TestPartialDate:
    """A date known to the year, month or day, never more than that."""

    @pytest.mark.parametrize(
        ("text", "expected", "precision"),
        [
            ("1988", PartialDate(1988), Precision.YEAR),
            ("2013-02", PartialDate(2013, 2), Precision.MONTH),
            ("1998-09-01", PartialDate(1998, 9, 1), Precision.DAY),
            ("2012-02-29", PartialDate(2012, 2, 29), Precision.DAY),
        ],
    )
    def test_parse(self, text: str, expected: PartialDate, precision: Precision) -> None:
        parsed = PartialDate.fromisoformat(text)
        assert expected == parsed
        assert precision == parsed.precision
        assert text == parsed.isoformat() == str(parsed)

    @pytest.mark.parametrize(
        "text", ["", "88", "1988-1", "1988-01-1", "01-09-1998", "1998/09/01", " 1988", "1988-W01"]
    )
    def test_malformed(self, text: str) -> None:
        with pytest.raises(
            ValueError, match="is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
        ):
            PartialDate.fromisoformat(text)

    @pytest.mark.parametrize("text", ["2011-02-30", "2013-02-29", "1998-13", "1998-00", "0000"])
    def test_impossible(self, text: str) -> None:
        with pytest.raises(ValueError, match="is not a real date"):
            PartialDate.fromisoformat(text)

    def test_impossible_from_parts(self) -> None:
        with pytest.raises(ValueError, match="day is out of range for month"):
            PartialDate(2011, 2, 30)

    def test_day_needs_month(self) -> None:
        with pytest.raises(ValueError, match="a day needs a month"):
            PartialDate(2011, None, 24)

    @pytest.mark.parametrize("month", [0, 13])
    def test_month_range(self, month: int) -> None:
        with pytest.raises(ValueError, match=f"month {month} is not between 1 and 12"):
            PartialDate(2011, month)

    def test_to_date_only_when_day_known(self) -> None:
        assert dt.date(2011, 6, 24) == PartialDate(2011, 6, 24).to_date()
        assert None is PartialDate(2011, 6).to_date()
        assert None is PartialDate(2011).to_date()

    def test_sort_key_puts_year_before_its_months(self) -> None:
        dates = [
            PartialDate(1988, 11),
            PartialDate(1988, 1, 2),
            PartialDate(1988),
            PartialDate(1961),
        ]
        assert ["1961", "1988", "1988-01-02", "1988-11"] == [
            d.isoformat() for d in sorted(dates, key=lambda d: d.sort_key)
        ]

    def test_frozen(self) -> None:
        date = PartialDate(1988)
        with pytest.raises(AttributeError):
            date.year = 1989  # type: ignore[misc]


class TestRecurrence:
    """A yearly recurrence is on a real day of some year, or on no set day."""

    def test_29_february_is_a_valid_yearly_day(self) -> None:
        assert 29 == Recurrence(month=2, day=29).day

    def test_30_february_is_not(self) -> None:
        with pytest.raises(ValueError, match="day is out of range for month"):
            Recurrence(month=2, day=30)

    def test_day_needs_month(self) -> None:
        with pytest.raises(ValueError, match="a day needs a month"):
            Recurrence(day=4)

    def test_month_needs_day(self) -> None:
        with pytest.raises(ValueError, match="a month needs a day"):
            Recurrence(month=5)

    def test_no_set_day(self) -> None:
        times = Quantity(2, approximate=True)
        recurrence = Recurrence(times=times)
        assert (None, None, times) == (recurrence.month, recurrence.day, recurrence.times)


class TestContact:
    """Contacts carry an E.164 phone number and a plausible e-mail address."""

    @pytest.mark.parametrize("phone", ["+31715141720", "+31715165231", "+27431234567"])
    def test_valid_phone(self, phone: str) -> None:
        assert phone == contact(phone=phone).phone

    @pytest.mark.parametrize(
        "phone",
        ["071 - 514 1720", "0715141720", "+31 71 514 1720", "+0715141720", "+31", "31715141720"],
    )
    def test_invalid_phone(self, phone: str) -> None:
        with pytest.raises(ValueError, match=r"is not an E\.164 phone number"):
            contact(phone=phone)

    @pytest.mark.parametrize("email", ["m.weevers@leiden.nl", "infosvlj@gmail.com"])
    def test_valid_email(self, email: str) -> None:
        assert email == contact(email=email).email

    @pytest.mark.parametrize(
        "email", ["m.weevers", "m.weevers@leiden", "m weevers@leiden.nl", "a@b@c.nl", "<a@b.nl>"]
    )
    def test_invalid_email(self, email: str) -> None:
        with pytest.raises(ValueError, match="is not an e-mail address"):
            contact(email=email)

    def test_serves_at_least_one_partnership(self) -> None:
        with pytest.raises(ValueError, match="Length of 'partnerships' must be >= 1"):
            contact(partnerships=())


class TestNames:
    """Names are one non-empty line without control characters; free text may break lines."""

    @pytest.mark.parametrize(
        "name",
        [
            "Tor\x00uń",
            "Tor\x1buń",
            "Tor\x7fuń",
            "Tor\x85uń",
            "a\nb",
            "a\rb",
            "a\u2028b",
            "a\u2029b",
        ],
    )
    def test_control_characters_rejected(self, name: str) -> None:
        with pytest.raises(ValueError, match="name: must be one line without control characters"):
            city(name=name)

    @pytest.mark.parametrize("name", ["", "   "])
    def test_empty_rejected(self, name: str) -> None:
        with pytest.raises(ValueError, match="name: must not be empty"):
            city(name=name)

    def test_person_name_parts(self) -> None:
        with pytest.raises(ValueError, match="family: must be one line"):
            PersonName(given="Marjan", family="Jonge\x00")

    def test_text_may_hold_line_breaks(self) -> None:
        assert "eerste\nalinea\r\n\ttweede" == LocalizedText(nl="eerste\nalinea\r\n\ttweede").nl

    @pytest.mark.parametrize("surrogate", [chr(0xD800), chr(0xDFFF)])
    def test_lone_surrogates_rejected(self, surrogate: str) -> None:
        with pytest.raises(ValueError, match="nl: contains a control character"):
            LocalizedText(nl=f"Toru{surrogate}")
        with pytest.raises(ValueError, match="name: must be one line without control characters"):
            city(name=f"Toru{surrogate}")

    def test_text_rejects_other_control_characters(self) -> None:
        with pytest.raises(ValueError, match="en: contains a control character"):
            LocalizedText(nl="ok", en="bell\x07")

    def test_dutch_text_required(self) -> None:
        with pytest.raises(ValueError, match="nl: must not be empty"):
            LocalizedText(nl="")


class TestLocalizedText:
    """Dutch is the source language; other languages fall back to English, then Dutch."""

    def test_dutch(self) -> None:
        assert "stedenband" == LocalizedText(nl="stedenband", en="twinning").get("nl")

    def test_english(self) -> None:
        assert "twinning" == LocalizedText(nl="stedenband", en="twinning").get("en")

    def test_other_language_falls_back_to_english(self) -> None:
        assert "twinning" == LocalizedText(nl="stedenband", en="twinning").get("de")

    @pytest.mark.parametrize("language", ["nl_BE", "nl-NL", "NL"])
    def test_regional_dutch(self, language: str) -> None:
        assert "stedenband" == LocalizedText(nl="stedenband", en="twinning").get(language)

    def test_missing_english_falls_back_to_dutch(self) -> None:
        text = LocalizedText(nl="stedenband")
        assert ("stedenband", "stedenband") == (text.get("en"), text.get("de"))


class TestPersonName:
    """A Dutch name keeps its prefix apart, for sorting and for vCard's N property."""

    def test_full(self) -> None:
        assert "Marjan de Jonge" == PersonName(given="Marjan", family="Jonge", prefix="de").full

    def test_family_with_prefix(self) -> None:
        name = PersonName(given="Marjan", family="Jonge", prefix="de")
        assert "de Jonge" == name.family_with_prefix

    def test_without_prefix(self) -> None:
        name = PersonName(given="Marian", family="Weevers")
        assert ("Marian Weevers", "Weevers") == (name.full, name.family_with_prefix)

    def test_multi_word_prefix(self) -> None:
        name = PersonName(given="Jan", family="Berg", prefix="van den")
        assert ("Jan van den Berg", "van den Berg") == (name.full, name.family_with_prefix)


class TestValueTypes:
    """Quantities, coordinates, countries, URLs and Wikidata ids are checked."""

    def test_quantity_not_negative(self) -> None:
        with pytest.raises(ValueError, match="'value' must be >= 0"):
            Quantity(-1)

    def test_quantity_flags(self) -> None:
        assert (1_000_000, True, False) == (
            Quantity(1_000_000, approximate=True).value,
            Quantity(1_000_000, approximate=True).approximate,
            Quantity(1_000_000, approximate=True).at_least,
        )

    @pytest.mark.parametrize(
        ("latitude", "longitude"), [(90.5, 0.0), (-90.5, 0.0), (0.0, 180.5), (0.0, -180.5)]
    )
    def test_coordinates_range(self, latitude: float, longitude: float) -> None:
        with pytest.raises(ValueError, match="must be"):
            Coordinates(latitude, longitude)

    @pytest.mark.parametrize("country", ["pl", "POL", "P", "P1"])
    def test_country_code(self, country: str) -> None:
        with pytest.raises(ValueError, match="is not an ISO 3166-1 alpha-2 code"):
            city(country=country)

    @pytest.mark.parametrize("wikidata", ["47554", "q47554", "Q", "Q0", "Q12a"])
    def test_wikidata(self, wikidata: str) -> None:
        with pytest.raises(ValueError, match="is not a Wikidata id"):
            city(wikidata=wikidata)

    @pytest.mark.parametrize(
        "url", ["www.leidenbuffalocity.nl", "ftp://example.org/", "https://a b.nl/", "javascript:x"]
    )
    def test_url(self, url: str) -> None:
        with pytest.raises(ValueError, match="is not an http\\(s\\) URL"):
            Source(id="s", title="t", url=url)

    def test_url_accepted(self) -> None:
        assert "https://www.leidenbuffalocity.nl/" == (
            Foundation(
                id="f",
                name="Stichting",
                partnership="p",
                description=TEXT,
                website="https://www.leidenbuffalocity.nl/",
            ).website
        )


class TestPartnership:
    """A tie's history is ordered, starts with an establishment or signing, and sets a kind."""

    def test_start_and_kind_follow_history(self) -> None:
        first = milestone("2013-02-04", MilestoneKind.SIGNED, PartnershipKind.FRIENDSHIP)
        changed = milestone("2017-11-24", MilestoneKind.KIND_CHANGED, PartnershipKind.TWINNING)
        p = Partnership(
            id="leiden-nagasaki",
            city="nagasaki",
            description=TEXT,
            history=(milestone("2012", MilestoneKind.FIRST_CONTACT, None), first, changed),
        )
        assert first == p.start
        assert PartnershipKind.TWINNING == p.kind

    def test_needs_a_start(self) -> None:
        with pytest.raises(ValueError, match="needs a milestone of kind 'established' or 'signed'"):
            Partnership(
                id="p",
                city="c",
                description=TEXT,
                history=(milestone("1961", MilestoneKind.FIRST_CONTACT),),
            )

    def test_needs_a_kind(self) -> None:
        with pytest.raises(ValueError, match="no milestone sets the partnership_kind"):
            Partnership(
                id="p",
                city="c",
                description=TEXT,
                history=(milestone("1988", partnership_kind=None),),
            )

    def test_history_in_date_order(self) -> None:
        with pytest.raises(ValueError, match="milestones must be in date order"):
            Partnership(
                id="p",
                city="c",
                description=TEXT,
                history=(milestone("1974-10-03"), milestone("1961", MilestoneKind.FIRST_CONTACT)),
            )

    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            (MilestoneKind.FIRST_CONTACT, False),
            (MilestoneKind.ESTABLISHED, True),
            (MilestoneKind.SIGNED, True),
            (MilestoneKind.KIND_CHANGED, True),
            (MilestoneKind.DORMANT, False),
            (MilestoneKind.REVIVED, False),
        ],
    )
    def test_which_milestones_are_anniversaries(self, kind: MilestoneKind, expected: bool) -> None:
        assert expected is milestone("1988", kind).is_anniversary


class TestActivity:
    """A one-off activity has a date; a repeating one may have a start and a recurrence."""

    def test_dated_activity_cannot_repeat(self) -> None:
        with pytest.raises(ValueError, match="a dated activity has no recurrence or since"):
            Activity(
                id="a",
                partnership="p",
                kind=ActivityKind.VISIT,
                title=TEXT,
                date=PartialDate(2011, 6, 24),
                recurrence=Recurrence(),
            )

    def test_dated_activity_has_no_since(self) -> None:
        with pytest.raises(ValueError, match="a dated activity has no recurrence or since"):
            Activity(
                id="a",
                partnership="p",
                kind=ActivityKind.VISIT,
                title=TEXT,
                date=PartialDate(2011, 6, 24),
                since=PartialDate(2011),
            )

    def test_repeating_activity(self) -> None:
        activity = Activity(
            id="a",
            partnership="p",
            kind=ActivityKind.INTERNSHIP,
            title=TEXT,
            since=PartialDate(2013),
            recurrence=Recurrence(times=Quantity(1)),
            participants=Quantity(2),
        )
        assert (PartialDate(2013), None) == (activity.since, activity.date)


class TestPatternValidator:
    """The shared validator of a whole-value pattern, as fields and exporter specs use it."""

    def test_it_checks_the_whole_value(self) -> None:
        """A value must match entirely; a trailing line break does not slip through."""
        check = pattern(re.compile(r"[A-Z]{2}"), "a country code")
        field = attrs.fields(City).country
        check(None, field, "NL")
        with pytest.raises(ValueError, match=r"country: 'NL\\n' is not a country code"):
            check(None, field, "NL\n")
        with pytest.raises(ValueError, match="country: None is not a country code"):
            check(None, field, None)

    def test_none_passes_when_optional(self) -> None:
        """An optional pattern lets None through, and shows it in its repr."""
        check = pattern(re.compile("x"), "an x", optional=True)
        check(None, attrs.fields(City).country, None)
        assert "Pattern(re.compile('x'), 'an x', optional=True)" == repr(check)
