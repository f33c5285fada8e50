"""What a database holds: publications by kind, their span, rows, and the derived history's size."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from track287g.store.schema import (
    agency,
    agreement,
    event,
    listing_row,
    pending,
    provenance,
    publication,
    quarantine,
    raw_file,
    repair,
)


def summarize(conn: Connection) -> dict:
    """Counts that describe the database, for ``track287g summary`` and the end of ``build``."""
    kinds = {}
    rows = conn.execute(
        select(
            publication.c.kind,
            publication.c.derived,
            func.count(),
            func.sum(publication.c.rows),
            func.min(publication.c.published),
            func.max(publication.c.published),
        ).group_by(publication.c.kind, publication.c.derived)
    )
    for kind, derived, n, total_rows, first, last in rows:
        if kind == "historical":  # the old lists: dated by the lists they hold (`old-lists`), not by their files
            key, first, last = "historical (old lists 2007-2009 and MOA index, derived)", None, None
        else:
            key = f"{kind} (HTML era, derived)" if derived else kind
        kinds[key] = {"publications": n, "rows": int(total_rows or 0), "first": first, "last": last}
    latest = {}
    for kind in ("participating", "pending"):
        row = conn.execute(
            select(publication.c.sha256, publication.c.published, publication.c.part, publication.c.rows)
            .where(publication.c.kind == kind, publication.c.derived.is_(False))
            .order_by(publication.c.published.desc(), publication.c.seq.desc())
            .limit(1)
        ).first()
        if row:
            latest[kind] = {
                "sha256": row.sha256,
                "published": row.published,
                "part": row.part,
                "rows": row.rows,
            }

    def count(table) -> int:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()

    return {
        "files": count(raw_file),
        "bytes": int(conn.execute(select(func.coalesce(func.sum(raw_file.c.size), 0))).scalar_one()),
        "names": count(provenance),
        "quarantined": count(quarantine),
        "publications": kinds,
        "latest": latest,
        "distinct_rows": count(listing_row),
        "repairs": count(repair),
        "agencies": count(agency),
        "agreements": count(agreement),
        "pending_listings": count(pending),
        "events": count(event),
        "matched": _matched(conn),
        "documents": _documents(conn),
    }


def _documents(conn: Connection) -> dict:
    """The archived MOAs: how many, how their text was obtained, how many are linked to an agreement."""
    from track287g.store.schema_documents import document, document_read

    query = select(document_read.c.text_source, func.count()).group_by(document_read.c.text_source)
    sources = {source: n for source, n in conn.execute(query)}
    linked = conn.execute(select(func.count()).where(document.c.agreement_id.is_not(None))).scalar_one()
    return {"documents": sum(sources.values()), "by_text_source": sources, "linked": linked}


def _matched(conn: Connection) -> int | None:
    """Agencies the enrich stage matched to an FBI ORI (None before it ran)."""
    from track287g.store.schema import agency_match

    if not conn.execute(select(func.count()).select_from(agency_match)).scalar_one():
        return None
    return conn.execute(select(func.count()).where(agency_match.c.ori.is_not(None))).scalar_one()
