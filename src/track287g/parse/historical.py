"""The old lists (2007-2020): three CSV tables derived by a third party from public records, each a layout of its own.

They are recognized by their exact header line (never by the file name), read with the standard ``csv`` module,
and handed on twice: as a :class:`ParsedFile` of kind ``historical`` (flagged derived) for the archive, and, by
``read_historical``, with the columns a RawRow has no place for (the date each list stood, the OIG's status, the
source named in the row), for the history stage.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from track287g.parse.errors import RejectedFile
from track287g.parse.layouts import Layout
from track287g.parse.workbook import ParsedFile, RawRow

KIND = "historical"


@dataclass(frozen=True)
class OldLayout:
    layout: Layout
    header: tuple[str, ...]
    snapshot: bool  # True: each row is an agreement in force on its as_of date; False: an index of documents
    describes: str


def _layout(name: str, fields: set[str]) -> Layout:
    return Layout(name, KIND, True, frozenset(fields))


OLD_LAYOUTS = (
    OldLayout(
        _layout("old-ice-partners-page", {"state", "agency"}),
        ("source", "capture", "as_of", "state", "state_abbr", "agency"),
        True,
        "ICE's 287(g) partners page (web-archive captures): state and agency",
    ),
    OldLayout(
        _layout("old-oig-2009-table", {"state", "agency", "support", "signed"}),
        ("source", "as_of", "state", "agency", "model", "date_signed_original", "status"),
        True,
        "DHS OIG-10-63 appendix E table 3: agreements as of 2009-10-28 with model and original signing date",
    ),
    OldLayout(
        _layout("old-ice-moa-index", {"state", "agency", "signed", "moa"}),
        ("source", "state", "agency", "date_signed", "moa_file"),
        False,
        "ICE's index of archived MOAs (2002-2020): state, agency, signing date, MOA file",
    ),
)
BY_HEADER = {o.header: o for o in OLD_LAYOUTS}
BY_NAME = {o.layout.name: o for o in OLD_LAYOUTS}
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class OldRow:
    """One row of an old list, with what its file says beyond a RawRow."""

    number: int  # line in the file (the header is line 1)
    state: str
    agency: str
    model: str | None  # as printed: Task Force, Jail Enforcement, Hybrid
    signed: str | None
    moa_file: str | None
    as_of: str | None  # the day the list stood (None: an index of documents)
    status: str | None  # the OIG's signed / pending
    source: str


def _header(data: bytes) -> tuple[str, ...] | None:
    first = data.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        return tuple(next(csv.reader([first.decode("utf-8-sig")])))
    except (UnicodeDecodeError, StopIteration, csv.Error):
        return None


def is_historical(data: bytes) -> bool:
    """True when the bytes start with the header line of one of the old lists."""
    return not data.startswith(b"PK") and _header(data) in BY_HEADER


def _records(data: bytes) -> tuple[OldLayout, list[tuple[int, dict[str, str]]]]:
    if len(data) > MAX_BYTES:
        raise RejectedFile(f"an old list of {len(data):,} bytes, over the limit of {MAX_BYTES:,}")
    header = _header(data)
    old = BY_HEADER.get(header) if header else None
    if old is None:
        raise RejectedFile("not one of the old lists: unknown header line")
    try:
        text = data.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        rows = [(reader.line_num, r) for r in reader]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise RejectedFile(f"unreadable old list ({type(exc).__name__}: {exc})") from None
    for number, r in rows:
        if None in r or any(v is None for v in r.values()):
            raise RejectedFile(f"line {number}: not as many cells as the header has columns")
        for key in ("as_of", "date_signed", "date_signed_original"):
            if r.get(key):
                try:
                    date.fromisoformat(r[key])
                except ValueError:
                    raise RejectedFile(f"line {number}: {key} {r[key]!r} is not a date (YYYY-MM-DD)") from None
    return old, rows


def read_historical(data: bytes) -> tuple[OldLayout, list[OldRow]]:
    """Every row of an old list, with its date, status and source. Raises RejectedFile."""
    old, rows = _records(data)
    out = []
    for number, r in rows:
        out.append(
            OldRow(
                number,
                r["state"].strip(),
                r["agency"].strip(),
                r.get("model") or None,
                r.get("date_signed") or r.get("date_signed_original") or None,
                r.get("moa_file") or None,
                r.get("as_of") or None,
                r.get("status") or None,
                r["source"],
            )
        )
    return old, out


def read_historical_publication(data: bytes) -> ParsedFile:
    """An old list as a publication of kind ``historical`` (derived), its rows as RawRows."""
    old, rows = read_historical(data)
    fields = old.layout.fields

    def cell(name: str, value: str | None) -> str | None:
        return (value or "") if name in fields else None

    raw = [
        (
            r.number,
            RawRow(
                r.state,
                r.agency,
                None,
                None,
                cell("support", r.model),
                cell("signed", r.signed),
                cell("moa", r.moa_file),
                None,
                None,
                None,
            ),
        )
        for r in rows
    ]
    dates = sorted({r.as_of for r in rows if r.as_of})
    return ParsedFile(
        layout=old.layout,
        sheet="",
        headers=list(old.header),
        header_row=1,
        rows=raw,
        created=None,
        modified=None,
        flags=[f"as-of:{d}" for d in dates],
    )
