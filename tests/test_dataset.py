"""The Dataset: reference checks on construction, look-ups and anniversaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

import leiden_twinning as lt
from leiden_twinning import (
    Activity,
    ActivityKind,
    City,
    Contact,
    Dataset,
    DatasetError,
    Discrepancy,
    Distance,
    Figure,
    Foundation,
    Institution,
    InstitutionKind,
    LocalizedText,
    Milestone,
    MilestoneKind,
    PartialDate,
    Partnership,
    PartnershipKind,
    Quantity,
    Signatory,
    Source,
)
from leiden_twinning._dataset import anniversary_date

TEXT = LocalizedText(nl="tekst", en="text")
REVISION = dt.date(2026, 1, 1)


def milestone(date: str, *, sources: tuple[str, ...] = (), **changes: Any) -> Milestone:
    fields: dict[str, Any] = {
        "date": PartialDate.fromisoformat(date),
        "kind": MilestoneKind.SIGNED,
        "description": TEXT,
        "partnership_kind": PartnershipKind.TWINNING,
        "sources": sources,
    }
    fields.update(changes)
    return Milestone(**fields)


def small(*history: Milestone) -> Dataset:
    """A home city with one partner and a tie with *history*."""
    return Dataset(
        home="home",
        revision=REVISION,
        cities=(
            City(id="home", name="Home", country="NL", description=TEXT),
            City(id="partner", name="Partner", country="DE", description=TEXT),
        ),
        partnerships=(
            Partnership(
                id="home-partner",
                city="partner",
                description=TEXT,
                history=history or (milestone("2000-01-01"),),
            ),
        ),
    )


def everything_dangling() -> Dataset:
    """Build a dataset in which every kind of reference points nowhere."""
    return Dataset(
        home="atlantis",
        revision=REVISION,
        sources=(Source(id="page", title="Page"),),
        cities=(
            City(
                id="home",
                name="Home",
                country="NL",
                description=TEXT,
                figures=(
                    Figure(
                        id="f", label=TEXT, quantity=Quantity(1), unit="percent", sources=("s1",)
                    ),
                ),
                distances=(Distance(to="Venlo", km=Quantity(50), sources=("s2",)),),
                sources=("s0",),
            ),
        ),
        partnerships=(
            Partnership(
                id="p",
                city="nowhere",
                description=TEXT,
                history=(
                    milestone(
                        "1974-10-03",
                        sources=("s3",),
                        signatories=(Signatory(name="A", role=TEXT, organisation="org0"),),
                    ),
                ),
                institutions=("inst0",),
                sources=("s4",),
            ),
        ),
        foundations=(
            Foundation(id="fo", name="F", partnership="p0", description=TEXT, sources=("s5",)),
        ),
        institutions=(
            Institution(id="in", name="I", kind=InstitutionKind.MUSEUM, city="c0", sources=("s6",)),
        ),
        contacts=(
            Contact(
                id="co",
                role=TEXT,
                organisation="org1",
                partnerships=("p", "p1"),
                sources=("s7",),
            ),
        ),
        activities=(
            Activity(
                id="ac",
                partnership="p2",
                kind=ActivityKind.VISIT,
                title=TEXT,
                institutions=("in", "inst1"),
                sources=("page", "s8"),
            ),
        ),
        discrepancies=(Discrepancy(id="di", subject="ghost", description=TEXT, sources=("s9",)),),
    )


class TestReferenceChecks:
    """Construction reports every duplicate id and dangling reference, each with its path."""

    def test_every_dangling_reference_listed_with_its_path(self) -> None:
        with pytest.raises(DatasetError) as info:
            everything_dangling()
        assert (
            "home: unknown city 'atlantis'",
            "cities[0].sources[0]: unknown source 's0'",
            "cities[0].figures[0].sources[0]: unknown source 's1'",
            "cities[0].distances[0].sources[0]: unknown source 's2'",
            "partnerships[0].city: unknown city 'nowhere'",
            "partnerships[0].institutions[0]: unknown institution 'inst0'",
            "partnerships[0].sources[0]: unknown source 's4'",
            "partnerships[0].history[0].sources[0]: unknown source 's3'",
            "partnerships[0].history[0].signatories[0].organisation: unknown organisation 'org0'",
            "foundations[0].partnership: unknown partnership 'p0'",
            "foundations[0].sources[0]: unknown source 's5'",
            "institutions[0].city: unknown city 'c0'",
            "institutions[0].sources[0]: unknown source 's6'",
            "contacts[0].organisation: unknown organisation 'org1'",
            "contacts[0].partnerships[1]: unknown partnership 'p1'",
            "contacts[0].sources[0]: unknown source 's7'",
            "activities[0].partnership: unknown partnership 'p2'",
            "activities[0].institutions[1]: unknown institution 'inst1'",
            "activities[0].sources[1]: unknown source 's8'",
            "discrepancies[0].subject: unknown entity 'ghost'",
            "discrepancies[0].sources[0]: unknown source 's9'",
        ) == info.value.problems

    def test_message_counts_and_lists_problems(self) -> None:
        with pytest.raises(DatasetError, match=r"^21 problems in the dataset\n  home: unknown"):
            everything_dangling()

    def test_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="unknown city"):
            everything_dangling()

    def test_duplicate_id_in_one_collection(self, dataset: Dataset) -> None:
        torun = dataset.city("torun")
        with pytest.raises(DatasetError) as info:
            attrs.evolve(dataset, cities=(*dataset.cities, torun))
        assert ("cities[8].id: duplicate id 'torun' (first used at cities[5])",) == (
            info.value.problems
        )

    def test_duplicate_id_across_collections(self, dataset: Dataset) -> None:
        clash = Institution(id="svlj", name="SVLJ", kind=InstitutionKind.OTHER, city="juigalpa")
        with pytest.raises(DatasetError) as info:
            attrs.evolve(dataset, institutions=(*dataset.institutions, clash))
        assert (
            "institutions[13].id: duplicate id 'svlj' (first used at foundations[1])",
        ) == info.value.problems

    def test_duplicates_and_dangling_references_together(self, dataset: Dataset) -> None:
        source = dataset.source("wikipedia")
        partnerships = list(dataset.partnerships)
        partnerships[1] = attrs.evolve(partnerships[1], city="managua")
        with pytest.raises(DatasetError) as info:
            attrs.evolve(
                dataset, sources=(source, *dataset.sources), partnerships=tuple(partnerships)
            )
        again = dataset.sources.index(source) + 1  # the original, moved one place by the copy
        assert (
            f"sources[{again}].id: duplicate id 'wikipedia' (first used at sources[0])",
            "partnerships[1].city: unknown city 'managua'",
        ) == info.value.problems

    def test_home_city_cannot_partner_itself(self, dataset: Dataset) -> None:
        partnerships = list(dataset.partnerships)
        partnerships[0] = attrs.evolve(partnerships[0], city="leiden")
        with pytest.raises(DatasetError) as info:
            attrs.evolve(dataset, partnerships=tuple(partnerships))
        assert ("partnerships[0].city: the home city cannot partner itself",) == (
            info.value.problems
        )

    def test_contact_may_speak_for_an_institution(self, dataset: Dataset) -> None:
        contact = next(c for c in dataset.contacts if c.id == "marian-weevers")
        assert isinstance(dataset.organisation(contact.organisation), Institution)

    def test_lines_prefix_the_file(self) -> None:
        error = DatasetError(
            ["home: unknown city 'x'", "cities[0].id: duplicate id 'y'"], file="d.json"
        )
        assert ["d.json: home: unknown city 'x'", "d.json: cities[0].id: duplicate id 'y'"] == (
            error.lines()
        )
        assert str(error).startswith("d.json: 2 problems in the dataset\n")

    def test_one_problem_is_singular(self) -> None:
        assert "1 problem in the dataset\n  x: y" == str(DatasetError(["x: y"]))


class TestCityLookup:
    """Cities are found by id, name or alias, ignoring case and accents."""

    @pytest.mark.parametrize(
        ("key", "expected"),
        [
            ("torun", "torun"),
            ("Torun", "torun"),
            ("toruń", "torun"),
            ("TORUŃ", "torun"),
            ("Toruń", "torun"),
            (" torun ", "torun"),
            ("Thorn", "torun"),
            ("east london", "buffalo-city"),
            ("EAST LONDON", "buffalo-city"),
            ("Buffalo City", "buffalo-city"),
            ("buffalo-city", "buffalo-city"),
            ("the hague", "den-haag"),
            ("'s-Gravenhage", "den-haag"),
            ("DEJIMA", "nagasaki"),
            ("leiden", "leiden"),
        ],
    )
    def test_found(self, dataset: Dataset, key: str, expected: str) -> None:
        assert expected == dataset.city(key).id

    @pytest.mark.parametrize(
        ("key", "expected"),
        [
            ("lodz", "lodz"),
            ("LÓDŹ", "lodz"),
            ("tromso", "tromso"),
            ("\u2019s-gravenhage", "den-haag"),
        ],
    )
    def test_letters_without_decomposition(self, key: str, expected: str) -> None:
        cities = (
            City(id="lodz", name="Łódź", country="PL", description=TEXT),
            City(id="tromso", name="Tromsø", country="NO", description=TEXT),
            City(
                id="den-haag",
                name="Den Haag",
                country="NL",
                description=TEXT,
                aliases=("'s-Gravenhage",),
            ),
        )
        dataset = Dataset(home="den-haag", revision=REVISION, cities=cities)
        assert expected == dataset.city(key).id

    def test_name_keeps_its_accent(self, dataset: Dataset) -> None:
        assert "Toruń" == dataset.city("torun").name

    @pytest.mark.parametrize("key", ["atlantis", "", "toru", "Managua"])
    def test_unknown(self, dataset: Dataset, key: str) -> None:
        with pytest.raises(KeyError, match="no city with id or name"):
            dataset.city(key)

    def test_home_city(self, dataset: Dataset) -> None:
        assert "leiden" == dataset.home_city.id


class TestPartnershipLookup:
    """A partnership is found by its id or by its partner city's id, name or alias."""

    @pytest.mark.parametrize(
        ("key", "expected"),
        [
            ("leiden-torun", "leiden-torun"),
            ("torun", "leiden-torun"),
            ("TORUŃ", "leiden-torun"),
            ("east london", "leiden-buffalo-city"),
            ("Nagasaki", "leiden-nagasaki"),
            ("juigalpa", "leiden-juigalpa"),
        ],
    )
    def test_found(self, dataset: Dataset, key: str, expected: str) -> None:
        assert expected == dataset.partnership(key).id

    @pytest.mark.parametrize("key", ["leiden", "den haag"])
    def test_city_without_partnership(self, dataset: Dataset, key: str) -> None:
        with pytest.raises(KeyError, match="no partnership with id or city"):
            dataset.partnership(key)

    def test_unknown(self, dataset: Dataset) -> None:
        with pytest.raises(KeyError, match="no city with id or name 'atlantis'"):
            dataset.partnership("atlantis")

    def test_get_any_entity(self, dataset: Dataset) -> None:
        assert isinstance(dataset.get("svlj"), Foundation)
        assert isinstance(dataset.get("leiden-oxford"), Partnership)
        with pytest.raises(KeyError, match="no entity with id 'ghost'"):
            dataset.get("ghost")


