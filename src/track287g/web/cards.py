"""Small PNG cards (600x315) for social previews and embeds: a state, a county or an agency with its status, its
counts and the ICE list they come from. Drawn as SVG here and rasterized offline by vl-convert (resvg)."""

from __future__ import annotations

from html import escape

from track287g.errors import NotFound
from track287g.web import places, resources
from track287g.web.site import Site

KINDS = ("state", "county", "agency")
WIDTH, HEIGHT = 600, 315


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def card_lines(site: Site, kind: str, code: str) -> tuple[str, list[str], str]:
    """(title, lines, list date) of the card of ``kind`` ``code`` on the latest list; NotFound when unknown."""
    if kind == "state":
        data = resources.state_page(site, {}, code.upper())
        now = data["now"]
        held = (
            _plural(now["agencies"], "agency", "agencies")
            + " with "
            + _plural(now["agreements"], "agreement", "agreements")
        )
        lines = [held if now["agreements"] else "No agency on ICE's 287(g) list"]
        return f"287(g) in {data['name']}", lines, data["publication"]["label"]
    if kind == "county":
        found = places.place_report(site, places.county(site, code), None)
        local = [c for c in found["covered_by"] if c["reach"] != "state"]
        statewide = len(found["covered_by"]) - len(local)
        lines = [
            _plural(len(local), "local agency", "local agencies")
            + " with "
            + _plural(sum(len(c["agreements"]) for c in local), "agreement", "agreements")
            if local
            else "No agency in this county has a 287(g) agreement"
        ]
        if statewide:
            lines.append(_plural(statewide, "state agency", "state agencies") + " with statewide reach")
        return f"287(g) in {found['name']}", lines, found["publication"]["label"]
    if kind == "agency":
        data = resources.agency_page(site, {}, code)
        active = [g["model"] for g in data["agreements"] if g["status"] == "active"]
        status = {
            "active": "On ICE's list",
            "removed": "Removed from ICE's list",
            "pending": "Pending",
            "withdrawn": "Application withdrawn",
        }
        lines = [
            f"{data['state_name']} · " + status.get(data["status"], data["status"]),
            ("Agreements: " + ", ".join(sorted(active))) if active else f"Last listed {data['last_listed'] or '–'}",
        ]
        return data["name"], lines, data["last_listed"] or "–"
    raise NotFound(f"no card kind {kind!r} (state, county or agency)")


def card_svg(title: str, lines: list[str], list_date: str) -> str:
    """The card as SVG text."""
    size = 34 if len(title) <= 30 else 26 if len(title) <= 42 else 20
    rows = "".join(
        f'<text x="32" y="{150 + 40 * i}" font-size="24" fill="#1f2933">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><rect width="{WIDTH}" height="10" fill="#1b3a5c"/>'
        f'<text x="32" y="90" font-size="{size}" font-weight="bold" fill="#1b3a5c">{escape(title)}</text>{rows}'
        f'<text x="32" y="270" font-size="18" fill="#52606d">{escape(f"ICE 287(g) list of {list_date}")}</text>'
        '<text x="568" y="270" font-size="18" fill="#52606d" text-anchor="end">track287g</text></svg>'
    )


def card_png(site: Site, kind: str, code: str) -> bytes:
    """The card of ``kind`` (state, county, agency) ``code`` as PNG bytes."""
    import vl_convert as vlc

    return bytes(vlc.svg_to_png(card_svg(*card_lines(site, kind, code))))
