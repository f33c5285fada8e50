"""Connections: SQLite (one file, WAL) by default, PostgreSQL given a URL.

Every transaction is a real one on both databases: on SQLite each begins with an explicit ``BEGIN`` (the
driver would otherwise leave DDL and reads outside any transaction), so a reader sees one snapshot for the
whole of its ``read()`` block and a writer can replace tables in one step that readers never see half done.
Writers go through ``Database.writing``: the database's one writer lock (``store.lock``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event, inspect, text
from sqlalchemy.engine import Inspector
from sqlalchemy.exc import DBAPIError

from track287g.config import PRIVATE_DB_ENV, db_location
from track287g.errors import Track287gError, Unavailable
from track287g.store.lock import held_here, writer_lock
from track287g.store.schema import ARCHIVE_TABLES, PRIVATE_SCHEMA, private_metadata
from track287g.store.schema_documents import metadata  # the shared metadata, with the documents stage's tables
from track287g.store.sql import read_only, sqlite_path


class StoreError(Unavailable):
    """The database cannot be opened or is not a track287g database."""


def to_url(location: str) -> str:
    """A SQLAlchemy URL for a path or URL given by the user."""
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser()}"


LARGE_CACHE_KIB = 65536  # a large transaction's page cache on SQLite (``Database.begin(large=True)``)
# the engines and plain readers this process opened and still holds (``close_all``)
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()
_READERS: weakref.WeakSet[_PlainReaders] = weakref.WeakSet()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
    dbapi_conn.isolation_level = None  # the driver's own implicit transactions off: we say BEGIN ourselves


def _sqlite_begin(conn: Connection) -> None:
    driver = conn.connection.dbapi_connection  # the driver's own BEGIN: no SQLAlchemy statement for it
    assert driver is not None  # a connection that is beginning is connected
    driver.cursor().execute("BEGIN")


@dataclass
class LockPolicy:
    """How a writer waits for the lock: the command line sets it once (``--no-wait``, where lines go)."""

    wait: bool = True
    timeout: float | None = None
    say: Callable[[str], None] | None = None  # one line for the user: "waiting for ...", a warning


@dataclass
class Database:
    """An open track287g database: an engine plus its location as the user named it."""

    engine: Engine
    location: str
    lock_policy: LockPolicy = field(default_factory=LockPolicy)
    _private: Database | None = field(default=None, repr=False)
    _plain: _PlainReaders | None = field(default=None, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def begin(self, *, large: bool = False) -> Iterator[Connection]:
        """A transaction: committed on success, rolled back on any error. ``large``: one that rewrites whole
        tables (the history): on SQLite, its connection keeps ``LARGE_CACHE_KIB`` of pages in memory for the block
        (the default 2 MB makes it write pages out and read them back before it commits)."""
        with self.engine.begin() as conn:
            if not (large and self.is_sqlite):
                yield conn
                return
            before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
            conn.exec_driver_sql(f"PRAGMA cache_size=-{LARGE_CACHE_KIB}")
            try:
                yield conn
            finally:
                with suppress(DBAPIError):  # a connection that broke keeps its error, not this one's
                    conn.exec_driver_sql(f"PRAGMA cache_size={int(before)}")  # as it was, for the pooled connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read connection: one snapshot for the block (on PostgreSQL, REPEATABLE READ: the statements of one
        answer never straddle a writer's commit)."""
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            yield conn

    @contextmanager
    def quick_read(self) -> Iterator[Connection | sqlite3.Connection]:
        """A read for plain SQL (``store.sql``), one snapshot for the block: on a SQLite file, this thread's own
        ``sqlite3`` connection, kept open between reads (no pool checkout, no SQLAlchemy connection: about a tenth
        of one agency's answer); on anything else, ``read()``."""
        plain = self._readers()
        if plain.path is None:
            with self.read() as conn:
                yield conn
            return
        with plain.snapshot() as snapshot:
            yield snapshot

    def commit_marker(self) -> int | None:
        """A number that changes whenever another connection (another process too) commits to this SQLite file:
        ``PRAGMA data_version`` on a connection of its own, kept open; None on any other database (no such marker:
        look at the data itself)."""
        plain = self._readers()
        return plain.commit_marker() if plain.path is not None else None

    def _readers(self) -> _PlainReaders:
        """This database's plain ``sqlite3`` readers (made on first use; no file to read on other databases)."""
        if self._plain is None:
            self._plain = _PlainReaders(sqlite_path(to_url(self.location)) if self.is_sqlite else None)
        return self._plain

    @contextmanager
    def bulk_writes(self, conn: Connection) -> Iterator[None]:
        """Many small transactions in a row: on SQLite, checkpoint the WAL once at the end, not every 4 MB.

        Each transaction is still committed (durable against a crash of the process) as it ends.
        """
        if not self.is_sqlite:
            yield
            return
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint=100000")
        conn.commit()
        try:
            yield
        finally:
            conn.rollback()
            conn.exec_driver_sql("PRAGMA wal_autocheckpoint=1000")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.commit()

    @contextmanager
    def writing(self, command: str, *, wait: bool | None = None) -> Iterator[Database]:
        """Hold this database's writer lock for the block (re-entrant; see ``store.lock``)."""
        p = self.lock_policy
        with writer_lock(
            self.engine,
            self.location,
            command,
            wait=p.wait if wait is None else wait,
            timeout=p.timeout,
            on_wait=p.say,
        ):
            yield self

    def holds_lock(self) -> bool:
        return held_here(self.engine)

    def ensure_schema(self) -> None:
        """Create the tables that are missing (under the writer lock: two first writers never race)."""
        if _missing_tables(self.engine, metadata):
            with self.writing("create tables"):
                metadata.create_all(self.engine)

    @property
    def private(self) -> Database:
        """The watcher's private state (subscriptions, secrets, deliveries, runs): never in the public record.

        SQLite: a file beside the database (``X.db`` -> ``X.private.db``); PostgreSQL: the schema
        ``track287g_private`` of the same database; ``$TRACK287G_PRIVATE_DB`` names another place.
        """
        if self._private is None:
            self._private = _open_private(self)
        return self._private

    def existing_private(self) -> Database | None:
        """The private state if it is there already (a reader, e.g. the web site, never creates it), else None."""
        if self._private is None:
            url = to_url(private_location(self.location))
            path = sqlite_path(url)
            if url.startswith("sqlite:") and (path is None or not path.exists()):  # in memory, or no file yet
                return None
            try:
                self._private = _open_private(self)
            except StoreError:
                return None
        return self._private

    def has_archive(self) -> bool:
        return inspect(self.engine).has_table("raw_file")

    def after_fork(self) -> None:
        """In a process forked from the one that opened this database: forget the inherited connections (the parent
        closes them) so that this process opens its own."""
        if self._private is not None and self._private.engine is not self.engine:
            self._private.engine.dispose(close=False)
        self.engine.dispose(close=False)
        self._plain = None  # the parent's plain connections stay the parent's

    def dispose(self) -> None:
        if self._plain is not None:
            self._plain.close()
            self._plain = None
        if self._private is not None and self._private.engine is not self.engine:
            self._private.engine.dispose()
        self.engine.dispose()


