"""Every column layout ICE has used, recognized from the header row.

Headers are compared after upper-casing and collapsing whitespace, through a table of spellings. A layout is
the exact set of columns; a header outside the table, or a set no layout has, is an unknown layout.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# canonical field -> header spellings seen or expected (compared after normalize_header)
HEADER_SPELLINGS: dict[str, tuple[str, ...]] = {
    "state": ("STATE",),
    "agency": ("LAW ENFORCEMENT AGENCY", "LAW ENFORCEMENT AGENCIES", "AGENCY", "AGENCY NAME"),
    "type": ("TYPE", "AGENCY TYPE"),
    "county": ("COUNTY", "COUNTY/PARISH"),
    "support": ("SUPPORT TYPE", "SUPPORT TYPES", "SUPPORT", "MODEL"),
    "signed": ("SIGNED", "DATE SIGNED", "SIGNED DATE"),
    "moa": ("MOA", "MOA LINK", "MOAS"),
    "addendum": ("ADDENDUM", "ADDENDUMS", "ADDENDA"),
}
FIELD_OF_HEADER = {spelling: field for field, spellings in HEADER_SPELLINGS.items() for spelling in spellings}


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str  # participating | pending
    derived: bool  # True for the tables extracted from ICE's old HTML page
    fields: frozenset[str]


LAYOUTS = (
    Layout("html-table", "participating", True, frozenset({"state", "agency", "support", "signed", "moa"})),
    Layout(
        "participating",
        "participating",
        False,
        frozenset({"state", "agency", "type", "support", "signed", "moa"}),
    ),
    Layout(
        "participating+county",
        "participating",
        False,
        frozenset({"state", "agency", "type", "county", "support", "signed", "moa"}),
    ),
    Layout(
        "participating+county+addendum",
        "participating",
        False,
        frozenset({"state", "agency", "type", "county", "support", "signed", "moa", "addendum"}),
    ),
    Layout("pending", "pending", False, frozenset({"state", "agency", "type", "support"})),
    Layout("pending+county", "pending", False, frozenset({"state", "agency", "type", "county", "support"})),
    Layout(
        "pending+county+moa",
        "pending",
        False,
        frozenset({"state", "agency", "type", "county", "support", "moa"}),
    ),
)
LAYOUT_BY_FIELDS = {layout.fields: layout for layout in LAYOUTS}

_SPACE = re.compile(r"\s+")


def normalize_header(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip().upper()


def is_header_row(cells: Sequence[object]) -> bool:
    """A header row names at least the state and the agency."""
    fields = {FIELD_OF_HEADER.get(normalize_header(c)) for c in cells}
    return {"state", "agency"} <= fields


def match_layout(headers: Sequence[object]) -> tuple[Layout, dict[str, int]] | tuple[None, str]:
    """The layout and the column index of each field; or None and the reason no layout fits."""
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(headers):
        header = normalize_header(cell)
        if not header:
            continue
        field = FIELD_OF_HEADER.get(header)
        if field is None:
            unknown.append(header)
        elif field in columns:
            return None, f"column {header!r} appears twice"
        else:
            columns[field] = index
    if unknown:
        return None, "unknown column(s) " + ", ".join(repr(u) for u in unknown)
    layout = LAYOUT_BY_FIELDS.get(frozenset(columns))
    if layout is None:
        return None, "no known layout has exactly these columns"
    return layout, columns
