"""The data version: a short hash of what the database holds, which names everything made from it (the web
site's cached answers and ETags, the bulk exports' folder)."""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, select

from track287g.store.schema import build_info, publication


def data_version(conn: Connection) -> str:
    """A short hash of what the database holds: every publication's sha256 and the build information."""
    digest = hashlib.sha256()
    for (sha,) in conn.execute(select(publication.c.sha256).order_by(publication.c.sha256)):
        digest.update(sha.encode())
    for key, value in conn.execute(select(build_info.c.key, build_info.c.value).order_by(build_info.c.key)):
        digest.update(f"\0{key}\0{value}".encode())
    return digest.hexdigest()[:16]
