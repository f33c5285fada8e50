"""The JSON API under ``/api/v1``: the same resources as the pages (``resources.py``), paginated, with CSV variants
(``.csv``; always the whole filtered list) and an OpenAPI document generated from the endpoint list below, so the
two cannot drift.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from track287g.analyze import stats
from track287g.analyze.laws import flat
from track287g.config import VERSION as __version__
from track287g.enrich import STANCES
from track287g.history import queries, vocabulary
from track287g.i18n import N_
from track287g.normalize import tables
from track287g.web import adapters, lookups, resources
from track287g.web.query_params import MAX_PER_PAGE, SCENARIO_MAX, BadRequest, page_of
from track287g.web.site import Site

PAGING = {"page": None, "per_page": None}


@dataclass
class Endpoint:
    """One API address: ``{name}`` parts, parameters, whether it has a CSV variant, and its answer."""

    path: str
    summary: str
    answer: Callable[..., dict]
    params: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    csv_rows: str | None = None  # the key of the list a CSV variant writes out
    name: str = ""
    required: tuple[str, ...] = ()  # query parameters the address cannot answer without
    patterns: dict[str, str] = field(default_factory=dict)  # a parameter's form here, where narrower than elsewhere


def _paged(items: list, p: dict, key: str, csv: bool, **extra: Any) -> dict:
    if csv:
        return {key: items, **extra}
    chosen, paging = page_of(items, p)
    return {**extra, "paging": paging, key: chosen}


def api_index(site: Site, p: dict, csv: bool = False) -> dict:
    return {
        "name": "track287g API",
        "version": "v1",
        "data_version": site.data_version,
        "openapi": "/api/v1/openapi.json",
        "endpoints": [e.path for e in ENDPOINTS],
    }


def publications(site: Site, p: dict, csv: bool = False) -> dict:
    pubs = site.cached(("publications", p.get("kind")), lambda c: lookups.publications_page(c, p.get("kind")))
    return _paged(pubs, p, "publications", csv)


def publication(site: Site, p: dict, sha256: str, csv: bool = False) -> dict:
    def find(conn) -> dict:
        try:
            found = queries.find_publication(conn, sha256, p.get("kind"))
        except queries.QueryError as exc:
            if not str(exc).startswith("no publication"):  # more than one fits: the request must say which
                raise BadRequest(str(exc).replace("add --kind", "add kind=")) from None
            raise lookups.NotFound(exc.template, **exc.values) from None
        items = (
            queries.listed_agreements(conn, found["sha256"])
            if found["kind"] == "participating"
            else queries.listed_applications(conn, found["sha256"])
        )
        return {"publication": found, **lookups.summarize_items(items), "items": items}

    return site.cached(("publication", sha256, p.get("kind")), find)


def agencies(site: Site, p: dict, csv: bool = False) -> dict:
    index = resources.agency_index(site)
    pub = None
    rows = index
    if p.get("as_of"):
        pub = resources.list_on(site, p["as_of"])
        rows = lookups.agencies_on(resources.snapshot(site, pub["sha256"]), index)
    found = lookups.filter_agencies(rows, p)
    return _paged(found, p, "agencies", csv, filters=p, publication=lookups.pub_ref(pub))


def agency(site: Site, p: dict, agency_id: str, csv: bool = False) -> dict:
    return resources.agency_page(site, p, agency_id)  # a former id raises Moved: a redirect


def agreements(site: Site, p: dict, csv: bool = False) -> dict:
    rows = resources.agreement_rows(site)
    listed, pub = None, None
    if p.get("as_of"):
        pub = resources.list_on(site, p["as_of"])
        listed = {i["agreement_id"] for i in resources.snapshot(site, pub["sha256"])}
    found = lookups.filter_agreements(rows, p, listed)
    return _paged(found, p, "agreements", csv, filters=p, publication=lookups.pub_ref(pub))


def events(site: Site, p: dict, csv: bool = False) -> dict:
    def load(conn) -> list[dict]:
        agency_id = None
        if p.get("agency"):
            try:
                agency_id = queries.find_agency(conn, p["agency"], p.get("state"))
            except queries.QueryError as exc:
                raise lookups.NotFound(exc.template, **exc.values) from None
        found = queries.changes(
            conn, since=p.get("since"), state=p.get("state"), agency_id=agency_id, kind=p.get("kind")
        )
        if p.get("type"):
            found = [e for e in found if e["type"] == p["type"]]
        if p.get("model"):
            found = [e for e in found if e["model"] == p["model"]]
        return found

    key = tuple(sorted((k, v) for k, v in p.items() if k not in PAGING))
    return _paged(
        site.cached(("events", key), load), p, "events", csv, filters=p, no_list_since=_no_list_since(site, p)
    )


def _no_list_since(site: Site, p: dict) -> list[dict]:
    """Asked since a date after the record's latest list of a kind: that list (no events of it is not "nothing
    changed"); one agency's history is whole whatever the date."""
    if not p.get("since") or p.get("agency"):
        return []
    return site.cached(
        ("no_list_since", p["since"], p.get("kind")), lambda c: queries.no_list_since(c, p["since"], p.get("kind"))
    )


