"""Bad input: one clear line per file, non-zero exit, good files of the same run stored, rejected bytes kept
in quarantine, nothing already stored changed."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from tests.conftest import PARTICIPATING, PENDING
from tests.helpers import json_lines, run_cli, workbook, zip_bomb
from track287g.parse import RejectedFile, read_publication
from track287g.store import connect
from track287g.store.db import table_counts
from track287g.store.schema import quarantine

GOOD = PENDING / "pendingAgencies01262026pm.xlsx"
REAL = PARTICIPATING / "participatingAgencies01262026pm.xlsx"
PENDING_HEADERS = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "MOA"]


def _bad_files(folder) -> dict[str, str]:
    """Write one file per kind of bad input; map file name -> words its error must contain."""
    cases = {
        "notes.xlsx": (b"these are not the droids", "not an .xlsx workbook"),
        "error-page.xlsx": (b"<!DOCTYPE html><html><body>Access Denied</body></html>", "HTML page"),
        "empty.xlsx": (b"", "empty file"),
        "truncated.xlsx": (REAL.read_bytes()[:40_000], "corrupt or truncated"),
        "bomb.xlsx": (zip_bomb(GOOD.read_bytes()), "zip bomb"),
        "no-header.xlsx": (workbook([["hello", "world"], [1, 2]]), "no header row"),
        "odd-headers.xlsx": (
            workbook([["STATE", "LAW ENFORCEMENT AGENCY", "FAVORITE COLOR"], ["TX", "X", "red"]]),
            "unknown layout",
        ),
    }
    for name, (data, _) in cases.items():
        (folder / name).write_bytes(data)
    return {name: words for name, (_, words) in cases.items()}


def test_each_bad_file_gets_one_clear_line_and_good_files_are_still_stored(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    expected = _bad_files(folder)
    shutil.copy(GOOD, folder / GOOD.name)
    db_path = tmp_path / "t.db"
    proc = run_cli("ingest", str(folder), "--json", db=db_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    results = {r["file"].rsplit("/", 1)[-1]: r for r in json_lines(proc.stdout)}
    assert results[GOOD.name]["status"] == "stored"
    for name, words in expected.items():
        assert results[name]["status"] == "rejected", name
        assert words in results[name]["error"], (name, results[name]["error"])
    human = run_cli("ingest", str(folder), db=tmp_path / "human.db")
    lines = [ln for ln in human.stderr.splitlines() if ln.startswith("rejected")]
    assert len(lines) == len(expected)
    assert all(any(name in ln for ln in lines) for name in expected)


def test_rejected_bytes_are_kept_in_quarantine_and_the_same_rejection_twice_is_one_row(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    expected = _bad_files(folder)
    db_path = tmp_path / "t.db"
    run_cli("ingest", str(folder), db=db_path)
    run_cli("ingest", str(folder), db=db_path)
    db = connect(str(db_path))
    with db.read() as conn:
        rows = conn.execute(select(quarantine.c.name, quarantine.c.content, quarantine.c.size)).all()
    db.dispose()
    assert sorted(r.name for r in rows) == sorted(expected)
    for r in rows:
        assert r.content is not None and len(r.content) == r.size


def test_nothing_already_stored_changes_when_bad_files_arrive(copy_of_built_db, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _bad_files(folder)
    db = connect(str(copy_of_built_db))
    with db.read() as conn:
        before = {k: v for k, v in table_counts(conn).items() if k != "quarantine"}
    db.dispose()
    proc = run_cli("ingest", str(folder), db=copy_of_built_db)
    assert proc.returncode == 1
    db = connect(str(copy_of_built_db))
    with db.read() as conn:
        after = {k: v for k, v in table_counts(conn).items() if k != "quarantine"}
    db.dispose()
    assert before == after


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    proc = run_cli("ingest", str(REAL), "--max-bytes", "1000", "--json", db=tmp_path / "t.db")
    (result,) = json_lines(proc.stdout)
    assert proc.returncode == 1 and result["status"] == "rejected"
    assert "over the size limit of 1,000 bytes" in result["error"]


def test_a_list_with_headers_and_no_rows_is_a_publication_not_an_error(tmp_path):
    path = tmp_path / "pendingAgencies01012026am.xlsx"
    path.write_bytes(workbook([PENDING_HEADERS]))
    proc = run_cli("ingest", str(path), "--json", db=tmp_path / "t.db")
    (result,) = json_lines(proc.stdout)
    assert proc.returncode == 0
    assert (result["status"], result["kind"], result["rows"]) == ("stored", "pending", 0)


def test_content_decides_the_kind_and_a_misleading_name_is_flagged(tmp_path):
    path = tmp_path / "pendingAgencies01262026pm.xlsx"
    shutil.copy(REAL, path)  # a participating list under a pending list's name
    proc = run_cli("ingest", str(path), "--json", "--max-bytes", "10000000", db=tmp_path / "t.db")
    (result,) = json_lines(proc.stdout)
    assert result["kind"] == "participating" and result["rows"] == 1372
    assert "name-says-pending" in result["flags"]


def test_unknown_headers_name_the_headers_found():
    data = workbook([["STATE", "LAW ENFORCEMENT AGENCY", "FAVORITE COLOR"], ["TX", "X", "red"]])
    with pytest.raises(RejectedFile) as exc:
        read_publication(data)
    assert "FAVORITE COLOR" in exc.value.reason and "LAW ENFORCEMENT AGENCY" in exc.value.reason


def test_headers_are_recognized_whatever_their_spacing_and_case():
    data = workbook(
        [
            [" state ", "Law  Enforcement\u00a0Agency", "type", "County ", "support type"],
            ["TEXAS", "Real County Sheriff's Office", "County", "Real County", "Warrant Service Officer"],
        ]
    )
    parsed = read_publication(data)
    assert parsed.layout.name == "pending+county" and len(parsed.rows) == 1


def test_data_under_a_blank_header_is_refused_not_dropped():
    data = workbook([[*PENDING_HEADERS[:5], None], ["TEXAS", "A", "County", "B", "Task Force Model", "surprise"]])
    with pytest.raises(RejectedFile, match="no header"):
        read_publication(data)
