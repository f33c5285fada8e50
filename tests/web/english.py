"""Finding English on a Spanish page: the catalog's English sentences, English prose the catalog never saw, and
numbers, money, percentages and dates written the English way.

A page's text is every text node and every attribute a reader meets (title, aria-label, placeholder, alt, the
meta description), outside ``<script>``, ``<style>`` and ``<code>`` (identifiers: rule codes, ids, hashes) and
outside any element marked as another language (``lang="en"``: a quoted claim, ICE's row as printed) or as not
to be translated (``translate="no"``). Proper names (agencies as ICE spelled them, counties, file names) are data,
not English prose: they are cut out of the text before it is read.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from babel.messages.pofile import read_po
from sqlalchemy import Connection, select

from track287g.i18n import LOCALE_DIR
from track287g.store.schema import agency, agency_spelling

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIP = {"script", "style", "code"}
ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-none"}
# words of English prose that are no words of Spanish (a Spanish sentence has none of them)
FUNCTION_WORDS = {
    "the", "of", "and", "with", "from", "is", "are", "was", "were", "has", "have", "had", "this", "that", "which",
    "not", "on", "for", "to", "by", "in", "at", "it", "its", "be", "been", "or", "an", "there", "their", "these",
    "those", "will", "would", "what", "when", "where", "who", "into", "than", "per", "each", "every", "only",
}  # fmt: skip
ENGLISH_NUMBERS = [
    (re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d,])"), "thousands with a comma"),
    (re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])"), "a decimal point"),
    (re.compile(r"\$\s?\d"), "a dollar sign before the amount"),
    (re.compile(r"\d%"), "a percent sign without a space"),
    (
        re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
                   r" \d{1,2}, \d{4}"),
        "an English date",
    ),
]  # fmt: skip


ADDRESS_META = {"og:url", "og:image", "twitter:image"}  # a page's preview: addresses, not words


class Texts(HTMLParser):
    """The text a reader meets on a page, one string per text node or attribute."""

    def __init__(self, lang: str = "es") -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.found: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        hidden = self.hidden or tag in SKIP or (a.get("lang") not in (None, self.lang)) or a.get("translate") == "no"
        if not hidden:
            meta_text = tag == "meta" and (a.get("property") or a.get("name")) not in ADDRESS_META
            self.found += [v for k, v in attrs if v and (k in ATTRIBUTES or (meta_text and k == "content"))]
        if tag not in VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not self.hidden:
            self.found.append(" ".join(data.split()))


def texts(html: str, lang: str = "es") -> list[str]:
    parser = Texts(lang)
    parser.feed(html)
    return [t for t in parser.found if t.strip() and "width=device-width" not in t]


@cache
def catalog_sentences() -> tuple[list[tuple[str, re.Pattern]], set[str]]:
    """From the Spanish catalog: a pattern for each English msgid of two words or more whose Spanish differs
    (placeholders match anything), and the one-word msgids whose Spanish differs."""
    with open(LOCALE_DIR / "es" / "LC_MESSAGES" / "track287g.po", "rb") as f:
        catalog = read_po(f)
    patterns: list[tuple[str, re.Pattern]] = []
    words: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue  # the same in both languages: "API", "municipal", "sheriff"
            parts = re.split(r"\{[^{}]*\}", english)
            if len(parts) == 1 and len(english.split()) == 1:
                words.add(english.strip())
                continue
            if max(len(p.split()) for p in parts) < 2:
                continue  # "{n} agencies", "{first} to {last}": too short to tell from a name or an address
            body = r".{0,200}?".join(r"\s+".join(map(re.escape, p.split())) for p in parts if p.strip())
            patterns.append((english, re.compile(body)))
    return patterns, words


def record_names(conn: Connection) -> re.Pattern:
    """Proper names as ICE printed them, from the record: agencies, every spelling, counties."""
    found = set(conn.execute(select(agency.c.name)).scalars())
    found |= set(conn.execute(select(agency_spelling.c.spelling)).scalars())
    found |= {c for c in conn.execute(select(agency.c.county)).scalars() if c}
    return proper_names_pattern(found)


def proper_names_pattern(names: set[str]) -> re.Pattern:
    """One pattern for every proper name (longest first), to cut names out of a page's text."""
    ordered = sorted((n for n in names if n and len(n) > 2), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in ordered)) if ordered else re.compile(r"(?!x)x")


def english_in(found: list[str], names: re.Pattern) -> list[str]:
    """What on a page is English: catalog sentences, catalog words standing alone, prose with English function
    words, and numbers written the English way; one line each."""
    patterns, words = catalog_sentences()
    problems: list[str] = []
    cleaned = [names.sub(" ", t) for t in found]
    joined = " | ".join(cleaned)
    for english, pattern in patterns:
        if pattern.search(joined):
            problems.append(f"catalog sentence in English: {english!r}")
    for text in cleaned:
        bare = text.strip(" :·,.;()|–-")
        if bare in words:
            problems.append(f"catalog word in English: {bare!r}")
        tokens = {w.lower() for w in re.findall(r"[A-Za-z_']+", text) if not w.isupper() or len(w) == 1}
        english_words = sorted(tokens & FUNCTION_WORDS)
        if len(english_words) >= 2:
            problems.append(f"English prose ({', '.join(english_words)}): {text[:160]!r}")
        for pattern, what in ENGLISH_NUMBERS:
            if (m := pattern.search(text)) is not None:
                problems.append(f"number with {what}: {m.group(0)!r} in {text[:120]!r}")
    return sorted(set(problems))
