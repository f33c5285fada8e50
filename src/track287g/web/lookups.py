"""What each page and API answer shows, as plain JSON-ready data: the HTML pages render exactly these dicts,
and their JSON twins return them. Everything here reads the history through ``history.queries`` and
``analyze.stats`` and names the publication a figure comes from.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date
from typing import Any

import orjson
from sqlalchemy import Connection, func, select

from track287g.analyze import stats
from track287g.archive.catalog import list_publications
from track287g.enrich.counties import gazetteer
from track287g.errors import NotFound, QueryError
from track287g.history import old_queries, queries
from track287g.history.rules import load_rules
from track287g.history.state import in_history, no_history_message, with_history
from track287g.i18n import N_
from track287g.normalize import tables
from track287g.store.schema import (
    agency,
    agency_spelling,
    agreement,
    event,
    listing,
    listing_row,
    pending,
    publication,
    repair,
    row_agreement,
)
from track287g.store.sql import Conn
from track287g.web import adapters
from track287g.web.search import loose, search

MODELS = ("JEM", "TFM", "WSO")
START_2025 = "2025-01-01"
TYPES = ("county", "municipal", "state", "unknown")


def state_codes() -> dict[str, dict[str, str]]:
    return tables.states()


def state_of_fips(fips: str) -> str | None:
    """The USPS code of the state a 5-digit county FIPS code belongs to (None when it is not one)."""
    text = fips.strip()
    if len(text) != 5 or not text.isdigit():
        return None
    return next((code for code, row in tables.states().items() if row["fips"] == text[:2]), None)


def state_name(code: str) -> str:
    """ "NORTH CAROLINA" -> "North Carolina" (the fix table prints names in capitals)."""
    words = tables.states()[code]["name"].title().split()
    return " ".join(w if w not in ("Of", "And") else w.lower() for w in words).replace("U.S.", "U.S.")


def check_state(code: str) -> str:
    up = code.strip().upper()
    if up not in tables.states():
        raise NotFound(
            N_("no state or territory with the code {code!r} (use a USPS code such as FL, DC or GU)"), code=code
        )
    return up


# --- publications and dates -----------------------------------------------------------------------------


def latest_date(conn: Connection) -> str:
    """The date of the latest participating list the history holds (a missing or held history says why)."""
    last = conn.execute(
        select(func.max(publication.c.published)).where(publication.c.kind == "participating", in_history())
    ).scalar()
    if last is None:  # no history: say why, never show 0 agencies
        raise NotFound(no_history_message(conn, "participating"))
    return last


def list_on(conn: Connection, on: str | None) -> dict:
    """The participating publication in force on a date (default: the latest)."""
    day = queries.parse_date(on) if on else date.fromisoformat(latest_date(conn))
    pub = queries.latest_on(conn, "participating", day)
    if pub is None:
        first = queries.first_published(conn, "participating")
        if old_queries.old_lists(conn):
            old = old_answer(conn, day.isoformat())  # a gap day raises its own 404
            if old is not None:
                raise NotFound(
                    N_(
                        "ICE's own lists start {first}; on {day} only an old list stands (derived by a third party: "
                        "{source}), answered at /api/v1/as-of/{day}"
                    ),
                    first=first,
                    day=day,
                    source=old["source"],
                )
        raise NotFound(
            N_("no participating list was published on or before {day} (the record starts {first})"),
            day=day,
            first=first,
        )
    return pub


def old_answer(conn: Connection, day: str, state: str | None = None) -> dict | None:
    """For a day before ICE's first list: the old list (2007-2009, derived) that stood that day, as
    ``queries.as_of`` gives it; None on or after the first list. A day no list stood is a 404 naming the gap."""
    first = old_queries.first_list_date(conn)
    if first is None or day >= first or not old_queries.old_lists(conn):
        return None
    try:
        return queries.as_of(conn, day, state)
    except QueryError as exc:
        raise NotFound(exc.template, **exc.values) from None


def snapshot(conn: Connection, sha256: str, printed: queries.PrintedRows | None = None) -> list[dict]:
    """The agreements one participating publication lists (``printed``: ``queries.printed_rows``, kept)."""
    return queries.listed_agreements(conn, sha256, printed=printed)


def summarize_items(items: list[dict], kinds: tuple[str, ...] = MODELS) -> dict:
    """Agencies and agreements, in total and per model (``kinds``), of a list of listed agreements."""
    models = {m: {"agencies": 0, "agreements": 0} for m in kinds}
    by_model: dict[str, set] = defaultdict(set)
    for i in items:
        if i["model"] in models:
            models[i["model"]]["agreements"] += 1
        by_model[i["model"]].add(i["agency_id"])
    for m, ids in by_model.items():
        if m in models:
            models[m]["agencies"] = len(ids)
    return {"agencies": len({i["agency_id"] for i in items}), "agreements": len(items), "models": models}


pub_ref = queries.publication_ref  # what a page says of the publication it comes from


# --- time series ----------------------------------------------------------------------------------------


def national_timeline(conn: Connection) -> list[dict]:
    """Agreements (total and per model) and agencies on every participating list, oldest first."""
    out = []
    for p in stats.per_publication(conn, kind="participating"):
        point = {
            "date": p["published"],
            "part": p["part"],
            "publication": p["publication"],
            "derived": p["derived"],
            "agencies": p["agencies"],
            "total": p["agreements"],
        }
        for m in MODELS:
            point[m] = p["models"].get(m, {}).get("agreements", 0)
        out.append(point)
    return out


def long_timeline(conn: Connection) -> list[dict]:
    """Agreements since 2007: each old list (derived, with its source), a break for 2010-2020 (no list survives:
    ``total`` None, never interpolated), then every participating list of ICE's; empty without old lists."""
    old = old_queries.old_lists(conn)
    if not old:
        return []
    points = []
    for s in old:
        answer = queries.as_of(conn, s["date"])
        points.append(
            {
                "date": s["date"],
                "total": answer["agreements"],
                "agencies": answer["agencies"],
                "derived": True,
                "old_list": True,
                "source": s["source"],
            }
        )
    points.append({"date": f"{int(old[-1]['date'][:4]) + 1}-01-01", "total": None, "gap": True})
    return points + [
        {k: p[k] for k in ("date", "part", "total", "agencies", "derived")} for p in national_timeline(conn)
    ]


