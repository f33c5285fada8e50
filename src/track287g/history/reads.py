"""The quick questions of the history, in plain SQL: a point in time, one agency, the changelog.

Written once as SQL text (``store.sql``) that runs on the standard library's ``sqlite3`` (the command line's
quick path: no SQLAlchemy to import) and on a SQLAlchemy connection (the web, the Python API, PostgreSQL).
``history.queries`` re-exports them beside the questions that need SQLAlchemy. Every answer names the
publication(s) it comes from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from operator import itemgetter
from typing import Any

import orjson

from track287g import checks
from track287g.errors import Moved, NotFound, QueryError
from track287g.i18n import N_
from track287g.messages import message
from track287g.normalize.words import closest, compact, tokens
from track287g.resolve.aliases import loose
from track287g.store.sql import Conn, among, first, has_column, has_table, rows, scalar, tuples

# --- publications ---------------------------------------------------------------------------------------


def publication_info(conn: Conn, sha256: str) -> dict:
    """Date, part, kind, names and rows of one publication."""
    p = first(conn, "SELECT * FROM publication WHERE sha256 = :sha", {"sha": sha256})
    if p is None:
        raise QueryError(f"no publication {sha256!r}")
    names = rows(conn, "SELECT name FROM publication_name WHERE sha256 = :sha ORDER BY name", {"sha": sha256})
    return {
        "sha256": p["sha256"],
        "kind": p["kind"],
        "published": p["published"],
        "part": p["part"],
        "label": f"{p['published']} {p['part']}".strip(),
        "published_from": p["published_from"],
        "names": [n["name"] for n in names],
        "rows": p["rows"],
        "derived": bool(p["derived"]),
        "seq": p["seq"],
    }


def publication_ref(pub: dict | None) -> dict | None:
    """What an answer says of the publication it comes from: sha256, kind, date, part, label, file names, and
    ``derived`` (an HTML-era table extracted by a third party, said wherever the list is used)."""
    if pub is None:
        return None
    return {k: pub[k] for k in ("sha256", "kind", "published", "part", "label", "names")} | {
        "derived": bool(pub.get("derived"))
    }


def latest_on(conn: Conn, kind: str, on: date) -> dict | None:
    """The latest publication of a kind in the history published on or before a date."""
    sha = scalar(
        conn,
        "SELECT sha256 FROM publication WHERE kind = :kind AND published <= :on AND seq IS NOT NULL "
        "ORDER BY seq DESC LIMIT 1",
        {"kind": kind, "on": on.isoformat()},
    )
    return publication_info(conn, sha) if sha else None


def first_published(conn: Conn, kind: str) -> str | None:
    """The date of the first list of a kind in the history (where the record of that list starts)."""
    return scalar(conn, "SELECT min(published) FROM publication WHERE kind = :kind AND seq IS NOT NULL", {"kind": kind})


def days_after_latest(conn: Conn, pub: dict, on: date) -> int | None:
    """Days from ``pub``, when it is the latest list of its kind in the history, to a later date asked of it: the
    record cannot say what ICE listed after its latest list (None: a later list exists, or the same day)."""
    latest = scalar(conn, "SELECT max(seq) FROM publication WHERE kind = :kind", {"kind": pub["kind"]})
    days = (on - date.fromisoformat(pub["published"])).days
    return days if pub["seq"] == latest and days > 0 else None


def no_list_since(conn: Conn, since: date | str, kind: str | None = None) -> list[dict]:
    """The kinds of list (``kind``: one only) whose latest list in the history is older than ``since``: each
    with that list and how many days older it is. A changelog since then has nothing of that kind to show, which
    is not "nothing changed": the record holds no list of it yet (ICE may have published some)."""
    day = parse_date(since)
    out = []
    for k in [kind] if kind else ["participating", "pending"]:
        pub = latest_on(conn, k, date.max)
        if pub is not None and pub["published"] < day.isoformat():
            days = (day - date.fromisoformat(pub["published"])).days
            out.append({"kind": k, "latest": publication_ref(pub), "days": days})
    return out


def hold_of(conn: Conn, sha256: str) -> dict | None:
    """Why a publication is not in the history (held, or waiting for a refresh); None when it is."""
    row = first(conn, "SELECT seq FROM publication WHERE sha256 = :sha", {"sha": sha256})
    if row is None or row["seq"] is not None:
        return None
    h = None
    if has_table(conn, "history_state"):  # a database made before the history's state was recorded has none
        h = first(conn, "SELECT invariant, reason, rows FROM publication_hold WHERE sha256 = :sha", {"sha": sha256})
    if h is None:
        return {"invariant": "not-yet-built", "reason": "stored after the history was last built", "rows": []}
    return {"invariant": h["invariant"], "reason": h["reason"], "rows": orjson.loads(h["rows"])}


def left_out(conn: Conn, kind: str, on: date, answered: dict | None) -> list[dict]:
    """Lists of a kind published on or before a date, after the one an answer comes from, that the history
    does not hold (held by a QA check, or stored since it was built): the answer must name them."""
    sql = "SELECT sha256, published, part FROM publication WHERE kind = :kind AND published <= :on AND seq IS NULL"
    params = {"kind": kind, "on": on.isoformat()}
    if answered is not None:
        sql += " AND published >= :since"
        params["since"] = answered["published"]
    out = []
    for r in rows(conn, sql + " ORDER BY published, sha256", params):
        why = hold_of(conn, r["sha256"]) or {}
        out.append({"sha256": r["sha256"], "label": f"{r['published']} {r['part']}".strip(), **why})
    return out


def parse_date(text: str | date) -> date:
    """An ISO date, checked once for every caller (``checks.day``)."""
    return checks.day(text)


def has_history(conn: Conn) -> bool:
    """Whether any publication is in the history (an empty answer would otherwise read as "nothing")."""
    return first(conn, "SELECT sha256 FROM publication WHERE seq IS NOT NULL LIMIT 1") is not None


# --- point in time --------------------------------------------------------------------------------------


def _pub_id(conn: Conn, sha256: str) -> int:
    return int(scalar(conn, "SELECT pub_id FROM publication WHERE sha256 = :sha", {"sha": sha256}))


# what a participating list's item says of one printed row, and the joins from the row to its agreement and agency
_ROW_ITEM = """agreement.agreement_id, row_agreement.agency_id, agency.state, agency.name AS agency,
               listing_row.agency AS printed, agreement.model, listing_row.signed, {probable} AS signed_probable,
               agency.kind, listing_row.agency_type, listing_row.county, listing_row.moa_url,
               listing_row.addendum_url"""
_ROW_JOINS = """
        JOIN row_agreement ON row_agreement.row_id = listing_row.row_id
        JOIN agreement ON agreement.agreement_id = row_agreement.agreement_id
        JOIN agency ON agency.agency_id = row_agreement.agency_id"""


def _row_item(conn: Conn) -> str:
    probable = (  # a database built before the column (6 Dec 2026) has none
        "CASE WHEN listing_row.signed = agreement.signed THEN agreement.signed_probable END"
        if has_column(conn, "agreement", "signed_probable")
        else "NULL"
    )
    return _ROW_ITEM.format(probable=probable)


_ITEM_ORDER = ("state", "agency", "model", "agreement_id")  # a list's items in order of these fields' text


@dataclass(frozen=True)
class PrintedRows:
    """Every printed row the history reads as an agreement's -> what ``listed_agreements`` says of it (without
    its row number), and the place of each item's ``_ITEM_ORDER`` fields in a list's order."""

    items: dict[str, dict]
    order: dict[tuple, int]


def printed_rows(conn: Conn) -> PrintedRows:
    """What every printed row says, for a caller asking for many lists, which then reads each list's rows alone."""
    found = rows(conn, f"SELECT listing_row.row_id, {_row_item(conn)} FROM listing_row{_ROW_JOINS}")
    items = {r.pop("row_id"): r for r in found}
    fields = itemgetter(*_ITEM_ORDER)
    keys = sorted({fields(r) for r in items.values()}, key=_text_key)  # as ``_in_order`` sorts
    return PrintedRows(items, {k: rank for rank, k in enumerate(keys)})


