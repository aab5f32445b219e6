"""The ``geojson`` exporter: the cities and their ties as an RFC 7946 ``FeatureCollection``.

One ``Point`` feature per city (the home city first, marked ``"home": true``), then one feature
per tie: the great circle from the home city to the partner, with a point at least every
degree of arc, as a ``LineString``, or as a ``MultiLineString`` cut at the antimeridian where the
great circle crosses it (RFC 7946, section 3.1.9). Positions are ``[longitude, latitude]`` in
WGS 84 with at most six decimals. A city without coordinates keeps its feature with a ``null``
geometry, and a tie with such a city too.

Properties hold ids, names, the localized country name and kind of tie, the tie's start date in
ISO form at its own precision (``1988``, ``2013-02``, ``1998-09-01``) and the website of the
foundation that carries it. The output is compact UTF-8 JSON with one feature per line, and
byte-identical for the same dataset, locale and options.
"""

from __future__ import annotations

import itertools
import json
from typing import IO, TYPE_CHECKING, Any

from leiden_twinning import Exporter, i18n
from leiden_twinning.exporting import (
    N_,
    partnerships_option,
    select_partnerships,
    translate,
    write_blocks,
)
from leiden_twinning.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from leiden_twinning import City, Dataset, I18n, Partnership

__all__ = ["feature_collection", "write"]

#: Decimals kept in a coordinate: six decimals of a degree are about 0.1 m.
DECIMALS = 6
#: The longest step, in degrees of arc, between two points of a tie's great circle.
STEP = 1.0


def _position(lon: float, lat: float) -> list[float]:
    # Adding 0.0 turns -0.0 into 0.0 (IEEE 754) and leaves every other number as it is.
    return [round(lon, DECIMALS) + 0.0, round(lat, DECIMALS) + 0.0]


def _point(city: City) -> dict[str, Any] | None:
    if city.coordinates is None:
        return None
    return {
        "type": "Point",
        "coordinates": _position(city.coordinates.longitude, city.coordinates.latitude),
    }


def _line(home: City, partner: City) -> dict[str, Any] | None:
    if home.coordinates is None or partner.coordinates is None:
        return None
    start = (home.coordinates.longitude, home.coordinates.latitude)
    end = (partner.coordinates.longitude, partner.coordinates.latitude)
    # The map's geometry loads with the first line drawn, not with every run's plugins.
    from leiden_twinning.worldmap import great_circle, split_antimeridian  # noqa: PLC0415

    parts = split_antimeridian(great_circle(start, end, step=STEP))
    lines = [[_position(lon, lat) for lon, lat in part] for part in parts]
    if len(lines) == 1:
        return {"type": "LineString", "coordinates": lines[0]}
    return {"type": "MultiLineString", "coordinates": lines}


def _city(city: City, *, home: bool, t: I18n) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": city.id,
        "geometry": _point(city),
        "properties": {
            "feature": "city",
            "id": city.id,
            "name": city.name,
            "home": home,
            "country": city.country,
            "country_name": t.country(city.country),
            "wikidata": city.wikidata,
        },
    }


def _tie(dataset: Dataset, partnership: Partnership, t: I18n) -> dict[str, Any]:
    home, partner = dataset.home_city, dataset.partner_city(partnership)
    foundations = dataset.foundations_of(partnership)
    website = next((f.website for f in foundations if f.website), None)
    return {
        "type": "Feature",
        "id": partnership.id,
        "geometry": _line(home, partner),
        "properties": {
            "feature": "partnership",
            "id": partnership.id,
            "home_city": home.id,
            "home_name": home.name,
            "city": partner.id,
            "name": partner.name,
            "kind": partnership.kind.value,
            "kind_label": t.label(partnership.kind),
            "since": partnership.start.date.isoformat(),
            "foundation": foundations[0].name if foundations else None,
            "website": website,
        },
    }


def _features(
    dataset: Dataset, *, locale: str, partnerships: Sequence[str] = ()
) -> Iterator[dict[str, Any]]:
    """The features one at a time: the home city, each partner city once, then the ties."""
    t = i18n(locale)
    chosen = select_partnerships(dataset, partnerships, exporter="geojson")
    yield _city(dataset.home_city, home=True, t=t)
    seen = {dataset.home}
    for partnership in chosen:
        partner = dataset.partner_city(partnership)
        if partner.id not in seen:
            seen.add(partner.id)
            yield _city(partner, home=False, t=t)
    for partnership in chosen:
        yield _tie(dataset, partnership, t)


def feature_collection(
    dataset: Dataset, *, locale: str, partnerships: Sequence[str] = ()
) -> dict[str, Any]:
    """The export as a GeoJSON object: the cities of the chosen ties, then the ties.

    :param partnerships: tie ids or partner city names; every tie when empty.
    :raises ExportError: for a tie the dataset does not have.
    """
    features = list(_features(dataset, locale=locale, partnerships=partnerships))
    return {"type": "FeatureCollection", "features": features}


def _lines(features: Iterator[dict[str, Any]]) -> Iterator[str]:
    dump = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    yield '{"type":"FeatureCollection","features":[\n'
    separator = ""
    for feature in features:
        yield separator
        yield dump(feature)
        separator = ",\n"
    yield "\n]}\n"


def write(dataset: Dataset, stream: IO[bytes], *, locale: str, options: Mapping[str, Any]) -> None:
    """Write the GeoJSON export of *dataset*: compact UTF-8 JSON, one feature per line.

    The features are built and written one at a time, so memory stays flat however many ties.
    """
    features = _features(dataset, locale=locale, partnerships=options.get("partnerships") or ())
    # The first feature is built before anything is written: an unknown tie fails cleanly.
    first = next(features)
    write_blocks(stream, _lines(itertools.chain((first,), features)))


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the ``geojson`` format."""
    register(
        Exporter(
            name="geojson",
            extension="geojson",
            media_type="application/geo+json",
            # Translators: the description of the GeoJSON export format (for GIS and web maps).
            description=N_("The cities and their ties as GeoJSON, for GIS software and web maps"),
            write=write,
            options=[partnerships_option()],
            translate=translate,
        )
    )
