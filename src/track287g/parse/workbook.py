"""Read an .xlsx publication: find the header row, detect the layout, and return the rows as printed."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import NamedTuple

from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from track287g.parse.errors import RejectedFile
from track287g.parse.guard import MAX_CELL_CHARS, check_workbook
from track287g.parse.layouts import Layout, is_header_row, match_layout
from track287g.parse.links import hyperlinks, sheet_parts

HEADER_SEARCH_ROWS = 25


class RawRow(NamedTuple):
    """One data row as printed. ``None`` means the layout has no such column; ``""`` an empty cell."""

    state: str | None
    agency: str | None
    type: str | None
    county: str | None
    support: str | None
    signed: str | None
    moa: str | None
    moa_target: str | None
    addendum: str | None
    addendum_target: str | None


@dataclass
class ParsedFile:
    layout: Layout
    sheet: str
    headers: list[str]
    header_row: int  # as Excel numbers rows (1-based)
    rows: list[tuple[int, RawRow]]  # (Excel row number, row)
    created: str | None
    modified: str | None
    flags: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.layout.kind


_CORE = re.compile(rb"<dcterms:(created|modified)\b[^>]*>([^<]*)<")


def cell_text(value: object) -> str:
    """A cell as text, the way a reader of the sheet would see it (dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


class _StrayData(Exception):
    pass


@lru_cache(maxsize=1 << 16)
def _raw_row(
    fields: tuple[int | None, ...],
    stray: tuple[int, ...],
    cells: tuple[object, ...],
    moa_target: str | None,
    addendum_target: str | None,
) -> RawRow | None:
    """One sheet row as a RawRow (None when blank). Cached: ICE repeats the same rows in every list."""
    if _is_blank(cells):
        return None
    extra = [cells[j] for j in stray if j < len(cells) and cells[j] not in (None, "")]
    if extra:
        raise _StrayData(extra[:3])

    def text(col: int | None) -> str | None:
        if col is None:
            return None
        return cell_text(cells[col]) if col < len(cells) else ""

    state, agency, type_, county, support, signed, moa, addendum = (text(c) for c in fields)
    return RawRow(state, agency, type_, county, support, signed, moa, moa_target, addendum, addendum_target)


def _is_blank(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


_SHORT_ROWS: set[tuple[object, ...]] = set()  # rows seen with no cell over the limit (ICE repeats its rows)
_SHORT_ROWS_KEPT = 1 << 16


def _check_cell_lengths(rows: Sequence[tuple[object, ...]], headers: Sequence[object]) -> None:
    for i, row in enumerate(rows):
        if row in _SHORT_ROWS:
            continue
        for j, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                column = cell_text(headers[j]).strip() if j < len(headers) else ""
                raise RejectedFile(
                    f"row {i + 1}{f' ({column})' if column else ''}: a cell of {len(value):,} characters, over the "
                    f"limit of {MAX_CELL_CHARS:,}"
                )
        if len(_SHORT_ROWS) >= _SHORT_ROWS_KEPT:
            _SHORT_ROWS.clear()
        _SHORT_ROWS.add(row)


def _metadata(parts: dict[str, bytes]) -> tuple[str | None, str | None]:
    found = {k.decode(): v.decode().strip() for k, v in _CORE.findall(parts.get("docProps/core.xml", b""))}
    return found.get("created") or None, found.get("modified") or None


def _visible_sheets(book: CalamineWorkbook) -> tuple[list[str], list[str]]:
    """The names of the visible worksheets, in order, and of the hidden ones (never read as the list)."""
    visible: list[str] = []
    hidden: list[str] = []
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        (visible if meta.visible == SheetVisibleEnum.Visible else hidden).append(meta.name)
    return visible, hidden


def read_publication(data: bytes) -> ParsedFile:
    """Parse a workbook's bytes. Raises RejectedFile with a one-line reason for anything that is not a list.

    The list is the first visible worksheet with ICE's header row; hidden sheets are never read (a workbook
    that has some is flagged ``hidden-sheets:N``)."""
    parts = check_workbook(data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = book.sheet_names
        visible, hidden = _visible_sheets(book)
    except Exception as exc:  # calamine raises its own error types for corrupt parts
        raise RejectedFile(f"corrupt workbook ({type(exc).__name__}: {exc})") from None
    paths = dict(sheet_parts(parts))
    first_rows: list[str] = []
    hidden_note = f"; hidden sheets not read: {', '.join(repr(n) for n in hidden)}" if hidden else ""
    for sheet_name in visible:
        try:
            cells = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise RejectedFile(f"cannot read sheet {sheet_name!r} ({type(exc).__name__}: {exc})") from None
        header_index = next((i for i, row in enumerate(cells[:HEADER_SEARCH_ROWS]) if is_header_row(row)), None)
        if header_index is None:
            first_rows.extend(
                f"{sheet_name}!{i + 1}: {[c for c in row if c not in (None, '')][:8]}"
                for i, row in enumerate(cells[:3])
                if not _is_blank(row)
            )
            continue
        parsed = _read_sheet(parts, paths.get(sheet_name, ""), sheet_name, cells, header_index, sheet_names)
        if hidden:
            parsed.flags.append(f"hidden-sheets:{len(hidden)}")
        return parsed
    if not first_rows:
        raise RejectedFile(f"no header row: the workbook's visible sheets are empty{hidden_note}")
    raise RejectedFile(
        "no header row naming STATE and LAW ENFORCEMENT AGENCY; first rows: " + "; ".join(first_rows) + hidden_note
    )


def _read_sheet(
    parts: dict[str, bytes],
    sheet_path: str,
    sheet_name: str,
    cells: Sequence[Sequence[object]],
    header_index: int,
    sheet_names: list[str],
) -> ParsedFile:
    headers = cells[header_index]
    found = match_layout(headers)
    if found[0] is None:
        printed = [cell_text(h).strip() for h in headers if cell_text(h).strip()]
        raise RejectedFile(f"unknown layout: {found[1]}; headers found: {printed}")
    layout, columns = found
    flags: list[str] = []
    used = set(columns.values())
    stray = tuple(j for j in range(max(len(r) for r in cells)) if j not in used)
    fields = tuple(
        columns.get(f) for f in ("state", "agency", "type", "county", "support", "signed", "moa", "addendum")
    )
    moa_col, addendum_col = columns.get("moa"), columns.get("addendum")
    links = hyperlinks(parts, sheet_path) if sheet_path else {}
    rows: list[tuple[int, RawRow]] = []
    as_tuples = [tuple(row) for row in cells]
    _check_cell_lengths(as_tuples, headers)
    for index in range(header_index + 1, len(cells)):
        moa_target = links.get((index, moa_col)) if links and moa_col is not None else None
        addendum_target = links.get((index, addendum_col)) if links and addendum_col is not None else None
        try:
            raw = _raw_row(fields, stray, as_tuples[index], moa_target, addendum_target)
        except _StrayData as exc:
            raise RejectedFile(
                f"unknown layout: row {index + 1} has data in a column with no header ({exc.args[0]})"
            ) from None
        if raw is not None:
            rows.append((index + 1, raw))
    # trailing blank rows are formatting, not content; blank rows between data rows are worth a flag
    inner_blank = rows[-1][0] - (header_index + 1) - len(rows) if rows else 0
    if inner_blank:
        flags.append(f"blank-rows-skipped:{inner_blank}")
    if len(sheet_names) > 1:
        flags.append(f"sheets:{len(sheet_names)}")
    created, modified = _metadata(parts)
    return ParsedFile(
        layout=layout,
        sheet=sheet_name,
        headers=[cell_text(h) for h in headers],
        header_row=header_index + 1,
        rows=rows,
        created=created,
        modified=modified,
        flags=flags,
    )