def stats_counts(site: Site, p: dict, csv: bool = False) -> dict:
    return resources.stats_counts(site, p)


def stats_publications(site: Site, p: dict, csv: bool = False) -> dict:
    kind = p.get("kind", "participating")
    rows = site.cached(("per_publication", kind), lambda c: stats.per_publication(c, kind=kind))
    if csv:
        what = "agreements" if kind == "participating" else "applications"
        rows = [
            {k: v for k, v in r.items() if k != "models"}
            | {f"{m}_{what}": r["models"].get(m, {}).get(what, 0) for m in lookups.MODELS}
            for r in rows
        ]
    return {"kind": kind, "publications": rows}


def as_of(site: Site, p: dict, date: str, csv: bool = False) -> dict:
    from track287g.web.query_params import CHECKS

    day = CHECKS["as_of"](date)
    old = site.cached(("old_answer", day, p.get("state")), lambda c: lookups.old_answer(c, day, p.get("state")))
    if old is not None:  # before ICE's first list: an old list of 2007-2009, derived, with its source
        return _paged(
            [i | {"derived": True} for i in old["items"]],
            p,
            "items",
            csv,
            date=day,
            state=p.get("state"),
            derived=True,
            source=old["source"],
            counting=old["counting"],
            publication=lookups.pub_ref(old["publication"]),
            **lookups.summarize_items(old["items"], (*lookups.MODELS, "JEM+TFM")),  # Hybrid: one agreement, both
            pending={"publication": None} | {k: old["pending"][k] for k in ("applications", "agencies")},
            not_in_history=[],
            days_after_latest_list=None,
        )
    state = p.get("state")
    pub = resources.list_on(site, day)
    items = resources.snapshot(site, pub["sha256"])
    if state:
        items = [i for i in items if i["state"] == state]
    pend = site.cached(("pending_counts", day, state), lambda c: lookups.pending_counts(c, day, state))
    return _paged(
        items,
        p,
        "items",
        csv,
        date=day,
        state=state,
        publication=lookups.pub_ref(pub),
        **lookups.summarize_items(items),
        pending=dict(pend),
        # later lists the history holds out (or has not taken in yet): not counted in this answer
        not_in_history=site.cached(
            ("not_in_history", day), lambda c: queries.left_out(c, "participating", queries.parse_date(day), pub)
        ),
        # a date after the record's latest list: what ICE listed since is not known
        days_after_latest_list=site.cached(
            ("after_latest", day), lambda c: queries.days_after_latest(c, pub, queries.parse_date(day))
        ),
    )


def states(site: Site, p: dict, csv: bool = False) -> dict:
    data = resources.states_index(site, p)
    if csv:
        rows = []
        for s in data["states"]:
            row = {"state": s["state"], "name": s["name"], "kind": s["kind"]}
            for when in ("now", "start_2025"):
                row[f"{when}_agencies"] = s[when]["agencies"]
                row[f"{when}_agreements"] = s[when]["agreements"]
                for m in lookups.MODELS:
                    row[f"{when}_{m}"] = s[when]["models"][m]["agreements"]
            rows.append(row)
        return {"states": rows}
    return data