def state_timelines(conn: Connection) -> dict[str, list[dict]]:
    """Per state: agreements (total, per model) and agencies on every participating list it appears on."""
    pubs = {
        r.sha256: r
        for r in conn.execute(
            select(
                publication.c.sha256,
                publication.c.published,
                publication.c.part,
                publication.c.derived,
                publication.c.seq,
            ).where(publication.c.kind == "participating", in_history())
        )
    }
    found: dict[str, dict[str, dict]] = defaultdict(dict)
    agencies: dict[tuple[str, str], int] = defaultdict(int)
    for sha, counts in queries.listed_counts(conn, lambda row: (row.state, row.model)):
        if sha not in pubs:
            continue
        for (st, model), (n_agreements, n_agencies) in counts.items():
            point = found[st].setdefault(sha, {m: 0 for m in MODELS} | {"total": 0})
            point[model] = n_agreements
            point["total"] += n_agreements
            agencies[(st, sha)] = max(agencies[(st, sha)], n_agencies)
    out: dict[str, list[dict]] = {}
    for st, by_pub in found.items():
        series = []
        for sha, point in sorted(by_pub.items(), key=lambda kv: pubs[kv[0]].seq or 0):
            p = pubs[sha]
            series.append(
                {"date": p.published, "part": p.part, "publication": sha, "derived": bool(p.derived)}
                | point
                | {"agencies_at_least": agencies[(st, sha)]}
            )
        out[st] = series
    return out


# --- the agency index -----------------------------------------------------------------------------------


