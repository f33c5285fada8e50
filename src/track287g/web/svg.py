"""Maps and charts as inline SVG, drawn on the server: no script, no tiles, no outside request.

Shapes come from ``shapes.json`` (made by ``scripts/web_shapes.py`` from the bundled inset GeoJSON: Alaska and
Hawaii sit below the lower 48). Every mark carries a ``<title>`` and every figure an ``aria-label``; the pages put
the same numbers in a table beside each figure.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from datetime import date
from functools import cache
from html import escape
from itertools import pairwise
from pathlib import Path

from track287g.enrich.counties import gazetteer

SHAPES = Path(__file__).parent / "shapes.json"
BINS = (1, 2, 4, 8)  # lower bounds of the color classes
COLORS = ("#fde0c5", "#f59e61", "#d4561d", "#8c2d04")
SERIES = {"total": "#1b3a5c", "JEM": "#7b3294", "TFM": "#c2410c", "WSO": "#0f766e"}


@cache
def shapes() -> dict:
    return json.loads(SHAPES.read_text())


@cache
def counties_of(state_fips: str) -> dict:
    """The drawn counties of one state, by FIPS code."""
    return {f: c for f, c in shapes()["counties"].items() if f[:2] == state_fips}


_RING = re.compile(r"M([^Z]*)Z")
Ring = list[tuple[int, int]]  # a closed ring's points, in whole units of the precision (hundredths, tenths)


def rings(d: str, decimals: int = 2) -> list[Ring]:
    """The rings of a path of ``shapes.json`` (``M x,y L x,y ... Z``, absolute), each point rounded to
    ``decimals`` and counted in units of that precision (``675.27`` at 2 decimals: 67527)."""
    unit = 10**decimals
    return [
        [(round(float(x) * unit), round(float(y) * unit)) for x, y in (p.split(",") for p in body.split("L"))]
        for body in _RING.findall(d)
    ]


def _number(v: int, decimals: int) -> str:
    """``v`` units of ``10**-decimals`` in the fewest characters: ``-.5``, ``3.1``, ``12``."""
    whole, fraction = divmod(abs(v), 10**decimals)
    digits = f"{fraction:0{decimals}d}".rstrip("0") if decimals else ""
    return ("-" if v < 0 else "") + (f"{whole or ''}.{digits}" if digits else str(whole))


def _numbers(values: Sequence[int], decimals: int) -> str:
    """Numbers written one after the other with a separator only where one is needed (none before a minus sign,
    none before a leading point when the previous number has a point of its own)."""
    out: list[str] = []
    dotted = False
    for v in values:
        text = _number(v, decimals)
        if out and not (text[0] == "-" or (text[0] == "." and dotted)):
            out.append(" ")
        out.append(text)
        dotted = "." in text
    return "".join(out)


def compact(found: Sequence[Ring], decimals: int = 2) -> str:
    """Rings as the shortest path text of the same points: each ring's first point absolute (``M``), the others
    relative to the point before (``l``, repeated implicitly), each a difference of two rounded points, so every
    point lands exactly where the rounded absolute one is (no error adds up, shared borders still meet)."""
    out = []
    for ring in found:
        steps = [c for (x0, y0), (x1, y1) in pairwise(ring) for c in (x1 - x0, y1 - y0)]
        out.append("M" + _numbers(ring[0], decimals) + ("l" + _numbers(steps, decimals) if steps else "") + "z")
    return "".join(out)


@cache
def compact_path(d: str) -> str:
    """A path of ``shapes.json`` (two decimals) written compactly: the same points in two fifths fewer bytes."""
    return compact(rings(d)) or d


@cache
def coarse(d: str, step: float = 1.4) -> str:
    """A path for the national map: one decimal, and points closer than ``step`` to the last kept one dropped
    (a county is then a few pixels wide: the shape stays, the bytes shrink about fourfold), written compactly."""
    found = []
    for body in _RING.findall(d):
        pts = [tuple(map(float, p.split(","))) for p in body.split("L")]
        kept = [pts[0]]
        for x, y in pts[1:]:
            if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= step:
                kept.append((x, y))
        if len(kept) >= 3:
            found.append([(round(float(f"{x:.1f}") * 10), round(float(f"{y:.1f}") * 10)) for x, y in kept])
    return compact(found, 1) or d


def color(n: int) -> str:
    """The fill for a count: four classes (1, 2-3, 4-7, 8+)."""
    shade = COLORS[0]
    for low, c in zip(BINS, COLORS, strict=True):
        if n >= low:
            shade = c
    return shade


def _box(boxes: Sequence[Sequence[float]], pad: float) -> tuple[float, float, float, float]:
    x0 = min(b[0] for b in boxes) - pad
    y0 = min(b[1] for b in boxes) - pad
    x1 = max(b[2] for b in boxes) + pad
    y1 = max(b[3] for b in boxes) + pad
    return x0, y0, x1 - x0, y1 - y0


def county_map(
    counties: dict[str, int],
    *,
    label: str,
    describe: Callable[[str, int], str],
    state_fips: str | None = None,
    state_links: dict[str, str] | None = None,
    state_names: dict[str, str] | None = None,
    county_link: Callable[[str], str] | None = None,
    here: str | None = None,
    key: Hashable = None,
) -> str:
    """A county map: the nation (``state_fips`` None, states linked to their pages) or one state's counties.

    ``counties`` maps 5-digit FIPS to a count (agencies); ``describe(name, n)`` writes each county's title;
    ``county_link(fips)`` makes each county a link (a state's map: every county; the nation's: the shaded ones);
    ``here`` outlines one county. A map with links is a group of links (no ``role="img"``, which may not hold
    interactive parts); one without is an image. ``key`` (a state's map): all that ``describe`` and
    ``county_link`` depend on besides their arguments (the language, the date asked); with it, the counties'
    marks are drawn once and reused by every map of that state with the same counts (a county page's map differs
    from its neighbours' only in the county outlined)."""
    geo = shapes()
    parts: list[str] = []
    if state_fips is None:
        view = (0.0, 0.0, float(geo["width"]), float(geo["height"]))
        stroke = 0.6
        defs = "".join(f'<path id="s{f}" d="{coarse(st["d"])}"/>' for f, st in sorted(geo["states"].items()))
        parts.append(f"<defs>{defs}</defs>")
        for fips, st in sorted(geo["states"].items()):
            name = escape((state_names or {}).get(fips, st["name"]))
            use = f'<use class="st" href="#s{fips}"><title>{name}</title></use>'
            href = (state_links or {}).get(fips)
            parts.append(f'<a href="{escape(href)}" aria-label="{name}">{use}</a>' if href else use)
        for fips, n in sorted(counties.items()):
            county = geo["counties"].get(fips)
            if county:
                title = escape(describe(county_name(fips, county, with_state=True), n))
                mark = f'<path class="co" fill="{color(n)}" d="{coarse(county["d"])}"><title>{title}</title></path>'
                parts.append(_linked(mark, county_link(fips), title) if county_link else mark)
        parts.append('<g class="outline">' + "".join(f'<use href="#s{f}"/>' for f in sorted(geo["states"])) + "</g>")
    else:
        mine = counties_of(state_fips)
        st = geo["states"].get(state_fips)
        boxes = [c["box"] for c in mine.values()] or ([st["box"]] if st else [[0, 0, geo["width"], geo["height"]]])
        x0, y0, w, h = _box(boxes, pad=2)
        view = (x0, y0, w, h)
        stroke = max(w, h) / 900
        for fips, head, classes, tail in _state_marks(state_fips, counties, describe, county_link, key):
            parts.append(head + classes + (" here" if fips == here else "") + tail)
        if here and here in mine:
            parts.append(f'<path class="here-outline" d="{compact_path(mine[here]["d"])}"/>')
        if not mine and st:
            parts.append(f'<path class="st" d="{compact_path(st["d"])}"/>')
    x, y, w, h = view
    role = "group" if (state_links or county_link) else "img"
    return (
        f'<svg class="map" viewBox="{x:.2f} {y:.2f} {w:.2f} {h:.2f}" role="{role}" aria-label="{escape(label)}" '
        f'style="--stroke:{stroke:.3f}" xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
        + "".join(parts)
        + "</svg>"
    )


@cache
def _sorted_counties(state_fips: str) -> tuple[tuple[str, dict], ...]:
    return tuple(sorted(counties_of(state_fips).items()))


_CLASSES = "\0"  # where a county's classes go in its mark (no character of a mark's text)
_MARKS: OrderedDict[tuple, dict[tuple[str, int], tuple[str, str, str]]] = OrderedDict()
MARKS_KEPT = 256  # states whose county marks are kept (a state's in each language and for each date asked)


def county_name(fips: str, county: dict, *, with_state: bool = False) -> str:
    """A county's name as the gazetteer writes it ("Baltimore city", "Baltimore County": the map's shapes name
    both "Baltimore"), with its state on the national map."""
    found = gazetteer().by_fips.get(fips)
    if found is None:
        return county["name"]
    return f"{found.name}, {found.state}" if with_state else found.name


def _state_marks(
    state_fips: str,
    counties: dict[str, int],
    describe: Callable[[str, int], str],
    county_link: Callable[[str], str] | None,
    key: Hashable,
) -> list[tuple[str, str, str, str]]:
    """Each county of one state's map as (fips, what comes before its classes, its classes, what comes after);
    with a ``key``, each county's mark for its count is kept under it and drawn once."""
    kept = _MARKS.get((key, state_fips)) if key is not None else None
    if kept is None:
        kept = {}
        if key is not None:
            _MARKS[(key, state_fips)] = kept
            while len(_MARKS) > MARKS_KEPT:
                _MARKS.popitem(last=False)
    found = []
    for fips, county in _sorted_counties(state_fips):
        n = counties.get(fips, 0)
        mark = kept.get((fips, n))
        if mark is None:
            fill = f' fill="{color(n)}"' if n else ""
            title = escape(describe(county_name(fips, county), n))
            whole = f'<path class="{_CLASSES}"{fill} d="{compact_path(county["d"])}"><title>{title}</title></path>'
            if county_link:
                whole = _linked(whole, county_link(fips), title)
            head, tail = whole.split(_CLASSES)
            mark = kept[(fips, n)] = (head, "co" + (" on" if n else ""), tail)
        found.append((fips, *mark))
    return found


def _linked(mark: str, href: str, title: str) -> str:
    return f'<a href="{escape(href)}" aria-label="{title}">{mark}</a>'


def legend(labels: Sequence[str]) -> str:
    """The map's color key as HTML (one swatch per class)."""
    items = "".join(
        f'<li><span class="swatch" style="background:{c}"></span>{escape(t)}</li>'
        for c, t in zip(COLORS, labels, strict=True)
    )
    return f'<ul class="legend">{items}</ul>'


def _nice(top: float) -> tuple[float, list[float]]:
    if top <= 0:
        return 1.0, [0.0, 1.0]
    raw = top / 5
    mag = 10 ** (len(str(int(raw))) - 1)
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    ceiling = step * -(-top // step)
    ticks, v = [], 0.0
    while v <= ceiling + 1e-9:
        ticks.append(v)
        v += step
    return ceiling, ticks


def timeline(
    points: Sequence[dict],
    *,
    label: str,
    series: Sequence[tuple[str, str]],
    number: Callable[[float], str],
    width: int = 760,
    height: int = 280,
    colors: dict[str, str] | None = None,
) -> str:
    """A line chart of counts over time. ``points`` carry ``date`` (ISO) and one value per series key;
    ``series`` lists (key, legend label); ``colors`` maps keys to strokes (default: the models'). Values that are
    None leave a gap; a point with ``old_list`` (derived) is drawn as a hollow dot titled with its ``source``."""
    left, right, top, bottom = 52, 12, 14, 30
    if not points:
        return f'<svg class="chart" viewBox="0 0 {width} 40" role="img" aria-label="{escape(label)}"></svg>'
    days = [date.fromisoformat(p["date"]).toordinal() for p in points]
    d0, d1 = min(days), max(days)
    d1 = d1 if d1 > d0 else d0 + 1
    peak = max((p.get(k) or 0) for p in points for k, _ in series)
    ceiling, ticks = _nice(peak)

    def sx(d: int) -> float:
        return left + (d - d0) / (d1 - d0) * (width - left - right)

    def sy(v: float) -> float:
        return top + (1 - v / ceiling) * (height - top - bottom)

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
    ]
    for t in ticks:
        y = sy(t)
        out.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(number(t))}</text>'
        )
    first, last = date.fromordinal(d0), date.fromordinal(d1)
    span_years = (last - first).days / 365
    for year in range(first.year, last.year + 2):
        for month in (1, 4, 7, 10) if span_years < 3 else (1,):
            d = date(year, month, 1).toordinal()
            if d0 <= d <= d1:
                x = sx(d)
                text = str(year) if month == 1 else f"{year}-{month:02d}"
                out.append(
                    f'<line class="axis" x1="{x:.1f}" x2="{x:.1f}" y1="{height - bottom}" y2="{height - bottom + 4}"/>'
                    f'<text class="tick" x="{x:.1f}" y="{height - 8}" text-anchor="middle">{text}</text>'
                )
    out.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{height - bottom}" y2="{height - bottom}"/>')
    for key, name in series:
        runs: list[list[str]] = [[]]
        for d, p in zip(days, points, strict=True):
            v = p.get(key)
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{sx(d):.1f},{sy(v):.1f}")
        stroke = (colors or SERIES).get(key, "#333")
        for run in runs:
            if run:
                out.append(
                    f'<polyline class="line s-{escape(key)}" fill="none" stroke="{stroke}" points="{" ".join(run)}">'
                    f"<title>{escape(name)}</title></polyline>"
                )
        for d, p in zip(days, points, strict=True):  # a point from an old list (derived): a hollow dot
            if p.get("old_list") and p.get(key) is not None:
                out.append(
                    f'<circle class="derived" cx="{sx(d):.1f}" cy="{sy(p[key]):.1f}" r="3.5" fill="#fff" '
                    f'stroke="{stroke}"><title>{escape(p["date"])}: {escape(number(p[key]))} '
                    f"({escape(p.get('source') or '')})</title></circle>"
                )
    out.append("</svg>")
    return "".join(out)


PALETTE = ("#1b3a5c", "#c2410c", "#0f766e", "#7b3294")  # the states of a comparison, in order


def chart_legend(series: Sequence[tuple[str, str]], colors: dict[str, str] | None = None) -> str:
    shade = colors or SERIES
    items = "".join(
        f'<li><span class="swatch line" style="background:{shade.get(k, "#333")}"></span>{escape(n)}</li>'
        for k, n in series
    )
    return f'<ul class="legend">{items}</ul>'
