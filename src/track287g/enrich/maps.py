"""Maps of agreements by county, for the nation or one state, at any date: SVG or PNG bytes, made offline.

The shapes are the bundled county and state outlines (Alaska and Hawaii in an inset below the lower 48).
Vega-Lite (Altair) describes the chart and vl-convert renders it in-process, with no URL allowed: a chart
that tried to fetch anything would fail, not come out blank.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from sqlalchemy import Connection

from track287g.enrich.covered import coverage
from track287g.enrich.reference import COUNTY_SHAPES, STATE_SHAPES, InputError
from track287g.errors import Track287gError
from track287g.normalize import tables

FORMATS = ("svg", "png")
BINS = [1, 2, 3, 5]  # 0 | 1 | 2 | 3-4 | 5+
COLORS = ["#f0f0f0", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000"]
LABELS = ["none", "1", "2", "3-4", "5 or more"]


class MapError(Track287gError):
    """A map that cannot be drawn (unknown state, unknown format)."""


@cache
def _shapes(path: str) -> list[dict]:
    try:
        return json.loads(open(path, encoding="utf-8").read())["features"]
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"{path}: not a GeoJSON FeatureCollection ({exc})") from None


def map_spec(conn: Connection, state: str | None = None, as_of: str | None = None) -> dict[str, Any]:
    """The Vega-Lite specification of the map (inline data only), for the web pages to embed as they are."""
    import altair as alt

    if state is not None and state not in tables.states():
        raise MapError(f"unknown state {state!r} (use a USPS code such as TX)")
    figures = coverage(conn, as_of)
    by_county = {c["fips"]: c for c in figures["counties"]}
    state_fips = tables.states()[state]["fips"] if state else None
    features = []
    for f in _shapes(str(COUNTY_SHAPES)):
        if state_fips and not f["id"].startswith(state_fips):
            continue
        c = by_county.get(f["id"], {})
        n = c.get("agreements", 0)
        features.append(
            {
                "type": "Feature",
                "id": f["id"],
                "geometry": f["geometry"],
                "properties": {
                    "fips": f["id"],
                    "name": f["properties"]["name"],
                    "agreements": n,
                    "county_level": c.get("county_level_agreements", 0),
                    "band": _band(n),
                },
            }
        )
    if not features:
        raise MapError(f"no county shapes for {state}")
    outlines = [f for f in _shapes(str(STATE_SHAPES)) if not state_fips or f["id"] == state_fips]
    pub = figures["publication"]
    where = tables.states()[state]["name"].title() if state else "United States"
    scope = figures["states"].get(state, {}) if state else figures["national"]
    title = f"287(g) agreements by county, {where}"
    subtitle = (
        f"ICE's participating list of {pub['published']} {pub['part']}".rstrip()
        + (" (as of " + as_of + ")" if as_of else "")
        + f": {scope.get('agreements', 0):,} agreements, {scope.get('agencies', 0):,} agencies."
        + " Statewide agencies are not drawn."
    )
    projection: dict[str, Any] = {"type": "albers"} if not state else {"type": "mercator"}
    width, height = (960, 600) if not state else (720, 560)
    counties = (
        alt.Chart(alt.Data(name="counties"))
        .mark_geoshape(stroke="#ffffff", strokeWidth=0.25 if not state else 0.6)
        .encode(
            color=alt.Color(
                "properties.band:O",
                title="Agreements",
                scale=alt.Scale(domain=LABELS, range=COLORS),
                legend=alt.Legend(orient="bottom-right" if not state else "right"),
            ),
            tooltip=[
                alt.Tooltip("properties.name:N", title="County"),
                alt.Tooltip("properties.fips:N", title="FIPS"),
                alt.Tooltip("properties.agreements:Q", title="Agreements"),
                alt.Tooltip("properties.county_level:Q", title="County-level"),
            ],
        )
    )
    borders = alt.Chart(alt.Data(name="states")).mark_geoshape(filled=False, stroke="#555555", strokeWidth=0.7)
    chart = (
        alt.layer(counties, borders)
        .project(**projection)
        .properties(width=width, height=height, title=alt.TitleParams(title, subtitle=subtitle, anchor="start"))
        .configure_view(stroke=None)
    )
    spec = chart.to_dict()
    spec["datasets"] = {"counties": features, "states": outlines}  # added after: Altair deep-copies inline data
    return spec


def _band(n: int) -> str:
    for label, lower in zip(LABELS[1:][::-1], BINS[::-1], strict=True):
        if n >= lower:
            return label
    return LABELS[0]


def render_map(conn: Connection, state: str | None = None, as_of: str | None = None, fmt: str = "svg") -> bytes:
    """The map as SVG (UTF-8) or PNG bytes, rendered offline."""
    import vl_convert as vlc

    if fmt not in FORMATS:
        raise MapError(f"unknown map format {fmt!r} (svg or png)")
    spec = map_spec(conn, state, as_of)
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec, allowed_base_urls=[]).encode("utf-8")
    return vlc.vegalite_to_png(spec, scale=1.5, allowed_base_urls=[])
