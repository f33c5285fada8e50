"""A name's words, as people and ICE write them compared alike: lower-case ASCII, punctuation dropped, common
abbreviations spelled out ("St. Lucie Co. SO" -> saint lucie county sheriffs office; "De Kalb" and "DeKalb" agree
through ``compact``). The enrich stage compares names with the FBI's and the Census's through these; the agency
lookups of the command line and the web site compare what a person types with ICE's spellings through them.
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

