"""The watcher against a loopback server playing ICE's site through a scripted sequence, faults included.

Every list served is a real one from the bundled archive. Nothing here touches the internet.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from tests.loopback import DATABASES, DOCLIB, Reply, Site, fresh_database, html, ice_file, ice_page, xlsx
from track287g import archive, pipeline
from track287g.sources.web import HttpSettings
from track287g.store.schema import private_metadata, provenance, publication, quarantine, watch_run, watch_url
from track287g.watch import WatchSettings, run_once
from track287g.watch.notify import DeliverySettings

P1, P2, P3 = (
    "participatingAgencies02102026am.xlsx",
    "participatingAgencies02132026am.xlsx",
    ("participatingAgencies02172026pm.xlsx"),
)
Q1 = "pendingAgencies01292026pm.xlsx"
CONTACT = "tests@track287g.invalid"


@pytest.fixture(scope="module")
def site():
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture
def ice(site):
    site.reset()
    return site


@pytest.fixture(params=DATABASES)
def db(request, tmp_path):
    database = fresh_database(request, tmp_path)
    yield database
    database.dispose()


def settings(site: Site, **http) -> WatchSettings:
    options = dict(contact=CONTACT, read_timeout=2.0, connect_timeout=2.0, retries=1, backoff=0.0, deadline=10.0)
    options.update(http)
    return WatchSettings(
        url=site.url("/287g"),
        http=HttpSettings(**options),
        delivery=DeliverySettings(timeout=1.0, backoff=0.0, attempts=3),
    )


def serve(site: Site, *names: str, etag: bool = True) -> None:
    """ICE's page linking these lists at their /doclib/ addresses (absolute, as ICE writes them)."""
    links = [(site.url(DOCLIB + n), "Participating Agencies" if "particip" in n.lower() else "Pending") for n in names]
    site.routes["/287g"] = html(ice_page(*links), etag=f'"page-{len(names)}-{names[0]}"')
    for n in names:
        site.routes[DOCLIB + n] = xlsx(ice_file(n), etag=f'"{n}"' if etag else None)


def count(db, table) -> int:
    """Rows of a table, in the public record or (the watcher's tables) in the private state."""
    where = db.private if table.metadata is private_metadata else db
    with where.read() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def names_of(entries: list[dict]) -> list[str]:
    return [e["name"] for e in entries]


# --- the normal week: first lists, a new list, nothing new ------------------------------------------------


def test_first_run_archives_the_linked_lists_with_their_addresses(ice, db):
    serve(ice, P1, Q1)
    report = run_once(db, settings(ice))
    assert report.ok and report.page["status"] == 200
    assert [(link["kind"], link["name"]) for link in report.links] == [("participating", P1), ("pending", Q1)]
    assert names_of(report.stored) == [P1, Q1]
    assert [s["kind"] for s in report.stored] == ["participating", "pending"]
    assert report.stored[0]["published"] == "2026-02-10" and report.stored[0]["part"] == "am"
    assert report.history is not None
    with db.read() as conn:
        sources = set(conn.execute(select(provenance.c.name, provenance.c.source)))
    assert sources == {(P1, ice.url(DOCLIB + P1)), (Q1, ice.url(DOCLIB + Q1))}
    agents = {r.headers["user-agent"] for r in ice.requests}
    assert (
        len(agents) == 1 and agents.pop().startswith("track287g/") and CONTACT in ice.requests[0].headers["user-agent"]
    )


def test_a_new_list_is_stored_and_unchanged_ones_are_not_downloaded_again(ice, db):
    serve(ice, P1, Q1)
    run_once(db, settings(ice))
    serve(ice, P2, Q1)  # ICE posts a new participating list; the pending one stays
    report = run_once(db, settings(ice))
    assert names_of(report.stored) == [P2]
    assert [(u["name"], u["reason"]) for u in report.unchanged] == [(Q1, "not modified since the last check")]
    (pending_fetch,) = ice.hits(DOCLIB + Q1)[-1:]
    assert pending_fetch.headers["if-none-match"] == f'"{Q1}"' and pending_fetch.answered == 304
    assert count(db, publication) == 3


def test_nothing_new_is_said_so_and_costs_only_conditional_requests(ice, db):
    serve(ice, P1, Q1)
    run_once(db, settings(ice))
    before = len(ice.requests)
    report = run_once(db, settings(ice))
    assert report.ok and report.stored == [] and report.page.get("not_modified")
    assert len(report.unchanged) == 2 and report.history is None
    assert [r.answered for r in ice.requests[before:]] == [304, 304, 304]


