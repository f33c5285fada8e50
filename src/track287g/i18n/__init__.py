"""The reader's language: English or Spanish words from gettext catalogs, numbers, money, percentages and dates
by locale from Babel.

Every sentence a reader sees is an English msgid in ``locale/track287g.pot``, extracted from the templates and
the code by Babel (``scripts/catalogs.sh``); ``locale/es/LC_MESSAGES/track287g.po`` holds its Spanish and
``track287g.mo`` the compiled catalog the site loads. Placeholders are named and in braces (``{state}``,
python-brace-format); a count is ``{n}``, written as the language writes numbers.

    es = language("es")
    es.gettext("287(g) in {state}", state="Texas")            # '287(g) en Texas'
    es.ngettext("{n} agency", "{n} agencies", 12345)          # '12.345 agencias'
    es.label("status", "removed")                             # 'retirada' (a stored code, shown in words)
    es.money(2_398_100_000)                                   # '2398,1 millones de dólares'
    es.money(45_250)                                          # '45.250 dólares'

Strings defined apart from where they are shown are marked for extraction with ``N_`` (plain), ``NN_`` (the
singular and plural of a sentence about a count, as ``ngettext`` takes them) or ``NP_`` (with a context that tells
two uses of one English word apart, as ``pgettext`` does).
"""

from __future__ import annotations

import gettext as _gettext
from datetime import date
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# Babel and MarkupSafe load on first use: the command line imports this module for ``N_`` and its counts.

LANGS = ("en", "es")
LANG_NAMES = {"en": "English", "es": "Español"}
LOCALES = {"en": "en_US", "es": "es"}  # Babel locales: Spanish numbers as CLDR writes them (1.234,5)
DOMAIN = "track287g"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE = "en"  # the catalog's source language: msgids are English
BARE_KEPT = 20_000  # sentences without values kept per language (the catalog has about a thousand)


def N_(message: str) -> str:
    """Mark ``message`` for extraction where it is defined; it is translated where it is shown."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Mark the two English forms of a sentence about a count for extraction where they are defined; the form
    for a count is chosen where it is shown (``Language.ngettext``, ``messages.render``)."""
    return singular, plural


def NP_(context: str, message: str) -> str:
    """Mark ``message`` with its ``context`` for extraction (shown through ``Language.pgettext``)."""
    return message


