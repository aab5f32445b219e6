"""``tools/make_land.py``: TopoJSON decoding, antimeridian and polar cuts, simplification."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "make_land.py"
SCALE = 0.01


def arc(points: list[tuple[float, float]]) -> list[list[int]]:
    """Quantise and delta-encode *points* the way TopoJSON stores an arc."""
    quantised = [(round((lon + 180) / SCALE), round((lat + 90) / SCALE)) for lon, lat in points]
    deltas = [list(quantised[0])]
    deltas += [[b[0] - a[0], b[1] - a[1]] for a, b in itertools.pairwise(quantised)]
    return deltas


def topology() -> dict[str, Any]:
    """A square island, a ring over the antimeridian, a ring round the south pole, an islet."""
    island = [(10.0, 10.0), (20.0, 10.0), (20.0, 20.0), (15.0, 20.05), (10.0, 20.0), (10.0, 10.0)]
    pacific = [(170.0, 60.0), (-170.0, 60.0), (-170.0, 70.0), (170.0, 70.0), (170.0, 60.0)]
    polar = [(-180.0, -70.0), (-90.0, -75.0), (0.0, -70.0), (90.0, -75.0), (-180.0, -70.0)]
    islet = [(50.0, 0.0), (50.5, 0.0), (50.5, 0.5), (50.0, 0.0)]
    # The island is stored as two arcs, the second one reversed (~1).
    first, second = island[:3], island[2:][::-1]
    return {
        "type": "Topology",
        "transform": {"scale": [SCALE, SCALE], "translate": [-180, -90]},
        "arcs": [arc(first), arc(second), arc(pacific), arc(polar), arc(islet)],
        "objects": {
            "land": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "MultiPolygon", "arcs": [[[0, ~1]], [[2]], [[4]]]},
                    {"type": "Polygon", "arcs": [[3]]},
                    {"type": "LineString", "arcs": [0]},
                ],
            }
        },
    }


def run(tmp_path: Path, *extra: str) -> tuple[dict[str, Any], bytes]:
    """Run the tool on the synthetic topology; the parsed asset and its bytes."""
    source = tmp_path / "land-110m.json"
    source.write_text(json.dumps(topology()), encoding="utf-8")
    output = tmp_path / "land.json"
    done = subprocess.run(
        [sys.executable, str(TOOL), str(source), "--output", str(output), *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    assert "rings" in done.stdout
    data = output.read_bytes()
    return json.loads(data), data


class TestMakeLand:
    """The generated asset, read back as JSON."""

    def test_provenance(self, tmp_path: Path) -> None:
        """The asset names its source package, the licence and the simplification settings."""
        asset, _ = run(tmp_path)

        assert "world-atlas@2.0.2" in asset["source"]
        assert "public domain" in asset["licence"]
        assert (0.25, 1.0) == (asset["tolerance_degrees"], asset["min_area_square_degrees"])

    def test_rings(self, tmp_path: Path) -> None:
        """Island kept and simplified, Pacific ring cut in two, polar ring closed, islet dropped."""
        rings = run(tmp_path)[0]["rings"]
        boxes = sorted(
            (min(p[0] for p in r), max(p[0] for p in r), min(p[1] for p in r), max(p[1] for p in r))
            for r in rings
        )

        assert [
            (-180.0, -170.0, 60.0, 70.0),
            (-180.0, 180.0, -90.0, -70.0),
            (10.0, 20.0, 10.0, 20.0),
            (170.0, 180.0, 60.0, 70.0),
        ] == boxes
        island = next(r for r in rings if r[0][0] >= 10 and r[0][1] >= 10)
        # The 0.05° bump at (15, 20.05) is under the tolerance: four corners remain.
        assert 4 == len(island)
        assert all(
            abs(b[0] - a[0]) <= 180 or a[1] == b[1] == -90
            for r in rings
            for a, b in itertools.pairwise(r)
        )

    def test_deterministic_and_options(self, tmp_path: Path) -> None:
        """Same input, same bytes; a zero tolerance keeps the bump, a huge min-area drops all."""
        first = run(tmp_path)[1]

        assert first == run(tmp_path)[1]
        kept = run(tmp_path, "--tolerance", "0")[0]["rings"]
        assert any([15.0, 20.05] in r for r in kept)
        assert [] == run(tmp_path, "--min-area", "100000")[0]["rings"]

    def test_untransformed_topology(self, tmp_path: Path) -> None:
        """A topology without a transform holds plain degrees, read as they are."""
        plain = {
            "type": "Topology",
            "arcs": [[[0, 0], [5, 0], [5, 5], [0, 5], [0, 0]]],
            "objects": {"land": {"type": "Polygon", "arcs": [[0]]}},
        }
        source = tmp_path / "plain.json"
        source.write_text(json.dumps(plain), encoding="utf-8")
        output = tmp_path / "out.json"
        subprocess.run(
            [sys.executable, str(TOOL), str(source), "-o", str(output)],
            check=True,
            capture_output=True,
        )

        assert [[[0, 0], [5, 0], [5, 5], [0, 5]]] == json.loads(output.read_bytes())["rings"]


@pytest.mark.parametrize("name", ["land.json", "land.README.md"])
def test_the_asset_and_its_readme_are_shipped(name: str) -> None:
    """The package holds the generated asset and the README with its provenance."""
    assert (ROOT / "src" / "leiden_twinning" / "data" / name).is_file()
