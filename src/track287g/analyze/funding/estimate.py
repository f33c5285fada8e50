"""Estimates for a year: central figure, Monte Carlo range, the parameters that move it most, per state and agency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from track287g.analyze.funding.inputs import FundingInputs
from track287g.analyze.funding.model import (
    COMPONENTS,
    Table,
    build_table,
    central_values,
    costs,
    draw_values,
    officers_per_row,
    with_settings,
)
from track287g.analyze.funding.params import Parameters
from track287g.analyze.funding.rollup import roll_up
from track287g.errors import Track287gError
from track287g.i18n import N_
from track287g.messages import message
from track287g.normalize.tables import states

BASES = ("calendar", "fiscal")
CHUNK_CELLS = 1_500_000  # draws x table rows costed at once (about 80 bytes each in flight)


class FundingError(Track287gError, ValueError):
    """A request the model cannot answer (unknown state, bad year or basis); the message says why."""


def year_window(year: int, basis: str = "calendar") -> tuple[str, str]:
    """[start, end) of a calendar year, or of the federal fiscal year ``year`` (October of year-1 to September)."""
    if basis not in BASES:
        raise FundingError(N_("basis must be calendar or fiscal, not {basis!r}"), basis=basis)
    if not 2000 <= year <= 2100:
        raise FundingError(N_("year {year} is out of range (2000-2100)"), year=year)
    if basis == "fiscal":
        return dt.date(year - 1, 10, 1).isoformat(), dt.date(year, 10, 1).isoformat()
    return dt.date(year, 1, 1).isoformat(), dt.date(year + 1, 1, 1).isoformat()


def midpoint(start: str, end: str) -> str:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return (a + (b - a) / 2).isoformat()


def _last_day(end: str) -> str:
    return (dt.date.fromisoformat(end) - dt.timedelta(days=1)).isoformat()


@dataclass
class Driver:
    """How far the total moves when one parameter goes from its low to its high end (the others central)."""

    parameter: str
    low: float
    high: float
    total_at_low: float
    total_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.total_at_high - self.total_at_low)

    def as_json(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "low": self.low,
            "high": self.high,
            "total_at_low": round(self.total_at_low),
            "total_at_high": round(self.total_at_high),
            "swing": round(self.swing),
        }


@dataclass
class Estimate:
    """The model's answer for one year (and optionally one state). Dollars; counts say what they count."""

    year: int
    basis: str
    start: str
    end: str  # exclusive
    state: str | None
    scenario: str
    inputs: FundingInputs
    central: float
    low: float
    high: float
    to_date: float
    projected: float
    components: dict[str, dict[str, float]]
    program_to_date: dict[str, Any]
    officers: dict[str, float]
    monte_carlo: dict[str, Any]
    drivers: list[Driver]
    by_state: list[dict[str, Any]]
    assumptions: dict[str, Any]
    agencies: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)  # messages (track287g.messages)
    places: dict[str, Any] = field(default_factory=dict)  # nation, states, counties, agencies (rollup.roll_up)

    def as_json(self) -> dict[str, Any]:
        """One object: ``year``, ``low``, ``central``, ``high`` (dollars), ``components``, ``assumptions``, and more."""
        out = {
            "year": self.year,
            "basis": self.basis,
            "period": {"start": self.start, "end": _last_day(self.end)},
            "state": self.state,
            "scenario": self.scenario,
            "list": self.inputs.as_json(),
            "low": round(self.low),
            "central": round(self.central),
            "high": round(self.high),
            "to_date": round(self.to_date),
            "projected": round(self.projected),
            "components": {k: {kk: round(vv) for kk, vv in v.items()} for k, v in self.components.items()},
            "program_to_date": self.program_to_date,
            "officers": self.officers,
            "monte_carlo": self.monte_carlo,
            "drivers": [d.as_json() for d in self.drivers],
            "by_state": self.by_state,
            "assumptions": self.assumptions,
            "notes": self.notes,
        }
        if self.agencies:
            out["agencies"] = self.agencies
        return out


