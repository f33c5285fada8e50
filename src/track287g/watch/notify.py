"""Notifications: webhook subscriptions, the events each new publication brings them, signed deliveries.

A publication first fetched from ICE's page is *announced* once: for every active subscription whose filters
match some of its events (a subscription without filters hears of every new publication), a delivery is
queued with its JSON body fixed, so every retry posts and signs the same bytes. So is each revision of the
record (``history.revisions``: changes a rebuild no longer reports, or reports anew, for lists already in the
record), as a delivery of its own (header ``X-Track287g-Event: revision``). Deliveries are sent after
ingestion has been committed; a failure is recorded and retried later with backoff, up to a limit.

Subscriptions, their secrets and the deliveries are the watcher's private state (``db.private``), never the
public record. A webhook must point at a public address (``watch.addresses``), checked when subscribing and
again at each delivery, unless the operator allowed a private one for that subscription.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import Connection, and_, func, or_, select, update

from track287g.archive import now_utc
from track287g.errors import Track287gError
from track287g.history.revisions import revision_times, revisions
from track287g.history.state import in_history
from track287g.normalize.tables import states
from track287g.sources.web import Fetcher, FetchError
from track287g.store import Database
from track287g.store.schema import (
    agency,
    announcement,
    delivery,
    event,
    provenance,
    publication,
    publication_name,
    subscription,
)
from track287g.watch.addresses import AddressRefused, check_target

log = logging.getLogger("track287g.watch")
SIGNATURE_HEADER = "X-Track287g-Signature"


class SubscriptionError(Track287gError):
    """A subscription that cannot work (bad URL, unknown state): one line for the user."""


@dataclass
class DeliverySettings:
    timeout: float = 10.0  # per POST
    backoff: float = 60.0  # seconds before the first retry; x4 after each further failure
    attempts: int = 6  # then the delivery is given up (status failed)
    budget: float = 120.0  # seconds one run may spend posting; the rest waits for the next run


# --- subscriptions ---------------------------------------------------------------------------------------


def add_webhook(
    db: Database,
    url: str,
    *,
    state: str | None = None,
    agency_name: str | None = None,
    secret: str | None = None,
    allow_private: bool = False,
) -> dict:
    """Subscribe ``url`` to new publications' events (optionally one state's or one agency's); idempotent.

    The URL must resolve to public addresses only, unless ``allow_private`` (the operator's explicit
    choice, kept with the subscription and honoured at each delivery)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SubscriptionError(f"webhook URL must be http:// or https:// with a host, not {url!r}")
    try:
        check_target(url, allow_private=allow_private, must_resolve=False)
    except AddressRefused as exc:
        raise SubscriptionError(str(exc)) from None
    if state is not None:
        state = state.strip().upper()
        if state not in states():
            raise SubscriptionError(f"unknown state {state!r}: give a USPS code such as FL or TX")
    if agency_name is not None and not agency_name.strip():
        raise SubscriptionError("--agency must not be empty")
    agency_name = agency_name.strip() if agency_name else None
    with db.private.begin() as conn:
        same = and_(
            subscription.c.channel == "webhook",
            subscription.c.target == url,
            subscription.c.state.is_(None) if state is None else subscription.c.state == state,
            subscription.c.agency.is_(None) if agency_name is None else subscription.c.agency == agency_name,
        )
        row = conn.execute(select(subscription).where(same)).first()
        if row is not None:
            conn.execute(
                update(subscription)
                .where(subscription.c.sub_id == row.sub_id)
                .values(active=True, secret=secret, allow_private=allow_private)
            )
            sub_id, created = row.sub_id, False
        else:
            sub_id = conn.execute(
                subscription.insert().values(
                    channel="webhook",
                    target=url,
                    state=state,
                    agency=agency_name,
                    secret=secret,
                    allow_private=allow_private,
                    active=True,
                    created_at=now_utc(),
                )
            ).inserted_primary_key[0]  # type: ignore[index]  # an insert always has its key
            created = True
        info = _describe(conn, conn.execute(select(subscription).where(subscription.c.sub_id == sub_id)).one())
    return {**info, "created": created}


def remove(db: Database, sub_id: int) -> bool:
    """Deactivate a subscription (its delivery log is kept); False if there is no such active subscription."""
    with db.private.begin() as conn:
        done = conn.execute(
            update(subscription).where(subscription.c.sub_id == sub_id, subscription.c.active).values(active=False)
        ).rowcount
    return done == 1


def _describe(conn: Connection, row) -> dict:
    counts: dict[str, int] = dict(
        conn.execute(
            select(delivery.c.status, func.count()).where(delivery.c.sub_id == row.sub_id).group_by(delivery.c.status)
        ).all()
    )
    last = conn.execute(
        select(delivery.c.status, delivery.c.last_error, delivery.c.delivered_at, delivery.c.created_at)
        .where(delivery.c.sub_id == row.sub_id)
        .order_by(delivery.c.delivery_id.desc())
        .limit(1)
    ).first()
    return {
        "id": row.sub_id,
        "channel": row.channel,
        "url": row.target,
        "state": row.state,
        "agency": row.agency,
        "signed": bool(row.secret),
        "allow_private": bool(row.allow_private),
        "active": bool(row.active),
        "created_at": row.created_at,
        "deliveries": {s: counts.get(s, 0) for s in ("delivered", "pending", "failed")},
        "last_delivery": dict(last._mapping) if last else None,
    }


