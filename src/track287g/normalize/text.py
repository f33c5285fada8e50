"""Text clean-up shared by the value normalizers: whitespace, quotes, punctuation and case."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "at", "de", "la", "del"}


def squash(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space and trim."""
    return _SPACES.sub(" ", text).strip()


def straight_quotes(text: str) -> str:
    return text.translate(_QUOTES)


def smart_title(text: str) -> str:
    """Title case that keeps "Sheriff's" (not "Sheriff'S") and small words lower inside a name."""
    words = text.lower().split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word in SMALL_WORDS:
            out.append(word)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(out)


def needs_case_fix(text: str) -> bool:
    """True for names printed all in capitals or all in lower case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 3 and (all(c.isupper() for c in letters) or all(c.islower() for c in letters))
