"""The ``json`` exporter: the dataset file format, round trips, and its generated JSON Schema."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import leiden_twinning as lt
from leiden_twinning import _schema

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

SHIPPED = resources.files("leiden_twinning").joinpath("data", "leiden.json")
SHIPPED_SCHEMA = resources.files("leiden_twinning").joinpath("data", "leiden.schema.json")


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    """A Draft 2020-12 validator for the shipped schema, checking formats too."""
    schema = json.loads(SHIPPED_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


class TestOutput:
    """What ``export json`` writes: indented, deterministic UTF-8 JSON."""

    def test_the_shipped_dataset_is_exactly_what_export_json_writes(
        self, dataset: lt.Dataset
    ) -> None:
        assert SHIPPED.read_bytes() == lt.export(dataset, "json")

    def test_deterministic_and_independent_of_the_locale(self, dataset: lt.Dataset) -> None:
        first = lt.export(dataset, "json")

        assert first == lt.export(dataset, "json")
        assert first == lt.export(dataset, "json", locale="en")
        assert first == lt.export(dataset, "json", locale="de_CH")

    def test_utf8_indented_with_a_final_newline(self, dataset: lt.Dataset) -> None:
        data = lt.export(dataset, "json")
        text = data.decode("utf-8")

        assert text.endswith("}\n")
        assert "Toruń" in text  # not \u0144
        assert text.splitlines()[1].startswith('  "schema_version": 2')
        assert not data.startswith(b"\xef\xbb\xbf")

    def test_strict_json(self, dataset: lt.Dataset) -> None:
        def refuse(name: str) -> Any:
            raise ValueError(name)

        # No NaN or Infinity, and no key twice in one object.
        def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            keys = [k for k, _ in pairs]
            assert len(set(keys)) == len(keys)
            return dict(pairs)

        json.loads(lt.export(dataset, "json"), parse_constant=refuse, object_pairs_hook=unique)

    def test_registered_as_a_builtin(self) -> None:
        exporter = {e.name: e for e in lt.formats()}["json"]

        assert ("json", "application/json") == (exporter.extension, exporter.media_type)
        assert () == exporter.options
        assert exporter.parts is None


class TestRoundTrip:
    """Export, load, export again: the same bytes and an equal dataset."""

    def test_through_a_file(self, dataset: lt.Dataset, tmp_path: Path) -> None:
        path = tmp_path / "x.json"
        first = lt.export(dataset, "json")
        path.write_bytes(first)

        loaded = lt.load_file(path)

        assert dataset == loaded
        assert first == lt.export(loaded, "json")

    def test_through_the_command_line(self, dataset: lt.Dataset, tmp_path: Path) -> None:
        from leiden_twinning.cli import main  # noqa: PLC0415

        first, second = tmp_path / "first.json", tmp_path / "second.json"

        assert 0 == main(["export", "json", "--output", str(first)])
        assert 0 == main(["export", "json", "--dataset", str(first), "--output", str(second)])
        assert first.read_bytes() == second.read_bytes()
        assert dataset == lt.load_file(second)

    def test_an_edited_document_round_trips(self, document: dict[str, Any]) -> None:
        document["cities"][0]["aliases"] = ["Leyden", "Lugdunum Batavorum"]
        edited = lt.loads(json.dumps(document))

        again = lt.loads(lt.export(edited, "json"))

        assert edited == again
        assert ("Leyden", "Lugdunum Batavorum") == again.cities[0].aliases


class TestSchema:
    """The JSON Schema is generated from the model and shipped; exports validate against it."""

    def test_the_shipped_schema_is_the_generated_one(self) -> None:
        expected = _schema.dumps()

        assert expected == SHIPPED_SCHEMA.read_text(encoding="utf-8"), (
            "run: python -m leiden_twinning._schema --write"
        )

    def test_it_is_a_draft_2020_12_schema(self) -> None:
        schema = _schema.json_schema()

        assert "https://json-schema.org/draft/2020-12/schema" == schema["$schema"]
        jsonschema.Draft202012Validator.check_schema(schema)

    def test_exports_validate(
        self, validator: jsonschema.protocols.Validator, dataset: lt.Dataset
    ) -> None:
        for locale in ("nl", "en"):
            document = json.loads(lt.export(dataset, "json", locale=locale))

            assert [] == [e.message for e in validator.iter_errors(document)]

    def test_every_model_class_has_a_definition(self) -> None:
        defs = _schema.json_schema()["$defs"]

        for name in ("City", "Partnership", "Milestone", "Quantity", "Contact"):
            assert defs[name]["additionalProperties"] is False
        assert {"type": "string", "minLength": 1} == defs["LocalizedText"]["additionalProperties"]

    def test_required_are_the_fields_without_defaults(self) -> None:
        defs = _schema.json_schema()["$defs"]

        assert 1 == defs["LocalizedText"]["minProperties"]
        assert ["id", "city", "description", "history"] == defs["Partnership"]["required"]
        expected = ["schema_version", "languages", "home", "revision"]
        assert expected == _schema.json_schema()["required"]

    def test_types(self) -> None:
        schema = _schema.json_schema()
        defs = schema["$defs"]

        assert {"type": "number", "minimum": 0} == defs["Quantity"]["properties"]["value"]
        milestone = defs["Milestone"]["properties"]
        assert "first_contact" in milestone["kind"]["enum"]
        assert {"$ref": "#/$defs/Signatory"} == milestone["signatories"]["items"]
        partnership_kind = milestone["partnership_kind"]["anyOf"]
        assert {"type": "null"} == partnership_kind[1]
        assert ["twinning", "friendship"] == partnership_kind[0]["enum"]
        assert "date" == schema["properties"]["revision"]["format"]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return change


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = document
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]

    return change


INVALID = {
    "an unknown top-level key": _set("colour", "red"),
    "an unknown key in a city": _set("cities.0.mayor", "someone"),
    "a wrong schema version": _set("schema_version", 3),
    "a missing required field": _delete("cities.0.country"),
    "no revision date": _delete("revision"),
    "an unknown enumeration value": _set("partnerships.0.history.0.kind", "merged"),
    "a month 13": _set("partnerships.0.history.0.date", "1988-13"),
    "a date with slashes": _set("partnerships.0.history.0.date", "26/03/1946"),
    "a revision without a day": _set("revision", "2024-05"),
    "a string for a number": _set("cities.1.population", {"value": "70000"}),
    "a negative quantity": _set("cities.1.population", {"value": -1}),
    "a number for text": _set("cities.0.name", 42),
    "an object for a list": _set("partnerships.0.themes", {"culture": True}),
    "an id that is not a slug": _set("cities.0.id", "Leiden City"),
    "a country that is not a code": _set("cities.0.country", "Netherlands"),
    "an empty Dutch text": _set("cities.0.description", {"nl": ""}),
    "a latitude beyond the pole": _set("cities.0.coordinates", {"latitude": 91, "longitude": 0}),
}


class TestInvalidDocuments:
    """Broken documents fail the schema, and the loader rejects them too."""

    @pytest.mark.parametrize("change", INVALID.values(), ids=INVALID.keys())
    def test_rejected_by_schema_and_loader(
        self,
        validator: jsonschema.protocols.Validator,
        document: dict[str, Any],
        change: Callable[[dict[str, Any]], None],
    ) -> None:
        broken = copy.deepcopy(document)
        change(broken)

        assert not validator.is_valid(broken)
        with pytest.raises(lt.DatasetError):
            lt.loads(json.dumps(broken))

    def test_optional_fields_may_be_null(
        self, validator: jsonschema.protocols.Validator, document: dict[str, Any]
    ) -> None:
        document["cities"][0]["region"] = None

        assert validator.is_valid(document)
        assert lt.loads(json.dumps(document)).cities[0].region is None


def _leaves(node: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every path in the document, containers included."""
    paths = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            paths += _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            paths += _leaves(value, (*path, i))
    return paths


_CANONICAL: dict[str, Any] = json.loads(SHIPPED.read_bytes())
_PATHS = _leaves(_CANONICAL)
_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["1988", "1988-13", "2013-02-30", "a-slug", "NL", "Q5", "+31715141720"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)


class TestSchemaAgreesWithTheLoader:
    """The schema is never stricter than the loader: what the loader reads, the schema accepts."""

    @settings(max_examples=150, deadline=None)
    @given(path=st.sampled_from(_PATHS), value=_JSON_VALUES)
    def test_mutations(
        self, validator: jsonschema.protocols.Validator, path: tuple[str | int, ...], value: Any
    ) -> None:
        document = copy.deepcopy(_CANONICAL)
        node: Any = document
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
        try:
            lt.loads(json.dumps(document))
        except lt.DatasetError:
            return  # the loader may be stricter than any schema (references, date order)
        assert [] == [e.message for e in validator.iter_errors(document)]