def list_subscriptions(conn: Connection, *, include_inactive: bool = False) -> list[dict]:
    """The subscriptions (``conn``: a connection to the private state, ``db.private``)."""
    query = select(subscription).order_by(subscription.c.sub_id)
    if not include_inactive:
        query = query.where(subscription.c.active)
    return [_describe(conn, row) for row in conn.execute(query)]


# --- what a publication brings: its record and its events ------------------------------------------------


def publication_record(conn: Connection, sha256: str) -> dict:
    """The publication as subscribers see it: what, when, under which names and from where."""
    p = conn.execute(select(publication).where(publication.c.sha256 == sha256)).one()
    names = sorted(conn.execute(select(publication_name.c.name).where(publication_name.c.sha256 == sha256)).scalars())
    sources = sorted(
        {
            s
            for s in conn.execute(select(provenance.c.source).where(provenance.c.sha256 == sha256)).scalars()
            if s.startswith(("http://", "https://"))
        }
    )
    return {
        "sha256": sha256,
        "kind": p.kind,
        "published": p.published,
        "part": p.part,
        "rows": p.rows,
        "names": names,
        "sources": sources,
    }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", text.lower())).strip("-")


def matches(ev: dict, state: str | None, agency_term: str | None) -> bool:
    """Whether an event passes a subscription's filters (state code; agency id or name, case-insensitive)."""
    if state and ev.get("state") != state:
        return False
    if agency_term:
        term = agency_term.lower()
        name = (ev.get("agency") or "").lower()
        agency_id = (ev.get("agency_id") or "").lower()
        if term not in name and term not in agency_id and (not _slug(term) or _slug(term) not in agency_id):
            return False
    return True


def publication_events(conn: Connection, sha256: str) -> list[dict]:
    """The events the history found in this publication, in order, with the agency's display name."""
    rows = conn.execute(
        select(event, agency.c.name.label("agency_name"))
        .select_from(event.outerjoin(agency, agency.c.agency_id == event.c.agency_id))
        .where(event.c.sha256 == sha256)
        .order_by(event.c.event_id)
    )
    out = []
    for r in rows:
        try:
            detail = json.loads(r.detail) if r.detail else {}
        except ValueError:
            detail = {"raw": r.detail}
        out.append(
            {
                "type": r.type,
                "published": r.published,
                "kind": r.kind,
                "state": r.state,
                "agency_id": r.agency_id,
                "agency": r.agency_name,
                "agreement_id": r.agreement_id,
                "pending_id": r.pending_id,
                "model": r.model,
                "prev_sha256": r.prev_sha256,
                "detail": detail,
            }
        )
    return out


def payload(conn: Connection, sha256: str, state: str | None = None, agency_term: str | None = None) -> dict:
    """``{"publication": ..., "events": [...]}`` with the events that pass the filters."""
    events = [e for e in publication_events(conn, sha256) if matches(e, state, agency_term)]
    return {"publication": publication_record(conn, sha256), "events": events}


