"""Agency and place names reduced to comparable keys.

ICE and the FBI spell the same body differently ("St. Lucie County Sheriff's Office", "ST LUCIE", "Saint
Lucie"; "Gulfport PD", "Gulfport Police Department"). A name becomes lower-case ASCII tokens with common
abbreviations spelled out (``normalize.words``); the *core* of a name drops the words that only say what kind
of body it is, so the place or institution is left to compare. Both sides of a comparison go through the same
functions.
"""

from __future__ import annotations

import re
from functools import lru_cache

from track287g.normalize.words import tokens

# words that say what kind of local body a name is, not which one; removed before comparing (both sides)
LOCAL_WORDS = frozenset(
    {
        "sheriffs",
        "sheriff",
        "sherrifs",
        "sherriff",
        "sherifs",
        "office",
        "offices",
        "department",
        "departments",
        "police",
        "services",
        "service",
        "public",
        "safety",
        "agency",
        "division",
        "the",
        "of",
        "and",
        "for",
        "at",
        "constables",
        "constable",
        "marshals",
        "marshal",
        "board",
        "trustees",
        "authority",
        "unit",
        "county",
        "parish",
    }
)
# for state agencies the kind words are what tells them apart ("Department of Public Safety"): drop fewer
STATE_WORDS = frozenset({"the", "of", "and", "for", "department", "office", "division", "agency"})
# words a town's name may carry or not ("Jackson City", "Benton Borough"): dropped only for a second try
TOWN_WORDS = frozenset({"city", "village", "town", "borough"})
_PREFIX = re.compile(r"^(?:the )?(?:city|town|village|borough|county) of ")


@lru_cache(maxsize=1 << 16)
def core(name: str, stop: frozenset[str] = LOCAL_WORDS) -> str:
    """The distinctive words of an agency name, sorted and joined: the ``stop`` words and "City of" removed.

    ``core("City of Miami Police Department") == core("Miami")``.
    """
    text = " ".join(tokens(name))
    text = _PREFIX.sub("", text)
    return " ".join(sorted(w for w in text.split() if w not in stop))


def town_variant(core_key: str) -> str:
    """A core without "city", "village", "town" or "borough" ("Jackson City" as "Jackson"), for a second try."""
    return " ".join(w for w in core_key.split() if w not in TOWN_WORDS)


def strip_county_suffix(name: str) -> str:
    """A roster name without a trailing ", Adams County" (the FBI adds it to tell apart same-named towns)."""
    return re.sub(r",\s*[^,:]+ (county|parish|borough)$", "", name.strip(), flags=re.IGNORECASE)
