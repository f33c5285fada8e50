"""Counts choose their words here, once: "1 agency", "2 agencies". English and Spanish both use the singular for
exactly one, as gettext's ``ngettext`` does for them; the web's ``i18n.plural`` translates the chosen form, and a
gettext catalog can back both by replacing ``ngettext`` with its own.
"""

from __future__ import annotations


def ngettext(singular: str, plural: str, n: int | float) -> str:
    """``singular`` when ``n`` is exactly one, else ``plural`` (gettext's call, for English)."""
    return singular if n == 1 else plural


def count(n: int | float, singular: str, plural: str) -> str:
    """``n`` with thousands separators and the word that fits it: ``count(1, "file", "files")`` is "1 file"."""
    shown = f"{n:,}" if isinstance(n, int) or float(n).is_integer() else f"{n:,.1f}"
    return f"{shown} {ngettext(singular, plural, n)}"
