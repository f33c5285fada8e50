"""Ingest of the bundled archive: real figures, deduplication, provenance and idempotency."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from track287g import questions
from track287g.archive import catalog
from track287g.pipeline import ingest_paths
from track287g.store import connect
from track287g.store.db import table_counts
from track287g.store.schema import listing, listing_row, provenance, publication, publication_name, raw_file


def _pub(conn, name: str) -> dict:
    return next(p for p in catalog.list_publications(conn) if name in p["names"])


def test_participating_list_of_2026_01_26_pm_has_1372_rows_by_model(built_db):
    with built_db.read() as conn:
        pub = next(p for p in questions.publications(conn) if "participatingAgencies01262026pm.xlsx" in p["names"])
    assert pub["kind"] == "participating"
    assert (pub["published"], pub["part"], pub["published_from"]) == ("2026-01-26", "pm", "file-name")
    assert pub["rows"] == 1372
    assert pub["models"] == {"JEM": 151, "TFM": 764, "WSO": 457}
    assert pub["layout"] == "participating+county+addendum"


def test_participating_list_of_2026_01_26_pm_covers_39_states_plus_guam_and_northern_marianas(built_db):
    with built_db.read() as conn:
        pub_id = conn.execute(
            select(publication.c.pub_id)
            .join(publication_name, publication_name.c.sha256 == publication.c.sha256)
            .where(publication_name.c.name == "participatingAgencies01262026pm.xlsx")
        ).scalar_one()
        states = set(
            conn.execute(
                select(listing_row.c.state)
                .join(listing, listing.c.row_id == listing_row.c.row_id)
                .where(listing.c.pub_id == pub_id)
            ).scalars()
        )
    assert {"GU", "MP"} <= states
    assert len(states - {"GU", "MP"}) == 39


def test_pending_list_of_2026_01_26_pm_has_3_rows(built_db):
    with built_db.read() as conn:
        pub = _pub(conn, "pendingAgencies01262026pm.xlsx")
    assert pub["kind"] == "pending"
    assert pub["rows"] == 3
    assert pub["layout"] == "pending+county+moa"


def test_identical_bytes_under_several_names_are_one_publication_keeping_every_name(built_db):
    with built_db.read() as conn:
        pub = _pub(conn, "participatingAgencies08222025pm.xlsx")
        files = conn.execute(select(func.count()).select_from(raw_file)).scalar_one()
        names = conn.execute(select(func.count()).select_from(provenance)).scalar_one()
    assert pub["names"] == [
        "participatingAgencies08192025pm.xlsx",
        "participatingAgencies08202025pm.xlsx",
        "participatingAgencies08212025pm.xlsx",
        "participatingAgencies08222025pm.xlsx",
        "participatingAgencies08262025am.xlsx",
        "participatingAgencies08262025pm.xlsx",
    ]
    assert (pub["published"], pub["part"]) == ("2025-08-19", "pm")  # the earliest posting
    assert files == 458 + 64 + 3 and names == 505 + 64 + 3  # ICE's lists, the 64 sample MOAs, the 3 old lists


def test_every_layout_ice_used_is_read(built_db):
    with built_db.read() as conn:
        layouts = {p["layout"] for p in catalog.list_publications(conn)}
    assert layouts == {
        "html-table",
        "participating",
        "participating+county",
        "participating+county+addendum",
        "pending",
        "pending+county",
        "pending+county+moa",
        "old-ice-partners-page",  # the old lists of 2007-2009 (derived)
        "old-oig-2009-table",
        "old-ice-moa-index",
    }


def test_html_era_tables_are_marked_derived_with_their_provenance(built_db):
    with built_db.read() as conn:
        html = [p for p in catalog.list_publications(conn) if p["layout"] == "html-table"]
        repos = set(
            conn.execute(
                select(provenance.c.archive_repo).where(provenance.c.name.like("ParticipatingEntities-%"))
            ).scalars()
        )
    assert len(html) == 19
    assert all(p["derived"] and "derived" in p["flags"] and p["published_from"] == "archive-capture" for p in html)
    assert repos == {"RelevantResearch/287g-DetentionData"}


def test_moa_links_keep_cell_text_raw_target_and_unwrapped_ice_address(built_db):
    with built_db.read() as conn:
        rows = conn.execute(
            select(listing_row.c.raw_moa, listing_row.c.raw_moa_target, listing_row.c.moa_url)
            .where(listing_row.c.raw_moa_target.like("%safelinks%"))
            .limit(5)
        ).all()
    assert rows
    for text, target, url in rows:
        assert text.strip().lower().startswith("link")
        assert "safelinks.protection.outlook.com" in target
        assert url.startswith("https://www.ice.gov/")


def test_reingesting_the_unchanged_archive_changes_nothing(copy_of_built_db, archive_dir):
    db = connect(str(copy_of_built_db))
    with db.read() as conn:
        before = table_counts(conn)
    report = ingest_paths(db, [str(archive_dir)])
    with db.read() as conn:
        after = table_counts(conn)
    db.dispose()
    assert {r.status for r in report.results} == {"unchanged"}
    assert report.history is None
    assert before == after


def test_unchanged_files_still_report_their_rows(copy_of_built_db, archive_dir):
    db = connect(str(copy_of_built_db))
    report = ingest_paths(db, [str(archive_dir / "ice" / "pending" / "pendingAgencies01262026pm.xlsx")])
    db.dispose()
    result = report.results[0].as_json()
    assert result["status"] == "unchanged" and result["rows"] == 3 and result["kind"] == "pending"
    assert set(result) >= {"file", "sha256", "status", "kind", "published", "rows", "error"}
    json.dumps(result)
