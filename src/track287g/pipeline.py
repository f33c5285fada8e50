"""The pipeline, end to end: ingest files into the archive and rebuild everything derived from it.

Every command that writes goes through ``writing(db, command)``: the database's one writer lock
(``store.lock``; others wait, with one line saying so, or stop with ``--no-wait``), the tables, the
watcher's private state moved out of the public record, and a history left behind by a writer that was
killed is finished first. The history is replaced in one transaction (``build_history``; ``rebuild`` does
its whole work in one), so readers see the old history or the new one, never a part.

``ingest_paths`` (the ``ingest`` command) and ``ingest_bytes`` (used by the web watcher) write one
transaction per file, so a bad file never undoes a good one, then rebuild the history once. Reading
workbooks is CPU work done in a pool of processes, in file order, while the main process writes.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import closing, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Connection, MetaData, Table, inspect, select

from track287g import archive, memo
from track287g.archive import publications
from track287g.archive.publications import Prepared
from track287g.config import max_bytes as default_max_bytes
from track287g.sources.local import Candidate, Unreadable, find, read_regular
from track287g.store import Database
from track287g.store.db import reset_derived
from track287g.store.schema import FORMERLY_PUBLIC, private_metadata, raw_file
from track287g.store.schema_documents import document_read
from track287g.store.sql import tuples

if TYPE_CHECKING:
    from track287g.history.revisions import Reported

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
    history_error: str | None = None  # the history could not be rebuilt (QA): the previous one stands
    documents: dict | None = None  # the documents stage, when PDFs were stored and no list was

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def held(self) -> dict[str, str]:
        """Lists the history leaves out (sha256 -> why), those held before this run included."""
        return (self.history or {}).get("held") or {}

    @property
    def newly_held(self) -> list[str]:
        return (self.history or {}).get("newly_held") or []

    @property
    def ok(self) -> bool:
        return not self.missing and self.count("rejected") == 0 and not self.history_error and not self.newly_held


@contextmanager
def long_lived_heap() -> Iterator[None]:
    """No automatic garbage collection in the block, one at its end: a build holds millions of long-lived
    objects (rows, listings, the history) that every collection of the older generations walks again, and
    frees next to nothing by collecting (measured: adding a list to 3,650 lists ran 0.5 s of collections that
    freed 27 objects; the bundled build, 0.27 s for 501; a full collection every 10 middle ones had cost 2.5 s
    building the archive). What the block made in cycles is collected when it ends (``release_memory``), by the
    outermost such block; one entered with collection already off (by its caller) leaves it off and collects
    nothing."""
    outermost = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if outermost:
            gc.enable()
            release_memory()


def release_memory() -> None:
    """Collect garbage and hand the heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere
    nothing), so that the next stage of a long command starts from what is live, not from the last stage's
    peak: after the history of 3,650 lists, 586 MB stayed resident with nothing live in it, 134 MB once
    trimmed."""
    gc.collect()
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


# --- writing: one writer at a time, the history kept whole ------------------------------------------------


@contextmanager
def writing(db: Database, command: str, *, finish: bool = True) -> Iterator[Database]:
    """Hold the writer lock for a command that writes (re-entrant: a nested call adds nothing).

    On first taking it: create missing tables, move the watcher's private state out of the public record
    (databases made before it had its own place), and, with ``finish``, rebuild a history that is behind
    the stored publications (a writer killed between storing and rebuilding left it so)."""
    if db.holds_lock():
        yield db
        return
    with db.writing(command):
        from track287g.history import QAError
        from track287g.store import metadata

        metadata.create_all(db.engine)  # only what is missing
        _move_private_state(db)
        if finish:
            try:
                finish_history(db)
            except QAError as exc:  # recorded, and readers are told; the command itself goes on
                if db.lock_policy.say:
                    db.lock_policy.say(f"warning: the history could not be brought up to date: {exc}")
        yield db


def private_state(db: Database) -> Database:
    """The watcher's private state, after moving it out of the public record of an older database."""
    if any(inspect(db.engine).has_table(name) for name in FORMERLY_PUBLIC):
        with writing(db, "move private state", finish=False):
            pass
    return db.private


