"""SIGNED: a date cell, or text ICE typed instead, repaired only by the rules below.

- ``date-year-typo``: a year from 3000 on whose last three digits give a year 2000-2099 (``5025`` -> ``2025``).
- ``date-text``: text in ``M/D/YYYY`` or ``YYYY-MM-DD`` form, read as that date.
- ``date-missing-slash``: text ``M/DYYYY`` or ``MM/DDYYYY`` (``05/082025``, ``7/72025``): the last four
  digits are the year, so the split is unambiguous.
Anything else is kept as printed, with no date, and flagged ``date-invalid``.
"""

from __future__ import annotations

import re
from datetime import date

from track287g.normalize.text import squash

EARLIEST_YEAR = 1996  # the 287(g) program dates from IIRIRA, 1996
LATEST_YEAR = 2100

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_NO_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})(\d{4})$")


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def normalize_signed(raw: str | None) -> tuple[str | None, str, str | None]:
    """(ISO date or None, status, rule) for a SIGNED cell (date cells arrive as ISO text).

    Status is ``ok``, ``repaired``, ``missing``, ``invalid`` or ``absent`` (no SIGNED column).
    """
    if raw is None:
        return None, "absent", None
    text = squash(raw)
    if not text:
        return None, "missing", None
    rules: list[str] = []
    if (m := _ISO.match(text)) is not None:  # a date cell, or ISO text (the HTML-era tables): no repair
        y, mo, d = (int(g) for g in m.groups())
    elif (m := _US.match(text)) is not None:
        mo, d, y = (int(g) for g in m.groups())
        rules.append("date-text")
    elif (m := _NO_SLASH.match(text)) is not None:
        mo, d, y = (int(g) for g in m.groups())
        rules.append("date-missing-slash")
    else:
        return None, "invalid", "date-invalid"
    if y >= 3000 and y % 1000 < 100:
        y = 2000 + y % 1000
        rules.append("date-year-typo")
    value = _make(y, mo, d)
    if value is None or not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None, "invalid", "date-invalid"
    if not rules:
        return value.isoformat(), "ok", None
    return value.isoformat(), "repaired", "+".join(rules)


def typing_slip(old: str, new: str) -> str | None:
    """How two ISO dates differ by a slip of the keyboard (None: they do not): ``digit`` (one digit),
    ``day-month`` (day and month swapped), ``year`` (the year alone, by one) or ``day`` (one day apart)."""
    if old == new:
        return None
    a, b = date.fromisoformat(old), date.fromisoformat(new)
    if abs((b - a).days) == 1:
        return "day"
    if sum(x != y for x, y in zip(old, new, strict=True)) == 1:
        return "digit"
    if (a.month, a.day) == (b.day, b.month):
        return "day-month"
    if (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1:
        return "year"
    return None
