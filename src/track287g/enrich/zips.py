"""ZIP codes and towns, offline: where a ZIP code or a town is, as 5-digit county FIPS codes.

The table of ZIP codes is the ``zipcodes`` package's (PyPI, MIT licence; 42,000 U.S. ZIP codes with their town,
state, county name and a point), read once. A ZIP's county is the county the table names, read by the gazetteer
(``zip-table``); where that name reads as no county, the county whose shape holds the ZIP's point
(``point-in-county``: the bundled shapes of the lower 48, DC and Puerto Rico; Alaska and Hawaii are drawn in an
inset). The table comes first because the shapes are simplified: on a sample of 2,059 ZIP codes the point fell in
a neighbouring county for 57 (2.8%), all near a border (Flushing, Queens, in Brooklyn). A town is every county its
ZIP codes fall in, the most ZIP codes first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

import orjson

from track287g.enrich.counties import gazetteer
from track287g.enrich.reference import COUNTY_SHAPES
from track287g.normalize import tables
from track287g.normalize.words import compact

INSET = ("AK", "HI")  # drawn away from their real place: their points cannot be tested against the shapes


@dataclass(frozen=True)
class Zip:
    """One ZIP code: its town, state, county (FIPS) and how the county was found."""

    code: str
    town: str
    state: str
    county_fips: str | None
    county_rule: str  # point-in-county | zip-table | unknown
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Town:
    """A town or city as the ZIP table names it, with the counties its ZIP codes fall in (most first)."""

    name: str
    state: str
    counties: tuple[str, ...]
    zips: tuple[str, ...]


Ring = list[tuple[float, float]]


@cache
def _shapes() -> dict[str, list[tuple[tuple[float, float, float, float], list[Ring], str]]]:
    """State FIPS -> [(bounding box, rings, county FIPS)], one per county."""
    data = orjson.loads(COUNTY_SHAPES.read_bytes())  # read as the gazetteer reads it
    out: dict[str, list] = defaultdict(list)
    for f in data["features"]:
        geom = f["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = [[(float(x), float(y)) for x, y in ring] for poly in polygons for ring in poly]
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        out[f["id"][:2]].append(((min(xs), min(ys), max(xs), max(ys)), rings, f["id"]))
    return dict(out)


def _inside(x: float, y: float, rings: list[Ring]) -> bool:
    """Even-odd rule over every ring (holes and islands included)."""
    hit = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                hit = not hit
            j = i
    return hit


def county_at(state: str, latitude: float, longitude: float) -> str | None:
    """The FIPS of the county of ``state`` whose shape holds the point, or None (outside, or an inset state)."""
    if state in INSET or state not in tables.states():
        return None
    for (x0, y0, x1, y1), rings, fips in _shapes().get(tables.states()[state]["fips"], []):
        if x0 <= longitude <= x1 and y0 <= latitude <= y1 and _inside(longitude, latitude, rings):
            return fips
    return None


@cache
def _table() -> dict[str, dict]:
    import zipcodes

    return {z["zip_code"]: z for z in zipcodes.list_all() if z["state"] in tables.states()}


@cache
def find_zip(code: str) -> Zip | None:
    """A ZIP code's town, state and county; None when the table has no such ZIP."""
    row = _table().get(code)
    if row is None:
        return None
    lat = float(row["lat"]) if row.get("lat") else None
    lon = float(row["long"]) if row.get("long") else None
    county, _how = gazetteer().lookup(row["state"], row.get("county"))
    fips, rule = (county.fips, "zip-table") if county else (None, "unknown")
    if fips is None and lat is not None and lon is not None:
        fips = county_at(row["state"], lat, lon)
        rule = "point-in-county" if fips else rule
    return Zip(code, row["city"], row["state"], fips, rule, lat, lon)


@cache
def _towns() -> dict[tuple[str, str], list[str]]:
    """(state, compact town name) -> its ZIP codes (the town's own name and the other names the table accepts)."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, row in _table().items():
        for name in (row["city"], *row.get("acceptable_cities", [])):
            out[(row["state"], compact(name))].append(code)
    return dict(out)


@cache
def town_names() -> dict[tuple[str, str], str]:
    """(state, compact name) -> the town's name as the table prints it (for suggestions)."""
    names: dict[tuple[str, str], str] = {}
    for row in _table().values():
        names.setdefault((row["state"], compact(row["city"])), row["city"].title())
    return names


def find_town(name: str, state: str | None = None) -> list[Town]:
    """The towns of that name (in ``state``, or in every state), each with its counties."""
    key = compact(name)
    found = []
    for (st, k), codes in _towns().items():
        if k != key or (state and st != state):
            continue
        counties = Counter(z.county_fips for z in map(find_zip, codes) if z and z.county_fips)
        display = town_names().get((st, k)) or name.title()
        found.append(Town(display, st, tuple(f for f, _ in counties.most_common()), tuple(sorted(codes))))
    return sorted(found, key=lambda t: (t.state, t.name))
