"""Agency and place names reduced to comparable keys.

ICE and the FBI spell the same body differently ("St. Lucie County Sheriff's Office", "ST LUCIE", "Saint
Lucie"; "Gulfport PD", "Gulfport Police Department"). A name becomes lower-case ASCII tokens with common
abbreviations spelled out; the *core* of a name drops the words that only say what kind of body it is, so the
place or institution is left to compare. Both sides of a comparison go through the same functions.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "mt": "mount",
    "ft": "fort",
    "twp": "township",
    "twsp": "township",
    "dept": "department",
    "dep": "department",
    "departement": "department",  # ICE's typos
    "deparment": "department",
    "depatment": "department",
    "departmet": "department",
    "cnty": "county",
    "co": "county",
    "univ": "university",
    "pd": "police department",
    "so": "sheriffs office",
    "dps": "department of public safety",
    "doc": "department of corrections",
    "bocc": "board of county commissioners",
    "thp": "highway patrol",
    "pct": "precinct",
    "hwy": "highway",
    "natl": "national",
    "assn": "association",
}

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
_SPLIT = re.compile(r"[^a-z0-9]+")


def ascii_lower(text: str) -> str:
    """Lower-case ASCII: accents dropped (Doña Ana -> dona ana), '&' spelled 'and', apostrophes removed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return text.replace("&", " and ").replace("'", "").replace("`", "")


@lru_cache(maxsize=1 << 16)
def tokens(text: str) -> tuple[str, ...]:
    """The words of a name, lower-case, abbreviations expanded ("St." -> saint, "PD" -> police department)."""
    out: list[str] = []
    for word in _SPLIT.split(ascii_lower(text)):
        if word:
            out.extend(ABBREVIATIONS.get(word, word).split())
    return tuple(out)


def compact(text: str) -> str:
    """Letters and digits only (``De Kalb`` and ``DeKalb`` agree)."""
    return "".join(tokens(text))


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
