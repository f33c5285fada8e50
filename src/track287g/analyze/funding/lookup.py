"""What might a place get: the estimate for the nation, a state, a county or one agency, under the central
assumptions or a reader's scenario (the money page's form and ``/api/v1/funding``).

A scenario is five plain fields, each pinning one parameter (the others keep their ranges):

========== ================================== ===================================================
field      parameter                          values
========== ================================== ===================================================
officers   officers.mean_per_agency           officers per agency, on average
claim      officers.claim_percent             percent of officers whose agency claims
overtime   overtime.percent_of_salary         percent of salary (the offer caps it at 25)
award      awards.percent_*                   none, 70, 80 or 90 (every officer-quarter in that tier)
growth     growth.agencies_per_month          new TFM agencies a month after the list
========== ================================== ===================================================

The same fields in a page's address are its permalink.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from track287g.analyze.funding.estimate import Estimate, FundingError, drivers, estimate
from track287g.analyze.funding.inputs import FundingInputs
from track287g.analyze.funding.params import AWARD_SHARES, ParameterError, Parameters
from track287g.i18n import N_
from track287g.messages import message
from track287g.normalize.tables import states

FIELDS: dict[str, str] = {
    "officers": "officers.mean_per_agency",
    "claim": "officers.claim_percent",
    "overtime": "overtime.percent_of_salary",
    "award": "awards",
    "growth": "growth.agencies_per_month",
}
AWARD_TIERS: dict[str, tuple[float, float, float]] = {  # shares of the 90-100, 80-89 and 70-79 tiers
    "none": (0, 0, 0),
    "70": (0, 0, 100),
    "80": (0, 100, 0),
    "90": (100, 0, 0),
}
TOP_DRIVERS = 5
ONE_TIME = ("equipment", "vehicles")  # components paid once, in the period an agency becomes operational


def scenario_values(form: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """(parameter overrides, the fields as given) from a form; empty fields are left out.

    A field that is not a number (or not a known award tier) is a ``ParameterError`` naming the field.
    """
    overrides: dict[str, Any] = {}
    given: dict[str, str] = {}
    for name, parameter in FIELDS.items():
        raw = form.get(name)
        if raw is None or str(raw).strip() == "":
            continue
        text = str(raw).strip()
        if name == "award":
            if text not in AWARD_TIERS:
                raise ParameterError(N_("award: {text!r} is not an award tier (use none, 70, 80 or 90)"), text=text)
            overrides |= dict(zip(AWARD_SHARES, AWARD_TIERS[text], strict=True))
        else:
            try:
                value = float(text)
            except ValueError:
                raise ParameterError(N_("{name}: {text!r} is not a number"), name=name, text=text) from None
            overrides[parameter] = int(value) if value.is_integer() else value
        given[name] = text
    return overrides, given


def with_scenario(params: Parameters, form: Mapping[str, Any]) -> tuple[Parameters, dict[str, str]]:
    """The parameters with a form's scenario applied, and the fields as given (for the permalink)."""
    overrides, given = scenario_values(form)
    if not overrides:
        return params, given
    try:
        return params.with_values(overrides, "scenario"), given
    except ParameterError as exc:
        text = str(exc).removeprefix("scenario: ")
        for name, parameter in FIELDS.items():
            if text.startswith(parameter) or (name == "award" and text.startswith("awards.")):
                text = f"{name}: {text.split(': ', 1)[-1]}"
        raise ParameterError(text) from None


