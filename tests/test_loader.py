"""The loader: one test per kind of bad input, and the round trip on generated datasets."""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import json
import string
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leiden_twinning as lt
from leiden_twinning import (
    Activity,
    ActivityKind,
    City,
    Contact,
    Coordinates,
    Dataset,
    DatasetError,
    Discrepancy,
    Distance,
    Figure,
    Foundation,
    Frequency,
    Institution,
    InstitutionKind,
    LocalizedText,
    Milestone,
    MilestoneKind,
    PartialDate,
    Partnership,
    PartnershipKind,
    PersonName,
    Quantity,
    Recurrence,
    Signatory,
    Source,
    Theme,
)
from leiden_twinning._converter import structure_dataset


def problems_of(path: Path, document: Any) -> tuple[str, ...]:
    """Write *document* to *path* as JSON, load it, and return the problems reported."""
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return problems_of_bytes(path, path.read_bytes())


def problems_of_bytes(path: Path, data: bytes) -> tuple[str, ...]:
    path.write_bytes(data)
    with pytest.raises(DatasetError) as info:
        lt.load_file(path)
    error = info.value
    assert str(path) == error.file
    assert str(error).startswith(f"{path}: ")
    assert [f"{path}: {p}" for p in error.problems] == error.lines()
    return error.problems


@pytest.fixture
def file(tmp_path: Path) -> Path:
    return tmp_path / "ties.json"


class TestNotADocument:
    """Bytes that are not a JSON object are refused as a whole."""

    def test_not_utf8(self, file: Path) -> None:
        data = '{"home": "Toruń"}'.encode("cp1250")  # Windows Polish, not UTF-8
        assert ("not UTF-8 text (invalid byte at offset 14)",) == problems_of_bytes(file, data)

    @pytest.mark.parametrize(
        ("data", "where"),
        [
            (b"", "line 1, column 1"),
            (b'{"home": ', "line 1, column 10"),
            (b'{"home": "leiden",\n}', "line 2, column 1"),
            (b"{'home': 'leiden'}", "line 1, column 2"),
        ],
    )
    def test_not_json(self, file: Path, data: bytes, where: str) -> None:
        (problem,) = problems_of_bytes(file, data)
        assert problem.startswith("not JSON: ")
        assert problem.endswith(f" at {where}")

    @pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
    def test_non_standard_numbers(self, file: Path, constant: str) -> None:
        data = f'{{"schema_version": 1, "x": {constant}}}'.encode()
        assert (f"not JSON this library reads: {constant} is not a JSON number",) == (
            problems_of_bytes(file, data)
        )

    def test_key_given_twice(self, file: Path) -> None:
        data = b'{"schema_version": 1, "home": "leiden", "home": "oxford"}'
        assert ("not JSON this library reads: the key 'home' appears twice in one object",) == (
            problems_of_bytes(file, data)
        )

    @pytest.mark.parametrize(
        ("document", "described"),
        [
            ([], "[...]"),
            ("leiden", '"leiden"'),
            (1, "1"),
            (None, "null"),
            (True, "true"),
        ],
    )
    def test_top_level_not_an_object(self, file: Path, document: Any, described: str) -> None:
        assert (f"expected an object {{...}}, found {described}",) == problems_of(file, document)

    def test_deeply_nested(self) -> None:
        with pytest.raises(DatasetError, match="nested too deeply"):
            lt.loads("[" * 100_000 + "]" * 100_000)


class TestSchemaVersion:
    """The document names the format version it is written in."""

    @pytest.mark.parametrize(
        ("version", "found"),
        [(3, "3"), (0, "0"), ("1", '"1"'), (1.0, "1.0"), (True, "true"), (None, "null")],
    )
    def test_wrong(self, file: Path, document: dict[str, Any], version: Any, found: str) -> None:
        document["schema_version"] = version
        expected = f"schema_version: expected one of 1, 2, found {found}"
        assert (expected,) == problems_of(file, document)

    def test_missing(self, file: Path, document: dict[str, Any]) -> None:
        del document["schema_version"]
        assert ("schema_version: required field missing",) == problems_of(file, document)


