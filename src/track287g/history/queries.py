"""Read-side queries of the history: point in time, agency views, changes and diffs between publications.

Every answer names the publication(s) it comes from. Shared by the CLI, the Python API and the web.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date

from sqlalchemy import Connection, func, select

from track287g import checks
from track287g.errors import Moved, NotFound, QueryError
from track287g.history.state import hold_of, in_history, no_history_message
from track287g.i18n import N_
from track287g.parse.published import PART_RANK
from track287g.resolve.aliases import loose
from track287g.store.schema import (
    agency,
    agency_alias,
    agency_spelling,
    agreement,
    agreement_alias,
    continuation,
    correction,
    event,
    listing,
    listing_row,
    pending,
    pending_listing,
    publication,
    publication_name,
    row_agreement,
)

# --- publications ---------------------------------------------------------------------------------------

_STAMP = re.compile(r"^(\d{2})(\d{2})(\d{4})\s*(am|pm|mid)?$", re.I)
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(am|pm|mid)?$", re.I)


def publication_info(conn: Connection, sha256: str) -> dict:
    """Date, part, kind, names and rows of one publication."""
    p = conn.execute(select(publication).where(publication.c.sha256 == sha256)).one()
    names = sorted(conn.execute(select(publication_name.c.name).where(publication_name.c.sha256 == sha256)).scalars())
    return {
        "sha256": p.sha256,
        "kind": p.kind,
        "published": p.published,
        "part": p.part,
        "label": f"{p.published} {p.part}".strip(),
        "published_from": p.published_from,
        "names": names,
        "rows": p.rows,
        "derived": bool(p.derived),
        "seq": p.seq,
    }


def find_publication(conn: Connection, ref: str, kind: str | None = None) -> dict:
    """A publication named by sha256 prefix, date (``2026-01-26`` or ``2026-01-26pm``), ICE stamp
    (``01262026pm``) or file name. Raises QueryError when nothing or more than one publication fits."""
    ref = ref.strip()
    query = select(
        publication.c.sha256, publication.c.kind, publication.c.published, publication.c.part, publication.c.seq
    )
    if kind:
        query = query.where(publication.c.kind == kind)
    matches: list = []
    day = part = None
    if m := _DATE.match(ref):
        day, part = m.group(1), m.group(2)
    elif m := _STAMP.match(ref):
        day, part = f"{m.group(3)}-{m.group(1)}-{m.group(2)}", m.group(4)
    if day:
        # a publication is named by its date, or by the date of any name ICE posted the same bytes under
        named = select(publication_name.c.sha256).where(publication_name.c.stamp_date == day)
        if part:
            named = named.where(publication_name.c.part == part.lower())
        matches = list(conn.execute(query.where(publication.c.published == day)))
        if part:
            matches = [r for r in matches if r.part == part.lower()]
        if not matches:
            matches = list(conn.execute(query.where(publication.c.sha256.in_(named))))
    if not matches and re.fullmatch(r"[0-9a-fA-F]{6,64}", ref):
        matches = list(conn.execute(query.where(publication.c.sha256.startswith(ref.lower()))))
    if not matches:
        named = select(publication_name.c.sha256).where(func.lower(publication_name.c.name) == ref.lower())
        matches = list(conn.execute(query.where(publication.c.sha256.in_(named))))
    if not matches:
        raise QueryError(
            f"no publication matches {ref!r} (use a date like 2026-01-26pm, a stamp like "
            "01262026pm, a file name or a sha256 prefix; `track287g publications` lists them)"
        )
    if len(matches) > 1:
        options = ", ".join(f"{r.kind} {r.published} {r.part} {r.sha256[:10]}".replace("  ", " ") for r in matches)
        raise QueryError(
            f"{ref!r} matches {len(matches)} publications ({options}); add --kind, the part of day or a sha256 prefix"
        )
    return publication_info(conn, matches[0].sha256)


def latest_on(conn: Connection, kind: str, on: date) -> dict | None:
    """The latest publication of a kind in the history published on or before a date."""
    row = conn.execute(
        select(publication.c.sha256)
        .where(publication.c.kind == kind, publication.c.published <= on.isoformat(), in_history())
        .order_by(publication.c.seq.desc())
        .limit(1)
    ).first()
    return publication_info(conn, row.sha256) if row else None


def left_out(conn: Connection, kind: str, on: date, answered: dict | None) -> list[dict]:
    """Lists of a kind published on or before a date, after the one an answer comes from, that the history
    does not hold (held by a QA check, or stored since it was built): the answer must name them."""
    query = select(publication.c.sha256, publication.c.published, publication.c.part).where(
        publication.c.kind == kind, publication.c.published <= on.isoformat(), publication.c.seq.is_(None)
    )
    if answered is not None:
        query = query.where(publication.c.published >= answered["published"])
    out = []
    for r in conn.execute(query.order_by(publication.c.published, publication.c.sha256)):
        why = hold_of(conn, r.sha256) or {}
        out.append({"sha256": r.sha256, "label": f"{r.published} {r.part}".strip(), **why})
    return out


def parse_date(text: str | date) -> date:
    """An ISO date, checked once for every caller (``checks.day``)."""
    return checks.day(text)


# --- point in time --------------------------------------------------------------------------------------


def _pub_id(conn: Connection, sha256: str) -> int:
    return conn.execute(select(publication.c.pub_id).where(publication.c.sha256 == sha256)).scalar_one()


def listed_agreements(conn: Connection, sha256: str, state: str | None = None) -> list[dict]:
    """The agreements a participating publication lists (one item per agreement, as printed in its first row)."""
    query = (
        select(
            agreement.c.agreement_id,
            row_agreement.c.agency_id,
            agency.c.state,
            agency.c.name.label("agency"),
            listing_row.c.agency.label("printed"),
            agreement.c.model,
            listing_row.c.signed,
            agency.c.kind,
            listing_row.c.agency_type,
            listing_row.c.county,
            listing_row.c.moa_url,
            listing_row.c.addendum_url,
            listing.c.row_number,
        )
        .select_from(listing)
        .join(listing_row, listing_row.c.row_id == listing.c.row_id)
        .join(row_agreement, row_agreement.c.row_id == listing.c.row_id)
        .join(agreement, agreement.c.agreement_id == row_agreement.c.agreement_id)
        .join(agency, agency.c.agency_id == row_agreement.c.agency_id)
        .where(listing.c.pub_id == _pub_id(conn, sha256))
        .order_by(listing.c.row_number)
    )
    if state:
        query = query.where(agency.c.state == state)
    return _first_per(conn.execute(query), "agreement_id", ("state", "agency", "model", "agreement_id"))


def listed_applications(conn: Connection, sha256: str, state: str | None = None) -> list[dict]:
    """The applications a pending publication lists (one item per application)."""
    query = (
        select(
            pending.c.pending_id,
            pending.c.agency_id,
            pending.c.state,
            agency.c.name.label("agency"),
            pending.c.model,
            pending.c.first_listed,
            pending.c.status,
            pending.c.agreement_id,
            pending_listing.c.row_number,
        )
        .select_from(pending_listing)
        .join(pending, pending.c.pending_id == pending_listing.c.pending_id)
        .join(agency, agency.c.agency_id == pending.c.agency_id)
        .where(pending_listing.c.pub_id == _pub_id(conn, sha256))
        .order_by(pending_listing.c.row_number)
    )
    if state:
        query = query.where(pending.c.state == state)
    return _first_per(conn.execute(query), "pending_id", ("state", "agency", "model", "pending_id"))


def _first_per(rows, key: str, order: tuple[str, ...]) -> list[dict]:
    """One item per ``key`` (its first row, with ``rows``: how many rows ICE printed for it), sorted by
    ``order``: portable where GROUP BY is not."""
    seen: dict[str, dict] = {}
    for r in rows:
        item = seen.setdefault(r._mapping[key], {**dict(r._mapping), "rows": 0})
        item["rows"] += 1
    return sorted(seen.values(), key=lambda item: tuple(str(item[k]) for k in order))


def as_of(conn: Connection, on: date | str, state: str | None = None) -> dict:
    """Agencies and agreements active on a date: ICE's latest participating list on or before it (and the
    pending list of the same date)."""
    on = parse_date(on)
    pub = latest_on(conn, "participating", on)
    if pub is None:
        from track287g.history.old_queries import old_as_of

        old = old_as_of(conn, on, state)  # before the record: the old list of that day, or a gap (an error)
        if old is not None:
            return old
        first = conn.execute(
            select(func.min(publication.c.published)).where(publication.c.kind == "participating", in_history())
        ).scalar()
        if first is None:  # never 0 agencies from a history that is missing: say why
            raise QueryError(no_history_message(conn, "participating"))
        raise QueryError(f"no participating list was published on or before {on} (the archive starts {first})")
    items = listed_agreements(conn, pub["sha256"], state)
    pend_pub = latest_on(conn, "pending", on)
    pend_items = listed_applications(conn, pend_pub["sha256"], state) if pend_pub else []
    return {
        "date": on.isoformat(),
        "state": state,
        "publication": pub,
        "agencies": len({i["agency_id"] for i in items}),
        "agreements": len(items),
        "printed_rows": sum(i["rows"] for i in items),  # ICE's rows: more than agreements where one is twice
        "models": dict(sorted(_count(i["model"] for i in items).items())),
        "items": items,
        "pending": {
            "publication": pend_pub,
            "applications": len(pend_items),
            "agencies": len({i["agency_id"] for i in pend_items}),
            "items": pend_items,
        },
        # later lists the history does not hold (held, or stored since it was built): not in this answer
        "not_in_history": left_out(conn, "participating", on, pub),
    }


def _count(values) -> dict:
    out: dict = defaultdict(int)
    for v in values:
        out[v] += 1
    return out


# --- agencies -------------------------------------------------------------------------------------------


def find_agency(conn: Connection, name: str, state: str | None = None) -> str:
    """The agency id for any spelling ICE printed (case, spacing and quotes ignored) or an agency id.
    Raises QueryError with near matches when there is none, or the states when several fit."""
    wanted = loose(name)
    if conn.execute(select(agency.c.agency_id).where(agency.c.agency_id == name)).first():
        return name
    moved = current_agency_id(conn, name)
    if moved:
        return moved
    query = select(agency_spelling.c.agency_id, agency_spelling.c.spelling, agency.c.state, agency.c.name).join(
        agency, agency.c.agency_id == agency_spelling.c.agency_id
    )
    rows = list(conn.execute(query.where(agency.c.state == state.upper()) if state else query))
    hits = sorted({r.agency_id for r in rows if loose(r.spelling) == wanted or loose(r.name) == wanted})
    if state and not hits:  # a spelling ICE printed under a state it corrected later (Lake Placid, "NY")
        printed = conn.execute(query.where(agency_spelling.c.state == state.upper()))
        hits = sorted({r.agency_id for r in printed if loose(r.spelling) == wanted})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise QueryError(f"{name!r} names {len(hits)} agencies ({', '.join(hits)}); add --state")
    from rapidfuzz import fuzz, process  # only a miss needs suggestions

    choices = {f"{r.spelling} ({r.state})": r.agency_id for r in rows}
    near = process.extract(name, list(choices), scorer=fuzz.WRatio, limit=5, score_cutoff=60)
    hint = "; did you mean: " + "; ".join(c for c, _, _ in near) if near else ""
    raise QueryError(f"no agency named {name!r}" + (f" in {state.upper()}" if state else "") + hint)


def current_agency_id(conn: Connection, agency_id: str) -> str | None:
    """The id an agency carries now, given an id it carried before (None: not a former id)."""
    return conn.execute(select(agency_alias.c.agency_id).where(agency_alias.c.alias == agency_id)).scalar()


def current_agreement_id(conn: Connection, agreement_id: str) -> str | None:
    """The id an agreement carries now, given an id it carried before (None: not a former id)."""
    return conn.execute(select(agreement_alias.c.agreement_id).where(agreement_alias.c.alias == agreement_id)).scalar()


def agency_view(conn: Connection, agency_id: str) -> dict:
    """Everything the record knows of one agency: spellings, former ids, agreements it holds or held,
    applications, and its events in the order they happened."""
    row = conn.execute(select(agency).where(agency.c.agency_id == agency_id)).first()
    if row is None:
        moved = current_agency_id(conn, agency_id)
        if moved:
            raise Moved(agency_id, moved)
        raise NotFound(N_("no agency with id {agency_id!r}"), agency_id=agency_id)
    spellings = [
        dict(r._mapping)
        for r in conn.execute(
            select(
                agency_spelling.c.spelling,
                agency_spelling.c.state,
                agency_spelling.c.rule,
                agency_spelling.c.evidence,
                agency_spelling.c.first_listed,
                agency_spelling.c.last_listed,
                agency_spelling.c.rows,
            )
            .where(agency_spelling.c.agency_id == agency_id)
            .order_by(agency_spelling.c.first_listed, agency_spelling.c.spelling)
        )
    ]
    former = [
        dict(r._mapping)
        for r in conn.execute(
            select(agency_alias.c.alias, agency_alias.c.reason)
            .where(agency_alias.c.agency_id == agency_id)
            .order_by(agency_alias.c.alias)
        )
    ]
    held = select(row_agreement.c.agreement_id).where(row_agreement.c.agency_id == agency_id)
    mine = (agreement.c.agency_id == agency_id) | agreement.c.agreement_id.in_(held)
    fixes: dict[str, list] = defaultdict(list)
    for c in conn.execute(
        select(correction).where(correction.c.agreement_id.in_(select(agreement.c.agreement_id).where(mine)))
    ):
        fixes[c.agreement_id].append({"field": c.field, "from": c.old, "to": c.new, "rule": c.rule})
    agreements = []
    for a in conn.execute(
        select(agreement, agency.c.name.label("holder"))
        .join(agency, agency.c.agency_id == agreement.c.agency_id)
        .where(mine)
        .order_by(agreement.c.model, agreement.c.first_listed)
    ):
        item = {
            k: a._mapping[k]
            for k in (
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
        }
        item["html_era"] = bool(a.html_era)
        item["corrections"] = fixes.get(a.agreement_id, [])
        if a.agency_id != agency_id:  # it moved to another holder
            item["held_by"] = {"agency_id": a.agency_id, "name": a.holder}
        agreements.append(item)
    applications = [
        dict(r._mapping)
        for r in conn.execute(
            select(
                pending.c.pending_id,
                pending.c.model,
                pending.c.first_listed,
                pending.c.last_listed,
                pending.c.status,
                pending.c.agreement_id,
                pending.c.days_to_approval,
            )
            .where(pending.c.agency_id == agency_id)
            .order_by(pending.c.first_listed)
        )
    ]
    events = changes(conn, agency_id=agency_id)
    return {
        "agency_id": row.agency_id,
        "name": row.name,
        "state": row.state,
        "kind": row.kind,
        "agency_type": row.agency_type,
        "county": row.county,
        "status": row.status,
        "first_listed": row.first_listed,
        "last_listed": row.last_listed,
        "listed_since": {"participating": row.first_participating, "pending": row.first_pending},
        "name_repaired": json.loads(row.name_rules) if row.name_rules else [],
        "former_ids": former,
        "spellings": spellings,
        "agreements": agreements,
        "pending": applications,
        "events": events,
    }


# --- changes and diffs ----------------------------------------------------------------------------------


def changes(
    conn: Connection,
    *,
    since: date | str | None = None,
    state: str | None = None,
    agency_id: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
    newest_first: bool | None = None,
) -> list[dict]:
    """The changelog: events of every publication of both lists, newest publication first (by date, part of
    day and save time: events are numbered in that order), optionally since a date, for a state, agency or
    kind. One agency's events read in the order they happened (``newest_first`` overrides either default).
    The CLI, the Python API, the web pages, the JSON API and the Atom feeds all read it here."""
    newest = agency_id is None if newest_first is None else newest_first
    query = (
        select(event, publication.c.part, publication.c.kind.label("list_kind"), agency.c.name.label("agency"))
        .join(publication, publication.c.sha256 == event.c.sha256)
        .outerjoin(agency, agency.c.agency_id == event.c.agency_id)
        .order_by(event.c.event_id.desc() if newest else event.c.event_id)
    )
    if since:
        query = query.where(event.c.published >= parse_date(since).isoformat())
    if state:
        query = query.where(event.c.state == state.upper())
    if agency_id:
        query = query.where((event.c.agency_id == agency_id) | (event.c.other_agency_id == agency_id))
    if kind:
        query = query.where(event.c.kind == kind)
    if limit:
        query = query.limit(limit)
    return [_event_item(r) for r in conn.execute(query)]


def continuations(conn: Connection, *, kind: str | None = None, state: str | None = None) -> list[dict]:
    """The audit: every removal and withdrawal (newest first) with the rows that could have continued it,
    ranked, each with its decision and reason."""
    types = {"removal": ("removed",), "withdrawal": ("pending-withdrawn",)}.get(
        kind or "", ("removed", "pending-withdrawn")
    )
    items = changes(conn, state=state)
    items = [e for e in items if e["type"] in types]
    hits: dict[int, list] = defaultdict(list)
    for r in conn.execute(select(continuation).order_by(continuation.c.event_id, continuation.c.rank)):
        hits[r.event_id].append({k: v for k, v in r._mapping.items() if k != "event_id"})
    for e in items:
        e["candidates"] = hits.get(e["event_id"], [])
    return items


def _event_item(r) -> dict:
    return {
        "event_id": r.event_id,
        "other_agency_id": r.other_agency_id,
        "type": r.type,
        "kind": r.kind,
        "list_kind": r.list_kind,  # the kind of the publication it is dated by (an approval: participating)
        "publication": r.sha256,
        "published": f"{r.published} {r.part}".strip(),
        "previous": r.prev_sha256,
        "agency_id": r.agency_id,
        "agency": r.agency,
        "agreement_id": r.agreement_id,
        "pending_id": r.pending_id,
        "state": r.state,
        "model": r.model,
        "detail": json.loads(r.detail),
    }


def diff(conn: Connection, ref_a: str, ref_b: str, kind: str | None = None) -> dict:
    """What changed between any two publications of one kind (not only consecutive ones)."""
    a, b = _pair(conn, ref_a, ref_b, kind)
    for p in (a, b):
        why = hold_of(conn, p["sha256"])
        if why is not None:  # its rows belong to no agreement: a diff would report them all removed
            raise QueryError(f"the {p['kind']} list of {p['label']} is not in the history ({why['reason']})")
    if a["kind"] == "participating":
        before = {i["agreement_id"]: i for i in listed_agreements(conn, a["sha256"])}
        after = {i["agreement_id"]: i for i in listed_agreements(conn, b["sha256"])}
        key, label = "agreement_id", None
    else:
        before = {i["pending_id"]: i for i in listed_applications(conn, a["sha256"])}
        after = {i["pending_id"]: i for i in listed_applications(conn, b["sha256"])}
        key, label = "pending_id", "pending-"
    events = []

    def emit(kind_: str, item: dict, detail: dict | None = None) -> None:
        events.append(
            {
                "type": (label or "") + kind_,
                "publication": b["sha256"],
                "previous": a["sha256"],
                key: item[key],
                "agency_id": item["agency_id"],
                "agency": item["agency"],
                "state": item["state"],
                "model": item["model"],
                "detail": detail or {},
            }
        )

    def dated(item: dict) -> dict:
        return {"signed": item["signed"]} if item.get("signed") else {}

    for k in sorted(after.keys() - before.keys()):
        emit("added", after[k], dated(after[k]))
    for k in sorted(before.keys() - after.keys()):
        emit("removed", before[k], dated(before[k]))
    if key == "agreement_id":
        renamed: dict[str, tuple[set, set]] = defaultdict(lambda: (set(), set()))
        for k in sorted(after.keys() & before.keys()):
            if after[k]["signed"] != before[k]["signed"]:
                emit("re-dated", after[k], {"from": before[k]["signed"], "to": after[k]["signed"]})
            renamed[after[k]["agency_id"]][0].add(before[k]["printed"])
            renamed[after[k]["agency_id"]][1].add(after[k]["printed"])
        for agency_id, (old, new) in sorted(renamed.items()):
            if old != new:
                item = next(i for i in after.values() if i["agency_id"] == agency_id)
                events.append(
                    {
                        "type": "renamed",
                        "publication": b["sha256"],
                        "previous": a["sha256"],
                        "agency_id": agency_id,
                        "agency": item["agency"],
                        "state": item["state"],
                        "model": None,
                        "detail": {"from": sorted(old - new), "to": sorted(new - old)},
                    }
                )
    return {"from": a, "to": b, "events": events, "counts": dict(sorted(_count(e["type"] for e in events).items()))}


def _pair(conn: Connection, ref_a: str, ref_b: str, kind: str | None) -> tuple[dict, dict]:
    for k in [kind] if kind else ["participating", "pending", None]:
        try:
            a, b = find_publication(conn, ref_a, k), find_publication(conn, ref_b, k)
        except QueryError:
            if k is None or kind:
                raise
            continue
        if a["kind"] != b["kind"]:
            raise QueryError(
                f"{ref_a!r} is a {a['kind']} list and {ref_b!r} a {b['kind']} list; compare lists of one kind"
            )
        if (a["published"], PART_RANK.get(a["part"], 2), a["seq"]) > (
            b["published"],
            PART_RANK.get(b["part"], 2),
            b["seq"],
        ):
            a, b = b, a
        return a, b
    raise QueryError("no publications to compare")


__all__ = [
    "QueryError",
    "agency_view",
    "as_of",
    "changes",
    "continuations",
    "current_agency_id",
    "current_agreement_id",
    "diff",
    "find_agency",
    "find_publication",
]
