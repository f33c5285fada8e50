"""The data version: a short hash of what the database holds, which names everything made from it (the web
site's cached answers and ETags, the bulk exports' folder)."""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, inspect, select

from track287g.store.schema import build_info, history_state, publication, publication_hold
from track287g.store.schema_documents import document_read


def data_version(conn: Connection) -> str:
    """A short hash of what the database holds: every publication's and document's sha256, the build
    information and the history's state."""
    digest = hashlib.sha256()
    for (sha,) in conn.execute(select(publication.c.sha256).order_by(publication.c.sha256)):
        digest.update(sha.encode())
    for key, value in conn.execute(select(build_info.c.key, build_info.c.value).order_by(build_info.c.key)):
        digest.update(f"\0{key}\0{value}".encode())
    if inspect(conn).has_table(history_state.name):  # a held list or a failed rebuild changes what pages say
        c = history_state.c  # named: a database written by an earlier version may lack the later columns
        named = (c.key, c.archive_digest, c.rules_digest, c.publications, c.held, c.built_at, c.failed_digest,
                 c.failed_at, c.failure)  # fmt: skip
        for state in conn.execute(select(*named)):
            digest.update(repr(tuple(state)).encode())
        for row in conn.execute(select(publication_hold.c.sha256, publication_hold.c.reason)):
            digest.update(repr(tuple(row)).encode())
    if inspect(conn).has_table(document_read.name):  # archived MOAs: one fetched or read again changes the pages
        rows = conn.execute(select(document_read.c.sha256, document_read.c.read_at).order_by(document_read.c.sha256))
        for sha, read_at in rows:
            digest.update(f"\0{sha}\0{read_at}".encode())
    return digest.hexdigest()[:16]