class TestFields:
    """Each malformed field is reported at its exact path inside the document."""

    def test_missing_field(self, file: Path, document: dict[str, Any]) -> None:
        del document["partnerships"][2]["history"][0]["date"]
        assert ("partnerships[2].history[0].date: required field missing",) == (
            problems_of(file, document)
        )

    def test_missing_top_level_field(self, file: Path, document: dict[str, Any]) -> None:
        del document["home"]
        assert ("home: required field missing",) == problems_of(file, document)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("5", 'expected an integer, found "5"'),
            (True, "expected an integer, found true"),
            (5.0, "expected an integer, found 5.0"),
            ([5], "expected an integer, found [...]"),
        ],
    )
    def test_wrong_type_for_an_int(
        self, file: Path, document: dict[str, Any], value: Any, expected: str
    ) -> None:
        document["activities"][7]["recurrence"]["month"] = value
        assert (f"activities[7].recurrence.month: {expected}",) == problems_of(file, document)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [("5", 'expected a number, found "5"'), (True, "expected a number, found true")],
    )
    def test_wrong_type_for_a_number(
        self, file: Path, document: dict[str, Any], value: Any, expected: str
    ) -> None:
        document["cities"][2]["population"]["value"] = value
        assert (f"cities[2].population.value: {expected}",) == problems_of(file, document)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (None, "expected a string, found null"),
            (5, "expected a string, found 5"),
            (["Toruń"], "expected a string, found [...]"),
        ],
    )
    def test_wrong_type_for_a_string(
        self, file: Path, document: dict[str, Any], value: Any, expected: str
    ) -> None:
        document["cities"][5]["name"] = value
        assert (f"cities[5].name: {expected}",) == problems_of(file, document)

    def test_wrong_type_for_a_flag(self, file: Path, document: dict[str, Any]) -> None:
        document["cities"][2]["population"]["approximate"] = "yes"
        assert ('cities[2].population.approximate: expected true or false, found "yes"',) == (
            problems_of(file, document)
        )

    def test_object_expected(self, file: Path, document: dict[str, Any]) -> None:
        document["cities"][3]["description"] = "Hoofdstad van Chontales"
        expected = (
            'cities[3].description: expected a text object like {"nl": "..."},'
            ' found "Hoofdstad van Chontales"'
        )
        assert (expected,) == (problems_of(file, document))

    def test_list_expected(self, file: Path, document: dict[str, Any]) -> None:
        document["cities"][5]["aliases"] = "Torun"
        assert ('cities[5].aliases: expected a list [...], found "Torun"',) == problems_of(
            file, document
        )

    def test_unknown_field(self, file: Path, document: dict[str, Any]) -> None:
        document["contacts"][1]["mobile"] = "+31612345678"
        assert ("contacts[1]: unknown field mobile",) == problems_of(file, document)

    def test_unknown_top_level_field(self, file: Path, document: dict[str, Any]) -> None:
        document["towns"] = []
        assert ("unknown field towns",) == problems_of(file, document)

    def test_bad_enum_value(self, file: Path, document: dict[str, Any]) -> None:
        document["partnerships"][5]["history"][1]["kind"] = "signing"
        assert (
            (
                "partnerships[5].history[1].kind: expected one of first_contact, established,"
                ' signed, kind_changed, dormant, revived, found "signing"; did you mean "signed"?'
            ),
        ) == problems_of(file, document)

    def test_bad_enum_in_a_list(self, file: Path, document: dict[str, Any]) -> None:
        document["partnerships"][0]["themes"][1] = "Education"
        (problem,) = problems_of(file, document)
        assert problem.startswith("partnerships[0].themes[1]: expected one of education, ")

    @pytest.mark.parametrize(
        ("date", "expected"),
        [
            ("2011-02-30", "expected a real date like YYYY-MM-DD"),
            ("1946-13", "expected a real date like YYYY-MM-DD"),
            ("0000", "expected a date like YYYY, YYYY-MM or YYYY-MM-DD"),
        ],
    )
    def test_impossible_date(
        self, file: Path, document: dict[str, Any], date: str, expected: str
    ) -> None:
        """A date of the right shape that does not exist is called not real; year 0 is no year."""
        document["partnerships"][2]["history"][0]["date"] = date
        (problem,) = problems_of(file, document)
        assert f'partnerships[2].history[0].date: {expected}, found "{date}"' == problem

    @pytest.mark.parametrize("date", ["24-06-2011", "2011-6-24", "2011-06-24T10:00"])
    def test_malformed_date(self, file: Path, document: dict[str, Any], date: str) -> None:
        document["activities"][18]["date"] = date
        expected = f'expected a date like YYYY, YYYY-MM or YYYY-MM-DD, found "{date}"'
        assert (f"activities[18].date: {expected}",) == problems_of(file, document)

    def test_date_as_a_number(self, file: Path, document: dict[str, Any]) -> None:
        document["activities"][4]["date"] = 1946
        assert (
            ("activities[4].date: expected a date like YYYY, YYYY-MM or YYYY-MM-DD, found 1946"),
        ) == problems_of(file, document)

    def test_impossible_revision(self, file: Path, document: dict[str, Any]) -> None:
        document["revision"] = "2026-02-30"
        assert ('revision: expected a real date like YYYY-MM-DD, found "2026-02-30"',) == (
            problems_of(file, document)
        )

    def test_field_validator(self, file: Path, document: dict[str, Any]) -> None:
        document["contacts"][0]["phone"] = "071 - 514 1720"
        assert ("contacts[0].phone: '071 - 514 1720' is not an E.164 phone number",) == (
            problems_of(file, document)
        )

    def test_attrs_validator(self, file: Path, document: dict[str, Any]) -> None:
        document["cities"][2]["coordinates"]["latitude"] = -91.0
        assert ("cities[2].coordinates.latitude: must be >= -90: -91.0",) == (
            problems_of(file, document)
        )

    def test_length_validator(self, file: Path, document: dict[str, Any]) -> None:
        document["cities"][0]["description"]["nl"] = ""
        assert ("cities[0].description.nl: must not be empty",) == problems_of(file, document)

    def test_class_validator(self, file: Path, document: dict[str, Any]) -> None:
        document["partnerships"][4]["history"].reverse()
        assert ("partnerships[4].history: milestones must be in date order",) == (
            problems_of(file, document)
        )

    def test_value_type_validator(self, file: Path, document: dict[str, Any]) -> None:
        del document["activities"][7]["recurrence"]["month"]
        assert ("activities[7].recurrence: a day needs a month",) == problems_of(file, document)

    def test_dated_activity_cannot_repeat(self, file: Path, document: dict[str, Any]) -> None:
        i = next(i for i, a in enumerate(document["activities"]) if "recurrence" in a)
        document["activities"][i]["date"] = "2013"
        assert (f"activities[{i}]: a dated activity has no recurrence or since",) == (
            problems_of(file, document)
        )

    def test_every_problem_listed(self, file: Path, document: dict[str, Any]) -> None:
        del document["cities"][2]["name"]
        document["cities"][5]["population"]["value"] = "200.000"
        document["contacts"][1]["email"] = "m.weevers(at)leiden.nl"
        document["activities"][0]["colour"] = "orange"
        assert (
            "cities[2].name: required field missing",
            'cities[5].population.value: expected a number, found "200.000"',
            "contacts[1].email: 'm.weevers(at)leiden.nl' is not an e-mail address",
            "activities[0]: unknown field colour",
        ) == problems_of(file, document)


