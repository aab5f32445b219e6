"""The canonical dataset holds every fact of the municipality page, city by city.

The page is "Stedenbanden en internationale samenwerking" of the Gemeente Leiden (written early in
2013). Where a later source refines or corrects it, the test says which source the fact rests on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

import attrs
import html5lib
import icalendar
import pytest
import recurring_ical_events

from leiden_twinning import (
    Activity,
    ActivityKind,
    City,
    Dataset,
    Institution,
    LocalizedText,
    MilestoneKind,
    PartialDate,
    Partnership,
    PartnershipKind,
    Precision,
    Quantity,
    Recurrence,
    Theme,
    calendar_events,
    dumps,
    export,
    load,
)
from leiden_twinning._i18n import i18n
from leiden_twinning._show import render
from leiden_twinning.cli import main

if TYPE_CHECKING:
    from collections.abc import Iterator

PAGE = "gemeente-leiden-stedenbanden"


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every attrs object and value inside *value*, with its path."""
    yield path, value
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            if field.init:
                yield from walk(getattr(value, field.name), f"{path}.{field.name}".lstrip("."))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from walk(item, f"{path}[{i}]")


def e164(page_number: str) -> str:
    """The E.164 form of a Dutch number as the page prints it (``071 - 514 1720``)."""
    digits = re.sub(r"[^0-9]", "", page_number)
    assert digits.startswith("0")
    return "+31" + digits[1:]


def activity(dataset: Dataset, activity_id: str) -> Activity:
    found: Activity = dataset.get(activity_id)
    return found


def both(text: LocalizedText | None) -> str:
    """Dutch and English of *text* together, for facts that must be in both."""
    assert text is not None
    assert text.en is not None
    return f"{text.nl}\n{text.en}"


def in_both(fact: str, text: LocalizedText | None) -> bool:
    assert text is not None
    return fact in text["nl"] and fact in (text.en or "")


class TestWholeDataset:
    """Every text is bilingual, every source is real, and Leiden has six partners."""

    def test_every_text_in_dutch_and_english(self, dataset: Dataset) -> None:
        untranslated = [
            path
            for path, value in walk(dataset)
            if isinstance(value, LocalizedText) and (not value.en or not value["nl"].strip())
        ]
        assert [] == untranslated

    def test_every_source_has_a_url_and_publisher(self, dataset: Dataset) -> None:
        for source in dataset.sources:
            assert source.url is not None, source.id
            assert source.url.startswith(("https://", "http://")), source.id
            assert source.publisher, source.id

    def test_every_referenced_source_exists(self, dataset: Dataset) -> None:
        referenced = {
            ref
            for path, value in walk(dataset)
            if path.endswith(".sources") or path == "sources"
            for ref in value
            if isinstance(ref, str)
        }
        assert referenced <= {s.id for s in dataset.sources}
        assert {s.id for s in dataset.sources} <= referenced

    def test_every_fact_names_a_source(self, dataset: Dataset) -> None:
        entities: tuple[Any, ...] = (
            *dataset.cities,
            *dataset.partnerships,
            *dataset.foundations,
            *dataset.institutions,
            *dataset.contacts,
            *dataset.activities,
            *dataset.discrepancies,
            *(m for p in dataset.partnerships for m in p.history),
        )
        assert [] == [e for e in entities if not e.sources]

    def test_the_page(self, dataset: Dataset) -> None:
        page = dataset.source(PAGE)
        assert ("Stedenbanden en internationale samenwerking", "Gemeente Leiden") == (
            page.title,
            page.publisher,
        )
        assert page.url == "https://gemeente.leiden.nl/over-de-stad/overige/stedenbanden/"

    def test_six_partner_cities(self, dataset: Dataset) -> None:
        assert ["buffalo-city", "juigalpa", "krefeld", "nagasaki", "oxford", "torun"] == sorted(
            p.city for p in dataset.partnerships
        )

    def test_home_is_leiden(self, dataset: Dataset) -> None:
        leiden = dataset.home_city
        assert ("Leiden", "NL", "Zuid-Holland") == (
            leiden.name,
            leiden.country,
            leiden.region.nl if leiden.region else None,
        )

    def test_partner_cities_are_located(self, dataset: Dataset) -> None:
        for p in dataset.partnerships:
            city = dataset.partner_city(p)
            assert city.region is not None, city.id
            assert city.coordinates is not None, city.id

    def test_contacts_published_with_their_date(self, dataset: Dataset) -> None:
        from_page = [c for c in dataset.contacts if PAGE in c.sources]
        assert ["marjan-de-jonge", "marian-weevers"] == [c.id for c in from_page]
        assert {PartialDate(2013)} == {c.as_of for c in from_page}

    def test_revision_is_a_date(self, dataset: Dataset) -> None:
        assert isinstance(dataset.revision, dt.date)


