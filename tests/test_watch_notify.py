"""Webhook subscribers: what they are sent, how it is signed and filtered, and what happens when they fail.

A real receiver on loopback records every POST; the ICE side is the scripted loopback site.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import func, select

from tests.loopback import DATABASES, DOCLIB, Reply, Site, fresh_database, html, ice_file, ice_page, xlsx
from track287g import archive, pipeline
from track287g.publish.feeds import ATOM, feed
from track287g.sources.web import Fetcher, HttpSettings
from track287g.store.schema import agency, delivery, event, listing_row, publication
from track287g.watch import WatchSettings, notify, run_once
from track287g.watch.notify import DeliverySettings, SubscriptionError

P1, P2, Q1 = (
    "participatingAgencies02102026am.xlsx",
    "participatingAgencies02132026am.xlsx",
    ("pendingAgencies01292026pm.xlsx"),
)
SECRET = "correct horse battery staple"


@pytest.fixture(scope="module")
def servers():
    ice, hooks = Site().start(), Site().start()
    yield ice, hooks
    ice.stop()
    hooks.stop()


@pytest.fixture
def ice(servers):
    servers[0].reset()
    return servers[0]


@pytest.fixture
def hooks(servers):
    servers[1].reset()
    servers[1].routes["/hook"] = Reply(204)
    return servers[1]


@pytest.fixture(params=DATABASES)
def db(request, tmp_path):
    database = fresh_database(request, tmp_path)
    yield database
    database.dispose()


def settings(ice: Site, **delivery) -> WatchSettings:
    options = dict(timeout=1.0, backoff=0.0, attempts=3)
    options.update(delivery)
    return WatchSettings(
        url=ice.url("/287g"),
        http=HttpSettings(contact="tests@track287g.invalid", retries=0, read_timeout=2.0),
        delivery=DeliverySettings(**options),
    )


def serve(ice: Site, *names: str) -> None:
    ice.routes["/287g"] = html(ice_page(*[(ice.url(DOCLIB + n), n) for n in names]))
    for n in names:
        ice.routes[DOCLIB + n] = xlsx(ice_file(n), etag=f'"{n}"')


def posts(hooks: Site, path: str = "/hook") -> list[dict]:
    return [json.loads(r.body) for r in hooks.hits(path, "POST")]


def expected_signature(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def test_a_subscriber_is_sent_each_new_publication_signed_with_its_secret(ice, hooks, db):
    notify.add_webhook(db, hooks.url("/hook"), secret=SECRET, allow_private=True)
    serve(ice, P1, Q1)
    first = run_once(db, settings(ice))
    assert first.deliveries["sent"] == 2
    serve(ice, P2, Q1)
    second = run_once(db, settings(ice))
    assert second.deliveries["sent"] == 1
    requests = hooks.hits("/hook", "POST")
    assert len(requests) == 3
    with db.read() as conn:
        stored = {row.sha256: row for row in conn.execute(select(publication))}
        events_per_pub = dict(conn.execute(select(event.c.sha256, func.count()).group_by(event.c.sha256)).all())
    for r in requests:
        assert r.headers["x-track287g-signature"] == expected_signature(r.body)
        assert r.headers["content-type"].startswith("application/json")
        assert r.headers["x-track287g-event"] == "publication"
        body = json.loads(r.body)
        assert set(body) == {"publication", "events"}
        pub = body["publication"]
        assert pub["sha256"] in stored and pub["published"] == stored[pub["sha256"]].published
        assert pub["sources"] == [ice.url(DOCLIB + pub["names"][0])]
        assert len(body["events"]) == events_per_pub.get(pub["sha256"], 0)  # every event of the publication
        # every event dated by this list (an approval, of kind "pending", is dated by the participating list
        # where its agreement first appeared)
        assert all(e["published"] == pub["published"] for e in body["events"])
        assert all(e["kind"] == pub["kind"] or e["type"] == "pending-approved" for e in body["events"])
    assert json.loads(requests[-1].body)["publication"]["names"] == [P2]
    if sum(events_per_pub.values()):  # once the history stage finds events, the new list brings some
        assert second.events > 0


def test_an_unsigned_subscription_carries_no_signature(ice, hooks, db):
    notify.add_webhook(db, hooks.url("/hook"), allow_private=True)
    serve(ice, Q1)
    run_once(db, settings(ice))
    (request,) = hooks.hits("/hook", "POST")
    assert "x-track287g-signature" not in request.headers


def _with_events(db, ice: Site) -> str:
    """P1 stored from the web, with three events written into the history tables as the history stage would."""
    pipeline.ingest_bytes(db, ice_file(P1), archive.Origin(name=P1, source=ice.url(DOCLIB + P1)))
    with db.begin() as conn:
        sha, published = conn.execute(select(publication.c.sha256, publication.c.published)).one()
        conn.execute(publication.update().values(seq=1))  # in the history, as the history stage would set it
        fl = conn.execute(
            select(listing_row.c.agency)
            .distinct()
            .where(listing_row.c.state == "FL", listing_row.c.agency.like("%Sheriff%"))
            .order_by(listing_row.c.agency)
            .limit(2)
        ).scalars()
        agencies = [("FL", name) for name in fl] + [("TX", "Galveston County Sheriff's Office")]
        for number, (state, name) in enumerate(agencies, start=1):
            agency_id = f"{state}-" + "-".join(name.lower().replace("'", "").split())
            conn.execute(
                agency.insert().values(agency_id=agency_id, state=state, name=name, kind="sheriff", status="active")
            )
            conn.execute(
                event.insert().values(
                    event_id=number,
                    sha256=sha,
                    published=published,
                    kind="participating",
                    type="agreement-added",
                    agency_id=agency_id,
                    agreement_id=f"{agency_id}#JEM#2025-02-26",
                    state=state,
                    model="JEM",
                    detail=json.dumps({"signed": "2025-02-26"}),
                )
            )
    return sha


def test_subscriptions_get_only_the_events_that_match_their_state_or_agency(ice, hooks, db):
    everything = notify.add_webhook(db, hooks.url("/all"), allow_private=True)["id"]
    florida = notify.add_webhook(db, hooks.url("/fl"), state="fl", allow_private=True)["id"]
    galveston = notify.add_webhook(db, hooks.url("/galveston"), agency_name="galveston county", allow_private=True)[
        "id"
    ]
    notify.add_webhook(db, hooks.url("/ca"), state="CA", allow_private=True)
    for path in ("/all", "/fl", "/galveston", "/ca"):
        hooks.routes[path] = Reply(200)
    sha = _with_events(db, ice)
    assert notify.announce(db) == {sha: 3}  # California hears nothing: none of its agencies changed
    with Fetcher(HttpSettings()) as fetcher:
        assert notify.deliver_due(db, fetcher, DeliverySettings())["sent"] == 3
    (all_events,) = posts(hooks, "/all")
    (fl_events,) = posts(hooks, "/fl")
    (galveston_events,) = posts(hooks, "/galveston")
    assert posts(hooks, "/ca") == []
    assert len(all_events["events"]) == 3
    assert [e["state"] for e in fl_events["events"]] == ["FL", "FL"]
    assert [e["agency"] for e in galveston_events["events"]] == ["Galveston County Sheriff's Office"]
    assert galveston_events["events"][0]["detail"] == {"signed": "2025-02-26"}
    assert {everything, florida, galveston} == {1, 2, 3}
    assert notify.announce(db) == {}  # announced once, however often it is asked


def test_a_failing_subscriber_is_retried_with_backoff_and_never_holds_up_ingestion(ice, hooks, db):
    notify.add_webhook(db, hooks.url("/hook"), secret=SECRET, allow_private=True)
    hooks.routes["/hook"] = [Reply(500), Reply(204)]
    serve(ice, P1)
    first = run_once(db, settings(ice, backoff=3600.0))
    assert [s["name"] for s in first.stored] == [P1] and first.history is not None
    assert first.deliveries == {"sent": 0, "failed": 1, "given_up": 0, "waiting": 0}
    with db.private.read() as conn:
        pending = conn.execute(select(delivery)).one()
    assert (pending.status, pending.attempts, pending.last_error) == ("pending", 1, "HTTP 500")
    assert pending.next_attempt_at > archive.now_utc()  # backed off: not retried before it is due
    assert run_once(db, settings(ice)).deliveries["sent"] == 0
    with db.private.begin() as conn:
        conn.execute(delivery.update().values(next_attempt_at=archive.now_utc()))  # time passes
    assert run_once(db, settings(ice)).deliveries["sent"] == 1
    failed, delivered = hooks.hits("/hook", "POST")
    assert failed.body == delivered.body  # the same bytes, the same signature
    assert delivered.headers["x-track287g-signature"] == expected_signature(delivered.body)


def test_a_subscriber_that_times_out_is_logged_and_retried(ice, hooks, db, caplog):
    notify.add_webhook(db, hooks.url("/hook"), allow_private=True)
    hooks.routes["/hook"] = [Reply(200, delay=2.0), Reply(200)]
    serve(ice, Q1)
    with caplog.at_level("WARNING", logger="track287g.watch"):
        report = run_once(db, settings(ice, timeout=0.5))
    assert [s["name"] for s in report.stored] == [Q1] and report.deliveries["failed"] == 1
    assert "failed (attempt 1 of 3): timed out after 0.5 s" in caplog.text
    assert run_once(db, settings(ice)).deliveries["sent"] == 1


def test_a_delivery_is_given_up_after_its_last_attempt(ice, hooks, db):
    notify.add_webhook(db, hooks.url("/hook"), allow_private=True)
    hooks.routes["/hook"] = Reply(500)
    serve(ice, Q1)
    run_once(db, settings(ice, attempts=2))
    report = run_once(db, settings(ice, attempts=2))
    assert report.deliveries["given_up"] == 1
    with db.private.read() as conn:
        (sub,) = notify.list_subscriptions(conn)
    assert sub["deliveries"] == {"delivered": 0, "pending": 0, "failed": 1}
    assert sub["last_delivery"]["last_error"] == "HTTP 500"
    assert len(hooks.hits("/hook", "POST")) == 2


def test_a_new_subscriber_is_not_sent_publications_announced_before_it_subscribed(ice, hooks, db):
    serve(ice, P1)
    run_once(db, settings(ice))
    notify.add_webhook(db, hooks.url("/hook"), allow_private=True)
    run_once(db, settings(ice))
    assert hooks.hits("/hook", "POST") == []


def test_subscribing_twice_updates_the_one_subscription_and_lists_no_secret(db):
    first = notify.add_webhook(db, "https://example.org/hook", state="tx")
    again = notify.add_webhook(db, "https://example.org/hook", state="TX", secret="s")
    assert first["created"] and not again["created"] and first["id"] == again["id"]
    with db.private.read() as conn:
        (listed,) = notify.list_subscriptions(conn)
    assert listed["signed"] is True and "secret" not in listed and listed["state"] == "TX"
    assert notify.remove(db, listed["id"]) and not notify.remove(db, listed["id"])


@pytest.mark.parametrize(
    "url, state, message",
    [
        ("ftp://example.org/x", None, "webhook URL must be http:// or https://"),
        ("https:///nohost", None, "webhook URL must be http:// or https://"),
        ("https://example.org/x", "ZZ", "unknown state 'ZZ'"),
    ],
)
def test_subscriptions_that_cannot_work_are_refused(db, url, state, message):
    with pytest.raises(SubscriptionError, match=message):
        notify.add_webhook(db, url, state=state)


def entry_for(root: ET.Element, sha256: str) -> ET.Element:
    (entry,) = [e for e in root.findall(f"{{{ATOM}}}entry") if e.find(f"{{{ATOM}}}id").text.endswith(f"/{sha256}")]
    return entry


def test_the_atom_feeds_show_the_events_of_a_list_the_watcher_found(ice, hooks, db):
    serve(ice, P1, Q1)
    run_once(db, settings(ice))
    serve(ice, P2, Q1)
    report = run_once(db, settings(ice))
    (new,) = report.stored
    with db.read() as conn:
        events = notify.publication_events(conn, new["sha256"])
        every = ET.fromstring(feed(conn, base="", scope="changes", title="every change"))
        state = events[0]["state"]
        one_state = ET.fromstring(feed(conn, base="", scope=f"state/{state}", title="one state", state=state))
    assert report.events == len(events) > 0
    newest = entry_for(every, new["sha256"])
    assert newest.find(f"{{{ATOM}}}title").text == f"ICE participating list 2026-02-13 am: {len(events)} changes"
    summary = newest.find(f"{{{ATOM}}}summary").text
    assert all(e["agency"] in summary for e in events)
    in_state = [e for e in events if e["state"] == state]
    state_entry = entry_for(one_state, new["sha256"])
    assert state_entry.find(f"{{{ATOM}}}summary").text.count("\n") == len(in_state) - 1


JULY = [
    "participatingAgencies07152025am.xlsx",
    "participatingAgencies07162025am.xlsx",
    "participatingAgencies07182025am.xlsx",
    "participatingAgencies07182025pm.xlsx",
    "participatingAgencies07232025pm.xlsx",
    "participatingAgencies07242025am.xlsx",
    "participatingAgencies07242025pm.xlsx",
    "participatingAgencies07242025pm_b.xlsx",
    "participatingAgencies07252025pm.xlsx",
]


def test_a_revision_of_the_record_is_sent_to_the_subscribers_it_concerns_as_a_delivery_of_its_own(ice, hooks, db):
    # ICE's lists of July 2025 leave East Donegal Township's constables (PA) out from 2025-07-24 pm: a removal,
    # provisional; the lists of 2025-07-28 am and 2025-07-29 am print them again, so the record withdraws it
    notify.add_webhook(db, hooks.url("/hook"), secret=SECRET, allow_private=True)
    notify.add_webhook(db, hooks.url("/pa"), state="PA", allow_private=True)
    notify.add_webhook(db, hooks.url("/ca"), state="CA", allow_private=True)
    for path in ("/pa", "/ca"):
        hooks.routes[path] = Reply(204)
    serve(ice, *JULY)
    run_once(db, settings(ice))
    serve(ice, *JULY, "participatingAgencies07282025am.xlsx", "participatingAgencies07292025am.xlsx")
    report = run_once(db, settings(ice))
    (revised,) = [key for key in report.announced if key.startswith("revised:")]
    assert report.announced[revised] == 2  # everything, and Pennsylvania; California hears nothing of it
    (sent,) = [r for r in hooks.hits("/hook", "POST") if r.headers["x-track287g-event"] == "revision"]
    assert sent.headers["x-track287g-signature"] == expected_signature(sent.body)
    body = json.loads(sent.body)
    assert body["revised_at"] == revised.removeprefix("revised:")
    assert [(r["change"], r["type"], r["agency"], r["list_label"]) for r in body["revisions"]] == [
        ("withdrawn", "removed", "East Donegal Township Constables Office", "2025-07-24 pm (4d194c0587)"),
        ("added", "missing", "East Donegal Township Constables Office", "2025-07-24 pm (4d194c0587)"),
    ]
    assert [json.loads(r.body)["revisions"] for r in hooks.hits("/pa", "POST") if "revisions" in r.body.decode()] == [
        body["revisions"]
    ]
    assert not [r for r in hooks.hits("/ca", "POST") if r.headers["x-track287g-event"] == "revision"]
    assert not [k for k in notify.announce(db) if k.startswith("revised:")]  # announced once