def estimate(
    inputs: FundingInputs,
    params: Parameters,
    year: int = 2026,
    basis: str = "calendar",
    state: str | None = None,
    draws: int | None = None,
    with_agencies: bool = False,
) -> Estimate:
    """Cost of the TFM reimbursements in ``year``: to date (through the list's date) and projected, with a range."""
    start, end = year_window(year, basis)
    if state is not None:
        state = state.upper()
        if state not in states():
            raise FundingError(N_("unknown state {state!r} (use a USPS code such as FL)"), state=state)
    as_of = inputs.as_of
    horizon = max(end, as_of)
    table = build_table(inputs.rows, params, as_of, horizon)
    mask = np.ones(len(table.state), dtype=bool) if state is None else table.state == state
    wage_date = midpoint(start, end)
    program = params["program.start"]
    central = with_settings(central_values(params), params)

    def split(values: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        cut = min(max(as_of, start), end)
        return costs(values, table, start, cut, wage_date), costs(values, table, cut, end, wage_date)

    before, after = split(central)
    components = {
        c: {
            "to_date": float(before[c][0, mask].sum()),
            "projected": float(after[c][0, mask].sum()),
        }
        for c in COMPONENTS
    }
    for c in COMPONENTS:
        components[c]["central"] = components[c]["to_date"] + components[c]["projected"]

    n_draws = int(draws or params["monte_carlo.draws"])
    seed = int(params["monte_carlo.seed"])
    p_lo, p_hi = params["monte_carlo.percentile_low"], params["monte_carlo.percentile_high"]
    sampled = with_settings(draw_values(params, n_draws, seed), params)
    codes = sorted({s for s in table.state[mask]})
    groups = np.array([[s == code for code in codes] for s in table.state], dtype=float) * mask[:, None]
    totals = _mc_totals(sampled, table, start, end, wage_date, groups, n_draws, keep=mask)
    prog_start, prog_end = program, max(program, as_of)
    prog_central = costs(central, table, prog_start, prog_end, midpoint(prog_start, prog_end))
    prog_mc = _mc_totals(sampled, table, prog_start, prog_end, midpoint(prog_start, prog_end), groups, n_draws)
    total_draws = totals["total"].sum(axis=1)
    for c in COMPONENTS:
        comp = totals[c].sum(axis=1)
        components[c]["low"], components[c]["high"] = np.percentile(comp, [p_lo, p_hi]).tolist()
    central_total = sum(v["central"] for v in components.values())
    low, high = np.percentile(total_draws, [p_lo, p_hi]).tolist()
    prog_total = float(sum(prog_central[c][0, mask].sum() for c in COMPONENTS))
    prog_draws = prog_mc["total"].sum(axis=1)

    by_state = _by_state(codes, table, groups, before, after, totals, p_lo, p_hi)
    officers, k = officers_per_row(central, table)
    claim_share = central["officers.claim_percent"][0] / 100.0
    places = _places(inputs, table, mask, before, after, totals["rows"], officers[0], claim_share, (p_lo, p_hi))
    listed = table.listed & mask
    grown = float(central["growth.agencies_per_month"][0] * table.growth_weight[mask & ~table.listed].sum())
    mean = officers[0, ~table.listed][0] if (~table.listed).any() else 0.0
    claim = central["officers.claim_percent"][0] / 100.0
    officer_summary = {
        "agencies_on_list": int(listed.sum()),
        "officers_on_list": round(float(officers[0, listed].sum()), 1),
        "officers_claimed": round(float(officers[0, listed].sum()) * claim, 1),
        "per_uncapped_agency": round(float(k[0]), 3),
        "new_agencies_by_period_end": round(grown, 1),
        "officers_at_period_end": round(float(officers[0, listed].sum()) + grown * float(mean), 1),
    }
    result = Estimate(
        year=year,
        basis=basis,
        start=start,
        end=end,
        state=state,
        scenario=params.scenario,
        inputs=inputs,
        central=central_total,
        low=low,
        high=high,
        to_date=sum(v["to_date"] for v in components.values()),
        projected=sum(v["projected"] for v in components.values()),
        components=components,
        program_to_date={
            "start": prog_start,
            "end": as_of,
            "central": round(prog_total),
            "low": round(float(np.percentile(prog_draws, p_lo))),
            "high": round(float(np.percentile(prog_draws, p_hi))),
            "what": "cost accrued (earned by agencies), not payments made; reimbursements are paid in arrears",
        },
        officers=officer_summary,
        monte_carlo={
            "draws": n_draws,
            "seed": seed,
            "percentiles": [p_lo, p_hi],
            "mean": round(float(total_draws.mean())),
            "median": round(float(np.median(total_draws))),
            "uncertain": sorted(e.name for e in params.uncertain()),
        },
        drivers=drivers(inputs, params, year, basis, state, table=table),
        by_state=by_state,
        assumptions=params.as_json(),
        notes=_notes(inputs, table, mask, (p_lo, p_hi))
        + ([message("funding.note.before-program", start=str(program))] if str(end) <= str(program) else []),
    )
    result.places = places
    if with_agencies:
        result.agencies = places["agencies"]
    return result


def _mc_totals(
    sampled: dict[str, np.ndarray],
    table: Table,
    start: str,
    end: str,
    wage_date: str,
    groups: np.ndarray,
    n_draws: int,
    keep: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Per draw and group (state), each component's total; in chunks of draws to bound memory (the figures do
    not depend on the chunks). With ``keep`` (a row mask), also ``rows``: per draw, each kept row's total
    (float32)."""
    out = {c: np.zeros((n_draws, groups.shape[1])) for c in (*COMPONENTS, "total")}
    if keep is not None:
        out["rows"] = np.zeros((n_draws, int(keep.sum())), dtype=np.float32)
    step = max(1, CHUNK_CELLS // max(1, len(table.state)))
    for lo in range(0, n_draws, step):
        hi = min(lo + step, n_draws)
        chunk = {k: (v[lo:hi] if isinstance(v, np.ndarray) else v) for k, v in sampled.items()}
        result = costs(chunk, table, start, end, wage_date)
        for c in COMPONENTS:
            summed = result[c] @ groups
            out[c][lo:hi] = summed
            out["total"][lo:hi] += summed
        if keep is not None:
            out["rows"][lo:hi] = sum(result[c][:, keep] for c in COMPONENTS)
    return out


def drivers(
    inputs: FundingInputs,
    params: Parameters,
    year: int = 2026,
    basis: str = "calendar",
    state: str | None = None,
    table: Table | None = None,
    agencies: set[str] | None = None,
) -> list[Driver]:
    """One-at-a-time sensitivity (a tornado): each uncertain parameter at its low and high end, largest swing first.

    ``state`` limits it to a state's rows, ``agencies`` to those listed agencies (a county, an agency).
    """
    start, end = year_window(year, basis)
    if table is None:
        table = build_table(inputs.rows, params, inputs.as_of, max(end, inputs.as_of))
    mask = np.ones(len(table.state), dtype=bool) if state is None else table.state == state
    if agencies is not None:
        ids = [r.agency_id in agencies for r in inputs.rows]
        mask = mask & np.concatenate([np.array(ids, dtype=bool), np.zeros(len(table.state) - len(ids), dtype=bool)])
    uncertain = sorted(params.uncertain(), key=lambda e: e.name)
    n = 1 + 2 * len(uncertain)
    values = {k: np.repeat(v, n) for k, v in central_values(params).items()}
    for i, entry in enumerate(uncertain):
        values[entry.name] = values[entry.name].copy()
        values[entry.name][1 + 2 * i] = entry.low
        values[entry.name][2 + 2 * i] = entry.high
    result = costs(with_settings(values, params), table, start, end, midpoint(start, end))
    totals = sum(result[c][:, mask].sum(axis=1) for c in COMPONENTS)
    out = [
        Driver(e.name, *e.bounds, float(totals[1 + 2 * i]), float(totals[2 + 2 * i])) for i, e in enumerate(uncertain)
    ]
    return sorted(out, key=lambda d: (-d.swing, d.parameter))


def _by_state(codes, table, groups, before, after, totals, p_lo, p_hi) -> list[dict[str, Any]]:
    rows = []
    for j, code in enumerate(codes):
        g = groups[:, j]
        comps = {c: float(before[c][0] @ g + after[c][0] @ g) for c in COMPONENTS}
        lo, hi = np.percentile(totals["total"][:, j], [p_lo, p_hi]).tolist()
        rows.append(
            {
                "state": code,
                "agencies": int((table.listed & (g > 0)).sum()),
                "central": round(sum(comps.values())),
                "low": round(lo),
                "high": round(hi),
                "to_date": round(sum(float(before[c][0] @ g) for c in COMPONENTS)),
                "components": {c: round(v) for c, v in comps.items()},
            }
        )
    return sorted(rows, key=lambda r: (-r["central"], r["state"]))


def _places(inputs, table, mask, before, after, row_draws, officers, claim, percentiles) -> dict[str, Any]:
    """Agency, county, state and national figures (see ``rollup``) of the rows in ``mask``."""
    kept = np.flatnonzero(mask)
    listed_cols = [j for j, i in enumerate(kept) if table.listed[i]]
    listed_rows = [i for i in kept if table.listed[i]]
    total = sum(before[c][0] + after[c][0] for c in COMPONENTS)
    projected: dict[str, float] = {}
    projected_draws: dict[str, np.ndarray] = {}
    for j, i in enumerate(kept):
        if not table.listed[i]:
            code = str(table.state[i])
            projected[code] = projected.get(code, 0.0) + float(total[i])
            projected_draws[code] = projected_draws.get(code, 0.0) + row_draws[:, j].astype(float)
    details = []
    for i in listed_rows:
        comps = {c: round(float(before[c][0, i] + after[c][0, i])) for c in COMPONENTS}
        details.append(
            {
                "officers": round(float(officers[i]), 2),
                "officers_claimed": round(float(officers[i]) * claim, 2),
                "wage": float(table.wage[i]),
                "wage_source": table.wage_source[i],
                "components": comps,
            }
        )
    return roll_up(
        [inputs.rows[i] for i in listed_rows],
        total[listed_rows],
        row_draws,
        np.array(listed_cols, dtype=np.intp),
        projected,
        projected_draws,
        details,
        percentiles,
    )


def _notes(
    inputs: FundingInputs, table: Table, mask: np.ndarray, percentiles: tuple[float, float]
) -> list[dict[str, Any]]:
    """What the reader must know about the figures, as messages (``track287g.messages``)."""
    listed = table.listed & mask
    rows = [r for i, r in enumerate(inputs.rows) if mask[i]]
    notes = [
        message(
            "funding.note.agencies",
            agencies=len(rows),
            published_date=inputs.as_of,
            part=inputs.part,
        ),
        message("funding.note.projected"),
    ]
    counted = sum(1 for r in rows if r.size_rule.startswith("roster"))
    estimated = sum(1 for r in rows if r.size_rule.startswith("fallback"))
    if counted == 0 and estimated == 0:
        notes.append(message("funding.note.no-sizes"))
    else:
        notes.append(message("funding.note.sizes", counted=counted, estimated=estimated, agencies=len(rows)))
    fallback = sorted({table.state[i] for i in np.flatnonzero(listed) if table.wage_source[i] == "national fallback"})
    if fallback:
        notes.append(message("funding.note.fallback-wage", states=", ".join(fallback)))
    notes.append(message("funding.note.ranges", p_low=percentiles[0], p_high=percentiles[1]))
    return notes