class TestDiscrepancies:
    """Where the page contradicts itself or other sources, the data says so."""

    def test_five_or_six_cities(self, dataset: Dataset) -> None:
        found = dataset.get("five-or-six-cities")
        assert "leiden" == found.subject
        assert "vijf" in found.description.nl
        assert "zes" in found.description.nl
        assert "five" in found.description.en
        assert "six" in found.description.en

    def test_nagasaki_2012_or_2013(self, dataset: Dataset) -> None:
        found = dataset.get("nagasaki-2012-or-2013")
        assert "leiden-nagasaki" == found.subject
        assert in_both("2012", found.description)
        assert in_both("2013", found.description)
        assert {PAGE, "nfia-2013"} <= set(found.sources)

    def test_taue_spelling(self, dataset: Dataset) -> None:
        found = dataset.get("taue-spelling")
        assert in_both("Tomisa Taue", found.description)
        assert in_both("Tomihisa Taue", found.description)

    def test_misspelling_used_nowhere_else(self, dataset: Dataset) -> None:
        misspelt = [
            path
            for path, value in walk(dataset)
            if isinstance(value, str) and "Tomisa" in value and not path.startswith("discrepancies")
        ]
        assert [] == misspelt

    def test_krefeld_start(self, dataset: Dataset) -> None:
        found = dataset.get("krefeld-start")
        assert "leiden-krefeld" == found.subject
        assert in_both("1961", found.description)
        assert in_both("1974", found.description)

    def test_svlj_abbreviation(self, dataset: Dataset) -> None:
        found = dataset.get("svlj-abbreviation")
        assert in_both("SVJL", found.description)


class PartnerTests:
    """Shared look-ups for the per-city test classes."""

    city_id: str

    @pytest.fixture
    def city(self, dataset: Dataset) -> City:
        return dataset.city(self.city_id)

    @pytest.fixture
    def tie(self, dataset: Dataset) -> Partnership:
        return dataset.partnership(self.city_id)


class TestBuffaloCity(PartnerTests):
    """Buffalo City, South Africa: twinning signed on 1 September 1998."""

    city_id = "buffalo-city"

    def test_city(self, city: City) -> None:
        assert ("Buffalo City", "ZA") == (city.name, city.country)
        assert LocalizedText(nl="Oost-Kaap", en="Eastern Cape") == city.region
        assert Quantity(1_000_000, approximate=True) == city.population
        assert "East London" in city.aliases
        assert in_both("2000", city.description)
        assert in_both("Buffalo River", city.description)

    def test_four_towns(self, city: City) -> None:
        towns = " ".join(both(h) for h in city.highlights)
        for town in ("East London", "King William's Town", "Bisho", "Mdantsane"):
            assert town in towns

    def test_unemployment(self, city: City) -> None:
        (figure,) = city.figures
        assert (Quantity(60, at_least=True), "percent") == (figure.quantity, figure.unit)

    def test_start(self, tie: Partnership) -> None:
        start = tie.start
        assert (PartialDate(1998, 9, 1), Precision.DAY, MilestoneKind.SIGNED) == (
            start.date,
            start.date.precision,
            start.kind,
        )
        assert PartnershipKind.TWINNING == tie.kind
        assert ["Cees Goekoop"] == [s.name for s in start.signatories]
        # The page says the tie was signed *with* East London, not where it was signed.
        assert start.place is None

    def test_first_steps_in_1996(self, tie: Partnership) -> None:
        """The page gives 1994 as a motive; the foundation and the city date the start 1996."""
        first = tie.history[0]
        assert (PartialDate(1996), MilestoneKind.FIRST_CONTACT) == (first.date, first.kind)
        assert {"leidenbuffalocity-jaarverslag-2015", "gemeente-leiden-2005-verre-vrienden"} == set(
            first.sources
        )
        assert in_both("1994", tie.description)
        assert in_both("apartheid", tie.description)
        assert in_both("City Wide", tie.description)

    def test_themes_and_partners(self, dataset: Dataset, tie: Partnership) -> None:
        assert {Theme.EDUCATION, Theme.SUSTAINABLE_DEVELOPMENT} <= set(tie.themes)
        assert ("hoogheemraadschap-van-rijnland",) == tie.institutions
        projects = activity(dataset, "buffalo-city-millennium-projects")
        assert in_both("7", projects.description)
        assert in_both("2", projects.description)
        assert (
            ActivityKind.SCHOOL_PARTNERSHIP
            == activity(dataset, "buffalo-city-school-partnerships").kind
        )

    def test_foundation(self, dataset: Dataset, tie: Partnership) -> None:
        (foundation,) = dataset.foundations_of(tie)
        assert (
            "Stichting Stedenband Leiden-Buffalo City",
            "https://www.leidenbuffalocity.nl/",
        ) == (
            foundation.name,
            foundation.website,
        )

    def test_contacts_as_on_the_page(self, dataset: Dataset, tie: Partnership) -> None:
        contacts = {c.id: c for c in dataset.contacts_of(tie)}
        jonge = contacts["marjan-de-jonge"]
        assert jonge.name is not None
        assert ("Marjan de Jonge", e164("071 - 514 1720"), None) == (
            jonge.name.full,
            jonge.phone,
            jonge.email,
        )
        assert "stedenband-leiden-buffalo-city" == jonge.organisation
        weevers = contacts["marian-weevers"]
        assert weevers.name is not None
        assert ("Marian Weevers", "m.weevers@leiden.nl", e164("071 - 5165231")) == (
            weevers.name.full,
            weevers.email,
            weevers.phone,
        )
        assert "gemeente-leiden" == weevers.organisation
        assert "+31715141720" == e164("071 - 514 1720")


