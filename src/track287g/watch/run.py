"""One run of the watcher: fetch ICE's page, download its lists, ingest, rebuild, announce, deliver.

A run holds the database's writer lock (``pipeline.writing``: one writer at a time, whatever the command), so
it waits for an ``ingest`` or ``rebuild`` in progress, and they for it. Every file goes through
``pipeline.ingest_bytes`` (the same guard and reader as local files, one transaction each); the history is
rebuilt once when anything new was stored; deliveries are posted only after that is committed, so a slow or
failing subscriber never holds up the record. What the watcher fetched, its runs and its subscribers are its
private state (``db.private``), never the public record. The run's report is kept in the ``watch_run``
table and returned as a :class:`WatchReport`.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass, field

from sqlalchemy import Connection, func, select, update

from track287g import archive, pipeline
from track287g.config import DEFAULT_PAGE
from track287g.history.state import needs_refresh
from track287g.sources.web import (
    Fetched,
    Fetcher,
    FetchError,
    HttpSettings,
    Link,
    fallback_name,
    find_links,
    page_text,
)
from track287g.store import Database
from track287g.store.schema import event, provenance, watch_run, watch_url
from track287g.watch import notify

log = logging.getLogger("track287g.watch")
KINDS = ("participating", "pending")


@dataclass
class WatchSettings:
    """Everything a run needs to know; the defaults are the polite ones."""

    url: str = DEFAULT_PAGE
    http: HttpSettings = field(default_factory=HttpSettings)
    delivery: notify.DeliverySettings = field(default_factory=notify.DeliverySettings)
    documents: bool = True  # also fetch the MOA and addendum PDFs the lists link (within the request cap)


@dataclass
class WatchReport:
    """What one run did: the fields of ``watch --json``."""

    run_id: int | None = None
    started_at: str = ""
    finished_at: str | None = None
    page: dict = field(default_factory=dict)
    links: list[dict] = field(default_factory=list)
    stored: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    events: int = 0
    history: dict | None = None
    announced: dict[str, int] = field(default_factory=dict)  # publication sha256 -> deliveries queued
    deliveries: dict[str, int] = field(default_factory=dict)
    alerts: list[str] = field(default_factory=list)
    requests: int = 0
    documents: dict = field(default_factory=dict)  # the linked PDFs fetched (see watch.documents)

    @property
    def ok(self) -> bool:
        """True when the page was read, list links were found, and no file failed."""
        return not self.alerts and not self.rejected

    def as_json(self) -> dict:
        return asdict(self)

    def alert(self, message: str) -> None:
        self.alerts.append(message)
        log.error("ALERT: %s", message)


# --- per-address state: validators for conditional requests ----------------------------------------------


def _state(conn: Connection, url: str) -> dict | None:
    row = conn.execute(select(watch_url).where(watch_url.c.url == url)).first()
    return dict(row._mapping) if row else None


def _save_state(db: Database, url: str, role: str, **values) -> None:
    """Insert or update the state of one address (one transaction, in the private state)."""
    values["checked_at"] = archive.now_utc()
    with db.private.begin() as conn:
        old = _state(conn, url)
        if old is None:
            conn.execute(watch_url.insert().values(url=url, role=role, **values))
        else:
            if "sha256" in values and values["sha256"] and values["sha256"] != old.get("sha256"):
                values["changed_at"] = values["checked_at"]
            conn.execute(update(watch_url).where(watch_url.c.url == url).values(**values))


# --- the run ------------------------------------------------------------------------------------------------


def _fetch_page(db: Database, fetcher: Fetcher, url: str, report: WatchReport) -> list[Link] | None:
    with db.private.read() as conn:
        old = _state(conn, url) or {}
    known = json.loads(old["links"]) if old.get("links") else None
    try:
        # a page whose links we know can be asked for conditionally
        got = fetcher.get(
            url,
            etag=old.get("etag") if known else None,
            last_modified=old.get("last_modified") if known else None,
        )
    except FetchError as exc:
        report.page = {"url": url, "status": exc.status, "ok": False, "error": exc.reason}
        report.alert(f"ICE's page {url} could not be read: {exc.reason}")
        _save_state(db, url, "page", status=f"error: {exc.reason}")
        return None
    report.page = {"url": url, "status": got.status, "ok": True, "error": None}
    if got.not_modified and known is not None:
        report.page["not_modified"] = True
        _save_state(db, url, "page", status="not-modified")
        links = [Link(**k) for k in known]
        _missing_kinds(links, url, report)  # an unchanged page that lacked a list still lacks it: say so again
        return links
    links = find_links(page_text(got.data or b"", got.content_type), got.url)
    if not links:
        report.alert(
            f"no participating or pending list link found on {url} ({len(got.data or b''):,} bytes of "
            f"{got.content_type or 'unknown type'}): the page may have changed; nothing was checked"
        )
    _missing_kinds(links, url, report)
    _save_state(
        db,
        url,
        "page",
        # keep validators only for a page that gave links, so a broken page is fetched in full next time
        etag=got.etag if links else None,
        last_modified=got.last_modified if links else None,
        links=json.dumps([link.as_json() for link in links]) if links else None,
        status=f"{len(links)} links",
    )
    return links


def _missing_kinds(links: list[Link], url: str, report: WatchReport) -> None:
    if links:
        for kind in KINDS:
            if not any(link.kind == kind for link in links):
                report.alert(f"no {kind} list link found on {url}: the page may have changed")


def _name_for(link: Link, got: Fetched) -> str:
    return link.name or got.filename or fallback_name(link)


def _known_names(conn: Connection, sha: str) -> list[str]:
    return sorted(set(conn.execute(select(provenance.c.name).where(provenance.c.sha256 == sha)).scalars()))


def _fetch_file(db: Database, fetcher: Fetcher, link: Link, report: WatchReport, limit: int) -> str | None:
    """Download and ingest one linked list; the sha256 when it was newly stored."""
    with db.private.read() as conn:
        old = _state(conn, link.url) or {}
    accepted = bool(old.get("sha256")) and not str(old.get("status", "")).startswith("rejected")
    entry = {"name": link.name, "url": link.url, "kind": link.kind}
    try:
        got = fetcher.get(
            link.url,
            etag=old.get("etag") if accepted else None,
            last_modified=old.get("last_modified") if accepted else None,
            max_bytes=limit,
        )
    except FetchError as exc:
        reason = f"download failed: {exc.reason}"
        report.rejected.append({**entry, "reason": reason})
        log.warning("%s: %s", link.name or link.url, reason)
        named = {"name": link.name} if link.name else {}
        _save_state(db, link.url, "file", **named, status=f"error: {exc.reason}")
        return None
    if got.not_modified:
        entry["name"] = old.get("name") or link.name
        report.unchanged.append({**entry, "sha256": old.get("sha256"), "reason": "not modified since the last check"})
        _save_state(db, link.url, "file", status="not-modified")
        return None
    data = got.data or b""
    name = _name_for(link, got)
    entry["name"] = name
    sha = archive.sha256_of(data)
    with db.read() as conn:
        names_before = _known_names(conn, sha)
    result = pipeline.ingest_bytes(db, data, archive.Origin(name=name, source=link.url))
    if result.status == "rejected":
        report.rejected.append({**entry, "sha256": sha, "reason": f"{result.error} (quarantined)"})
        log.warning("%s: rejected: %s", name, result.error)
        _save_state(db, link.url, "file", name=name, etag=None, last_modified=None, sha256=sha, status="rejected")
        return None
    _save_state(
        db,
        link.url,
        "file",
        name=name,
        etag=got.etag,
        last_modified=got.last_modified,
        sha256=sha,
        status=result.status,
    )
    found = {**entry, "sha256": sha, "kind": result.kind, "published": result.published, "part": result.part}
    if result.status == "stored":
        report.stored.append({**found, "rows": result.rows})
        log.info("stored %s: %s list published %s %s, %s rows", name, result.kind, result.published, result.part,
                 result.rows)  # fmt: skip
        return sha
    if name in names_before:
        reason = "already archived"
    else:
        reason = f"already archived as {', '.join(names_before)}: the new name was recorded"
    report.unchanged.append({**found, "reason": reason})
    return None


def _one_line(exc: Exception, limit: int = 300) -> str:
    """An exception as one short line (a database error's own message, not the statement and its rows)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _events_in(conn: Connection, shas: list[str]) -> int:
    if not shas:
        return 0
    return conn.execute(select(func.count()).select_from(event).where(event.c.sha256.in_(shas))).scalar_one()


def _record(db: Database, report: WatchReport) -> None:
    report.finished_at = archive.now_utc()
    with db.private.begin() as conn:
        values = dict(
            started_at=report.started_at,
            finished_at=report.finished_at,
            page_url=report.page.get("url", ""),
            page_status=str(report.page.get("status") or report.page.get("error") or ""),
            stored=len(report.stored),
            alerts=len(report.alerts),
            report=json.dumps(report.as_json(), default=str),
        )
        if report.run_id is None:
            report.run_id = conn.execute(watch_run.insert().values(**values)).inserted_primary_key[0]  # type: ignore[index]
        else:
            conn.execute(update(watch_run).where(watch_run.c.run_id == report.run_id).values(**values))


def _in_order(links: list[Link]) -> list[Link]:
    """Participating first, then pending, each in page order (a cap on requests spares the main list)."""
    return sorted(links, key=lambda link: KINDS.index(link.kind))


def run_once(db: Database, settings: WatchSettings | None = None, *, fetcher: Fetcher | None = None) -> WatchReport:
    """One watch run, holding the database's writer lock (waiting for it as ``db.lock_policy`` says;
    ``LockHeld`` when told not to wait)."""
    with pipeline.writing(db, "watch", finish=False):
        return _run(db, settings or WatchSettings(), fetcher)


def _run(db: Database, s: WatchSettings, fetcher: Fetcher | None) -> WatchReport:
    own = fetcher is None
    fetcher = fetcher or Fetcher(s.http)
    report = WatchReport(started_at=archive.now_utc())
    report.page = {"url": s.url, "status": None, "ok": False, "error": None}
    try:
        _record(db, report)  # a run that dies half-way still leaves its row
        links = _fetch_page(db, fetcher, s.url, report)
        report.links = [link.as_json() for link in links or []]
        new: list[str] = []
        for link in _in_order(links or []):
            sha = _fetch_file(db, fetcher, link, report, s.http.max_bytes)
            if sha:
                new.append(sha)
        with db.read() as conn:
            # lists stored by a run or an ingest that stopped before the history was rebuilt: finish that now
            behind = needs_refresh(conn)
            new += [sha for sha in notify.unannounced(conn, notify.announced(db)) if sha not in new]
        rebuilt = True
        if new or behind:
            try:
                report.history = pipeline.build_history(db)
            except Exception as exc:  # e.g. a QA invariant: the lists are archived, the old history stands
                rebuilt = False
                report.alert(
                    f"history rebuild failed ({type(exc).__name__}: {_one_line(exc)}); the new lists are archived "
                    "and will be announced after a successful rebuild"
                )
            history = report.history or {}
            for sha in history.get("newly_held") or []:
                report.alert(f"list {sha[:12]} held out of the history: {history['held'][sha]}")
            with db.read() as conn:
                report.events = _events_in(conn, new)
        if s.documents and rebuilt:
            report.documents = _fetch_documents(db, fetcher, s)
        if rebuilt:
            report.announced = notify.announce(db)
        report.deliveries = notify.deliver_due(db, fetcher, s.delivery)
    finally:
        report.requests = fetcher.requests
        try:
            _record(db, report)
        finally:
            if own:
                fetcher.close()
    return report


def _fetch_documents(db: Database, fetcher: Fetcher, s: WatchSettings) -> dict:
    from track287g.documents import build_documents
    from track287g.watch.documents import fetch_documents

    found = fetch_documents(db, fetcher, s.url, s.http.max_bytes)
    if found["stored"]:
        with db.begin() as conn:
            found["stage"] = build_documents(conn)
    return found


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Seconds in ``90``, ``30s``, ``15m``, ``6h`` or ``1d``; ValueError otherwise."""
    m = _DURATION.match(text or "")
    if not m:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 15m, 6h, 1d)")
    value = float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2).lower()]
    if value <= 0:
        raise ValueError(f"a duration must be positive, not {text!r}")
    return value


def recent_runs(conn: Connection, limit: int = 10) -> list[dict]:
    rows = conn.execute(select(watch_run).order_by(watch_run.c.run_id.desc()).limit(limit))
    return [json.loads(r.report) | {"run_id": r.run_id} for r in rows]


def url_states(conn: Connection) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(select(watch_url).order_by(watch_url.c.role, watch_url.c.url))]
