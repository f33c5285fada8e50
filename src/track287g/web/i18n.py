"""English and Spanish: every string the site shows goes through ``translate`` (a count through ``plural``, both
forms in the catalog); the catalog maps each English string to its Spanish version (``catalog_es.py``). A string
missing from the catalog shows in English and is caught by the tests, which read every ``_("...")`` and
``ngettext("...", "...", n)`` in the templates and the code.
"""

from __future__ import annotations

from datetime import date

from track287g.plurals import ngettext
from track287g.web.catalog_es import ES

LANGS = ("en", "es")
LANG_NAMES = {"en": "English", "es": "Español"}


def translate(lang: str, text: str, **values: object) -> str:
    """``text`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    out = ES.get(text, text) if lang == "es" else text
    return out.format(**values) if values else out


def plural(lang: str, singular: str, plural: str, n: int, **values: object) -> str:
    """The form of a message for ``n`` things, in ``lang``, with ``{n}`` set to ``n`` as the language writes it
    (``plural("en", "{n} agency", "{n} agencies", 1)`` is "1 agency"). Both forms are catalog entries."""
    return translate(lang, ngettext(singular, plural, n), n=number(lang, n), **values)


def number(lang: str, value: float | int | None) -> str:
    """1,234 in English; 1234 / 12 345 in Spanish (the RAE's rule: a space from five digits on)."""
    if value is None:
        return "–"
    text = f"{value:,.1f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"
    if lang == "es":
        text = text.replace(",", "\u202f").replace(".", ",") if abs(value) >= 10000 else text.replace(",", "")
        if isinstance(value, float) and not value.is_integer():
            text = text.replace(".", ",")
    return text


def money(lang: str, value: float | int | None) -> str:
    """Dollars, rounded to the million when large: $12.3 million / 12,3 millones de dólares."""
    if value is None:
        return "–"
    if abs(value) >= 1_000_000:
        m = value / 1_000_000
        return f"${m:,.1f} million" if lang == "en" else f"{m:,.1f} millones de dólares".replace(".", ",")
    return f"${value:,.0f}" if lang == "en" else f"{number(lang, round(value))} dólares"


MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def long_date(lang: str, iso: str | None) -> str:
    """26 January 2026 / 26 de enero de 2026 (an ISO date is kept when it cannot be read)."""
    if not iso:
        return "–"
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    if lang == "es":
        return f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"
    return f"{d.day} {d.strftime('%B')} {d.year}"
