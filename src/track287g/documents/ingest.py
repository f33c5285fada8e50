"""PDFs into the archive: the same content-addressed store and provenance as ICE's lists, then read.

A PDF is stored only once it has been read within the limits (``Limits``): a file that is not a PDF, is
locked, truncated, a decompression bomb, too long or too slow to OCR is rejected with one line and kept in
the quarantine, and nothing already stored changes. The same bytes under another name or address add a
provenance row, never a second document. Each stored PDF is one transaction: its bytes, its origin and what
reading it gave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from track287g import archive
from track287g.documents.extract import extract_fields
from track287g.documents.limits import Limits, limits_from_env
from track287g.documents.reader import ReadResult
from track287g.documents.store import read_shas, write_read
from track287g.documents.transcripts import Transcripts
from track287g.documents.worker import Job, Outcome, read_many
from track287g.sources.local import Candidate, Unreadable, read_regular
from track287g.store import Database

PDF_MAGIC = b"%PDF-"


@dataclass
class DocumentResult:
    """What happened to one PDF (the pipeline reports it like a list: ``ingest --json``)."""

    file: str
    sha256: str | None
    status: str  # stored | unchanged | rejected
    kind: str | None = None  # moa | addendum | document (not recognised)
    layout: str = "pdf"
    pages: int | None = None
    text_source: str | None = None  # text-layer | ocr | none
    error: str | None = None


def is_pdf(data: bytes) -> bool:
    return PDF_MAGIC in data[:1024]


def _result(file: str, sha: str, status: str, read: ReadResult | None, pages: list | None = None) -> DocumentResult:
    kind = "document"
    pages = pages if pages is not None else (read.pages if read else [])
    if pages:
        found = extract_fields(pages)
        kind = found["kind"].value if "kind" in found else "document"
    return DocumentResult(
        file,
        sha,
        status,
        kind=kind,
        layout="pdf",
        pages=len(pages) if pages else None,
        text_source=read.text_source if read else None,
    )


def _unchanged(conn: Connection, sha: str, origin: archive.Origin, when: str) -> DocumentResult:
    from track287g.documents.store import load_pages
    from track287g.store.schema_documents import document_read

    with conn.begin():
        archive.add_origin(conn, sha, origin, when)
    pages = load_pages(conn, sha)
    result = _result(origin.source, sha, "unchanged", None, pages)
    result.text_source = conn.execute(
        document_read.select().with_only_columns(document_read.c.text_source).where(document_read.c.sha256 == sha)
    ).scalar_one()
    conn.rollback()
    return result


def _store(
    conn: Connection, data: bytes, sha: str, origin: archive.Origin, outcome: Outcome, when: str, engine: str | None
) -> DocumentResult:
    if outcome.result is None:
        with conn.begin():
            archive.quarantine_file(conn, origin, sha, len(data), outcome.error or "unreadable PDF", data, when)
        return DocumentResult(origin.source, sha, "rejected", layout="pdf", error=outcome.error)
    result = outcome.result
    if result.ocr_engine == "transcript":
        result.ocr_engine = f"{engine or 'unknown engine'} (transcript)"
    with conn.begin():
        if not archive.has_file(conn, sha):
            archive.store_file(conn, sha, data, when)
        archive.add_origin(conn, sha, origin, when)
        write_read(conn, sha, result, outcome.seconds, when)
    return _result(origin.source, sha, "stored", result)


def ingest_files(
    db: Database,
    candidates: list[Candidate],
    origins: list[archive.Origin],
    *,
    limit: int,
    when: str,
    limits: Limits | None = None,
    on_file: Callable[[DocumentResult], None] | None = None,
) -> list[DocumentResult]:
    """Archive and read PDFs found on disk, several at once; one result per file, in order, each written as
    soon as it is read (bytes are read from disk when their reader starts, not all at once)."""
    limits = limits or limits_from_env()
    transcripts = Transcripts()
    results: list[DocumentResult | None] = [None] * len(candidates)
    shas: dict[int, str] = {}
    with db.engine.connect() as conn:
        known = read_shas(conn)
        conn.rollback()
        first: list[int] = []  # the files to read: the first copy of bytes not stored yet
        seen: set[str] = set()
        for i, (candidate, origin) in enumerate(zip(candidates, origins, strict=True)):
            transcripts.add_folder(candidate.path.parent)
            try:  # a regular file within the limit; FIFOs, devices and sockets are refused unopened
                shas[i] = archive.sha256_of(read_regular(candidate.path, limit))
            except Unreadable as exc:  # the reason is kept, never the bytes of a file that was not read
                with conn.begin():
                    archive.quarantine_file(conn, origin, None, exc.size or 0, exc.reason, None, when)
                results[i] = DocumentResult(origin.source, None, "rejected", layout="pdf", error=exc.reason)
                continue
            if shas[i] not in known and shas[i] not in seen:
                seen.add(shas[i])
                first.append(i)
        data: dict[int, bytes] = {}

        def jobs():
            for i in first:
                data[i] = candidates[i].path.read_bytes()
                yield Job(data[i], transcripts.for_file(shas[i]))

        outcomes = read_many(jobs(), limits)
        reading = set(first)
        for i, origin in enumerate(origins):
            if results[i] is None:
                sha = shas[i]
                if i in reading:
                    outcome = next(outcomes)
                    if archive.sha256_of(data[i]) != sha:
                        outcome = Outcome(None, "the file changed while it was being ingested", outcome.seconds)
                    engine = transcripts.engines.get(sha)
                    results[i] = _store(conn, data.pop(i), sha, origin, outcome, when, engine)
                elif sha in read_shas(conn):
                    conn.rollback()
                    results[i] = _unchanged(conn, sha, origin, when)
                else:  # a copy of a file rejected earlier in this run
                    conn.rollback()
                    reason = "same bytes as a file rejected in this run"
                    results[i] = DocumentResult(origin.source, sha, "rejected", layout="pdf", error=reason)
            done = results[i]
            if on_file and done is not None:
                on_file(done)
    return [r for r in results if r is not None]


def ingest_document_bytes(
    db: Database, data: bytes, origin: archive.Origin, limits: Limits | None = None
) -> DocumentResult:
    """Archive and read one PDF's bytes (fetched from the web). Never raises for bad input."""
    limits = limits or limits_from_env()
    sha, when = archive.sha256_of(data), archive.now_utc()
    with db.engine.connect() as conn:
        if sha in read_shas(conn):
            conn.rollback()
            return _unchanged(conn, sha, origin, when)
        conn.rollback()
        outcome = next(read_many([Job(data)], limits))
        return _store(conn, data, sha, origin, outcome, when, None)