def state(site: Site, p: dict, code: str, csv: bool = False) -> dict:
    data = resources.state_page(site, p, code)
    return {k: v for k, v in data.items() if not k.startswith("_")}


def pending_list(site: Site, p: dict, csv: bool = False) -> dict:
    data = resources.pending(site, p)
    return data if not csv else {"items": data["items"]}


def coverage(site: Site, p: dict, csv: bool = False) -> dict:
    if p.get("as_of"):
        resources.list_on(site, p["as_of"])  # a day before ICE's first list: the 404 that names it
    return site.cached(("coverage", p.get("as_of")), lambda c: adapters.coverage(c, p.get("as_of")))


def funding(site: Site, p: dict, csv: bool = False) -> dict:
    return resources.money(site, p)


def documents_list(site: Site, p: dict, csv: bool = False) -> dict:
    if csv:
        data = resources.documents_index(site, {k: v for k, v in p.items() if k not in PAGING} | {"per_page": 10**6})
        return {"documents": [_flat_document(d) for d in data["documents"]]}
    return resources.documents_index(site, p)


def _flat_document(d: dict) -> dict:
    """A document as one CSV row: its fields, and its signers as ``ice_signer``, ``agency_title`` ..."""
    row = {k: v for k, v in d.items() if k not in ("signers", "links", "date_checks", "fields", "matches")}
    for party in ("agency", "ice"):
        s: dict[str, Any] = next((s for s in d["signers"] if s["party"] == party and s["block"] == 1), {})
        row |= {f"{party}_signer": s.get("name"), f"{party}_title": s.get("title"), f"{party}_signed": s.get("signed")}
    for name in ("term", "renewal", "addendum", "addendum_to"):
        row[name] = d["fields"].get(name, {}).get("value")
    row["date_check"] = ";".join(f"{c['agreement_id']}:{c['result']}" for c in d["date_checks"])
    return row


def document(site: Site, p: dict, sha256: str, csv: bool = False) -> dict:
    return resources.document_page(site, p, sha256)


def moa_coverage(site: Site, p: dict, csv: bool = False) -> dict:
    return resources.moa_coverage(site, p)


def places_query(site: Site, p: dict, csv: bool = False) -> dict:
    return resources.place_api(site, p)


def place_by_code(site: Site, p: dict, code: str, csv: bool = False) -> dict:
    return resources.place_by_code(site, p, code)


def leaderboards(site: Site, p: dict, csv: bool = False) -> dict:
    return resources.leaderboards(site, p)


def compare(site: Site, p: dict, csv: bool = False) -> dict:
    return resources.compare(site, p)


def map_frames(site: Site, p: dict, csv: bool = False) -> dict:
    return resources.map_frames(site, p)


def map_shapes(site: Site, p: dict, csv: bool = False) -> dict:
    return resources.map_shapes(site, p)


def laws(site: Site, p: dict, csv: bool = False) -> dict:
    data = resources.laws_overview(site, p.get("as_of"))
    rows = data["states"]
    if p.get("stance"):
        rows = [r for r in rows if r["law"]["stance"] == p["stance"]]
    if csv:
        return {"states": [r["law"] | {"agreements": r["now"], "agreements_start_2025": r["start_2025"]} for r in rows]}
    head = {k: data[k] for k in ("publication", "start_2025", "by_stance")}
    return head | {"stance": p.get("stance"), "states": rows}


def law_effect(site: Site, p: dict, csv: bool = False) -> dict:
    data = resources.laws_overview(site, p.get("as_of"))["mandate_effect"]
    return {"states": flat(data["states"])} if csv else data