class Language:
    """One language of the site: its catalog (``translations``) and its Babel locale. With ``markup``, sentences
    come back as HTML-safe ``Markup`` for templates: the translation escaped, each value escaped unless it is
    ``Markup`` itself (a link or ``<strong>`` inside a sentence)."""

    def __init__(self, code: str, markup: bool = False) -> None:
        if code not in LANGS:
            raise ValueError(f"no language {code!r} (one of {', '.join(LANGS)})")
        self.code = code
        self.markup = markup
        self.translations: _gettext.NullTranslations = (
            _gettext.NullTranslations() if code == SOURCE else _gettext.translation(DOMAIN, LOCALE_DIR, [code])
        )
        self._bare: dict[str, str] = {}  # message -> its sentence with no values (a page asks for hundreds)

    def __repr__(self) -> str:
        return f"Language({self.code!r})"

    @cached_property
    def locale(self) -> Locale:
        """Babel's locale for this language (made on first use: the command line's counts never need it)."""
        from babel import Locale

        return Locale.parse(LOCALES[self.code])

    # --- words ---------------------------------------------------------------------------------------------

    def fill(self, text: str, values: dict[str, object]) -> str:
        """A translated sentence with its placeholders filled (escaped first when this language makes markup)."""
        if self.markup:
            from markupsafe import escape

            safe = escape(text)
            return safe.format(**values) if values else safe
        return text.format(**values) if values else text

    def gettext(self, message: str, **values: object) -> str:
        """``message`` in this language, with its ``{name}`` placeholders filled from ``values``."""
        if values:
            return self.fill(self.translations.gettext(message), values)
        found = self._bare.get(message)
        if found is None:
            found = self.fill(self.translations.gettext(message), values)
            if len(self._bare) < BARE_KEPT:
                self._bare[message] = found
        return found

    def ngettext(self, singular: str, plural: str, count: int | float, /, **values: object) -> str:
        """The form for ``count`` things, translated; ``{n}`` is the count as this language writes numbers
        unless ``values`` give it (as markup, say)."""
        values.setdefault("n", self.number(count))
        whole = int(count) if float(count).is_integer() else 2  # gettext's plural rules take whole numbers
        return self.fill(self.translations.ngettext(singular, plural, whole), values)

    def pgettext(self, context: str, message: str, **values: object) -> str:
        """``message`` in ``context`` (a word with two uses: "pending" as a status or as a list)."""
        return self.fill(self.translations.pgettext(context, message), values)

    def translated(self, message: str) -> bool:
        """Whether the catalog has ``message`` in this language (always true in the source language)."""
        return self.code == SOURCE or self.translations.gettext(message) != message

    def label(self, group: str, code: str | None) -> str:
        """A stored code (an event type, a status, a rule) in words: ``label("status", "removed")``. A code the
        tables do not know is shown as it is."""
        from track287g.i18n.labels import LABELS

        if code is None:
            return ""
        english = LABELS.get(group, {}).get(code)
        if english is None:
            if "+" in code:  # rules applied together: "trim-space+type-typo"
                return ", ".join(self.label(group, part) for part in code.split("+"))
            return code
        return self.pgettext(group, english)

    # --- numbers, money, percentages, dates ----------------------------------------------------------------

    def number(self, value: float | int | None) -> str:
        """1,234 / 1.234 (one decimal when the value is not whole); "–" when there is none."""
        if value is None:
            return "–"
        return _number(self.code, isinstance(value, float), value)

    def decimal(self, value: float | int | None, digits: int = 3, fixed: bool = False) -> str:
        """A measured value with up to ``digits`` decimals: 0.2 / 0,2; 1.15 / 1,15; ``fixed``: always ``digits``
        (1.0 beside 2.7 in a column of rates)."""
        from babel.numbers import format_decimal

        if value is None:
            return "–"
        return format_decimal(value, format="#,##0." + ("0" if fixed else "#") * digits, locale=self.locale)

    def money(self, value: float | int | None) -> str:
        """Dollars, written the same way below a million and above, from the catalog: $12,345 / 12.345 dólares;
        from a million on, in millions with one decimal ($2,398.1 million / 2398,1 millones de dólares)."""
        from babel.numbers import format_decimal

        if value is None:
            return "–"
        if value < 0:
            return "-" + self.money(-value)
        if value >= 1_000_000:
            millions = format_decimal(value / 1_000_000, format="#,##0.0", locale=self.locale)
            return self.gettext("${amount} million", amount=millions)
        return self.gettext("${amount}", amount=format_decimal(round(value), format="#,##0", locale=self.locale))

    def percent(self, value: float | int | None, digits: int = 1) -> str:
        """A percentage given in percent (25 -> 25% / 25 %), with up to ``digits`` decimals."""
        from babel.numbers import format_percent

        if value is None:
            return "–"
        base = self.locale.percent_formats[None].pattern  # the locale's own: "#,##0%" / "#,##0\xa0%"
        last = base.rindex("0") + 1
        return format_percent(value / 100, format=base[:last] + "." + "#" * digits + base[last:], locale=self.locale)

    def date(self, iso: str | None) -> str:
        """January 26, 2026 / 26 de enero de 2026 (a text that is not an ISO date is kept as it is)."""
        from babel.dates import format_date

        if not iso:
            return "–"
        try:
            day = date.fromisoformat(str(iso)[:10])
        except ValueError:
            return str(iso)
        return format_date(day, format="long", locale=self.locale)


@lru_cache(maxsize=16384)
def _number(code: str, is_float: bool, value: float | int) -> str:
    """``Language.number`` in the language ``code``, kept: a page shows the same counts again and again, and Babel
    takes tens of microseconds to write one (``is_float`` keeps 1 and 1.0 apart in the cache)."""
    from babel.numbers import format_decimal

    locale = language(code).locale
    if isinstance(value, float) and not value.is_integer():
        return format_decimal(value, format="#,##0.0", locale=locale)
    return format_decimal(int(value), locale=locale)


@cache
def language(code: str) -> Language:
    """The language ``code`` ("en" or "es"), its catalog loaded once."""
    return Language(code)


ENGLISH = language(SOURCE)
