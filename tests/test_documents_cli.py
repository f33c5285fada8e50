"""The documents on the command line and in Python, on the database built from the bundled archive (its 64 MOAs
included): the machine-readable list, full-text search, filters, one document in full, MOA coverage."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.helpers import run_cli
from tests.pdfs import MOA_FOLDER
from track287g.documents import coverage, list_documents
from track287g.documents.search import search_pages
from track287g.pipeline import ingest_paths

REQUIRED = {
    "sha256": str,
    "names": list,
    "kind": (str, type(None)),
    "text_source": str,
    "models": list,
    "state": (str, type(None)),
    "agency": (str, type(None)),
    "signed_ice": (str, type(None)),
    "signed_agency": (str, type(None)),
    "signers": list,
    "field_office": (str, type(None)),
    "agreement_id": (str, type(None)),
}


@pytest.fixture(scope="module")
def all_documents(built_db_path) -> list[dict]:
    proc = run_cli("documents", "--json", db=built_db_path, check=True)
    return json.loads(proc.stdout)


def test_every_bundled_moa_is_listed_with_the_fields_the_json_promises(all_documents):
    assert len(all_documents) == 64
    for doc in all_documents:
        for key, kind in REQUIRED.items():
            assert isinstance(doc[key], kind), (key, doc[key])
        assert doc["kind"] in ("moa", "addendum", None)
        assert doc["text_source"] in ("text-layer", "ocr", "none")
        assert set(doc["models"]) <= {"JEM", "TFM", "WSO"}
        for signer in doc["signers"]:
            assert {"name", "title", "party"} <= set(signer) and signer["party"] in ("ice", "agency")
        for field in doc["fields"].values():
            assert field["raw"] and 0 < field["confidence"] <= 1 and field["page"] >= 1


def test_every_bundled_moa_is_linked_to_its_agreement_by_the_lists_link(all_documents):
    rules = {d["link_rule"] for d in all_documents}
    assert rules == {"list-link-name"}
    assert all(d["agreement_id"] for d in all_documents)


def test_ocr_and_text_layers_are_both_represented(all_documents):
    sources = [d["text_source"] for d in all_documents]
    assert sources.count("ocr") >= 10 and sources.count("text-layer") >= 30


def test_full_text_search_finds_pages_and_quotes_them(built_db_path):
    proc = run_cli("documents", "--search", "Garrity", "--json", db=built_db_path, check=True)
    found = json.loads(proc.stdout)
    assert len(found) >= 40
    assert all(m["excerpt"] and "[Garrity]" in m["excerpt"] for d in found for m in d["matches"])


def test_a_search_that_finds_nothing_says_so(built_db_path):
    proc = run_cli("documents", "--search", "body-worn cameras", db=built_db_path, check=True)
    assert "0 documents mentioning “body-worn cameras”" in proc.stdout


def test_agency_and_state_filters_find_both_clay_county_agreements(built_db_path):
    proc = run_cli("documents", "--agency", "Clay County", "--state", "FL", "--json", db=built_db_path, check=True)
    names = sorted(d["names"][0] for d in json.loads(proc.stdout))
    assert names == ["287gJEM_ClayCoFl2020-03-11.pdf", "ClayCoSheriffsOffice_TFM_MOA_02.26.2025.pdf"]


def test_a_bad_state_is_one_line(built_db_path):
    proc = run_cli("documents", "--state", "XX", db=built_db_path)
    assert proc.returncode == 2 and proc.stderr.strip().startswith("error: unknown state 'XX'")


def test_one_document_in_full_shows_each_value_with_the_text_it_was_read_from(built_db_path):
    proc = run_cli("document", "CarrollCo_WSO_MOA_03.03.25.pdf", db=built_db_path, check=True)
    assert "WSO" in proc.stdout and "Baltimore" in proc.stdout and "Warrant Service Officer Program" in proc.stdout
    assert "agreement MD-carroll-county-sheriffs-office#WSO#" in proc.stdout


def test_moa_coverage_counts_agreements_on_the_latest_list(built_db):
    with built_db.read() as conn:
        c = coverage(conn)
    national = c["national"]
    assert 0 < national["with_moa"] <= 64 and national["agreements"] == 1492
    assert sum(v["with_moa"] for v in c["by_state"].values()) == national["with_moa"]
    assert sum(v["agreements"] for v in c["by_model"].values()) == national["agreements"]
    assert c["publication"]["published"] == "2026-02-27"


def test_search_on_postgresql_finds_what_sqlite_finds(pg_url, built_db, tmp_path):
    from track287g.store import connect
    from track287g.store.schema import metadata

    names = ["287gWSO_HendryCoFl2019-10-15.pdf", "CarrollCo_WSO_MOA_03.03.25.pdf", "VADOC_JEM_MOA_022825.pdf"]
    for name in names:
        (tmp_path / name).write_bytes((MOA_FOLDER / name).read_bytes())
    (tmp_path / "OCR-TRANSCRIPTS.jsonl").write_bytes((MOA_FOLDER / "OCR-TRANSCRIPTS.jsonl").read_bytes())
    db = connect(pg_url)
    metadata.drop_all(db.engine)
    db.dispose()
    db = connect(pg_url)
    report = ingest_paths(db, [str(tmp_path)])
    assert [r.status for r in report.results] == ["stored"] * 3
    query = '"disciplinary action" Garrity'  # one page of each of the three (page 5) holds both
    with db.read() as conn:
        on_pg = {hit["sha256"] for hit in search_pages(conn, query)}
        docs = list_documents(conn, search="Garrity")
    with built_db.read() as conn:
        on_sqlite = {hit["sha256"] for hit in search_pages(conn, query)}
    assert on_pg == {hashlib.sha256((MOA_FOLDER / name).read_bytes()).hexdigest() for name in names}
    assert on_pg <= on_sqlite
    assert all(m["excerpt"] for d in docs for m in d["matches"])
    db.dispose()


def test_a_document_no_list_links_is_linked_by_its_agency_model_and_date(built_db):
    """Carroll County's WSO MOA, as if found under a name no list links: its own agency, state, model and
    ICE's signature date name the agreement."""
    from datetime import date

    from track287g.documents.link import Agreements, agency_links

    with built_db.read() as conn:
        agreements = Agreements(conn)
    doc = {"agency": "Carroll County Sheriffs Office", "state": "MD", "models": ["WSO"]}
    (link,) = agency_links(agreements, doc, [date(2025, 3, 3)])
    assert (link.agreement_id, link.rule) == ("MD-carroll-county-sheriffs-office#WSO#2025-03-03", "agency-model-date")
    assert agency_links(agreements, doc, [date(2024, 1, 1)]) == []  # no agreement signed near that date
    assert agency_links(agreements, doc | {"models": ["TFM"]}, [date(2025, 3, 3)]) == []


def test_the_search_index_is_made_again_only_when_a_document_s_pages_changed(copy_of_built_db):
    """A history rebuild with every document read as before leaves the index as it stands (a row put in it
    stays); one document read again since makes it anew from the pages."""
    from track287g.pipeline import build_history
    from track287g.store import connect

    db = connect(str(copy_of_built_db), create=False)
    try:
        with db.begin() as conn:
            conn.exec_driver_sql("INSERT INTO document_fts (sha256, page, body) VALUES ('marker', 0, 'zzmarkerzz')")
        build_history(db)
        with db.read() as conn:
            assert [hit["sha256"] for hit in search_pages(conn, "zzmarkerzz")] == ["marker"]
        with db.begin() as conn:
            conn.exec_driver_sql(
                "UPDATE document_read SET read_at = '2026-12-06T12:00:00+00:00' "
                "WHERE sha256 = (SELECT min(sha256) FROM document_read)"
            )
        build_history(db)
        with db.read() as conn:
            assert search_pages(conn, "zzmarkerzz") == []
            assert len({hit["sha256"] for hit in search_pages(conn, "Garrity")}) >= 40
    finally:
        db.dispose()
