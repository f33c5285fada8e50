"""Exports of the record: CSV, compressed CSV, Parquet, XLSX or JSON, one file per table, plus a ``datapackage.json``.

Tables (``TABLES``): ``publications``, ``agencies``, ``agreements``, ``pending`` (applications),
``listings`` (every row of every publication, ICE's raw values beside the normalized ones), ``events``,
``state_laws`` (each researched state's law on 287(g)), and the signed agreements: ``documents`` (one row per
archived MOA) and ``document_fields`` (every value read from them).
The ``datapackage.json`` (Frictionless Data Package) describes every column and gives each file's size and
sha256. Exports are deterministic: rows are sorted by their key, nothing carries a timestamp of the export,
and the XLSX workbooks have fixed metadata, so the same database always yields byte-identical files.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from track287g.config import VERSION as __version__
from track287g.config import files_digest
from track287g.errors import Track287gError
from track287g.publish.formats import (
    BATCH_ROWS,
    FORMATS,
    MEDIATYPES,
    STREAMED,
    WRITERS,
    Column,
    TableSpec,
    arrow_array,
    arrow_schema,
    record_batches,
    write_streamed,
)


class ExportError(Track287gError):
    """An export that cannot be made as asked (unknown format or table, unwritable folder)."""


_PUB_DATE = "the date ICE published the list (see published_from)"
PART_ROWS = 250_000  # a year of lists printing more rows is written one file per month (each under 25 MB)
_PART = re.compile(r"[0-9]{4}(-[0-9]{2})?")

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            "publications",
            "Publications",
            "One row per distinct file ICE published (participating or pending list), identified by its sha256.",
            ("sha256",),
            "publication p LEFT JOIN publication_count c ON c.sha256 = p.sha256 AND c.model = '*'",
            "p.kind, p.seq, p.sha256",
            (
                Column("sha256", "string", "SHA-256 of the file's bytes: the publication's identity", "p.sha256"),
                Column("kind", "string", "participating or pending", "p.kind"),
                Column("seq", "integer", "position among publications of its kind, 1 = oldest", "p.seq"),
                Column("published", "date", _PUB_DATE, "p.published"),
                Column("part", "string", "time of day in ICE's file name: am, mid, pm or empty", "p.part"),
                Column("published_from", "string", "which source decided the date", "p.published_from"),
                Column("published_note", "string", "why that date", "p.published_note"),
                Column(
                    "names",
                    "string",
                    "file names the bytes were published under, '; '-separated",
                    "NULL",  # filled in Python (see _fill): string aggregation differs between SQL dialects
                ),
                Column("derived", "boolean", "true for HTML-era tables extracted by a third party", "p.derived"),
                Column("layout", "string", "the column layout detected from the header row", "p.layout"),
                Column("rows", "integer", "rows printed in the list", "p.rows"),
                Column(
                    "agencies", "integer", "distinct agencies listed (participating lists)", "COALESCE(c.agencies, 0)"
                ),
                Column(
                    "agreements",
                    "integer",
                    "distinct agreements listed (participating) or applications (pending)",
                    "COALESCE(c.agreements, 0)",
                ),
                Column("workbook_created", "string", "creation time stored in the workbook", "p.workbook_created"),
                Column("workbook_modified", "string", "last-saved time stored in the workbook", "p.workbook_modified"),
                Column("captured_at", "string", "web-archive capture or archiver's first sighting", "p.captured_at"),
                Column("flags", "string", "JSON list of flags (e.g. stamp-repaired)", "p.flags"),
            ),
        ),
        TableSpec(
            "agencies",
            "Agencies",
            "One law-enforcement body in one state, resolved across ICE's spellings, with what the FBI's rosters "
            "say of it (ORI, officers, population served, place) when it was matched.",
            ("agency_id",),
            "agency a LEFT JOIN agency_match m ON m.agency_id = a.agency_id "
            "LEFT JOIN roster_agency r ON r.ori = m.ori LEFT JOIN county co ON co.fips = m.county_fips",
            "a.agency_id",
            (
                Column("agency_id", "string", "stable id: state + canonical name", "a.agency_id"),
                Column("state", "string", "USPS code", "a.state"),
                Column("name", "string", "display name: ICE's most recent spelling, cleaned", "a.name"),
                Column("kind", "string", "class read from the name: sheriff, police, corrections, ...", "a.kind"),
                Column(
                    "agency_type",
                    "string",
                    "ICE's TYPE column, most recent: county, municipal or state",
                    "a.agency_type",
                ),
                Column("county", "string", "ICE's COUNTY column, most recent", "a.county"),
                Column("first_listed", "date", "first publication listing the agency", "a.first_listed"),
                Column("last_listed", "date", "last publication listing the agency", "a.last_listed"),
                Column("status", "string", "active, removed, transferred, pending or withdrawn", "a.status"),
                Column(
                    "provisional",
                    "boolean",
                    "removed, but from the latest lists only: ICE may list it again (see the agreements)",
                    "a.provisional",
                ),
                Column(
                    "spellings",
                    "integer",
                    "how many distinct spellings ICE printed",
                    "(SELECT count(*) FROM agency_spelling s WHERE s.agency_id = a.agency_id)",
                ),
                Column("ori", "string", "the FBI's Originating Agency Identifier (empty: none matched)", "m.ori"),
                Column(
                    "match_method",
                    "string",
                    "how the ORI was found: exact, county-sheriff, manual, ...; none or review: no ORI",
                    "m.method",
                ),
                Column("match_score", "number", "name similarity (0-100) of the roster agency chosen", "m.score"),
                Column("roster_name", "string", "the agency's name in the FBI roster", "r.name"),
                Column(
                    "county_fips",
                    "string",
                    "5-digit FIPS code of the agency's county (empty: statewide)",
                    "m.county_fips",
                ),
                Column("county_name", "string", "that county's name (Census Bureau)", "co.name"),
                Column(
                    "county_rule",
                    "string",
                    "how the county was found: agency-name, ice-county, roster, ...",
                    "m.county_rule",
                ),
                Column("sworn_officers", "integer", "sworn officers (FBI Law Enforcement Employees roster)", "r.sworn"),
                Column("civilians", "integer", "civilian employees (same roster)", "r.civilians"),
                Column("population_served", "integer", "population the agency serves (same roster)", "r.population"),
                Column("roster_year", "integer", "the year of those counts", "r.data_year"),
                Column("latitude", "number", "the agency's latitude (FBI roster)", "r.latitude"),
                Column("longitude", "number", "the agency's longitude (FBI roster)", "r.longitude"),
            ),
        ),
        TableSpec(
            "agreements",
            "Agreements",
            "One signed instrument: agency + support model + signing date, with its lifecycle.",
            ("agreement_id",),
            "agreement",
            "agreement_id",
            (
                Column("agreement_id", "string", "stable id: agency id # model # signing date when first listed"),
                Column("agency_id", "string", "the agency (agencies.agency_id)"),
                Column("state", "string", "USPS code"),
                Column("model", "string", "JEM (Jail Enforcement), TFM (Task Force) or WSO (Warrant Service Officer)"),
                Column("signed", "date", "signing date as ICE last printed it (after re-dating)"),
                Column(
                    "signed_probable",
                    "date",
                    "the date ICE probably meant when its signing date is a year typo (a year before the first "
                    "list printing the agreement); empty otherwise",
                ),
                Column("status", "string", "active, removed or superseded"),
                Column("first_listed", "date", "first publication listing it"),
                Column("last_listed", "date", "last publication listing it"),
                Column("first_sha256", "string", "first publication listing it (sha256)"),
                Column("last_sha256", "string", "last publication listing it (sha256)"),
                Column("removed_after", "date", "removal window start: last list that had it"),
                Column("removed_by", "date", "removal window end: first list without it"),
                Column(
                    "provisional",
                    "boolean",
                    "its removal is provisional: left out of the latest lists only, ICE may list it again",
                ),
                Column("superseded_by", "string", "the agreement that replaced it (renewal or model switch)"),
                Column("moa_url", "string", "address of the Memorandum of Agreement (safelinks unwrapped)"),
                Column("addendum_url", "string", "address of the addendum"),
                Column("html_era", "boolean", "first seen in the 2021-2025 HTML tables"),
                Column("listings", "integer", "how many publication rows list it"),
            ),
        ),
        TableSpec(
            "pending",
            "Pending applications",
            "One application (agency + model) while it stood on ICE's pending list.",
            ("pending_id",),
            "pending",
            "pending_id",
            (
                Column("pending_id", "string", "stable id: agency id # model # pending-<first listed>"),
                Column("agency_id", "string", "the agency (agencies.agency_id)"),
                Column("state", "string", "USPS code"),
                Column("model", "string", "JEM, TFM or WSO"),
                Column("first_listed", "date", "first pending list showing it"),
                Column("last_listed", "date", "last pending list showing it"),
                Column("first_sha256", "string", "first pending list showing it (sha256)"),
                Column("last_sha256", "string", "last pending list showing it (sha256)"),
                Column("status", "string", "pending, approved or withdrawn"),
                Column("agreement_id", "string", "the agreement that approved it"),
                Column("days_to_approval", "integer", "days from first pending listing to the agreement"),
                Column("listings", "integer", "how many pending-list rows show it"),
            ),
        ),
        TableSpec(
            "listings",
            "Listings",
            "Every row of every publication as ICE printed it (raw_*) beside the normalized value.",
            ("sha256", "row_number"),
            "listing l JOIN publication p ON p.pub_id = l.pub_id JOIN listing_row r ON r.row_id = l.row_id "
            "LEFT JOIN row_agreement ra ON ra.row_id = l.row_id "
            "LEFT JOIN pending_listing pl ON pl.pub_id = l.pub_id AND pl.row_number = l.row_number",
            "p.kind, p.seq, p.published, p.part, p.sha256, l.row_number",  # a held list has no seq
            (
                Column("sha256", "string", "the publication (publications.sha256)", "p.sha256"),
                Column("kind", "string", "participating or pending", "p.kind"),
                Column("published", "date", _PUB_DATE, "p.published"),
                Column("part", "string", "am, mid, pm or empty", "p.part"),
                Column(
                    "derived",
                    "boolean",
                    "true when the list is a table a third party extracted (HTML era, old lists), not ICE's file",
                    "p.derived",
                ),
                Column("row_number", "integer", "the sheet's row number, as Excel shows it", "l.row_number"),
                Column("row_id", "string", "hash of the raw values: the same printed row has the same id", "r.row_id"),
                Column("agreement_id", "string", "the agreement the row lists (participating)", "ra.agreement_id"),
                Column("pending_id", "string", "the application the row lists (pending)", "pl.pending_id"),
                Column("raw_state", "string", "STATE as printed", "r.raw_state"),
                Column("state", "string", "USPS code", "r.state"),
                Column("state_fips", "string", "2-digit FIPS code", "r.state_fips"),
                Column("raw_agency", "string", "LAW ENFORCEMENT AGENCY as printed", "r.raw_agency"),
                Column("agency", "string", "agency name, whitespace and quotes cleaned", "r.agency"),
                Column("raw_type", "string", "TYPE as printed", "r.raw_type"),
                Column("agency_type", "string", "county, municipal or state", "r.agency_type"),
                Column("raw_county", "string", "COUNTY as printed", "r.raw_county"),
                Column("county", "string", "county, cleaned", "r.county"),
                Column("raw_support", "string", "SUPPORT TYPE as printed", "r.raw_support"),
                Column("model", "string", "JEM, TFM or WSO", "r.model"),
                Column("raw_signed", "string", "SIGNED as printed (date or text)", "r.raw_signed"),
                Column("signed", "date", "signing date, repaired where a rule applies", "r.signed"),
                Column("signed_status", "string", "ok, repaired, missing, invalid or absent", "r.signed_status"),
                Column("raw_moa", "string", "MOA cell text (link, link pending)", "r.raw_moa"),
                Column("raw_moa_target", "string", "MOA cell hyperlink as stored", "r.raw_moa_target"),
                Column("moa_status", "string", "link, pending, none, unknown or absent", "r.moa_status"),
                Column("moa_url", "string", "MOA address, safelinks unwrapped", "r.moa_url"),
                Column("raw_addendum", "string", "ADDENDUM cell text", "r.raw_addendum"),
                Column("raw_addendum_target", "string", "ADDENDUM hyperlink as stored", "r.raw_addendum_target"),
                Column("addendum_status", "string", "link, pending, none, unknown or absent", "r.addendum_status"),
                Column("addendum_url", "string", "addendum address, safelinks unwrapped", "r.addendum_url"),
                Column("flags", "string", "JSON list of flags on the row", "r.flags"),
            ),
            large=True,
            split_by="published",
        ),
        TableSpec(
            "events",
            "Events",
            "What changed in each publication against the previous one of its kind.",
            ("event_id",),
            "event e",
            "e.event_id",
            (
                Column("event_id", "integer", "order of the event in the history"),
                Column("sha256", "string", "the publication where the change shows"),
                Column("prev_sha256", "string", "the publication before it"),
                Column("published", "date", "date of the publication where the change shows"),
                Column("kind", "string", "participating or pending"),
                Column("type", "string", "added, removed, renewed, re-dated, moved-from-pending, ..."),
                Column("agency_id", "string", "the agency"),
                Column("agreement_id", "string", "the agreement, for participating events"),
                Column("pending_id", "string", "the application, for pending events"),
                Column("state", "string", "USPS code"),
                Column("model", "string", "JEM, TFM or WSO"),
                Column("detail", "string", "JSON object with the event's details"),
            ),
        ),
        TableSpec(
            "documents",
            "Signed agreements (MOAs and addenda)",
            "One row per archived PDF ICE's lists link: what it says, who signed it and when, and its agreement. "
            "A value the document does not show legibly is empty: unknown, never guessed.",
            ("sha256",),
            "document d JOIN document_read r ON r.sha256 = d.sha256"
            + "".join(
                f" LEFT JOIN document_field {f} ON {f}.sha256 = d.sha256 AND {f}.field = '{f}'"
                for f in ("term", "renewal", "addendum", "addendum_to")
            )
            + " LEFT JOIN document_signer si ON si.sha256 = d.sha256 AND si.block = 1 AND si.party = 'ice'"
            " LEFT JOIN document_signer sa ON sa.sha256 = d.sha256 AND sa.block = 1 AND sa.party = 'agency'"
            " LEFT JOIN document_check c ON c.sha256 = d.sha256 AND c.agreement_id = d.agreement_id",
            "d.sha256",
            (
                Column("sha256", "string", "SHA-256 of the PDF's bytes: the document's identity", "d.sha256"),
                Column("names", "string", "file names it was found under, '; '-separated", "NULL"),
                Column("kind", "string", "moa or addendum (empty: not recognised)", "d.kind"),
                Column("text_source", "string", "text-layer, ocr (some page needed OCR) or none", "r.text_source"),
                Column("pages", "integer", "pages", "r.pages"),
                Column("pages_ocr", "integer", "pages whose text came from OCR", "r.pages_ocr"),
                Column("ocr_engine", "string", "the OCR engine that read them", "r.ocr_engine"),
                Column("models", "string", "JSON list of the models it names: JEM, TFM, WSO", "d.models"),
                Column("state", "string", "the agency's state as the document gives it (USPS code)", "d.state"),
                Column("agency", "string", "the agency as the document names it", "d.agency"),
                Column("signed_agency", "date", "the date the agency signed", "d.signed_agency"),
                Column("signed_ice", "date", "the date ICE signed", "d.signed_ice"),
                Column("agency_signer", "string", "who signed for the agency", "sa.name"),
                Column("agency_title", "string", "their title", "sa.title"),
                Column("ice_signer", "string", "who signed for ICE", "si.name"),
                Column("ice_title", "string", "their title", "si.title"),
                Column("field_office", "string", "the ICE field office it names", "d.field_office"),
                Column("term", "string", "the term clause, summarised (raw text in document_fields)", "term.value"),
                Column("renewal", "string", "the review or renewal clause, summarised", "renewal.value"),
                Column(
                    "addendum", "string", "an addendum the file also holds, and the MOA it modifies", "addendum.value"
                ),
                Column("addendum_to", "string", "for an addendum: the MOA it modifies", "addendum_to.value"),
                Column("agreement_id", "string", "the agreement it is linked to", "d.agreement_id"),
                Column("link_rule", "string", "how: list-link-url, list-link-name, agency-model-date", "d.link_rule"),
                Column(
                    "date_check",
                    "string",
                    "ICE's SIGNED against the signing dates: matches, differs, unknown",
                    "c.result",
                ),
                Column("date_check_days", "integer", "ICE's SIGNED minus the nearest signing date, in days", "c.days"),
            ),
        ),
        TableSpec(
            "document_fields",
            "Values read from the signed agreements",
            "Every value extracted from a document, with the text it was read from, its page, a confidence (0-1) "
            "and the rule that read it.",
            ("sha256", "field"),
            "document_field f",
            "f.sha256, f.field",
            (
                Column("sha256", "string", "the document"),
                Column("field", "string", "kind, models, agency, state, signed_ice, signed_agency, field_office, ..."),
                Column("value", "string", "the value"),
                Column("raw", "string", "the document's text it was read from"),
                Column("page", "integer", "the page (1-based)"),
                Column("confidence", "number", "the rule's confidence times the OCR confidence of the words"),
                Column("rule", "string", "the rule that read it"),
            ),
        ),
        TableSpec(
            "state_laws",
            "State laws",
            "Each researched state's law on 287(g), from the project's table (research to mid-2026); "
            "unverified rows rest on inference or conflicting reports.",
            ("state",),
            "state_law l",
            "l.state",
            (
                Column("state", "string", "USPS code", "l.state"),
                Column("stance", "string", "mandate, encourage, restrict, ban or none-found", "l.stance"),
                Column("instrument", "string", "statute, executive order, directive or ruling", "l.instrument"),
                Column("year", "integer", "year of the instrument that sets the stance", "l.year"),
                Column("effective_date", "date", "effective date, when known", "l.effective_date"),
                Column("summary", "string", "what the law does about 287(g)", "l.summary"),
                Column("summary_es", "string", "the summary in Spanish (a translation)", "l.summary_es"),
                Column("source_url", "string", "the source read", "l.source_url"),
                Column("confidence", "string", "verified, source-says or unverified", "l.confidence"),
            ),
        ),
    )
}


def _fill(conn: Connection, spec: TableSpec) -> dict[int, dict]:
    """Columns computed in Python: column index -> {first column's value: value}."""
    sources = {
        "publications": "SELECT sha256, name FROM publication_name ORDER BY sha256, name",
        "documents": "SELECT sha256, name FROM provenance ORDER BY sha256, id",
    }
    if spec.name not in sources:
        return {}
    names: dict[str, list[str]] = {}
    for sha, name in conn.execute(text(sources[spec.name])):
        if name not in names.setdefault(sha, []):
            names[sha].append(name)
    index = [c.name for c in spec.columns].index("names")
    return {index: {sha: "; ".join(v) for sha, v in names.items()}}


def _rows(conn: Connection, spec: TableSpec, part: str | None = None) -> Iterator[tuple]:
    """The table's rows in order (of one ``part`` of its ``split_by`` column when given: a year, ``2025``, or a
    month, ``2025-07``), through the driver's own cursor (the large table has 200,000 rows, millions at ten years
    of daily lists)."""
    bools = [i for i, c in enumerate(spec.columns) if c.type == "boolean"]
    fill = _fill(conn, spec)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(spec.query(_part_where(spec, part)))
        while found := cursor.fetchmany(5000):
            for row in found:
                if fill:
                    row = tuple(fill[i].get(row[0]) if i in fill else v for i, v in enumerate(row))
                if bools:
                    row = tuple(bool(v) if i in bools and v is not None else v for i, v in enumerate(row))
                yield tuple(row)
    finally:
        cursor.close()


def _part_where(spec: TableSpec, part: str | None) -> str:
    """The SQL condition for the listings of one year (``2025``) or month (``2025-07``) of lists (none: '').

    It names the lists first, so that the database reads their listings by key rather than every listing (a
    month of lists at ten years: 0.09 s instead of 1.5 s)."""
    if part is None:
        return ""
    if spec.split_by != "published" or not _PART.fullmatch(part):
        raise ValueError(f"not a year or a month of lists: {spec.name} {part!r}")
    return f"l.pub_id IN (SELECT pub_id FROM publication WHERE substr(published, 1, {len(part)}) = '{part}')"


# where each of the listings' columns comes from, by its SQL's table alias: the list (p), the distinct row as printed
# (r) and its agreement (ra), the listing itself (l) and its pending application (pl)
_PUB, _ROW, _LISTING, _PENDING = ("p.",), ("r.", "ra."), ("l.",), ("pl.",)


class _Listings:
    """The listings as Arrow record batches, the same batches as ``record_batches`` makes from ``_rows``, without
    asking the database to join every listing to its list, row, agreement and application: every list and every
    distinct row (with its agreement) is read once, and a batch takes its columns from them by index (a list
    prints the same rows day after day: the bundled record's 205,610 listings print 8,364 distinct rows)."""

    def __init__(self, conn: Connection, spec: TableSpec) -> None:
        def source(prefixes: tuple[str, ...]) -> list[Column]:
            return [c for c in spec.columns if (c.sql or "").startswith(prefixes)]

        self.conn, self.spec, self.schema = conn, spec, arrow_schema(spec)
        self.pub_cols, self.row_cols = source(_PUB), source(_ROW)
        self.listing_cols, self.pending_cols = source(_LISTING), source(_PENDING)
        if sum(map(len, (self.pub_cols, self.row_cols, self.listing_cols, self.pending_cols))) != len(spec.columns):
            raise ValueError(f"{spec.name}: a column comes from none of the listings' tables")
        self.pub_index, self.pubs = self._table("p.pub_id", "publication p", self.pub_cols)
        joined = "listing_row r LEFT JOIN row_agreement ra ON ra.row_id = r.row_id"
        self.row_index, self.rows = self._table("r.row_id", joined, self.row_cols)
        pending = conn.execute(text("SELECT pub_id, row_number, pending_id FROM pending_listing"))
        self.pending = {(p, n): i for p, n, i in pending}

    def _table(self, key: str, source: str, columns: list[Column]) -> tuple[dict[Any, int], dict[str, Any]]:
        """Each row's ``key`` -> its index, and each column's Arrow array, of every row of ``source``."""
        found = self.conn.execute(text(f"SELECT {key}, {', '.join(c.sql or c.name for c in columns)} FROM {source}"))
        rows = found.all()
        values = list(zip(*rows, strict=True)) if rows else [()] * (len(columns) + 1)
        return {r[0]: i for i, r in enumerate(rows)}, {
            c.name: arrow_array(list(values[i + 1]), c) for i, c in enumerate(columns)
        }

    def batches(self, part: str | None) -> Iterator[Any]:
        """The listings of one ``part`` (a year or a month; None: all) in the table's order."""
        import pyarrow as pa

        where = _part_where(self.spec, part)
        query = (
            "SELECT l.pub_id, l.row_number, l.row_id FROM listing l JOIN publication p ON p.pub_id = l.pub_id"
            f"{f' WHERE {where}' if where else ''} ORDER BY {self.spec.order_by}"
        )
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(query)
            while found := cursor.fetchmany(BATCH_ROWS):
                pub_ids, numbers, row_ids = zip(*found, strict=True)
                at_pub = pa.array([self.pub_index[p] for p in pub_ids], type=pa.int64())
                at_row = pa.array([self.row_index[r] for r in row_ids], type=pa.int64())
                columns = {c.name: self.pubs[c.name].take(at_pub) for c in self.pub_cols}
                columns |= {c.name: self.rows[c.name].take(at_row) for c in self.row_cols}
                columns |= {c.name: arrow_array(list(numbers), c) for c in self.listing_cols}
                pending = [self.pending.get(k) for k in zip(pub_ids, numbers, strict=True)]
                columns |= {c.name: arrow_array(pending, c) for c in self.pending_cols}
                yield pa.record_batch([columns[c.name] for c in self.spec.columns], schema=self.schema)
        finally:
            cursor.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _latest(conn: Connection) -> dict | None:
    row = conn.execute(
        text("SELECT sha256, published, part FROM publication WHERE kind = 'participating' ORDER BY seq DESC LIMIT 1")
    ).first()
    return {"sha256": row.sha256, "published": f"{row.published} {row.part}".strip()} if row else None


def datapackage(conn: Connection, files: list[tuple[str, Path]]) -> dict:
    """The Frictionless Data Package descriptor for exported files (``files``: (table name, path) pairs; the format
    is the file's: ``.csv``, ``.csv.gz`` (compression ``gz``), ``.parquet``, ``.xlsx``, ``.json``). A table split
    in one file per year or month is one resource per part (``listings-2025``, ``listings-2025-07``)."""
    latest = _latest(conn)
    resources = []
    for name, path in files:
        spec = TABLES[name]
        stem, fmt = path.name.split(".", 1)
        part = stem.removeprefix(name).removeprefix("-")
        resource: dict = {
            "name": stem,
            "title": spec.title + (f" ({part})" if part else ""),
            "description": spec.description,
            "path": path.name,
            "format": fmt.removesuffix(".gz"),
            "mediatype": MEDIATYPES[fmt],
            "bytes": path.stat().st_size,
            "hash": f"sha256:{_sha256(path)}",
            "schema": {
                "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in spec.columns],
                "primaryKey": list(spec.primary_key),
            },
        }
        if fmt.endswith(".gz"):
            resource["compression"] = "gz"
        if fmt.startswith(("csv", "json")):
            resource["encoding"] = "utf-8"
        resources.append(resource)
    return {
        "profile": "data-package",
        "name": "track287g",
        "title": "track287g: the open record of ICE 287(g) agreements",
        "description": (
            "ICE's participating and pending 287(g) lists, archived byte for byte and rebuilt into agencies, "
            "agreements and events. Raw values are kept beside normalized ones."
            + (f" Latest participating list: {latest['published']} (sha256 {latest['sha256']})." if latest else "")
        ),
        "version": __version__,
        "licenses": [{"name": "other-pd", "title": "ICE's lists are U.S. government works (public domain)"}],
        "sources": [{"title": "U.S. Immigration and Customs Enforcement, 287(g) participating and pending lists"}],
        "resources": resources,
    }


def export(conn: Connection, fmt: str, out: str | Path, tables: list[str] | None = None) -> list[Path]:
    """Write each table (default: all of ``TABLES``) as ``<out>/<table>.<fmt>`` plus ``datapackage.json``.

    Returns the paths written, the descriptor last.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    names = tables or list(TABLES)
    for name in names:
        if name not in TABLES:
            raise ExportError(f"unknown table {name!r} (use {', '.join(TABLES)})")
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {out}: {exc.strerror}") from None
    files = [(name, path) for name in names for path in write_table(conn, name, {fmt: out / f"{name}.{fmt}"})[fmt]]
    return [*(p for _, p in files), write_datapackage(conn, out / "datapackage.json", files)]


def write_table(
    conn: Connection,
    name: str,
    paths: dict[str, Path],
    reuse: Mapping[str, Path] | None = None,
    linked: set[str] | None = None,
    max_part_rows: int = PART_ROWS,
) -> dict[str, list[Path]]:
    """Write table ``name`` in each format of ``paths`` (format -> path); returns the files written per format.

    The streamed formats (Parquet, compressed CSV) share one pass over the rows; a table with ``split_by`` is
    one file per year in them (``listings-2025.parquet``), or per month in a year of more than
    ``max_part_rows`` rows (``listings-2025-07.parquet``). ``reuse`` (file name -> a file with the same bytes,
    from an earlier export: see ``part_inputs``) lets a part be linked instead of written when every streamed
    file of it is there; the names linked are added to ``linked``."""
    spec = TABLES[name]
    streamed = {f: p for f, p in paths.items() if f in STREAMED}
    written: dict[str, list[Path]] = {}
    if streamed and spec.split_by:
        listings = _Listings(conn, spec)
        for part in sorted(set(_parts(conn, spec, max_part_rows).values())):
            files = {f: p.with_name(f"{p.name.removesuffix('.' + f)}-{part}.{f}") for f, p in streamed.items()}
            if _link(files.values(), reuse or {}):
                if linked is not None:
                    linked.update(p.name for p in files.values())
            else:
                write_streamed(files, spec, listings.batches(part))
            for f, p in files.items():
                written.setdefault(f, []).append(p)
    elif streamed:
        written = write_streamed(streamed, spec, record_batches(spec, _rows(conn, spec)))
    for fmt, path in paths.items():
        if fmt not in STREAMED:
            WRITERS[fmt](path, spec, _rows(conn, spec))
            written[fmt] = [path]
    return written


def _parts(conn: Connection, spec: TableSpec, max_rows: int) -> dict[str, str]:
    """Each month of the table's ``split_by`` column with rows (``2025-07``) -> the part it is written in: its
    year (``2025``), or the month itself when the year's lists print more than ``max_rows`` rows (the listings:
    about 1.8 million a year at the end of ten years of daily lists, 107 MB as compressed CSV)."""
    if spec.name != "listings":
        raise ValueError(f"{spec.name} is not split by year")
    query = (
        "SELECT substr(published, 1, 7), sum(rows) FROM publication p"
        " WHERE EXISTS (SELECT 1 FROM listing l WHERE l.pub_id = p.pub_id) GROUP BY 1"
    )
    months = {month: rows or 0 for month, rows in conn.execute(text(query))}
    per_year: Counter[str] = Counter()
    for month, rows in months.items():
        per_year[month[:4]] += rows
    return {month: month if per_year[month[:4]] > max_rows else month[:4] for month in sorted(months)}


def _link(parts: Iterable[Path], reuse: Mapping[str, Path]) -> bool:
    """Link (or, where links fail, copy) each of ``parts`` from the file of its name in ``reuse``; False, with
    none of them left behind, when one is not there to reuse."""
    parts = list(parts)
    if any(path.name not in reuse for path in parts):
        return False
    done: list[Path] = []
    try:
        for path in parts:
            try:
                os.link(reuse[path.name], path)
            except FileNotFoundError:  # gone from the version before: write the part
                raise
            except OSError:  # another file system, or no hard links there
                shutil.copyfile(reuse[path.name], path)
            done.append(path)
    except OSError:
        for path in done:
            path.unlink(missing_ok=True)
        return False
    return True


def part_inputs(conn: Connection, name: str, max_part_rows: int = PART_ROWS) -> dict[str, str]:
    """For a table written one file per year or month (the listings): each part's file stem (``listings-2025``,
    ``listings-2025-07``) -> a digest of everything its rows are made of, so that a file of an earlier export
    with the same digest can be kept.

    A part's listings are made of its lists (sha256, kind, date, in list order: a list's rows are those its
    bytes were read into, as the data version takes them to be), the distinct rows they print (raw and
    normalized values, from ``listing_row``), the agreement each of those rows belongs to, the application
    each pending-list row belongs to, and the code that writes them. The rows' agreements are what a new list
    most often changes in earlier parts (an agency's id follows its latest spelling)."""
    spec = TABLES[name]
    if not spec.split_by:
        return {}
    parts = _parts(conn, spec, max_part_rows)
    code = files_digest(Path(__file__), Path(__file__).with_name("formats.py")) + repr(spec)
    digests = {part: hashlib.sha256(code.encode()) for part in parts.values()}
    pubs: dict[int, tuple[str, str]] = {}  # pub_id (this database's) -> part, sha256
    order = "SELECT pub_id, sha256, kind, published, part FROM publication ORDER BY kind, seq, published, part, sha256"
    for pub_id, sha, kind, published, day_part in conn.execute(text(order)):
        if published[:7] in parts:  # a list with no rows has none in the files
            pubs[pub_id] = (parts[published[:7]], sha)
            digests[parts[published[:7]]].update(f"\0{sha}\0{kind}\0{published}\0{day_part}".encode())
    rows = {r[0]: r for r in conn.execute(text("SELECT * FROM listing_row"))}
    agreements: dict[str, str] = {r: a for r, a in conn.execute(text("SELECT row_id, agreement_id FROM row_agreement"))}
    printed: dict[str, set[str]] = defaultdict(set)
    query = (
        "SELECT DISTINCT substr(p.published, 1, 7), l.row_id FROM listing l JOIN publication p ON p.pub_id = l.pub_id"
    )
    for month, row_id in conn.execute(text(query)):
        printed[parts[month]].add(row_id)
    for part, ids in printed.items():
        for row_id in sorted(ids):
            digests[part].update(repr((tuple(rows[row_id]), agreements.get(row_id))).encode())
    pending = "SELECT pub_id, row_number, pending_id FROM pending_listing ORDER BY pub_id, row_number"
    for pub_id, number, pending_id in conn.execute(text(pending)):
        if pub_id in pubs:
            part, sha = pubs[pub_id]
            digests[part].update(f"\0{sha}\0{number}\0{pending_id}".encode())
    return {f"{name}-{part}": digests[part].hexdigest() for part in sorted(digests)}


def write_datapackage(conn: Connection, path: Path, files: list[tuple[str, Path]]) -> Path:
    """Write the ``datapackage.json`` describing ``files`` ((table name, path) pairs) at ``path``."""
    buf = io.StringIO()
    json.dump(datapackage(conn, files), buf, ensure_ascii=False, indent=2)
    path.write_text(buf.getvalue() + "\n", encoding="utf-8")
    return path


__all__ = [
    "FORMATS",
    "TABLES",
    "ExportError",
    "datapackage",
    "export",
    "part_inputs",
    "write_datapackage",
    "write_table",
]
