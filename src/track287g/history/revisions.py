"""Revisions of the record: changes the history reported for lists it already covered and a later rebuild (a new
list, a rule, a person's decision) no longer reports (``withdrawn``), or reports anew (``added``).

A change is compared by its list, its kind, its agency and its model: an agreement id that changed with a
signing date or a name, or a detail that changed, is no revision; an agency id that changed is followed through
the history's aliases. Revisions are kept for good in table ``revision`` (a rebuild never empties it), each as
the record said it, so that the feeds, the state pages and the webhooks can tell readers what it no longer says.
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
from track287g.store.sql import tuples


@dataclass
class Reported:
    """What the stored history reported, read before it is replaced: its event rows (the columns of table
    ``event``, in order; none when they are read as the difference the new rows make) and its agencies' names."""

    names: dict[str, str]
    rows: list[tuple] | None = None


def reported_before(conn: Connection, covered: set[str], *, rows: bool = True) -> Reported | None:
    """What the stored history reports (``rows``: its events too), or None when there is nothing to compare:
    no history yet, or tables written by another version of the package."""
    found = inspect(conn)
    if not covered or is_stale(found, event) or is_stale(found, agency):
        return None
    names = dict(tuples(conn, "SELECT agency_id, name FROM agency"))  # thousands: through the driver
    if not rows:
        return Reported(names)
    return Reported(names, [tuple(r) for r in conn.execute(select(event)) if r.sha256 in covered])


def record(
    conn: Connection, history: History, before: Reported, covered: set[str], old: list[tuple], new: list[tuple]
) -> int:
    """Store the revisions between the event rows ``old`` (as ``before`` reported them) and ``new`` (of
    ``history``), those of the lists the history ``covered`` before; returns how many. Rows in both may be left
    out of both: only the difference counts."""
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

    said: dict[tuple, list[tuple]] = defaultdict(list)
    for row in old:
        if row[_SHA] in covered:
            said[(row[_SHA], row[_TYPE], now_id(row[_AGENCY]), row[_MODEL])].append(row)
    says: dict[tuple, list[tuple]] = defaultdict(list)
    for row in new:
        if row[_SHA] in covered:
            says[(row[_SHA], row[_TYPE], row[_AGENCY], row[_MODEL])].append(row)
    gone = Counter({k: len(v) for k, v in said.items()}) - Counter({k: len(v) for k, v in says.items()})
    came = Counter({k: len(v) for k, v in says.items()}) - Counter({k: len(v) for k, v in said.items()})
    if not gone and not came:
        return 0
    labels = {p.sha256: p.label for p in (*history.participating, *history.pending_pubs)}
    at = now_utc()
    out = [
        _row(at, change, row, now_id(row[_AGENCY]), name_of.get(row[_AGENCY] or ""), labels)
        for change, diff, rows, name_of in (("withdrawn", gone, said, before.names), ("added", came, says, names))
        for key, n in diff.items()
        for row in rows[key][-n:]
    ]
    out.sort(
        key=lambda r: (r["change"] != "withdrawn", r["published"], r["list_label"], r["type"], str(r["agency_id"]))
    )
    for item in out:
        del item["published"]  # ordered by it; the list's label says it
    conn.execute(revision.insert(), out)
    return len(out)


# the columns of an event row that a revision is compared by
_SHA, _PUBLISHED, _KIND, _TYPE, _AGENCY, _AGREEMENT, _PENDING, _STATE, _MODEL, _DETAIL = 1, 3, 4, 5, 6, 7, 8, 9, 10, 11


def _row(at: str, change: str, row: tuple, agency_id: str | None, name: str | None, labels: dict[str, str]) -> dict:
    return {
        "revised_at": at,
        "change": change,
        "sha256": row[_SHA],
        "published": row[_PUBLISHED],
        "list_label": labels.get(row[_SHA], row[_PUBLISHED]),  # a list held out of the history since: its date
        "kind": row[_KIND],
        "type": row[_TYPE],
        "agency_id": agency_id,
        "name": name,
        "agreement_id": row[_AGREEMENT],
        "pending_id": row[_PENDING],
        "state": row[_STATE],
        "model": row[_MODEL],
        "detail": row[_DETAIL],
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
