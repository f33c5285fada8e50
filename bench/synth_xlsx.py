"""Write ICE-style workbooks by rewriting the sheet of a real ICE workbook (for bench/synth_archive.py).

A ``Template`` is one of ICE's own files from ``data/archive/ice``: every zip part keeps ICE's bytes (styles,
theme, custom XML, printer settings, member order, timestamps) except the parts that carry the list itself: the
sheet XML (rows, dimension, filter ranges, the ``<hyperlinks>`` element), the sheet's relationships (one
hyperlink relationship per MOA / ADDENDUM link), the shared strings, the save time in ``docProps/core.xml`` and the
filter range in ``xl/workbook.xml``. Cells take the styles ICE's first data row uses in each column. Output is a
pure function of the rows and the save time: the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

SHEET = "xl/worksheets/sheet1.xml"
RELS = "xl/worksheets/_rels/sheet1.xml.rels"
STRINGS = "xl/sharedStrings.xml"
CORE = "docProps/core.xml"
WORKBOOK = "xl/workbook.xml"
HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
EXCEL_EPOCH = date(1899, 12, 30)
COMPRESS_LEVEL = 1  # ICE's parts are deflated with Excel's "superfast" setting

# the header ICE prints for each field (the templates' header rows use these spellings)
HEADER_FIELD = {
    "STATE": "state",
    "LAW ENFORCEMENT AGENCY": "agency",
    "TYPE": "type",
    "COUNTY": "county",
    "SUPPORT TYPE": "support",
    "SIGNED": "signed",
    "MOA": "moa",
    "ADDENDUM": "addendum",
}
LINK_FIELDS = ("moa", "addendum")

_CELL = re.compile(r'<c r="([A-Z]+)\d+"([^>]*?)(?:/>|>.*?</c>)')
_STYLE = re.compile(r'\ss="(\d+)"')
_ROW_OPEN = re.compile(r"<row [^>]*>")
_LAST_ROW_REF = re.compile(r"(:\$?[A-Z]+\$?)(\d+)")


@lru_cache(maxsize=1 << 17)
def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=1 << 17)
def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


@lru_cache(maxsize=1 << 17)
def guid(*parts: str) -> str:
    """A GUID-shaped uid derived from content (Excel writes a random one; ours must be reproducible)."""
    h = hashlib.md5("\x1f".join(parts).encode()).hexdigest().upper()
    return f"{{{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}}}"


# A row is (values, links): one value per column in the template's order, each text (a shared string), a date
# (a serial number in ICE's date style) or None/"" (an empty cell); links are (column index, address, uid seed) of
# the cells that carry a hyperlink.
Row = tuple[tuple[str | date | None, ...], tuple[tuple[int, str, str], ...]]


class Template:
    """One real ICE workbook, taken apart once, that renders any list of rows in its layout."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as zf:
            self.infos = zf.infolist()
            self.parts = {i.filename: zf.read(i) for i in self.infos}
        xml = self.parts[SHEET].decode("utf-8")
        start, end = xml.index("<sheetData>") + len("<sheetData>"), xml.index("</sheetData>")
        self.head, body, tail = xml[:start], xml[start:end], xml[end:]
        rows = re.findall(r"<row [^>]*>.*?</row>", body)
        self.header_row, first = rows[0], rows[1]
        strings = re.findall(r"<si>(.*?)</si>", self.parts[STRINGS].decode("utf-8"))
        header_cells = _CELL.findall(self.header_row)
        values = [int(v) for v in re.findall(r"<v>(\d+)</v>", self.header_row)]
        if values != list(range(len(values))):
            raise ValueError(f"{path.name}: header cells are not the first shared strings")
        self.headers = [re.sub(r"<[^>]+>", "", strings[i]).strip() for i in values]
        self.fields = [HEADER_FIELD[h] for h in self.headers]
        self.letters = [letters for letters, _ in header_cells]
        self.row_open = _ROW_OPEN.match(first).group(0).replace(' r="2"', ' r="{r}"')
        styles = {letters: _STYLE.search(attrs).group(1) for letters, attrs in _CELL.findall(first)}
        self.text_style = styles[self.letters[0]]
        self.styles = [styles.get(letters, self.text_style) for letters in self.letters]
        self.date_style = next(
            (styles[letters] for letters, f in zip(self.letters, self.fields, strict=True) if f == "signed"), None
        )
        # what follows the rows: filters and sort ranges, ICE's <hyperlinks> (replaced), margins, page setup
        links_at, links_end = tail.find("<hyperlinks>"), tail.find("</hyperlinks>")
        if links_at >= 0:
            self.tail_before, self.tail_after = tail[:links_at], tail[links_end + len("</hyperlinks>") :]
        else:
            cut = tail.index("<pageMargins")
            self.tail_before, self.tail_after = tail[:cut], tail[cut:]
        rels = self.parts.get(RELS, b"").decode("utf-8")
        self.other_rels = [r for r in re.findall(r"<Relationship [^>]*/>", rels) if HYPERLINK_TYPE not in r]
        self.sst_open = re.match(r'.*?<sst [^>]*?count="\d+" uniqueCount="\d+">', self.parts[STRINGS].decode(), re.S)
        if self.sst_open is None:
            raise ValueError(f"{path.name}: unexpected shared strings header")
        self._formats: dict[tuple[int, ...], str] = {}
        self._shapes: dict[tuple, tuple[int, ...]] = {}  # row values -> cell shapes (rows repeat list to list)

    def _row_format(self, shape: tuple[int, ...]) -> str:
        """The XML of a row whose cells have these shapes (0 empty, 1 text, 2 date), with {0} the row number
        and {1}, {2}, ... the values of the non-empty cells."""
        parts = [self.row_open.replace("{r}", "{0}", 1)]
        k = 1
        for letter, style, kind in zip(self.letters, self.styles, shape, strict=True):
            if kind == 0:
                parts.append(f'<c r="{letter}{{0}}" s="{style}"/>')
                continue
            if kind == 2:
                parts.append(f'<c r="{letter}{{0}}" s="{self.date_style}"><v>{{{k}}}</v></c>')
            else:
                text_style = style if style != self.date_style else self.text_style
                parts.append(f'<c r="{letter}{{0}}" s="{text_style}" t="s"><v>{{{k}}}</v></c>')
            k += 1
        return "".join(parts) + "</row>"

    def render(self, rows: list[Row], saved: datetime) -> bytes:
        """The workbook's bytes for these rows (values in the template's column order), saved at ``saved`` (UTC)."""
        sst: dict[str, int] = {h: i for i, h in enumerate(self.headers)}
        refs = len(self.headers)
        out = [self.head, self.header_row]
        links: list[tuple[str, str, str]] = []  # (cell ref, target, uid)
        letters, formats, shapes = self.letters, self._formats, self._shapes
        if len(shapes) > 1 << 16:
            shapes.clear()
        for r, (values, row_links) in enumerate(rows, start=2):
            shape = shapes.get(values)
            if shape is None:
                shape = shapes[values] = tuple(
                    0 if v is None or v == "" else 2 if isinstance(v, date) else 1 for v in values
                )
            fmt = formats.get(shape)
            if fmt is None:
                fmt = formats[shape] = self._row_format(shape)
            args = []
            for kind, value in zip(shape, values, strict=True):
                if kind == 1:
                    index = sst.get(value)
                    if index is None:
                        index = sst[value] = len(sst)
                    args.append(index)
                    refs += 1
                elif kind == 2:
                    args.append((value - EXCEL_EPOCH).days)
            out.append(fmt.format(r, *args))
            for col, target, uid in row_links:
                links.append((f"{letters[col]}{r}", target, uid))
        last = len(rows) + 1
        out.append("</sheetData>")
        out.append(_LAST_ROW_REF.sub(lambda m: m.group(1) + str(last), self.tail_before.replace("</sheetData>", "")))
        rels = []
        if links:
            out.append("<hyperlinks>")
            for n, (ref, target, uid) in enumerate(links, start=1):
                out.append(f'<hyperlink ref="{ref}" r:id="rId{n}" xr:uid="{guid(uid, ref[0])}"/>')
                rels.append(
                    f'<Relationship Id="rId{n}" Type="{HYPERLINK_TYPE}" '
                    f'Target="{_attr(target)}" TargetMode="External"/>'
                )
        if links:
            out.append("</hyperlinks>")
        tail_after = self.tail_after
        for k, rel in enumerate(self.other_rels, start=len(links) + 1):
            old = re.search(r'Id="([^"]+)"', rel).group(1)
            rels.append(rel.replace(f'Id="{old}"', f'Id="rId{k}"'))
            tail_after = tail_after.replace(f'r:id="{old}"', f'r:id="rId{k}"')
        out.append(tail_after)
        head = out[0]
        dim = re.search(r'<dimension ref="([A-Z]+\d+):([A-Z]+)\d+"/>', head)
        if dim:
            out[0] = head.replace(dim.group(0), f'<dimension ref="{dim.group(1)}:{dim.group(2)}{last}"/>')
        parts = dict(self.parts)
        parts[SHEET] = "".join(out).encode("utf-8")
        parts[STRINGS] = self._strings(sst, refs)
        if rels or RELS in parts:
            parts[RELS] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join(rels)
                + "</Relationships>"
            ).encode("utf-8")
        stamp = saved.strftime("%Y-%m-%dT%H:%M:%SZ")
        parts[CORE] = re.sub(
            rb"(<dcterms:modified\b[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\g<2>", parts[CORE], count=1
        )
        parts[WORKBOOK] = re.sub(
            rb"(_FilterDatabase[^>]*>[^<]*?:\$[A-Z]+\$)\d+", rb"\g<1>" + str(last).encode(), parts[WORKBOOK], count=1
        )
        return self._zip(parts)

    def _strings(self, sst: dict[str, int], refs: int) -> bytes:
        head = self.sst_open.group(0)
        head = re.sub(r'count="\d+" uniqueCount="\d+"', f'count="{refs}" uniqueCount="{len(sst)}"', head)
        items = []
        for text in sst:
            space = ' xml:space="preserve"' if text != text.strip() else ""
            items.append(f"<si><t{space}>{_escape(text)}</t></si>")
        return (head + "".join(items) + "</sst>").encode("utf-8")

    def _zip(self, parts: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        names = [i.filename for i in self.infos]
        if RELS in parts and RELS not in names:
            names.insert(names.index(SHEET) + 1, RELS)
        by_name = {i.filename: i for i in self.infos}
        with zipfile.ZipFile(buf, "w") as zf:
            for name in names:
                old = by_name.get(name) or by_name[SHEET]
                info = zipfile.ZipInfo(name, date_time=old.date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system, info.create_version = old.create_system, old.create_version
                info.extract_version, info.external_attr = old.extract_version, old.external_attr
                zf.writestr(info, parts[name], compresslevel=COMPRESS_LEVEL)
        return buf.getvalue()