def listed_agreements(
    conn: Conn,
    sha256: str,
    state: str | None = None,
    agreement_ids: list[str] | None = None,
    printed: PrintedRows | None = None,
) -> list[dict]:
    """The agreements a participating publication lists (one item per agreement, as printed in its first row;
    ``agreement_ids``: only those); ``signed_probable``: the date ICE probably meant where the list printed the
    date the history reads as a year typo (None otherwise). ``printed``: ``printed_rows``, kept by the caller
    (the list's rows are then read alone: about a third of the time of the joins)."""
    params: dict[str, Any] = {"pub_id": _pub_id(conn, sha256)}
    if printed is not None:
        wanted = set(agreement_ids) if agreement_ids is not None else None
        seen: dict[str, dict] = {}
        for number, row_id in tuples(
            conn, "SELECT row_number, row_id FROM listing WHERE pub_id = :pub_id ORDER BY row_number", params
        ):
            row = printed.items.get(row_id)
            if row is None or (state and row["state"] != state):
                continue
            if wanted is not None and row["agreement_id"] not in wanted:
                continue
            item = seen.get(row["agreement_id"])
            if item is None:  # its first row, as ``_first_per`` keeps it
                item = seen[row["agreement_id"]] = row | {"row_number": number, "rows": 0}
            item["rows"] += 1
        fields = itemgetter(*_ITEM_ORDER)
        return sorted(seen.values(), key=lambda item: printed.order[fields(item)])
    sql = f"""
        SELECT {_row_item(conn)}, listing.row_number
        FROM listing
        JOIN listing_row ON listing_row.row_id = listing.row_id{_ROW_JOINS}
        WHERE listing.pub_id = :pub_id"""
    if state:
        sql += " AND agency.state = :state"
        params["state"] = state
    if agreement_ids is not None:
        marks, ids = among("a", agreement_ids)
        sql += f" AND row_agreement.agreement_id IN ({marks or 'NULL'})"
        params |= ids
    found = rows(conn, sql + " ORDER BY listing.row_number", params)
    return _first_per(found, "agreement_id", _ITEM_ORDER)


