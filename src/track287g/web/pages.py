"""The site's pages: for each, its address, template, the parameters it takes and the resource whose data it shows
(``resources.py``; the page's JSON twin at ``.../index.json`` returns exactly that data). Figures and maps are drawn
here, in the page's language, and kept out of the JSON (keys starting ``_``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from track287g.i18n import language
from track287g.normalize import tables
from track287g.web import lookups, resources, svg
from track287g.web.site import Site

Params = dict[str, tuple[str, ...] | None]


@dataclass
class Page:
    """One page: its address (``{name}`` parts allowed), template, parameters, data and drawn figures."""

    name: str
    path: str
    template: str
    data: Callable[..., dict]  # a resource: (site, params, **address parts) -> dict
    params: Params = field(default_factory=dict)
    figures: Callable[[str, dict], dict] | None = None  # (language, data) -> the drawn parts, keys starting "_"
    redirect: Callable[[dict], str | None] | None = None  # (data) -> the address the page sends a reader on to
    # what else than the data version the page depends on (the downloads' readiness): part of its cache key
    state: Callable[[Site], str] | None = None

    def answer(self, site: Site, lang: str, params: dict, path_params: dict[str, str], drawn: bool = True) -> dict:
        """The page's data, with its figures drawn in ``lang`` unless ``drawn`` is False (the JSON twin)."""
        data = self.data(site, params, **path_params)
        if drawn and self.figures is not None:
            data = data | self.figures(lang, data)
        return data


class Described(Protocol):
    """What the API docs page shows of an endpoint."""

    path: str
    summary: str
    params: Params


def _series(lang: str) -> list[tuple[str, str]]:
    words = language(lang)
    return [("total", words.gettext("All agreements"))] + [
        (m, words.gettext("{model} agreements", model=m)) for m in lookups.MODELS
    ]


def _map_labels(lang: str) -> list[str]:
    words = language(lang)
    return [
        words.gettext("1 agency"),
        words.gettext("2–3 agencies"),
        words.gettext("4–7 agencies"),
        words.gettext("8 or more agencies"),
    ]


def _describe(lang: str) -> Callable[[str, int], str]:
    def text(name: str, n: int) -> str:
        return language(lang).ngettext(
            "{county}: {n} agency with agreements", "{county}: {n} agencies with agreements", n, county=name
        )

    return text


def _localize(lang: str, path: str) -> str:
    return path if lang == "en" else "/es" + path


def _county_link(lang: str, on: str | None = None) -> Callable[[str], str]:
    suffix = f"?as_of={on}" if on else ""
    return lambda fips: _localize(lang, f"/county/{fips}/{suffix}")


def home_figures(lang: str, data: dict) -> dict[str, Any]:
    """The home page's county map of the country (the moving map's fallback) and its timeline chart."""
    words = language(lang)
    links = {tables.states()[c]["fips"]: f"/state/{c}/" for c in tables.states()}
    names = {tables.states()[c]["fips"]: words.label("state", c) for c in tables.states()}
    return {
        "_map": svg.county_map(
            data["map"]["counties"],
            label=words.gettext("Map of counties with 287(g) agencies"),
            describe=_describe(lang),
            state_links={k: _localize(lang, v) for k, v in links.items()},
            state_names=names,
            county_link=_county_link(lang, data.get("as_of")),
        ),
        "_legend": svg.legend(_map_labels(lang)),
        "_chart": svg.timeline(
            data["timeline"],
            label=words.gettext("287(g) agreements on each of ICE's lists"),
            series=_series(lang),
            number=words.number,
        ),
        "_chart_legend": svg.chart_legend(_series(lang)),
        "_long_chart": svg.timeline(
            data["long_timeline"],
            label=words.gettext(
                "287(g) agreements since 2007: the old lists (derived), no list for 2010-2020, ICE's lists"
            ),
            series=[("total", words.gettext("Agreements"))],
            number=words.number,
            colors={"total": "#1b3a5c"},
        )
        if data.get("long_timeline")
        else "",
    }


def state_figures(lang: str, data: dict) -> dict[str, Any]:
    """A state page's county map and its timeline chart (none when the state was never listed)."""
    words = language(lang)
    name = words.label("state", data["state"])
    timeline = data["timeline"]
    return {
        "_map": svg.county_map(
            data["map"]["counties"],
            label=words.gettext("Map of {state}'s counties with 287(g) agencies", state=name),
            describe=_describe(lang),
            state_fips=tables.states()[data["state"]]["fips"],
            county_link=_county_link(lang, data.get("as_of")),
        ),
        "_legend": svg.legend(_map_labels(lang)),
        "_chart": svg.timeline(
            timeline,
            label=words.gettext("287(g) agreements in {state} on each of ICE's lists", state=name),
            series=_series(lang),
            number=words.number,
        )
        if timeline
        else "",
        "_chart_legend": svg.chart_legend(_series(lang)),
    }


