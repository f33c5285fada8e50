"""A name's words, as people and ICE write them compared alike: lower-case ASCII, punctuation dropped, common
abbreviations spelled out ("St. Lucie Co. SO" -> saint lucie county sheriffs office; "De Kalb" and "DeKalb" agree
through ``compact``). The enrich stage compares names with the FBI's and the Census's through these; the agency
lookups of the command line and the web site compare what a person types with ICE's spellings through them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from itertools import pairwise

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


COMMON_SHARE = 0.05  # a word of more than 5% of the names says what kind of body it is ("county"), not which
WORD_SCORE = 80  # rapidfuzz's ratio (0-100) a typed word must reach with a word of a name ("colier": collier)


def closest(query: str, names: list[str], limit: int = 10) -> list[tuple[int, float]]:
    """The names a typed ``query`` with a typo may mean: (index in ``names``, score 0-100), best first.

    Every word of the query that says which body it is (not one like a word most of ``names`` carry: "county",
    "sheriff", "police") must come within ``WORD_SCORE`` of a word of the name, or of two of its words written
    together; the score is the mean of those words' best. Ties go to the name closest as a whole, then the
    shortest. A query of common words alone ("county sheriff") means none."""
    from rapidfuzz import fuzz, process

    spelled = [tokens(name) for name in names]
    share = Counter(w for words in spelled for w in set(words))
    common = {w for w, n in share.items() if n > COMMON_SHARE * len(names)}
    vocabulary: dict[str, set[int]] = {}  # word, or two words run together -> the names that have it
    for i, words in enumerate(spelled):
        for word in (*words, *map("".join, pairwise(words))):
            vocabulary.setdefault(word, set()).add(i)
    typed = tokens(query)
    telling = [w for w in typed if not process.extractOne(w, common, scorer=fuzz.ratio, score_cutoff=WORD_SCORE)]
    best: dict[int, list[float]] = {}
    for n, word in enumerate(telling):
        for found, score, _ in process.extract(
            word, list(vocabulary), scorer=fuzz.ratio, score_cutoff=WORD_SCORE, limit=None
        ):
            for i in vocabulary[found]:
                scores = best.setdefault(i, [0.0] * len(telling))
                scores[n] = max(scores[n], score)
    whole = " ".join(typed)
    found_all = [(sum(s) / len(s), i) for i, s in best.items() if all(s)]
    ranked = sorted(
        found_all, key=lambda f: (-f[0], -fuzz.token_sort_ratio(whole, " ".join(spelled[f[1]])), len(names[f[1]]))
    )
    return [(i, round(score, 1)) for score, i in ranked[:limit]]