def finish_history(db: Database) -> dict | None:
    """Rebuild the history if it is behind the stored publications (see ``history.state.needs_refresh``);
    the counts when it was rebuilt. Raises QAError (recorded) when the rebuild fails."""
    from track287g.history.state import needs_refresh

    with db.read() as conn:
        reason = needs_refresh(conn)
    return build_history(db) if reason else None


def _move_private_state(db: Database) -> None:
    """Move the watcher's tables (subscriptions, secrets, deliveries, runs) of an older database out of the
    public record into the private state, once."""
    found = [name for name in FORMERLY_PUBLIC if inspect(db.engine).has_table(name)]
    if not found:
        return
    private = db.private
    old = MetaData()
    with db.engine.begin() as conn, private.engine.begin() as target:
        for table in private_metadata.sorted_tables:
            if table.name not in found:
                continue
            source = Table(table.name, old, autoload_with=conn)
            rows = [dict(r._mapping) for r in conn.execute(select(source))]
            columns = set(table.columns.keys())
            if rows and not target.execute(select(table).limit(1)).first():
                target.execute(table.insert(), [{k: v for k, v in r.items() if k in columns} for r in rows])
        for name in reversed(found):  # deliveries before the subscriptions they refer to
            conn.exec_driver_sql(f"DROP TABLE {name}")


