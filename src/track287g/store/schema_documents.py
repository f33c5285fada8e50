"""Tables of the documents stage: the signed agreements (MOA and addendum PDFs) beside ICE's lists.

A PDF's bytes go into the archive's own ``raw_file`` and ``provenance`` tables, like a list. What reading it
gave (``document_read``, ``document_page``) is kept across rebuilds like the archive: OCR takes seconds a page
and its result depends on the engine that ran, so it is recorded once, with the engine, and redone only on
request (``track287g documents --reread``). Everything else here is derived from those pages and the history,
and recreated by every rebuild. Registered on the shared ``metadata`` when ``track287g.store.db`` (or
``track287g.store.metadata``) is imported.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, Table, Text

from track287g.store.schema import ARCHIVE_TABLES, metadata

# --- kept: how each archived PDF was read -----------------------------------------------------------------

document_read = Table(
    "document_read",
    metadata,
    Column("sha256", Text, ForeignKey("raw_file.sha256"), primary_key=True),
    Column("pages", Integer, nullable=False),
    Column("text_source", Text, nullable=False),  # text-layer | ocr (some page needed OCR) | none
    Column("pages_text_layer", Integer, nullable=False),
    Column("pages_ocr", Integer, nullable=False),
    Column("pages_none", Integer, nullable=False),
    Column("reader", Text, nullable=False),  # e.g. pypdfium2 5.15.2
    Column("ocr_engine", Text),  # e.g. tesseract 5.3.0; "transcript: ..." when taken from a bundled transcript
    Column("notes", Text, nullable=False),  # JSON list
    Column("seconds", Float),  # how long reading took (OCR included)
    Column("read_at", Text, nullable=False),
)

document_page = Table(
    "document_page",
    metadata,
    Column("sha256", Text, ForeignKey("document_read.sha256"), primary_key=True),
    Column("page", Integer, primary_key=True),  # 1-based
    Column("source", Text, nullable=False),  # text-layer | ocr | none
    Column("confidence", Float),  # OCR: mean word confidence 0-1
    Column("width", Float, nullable=False),  # points
    Column("height", Float, nullable=False),
    Column("text", Text, nullable=False),  # the page's lines, top to bottom
    Column("segments", Text, nullable=False),  # JSON [[text, x0, y0, x1, y1, conf, src], ...]
    # a signature page with a good text layer is OCR'd too (typed names and stamps on a scan are often missing
    # from its text layer): that OCR, kept beside it for reading the signature blocks
    Column("ocr_segments", Text),
    Column("ocr_confidence", Float),
)

ARCHIVE_TABLES |= {"document_read", "document_page"}

# --- derived: what each document says, and which agreement it belongs to ------------------------------------

document = Table(
    "document",
    metadata,
    Column("sha256", Text, ForeignKey("document_read.sha256"), primary_key=True),
    Column("kind", Text),  # moa | addendum | None (not recognised)
    Column("models", Text, nullable=False),  # JSON list of JEM / TFM / WSO
    Column("state", Text),
    Column("agency", Text),
    Column("signed_ice", Text),
    Column("signed_agency", Text),
    Column("field_office", Text),
    Column("agreement_id", Text, index=True),  # the agreement it is linked to (best link), or None
    Column("link_rule", Text),
)

document_field = Table(
    "document_field",
    metadata,
    # one extracted value: the value, the text it was read from, where, how sure, by which rule
    Column("sha256", Text, ForeignKey("document.sha256"), primary_key=True),
    Column("field", Text, primary_key=True),
    Column("value", Text, nullable=False),
    Column("raw", Text, nullable=False),
    Column("page", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("rule", Text, nullable=False),
)

document_signer = Table(
    "document_signer",
    metadata,
    Column("sha256", Text, ForeignKey("document.sha256"), primary_key=True),
    Column("block", Integer, primary_key=True),  # signature blocks in page order: 1 = the document's own
    Column("party", Text, primary_key=True),  # ice | agency
    Column("name", Text),
    Column("title", Text),
    Column("signed", Text),  # ISO date
    Column("raw", Text, nullable=False),
    Column("page", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
)

document_link = Table(
    "document_link",
    metadata,
    Column("sha256", Text, ForeignKey("document.sha256"), primary_key=True),
    Column("agreement_id", Text, primary_key=True),
    Column("rule", Text, nullable=False),  # list-link-url | list-link-name | agency-model-date | agency-model
    Column("via", Text, nullable=False),  # moa | addendum (the list column that links it) | none
    Column("detail", Text, nullable=False),
)

document_check = Table(
    "document_check",
    metadata,
    # an agreement's SIGNED date as ICE prints it against the dates its MOA was signed
    Column("agreement_id", Text, primary_key=True),
    Column("sha256", Text, primary_key=True),
    Column("ice_signed", Text),  # ICE's SIGNED (as last printed, repaired)
    Column("moa_signed_ice", Text),
    Column("moa_signed_agency", Text),
    Column("result", Text, nullable=False),  # matches | differs | unknown
    Column("days", Integer),  # ICE's date minus the nearest MOA date
    Column("note", Text, nullable=False),
)
