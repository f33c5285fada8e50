"""Full-text search of the documents' pages: SQLite FTS5, or PostgreSQL's full-text search.

The index holds one row per page (sha256, page number, text) and is rebuilt with the documents stage. A query
is words, each required, and "quoted phrases"; punctuation inside a word ("body-worn") makes it a phrase of
its parts. Matches come back per page with a short excerpt, the best first.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, inspect, text

from track287g.errors import Track287gError
from track287g.i18n import N_

SQLITE_TABLE = "document_fts"
PG_TABLE = "document_search"


class SearchError(Track287gError):
    """A search the index cannot answer (an empty query)."""


def terms(query: str) -> list[str]:
    """The query's phrases and words, in order (quotes group words into a phrase)."""
    out = [" ".join(re.findall(r"\w+", m.group(1) or m.group(2))) for m in re.finditer(r'"([^"]*)"|(\S+)', query)]
    return [t for t in out if t]


def rebuild_index(conn: Connection) -> None:
    """Drop and refill the search index from ``document_page``."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {SQLITE_TABLE}")
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(sha256 UNINDEXED, page UNINDEXED, body, "
            "tokenize='porter unicode61')"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {SQLITE_TABLE} (sha256, page, body) SELECT sha256, page, text FROM document_page"
        )
        return
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {PG_TABLE}")
    conn.exec_driver_sql(
        f"CREATE TABLE {PG_TABLE} (sha256 text NOT NULL, page integer NOT NULL, body text NOT NULL, "
        "tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED, PRIMARY KEY (sha256, page))"
    )
    conn.exec_driver_sql(f"CREATE INDEX {PG_TABLE}_tsv ON {PG_TABLE} USING gin (tsv)")
    conn.exec_driver_sql(f"INSERT INTO {PG_TABLE} (sha256, page, body) SELECT sha256, page, text FROM document_page")


def search_pages(conn: Connection, query: str, limit: int = 1000) -> list[dict]:
    """Pages matching every term of ``query``: ``sha256``, ``page``, ``excerpt``, best first."""
    parts = terms(query)
    if not parts:
        raise SearchError(N_('nothing to search for in {query!r}: give words or a "quoted phrase"'), query=query)
    if conn.dialect.name == "sqlite":
        match = " ".join('"' + p.replace('"', '""') + '"' for p in parts)
        rows = conn.execute(
            text(
                f"SELECT sha256, page, snippet({SQLITE_TABLE}, 2, '[', ']', ' … ', 16) AS excerpt "
                f"FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH :q ORDER BY rank, sha256, page LIMIT :n"
            ),
            {"q": match, "n": limit},
        )
    else:
        tsquery = " & ".join("(" + " <-> ".join(f"'{w}'" for w in p.lower().split()) + ")" for p in parts)
        rows = conn.execute(
            text(
                "SELECT sha256, page, ts_headline('english', body, q, 'StartSel=[, StopSel=], MaxWords=16, "
                "MinWords=6, MaxFragments=1') AS excerpt "
                f"FROM {PG_TABLE}, to_tsquery('english', :q) AS q WHERE tsv @@ q "
                "ORDER BY ts_rank(tsv, q) DESC, sha256, page LIMIT :n"
            ),
            {"q": tsquery, "n": limit},
        )
    return [{"sha256": r.sha256, "page": r.page, "excerpt": " ".join(r.excerpt.split())} for r in rows]


def has_index(conn: Connection) -> bool:
    """Whether the database has the search index (``rebuild_index`` makes it)."""
    return inspect(conn).has_table(SQLITE_TABLE if conn.dialect.name == "sqlite" else PG_TABLE)