class TestJuigalpa(PartnerTests):
    """Juigalpa, Nicaragua: Leiden joined The Hague's tie in 1988."""

    city_id = "juigalpa"

    def test_city(self, city: City) -> None:
        assert ("Juigalpa", "NI") == (city.name, city.country)
        assert city.region is not None
        assert in_both("Chontales", city.region)
        assert Quantity(71_000, approximate=True) == city.population
        assert in_both("Managua", city.description)
        assert any("Haïti" in h["nl"] and "Haiti" in (h.en or "") for h in city.highlights)

    def test_distance_and_work(self, city: City) -> None:
        assert [("Managua", Quantity(140))] == [(d.to, d.km) for d in city.distances]
        (figure,) = city.figures
        assert (Quantity(70), "percent") == (figure.quantity, figure.unit)

    def test_start_known_to_the_year(self, dataset: Dataset, tie: Partnership) -> None:
        start = tie.start
        assert (PartialDate(1988), Precision.YEAR, None) == (
            start.date,
            start.date.precision,
            start.date.to_date(),
        )
        assert ("gemeente-den-haag",) == tie.institutions
        the_hague = dataset.organisation("gemeente-den-haag")
        assert isinstance(the_hague, Institution)
        assert "den-haag" == the_hague.city

    def test_foundation(self, dataset: Dataset, tie: Partnership) -> None:
        (foundation,) = dataset.foundations_of(tie)
        assert ("Stichting Vriendschapsband Leiden-Juigalpa", "SVLJ") == (
            foundation.name,
            foundation.abbreviation,
        )

    def test_education_and_microcredit(self, dataset: Dataset, tie: Partnership) -> None:
        education = activity(dataset, "juigalpa-education")
        assert in_both("2015", education.description)
        microcredit = activity(dataset, "juigalpa-microcredit")
        assert Theme.ECONOMIC_DEVELOPMENT in microcredit.themes
        assert {Theme.EDUCATION, Theme.SUSTAINABLE_DEVELOPMENT, Theme.ECONOMIC_DEVELOPMENT} == set(
            tie.themes
        )


class TestOxford(PartnerTests):
    """Oxford, England: one of the oldest twinnings, begun in 1946 with a sports exchange."""

    city_id = "oxford"

    def test_city(self, city: City) -> None:
        assert ("Oxford", "GB", "England") == (
            city.name,
            city.country,
            city.region.en if city.region else None,
        )
        # The page gives no number, only "almost as many inhabitants as Leiden".
        assert None is city.population
        assert "bijna evenveel inwoners" in city.description["nl"]

    def test_start_in_1946(self, tie: Partnership) -> None:
        assert 1946 == tie.start.date.year
        # The day comes from Oxford City Council, not from the page.
        assert (PartialDate(1946, 3, 26), ("oxford-75-years", PAGE)) == (
            tie.start.date,
            tie.start.sources,
        )

    def test_first_sports_exchange(self, dataset: Dataset) -> None:
        first = activity(dataset, "oxford-first-sports-exchange")
        assert (PartialDate(1946), Precision.YEAR, (Theme.SPORT,)) == (
            first.date,
            first.date.precision if first.date else None,
            first.themes,
        )

    @pytest.mark.parametrize(
        ("activity_id", "month", "day"),
        [
            ("oxford-remembrance-day", 5, 4),
            ("oxford-liberation-day", 5, 5),
            ("oxford-english-war-victims", 11, 7),
        ],
    )
    def test_commemorations(self, dataset: Dataset, activity_id: str, month: int, day: int) -> None:
        found = activity(dataset, activity_id)
        assert found.recurrence is not None
        assert (ActivityKind.COMMEMORATION, month, day) == (
            found.kind,
            found.recurrence.month,
            found.recurrence.day,
        )

    def test_english_war_dead_day_is_approximate(self, dataset: Dataset) -> None:
        """The page says "rond 7 november": the day is marked approximate, the others are not."""
        approximate = [
            a.id
            for a in dataset.activities
            if a.recurrence is not None and a.recurrence.approximate
        ]
        assert ["oxford-english-war-victims"] == approximate
        assert "11 november" in dataset.get("english-war-dead-day").description.nl

    def test_foundation_and_universities(self, dataset: Dataset, tie: Partnership) -> None:
        (foundation,) = dataset.foundations_of(tie)
        assert "Stichting Stedenband Leiden-Oxford" == foundation.name
        assert ("universiteit-leiden", "university-of-oxford") == tie.institutions
        assert {Theme.WATER_MANAGEMENT, Theme.MUSEUMS, Theme.SPORT, Theme.CULTURE} <= set(
            tie.themes
        )

    def test_rooted_in_the_war(self, tie: Partnership) -> None:
        assert "Tweede Wereldoorlog" in tie.description["nl"]
        assert "Second World War" in (tie.description.en or "")


