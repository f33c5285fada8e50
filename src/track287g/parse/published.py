"""When was a publication posted? Read from ICE's file names, checked against the workbook and archives.

The rule, in order (each name of the same bytes is read; the publication takes the earliest accepted date):

1. **file-name**: ICE's stamp ``MMDDYYYY`` (+ ``am``/``mid``/``pm``), accepted when it is a real date on or
   after the day the workbook was last saved (US Eastern time; a list cannot be posted before it was saved)
   and less than ``MAX_REPOST_DAYS`` after it.
2. **file-name-extra-digit**: a 9-digit stamp (``090022025``) is read as the one 8-digit date, obtained by
   deleting a single digit, that passes rule 1. Ambiguous deletions are not used.
3. **file-name-year-typo**: a stamp whose year is impossible or fails rule 1 (``01052025`` on a workbook saved
   in January 2026, ``10223025``) keeps its month and day and takes the year of the workbook's last save (or
   the next year), when that falls within ``YEAR_TYPO_WINDOW_DAYS`` after the save.
4. **workbook-modified**: when no name gives an accepted date, the day the workbook was last saved (Eastern).
5. **archive-capture**: when the workbook carries no usable save time (the HTML-era tables), the day a web
   archive captured the page.

A date later than the earliest archive capture of the bytes is flagged (a list cannot be captured before it
was posted), but the stamp still decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
MAX_REPOST_DAYS = 366  # ICE re-posts unchanged files for weeks, never for years
YEAR_TYPO_WINDOW_DAYS = 31  # a repaired year must put the posting within a month of the save
PART_RANK = {"am": 1, "": 2, "mid": 2, "pm": 3}

_STAMP = re.compile(r"(?<!\d)(\d{8,9})(?!\d)[ _-]?(am|pm|mid)?", re.IGNORECASE)
_CAPTURE = re.compile(r"(?<!\d)(20\d{12})(?!\d)")


@dataclass(frozen=True)
class NameDate:
    """How one file name was read."""

    name: str
    stamp: str | None
    date: date | None  # None when the name gives no accepted date
    part: str
    rule: str
    note: str


@dataclass(frozen=True)
class PublishedDate:
    published: date
    part: str
    source: str
    note: str
    names: tuple[NameDate, ...]
    flags: tuple[str, ...]


def parse_timestamp(text: str | None) -> datetime | None:
    """An ISO-8601 timestamp (``2026-01-26T19:53:20Z``) as an aware datetime, or None."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))


def capture_time(name: str) -> datetime | None:
    """A web-archive capture time carried in a file name (``...-20250221214937.xlsx``), UTC."""
    m = _CAPTURE.search(name)
    if not m:
        return None
    try:
        return datetime.strptime(m.group(1), "%Y%m%d%H%M%S").replace(tzinfo=ZoneInfo("UTC"))
    except ValueError:
        return None


def _as_date(digits: str) -> date | None:
    try:
        return date(int(digits[4:8]), int(digits[0:2]), int(digits[2:4]))
    except ValueError:
        return None


def read_name(name: str, saved: date | None) -> NameDate:
    """Read the date stamp in one file name, applying rules 1-3 against the day the workbook was saved."""
    if capture_time(name) and not re.search(r"(?<!\d)\d{8,9}(?!\d)[ _-]?(am|pm|mid)", name, re.I):
        return NameDate(name, None, None, "", "capture-name", "the name carries a web-archive capture time")
    m = _STAMP.search(name)
    if not m:
        return NameDate(name, None, None, "", "no-stamp", "no MMDDYYYY stamp in the name")
    digits, part = m.group(1), (m.group(2) or "").lower()

    def acceptable(d: date | None) -> bool:
        if d is None:
            return False
        return saved is None or saved <= d < saved + timedelta(days=MAX_REPOST_DAYS)

    if len(digits) == 8:
        d = _as_date(digits)
        if acceptable(d):
            return NameDate(name, digits, d, part, "file-name", "")
    else:
        options = {_as_date(digits[:i] + digits[i + 1 :]) for i in range(len(digits))}
        options = {d for d in options if acceptable(d)}
        if len(options) == 1:
            d = options.pop()
            return NameDate(
                name, digits, d, part, "file-name-extra-digit", f"9-digit stamp {digits} read as {d:%m%d%Y}"
            )
        return NameDate(
            name,
            digits,
            None,
            part,
            "stamp-rejected",
            f"9-digit stamp {digits} has {len(options)} readings on or after the save date",
        )
    if saved is not None:
        for year in (saved.year, saved.year + 1):
            try:
                d = date(year, int(digits[0:2]), int(digits[2:4]))
            except ValueError:
                continue
            if saved <= d <= saved + timedelta(days=YEAR_TYPO_WINDOW_DAYS):
                return NameDate(
                    name,
                    digits,
                    d,
                    part,
                    "file-name-year-typo",
                    f"year {digits[4:]} replaced by {year} (workbook saved {saved})",
                )
    as_date = _as_date(digits)
    if as_date is None:
        why = "not a real date"
    elif saved is not None and as_date < saved:
        why = f"before the workbook was saved ({saved})"
    else:
        why = f"more than a year after the workbook was saved ({saved})"
    return NameDate(name, digits, None, part, "stamp-rejected", f"stamp {digits} is {why}")


def decide(
    names: list[str],
    modified: datetime | None,
    captured: datetime | None,
) -> PublishedDate:
    """The publication date of one file known under ``names`` (see the module docstring for the rule)."""
    saved = modified.astimezone(EASTERN).date() if modified else None
    read = tuple(read_name(n, saved) for n in sorted(set(names)))
    accepted = sorted((r for r in read if r.date), key=lambda r: (r.date, PART_RANK[r.part], r.name))
    flags: list[str] = []
    if accepted:
        first = accepted[0]
        source = "file-name" if first.rule == "file-name" else first.rule
        note = f"stamp in {first.name}" + (f"; {first.note}" if first.note else "")
        published, part = first.date, first.part
    elif saved is not None and (captured is None or saved <= captured.date() + timedelta(days=1)):
        parts = [r.part for r in read if r.part]
        part = parts[0] if parts else ""
        published, source = saved, "workbook-modified"
        rejected = [f"{r.name}: {r.note}" for r in read if r.rule == "stamp-rejected"]
        note = f"workbook last saved {modified:%Y-%m-%d %H:%M} UTC" + ("; " + "; ".join(rejected) if rejected else "")
    elif captured is not None:
        published, part, source = captured.date(), "", "archive-capture"
        note = f"captured by a web archive at {captured:%Y-%m-%d %H:%M} UTC; posting date unknown"
    else:
        raise ValueError("no file name stamp, workbook save time or capture time")
    if any(r.rule == "stamp-rejected" for r in read):
        flags.append("stamp-rejected")
    if any(r.rule in ("file-name-extra-digit", "file-name-year-typo") for r in read):
        flags.append("stamp-repaired")
    assert published is not None  # every branch above found a date
    if captured is not None and published > captured.date() and source != "archive-capture":
        flags.append("published-after-capture")
        note += f"; but an archive had it on {captured:%Y-%m-%d}"
    return PublishedDate(published, part, source, note, read, tuple(flags))
