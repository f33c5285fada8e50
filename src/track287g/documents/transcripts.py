"""OCR transcripts kept beside archived PDFs, so a fresh build does not repeat minutes of OCR.

``OCR-TRANSCRIPTS.jsonl`` in a folder of PDFs holds one line per OCR'd page, for the PDF with that sha256:
the page's words with their boxes and confidence and the engine that read them (a page without a text layer,
or a signature page OCR'd beside its text layer). ``track287g documents
--export-transcripts FILE`` writes it from a database; ingest takes a page from it instead of running OCR
when the sha256 and page match, and records that the text came from a transcript and which engine made it.
The PDF's own text layer is always read afresh.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Connection, select

from track287g.documents.pages import PageText
from track287g.store.schema import provenance
from track287g.store.schema_documents import document_page, document_read

TRANSCRIPTS_NAME = "OCR-TRANSCRIPTS.jsonl"


class Transcripts:
    """The transcripts found beside the PDFs being ingested: sha256 -> page -> text, and the engine."""

    def __init__(self) -> None:
        self.pages: dict[str, dict[int, PageText]] = {}
        self.engines: dict[str, str] = {}
        self._folders: set[Path] = set()

    def add_folder(self, folder: Path) -> None:
        folder = folder.resolve()
        if folder in self._folders:
            return
        self._folders.add(folder)
        path = folder / TRANSCRIPTS_NAME
        if not path.is_file():
            return
        try:
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    if not line.strip():
                        continue
                    row = json.loads(line)
                    page = PageText.from_json({**row, "source": "ocr"})
                    self.pages.setdefault(row["sha256"], {})[row["page"]] = page
                    self.engines[row["sha256"]] = row.get("engine") or "unknown engine"
        except (OSError, ValueError, KeyError, TypeError):
            return  # a damaged transcript file is ignored: the pages are OCR'd instead

    def for_file(self, sha256: str) -> dict[int, PageText]:
        return self.pages.get(sha256, {})


def export_transcripts(conn: Connection, path: Path) -> int:
    """Write every OCR'd page of every archived PDF as a transcript line; the number of pages written."""
    names: dict[str, str] = {}
    for sha, name in conn.execute(select(provenance.c.sha256, provenance.c.name).order_by(provenance.c.id)):
        names.setdefault(sha, name)
    rows = conn.execute(
        select(document_page, document_read.c.ocr_engine)
        .join(document_read, document_read.c.sha256 == document_page.c.sha256)
        .where((document_page.c.source == "ocr") | document_page.c.ocr_segments.is_not(None))
        .order_by(document_page.c.sha256, document_page.c.page)
    ).mappings()
    count = 0
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            alternate = r["source"] != "ocr"
            segments = json.loads(r["ocr_segments"] if alternate else r["segments"])
            line = {
                "sha256": r["sha256"],
                "file": names.get(r["sha256"]),
                "page": r["page"],
                "engine": (r["ocr_engine"] or "").removesuffix(" (transcript)"),
                "confidence": r["ocr_confidence"] if alternate else r["confidence"],
                "width": r["width"],
                "height": r["height"],
                "segments": [s for s in segments if s[6] == "o"],  # form fields are read afresh from the PDF
            }
            fh.write(json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n")
            count += 1
    return count
