"""Claim checks: figures and statements published about 287(g), checked against the record.

- ``counts``: figures (agencies, agreements, states ...) on a date, with verdicts and hints;
- ``listings``: "agency X is / is not / was never listed", "no agency in county Y", a state's agencies;
- ``arithmetic``: a reader's sums worked through with the funding model's parameters;
- ``sources``: who printed each claim, when, where the text is kept, who made the figures;
- ``report``: the claims page (one entry per claim, its figures under it) and the counting units.
"""

from track287g.analyze.claims.check import check_claims, check_path
from track287g.analyze.claims.counts import (
    CHANGES,
    DEFAULT_TOLERANCE,
    KINDS,
    METRICS,
    QUALIFIERS,
    Claim,
    ClaimError,
    Figure,
    load_claims,
    verdict,
)
from track287g.analyze.claims.report import claims_report, units
from track287g.analyze.claims.sources import load_sources

__all__ = [
    "CHANGES",
    "DEFAULT_TOLERANCE",
    "KINDS",
    "METRICS",
    "QUALIFIERS",
    "Claim",
    "ClaimError",
    "Figure",
    "check_claims",
    "check_path",
    "claims_report",
    "load_claims",
    "load_sources",
    "units",
    "verdict",
]