class TestTorun(PartnerTests):
    """Toruń, Poland: begun in 1988 under the motto "Bridges between East and West"."""

    city_id = "torun"

    def test_city(self, city: City) -> None:
        assert ("Toruń", "PL") == (city.name, city.country)
        assert (
            LocalizedText(nl="woiwodschap Koejavië-Pommeren", en="Kuyavian-Pomeranian Voivodeship")
            == city.region
        )
        assert Quantity(200_000, approximate=True) == city.population
        assert "Torun" in city.aliases
        assert in_both("UNESCO", city.description)

    def test_start_in_1988(self, tie: Partnership) -> None:
        assert (1988, MilestoneKind.SIGNED) == (tie.start.date.year, tie.start.kind)
        assert PAGE in tie.start.sources
        # The month comes from the foundation's own history page.
        assert PartialDate(1988, 11) == tie.start.date
        assert "leiden-torun-stedenband" in tie.start.sources

    def test_motto(self, tie: Partnership) -> None:
        assert (
            LocalizedText(
                nl="Bruggen bouwen tussen Oost en West", en="Building bridges between East and West"
            )
            == tie.motto
        )

    def test_yearly_delegations(self, dataset: Dataset) -> None:
        delegations = activity(dataset, "torun-delegations")
        assert delegations.recurrence is not None
        assert (ActivityKind.DELEGATION, Quantity(1)) == (
            delegations.kind,
            delegations.recurrence.times,
        )
        for part in ("stadswandeling", "rondvaart", "stadhuis"):
            assert part in (delegations.description["nl"] if delegations.description else "")

    def test_sport_and_culture(self, dataset: Dataset, tie: Partnership) -> None:
        assert {Theme.SPORT, Theme.CULTURE} <= set(tie.themes)
        (foundation,) = dataset.foundations_of(tie)
        assert "Stichting Stedenband Leiden-Toruń" == foundation.name


class TestNagasaki(PartnerTests):
    """Nagasaki, Japan: friendship signed on 4 February 2013, a twinning since 24 November 2017."""

    city_id = "nagasaki"

    def test_city(self, city: City) -> None:
        assert ("Nagasaki", "JP") == (city.name, city.country)
        assert LocalizedText(nl="prefectuur Nagasaki", en="Nagasaki Prefecture") == city.region
        assert {"Deshima", "Dejima"} <= set(city.aliases)

    def test_deshima_1641_to_1859(self, city: City) -> None:
        assert in_both("1641", city.description)
        assert in_both("1859", city.description)

    def test_blomhoff_scale_model_1817(self, city: City) -> None:
        assert any(in_both("1817", h) and in_both("Blomhoff", h) for h in city.highlights)

    def test_volkenkunde_objects(self, city: City) -> None:
        (figure,) = city.figures
        assert (Quantity(8000, approximate=True), "objects") == (figure.quantity, figure.unit)
        assert in_both("1817-1829", figure.label)

    def test_history(self, tie: Partnership) -> None:
        assert [
            (PartialDate(2013, 2, 4), MilestoneKind.SIGNED, PartnershipKind.FRIENDSHIP),
            (PartialDate(2017, 11, 24), MilestoneKind.KIND_CHANGED, PartnershipKind.TWINNING),
        ] == [(m.date, m.kind, m.partnership_kind) for m in tie.history]
        assert PartnershipKind.TWINNING == tie.kind
        assert ["Henri Lenferink", "Tomihisa Taue"] == [s.name for s in tie.start.signatories]
        # The foundation's post dates the celebration, not the signing (five days before it).
        assert ("nishinippon-2017-sister-city",) == tie.history[1].sources
        assert "nfia-2013" in tie.start.sources

    def test_sieboldhuis_agreement_2012(self, dataset: Dataset) -> None:
        agreement = activity(dataset, "nagasaki-sieboldhuis-agreement")
        assert (ActivityKind.SIGNING, PartialDate(2012), Quantity(8)) == (
            agreement.kind,
            agreement.date,
            agreement.participants,
        )
        assert in_both("Kris Schiermeier", agreement.description)
        assert in_both("Tomihisa Taue", agreement.description)
        assert ("sieboldhuis", "siebold-memorial-museum", "dejima") == agreement.institutions

    def test_japanese_studies(self, dataset: Dataset) -> None:
        students = activity(dataset, "nagasaki-japanese-studies")
        assert (ActivityKind.STUDENT_EXCHANGE, Quantity(10, approximate=True)) == (
            students.kind,
            students.participants,
        )
        assert students.recurrence is not None
        assert in_both("NUJALP", students.description)
        assert in_both(
            "Nagasaki University Japanese Language Program for Exchange Students",
            students.description,
        )

    def test_internships_are_a_plan(self, dataset: Dataset) -> None:
        """The page plans the internships for spring 2013; nothing says they began."""
        interns = activity(dataset, "nagasaki-internships")
        assert (ActivityKind.INTERNSHIP, None, None, Quantity(2)) == (
            interns.kind,
            interns.since,
            interns.recurrence,
            interns.participants,
        )
        assert in_both("Deshima", interns.description)
        assert "plan" in both(interns.description)
        nagasaki = dataset.get("gemeente-nagasaki").description
        assert "sinds" not in nagasaki.nl
        assert "Since" not in (nagasaki.en or "")

    def test_exhibitions_since_1990(self, dataset: Dataset) -> None:
        exhibitions = activity(dataset, "nagasaki-volkenkunde-exhibitions")
        assert (PartialDate(1990), ("museum-volkenkunde",)) == (
            exhibitions.since,
            exhibitions.institutions,
        )

    def test_three_leiden_partners(self, tie: Partnership) -> None:
        assert {"universiteit-leiden", "sieboldhuis", "museum-volkenkunde"} <= set(tie.institutions)