class TestSelect:
    """select() chooses partnerships by id or city name, in dataset order, each once."""

    def test_nothing_chosen_means_all(self, dataset: Dataset) -> None:
        assert dataset.partnerships == dataset.select(None)
        assert dataset.partnerships == dataset.select(())

    def test_dataset_order_and_no_duplicates(self, dataset: Dataset) -> None:
        chosen = dataset.select(["torun", "leiden-oxford", "Toruń"])
        assert ["leiden-oxford", "leiden-torun"] == [p.id for p in chosen]

    def test_one_key_as_a_string(self, dataset: Dataset) -> None:
        assert ("leiden-krefeld",) == tuple(p.id for p in dataset.select("krefeld"))

    def test_unknown_key_lists_the_known_ids(self, dataset: Dataset) -> None:
        with pytest.raises(KeyError, match=r"'atlantis' \(known: leiden-buffalo-city, "):
            dataset.select(["oxford", "atlantis"])


class TestRelations:
    """Partnerships of a city, and the foundations, contacts and activities of a partnership."""

    def test_home_city_has_every_partnership(self, dataset: Dataset) -> None:
        assert dataset.partnerships == dataset.partnerships_of("Leiden")

    def test_partner_city_has_its_own(self, dataset: Dataset) -> None:
        assert ("leiden-torun",) == tuple(p.id for p in dataset.partnerships_of("torun"))

    def test_city_without_ties(self, dataset: Dataset) -> None:
        assert () == dataset.partnerships_of("The Hague")

    def test_partner_city(self, dataset: Dataset) -> None:
        assert "Toruń" == dataset.partner_city(dataset.partnership("torun")).name

    def test_contacts_of(self, dataset: Dataset) -> None:
        buffalo = dataset.partnership("buffalo-city")
        assert (
            "marjan-de-jonge",
            "marian-weevers",
            "stedenband-leiden-buffalo-city-info",
        ) == tuple(c.id for c in dataset.contacts_of(buffalo))
        assert ("svlj-info",) == tuple(
            c.id for c in dataset.contacts_of(dataset.partnership("juigalpa"))
        )
        assert () == dataset.contacts_of(dataset.partnership("oxford"))

    def test_foundations_of(self, dataset: Dataset) -> None:
        assert ("leidse-vrienden-van-nagasaki",) == tuple(
            f.id for f in dataset.foundations_of(dataset.partnership("nagasaki"))
        )
        assert ("svlj",) == tuple(
            f.id for f in dataset.foundations_of(dataset.partnership("juigalpa"))
        )

    def test_activities_of_in_dataset_order(self, dataset: Dataset) -> None:
        assert (
            "krefeld-school-exchanges",
            "krefeld-hochschule-visit-2011",
            "krefeld-hochschule-delegation",
        ) == tuple(a.id for a in dataset.activities_of(dataset.partnership("krefeld")))

    def test_institutions_of(self, dataset: Dataset) -> None:
        assert ("Hoogheemraadschap van Rijnland",) == tuple(
            i.name for i in dataset.institutions_of(dataset.partnership("buffalo-city"))
        )

    def test_organisation(self, dataset: Dataset) -> None:
        assert "Stichting Vriendschapsband Leiden-Juigalpa" == dataset.organisation("svlj").name
        assert "Gemeente Leiden" == dataset.organisation("gemeente-leiden").name
        with pytest.raises(KeyError, match="no organisation with id 'leiden'"):
            dataset.organisation("leiden")

    def test_source(self, dataset: Dataset) -> None:
        assert "Gemeente Leiden" == dataset.source("gemeente-leiden-stedenbanden").publisher

    def test_discrepancies_of_every_kind_of_subject_in_dataset_order(
        self, dataset: Dataset
    ) -> None:
        """Notes on a tie, its city, foundations, contacts and activities, in shuffled order."""
        subjects = [
            entity.id
            for name in ("partnerships", "cities", "foundations", "contacts", "activities")
            for entity in getattr(dataset, name)
        ]
        notes = tuple(
            Discrepancy(id=f"note-{i}", subject=subjects[i * 37 % len(subjects)], description=TEXT)
            for i in range(3 * len(subjects))
        )
        evolved = attrs.evolve(dataset, discrepancies=notes)

        about: tuple[Partnership | City, ...] = (*evolved.partnerships, *evolved.cities)
        for subject in about:
            ids = {subject.id}
            if isinstance(subject, Partnership):
                ids.add(subject.city)
                ids.update(e.id for e in evolved.foundations_of(subject))
                ids.update(e.id for e in evolved.contacts_of(subject))
                ids.update(e.id for e in evolved.activities_of(subject))
            expected = tuple(d for d in notes if d.subject in ids)
            assert expected == evolved.discrepancies_of(subject), subject.id
            assert len(expected) >= 3, subject.id


