"""Plain SQL on either kind of connection: the standard library's ``sqlite3`` or SQLAlchemy's.

The quick questions (a point in time, one agency, the changelog) are written once, as SQL text that SQLite and
PostgreSQL share, with named parameters (``:name``). The command line asks them on a ``sqlite3`` connection
(``reader``), so it starts without importing SQLAlchemy, which alone costs more than the 0.3 s of CPU a quick
command may take; the web, the Python API and PostgreSQL ask the same text on a SQLAlchemy connection (on
SQLite, straight to the driver in that connection's transaction; on PostgreSQL, through SQLAlchemy). What plain SQL
does not answer (a date before the record, a database without a history) raises ``NeedsEngine``: the caller
asks again through SQLAlchemy, which answers it or says why not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from track287g.errors import Track287gError

Conn = Any  # a standard-library sqlite3 connection or a SQLAlchemy one: what the functions below take


class NeedsEngine(Track287gError):
    """This answer needs the whole program (SQLAlchemy): ask again on a SQLAlchemy connection."""


def is_plain(conn: Any) -> bool:
    """True for a standard-library ``sqlite3`` connection (the quick path)."""
    return isinstance(conn, sqlite3.Connection)


def needs_engine(conn: Any) -> None:
    """Raise ``NeedsEngine`` on the quick path: what follows needs SQLAlchemy."""
    if is_plain(conn):
        raise NeedsEngine("this answer needs SQLAlchemy")


def _driver(conn: Any) -> sqlite3.Connection | None:
    """The standard library's connection under a SQLAlchemy connection to SQLite, inside the transaction that
    connection holds (begun here if it holds none: one snapshot for the statements that follow, as SQLAlchemy's
    own first statement would begin it). None on any other database."""
    if conn.dialect.name != "sqlite" or conn.dialect.driver != "pysqlite":
        return None
    if not conn.in_transaction():
        conn.begin()  # the engine's ``begin`` listener says BEGIN (store.db): the snapshot starts here
    return conn.connection.dbapi_connection


def _cursor(conn: Any, sql: str, params: dict[str, Any] | None) -> Any:
    """A cursor over the statement's rows, or None when it must go through SQLAlchemy. On SQLite the statement
    goes straight to the driver, in the SQLAlchemy connection's transaction: SQLAlchemy's own work for one
    statement (cache key, execution context, result metadata) costs several times what SQLite takes to answer
    the quick questions. A statement that fails there is asked again through SQLAlchemy, which raises its own
    error (what callers catch)."""
    if is_plain(conn):
        return conn.execute(sql, params or {})
    driver = _driver(conn)
    if driver is None:
        return None
    try:
        return driver.execute(sql, params or {})
    except sqlite3.Error:
        return None


# how much of the file a reader maps into memory: a page it reads is then a memory access, not a system call
# copying it from the system's cache into SQLite's own (2 MB a connection; an uncached agency answer reads pages
# all over the file): about a tenth less CPU for such an answer. The pages read count in the process's resident
# memory as file pages shared with the system's cache (22 MB more after every agency of the bundled record).
# Mapping is safe because nothing truncates the file while readers have it open: track287g never runs VACUUM
# (auto_vacuum is off, so freed pages stay in the file), and the WAL's frames are read as before.
MMAP_BYTES = 1 << 30


@lru_cache(maxsize=512)
def _text(sql: str) -> Any:
    """The SQLAlchemy construct of a statement, made once (the statements are a few constants)."""
    from sqlalchemy import text

    return text(sql)


def rows(conn: Any, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every row of a statement, as dicts keyed by column name (or label)."""
    cursor = _cursor(conn, sql, params)
    if cursor is not None:
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor]
    return [dict(r._mapping) for r in conn.execute(_text(sql), params or {})]


def tuples(conn: Any, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
    """Every row of a statement, as tuples (for many rows of a few columns: no dict for each)."""
    cursor = _cursor(conn, sql, params)
    if cursor is not None:
        return cursor.fetchall()
    return [tuple(r) for r in conn.execute(_text(sql), params or {})]


def first(conn: Any, sql: str, params: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The first row of a statement (None when there is none); the rest are never fetched."""
    cursor = _cursor(conn, sql, params)
    if cursor is not None:
        row = cursor.fetchone()
        found = dict(zip([d[0] for d in cursor.description], row, strict=True)) if row is not None else None
        cursor.close()
        return found
    found = conn.execute(_text(sql), params or {}).first()
    return dict(found._mapping) if found is not None else None


def scalar(conn: Any, sql: str, params: dict[str, Any] | None = None) -> Any:
    """The first column of the first row (None when there is none)."""
    row = first(conn, sql, params)
    return next(iter(row.values())) if row else None


def among(name: str, values: list[Any]) -> tuple[str, dict[str, Any]]:
    """Named parameters for ``IN (...)``: the marks (``:name0, :name1``) and their values."""
    marks = ", ".join(f":{name}{i}" for i in range(len(values)))
    return marks, {f"{name}{i}": v for i, v in enumerate(values)}


def has_table(conn: Any, name: str) -> bool:
    """Whether the database has a table of this name."""
    if is_plain(conn):
        return bool(scalar(conn, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n", {"n": name}))
    from sqlalchemy import inspect

    return bool(inspect(conn).has_table(name))


def has_column(conn: Any, table: str, column: str) -> bool:
    """Whether the database's table has this column (a database written by an earlier version may not)."""
    if is_plain(conn):
        sql = "SELECT count(*) FROM pragma_table_info(:t) WHERE name = :c"
        return bool(scalar(conn, sql, {"t": table, "c": column}))
    from sqlalchemy import inspect

    return column in {c["name"] for c in inspect(conn).get_columns(table)}


def sqlite_path(location: str) -> Path | None:
    """The file of a SQLite database named by a path or a ``sqlite:///`` URL (None for any other URL)."""
    if "://" not in location:
        return Path(location).expanduser()
    if location.startswith("sqlite:///") and location != "sqlite:///:memory:":
        return Path(location.removeprefix("sqlite:///"))
    return None


def read_only(path: Path, factory: type[sqlite3.Connection] = sqlite3.Connection, **options: Any) -> Any:
    """A ``sqlite3`` connection for reading a track287g SQLite file: no implicit transactions (the reader says
    ``BEGIN``), waiting up to 30 s for a writer's lock, refusing to write, the file mapped into memory
    (``MMAP_BYTES``). ``options`` go to ``sqlite3.connect``."""
    conn = sqlite3.connect(path, isolation_level=None, factory=factory, **options)
    try:
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA query_only=ON")
        conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


@contextmanager
def reader(location: str) -> Iterator[sqlite3.Connection]:
    """A read-only ``sqlite3`` connection to a track287g SQLite file, holding one snapshot for the block.

    Raises ``NeedsEngine`` for anything else (a PostgreSQL URL, a missing file, a file that is not a track287g
    database): the caller opens it the usual way, which answers or says what is wrong."""
    path = sqlite_path(location)
    if path is None or not path.is_file():
        raise NeedsEngine(f"not a SQLite file: {location}")
    try:
        conn = read_only(path)
    except sqlite3.Error as exc:
        raise NeedsEngine(str(exc)) from exc
    try:
        conn.execute("BEGIN")  # one snapshot: a rebuild committed meanwhile is not seen half done
        if not has_table(conn, "raw_file"):
            raise NeedsEngine(f"not a track287g database: {location}")
        yield conn
    except sqlite3.Error as exc:  # an older schema, a damaged file: the usual path says what is wrong
        raise NeedsEngine(str(exc)) from exc
    finally:
        conn.close()