def test_files_without_validators_are_downloaded_and_recognised_by_their_bytes(ice, db):
    serve(ice, P1, Q1, etag=False)
    run_once(db, settings(ice))
    report = run_once(db, settings(ice))
    assert report.stored == []
    assert {u["reason"] for u in report.unchanged} == {"already archived"}


def test_the_same_file_under_a_new_name_is_recorded_not_stored_twice(ice, db):
    # ICE posted identical bytes as 02112026am and again as 02122026pm
    serve(ice, "participatingAgencies02112026am.xlsx", Q1)
    run_once(db, settings(ice))
    serve(ice, "participatingAgencies02122026pm.xlsx", Q1)
    report = run_once(db, settings(ice))
    assert report.stored == []
    renamed = next(u for u in report.unchanged if u["name"] == "participatingAgencies02122026pm.xlsx")
    assert renamed["reason"] == ("already archived as participatingAgencies02112026am.xlsx: the new name was recorded")
    assert count(db, publication) == 2 and count(db, provenance) == 3


# --- the page changes -------------------------------------------------------------------------------------


def test_links_in_a_changed_format_are_still_followed(ice, db):
    """Relative links, another case, a newer download path, and a link with no file name at all."""
    ice.routes["/287g"] = html(
        ice_page(
            (DOCLIB + "ParticipatingAgencies02132026AM.xlsx", "Participating"),
            ("/file/download/58213?type=xlsx", "Pending Agencies (XLSX)"),
        )
    )
    ice.routes[DOCLIB + "ParticipatingAgencies02132026AM.xlsx"] = xlsx(ice_file(P2))
    ice.routes["/file/download/58213?type=xlsx"] = xlsx(ice_file(Q1), name="pendingAgencies01292026pm.xlsx")
    report = run_once(db, settings(ice))
    assert report.ok
    assert names_of(report.stored) == ["ParticipatingAgencies02132026AM.xlsx", "pendingAgencies01292026pm.xlsx"]
    assert report.links[1]["how"] == "link-text" and report.links[1]["name"] is None
    assert report.stored[0]["published"] == "2026-02-13"


def test_a_page_with_no_list_links_is_an_alert_not_nothing_new(ice, db):
    ice.routes["/287g"] = html("<html><body><h1>287(g)</h1><p>The lists have moved.</p></body></html>")
    report = run_once(db, settings(ice))
    assert not report.ok and report.stored == [] and report.links == []
    assert report.alerts and "no participating or pending list link found" in report.alerts[0]
    assert "the page may have changed" in report.alerts[0]
    with db.private.read() as conn:
        logged = conn.execute(select(watch_run.c.alerts, watch_run.c.report)).one()
    assert logged.alerts == 1 and "page may have changed" in logged.report


def test_a_page_that_lost_one_of_its_lists_is_an_alert(ice, db):
    serve(ice, P1)
    report = run_once(db, settings(ice))
    assert names_of(report.stored) == [P1]
    assert report.alerts == [f"no pending list link found on {ice.url('/287g')}: the page may have changed"]
    again = run_once(db, settings(ice))  # the page has not changed since: still missing, still an alert
    assert again.page.get("not_modified") and again.alerts == report.alerts


# --- faults: each reported, nothing lost or doubled, the next run recovers --------------------------------


def test_an_unreachable_page_is_reported_and_the_next_run_recovers(ice, db):
    ice.routes["/287g"] = Reply(503, b"Service Unavailable")
    report = run_once(db, settings(ice))
    assert report.page["ok"] is False
    assert report.alerts == [
        f"ICE's page {ice.url('/287g')} could not be read: HTTP 503 Service Unavailable (after 2 attempts)"
    ]
    assert len(ice.hits("/287g")) == 2  # one retry, then give up
    serve(ice, P1, Q1)
    assert names_of(run_once(db, settings(ice)).stored) == [P1, Q1]


def test_a_refused_connection_is_reported(db):
    closed = Site()
    url = closed.url("/287g")
    closed.server.server_close()  # nothing listens on that port now
    report = run_once(db, WatchSettings(url=url, http=HttpSettings(retries=0, connect_timeout=2)))
    assert report.alerts[0].startswith(f"ICE's page {url} could not be read: cannot connect")


def test_an_html_error_page_served_as_a_list_is_quarantined_and_replaced_next_run(ice, db):
    serve(ice, P1, Q1)
    ice.routes[DOCLIB + P1] = html("<!DOCTYPE html><html><body>Access Denied</body></html>", etag='"err"')
    report = run_once(db, settings(ice))
    assert names_of(report.stored) == [Q1]
    (bad,) = report.rejected
    assert bad["name"] == P1
    assert bad["reason"] == "not an .xlsx workbook: it is an HTML page (quarantined)"
    assert count(db, quarantine) == 1
    serve(ice, P1, Q1)  # ICE fixes it; the error page's ETag must not stop us downloading the real list
    again = run_once(db, settings(ice))
    assert names_of(again.stored) == [P1] and again.ok


