"""Read-side queries over the archive and publications, shared by the CLI, the Python API and the web."""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import Connection, select

from track287g.store.schema import publication, publication_name, quarantine


def list_publications(conn: Connection, kind: str | None = None) -> list[dict]:
    """Every publication, oldest first: kind, date and how it was known, names, rows, flags. (Its rows per model:
    ``history.queries.printed_models``, read from each list's difference from the one before.)"""
    query = select(publication).order_by(
        publication.c.kind, publication.c.published, publication.c.seq, publication.c.sha256
    )
    if kind:
        query = query.where(publication.c.kind == kind)
    pubs = [dict(r._mapping) for r in conn.execute(query)]
    names: dict[str, list[dict]] = defaultdict(list)
    for r in conn.execute(select(publication_name).order_by(publication_name.c.name)):
        names[r.sha256].append(
            {"name": r.name, "stamp_date": r.stamp_date, "part": r.part, "rule": r.rule, "note": r.note}
        )
    return [
        {
            "sha256": p["sha256"],
            "kind": p["kind"],
            "published": p["published"],
            "part": p["part"],
            "published_from": p["published_from"],
            "published_note": p["published_note"],
            "names": [n["name"] for n in names[p["sha256"]]],
            "name_dates": names[p["sha256"]],
            "rows": p["rows"],
            "layout": p["layout"],
            "derived": bool(p["derived"]),
            "flags": json.loads(p["flags"]),
            "seq": p["seq"],
            "workbook_modified": p["workbook_modified"],
            "captured_at": p["captured_at"],
        }
        for p in pubs
    ]


def list_quarantine(conn: Connection) -> list[dict]:
    rows = conn.execute(
        select(
            quarantine.c.name,
            quarantine.c.source,
            quarantine.c.sha256,
            quarantine.c.size,
            quarantine.c.reason,
            quarantine.c.received_at,
        ).order_by(quarantine.c.id)
    )
    return [dict(r._mapping) for r in rows]
