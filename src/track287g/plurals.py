"""Counts choose their words here, once, for the command line (English): "1 agency", "2 agencies". The choice is
gettext's (``track287g.i18n``), the one the site makes in every language with ``Language.ngettext``.
"""

from __future__ import annotations

from track287g.i18n import ENGLISH


def ngettext(singular: str, plural: str, n: int | float) -> str:
    """``singular`` when ``n`` is exactly one, else ``plural`` (gettext's rule for English)."""
    return ENGLISH.translations.ngettext(singular, plural, int(n) if float(n).is_integer() else 2)


def count(n: int | float, singular: str, plural: str) -> str:
    """``n`` with thousands separators and the word that fits it: ``count(1, "file", "files")`` is "1 file"."""
    shown = f"{n:,}" if isinstance(n, int) or float(n).is_integer() else f"{n:,.1f}"
    return f"{shown} {ngettext(singular, plural, n)}"
