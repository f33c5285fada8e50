"""The data version: a short hash of what the database holds, which names everything made from it (the web
site's cached answers and ETags, the bulk exports' folder)."""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, inspect, select

from track287g.store.schema import build_info, history_state, publication, publication_hold


def data_version(conn: Connection) -> str:
    """A short hash of what the database holds: every publication's sha256 and the build information."""
    digest = hashlib.sha256()
    for (sha,) in conn.execute(select(publication.c.sha256).order_by(publication.c.sha256)):
        digest.update(sha.encode())
    for key, value in conn.execute(select(build_info.c.key, build_info.c.value).order_by(build_info.c.key)):
        digest.update(f"\0{key}\0{value}".encode())
    if inspect(conn).has_table(history_state.name):  # a held list or a failed rebuild changes what pages say
        for row in conn.execute(select(history_state)):
            digest.update(repr(tuple(row)).encode())
        for row in conn.execute(select(publication_hold.c.sha256, publication_hold.c.reason)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()[:16]