class TestEveryProblemAtOnce:
    """One run reports every mistake of a file, several in one object included."""

    def test_seven_mistakes_three_in_one_object(self, file: Path, document: dict[str, Any]) -> None:
        """Seven mistakes, three of them in one city, give seven problems with their paths."""
        city = document["cities"][2]
        city["name"] = 5
        city["description"] = "Hoofdstad"
        city["popluation"] = {}
        document["partnerships"][0]["themes"][0] = "cultur"
        document["activities"][4]["date"] = "1946-13"
        document["revision"] = 2026
        del document["contacts"][1]["role"]
        problems = problems_of(file, document)
        assert 7 == len(problems)
        paths = {p.path for p in problems}  # type: ignore[attr-defined]
        assert {
            "revision",
            "cities[2]",
            "cities[2].name",
            "cities[2].description",
            "partnerships[0].themes[0]",
            "activities[4].date",
            "contacts[1].role",
        } == paths
        assert "cities[2]: unknown field popluation; did you mean population?" in problems
        assert any(p.endswith('did you mean "culture"?') for p in problems)

    def test_a_problem_carries_its_template(self, file: Path, document: dict[str, Any]) -> None:
        """A problem gives its catalog template and params, for the user's language."""
        document["cities"][5]["name"] = None
        (problem,) = problems_of(file, document)
        assert ("cities[5].name", "expected a string, found {found}", {"found": "null"}) == (
            problem.path,  # type: ignore[attr-defined]
            problem.message_id,  # type: ignore[attr-defined]
            dict(problem.params),  # type: ignore[attr-defined]
        )


