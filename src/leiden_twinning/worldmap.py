"""Pure geometry for maps: great circles, the antimeridian, Equal Earth, and an inline SVG map.

Nothing here reads the dataset or a locale: callers pass plain points, arcs and texts. Longitudes
and latitudes are WGS 84 degrees, always in ``(longitude, latitude)`` order, as in GeoJSON.

:func:`render_svg_map` draws a self-contained, accessible SVG world map (no script, no external
reference) in the Equal Earth projection (Šavrič, Patterson and Jenny, 2018), with the land
outlines of ``data/land.json`` (Natural Earth 1:110m, public domain; see ``data/land.README.md``).
Every drawn part has a CSS class (``lt-map-*``) and default colours as presentation attributes,
which any page style overrides (dark mode, print).
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

__all__ = [
    "ALL_LABELLED",
    "FRAME_WIDTH",
    "MAP_CSS",
    "MAX_LABELS",
    "LonLat",
    "MapArc",
    "MapPoint",
    "equal_earth",
    "great_circle",
    "label_box",
    "render_svg_map",
    "split_antimeridian",
    "text_width",
]

LonLat = tuple[float, float]

#: The width of the SVG's coordinate frame (``viewBox``); its height follows the extent drawn.
FRAME_WIDTH = 1000

#: The style a page adds for the map: fluid width, dark mode and print.
#: Plain CSS (no URL, no import); the classes are those :func:`render_svg_map` writes.
MAP_CSS = """\
.lt-map { display: block; width: 100%; height: auto; }
@media (prefers-color-scheme: dark) {
  .lt-map-sphere { fill: #14222e; stroke: #3b4b59; }
  .lt-map-land { fill: #33423a; stroke: #53645a; }
  .lt-map-arcs { stroke: #ff8f85; }
  .lt-map-cities { stroke: #14222e; }
  .lt-map-home { fill: #a8d1ff; }
  .lt-map-partner { fill: #ff8f85; }
  .lt-map-labels { fill: #f3f3f3; }
  .lt-map-leader { stroke: #c8c8c8; }
}
@media print {
  .lt-map { break-inside: avoid; max-height: 60vh; }
  .lt-map-sphere { fill: none; stroke: #000000; }
  .lt-map-land { fill: #e0e0e0; stroke: #808080; }
  .lt-map-arcs { stroke: #000000; }
  .lt-map-home { fill: #000000; }
  .lt-map-partner { fill: #ffffff; }
  .lt-map-cities { stroke: #000000; }
  .lt-map-labels { fill: #000000; }
}
"""

# Equal Earth coefficients (Šavrič, Patterson and Jenny 2018).
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
#: Half the width and half the height of the whole Equal Earth map on the unit sphere.
_HALF_WIDTH = 2 * math.sqrt(3) * math.pi / (3 * _A1)
_HALF_HEIGHT = _A4 * (math.pi / 3) ** 9 + _A3 * (math.pi / 3) ** 7 + _A2 * (math.pi / 3) ** 3
_HALF_HEIGHT += _A1 * math.pi / 3
# The products of constants in equal_earth's denominator: ``3 * _A2 * t2`` is ``(3 * _A2) * t2``
# in Python, so working the constant out once leaves every rounding as it was.
_3A2, _7A3, _9A4 = 3 * _A2, 7 * _A3, 9 * _A4


class MapPoint(NamedTuple):
    """A city on the map."""

    #: Degrees east.
    longitude: float
    #: Degrees north.
    latitude: float
    #: The text shown beside the marker.
    label: str
    #: The home city gets a marker of its own.
    home: bool = False


class MapArc(NamedTuple):
    """A tie, drawn as the great circle between two points."""

    start: LonLat
    end: LonLat
    #: A word added to the arc's CSS class (``lt-map-arc-<kind>``), or empty.
    kind: str = ""


# -- the sphere ---------------------------------------------------------------------------------


def _vector(point: LonLat) -> tuple[float, float, float]:
    lon, lat = math.radians(point[0]), math.radians(point[1])
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def _angle(a: Sequence[float], b: Sequence[float]) -> float:
    ax, ay, az = a
    bx, by, bz = b
    cx, cy, cz = ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx
    # sum() of the same terms in the same order as ever (not "+": from Python 3.12 on, sum()
    # of floats rounds differently), without a generator.
    return math.atan2(math.sqrt(sum((cx * cx, cy * cy, cz * cz))), sum((ax * bx, ay * by, az * bz)))


def great_circle(start: LonLat, end: LonLat, *, step: float = 2.0) -> list[LonLat]:
    """Points along the shorter great circle from *start* to *end*, at most *step* degrees apart.

    Both ends are included as given. For two antipodal points, where every great circle is as
    short as any other, the path goes through the point of the equator 90° east of *start*.
    """
    a, b = _vector(start), _vector(end)
    angle = _angle(a, b)
    if angle < 1e-12:
        return [start, end]
    if math.pi - angle < 1e-9:
        middle = (start[0] + 90.0, 0.0) if abs(start[1]) < 89.999999 else (start[0], 0.0)
        middle = (((middle[0] + 180.0) % 360.0) - 180.0, middle[1])
        first = great_circle(start, middle, step=step)
        return first[:-1] + great_circle(middle, end, step=step)
    count = max(1, math.ceil(math.degrees(angle) / step))
    points = [start]
    append = points.append
    sin_angle = math.sin(angle)
    sin, sqrt, degrees, atan2, hypot = math.sin, math.sqrt, math.degrees, math.atan2, math.hypot
    (ax, ay, az), (bx, by, bz) = a, b
    for i in range(1, count):
        t = i / count
        wa = sin((1 - t) * angle) / sin_angle
        wb = sin(t * angle) / sin_angle
        # The point normalised, as longitude and latitude. The squares are added by sum(), as
        # ever: from Python 3.12 on, sum() of floats rounds differently from chained "+".
        x, y, z = wa * ax + wb * bx, wa * ay + wb * by, wa * az + wb * bz
        n = sqrt(sum((x * x, y * y, z * z)))
        x, y, z = x / n, y / n, z / n
        append((degrees(atan2(y, x)), degrees(atan2(z, hypot(x, y)))))
    append(end)
    return points


def split_antimeridian(line: Sequence[LonLat]) -> list[list[LonLat]]:
    """Cut a line where it crosses the antimeridian: one part when it does not cross.

    A step of more than 180° in longitude between two points is taken as a crossing; the line is
    ended at ±180° and continued from ∓180° at the latitude interpolated on the crossing step.
    """
    parts: list[list[LonLat]] = [[line[0]]] if line else []
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(line):
        if abs(lon1 - lon0) <= 180:
            parts[-1].append((lon1, lat1))
            continue
        edge, lat = _crossing(lon0, lat0, lon1, lat1)
        parts[-1].append((edge, lat))
        parts.append([(-edge, lat), (lon1, lat1)])
    return parts


def _crossing(lon0: float, lat0: float, lon1: float, lat1: float) -> LonLat:
    """Where the step from ``(lon0, lat0)`` to ``(lon1, lat1)`` crosses the antimeridian.

    The edge it leaves by (180° or -180°) and the latitude interpolated there. A step that runs
    along the antimeridian (from 180° to -180°) crosses it where it starts.
    """
    east = lon0 > lon1  # going east over 180°, longitudes jump from + to -
    edge = 180.0 if east else -180.0
    unwrapped = lon1 + (360.0 if east else -360.0)
    if unwrapped == lon0:
        return edge, lat0
    t = (edge - lon0) / (unwrapped - lon0)
    return edge, lat0 + t * (lat1 - lat0)


def equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """The Equal Earth projection on the unit sphere: ``(x, y)`` with y growing northwards."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + _3A2 * t2 + t6 * (_7A3 + _9A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return (x, y)


def _equal_earth_all(line: Iterable[LonLat]) -> tuple[list[float], list[float]]:
    """:func:`equal_earth` of every point of *line*, as the list of xs and the list of ys.

    The same operations in the same order as :func:`equal_earth`, inlined: the same floats.
    """
    xs: list[float] = []
    ys: list[float] = []
    add_x, add_y = xs.append, ys.append
    radians, sin, asin, cos = math.radians, math.sin, math.asin, math.cos
    m, a1, a2, a3, a4, a2_3, a3_7, a4_9 = _M, _A1, _A2, _A3, _A4, _3A2, _7A3, _9A4
    for longitude, latitude in line:
        theta = asin(m * sin(radians(latitude)))
        t2 = theta * theta
        t6 = t2 * t2 * t2
        add_x(radians(longitude) * cos(theta) / (m * (a1 + a2_3 * t2 + t6 * (a3_7 + a4_9 * t2))))
        add_y(theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2)))
    return xs, ys


#: Where a line crosses the antimeridian: the index of the point after the crossing step, and
#: the longitudes and latitudes of the points before and after it.
_Cut = tuple[int, float, float, float, float]


def _cuts(line: Sequence[LonLat]) -> list[_Cut]:
    """The steps of *line* that :func:`split_antimeridian` cuts."""
    return [
        (i, lon0, lat0, lon1, lat1)
        for i, ((lon0, lat0), (lon1, lat1)) in enumerate(itertools.pairwise(line), 1)
        if not abs(lon1 - lon0) <= 180
    ]


def _projected_arc(
    start: LonLat, end: LonLat, step: float
) -> tuple[list[float], list[float], list[_Cut]]:
    """``great_circle(start, end, step=step)`` through :func:`equal_earth`, and its cuts.

    The xs, the ys and the :func:`_cuts` of the great circle, in one pass: the operations of
    :func:`great_circle` and :func:`equal_earth`, inlined in the same order (the same floats),
    without building the points.
    """
    a, b = _vector(start), _vector(end)
    angle = _angle(a, b)
    if angle < 1e-12 or math.pi - angle < 1e-9:
        line = great_circle(start, end, step=step)  # both ends only, or through a middle point
        return (*_equal_earth_all(line), _cuts(line))
    count = max(1, math.ceil(math.degrees(angle) / step))
    sin_angle = math.sin(angle)
    sin, sqrt, degrees, atan2, hypot = math.sin, math.sqrt, math.degrees, math.atan2, math.hypot
    radians, asin, cos = math.radians, math.asin, math.cos
    m, a1, a2, a3, a4, a2_3, a3_7, a4_9 = _M, _A1, _A2, _A3, _A4, _3A2, _7A3, _9A4
    (ax, ay, az), (bx, by, bz) = a, b
    lon0, lat0 = start
    xs, ys = _equal_earth_all((start,))
    add_x, add_y = xs.append, ys.append
    cuts: list[_Cut] = []
    # The squares summed by sum(), as great_circle does, in one list used again and again: a
    # new tuple per point would be garbage for the collector to look at.
    squares = [0.0, 0.0, 0.0]
    for i in range(1, count):
        t = i / count
        wa = sin((1 - t) * angle) / sin_angle
        wb = sin(t * angle) / sin_angle
        x = wa * ax + wb * bx
        y = wa * ay + wb * by
        z = wa * az + wb * bz
        squares[0] = x * x
        squares[1] = y * y
        squares[2] = z * z
        n = sqrt(sum(squares))
        x = x / n
        y = y / n
        lon = degrees(atan2(y, x))
        lat = degrees(atan2(z / n, hypot(x, y)))
        # abs(lon - lon0) <= 180, as split_antimeridian asks (a NaN fails both).
        if not -180 <= lon - lon0 <= 180:
            cuts.append((i, lon0, lat0, lon, lat))
        lon0 = lon
        lat0 = lat
        theta = asin(m * sin(radians(lat)))
        t2 = theta * theta
        t6 = t2 * t2 * t2
        add_x(radians(lon) * cos(theta) / (m * (a1 + a2_3 * t2 + t6 * (a3_7 + a4_9 * t2))))
        add_y(theta * (a1 + a2 * t2 + t6 * (a3 + a4 * t2)))
    lon, lat = end
    if not -180 <= lon - lon0 <= 180:
        cuts.append((count, lon0, lat0, lon, lat))
    x, y = equal_earth(lon, lat)
    add_x(x)
    add_y(y)
    return xs, ys, cuts


# -- labels ---------------------------------------------------------------------------------------

_NARROW = frozenset("fijlrtI.,:;'!|() ")
_WIDE = frozenset("mwMW@")


def _escape(text: str) -> str:
    """*text* as SVG character data: ``&``, ``<`` and ``>`` as entities, as ``xml.sax`` does.

    >>> _escape("Leiden & <Oxford>")
    'Leiden &amp; &lt;Oxford&gt;'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_width(text: str, font_size: float) -> float:
    """A generous estimate of the width of *text* in a sans-serif font of *font_size*.

    Capitals and wide letters count more, narrow ones less; the estimate errs on the wide side
    so that boxes computed from it never underestimate the drawn text.
    """
    em = 0.0
    for char in text:
        if char in _WIDE:
            em += 0.95
        elif char in _NARROW:
            em += 0.42
        elif char.isupper():
            em += 0.78
        else:
            em += 0.66
    return em * font_size


Box = tuple[float, float, float, float]  # left, top, right, bottom


def label_box(x: float, y: float, anchor: str, text: str, font_size: float) -> Box:
    """The box of a label drawn at baseline point *(x, y)* with ``text-anchor`` *anchor*."""
    width = text_width(text, font_size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    # A font's ascent reaches up to about 0.95 em above the baseline, its descent 0.3 em below.
    return (left, y - 0.95 * font_size, left + width, y + 0.3 * font_size)


def _candidates(x: float, y: float, gap: float, size: float) -> Iterable[tuple[float, float, str]]:
    """Label positions around a marker, nearest first: right, left, above, below, diagonals."""
    for ring in (1.0, 2.2, 3.6, 5.2):
        d = gap * ring
        yield (x + d, y + 0.3 * size, "start")
        yield (x - d, y + 0.3 * size, "end")
        yield (x, y - d, "middle")
        yield (x, y + d + 0.8 * size, "middle")
        yield (x + d * 0.8, y - d * 0.6, "start")
        yield (x + d * 0.8, y + d * 0.6 + 0.8 * size, "start")
        yield (x - d * 0.8, y - d * 0.6, "end")
        yield (x - d * 0.8, y + d * 0.6 + 0.8 * size, "end")


class _BoxIndex:
    """Boxes on a grid of cells, to find those near a box without looking at them all."""

    #: Cell keys are ``column * _ROWS + row``: rows stay far below this in any drawing.
    _ROWS = 1 << 32

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self.cells: dict[int, list[Box]] = {}

    def _cells(self, box: Box) -> Iterator[range]:
        """The keys of the cells *box* touches: a range of them per column."""
        width, height, rows = self.width, self.height, self._ROWS
        floor = math.floor
        top, bottom = floor(box[1] / height), floor(box[3] / height) + 1
        for i in range(floor(box[0] / width) * rows, (floor(box[2] / width) + 1) * rows, rows):
            yield range(i + top, i + bottom)

    def add(self, box: Box) -> None:
        """Add *box* to every cell it touches; a box of no area overlaps nothing and is not kept."""
        if box[2] <= box[0] or box[3] <= box[1]:
            return
        cells = self.cells
        get = cells.get
        for column in self._cells(box):
            for cell in column:
                found = get(cell)
                if found is None:
                    cells[cell] = [box]
                else:
                    found.append(box)

    def free(self, box: Box) -> bool:
        """Whether *box* overlaps none of the boxes (touching edges do not overlap)."""
        left, top, right, bottom = box
        if right <= left or bottom <= top:
            return True  # a box of no area overlaps nothing
        # The cells of _cells(box), without a generator: this is the labels' inner loop.
        width, height, rows = self.width, self.height, self._ROWS
        first, last = math.floor(top / height), math.floor(bottom / height) + 1
        get = self.cells.get
        for i in range(
            math.floor(left / width) * rows, (math.floor(right / width) + 1) * rows, rows
        ):
            for cell in range(i + first, i + last):
                found = get(cell)
                if found is not None:
                    for o_left, o_top, o_right, o_bottom in found:
                        if o_left < right and o_right > left and o_top < bottom and o_bottom > top:
                            return False
        return True


#: The most labels a map tries to place (the first marks, the home city first): a map
#: :data:`FRAME_WIDTH` wide has room for far fewer side by side.
MAX_LABELS = 200
#: A map of at most this many marks labels every one, where it overlaps least if it must.
ALL_LABELLED = 50


def _overlap(box: Box, other: Box) -> float:
    w = min(box[2], other[2]) - max(box[0], other[0])
    h = min(box[3], other[3]) - max(box[1], other[1])
    return w * h if w > 0 and h > 0 else 0.0


def _least_overlap(
    tried: Sequence[tuple[float, tuple[float, float, str], Box]], others: Sequence[Box]
) -> tuple[tuple[float, float, str], Box]:
    """Of the positions *tried* (penalty, position, box), the first whose overlaps cost least."""
    best = None
    for penalty, position, box in tried:
        cost = sum(_overlap(box, other) for other in others) + penalty
        if best is None or cost < best[0]:
            best = (cost, position, box)
    assert best is not None  # noqa: S101 - _candidates always yields
    return best[1], best[2]


def _place_labels(
    marks: Sequence[tuple[float, float, str]],
    obstacles: Sequence[Box],
    frame: Box,
    font_size: float,
    gap: float,
) -> list[tuple[float, float, str] | None]:
    """Greedy placement: each label takes its first position that overlaps nothing placed.

    Labels are placed in the order given; a position must lie inside *frame* and overlap no
    marker (*obstacles*) and no label placed before. Where none does, a map of at most
    :data:`ALL_LABELLED` marks takes the position overlapping least (the sum of its overlaps
    with the labels placed, in their order, and the markers, plus a penalty for what sticks out
    of the frame): a small map names every city. A larger map leaves such a label out
    (``None``): crowded, it could only be drawn over another, unreadable, and the page's list
    still names every city. Only the first :data:`MAX_LABELS` marks are tried (a map has room
    for far fewer), and a try looks only at the boxes near a position: the time grows with the
    number of marks, not with its square.
    """
    index = _BoxIndex(max(font_size * 2, 1.0), max(font_size, 1.0))
    for obstacle in obstacles:
        index.add(obstacle)
    every = len(marks) <= ALL_LABELLED
    placed: list[Box] = []
    f_left, f_top, f_right, f_bottom = frame
    # As label_box computes them.
    ascent, descent = 0.95 * font_size, 0.3 * font_size
    chosen: list[tuple[float, float, str] | None] = []
    for rank, (x, y, text) in enumerate(marks):
        if rank >= MAX_LABELS:
            chosen.append(None)
            continue
        width = text_width(text, font_size)
        found = None
        tried: list[tuple[float, tuple[float, float, str], Box]] = []
        for cx, cy, anchor in _candidates(x, y, gap, font_size):
            if anchor == "start":
                left = cx
            elif anchor == "middle":
                left = cx - width / 2
            else:
                left = cx - width
            box = (left, cy - ascent, left + width, cy + descent)
            # Inside the frame: each of the differences summed below is > 0 for none (for
            # floats, a - b > 0 exactly when a > b, and the sum of terms >= 0 is 0 only when each
            # is 0; a NaN is never greater, as max(0.0, NaN) is 0.0).
            inside = not (
                f_left > box[0] or box[2] > f_right or f_top > box[1] or box[3] > f_bottom
            )
            if inside and index.free(box):
                found = (cx, cy, anchor), box
                break
            if every:
                outside = (
                    max(0.0, f_left - box[0])
                    + max(0.0, box[2] - f_right)
                    + max(0.0, f_top - box[1])
                    + max(0.0, box[3] - f_bottom)
                )
                tried.append((outside * font_size * 10, (cx, cy, anchor), box))
        if found is None and every:
            found = _least_overlap(tried, (*placed, *obstacles))
        if found is None:
            chosen.append(None)
            continue
        index.add(found[1])
        placed.append(found[1])
        chosen.append(found[0])
    return chosen


# -- the land -------------------------------------------------------------------------------------


@functools.cache
def land_rings() -> tuple[tuple[LonLat, ...], ...]:
    """The land outlines of ``data/land.json``: rings of ``(longitude, latitude)``."""
    data = json.loads(
        resources.files("leiden_twinning").joinpath("data", "land.json").read_text(encoding="utf-8")
    )
    return tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in data["rings"])


# -- the SVG --------------------------------------------------------------------------------------


class _Frame(NamedTuple):
    """Maps unit-sphere Equal Earth coordinates to the SVG frame."""

    scale: float
    x0: float
    y0: float
    height: int

    def __call__(self, point: LonLat) -> tuple[float, float]:
        x, y = equal_earth(*point)
        return ((x - self.x0) * self.scale, (self.y0 - y) * self.scale)


_Bounds = tuple[float, float, float, float]  # the least and most x, the least and most y


def _bounds(columns: Iterable[tuple[Sequence[float], Sequence[float]]]) -> _Bounds | None:
    """The extent of the points given as columns of xs and ys; ``None`` when there are none."""
    xs = [c[0] for c in columns if c[0]]
    ys = [c[1] for c in columns if c[1]]
    if not xs:
        return None
    return (min(map(min, xs)), max(map(max, xs)), min(map(min, ys)), max(map(max, ys)))


def _frame(bounds: _Bounds | None, *, max_zoom: float, min_zoom: float) -> _Frame:
    """The world, or the region of *bounds* (padded) when it is small enough to zoom into."""
    world = _Frame(FRAME_WIDTH / (2 * _HALF_WIDTH), -_HALF_WIDTH, _HALF_HEIGHT, 0)
    world = world._replace(height=round(2 * _HALF_HEIGHT * world.scale))
    if bounds is None:
        return world
    min_x, max_x, min_y, max_y = bounds
    width, height = max_x - min_x, max_y - min_y
    pad = max(width, height, 0.05) * 0.25
    left, right = min_x - pad, max_x + pad
    bottom, top = min_y - pad, max_y + pad
    aspect = 0.6  # height / width of a regional frame
    width, height = right - left, top - bottom
    if height > width * aspect:
        grow = (height / aspect - width) / 2
        left, right = left - grow, right + grow
    else:
        grow = (width * aspect - height) / 2
        bottom, top = bottom - grow, top + grow
    zoom = (2 * _HALF_WIDTH) / (right - left)
    if zoom < min_zoom:
        return world
    if zoom > max_zoom:
        cx, cy = (left + right) / 2, (top + bottom) / 2
        half = _HALF_WIDTH / max_zoom
        left, right, top, bottom = cx - half, cx + half, cy + half * aspect, cy - half * aspect
    # Slide the frame back inside the world map where it sticks out (above a pole, say).
    dx = max(0.0, -_HALF_WIDTH - left) - max(0.0, right - _HALF_WIDTH)
    dy = max(0.0, -_HALF_HEIGHT - bottom) - max(0.0, top - _HALF_HEIGHT)
    left, right, top, bottom = left + dx, right + dx, top + dy, bottom + dy
    scale = FRAME_WIDTH / (right - left)
    return _Frame(scale, left, top, round((top - bottom) * scale))


def _ring(points: Iterable[tuple[float, float]]) -> str:
    """A compact closed path: an absolute move, relative integer steps (repeats dropped), ``z``.

    The arcs are written by :func:`_line_path`, with the same moves and steps.
    """
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
    return "".join(out) + "z" if out else ""


#: The steps a map has written, by ``dx`` then ``dy``: ``l`` and the numbers (see :func:`_steps`).
_Known = dict[int, dict[int, str]]


def _steps(
    xs: Iterable[float],
    ys: Iterable[float],
    frame: _Frame,
    last: tuple[int, int],
    *,
    out: list[str],
    known: _Known,
) -> tuple[int, int]:
    """Add to *out* the steps to the points *xs*, *ys* from *last*, as :func:`_ring` writes them.

    A step is formatted once per map and then found in *known* (a map repeats many, and a dict
    of dicts needs no tuple per step). Returns the last point, rounded.
    """
    scale, x0, y0 = frame.scale, frame.x0, frame.y0
    last_x, last_y = last
    append, get = out.append, known.get
    for x, y in zip(xs, ys, strict=True):
        here_x = round((x - x0) * scale)
        here_y = round((y0 - y) * scale)
        if here_x != last_x or here_y != last_y:
            dx = here_x - last_x
            dy = here_y - last_y
            row = get(dx)
            if row is None:
                row = known[dx] = {}
            step = row.get(dy)
            if step is None:
                step = row[dy] = f"l{dx} {dy}" if dy >= 0 else f"l{dx}{dy}"
            append(step)
            last_x = here_x
            last_y = here_y
    return last_x, last_y


def _line_path(
    xs: Sequence[float],
    ys: Sequence[float],
    cuts: Sequence[_Cut],
    frame: _Frame,
    known: _Known,
) -> str:
    """The path of each part of a line cut at the antimeridian, joined, as :func:`_ring` writes it.

    Each part is a move and steps (no ``z``). *xs* and *ys* are the :func:`equal_earth` of the
    points of the line and *cuts* its :func:`_cuts`: the parts are those of
    :func:`split_antimeridian`, with the same operations.
    """
    scale, x0, y0 = frame.scale, frame.x0, frame.y0
    last = (round((xs[0] - x0) * scale), round((y0 - ys[0]) * scale))
    out = [f"M{last[0]} {last[1]}"]
    begin = 1
    for index, lon0, lat0, lon1, lat1 in cuts:
        last = _steps(xs[begin:index], ys[begin:index], frame, last, out=out, known=known)
        edge, lat = _crossing(lon0, lat0, lon1, lat1)
        x, y = equal_earth(edge, lat)
        _steps((x,), (y,), frame, last, out=out, known=known)
        x, y = equal_earth(-edge, lat)
        last = (round((x - x0) * scale), round((y0 - y) * scale))
        out.append(f"M{last[0]} {last[1]}")
        begin = index
    _steps(xs[begin:], ys[begin:], frame, last, out=out, known=known)
    return "".join(out)


def _visible(points: Sequence[tuple[float, float]], frame: _Frame) -> bool:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return max(xs) >= 0 and min(xs) <= FRAME_WIDTH and max(ys) >= 0 and min(ys) <= frame.height


@functools.cache
def _land_projected() -> tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]:
    """The :func:`equal_earth` of every ring of :func:`land_rings` (xs, ys), worked out once."""
    found = []
    for ring in land_rings():
        xs, ys = _equal_earth_all(ring)
        found.append((tuple(xs), tuple(ys)))
    return tuple(found)


@functools.lru_cache(maxsize=16)
def _backdrop(frame: _Frame) -> tuple[str, str]:
    """The paths of the sphere and of the land in *frame*: the same for every map so framed.

    Kept for the last few frames (the world's is the most common): they depend on nothing else.
    """
    scale, x0, y0 = frame.scale, frame.x0, frame.y0
    east = [(180.0, lat) for lat in range(-90, 91, 5)]
    west = [(-180.0, lat) for lat in range(90, -91, -5)]
    sphere = _ring(frame(p) for p in east + west)
    land: list[str] = []
    for xs, ys in _land_projected():
        projected = [((x - x0) * scale, (y0 - y) * scale) for x, y in zip(xs, ys, strict=True)]
        if _visible(projected, frame):
            land.append(_ring(projected))
    return sphere, "".join(land)


def render_svg_map(
    points: Sequence[MapPoint],
    arcs: Sequence[MapArc],
    *,
    title: str,
    desc: str,
    id_prefix: str = "lt-map",
    font_size: float = 18.0,
    max_zoom: float = 6.0,
    min_zoom: float = 1.6,
) -> str:
    """An inline SVG map of *points* joined by great-circle *arcs*, as one string.

    The map shows the whole world, or zooms in (at most *max_zoom* times) on the points and arcs
    when together they cover a small enough region that a zoom of at least *min_zoom* fits.
    Labels are placed greedily, in the order of *points*, where they overlap no other label and
    no marker; a point with no such place (or after the first :data:`MAX_LABELS`) has no label,
    so the page should name every point in text too. The SVG has ``role="img"`` and is named by
    its ``<title>`` and described by its ``<desc>`` (*title* and *desc*, escaped here), which
    ``aria-labelledby`` and ``aria-describedby`` point to with ids starting with *id_prefix*.

    CSS classes: ``lt-map`` (the ``svg``), ``lt-map-sphere``, ``lt-map-land``, ``lt-map-arc`` and
    ``lt-map-arc-<kind>``, ``lt-map-city`` with ``lt-map-home`` or ``lt-map-partner``,
    ``lt-map-label`` and ``lt-map-leader``.
    """
    columns = [_projected_arc(arc.start, arc.end, 2.0) for arc in arcs]
    marks_x, marks_y = _equal_earth_all((p.longitude, p.latitude) for p in points)
    bounds = _bounds([(marks_x, marks_y), *((xs, ys) for xs, ys, _ in columns)])
    frame = _frame(bounds, max_zoom=max_zoom, min_zoom=min_zoom)
    scale, x0, y0 = frame.scale, frame.x0, frame.y0

    # Zoomed in, the arcs get more points, to stay as smooth as on the world map.
    zoom = frame.scale * 2 * _HALF_WIDTH / FRAME_WIDTH
    if zoom > 1:
        columns = [_projected_arc(arc.start, arc.end, 2.0 / zoom) for arc in arcs]
    sphere, land = _backdrop(frame)
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="lt-map" '
            f'viewBox="0 0 {FRAME_WIDTH} {frame.height}" role="img" '
            f'aria-labelledby="{id_prefix}-title" aria-describedby="{id_prefix}-desc">'
        ),
        f'<title id="{id_prefix}-title">{_escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_escape(desc)}</desc>',
        f'<path class="lt-map-sphere" fill="#eef3f7" stroke="#b8c4ce" d="{sphere}"/>',
        (
            '<path class="lt-map-land" fill="#d5dbc9" stroke="#a9b39a" stroke-width="0.5" '
            f'fill-rule="evenodd" d="{land}"/>'
        ),
        '<g class="lt-map-arcs" fill="none" stroke="#b3261e" stroke-width="2">',
    ]
    known: _Known = {}
    for arc, (xs, ys, cuts) in zip(arcs, columns, strict=True):
        d = _line_path(xs, ys, cuts, frame, known)
        kind = f" lt-map-arc-{arc.kind}" if arc.kind else ""
        out.append(f'<path class="lt-map-arc{kind}" d="{d}"/>')
    out.append("</g>")
    radius = font_size * 0.35
    marks = [
        ((x - x0) * scale, (y0 - y) * scale, p.label)
        for p, x, y in zip(points, marks_x, marks_y, strict=True)
    ]
    obstacles = [(x - radius, y - radius, x + radius, y + radius) for x, y, _ in marks]
    placed = _place_labels(
        marks, obstacles, (0.0, 0.0, float(FRAME_WIDTH), float(frame.height)), font_size, radius * 2
    )
    out.append('<g class="lt-map-cities" stroke="#ffffff" stroke-width="1.5">')
    # The home city last, so that no partner's marker hides it.
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
            continue  # no room: the list below the map names the city
        x, y, anchor = position
        if math.hypot(x - mx, y - my) > radius * 5:
            out.append(
                f'<path class="lt-map-leader" fill="none" stroke="#555555" stroke-width="0.8" '
                f'd="M{mx:.1f} {my:.1f}L{x:.1f} {y - 0.3 * font_size:.1f}"/>'
            )
        out.append(
            f'<text class="lt-map-label" x="{x:.1f}" y="{y:.1f}" '
            f'text-anchor="{anchor}">{_escape(text)}</text>'
        )
    out.append("</g></svg>")
    return "\n".join(out)