class TestAnniversaries:
    """Anniversaries carry the number of years, and a date only for day-precise milestones."""

    def test_2028(self, dataset: Dataset) -> None:
        assert [
            ("leiden-nagasaki", MilestoneKind.SIGNED, 15, dt.date(2028, 2, 4)),
            ("leiden-oxford", MilestoneKind.ESTABLISHED, 82, dt.date(2028, 3, 26)),
            ("leiden-buffalo-city", MilestoneKind.SIGNED, 30, dt.date(2028, 9, 1)),
            ("leiden-krefeld", MilestoneKind.SIGNED, 54, dt.date(2028, 10, 3)),
            ("leiden-nagasaki", MilestoneKind.KIND_CHANGED, 11, dt.date(2028, 11, 24)),
            ("leiden-juigalpa", MilestoneKind.ESTABLISHED, 40, None),
            ("leiden-torun", MilestoneKind.SIGNED, 40, None),
        ] == [
            (a.partnership.id, a.milestone.kind, a.years, a.date)
            for a in dataset.anniversaries(2028)
        ]

    def test_buffalo_city_30_years_on_1_september_2028(self, dataset: Dataset) -> None:
        (found,) = dataset.anniversaries(2028, [dataset.partnership("buffalo-city")])
        assert (2028, 30, dt.date(2028, 9, 1), True) == (
            found.year,
            found.years,
            found.date,
            found.is_jubilee,
        )

    def test_juigalpa_known_to_the_year_has_no_date(self, dataset: Dataset) -> None:
        (found,) = dataset.anniversaries(2028, [dataset.partnership("juigalpa")])
        assert (40, None) == (found.years, found.date)

    def test_month_precision_has_no_date(self, dataset: Dataset) -> None:
        (found,) = dataset.anniversaries(2028, [dataset.partnership("torun")])
        assert (PartialDate(1988, 11), None) == (found.milestone.date, found.date)

    def test_first_contacts_are_not_anniversaries(self, dataset: Dataset) -> None:
        krefeld = dataset.partnership("krefeld")
        assert [MilestoneKind.SIGNED] == [
            a.milestone.kind for a in dataset.anniversaries(2021, [krefeld])
        ]

    def test_not_before_the_first_year(self, dataset: Dataset) -> None:
        nagasaki = dataset.partnership("nagasaki")
        assert () == dataset.anniversaries(2013, [nagasaki])
        assert () == dataset.anniversaries(1900)

    def test_jubilees(self, dataset: Dataset) -> None:
        assert [
            (2026, "leiden-oxford", 80),
            (2027, "leiden-nagasaki", 10),
            (2028, "leiden-nagasaki", 15),
            (2028, "leiden-buffalo-city", 30),
            (2028, "leiden-juigalpa", 40),
            (2028, "leiden-torun", 40),
            (2029, "leiden-krefeld", 55),
        ] == [(a.year, a.partnership.id, a.years) for a in dataset.jubilees(2025, 2030)]

    def test_jubilees_of_some_partnerships(self, dataset: Dataset) -> None:
        oxford = dataset.partnership("oxford")
        assert [(2021, 75, True), (2046, 100, True)] == [
            (a.year, a.years, a.is_round)
            for a in dataset.jubilees(2020, 2050, iter([oxford]))
            if a.is_round
        ]

    @pytest.mark.parametrize(
        ("years", "jubilee", "round_"),
        [
            (1, False, False),
            (5, True, False),
            (25, True, True),
            (40, True, False),
            (50, True, True),
        ],
    )
    def test_jubilee_and_round(self, years: int, jubilee: bool, round_: bool) -> None:
        dataset = small(milestone("2000-01-01"))
        (found,) = dataset.anniversaries(2000 + years)
        assert (jubilee, round_) == (found.is_jubilee, found.is_round)

    def test_29_february_falls_on_28_february_in_common_years(self) -> None:
        dataset = small(milestone("2012-02-29"))
        assert [dt.date(2013, 2, 28), dt.date(2016, 2, 29), dt.date(2100, 2, 28)] == [
            dataset.anniversaries(year)[0].date for year in (2013, 2016, 2100)
        ]

    def test_anniversary_date(self) -> None:
        assert dt.date(2023, 2, 28) == anniversary_date(dt.date(2020, 2, 29), 2023)
        assert dt.date(2024, 2, 29) == anniversary_date(dt.date(2020, 2, 29), 2024)
        assert dt.date(2028, 9, 1) == anniversary_date(dt.date(1998, 9, 1), 2028)

    def test_signing_and_change_of_kind_both_counted(self) -> None:
        dataset = small(
            milestone("2013-02-04", partnership_kind=PartnershipKind.FRIENDSHIP),
            milestone("2017-11-24", kind=MilestoneKind.KIND_CHANGED),
        )
        assert [(10, dt.date(2023, 2, 4)), (6, dt.date(2023, 11, 24))] == [
            (a.years, a.date) for a in dataset.anniversaries(2023)
        ]


class TestCanonical:
    """The canonical dataset is immutable, cached and consistent."""

    def test_load_is_cached(self) -> None:
        assert lt.load() is lt.load()

    def test_frozen(self, dataset: Dataset) -> None:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            dataset.home = "oxford"  # type: ignore[misc]

    def test_equal_to_a_rebuilt_copy(self, dataset: Dataset) -> None:
        assert dataset == attrs.evolve(dataset)
