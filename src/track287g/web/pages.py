"""The site's pages: for each, the parameters it takes and the data it shows (its JSON twin returns the same
data). Figures and maps are drawn here, keyed on the language, and kept out of the JSON (keys starting ``_``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from track287g.analyze import stats
from track287g.normalize import tables
from track287g.web import adapters, svg, views
from track287g.web.i18n import number, translate
from track287g.web.params import BadRequest, page_of
from track287g.web.site import Site

LISTING = {
    "state": None,
    "model": None,
    "status": ("active", "removed", "pending", "withdrawn"),
    "type": views.TYPES,
    "kind": None,
    "q": None,
    "as_of": None,
    "page": None,
    "per_page": None,
}


@dataclass
class Page:
    """One page: its address (``{name}`` parts allowed), template, parameters and data."""

    name: str
    path: str
    template: str
    data: Callable[..., dict]
    params: dict[str, tuple[str, ...] | None] = field(default_factory=dict)


def _series(lang: str) -> list[tuple[str, str]]:
    return [("total", translate(lang, "All agreements"))] + [
        (m, translate(lang, "{model} agreements", model=m)) for m in views.MODELS
    ]


def _map_labels(lang: str) -> list[str]:
    return [translate(lang, t) for t in ("1 agency", "2–3 agencies", "4–7 agencies", "8 or more agencies")]


def _describe(lang: str) -> Callable[[str, int], str]:
    def text(name: str, n: int) -> str:
        return translate(lang, "{county}: {n} agencies with agreements", county=name, n=number(lang, n))

    return text


def _snapshot(site: Site, sha: str) -> list[dict]:
    return site.cached(("snapshot", sha), lambda c: views.snapshot(c, sha))


def _list_on(site: Site, on: str | None) -> dict:
    return site.cached(("list_on", on), lambda c: views.list_on(c, on))


def _index(site: Site) -> list[dict]:
    return site.cached(("index",), views.agency_index)


def _overview(site: Site, on: str | None) -> dict:
    pub = _list_on(site, on)
    return site.cached(("overview", pub["sha256"]), lambda c: views.overview(c, pub["published"] if on else None))


# --- home -----------------------------------------------------------------------------------------------


def home(site: Site, lang: str, p: dict) -> dict:
    ov = _overview(site, p.get("as_of"))
    items = ov["items"]
    counties, states_fips, unplaced = views.county_counts(items, _index(site))
    timeline = site.cached(("timeline",), views.national_timeline)
    latest = site.cached(("latest_changes",), lambda c: views.changes_page(c, {}, 1, 3))
    pend = site.cached(("pending", None, ()), lambda c: views.pending_page(c, None, {}))
    links = {tables.states()[c]["fips"]: f"/state/{c}/" for c in tables.states()}
    names = {tables.states()[c]["fips"]: views.state_name(c) for c in tables.states()}
    return {
        "publication": ov["publication"],
        "as_of": p.get("as_of"),
        "now": ov["now"],
        "start_2025": ov["start_2025"],
        "states": sorted(ov["states"].values(), key=lambda s: -s["now"]["agreements"]),
        "pending": {"publication": pend["publication"], "applications": pend["applications"]},
        "latest_changes": latest["publications"],
        "timeline": timeline,
        "map": {"counties": counties, "unplaced_agencies": unplaced},
        "_map": svg.county_map(
            counties,
            label=translate(lang, "Map of counties with 287(g) agencies"),
            describe=_describe(lang),
            state_links={k: _localize(lang, v) for k, v in links.items()},
            state_names=names,
        ),
        "_legend": svg.legend(_map_labels(lang)),
        "_chart": svg.timeline(
            timeline,
            label=translate(lang, "287(g) agreements on each of ICE's lists"),
            series=_series(lang),
            number=lambda v: number(lang, v),
        ),
        "_chart_legend": svg.chart_legend(_series(lang)),
        "_states_fips": states_fips,
    }


def _localize(lang: str, path: str) -> str:
    return path if lang == "en" else "/es" + path


# --- states ---------------------------------------------------------------------------------------------


def states_index(site: Site, lang: str, p: dict) -> dict:
    ov = _overview(site, p.get("as_of"))
    rows = sorted(ov["states"].values(), key=lambda s: (s["kind"] != "state" and s["kind"] != "district", s["name"]))
    return {"publication": ov["publication"], "start_2025": ov["start_2025"]["publication"], "states": rows}


def state_page(site: Site, lang: str, p: dict, code: str) -> dict:
    code = views.check_state(code)
    ov = _overview(site, p.get("as_of"))
    items = [i for i in ov["items"] if i["state"] == code]
    index = _index(site)
    listed = views.agencies_on(items, index)
    listed_ids = {a["agency_id"] for a in listed}
    others = [a for a in index if a["state"] == code and a["agency_id"] not in listed_ids]
    listed = views.filter_agencies(listed, p)
    others = views.filter_agencies(others, p)
    counties, _, unplaced = views.county_counts(items, index)
    timeline = site.cached(("state_timelines",), views.state_timelines).get(code, [])
    events = site.cached(("state_events", code), lambda c: views.queries.changes(c, state=code, limit=40))
    fips = tables.states()[code]["fips"]
    return {
        "state": code,
        "name": views.state_name(code),
        "kind": tables.states()[code]["kind"],
        "publication": ov["publication"],
        "as_of": p.get("as_of"),
        "filters": p,
        "now": ov["states"][code]["now"],
        "start_2025": ov["states"][code]["start_2025"],
        "start_2025_publication": ov["start_2025"]["publication"],
        "agencies": listed,
        "other_agencies": others,
        "timeline": timeline,
        "changes": events,
        "map": {"counties": counties, "unplaced_agencies": unplaced},
        "_map": svg.county_map(
            counties,
            label=translate(lang, "Map of {state}'s counties with 287(g) agencies", state=views.state_name(code)),
            describe=_describe(lang),
            state_fips=fips,
        ),
        "_legend": svg.legend(_map_labels(lang)),
        "_chart": svg.timeline(
            timeline,
            label=translate(lang, "287(g) agreements in {state} on each of ICE's lists", state=views.state_name(code)),
            series=_series(lang),
            number=lambda v: number(lang, v),
        )
        if timeline
        else "",
        "_chart_legend": svg.chart_legend(_series(lang)),
    }


# --- agencies -------------------------------------------------------------------------------------------


def agencies(site: Site, lang: str, p: dict) -> dict:
    index = _index(site)
    pub = None
    if p.get("as_of"):
        pub = _list_on(site, p["as_of"])
        rows = views.agencies_on(_snapshot(site, pub["sha256"]), index)
    else:
        rows = index
    found = views.filter_agencies(rows, p)
    chosen, paging = page_of(found, p)
    return {
        "filters": p,
        "publication": views.pub_ref(pub),
        "paging": paging,
        "agencies": chosen,
        "kinds": sorted({a["kind"] for a in index}),
    }


def agency_page(site: Site, lang: str, p: dict, agency_id: str) -> dict:
    return site.cached(("agency", agency_id), lambda c: views.agency_page(c, agency_id))


# --- changes, pending, publications ---------------------------------------------------------------------

CHANGES = {
    "since": None,
    "state": None,
    "kind": ("participating", "pending"),
    "type": views.EVENT_TYPES,
    "model": None,
    "page": None,
    "per_page": None,
}


def changes(site: Site, lang: str, p: dict) -> dict:
    per_page = p.get("per_page", 10)
    if per_page > 100:
        raise BadRequest("per_page for changes counts publications: at most 100")
    page = p.get("page", 1)
    key = tuple(sorted((k, v) for k, v in p.items() if k not in ("page", "per_page")))
    data = site.cached(("changes", key, page, per_page), lambda c: views.changes_page(c, p, page, per_page))
    pages = max(1, -(-data["total_publications"] // per_page))
    if page > pages:
        raise BadRequest(f"page {page} is past the last page ({pages})")
    return data | {"paging": {"page": page, "per_page": per_page, "pages": pages, "total": data["total_publications"]}}


def pending(site: Site, lang: str, p: dict) -> dict:
    f = {k: v for k, v in p.items() if k in ("state", "model")}
    on = p.get("as_of")
    return site.cached(("pending", on, tuple(sorted(f.items()))), lambda c: views.pending_page(c, on, f))


def publications(site: Site, lang: str, p: dict) -> dict:
    pubs = site.cached(("publications", p.get("kind")), lambda c: views.publications_page(c, p.get("kind")))
    chosen, paging = page_of(pubs, p, default=500)
    return {"filters": p, "paging": paging, "publications": chosen}


# --- money, claims, methodology, downloads --------------------------------------------------------------


def money(site: Site, lang: str, p: dict) -> dict:
    pub = _list_on(site, p.get("as_of"))
    year = p.get("year", date.fromisoformat(pub["published"]).year)
    state = p.get("state")
    found = site.cached(
        ("funding", pub["sha256"], year, state), lambda c: adapters.funding(c, pub["published"], year, state)
    )
    return {"publication": views.pub_ref(pub), "year": year, "state": state, "funding": found}


def claims(site: Site, lang: str, p: dict) -> dict:
    return {"claims": site.cached(("claims",), adapters.claims)}


def methodology(site: Site, lang: str, p: dict) -> dict:
    return site.cached(("methodology",), views.methodology)


def downloads(site: Site, lang: str, p: dict) -> dict:
    from track287g.web import exports

    return {"files": exports.listing(site)}


def api_docs(site: Site, lang: str, p: dict) -> dict:
    from track287g.web.api import ENDPOINTS

    return {"endpoints": [{"path": e.path, "summary": e.summary, "params": list(e.params)} for e in ENDPOINTS]}


def stats_counts(site: Site, p: dict) -> dict:
    pub = _list_on(site, p.get("on"))
    return site.cached(
        ("counts", pub["sha256"], p.get("by"), p.get("state")),
        lambda c: stats.counts(c, pub["published"], p.get("by"), p.get("state")),
    )


PAGES = [
    Page("home", "/", "home.html", home, {"as_of": None}),
    Page("states", "/states/", "states.html", states_index, {"as_of": None}),
    Page(
        "state",
        "/state/{code}/",
        "state.html",
        state_page,
        {k: v for k, v in LISTING.items() if k not in ("state", "page", "per_page")},
    ),
    Page("agencies", "/agencies/", "agencies.html", agencies, dict(LISTING)),
    Page("agency", "/agency/{agency_id}/", "agency.html", agency_page, {}),
    Page("changes", "/changes/", "changes.html", changes, CHANGES),
    Page("pending", "/pending/", "pending.html", pending, {"state": None, "model": None, "as_of": None}),
    Page(
        "publications",
        "/publications/",
        "publications.html",
        publications,
        {"kind": ("participating", "pending"), "page": None, "per_page": None},
    ),
    Page("money", "/money/", "money.html", money, {"state": None, "year": None, "as_of": None}),
    Page("claims", "/claims/", "claims.html", claims, {}),
    Page("methodology", "/methodology/", "methodology.html", methodology, {}),
    Page("downloads", "/downloads/", "downloads.html", downloads, {}),
    Page("api", "/api/", "api.html", api_docs, {}),
]
