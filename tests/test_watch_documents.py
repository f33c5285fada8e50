"""The watcher fetches the MOA PDFs the lists link: politely, only new links, through the same limits and
quarantine as `ingest`, against a loopback server playing ICE's site with the real sample MOAs.

The list served is ICE's real list of 2026-02-17 pm with its MOA links pointed at the loopback server for a few
agreements whose MOA is among the samples (and at two addresses that fail); every other link is removed, so
nothing here leaves the machine.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.loopback import DATABASES, DOCLIB, Reply, Site, fresh_database, html, ice_file, ice_page, xlsx
from tests.pdfs import sample
from track287g.archive import sha256_of
from track287g.documents import list_documents
from track287g.sources.web import HttpSettings
from track287g.store.schema import provenance, quarantine, watch_url
from track287g.watch import WatchSettings, run_once

LIST = "participatingAgencies02172026pm.xlsx"
PENDING = "pendingAgencies01292026pm.xlsx"
MOAS = "/doclib/287gMOA/"
SERVED = ["CrenshawCoAL_WSO_MOA_04.16.2025.pdf", "citrusCoSheriffsOffice_WSO_MOA_02262025.pdf",
          "TerrellCoTX_WSO_MOA_04.16.2025.pdf"]  # fmt: skip
SAME_BYTES = "WashingtonCoWI_WSO_MOA_03.03.25.pdf"  # served with Citrus County's bytes: one PDF, two addresses
MISSING = "WashingtonCountyMD_WSO_MOA_031025.pdf"  # 404
NOT_A_PDF = "WashingtonCoSheriffsOfficeTX_WSO_MOA_0992025.pdf"  # an HTML error page where the PDF should be


def pointed_list(site: Site, keep: set[str]) -> bytes:
    """ICE's real list with the MOA links named in ``keep`` pointed at ``site``, every other link removed."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(ice_file(LIST)))
    for row in book.active.iter_rows():
        for cell in row:
            link = cell.hyperlink
            if link is None:
                continue
            name = (link.target or "").rsplit("/", 1)[-1]
            cell.hyperlink = site.url(MOAS + name) if name in keep else None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(data: bytes) -> Reply:
    return Reply(body=data, headers={"Content-Type": "application/pdf"})


@pytest.fixture(scope="module")
def site():
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture(params=DATABASES)
def db(request, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACK287G_OCR", "0")  # the text layers are enough here; OCR has its own tests
    database = fresh_database(request, tmp_path)
    yield database
    database.dispose()


def serve(site: Site) -> None:
    site.reset()
    keep = {*SERVED, SAME_BYTES, MISSING, NOT_A_PDF}
    site.routes["/287g"] = html(
        ice_page((site.url(DOCLIB + LIST), "Participating Agencies"), (site.url(DOCLIB + PENDING), "Pending"))
    )
    site.routes[DOCLIB + LIST] = xlsx(pointed_list(site, keep), etag='"list"')
    site.routes[DOCLIB + PENDING] = xlsx(ice_file(PENDING), etag='"pending"')
    for name in SERVED:
        site.routes[MOAS + name] = pdf(sample(name))
    site.routes[MOAS + SAME_BYTES] = pdf(sample(SERVED[1]))
    site.routes[MOAS + NOT_A_PDF] = html("<html><body><h1>Access Denied</h1></body></html>")


def settings(site: Site, max_requests: int = 20) -> WatchSettings:
    http = HttpSettings(contact="tests@track287g.invalid", read_timeout=5.0, connect_timeout=2.0, retries=1,
                        backoff=0.0, deadline=30.0, max_requests=max_requests)  # fmt: skip
    return WatchSettings(url=site.url("/287g"), http=http)


def test_the_pdfs_a_list_links_are_fetched_archived_read_and_linked_to_their_agreements(site, db):
    serve(site)
    report = run_once(db, settings(site))
    docs = report.documents
    assert docs["links"] == 6
    fetched = sorted(d["name"] for d in docs["stored"] + docs["unchanged"])
    assert fetched == sorted([*SERVED, SAME_BYTES]) and len(docs["unchanged"]) == 1  # the same bytes twice
    rejected = {d["name"]: d["reason"] for d in docs["rejected"]}
    assert rejected == {
        MISSING: "download failed: HTTP 404 Not Found",
        NOT_A_PDF: "not a PDF: it is an HTML page (quarantined)",
    }
    assert len(site.hits(MOAS + MISSING)) == 1  # a 404 is not retried
    found = {d["sha256"]: d for d in list_documents_of(db)}
    assert len(found) == 3
    twice = found[sha256_of(sample(SERVED[1]))]
    assert sorted(twice["sources"]) == sorted([site.url(MOAS + SERVED[1]), site.url(MOAS + SAME_BYTES)])
    assert {link["agreement_id"] for link in twice["links"]} == {
        "FL-citrus-county-sheriffs-office#WSO#2025-02-26",
        "WI-washington-county-sheriffs-office#WSO#2025-03-03",
    }
    crenshaw = found[sha256_of(sample(SERVED[0]))]
    assert crenshaw["agreement_id"] == "AL-crenshaw-county-sheriffs-office#WSO#2025-04-16"
    assert crenshaw["link_rule"] == "list-link-url" and crenshaw["links"][0]["via"] == "moa"
    with db.read() as conn:
        assert conn.execute(select(quarantine.c.reason).where(quarantine.c.name == NOT_A_PDF)).scalar_one() == (
            "not a PDF: it is an HTML page"
        )
        agents = {r.headers["user-agent"] for r in site.requests}
    assert len(agents) == 1 and "tests@track287g.invalid" in agents.pop()


def test_only_new_links_are_fetched_on_the_next_run(site, db):
    serve(site)
    run_once(db, settings(site))
    before = len(site.requests)
    report = run_once(db, settings(site))
    assert report.documents["links"] == 0 and report.documents["stored"] == []
    assert [r.path for r in site.requests[before:]] == ["/287g", DOCLIB + LIST, DOCLIB + PENDING]


def test_the_request_cap_leaves_the_rest_for_the_next_run(site, db):
    serve(site)
    first = run_once(db, settings(site, max_requests=5))  # the page, two lists, two PDFs
    assert len(first.documents["stored"]) + len(first.documents["rejected"]) + len(first.documents["unchanged"]) == 2
    assert first.documents["left"] == 4
    second = run_once(db, settings(site, max_requests=20))
    assert second.documents["links"] == 4
    with db.private.read() as private:  # what the watcher tried is its private state
        fetched = set(private.execute(select(watch_url.c.url).where(watch_url.c.role == "document")).scalars())
    with db.read() as conn:
        sources = set(conn.execute(select(provenance.c.source)).scalars())
    assert len(fetched) == 6
    assert {site.url(MOAS + n) for n in SERVED} <= sources


def list_documents_of(db) -> list[dict]:
    with db.read() as conn:
        return list_documents(conn)
