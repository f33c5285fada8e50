"""Hyperlinks behind the MOA / ADDENDUM cells ("link", "link pending"), read from the sheet's XML.

Spreadsheet readers other than openpyxl (slow) drop hyperlinks, so they are read here from the
``<hyperlinks>`` element of the sheet and its relationships part. Outlook "safelinks" wrappers and Wayback
Machine prefixes are unwrapped to the ice.gov address; the raw target is kept too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

# attributes may come in any order: each pattern looks ahead within one element for the ones it needs
_HYPERLINK = re.compile(rb'<(?:\w+:)?hyperlink\b(?=[^>]*?\sref="([A-Z]+)(\d+))(?=[^>]*?\sr:id="([^"]+)")')
_REL = re.compile(rb'<(?:\w+:)?Relationship\b(?=[^>]*?\sId="([^"]+)")(?=[^>]*?\sTarget="([^"]*)")')
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b(?=[^>]*?\sname="([^"]*)")(?=[^>]*?\sr:id="([^"]+)")')
# Excel writes attributes in this order: a fast path, used when it finds every element
_HYPERLINK_FAST = re.compile(rb'<hyperlink ref="([A-Z]+)(\d+)" r:id="([^"]+)"')
_REL_FAST = re.compile(rb'<Relationship Id="([^"]+)" Type="[^"]*" Target="([^"]*)"')
_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/(.+)$")


@lru_cache(maxsize=1 << 16)  # the same targets come back in every list's relationships
def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" not in text:
        return text
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def column_index(letters: str) -> int:
    """Zero-based column index of Excel column letters (A -> 0, AA -> 26)."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _find(fast: re.Pattern, general: re.Pattern, marker: bytes, xml: bytes, start: int = 0) -> list[tuple]:
    found = fast.findall(xml, start)
    return found if len(found) == xml.count(marker, start) else general.findall(xml, start)


def _relationships(xml: bytes) -> dict[bytes, str]:
    return {rid: _text(target) for rid, target in _find(_REL_FAST, _REL, b"<Relationship ", xml)}


def sheet_parts(parts: dict[str, bytes]) -> list[tuple[str, str]]:
    """(sheet name, part path) of each sheet, in workbook order."""
    rels = _relationships(parts.get("xl/_rels/workbook.xml.rels", b""))
    sheets = []
    for name, rid in _SHEET.findall(parts.get("xl/workbook.xml", b"")):
        target = rels.get(rid, "")
        sheets.append((_text(name), target.lstrip("/") if target.startswith("/") else "xl/" + target))
    return sheets


def hyperlinks(parts: dict[str, bytes], sheet_path: str) -> dict[tuple[int, int], str]:
    """Map (row, column), both zero-based, to each external hyperlink target on the sheet."""
    xml = parts.get(sheet_path, b"")
    start = xml.rfind(b"<hyperlinks")
    if start < 0:
        return {}
    folder, _, file = sheet_path.rpartition("/")
    targets = _relationships(parts.get(f"{folder}/_rels/{file}.rels", b""))
    links: dict[tuple[int, int], str] = {}
    for letters, row, rid in _find(_HYPERLINK_FAST, _HYPERLINK, b"<hyperlink ", xml, start):
        target = targets.get(rid)
        if target:
            links[(int(row) - 1, column_index(letters.decode()))] = target
    return links


@lru_cache(maxsize=1 << 16)  # the same MOA addresses come back on every list: parse each once per process
def unwrap(url: str | None) -> str | None:
    """The real address behind a safelinks wrapper or a Wayback Machine prefix (else the address itself)."""
    if not url:
        return None
    url = url.strip()
    for _ in range(3):
        parts = urlsplit(url)
        if parts.netloc.endswith("safelinks.protection.outlook.com"):
            inner = parse_qs(parts.query).get("url")
            if not inner:
                break
            url = inner[0]
            continue
        m = _WAYBACK.match(url)
        if m:
            url = m.group(1)
            continue
        break
    return url
