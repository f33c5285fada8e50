"""The watcher's second job: download the MOA and addendum PDFs the lists link, a few each run.

Only links on the watched page's own site and never fetched before are tried (a link that failed with a
passing fault, such as a timeout or a 5xx, is tried again on a later run; one that answered 404 or gave
something that is not a PDF is not), with the run's own client: the same User-Agent, timeouts, retries, size
limit and request cap as the lists, which are fetched first. Links of the latest participating list come
first, newest agreements first, so a cap that stops a run leaves the oldest for later. Each PDF goes through
``documents.ingest_document_bytes`` (the same limits and quarantine as ``track287g ingest``); identical bytes
under a second address are one document with two sources.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from sqlalchemy import Connection, select

from track287g import archive
from track287g.documents.ingest import ingest_document_bytes, is_pdf
from track287g.history import queries
from track287g.parse.guard import describe_start
from track287g.sources.web import Fetcher, FetchError
from track287g.store import Database
from track287g.store.schema import agreement, listing_row, row_agreement, watch_url

log = logging.getLogger("track287g.watch")
ROLE = "document"


def fetchable(url: str) -> str | None:
    """The address to fetch for a link as ICE wrote it (a browser-extension prefix dropped), or None."""
    url = url.strip()
    m = re.search(r"https?:/+", url, re.I)
    if m is None:
        return None
    rest = url[m.end() :]
    scheme = m.group(0).split(":")[0].lower()
    return f"{scheme}://{rest}" if rest else None


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _rank(found: tuple[int, str, str]) -> tuple[int, bool, str]:
    last, column, signed = found
    return last, column == "moa", signed


def tried_links(private: Connection) -> dict[str, str]:
    """The status of every document address the watcher has tried (its private state)."""
    rows = private.execute(select(watch_url.c.url, watch_url.c.status).where(watch_url.c.role == ROLE))
    return {r.url: r.status or "" for r in rows}


def pending_links(conn: Connection, host: str, tried: dict[str, str]) -> list[tuple[str, str]]:
    """(address, list column) of every linked PDF on ``host`` not yet fetched (or to try again, ``tried``
    being ``tried_links``), in fetching order. Only the watched site's own addresses are followed, never
    another host a spreadsheet cell names."""
    linked = {
        rid: (moa, addendum, signed)
        for rid, moa, addendum, signed in conn.execute(
            select(listing_row.c.row_id, listing_row.c.moa_url, listing_row.c.addendum_url, agreement.c.signed)
            .outerjoin(row_agreement, row_agreement.c.row_id == listing_row.c.row_id)
            .outerjoin(agreement, agreement.c.agreement_id == row_agreement.c.agreement_id)
            .where((listing_row.c.moa_url.is_not(None)) | (listing_row.c.addendum_url.is_not(None)))
        )
    }
    _, printed = queries.printed_runs(conn, linked)  # the participating lists that printed each linked row
    # address -> (the latest list printing it, its column there, MOA first, and the newest SIGNED beside it)
    best: dict[str, tuple[int, str, str]] = {}
    for rid, runs in printed.items():
        moa, addendum, signed = linked[rid]
        last = runs[-1][1] + 1  # its position among the lists (1: the first)
        for column, raw in (("moa", moa), ("addendum", addendum)):
            url = fetchable(raw) if raw else None
            if not url or _host(url) != host or not _retry(tried.get(url)):
                continue
            found = (last, column, signed or "")
            current = best.get(url)
            if current is None or _rank(found) > _rank(current):
                best[url] = found
    items = sorted(best.items(), key=lambda kv: (kv[1][2], kv[0]), reverse=True)  # newest agreements first
    items.sort(key=lambda kv: (-kv[1][0], kv[1][1] != "moa"))  # then: the latest list first, MOAs first
    return [(url, column) for url, (_seq, column, _signed) in items]


def _retry(status: str | None) -> bool:
    if status is None:
        return True
    if not status.startswith("error:"):
        return False
    return not re.search(r"HTTP 4\d\d|not a PDF|over the size limit", status)


def _name(url: str, filename: str | None) -> str:
    last = unquote(PurePosixPath(urlsplit(url).path).name)
    return last if last.lower().endswith(".pdf") else (filename or last or "document.pdf")


def _save(db: Database, url: str, **values) -> None:
    values["checked_at"] = archive.now_utc()
    with db.private.begin() as conn:  # the watcher's private state, never the public record
        exists = conn.execute(select(watch_url.c.url).where(watch_url.c.url == url)).first()
        if exists:
            conn.execute(watch_url.update().where(watch_url.c.url == url).values(**values))
        else:
            conn.execute(watch_url.insert().values(url=url, role=ROLE, **values))


def fetch_documents(
    db: Database, fetcher: Fetcher, page_url: str, max_bytes: int, after_each: Callable[[], None] | None = None
) -> dict:
    """Fetch the linked PDFs (on the page's site) not fetched yet, within the run's request cap: what was stored,
    kept, refused, and how many are left for later runs."""
    with db.private.read() as private:
        tried = tried_links(private)
    with db.read() as conn:
        links = pending_links(conn, _host(page_url), tried)
    report: dict = {"links": len(links), "stored": [], "unchanged": [], "rejected": [], "left": 0}
    for i, (url, column) in enumerate(links):
        if fetcher.requests >= fetcher.settings.max_requests:
            report["left"] = len(links) - i
            break
        entry: dict[str, object] = {"url": url, "column": column, "name": _name(url, None)}
        try:
            got = fetcher.get(url, max_bytes=max_bytes)
        except FetchError as exc:
            report["rejected"].append({**entry, "reason": f"download failed: {exc.reason}"})
            _save(db, url, name=entry["name"], status=f"error: {exc.reason}")
            if "request cap" in exc.reason:
                report["left"] = len(links) - i
                break
            continue
        data = got.data or b""
        name = _name(got.url, got.filename)
        entry["name"] = name
        origin = archive.Origin(name=name, source=url)
        if not is_pdf(data):
            reason = f"not a PDF: it is {describe_start(data)}"
            with db.begin() as conn:
                archive.quarantine_file(
                    conn, origin, archive.sha256_of(data), len(data), reason, data, archive.now_utc()
                )
            report["rejected"].append({**entry, "reason": f"{reason} (quarantined)"})
            _save(db, url, name=entry["name"], status=f"error: {reason}")
            continue
        result = ingest_document_bytes(db, data, origin)
        entry |= {
            "sha256": result.sha256,
            "kind": result.kind,
            "pages": result.pages,
            "text_source": result.text_source,
        }
        if result.status == "rejected":
            report["rejected"].append({**entry, "reason": f"{result.error} (quarantined)"})
            log.warning("%s: rejected: %s", entry["name"], result.error)
            _save(db, url, name=entry["name"], sha256=result.sha256, status="rejected")
            continue
        report[result.status].append(entry)
        _save(
            db,
            url,
            name=entry["name"],
            sha256=result.sha256,
            status=result.status,
            etag=got.etag,
            last_modified=got.last_modified,
        )
        if after_each:
            after_each()
    return report