def listed_applications(conn: Conn, sha256: str, state: str | None = None, agency_id: str | None = None) -> list[dict]:
    """The applications a pending publication lists (one item per application; of one agency)."""
    sql = """
        SELECT pending.pending_id, pending.agency_id, pending.state, agency.name AS agency, pending.model,
               pending.first_listed, pending.status, pending.agreement_id, agreement.first_listed AS agreement_listed,
               pending_listing.row_number
        FROM pending_listing
        JOIN pending ON pending.pending_id = pending_listing.pending_id
        JOIN agency ON agency.agency_id = pending.agency_id
        LEFT OUTER JOIN agreement ON agreement.agreement_id = pending.agreement_id
        WHERE pending_listing.pub_id = :pub_id"""
    params: dict[str, Any] = {"pub_id": _pub_id(conn, sha256)}
    if state:
        sql += " AND pending.state = :state"
        params["state"] = state
    if agency_id:
        sql += " AND pending.agency_id = :agency_id"
        params["agency_id"] = agency_id
    found = rows(conn, sql + " ORDER BY pending_listing.row_number", params)
    return _first_per(found, "pending_id", ("state", "agency", "model", "pending_id"))


def _first_per(found: list[dict], key: str, order: tuple[str, ...]) -> list[dict]:
    """One item per ``key`` (its first row, with ``rows``: how many rows ICE printed for it), sorted by
    ``order``: portable where GROUP BY is not."""
    seen: dict[str, dict] = {}
    for r in found:
        item = seen.get(r[key])
        if item is None:
            item = seen[r[key]] = {**r, "rows": 0}
        item["rows"] += 1
    return _in_order(list(seen.values()), order)


def _in_order(items: list[dict], order: tuple[str, ...]) -> list[dict]:
    """Items sorted by the text of the fields ``order`` names (portable: values of any type, None too)."""
    if len(order) == 1:
        return sorted(items, key=lambda item: str(item[order[0]]))
    fields = itemgetter(*order)  # a tuple of the fields
    return sorted(items, key=lambda item: _text_key(fields(item)))


def _text_key(values: tuple) -> tuple[str, ...]:
    """The sort key of a tuple of values of any type (None too): their text."""
    return tuple(map(str, values))


