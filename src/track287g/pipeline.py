"""The pipeline, end to end: ingest files into the archive and rebuild everything derived from it.

``ingest_paths`` (the ``ingest`` command) and ``ingest_bytes`` (used by the web watcher) write one
transaction per file, so a bad file never undoes a good one, then rebuild the history once. Reading
workbooks is CPU work done in a pool of processes, in file order, while the main process writes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import closing
from dataclasses import asdict, dataclass, field

from sqlalchemy import Connection, select

from track287g import archive
from track287g.archive import publications
from track287g.archive.publications import Prepared
from track287g.config import max_bytes as default_max_bytes
from track287g.sources.local import Candidate, find
from track287g.store import Database
from track287g.store.db import clear_derived
from track287g.store.schema import publication, raw_file
from track287g.store.schema_documents import document_read

POOL_MIN_FILES = 8  # below this, starting worker processes costs more than it saves


@dataclass
class FileResult:
    """What happened to one file: the fields of ``ingest --json``."""

    file: str
    sha256: str | None
    status: str  # stored | unchanged | rejected
    kind: str | None = None
    published: str | None = None
    part: str | None = None
    rows: int | None = None
    layout: str | None = None
    flags: list[str] = field(default_factory=list)
    error: str | None = None
    pages: int | None = None  # a PDF's pages
    text_source: str | None = None  # how a PDF's text was obtained: text-layer | ocr | none

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    history: dict | None = None
    documents: dict | None = None  # the documents stage, when PDFs were stored and no list was

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> bool:
        return not self.missing and self.count("rejected") == 0


_worker_sent: set[str] = set()  # in a worker process: ids of rows already handed to the main process


def _start_worker() -> None:
    _worker_sent.clear()


def _prepare_in_worker(data: bytes) -> Prepared | str:
    return publications.prepare(data, _worker_sent)


def _pool(count: int) -> Executor | None:
    if count < POOL_MIN_FILES or (os.cpu_count() or 1) < 2:
        return None
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=context, initializer=_start_worker)


def prepare_many(datas: Iterable[bytes | None], count: int) -> Iterator[Prepared | str | None]:
    """Read and normalize workbooks in order, in worker processes when there are many (None passes)."""
    pool = _pool(count)
    if pool is None:
        for data in datas:
            yield None if data is None else publications.prepare(data)
        return
    window = 4 * (os.cpu_count() or 2)
    with pool:
        pending: deque = deque()
        for data in datas:
            pending.append(None if data is None else pool.submit(_prepare_in_worker, data))
            if len(pending) >= window:
                head = pending.popleft()
                yield None if head is None else head.result()
        while pending:
            head = pending.popleft()
            yield None if head is None else head.result()


def _origin(candidate: Candidate) -> archive.Origin:
    m = candidate.manifest or {}
    return archive.Origin(
        name=candidate.name,
        source=str(candidate.path),
        archive_repo=m.get("source_repo") or None,
        archive_path=m.get("source_path") or None,
        archive_commit=m.get("source_commit") or None,
        archiver_first_seen=m.get("archiver_first_seen") or None,
    )


def _unchanged(conn: Connection, sha: str, origin: archive.Origin, when: str) -> FileResult | None:
    """The result for bytes already stored (recording a new name if this is one), else None."""
    with conn.begin():
        existing = publications.loaded(conn, sha)
        if existing is None:
            return None
        if archive.add_origin(conn, sha, origin, when):
            existing.published, existing.part = publications.date_publication(conn, sha)
    return FileResult(
        origin.source,
        sha,
        "unchanged",
        existing.kind,
        existing.published,
        existing.part,
        existing.rows,
        existing.layout,
        existing.flags,
    )


def _store(
    conn: Connection,
    data: bytes,
    sha: str,
    origin: archive.Origin,
    parsed: Prepared | str,
    known_rows: set[str],
    when: str,
    row_data: dict | None = None,
) -> FileResult:
    if isinstance(parsed, str):
        with conn.begin():
            archive.quarantine_file(conn, origin, sha, len(data), parsed, data, when)
        return FileResult(origin.source, sha, "rejected", error=parsed)
    snapshot = set(known_rows)
    try:
        with conn.begin():
            archive.store_file(conn, sha, data, when)
            archive.add_origin(conn, sha, origin, when)
            done = publications.write(conn, sha, parsed, [origin], known_rows, row_data)
    except Exception:
        known_rows.intersection_update(snapshot)  # the transaction rolled back: forget its rows too
        raise
    return FileResult(
        origin.source, sha, "stored", done.kind, done.published, done.part, done.rows, done.layout, done.flags
    )


def ingest_bytes(db: Database, data: bytes, origin: archive.Origin) -> FileResult:
    """Archive and read one file's bytes (one transaction). Never raises for bad input."""
    sha, when = archive.sha256_of(data), archive.now_utc()
    with db.engine.connect() as conn:
        result = _unchanged(conn, sha, origin, when)
        if result is not None:
            return result
        known_rows = publications.known_row_ids(conn)
        conn.rollback()  # end the read's implicit transaction: _store opens its own
        return _store(conn, data, sha, origin, publications.prepare(data), known_rows, when)


