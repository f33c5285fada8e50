"""Every string the site shows has its Spanish version, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

from track287g.publish import downloads
from track287g.web import endpoints, i18n
from track287g.web.catalog_es import ES

WEB = Path(i18n.__file__).parent
SHOWN_THROUGH_VALUES = [
    *(e.summary for e in endpoints.ENDPOINTS),
    *(t for _, t in downloads.API_CSV),
    "Bad request",
    "Not found",
    "Something went wrong",
    "1 agency",
    "2–3 agencies",
    "4–7 agencies",
    "8 or more agencies",
    "active",
    "removed",
    "pending",
    "withdrawn",
    "approved",
    "superseded",
    "county",
    "municipal",
    "state",
    "unknown",
    "participating (list)",
    "pending (list)",
    "Jail Enforcement Model",
    "Task Force Model",
    "Warrant Service Officer",
    # the documents' kinds, text sources, date checks and field names
    "moa",
    "addendum",
    "kind not found",
    "text-layer",
    "ocr",
    "none",
    "matches",
    "differs",
    "models",
    "agency",
    "field_office",
    "term",
    "renewal",
    "addendum_to",
    "signed_ice",
    "signed_agency",
]


def used_strings() -> set[str]:
    found: set[str] = set()
    for path in (WEB / "templates").glob("*.html"):
        text = path.read_text()
        found |= set(re.findall(r'_\("((?:[^"\\]|\\.)*)"', text))
        found |= set(re.findall(r"_\('((?:[^'\\]|\\.)*)'", text))
        for forms in re.findall(r'ngettext\(\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"', text):
            found |= set(forms)
    for path in WEB.glob("*.py"):
        code = path.read_text()
        found |= set(re.findall(r'translate\(\s*lang,\s*"((?:[^"\\]|\\.)*)"', code))
        for forms in re.findall(r'plural\(\s*lang,\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"', code):
            found |= set(forms)
    return found | set(SHOWN_THROUGH_VALUES)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_shown_string_has_a_spanish_version():
    missing = sorted(s for s in used_strings() if s not in ES)
    assert missing == []


def test_placeholders_match():
    for en, es in ES.items():
        assert fields(en) == fields(es), en


def test_event_types_and_agency_kinds_are_translated(built_db):
    from sqlalchemy import text

    with built_db.read() as conn:
        values = set(conn.execute(text("SELECT DISTINCT type FROM event")).scalars())
        values |= set(conn.execute(text("SELECT DISTINCT kind FROM agency")).scalars())
    assert sorted(v for v in values if v not in ES) == []


def test_numbers_and_dates():
    assert i18n.number("en", 1234567) == "1,234,567"
    assert i18n.number("es", 1234) == "1234"
    assert i18n.number("es", 12345) == "12\u202f345"
    assert i18n.long_date("es", "2026-01-26") == "26 de enero de 2026"
    assert i18n.long_date("en", "2026-01-26") == "26 January 2026"