_worker_sent: set[str] = set()  # in a worker process: ids of rows already handed to the main process
PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Make this worker process end when its parent does, even when the parent is killed with SIGKILL: the
    kernel's parent-death signal on Linux, and everywhere a thread that watches the parent's pid."""
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    if os.getppid() != parent:  # the parent died before the signal was set up
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="track287g-parent-watch").start()


def _start_worker(parent: int) -> None:
    _die_with(parent)
    _worker_sent.clear()


def _prepare_in_worker(data: bytes) -> Prepared | str:
    return publications.prepare(data, _worker_sent)


def _pool(count: int) -> Executor | None:
    if count < POOL_MIN_FILES or (os.cpu_count() or 1) < 2:
        return None
    # spawned, not forked: a forked worker would carry every page of this process (the files read, the database
    # and web libraries) in its resident set; a spawned one imports only the reader (about 1 s of CPU in all)
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=os.cpu_count(), mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
    )


def prepare_many(
    datas: Iterable[bytes | None], count: int | None = None, known: set[str] | None = None
) -> Generator[Prepared | str | None, None, None]:
    """Read and normalize workbooks in order, in worker processes when there are many (None passes).

    ``count``: how many workbooks ``datas`` holds, when known; else the pool starts once ``POOL_MIN_FILES`` are
    waiting (the same choice, with at most that many read ahead). Each distinct row is normalized and handed
    over once (see ``publications.prepare``): the caller passes the same ``row_data`` to every
    ``publications.write`` of the run. ``known``: ids of rows the database stores, which ``publications.write``
    never writes again: read in this process, they are not normalized (a new list of the watcher's: its new
    rows only)."""
    stream = iter(datas)
    ahead: list[bytes | None] = []
    if count is None:
        for data in stream:
            ahead.append(data)
            if sum(d is not None for d in ahead) >= POOL_MIN_FILES:
                break
        count = sum(d is not None for d in ahead)
    pool = _pool(count)
    stream = itertools.chain(ahead, stream)
    if pool is None:
        sent: set[str] = set(known or ())
        for data in stream:
            yield None if data is None else publications.prepare(data, sent)
        return
    window = 4 * (os.cpu_count() or 2)
    with pool:
        pending: deque = deque()
        for data in stream:
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
    with writing(db, "ingest", finish=False), db.engine.connect() as conn:
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
        item.data = read_regular(candidate.path, limit)
    except Unreadable as exc:
        with conn.begin():  # the reason is kept, never the bytes of a file that was not read
            archive.quarantine_file(conn, item.origin, None, exc.size or 0, exc.reason, None, when)
        item.early = FileResult(item.origin.source, None, "rejected", error=exc.reason)
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
    """Ingest files and folders; then rebuild the history if anything new was stored (or if an earlier
    writer left it behind the stored publications)."""
    with writing(db, "ingest", finish=False), long_lived_heap():
        report = _ingest_paths(db, paths, max_bytes, on_file, total)
        if rebuild_history:
            from track287g.history import QAError
            from track287g.history.state import needs_refresh

            with db.read() as conn:
                behind = needs_refresh(conn)
            stored = {r.layout == "pdf" for r in report.results if r.status == "stored"}
            if behind or False in stored:
                try:
                    report.history = build_history(db, collect=len(report.results) > 1)
                except QAError as exc:
                    report.history_error = str(exc)
            elif True in stored:  # only documents: their stage alone, the history is unchanged
                from track287g.documents import build_documents

                with db.begin() as conn:
                    report.documents = build_documents(conn)
    return report


def _ingest_paths(
    db: Database,
    paths: list[str],
    max_bytes: int | None,
    on_file: Callable[[FileResult], None] | None,
    total: Callable[[int], None] | None,
) -> IngestReport:
    limit = default_max_bytes(max_bytes)
    found = find(paths)
    report = IngestReport(ignored=[str(p) for p in found.ignored], missing=found.missing)
    if total:
        total(len(found.files))
    when = archive.now_utc()
    with db.engine.connect() as conn, db.bulk_writes(conn):
        known_rows = publications.known_row_ids(conn)
        stored = {sha for (sha,) in tuples(conn, "SELECT sha256 FROM publication")}
        conn.commit()
        first: set[str] = set()
        read: deque[_Item] = deque()  # read, waiting for their turn: a few at a time, not the whole batch

        def workbooks() -> Iterator[bytes | None]:
            for candidate in found.files:
                item = _read(conn, candidate, limit, when)
                if item.sha and item.sha not in stored and item.sha not in first:
                    first.add(item.sha)
                    item.parse = True
                read.append(item)
                yield item.data if item.parse else None

        row_data: dict = {}
        # closing() ends the worker pool here, in this thread, even when a write fails
        with closing(prepare_many(workbooks(), known=known_rows)) as prepared:
            for result in prepared:
                item = read.popleft()
                if item.early is not None:
                    outcome = item.early
                elif item.data is None or item.sha is None:  # every item is either early or read
                    raise AssertionError(f"{item.origin.source}: neither read nor decided")
                elif item.parse:
                    if result is None:
                        raise AssertionError(f"{item.origin.source}: parsed, but no result")
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
    return report


def _history_in(
    conn: Connection,
    previous: set[str] | None = None,
    *,
    full: bool = True,
    reported: Reported | None = None,
    emptied: bool = False,
) -> dict:
    """The history, then the enrich and documents stages, in the caller's transaction. Unless ``full``, the
    enrich tables stay when the agencies and files it reads are those of the run that wrote them, and so do the
    documents' fields and signers when the code and their reading are."""
    from track287g.documents import build_documents
    from track287g.enrich import enrich_database
    from track287g.history import rebuild_history

    enriched = None if full else _build_info(conn, "enrich")
    documented = None if full else _build_info(conn, "documents")
    memo.load()  # the names' keys, corrected forms and kinds an earlier run worked out
    counts = rebuild_history(conn, previous=previous, reported=reported, emptied=emptied)
    counts["enrich_reused"] = enrich_database(conn, previous=enriched).reused
    counts["documents"] = build_documents(conn, previous=documented)
    memo.save()
    return counts


def _build_info(conn: Connection, key: str) -> str | None:
    from track287g.store.schema import build_info

    if not inspect(conn).has_table(build_info.name):
        return None
    return conn.execute(select(build_info.c.value).where(build_info.c.key == key)).scalar()


