"""The world map's fast paths against the straightforward code they replaced, byte for byte.

:func:`render_svg_map` projects each arc once into lists, cuts it at the antimeridian while it
writes the path and keeps the sphere and land of a frame; :func:`great_circle` and
:func:`equal_earth` lost some work per point. The references below are that code as it was
(a dict of projected points, :func:`split_antimeridian` then :func:`_path` per part, the land
projected on every call): the SVG must not change by one byte, whatever the points.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, NamedTuple

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from leiden_twinning import worldmap as wm

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    import leiden_twinning as lt

LonLat = tuple[float, float]
Box = tuple[float, float, float, float]

# -- the code as it was before its fast paths: the references to equal --------------------------


def old_vector(point: LonLat) -> tuple[float, float, float]:
    """The unit vector of a point."""
    lon, lat = math.radians(point[0]), math.radians(point[1])
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def old_angle(a: Sequence[float], b: Sequence[float]) -> float:
    """The angle between two unit vectors, with sums over generators."""
    cross = (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])
    return math.atan2(
        math.sqrt(sum(c * c for c in cross)), sum(x * y for x, y in zip(a, b, strict=False))
    )


def old_great_circle(start: LonLat, end: LonLat, *, step: float = 2.0) -> list[LonLat]:
    """:func:`great_circle` before its fast path."""
    a, b = old_vector(start), old_vector(end)
    angle = old_angle(a, b)
    if angle < 1e-12:
        return [start, end]
    if math.pi - angle < 1e-9:
        middle = (start[0] + 90.0, 0.0) if abs(start[1]) < 89.999999 else (start[0], 0.0)
        middle = (((middle[0] + 180.0) % 360.0) - 180.0, middle[1])
        first = old_great_circle(start, middle, step=step)
        return first[:-1] + old_great_circle(middle, end, step=step)
    count = max(1, math.ceil(math.degrees(angle) / step))
    points = [start]
    sin_angle = math.sin(angle)
    degrees, atan2, hypot = math.degrees, math.atan2, math.hypot
    (ax, ay, az), (bx, by, bz) = a, b
    for i in range(1, count):
        t = i / count
        wa = math.sin((1 - t) * angle) / sin_angle
        wb = math.sin(t * angle) / sin_angle
        x, y, z = wa * ax + wb * bx, wa * ay + wb * by, wa * az + wb * bz
        n = math.sqrt(sum([x * x, y * y, z * z]))
        x, y, z = x / n, y / n, z / n
        points.append((degrees(atan2(y, x)), degrees(atan2(z, hypot(x, y)))))
    points.append(end)
    return points


def old_equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """:func:`equal_earth` before its constants were multiplied out."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    m = math.sqrt(3) / 2
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(m * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (m * (a1 + 3 * a2 * t2 + t6 * (7 * a3 + 9 * a4 * t2)))
    y = theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2))
    return (x, y)


class OldFrame(NamedTuple):
    """The map's frame, as it was."""

    scale: float
    x0: float
    y0: float
    height: int

    def __call__(self, point: LonLat) -> tuple[float, float]:
        """The point in the frame."""
        x, y = old_equal_earth(*point)
        return ((x - self.x0) * self.scale, (self.y0 - y) * self.scale)


class OldProjection(dict[LonLat, tuple[float, float]]):
    """Each point's projection, worked out once, in a dict keyed by the point."""

    def __missing__(self, point: LonLat) -> tuple[float, float]:
        found = self[point] = old_equal_earth(*point)
        return found


def old_frame(
    extent: Sequence[LonLat], *, max_zoom: float, min_zoom: float, projection: OldProjection
) -> OldFrame:
    """The frame of *extent*, from the dict of projected points."""
    half_width, half_height = wm._HALF_WIDTH, wm._HALF_HEIGHT
    world = OldFrame(wm.FRAME_WIDTH / (2 * half_width), -half_width, half_height, 0)
    world = world._replace(height=round(2 * half_height * world.scale))
    if not extent:
        return world
    xs, ys = zip(*(projection[p] for p in extent), strict=True)
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    pad = max(width, height, 0.05) * 0.25
    left, right = min(xs) - pad, max(xs) + pad
    bottom, top = min(ys) - pad, max(ys) + pad
    aspect = 0.6
    width, height = right - left, top - bottom
    if height > width * aspect:
        grow = (height / aspect - width) / 2
        left, right = left - grow, right + grow
    else:
        grow = (width * aspect - height) / 2
        bottom, top = bottom - grow, top + grow
    zoom = (2 * half_width) / (right - left)
    if zoom < min_zoom:
        return world
    if zoom > max_zoom:
        cx, cy = (left + right) / 2, (top + bottom) / 2
        half = half_width / max_zoom
        left, right, top, bottom = cx - half, cx + half, cy + half * aspect, cy - half * aspect
    dx = max(0.0, -half_width - left) - max(0.0, right - half_width)
    dy = max(0.0, -half_height - bottom) - max(0.0, top - half_height)
    left, right, top, bottom = left + dx, right + dx, top + dy, bottom + dy
    scale = wm.FRAME_WIDTH / (right - left)
    return OldFrame(scale, left, top, round((top - bottom) * scale))


