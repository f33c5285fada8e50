"""Writing and reading what a PDF gave: ``document_read`` (one row per archived PDF) and its pages.

These two tables are kept by ``track287g rebuild``: they record how each page's text was obtained (the text
layer, or OCR by a named engine) and OCR cannot be redone for free. The PDF's bytes and every name and place
it was found under are in the archive's ``raw_file`` and ``provenance`` tables, like ICE's lists.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import Connection, delete, select

from track287g.documents.pages import PageText
from track287g.store.db import bulk_insert
from track287g.store.schema_documents import document_page, document_read

if TYPE_CHECKING:  # the reader loads PDFium: only a PDF read needs it, not every add that reads none
    from track287g.documents.reader import ReadResult


def write_read(conn: Connection, sha256: str, result: ReadResult, seconds: float | None, when: str) -> None:
    """Record (or replace) how a PDF was read, page by page."""
    conn.execute(delete(document_page).where(document_page.c.sha256 == sha256))
    conn.execute(delete(document_read).where(document_read.c.sha256 == sha256))
    sources = [p.source for p in result.pages]
    conn.execute(
        document_read.insert().values(
            sha256=sha256,
            pages=len(result.pages),
            text_source=result.text_source,
            pages_text_layer=sources.count("text-layer"),
            pages_ocr=sources.count("ocr"),
            pages_none=sources.count("none"),
            reader=result.reader,
            ocr_engine=result.ocr_engine,
            notes=json.dumps(result.notes),
            seconds=None if seconds is None else round(seconds, 3),
            read_at=when,
        )
    )
    rows = [
        (
            sha256,
            p.number,
            p.source,
            p.confidence,
            round(p.width, 1),
            round(p.height, 1),
            p.text,
            _segments(p),
            _segments(p.alternate) if p.alternate else None,
            p.alternate.confidence if p.alternate else None,
        )
        for p in result.pages
    ]
    bulk_insert(conn, document_page, rows)


def _segments(page: PageText) -> str:
    return json.dumps([s.as_row() for s in page.segments], separators=(",", ":"))


def read_shas(conn: Connection) -> set[str]:
    return set(conn.execute(select(document_read.c.sha256)).scalars())


def load_pages(conn: Connection, sha256: str) -> list[PageText]:
    rows = conn.execute(
        select(document_page).where(document_page.c.sha256 == sha256).order_by(document_page.c.page)
    ).mappings()
    out = []
    for r in rows:
        page = {k: r[k] for k in ("page", "width", "height", "source", "confidence")}
        alternate = None
        if r["ocr_segments"]:
            alternate = {
                **page,
                "source": "ocr",
                "confidence": r["ocr_confidence"],
                "segments": json.loads(r["ocr_segments"]),
            }
        out.append(PageText.from_json({**page, "segments": json.loads(r["segments"]), "alternate": alternate}))
    return out
