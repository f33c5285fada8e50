"""The same code on PostgreSQL: a private cluster on loopback, started by the test (initdb + pg_ctl)."""

from __future__ import annotations

from sqlalchemy import text

from tests.conftest import PARTICIPATING, PENDING, wipe_postgres
from track287g.history import queries
from track287g.pipeline import ingest_paths
from track287g.publish import export
from track287g.store import connect
from track287g.store.db import table_counts
from track287g.store.sql import is_plain
from track287g.web import lookups


def test_ingest_history_and_queries_run_unchanged_on_postgresql(pg_url, tmp_path):
    wipe_postgres(pg_url)
    db = connect(pg_url)
    files = [str(PENDING)] + [
        str(PARTICIPATING / n)
        for n in (
            "participatingAgencies01262026pm.xlsx",
            "participatingAgencies01272026am.xlsx",
            "participatingAgencies02272026am.xlsx",
        )
    ]
    report = ingest_paths(db, files)
    assert report.ok and report.history["agreements"] > 1000
    with db.read() as conn:
        result = queries.as_of(conn, "2026-01-26")
        view = queries.agency_view(conn, queries.find_agency(conn, "marco island  police department"))
        before = table_counts(conn)
    assert (result["agreements"], result["models"]["TFM"]) == (1372, 764)
    assert view["agency_id"] == "FL-marco-island-police-department"
    with db.quick_read() as conn:  # the web's read for one agency: SQLAlchemy's own on PostgreSQL
        assert not is_plain(conn)
        page = lookups.agency_page(conn, "FL-marco-island-police-department")
    assert page["agreements"] == view["agreements"]
    with db.read() as conn:  # a list's agreements from the rows the web keeps, as the joined SQL gives them
        sha = result["publication"]["sha256"]
        kept = queries.listed_agreements(conn, sha, printed=queries.printed_rows(conn))
        assert kept == queries.listed_agreements(conn, sha) and len(kept) == 1372
    with db.read() as conn:  # each state's agreements on every list, counted from the lists' differences
        timelines = lookups.state_timelines(conn)
        florida = queries.as_of(conn, "2026-01-26", state="FL")["agreements"]
    assert [(p["date"], p["part"]) for p in timelines["FL"]] == [
        ("2026-01-26", "pm"),
        ("2026-01-27", "am"),
        ("2026-02-27", "am"),
    ]
    assert timelines["FL"][0]["total"] == florida
    with db.read() as conn:  # the listings' files, one a year, and what each is made of (to keep it unchanged)
        made_of = export.part_inputs(conn, "listings")
        written = export.write_table(conn, "listings", {"parquet": tmp_path / "listings.parquet"})
    assert list(made_of) == ["listings-2025", "listings-2026"]
    assert [p.name for p in written["parquet"]] == ["listings-2025.parquet", "listings-2026.parquet"]
    again = ingest_paths(db, files)
    with db.read() as conn:
        assert table_counts(conn) == before
    assert {r.status for r in again.results} == {"unchanged"}
    newer = ingest_paths(db, [str(PARTICIPATING / "participatingAgencies02172026pm.xlsx")])  # counted alone
    assert newer.ok
    with db.read() as conn:
        latest = queries.as_of(conn, "2026-02-17")
        listed = conn.execute(
            text("SELECT agreements FROM publication_count WHERE sha256 = :s AND model = '*'"),
            {"s": latest["publication"]["sha256"]},
        ).scalar()
        uncounted = conn.execute(  # every participating list of the history has its counts
            text(
                "SELECT count(*) FROM publication p WHERE kind = 'participating' AND seq IS NOT NULL "
                "AND NOT EXISTS (SELECT 1 FROM publication_count c WHERE c.sha256 = p.sha256 AND c.model = '*')"
            )
        ).scalar()
    assert listed == latest["agreements"] and uncounted == 0
    db.dispose()
