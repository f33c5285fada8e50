"""Matching keys for agency names: the same key means the same agency, by the rules named here.

Each rule rewrites the lower-cased name; the rules that changed something are returned with the key, so a
merge of two spellings can name its evidence:

- case and curly quotes never matter (keys are lower case, quotes straight).
- ``case-space-punctuation``: spacing and punctuation ("Miami-Dade" / "Miami Dade", "Dept." / "Dept").
- ``possessive``: "Sheriff's" / "Sheriffs" / "Sheriff’s" (apostrophes dropped).
- ``abbreviation``: PD, Dept, Co, Twp, Pct, BOCC, DPS, DOC, ... written out (``ABBREVIATIONS``).
- ``sheriff-office``: "Sheriff's Department" and "Sheriff's Office" of a county are one office; "Sherrif"
  is "Sheriff".
- ``word-typo``: a word one typing slip (a letter added, dropped, changed or two swapped) away from exactly one
  of the words that say what kind of body an agency is (``data/fixes/agency_words.csv``: "Deparment",
  "Shreiff's", "Unievrsity"), when it is no word of any FBI roster name or county name.
- ``parish``: Louisiana has parishes, not counties ("Lafourche County" is "Lafourche Parish").
- ``independent-city``: "Hopewell County" in Virginia is the independent city of Hopewell (the Census has a
  "Hopewell city" and no Hopewell County).
- ``county-name``: a county name that is no county anywhere in the country, one slip (two for long names) away
  from exactly one county of the state (Census names): "Dogulas" is Douglas (MO), "Berrian" Berrien (MI).
- ``state-name-typo``: a leading state name with one typing slip in one word of at least five letters that is no
  word of an FBI roster name or a county name ("Arkanss State Police" in Arkansas) is the state name (then
  ``state-prefix`` drops it).
- ``state-prefix``: a leading state name ("Florida Department of Corrections" in Florida), a trailing state
  ("..., PA") or a leading "The".

``corrected_name`` applies the same word and county repairs to a printed name, for display.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz.distance import OSA

from track287g.config import FIXES, PACKAGE_DATA, kept_or_made
from track287g.memo import memoized
from track287g.normalize import tables
from track287g.normalize.text import straight_quotes

REFERENCE = PACKAGE_DATA / "reference"

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


_COUNTY_WORDS = ("county", "parish", "borough")
_CENSUS_SUFFIX = re.compile(
    r"\s+(county|parish|borough|census area|municipality|city and borough|planning region|city)$", re.IGNORECASE
)


def _plain_words(text: str) -> list[str]:
    low = straight_quotes(text).lower().replace("'", "")
    return _NON_WORD.sub(" ", low.replace("&", " and ")).split()


def _counties() -> dict[str, frozenset[str]]:
    """USPS code -> the names of its counties and equivalents (Census), as plain lower-case words."""
    return _word_tables()[0]


def _independent_cities() -> dict[str, frozenset[str]]:
    """USPS code -> its independent cities that are no county too (Virginia's "Hopewell city", not Roanoke)."""
    return _word_tables()[1]


def _known_words() -> frozenset[str]:
    """Words that are right as printed: the kind words, every word of an FBI roster name or a county name."""
    return _word_tables()[2]


@cache
def _all_counties() -> frozenset[str]:
    return frozenset(name for names in _counties().values() for name in names)


@cache
def _kind_words() -> tuple[str, ...]:
    return tuple(row["word"] for row in tables.read_table(FIXES / "agency_words.csv"))


WordTables = tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], frozenset[str]]


@cache
def _word_tables() -> WordTables:
    """(counties, independent cities, known words), read once a process and kept read in the cache folder
    (``name-words-<digest>.json``; its files are the package's own data, which the digest covers): a name never
    keyed before (any list adding a spelling) read the Census table twice and the 18,000 FBI roster names for
    them, about 0.1 s of CPU."""
    return kept_or_made(
        "name-words",
        (),
        _read_word_tables,
        lambda found: [_listed(found[0]), _listed(found[1]), sorted(found[2])],
        lambda kept: (_frozen(kept[0]), _frozen(kept[1]), frozenset(kept[2])),
    )


