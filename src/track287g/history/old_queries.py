"""Questions the old lists (2007-2020, derived) answer, and the gap they leave.

An old list answers for the day it stood and no other: a date between two lists is a gap (the error names the
lists either side), never 0 and never an estimate. Every answer says it is derived and from which source.
Counting: an agreement is one row of the old list (the OIG prints one row per agency with its model, Hybrid
being a Task Force and a Jail Enforcement model under one agreement); an agency is one body (``old_agency_id``,
today's agency id where it is the same body). The OIG's ``pending`` rows are not agreements in force.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import Connection, inspect, select

from track287g.errors import QueryError
from track287g.history.reads import first_published
from track287g.i18n import N_
from track287g.normalize.agency_kind import agency_kind
from track287g.store.schema import old_listing, publication

TFM_NOTE = (
    "What the sources can show: the DHS OIG table lists every 287(g) agreement of 2009-10-28 with its model, and "
    "ICE's lists from 2021-01-13 on list every agreement in force with its model; the MOA index lists archived "
    "MOAs (2006-2020) by file name, which carries a model for some. What they cannot show: when each task-force "
    "agreement ended between 2009 and 2021 (no list survives for 2010-2020), nor why; the 2012 end of the "
    "task-force model is ICE's announcement, which these lists are consistent with but do not record."
)


def _has_table(conn: Connection) -> bool:
    return inspect(conn).has_table(old_listing.name)


def old_lists(conn: Connection) -> list[dict]:
    """Each day an old list stood (a snapshot), oldest first: its source, layout and publication. The MOA index,
    which is not a list of any one day, is not one of them."""
    if not _has_table(conn):
        return []
    rows = conn.execute(
        select(old_listing.c.as_of, old_listing.c.layout, old_listing.c.sha256, old_listing.c.source)
        .where(old_listing.c.as_of.is_not(None))
        .group_by(old_listing.c.as_of, old_listing.c.layout, old_listing.c.sha256, old_listing.c.source)
        .order_by(old_listing.c.as_of)
    )
    return [
        {"date": r.as_of, "layout": r.layout, "sha256": r.sha256, "source": r.source, "derived": True} for r in rows
    ]


def first_list_date(conn: Connection) -> str | None:
    """The date of ICE's first participating list in the history (the record proper starts there)."""
    return first_published(conn, "participating")


def _item(r) -> dict:
    body = r.agency_id or r.old_agency_id
    return {
        "agreement_id": f"{body}#{r.models or 'unknown'}#{r.signed or 'undated'}",
        "agency_id": body,
        "today_agency_id": r.agency_id,
        "state": r.state,
        "agency": r.printed,
        "printed": r.printed,
        "model": r.models or "unknown",
        "model_printed": r.model_printed,
        "signed": r.signed,
        "status": r.status,
        "row_number": r.row_number,
        "rows": 1,
        "rule": r.rule,
        "agency_type": None,
        "kind": agency_kind(r.name, None),
        "county": None,
        "moa_url": None,
        "addendum_url": None,
    }


def listed_on(conn: Connection, snapshot: dict, state: str | None = None) -> list[dict]:
    """The rows of one old list (one day), one item each, sorted by state and agency."""
    query = select(old_listing).where(
        old_listing.c.sha256 == snapshot["sha256"], old_listing.c.as_of == snapshot["date"]
    )
    if state:
        query = query.where(old_listing.c.state == state)
    items = [_item(r) for r in conn.execute(query)]
    return sorted(items, key=lambda i: (i["state"], i["agency"], i["row_number"]))