def as_of(conn: Conn, on: date, state: str | None = None, *, items: bool = True) -> dict | None:
    """Agencies and agreements active on a date: ICE's latest participating list in the history on or before
    it (and the pending list of the same date). None when the history holds no such list (``queries.as_of``
    then answers from an old list, or says why there is no answer).

    ``items=False`` (the nation, not a state): the same counts read from the history's counts of each list
    (``publication_count``) instead of every agreement listed, with ``repeated``, the agreements ICE printed
    more than once, in place of ``items``."""
    pub = latest_on(conn, "participating", on)
    if pub is None:
        return None
    pend_pub = latest_on(conn, "pending", on)
    if not items and state is None:
        counted = _counted(conn, pub, pend_pub)
        if counted is not None:
            counted["pending"]["approved_by_date"] = approved_by_date(conn, pend_pub, on, None)
            return {"date": on.isoformat(), "state": None, "publication": pub, **counted} | {
                "not_in_history": left_out(conn, "participating", on, pub),
                "days_after_latest_list": days_after_latest(conn, pub, on),
            }
    listed = listed_agreements(conn, pub["sha256"], state)
    pend_items = listed_applications(conn, pend_pub["sha256"], state) if pend_pub else []
    return {
        "date": on.isoformat(),
        "state": state,
        "publication": pub,
        "agencies": len({i["agency_id"] for i in listed}),
        "agreements": len(listed),
        "printed_rows": sum(i["rows"] for i in listed),  # ICE's rows: more than agreements where one is twice
        "models": dict(sorted(count(i["model"] for i in listed).items())),
        "items": listed,
        "pending": {
            "publication": pend_pub,
            "applications": len(pend_items),
            "agencies": len({i["agency_id"] for i in pend_items}),
            "approved_by_date": approved_by_date(conn, pend_pub, on, state),
            "items": pend_items,
        },
        # later lists the history does not hold (held, or stored since it was built): not in this answer
        "not_in_history": left_out(conn, "participating", on, pub),
        # a date after the record's latest list: what ICE listed since is not known
        "days_after_latest_list": days_after_latest(conn, pub, on),
    }


def agency_on(conn: Conn, view: dict, on: date) -> dict | None:
    """One agency (its ``agency_view``) on a date: ICE's participating list in force then (the latest in the
    history on or before it) and what it printed of the agency's agreements, each agreement's ``standing`` on
    that list (``listed``; ``elsewhere``: listed under another agency, ``held_by``; ``not-yet``: first listed
    later; ``removed``: last listed before it; ``absent``: listed before and after, not on it), the applications
    the pending list in force printed, and how many of its events came later. None when the history holds no
    participating list on or before the date."""
    pub = latest_on(conn, "participating", on)
    if pub is None:
        return None
    pend_pub = latest_on(conn, "pending", on)
    ids = [a["agreement_id"] for a in view["agreements"]]
    printed = {i["agreement_id"]: i for i in listed_agreements(conn, pub["sha256"], agreement_ids=ids)}
    day = pub["published"]
    agreements = []
    for a in view["agreements"]:
        item = printed.get(a["agreement_id"])
        if item is not None:
            standing = "listed" if item["agency_id"] == view["agency_id"] else "elsewhere"
        elif not a["first_listed"] or a["first_listed"] >= day:
            standing = "not-yet"
        elif a["last_listed"] and a["last_listed"] <= day:
            standing = "removed"
        else:
            standing = "absent"
        then = {"agreement_id": a["agreement_id"], "model": a["model"], "standing": standing}
        if item is not None:  # as that list printed it, and under whom
            then |= {k: item[k] for k in ("signed", "signed_probable", "printed", "row_number", "rows")}
            if standing == "elsewhere":
                then["held_by"] = {"agency_id": item["agency_id"], "name": item["agency"]}
        else:
            then |= {"signed": a["signed"], "first_listed": a["first_listed"], "last_listed": a["last_listed"]}
        agreements.append(then)
    applications = listed_applications(conn, pend_pub["sha256"], agency_id=view["agency_id"]) if pend_pub else []
    for p in applications:
        p["approved_listed"] = approved_listed_by(p, on.isoformat())
    return {
        "date": on.isoformat(),
        "publication": publication_ref(pub),
        "listed": sum(a["standing"] == "listed" for a in agreements),
        "agreements": agreements,
        "pending": {"publication": publication_ref(pend_pub), "applications": applications},
        "later_events": sum(e["published"][:10] > on.isoformat() for e in view["events"]),  # "2025-08-11 pm"
        "not_in_history": left_out(conn, "participating", on, pub),
        "days_after_latest_list": days_after_latest(conn, pub, on),
    }