def agency_index(conn: Connection) -> list[dict]:
    """Every agency with its current status and models (all agreements ever, active ones marked)."""
    models: dict[str, dict[str, list]] = defaultdict(lambda: {"active": [], "all": []})
    for agency_id, model, status in conn.execute(
        select(agreement.c.agency_id, agreement.c.model, agreement.c.status).order_by(agreement.c.model)
    ):
        entry = models[agency_id]
        if model not in entry["all"]:
            entry["all"].append(model)
        if status == "active" and model not in entry["active"]:
            entry["active"].append(model)
    pend: dict[str, list] = defaultdict(list)
    for agency_id, model in conn.execute(
        select(pending.c.agency_id, pending.c.model).where(pending.c.status == "pending")
    ):
        pend[agency_id].append(model)
    spellings: dict[str, list[str]] = defaultdict(list)
    for agency_id, spelling in conn.execute(select(agency_spelling.c.agency_id, agency_spelling.c.spelling)):
        spellings[agency_id].append(spelling)
    placed = adapters.placed_counties(conn)
    out = []
    for a in conn.execute(select(agency).order_by(agency.c.state, agency.c.name)):
        out.append(
            {
                "agency_id": a.agency_id,
                "name": a.name,
                "state": a.state,
                "kind": a.kind,
                "agency_type": a.agency_type,
                "county": a.county,
                "county_fips": placed.get(a.agency_id),
                "status": a.status,
                "provisional": a.provisional,  # removed, but ICE may list it again
                "models": models[a.agency_id]["active"],
                "models_ever": models[a.agency_id]["all"],
                "pending_models": sorted(pend.get(a.agency_id, [])),
                "first_listed": a.first_listed,  # on either list
                "first_participating": a.first_participating,
                "last_listed": a.last_listed,
                "spellings": sorted(set(spellings.get(a.agency_id, [])) - {a.name}),
            }
        )
    return out


def agencies_on(items: list[dict], index: list[dict]) -> list[dict]:
    """The agencies a publication lists, with the models listed there (for as-of views)."""
    by_id = {a["agency_id"]: a for a in index}
    listed: dict[str, list] = defaultdict(list)
    for i in items:
        if i["model"] not in listed[i["agency_id"]]:
            listed[i["agency_id"]].append(i["model"])
    out = []
    for agency_id, models in listed.items():
        a = dict(by_id[agency_id])
        a["models"] = sorted(models)
        a["listed"] = True
        out.append(a)
    out.sort(key=lambda a: (a["state"], a["name"].lower()))
    return out


def filter_agencies(rows: list[dict], f: dict) -> list[dict]:
    out = rows
    if f.get("state"):
        out = [a for a in out if a["state"] == f["state"]]
    if f.get("model"):
        out = [a for a in out if f["model"] in a["models"]]
    if f.get("status"):
        out = [a for a in out if a["status"] == f["status"]]
    if f.get("type"):
        out = [a for a in out if (a["agency_type"] or "unknown") == f["type"]]
    if f.get("kind"):
        out = [a for a in out if a["kind"] == f["kind"]]
    if f.get("q"):
        out = search(out, f["q"])
    return out


# --- agreements -----------------------------------------------------------------------------------------


def agreement_rows(conn: Connection) -> list[dict]:
    probable = queries.probable_signed(conn)
    rows = conn.execute(
        select(
            agreement.c.agreement_id,
            agreement.c.agency_id,
            agency.c.name.label("agency"),
            agreement.c.state,
            agreement.c.model,
            agreement.c.signed,
            probable.label("signed_probable"),
            agreement.c.status,
            agreement.c.first_listed,
            agreement.c.last_listed,
            agreement.c.removed_after,
            agreement.c.removed_by,
            agreement.c.provisional,
            agreement.c.superseded_by,
            agreement.c.moa_url,
            agreement.c.addendum_url,
            agency.c.agency_type,
            agency.c.kind,
        )
        .join(agency, agency.c.agency_id == agreement.c.agency_id)
        .order_by(agreement.c.state, agency.c.name, agreement.c.model, agreement.c.signed)
    )
    return [dict(r._mapping) for r in rows]