def county_figures(lang: str, data: dict) -> dict[str, Any]:
    """A county page's map: its state's counties, this one outlined, each a link to its page."""
    counties = {c: 1 for c in data["counties"]} if data["local_agencies"] else {}
    return {
        "_map": svg.county_map(
            counties,
            label=language(lang).gettext(
                "Map of {state}'s counties with 287(g) agencies", state=language(lang).label("state", data["state"])
            ),
            describe=lambda name, n: name,
            state_fips=tables.states()[data["state"]]["fips"],
            county_link=_county_link(lang, data.get("asked")),
            here=data["county_fips"],
            key=(lang, data.get("asked")),  # the names and links depend on nothing else
        )
    }


def compare_figures(lang: str, data: dict) -> dict[str, Any]:
    """The comparison's chart: agreements in each state on every list."""
    words = language(lang)
    series = [(s["state"], words.label("state", s["state"])) for s in data["states"]]
    colors = dict(zip([c for c, _ in series], svg.PALETTE, strict=False))
    return {
        "_chart": svg.timeline(
            data["timeline"],
            label=words.gettext("287(g) agreements on each of ICE's lists"),
            series=series,
            number=words.number,
            colors=colors,
        )
        if series
        else "",
        "_chart_legend": svg.chart_legend(series, colors),
    }


def place_redirect(data: dict) -> str | None:
    """A lookup that names one county or state goes on to its page."""
    place = data.get("place")
    return data.get("redirect") if place and place["kind"] in ("county", "state") else None


def api_docs_page(endpoints: Iterable[Described]) -> Page:
    """The API's documentation page, listing ``endpoints`` (handed in by the app, which serves them)."""
    listed = [{"path": e.path, "summary": e.summary, "params": list(e.params)} for e in endpoints]

    def api_docs(site: Site, p: dict) -> dict:
        return {"endpoints": listed}

    return Page("api", "/api/", "api.html", api_docs, {})


STATE_PARAMS = {k: v for k, v in resources.LISTING.items() if k not in ("state", "page", "per_page")}
PAGES = [
    Page("home", "/", "home.html", resources.home, {"as_of": None}, home_figures),
    Page("states", "/states/", "states.html", resources.states_index, {"as_of": None}),
    Page("state", "/state/{code}/", "state.html", resources.state_page, STATE_PARAMS, state_figures),
    Page("agencies", "/agencies/", "agencies.html", resources.agencies, dict(resources.LISTING)),
    Page("agency", "/agency/{agency_id}/", "agency.html", resources.agency_page, {"as_of": None}),
    Page("county", "/county/{fips}/", "county.html", resources.county_page, resources.PLACE_PARAMS, county_figures),
    Page("place", "/place/", "place.html", resources.place_lookup, {"q": None, "as_of": None}, redirect=place_redirect),
    Page("leaderboards", "/leaderboards/", "leaderboards.html", resources.leaderboards, {"as_of": None}),
    Page("compare", "/compare/", "compare.html", resources.compare, {"states": None, "as_of": None}, compare_figures),
    Page("changes", "/changes/", "changes.html", resources.changes, resources.CHANGES),
    Page("pending", "/pending/", "pending.html", resources.pending, {"state": None, "model": None, "as_of": None}),
    Page(
        "publications",
        "/publications/",
        "publications.html",
        resources.publications,
        {"kind": ("participating", "pending"), "page": None, "per_page": None},
    ),
    Page("money", "/money/", "money.html", resources.money, dict(resources.MONEY)),
    Page("claims", "/claims/", "claims.html", resources.claims, {}),
    Page("methodology", "/methodology/", "methodology.html", resources.methodology, {}),
    Page("downloads", "/downloads/", "downloads.html", resources.downloads, {}, state=resources.downloads_state),
    Page("documents", "/documents/", "documents.html", resources.documents_index, resources.DOCUMENTS),
    Page("document", "/document/{sha256}/", "document.html", resources.document_page, {}),
]
"""Every page but the API's documentation, which the app adds with ``api_docs_page`` (it knows the endpoints)."""
