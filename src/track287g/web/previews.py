"""What the preview card of a page says (``publish.cards`` draws it): the home page, each state, each county, each
agency, in the page's language (``/cards/...`` English, ``/es/cards/...`` Spanish: words from the gettext catalog,
numbers as the language writes them).

An agency's card holds facts that change only when the agency's agreements do (not the date of the latest list), so
a new list redraws few of them.
"""

from __future__ import annotations

import re

from track287g.i18n import N_, Language, language
from track287g.publish.cards import Card
from track287g.web import lookups, places, resources
from track287g.web.site import Site

CARD_PATHS = (
    (re.compile(r"^/state/([A-Z]{2})/"), "/cards/state/{}.png"),
    (re.compile(r"^/agency/([^/]+)/"), "/cards/agency/{}.png"),
)
COUNTY_PAGE = re.compile(r"^/county/([0-9]{5})/")
HOME_CARD = "/cards/home.png"
FOOTER = N_("track287g · the open record of ICE 287(g) agreements")


def card_path(page: str, lang: str = "en") -> str:
    """The card of the page at ``page`` (an address without the language prefix) in ``lang``: its own (the home,
    a state, an agency), its state's (a county: thousands of county cards would cost a static build more than
    all its pages), or the home page's; a Spanish page's card is under ``/es``."""
    prefix = "" if lang == "en" else f"/{lang}"
    county = COUNTY_PAGE.match(page)
    state = lookups.state_of_fips(county.group(1)) if county else None
    if state is not None:
        return prefix + f"/cards/state/{state}.png"
    for pattern, card in CARD_PATHS:
        found = pattern.match(page)
        if found:
            return prefix + card.format(found.group(1))
    return prefix + HOME_CARD


def _source(words: Language, publication: dict | None) -> str:
    if not publication:
        return ""
    return words.gettext("ICE's participating list published {date}", date=publication["label"])


def _card(
    words: Language, title: str, subtitle: str = "", figures: tuple[tuple[str, str], ...] = (), note: str = ""
) -> Card:
    return Card(title, subtitle, figures, note, footer=words.gettext(FOOTER))


def _counts(words: Language, now: dict, before: dict) -> tuple[tuple[str, str], ...]:
    return (
        (words.number(now["agreements"]), words.gettext("agreements")),
        (words.number(now["agencies"]), words.gettext("agencies")),
        (words.number(before["agreements"]), words.gettext("agreements at the start of 2025")),
    )


def home_card(site: Site, lang: str = "en") -> Card:
    words = language(lang)
    data = resources.home(site, {})
    return _card(
        words,
        title=words.gettext("287(g) agreements: ICE's deputized local police"),
        subtitle=words.gettext("Every list ICE published, the history of every agency and agreement."),
        figures=_counts(words, data["now"], data["start_2025"]),
        note=_source(words, data["publication"]),
    )


def state_card(site: Site, code: str, lang: str = "en") -> Card:
    words = language(lang)
    data = resources.state_page(site, {}, code)
    return _card(
        words,
        title=words.gettext("287(g) agreements in {place}", place=words.label("state", data["state"])),
        figures=_counts(words, data["now"], data["start_2025"]),
        note=_source(words, data["publication"]),
    )


def county_card(site: Site, fips: str, lang: str = "en") -> Card:
    words = language(lang)
    found = places.place_report(site, places.county(site, fips), None)
    local = [c for c in found["covered_by"] if c["reach"] != "state"]
    statewide = len(found["covered_by"]) - len(local)
    return _card(
        words,
        title=words.gettext("287(g) agreements in {place}", place=found["name"]),
        subtitle="" if local else words.gettext("No agency in this county has a 287(g) agreement."),
        figures=(
            (words.number(sum(len(c["agreements"]) for c in local)), words.gettext("agreements of local agencies")),
            (words.number(len(local)), words.gettext("local agencies")),
            (words.number(statewide), words.gettext("state agencies with statewide reach")),
        ),
        note=_source(words, found["publication"]),
    )


def agency_card(site: Site, agency_id: str, lang: str = "en") -> Card:
    words = language(lang)
    data = resources.agency_page(site, {}, agency_id)
    first, last = data["first_listed"] or "–", data["last_listed"] or "–"
    listed = (
        words.gettext("listed since {date}", date=first)
        if data["status"] == "active"
        else words.gettext("listed {first} to {last}", first=first, last=last)
    )
    figures = [
        (
            a["model"],
            words.gettext("signed {date}", date=a["signed"] or "–")
            + ", "
            + words.label("agreement-status", a["status"]),
        )
        for a in data["agreements"][:3]
    ]
    facts = data.get("facts") or {}
    if facts.get("sworn_officers") is not None and len(figures) < 4:
        year = facts.get("roster_year")
        label = words.gettext("sworn officers (FBI {year})", year=year) if year else words.gettext("sworn officers")
        figures.append((words.number(facts["sworn_officers"]), label))
    kind, status = words.label("kind", data["kind"]), words.label("agency-status", data["status"])
    return _card(
        words,
        title=f"{data['name']} ({data['state']})",
        subtitle=f"{words.label('state', data['state'])} · {kind} · {status} · {listed}",
        figures=tuple(figures),
    )


__all__ = ["HOME_CARD", "agency_card", "card_path", "county_card", "home_card", "state_card"]
