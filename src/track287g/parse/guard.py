"""Checks made before any spreadsheet library sees the bytes: type, size, zip-bomb limits and sheet bounds.

No reader guards against zip bombs (a tiny workbook that inflates to gigabytes), so every member's declared
size and compression ratio are checked, then ``testzip`` verifies the data matches what was declared.
Nor against a sheet that claims a huge area: the reader allocates the rectangle its cell references span
(one cell at ``ZZZZZZ2`` is billions of cells, and the process aborts), so every worksheet's cell
references, rows and dimension are checked against limits made for ICE's lists (``check_bounds``).
"""

from __future__ import annotations

import io
import re
import zipfile

from track287g.parse.errors import RejectedFile
from track287g.parse.links import column_index

MAX_MEMBER_BYTES = 64 * 1024 * 1024  # a real sheet is under 1 MB
MAX_TOTAL_BYTES = 128 * 1024 * 1024
# ICE's lists so far: at most 1,503 sheet rows, 13 columns, 12,024 cells, 125 characters in a cell
MAX_ROWS = 20_000  # rows per list (sheet rows, header included)
MAX_COLUMNS = 64
MAX_CELLS = 500_000  # cells per sheet
MAX_CELL_CHARS = 2_000  # characters per cell
MAX_RATIO = 100  # real sheets compress about 7x; bombs 1000x and more
RATIO_APPLIES_ABOVE = 1024 * 1024
MAX_MEMBERS = 500

