"""Agency, county, state and national figures from one Monte Carlo run, rolled up so that they add up.

Each listed agency's central figure is rounded to the dollar; a county is the sum of its agencies, a state the
sum of its counties, its agencies without a county (state agencies serve the whole state) and the new
sign-ups projected for it (which no county can be given yet), the nation the sum of the states. Each place's
range is the percentile of its own total over the same draws: ranges do not add up (the low ends of two
places do not fall on the same draw), central figures do, to the dollar.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np

from track287g.analyze.funding.inputs import Participant


def _range(draws: np.ndarray, p_lo: float, p_hi: float) -> tuple[list[int], list[int]]:
    """Per column of ``draws`` (draws x places), the low and high percentiles, rounded to dollars."""
    if draws.shape[1] == 0:
        return [], []
    lo, hi = np.percentile(draws, [p_lo, p_hi], axis=0)
    return [round(float(x)) for x in lo], [round(float(x)) for x in hi]


def _grouped(draws: np.ndarray, keys: list[Any]) -> tuple[list[Any], np.ndarray]:
    """Sum the columns of ``draws`` by key: (the distinct keys in order, draws x keys)."""
    distinct = sorted(set(keys), key=lambda k: (k is None, k))
    if not distinct:
        return [], np.zeros((draws.shape[0], 0))
    index = {k: i for i, k in enumerate(distinct)}
    order = np.argsort([index[k] for k in keys], kind="stable")
    sorted_keys = [index[keys[i]] for i in order]
    starts = [0] + [i for i in range(1, len(sorted_keys)) if sorted_keys[i] != sorted_keys[i - 1]]
    return distinct, np.add.reduceat(draws[:, order], starts, axis=1)


def roll_up(
    rows: list[Participant],
    central: np.ndarray,
    draws: np.ndarray,
    projected: dict[str, float],
    projected_draws: dict[str, np.ndarray],
    details: list[dict[str, Any]],
    percentiles: tuple[float, float],
) -> dict[str, Any]:
    """The places of one estimate.

    ``central`` (per listed agency) and ``draws`` (draws x listed agencies) are the agencies' totals for the
    period; ``projected`` and ``projected_draws`` the projected new sign-ups per state; ``details`` per agency
    the inputs it used (officers, wage, ...).
    """
    p_lo, p_hi = percentiles
    cents = [round(float(x)) for x in central]
    lows, highs = _range(draws, p_lo, p_hi)
    agencies: list[dict[str, Any]] = []
    for i, r in enumerate(rows):
        agencies.append(
            {
                "agency_id": r.agency_id,
                "agency": r.agency,
                "state": r.state,
                "county_fips": r.county_fips,
                "county": r.county,
                "central": cents[i],
                "low": lows[i],
                "high": highs[i],
                "inputs": _inputs(r) | details[i],
            }
        )
    keys = [(r.state, r.county_fips) for r in rows if r.county_fips]
    placed = [i for i, r in enumerate(rows) if r.county_fips]
    county_keys, county_draws = _grouped(draws[:, placed], keys) if placed else ([], np.zeros((len(draws), 0)))
    c_lo, c_hi = _range(county_draws, p_lo, p_hi)
    counties: list[dict[str, Any]] = []
    for j, (state, fips) in enumerate(county_keys):
        members = [a for a in agencies if a["state"] == state and a["county_fips"] == fips]
        counties.append(
            {
                "fips": fips,
                "name": members[0]["county"],
                "state": state,
                "central": sum(int(a["central"]) for a in members),
                "low": c_lo[j],
                "high": c_hi[j],
                "agencies": len(members),
                "agency_ids": [a["agency_id"] for a in members],
            }
        )
    codes = sorted({r.state for r in rows} | set(projected))
    state_keys = [r.state for r in rows]
    s_keys, s_listed = _grouped(draws, state_keys) if rows else ([], np.zeros((len(draws), 0)))
    listed_by_state = dict(zip(s_keys, s_listed.T, strict=True))
    n_draws = draws.shape[0]
    state_draws = (
        np.column_stack(
            [listed_by_state.get(s, np.zeros(n_draws)) + projected_draws.get(s, np.zeros(n_draws)) for s in codes]
        )
        if codes
        else np.zeros((n_draws, 0))
    )
    s_lo, s_hi = _range(state_draws, p_lo, p_hi)
    states: list[dict[str, Any]] = []
    for j, code in enumerate(codes):
        in_counties = sum(int(c["central"]) for c in counties if c["state"] == code)
        statewide = sum(int(a["central"]) for a in agencies if a["state"] == code and not a["county_fips"])
        new = round(projected.get(code, 0.0))
        states.append(
            {
                "state": code,
                "central": in_counties + statewide + new,
                "low": s_lo[j],
                "high": s_hi[j],
                "agencies": sum(1 for a in agencies if a["state"] == code),
                "parts": {"counties": in_counties, "no_county": statewide, "projected": new},
            }
        )
    total = state_draws.sum(axis=1) if codes else np.zeros(n_draws)
    n_lo, n_hi = _range(total[:, None], p_lo, p_hi)
    nation: dict[str, Any] = {
        "central": sum(s["central"] for s in states),
        "low": n_lo[0] if n_lo else 0,
        "high": n_hi[0] if n_hi else 0,
        "agencies": len(agencies),
        "parts": {
            "listed": sum(int(a["central"]) for a in agencies),
            "projected": sum(s["parts"]["projected"] for s in states),
        },
    }
    return {"nation": nation, "states": states, "counties": counties, "agencies": agencies}


def _inputs(r: Participant) -> dict[str, Any]:
    out = asdict(r)
    for key in ("agency_id", "agency", "state", "county_fips", "county"):
        out.pop(key)
    return out


def check_adds_up(places: dict[str, Any]) -> list[str]:
    """Where a roll-up does not add up (empty when everything does): agencies to counties, counties and the
    rest to states, states to the nation."""
    problems = []
    for c in places["counties"]:
        members = [a for a in places["agencies"] if a["state"] == c["state"] and a["county_fips"] == c["fips"]]
        if sum(a["central"] for a in members) != c["central"]:
            problems.append(f"county {c['fips']}")
    for s in places["states"]:
        counties = sum(c["central"] for c in places["counties"] if c["state"] == s["state"])
        rest = sum(a["central"] for a in places["agencies"] if a["state"] == s["state"] and not a["county_fips"])
        if counties + rest + s["parts"]["projected"] != s["central"]:
            problems.append(f"state {s['state']}")
    if sum(s["central"] for s in places["states"]) != places["nation"]["central"]:
        problems.append("nation")
    return problems