def answer(
    inputs: FundingInputs,
    params: Parameters,
    *,
    year: int = 2026,
    basis: str = "calendar",
    state: str | None = None,
    county: str | None = None,
    agency: str | None = None,
    draws: int | None = None,
    result: Estimate | None = None,
) -> dict[str, Any]:
    """The estimate for one place: ``level`` (nation | state | county | agency), its ``figure`` (central, low,
    high, in dollars), what it is made of (``states``, ``counties``, ``agencies`` with their own figures and
    inputs), the ``drivers`` of that place, every assumption, the list used and the notes.

    ``county`` is a 5-digit FIPS code or a county's name in ``state``; ``agency`` an agency id. An unknown
    place is a ``FundingError``; a county or agency with no Task Force Model agreement answers 0 and says why.
    ``result``: the estimate for the place's state (or the nation) with agencies, when already computed.
    """
    if agency is not None:
        state = agency_state(inputs, agency, state)
    if result is None or result.state != state:
        result = estimate(inputs, params, year, basis, state, draws=draws, with_agencies=True)
    places = result.places
    out: dict[str, Any] = {
        "year": year,
        "basis": basis,
        "period": result.as_json()["period"],
        "scenario": params.scenario,
        "list": inputs.as_json(),
        "assumptions": params.as_json(),
        "notes": result.notes,
        "monte_carlo": result.monte_carlo,
        "components": {k: {kk: round(vv) for kk, vv in v.items()} for k, v in result.components.items()},
    }

    def own_components(members: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """A county's or an agency's components: its agencies' central figures (the ranges are the total's)."""
        names = result.components.keys()
        return {
            c: {"central": sum(a["inputs"]["components"][c] for a in members), "low": None, "high": None} for c in names
        }

    if agency is not None:
        found = [a for a in places["agencies"] if a["agency_id"] == agency]
        out |= {"level": "agency", "place": {"agency_id": agency, "state": state}}
        if found:
            a = found[0]
            out["place"] |= {"agency": a["agency"], "county_fips": a["county_fips"], "county": a["county"]}
            out["figure"] = {k: a[k] for k in ("central", "low", "high")}
            out["agencies"] = found
            out["components"] = own_components(found)
            out["notes"] = _with_one_time_note(out, found)
            out["drivers"] = _drivers(inputs, params, year, basis, state, {agency})
        else:
            out["figure"] = {"central": 0, "low": 0, "high": 0}
            out["agencies"] = []
            out["why_zero"] = message("funding.zero.agency", published_date=inputs.as_of, part=inputs.part)
            out["drivers"] = []
        return out
    if county is not None:
        if state is None:
            raise FundingError(N_("a county needs its state (state=FL&county=12071 or county=Lee County)"))
        fips = county_fips(county, state)
        found = [c for c in places["counties"] if c["fips"] == fips]
        out |= {"level": "county", "place": {"fips": fips, "state": state, "county": _county_name(fips)}}
        members = [a for a in places["agencies"] if a["county_fips"] == fips]
        out["agencies"] = members
        out["components"] = own_components(members)
        if members:
            out["notes"] = _with_one_time_note(out, members)
        if found:
            c = found[0]
            out["figure"] = {k: c[k] for k in ("central", "low", "high")}
            out["drivers"] = _drivers(inputs, params, year, basis, state, {a["agency_id"] for a in members})
        else:
            out["figure"] = {"central": 0, "low": 0, "high": 0}
            out["why_zero"] = message("funding.zero.county", published_date=inputs.as_of, part=inputs.part)
            out["drivers"] = []
        out["state_figure"] = next(
            ({k: s[k] for k in ("central", "low", "high")} for s in places["states"] if s["state"] == state), None
        )
        return out
    if state is not None:
        s = next((s for s in places["states"] if s["state"] == state), None)
        out |= {"level": "state", "place": {"state": state}}
        out["figure"] = {k: s[k] for k in ("central", "low", "high")} if s else {"central": 0, "low": 0, "high": 0}
        out["parts"] = s["parts"] if s else {"counties": 0, "no_county": 0, "projected": 0}
        out["counties"] = places["counties"]
        out["agencies"] = places["agencies"]
        out["drivers"] = [d.as_json() for d in result.drivers[:TOP_DRIVERS]]
        return out
    out |= {"level": "nation", "place": {}}
    out["figure"] = {k: places["nation"][k] for k in ("central", "low", "high")}
    out["parts"] = places["nation"]["parts"]
    out["states"] = places["states"]
    out["drivers"] = [d.as_json() for d in result.drivers[:TOP_DRIVERS]]
    return out


def _with_one_time_note(out: dict[str, Any], members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The notes, with one saying why a place's one-time payments (equipment, vehicles) are 0 in the period when
    every one of its agencies was paid for the period but none of them once: each became operational before it
    (an agency becoming operational in the period is paid both; one after it, neither)."""
    parts = [a["inputs"]["components"] for a in members]
    if not all(c["salary_benefits"] > 0 and not any(c[k] for k in ONE_TIME) for c in parts):
        return out["notes"]
    return [*out["notes"], message("funding.note.one-time", start=out["period"]["start"])]


def agency_state(inputs: FundingInputs, agency: str, state: str | None = None) -> str:
    """The state of an agency: its row's, else the one its id starts with ("FL-lee-county-sheriffs-office").
    An id that starts with no state names no agency: ``UnknownAgency``."""
    row = next((r for r in inputs.rows if r.agency_id == agency), None)
    if row:
        return row.state
    if state:
        return state
    prefix = agency.split("-", 1)[0].upper()
    if prefix not in states():
        raise UnknownAgency(
            N_("agency {agency!r}: no such agency (an id starts with its state: FL-lee-county-...)"), agency=agency
        )
    return prefix


def _drivers(inputs, params, year, basis, state, agencies: set[str]) -> list[dict[str, Any]]:
    found = drivers(inputs, params, year, basis, state, agencies=agencies)
    return [d.as_json() for d in found[:TOP_DRIVERS]]


class UnknownCounty(FundingError):
    """A county the state does not have: the record holds no such place (a 404 on the web)."""

    http_status = 404


class UnknownAgency(FundingError):
    """An agency id that cannot name an agency: the record holds no such place (a 404 on the web)."""

    http_status = 404


def county_fips(county: str, state: str) -> str:
    """A county's 5-digit FIPS from a code or its name in ``state`` ("Lee County", "Lee", "lee county")."""
    from track287g.enrich.counties import gazetteer

    gaz = gazetteer()
    text = county.strip()
    if text.isdigit() and len(text) == 5:
        found = gaz.by_fips.get(text)
        if found is None or found.state != state:
            raise UnknownCounty(N_("county {county}: not a county of {state}"), county=text, state=state)
        return text
    found, _rule = gaz.lookup(state, text)
    if found is None:
        found, _rule = gaz.lookup(state, f"{text} county")
    if found is None:
        raise UnknownCounty(N_("county {county!r}: no such county in {state}"), county=text, state=state)
    return found.fips


def _county_name(fips: str) -> str | None:
    from track287g.enrich.counties import gazetteer

    found = gazetteer().by_fips.get(fips)
    return found.name if found else None
