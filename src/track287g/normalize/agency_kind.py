"""What kind of body an agency is (sheriff, police, corrections, ...), read from its name.

ICE's TYPE column says only county / municipality / state; matching and statistics need more. The patterns
live in ``data/fixes/agency_kinds.csv`` and are tried in order; the first that matches decides. A
"Department of Public Safety" of a state (TYPE state) is the state police, of a town its police.
"""

from __future__ import annotations

import re
from functools import cache

from track287g.config import FIXES
from track287g.memo import memoized
from track287g.normalize.tables import read_table

KINDS = (
    "sheriff",
    "police",
    "corrections",
    "constable",
    "marshal",
    "campus",
    "prosecutor",
    "military",
    "state-police",
    "state-investigation",
    "county-government",
    "state-other",
    "other",
)


UNKNOWN = ("other", "state-other")  # no pattern matched: the name does not say (a typo in its kind word, say)


def comparable(a: str, b: str) -> bool:
    """Whether two kinds may be one body's: the same, or either unknown (``UNKNOWN``)."""
    return a == b or a in UNKNOWN or b in UNKNOWN


@cache
def _patterns() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(r["pattern"], re.IGNORECASE), r["kind"]) for r in read_table(FIXES / "agency_kinds.csv")]


@memoized
def agency_kind(name: str, agency_type: str | None = None) -> str:
    """The kind of agency a name describes; ``agency_type`` (ICE's TYPE, normalized) breaks ties."""
    for pattern, kind in _patterns():
        if pattern.search(name):
            if kind == "police" and agency_type == "state" and re.search(r"public safety|\bdps\b", name, re.I):
                return "state-police"
            return kind
    return "state-other" if agency_type == "state" else "other"