ZIP_MAGIC = b"PK\x03\x04"
# the parts a workbook reader touches (the sheets, shared strings, styles, relationships, metadata)
NEEDED_PARTS = (
    "xl/workbook.xml",
    "xl/_rels/",
    "xl/worksheets/",
    "xl/sharedStrings",
    "xl/styles",
    "docProps/core.xml",
    "[Content_Types].xml",
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def describe_start(data: bytes) -> str:
    """A short description of what a non-workbook file looks like, for error messages."""
    head = data[:200].lstrip()
    low = head.lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low:
        return "an HTML page"
    if head.startswith(b"%PDF"):
        return "a PDF"
    if head.startswith(b"{") or head.startswith(b"["):
        return "JSON"
    try:
        text = head[:40].decode("utf-8")
    except UnicodeDecodeError:
        return f"binary data starting {data[:8].hex()}"
    return f"text starting {text!r}"


_CELL_REF = re.compile(rb"<(?:[A-Za-z]\w*:)?c\b[^>]*?\sr=\"([A-Za-z]+)([0-9]+)\"")
_CELL = re.compile(rb"<(?:[A-Za-z]\w*:)?c[\s/>]")
_ROW = re.compile(rb"<(?:[A-Za-z]\w*:)?row[\s/>]")
_ROW_REF = re.compile(rb"<(?:[A-Za-z]\w*:)?row\b[^>]*?\sr=\"([0-9]+)\"")
_DIMENSION = re.compile(rb"<(?:[A-Za-z]\w*:)?dimension\b[^>]*?\sref=\"([^\"]*)\"")
_REF = re.compile(r"^([A-Za-z]+)([0-9]+)$")


def column_number(letters: bytes | str) -> int:
    """Excel's column letters as a number (A = 1, Z = 26, AA = 27)."""
    text = letters if isinstance(letters, str) else letters.decode("ascii")
    return column_index(text.upper()) + 1


def _over(name: str, what: str, found: int, limit: int) -> RejectedFile:
    return RejectedFile(f"sheet {name}: {what} {found:,}, over the limit of {limit:,} for a list")


# an r attribute (of any element) of two letters or more, or five digits or more (``r="AB1"``, ``r="A10000"``);
# written to start with its literal ``r="``, which the regex engine finds fast
_LONG_REF = re.compile(rb'r="(?<=\sr=")(?:[A-Za-z]{2}|[A-Za-z]?[0-9]{5})')


def check_bounds(parts: dict[str, bytes]) -> None:
    """Refuse a worksheet whose rows, columns or cells exceed the limits, from its XML, before any reader
    allocates the area its dimension and cell references span."""
    for name, xml in parts.items():
        if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
            continue
        if not _surely_within(xml):
            _check_sheet(name.rsplit("/", 1)[-1], xml)


def _dimension(xml: bytes) -> tuple[int, int]:
    """(last row, last column) of the sheet's ``<dimension>`` (0 when it has none)."""
    last_row = last_column = 0
    dimension = _DIMENSION.search(xml)
    if dimension:
        for ref in dimension.group(1).decode("ascii", "replace").split(":"):
            m = _REF.match(ref.replace("$", ""))
            if m:
                last_column = max(last_column, column_number(m.group(1)) if len(m.group(1)) <= 7 else 10**9)
                last_row = max(last_row, int(m.group(2)))
    return last_row, last_column


def _surely_within(xml: bytes) -> bool:
    """True when bounds counted without parsing prove ``_check_sheet`` would pass (False: it must decide).

    Every cell element starts at a ``<`` and every row element holds ``row``, so their counts bound the
    cells and rows; with no reference of two letters or five digits, none is past column Z or row 9999."""
    if xml.count(b"<") > MAX_CELLS or xml.count(b"row") > MAX_ROWS or _LONG_REF.search(xml):
        return False
    dim_row, dim_column = _dimension(xml)
    last_row, last_column = max(dim_row, 9_999), max(dim_column, 26)
    return last_row <= MAX_ROWS and last_column <= MAX_COLUMNS and last_row * last_column <= MAX_CELLS


def _check_sheet(short: str, xml: bytes) -> None:
    """Count the sheet's cells and rows and find its last row and column, from every element; raise when over."""
    cells = len(_CELL.findall(xml))
    if cells > MAX_CELLS:
        raise _over(short, "cells", cells, MAX_CELLS)
    rows = len(_ROW.findall(xml))
    if rows > MAX_ROWS:
        raise _over(short, "rows", rows, MAX_ROWS)
    refs = _CELL_REF.findall(xml)  # a list repeats a few columns and each row's number: each distinct one once
    last_row = max(map(int, {r for _, r in refs} | set(_ROW_REF.findall(xml))), default=0)
    last_column = max((column_number(c) if len(c) <= 7 else 10**9 for c in {c for c, _ in refs}), default=0)
    dim_row, dim_column = _dimension(xml)
    last_row, last_column = max(last_row, dim_row), max(last_column, dim_column)
    if last_row > MAX_ROWS:
        raise _over(short, "a cell or row reference at row", last_row, MAX_ROWS)
    if last_column > MAX_COLUMNS:
        raise _over(short, "a cell reference at column", last_column, MAX_COLUMNS)
    if last_row * last_column > MAX_CELLS:
        raise _over(short, "an area of cells", last_row * last_column, MAX_CELLS)


def check_workbook(data: bytes) -> dict[str, bytes]:
    """Return every part of an .xlsx workbook, inflated and checksum-verified, or raise RejectedFile.

    Reading each part a reader touches once here (within the declared-size limits) verifies it against its
    checksum, as ``testzip`` would, and hands the parts this package needs (hyperlinks, metadata) on without
    a second inflate.
    """
    if not data:
        raise RejectedFile("empty file (0 bytes)")
    if data.startswith(OLE_MAGIC):
        raise RejectedFile("an old binary .xls workbook or other OLE file; ICE's lists are .xlsx")
    if not data.startswith(ZIP_MAGIC):
        raise RejectedFile(f"not an .xlsx workbook: it is {describe_start(data)}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise RejectedFile(f"corrupt or truncated workbook ({exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise RejectedFile(f"workbook has {len(infos)} parts (limit {MAX_MEMBERS}): not a plain list")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES:
            raise RejectedFile(f"zip bomb suspected: part {info.filename} would inflate to {info.file_size:,} bytes")
        if info.file_size > RATIO_APPLIES_ABOVE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise RejectedFile(
                f"zip bomb suspected: part {info.filename} inflates {ratio:,.0f}x "
                f"({info.compress_size:,} -> {info.file_size:,} bytes)"
            )
    if total > MAX_TOTAL_BYTES:
        raise RejectedFile(f"zip bomb suspected: parts would inflate to {total:,} bytes in all")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise RejectedFile("a zip file but not an .xlsx workbook (no xl/workbook.xml)")
    parts: dict[str, bytes] = {}
    for info in infos:
        if not info.filename.startswith(NEEDED_PARTS):
            continue  # never read by us or by the spreadsheet reader; its declared size was checked above
        try:
            parts[info.filename] = zf.read(info)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise RejectedFile(f"corrupt or truncated workbook: part {info.filename} ({exc})") from None
    check_bounds(parts)
    return parts
