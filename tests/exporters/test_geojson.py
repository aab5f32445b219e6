"""The ``geojson`` exporter: the GeoJSON schema, the ``geojson`` library, and the geometry."""

from __future__ import annotations

import decimal
import itertools
import json
import math
from pathlib import Path
from typing import Any

import geojson
import jsonschema
import pytest

import leiden_twinning as lt
from leiden_twinning.cli import main

SCHEMA = Path(__file__).parent / "data" / "geojson-schema" / "FeatureCollection.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    """A draft-07 validator for geojson.org's FeatureCollection schema (vendored, unchanged)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.fixture(scope="module")
def exported(dataset: lt.Dataset) -> bytes:
    """The export of the canonical dataset in Dutch."""
    return lt.export(dataset, "geojson", locale="nl")


def features(data: bytes, kind: str) -> list[dict[str, Any]]:
    """The features of one kind (``city`` or ``partnership``), parsed from *data*."""
    parsed = json.loads(data)
    return [f for f in parsed["features"] if f["properties"]["feature"] == kind]


def unit(point: list[float]) -> tuple[float, float, float]:
    """The unit vector of a ``[lon, lat]`` position."""
    lon, lat = math.radians(point[0]), math.radians(point[1])
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def antimeridian(document: dict[str, Any]) -> lt.Dataset:
    """A dataset whose home city sits in Tokyo and one partner in Anchorage: over the Pacific."""
    for city in document["cities"]:
        if city["id"] == document["home"]:
            city["coordinates"] = {"latitude": 35.6895, "longitude": 139.6917}
        if city["id"] == "juigalpa":
            city["coordinates"] = {"latitude": 61.2181, "longitude": -149.9003}
    return lt.loads(json.dumps(document))


class TestValid:
    """The export is GeoJSON that independent readers accept."""

    def test_valid_against_the_geojson_schema(
        self, exported: bytes, validator: jsonschema.protocols.Validator
    ) -> None:
        """geojson.org's FeatureCollection schema finds no error."""
        assert [] == [e.message for e in validator.iter_errors(json.loads(exported))]

    def test_round_trips_through_the_geojson_library(self, exported: bytes) -> None:
        """The ``geojson`` library reads it, finds it valid, and writes back the same object."""
        collection = geojson.loads(exported.decode("utf-8"))

        assert isinstance(collection, geojson.FeatureCollection)
        assert collection.is_valid, collection.errors()
        assert json.loads(exported) == json.loads(geojson.dumps(collection))

    def test_strict_utf8_json(self, exported: bytes) -> None:
        """UTF-8 without a BOM, no NaN, no key twice, names unescaped, one feature per line."""

        def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            assert len({k for k, _ in pairs}) == len(pairs)
            return dict(pairs)

        def refuse(name: str) -> Any:
            raise ValueError(name)

        text = exported.decode("utf-8")
        json.loads(text, object_pairs_hook=unique, parse_constant=refuse)
        assert not exported.startswith(b"\xef\xbb\xbf")
        assert "Toruń" in text
        assert 2 + 7 + 6 == len(text.splitlines())

    def test_deterministic(self, dataset: lt.Dataset, exported: bytes) -> None:
        """The same dataset and locale give the same bytes."""
        assert exported == lt.export(dataset, "geojson", locale="nl")

    def test_at_most_six_decimals(self, exported: bytes) -> None:
        """Every coordinate has six decimals or fewer, read as written."""
        parsed = json.loads(exported, parse_float=decimal.Decimal)
        numbers: list[decimal.Decimal] = []

        def collect(value: Any) -> None:
            if isinstance(value, list):
                for item in value:
                    collect(item)
            elif isinstance(value, decimal.Decimal):
                numbers.append(value)

        for feature in parsed["features"]:
            collect(feature["geometry"]["coordinates"])
        assert len(numbers) > 100
        assert [] == [n for n in numbers if n.as_tuple().exponent < -6]  # type: ignore[operator]

    def test_registered_as_a_builtin(self) -> None:
        """The format comes from its built-in module, with the GeoJSON media type (RFC 7946)."""
        exporter = {e.name: e for e in lt.formats()}["geojson"]

        assert "leiden_twinning.exporters.geojson" == exporter.plugin
        assert ("geojson", "application/geo+json") == (exporter.extension, exporter.media_type)
        assert ["partnerships"] == [o.name for o in exporter.options]


