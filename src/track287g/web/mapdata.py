"""The data of the moving map: every participating list since 2021 as one frame, every agency once, every
agreement with the runs of frames that list it, and the county and state shapes. The browser draws any frame
from these (MapLibre GL JS, ``static/map.js``); each frame also carries its counts, computed here exactly as
``track287g as-of`` counts, so what the map says can be checked against the command line.

Agencies are placed at the point the enrich stage found in the FBI roster; where there is none, or in Alaska
and Hawaii (drawn in an inset below the lower 48, away from their real coordinates), at the middle of their
county's shape; state agencies without a point are not drawn (the frame counts them all the same).
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache

from sqlalchemy import Connection, select, text

from track287g.analyze import stats
from track287g.enrich import places
from track287g.enrich.counties import gazetteer
from track287g.enrich.reference import COUNTY_SHAPES, STATE_SHAPES
from track287g.history import queries
from track287g.normalize import tables
from track287g.store.schema import agreement, row_agreement

FIRST_YEAR = "2021-01-01"
INSET = ("AK", "HI")
PRECISION = 3  # decimals of a degree (about 100 m) in the shapes sent to the browser


def _middle(geometry: dict) -> tuple[float, float]:
    """The middle of a shape's largest ring's bounding box (a point to put a county's agencies at)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    ring = max((poly[0] for poly in polygons), key=len)
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    return round((min(xs) + max(xs)) / 2, 4), round((min(ys) + max(ys)) / 2, 4)


def _rounded(geometry: dict) -> dict:
    def ring(points: list) -> list:
        out: list = []
        for x, y in points:
            p = [round(x, PRECISION), round(y, PRECISION)]
            if not out or p != out[-1]:
                out.append(p)
        return out

    if geometry["type"] == "Polygon":
        coords: list = [ring(r) for r in geometry["coordinates"]]
    else:
        coords = [[ring(r) for r in poly] for poly in geometry["coordinates"]]
    return {"type": geometry["type"], "coordinates": coords}


@cache
def _features(path: str) -> list[dict]:
    return json.loads(open(path, encoding="utf-8").read())["features"]


def shapes() -> dict:
    """The county and state shapes as two GeoJSON FeatureCollections (``fips`` and ``name`` on each)."""
    states_by_fips = {row["fips"]: code for code, row in tables.states().items()}
    named = gazetteer().by_fips  # "Baltimore city" and "Baltimore County", where the shapes say "Baltimore" twice
    counties = [
        {
            "type": "Feature",
            "id": int(f["id"]),
            "properties": {
                "fips": f["id"],
                "name": named[f["id"]].name if f["id"] in named else f["properties"]["name"],
                "state": states_by_fips.get(f["id"][:2]),
            },
            "geometry": _rounded(f["geometry"]),
        }
        for f in _features(str(COUNTY_SHAPES))
    ]
    states = [
        {
            "type": "Feature",
            "id": int(f["id"]),
            "properties": {"fips": f["id"], "name": f["properties"]["name"], "state": states_by_fips.get(f["id"])},
            "geometry": _rounded(f["geometry"]),
        }
        for f in _features(str(STATE_SHAPES))
    ]
    return {
        "counties": {"type": "FeatureCollection", "features": counties},
        "states": {"type": "FeatureCollection", "features": states},
    }


def frames(conn: Connection) -> dict:
    """Every participating list since 2021 (one frame each), agencies, and agreements with the frames that list
    them as ``[first, last]`` runs of frame numbers."""
    of_row = {r: a for r, a in conn.execute(select(row_agreement.c.row_id, row_agreement.c.agreement_id))}
    lists, printed = queries.printed_runs(conn, of_row)  # each row's runs of lists, from the lists' differences
    start = next((n for n, p in enumerate(lists) if p.published >= FIRST_YEAR), len(lists))
    pubs = lists[start:]  # the lists in the order the history reads them (by date)
    runs_of: dict[str, list[list[int]]] = defaultdict(list)  # agreement -> its rows' runs, in frame numbers
    for rid, runs in printed.items():
        runs_of[of_row[rid]].extend([max(a, start) - start, b - start] for a, b in runs if b >= start)
    listed = {agreement_id: _merged(runs) for agreement_id, runs in runs_of.items() if runs}
    holder: dict[str, tuple[str, str]] = {
        a: (agency_id, model)
        for a, agency_id, model in conn.execute(
            select(agreement.c.agreement_id, agreement.c.agency_id, agreement.c.model)
        )
        if a in listed
    }
    # the counts each frame states are the record's (each list's holders as that list printed them, as `as-of`
    # gives them); the marks are drawn at each agreement's holder now. A list outside the history (held) has
    # none: counted here from the agreements' frames.
    official = {p["publication"]: p for p in stats.per_publication(conn, kind="participating")}
    counts: list[dict] = []
    for n, p in enumerate(pubs):
        if p.sha256 in official:
            counts.append({"agencies": official[p.sha256]["agencies"], "agreements": official[p.sha256]["agreements"]})
            continue
        here = [a for a, runs in listed.items() if any(first <= n <= last for first, last in runs)]
        counts.append({"agencies": {holder[a][0] for a in here}, "agreements": len(here)})
    agencies = _agencies(conn, {a for a, _m in holder.values()})
    index = {a["id"]: n for n, a in enumerate(agencies)}
    agreements = []
    for agreement_id in sorted(listed):
        agency_id, model = holder[agreement_id]
        agreements.append([index[agency_id], model, listed[agreement_id]])
    return {
        "frames": [
            {
                "date": p.published,
                "part": p.part or "",
                "sha256": p.sha256,
                "derived": bool(p.derived),
                "agencies": _size(counts[n]["agencies"]),
                "agreements": counts[n]["agreements"],
            }
            for n, p in enumerate(pubs)
        ],
        "agencies": agencies,
        "agreements": agreements,
        "models": ["JEM", "TFM", "WSO"],
        "notes": [
            "One frame per participating list ICE published (lists before February 2025: HTML-era tables).",
            "Points: the FBI roster's coordinates; else the middle of the agency's county; statewide agencies "
            "without coordinates are not drawn but are counted.",
            "Counties are shaded by the local agencies covering them, as each county's page lists them: an "
            "agency in every county it serves (a town across two counties in both); statewide agencies in none.",
        ],
    }


def _merged(runs: list[list[int]]) -> list[list[int]]:
    """Runs of frames (``[first, last]``) joined where they overlap or touch, in order."""
    out: list[list[int]] = []
    for first, last in sorted(runs):
        if out and first <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return out


def _agencies(conn: Connection, ids: set[str]) -> list[dict]:
    where = places.agency_places(conn)
    middles = {f["id"]: _middle(f["geometry"]) for f in _features(str(COUNTY_SHAPES))}
    points = {
        r.agency_id: (r.longitude, r.latitude)
        for r in conn.execute(
            text(
                "SELECT m.agency_id, r.longitude, r.latitude FROM agency_match m JOIN roster_agency r ON r.ori = m.ori "
                "WHERE r.latitude IS NOT NULL AND r.longitude IS NOT NULL"
            )
        )
    }
    out = []
    for agency_id in sorted(ids):
        a = where.get(agency_id)
        if a is None:
            continue
        point = points.get(agency_id) if a.state not in INSET else None
        placed = "roster"
        if point is None and a.counties and a.counties[0] in middles:
            point, placed = middles[a.counties[0]], "county"
        out.append(
            {
                "id": agency_id,
                "name": a.name,
                "state": a.state,
                "reach": a.reach,
                "counties": list(a.local_counties),  # those it shades and counts in, as their pages list it
                "lon": round(point[0], 4) if point else None,
                "lat": round(point[1], 4) if point else None,
                "placed": placed if point else None,
            }
        )
    return out


def _size(agencies: set | int) -> int:
    return agencies if isinstance(agencies, int) else len(agencies)
