"""Checks made before any spreadsheet library sees the bytes: type, size, and zip-bomb limits.

No reader guards against zip bombs (a tiny workbook that inflates to gigabytes), so every member's declared
size and compression ratio are checked, then ``testzip`` verifies the data matches what was declared.
"""

from __future__ import annotations

import io
import zipfile

from track287g.parse.errors import RejectedFile

MAX_MEMBER_BYTES = 200 * 1024 * 1024  # a real sheet is under 1 MB
MAX_TOTAL_BYTES = 400 * 1024 * 1024
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
    return parts
