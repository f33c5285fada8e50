"""The claims page's content: one entry per claim with its source and its figures under it, the sources, and
what each counting unit counts on the claims' date (rows, raw spellings, agencies, agreements)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from track287g.analyze.claims.check import check_claims
from track287g.analyze.claims.counts import load_claims
from track287g.analyze.claims.sources import load_sources
from track287g.history.queries import as_of
from track287g.messages import message

UNITS = ("rows", "spellings", "agencies", "agreements")


def claims_report(conn: Connection, folder: str | Path) -> dict[str, Any]:
    """``sources`` (id -> record), ``claims`` (each with ``source``, ``also_in``, ``verdicts`` and its
    ``figures``: the rows of ``check_claims``), and ``units`` on the date most claims are about."""
    claims = load_claims(folder)
    sources = load_sources(folder)
    rows = check_claims(conn, claims)
    by_claim: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        by_claim.setdefault((row["file"], row["id"]), []).append(row)
    out = []
    for claim in claims:
        figures = by_claim.get((claim.file, claim.id), [])
        out.append(
            {
                "id": claim.id,
                "file": Path(claim.file).name,
                "kind": claim.kind,
                "quote": claim.quote,
                "date": claim.on.isoformat() if claim.on else None,
                "note": claim.note,
                "source": sources.get(claim.source or "", {"id": None, "outlet": claim.source}),
                "also_in": [sources[s] for s in claim.also_in if s in sources],
                "verdicts": dict(Counter(f["verdict"] for f in figures)),
                # a figure names its claims file by name: a path would publish the builder's folders
                "figures": [{**f, "file": Path(f["file"]).name} for f in figures],
            }
        )
    dates = Counter(c.on for c in claims if c.on)
    day = dates.most_common(1)[0][0] if dates else None
    return {"sources": sources, "claims": out, "units": units(conn, day) if day else None}


def units(conn: Connection, on: date) -> dict[str, Any]:
    """What each counting unit counts on the list in force on ``on``: rows printed, distinct raw spellings
    of agencies, agencies (law-enforcement bodies) and agreements (agency + model + signing date)."""
    snapshot = as_of(conn, on)
    pub = snapshot["publication"]
    row = conn.execute(
        text(
            "SELECT count(*) AS rows, count(DISTINCT r.raw_state || '|' || r.raw_agency) AS spellings FROM listing l "
            "JOIN publication p ON p.pub_id = l.pub_id JOIN listing_row r ON r.row_id = l.row_id "
            "WHERE p.sha256 = :sha"
        ),
        {"sha": pub["sha256"]},
    ).one()
    counts = {
        "rows": row.rows,
        "spellings": row.spellings,
        "agencies": snapshot["agencies"],
        "agreements": snapshot["agreements"],
    }
    return {
        "date": on.isoformat(),
        "publication": {"sha256": pub["sha256"], "published": pub["label"]},
        "counts": counts,
        "explanations": {u: message(f"claims.unit.{u}", count=counts[u], published=pub["label"]) for u in UNITS},
    }