def test_a_404_for_a_linked_list_is_reported_while_the_other_list_is_stored(ice, db):
    serve(ice, P1, Q1)
    del ice.routes[DOCLIB + P1]
    report = run_once(db, settings(ice))
    assert names_of(report.stored) == [Q1]
    (missing,) = report.rejected
    assert missing == {
        "name": P1,
        "url": ice.url(DOCLIB + P1),
        "kind": "participating",
        "reason": "download failed: HTTP 404 Not Found",
    }
    assert len(ice.hits(DOCLIB + P1)) == 1  # a 404 is not retried
    assert count(db, quarantine) == 0


def test_a_slow_server_times_out_and_the_next_run_recovers(ice, db):
    serve(ice, P1, Q1)
    ice.routes[DOCLIB + P1] = xlsx(ice_file(P1), delay=1.5)
    report = run_once(db, settings(ice, read_timeout=0.5))
    assert report.rejected[0]["reason"] == (
        "download failed: timed out (waiting for data, limit 0.5 s) (after 2 attempts)"
    )
    assert names_of(report.stored) == [Q1]
    ice.routes[DOCLIB + P1] = xlsx(ice_file(P1))
    assert names_of(run_once(db, settings(ice)).stored) == [P1]


def test_a_truncated_download_is_retried_rejected_and_recovered(ice, db):
    serve(ice, P1, Q1)
    data = ice_file(P1)
    ice.routes[DOCLIB + P1] = xlsx(data, cut_at=len(data) // 2, etag='"full"')
    report = run_once(db, settings(ice))
    (bad,) = report.rejected
    assert bad["reason"] == (
        "download failed: download incomplete: 94,182 of 188,364 bytes before the server closed the connection "
        "(after 2 attempts)"
    )
    assert count(db, quarantine) == 0 and count(db, publication) == 1
    ice.routes[DOCLIB + P1] = xlsx(data, etag='"full"')
    again = run_once(db, settings(ice))
    assert names_of(again.stored) == [P1]
    assert "if-none-match" not in ice.hits(DOCLIB + P1)[-1].headers  # a failed download left no validator


def zip_bomb() -> bytes:
    """A workbook-shaped zip whose sheet inflates 1000x (24 MB of zeros in about 24 KB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (24 * 1024 * 1024))
    return buf.getvalue()


def test_a_zip_bomb_is_rejected_before_any_reader_inflates_it(ice, db):
    serve(ice, P1, Q1)
    ice.routes[DOCLIB + P1] = xlsx(zip_bomb())
    report = run_once(db, settings(ice))
    (bad,) = report.rejected
    assert bad["reason"].startswith("zip bomb suspected: part xl/worksheets/sheet1.xml inflates")
    assert count(db, publication) == 1


def test_a_download_over_the_size_limit_is_stopped(ice, db):
    serve(ice, P1, Q1)
    report = run_once(db, settings(ice, max_bytes=50_000))  # the pending list is 20 KB, the other 190 KB
    assert names_of(report.stored) == [Q1]
    assert report.rejected[0]["reason"].startswith("download failed: response is 188,364 bytes, over the size limit")


def test_the_request_cap_bounds_a_run_and_leaves_the_rest_for_the_next(ice, db):
    serve(ice, P1, Q1)
    report = run_once(db, settings(ice, max_requests=2))
    assert names_of(report.stored) == [P1] and report.requests == 2
    assert report.rejected[0]["reason"] == ("download failed: request cap of 2 per run reached; left for the next run")
    assert names_of(run_once(db, settings(ice)).stored) == [Q1]


def test_a_publication_stored_by_a_run_that_stopped_early_is_rebuilt_and_announced_next_run(ice, db):
    serve(ice, P1, Q1)
    # as if a run had stored the file and died before the history rebuild and the announcement
    pipeline.ingest_bytes(db, ice_file(P1), archive.Origin(name=P1, source=ice.url(DOCLIB + P1)))
    report = run_once(db, settings(ice))
    assert names_of(report.stored) == [Q1]
    assert report.history is not None and len(report.announced) == 2


def test_watcher_state_survives_a_rebuild(ice, db):
    serve(ice, P1, Q1)
    run_once(db, settings(ice))
    states = count(db, watch_url)
    pipeline.rebuild(db)
    assert count(db, watch_url) == states == 3 and count(db, watch_run) == 1
    assert run_once(db, settings(ice)).stored == []