def approved_by_date(
    conn: Conn, pend_pub: dict | None, on: date, state: str | None = None, model: str | None = None
) -> int:
    """How many applications of a pending list (of one state, of one model) ICE had listed as agreements on its
    participating list by ``on``: approved, though that pending list, the latest on ``on``, still prints them."""
    if pend_pub is None:
        return 0
    sql = """
        SELECT count(DISTINCT pending.pending_id) FROM pending_listing
        JOIN pending ON pending.pending_id = pending_listing.pending_id
        JOIN agreement ON agreement.agreement_id = pending.agreement_id
        WHERE pending_listing.pub_id = :pub_id AND pending.status = 'approved' AND agreement.first_listed <= :on"""
    params: dict[str, Any] = {"pub_id": _pub_id(conn, pend_pub["sha256"]), "on": on.isoformat()}
    if state:
        sql += " AND pending.state = :state"
        params["state"] = state
    if model:
        sql += " AND pending.model = :model"
        params["model"] = model
    return int(scalar(conn, sql, params) or 0)


def approved_listed_by(application: dict, on: str) -> str | None:
    """``approved_by_date`` for one application (an item of ``listed_applications``): the day its agreement was
    first on ICE's participating list, when it is approved and that day is on or before ``on`` (YYYY-MM-DD)."""
    listed = application.get("agreement_listed")
    if application.get("status") != "approved" or not listed or listed > on:
        return None
    return listed


def _counted(conn: Conn, pub: dict, pend_pub: dict | None) -> dict | None:
    """The counts of ``as_of`` from the history's counts of each list; None when a list has none stored."""
    sql = "SELECT model, agencies, agreements, rows FROM publication_count WHERE sha256 = :sha ORDER BY model"
    found = rows(conn, sql, {"sha": pub["sha256"]})
    total = next((r for r in found if r["model"] == "*"), None)
    pend = rows(conn, sql, {"sha": pend_pub["sha256"]}) if pend_pub else []
    pend_total = next((r for r in pend if r["model"] == "*"), {"agencies": 0, "agreements": 0})
    if total is None or (pend_pub and pend_pub["rows"] and not pend):
        return None
    return {
        "agencies": total["agencies"],
        "agreements": total["agreements"],
        "printed_rows": total["rows"],
        "models": {r["model"]: r["agreements"] for r in found if r["model"] != "*"},
        "repeated": _repeated(conn, pub["sha256"]) if total["rows"] != total["agreements"] else [],
        "pending": {
            "publication": pend_pub,
            "applications": pend_total["agreements"],
            "agencies": pend_total["agencies"],
        },
    }


def _repeated(conn: Conn, sha256: str) -> list[dict]:
    """The agreements a participating list prints in more than one row (as printed in the first)."""
    sql = """
        SELECT agreement.agreement_id, row_agreement.agency_id, agency.state, agency.name AS agency,
               agreement.model, twice.rows
        FROM (SELECT row_agreement.agreement_id, min(listing.row_number) AS first, count(*) AS rows
              FROM listing JOIN row_agreement ON row_agreement.row_id = listing.row_id
              WHERE listing.pub_id = :pub_id GROUP BY row_agreement.agreement_id HAVING count(*) > 1) AS twice
        JOIN listing ON listing.pub_id = :pub_id AND listing.row_number = twice.first
        JOIN row_agreement ON row_agreement.row_id = listing.row_id
        JOIN agreement ON agreement.agreement_id = twice.agreement_id
        JOIN agency ON agency.agency_id = row_agreement.agency_id"""
    found = rows(conn, sql, {"pub_id": _pub_id(conn, sha256)})
    return _in_order(found, ("state", "agency", "model", "agreement_id"))


def count(values: Iterable[Any]) -> dict:
    """How many times each value occurs."""
    out: dict = defaultdict(int)
    for v in values:
        out[v] += 1
    return out


# --- agencies -------------------------------------------------------------------------------------------


