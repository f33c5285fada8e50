"""What the preview card of a page says (``publish.cards`` draws it): the home page, each state, each county, each
agency.

Cards are in English whichever language links them. An agency's card holds facts that change only when the
agency's agreements do (not the date of the latest list), so a new list redraws few of them.
"""

from __future__ import annotations

import re

from track287g.publish.cards import Card
from track287g.web import lookups, places, resources
from track287g.web.site import Site

CARD_PATHS = (
    (re.compile(r"^/state/([A-Z]{2})/"), "/cards/state/{}.png"),
    (re.compile(r"^/county/([0-9]{5})/"), "/cards/county/{}.png"),
    (re.compile(r"^/agency/([^/]+)/"), "/cards/agency/{}.png"),
)
HOME_CARD = "/cards/home.png"


def card_path(page: str) -> str:
    """The card of the page at ``page`` (an address without the language prefix): its own, or the home page's."""
    for pattern, card in CARD_PATHS:
        found = pattern.match(page)
        if found:
            return card.format(found.group(1))
    return HOME_CARD


def _n(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def _source(publication: dict | None) -> str:
    return f"ICE's participating list published {publication['label']}" if publication else ""


def home_card(site: Site) -> Card:
    data = resources.home(site, {})
    now, before = data["now"], data["start_2025"]
    return Card(
        title="287(g) agreements: ICE's deputized local police",
        subtitle="Every list ICE published, the history of every agency and agreement.",
        figures=(
            (_n(now["agreements"]), "agreements"),
            (_n(now["agencies"]), "agencies"),
            (_n(before["agreements"]), "agreements at the start of 2025"),
        ),
        note=_source(data["publication"]),
    )


def state_card(site: Site, code: str) -> Card:
    data = resources.state_page(site, {}, code)
    now, before = data["now"], data["start_2025"]
    return Card(
        title=f"287(g) agreements in {data['name']}",
        figures=(
            (_n(now["agreements"]), "agreements"),
            (_n(now["agencies"]), "agencies"),
            (_n(before["agreements"]), "agreements at the start of 2025"),
        ),
        note=_source(data["publication"]),
    )


def county_card(site: Site, fips: str) -> Card:
    found = places.place_report(site, places.county(site, fips), None)
    local = [c for c in found["covered_by"] if c["reach"] != "state"]
    statewide = len(found["covered_by"]) - len(local)
    return Card(
        title=f"287(g) agreements in {found['name']}",
        subtitle="" if local else "No agency in this county has a 287(g) agreement.",
        figures=(
            (_n(sum(len(c["agreements"]) for c in local)), "agreements of local agencies"),
            (_n(len(local)), "local agencies"),
            (_n(statewide), "state agencies with statewide reach"),
        ),
        note=_source(found["publication"]),
    )


def agency_card(site: Site, agency_id: str) -> Card:
    data = resources.agency_page(site, {}, agency_id)
    listed = (
        f"listed since {data['first_listed']}"
        if data["status"] == "active"
        else f"listed {data['first_listed'] or '–'} to {data['last_listed'] or '–'}"
    )
    figures = [(a["model"], f"signed {a['signed'] or '–'}, {a['status']}") for a in data["agreements"][:3]]
    facts = data.get("facts") or {}
    if facts.get("sworn_officers") is not None and len(figures) < 4:
        figures.append((_n(facts["sworn_officers"]), f"sworn officers (FBI {facts.get('roster_year') or ''})".strip()))
    state = lookups.state_name(data["state"])
    return Card(
        title=f"{data['name']} ({data['state']})",
        subtitle=f"{state} · {data['kind']} · {data['status']} · {listed}",
        figures=tuple(figures),
    )


__all__ = ["HOME_CARD", "agency_card", "card_path", "county_card", "home_card", "state_card"]
