"""A new data version keeps the years of the listings whose rows did not change (linked from the version before)
and writes the others; what it holds is byte for byte what writing every file again would give."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from track287g.pipeline import ingest_paths
from track287g.publish import downloads
from track287g.store import connect
from track287g.store.version import data_version

from .conftest import PARTICIPATING, copy_db

BASE = [f"participatingAgencies{d}.xlsx" for d in ("12012025am", "12022025pm", "12032025am", "01052026pm")]
NEW = "participatingAgencies01072026am.xlsx"


def _manifest(root: Path, version: str) -> dict[str, dict]:
    files = json.loads((root / version / "manifest.json").read_text())["files"]
    return {f["name"]: f for f in files}


def _write(path: Path, root: Path, version: str | None = None) -> str:
    db = connect(str(path), create=False)
    try:
        if version is None:
            with db.read() as conn:
                version = data_version(conn)
        assert downloads.write(db, version, root)["written"]
    finally:
        db.dispose()
    return version


@pytest.fixture(scope="module")
def before_and_after(tmp_path_factory) -> tuple[Path, Path]:
    """Four lists of December 2025 and January 2026, then the same with the next list of January added."""
    assert PARTICIPATING is not None
    root = tmp_path_factory.mktemp("kept")
    (root / "base").mkdir()
    for name in BASE:
        shutil.copy2(PARTICIPATING / name, root / "base" / name)
    before = root / "before.db"
    db = connect(str(before))
    assert ingest_paths(db, [str(root / "base")]).ok
    db.dispose()
    after = copy_db(before, root / "after.db")
    db = connect(str(after), create=False)
    assert ingest_paths(db, [str(PARTICIPATING / NEW)]).ok
    db.dispose()
    return before, after


def test_a_new_list_keeps_the_years_it_left_unchanged_and_every_file_equals_a_full_write(before_and_after, tmp_path):
    before, after = before_and_after
    root = tmp_path / "exports"
    first = _write(before, root)
    second = _write(after, root)
    assert first != second
    made = _manifest(root, second)
    assert made["listings-2025.csv.gz"]["kept"] and made["listings-2025.parquet"]["kept"]
    assert not made["listings-2026.csv.gz"]["kept"] and not made["listings-2026.parquet"]["kept"]
    kept = root / second / "listings-2025.parquet"
    assert kept.stat().st_ino == (root / first / "listings-2025.parquet").stat().st_ino  # linked, not copied
    fresh = tmp_path / "fresh"
    _write(after, fresh)
    again = _manifest(fresh, second)
    assert made.keys() == again.keys()
    for name, entry in made.items():
        assert (root / second / name).read_bytes() == (fresh / second / name).read_bytes(), name
        assert entry.get("inputs") == again[name].get("inputs")
        assert not again[name].get("kept")
    assert (root / second / "datapackage.json").read_bytes() == (fresh / second / "datapackage.json").read_bytes()


def test_a_year_whose_rows_changed_agreement_is_written_again(before_and_after, tmp_path):
    before, _ = before_and_after
    root = tmp_path / "exports"
    changed = copy_db(before, tmp_path / "changed.db")
    _write(changed, root, "0000000000000001")
    with sqlite3.connect(changed) as conn:  # a later list gave one row printed in 2025 only another agreement
        (row_id,) = conn.execute(
            "SELECT l.row_id FROM listing l JOIN publication p ON p.pub_id = l.pub_id "
            "JOIN row_agreement ra ON ra.row_id = l.row_id WHERE p.published LIKE '2025-%' AND l.row_id NOT IN "
            "(SELECT row_id FROM listing JOIN publication USING (pub_id) WHERE published LIKE '2026-%') LIMIT 1"
        ).fetchone()
        conn.execute("UPDATE row_agreement SET agreement_id = 'renamed-agreement' WHERE row_id = ?", (row_id,))
    _write(changed, root, "0000000000000002")
    made = _manifest(root, "0000000000000002")
    assert not made["listings-2025.csv.gz"]["kept"] and made["listings-2026.csv.gz"]["kept"]
    import gzip

    with gzip.open(root / "0000000000000002" / "listings-2025.csv.gz", "rt", encoding="utf-8") as fh:
        assert "renamed-agreement" in fh.read()


def test_a_year_missing_from_the_version_before_is_written(before_and_after, tmp_path):
    before, after = before_and_after
    root = tmp_path / "exports"
    first = _write(before, root)
    (root / first / "listings-2025.csv.gz").unlink()  # damaged by hand: the year cannot be linked whole
    second = _write(after, root)
    made = _manifest(root, second)
    assert not made["listings-2025.csv.gz"]["kept"] and not made["listings-2025.parquet"]["kept"]
    assert (root / second / "listings-2025.csv.gz").stat().st_size == made["listings-2025.csv.gz"]["bytes"]


def test_a_year_of_more_rows_than_a_file_should_hold_is_one_file_per_month(before_and_after, tmp_path):
    import pyarrow.parquet as pq

    from track287g.publish import export

    _, after = before_and_after
    db = connect(str(after), create=False)
    try:
        with db.read() as conn:  # December 2025's three lists print 4,000-odd rows: over a limit of 1,000
            small = export.write_table(conn, "listings", {"parquet": tmp_path / "listings.parquet"}, max_part_rows=1000)
            made_of = export.part_inputs(conn, "listings", max_part_rows=1000)
            (tmp_path / "whole").mkdir()
            whole = export.write_table(conn, "listings", {"parquet": tmp_path / "whole" / "listings.parquet"})
            rows = conn.exec_driver_sql("SELECT count(*) FROM listing").scalar()
    finally:
        db.dispose()
    assert [p.name for p in small["parquet"]] == ["listings-2025-12.parquet", "listings-2026-01.parquet"]
    assert list(made_of) == ["listings-2025-12", "listings-2026-01"]
    assert [p.name for p in whole["parquet"]] == ["listings-2025.parquet", "listings-2026.parquet"]
    assert sum(pq.read_table(p).num_rows for p in small["parquet"]) == rows
    months = {
        str(d)[:7] for p in small["parquet"] for d in pq.read_table(p, columns=["published"]).column(0).to_pylist()
    }
    assert months == {"2025-12", "2026-01"}