def find_agency(conn: Conn, name: str, state: str | None = None) -> str:
    """The agency id for any spelling ICE printed (case, spacing and quotes ignored; else abbreviations spelled
    out and words run together or apart: "Saint Johns County SO", "De Kalb") or an agency id. Raises QueryError
    with near matches when there is none, or the states when several fit."""
    wanted = loose(name)
    if first(conn, "SELECT agency_id FROM agency WHERE agency_id = :id", {"id": name}):
        return name
    moved = current_agency_id(conn, name)
    if moved:
        return moved
    sql = (
        "SELECT agency_spelling.agency_id, agency_spelling.spelling, agency.state, agency.name "
        "FROM agency_spelling JOIN agency ON agency.agency_id = agency_spelling.agency_id"
    )
    code = state.upper() if state else None
    found = rows(conn, sql + " WHERE agency.state = :state", {"state": code}) if code else rows(conn, sql)
    hits = sorted({r["agency_id"] for r in found if loose(r["spelling"]) == wanted or loose(r["name"]) == wanted})
    if not hits and (key := compact(name)):  # "St." for "Saint", "Co." for "County", "DeKalb" for "De Kalb"
        hits = sorted({r["agency_id"] for r in found if key in (compact(r["spelling"]), compact(r["name"]))})
    if code and not hits:  # a spelling ICE printed under a state it corrected later (Lake Placid, "NY")
        printed = rows(conn, sql + " WHERE agency_spelling.state = :state", {"state": code})
        hits = sorted({r["agency_id"] for r in printed if loose(r["spelling"]) == wanted})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise QueryError(f"{name!r} names {len(hits)} agencies ({', '.join(hits)}); add --state")
    near = _near_agencies(name, found)
    hint = "; did you mean: " + "; ".join(near) if near else ""
    raise QueryError(f"no agency named {name!r}" + (f" in {code}" if code else "") + hint)


def _near_agencies(name: str, found: list[dict], limit: int = 5) -> list[str]:
    """Up to ``limit`` agencies ("Name (ST)") a name that names none may mean: those with a spelling in which
    every word of it starts a word ("Lee County": both states' sheriffs and the port's police; "lee county
    sheriff"), abbreviations spelled out and words run together or apart ("Saint Johns County Sheriff", "De Kalb
    County Sheriff": Alabama's "DeKalb" and Tennessee's "Dekalb"), shortest first; else, for a typo, the agencies
    with the closest spellings (``normalize.words.closest``: "Colier County" is Collier's sheriff), named as they
    are now."""
    wanted = list(tokens(name))
    whole = sorted({(len(r["name"]), r["name"], r["state"]) for r in found if starts_words(wanted, r["spelling"])})
    if wanted and whole:
        return [f"{n} ({st})" for _, n, st in whole][:limit]
    # a typo: the closest spellings, one line per agency
    shown: dict[str, str] = {}  # agency id -> its name now, in the order of its closest spelling
    for i, _score in closest(name, [r["spelling"] for r in found], limit * 3):
        shown.setdefault(found[i]["agency_id"], f"{found[i]['name']} ({found[i]['state']})")
    return list(shown.values())[:limit]


def starts_words(wanted: list[str], spelling: str) -> bool:
    """Whether each word of ``wanted`` (``normalize.words.tokens``), or a run of them written together, begins a
    word of ``spelling`` and may run on into the next ones: "de kalb" and "dekalb" both find "DeKalb" and "De
    Kalb", "sher" finds "Sheriff's"."""
    printed = tokens(spelling)
    joined, starts = "".join(printed), set(accumulate(map(len, printed), initial=0))

    def begins_a_word(text: str) -> bool:
        at = joined.find(text)
        while at != -1 and at not in starts:
            at = joined.find(text, at + 1)
        return at != -1

    reached = [True] + [False] * len(wanted)  # reached[j]: the first j words are found, a run at a time
    for j in range(1, len(wanted) + 1):
        reached[j] = any(reached[i] and begins_a_word("".join(wanted[i:j])) for i in range(j))
    return reached[-1]


def current_agency_id(conn: Conn, agency_id: str) -> str | None:
    """The id an agency carries now, given an id it carried before (None: not a former id)."""
    return scalar(conn, "SELECT agency_id FROM agency_alias WHERE alias = :id", {"id": agency_id})