class TestReferences:
    """Well-formed documents with broken references are refused with every problem's path."""

    def test_dangling_reference(self, file: Path, document: dict[str, Any]) -> None:
        document["partnerships"][3]["city"] = "thorn"
        assert ("partnerships[3].city: unknown city 'thorn'",) == problems_of(file, document)

    def test_duplicate_id(self, file: Path, document: dict[str, Any]) -> None:
        document["activities"][1]["id"] = "buffalo-city-school-partnerships"
        assert (
            (
                "activities[1].id: duplicate id 'buffalo-city-school-partnerships'"
                " (first used at activities[0])"
            ),
        ) == problems_of(file, document)

    def test_every_reference_problem_listed(self, file: Path, document: dict[str, Any]) -> None:
        document["home"] = "lugdunum"
        document["contacts"][2]["partnerships"].append("leiden-venlo")
        document["discrepancies"][0]["sources"][0] = "hearsay"
        assert (
            "home: unknown city 'lugdunum'",
            "contacts[2].partnerships[1]: unknown partnership 'leiden-venlo'",
            "discrepancies[0].sources[0]: unknown source 'hearsay'",
        ) == problems_of(file, document)


class TestLoading:
    """The loader reads files, text and bytes in the one format the package ships."""

    def test_load_file_of_the_shipped_data(self, tmp_path: Path) -> None:
        data = resources.files("leiden_twinning").joinpath("data", "leiden.json").read_bytes()
        path = tmp_path / "leiden.json"
        path.write_bytes(data)
        assert lt.load() == lt.load_file(path) == lt.load_file(str(path))

    def test_loads_text_and_bytes(self) -> None:
        text = lt.dumps(lt.load())
        assert lt.loads(text) == lt.loads(text.encode("utf-8")) == lt.load()

    def test_shipped_file_is_what_dumps_writes(self) -> None:
        data = resources.files("leiden_twinning").joinpath("data", "leiden.json").read_text("utf-8")
        assert data == lt.dumps(lt.load())

    def test_missing_file_is_an_os_error(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            lt.load_file(tmp_path / "missing.json")

    def test_loads_has_no_file(self) -> None:
        with pytest.raises(DatasetError) as info:
            lt.loads("[]")
        assert (
            None,
            "1 problem in the dataset\n  expected an object {...}, found [...]",
        ) == (
            info.value.file,
            str(info.value),
        )

    def test_lone_surrogate_in_text(self) -> None:
        with pytest.raises(DatasetError, match="not UTF-8 text"):
            lt.loads('{"home": "\ud800"}')

    def test_defaults_are_left_out(self) -> None:
        written = json.loads(lt.dumps(lt.load()))
        torun = written["cities"][5]
        assert "figures" not in torun
        assert "en" in torun["description"]
        assert ["schema_version", "languages", "home", "revision"] == list(written)[:4]


# -- generated datasets -----------------------------------------------------------------------

_ALNUM = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=5)
_SLUG = st.lists(_ALNUM, min_size=1, max_size=3).map("-".join)
#: One-line names: any printable character, including non-ASCII, never a control character.
_LINE = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
).filter(lambda s: bool(s.strip()))
_TEXT = st.text(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), st.sampled_from("\n\r\t")
    ),
    min_size=1,
    max_size=20,
)
_LOCALIZED = st.builds(LocalizedText, nl=_TEXT, en=st.none() | _TEXT)
_QUANTITY = st.builds(
    Quantity,
    value=st.integers(0, 10**12) | st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
    approximate=st.booleans(),
    at_least=st.booleans(),
)
_URL = st.builds(lambda host, path: f"https://{host}.nl/{path}", _SLUG, _SLUG)
_EMAIL = st.builds(lambda user, host: f"{user}@{host}.nl", _SLUG, _SLUG)
_PHONE = st.builds(lambda n: f"+{n}", st.integers(10**6, 10**15 - 1))


