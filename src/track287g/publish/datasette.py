"""Datasette metadata for a track287g database: ``datasette serve track287g.db -m metadata.json``.

Written from the same descriptions as ``datapackage.json`` (``export.TABLES``): the title, description, licence
and source; each export table as a canned query (its SQL, its columns described) and, where an export column is
a column of the database's own table, that column's description; plus a few named questions with parameters
(the agreements in force on a date, the changes since a date).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection

from track287g.config import VERSION
from track287g.publish.export import TABLES, datapackage
from track287g.store import metadata as schema

DATABASE = "track287g"  # the name Datasette gives track287g.db (the file name without .db)

# The latest participating list on or before :date that the history holds (not a held-out list), as
# ``track287g as-of`` answers; the same item list as /api/v1/as-of/{date}.
_LIST_ON = """(SELECT p.pub_id FROM publication p
  WHERE p.kind = 'participating' AND p.published <= :date
    AND p.sha256 NOT IN (SELECT sha256 FROM publication_hold)
  ORDER BY p.published DESC, p.seq DESC LIMIT 1)"""
QUERIES: dict[str, dict[str, Any]] = {
    "agreements_on_date": {
        "title": "Agreements in force in a state on a date",
        "description": "One row per agreement on ICE's latest participating list published on or before :date "
        "(YYYY-MM-DD), in :state (a USPS code such as FL); the same answer as `track287g as-of DATE --state ST`. "
        "A date before 2021-01-13 has no list: no rows.",
        "sql": f"""SELECT p.published, p.part, a.state, a.name AS agency, ag.model, r.signed, ag.agreement_id,
  r.agency AS printed, l.row_number
FROM listing l
JOIN listing_row r ON r.row_id = l.row_id
JOIN row_agreement ra ON ra.row_id = l.row_id
JOIN agreement ag ON ag.agreement_id = ra.agreement_id
JOIN agency a ON a.agency_id = ra.agency_id
JOIN publication p ON p.pub_id = l.pub_id
WHERE l.pub_id = {_LIST_ON} AND a.state = upper(:state)
GROUP BY ag.agreement_id
ORDER BY a.name, ag.model""",
    },
    "changes_since": {
        "title": "Changes since a date",
        "description": "Every event (added, removed, renamed, moved from pending...) of the lists published on or "
        "after :since (YYYY-MM-DD), newest first; the same as `track287g changes --since DATE`.",
        "sql": """SELECT e.published, p.part, e.kind, e.type, e.state, a.name AS agency, e.model, e.agreement_id,
  e.pending_id, e.detail, e.sha256 AS publication
FROM event e
JOIN publication p ON p.sha256 = e.sha256
LEFT JOIN agency a ON a.agency_id = e.agency_id
WHERE e.published >= :since
ORDER BY e.published DESC, p.seq DESC, e.event_id""",
    },
    "latest_list": {
        "title": "Agreements on ICE's latest list",
        "description": "Counts by state on the latest participating list the history holds: agencies and "
        "agreements (one agency can hold several agreements).",
        "sql": """SELECT a.state, count(DISTINCT ra.agency_id) AS agencies,
  count(DISTINCT ra.agreement_id) AS agreements
FROM listing l
JOIN row_agreement ra ON ra.row_id = l.row_id
JOIN agency a ON a.agency_id = ra.agency_id
WHERE l.pub_id = (SELECT p.pub_id FROM publication p WHERE p.kind = 'participating'
  AND p.sha256 NOT IN (SELECT sha256 FROM publication_hold) ORDER BY p.published DESC, p.seq DESC LIMIT 1)
GROUP BY a.state
ORDER BY agreements DESC, a.state""",
    },
}


def _table_columns() -> dict[str, dict[str, str]]:
    """Column descriptions of the database's own tables: an export column read straight from its source table."""
    tables: dict[str, dict[str, str]] = {}
    for spec in TABLES.values():
        first = re.match(r"\s*(\w+)(?:\s+(?!JOIN|LEFT|WHERE)(\w+))?", spec.source)
        if not first:
            continue
        table, alias = first.group(1), first.group(2) or first.group(1)
        real: set[str] = set(schema.tables[table].columns.keys()) if table in schema.tables else set()
        for col in spec.columns:
            if col.name in real and col.sql in (None, col.name, f"{alias}.{col.name}"):
                tables.setdefault(table, {}).setdefault(col.name, col.description)
    return tables


def metadata(conn: Connection) -> dict[str, Any]:
    """The metadata document (Datasette's ``metadata.json``) for the database ``conn`` reads."""
    package = datapackage(conn, [])
    licence = package["licenses"][0]
    columns = _table_columns()
    queries = dict(QUERIES)
    for name, spec in TABLES.items():
        described = "; ".join(f"{c.name}: {c.description}" for c in spec.columns)
        queries[f"export_{name}"] = {
            "title": f"{spec.title} (the export table)",
            "description": f"{spec.description} Columns: {described}.",
            "sql": spec.query(),
        }
    return {
        "title": package["title"],
        "description": package["description"],
        "license": licence["title"],
        "source": package["sources"][0]["title"],
        "about": f"track287g {VERSION}",
        "databases": {
            DATABASE: {
                "description": package["description"],
                "tables": {t: {"columns": c} for t, c in sorted(columns.items())},
                "queries": queries,
            }
        },
    }


__all__ = ["DATABASE", "QUERIES", "metadata"]
