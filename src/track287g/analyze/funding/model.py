"""The arithmetic of the funding model, vectorized over Monte Carlo draws.

For one period [start, end) and each qualifying agency (or block of projected new agencies):

- officers = min(k x sworn^size_exponent, sworn x cap%) x claim%, where sworn is the agency's size (the FBI
  roster's count, or the enrich stage's stated estimate) and k is chosen so the national total of officers
  before the claim share is mean_per_agency x agencies (or officers.national_total); a projected new agency
  has the mean;
- an agency is operational from max(since + months_to_operational, program start);
- officer-years = officers x days operational within the period / 365;
- salary and benefits = officer-years x wage x (salary_benefits%) / (1 - benefits share of compensation);
- overtime = officer-years x wage x overtime%;
- awards = officer-years x 4 quarters x expected award per officer-quarter;
- equipment = officers x $7,500 x uptake%, and vehicles = $100,000 x agency%, once, in the period holding the
  operational date.

wage = the state's BLS wage x (1 + growth)^(years from mid-May of the BLS year to the middle of the costed period)
x seniority factor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from track287g.analyze.funding.inputs import Participant
from track287g.analyze.funding.params import AWARD_SHARES, Parameters
from track287g.analyze.funding.wages import reference_date, state_wage

COMPONENTS = ("salary_benefits", "overtime", "awards", "equipment", "vehicles")
DAYS_PER_YEAR = 365.0
DAYS_PER_MONTH = 365.25 / 12
QUARTERS_PER_YEAR = 4
AWARD_AMOUNTS = ("offer.award_90_100", "offer.award_80_89", "offer.award_70_79")


def cap_officers(officers: float, sworn: int | None, cap_percent: float = 100.0) -> float:
    """Task-force officers an agency can have: ``officers``, but no more than ``cap_percent`` of its sworn officers.

    ``sworn`` None (agency not matched to the FBI roster) leaves the number uncapped.
    """
    if sworn is None:
        return float(officers)
    return float(min(officers, sworn * cap_percent / 100.0))


def solve_per_agency(targets: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """For each national target T, the k with sum(min(k, cap_i)) = T (``inf`` when even every cap falls short).

    ``caps`` are per agency, ``inf`` where there is no cap. Every agency gets k unless its cap is lower.
    """
    targets = np.asarray(targets, dtype=float)
    weights = np.ones((len(targets), len(caps)))
    return solve_weighted(targets, weights, np.asarray(caps, dtype=float))


def solve_weighted(targets: np.ndarray, weights: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """For each draw d, the k with sum_i min(k x weights[d, i], caps[i]) = targets[d] (``inf`` when even every
    cap falls short). Agency i reaches its cap at k = caps[i] / weights[d, i]; between those breakpoints the
    total grows linearly, so k is found by sorting them."""
    targets = np.asarray(targets, dtype=float)
    n = weights.shape[1]
    if n == 0:
        return np.zeros_like(targets)
    with np.errstate(divide="ignore", invalid="ignore"):
        breaks = np.where(weights > 0, caps[None, :] / weights, np.inf)
    order = np.argsort(breaks, axis=1, kind="stable")
    b = np.take_along_axis(breaks, order, axis=1)
    c = caps[order]
    w = np.take_along_axis(weights, order, axis=1)
    finite_c = np.where(np.isfinite(c), c, 0.0)
    before = np.concatenate([np.zeros((len(targets), 1)), np.cumsum(finite_c, axis=1)[:, :-1]], axis=1)
    after = np.cumsum(w[:, ::-1], axis=1)[:, ::-1]  # weights of the agencies not yet capped at each breakpoint
    with np.errstate(invalid="ignore"):
        totals_at = np.where(np.isfinite(b), before + b * after, np.inf)
    reached = totals_at >= targets[:, None]
    feasible = reached.any(axis=1)
    j = np.where(feasible, reached.argmax(axis=1), n - 1)
    rows = np.arange(len(targets))
    with np.errstate(divide="ignore", invalid="ignore"):
        k = (targets - before[rows, j]) / after[rows, j]
    return np.where(feasible, k, np.inf)


def calibrate_per_agency(target: float, sworn: Sequence[int | None], cap_percent: float = 100.0) -> float:
    """The officers per agency k that makes the capped national total equal ``target`` (see ``solve_per_agency``)."""
    caps = np.array([np.inf if s is None else s * cap_percent / 100.0 for s in sworn], dtype=float)
    return float(solve_per_agency(np.array([target]), caps)[0])


def expected_award(shares_percent: Sequence, amounts: Sequence) -> Any:
    """Expected award per officer-quarter: sum of tier share x tier amount, shares scaled down if over 100%.

    Works on numbers or on arrays of draws alike.
    """
    total = sum(shares_percent)
    scale = 100.0 / np.maximum(total, 100.0)
    return sum(s * scale / 100.0 * a for s, a in zip(shares_percent, amounts, strict=True))


def _ordinal(day: str | dt.date) -> int:
    return (dt.date.fromisoformat(day) if isinstance(day, str) else day).toordinal()


@dataclass
class Table:
    """Rows the arithmetic runs on: the listed agencies, then blocks of projected new agencies."""

    state: np.ndarray  # USPS code per row
    since: np.ndarray  # ordinal day the row became a TFM participant
    cap: np.ndarray  # officers cap (inf = none)
    size: np.ndarray  # the agency's sworn officers (its weight); nan for projected rows
    wage: np.ndarray  # BLS annual wage of the state
    listed: np.ndarray  # True for an agency on the list, False for projected sign-ups
    growth_weight: np.ndarray  # projected agencies per (agency a month) of growth; 0 for listed rows
    wage_source: list[str]

    @property
    def n_listed(self) -> int:
        return int(self.listed.sum())


def build_table(rows: Sequence[Participant], params: Parameters, as_of: str, horizon: str) -> Table:
    """Arrays for the listed agencies plus one projected block per state and month from ``as_of`` to ``horizon``."""
    year, stat, fallback = params["salary.bls_year"], params["salary.statistic"], params["salary.national_fallback"]
    cap_pct = params["officers.cap_percent_of_sworn"]
    a0 = _ordinal(as_of)
    wages, sources = zip(*(state_wage(r.state, year, stat, fallback) for r in rows), strict=True) if rows else ((), ())
    state = [r.state for r in rows]
    since = [float(_ordinal(r.since)) if r.since else float(a0) for r in rows]
    known = [r.sworn for r in rows if r.sworn]
    typical = float(np.median(known)) if known else 1.0  # an agency of unknown size counts as a median one
    cap = [np.inf if not r.sworn else r.sworn * cap_pct / 100.0 for r in rows]
    size = [float(r.sworn) if r.sworn else typical for r in rows]
    wage, listed, weight, wsrc = list(wages), [True] * len(rows), [0.0] * len(rows), list(sources)
    end = _ordinal(horizon)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.state] = counts.get(r.state, 0) + 1
    m = 0
    while rows and a0 + m * DAYS_PER_MONTH < end:
        lo, hi = a0 + m * DAYS_PER_MONTH, min(a0 + (m + 1) * DAYS_PER_MONTH, end)
        for st, count in sorted(counts.items()):
            w, src = state_wage(st, year, stat, fallback)
            state.append(st)
            since.append((lo + hi) / 2)
            cap.append(np.inf)
            size.append(np.nan)
            wage.append(w)
            wsrc.append(src)
            listed.append(False)
            weight.append((hi - lo) / DAYS_PER_MONTH * count / len(rows))
        m += 1
    return Table(
        np.array(state, dtype=object),
        np.array(since, dtype=float),
        np.array(cap, dtype=float),
        np.array(size, dtype=float),
        np.array(wage, dtype=float),
        np.array(listed, dtype=bool),
        np.array(weight, dtype=float),
        wsrc,
    )


def central_values(params: Parameters) -> dict[str, np.ndarray]:
    """Every numeric parameter as a one-draw array at its value."""
    return {
        name: np.array([float(e.value)])
        for name, e in params.entries.items()
        if isinstance(e.value, int | float) and not isinstance(e.value, bool)
    }


def draw_values(params: Parameters, draws: int, seed: int) -> dict[str, np.ndarray]:
    """``draws`` values of every numeric parameter: uncertain ones sampled over their range, the rest fixed."""
    rng = np.random.default_rng(seed)
    values = {name: np.repeat(v, draws) for name, v in central_values(params).items()}
    for entry in sorted(params.uncertain(), key=lambda e: e.name):
        low, high = entry.bounds
        if entry.dist == "uniform":
            values[entry.name] = rng.uniform(low, high, draws)
        else:
            values[entry.name] = rng.triangular(low, float(entry.value), high, draws)
    return values


def officers_per_row(values: dict[str, np.ndarray], table: Table) -> tuple[np.ndarray, np.ndarray]:
    """Officers before the claim share, per draw and row, and k per draw.

    A listed agency has min(k x size^exponent, cap) officers, k chosen so their total is the national target
    (mean_per_agency x agencies, or national_total); a projected agency has the mean.
    """
    n = table.n_listed
    target = values.get("officers.national_total")
    if target is None:
        target = values["officers.mean_per_agency"] * n
    exponent = values["officers.size_exponent"]
    size = table.size[table.listed]
    weights = size[None, :] ** exponent[:, None]
    k = solve_weighted(target, weights, table.cap[table.listed])
    mean = target / n if n else np.zeros_like(target)
    officers = np.repeat(mean[:, None], len(table.state), axis=1)
    with np.errstate(invalid="ignore"):
        officers[:, table.listed] = np.minimum(k[:, None] * weights, table.cap[table.listed][None, :])
    return officers, k


def costs(
    values: dict[str, Any],
    table: Table,
    start: str,
    end: str,
    wage_date: str,
) -> dict[str, np.ndarray]:
    """Cost per component, per draw (rows of the result) and table row (columns), for the period [start, end)."""
    v = values
    ws, we = _ordinal(start), _ordinal(end)
    program = _ordinal(v["_program_start"])
    officers, _ = officers_per_row(v, table)
    weight = table.listed[None, :] + v["growth.agencies_per_month"][:, None] * table.growth_weight[None, :]
    claimed = officers * weight * (v["officers.claim_percent"][:, None] / 100.0)
    lag = v["officers.months_to_operational"][:, None] * DAYS_PER_MONTH
    operational = np.maximum(table.since[None, :] + lag, program)
    days = np.clip(we - np.maximum(operational, ws), 0.0, None)
    officer_years = claimed * days / DAYS_PER_YEAR
    years = (_ordinal(wage_date) - reference_date(v["_bls_year"]).toordinal()) / 365.25
    factor = (1 + v["salary.annual_growth_percent"] / 100.0) ** years * v["salary.seniority_factor"]
    wage = table.wage[None, :] * factor[:, None]
    award = expected_award([v[n] for n in AWARD_SHARES], [v[n] for n in AWARD_AMOUNTS])
    once = (operational >= ws) & (operational < we)
    load = (v["offer.salary_benefits_percent"] / 100.0) / (1 - v["benefits.percent_of_compensation"] / 100.0)
    equipment = v["offer.equipment_per_officer"] * v["equipment.uptake_percent"] / 100.0
    vehicles = v["offer.vehicles_per_agency"] * v["vehicles.agency_percent"] / 100.0
    return {
        "salary_benefits": officer_years * wage * load[:, None],
        "overtime": officer_years * wage * (v["overtime.percent_of_salary"][:, None] / 100.0),
        "awards": officer_years * QUARTERS_PER_YEAR * award[:, None],
        "equipment": claimed * once * equipment[:, None],
        "vehicles": weight * once * vehicles[:, None],
    }


def with_settings(values: dict[str, np.ndarray], params: Parameters) -> dict[str, Any]:
    """Add the non-numeric settings the arithmetic needs (program start, BLS year) to a values dict.

    The result maps each parameter to its draws (an array) and ``_program_start``, ``_bls_year`` to their settings.
    """
    out = dict(values)
    out["_program_start"] = params["program.start"]
    out["_bls_year"] = params["salary.bls_year"]
    if params["officers.national_total"] is None:
        out.pop("officers.national_total", None)
    return out