def _frozen(sets: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    return {code: frozenset(names) for code, names in sets.items()}


def _listed(sets: dict[str, frozenset[str]]) -> dict[str, list[str]]:
    return {code: sorted(names) for code, names in sets.items()}


def _read_word_tables() -> WordTables:
    """The word tables of ``_word_tables``, read from the Census table, the FBI roster and the kind words."""
    code_of = {row["fips"]: code for code, row in tables.states().items()}
    counties: dict[str, set[str]] = {}
    cities: dict[str, set[str]] = {}
    county_words: dict[str, set[str]] = {}  # the names before " County", for the independent cities
    for row in tables.read_table(REFERENCE / "census-county-population-2024.csv"):
        code, name = code_of.get(row["STATE"]), row["CTYNAME"]
        if row["SUMLEV"] != "050" or not code:
            continue
        counties.setdefault(code, set()).add(" ".join(_plain_words(_CENSUS_SUFFIX.sub("", name))))
        if name.endswith(" city"):
            cities.setdefault(code, set()).add(" ".join(_plain_words(name[: -len(" city")])))
        elif name.endswith(" County"):
            county_words.setdefault(code, set()).add(" ".join(_plain_words(name[: -len(" County")])))
    known = set(_kind_words())
    roster = tables.read_table(REFERENCE / "fbi-ucr-agencies-2021.csv")
    known.update(_plain_words("\n".join(row["agency_name"] for row in roster)))  # in one pass: no word spans two
    for names in counties.values():
        for name in names:
            known.update(name.split())
    return (
        {code: frozenset(names) for code, names in counties.items()},
        {code: frozenset(names - county_words.get(code, set())) for code, names in cities.items()},
        frozenset(known),
    )


def _slips(a: str, b: str) -> int:
    """Typing slips between two words: letters added, dropped or changed, neighbours swapped."""
    return OSA.distance(a, b)


@cache
def word_fix(word: str) -> str | None:
    """The kind word a misspelled word stands for ("deparment" -> "department"), or None."""
    if len(word) < 5 or word in _known_words() or not word.isalpha():
        return None
    near = [w for w in _kind_words() if abs(len(w) - len(word)) <= 1 and _slips(word, w) <= 1]
    return near[0] if len(near) == 1 else None


def _county_fix(words: list[str], state: str) -> str | None:
    """The county a misspelled county name before "County"/"Parish" stands for, when it is certain."""
    mine = _counties().get(state, frozenset())
    for i, w in enumerate(words):
        if w not in _COUNTY_WORDS or i == 0:
            continue
        if any(" ".join(words[j:i]) in mine for j in range(max(0, i - 3), i)):
            return None
        word = words[i - 1]
        if len(word) < 5 or word in _all_counties():
            return None
        limit = 1 if len(word) < 9 else 2
        near = [c for c in mine if " " not in c and _slips(word, c) <= limit]
        return near[0] if len(near) == 1 else None
    return None


def county_states(name: str, state: str) -> frozenset[str] | None:
    """The states that have the county a name is of, when the printed state has none of that name (None: no
    county named, or the printed state has it): "Kershaw County Sheriff's Office" printed under FL -> {SC}."""
    words = _plain_words(name)
    for i, w in enumerate(words):
        if w not in _COUNTY_WORDS or i == 0:
            continue
        for j in range(max(0, i - 3), i):
            county = " ".join(words[j:i])
            if county in _counties().get(state, frozenset()):
                return None
        for j in range(max(0, i - 3), i):
            county = " ".join(words[j:i])
            homes = frozenset(code for code, names in _counties().items() if county in names)
            if homes:
                return homes
        return None
    return None


@cache
def _state_words() -> dict[str, tuple[str, ...]]:
    return {code: tuple(row["name"].lower().split()) for code, row in tables.states().items()}


@memoized
def name_key(name: str, state: str, repair: bool = True) -> tuple[str, tuple[str, ...]]:
    """(key, rules applied) for an agency name printed in ``state`` (USPS code). ``repair=False`` leaves
    misspelled words and county names as printed (the key ids were built from before those rules)."""
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
    fixed = [word_fix(w) or w for w in words] if repair else words
    if fixed != words:
        rules.append("word-typo")
        words = fixed
    text = " ".join(words)
    sheriff = _SHERIFF.sub("sheriffs", text).replace("sheriffs department", "sheriffs office")
    if sheriff != text:
        rules.append("sheriff-office")
        words = sheriff.split()
    if repair and state == "LA" and "county" in words:
        words = ["parish" if w == "county" else w for w in words]
        rules.append("parish")
    cities = _independent_cities().get(state, frozenset()) if repair else frozenset()
    for i, w in enumerate(words):
        if w == "county" and i and any(" ".join(words[j:i]) in cities for j in range(max(0, i - 2), i)):
            words = words[:i] + words[i + 1 :]
            rules.append("independent-city")
            break
    county = _county_fix(words, state) if repair else None
    if county:
        at = next(i for i, w in enumerate(words) if w in _COUNTY_WORDS and i) - 1
        words = [*words[:at], county, *words[at + 1 :]]
        rules.append("county-name")
    state_words = _state_words().get(state, ())
    trimmed = list(words)
    if trimmed[:1] == ["the"]:
        trimmed = trimmed[1:]
    n = len(state_words)
    if repair and n and len(trimmed) > n + 1 and _state_slip(trimmed[:n], state_words):
        trimmed = [*state_words, *trimmed[n:]]
        rules.append("state-name-typo")
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


def _state_slip(printed: list[str], state_words: tuple[str, ...]) -> bool:
    """Whether leading words are the state's name with one typing slip in one word of at least five letters that
    is no word of an FBI roster name or a county name ("Arkanss State Police" in Arkansas)."""
    wrong = [(w, right) for w, right in zip(printed, state_words, strict=True) if w != right]
    if len(wrong) != 1:
        return False
    word, right = wrong[0]
    return len(right) >= 5 and word not in _known_words() and _slips(word, right) == 1


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019]*")