STATES = tuple(tables.states())
AGENCY_FILTERS = {k: v for k, v in resources.LISTING.items()}
ENDPOINTS: list[Endpoint] = [
    Endpoint("/api/v1/", N_("This index: the endpoints and the data version."), api_index),
    Endpoint(
        "/api/v1/publications",
        N_("Every ICE publication archived (participating and pending lists), newest first."),
        publications,
        {"kind": ("participating", "pending"), **PAGING},
        "publications",
    ),
    Endpoint(
        "/api/v1/publications/{sha256}",
        N_("One publication (by sha256 prefix, date like 2026-01-26pm or file name) with what it lists."),
        publication,
        {"kind": ("participating", "pending")},
    ),
    Endpoint(
        "/api/v1/agencies",
        N_("Agencies, filtered by state, model, status, type, kind, a search term, or listed on a date (as_of)."),
        agencies,
        AGENCY_FILTERS,
        "agencies",
    ),
    Endpoint(
        "/api/v1/agencies/{agency_id}",
        N_(
            "One agency: agreements, spellings, applications, events; as_of: what the lists in force then printed "
            "of it."
        ),
        agency,
        {"as_of": None},
    ),
    Endpoint(
        "/api/v1/agreements",
        N_("Agreements (agency + model + signing date), filtered like agencies; as_of gives those listed then."),
        agreements,
        {**AGENCY_FILTERS, "status": vocabulary.AGREEMENT_STATUSES},
        "agreements",
    ),
    Endpoint(
        "/api/v1/events",
        N_(
            "Changes between consecutive publications, newest first; no_list_since: the kinds whose latest list in "
            "the record is older than since (their events cannot be known)."
        ),
        events,
        {
            "since": None,
            "state": None,
            "kind": ("participating", "pending"),
            "type": vocabulary.EVENT_TYPES,
            "model": None,
            "agency": None,
            **PAGING,
        },
        "events",
    ),
    Endpoint(
        "/api/v1/stats",
        N_("Agencies and agreements on a date (default the latest list), in total and by state, model, type or kind."),
        stats_counts,
        {"on": None, "by": None, "state": None},
    ),
    Endpoint(
        "/api/v1/stats/publications",
        N_("Agencies and agreements on every list of a kind, in total and by model (a time series)."),
        stats_publications,
        {"kind": ("participating", "pending")},
        "publications",
    ),
    Endpoint(
        "/api/v1/as-of/{date}",
        N_(
            "What was in force on a date: ICE's latest list on or before it, its agreements, and pending applications; "
            "before 2021, the old list (derived) of that very day, or a 404 naming the gap."
        ),
        as_of,
        {"state": None, **PAGING},
        "items",
    ),
    Endpoint(
        "/api/v1/states",
        N_("Every state, DC and territory: counts now and at the start of 2025."),
        states,
        {"as_of": None},
        "states",
    ),
    Endpoint(
        "/api/v1/states/{code}",
        N_("One state: counts, agencies, timeline, latest changes, its law on 287(g)."),
        state,
        {k: v for k, v in resources.LISTING.items() if k not in ("state", "page", "per_page")},
    ),
    Endpoint(
        "/api/v1/laws",
        N_(
            "Each researched state's law on 287(g) (stance, instrument, dates, summary, source, confidence) beside "
            "its agreements now and at the start of 2025; totals by stance."
        ),
        laws,
        {"stance": STANCES, "as_of": None},
        "states",
    ),
    Endpoint(
        "/api/v1/laws/effect",
        N_("Agreements in each mandate state on ICE's last list before its law's date and on the latest list."),
        law_effect,
        {"as_of": None},
        "states",
    ),
    Endpoint(
        "/api/v1/pending",
        N_("The pending list (latest or on a date), time to approval, applications that vanished."),
        pending_list,
        {"state": None, "model": None, "as_of": None},
        "items",
    ),
    Endpoint(
        "/api/v1/places",
        N_(
            "What covers a place on a date: q names a county, town or city, ZIP code or state; one object with kind, "
            "name, state, county_fips, as_of (the list used) and covered_by (empty: no agreement covers it)."
        ),
        places_query,
        {"q": None, "as_of": None},
        required=("q",),
    ),
    Endpoint(
        "/api/v1/places/{code}",
        N_("The same for a county by its 5-digit FIPS code (12071) or a state by its USPS code (OR)."),
        place_by_code,
        {"as_of": None},
    ),
    Endpoint(
        "/api/v1/leaderboards",
        N_("States by agencies per million residents, by agreements and by growth; agencies by sworn officers."),
        leaderboards,
        {"as_of": None},
    ),
    Endpoint(
        "/api/v1/compare",
        N_("Up to four states (states=TX,FL) on every list: agreements over time and growth."),
        compare,
        {"states": None, "as_of": None},
    ),
    Endpoint(
        "/api/v1/map",
        N_(
            "The moving map's frames: every participating list since 2021 with its counts, every agency (point, "
            "counties), every agreement with the runs of frames that list it."
        ),
        map_frames,
    ),
    Endpoint("/api/v1/map/shapes", N_("The moving map's county and state shapes (GeoJSON, inset)."), map_shapes),
    Endpoint(
        "/api/v1/coverage",
        N_("Officers and people covered (from the FBI rosters), when built."),
        coverage,
        {"as_of": None},
    ),
    Endpoint(
        "/api/v1/funding",
        N_(
            "The funding model's estimate for the nation, a state, a county or an agency (low / central / high), "
            "with its inputs and a scenario."
        ),
        funding,
        dict(resources.MONEY),
    ),
    Endpoint(
        "/api/v1/documents",
        N_(
            "The archived MOAs and addenda (what each says, who signed and when, its agreement); q searches their text."
        ),
        documents_list,
        resources.DOCUMENTS,
        "documents",
        patterns={"q": r"\w"},  # a full-text search needs a word: only punctuation is a 400
    ),
    Endpoint(
        "/api/v1/documents/{sha256}",
        N_("One document (sha256 or a 6+ character prefix): every value with the text it was read from."),
        document,
    ),
    Endpoint(
        "/api/v1/moa-coverage",
        N_("How many agreements on ICE's participating list have their MOA on file: nationally, per state and model."),
        moa_coverage,
        {"as_of": None},
    ),
]
for _e in ENDPOINTS:
    _e.name = _e.path.removeprefix("/api/v1/").strip("/").replace("/", "_").replace("{", "").replace("}", "") or "index"