def gap_error(conn: Connection, on: date) -> QueryError:
    """Why there is no answer for a day before the record's first list (naming the lists either side), as an
    error whose template the web shows in the reader's language."""
    lists = old_lists(conn)
    first = first_list_date(conn)
    day = on.isoformat()
    before = [s for s in lists if s["date"] < day]
    after = [s["date"] for s in lists if s["date"] > day] + ([first] if first else [])
    if not before:
        return QueryError(
            N_("no list of 287(g) agreements is known on or before {day} (the oldest, derived, is of {oldest})"),
            day=day,
            oldest=lists[0]["date"],
        )
    return QueryError(
        N_(
            "no list of 287(g) agreements is known for {day}: a gap in the sources between the old list of "
            "{before} ({source}, derived) and the list of {after}; track287g answers for the days a list stood and "
            "never interpolates (see `track287g old-lists`)"
        ),
        day=day,
        before=before[-1]["date"],
        source=before[-1]["source"],
        after=after[0],
    )


def old_as_of(conn: Connection, on: date, state: str | None = None) -> dict | None:
    """The answer of the old list that stood on a day (None: there are no old lists in this record).

    Raises QueryError for a day no list stood (a gap)."""
    lists = old_lists(conn)
    if not lists:
        return None
    day = on.isoformat()
    found = [s for s in lists if s["date"] == day]
    if not found:
        raise gap_error(conn, on)
    snapshot = found[-1]
    every = listed_on(conn, snapshot, state)
    items = [i for i in every if i["status"] != "pending"]
    pending = [i for i in every if i["status"] == "pending"]
    pub = conn.execute(select(publication).where(publication.c.sha256 == snapshot["sha256"])).one()
    return {
        "date": day,
        "state": state,
        "derived": True,
        "source": snapshot["source"],
        "old_list": snapshot,
        "publication": {
            "sha256": pub.sha256,
            "kind": pub.kind,
            "published": day,
            "part": "",
            "label": day,
            "published_from": "as-of-in-file",
            "names": [snapshot["layout"]],
            "rows": len(every),
            "derived": True,
            "seq": pub.seq,
            "source": snapshot["source"],
        },
        "agencies": len({i["agency_id"] for i in items}),
        "agreements": len(items),
        "printed_rows": len(items),
        "models": dict(sorted(Counter(i["model"] for i in items).items())),
        "counting": "an agreement is a row of the old list (a Hybrid row is one agreement with both models); "
        "an agency is one body",
        "items": items,
        "pending": {"publication": None, "applications": len(pending), "agencies": len(pending), "items": pending},
        "not_in_history": [],
        "days_after_latest_list": None,
    }


def summary(conn: Connection) -> dict:
    """Per old list (and per day it stood): rows, agencies, how many are today's agencies, and how each resolved."""
    if not _has_table(conn):
        return {"lists": [], "rules": {}}
    rows = conn.execute(select(old_listing).order_by(old_listing.c.layout, old_listing.c.as_of)).all()
    groups: dict[tuple, list] = {}
    for r in rows:
        groups.setdefault((r.layout, r.as_of, r.source), []).append(r)
    out = []
    for (layout, as_of, source), rs in sorted(groups.items(), key=lambda kv: (kv[0][1] or "9999", kv[0][0])):
        bodies = {r.old_agency_id for r in rs}
        today = {r.old_agency_id for r in rs if r.agency_id}
        out.append(
            {
                "layout": layout,
                "as_of": as_of,
                "source": source,
                "derived": True,
                "rows": len(rs),
                "agencies": len(bodies),
                "resolved_to_today": len(today),
                "today_agencies": len({r.agency_id for r in rs if r.agency_id}),
                "not_today": len(bodies - today),
                "ambiguous": sum(1 for r in rs if r.rule == "ambiguous"),
                "models": dict(sorted(Counter(r.models or "none" for r in rs).items())),
            }
        )
    merges = [
        {"state": r.state, "printed": r.printed, "agency_id": r.agency_id, "rule": r.rule, "evidence": r.evidence}
        for r in rows
        if r.agency_id and r.rule != "same-spelling"
    ]
    unique = {(m["state"], m["printed"]): m for m in merges}
    return {
        "lists": out,
        "rules": dict(sorted(Counter(r.rule for r in rows).items())),
        "merges": sorted(unique.values(), key=lambda m: (m["state"], m["printed"])),
    }
