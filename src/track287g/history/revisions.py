"""Revisions of the record: changes the history reported for lists it already covered and a later rebuild (a new
list, a rule, a person's decision) no longer reports (``withdrawn``), or reports anew (``added``).

A change is compared by its list, its kind, its agency and its model: an agreement id that changed with a
signing date or a name, or a detail that changed, is no revision; an agency id that changed is followed through
the history's aliases. Revisions are kept for good in table ``revision`` (a rebuild never empties it), each as
the record said it, so that the feeds can tell subscribers what the record no longer says.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, inspect, select

from track287g.archive import now_utc
from track287g.history.model import History
from track287g.store.db import is_stale
from track287g.store.schema import agency, agency_alias, event, revision


@dataclass(frozen=True)
class Reported:
    """A change as the record reported it."""

    sha256: str
    published: str
    kind: str
    type: str
    agency_id: str | None
    name: str | None
    agreement_id: str | None
    pending_id: str | None
    state: str | None
    model: str | None
    detail: str


def reported_before(conn: Connection, covered: set[str]) -> list[Reported]:
    """The changes the stored history reports for the publications it covers (read before it is replaced)."""
    if not covered or is_stale(inspect(conn), event):  # none yet, or written by another version: not compared
        return []
    query = select(event, agency.c.name).select_from(event.outerjoin(agency, agency.c.agency_id == event.c.agency_id))
    rows = (tuple(row) for row in conn.execute(query.order_by(event.c.event_id)))
    return [_reported(row[:-1], row[-1]) for row in rows if row[1] in covered]


def _reported(row: tuple, name: str | None) -> Reported:
    """A change from an event row (the columns of table ``event``, in order)."""
    _, sha256, _, published, kind, type_, agency_id, agreement_id, pending_id, state, model, detail, _ = row
    return Reported(sha256, published, kind, type_, agency_id, name, agreement_id, pending_id, state, model, detail)


def record(conn: Connection, history: History, before: list[Reported], covered: set[str], rows: list[tuple]) -> int:
    """Store the revisions between the changes reported ``before`` and the new event ``rows`` of the lists the
    history ``covered`` before; returns how many."""
    if not before:
        return 0
    current = {a.agency_id for a in history.resolution.agencies}
    aliases = dict(history.resolution.aliases)
    aliases.update((c.old, c.agency_id) for c in history.resolution.id_changes if c.old != c.agency_id)
    names = {a.agency_id: a.name for a in history.resolution.agencies}

    def now_id(agency_id: str | None) -> str | None:
        for _ in range(10):  # an id renamed more than once
            if agency_id is None or agency_id in current or agency_id not in aliases:
                break
            agency_id = aliases[agency_id]
        return agency_id

    old: dict[tuple, list[Reported]] = defaultdict(list)
    for r in before:
        old[(r.sha256, r.type, now_id(r.agency_id), r.model)].append(r)
    new: dict[tuple, list[Reported]] = defaultdict(list)
    for row in rows:  # the columns of table ``event``, as ``write`` makes them
        if row[1] in covered:
            r = _reported(row, names.get(row[6] or ""))
            new[(r.sha256, r.type, r.agency_id, r.model)].append(r)
    gone = Counter({k: len(v) for k, v in old.items()}) - Counter({k: len(v) for k, v in new.items()})
    came = Counter({k: len(v) for k, v in new.items()}) - Counter({k: len(v) for k, v in old.items()})
    if not gone and not came:
        return 0
    labels = {p.sha256: p.label for p in (*history.participating, *history.pending_pubs)}
    at = now_utc()
    out = [
        _row(at, change, r, now_id(r.agency_id), labels)
        for change, diff, reported in (("withdrawn", gone, old), ("added", came, new))
        for key, n in diff.items()
        for r in reported[key][-n:]
    ]
    out.sort(
        key=lambda row: (
            row["change"] != "withdrawn",
            row["published"],
            row["list_label"],
            row["type"],
            str(row["agency_id"]),
        )
    )
    for item in out:
        del item["published"]  # ordered by it; the list's label says it
    conn.execute(revision.insert(), out)
    return len(out)


def _row(at: str, change: str, r: Reported, agency_id: str | None, labels: dict[str, str]) -> dict:
    return {
        "revised_at": at,
        "change": change,
        "sha256": r.sha256,
        "published": r.published,
        "list_label": labels.get(r.sha256, r.published),  # a list held out of the history since: its date
        "kind": r.kind,
        "type": r.type,
        "agency_id": agency_id,
        "name": r.name,
        "agreement_id": r.agreement_id,
        "pending_id": r.pending_id,
        "state": r.state,
        "model": r.model,
        "detail": r.detail,
    }


def revisions(
    conn: Connection,
    *,
    state: str | None = None,
    agency_id: str | None = None,
    limit: int | None = None,
    revised_at: str | None = None,
) -> list[dict]:
    """The revisions of the record, newest first, in list order: one state's, or one agency's (recorded under
    its id or any former id); ``revised_at``: those of one rebuild."""
    if not inspect(conn).has_table(revision.name):  # written by a version before revisions were kept
        return []
    query = select(revision)
    if revised_at:
        query = query.where(revision.c.revised_at == revised_at)
    if state:
        query = query.where(revision.c.state == state)
    if agency_id:
        former = select(agency_alias.c.alias).where(agency_alias.c.agency_id == agency_id)
        query = query.where((revision.c.agency_id == agency_id) | revision.c.agency_id.in_(former))
    query = query.order_by(revision.c.revised_at.desc(), revision.c.revision_id)
    out = []
    for r in conn.execute(query.limit(limit) if limit else query):
        item = dict(r._mapping)
        item["detail"] = json.loads(item["detail"])
        out.append(item)
    return out


def revision_times(conn: Connection) -> list[str]:
    """When the record was revised (one time per rebuild that revised it), oldest first."""
    if not inspect(conn).has_table(revision.name):
        return []
    return list(conn.execute(select(revision.c.revised_at).distinct().order_by(revision.c.revised_at)).scalars())