class TestKrefeld(PartnerTests):
    """Krefeld, Germany: activities since 1961, a formal partnership since 3 October 1974."""

    city_id = "krefeld"

    def test_city(self, city: City) -> None:
        assert ("Krefeld", "DE") == (city.name, city.country)
        assert LocalizedText(nl="Noordrijn-Westfalen", en="North Rhine-Westphalia") == city.region
        assert Quantity(250_000) == city.population
        assert "Rijn" in city.description["nl"]
        assert "Rhine" in (city.description.en or "")

    def test_distances(self, city: City) -> None:
        assert [("Venlo", Quantity(50)), ("Leiden", Quantity(250))] == [
            (d.to, d.km) for d in city.distances
        ]

    def test_history(self, tie: Partnership) -> None:
        assert [
            (PartialDate(1961), MilestoneKind.FIRST_CONTACT, PAGE),
            (PartialDate(1974, 10, 3), MilestoneKind.SIGNED, "krefeld-leiden"),
        ] == [(m.date, m.kind, m.sources[0]) for m in tie.history]
        assert PartialDate(1974, 10, 3) == tie.start.date

    def test_visit_of_24_june_2011(self, dataset: Dataset) -> None:
        visit = activity(dataset, "krefeld-hochschule-visit-2011")
        assert (ActivityKind.VISIT, dt.date(2011, 6, 24)) == (
            visit.kind,
            visit.date.to_date() if visit.date else None,
        )
        assert ("hochschule-niederrhein", "museum-boerhaave") == visit.institutions

    def test_delegation_about_twice_a_year(self, dataset: Dataset) -> None:
        delegation = activity(dataset, "krefeld-hochschule-delegation")
        assert delegation.recurrence is not None
        assert Quantity(2, approximate=True) == delegation.recurrence.times

    def test_contacts_between_schools(self, dataset: Dataset, tie: Partnership) -> None:
        assert (Theme.EDUCATION,) == tie.themes
        assert "krefeld-school-exchanges" in {a.id for a in dataset.activities_of(tie)}


# -- the second audit: sources, approximate days, contradictions, later news, freshness ---------


def _cited(dataset: Dataset) -> dict[str, list[str]]:
    """Every cited source id with the paths of the facts that cite it."""
    found: dict[str, list[str]] = {}
    for path, value in walk(dataset):
        if (path.endswith(".sources") or path == "sources") and isinstance(value, tuple):
            for ref in value:
                if isinstance(ref, str):
                    found.setdefault(ref, []).append(path)
    return found


class TestEveryFactSourced:
    """Milestones, figures, distances and contacts each name a source the dataset lists."""

    def test_figures_and_distances_have_sources(self, dataset: Dataset) -> None:
        """A figure or a distance without a source would be an unsupported number."""
        unsourced = [
            f"{city.id}.figures[{i}]"
            for city in dataset.cities
            for i, figure in enumerate(city.figures)
            if not figure.sources
        ] + [
            f"{city.id}.distances[{i}]"
            for city in dataset.cities
            for i, distance in enumerate(city.distances)
            if not distance.sources
        ]
        assert [] == unsourced

    def test_milestones_and_contacts_have_sources(self, dataset: Dataset) -> None:
        """Each milestone of each tie, and each contact, rests on at least one source."""
        unsourced = [
            f"{p.id}.history[{i}]"
            for p in dataset.partnerships
            for i, m in enumerate(p.history)
            if not m.sources
        ]
        unsourced += [c.id for c in dataset.contacts if not c.sources]
        assert [] == unsourced

    def test_no_fact_cites_an_unknown_source(self, dataset: Dataset) -> None:
        """Every cited id is in the sources list (the loader checks it too; this names paths)."""
        known = {s.id for s in dataset.sources}
        unknown = {ref: paths for ref, paths in _cited(dataset).items() if ref not in known}
        assert {} == unknown

    def test_every_source_says_when(self, dataset: Dataset) -> None:
        """A source has a date, or a note saying why it has none (an undated page)."""
        assert [] == [s.id for s in dataset.sources if s.date is None and s.note is None]

    @pytest.mark.parametrize(
        ("fact", "sources"),
        [
            ("leiden-nagasaki.history[1]", {"nishinippon-2017-sister-city"}),
            ("leiden-buffalo-city.history[0]", {"leidenbuffalocity-jaarverslag-2015"}),
            ("nagasaki-mayor-visit-2018", {"leiden-nagasaki-mayor-visit-2018"}),
            ("leidse-vrienden-van-nagasaki", {"leiden-nagasaki-organisation"}),
        ],
    )
    def test_later_facts_cite_the_source_that_says_them(
        self, dataset: Dataset, fact: str, sources: set[str]
    ) -> None:
        """Facts the page does not hold cite the later source that states them."""
        if ".history[" in fact:
            tie, index = fact.removesuffix("]").split(".history[")
            cited = set(dataset.get(tie).history[int(index)].sources)
        else:
            cited = set(dataset.get(fact).sources)
        assert sources <= cited
        assert PAGE not in cited or fact.startswith("leiden-buffalo")


