"""Agency, county, state and national figures from one Monte Carlo run, rolled up so that they add up.

Each listed agency's central figure is rounded to the dollar; a county is the sum of its agencies, a state the
sum of its counties, its agencies without a county (state agencies serve the whole state) and the new
sign-ups projected for it (which no county can be given yet), the nation the sum of the states. Each place's
range is the percentile of its own total over the same draws: ranges do not add up (the low ends of two
places do not fall on the same draw), central figures do, to the dollar.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import numpy as np

from track287g.analyze.funding.inputs import Participant

BLOCK = 256  # columns of draws summed or ranked at a time, in float64: bounds memory at draws x BLOCK x 8 bytes


def _range(draws: np.ndarray, p_lo: float, p_hi: float) -> tuple[list[int], list[int]]:
    """Per column of ``draws`` (draws x places), the low and high percentiles, rounded to dollars."""
    if draws.shape[1] == 0:
        return [], []
    lo, hi = np.percentile(draws, [p_lo, p_hi], axis=0)
    return [round(float(x)) for x in lo], [round(float(x)) for x in hi]


def _ranges(draws: np.ndarray, columns: np.ndarray, p_lo: float, p_hi: float) -> tuple[list[int], list[int]]:
    """``_range`` of the given columns of ``draws`` (any float dtype, read as float64), a block at a time."""
    lows: list[int] = []
    highs: list[int] = []
    for b in range(0, len(columns), BLOCK):
        lo, hi = _range(draws[:, columns[b : b + BLOCK]].astype(float), p_lo, p_hi)
        lows += lo
        highs += hi
    return lows, highs


def _group_sums(draws: np.ndarray, columns: np.ndarray, keys: list[Any]) -> Iterator[tuple[list[Any], np.ndarray]]:
    """The given columns of ``draws`` summed by key (float64, each key's columns added in their order): blocks of
    (keys in order, draws x those keys), each block of whole keys and at most ``BLOCK`` columns unless one key
    has more."""
    distinct = sorted(set(keys), key=lambda k: (k is None, k))
    index = {k: i for i, k in enumerate(distinct)}
    order = np.argsort([index[k] for k in keys], kind="stable")
    members: list[list[int]] = [[] for _ in distinct]
    for i in order:
        members[index[keys[i]]].append(int(columns[i]))
    start = 0
    while start < len(distinct):
        stop, width = start, 0
        while stop < len(distinct) and (stop == start or width + len(members[stop]) <= BLOCK):
            width += len(members[stop])
            stop += 1
        cols = [c for m in members[start:stop] for c in m]
        starts = np.cumsum([0] + [len(m) for m in members[start : stop - 1]])
        yield distinct[start:stop], np.add.reduceat(draws[:, cols].astype(float), starts, axis=1)
        start = stop


def _grouped(draws: np.ndarray, columns: np.ndarray, keys: list[Any]) -> tuple[list[Any], np.ndarray]:
    """All of ``_group_sums`` at once: (the distinct keys in order, draws x keys)."""
    blocks = list(_group_sums(draws, columns, keys))
    if not blocks:
        return [], np.zeros((draws.shape[0], 0))
    return [k for ks, _ in blocks for k in ks], np.concatenate([sums for _, sums in blocks], axis=1)


def roll_up(
    rows: list[Participant],
    central: np.ndarray,
    draws: np.ndarray,
    columns: np.ndarray,
    projected: dict[str, float],
    projected_draws: dict[str, np.ndarray],
    details: list[dict[str, Any]],
    percentiles: tuple[float, float],
) -> dict[str, Any]:
    """The places of one estimate.

    ``central`` (per listed agency) and column ``columns[i]`` of ``draws`` (draws x columns, float32 or float64)
    are agency i's totals for the period; ``projected`` and ``projected_draws`` the projected new sign-ups per
    state; ``details`` per agency the inputs it used (officers, wage, ...). The draws are read a block of
    columns at a time, so memory stays near the size of ``draws`` whatever the number of agencies.
    """
    p_lo, p_hi = percentiles
    columns = np.asarray(columns, dtype=np.intp)
    cents = [round(float(x)) for x in central]
    lows, highs = _ranges(draws, columns, p_lo, p_hi)
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
    in_county: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    of_state: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in agencies:
        of_state[a["state"]].append(a)
        if a["county_fips"]:
            in_county[(a["state"], a["county_fips"])].append(a)
    placed = [i for i, r in enumerate(rows) if r.county_fips]
    counties: list[dict[str, Any]] = []
    for keys, sums in _group_sums(draws, columns[placed], [(rows[i].state, rows[i].county_fips) for i in placed]):
        c_lo, c_hi = _range(sums, p_lo, p_hi)
        for j, (state, fips) in enumerate(keys):
            members = in_county[(state, fips)]
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
    county_total: dict[str, int] = defaultdict(int)
    for c in counties:
        county_total[c["state"]] += int(c["central"])
    codes = sorted({r.state for r in rows} | set(projected))
    s_keys, s_listed = _grouped(draws, columns, [r.state for r in rows])
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
        in_counties = county_total[code]
        statewide = sum(int(a["central"]) for a in of_state[code] if not a["county_fips"])
        new = round(projected.get(code, 0.0))
        states.append(
            {
                "state": code,
                "central": in_counties + statewide + new,
                "low": s_lo[j],
                "high": s_hi[j],
                "agencies": len(of_state[code]),
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
    in_county: dict[tuple[str, str], int] = defaultdict(int)
    no_county: dict[str, int] = defaultdict(int)
    for a in places["agencies"]:
        if a["county_fips"]:
            in_county[(a["state"], a["county_fips"])] += a["central"]
        else:
            no_county[a["state"]] += a["central"]
    problems = [f"county {c['fips']}" for c in places["counties"] if in_county[(c["state"], c["fips"])] != c["central"]]
    counties: dict[str, int] = defaultdict(int)
    for c in places["counties"]:
        counties[c["state"]] += c["central"]
    for s in places["states"]:
        if counties[s["state"]] + no_county[s["state"]] + s["parts"]["projected"] != s["central"]:
            problems.append(f"state {s['state']}")
    if sum(s["central"] for s in places["states"]) != places["nation"]["central"]:
        problems.append("nation")
    return problems
