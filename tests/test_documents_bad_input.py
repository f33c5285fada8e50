"""Hostile PDFs: each is one clear line, kept in the quarantine, bounded in time and memory, and changes nothing
already stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.helpers import run_cli
from tests.pdfs import (
    content_bomb_pdf,
    encrypted_pdf,
    huge_image_pdf,
    many_pages_pdf,
    one_page,
    sample,
)
from track287g.documents.limits import Limits
from track287g.documents.worker import read_one
from track287g.pipeline import ingest_paths
from track287g.store.schema import provenance, quarantine, raw_file
from track287g.store.schema_documents import document_page, document_read

GOOD = "287gJEM_CalhounCoTX_03-13-2020.pdf"  # every page has a good text layer: no OCR needed


def _counts(db) -> dict:
    with db.read() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (raw_file, provenance, document_read, document_page)}  # fmt: skip


@pytest.fixture(scope="module")
def db_with_one_moa(tmp_path_factory):
    from track287g.store import connect

    folder = tmp_path_factory.mktemp("one-moa")
    db = connect(str(folder / "docs.db"))
    (folder / GOOD).write_bytes(sample(GOOD))
    report = ingest_paths(db, [str(folder / GOOD)])
    assert [r.status for r in report.results] == ["stored"]
    yield db
    db.dispose()


CASES = {
    "not-a-pdf.pdf": (
        lambda: b"<!DOCTYPE html><html><body>Page Not Found</body></html>",
        "not a PDF: it is an HTML page",
    ),
    "truncated.pdf": (lambda: sample(GOOD)[:200_000], "truncated PDF: no end-of-file marker"),
    "locked.pdf": (encrypted_pdf, "encrypted PDF: it needs a password to open"),
    "five-thousand-pages.pdf": (lambda: many_pages_pdf(5000), "PDF has 5,000 pages, over the limit of 500"),
    "image-bomb.pdf": (huge_image_pdf, "holds an image of 60,000 x 60,000 pixels"),
    "empty.pdf": (lambda: b"", "empty file (0 bytes)"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_pdf_is_one_line_quarantined_and_changes_nothing_stored(db_with_one_moa, tmp_path, name):
    make, expected = CASES[name]
    path = tmp_path / name
    path.write_bytes(make())
    before = _counts(db_with_one_moa)
    report = ingest_paths(db_with_one_moa, [str(path)])
    (result,) = report.results
    assert result.status == "rejected"
    assert expected in result.error and "\n" not in result.error
    assert _counts(db_with_one_moa) == before
    with db_with_one_moa.read() as conn:
        reasons = list(conn.execute(select(quarantine.c.reason).where(quarantine.c.name == name)).scalars())
    assert reasons == [result.error]


def test_a_content_stream_that_inflates_past_the_memory_limit_stops_the_reader_not_the_machine():
    data = content_bomb_pdf(48)  # 48 MB of tiny paths: far more than 128 MB once PDFium has parsed them
    outcome = read_one(data, Limits(memory_mb=128, ocr=False))
    assert outcome.result is None
    assert outcome.error.startswith("the PDF reader stopped on page 1")
    assert "128 MB" in outcome.error


def test_ocr_that_runs_too_long_is_stopped_and_named():
    scanned = one_page("MiamiDadeCoFL_WSO_MOA_02.26.2025.pdf", 7)  # a scanned page: no text layer
    outcome = read_one(scanned, Limits(ocr_page_seconds=0.2))
    assert outcome.result is None
    assert outcome.error == "OCR of page 1 took longer than 0.2 s: stopped"


def test_a_reader_past_its_deadline_is_killed():
    outcome = read_one(sample("CarrollCo_WSO_MOA_03.03.25.pdf"), Limits(seconds=0.05, ocr=False))
    assert outcome.result is None
    assert "took longer than 0.05 s: stopped" in outcome.error


def test_the_command_line_prints_one_line_per_bad_pdf_and_exits_1(tmp_path, db_with_one_moa):
    bad = tmp_path / "moa.pdf"
    bad.write_bytes(b"<html><body>Access Denied</body></html>")
    proc = run_cli("ingest", str(bad), db=db_with_one_moa.location)
    assert proc.returncode == 1
    assert f"rejected {bad}: not a PDF: it is an HTML page" in proc.stderr.replace("\n", " ") + proc.stdout
    quarantined = run_cli("quarantine", db=db_with_one_moa.location, check=True)
    assert "moa.pdf" in quarantined.stdout and "not a PDF" in quarantined.stdout
