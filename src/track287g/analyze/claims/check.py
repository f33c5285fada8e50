"""Check claims of every kind: figures (``counts``), listings (``listings``), a reader's sums (``arithmetic``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from track287g.analyze.claims import arithmetic, context, listings
from track287g.analyze.claims.counts import Checker, Claim, ClaimError, base_row, error_row, figure_rows, load_claims
from track287g.history.queries import QueryError


def check_claims(conn: Connection, claims: list[Claim]) -> list[dict]:
    """One result per figure and metric of a counts claim, one per listing claim, one per item of an arithmetic
    claim; a claim that could not be read gives one error row.

    Each result: ``file``, ``id``, ``claim`` (the quote), ``source``, ``note``, ``kind``, ``date``, ``verdict``
    (matches / close / differs / error; a history claim ``consistent``: what the sources show agrees, without
    proving it) and ``error``; counts rows add ``figure``, ``metric``, ``unit``,
    ``ambiguous``, ``filters``, ``qualifier``, ``claimed``, ``actual``, ``difference``, ``difference_percent``,
    ``tolerance``, ``publication``, ``published``, ``derived``, ``from_publication``/``from_published`` (for
    changes) and ``hint`` (a message); listing rows ``expect``, ``record`` (a message) and ``evidence``;
    history and law rows ``record``, ``evidence`` and ``limits`` (history) or ``coverage`` (law);
    arithmetic rows ``item``, ``claimed``, ``actual`` (the offer's maximum), ``model_central``, ``parts``, ``notes``.
    """
    checker: Checker | None = None
    results: list[dict] = []
    for claim in claims:
        base = base_row(claim)
        if claim.error:
            results.append({**base, **error_row(claim.error)})
        elif claim.kind == "counts":
            checker = checker or Checker(conn)
            results.extend(figure_rows(checker, claim))
        else:
            results.extend({**base, "kind": claim.kind, **row} for row in _other_kind(conn, claim))
    return results


def _other_kind(conn: Connection, claim: Claim) -> list[dict]:
    """The rows of a listing or arithmetic claim."""
    try:
        if claim.kind == "listing":
            return [listings.check(conn, claim)]
        if claim.kind in ("history", "law"):
            return [{"date": claim.on.isoformat() if claim.on else None, **context.check(conn, claim)}]
        return arithmetic.check(claim)
    except (ClaimError, QueryError) as exc:
        return [{"date": claim.on.isoformat() if claim.on else None, **error_row(str(exc))}]


def check_path(conn: Connection, path: str | Path) -> list[dict]:
    """Load and check the claims of a file or folder (see ``load_claims`` and ``check_claims``)."""
    return check_claims(conn, load_claims(path))
