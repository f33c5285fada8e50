"""How alike two names are: ``rapidfuzz``'s ``fuzz.ratio`` (0-100), as a 32-bit float.

Scores were always compared and recorded at the precision of a 32-bit float (the precision of the matrix
``rapidfuzz.process.cdist`` returns); they are scored here one name against many, without numpy, and rounded the
same way, so every decision and every recorded score stays what it was.
"""

from __future__ import annotations

import struct
from operator import itemgetter

from rapidfuzz import fuzz, process

_FLOAT32 = struct.Struct("f")


def as_float32(score: float) -> float:
    """``score`` as a 32-bit float holds it."""
    return _FLOAT32.unpack(_FLOAT32.pack(score))[0]


def ratio(a: str, b: str) -> float:
    """How alike two names are."""
    return as_float32(fuzz.ratio(a, b))


def scores_from(query: str, choices: list[str], cutoff: float) -> list[tuple[float, int]]:
    """(score, index) of each of ``choices`` scoring at least ``cutoff`` against ``query``, by index."""
    found = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
    return sorted(((as_float32(score), at) for _, score, at in found), key=itemgetter(1))