def _failed(db: Database, exc: Exception) -> Exception:
    """Record a failed history rebuild; the error to raise (it says the previous history stands)."""
    from track287g.history import QAError
    from track287g.history.state import record_failure

    with db.begin() as conn:
        record_failure(conn, str(exc))
    return QAError(f"{exc}; nothing was replaced, the previous history stands", getattr(exc, "problems", None))


def build_history(db: Database, *, collect: bool = True) -> dict:
    """Rebuild agencies, agreements and events from the stored publications, then enrich them (FBI roster
    matches, counties) and the documents stage: one transaction, under the writer lock. Lists that break a QA
    invariant are held (``counts["held"]``); a failure that holds nothing raises QAError, recorded, the old
    history standing. ``collect``: first collect what reading the lists left in cycles and hand the freed pages
    back (the bundled archive read in one process: 15 MB less at the history's peak); after one list, no (it
    leaves about a hundred objects, and a full collection costs 0.04-0.06 s of an add)."""
    from track287g.history import QAError

    if collect:
        release_memory()
    with writing(db, "history", finish=False), long_lived_heap():
        try:
            with db.begin(large=True) as conn:
                return _history_in(conn, full=False)
        except QAError as exc:
            raise _failed(db, exc) from None


def rebuild(db: Database, *, on_file: Callable[[str], None] | None = None) -> dict:
    """Recreate everything derived from the archive (publications, rows, repairs, then history) in one
    transaction: readers see the old record until it commits; a killed or failed rebuild changes nothing."""
    from track287g.history import QAError, covered_publications
    from track287g.history.revisions import reported_before
    from track287g.history.rules import load_rules
    from track287g.resolve.aliases import load_aliases

    load_rules()  # a bad rules or alias file stops the rebuild before anything is cleared
    load_aliases()
    failures: dict[str, str] = {}
    with writing(db, "rebuild", finish=False), long_lived_heap():
        with db.read() as conn:
            previous = covered_publications(conn)
            reported = reported_before(conn, previous)  # what the record says now, to tell what the rebuild revises
        try:
            with db.engine.connect() as conn, db.engine.connect() as reader, conn.begin():
                reset_derived(conn)
                lists = select(raw_file.c.sha256).where(raw_file.c.sha256.not_in(select(document_read.c.sha256)))
                shas = list(reader.execute(lists.order_by(raw_file.c.sha256)).scalars())
                contents = (archive.read_file(reader, sha) for sha in shas)
                known_rows: set[str] = set()
                row_data: dict = {}
                with closing(prepare_many(contents, len(shas))) as prepared_files:
                    for sha, prepared in zip(shas, prepared_files, strict=True):
                        if prepared is None or isinstance(prepared, str):  # a reader change can make it unreadable
                            failures[sha] = prepared or "not read"
                        else:
                            found = [
                                archive.Origin(o["name"], o["source"], archiver_first_seen=o["archiver_first_seen"])
                                for o in archive.origins(conn, sha)
                            ]
                            publications.write(conn, sha, prepared, found, known_rows, row_data)
                        if on_file:
                            on_file(sha)
                history = _history_in(conn, previous, reported=reported, emptied=True)
        except QAError as exc:
            raise _failed(db, exc) from None
    return {"publications": len(shas) - len(failures), "unreadable": failures, "history": history}


def publish_downloads(db: Database, exports: str | None = None) -> dict:
    """Write the bulk exports of the database's current data version into its exports folder (see
    ``publish.downloads``), unless they are there, with the answers the web site would otherwise compute on a
    visit (``web.precomputed``); older versions are pruned. Run when the data changes."""
    from track287g.publish import downloads
    from track287g.store.version import data_version
    from track287g.web import precomputed

    with db.read() as conn:
        version = data_version(conn)
    root = downloads.exports_root(db.location, exports)
    return downloads.write(db, version, root, {precomputed.ANSWERS: lambda: precomputed.make(db, root)})
