"""Matching keys for agency names: the same key means the same agency, by the rules named here.

Each rule rewrites the lower-cased name; the rules that changed something are returned with the key, so a
merge of two spellings can name its evidence:

- case and curly quotes never matter (keys are lower case, quotes straight).
- ``case-space-punctuation``: spacing and punctuation ("Miami-Dade" / "Miami Dade", "Dept." / "Dept").
- ``possessive``: "Sheriff's" / "Sheriffs" / "Sheriff’s" (apostrophes dropped).
- ``abbreviation``: PD, Dept, Co, Twp, Pct, BOCC, DPS, DOC, ... written out (``ABBREVIATIONS``).
- ``sheriff-office``: "Sheriff's Department" and "Sheriff's Office" of a county are one office; "Sherrif"
  is "Sheriff".
- ``state-prefix``: a leading state name ("Florida Department of Corrections" in Florida), a trailing state
  ("..., PA") or a leading "The".
"""

from __future__ import annotations

import re
from functools import cache

from track287g.normalize import tables
from track287g.normalize.text import straight_quotes

ABBREVIATIONS = {
    "pd": "police department",
    "dept": "department",
    "dpt": "department",
    "co": "county",
    "cnty": "county",
    "twp": "township",
    "pct": "precinct",
    "bocc": "board of county commissioners",
    "dps": "department of public safety",
    "doc": "department of corrections",
    "ofc": "office",
    "so": "sheriffs office",
    "thp": "highway patrol",
    "cnmi": "northern mariana islands",
}
_SHERIFF = re.compile(r"\bsher+if+s?\b")
_NON_WORD = re.compile(r"[^a-z0-9& ]+")


@cache
def _state_words() -> dict[str, tuple[str, ...]]:
    return {code: tuple(row["name"].lower().split()) for code, row in tables.states().items()}


@cache
def name_key(name: str, state: str) -> tuple[str, tuple[str, ...]]:
    """(key, rules applied) for an agency name printed in ``state`` (USPS code)."""
    rules: list[str] = []
    low = straight_quotes(name).lower()
    text = low.replace("'s ", "s ").replace("s' ", "s ").replace("'", "")
    if text != low:
        rules.append("possessive")
    spaced = _NON_WORD.sub(" ", text.replace("&", " and "))
    words = spaced.split()
    if " ".join(words) != text:
        rules.append("case-space-punctuation")
    expanded: list[str] = []
    for w in words:
        full = ABBREVIATIONS.get(w)
        if full and not (w == "co" and expanded and expanded[-1] == "and"):
            expanded.extend(full.split())
            if "abbreviation" not in rules:
                rules.append("abbreviation")
        else:
            expanded.append(w)
    words = expanded
    text = " ".join(words)
    sheriff = _SHERIFF.sub("sheriffs", text).replace("sheriffs department", "sheriffs office")
    if sheriff != text:
        rules.append("sheriff-office")
        words = sheriff.split()
    state_words = _state_words().get(state, ())
    trimmed = list(words)
    if trimmed[:1] == ["the"]:
        trimmed = trimmed[1:]
    n = len(state_words)
    if n and tuple(trimmed[:n]) == state_words and len(trimmed) > n + 1:
        trimmed = trimmed[n:]
    if (
        len(trimmed) > 2
        and trimmed[-1] in (state.lower(), *state_words[-1:])
        and (trimmed[-1] == state.lower() or tuple(trimmed[-n:]) == state_words)
    ):
        trimmed = trimmed[: -n if trimmed[-1] != state.lower() else -1]
    if trimmed != words:
        rules.append("state-prefix")
        words = trimmed
    return " ".join(words), tuple(rules)


def slug(key: str) -> str:
    """An identifier-safe form of a key: ``lee county sheriffs office`` -> ``lee-county-sheriffs-office``."""
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


# words that say what kind of body a name is, not which one: two names that differ only in these are
# compared by the rest ("City of Melbourne Police Department" / "Melbourne Police Department": "melbourne")
GENERIC_WORDS = frozenset(
    [
        "police",
        "department",
        "county",
        "sheriffs",
        "office",
        "city",
        "of",
        "the",
        "town",
        "village",
        "township",
        "borough",
        "and",
        "constables",
        "constable",
        "public",
        "safety",
        "services",
        "division",
        "precinct",
        "district",
        "state",
        "commission",
        "board",
        "trustees",
    ]
)


def distinctive(key: str) -> list[str]:
    """The words of a key that name the particular body (see ``GENERIC_WORDS``)."""
    return [w for w in key.split() if w not in GENERIC_WORDS]
