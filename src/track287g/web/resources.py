"""The registry of the site's data: one function per resource, ``(site, params, **address parts) -> dict``, each
answer computed once per data version (``Site.cached``). Two presentations draw on it and on nothing else: the
pages (``pages.py``: a template, drawn figures, and the page's JSON twin) and the JSON API (``endpoints.py``:
paging, CSV variants, OpenAPI). Every answer is plain JSON-ready data in English; the pages translate it.
"""

from __future__ import annotations

from datetime import date

from track287g import documents
from track287g.analyze import stats
from track287g.documents.search import SearchError
from track287g.i18n import N_
from track287g.normalize import tables
from track287g.publish import downloads as bulk
from track287g.web import adapters, lookups
from track287g.web.query_params import BadRequest, page_of
from track287g.web.site import Site

LISTING: dict[str, tuple[str, ...] | None] = {
    "state": None,
    "model": None,
    "status": ("active", "removed", "pending", "withdrawn"),
    "type": lookups.TYPES,
    "kind": None,
    "q": None,
    "as_of": None,
    "page": None,
    "per_page": None,
}


# --- the shared building blocks: the agency index, the list in force on a date, what a list holds ---------


def snapshot(site: Site, sha: str) -> list[dict]:
    """The agreements one participating publication lists."""
    return site.cached(("snapshot", sha), lambda c: lookups.snapshot(c, sha))


def list_on(site: Site, on: str | None) -> dict:
    """The participating publication in force on a date (default: the latest)."""
    return site.cached(("list_on", on), lambda c: lookups.list_on(c, on))


def agency_index(site: Site) -> list[dict]:
    """Every agency with its status and models."""
    return site.cached(("index",), lookups.agency_index)


def overview(site: Site, on: str | None) -> dict:
    """Counts on a date (default: the latest list) and at the start of 2025, national and per state."""
    pub = list_on(site, on)
    return site.cached(("overview", pub["sha256"]), lambda c: lookups.overview(c, pub["published"] if on else None))


# --- home -----------------------------------------------------------------------------------------------


def home(site: Site, p: dict) -> dict:
    """The national picture: counts now and at the start of 2025, per state, the map, the timeline, latest changes."""
    ov = overview(site, p.get("as_of"))
    items = ov["items"]
    counties, _, unplaced = lookups.county_counts(items, agency_index(site))
    timeline = site.cached(("timeline",), lookups.national_timeline)
    latest = site.cached(("latest_changes",), lambda c: lookups.changes_page(c, {}, 1, 3))
    pend = site.cached(("pending", None, ()), lambda c: lookups.pending_page(c, None, {}))
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
    }


# --- states ---------------------------------------------------------------------------------------------


def states_index(site: Site, p: dict) -> dict:
    """Every state, DC and territory: counts now and at the start of 2025."""
    ov = overview(site, p.get("as_of"))
    rows = sorted(ov["states"].values(), key=lambda s: (s["kind"] != "state" and s["kind"] != "district", s["name"]))
    return {"publication": ov["publication"], "start_2025": ov["start_2025"]["publication"], "states": rows}


def state_page(site: Site, p: dict, code: str) -> dict:
    """One state: counts, its agencies (listed now, and the others), timeline, latest changes, county map data."""
    code = lookups.check_state(code)
    ov = overview(site, p.get("as_of"))
    items = [i for i in ov["items"] if i["state"] == code]
    index = agency_index(site)
    listed = lookups.agencies_on(items, index)
    listed_ids = {a["agency_id"] for a in listed}
    others = [a for a in index if a["state"] == code and a["agency_id"] not in listed_ids]
    listed = lookups.filter_agencies(listed, p)
    others = lookups.filter_agencies(others, p)
    counties, _, unplaced = lookups.county_counts(items, index)
    timeline = site.cached(("state_timelines",), lookups.state_timelines).get(code, [])
    events = site.cached(("state_events", code), lambda c: lookups.queries.changes(c, state=code, limit=40))
    return {
        "state": code,
        "name": lookups.state_name(code),
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
        "changes": events,  # newest first, from the query
        "map": {"counties": counties, "unplaced_agencies": unplaced},
    }


# --- agencies -------------------------------------------------------------------------------------------


def agencies(site: Site, p: dict) -> dict:
    """Agencies, filtered, one page of them; with ``as_of``, those listed on that date."""
    index = agency_index(site)
    pub = None
    if p.get("as_of"):
        pub = list_on(site, p["as_of"])
        rows = lookups.agencies_on(snapshot(site, pub["sha256"]), index)
    else:
        rows = index
    found = lookups.filter_agencies(rows, p)
    chosen, paging = page_of(found, p)
    return {
        "filters": p,
        "publication": lookups.pub_ref(pub),
        "paging": paging,
        "agencies": chosen,
        "kinds": sorted({a["kind"] for a in index}),
    }


def agency_page(site: Site, p: dict, agency_id: str) -> dict:
    """One agency: agreements (each with its archived MOA: fields, signers, date check), spellings,
    applications, events, roster facts."""

    def load(conn) -> dict:
        view = lookups.agency_page(conn, agency_id)
        found = documents.agreement_documents(conn, [g["agreement_id"] for g in view["agreements"]])
        for g in view["agreements"]:
            g["documents"] = found.get(g["agreement_id"], [])
        return view

    return site.cached(("agency", agency_id), load)


