"""Read every archived PDF again with the current reader and OCR engine, then redo the documents stage.

A PDF that cannot be read again keeps its earlier reading (nothing stored is lost); the failure is reported.
"""

from __future__ import annotations

from sqlalchemy import select

from track287g import archive
from track287g.documents.limits import Limits
from track287g.documents.stage import build_documents
from track287g.documents.store import write_read
from track287g.documents.worker import Job, read_many
from track287g.store import Database
from track287g.store.schema_documents import document_read


def reread_all(db: Database, limits: Limits) -> dict:
    with db.read() as conn:
        shas = list(conn.execute(select(document_read.c.sha256).order_by(document_read.c.sha256)).scalars())
    failed: dict[str, str] = {}

    def jobs():
        for sha in shas:
            with db.read() as conn:
                yield Job(archive.read_file(conn, sha))

    when = archive.now_utc()
    for sha, outcome in zip(shas, read_many(jobs(), limits), strict=True):
        if outcome.result is None:
            failed[sha] = outcome.error or "unreadable"
            continue
        with db.begin() as conn:
            write_read(conn, sha, outcome.result, outcome.seconds, when)
    with db.begin() as conn:
        stage = build_documents(conn)
    return {"read": len(shas) - len(failed), "failed": failed, "stage": stage}