class _Reader(sqlite3.Connection):
    """A plain connection that can be referred to weakly (``sqlite3.Connection`` itself cannot)."""


class _PlainReaders:
    """One read-only ``sqlite3`` connection per thread to a SQLite file, opened on its first read and kept while
    the thread lives (a worker thread that ends takes its connection with it)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._local = threading.local()
        self._opened: weakref.WeakSet[_Reader] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._marker: _Reader | None = None  # the connection ``commit_marker`` asks, shared under the lock
        _READERS.add(self)

    def _open(self) -> _Reader:
        assert self.path is not None  # only a SQLite file has plain readers
        # another thread may close it (``close``); each thread still reads on its own connection only
        conn: _Reader = read_only(self.path, _Reader, check_same_thread=False)
        with self._lock:
            self._opened.add(conn)
        return conn

    def _connection(self) -> _Reader:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._open()
        return conn

    def commit_marker(self) -> int:
        """``PRAGMA data_version`` of a connection kept for it: it changes when another connection commits."""
        marker = self._marker
        if marker is None:
            opened = self._open()
            with self._lock:
                marker = self._marker = self._marker or opened
        with self._lock:
            return int(marker.execute("PRAGMA data_version").fetchone()[0])

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        conn.execute("BEGIN")  # one snapshot: a rebuild committed meanwhile is not seen half done
        try:
            yield conn
        finally:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:  # a broken connection: the next read on this thread opens another
                self._local.conn = None
                conn.close()

    def close(self) -> None:
        with self._lock:
            for conn in list(self._opened):
                conn.close()
            self._opened = weakref.WeakSet()
            self._marker = None


def _missing_tables(engine: Engine, meta: MetaData, schema: str | None = None) -> list[str]:
    have = set(inspect(engine).get_table_names(schema=schema))
    return [t.name for t in meta.sorted_tables if t.name not in have]


def _engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    _ENGINES.add(engine)
    return engine


def close_all() -> None:
    """Close every connection this process still holds to a database, in its engines' pools and its plain
    readers: what freeing them does at a normal exit (on SQLite, the last connection closed folds the WAL into
    the database file), for a process about to end without freeing anything (``cli.common.leave``)."""
    for readers in list(_READERS):
        readers.close()
    for engine in list(_ENGINES):
        engine.dispose()


def private_location(location: str) -> str:
    """Where the private state of the database at ``location`` lives (see ``Database.private``)."""
    explicit = os.environ.get(PRIVATE_DB_ENV)
    if explicit:
        return explicit
    path = sqlite_path(to_url(location))
    if path is not None:
        return str(path.with_name(path.stem + ".private" + (path.suffix or ".db")))
    return location


def _open_private(db: Database) -> Database:
    location = private_location(db.location)
    engine: Engine
    try:
        if location == db.location and db.engine.dialect.name != "sqlite":
            engine = db.engine.execution_options(schema_translate_map={None: PRIVATE_SCHEMA})
            if _missing_tables(engine, private_metadata, PRIVATE_SCHEMA):
                with db.engine.begin() as conn:
                    conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {PRIVATE_SCHEMA}")
                private_metadata.create_all(engine)
        else:
            engine = _engine(to_url(location))
            if _missing_tables(engine, private_metadata):
                private_metadata.create_all(engine)
    except Exception as exc:
        raise StoreError(f"cannot open the private state {location!r}: {_first_line(exc)}") from exc
    return Database(engine, location, db.lock_policy)


def _first_line(exc: Exception) -> str:
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__


def connect(location: str | None = None, *, create: bool = True, lock_policy: LockPolicy | None = None) -> Database:
    """Open (and by default create) the database at ``location`` (path or URL; see ``db_location``).

    Missing tables are created under the writer lock (``lock_policy`` says how to wait for it)."""
    location = db_location(location)
    url = to_url(location)
    path = sqlite_path(url)
    if path is not None and not create and not path.exists():
        raise StoreError(f"no database at {path} (run `track287g ingest` or `track287g build` first)")
    try:
        engine = _engine(url)
    except Exception as exc:  # bad URL or missing driver
        raise StoreError(f"cannot open database {location!r}: {_first_line(exc)}") from exc
    db = Database(engine, location, lock_policy or LockPolicy())
    try:
        if create:
            db.ensure_schema()
        elif not inspect(engine).has_table("raw_file"):
            raise StoreError(f"{location} is not a track287g database")
    except Track287gError:
        raise
    except Exception as exc:
        raise StoreError(f"cannot open database {location!r}: {_first_line(exc)}") from exc
    return db


def is_stale(found: Inspector, table: Table) -> bool:
    """Whether a table is missing from the database ``found`` inspects, or has columns other than this code's
    (written by an earlier version of the package): then it is made again rather than emptied."""
    return not found.has_table(table.name) or {c["name"] for c in found.get_columns(table.name)} != set(
        table.columns.keys()
    )


def reset_derived(conn: Connection) -> None:
    """Empty every table derived from the archive (all but raw files, provenance, quarantine), in the
    caller's transaction, so that a rebuild replaces them in one step. When a table's columns changed (a new
    version of the package), the derived tables are dropped and created again instead, with the new columns
    (on PostgreSQL readers then wait for the commit rather than see the old rows)."""
    derived = [t for t in metadata.sorted_tables if t.name not in ARCHIVE_TABLES]
    have = inspect(conn)
    if any(is_stale(have, t) for t in derived):
        metadata.drop_all(conn, tables=derived)
        metadata.create_all(conn, tables=derived)
        return
    for table in reversed(derived):
        conn.execute(table.delete())


def bulk_insert(conn: Connection, table: Table, rows: list[tuple], columns: list[str] | None = None) -> None:
    """Insert many rows given as tuples in column order, straight through the driver (no per-row dicts).

    ``columns`` names the columns the tuples fill (default: all, in table order); leave out generated keys.
    """
    if not rows:
        return
    names = columns or [c.name for c in table.columns]
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(mark for _ in names)})", rows
    )


def table_counts(conn: Connection) -> dict[str, int]:
    return {t.name: conn.execute(text(f"SELECT count(*) FROM {t.name}")).scalar_one() for t in metadata.sorted_tables}
