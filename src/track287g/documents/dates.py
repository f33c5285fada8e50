"""Dates as MOAs print them: "March 3, 2025", "03/03/2025", "3-13-2020", "OCT 1 5 2019", "2020.06.24".

Each parse says which rule read it. Two repairs of OCR slips are allowed and named: digits split by a space
inside a day or year ("OCT 1 5 2019", rule ``ocr-split-digits``) and a letter read for a digit inside a year
("202S", ``ocr-letter-digit``). Anything else that is not clearly a date is not a date: None, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

EARLIEST = date(2002, 1, 1)  # the first 287(g) agreement was signed in 2002
LATEST_YEAR = 2035

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
LETTER_DIGITS = str.maketrans({"S": "5", "s": "5", "O": "0", "o": "0", "l": "1", "I": "1"})

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"(?:19|20)[0-9SOlI]{2}"
# "March 3, 2025", "OCT 1 5 2019", "Feb. 26 2025"
_NAMED = re.compile(rf"\b({_MONTH})[.,]?\s+(\d\s?\d?)(?:st|nd|rd|th)?\s*[,.]?\s*({_YEAR}|2\s?0\s?\d\s?\d)\b", re.I)
# "3 March 2025"
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?,?\s+({_YEAR})\b", re.I)
# "03/03/2025", "3-13-2020", "4.29.25"
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/-])")
# a digital signature's "2020.06.24 10:01:45"
_DIGITAL = re.compile(r"\b(20\d{2})[.-](\d{2})[.-](\d{2})\b")


@dataclass(frozen=True)
class FoundDate:
    value: date
    raw: str
    rule: str  # month-name | numeric | numeric-2-digit-year | digital-signature | + ocr repairs


def _plausible(y: int, m: int, d: int) -> date | None:
    try:
        found = date(y, m, d)
    except ValueError:
        return None
    return found if found >= EARLIEST and found.year <= LATEST_YEAR else None


def _year(text: str) -> tuple[int | None, bool]:
    digits = text.replace(" ", "")
    repaired = digits.translate(LETTER_DIGITS)
    if not repaired.isdigit() or len(repaired) != 4:
        return None, False
    return int(repaired), repaired != digits


def find_dates(text: str) -> list[FoundDate]:
    """Every date in ``text``, in order of appearance."""
    found: list[tuple[int, FoundDate]] = []
    text = text.replace("_", " ")  # the blank a date was written on
    for m in _NAMED.finditer(text):
        year, lettered = _year(m.group(3))
        day_text = m.group(2)
        if year is None or not day_text.replace(" ", "").isdigit():
            continue
        value = _plausible(year, MONTHS[m.group(1).lower()], int(day_text.replace(" ", "")))
        if value:
            rule = "month-name"
            if " " in day_text or " " in m.group(3):
                rule += "+ocr-split-digits"
            if lettered:
                rule += "+ocr-letter-digit"
            found.append((m.start(), FoundDate(value, m.group(0), rule)))
    for m in _DAY_FIRST.finditer(text):
        year, lettered = _year(m.group(3))
        value = _plausible(year, MONTHS[m.group(2).lower()], int(m.group(1))) if year else None
        if value:
            found.append((m.start(), FoundDate(value, m.group(0), "day-month-name" + ("+ocr-letter-digit" * lettered))))
    for m in _DIGITAL.finditer(text):
        value = _plausible(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if value:
            found.append((m.start(), FoundDate(value, m.group(0), "digital-signature")))
    for m in _NUMERIC.finditer(text):
        month, day, year_text = int(m.group(1)), int(m.group(3)), m.group(4)
        year = int(year_text) + 2000 if len(year_text) == 2 else int(year_text)
        value = _plausible(year, month, day)
        if value and not any(start <= m.start() < start + len(f.raw) for start, f in found):
            rule = "numeric" if len(year_text) == 4 else "numeric-2-digit-year"
            found.append((m.start(), FoundDate(value, m.group(0), rule)))
    return [f for _start, f in sorted(found, key=lambda pair: pair[0])]


def first_date(text: str) -> FoundDate | None:
    dates = find_dates(text)
    return dates[0] if dates else None