def current_agreement_id(conn: Conn, agreement_id: str) -> str | None:
    """The id an agreement carries now, given an id it carried before (None: not a former id)."""
    return scalar(conn, "SELECT agreement_id FROM agreement_alias WHERE alias = :id", {"id": agreement_id})


_AGREEMENT_KEYS = (
    "agreement_id",
    "model",
    "signed",
    "status",
    "first_listed",
    "last_listed",
    "removed_after",
    "removed_by",
    "superseded_by",
    "moa_url",
    "addendum_url",
    "listings",
)
# the agreements an agency holds or held: its own, and those of rows printed under it that moved to a holder
_HELD = "SELECT agreement_id FROM row_agreement WHERE agency_id = :id"
_MINE = f"(agreement.agency_id = :id OR agreement.agreement_id IN ({_HELD}))"


def signed_note(a: dict) -> dict | None:
    """Why an agreement's SIGNED date is probably a year typo (None: it is not), from its row."""
    probable = a.get("signed_probable")
    if not probable:
        return None
    note = message("signed.probable", signed_date=a["signed"], probable_date=probable, first_date=a["first_listed"])
    file = (a.get("moa_url") or "").rsplit("/", 1)[-1]
    month, day, year = probable[5:7], probable[8:10], probable[:4]
    if f"{month}{day}{year}" in file or f"{month}-{day}-{year}" in file:  # ICE names MOA files after the date
        return message("signed.probable.moa", note=note, probable_date=probable, file=file)
    return note


def stored_message(text: str | None) -> dict | None:
    """A message stored as JSON in a table's column (``agency_spelling.evidence_message``); None when there is none
    (said only in English, or written before the column existed)."""
    return orjson.loads(text) if text else None


def agency_view(conn: Conn, agency_id: str) -> dict:
    """Everything the record knows of one agency: spellings, former ids, agreements it holds or held,
    applications, and its events in the order they happened."""
    row = first(conn, "SELECT * FROM agency WHERE agency_id = :id", {"id": agency_id})
    if row is None:
        moved = current_agency_id(conn, agency_id)
        if moved:
            raise Moved(agency_id, moved)
        raise NotFound(N_("no agency with id {agency_id!r}"), agency_id=agency_id)
    me = {"id": agency_id}
    spellings = [  # every column: a database written before ``evidence_message`` existed has none
        {k: v for k, v in r.items() if k != "agency_id"}
        | {"evidence_message": stored_message(r.get("evidence_message"))}
        for r in rows(conn, "SELECT * FROM agency_spelling WHERE agency_id = :id ORDER BY first_listed, spelling", me)
    ]
    former = rows(conn, "SELECT alias, reason FROM agency_alias WHERE agency_id = :id ORDER BY alias", me)
    held = rows(
        conn,
        "SELECT agreement.*, agency.name AS holder FROM agreement "
        f"JOIN agency ON agency.agency_id = agreement.agency_id WHERE {_MINE} "
        "ORDER BY agreement.model, agreement.first_listed",
        me,
    )
    fixes: dict[str, list] = defaultdict(list)
    if held:  # the corrections of the agreements found (asking by the agency would find them a second time)
        marks, params = among("a", [a["agreement_id"] for a in held])
        for c in rows(
            conn,
            f"SELECT * FROM correction WHERE agreement_id IN ({marks}) "  # every column: a note only since 5 Dec 2026
            "ORDER BY agreement_id, field, sha256",
            params,
        ):
            fixes[c["agreement_id"]].append(
                {"field": c["field"], "from": c["old"], "to": c["new"], "rule": c["rule"], "note": c.get("note") or ""}
            )
    agreements = []
    for a in held:
        item = {k: a[k] for k in _AGREEMENT_KEYS}
        item["html_era"] = bool(a["html_era"])
        item["provisional"] = bool(a["provisional"])  # its removal: ICE may list it again
        item["signed_probable"] = a.get("signed_probable")  # a year typo (a database before 6 Dec 2026 has none)
        item["signed_note"] = signed_note(a)
        item["corrections"] = fixes.get(a["agreement_id"], [])
        if a["agency_id"] != agency_id:  # it moved to another holder
            item["held_by"] = {"agency_id": a["agency_id"], "name": a["holder"]}
        agreements.append(item)
    applications = rows(
        conn,
        "SELECT pending_id, model, first_listed, last_listed, status, agreement_id, days_to_approval FROM pending "
        "WHERE agency_id = :id ORDER BY first_listed",
        me,
    )
    events = changes(conn, agency_id=agency_id)
    _removal_windows(agreements, events)
    return {
        "agency_id": row["agency_id"],
        "name": row["name"],
        "state": row["state"],
        "kind": row["kind"],
        "agency_type": row["agency_type"],
        "county": row["county"],
        "status": row["status"],
        "provisional": bool(row["provisional"]),  # removed, but ICE may list it again
        "first_listed": row["first_listed"],
        "last_listed": row["last_listed"],
        "listed_since": {"participating": row["first_participating"], "pending": row["first_pending"]},
        "name_repaired": orjson.loads(row["name_rules"]) if row["name_rules"] else [],
        "former_ids": former,
        "spellings": spellings,
        "agreements": agreements,
        "pending": applications,
        "events": events,
    }