@dataclass
class _Item:
    candidate: Candidate
    origin: archive.Origin
    data: bytes | None = None
    sha: str | None = None
    early: FileResult | None = None  # decided before parsing (unreadable, too large)
    parse: bool = False  # the first copy of bytes not yet stored: these are parsed


def _read(conn: Connection, candidate: Candidate, limit: int, when: str) -> _Item:
    item = _Item(candidate, _origin(candidate))
    try:
        size = candidate.path.stat().st_size
        if size > limit:
            reason = f"file is {size:,} bytes, over the size limit of {limit:,} bytes"
            with conn.begin():
                archive.quarantine_file(conn, item.origin, None, size, reason, None, when)
            item.early = FileResult(item.origin.source, None, "rejected", error=reason)
            return item
        item.data = candidate.path.read_bytes()
    except OSError as exc:
        item.early = FileResult(item.origin.source, None, "rejected", error=f"cannot read file ({exc.strerror or exc})")
        return item
    item.sha = archive.sha256_of(item.data)
    return item


def ingest_paths(
    db: Database,
    paths: list[str],
    *,
    max_bytes: int | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    total: Callable[[int], None] | None = None,
    rebuild_history: bool = True,
) -> IngestReport:
    """Ingest files and folders; then rebuild the history if anything new was stored."""
    limit = default_max_bytes(max_bytes)
    found = find(paths)
    report = IngestReport(ignored=[str(p) for p in found.ignored], missing=found.missing)
    if total:
        total(len(found.files))
    when = archive.now_utc()
    with db.engine.connect() as conn, db.bulk_writes(conn):
        known_rows = publications.known_row_ids(conn)
        stored = set(conn.execute(select(publication.c.sha256)).scalars())
        conn.commit()
        items = [_read(conn, c, limit, when) for c in found.files]
        first: set[str] = set()
        for item in items:
            if item.sha and item.sha not in stored and item.sha not in first:
                first.add(item.sha)
                item.parse = True
        row_data: dict = {}
        # closing() ends the worker pool here, in this thread, even when a write fails
        with closing(prepare_many((i.data if i.parse else None for i in items), len(first))) as prepared:
            for item, result in zip(items, prepared, strict=True):
                if item.early is not None:
                    outcome = item.early
                elif item.parse:
                    outcome = _store(conn, item.data, item.sha, item.origin, result, known_rows, when, row_data)
                else:
                    outcome = _unchanged(conn, item.sha, item.origin, when) or _store(
                        conn, item.data, item.sha, item.origin, publications.prepare(item.data), known_rows, when
                    )
                item.data = None
                report.results.append(outcome)
                if on_file:
                    on_file(outcome)
    if found.documents:
        from track287g.documents.ingest import ingest_files

        def as_file_result(r) -> FileResult:
            return FileResult(**asdict(r))

        docs = ingest_files(
            db,
            found.documents,
            [_origin(c) for c in found.documents],
            limit=limit,
            when=when,
            on_file=(lambda r: on_file(as_file_result(r))) if on_file else None,
        )
        report.results += [as_file_result(r) for r in docs]
    stored = {r.layout == "pdf" for r in report.results if r.status == "stored"}
    if rebuild_history and False in stored:
        report.history = build_history(db)
    elif rebuild_history and True in stored:
        from track287g.documents import build_documents

        with db.begin() as conn:
            report.documents = build_documents(conn)
    return report


def build_history(db: Database) -> dict:
    """Rebuild agencies, agreements and events from the stored publications, then enrich them (FBI roster
    matches, counties), in one transaction."""
    from track287g.documents import build_documents
    from track287g.enrich import enrich_database
    from track287g.history import rebuild_history

    with db.begin() as conn:
        counts = rebuild_history(conn)
        enrich_database(conn)
        counts["documents"] = build_documents(conn)
        return counts


def rebuild(db: Database, *, on_file: Callable[[str], None] | None = None) -> dict:
    """Recreate everything derived from the archive: publications, rows, repairs, then history."""
    from track287g.history.rules import load_rules
    from track287g.resolve.aliases import load_aliases

    load_rules()  # a bad rules or alias file stops the rebuild before anything is cleared
    load_aliases()
    with db.begin() as conn:
        clear_derived(conn)
    failures: dict[str, str] = {}
    with db.engine.connect() as conn, db.engine.connect() as reader, db.bulk_writes(conn):
        lists = select(raw_file.c.sha256).where(raw_file.c.sha256.not_in(select(document_read.c.sha256)))
        shas = list(reader.execute(lists.order_by(raw_file.c.sha256)).scalars())
        contents = (archive.read_file(reader, sha) for sha in shas)
        known_rows: set[str] = set()
        row_data: dict = {}
        for sha, prepared in zip(shas, prepare_many(contents, len(shas)), strict=True):
            if isinstance(prepared, str):  # a reader change can make an archived file unreadable: say so
                failures[sha] = prepared
            else:
                with conn.begin():
                    found = [
                        archive.Origin(o["name"], o["source"], archiver_first_seen=o["archiver_first_seen"])
                        for o in archive.origins(conn, sha)
                    ]
                    publications.write(conn, sha, prepared, found, known_rows, row_data)
            if on_file:
                on_file(sha)
    history = build_history(db)
    return {"publications": len(shas) - len(failures), "unreadable": failures, "history": history}
