"""One small adapter per stage the web shows but does not own: rosters and counties (enrich), funding, claims.
Each returns ``{"available": False, "reason": ...}`` until its stage is installed in this build, so the pages say
so honestly instead of failing.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from sqlalchemy import Connection, select

from track287g.errors import NotFound
from track287g.normalize import tables
from track287g.store.sql import Conn, first

NOT_BUILT = "not yet available in this build"


def _missing(stage: str, exc: Exception | None = None) -> dict[str, Any]:
    detail = f" ({type(exc).__name__}: {exc})" if exc and not isinstance(exc, ImportError) else ""
    return {"available": False, "stage": stage, "reason": NOT_BUILT + detail}


# --- enrich: roster facts and counties ------------------------------------------------------------------


def agency_facts(conn: Conn, agency_id: str) -> dict[str, Any]:
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


def agency_size(conn: Conn, agency_id: str) -> dict[str, Any]:
    """The agency's sworn officers as the funding model counts them, and the rule and basis (a message)."""
    try:
        row = first(conn, "SELECT sworn, rule, basis FROM agency_size WHERE agency_id = :id", {"id": agency_id})
    except Exception as exc:  # the enrich tables may not be built in this database
        return _missing("enrich", exc)
    if row is None:
        return {"available": False, "reason": NOT_BUILT}
    return {"available": True, "sworn": row["sworn"], "rule": row["rule"], "basis": json.loads(row["basis"] or "{}")}


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


def prepare() -> None:
    """Import what the answers read from the later stages, and read the county names from the map's shapes:
    what the first answers would otherwise do (``web.app.prepare``)."""
    from track287g.enrich import agency_facts  # noqa: F401 - imported once, here

    _county_index()


def county_fips(state: str, county: str | None) -> str | None:
    """The 5-digit FIPS of a county named as ICE prints it ("Walker County") in a state, or None.

    Name matching within the state, until the enrich stage provides matched FIPS codes.
    """
    if not county or state not in tables.states():
        return None
    first = re.split(r"[/,;&]| and ", county)[0]
    return _county_index().get((tables.states()[state]["fips"], _key(first)))


# --- funding --------------------------------------------------------------------------------------------


def funding_estimate(conn: Connection, on: str, year: int, query: dict[str, Any]) -> dict[str, Any]:
    """The funding model's run for the place's state (or the nation) under a reader's scenario: the inputs,
    parameters and estimate that ``funding`` answers from. A bad scenario field is a ``BadRequest``."""
    try:
        from track287g.analyze import funding as model
    except ImportError as exc:
        return _missing("funding", exc)
    from track287g.web.query_params import BadRequest

    try:
        params, given = model.with_scenario(model.load_parameters(scenario="central"), query)
        inputs = model.funding_inputs(conn, on)
        state = query.get("state")
        if query.get("agency"):
            state = model.agency_state(inputs, query["agency"], state)
        result = model.estimate(inputs, params, year, query.get("basis", "calendar"), state, with_agencies=True)
    except (model.ParameterError, model.FundingError) as exc:
        if exc.http_status == 404:  # an agency id that names no agency: no such place, not a bad request
            raise NotFound(exc.template, **exc.values) from None
        raise BadRequest(exc.template, **exc.values) from None
    except Exception as exc:
        return _missing("funding", exc)
    return {"available": True, "inputs": inputs, "params": params, "given": given, "result": result}


def funding(run: dict[str, Any], query: dict[str, Any]) -> dict[str, Any]:
    """The funding model's answer for one place (nation, state, county or agency) from a run of
    ``funding_estimate``. An unknown county is a ``BadRequest``."""
    if not run.get("available"):
        return run
    from track287g.analyze import funding as model
    from track287g.web.query_params import BadRequest

    try:
        found = model.answer(
            run["inputs"],
            run["params"],
            year=run["result"].year,
            basis=run["result"].basis,
            state=run["result"].state,
            county=query.get("county"),
            agency=query.get("agency"),
            result=run["result"],
        )
    except (model.ParameterError, model.FundingError) as exc:
        if exc.http_status == 404:  # an unknown county: no such place, not a bad request
            raise NotFound(exc.template, **exc.values) from None
        raise BadRequest(exc.template, **exc.values) from None
    return {"available": True, "scenario_fields": run["given"], **found}


def funding_places(run: dict[str, Any]) -> dict[str, Any]:
    """Every agency's, county's and state's figure and range from a national run of ``funding_estimate``, for
    the pages that show one place's figure beside other facts (an agency's page, a state's)."""
    if not run.get("available"):
        return run
    places = run["result"].places
    return {
        "available": True,
        "year": run["result"].year,
        "list": run["inputs"].as_json(),
        "agencies": {a["agency_id"]: a for a in places["agencies"]},
        "counties": {c["fips"]: c for c in places["counties"]},
        "states": {s["state"]: s for s in places["states"]},
        "nation": places["nation"],
    }


# --- claims ---------------------------------------------------------------------------------------------


def claims(conn: Connection) -> dict[str, Any]:
    """Published claims checked against the record, one entry per claim with its source and figures
    (analyze/claims)."""
    try:
        from track287g.analyze.claims import claims_report
    except ImportError as exc:
        return _missing("claims", exc)
    from track287g.config import bundled

    folder = bundled("claims")
    if folder is None:
        return _missing("claims", FileNotFoundError("no bundled claims folder (data/claims) in this installation"))
    try:
        found = claims_report(conn, folder)
    except Exception as exc:
        return _missing("claims", exc)
    return {"available": True, **found}
