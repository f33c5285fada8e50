"""Connections: SQLite (one file, WAL) by default, PostgreSQL given a URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect, text

from track287g.config import db_location
from track287g.errors import Unavailable
from track287g.store.schema import ARCHIVE_TABLES, metadata


class StoreError(Unavailable):
    """The database cannot be opened or is not a track287g database."""


def to_url(location: str) -> str:
    """A SQLAlchemy URL for a path or URL given by the user."""
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@dataclass
class Database:
    """An open track287g database: an engine plus its location as the user named it."""

    engine: Engine
    location: str

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A transaction: committed on success, rolled back on any error."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

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

    def has_archive(self) -> bool:
        return inspect(self.engine).has_table("raw_file")

    def dispose(self) -> None:
        self.engine.dispose()


def connect(location: str | None = None, *, create: bool = True) -> Database:
    """Open (and by default create) the database at ``location`` (path or URL; see ``db_location``)."""
    location = db_location(location)
    url = to_url(location)
    if url.startswith("sqlite:///") and not create:
        path = Path(url.removeprefix("sqlite:///"))
        if not path.exists():
            raise StoreError(f"no database at {path} (run `track287g ingest` or `track287g build` first)")
    try:
        engine = create_engine(url, future=True)
    except Exception as exc:  # bad URL or missing driver
        raise StoreError(f"cannot open database {location!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        if create:
            metadata.create_all(engine)
        elif not inspect(engine).has_table("raw_file"):
            raise StoreError(f"{location} is not a track287g database")
    except StoreError:
        raise
    except Exception as exc:
        raise StoreError(f"cannot open database {location!r}: {exc}") from exc
    return Database(engine, location)


def clear_derived(conn: Connection) -> None:
    """Drop and recreate every table derived from the archive (all but raw files, provenance, quarantine),
    so a rebuild also picks up changes to their columns."""
    derived = [t for t in metadata.sorted_tables if t.name not in ARCHIVE_TABLES]
    metadata.drop_all(conn, tables=derived)
    metadata.create_all(conn, tables=derived)


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