def filter_agreements(rows: list[dict], f: dict, listed: set[str] | None) -> list[dict]:
    out = rows if listed is None else [r for r in rows if r["agreement_id"] in listed]
    for key, col in (("state", "state"), ("model", "model"), ("status", "status"), ("kind", "kind")):
        if f.get(key):
            out = [r for r in out if r[col] == f[key]]
    if f.get("type"):
        out = [r for r in out if (r["agency_type"] or "unknown") == f["type"]]
    if f.get("q"):
        words = [loose(w) for w in f["q"].split() if loose(w)]
        out = [r for r in out if all(w in loose(r["agency"] + " " + r["agreement_id"]) for w in words)]
    return out


# --- one agency -----------------------------------------------------------------------------------------


def agency_page(conn: Conn, agency_id: str) -> dict:
    view = queries.agency_view(conn, agency_id)  # NotFound, or Moved for a former id (the app redirects)
    view["state_name"] = state_name(view["state"])
    view["facts"] = adapters.agency_facts(conn, agency_id)
    fips = view["facts"].get("county_fips") if view["facts"].get("available") else None
    view["county_fips"] = fips or adapters.county_fips(view["state"], view["county"])
    placed = gazetteer().by_fips.get(view["county_fips"]) if view["county_fips"] else None
    view["county_name"] = placed.name if placed else None  # where the record places it; ICE's COUNTY: "county"
    return view


# --- changes, with ICE's raw rows -----------------------------------------------------------------------

RAW_FIELDS = ("state", "agency", "type", "county", "support", "signed", "moa", "addendum")


def raw_rows(conn: Connection, sha256: str, agreement_ids: list[str]) -> dict[str, list[dict]]:
    """ICE's rows as printed in one publication for some agreements, beside the corrected values and the
    rule of every repair."""
    if not agreement_ids:
        return {}
    pub_id = conn.execute(select(publication.c.pub_id).where(publication.c.sha256 == sha256)).scalar()
    if pub_id is None:
        return {}
    found = conn.execute(
        select(row_agreement.c.agreement_id, listing.c.row_number, listing_row)
        .select_from(listing)
        .join(row_agreement, row_agreement.c.row_id == listing.c.row_id)
        .join(listing_row, listing_row.c.row_id == listing.c.row_id)
        .where(listing.c.pub_id == pub_id, row_agreement.c.agreement_id.in_(agreement_ids))
        .order_by(listing.c.row_number)
    ).all()
    rules: dict[str, list[dict]] = defaultdict(list)
    row_ids = {r.row_id for r in found}
    if row_ids:
        for r in conn.execute(select(repair).where(repair.c.row_id.in_(row_ids)).order_by(repair.c.field)):
            rules[r.row_id].append({"field": r.field, "raw": r.raw, "value": r.value, "rule": r.rule})
    out: dict[str, list[dict]] = defaultdict(list)
    for r in found:
        m = r._mapping
        out[r.agreement_id].append(
            {
                "row_number": r.row_number,
                "raw": {f: m[f"raw_{f}"] for f in RAW_FIELDS},
                "corrected": {
                    "state": m["state"],
                    "agency": m["agency"],
                    "type": m["agency_type"],
                    "county": m["county"],
                    "model": m["model"],
                    "signed": m["signed"],
                    "moa": m["moa_url"],
                    "addendum": m["addendum_url"],
                },
                "repairs": rules.get(r.row_id, []),
            }
        )
    return dict(out)