def signature(secret: str, body: bytes) -> str:
    """The value of ``X-Track287g-Signature``: ``sha256=`` + HMAC-SHA256 of the body, hex."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


# --- announcing and delivering ---------------------------------------------------------------------------


def announced(db: Database) -> set[str]:
    """The publications whose deliveries were queued (from the private state)."""
    with db.private.read() as conn:
        return set(conn.execute(select(announcement.c.sha256)).scalars())


def unannounced(conn: Connection, done: set[str], *, in_history_only: bool = False) -> list[str]:
    """Publications first fetched from the web (their first provenance is a URL) not in ``done`` (announced);
    with ``in_history_only``, only those the history covers (a held list is announced once it is in)."""
    first = (
        select(provenance.c.sha256, func.min(provenance.c.id).label("first_id"))
        .group_by(provenance.c.sha256)
        .subquery()
    )
    query = (
        select(provenance.c.sha256)
        .join(first, provenance.c.id == first.c.first_id)
        .join(publication, publication.c.sha256 == provenance.c.sha256)
        .where(or_(provenance.c.source.like("http://%"), provenance.c.source.like("https://%")))
        .order_by(publication.c.published, publication.c.part, provenance.c.id)
    )
    if in_history_only:
        query = query.where(in_history())
    return [sha for sha in conn.execute(query).scalars() if sha not in done]


def announce(db: Database) -> dict[str, int]:
    """Queue deliveries for every unannounced web publication in the history, then for every revision of the
    record not announced yet (one transaction each); sha256 or ``revised:<time>`` -> deliveries queued."""
    queued: dict[str, int] = {}
    with db.read() as reader:
        shas = unannounced(reader, announced(db), in_history_only=True)
    for sha in shas:
        with db.read() as reader:
            events = publication_events(reader, sha)
            record = publication_record(reader, sha)
        count = _queue(db, sha, {"publication": record}, "events", events)
        if count is not None:
            queued[sha] = count
    done = announced(db)
    with db.read() as reader:
        times = [at for at in revision_times(reader) if REVISED + at not in done]
    for at in times:
        with db.read() as reader:
            items = [r | {"agency": r.pop("name")} for r in revisions(reader, revised_at=at)]
        count = _queue(db, REVISED + at, {"revised_at": at}, "revisions", items)
        if count is not None:
            queued[REVISED + at] = count
    return queued


REVISED = "revised:"  # what the announcement and delivery tables hold for a revision of the record: this + its time


def _queue(db: Database, key: str, head: dict, field: str, items: list[dict]) -> int | None:
    """Announce ``key`` (a publication, or a revision of the record) once: one delivery per active subscription,
    its JSON body ``head`` and, under ``field``, the ``items`` (events, revisions) that pass its filters; a
    filtered subscription that none passes hears nothing. Returns how many were queued (None: announced
    already)."""
    with db.private.begin() as conn:
        if conn.execute(select(announcement.c.sha256).where(announcement.c.sha256 == key)).first():
            return None
        now = now_utc()
        count = 0
        for sub in conn.execute(
            select(subscription).where(subscription.c.active).order_by(subscription.c.sub_id)
        ).all():
            chosen = [item for item in items if matches(item, sub.state, sub.agency)]
            if (sub.state or sub.agency) and not chosen:
                continue
            conn.execute(
                delivery.insert().values(
                    sub_id=sub.sub_id,
                    sha256=key,
                    body=json.dumps(head | {field: chosen}, ensure_ascii=False, sort_keys=True),
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            count += 1
        conn.execute(announcement.insert().values(sha256=key, announced_at=now, events=len(items)))
    return count


def _later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def deliver_due(db: Database, fetcher: Fetcher, settings: DeliverySettings | None = None) -> dict[str, int]:
    """Post every delivery that is due (within the time budget); counts of sent, failed, given_up, waiting."""
    s = settings or DeliverySettings()
    counts = {"sent": 0, "failed": 0, "given_up": 0, "waiting": 0}
    started = time.monotonic()
    with db.private.read() as reader:
        due = reader.execute(
            select(delivery, subscription.c.target, subscription.c.secret, subscription.c.allow_private)
            .join(subscription, subscription.c.sub_id == delivery.c.sub_id)
            .where(delivery.c.status == "pending", subscription.c.active, delivery.c.next_attempt_at <= now_utc())
            .order_by(delivery.c.delivery_id)
        ).all()
    for d in due:
        if time.monotonic() - started > s.budget:
            counts["waiting"] += 1
            continue
        body = d.body.encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Track287g-Event": "revision" if d.sha256.startswith(REVISED) else "publication",
            "X-Track287g-Delivery": str(d.delivery_id),
        }
        if d.secret:
            headers[SIGNATURE_HEADER] = signature(d.secret, body)
        try:
            address = check_target(d.target, allow_private=bool(d.allow_private))  # again: DNS may have changed
            status = fetcher.post(d.target, body, headers, s.timeout, address=address)
            error = None if 200 <= status < 300 else f"HTTP {status}"
        except (FetchError, AddressRefused) as exc:
            error = exc.reason if isinstance(exc, FetchError) else str(exc)
        attempts = d.attempts + 1
        values: dict = {"attempts": attempts, "last_error": error}
        if error is None:
            values.update(status="delivered", delivered_at=now_utc(), next_attempt_at=None)
            counts["sent"] += 1
        elif attempts >= s.attempts:
            values.update(status="failed", next_attempt_at=None)
            counts["given_up"] += 1
            log.warning("webhook %s: delivery %s given up after %d attempts: %s", d.target, d.delivery_id, attempts,
                        error)  # fmt: skip
        else:
            delay = s.backoff * 4 ** (attempts - 1)
            values["next_attempt_at"] = _later(delay)
            counts["failed"] += 1
            log.warning(
                "webhook %s: delivery %s failed (attempt %d of %d): %s; next try in %g s",
                d.target,
                d.delivery_id,
                attempts,
                s.attempts,
                error,
                delay,
            )
        with db.private.begin() as conn:
            conn.execute(update(delivery).where(delivery.c.delivery_id == d.delivery_id).values(**values))
    return counts


def next_due(conn: Connection) -> str | None:
    """When the next waiting delivery is due (ISO UTC), if any (``conn``: to the private state)."""
    return conn.execute(
        select(func.min(delivery.c.next_attempt_at))
        .join(subscription, subscription.c.sub_id == delivery.c.sub_id)
        .where(delivery.c.status == "pending", subscription.c.active)
    ).scalar()
