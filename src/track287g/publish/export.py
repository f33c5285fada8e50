"""Exports of the record: CSV, Parquet, XLSX or JSON, one file per table, plus a ``datapackage.json``.

Tables (``TABLES``): ``publications``, ``agencies``, ``agreements``, ``pending`` (applications),
``listings`` (every row of every publication, ICE's raw values beside the normalized ones), ``events``, and the
signed agreements: ``documents`` (one row per archived MOA) and ``document_fields`` (every value read from them).
The ``datapackage.json`` (Frictionless Data Package) describes every column and gives each file's size and
sha256. Exports are deterministic: rows are sorted by their key, nothing carries a timestamp of the export,
and the XLSX workbooks have fixed metadata, so the same database always yields byte-identical files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, text

from track287g.config import VERSION as __version__
from track287g.errors import Track287gError

FORMATS = ("csv", "parquet", "xlsx", "json")
MEDIATYPES = {
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FIXED_TIME = datetime(2000, 1, 1)  # the XLSX "created" stamp: a constant, so the bytes never change


class ExportError(Track287gError):
    """An export that cannot be made as asked (unknown format or table, unwritable folder)."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless type: string | integer | number | boolean | date
    description: str
    sql: str | None = None  # the SQL expression (default: the name)


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    source: str  # FROM ... (joins)
    order_by: str
    columns: tuple[Column, ...]

    def query(self) -> str:
        cols = ", ".join(f"{c.sql or c.name} AS {c.name}" for c in self.columns)
        return f"SELECT {cols} FROM {self.source} ORDER BY {self.order_by}"


_PUB_DATE = "the date ICE published the list (see published_from)"

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
            "One law-enforcement body in one state, resolved across ICE's spellings.",
            ("agency_id",),
            "agency a",
            "a.agency_id",
            (
                Column("agency_id", "string", "stable id: state + canonical name"),
                Column("state", "string", "USPS code"),
                Column("name", "string", "display name: ICE's most recent spelling, cleaned"),
                Column("kind", "string", "class read from the name: sheriff, police, corrections, ..."),
                Column("agency_type", "string", "ICE's TYPE column, most recent: county, municipal or state"),
                Column("county", "string", "ICE's COUNTY column, most recent"),
                Column("first_listed", "date", "first publication listing the agency"),
                Column("last_listed", "date", "last publication listing the agency"),
                Column("status", "string", "active, removed, pending or withdrawn"),
                Column(
                    "spellings",
                    "integer",
                    "how many distinct spellings ICE printed",
                    "(SELECT count(*) FROM agency_spelling s WHERE s.agency_id = a.agency_id)",
                ),
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
                Column("status", "string", "active, removed or superseded"),
                Column("first_listed", "date", "first publication listing it"),
                Column("last_listed", "date", "last publication listing it"),
                Column("first_sha256", "string", "first publication listing it (sha256)"),
                Column("last_sha256", "string", "last publication listing it (sha256)"),
                Column("removed_after", "date", "removal window start: last list that had it"),
                Column("removed_by", "date", "removal window end: first list without it"),
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
            "p.kind, p.seq, l.row_number",
            (
                Column("sha256", "string", "the publication (publications.sha256)", "p.sha256"),
                Column("kind", "string", "participating or pending", "p.kind"),
                Column("published", "date", _PUB_DATE, "p.published"),
                Column("part", "string", "am, mid, pm or empty", "p.part"),
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


def _rows(conn: Connection, spec: TableSpec) -> Iterator[tuple]:
    bools = [i for i, c in enumerate(spec.columns) if c.type == "boolean"]
    fill = _fill(conn, spec)
    for found in conn.execute(text(spec.query())):
        row = tuple(found)
        if fill:
            row = tuple(fill[i].get(row[0]) if i in fill else v for i, v in enumerate(row))
        if bools:
            row = tuple(bool(v) if i in bools and v is not None else v for i, v in enumerate(row))
        yield row


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _write_csv(path: Path, spec: TableSpec, rows: Iterator[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([c.name for c in spec.columns])
        for row in rows:
            writer.writerow([_cell(v) for v in row])


def _write_json(path: Path, spec: TableSpec, rows: Iterator[tuple]) -> None:
    names = [c.name for c in spec.columns]
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("[")
        for n, row in enumerate(rows):
            fh.write(",\n" if n else "\n")
            fh.write(json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False))
        fh.write("\n]\n")


def _write_parquet(path: Path, spec: TableSpec, rows: Iterator[tuple]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    types["date"] = pa.date32()
    data = list(rows)
    arrays = []
    for i, col in enumerate(spec.columns):
        values = [r[i] for r in data]
        if col.type == "date":
            values = [date.fromisoformat(v) if v else None for v in values]
        arrays.append(pa.array(values, type=types[col.type]))
    fields = [pa.field(c.name, types[c.type], metadata={"description": c.description}) for c in spec.columns]
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata={"table": spec.name}))
    pq.write_table(table, path, compression="zstd")


def _write_xlsx(path: Path, spec: TableSpec, rows: Iterator[tuple]) -> None:
    import xlsxwriter

    options = {
        "constant_memory": True,
        "strings_to_numbers": False,
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    wb = xlsxwriter.Workbook(str(path), options)
    wb.set_properties({"title": spec.title, "author": "track287g", "created": FIXED_TIME, "comments": spec.description})
    ws = wb.add_worksheet(spec.name)
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, [c.name for c in spec.columns], bold)
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                ws.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    wb.close()


_WRITERS = {"csv": _write_csv, "json": _write_json, "parquet": _write_parquet, "xlsx": _write_xlsx}


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


def datapackage(conn: Connection, fmt: str, files: dict[str, Path]) -> dict:
    """The Frictionless Data Package descriptor for exported files (``files``: table name -> path)."""
    latest = _latest(conn)
    resources = []
    for name, path in files.items():
        spec = TABLES[name]
        resource = {
            "name": name,
            "title": spec.title,
            "description": spec.description,
            "path": path.name,
            "format": fmt,
            "mediatype": MEDIATYPES[fmt],
            "bytes": path.stat().st_size,
            "hash": f"sha256:{_sha256(path)}",
            "schema": {
                "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in spec.columns],
                "primaryKey": list(spec.primary_key),
            },
        }
        if fmt in ("csv", "json"):
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
    files: dict[str, Path] = {}
    for name in names:
        path = out / f"{name}.{fmt}"
        _WRITERS[fmt](path, TABLES[name], _rows(conn, TABLES[name]))
        files[name] = path
    descriptor = out / "datapackage.json"
    buf = io.StringIO()
    json.dump(datapackage(conn, fmt, files), buf, ensure_ascii=False, indent=2)
    descriptor.write_text(buf.getvalue() + "\n", encoding="utf-8")
    return [*files.values(), descriptor]


__all__ = ["FORMATS", "TABLES", "ExportError", "datapackage", "export"]