def old_path(points: Iterable[tuple[float, float]], *, closed: bool) -> str:
    """A compact path, one f-string per point."""
    out: list[str] = []
    last: tuple[int, int] | None = None
    for x, y in points:
        here = (round(x), round(y))
        if last is None:
            out.append(f"M{here[0]} {here[1]}")
        elif here != last:
            dx, dy = here[0] - last[0], here[1] - last[1]
            out.append(f"l{dx}{'' if dy < 0 else ' '}{dy}")
        last = here
    if closed and out:
        out.append("z")
    return "".join(out)


def old_visible(points: Sequence[tuple[float, float]], frame: OldFrame) -> bool:
    """Whether a ring's box meets the frame."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return max(xs) >= 0 and min(xs) <= wm.FRAME_WIDTH and max(ys) >= 0 and min(ys) <= frame.height


class OldBoxIndex:
    """The grid of label boxes, with a generator of cell keys."""

    _ROWS = 1 << 32

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self.cells: dict[int, list[Box]] = {}

    def _cells(self, box: Box) -> Iterator[int]:
        width, height, rows = self.width, self.height, self._ROWS
        top, bottom = math.floor(box[1] / height), math.floor(box[3] / height) + 1
        for i in range(
            math.floor(box[0] / width) * rows, (math.floor(box[2] / width) + 1) * rows, rows
        ):
            yield from range(i + top, i + bottom)

    def add(self, box: Box) -> None:
        """Add a box to its cells."""
        if box[2] <= box[0] or box[3] <= box[1]:
            return
        for cell in self._cells(box):
            self.cells.setdefault(cell, []).append(box)

    def free(self, box: Box) -> bool:
        """Whether a box overlaps none."""
        left, top, right, bottom = box
        if right <= left or bottom <= top:
            return True
        for cell in self._cells(box):
            for o_left, o_top, o_right, o_bottom in self.cells.get(cell, ()):
                if o_left < right and o_right > left and o_top < bottom and o_bottom > top:
                    return False
        return True


def old_place_labels(
    marks: Sequence[tuple[float, float, str]],
    obstacles: Sequence[Box],
    frame: Box,
    font_size: float,
    gap: float,
) -> list[tuple[float, float, str] | None]:
    """The greedy label placement, with the overflow of the frame summed for every position."""
    index = OldBoxIndex(max(font_size * 2, 1.0), max(font_size, 1.0))
    for obstacle in obstacles:
        index.add(obstacle)
    every = len(marks) <= wm.ALL_LABELLED
    placed: list[Box] = []
    f_left, f_top, f_right, f_bottom = frame
    chosen: list[tuple[float, float, str] | None] = []
    for rank, (x, y, text) in enumerate(marks):
        if rank >= wm.MAX_LABELS:
            chosen.append(None)
            continue
        found = None
        tried: list[tuple[float, tuple[float, float, str], Box]] = []
        for cx, cy, anchor in wm._candidates(x, y, gap, font_size):
            box = wm.label_box(cx, cy, anchor, text, font_size)
            outside = (
                max(0.0, f_left - box[0])
                + max(0.0, box[2] - f_right)
                + max(0.0, f_top - box[1])
                + max(0.0, box[3] - f_bottom)
            )
            if outside == 0 and index.free(box):
                found = (cx, cy, anchor), box
                break
            if every:
                tried.append((outside * font_size * 10, (cx, cy, anchor), box))
        if found is None and every:
            found = wm._least_overlap(tried, (*placed, *obstacles))
        if found is None:
            chosen.append(None)
            continue
        index.add(found[1])
        placed.append(found[1])
        chosen.append(found[0])
    return chosen


def old_render_svg_map(
    points: Sequence[wm.MapPoint],
    arcs: Sequence[wm.MapArc],
    *,
    title: str,
    desc: str,
    id_prefix: str = "lt-map",
    font_size: float = 18.0,
    max_zoom: float = 6.0,
    min_zoom: float = 1.6,
) -> str:
    """:func:`render_svg_map` before its fast paths."""
    lines = [old_great_circle(arc.start, arc.end) for arc in arcs]
    extent = [(p.longitude, p.latitude) for p in points] + [q for line in lines for q in line]
    projection = OldProjection()
    frame = old_frame(extent, max_zoom=max_zoom, min_zoom=min_zoom, projection=projection)
    scale, x0, y0 = frame.scale, frame.x0, frame.y0

    def project(point: LonLat) -> tuple[float, float]:
        x, y = projection[point]
        return ((x - x0) * scale, (y0 - y) * scale)

    zoom = frame.scale * 2 * wm._HALF_WIDTH / wm.FRAME_WIDTH
    if zoom > 1:
        lines = [old_great_circle(arc.start, arc.end, step=2.0 / zoom) for arc in arcs]
    east = [(180.0, float(lat)) for lat in range(-90, 91, 5)]
    west = [(-180.0, float(lat)) for lat in range(90, -91, -5)]
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="lt-map" '
            f'viewBox="0 0 {wm.FRAME_WIDTH} {frame.height}" role="img" '
            f'aria-labelledby="{id_prefix}-title" aria-describedby="{id_prefix}-desc">'
        ),
        f'<title id="{id_prefix}-title">{wm._escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{wm._escape(desc)}</desc>',
        (
            '<path class="lt-map-sphere" fill="#eef3f7" stroke="#b8c4ce" '
            f'd="{old_path((frame(p) for p in east + west), closed=True)}"/>'
        ),
    ]
    land: list[str] = []
    for ring in wm.land_rings():
        projected = [frame(p) for p in ring]
        if old_visible(projected, frame):
            land.append(old_path(projected, closed=True))
    out.append(
        '<path class="lt-map-land" fill="#d5dbc9" stroke="#a9b39a" stroke-width="0.5" '
        f'fill-rule="evenodd" d="{"".join(land)}"/>'
    )
    out.append('<g class="lt-map-arcs" fill="none" stroke="#b3261e" stroke-width="2">')
    for arc, line in zip(arcs, lines, strict=True):
        parts = wm.split_antimeridian(line)
        d = "".join(old_path((project(p) for p in part), closed=False) for part in parts)
        kind = f" lt-map-arc-{arc.kind}" if arc.kind else ""
        out.append(f'<path class="lt-map-arc{kind}" d="{d}"/>')
    out.append("</g>")
    radius = font_size * 0.35
    marks = [(*project((p.longitude, p.latitude)), p.label) for p in points]
    obstacles = [(x - radius, y - radius, x + radius, y + radius) for x, y, _ in marks]
    placed = old_place_labels(
        marks,
        obstacles,
        (0.0, 0.0, float(wm.FRAME_WIDTH), float(frame.height)),
        font_size,
        radius * 2,
    )
    out.append('<g class="lt-map-cities" stroke="#ffffff" stroke-width="1.5">')
    drawn = sorted(zip(points, marks, strict=True), key=lambda pair: pair[0].home)
    for point, (x, y, _) in drawn:
        role = "lt-map-home" if point.home else "lt-map-partner"
        r = radius * 1.4 if point.home else radius
        fill = "#1d3557" if point.home else "#b3261e"
        out.append(
            f'<circle class="lt-map-city {role}" fill="{fill}" '
            f'cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
        )
    out.append("</g>")
    out.append(
        f'<g class="lt-map-labels" font-family="sans-serif" font-size="{font_size:g}" '
        'fill="#1b1b1b">'
    )
    for (mx, my, text), position in zip(marks, placed, strict=True):
        if position is None:
            continue
        x, y, anchor = position
        if math.hypot(x - mx, y - my) > radius * 5:
            out.append(
                f'<path class="lt-map-leader" fill="none" stroke="#555555" stroke-width="0.8" '
                f'd="M{mx:.1f} {my:.1f}L{x:.1f} {y - 0.3 * font_size:.1f}"/>'
            )
        out.append(
            f'<text class="lt-map-label" x="{x:.1f}" y="{y:.1f}" '
            f'text-anchor="{anchor}">{wm._escape(text)}</text>'
        )
    out.append("</g></svg>")
    return "\n".join(out)


# -- points that reach every branch ---------------------------------------------------------------

#: Points where the geometry has edges: the poles, both sides of the antimeridian, the equator.
EDGES = [
    (0.0, 90.0),
    (0.0, -90.0),
    (180.0, 0.0),
    (-180.0, 0.0),
    (179.99, 10.0),
    (-179.99, -10.0),
    (180.0, 45.0),
    (-180.0, -45.0),
    (4.4833, 52.1667),
    (-175.2, -21.1),
    (370.0, 95.0),  # out of range: drawn as the old code drew it
]
any_point = st.one_of(
    st.sampled_from(EDGES),
    st.tuples(
        st.floats(min_value=-180, max_value=180, allow_nan=False),
        st.floats(min_value=-90, max_value=90, allow_nan=False),
    ),
)


def antipode(point: LonLat) -> LonLat:
    """The point on the other side of the earth."""
    return (point[0] - 180.0 if point[0] > 0 else point[0] + 180.0, -point[1])


@st.composite
def neighbours(draw: st.DrawFn, centre: LonLat) -> LonLat:
    """A point near *centre* (or the same, or its antipode, or anywhere), within range."""
    kind = draw(st.sampled_from(["near", "same", "antipode", "anywhere"]))
    if kind == "same":
        return centre
    if kind == "antipode":
        return antipode(centre)
    if kind == "anywhere":
        return draw(any_point)
    spread = draw(st.sampled_from([1e-7, 1e-3, 0.1, 2.0, 15.0, 60.0]))
    dlon = draw(st.floats(min_value=-spread, max_value=spread))
    dlat = draw(st.floats(min_value=-spread, max_value=spread))
    return (min(180.0, max(-180.0, centre[0] + dlon)), min(90.0, max(-90.0, centre[1] + dlat)))


@st.composite
def maps(draw: st.DrawFn) -> tuple[list[wm.MapPoint], list[wm.MapArc], dict[str, float]]:
    """A home, partners near or far, arcs from home to some of them, and zoom and font options."""
    home = draw(any_point)
    partners = draw(st.lists(neighbours(home), max_size=8))
    labels = st.text(st.sampled_from("aWl <&>'\"Ōü"), max_size=12)
    found = [wm.MapPoint(*home, draw(labels), home=True)]
    found += [wm.MapPoint(*p, draw(labels)) for p in partners]
    arcs = [
        wm.MapArc(home, p, draw(st.sampled_from(["", "twin", "friend"])))
        for p in partners
        if draw(st.booleans())
    ]
    if draw(st.booleans()):
        found = found[1:]  # arcs whose ends are not drawn as cities
    options = {
        "font_size": draw(st.sampled_from([6.0, 18.0, 26.0])),
        "max_zoom": draw(st.sampled_from([6.0, 40.0, 1e4])),
        "min_zoom": draw(st.sampled_from([0.5, 1.0, 1.6])),
    }
    return found, arcs, options


def outcome(render: object, *args: object, **kwargs: object) -> tuple[str, str]:
    """What a call gives, or the kind of error it raises (the old code raised, so may the new)."""
    assert callable(render)
    try:
        return ("ok", render(*args, **kwargs))
    except ArithmeticError as error:
        return ("error", type(error).__name__)


class TestAsBefore:
    """The fast paths give exactly what the code they replaced gave."""

    @given(any_point)
    @example((1e300, 45.0))
    @example((-0.0, -0.0))
    def test_equal_earth(self, point: LonLat) -> None:
        """The projection's floats are the same to the last bit."""
        assert old_equal_earth(*point) == wm.equal_earth(*point)

    @given(any_point, any_point, st.sampled_from([2.0, 0.7, 0.05]))
    def test_great_circle(self, start: LonLat, end: LonLat, step: float) -> None:
        """The great circle's points are the same to the last bit."""
        assert old_great_circle(start, end, step=step) == wm.great_circle(start, end, step=step)

    @given(any_point, st.data(), st.sampled_from([2.0, 0.3]))
    def test_projected_arc(self, start: LonLat, data: st.DataObject, step: float) -> None:
        """One pass per arc gives the projected great circle and where it is cut."""
        end = data.draw(neighbours(start))
        line = old_great_circle(start, end, step=step)
        cuts = [
            (i, p[0], p[1], q[0], q[1])
            for i, (p, q) in enumerate(itertools.pairwise(line), 1)
            if not abs(q[0] - p[0]) <= 180
        ]

        xs, ys, found = wm._projected_arc(start, end, step)

        assert [old_equal_earth(*p) for p in line] == list(zip(xs, ys, strict=True))
        assert cuts == found

    @given(maps(), st.sampled_from(["lt-map", "map"]))
    @example(
        (
            [wm.MapPoint(139.7, 35.7, "Tokyo", home=True), wm.MapPoint(-149.9, 61.2, "Anchorage")],
            [wm.MapArc((139.7, 35.7), (-149.9, 61.2)), wm.MapArc((-149.9, 61.2), (139.7, 35.7))],
            {"font_size": 18.0, "max_zoom": 6.0, "min_zoom": 0.5},
        ),
        "map",
    )
    @example(  # an arc down the antimeridian: a step from 180° to -180° (it divided by zero)
        (
            [wm.MapPoint(1.0, 89.99999999999999, "", home=True), wm.MapPoint(-180.0, 0.0, "")],
            [wm.MapArc((1.0, 89.99999999999999), (-180.0, 0.0))],
            {"font_size": 18.0, "max_zoom": 6.0, "min_zoom": 1.6},
        ),
        "map",
    )
    def test_render(
        self, drawn: tuple[list[wm.MapPoint], list[wm.MapArc], dict[str, float]], prefix: str
    ) -> None:
        """Any map, zoomed in or not, over the antimeridian or the poles, has the same bytes."""
        found, arcs, options = drawn
        texts = {"title": "Ties <&>", "desc": "A & B", "id_prefix": prefix}

        expected = outcome(old_render_svg_map, found, arcs, **texts, **options)

        assert expected == outcome(wm.render_svg_map, found, arcs, **texts, **options)

    @pytest.mark.parametrize("home", ["leiden", "nagasaki", "juigalpa", "krefeld", "buffalo-city"])
    def test_canonical_from_each_city(self, dataset: lt.Dataset, home: str) -> None:
        """The canonical cities, each as home with ties to the others, give the same map."""
        cities = {dataset.home_city.id: dataset.home_city}
        cities |= {p.city: dataset.partner_city(p) for p in dataset.partnerships}
        centre = cities[home].coordinates
        assert centre is not None
        start = (centre.longitude, centre.latitude)
        found = [wm.MapPoint(*start, cities[home].name, home=True)]
        arcs = []
        for city in cities.values():
            if city.id != home and city.coordinates is not None:
                end = (city.coordinates.longitude, city.coordinates.latitude)
                found.append(wm.MapPoint(*end, city.name))
                arcs.append(wm.MapArc(start, end, "twin"))
        for shown in (found, found[:2]):
            ties = arcs[: len(shown) - 1]
            expected = old_render_svg_map(shown, ties, title="t", desc="d", font_size=26)

            assert expected == wm.render_svg_map(shown, ties, title="t", desc="d", font_size=26)

    @pytest.mark.parametrize("count", [wm.ALL_LABELLED - 10, wm.ALL_LABELLED + 30, 400])
    def test_crowded(self, count: int) -> None:
        """Crowded maps (every label placed, some left out, past MAX_LABELS) are the same."""
        home = (4.48, 52.16)
        found = [wm.MapPoint(*home, "Leiden", home=True)]
        arcs = []
        for i in range(count):
            end = (-170.0 + (i * 37) % 340, -60.0 + (i * 11) % 120)
            found.append(wm.MapPoint(*end, f"City {i}"))
            arcs.append(wm.MapArc(home, end, "twin" if i % 2 else ""))

        expected = old_render_svg_map(found, arcs, title="t", desc="d", font_size=10)

        assert expected == wm.render_svg_map(found, arcs, title="t", desc="d", font_size=10)

    def test_steps_of_any_length(self) -> None:
        """Long and short steps, written once and then found again, are as the old path wrote."""
        frame = wm._Frame(1e5, -1.0, 1.0, 600)
        xs, ys = [0.0, 1.0, 1.0, -1.0, 0.5, 0.5], [0.0, 0.0, 0.5, 0.5, 0.5, 1e-5]
        old = OldFrame(*frame)
        points = [
            ((x - old.x0) * old.scale, (old.y0 - y) * old.scale)
            for x, y in zip(xs, ys, strict=True)
        ]
        known: dict[int, dict[int, str]] = {}

        for _ in range(2):
            assert old_path(points, closed=False) == wm._line_path(xs, ys, [], frame, known)