class TestApproximateDays:
    """An approximate day never becomes an exact calendar event."""

    def test_no_yearly_event_on_an_approximate_day(self, dataset: Dataset) -> None:
        """Expanded by recurring-ical-events, no event falls on "around 7 November"."""

        approximate = {
            a.id: (a.recurrence.month, a.recurrence.day)
            for a in dataset.activities
            if a.recurrence is not None and a.recurrence.approximate
        }
        assert approximate  # the canonical data has one: the English war dead
        data = export(dataset, "ical", locale="en", from_year=2026, to_year=2040)
        calendar = icalendar.Calendar.from_ical(data)
        found = recurring_ical_events.of(calendar).between(dt.date(2026, 1, 1), dt.date(2041, 1, 1))
        uids = {str(e["UID"]).split("@")[0] for e in found}
        assert set() == uids & set(approximate)
        commemorations = [
            e["DTSTART"].dt for e in found if str(e["X-LEIDEN-TWINNING-KIND"]) == "commemoration"
        ]
        days = set(approximate.values())
        assert set() == {(d.month, d.day) for d in commemorations} & days
        # The calendar says so instead of inventing a day.
        described = str(calendar["DESCRIPTION"])
        assert "around November 7" in described
        assert "Commemoration of the English war dead" in described

    def test_dutch_calendar_describes_the_approximate_day(self, dataset: Dataset) -> None:
        """The Dutch calendar's description names the activity and 'rond 7 november'."""
        calendar = icalendar.Calendar.from_ical(export(dataset, "ical", locale="nl"))
        described = str(calendar["DESCRIPTION"])
        assert "Herdenking van de Engelse oorlogsslachtoffers (rond 7 november)" in described

    def test_marking_a_day_approximate_removes_its_event(self, dataset: Dataset) -> None:
        """The rule holds for any activity: marking 4 May approximate takes its event away."""
        remembrance = activity(dataset, "oxford-remembrance-day")
        assert remembrance.recurrence is not None
        vague = attrs.evolve(
            remembrance, recurrence=attrs.evolve(remembrance.recurrence, approximate=True)
        )
        changed = attrs.evolve(
            dataset,
            activities=tuple(vague if a.id == vague.id else a for a in dataset.activities),
        )
        before = {
            e.activity.id
            for e in calendar_events(dataset, from_year=2026, to_year=2026)
            if e.activity
        }
        after = {
            e.activity.id
            for e in calendar_events(changed, from_year=2026, to_year=2026)
            if e.activity
        }
        assert {"oxford-remembrance-day"} == before - after

    def test_only_a_set_day_can_be_approximate(self) -> None:
        """An approximate recurrence without a day would say nothing: the model refuses it."""
        with pytest.raises(ValueError, match="only a set day can be approximate"):
            Recurrence(approximate=True)


#: Each known contradiction: the discrepancy's id, its subject, and sources it must name.
CONTRADICTIONS = [
    ("five-or-six-cities", "leiden", {PAGE}),
    ("nagasaki-2012-or-2013", "leiden-nagasaki", {PAGE, "nfia-2013", "sieboldhuis-2013"}),
    ("taue-spelling", "leiden-nagasaki", {PAGE, "leiden-nagasaki-about"}),
    ("krefeld-start", "leiden-krefeld", {PAGE, "krefeld-leiden", "wz-krefeld-leiden"}),
    ("svlj-abbreviation", "svlj", {PAGE}),
    (
        "buffalo-city-first-steps",
        "leiden-buffalo-city",
        {PAGE, "leidenbuffalocity-jaarverslag-2015", "gemeente-leiden-2005-verre-vrienden"},
    ),
    (
        "buffalo-city-friendship-plan-2018",
        "leiden-buffalo-city",
        {PAGE, "ld-2018-buffalo-nagasaki"},
    ),
    (
        "english-war-dead-day",
        "oxford-english-war-victims",
        {PAGE, "leiden-smartmap", "sleutelstad-2005-remembrance"},
    ),
    ("four-partner-cities-later", "leiden", {PAGE, "leiden-smartmap", "krefeld-leiden"}),
    (
        "middelburg-nagasaki-tie",
        "leiden-nagasaki",
        {"omroep-zeeland-2017-stedenbanden", "ld-2018-buffalo-nagasaki"},
    ),
    (
        "nagasaki-twinning-signing-day",
        "leiden-nagasaki",
        {"leiden-nagasaki-2018", "nishinippon-2017-sister-city"},
    ),
    ("krefeld-venlo-distance", "krefeld", {PAGE, "wz-krefeld-leiden"}),
    ("krefeld-population", "krefeld", {PAGE, "rp-2017-krefeld-einwohner"}),
    ("buffalo-city-population", "buffalo-city", {PAGE, "wikipedia-buffalo-city-2018"}),
    ("torun-earlier-contacts", "leiden-torun", {"leiden-torun-stedenband"}),
]


