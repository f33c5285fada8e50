"""One small adapter per stage the web shows but does not own: rosters and counties (enrich), funding, claims.
Each returns ``{"available": False, "reason": ...}`` until its stage is installed in this build, so the pages say
so honestly instead of failing.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from sqlalchemy import Connection, select

from track287g.normalize import tables

NOT_BUILT = "not yet available in this build"


def _missing(stage: str, exc: Exception | None = None) -> dict[str, Any]:
    detail = f" ({type(exc).__name__}: {exc})" if exc and not isinstance(exc, ImportError) else ""
    return {"available": False, "stage": stage, "reason": NOT_BUILT + detail}


# --- enrich: roster facts and counties ------------------------------------------------------------------


def agency_facts(conn: Connection, agency_id: str) -> dict[str, Any]:
    """ORI, match method, sworn officers, population served, county FIPS, from the enrich stage."""
    try:
        from track287g.enrich import agency_facts as facts
    except ImportError as exc:
        return _missing("enrich", exc)
    try:
        found = facts(conn, agency_id) or {}
    except Exception as exc:  # the enrich tables may not be built in this database
        return _missing("enrich", exc)
    return {"available": True, **found}


def placed_counties(conn: Connection) -> dict[str, str]:
    """Agency id -> the 5-digit FIPS of its county, as the enrich stage placed it (empty when not built)."""
    try:
        from track287g.store.schema import agency_match

        query = select(agency_match.c.agency_id, agency_match.c.county_fips).where(
            agency_match.c.county_fips.is_not(None)
        )
        return dict(conn.execute(query).all())
    except Exception:  # the enrich tables may not be built in this database
        return {}


def coverage(conn: Connection, as_of: str | None = None) -> dict[str, Any]:
    """Agreements, agencies, officers and people covered (enrich stage)."""
    try:
        from track287g.enrich import coverage as cover
    except ImportError as exc:
        return _missing("enrich", exc)
    try:
        result = cover(conn, as_of=as_of)
    except Exception as exc:
        return _missing("enrich", exc)
    return {"available": True, **(result if isinstance(result, dict) else {"coverage": result})}


def _key(name: str) -> str:
    text = name.lower().replace("saint ", "st ").replace("ste. ", "ste ").replace("st. ", "st ")
    text = re.sub(r"\b(county|parish|borough|city and borough|census area|municipality|municipio)\b", "", text)
    return re.sub(r"[^a-z0-9]", "", text)


@cache
def _county_index() -> dict[tuple[str, str], str]:
    from track287g.web.svg import shapes

    index: dict[tuple[str, str], str] = {}
    for fips, county in sorted(shapes()["counties"].items()):
        index.setdefault((fips[:2], _key(county["name"])), fips)
    return index


def county_fips(state: str, county: str | None) -> str | None:
    """The 5-digit FIPS of a county named as ICE prints it ("Walker County") in a state, or None.

    Name matching within the state, until the enrich stage provides matched FIPS codes.
    """
    if not county or state not in tables.states():
        return None
    first = re.split(r"[/,;&]| and ", county)[0]
    return _county_index().get((tables.states()[state]["fips"], _key(first)))


# --- funding --------------------------------------------------------------------------------------------


def funding(conn: Connection, on: str, year: int, state: str | None = None) -> dict[str, Any]:
    """The funding model's estimate for a year (low / central / high, components), on the list of a date."""
    try:
        from track287g.analyze import funding as model
    except ImportError as exc:
        return _missing("funding", exc)
    try:
        params = model.load_parameters(scenario="central")
        inputs = model.funding_inputs(conn, on)
        result = model.estimate(inputs, params, year=year, state=state)
    except Exception as exc:
        return _missing("funding", exc)
    return {"available": True, **result.as_json()}


# --- claims ---------------------------------------------------------------------------------------------


def claims(conn: Connection) -> dict[str, Any]:
    """Published claims about 287(g) checked against the record (analyze/claims.py)."""
    try:
        from track287g.analyze.claims import check_path
    except ImportError as exc:
        return _missing("claims", exc)
    from track287g.config import repo_root

    root = repo_root()
    folder = root / "data" / "claims" if root else None
    if folder is None or not folder.is_dir():
        return _missing("claims", FileNotFoundError("no data/claims folder beside this build"))
    try:
        found = check_path(conn, folder)
    except Exception as exc:
        return _missing("claims", exc)
    return {"available": True, "claims": [dict(c) for c in found]}
