"""Regenerate ``src/leiden_twinning/data/land.json``: simplified land outlines.

The source is Natural Earth's 1:110m land (public domain) as the npm package ``world-atlas``
redistributes it in TopoJSON. Nothing is downloaded by this script; install the package into a
scratch folder first, never into the repository::

    npm install --prefix /tmp/world-atlas world-atlas@2.0.2
    python tools/make_land.py /tmp/world-atlas/node_modules/world-atlas/land-110m.json

What it does, in order:

1. decodes the TopoJSON topology (quantised, delta-encoded arcs) into rings of
   ``[longitude, latitude]`` in degrees;
2. makes every ring planar: a ring that crosses the antimeridian is unwrapped and cut along
   ±180°, and a ring around a pole (Antarctica) is closed along that pole, so that any
   pseudo-cylindrical projection can draw the rings as they are;
3. simplifies each ring (Douglas-Peucker, ``--tolerance`` degrees) and drops rings smaller than
   ``--min-area`` square degrees;
4. writes the rings, with their provenance, as compact JSON with ``--decimals`` decimals.

The output is deterministic: the same input and options give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

Point = tuple[float, float]
Ring = list[Point]

#: Where the asset lives in the package.
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent / "src" / "leiden_twinning" / "data" / "land.json"
)
#: The package and version the asset is made from (written into the asset).
SOURCE_PACKAGE = "world-atlas@2.0.2"


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """The arcs of a quantised TopoJSON topology, in degrees."""
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        points: Ring = []
        x = y = 0.0
        for position in arc:
            if transform is None:
                points.append((float(position[0]), float(position[1])))
                continue
            x += position[0]
            y += position[1]
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from_arcs(indexes: list[int], arcs: list[Ring]) -> Ring:
    """Join arcs into one ring; a negative index ``~i`` is arc *i* reversed."""
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def rings(topology: dict[str, Any], name: str) -> list[Ring]:
    """Every ring (outer boundaries and holes alike) of the object *name*."""
    arcs = decode_arcs(topology)
    found: list[Ring] = []
    obj = topology["objects"][name]
    geometries = obj["geometries"] if obj["type"] == "GeometryCollection" else [obj]
    for geometry in geometries:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        found.extend(ring_from_arcs(r, arcs) for polygon in polygons for r in polygon)
    return found


def unwrap(ring: Ring) -> Ring:
    """The ring with continuous longitudes (no jump of more than 180° between two points)."""
    out: Ring = [ring[0]]
    for raw, lat in ring[1:]:
        previous = out[-1][0]
        lon = raw
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        out.append((lon, lat))
    return out


def close_polar(ring: Ring) -> Ring:
    """Close a ring whose unwrapped longitudes go once round the earth along the nearer pole."""
    turn = ring[-1][0] - ring[0][0]
    if abs(turn) < 180:
        return ring
    pole = -90.0 if sum(lat for _, lat in ring) < 0 else 90.0
    return [*ring, (ring[-1][0], pole), (ring[0][0], pole), ring[0]]


def clip(ring: Ring, limit: float, *, keep_below: bool) -> Ring:
    """Sutherland-Hodgman clipping of *ring* by the meridian ``lon = limit``."""

    def inside(p: Point) -> bool:
        return p[0] <= limit if keep_below else p[0] >= limit

    def cross(a: Point, b: Point) -> Point:
        t = (limit - a[0]) / (b[0] - a[0])
        return (limit, a[1] + t * (b[1] - a[1]))

    out: Ring = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(cross(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(cross(previous, current))
    return out


def planar(ring: Ring) -> list[Ring]:
    """Cut *ring* at the antimeridian into rings whose longitudes lie within ±180°."""
    flat = close_polar(unwrap(ring))
    if flat[0] != flat[-1]:
        flat.append(flat[0])
    pieces: list[Ring] = []
    for shift in (-360.0, 0.0, 360.0):
        moved = [(lon + shift, lat) for lon, lat in flat]
        piece = clip(clip(moved, 180.0, keep_below=True), -180.0, keep_below=False)
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


def _distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker simplification of an open polyline (its two ends are kept)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(ring: Ring) -> float:
    """The planar area of a ring in square degrees (shoelace formula, unsigned)."""
    total = 0.0
    for i, (x1, y1) in enumerate(ring):
        x0, y0 = ring[i - 1]
        total += x0 * y1 - x1 * y0
    return abs(total) / 2


def build(
    topology: dict[str, Any], *, tolerance: float, min_area: float, decimals: int
) -> dict[str, Any]:
    """The asset: simplified planar rings with their provenance."""
    out: list[list[list[float]]] = []
    for ring in rings(topology, "land"):
        for piece in planar(ring):
            # Split the closed ring at the point farthest from its start: both halves keep it.
            start = piece[0]
            middle = max(
                range(len(piece)),
                key=lambda i: math.hypot(piece[i][0] - start[0], piece[i][1] - start[1]),
            )
            simple = simplify(piece[: middle + 1], tolerance)[:-1] + simplify(
                piece[middle:], tolerance
            )
            rounded = [[round(lon, decimals), round(lat, decimals)] for lon, lat in simple]
            deduplicated = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
            if deduplicated[0] == deduplicated[-1]:
                deduplicated.pop()
            if len(deduplicated) >= 3 and area([(p[0], p[1]) for p in deduplicated]) >= min_area:
                out.append(deduplicated)
    out.sort(key=lambda r: (-area([(p[0], p[1]) for p in r]), r[0]))
    return {
        "source": f"Natural Earth 1:110m land, via the npm package {SOURCE_PACKAGE}",
        "licence": "public domain (Natural Earth)",
        "tolerance_degrees": tolerance,
        "min_area_square_degrees": min_area,
        "rings": out,
    }


def main(argv: list[str] | None = None) -> int:
    """Read the TopoJSON file, write the asset, print its size and counts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topojson", type=Path, help="world-atlas's land-110m.json")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--tolerance", type=float, default=0.25, help="degrees (default 0.25)")
    parser.add_argument("--min-area", type=float, default=1.0, help="square degrees (default 1)")
    parser.add_argument("--decimals", type=int, default=2, help="decimals kept (default 2)")
    args = parser.parse_args(argv)
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    asset = build(
        topology, tolerance=args.tolerance, min_area=args.min_area, decimals=args.decimals
    )
    text = json.dumps(asset, separators=(",", ":"), ensure_ascii=False) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    points = sum(len(r) for r in asset["rings"])
    sys.stdout.write(
        f"{args.output}: {len(asset['rings'])} rings, {points} points, {len(text)} bytes\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