class TestKnownContradictions:
    """Each contradiction the audit found is recorded, not silently resolved."""

    @pytest.mark.parametrize(("discrepancy_id", "subject", "sources"), CONTRADICTIONS)
    def test_recorded(
        self, dataset: Dataset, discrepancy_id: str, subject: str, sources: set[str]
    ) -> None:
        """The discrepancy exists, is about the right entity and names the disagreeing sources."""
        found = dataset.get(discrepancy_id)
        assert subject == found.subject
        assert sources <= set(found.sources)

    def test_no_unlisted_discrepancy(self, dataset: Dataset) -> None:
        """A new discrepancy gets a line in CONTRADICTIONS, so this test keeps covering all."""
        assert sorted(c[0] for c in CONTRADICTIONS) == sorted(d.id for d in dataset.discrepancies)

    def test_later_figures_name_their_date(self, dataset: Dataset) -> None:
        """A contradiction by a later source names when that source said it."""
        dated = {
            "english-war-dead-day": ("8 november 2005", "8 November 2005"),
            "buffalo-city-friendship-plan-2018": ("26 september 2018", "26 September 2018"),
            "middelburg-nagasaki-tie": ("oktober 2017", "October 2017"),
        }
        for discrepancy_id, (nl, en) in dated.items():
            text = dataset.get(discrepancy_id).description
            assert nl in text.nl, discrepancy_id
            assert en in (text.en or ""), discrepancy_id

    def test_the_page_keeps_its_figures(self, dataset: Dataset) -> None:
        """The page's own facts stay as the page gives them, beside the discrepancy."""
        war_dead = activity(dataset, "oxford-english-war-victims")
        assert war_dead.recurrence is not None
        assert (11, 7, True) == (
            war_dead.recurrence.month,
            war_dead.recurrence.day,
            war_dead.recurrence.approximate,
        )
        assert PartnershipKind.TWINNING == dataset.partnership("buffalo-city").kind
        assert "krefeld" in {p.city for p in dataset.partnerships}


class TestSince2013:
    """What changed after the page, each with its own source and date."""

    def test_buffalo_city_plan_is_not_a_change_of_kind(self, dataset: Dataset) -> None:
        """The 2018 report is of a plan: no milestone turns the twinning into a friendship."""
        tie = dataset.partnership("buffalo-city")
        assert [MilestoneKind.FIRST_CONTACT, MilestoneKind.SIGNED] == [m.kind for m in tie.history]
        assert PartialDate(2018, 9, 26) == dataset.source("ld-2018-buffalo-nagasaki").date

    def test_nagasaki_delegation_of_september_2018(self, dataset: Dataset) -> None:
        """The foundation reports a visit led by the mayor on 25 September 2018."""
        visit = activity(dataset, "nagasaki-mayor-visit-2018")
        assert (ActivityKind.DELEGATION, PartialDate(2018, 9, 25)) == (visit.kind, visit.date)
        assert Quantity(50, approximate=True) == visit.participants

    def test_torun_recent_activity(self, dataset: Dataset) -> None:
        """A 2021 visit and the 35th anniversary in 2023, each known to the month only."""
        assert (PartialDate(2021, 10), PartialDate(2023, 6)) == (
            activity(dataset, "torun-visit-2021").date,
            activity(dataset, "torun-35-years-2023").date,
        )

    def test_renamed_museum(self, dataset: Dataset) -> None:
        """Museum Volkenkunde is named Wereldmuseum Leiden since 2023, on the museum's own page."""
        museum = dataset.get("museum-volkenkunde")
        assert in_both("Wereldmuseum Leiden", museum.description)
        assert "wereldmuseum-leiden-geschiedenis" in museum.sources


