"""Documents: the signed agreements (MOA and addendum PDFs) ICE's lists link, read and made searchable.

A stage beside ``parse``: PDFs enter the archive like the lists (bytes by sha256, every name and address),
are read page by page (the text layer with PDFium, OCR with Tesseract where a page has none or a garbled one,
in reader processes bounded in time and memory), and their fields extracted with the text each was read from.
After the history, each document is linked to its agreement and its signature dates checked against ICE's
SIGNED date.

- ``ingest_files`` / ``ingest_document_bytes``: archive and read PDFs (``pipeline`` and the watcher call them);
- ``build_documents``: extract, link, check and index every archived document (part of every build);
- ``list_documents``, ``find_document``, ``coverage``, ``document_bytes``: what the CLI, API and web show.

The modules load on first use: an add that links the documents already read needs neither the queries nor the
extraction (their import was 81 million instructions of every add).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from track287g import lazy

if TYPE_CHECKING:
    from track287g.documents.limits import Limits, limits_from_env
    from track287g.documents.queries import (
        DocumentError,
        agreement_documents,
        coverage,
        document_bytes,
        find_document,
        list_documents,
    )
    from track287g.documents.stage import build_documents

_HOMES = {
    "limits": ("Limits", "limits_from_env"),
    "queries": (
        "DocumentError",
        "agreement_documents",
        "coverage",
        "document_bytes",
        "find_document",
        "list_documents",
    ),
    "stage": ("build_documents",),
}

__all__ = [
    "DocumentError",
    "Limits",
    "agreement_documents",
    "build_documents",
    "coverage",
    "document_bytes",
    "find_document",
    "limits_from_env",
    "list_documents",
]


__getattr__ = lazy.exports(__name__, _HOMES)