def _cased(new: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return new.upper()
    return new[:1].upper() + new[1:] if like[:1].isupper() else new


@memoized
def corrected_name(name: str, state: str) -> tuple[str, tuple[str, ...]]:
    """A printed name with its kind words and county name repaired (the rules of ``name_key``), and the rules
    that changed it: "Berrian County Sheriff's Office" -> "Berrien County Sheriff's Office" (MI)."""
    rules: list[str] = []
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(name)]
    plain = [straight_quotes(t).lower().replace("'", "") for _, _, t in tokens]
    replace: dict[int, str] = {}
    for i, word in enumerate(plain):
        fix = word_fix(word)
        if fix and not (fix == "sheriffs" and word.startswith("sher")):
            replace[i] = fix
            plain[i] = fix
            if "word-typo" not in rules:
                rules.append("word-typo")
    if state == "LA":
        for i, word in enumerate(plain):
            if word == "county":
                replace[i], plain[i] = "parish", "parish"
                if "parish" not in rules:
                    rules.append("parish")
    cities = _independent_cities().get(state, frozenset())
    drop = next(
        (
            i
            for i, w in enumerate(plain)
            if w == "county" and i and any(" ".join(plain[j:i]) in cities for j in range(max(0, i - 2), i))
        ),
        None,
    )
    if drop is not None:
        replace[drop] = ""
        rules.append("independent-city")
    county = _county_fix(plain, state)
    if county:
        at = next(i for i, w in enumerate(plain) if w in _COUNTY_WORDS and i) - 1
        replace[at] = county.title()
        rules.append("county-name")
    noted = _NOTE.search(name)
    if noted and noted.start():  # "Monmouth County Sheriff's Office (Addendum)": a note on the row, not the name
        name = name[: noted.start()]
        tokens = [t for t in tokens if t[0] < noted.start()]
        rules.append("name-note")
    if not replace and not noted:
        return name, ()
    out, last = [], 0
    for i, (start, end, text) in enumerate(tokens):
        if i in replace:
            new = replace[i]
            if new == "sheriffs" and "'" in straight_quotes(text):
                new = "sheriff's"
            out.extend([name[last:start], _cased(new, text) if new else ""])
            last = end
    out.append(name[last:])
    return re.sub(r"\s{2,}", " ", "".join(out)).strip(), tuple(rules)


_NOTE = re.compile(r"\s*\((?:addendum|amendment|amended)\)\s*$", re.IGNORECASE)


@cache
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
        "parish",
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
