"""The canonical dataset holds every fact of the municipality page, city by city.

The page is "Stedenbanden en internationale samenwerking" of the Gemeente Leiden (written early in
2013). Where a later source refines or corrects it, the test says which source the fact rests on.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import attrs
import pytest

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
    Theme,
)

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
    return fact in text.nl and fact in (text.en or "")


class TestWholeDataset:
    """Every text is bilingual, every source is real, and Leiden has six partners."""

    def test_every_text_in_dutch_and_english(self, dataset: Dataset) -> None:
        untranslated = [
            path
            for path, value in walk(dataset)
            if isinstance(value, LocalizedText) and (not value.en or not value.nl.strip())
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
        """The 1994 elections are the page's motive; the foundation and the city date the start 1996."""
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
        assert any("Haïti" in h.nl and "Haiti" in (h.en or "") for h in city.highlights)

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
        assert "bijna evenveel inwoners" in city.description.nl

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
            a.id for a in dataset.activities if a.recurrence is not None and a.recurrence.approximate
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
        assert "Tweede Wereldoorlog" in tie.description.nl
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
            assert part in (delegations.description.nl if delegations.description else "")

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
        assert "Rijn" in city.description.nl
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