def to_csv(rows: list[dict]) -> bytes:
    """A list of flat-ish dicts as CSV (lists joined with ';', nested objects dropped)."""
    buf = io.StringIO()
    if not rows:
        return b""
    columns: list[str] = []
    for r in rows:
        for k, v in r.items():
            if k not in columns and not isinstance(v, dict):
                columns.append(k)
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in r.items() if k in columns})
    return buf.getvalue().encode("utf-8")


# --- OpenAPI --------------------------------------------------------------------------------------------

# A day the API reads (2000-01-01 to 2100-12-31; outside, a 400). A day before the record starts is a 404: no list.
DAY = {"type": "string", "format": "date", "pattern": r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"}
_CODES = "|".join(STATES)
PATH_PARAMS: dict[str, dict[str, Any]] = {
    "date": DAY,
    "code": {"type": "string", "pattern": rf"^([0-9]{{5}}|{_CODES}|{_CODES.lower()})$"},  # a FIPS code or USPS code
    "sha256": {"type": "string", "minLength": 1, "maxLength": 200},
    "agency_id": {"type": "string", "minLength": 1, "maxLength": 200},
}
PARAM_DOCS: dict[str, tuple[str, dict[str, Any]]] = {
    "state": ("USPS code of a state, DC or territory", {"type": "string", "enum": list(STATES)}),
    "model": ("Support model", {"type": "string", "enum": list(lookups.MODELS)}),
    "as_of": (
        "A date (YYYY-MM-DD): use ICE's latest list published on or before it",
        DAY,
    ),
    "on": ("A date (YYYY-MM-DD)", DAY),
    "since": ("Only events of publications on or after this date", DAY),
    "page": (
        "Page number (from 1); past the last page, a 404",
        {"type": "integer", "minimum": 1, "maximum": 1_000_000},
    ),
    "per_page": ("Items per page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 100}),
    "q": (
        "Words to find: in an agency's name, any spelling ICE used, or its county; for documents, in their full "
        'text (every word, and "quoted phrases")',
        {"type": "string", "maxLength": 200},
    ),
    "agreement": ("An agreement id", {"type": "string"}),
    "kind": ("Agency kind read from the name (sheriff, police, ...)", {"type": "string"}),
    "by": ("Group counts by", {"type": "string", "enum": ["state", "model", "type", "kind"]}),
    "year": ("Calendar year", {"type": "integer", "minimum": 2000, "maximum": 2100}),
    "agency": ("Agency id or any spelling ICE printed (for documents: part of the agency's name)", {"type": "string"}),
    "type": ("ICE's TYPE column", {"type": "string"}),
    "status": ("Status", {"type": "string"}),
    "states": (
        "Up to four USPS codes, comma-separated",
        {"type": "string", "pattern": rf"^({_CODES})(,({_CODES})){{0,3}}$"},
    ),
    "stance": ("The stance of a state's law on 287(g)", {"type": "string"}),
    "county": ("A county of the state: 5-digit FIPS code or its name (Lee County)", {"type": "string"}),
    "basis": (
        "calendar year, or the federal fiscal year (October to September)",
        {"type": "string", "enum": ["calendar", "fiscal"]},
    ),
    "officers": (
        "Scenario: officers per agency, on average",
        {"type": "number", "minimum": 0, "maximum": SCENARIO_MAX["officers"]},
    ),
    "claim": (
        "Scenario: percent of officers whose agency claims",
        {"type": "number", "minimum": 0, "maximum": SCENARIO_MAX["claim"]},
    ),
    "overtime": (
        "Scenario: overtime claimed, percent of salary (at most 25)",
        {"type": "number", "minimum": 0, "maximum": 25},
    ),
    "award": (
        "Scenario: every officer-quarter in this award tier",
        {"type": "string", "enum": ["none", "70", "80", "90"]},
    ),
    "growth": (
        "Scenario: new Task Force Model agencies a month after the list",
        {"type": "number", "minimum": 0, "maximum": SCENARIO_MAX["growth"]},
    ),
}


def openapi() -> dict:
    paths: dict[str, Any] = {}
    error = {
        "description": "A bad request or an unknown item",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for e in ENDPOINTS:
        params = []
        for name in _path_params(e.path):
            params.append({"name": name, "in": "path", "required": True, "schema": PATH_PARAMS[name]})
        for name, options in e.params.items():
            desc, schema = PARAM_DOCS[name]
            schema = dict(schema)
            if options is not None:
                schema = {"type": "string", "enum": list(options)}
            elif name in e.patterns:
                schema["pattern"] = e.patterns[name]
            elif schema["type"] == "string" and "pattern" not in schema:
                schema["minLength"] = 1  # an empty value is a 400 (leave the parameter out to mean any)
            required = name in e.required
            params.append({"name": name, "in": "query", "required": required, "description": desc, "schema": schema})
        op: dict[str, Any] = {
            "operationId": e.name,
            "summary": e.summary,
            "parameters": params,
            "responses": {
                "200": {
                    "description": "OK",
                    "headers": {"ETag": {"schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "304": {"description": "Not modified (If-None-Match matched the ETag)"},
                "400": error,
                "404": error,
            },
        }
        paths[e.path] = {"get": op}
        if e.csv_rows:
            csv_op = dict(op, operationId=e.name + "_csv", summary=e.summary + " As CSV (the whole filtered list).")
            csv_op["parameters"] = [x for x in params if x["name"] not in PAGING]
            csv_op["responses"] = dict(
                op["responses"],
                **{"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}},
            )
            paths[e.path + ".csv"] = {"get": csv_op}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "track287g: the open record of ICE 287(g) agreements",
            "version": __version__,
            "description": "Every figure names the ICE publication it comes from. JSON answers carry an ETag keyed "
            "on the data version; list answers are paginated (page, per_page); CSV variants hold the whole list.",
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "status"],
                    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
                }
            }
        },
    }


def _path_params(path: str) -> list[str]:
    import re

    return re.findall(r"\{(\w+)\}", path)


__all__ = ["ENDPOINTS", "BadRequest", "Endpoint", "openapi", "to_csv"]