class TestCities:
    """A Point per city, the home city first and marked."""

    def test_leiden_is_the_home_point(self, exported: bytes) -> None:
        """Leiden's point is ``[4.48…, 52.1…]``: longitude first."""
        home = features(exported, "city")[0]
        lon, lat = home["geometry"]["coordinates"]

        assert ("Point", "leiden", True) == (home["geometry"]["type"], home["id"], True)
        assert home["properties"]["home"] is True
        assert 4.48 <= lon < 4.49
        assert 52.1 <= lat < 52.2

    def test_the_partners(self, exported: bytes, dataset: lt.Dataset) -> None:
        """Six partner points, not home, at the dataset's coordinates, named in the locale."""
        partners = features(exported, "city")[1:]
        expected = [dataset.partner_city(p) for p in dataset.partnerships]

        assert [c.id for c in expected] == [f["id"] for f in partners]
        assert not any(f["properties"]["home"] for f in partners)
        for city, feature in zip(expected, partners, strict=True):
            assert city.coordinates is not None
            assert [city.coordinates.longitude, city.coordinates.latitude] == feature["geometry"][
                "coordinates"
            ]
        oxford = next(f for f in partners if f["id"] == "oxford")["properties"]
        assert ("Oxford", "GB", "Verenigd Koninkrijk") == (
            oxford["name"],
            oxford["country"],
            oxford["country_name"],
        )

    def test_country_names_follow_the_locale(self, dataset: lt.Dataset) -> None:
        """In English, Buffalo City lies in South Africa."""
        cities = features(lt.export(dataset, "geojson", locale="en"), "city")

        assert (
            "South Africa"
            == next(f for f in cities if f["id"] == "buffalo-city")["properties"]["country_name"]
        )

    def test_city_without_coordinates(
        self, document: dict[str, Any], validator: jsonschema.protocols.Validator
    ) -> None:
        """A city without coordinates keeps its feature with null geometry, and so does its tie."""
        for city in document["cities"]:
            if city["id"] == "juigalpa":
                del city["coordinates"]
        data = lt.export(lt.loads(json.dumps(document)), "geojson")

        assert [] == [e.message for e in validator.iter_errors(json.loads(data))]
        assert geojson.loads(data.decode("utf-8")).is_valid
        assert None is next(f for f in features(data, "city") if f["id"] == "juigalpa")["geometry"]
        tie = next(
            f for f in features(data, "partnership") if f["properties"]["city"] == "juigalpa"
        )
        assert None is tie["geometry"]


class TestTies:
    """A line per tie: the densified great circle from home to partner."""

    def test_six_lines_none_jumping(self, exported: bytes) -> None:
        """Six LineStrings, no step longer than 180° of longitude, none longer than 1° of arc."""
        ties = features(exported, "partnership")

        assert ["LineString"] * 6 == [f["geometry"]["type"] for f in ties]
        for tie in ties:
            line = tie["geometry"]["coordinates"]
            for p, q in itertools.pairwise(line):
                assert abs(q[0] - p[0]) < 180
                cosine = sum(a * b for a, b in zip(unit(p), unit(q), strict=True))
                assert math.degrees(math.acos(min(1.0, cosine))) <= 1.0 + 1e-6

    def test_from_home_to_partner_on_the_great_circle(
        self, exported: bytes, dataset: lt.Dataset
    ) -> None:
        """Each line starts at Leiden, ends at the partner, and stays on their great circle."""
        home = features(exported, "city")[0]["geometry"]["coordinates"]
        points = {f["id"]: f["geometry"]["coordinates"] for f in features(exported, "city")}
        for tie in features(exported, "partnership"):
            line = tie["geometry"]["coordinates"]
            a, b = unit(line[0]), unit(line[-1])
            normal = (
                a[1] * b[2] - a[2] * b[1],
                a[2] * b[0] - a[0] * b[2],
                a[0] * b[1] - a[1] * b[0],
            )
            size = math.sqrt(sum(c * c for c in normal))

            assert home == line[0]
            assert points[tie["properties"]["city"]] == line[-1]
            for p in line:
                # Six decimals of a degree move a point by at most ~1e-8 radians.
                assert 0 == pytest.approx(
                    sum(n * c for n, c in zip(normal, unit(p), strict=True)) / size, abs=1e-7
                )

    def test_properties(self, exported: bytes, dataset: lt.Dataset) -> None:
        """Ids, names, the kind and its Dutch label, the ISO start and the foundation's website."""
        torun = next(f for f in features(exported, "partnership") if f["id"] == "leiden-torun")
        props = torun["properties"]
        foundation = dataset.foundations_of(dataset.partnership("torun"))[0]

        assert ("leiden", "Leiden", "torun", "Toruń") == (
            props["home_city"],
            props["home_name"],
            props["city"],
            props["name"],
        )
        assert ("twinning", "stedenband") == (props["kind"], props["kind_label"])
        assert "1988-11" == props["since"]  # known to the month
        assert (foundation.name, foundation.website) == (props["foundation"], props["website"])
        assert props["website"].startswith("https://")

    def test_since_at_its_own_precision(self, exported: bytes, dataset: lt.Dataset) -> None:
        """``since`` is the ISO form of each tie's start, no day or month invented."""
        since = {f["id"]: f["properties"]["since"] for f in features(exported, "partnership")}

        assert {p.id: p.start.date.isoformat() for p in dataset.partnerships} == since

    def test_kind_labels_follow_the_locale(self, dataset: lt.Dataset) -> None:
        """In English the Dutch *stedenband* reads "twinning"; ids and kinds do not change."""
        nl = features(lt.export(dataset, "geojson", locale="nl"), "partnership")
        en = features(lt.export(dataset, "geojson", locale="en"), "partnership")

        assert [f["properties"]["kind"] for f in nl] == [f["properties"]["kind"] for f in en]
        assert (
            "twinning"
            == next(f for f in en if f["id"] == "leiden-torun")["properties"]["kind_label"]
        )

    def test_no_foundation(self, document: dict[str, Any]) -> None:
        """A tie no foundation carries has null foundation and website."""
        document["foundations"] = [
            f for f in document["foundations"] if f["partnership"] != "leiden-torun"
        ]
        data = lt.export(lt.loads(json.dumps(document)), "geojson")
        props = next(f for f in features(data, "partnership") if f["id"] == "leiden-torun")

        assert (None, None) == (
            props["properties"]["foundation"],
            props["properties"]["website"],
        )


