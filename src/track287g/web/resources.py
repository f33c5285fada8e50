"""The registry of the site's data: one function per resource, ``(site, params, **address parts) -> dict``, each
answer computed once per data version (``Site.cached``). Two presentations draw on it and on nothing else: the
pages (``pages.py``: a template, drawn figures, and the page's JSON twin) and the JSON API (``endpoints.py``:
paging, CSV variants, OpenAPI). Every answer is plain JSON-ready data in English; the pages translate it.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from track287g import documents
from track287g.analyze import laws as law_figures
from track287g.analyze import stats
from track287g.documents.search import SearchError
from track287g.enrich import places as enrich_places
from track287g.enrich.counties import gazetteer
from track287g.enrich.laws import law_then
from track287g.errors import Moved, NotFound
from track287g.history import vocabulary
from track287g.i18n import N_
from track287g.normalize import agency_kind, tables
from track287g.publish import downloads as bulk
from track287g.web import adapters, lookups, mapdata, places, search
from track287g.web.query_params import BadRequest, page_of
from track287g.web.site import CLAIMS, MAP, NATION, PLACES, Site

LISTING: dict[str, tuple[str, ...] | None] = {
    "state": None,
    "model": None,
    "status": vocabulary.AGENCY_STATUSES,
    "type": lookups.TYPES,
    "kind": agency_kind.KINDS,
    "q": None,
    "as_of": None,
    "page": None,
    "per_page": None,
}


# --- the shared building blocks: the agency index, the list in force on a date, what a list holds ---------


snapshot = places.snapshot  # the agreements one participating publication lists


def list_on(site: Site, on: str | None) -> dict:
    """The participating publication in force on a date (default: the latest)."""
    return site.cached(("list_on", on), lambda c: lookups.list_on(c, on))


def agency_index(site: Site) -> list[dict]:
    """Every agency with its status and models."""
    return site.cached(("index",), lookups.agency_index)


def agreement_rows(site: Site) -> list[dict]:
    """Every agreement with its holder (what the agreements' filters and pages read)."""
    return site.cached(("agreements",), lookups.agreement_rows)


def state_timelines(site: Site) -> dict[str, list[dict]]:
    """Each state's agreements and agencies on every participating list (the state pages' and comparison's)."""
    return site.cached(("state_timelines",), lookups.state_timelines)


def overview(site: Site, on: str | None) -> dict:
    """Counts on a date (default: the latest list) and at the start of 2025, national and per state."""
    pub = list_on(site, on)
    printed = places.printed_rows(site)
    return site.cached(
        ("overview", pub["sha256"]), lambda c: lookups.overview(c, pub["published"] if on else None, printed)
    )


def laws_overview(site: Site, on: str | None) -> dict:
    """States by stance beside their agreements now and at the start of 2025, and the mandate states' figure."""
    ov = overview(site, on)
    rows = places.laws_table(site)
    counts = {c: (s["start_2025"]["agreements"], s["now"]["agreements"]) for c, s in ov["states"].items()}
    states = [
        {"law": law}
        | {k: ov["states"][law["state"]][k] for k in ("state", "name")}
        | {"now": counts[law["state"]][1], "start_2025": counts[law["state"]][0]}
        for law in rows
    ]
    pub = list_on(site, on)
    effect = site.cached(("law_effect", pub["sha256"]), lambda c: law_figures.law_effect(c, "mandate", on))
    return {
        "publication": ov["publication"],
        "start_2025": ov["start_2025"]["publication"],
        "by_stance": law_figures.by_stance(rows, counts),
        "states": states,
        "mandate_effect": effect,
        # as of a date: the states whose law the table dates after it (their stance is the law's, not that day's)
        "not_yet": [law["state"] for law in rows if law_then(law, on)],
    }


# --- home -----------------------------------------------------------------------------------------------


def home(site: Site, p: dict) -> dict:
    """The national picture: counts now and at the start of 2025, per state, the map, the timeline, latest changes."""
    ov = overview(site, p.get("as_of"))
    items = ov["items"]
    counties, _, unplaced = lookups.county_counts(items, agency_index(site), places.served_counties(site))
    timeline = site.cached(("timeline",), lookups.national_timeline)
    on = p.get("as_of")  # as of a date: the latest changes up to it
    latest = site.cached(("latest_changes", on), lambda c: lookups.changes_page(c, {"until": on} if on else {}, 1, 3))
    pend = places.pending_then(site, on)
    return {
        "publication": ov["publication"],
        "as_of": p.get("as_of"),
        "freshness": places.freshness(site),
        "growth": places.growth(site, p.get("as_of")),
        "now": ov["now"],
        "start_2025": ov["start_2025"],
        "states": sorted(ov["states"].values(), key=lambda s: -s["now"]["agreements"]),
        "pending": _pending_line(pend),
        "latest_changes": latest["publications"],
        "timeline": timeline,
        "long_timeline": site.cached(("long_timeline",), lookups.long_timeline),
        "map": {"counties": counties, "unplaced_agencies": unplaced},
        "laws": laws_overview(site, p.get("as_of")),
    }


def _pending_line(pend: dict | None) -> dict | None:
    """The pending list in force on the page's date: its applications, how many ICE had listed as agreements by
    that date (``approved_by_date``, as of a date only) and how many of them the record has approved in all."""
    if pend is None:
        return None
    return {k: pend[k] for k in ("publication", "applications", "approved_since", "approved_by_date")}


# --- states ---------------------------------------------------------------------------------------------


def states_index(site: Site, p: dict) -> dict:
    """Every state, DC and territory: counts now and at the start of 2025."""
    ov = overview(site, p.get("as_of"))
    rows = sorted(ov["states"].values(), key=lambda s: (s["kind"] != "state" and s["kind"] != "district", s["name"]))
    return {"publication": ov["publication"], "start_2025": ov["start_2025"]["publication"], "states": rows}


def state_page(site: Site, p: dict, code: str) -> dict:
    """One state: counts, its agencies (listed now, and the others), timeline, latest changes, county map data."""
    code = lookups.check_state(code)
    on = p.get("as_of")  # as of a date: its list, the others the record held then, the changes up to it
    ov = overview(site, on)
    items = [i for i in ov["items"] if i["state"] == code]
    index = agency_index(site)
    listed = lookups.agencies_on(items, index)
    listed_ids = {a["agency_id"] for a in listed}
    # the others the record held then: as of a past list, not the agencies first listed after it
    then = ov["publication"]["published"] if on else None
    others = [
        a
        for a in index
        if a["state"] == code and a["agency_id"] not in listed_ids and (not then or (a["first_listed"] or "") <= then)
    ]
    listed = lookups.filter_agencies(listed, p)
    others = lookups.filter_agencies(others, p)
    counties, _, unplaced = lookups.county_counts(items, index, places.served_counties(site))
    timeline = state_timelines(site).get(code, [])
    events = site.cached(
        ("state_events", code, on), lambda c: lookups.queries.changes(c, state=code, limit=40, until=on)
    )
    return {
        "state": code,
        "name": lookups.state_name(code),
        "kind": tables.states()[code]["kind"],
        "publication": ov["publication"],
        "as_of": p.get("as_of"),
        "filters": p,
        "freshness": places.freshness(site),
        "growth": places.growth(site, p.get("as_of"), places.in_state(code), scope=f"state/{code}"),
        "covered_by": places.place_report(site, enrich_places.state_place(code), p.get("as_of"))["covered_by"],
        "now": ov["states"][code]["now"],
        "start_2025": ov["states"][code]["start_2025"],
        "start_2025_publication": ov["start_2025"]["publication"],
        "agencies": listed,
        "other_agencies": others,
        "timeline": timeline,
        "changes": events,  # newest first, from the query
        "revisions": [r for r in revisions(site) if r["state"] == code][:10],  # what the record no longer says
        "map": {"counties": counties, "unplaced_agencies": unplaced},
        "law": (law := places.state_law(site, code)),
        "law_then": law_then(law, p.get("as_of")),
        "money": place_money(site, code),
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
    q = p.get("q")
    near = (
        search.near(lookups.filter_agencies(rows, {k: v for k, v in p.items() if k != "q"}), q)
        if q and not found
        else []
    )
    return {
        "filters": p,
        "publication": lookups.pub_ref(pub),
        "paging": paging,
        "agencies": chosen,
        "near": near,
        "places": [
            {"kind": c.kind, "name": c.name, "url": _place_url(c, p.get("as_of"))}
            for c in (
                site.cached(("find_counties", q), lambda _c: enrich_places.find_places(q, towns=False)) if q else []
            )[:5]
        ],
        "kinds": sorted({a["kind"] for a in index}),
    }


def agency_page(site: Site, p: dict, agency_id: str) -> dict:
    """One agency: agreements (each with its archived MOA: fields, signers, date check), spellings,
    applications, events, roster facts, its size, what the funding model estimates for it and its county, and
    its state's law on 287(g); ``as_of`` a date: what ICE's lists in force then printed of it. An unknown id is a
    404 that names the agencies closest to it."""
    on = p.get("as_of")
    if on:
        list_on(site, on)  # a day before ICE's first list: the 404 that names it (or the old list of that day)

    def load(conn) -> dict:
        view = lookups.agency_page(conn, agency_id)
        if on:
            view["as_of"] = lookups.queries.agency_on(conn, view, lookups.queries.parse_date(on))
        found = documents.agreement_documents(conn, [g["agreement_id"] for g in view["agreements"]])
        for g in view["agreements"]:
            g["documents"] = found.get(g["agreement_id"], [])
        # its size on the same connection (last: a failed read of it leaves nothing after it to fail)
        view["size"] = adapters.agency_size(conn, agency_id)
        return view

    try:  # made for each answer (a third of a millisecond), not kept: kept views were objects every collection walked
        with site.db.quick_read() as conn:  # every statement of it is plain SQL (store.sql)
            data = load(conn)
    except Moved:
        raise  # a former id: the app redirects to the id it carries now
    except lookups.NotFound as exc:
        near = search.suggest_ids(agency_index(site), agency_id)
        if not near:
            raise
        raise search.NotFoundNear(
            exc, links=[(f"{a['name']} ({a['state']})", f"/agency/{a['agency_id']}/") for a in near]
        ) from None
    ids = {agency_id, *(f["alias"] for f in data.get("former_ids") or ())}  # revised under any id it carried
    era = site.cached(("html_era",), lookups.html_era)
    first = data.get("first_listed")
    return data | {
        # listed on an HTML-era table: said beside its dates (the lists it was first or only on are derived)
        "html_era_lists": era if era and first and first <= era["last"] else None,
        "money": place_money(site, data["state"], agency_id, data.get("county_fips")),
        "revisions": [r for r in revisions(site) if r["agency_id"] in ids][:10],  # what the record no longer says
        "law": places.state_law(site, data["state"]),
        "asked": on,
    }


def revisions(site: Site) -> list[dict]:
    """The revisions of the record, newest first, each with its agency's name as ``agency`` (as the events
    have it): read once per data version, so that the pages listing them ask nothing more."""
    return site.cached(("revisions",), lambda c: [r | {"agency": r["name"]} for r in lookups.queries.revisions(c)])


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
    if on:
        list_on(site, on)  # a day before ICE's first list: the 404 that names it (or the old list of that day)
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


# --- places: counties, towns, ZIP codes -----------------------------------------------------------------

PLACE_PARAMS: dict[str, tuple[str, ...] | None] = {"as_of": None}


def county_page(site: Site, p: dict, fips: str) -> dict:
    """One county: what covers it on a date (its sheriff and jail, its towns' police, campus and port police,
    statewide agencies), what was there before, pending applications, growth, its state's law."""
    place = places.county(site, fips)
    found = places.place_report(site, place, p.get("as_of"))
    return found | {
        "freshness": places.freshness(site),
        "growth": places.growth(
            site, p.get("as_of"), places.local_to(place, site), scope=f"county/{fips}", state=place.state
        ),
        "state_name": lookups.state_name(place.state),
        "population": gazetteer().population(fips),
        "status": {b["agency_id"]: b["now"]["status"] for b in found["before"]},
    }


def place_lookup(site: Site, p: dict) -> dict:
    """What a person typed (``q``: a county, town, ZIP code or state): the one place it names, with what covers
    it and its state's law; or the places it may mean; or near names when none."""
    q = p.get("q") or ""
    found = site.cached(("find_places", q), lambda _c: enrich_places.find_places(q)) if q else []
    out: dict = {"q": q, "as_of": p.get("as_of"), "freshness": places.freshness(site)}
    if len(found) == 1:
        place = found[0]
        out["place"] = places.place_report(site, place, p.get("as_of"))
        out["county_names"] = {f: f"{gazetteer().by_fips[f].name}, {place.state}" for f in place.counties}
        out["redirect"] = _place_url(place, p.get("as_of"))
        if place.kind != "state":
            keep = places.local_to(place, site)
            scope = f"place/{place.kind}/{place.query}"
            out["growth"] = places.growth(site, p.get("as_of"), keep, scope=scope, state=place.state)
        return out
    out["choices"] = [{"kind": c.kind, "name": c.name, "state": c.state, "url": _place_url(c, None)} for c in found]
    out["suggestions"] = [] if found or not q else site.cached(("suggest", q), lambda _c: enrich_places.suggest(q))
    out["agencies"] = search.search(agency_index(site), q)[:10] if q and not found else []
    return out


def _place_url(place: enrich_places.Place, on: str | None) -> str:
    suffix = f"?as_of={on}" if on else ""
    if place.kind == "county":
        return f"/county/{place.county_fips}/{suffix}"
    if place.kind == "state":
        return f"/state/{place.state}/{suffix}"
    return "/place/?" + urlencode({"q": place.query} | ({"as_of": on} if on else {}))


def place_api(site: Site, p: dict) -> dict:
    """The JSON answer of ``track287g place QUERY --json`` for ``q``: one place, or a 404 naming the choices or
    near names."""
    q = p.get("q")
    if not q:
        raise BadRequest(N_("q is required: a county, a town or city, a ZIP code or a state"))
    place = site.cached(("find_place", q), lambda _c: enrich_places.find_place(q))
    return places.place_report(site, place, p.get("as_of"))


def place_by_code(site: Site, p: dict, code: str) -> dict:
    """A county by its 5-digit FIPS code, or a state by its USPS code."""
    state = None if code.isdigit() else lookups.check_state(code)
    place = enrich_places.state_place(state) if state else places.county(site, code)
    return places.place_report(site, place, p.get("as_of"))


# --- growth, leaderboards, comparison, the map ------------------------------------------------------------


def leaderboards(site: Site, p: dict) -> dict:
    """States per million residents, by agreements, by growth over a year; agencies by sworn officers."""
    return places.leaderboards(site, p.get("as_of")) | {"freshness": places.freshness(site), "as_of": p.get("as_of")}


def compare(site: Site, p: dict) -> dict:
    """Up to four states over time (``states``: USPS codes, comma-separated)."""
    codes = p.get("states") or []
    return places.compare(site, codes, p.get("as_of")) | {
        "codes": codes,
        "freshness": places.freshness(site),
        "as_of": p.get("as_of"),
    }


def map_frames(site: Site, p: dict) -> dict:
    """Every participating list since 2021 as a frame of the moving map, with agencies and agreements."""
    return site.cached(("map_frames",), lambda c: site.made(MAP) or mapdata.frames(c))


def map_shapes(site: Site, p: dict) -> dict:
    """The county and state shapes of the moving map (GeoJSON, Alaska and Hawaii in an inset)."""
    return site.cached(("map_shapes",), lambda _c: mapdata.shapes())


# --- changes, pending, publications ---------------------------------------------------------------------

CHANGES: dict[str, tuple[str, ...] | None] = {
    "since": None,
    "state": None,
    "kind": ("participating", "pending"),
    "type": vocabulary.EVENT_TYPES,
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
        raise NotFound(N_("page {page} is past the last page ({pages})"), page=page, pages=pages)
    state = p.get("state")
    latest = [r for r in revisions(site) if not state or r["state"] == state][:10] if page == 1 else []
    return data | {
        "paging": {"page": page, "per_page": per_page, "pages": pages, "total": data["total_publications"]},
        "revisions": latest,  # the latest revisions of the record, on the first page
    }


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


MONEY = {
    "state": None,
    "county": None,
    "agency": None,
    "year": None,
    "basis": None,
    "as_of": None,
    "officers": None,
    "claim": None,
    "overtime": None,
    "award": None,
    "growth": None,
}
SCENARIO_FIELDS = ("officers", "claim", "overtime", "award", "growth")


def money(site: Site, p: dict) -> dict:
    """The funding model's answer for the nation, a state, a county or an agency, with a reader's scenario
    (the fields of ``SCENARIO_FIELDS``); the address with those fields is the answer's permalink. The nation's,
    with no scenario, is the one made when the data changed (``web.precomputed``), when it was made."""
    pub = list_on(site, p.get("as_of"))
    year = p.get("year", date.fromisoformat(pub["published"]).year)
    if p.get("county") and not p.get("state"):
        code = lookups.state_of_fips(p["county"])
        if code is None:
            raise BadRequest(
                N_("a county needs its state (/money/?state=FL&county=Lee County), or its 5-digit FIPS code")
            )
        p = p | {"state": code}
    nation = not any(p.values())  # the money page as linked: the latest list, no scenario
    found = site.cached(
        ("funding", pub["sha256"], year, tuple(sorted((k, str(v)) for k, v in p.items() if k != "year"))),
        lambda c: (nation and site.made(NATION)) or adapters.funding(funding_run(site, pub, year, p), p),
    )
    permalink = {k: v for k, v in p.items() if k in MONEY}
    names = {"state": lookups.state_name(p["state"]) if p.get("state") else None}
    if found.get("available") and found.get("level") == "agency":
        names["agency"] = found["place"].get("agency") or p.get("agency")
        names["state"] = lookups.state_name(found["place"]["state"])
    if found.get("available") and found.get("level") == "county":
        names["county"] = found["place"].get("county")
    return {
        "names": names,
        "publication": lookups.pub_ref(pub),
        "year": year,
        "query": permalink,
        "scenario": {k: p[k] for k in SCENARIO_FIELDS if k in p},
        "funding": found,
    }


def funding_run(site: Site, pub: dict, year: int, p: dict) -> dict:
    """One run of the funding model for the state a query is about (or the nation), shared by every page of
    that state, its counties and agencies under the same scenario."""
    state = p.get("state") or (p["agency"].split("-", 1)[0].upper() if p.get("agency") else None)
    scenario = tuple(sorted((k, str(v)) for k, v in p.items() if k in (*SCENARIO_FIELDS, "basis")))
    query = {k: v for k, v in p.items() if k in (*SCENARIO_FIELDS, "basis", "state", "agency")}
    return site.cached(
        ("funding_run", pub["sha256"], year, state, scenario),
        lambda c: adapters.funding_estimate(c, pub["published"], year, query),
    )


def funding_places(site: Site) -> dict:
    """Every place's central estimate on the latest list (for the agency and state pages): the one made when the
    data changed (``web.precomputed``), when it was made."""
    pub = list_on(site, None)
    year = date.fromisoformat(pub["published"]).year
    return site.cached(
        ("funding_places", pub["sha256"]),
        lambda c: site.made(PLACES) or adapters.funding_places(funding_run(site, pub, year, {})),
    )


def place_money(site: Site, state: str, agency_id: str | None = None, fips: str | None = None) -> dict:
    """What the money page says of one agency (or county, or state), for the pages that show it beside other
    facts: its central figure, range and the link to its money page."""
    found = funding_places(site)
    if not found.get("available"):
        return {"available": False}
    out: dict = {"available": True, "year": found["year"], "list": found["list"]}
    if agency_id is not None:
        a = found["agencies"].get(agency_id)
        out["agency"] = a and {k: a[k] for k in ("central", "low", "high", "inputs")}
        fips = a["county_fips"] if a else fips
    if fips:
        c = found["counties"].get(fips)
        out["county"] = c and {k: c[k] for k in ("fips", "name", "central", "low", "high", "agencies")}
        out["county_fips"] = fips
    s = found["states"].get(state)
    out["state"] = s and {k: s[k] for k in ("state", "central", "low", "high", "agencies", "parts")}
    return out


def claims(site: Site, p: dict) -> dict:
    """Published claims checked against the record."""
    return {"claims": site.cached(("claims",), lambda c: site.made(CLAIMS) or adapters.claims(c))}


def methodology(site: Site, p: dict) -> dict:
    """The rules, the sources and the repairs made, with counts."""
    return site.cached(("methodology",), lookups.methodology)


def downloads(site: Site, p: dict) -> dict:
    """The bulk exports of this data version that exist (or when to come back for them) and the API's CSV
    addresses. Never writes anything: the exports are written when the data changes."""
    return {"files": bulk.listing(site.exports, site.data_version)}


def downloads_state(site: Site) -> str:
    """``ready``, ``preparing`` or ``missing``: whether this data version's bulk exports are written."""
    return bulk.state(site.exports, site.data_version)


def stats_counts(site: Site, p: dict) -> dict:
    """Agencies and agreements on a date, in total and by group (``by``)."""
    pub = list_on(site, p.get("on"))
    return site.cached(
        ("counts", pub["sha256"], p.get("by"), p.get("state")),
        lambda c: stats.counts(c, pub["published"], p.get("by"), p.get("state")),
    )
