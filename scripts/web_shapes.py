"""Regenerate the web's map shapes (src/track287g/web/shapes.json) from the inset GeoJSON files.

Usage: python scripts/web_shapes.py GEO_DIR
GEO_DIR holds us-counties-inset.geojson and us-states-inset.geojson (lon/lat, Alaska and Hawaii inset). The output
holds every county and state as an SVG path in one flat projection (x = lon * cos 38°, y = -lat, scaled to 1000
units wide, 2 decimals), keyed by FIPS, with names and bounding boxes: the server only joins colors to it.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "track287g" / "web" / "shapes.json"
K = math.cos(math.radians(38))


def rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def main(geo_dir: str) -> int:
    base = Path(geo_dir)
    counties = json.loads((base / "us-counties-inset.geojson").read_text())["features"]
    states = json.loads((base / "us-states-inset.geojson").read_text())["features"]
    points = [p for f in states for r in rings(f["geometry"]) for p in r]
    min_x = min(p[0] for p in points) * K
    max_x = max(p[0] for p in points) * K
    max_y = max(p[1] for p in points)
    min_y = min(p[1] for p in points)
    scale = 1000 / (max_x - min_x)

    def path(geometry: dict) -> tuple[str, list[float]]:
        parts, xs, ys = [], [], []
        for ring in rings(geometry):
            pts: list[tuple[float, float]] = []
            for lon, lat in ring:
                p = (round((lon * K - min_x) * scale, 2), round((max_y - lat) * scale, 2))
                if not pts or p != pts[-1]:
                    pts.append(p)
            if len(pts) < 3:
                continue
            xs += [p[0] for p in pts]
            ys += [p[1] for p in pts]
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in pts) + "Z")
        return "".join(parts), [min(xs), min(ys), max(xs), max(ys)]

    out: dict = {"width": 1000, "height": round((max_y - min_y) * scale, 2), "states": {}, "counties": {}}
    for f in states:
        d, box = path(f["geometry"])
        out["states"][f["id"]] = {"name": f["properties"]["name"], "d": d, "box": box}
    for f in counties:
        d, box = path(f["geometry"])
        out["counties"][f["id"]] = {"name": f["properties"]["name"], "d": d, "box": box}
    OUT.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{OUT}: {len(out['states'])} states, {len(out['counties'])} counties, {OUT.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    raise SystemExit(main(sys.argv[1]))