# --- changes --------------------------------------------------------------------------------------------


def _removal_windows(agreements: list[dict], events: list[dict]) -> None:
    """Give each removed agreement the lists its removal falls between (``removed_window``: last listed, first
    absent), as its removal's evidence names them: the dates alone can be one day's two lists (am and pm)."""
    window = {e["agreement_id"]: e["detail"] for e in events if e["type"] == "removed" and "evidence" in e["detail"]}
    for item in agreements:
        found = window.get(item["agreement_id"]) if item["removed_after"] else None
        if found:
            evidence = found["evidence"]
            item["removed_window"] = {
                "last_listed": evidence["last_listed"],
                "first_absent": evidence["first_absent"],
                "provisional": bool(found.get("provisional")),  # left out of the latest lists only
            }


def changes(
    conn: Conn,
    *,
    since: date | str | None = None,
    state: str | None = None,
    agency_id: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
    newest_first: bool | None = None,
    until: date | str | None = None,
) -> list[dict]:
    """The changelog: events of every publication of both lists, newest publication first (by date, part of
    day and save time: events are numbered in that order), optionally since a date, until one (the lists
    published on or before it), for a state, agency or kind. One agency's events read in the order they
    happened (``newest_first`` overrides either default). The CLI, the Python API, the web pages, the JSON API
    and the Atom feeds all read it here."""
    newest = agency_id is None if newest_first is None else newest_first
    where: list[str] = []
    params: dict[str, Any] = {}
    if since:
        where.append("event.published >= :since")
        params["since"] = parse_date(since).isoformat()
    if until:
        where.append("event.published <= :until")
        params["until"] = parse_date(until).isoformat()
    if state:
        where.append("event.state = :state")
        params["state"] = state.upper()
    if agency_id:
        where.append("(event.agency_id = :agency_id OR event.other_agency_id = :agency_id)")
        params["agency_id"] = agency_id
    if kind:
        where.append("event.kind = :kind")
        params["kind"] = kind
    sql = (
        "SELECT event.*, publication.part, publication.kind AS list_kind, publication.derived AS list_derived, "
        "agency.name AS agency FROM event "
        "JOIN publication ON publication.sha256 = event.sha256 "
        "LEFT OUTER JOIN agency ON agency.agency_id = event.agency_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + (" ORDER BY event.event_id DESC" if newest else " ORDER BY event.event_id")
    )
    if limit:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [event_item(r) for r in rows(conn, sql, params)]


def event_item(r: dict) -> dict:
    """One event as every face shows it."""
    return {
        "event_id": r["event_id"],
        "other_agency_id": r["other_agency_id"],
        "type": r["type"],
        "kind": r["kind"],
        "list_kind": r["list_kind"],  # the kind of the publication it is dated by (an approval: participating)
        "list_derived": bool(r["list_derived"]),  # that list is an HTML-era table extracted by a third party
        "publication": r["sha256"],
        "published": f"{r['published']} {r['part']}".strip(),
        "previous": r["prev_sha256"],
        "agency_id": r["agency_id"],
        "agency": r["agency"],
        "agreement_id": r["agreement_id"],
        "pending_id": r["pending_id"],
        "state": r["state"],
        "model": r["model"],
        "detail": orjson.loads(r["detail"]),
    }
