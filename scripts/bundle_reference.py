"""Regenerate the bundled reference data in src/track287g/data/reference/ from the original files.

Usage: python scripts/bundle_reference.py SOURCE_DIR
SOURCE_DIR holds fbi-lee-2025.csv, fbi-ucr-agencies-2021.csv, census-county-population-2024.csv (Latin-1)
and geo/us-{counties,states}-inset.geojson. The outputs keep only the columns track287g reads (UTF-8), and the
shapes with coordinates rounded to 4 decimals (about 10 m), consecutive duplicate points dropped.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from track287g.enrich.rosters import LEE_COLUMNS, UCR_COLUMNS

OUT = Path(__file__).resolve().parents[1] / "src" / "track287g" / "data" / "reference"

CENSUS_COLUMNS = ["SUMLEV", "STATE", "COUNTY", "STNAME", "CTYNAME", "ESTIMATESBASE2020", "POPESTIMATE2024"]


def trim_csv(source: Path, target: Path, columns: list[str], encoding: str = "utf-8") -> None:
    with source.open(newline="", encoding=encoding) as f, target.open("w", newline="", encoding="utf-8") as g:
        reader = csv.DictReader(f)
        writer = csv.writer(g, lineterminator="\n")
        writer.writerow(columns)
        for row in reader:
            writer.writerow([row[c] for c in columns])


def _round_ring(ring: list) -> list:
    out: list = []
    for x, y in ring:
        point = [round(x, 4), round(y, 4)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def _round_polygon(polygon: list) -> list:
    """A polygon's rings rounded; a ring that collapses below 4 points is dropped (the polygon, if the outer)."""
    rings = [_round_ring(r) for r in polygon]
    if len(rings[0]) < 4:
        return []
    return [rings[0]] + [r for r in rings[1:] if len(r) >= 4]


def _round_geometry(geometry: dict) -> dict:
    if geometry["type"] == "Polygon":
        polys = [_round_polygon(geometry["coordinates"])]
    elif geometry["type"] == "MultiPolygon":
        polys = [_round_polygon(p) for p in geometry["coordinates"]]
    else:
        raise ValueError(f"unexpected geometry {geometry['type']}")
    polys = [p for p in polys if p] or [
        geometry["coordinates"] if geometry["type"] == "Polygon" else geometry["coordinates"][0]
    ]
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def trim_geojson(source: Path, target: Path) -> None:
    data = json.loads(source.read_text(encoding="utf-8"))
    features = [
        {
            "type": "Feature",
            "id": f["id"],
            "properties": {"name": f["properties"]["name"]},
            "geometry": _round_geometry(f["geometry"]),
        }
        for f in data["features"]
    ]
    target.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")))


def main(source: str) -> None:
    src = Path(source)
    (OUT / "geo").mkdir(parents=True, exist_ok=True)
    trim_csv(src / "fbi-lee-2025.csv", OUT / "fbi-lee-2025.csv", LEE_COLUMNS)
    trim_csv(src / "fbi-ucr-agencies-2021.csv", OUT / "fbi-ucr-agencies-2021.csv", UCR_COLUMNS)
    trim_csv(
        src / "census-county-population-2024.csv", OUT / "census-county-population-2024.csv", CENSUS_COLUMNS, "latin-1"
    )
    for name in ("us-counties-inset.geojson", "us-states-inset.geojson"):
        trim_geojson(src / "geo" / name, OUT / "geo" / name)


if __name__ == "__main__":
    main(sys.argv[1])