@st.composite
def _partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
    precision = draw(st.integers(1, 3))
    return PartialDate(
        day.year, day.month if precision > 1 else None, day.day if precision > 2 else None
    )


@st.composite
def _recurrences(draw: st.DrawFn) -> Recurrence:
    day = draw(st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2000, 12, 31)))
    return Recurrence(
        frequency=Frequency.YEARLY,
        month=day.month if day else None,
        day=day.day if day else None,
        times=draw(st.none() | _QUANTITY),
    )


def _some(ids: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    if not ids:
        return st.just(())
    return st.lists(st.sampled_from(ids), unique=True, max_size=2).map(tuple)


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    """Small, valid datasets that use every entity, field and reference of the format."""
    counts = {
        "sources": draw(st.integers(0, 2)),
        "cities": draw(st.integers(1, 3)),
        "institutions": draw(st.integers(0, 2)),
    }
    counts["partnerships"] = draw(st.integers(0 if counts["cities"] == 1 else 1, 2)) * (
        counts["cities"] > 1
    )
    with_partnerships = counts["partnerships"] > 0
    counts["foundations"] = draw(st.integers(0, 2)) * with_partnerships
    counts["activities"] = draw(st.integers(0, 2)) * with_partnerships
    has_organisation = counts["foundations"] + counts["institutions"] > 0
    counts["contacts"] = draw(st.integers(0, 2)) * (with_partnerships and has_organisation)
    counts["discrepancies"] = draw(st.integers(0, 2))
    every = draw(
        st.lists(_SLUG, min_size=sum(counts.values()), max_size=sum(counts.values()), unique=True)
    )
    ids: dict[str, list[str]] = {}
    for name, count in counts.items():
        ids[name], every = every[:count], every[count:]
    sources = _some(ids["sources"])
    institutions = _some(ids["institutions"])
    organisations = ids["foundations"] + ids["institutions"]

    def figure(id_: str) -> st.SearchStrategy[Figure]:
        return st.builds(
            Figure,
            id=st.just(id_),
            label=_LOCALIZED,
            quantity=_QUANTITY,
            unit=_SLUG,
            sources=sources,
        )

    cities = tuple(
        draw(
            st.builds(
                City,
                id=st.just(id_),
                name=_LINE,
                country=st.text(string.ascii_uppercase, min_size=2, max_size=2),
                description=_LOCALIZED,
                region=st.none() | _LOCALIZED,
                population=st.none() | _QUANTITY,
                aliases=st.lists(_LINE, max_size=2).map(tuple),
                highlights=st.lists(_LOCALIZED, max_size=2).map(tuple),
                figures=st.lists(figure(f"{id_}-figure"), max_size=1).map(tuple),
                distances=st.lists(
                    st.builds(Distance, to=_LINE, km=_QUANTITY, sources=sources), max_size=2
                ).map(tuple),
                coordinates=st.none()
                | st.builds(
                    Coordinates,
                    latitude=st.floats(-90, 90, allow_nan=False),
                    longitude=st.floats(-180, 180, allow_nan=False),
                ),
                wikidata=st.none() | st.builds(lambda n: f"Q{n}", st.integers(1, 10**9)),
                sources=sources,
            )
        )
        for id_ in ids["cities"]
    )
    signatory = st.builds(
        Signatory,
        name=_LINE,
        role=_LOCALIZED,
        organisation=st.none() | (st.sampled_from(organisations) if organisations else st.none()),
    )
    milestones = st.builds(
        Milestone,
        date=_partial_dates(),
        kind=st.sampled_from(MilestoneKind),
        description=_LOCALIZED,
        partnership_kind=st.none() | st.sampled_from(PartnershipKind),
        signatories=st.lists(signatory, max_size=2).map(tuple),
        place=st.none() | _LINE,
        sources=sources,
    )

    def history() -> tuple[Milestone, ...]:
        moments = sorted(
            draw(st.lists(milestones, min_size=1, max_size=3)), key=lambda m: m.date.sort_key
        )
        start = draw(st.integers(0, len(moments) - 1))
        moments[start] = attrs.evolve(
            moments[start],
            kind=draw(st.sampled_from([MilestoneKind.ESTABLISHED, MilestoneKind.SIGNED])),
            partnership_kind=draw(st.sampled_from(PartnershipKind)),
        )
        return tuple(moments)

    partners = ids["cities"][1:]
    partnerships = tuple(
        Partnership(
            id=id_,
            city=draw(st.sampled_from(partners)),
            description=draw(_LOCALIZED),
            history=history(),
            themes=tuple(draw(st.lists(st.sampled_from(Theme), unique=True, max_size=3))),
            institutions=draw(institutions),
            motto=draw(st.none() | _LOCALIZED),
            sources=draw(sources),
        )
        for id_ in ids["partnerships"]
    )
    partnership_ids = ids["partnerships"]
    foundations = tuple(
        draw(
            st.builds(
                Foundation,
                id=st.just(id_),
                name=_LINE,
                partnership=st.sampled_from(partnership_ids),
                description=_LOCALIZED,
                abbreviation=st.none() | _LINE,
                website=st.none() | _URL,
                sources=sources,
            )
        )
        for id_ in ids["foundations"]
    )
    institution_objects = tuple(
        draw(
            st.builds(
                Institution,
                id=st.just(id_),
                name=_LINE,
                kind=st.sampled_from(InstitutionKind),
                city=st.sampled_from(ids["cities"]),
                description=st.none() | _LOCALIZED,
                website=st.none() | _URL,
                sources=sources,
            )
        )
        for id_ in ids["institutions"]
    )
    contacts = tuple(
        draw(
            st.builds(
                Contact,
                id=st.just(id_),
                role=_LOCALIZED,
                organisation=st.sampled_from(organisations),
                partnerships=st.lists(
                    st.sampled_from(partnership_ids), min_size=1, max_size=2, unique=True
                ).map(tuple),
                name=st.none()
                | st.builds(PersonName, given=_LINE, family=_LINE, prefix=st.none() | _LINE),
                email=st.none() | _EMAIL,
                phone=st.none() | _PHONE,
                as_of=st.none() | _partial_dates(),
                sources=sources,
            )
        )
        for id_ in ids["contacts"]
    )

    def activity(id_: str) -> Activity:
        dated = draw(st.booleans())
        return Activity(
            id=id_,
            partnership=draw(st.sampled_from(partnership_ids)),
            kind=draw(st.sampled_from(ActivityKind)),
            title=draw(_LOCALIZED),
            description=draw(st.none() | _LOCALIZED),
            date=draw(_partial_dates()) if dated else None,
            since=None if dated else draw(st.none() | _partial_dates()),
            recurrence=None if dated else draw(st.none() | _recurrences()),
            themes=tuple(draw(st.lists(st.sampled_from(Theme), unique=True, max_size=2))),
            institutions=draw(institutions),
            participants=draw(st.none() | _QUANTITY),
            sources=draw(sources),
        )

    activities = tuple(activity(id_) for id_ in ids["activities"])
    all_ids = [i for group in ids.values() for i in group]
    discrepancies = tuple(
        draw(
            st.builds(
                Discrepancy,
                id=st.just(id_),
                subject=st.sampled_from(all_ids),
                description=_LOCALIZED,
                sources=sources,
            )
        )
        for id_ in ids["discrepancies"]
    )
    source_objects = tuple(
        draw(
            st.builds(
                Source,
                id=st.just(id_),
                title=_LINE,
                url=st.none() | _URL,
                publisher=st.none() | _LINE,
                date=st.none() | _partial_dates(),
                note=st.none() | _LOCALIZED,
            )
        )
        for id_ in ids["sources"]
    )
    return Dataset(
        home=ids["cities"][0],
        revision=draw(st.dates()),
        sources=source_objects,
        cities=cities,
        partnerships=partnerships,
        foundations=foundations,
        institutions=institution_objects,
        contacts=contacts,
        activities=activities,
        discrepancies=discrepancies,
    )


#: Generating a whole dataset is costly; 60 derandomised examples take some seconds.
ROUND_TRIP = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _dumped_whole(dataset: Dataset) -> str:
    """The dataset's text made the plain way: the whole document, then json.dumps."""
    from leiden_twinning._converter import unstructure_dataset  # noqa: PLC0415 - the oracle

    return json.dumps(unstructure_dataset(dataset), ensure_ascii=False, indent=2) + "\n"


class TestRoundTrip:
    """Writing and reading a dataset gives an equal dataset, and the same bytes again."""

    @ROUND_TRIP
    @given(datasets())
    def test_loads_dumps(self, dataset: Dataset) -> None:
        text = lt.dumps(dataset)
        again = lt.loads(text)
        assert dataset == again
        assert text == lt.dumps(again)
        # Plain JSON: control characters inside strings are escaped, so the text holds none.
        assert 2 == json.loads(text)["schema_version"]
        assert set() == set(text) & (set(string.whitespace) - {" ", "\n"})

    def test_canonical(self) -> None:
        text = lt.dumps(lt.load())
        assert text == lt.dumps(lt.loads(text))

    @ROUND_TRIP
    @given(datasets())
    def test_streamed_text_is_json_dumps_of_the_whole_document(self, dataset: Dataset) -> None:
        """dumps() streams the items, and writes what json.dumps of the whole document writes."""
        assert _dumped_whole(dataset) == lt.dumps(dataset)

    @pytest.mark.parametrize("name", ["canonical", "synthetic"])
    def test_streamed_text_equals_json_dumps_for_shipped_and_generated_data(
        self, name: str
    ) -> None:
        """The same holds for the shipped dataset and a generated one of 40 ties."""
        if name == "canonical":
            dataset = lt.load()
        else:
            benchmarks = str(Path(__file__).parents[1] / "benchmarks")
            sys.path.insert(0, benchmarks)
            try:
                generate = importlib.import_module("generate").generate
            finally:
                sys.path.remove(benchmarks)
            dataset = lt.loads(json.dumps(generate(40)))
        assert _dumped_whole(dataset) == lt.dumps(dataset)


class TestCollectorPaused:
    """Loading builds its objects with the cyclic garbage collector paused, and no longer."""

    def canonical(self) -> bytes:
        """The shipped dataset's bytes."""
        return resources.files("leiden_twinning").joinpath("data", "leiden.json").read_bytes()

    def test_paused_while_the_objects_are_built(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The collector is off while the document becomes a dataset, on again after."""
        seen: list[bool] = []
        real = structure_dataset

        def spy(document: Any) -> lt.Dataset:
            seen.append(gc.isenabled())
            return real(document)

        monkeypatch.setattr("leiden_twinning._io.structure_dataset", spy)
        assert 6 == len(lt.loads(self.canonical()).partnerships)
        assert [False] == seen
        assert gc.isenabled()

    @pytest.mark.parametrize("data", [b"{", b'{"cities": 3}', b"[" * 100_000 + b"]" * 100_000])
    def test_on_again_after_an_error(self, data: bytes) -> None:
        """Malformed JSON, a wrong document, a document nested too deeply: collector on again."""
        with pytest.raises(lt.DatasetError):
            lt.loads(data)
        assert gc.isenabled()

    def test_a_collector_turned_off_stays_off(self) -> None:
        """A program that turned the collector off itself finds it off after a load."""
        gc.disable()
        try:
            lt.loads(self.canonical())
            assert not gc.isenabled()
        finally:
            gc.enable()