class TestVisible:
    """A reader of `show` and of the HTML page sees the discrepancies and the contacts' age."""

    @pytest.mark.parametrize(
        ("locale", "heading", "text"),
        [
            ("nl", "Waar de bronnen verschillen", "rond 7 november"),
            ("en", "Where the sources disagree", "around 7 November"),
        ],
    )
    def test_show(self, dataset: Dataset, locale: str, heading: str, text: str) -> None:
        """The detailed summary lists the tie's discrepancies under a heading, in the locale."""

        out = render(dataset, i18n(locale), "oxford")
        assert f"  {heading}:" in out.splitlines()
        assert text in out

    @pytest.mark.parametrize(
        ("locale", "heading", "age"),
        [
            ("nl", "Waar de bronnen verschillen", "13 jaar vóór deze gegevens"),
            ("en", "Where the sources disagree", "13 years before this data"),
        ],
    )
    def test_html(self, dataset: Dataset, locale: str, heading: str, age: str) -> None:
        """Parsed with html5lib, each tie with a discrepancy has the heading and the texts."""
        page = html5lib.parse(
            export(dataset, "html", locale=locale), treebuilder="etree", namespaceHTMLElements=False
        )
        for p in dataset.partnerships:
            (section,) = [s for s in page.iter("section") if s.get("id") == p.id]
            text = "".join(section.itertext())
            notes = dataset.discrepancies_of(p)
            assert (heading in text) == bool(notes), p.id
            for note in notes:
                assert note.description.get(locale) in text
        contacts = "".join(
            "".join(li.itertext()) for li in page.iter("li") if li.get("class") == "contact"
        )
        assert age in contacts

    def test_summary_counts_discrepancies(self, dataset: Dataset) -> None:
        """The short summary points to the detailed one for ties with discrepancies."""

        out = render(dataset, i18n("en"))
        assert "the sources disagree on 4 points (see show Nagasaki)" in out
        assert "the sources disagree on 1 point (see show Oxford)" in out


class TestFreshness:
    """Every contact says as of when; old ones are flagged."""

    def test_every_contact_dated(self, dataset: Dataset) -> None:
        """No contact lacks an as_of date."""
        assert [] == [c.id for c in dataset.contacts if c.as_of is None]

    def test_stale_contacts(self, dataset: Dataset) -> None:
        """With the 2013 contacts and a 2026 revision, all four are older than ten years."""
        assert 4 == len(dataset.stale_contacts())
        assert () == dataset.stale_contacts(max_age=13)
        assert 4 == len(dataset.stale_contacts(max_age=12))

    def test_undated_contact_is_stale(self, dataset: Dataset) -> None:
        """A contact without a date cannot be shown to be fresh."""
        undated = attrs.evolve(dataset.contacts[0], as_of=None)
        changed = attrs.evolve(dataset, contacts=(undated, *dataset.contacts[1:]))
        assert undated in changed.stale_contacts(max_age=100)

    def test_validate_strict(self, capsys: pytest.CaptureFixture[str], tmp_path: Any) -> None:
        """`validate --strict` warns per stale contact on stderr and exits 1; a wider age passes."""

        path = tmp_path / "leiden.json"
        path.write_text(dumps(load()), encoding="utf-8")
        assert 0 == main(["validate", str(path)])
        assert "" == capsys.readouterr().err
        assert 1 == main(["validate", "--strict", str(path)])
        err = capsys.readouterr().err.splitlines()
        assert 4 == len(err)
        assert all("warning: contact " in line for line in err)
        assert 0 == main(["validate", "--strict", "--max-contact-age", "20", str(path)])
        assert "" == capsys.readouterr().err

    def test_validate_strict_undated(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Any
    ) -> None:
        """An undated contact gets its own warning."""

        document = json.loads(dumps(load()))
        del document["contacts"][0]["as_of"]
        path = tmp_path / "leiden.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        assert 1 == main(["validate", "--strict", "--max-contact-age", "20", str(path)])
        (line,) = capsys.readouterr().err.splitlines()
        assert "marjan-de-jonge" in line
        assert "as_of" in line


class TestFiguresSayWhen:
    """Every figure and population says as of when, and show and HTML print it."""

    def test_every_figure_dated(self, dataset: Dataset) -> None:
        """Figures and populations carry an as_of date."""
        undated = [f.id for c in dataset.cities for f in c.figures if f.as_of is None]
        undated += [c.id for c in dataset.cities if c.population and not c.population_as_of]
        assert [] == undated

    @pytest.mark.parametrize(
        ("locale", "line"),
        [
            ("nl", "  inwonertal: 250.000 (stand van 2013)"),
            ("en", "  population: 250,000 (as of 2013)"),
        ],
    )
    def test_show_prints_the_date(self, dataset: Dataset, locale: str, line: str) -> None:
        """The summary gives the population with its date."""
        assert line in render(dataset, i18n(locale), "krefeld").splitlines()

    def test_html_prints_the_date(self, dataset: Dataset) -> None:
        """Parsed with html5lib, the population's dd holds the number and a time element."""
        page = html5lib.parse(
            export(dataset, "html", locale="en"), treebuilder="etree", namespaceHTMLElements=False
        )
        dds = ["".join(dd.itertext()) for dd in page.iter("dd") if dd.find("data") is not None]
        assert "about 1,000,000 (as of 2013)" in dds


class TestShowWithoutNotes:
    """Without discrepancies or contact dates, `show` adds no empty heading or age line."""

    def test_no_heading_and_no_age(self, dataset: Dataset) -> None:
        """A dataset stripped of discrepancies and as_of dates shows neither."""
        bare = attrs.evolve(
            dataset,
            discrepancies=(),
            contacts=tuple(attrs.evolve(c, as_of=None) for c in dataset.contacts),
        )
        summary = render(bare, i18n("en"))
        detail = render(bare, i18n("en"), "buffalo-city")
        for out in (summary, detail):
            assert "Where the sources disagree" not in out
            assert "the sources disagree" not in out
            assert "before this data" not in out
        assert "contact: Marjan de Jonge" in detail
