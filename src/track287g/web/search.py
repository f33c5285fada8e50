"""Finding an agency by what a person types: any spelling ICE printed, abbreviations (PD, SO, Co., Dept, St.),
and typos ("Hilsborough"). Words are compared after the name rules (``normalize.words.tokens``: lower
case, accents dropped, abbreviations spelled out), so "Marco Island PD" finds "Marco Island Police Department".
When no agency has every word, the closest names (``normalize.words.closest``) are the answer, marked ``near``;
an unknown agency address gets the closest ids as its "did you mean".
"""

from __future__ import annotations

from functools import cache

from rapidfuzz import fuzz, process, utils

from track287g.errors import NotFound
from track287g.normalize.words import closest, compact, tokens

NEAR_LIMIT = 10


class NotFoundNear(NotFound):
    """Nothing at that address, and the addresses closest to it (``links``: (label, address) pairs)."""

    def __init__(self, found: NotFound, links: list[tuple[str, str]]) -> None:
        names = "; ".join(f"{label}: {address}" for label, address in links)
        super().__init__(f"{found}; did you mean: {names}")
        self.links = links
        self.shown = (found.template, found.values)  # what a page says above the links, in the reader's language


def loose(text: str) -> str:
    """Letters and digits, lower case: how names are compared (spacing, case and punctuation ignored)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def words(text: str) -> list[str]:
    """The words of a query or a name, abbreviations spelled out ("Lee Co. SO" -> lee county sheriffs office)."""
    return [w for w in tokens(text) if w]


def haystack(a: dict) -> str:
    """Everything an agency can be found by, as one loose string: names ICE printed, county, id."""
    return loose(
        " ".join([*words(" ".join([a["name"], *a.get("spellings", []), a.get("county") or ""])), a["agency_id"]])
    )


@cache
def _hay(key: tuple) -> str:
    name, spellings, county, agency_id = key
    return haystack({"name": name, "spellings": list(spellings), "county": county, "agency_id": agency_id})


def _key(a: dict) -> tuple:
    return (a["name"], tuple(a.get("spellings", [])), a.get("county"), a["agency_id"])


def _rank(a: dict, query: list[str]) -> tuple:
    """Whole words of the name first ("lee coun": Lee County Sheriff's Office before Leeds Police Department),
    then active agencies, then shorter names."""
    name = words(a["name"])
    whole = sum(1 for w in query if w in name)
    starts = sum(1 for w in query if any(n.startswith(w) for n in name))
    return (-whole, -starts, a.get("status") != "active", len(a["name"]), a["name"])


def search(index: list[dict], q: str) -> list[dict]:
    """Agencies with every word of ``q`` in a name ICE printed, the county or the id (abbreviations spelled out,
    case and punctuation ignored); a two-letter word that is an agency's state code narrows to that state ("CO"
    is Colorado for an agency of Colorado, "county" for the others). Best first."""
    raw = [(w, [loose(x) for x in words(w)]) for w in q.split()]
    raw = [(w, x) for w, x in raw if x]
    query = words(q)
    hits = []
    for a in index:
        rest = [x for w, expanded in raw if w.upper() != a["state"] for x in expanded]
        if rest:
            hay = _hay(_key(a))
            if all(w in hay for w in rest):
                hits.append(a)
        elif raw:
            hits.append(a)
    return sorted(hits, key=lambda a: _rank(a, query))


def near(index: list[dict], q: str, limit: int = NEAR_LIMIT) -> list[dict]:
    """The agencies whose names or ICE's spellings come closest to ``q`` (a typo: ``normalize.words.closest``),
    best first, each with ``score``; a two-letter word that is a state's code keeps that state's."""
    states = {w.upper() for w in q.split() if len(w) == 2 and w.isalpha()} & {a["state"] for a in index}
    pool = [a for a in index if a["state"] in states] if states else index
    text = " ".join(w for w in q.split() if w.upper() not in states)
    if len(compact(text)) < 3:
        return []
    names = [(i, name) for i, a in enumerate(pool) for name in dict.fromkeys([a["name"], *a.get("spellings", [])])]
    found: dict[int, float] = {}  # agency -> its best spelling's score, best first
    for at, score in closest(text, [name for _, name in names], limit * 3):
        found.setdefault(names[at][0], score)
    return [pool[i] | {"score": score} for i, score in list(found.items())[:limit]]


def suggest_ids(index: list[dict], agency_id: str, limit: int = 5) -> list[dict]:
    """Agencies whose id or name is close to a mistyped agency address (``FL-lee-county-sherifs-office``)."""
    text = agency_id.replace("-", " ")
    choices = {i: f"{a['agency_id'].replace('-', ' ')}" for i, a in enumerate(index)}
    # a plain edit ratio: a partial-match scorer rates every "... county sheriffs office" alike
    found = process.extract(text, choices, scorer=fuzz.ratio, processor=utils.default_process, limit=limit * 4)
    state = agency_id[:2].upper()
    near = [(index[i]["state"] != state, -score, i) for _name, score, i in found if score >= 70]
    return [index[i] for _other, _score, i in sorted(near)[:limit]]