def changes_page(conn: Connection, f: dict, page: int, per_page: int) -> dict:
    """Events grouped by publication, newest publication first; ``per_page`` publications per page."""
    events = queries.changes(conn, since=f.get("since"), state=f.get("state"), kind=f.get("kind"), until=f.get("until"))
    if f.get("type"):
        events = [e for e in events if e["type"] == f["type"]]
    if f.get("model"):
        events = [e for e in events if e["model"] == f["model"]]
    groups: dict[str, list] = defaultdict(list)
    for e in events:  # newest first (queries.changes): the groups keep that order
        groups[e["publication"]].append(e)
    order = list(groups)
    total = len(order)
    chosen = order[(page - 1) * per_page : page * per_page]
    pubs = []
    for sha in chosen:
        items = groups[sha]
        info = queries.publication_info(conn, sha)
        with_rows = [e["agreement_id"] for e in items if e["agreement_id"] and not e["type"].endswith("removed")]
        rows_now = raw_rows(conn, sha, with_rows)
        gone = [e["agreement_id"] for e in items if e["agreement_id"] and e["type"] in ("removed", "missing")]
        before = items[0]["previous"] if gone else None
        rows_before = raw_rows(conn, before, gone) if before else {}
        before_label = queries.publication_info(conn, before)["label"] if before and rows_before else None
        for e in items:
            left = e["type"] in ("removed", "missing")  # its rows are those of the list before, which printed it
            e["rows"] = (rows_before if left else rows_now).get(e["agreement_id"], []) if e["agreement_id"] else []
            e["rows_from"] = before_label if left and e["rows"] else None
        pubs.append(
            {
                "publication": pub_ref(info),
                "previous": items[0]["previous"],
                "counts": dict(sorted(Counter(e["type"] for e in items).items())),
                "events": items,
            }
        )
    return {
        "filters": f,
        "publications": pubs,
        "total_publications": total,
        "total_events": len(events),
        # the kinds whose latest list is older than ``since``: none of their events is not "nothing changed"
        "no_list_since": queries.no_list_since(conn, f["since"], f.get("kind")) if f.get("since") else [],
    }


# --- pending applications -------------------------------------------------------------------------------


def pending_on(conn: Connection, on: str | None, state: str | None) -> tuple[Any, list[dict]]:
    """The pending list in force on a day (None: the latest) and the applications it lists (of one state)."""
    pub = queries.latest_on(conn, "pending", queries.parse_date(on) if on else date.max)
    return pub, queries.listed_applications(conn, pub["sha256"], state) if pub else []


def pending_counts(conn: Connection, on: str | None, state: str | None) -> dict:
    """The pending list in force on a day, and how many applications and agencies it lists (of one state)."""
    pub, items = pending_on(conn, on, state)
    day = queries.parse_date(on) if on else date.max  # the latest list: every application approved so far
    return _pending_summary(pub, items) | {"approved_by_date": queries.approved_by_date(conn, pub, day, state)}


def _pending_summary(pub: Any, items: list[dict]) -> dict:
    return {
        "publication": pub_ref(pub),
        "applications": len(items),
        "agencies": len({i["agency_id"] for i in items}),
        "approved_since": sum(1 for i in items if i["status"] == "approved"),  # as the record has them now
    }