# --- documents: the signed agreements -------------------------------------------------------------------

DOCUMENTS: dict[str, tuple[str, ...] | None] = {
    "q": None,
    "state": None,
    "agency": None,
    "agreement": None,
    "page": None,
    "per_page": None,
}


def moa_coverage(site: Site, p: dict) -> dict:
    """How many agreements on ICE's participating list (latest, or in force on ``as_of``) have their MOA on file."""
    on = p.get("as_of")
    return site.cached(("moa_coverage", on), lambda c: documents.coverage(c, date.fromisoformat(on) if on else None))


def documents_index(site: Site, p: dict) -> dict:
    """The archived MOAs and addenda, filtered or found by full-text search (``q``), one page of them, with the
    count of agreements that have their MOA on file."""
    key = tuple(sorted((k, v) for k, v in p.items() if k not in ("page", "per_page")))

    def load(conn) -> list[dict]:
        try:
            return documents.list_documents(
                conn,
                search=p.get("q"),
                agency_name=p.get("agency"),
                state=p.get("state"),
                agreement_id=p.get("agreement"),
            )
        except SearchError as exc:
            raise BadRequest(exc.template, **exc.values) from None

    found = site.cached(("documents", key), load)
    chosen, paging = page_of(found, p)
    return {"filters": p, "paging": paging, "coverage": moa_coverage(site, {}), "documents": chosen}


def document_page(site: Site, p: dict, sha256: str) -> dict:
    """One document: every extracted value with the text it was read from, its signers, links and date checks."""

    def load(conn) -> dict:
        try:
            return documents.find_document(conn, sha256)
        except documents.DocumentError as exc:
            raise lookups.NotFound(exc.template, **exc.values) from None

    return site.cached(("document", sha256), load)


# --- changes, pending, publications ---------------------------------------------------------------------

CHANGES: dict[str, tuple[str, ...] | None] = {
    "since": None,
    "state": None,
    "kind": ("participating", "pending"),
    "type": lookups.EVENT_TYPES,
    "model": None,
    "page": None,
    "per_page": None,
}


def changes(site: Site, p: dict) -> dict:
    """Events grouped by publication, newest first; ``per_page`` counts publications."""
    per_page = p.get("per_page", 10)
    if per_page > 100:
        raise BadRequest(N_("per_page for changes counts publications: at most 100"))
    page = p.get("page", 1)
    key = tuple(sorted((k, v) for k, v in p.items() if k not in ("page", "per_page")))
    data = site.cached(("changes", key, page, per_page), lambda c: lookups.changes_page(c, p, page, per_page))
    pages = max(1, -(-data["total_publications"] // per_page))
    if page > pages:
        raise BadRequest(N_("page {page} is past the last page ({pages})"), page=page, pages=pages)
    return data | {"paging": {"page": page, "per_page": per_page, "pages": pages, "total": data["total_publications"]}}


def pending(site: Site, p: dict) -> dict:
    """The pending list (latest or on a date), time to approval, applications that vanished."""
    f = {k: v for k, v in p.items() if k in ("state", "model")}
    on = p.get("as_of")
    return site.cached(("pending", on, tuple(sorted(f.items()))), lambda c: lookups.pending_page(c, on, f))


def publications(site: Site, p: dict) -> dict:
    """Every publication archived, newest first, one page of them."""
    pubs = site.cached(("publications", p.get("kind")), lambda c: lookups.publications_page(c, p.get("kind")))
    chosen, paging = page_of(pubs, p, default=500)
    return {"filters": p, "paging": paging, "publications": chosen}


# --- money, claims, methodology, downloads --------------------------------------------------------------


def money(site: Site, p: dict) -> dict:
    """The funding model's estimate for a year, on the list in force on a date."""
    pub = list_on(site, p.get("as_of"))
    year = p.get("year", date.fromisoformat(pub["published"]).year)
    state = p.get("state")
    found = site.cached(
        ("funding", pub["sha256"], year, state), lambda c: adapters.funding(c, pub["published"], year, state)
    )
    return {"publication": lookups.pub_ref(pub), "year": year, "state": state, "funding": found}


def claims(site: Site, p: dict) -> dict:
    """Published claims checked against the record."""
    return {"claims": site.cached(("claims",), adapters.claims)}


def methodology(site: Site, p: dict) -> dict:
    """The rules, the sources and the repairs made, with counts."""
    return site.cached(("methodology",), lookups.methodology)


def downloads(site: Site, p: dict) -> dict:
    """The bulk exports and the API's CSV addresses."""
    return {"files": bulk.listing(site)}


def stats_counts(site: Site, p: dict) -> dict:
    """Agencies and agreements on a date, in total and by group (``by``)."""
    pub = list_on(site, p.get("on"))
    return site.cached(
        ("counts", pub["sha256"], p.get("by"), p.get("state")),
        lambda c: stats.counts(c, pub["published"], p.get("by"), p.get("state")),
    )
