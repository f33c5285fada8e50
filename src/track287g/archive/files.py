"""The archive: raw bytes addressed by sha256, the names and places each was found under, and quarantine.

Nothing here is ever deleted or rewritten: identical bytes under a new name add a provenance row, and a
rejected file is kept (within the size limit) for inspection.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, select

from track287g.store.db import bulk_insert
from track287g.store.schema import provenance, quarantine, raw_file


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Origin:
    """Where one copy of a file came from."""

    name: str
    source: str
    archive_repo: str | None = None
    archive_path: str | None = None
    archive_commit: str | None = None
    archiver_first_seen: str | None = None


def has_file(conn: Connection, sha256: str) -> bool:
    return conn.execute(select(raw_file.c.sha256).where(raw_file.c.sha256 == sha256)).first() is not None


def store_file(conn: Connection, sha256: str, data: bytes, when: str) -> None:
    bulk_insert(conn, raw_file, [(sha256, len(data), data, when)])


_ORIGIN_EXISTS = select(provenance.c.id).where(
    provenance.c.sha256 == bindparam("sha"),
    provenance.c.name == bindparam("n"),
    provenance.c.source == bindparam("s"),
)


def add_origin(conn: Connection, sha256: str, origin: Origin, when: str) -> bool:
    """Record a name/source for stored bytes; False when that exact origin was already known."""
    if conn.execute(_ORIGIN_EXISTS, {"sha": sha256, "n": origin.name, "s": origin.source}).first():
        return False
    row = (
        sha256,
        origin.name,
        origin.source,
        when,
        origin.archive_repo,
        origin.archive_path,
        origin.archive_commit,
        origin.archiver_first_seen,
    )
    bulk_insert(conn, provenance, [row], [c.name for c in provenance.columns if c.name != "id"])
    return True


def origins(conn: Connection, sha256: str) -> list[dict]:
    rows = conn.execute(select(provenance).where(provenance.c.sha256 == sha256).order_by(provenance.c.id))
    return [dict(r._mapping) for r in rows]


def quarantine_file(
    conn: Connection,
    origin: Origin,
    sha256: str | None,
    size: int,
    reason: str,
    data: bytes | None,
    when: str,
) -> None:
    """Keep a rejected file (its bytes only when within the size limit); the same rejection twice is one row."""
    exists = conn.execute(
        select(quarantine.c.id).where(
            quarantine.c.name == origin.name,
            quarantine.c.source == origin.source,
            quarantine.c.sha256.is_(None) if sha256 is None else quarantine.c.sha256 == sha256,
        )
    ).first()
    if exists:
        return
    conn.execute(
        quarantine.insert().values(
            name=origin.name,
            source=origin.source,
            sha256=sha256,
            size=size,
            reason=reason,
            content=data,
            received_at=when,
        )
    )


def read_file(conn: Connection, sha256: str) -> bytes:
    return conn.execute(select(raw_file.c.content).where(raw_file.c.sha256 == sha256)).scalar_one()