class TestAntimeridian:
    """A tie over the Pacific becomes a MultiLineString cut at ±180°."""

    def test_cut_into_two_lines(
        self, document: dict[str, Any], validator: jsonschema.protocols.Validator
    ) -> None:
        """Tokyo to Anchorage: two lines meeting at 180° and -180° at one latitude, still valid."""
        data = lt.export(antimeridian(document), "geojson")
        parsed = json.loads(data)
        tie = next(
            f for f in features(data, "partnership") if f["properties"]["city"] == "juigalpa"
        )
        first, second = tie["geometry"]["coordinates"]

        assert [] == [e.message for e in validator.iter_errors(parsed)]
        assert geojson.loads(data.decode("utf-8")).is_valid
        assert "MultiLineString" == tie["geometry"]["type"]
        assert ([139.6917, 35.6895], [-149.9003, 61.2181]) == (first[0], second[-1])
        assert (180, -180) == (first[-1][0], second[0][0])
        assert first[-1][1] == second[0][1]
        for part in (first, second):
            for p, q in itertools.pairwise(part):
                assert abs(q[0] - p[0]) < 180

    def test_other_ties_stay_single_lines(self, document: dict[str, Any]) -> None:
        """Ties from Tokyo that do not cross the antimeridian stay LineStrings."""
        data = lt.export(antimeridian(document), "geojson")
        kinds = {
            f["properties"]["city"]: f["geometry"]["type"] for f in features(data, "partnership")
        }

        assert "LineString" == kinds["nagasaki"]
        assert "LineString" == kinds["oxford"]


class TestOptions:
    """The ``partnership`` option chooses ties, through Python and the command line."""

    def test_one_tie(self, dataset: lt.Dataset) -> None:
        """Choosing Toruń gives the home city, Toruń, and one line."""
        data = lt.export(dataset, "geojson", partnerships=["torun"])

        assert ["leiden", "torun", "leiden-torun"] == [
            f["id"] for f in json.loads(data)["features"]
        ]

    def test_two_ties_with_one_city(self, document: dict[str, Any]) -> None:
        """A city with two ties to the home city is one point, with two lines."""
        second = json.loads(json.dumps(document["partnerships"][0]))
        second["id"] = "second-tie"
        document["partnerships"].append(second)
        data = lt.export(lt.loads(json.dumps(document)), "geojson")
        city = second["city"]

        assert 1 == [f["id"] for f in features(data, "city")].count(city)
        assert 2 == [f["properties"]["city"] for f in features(data, "partnership")].count(city)

    def test_unknown_tie(self, dataset: lt.Dataset) -> None:
        """An unknown tie is an ExportError naming the format and the key."""
        with pytest.raises(lt.ExportError, match=r"geojson: .*'atlantis'"):
            lt.export(dataset, "geojson", partnerships="atlantis")

    def test_cli_writes_the_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], exported: bytes
    ) -> None:
        """``leiden-twinning export geojson -o FILE`` writes the same bytes as the API."""
        target = tmp_path / "ties.geojson"
        status = main(["export", "geojson", "--locale", "nl", "--output", str(target)])
        capsys.readouterr()

        assert 0 == status
        assert exported == target.read_bytes()

    def test_cli_unknown_tie_no_traceback(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An unknown tie on the command line is one error line, and no file is left."""
        target = tmp_path / "ties.geojson"
        status = main(["export", "geojson", "--partnership", "atlantis", "-o", str(target)])
        err = capsys.readouterr().err

        assert 0 != status
        assert "atlantis" in err
        assert "Traceback" not in err
        assert not target.exists()