def pending_page(conn: Connection, on: str | None, f: dict) -> dict:
    pub, items = pending_on(conn, on, f.get("state"))
    if pub is None and on:  # not "0 applications": no pending list was archived yet on that day
        raise NotFound(
            N_("no pending list was published on or before {day} (the record of ICE's pending lists starts {first})"),
            day=queries.parse_date(on),
            first=queries.first_published(conn, "pending"),
        )
    if f.get("model"):
        items = [i for i in items if i["model"] == f["model"]]
    all_apps = [
        dict(r._mapping)
        for r in conn.execute(
            select(pending, agency.c.name.label("agency"))
            .join(agency, agency.c.agency_id == pending.c.agency_id)
            .order_by(pending.c.first_listed.desc(), agency.c.name)
        )
    ]
    if f.get("state"):
        all_apps = [a for a in all_apps if a["state"] == f["state"]]
    if f.get("model"):
        all_apps = [a for a in all_apps if a["model"] == f["model"]]
    days = sorted(a["days_to_approval"] for a in all_apps if a["days_to_approval"] is not None)
    approval = {  # the times of the approved applications that have one (not one printed again after its agreement)
        "approved": sum(1 for a in all_apps if a["status"] == "approved"),
        "timed": len(days),
        "median_days": statistics.median(days) if days else None,
        "p25_days": days[len(days) // 4] if days else None,
        "p75_days": days[(3 * len(days)) // 4] if days else None,
        "max_days": days[-1] if days else None,
        "histogram": _histogram(days),
    }
    vanished = [a for a in all_apps if a["status"] == "withdrawn"]
    notes = {  # what the record found about the agency's agreements of that model: held already, or gained later
        pending_id: orjson.loads(detail)
        for pending_id, detail in conn.execute(
            select(event.c.pending_id, event.c.detail).where(event.c.type == "pending-withdrawn")
        )
    }
    for a in vanished:
        a.pop("first_sha256", None)
        a.pop("last_sha256", None)
        found = notes.get(a["pending_id"], {})
        a["note"], a["note_message"] = found.get("note"), found.get("note_message")
    return {
        "filters": f | ({"as_of": on} if on else {}),
        **_pending_summary(pub, items),
        "items": items,
        "statuses": dict(sorted(Counter(a["status"] for a in all_apps).items())),
        "approval": approval,
        "approval_days": load_rules().approval_days_after,  # an agreement later than this is no approval
        "vanished": vanished,
        "behind_participating": _behind_participating(conn, pub),
        # as of a date: how many of its applications ICE had listed as agreements by then (None: the latest list)
        "approved_by_date": (
            queries.approved_by_date(conn, pub, queries.parse_date(on), f.get("state"), f.get("model")) if on else None
        ),
    }


def _behind_participating(conn: Connection, pub: dict) -> dict | None:
    """When ``pub`` is the record's latest pending list and its latest participating list is later: that list
    and how many days later it is (what the pending list held since is not known); None otherwise."""
    part = queries.latest_on(conn, "participating", date.max)
    older = queries.no_list_since(conn, part["published"], "pending") if part else []
    if not older or older[0]["latest"]["sha256"] != pub["sha256"]:
        return None
    return {"days": older[0]["days"], "participating": pub_ref(part)}


def _histogram(days: list[int]) -> list[dict]:
    edges = [(0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, 180), (181, 100000)]
    return [{"from": a, "to": b if b < 100000 else None, "n": sum(1 for d in days if a <= d <= b)} for a, b in edges]


# --- maps -----------------------------------------------------------------------------------------------


def county_counts(
    items: list[dict], index: list[dict], served: dict[str, tuple[str, ...]]
) -> tuple[dict[str, int], dict[str, int], int]:
    """Agencies per county FIPS and per state FIPS on a list; and how many listed agencies are in no county.

    ``served``: each agency's local counties (``web.places.served_counties``), so that a county's count is the
    number of local agencies its own page lists; an agency it does not name counts in its own county, if any."""
    by_id = {a["agency_id"]: a for a in index}
    counties: dict[str, set] = defaultdict(set)
    states: dict[str, set] = defaultdict(set)
    unplaced: set[str] = set()
    for i in items:
        st = tables.states().get(i["state"])
        if st:
            states[st["fips"]].add(i["agency_id"])
        known = by_id.get(i["agency_id"], {})
        county = i.get("county") or known.get("county")
        # the enrich stage's placement (typos repaired, rosters for city agencies) first, else ICE's COUNTY
        fips = known.get("county_fips") or adapters.county_fips(i["state"], county)
        where = served.get(i["agency_id"], (fips,) if fips else ())
        for each in where:
            counties[each].add(i["agency_id"])
        if not where:  # on no county of the map: a statewide agency, or one no county is known for
            unplaced.add(i["agency_id"])
    return (
        {k: len(v) for k, v in counties.items()},
        {k: len(v) for k, v in states.items()},
        len(unplaced),
    )


# --- home, states ---------------------------------------------------------------------------------------


def overview(conn: Connection, on: str | None, printed: queries.PrintedRows | None = None) -> dict:
    """Counts now (or on a date) and at the start of 2025, national and per state (``printed``: as for
    ``snapshot``)."""
    pub = list_on(conn, on)
    items = snapshot(conn, pub["sha256"], printed)
    start = queries.latest_on(conn, "participating", date.fromisoformat(START_2025))
    start_items = snapshot(conn, start["sha256"], printed) if start else []
    mine: dict[str, list[dict]] = defaultdict(list)
    then: dict[str, list[dict]] = defaultdict(list)
    for found, group in ((items, mine), (start_items, then)):
        for i in found:
            group[i["state"]].append(i)
    per_state = {}
    for code in tables.states():
        per_state[code] = {
            "state": code,
            "name": state_name(code),
            "kind": tables.states()[code]["kind"],
            "now": summarize_items(mine.get(code, [])),
            "start_2025": summarize_items(then.get(code, [])),
        }
    return {
        "as_of": on,
        "publication": pub_ref(pub),
        "now": summarize_items(items),
        "start_2025": {"publication": pub_ref(start), **summarize_items(start_items)},
        "states": per_state,
        "items": items,
    }


def publications_page(conn: Connection, kind: str | None) -> list[dict]:
    counts = {p["publication"]: p for k in ("participating", "pending") for p in stats.per_publication(conn, kind=k)}
    out = []
    for p in with_history(conn, list_publications(conn, kind)):
        c = counts.get(p["sha256"], {})
        out.append(
            {
                "sha256": p["sha256"],
                "kind": p["kind"],
                "published": p["published"],
                "part": p["part"],
                "published_from": p["published_from"],
                "names": p["names"],
                "rows": p["rows"],
                "agencies": c.get("agencies"),
                "agreements": c.get("agreements"),  # a participating list's
                "applications": c.get("applications"),  # a pending list's
                "derived": p["derived"],
                "flags": p["flags"],
                "seq": p["seq"],
                "history": p["history"],  # in | held | waiting (see history.state.with_history)
                "held_reason": p["held_reason"],
            }
        )
    # ICE's lists newest first, then the old lists (2007-2009) and the MOA index (dated by its retrieval)
    out.sort(key=lambda p: (p["kind"] != "historical", p["published"], p["seq"] or 0), reverse=True)
    return out


def html_era(conn: Connection) -> dict[str, str] | None:
    """The first and last participating lists that are HTML-era tables extracted by a third party (None: none)."""
    first, last = conn.execute(
        select(func.min(publication.c.published), func.max(publication.c.published)).where(
            publication.c.kind == "participating", publication.c.derived.is_(True)
        )
    ).one()
    return {"first": first, "last": last} if first else None


def methodology(conn: Connection) -> dict[str, Any]:
    import json

    from track287g.store.schema import build_info

    wanted = select(build_info.c.key, build_info.c.value).where(build_info.c.key.in_(("rules", "counts")))
    info = {k: json.loads(v) for k, v in conn.execute(wanted)}  # not the enrich stage's digests per agency
    kinds = conn.execute(
        select(
            publication.c.kind,
            publication.c.derived,
            func.count(),
            func.min(publication.c.published),
            func.max(publication.c.published),
        ).group_by(publication.c.kind, publication.c.derived)
    ).all()
    sources = [{"kind": k, "derived": bool(d), "publications": n, "first": a, "last": b} for k, d, n, a, b in kinds]
    days = [o["date"] for o in old_queries.old_lists(conn)]
    for s in sources:  # the old lists' days, not the day the MOA index (no list of any day) was retrieved
        if s["kind"] == "historical":
            s["first"], s["last"] = (days[0], days[-1]) if days else (None, None)
    repairs = [
        {"field": f, "rule": r, "rows": n}
        for f, r, n in conn.execute(
            select(repair.c.field, repair.c.rule, func.count()).group_by(repair.c.field, repair.c.rule)
        )
    ]
    repairs.sort(key=lambda r: -r["rows"])
    return {"rules": info.get("rules", {}), "counts": info.get("counts", {}), "sources": sources, "repairs": repairs}
