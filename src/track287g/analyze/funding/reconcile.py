"""Reconciliation with the FWD.us brief (February 2026): does the model, given its inputs, land in $1.4-2 billion?

FWD.us's inputs: the 764 TFM agencies of ICE's 2026-01-26 list and 13,800-15,800 deputized officers; its result:
$1.4-2 billion more in calendar 2026 from the agencies signed up (no new sign-ups). We run the model on the same
list with the national officer count fixed at each end, no growth, and report (1) the totals under the model's
central assumptions and two bracketing cases, and (2) for each uncertain parameter alone, the value it would
need to reproduce each end of FWD.us's range, and whether that value lies inside the parameter's stated range.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from track287g.analyze.funding.estimate import estimate, midpoint, year_window
from track287g.analyze.funding.inputs import FundingInputs
from track287g.analyze.funding.model import COMPONENTS, build_table, central_values, costs, with_settings
from track287g.analyze.funding.params import SPECS, Parameters
from track287g.messages import message

YEAR = 2026
GRID = 2001
IGNORED = ("officers.national_total", "officers.mean_per_agency", "growth.agencies_per_month")  # fixed by FWD.us
MAX_MULTIPLE = 10  # search up to this multiple of a parameter's high end when it has no upper bound
CASES: dict[str, dict[str, float]] = {
    "model central assumptions": {},
    "salary and benefits only, every officer claimed": {
        "officers.claim_percent": 100,
        "overtime.percent_of_salary": 0,
        "awards.percent_90_100": 0,
        "awards.percent_80_89": 0,
        "awards.percent_70_79": 0,
        "equipment.uptake_percent": 0,
        "vehicles.agency_percent": 0,
    },
    "everything the offer allows, every officer claimed": {
        "officers.claim_percent": 100,
        "overtime.percent_of_salary": 25,
        "awards.percent_90_100": 100,
        "awards.percent_80_89": 0,
        "awards.percent_70_79": 0,
        "equipment.uptake_percent": 100,
        "vehicles.agency_percent": 100,
    },
}


@dataclass
class Case:
    label: str
    total_at_low: float  # at FWD.us's low officer count
    total_at_high: float
    per_officer_low: float  # dollars per officer on the list
    per_officer_high: float
    overlaps_band: bool
    inside_band: bool


@dataclass
class Solve:
    parameter: str
    unit: str
    central: float
    low: float | None
    high: float | None
    needed_for_low: float | None  # value that gives FWD.us's low total at its low officer count (None: unreachable)
    low_within_range: bool
    needed_for_high: float | None  # value that gives FWD.us's high total at its high officer count
    high_within_range: bool


@dataclass
class Reconciliation:
    list_published: str
    list_part: str
    agencies_on_list: int
    fwd_agencies: int
    officers_low: float
    officers_high: float
    band_low: float
    band_high: float
    fwd_paid_to_date: float
    fwd_per_officer: tuple[float, float]  # FWD.us's totals over its officer counts, dollars per officer-year
    model_accrued_to_list: dict[str, float]
    monte_carlo: dict[str, float]
    cases: list[Case] = field(default_factory=list)
    solves: list[Solve] = field(default_factory=list)

    @property
    def central_case(self) -> Case:
        return self.cases[0]

    def verdict(self) -> str:
        c = self.central_case
        where = "inside" if c.inside_band else ("overlapping" if c.overlaps_band else "outside")
        return (
            f"With FWD.us's inputs ({self.agencies_on_list} TFM agencies on the {self.list_published} list, "
            f"{self.officers_low:,.0f}-{self.officers_high:,.0f} officers, no new sign-ups) and the model's central "
            f"assumptions, calendar {YEAR} costs ${c.total_at_low / 1e9:.2f}-{c.total_at_high / 1e9:.2f} billion: "
            f"{where} FWD.us's ${self.band_low / 1e9:.1f}-{self.band_high / 1e9:.1f} billion."
        )

    def ends(self) -> list[dict[str, Any]]:
        """For each end of FWD.us's range (the low total at the low officer count, the high at the high), the
        inputs that reproduce it: single parameters within their stated ranges, and the cases that land
        within 5% of it."""
        out = []
        for end, officers, target in (
            ("low", self.officers_low, self.band_low),
            ("high", self.officers_high, self.band_high),
        ):
            within: list[dict[str, Any]] = []
            outside: list[dict[str, Any]] = []
            for sv in self.solves:
                value = sv.needed_for_low if end == "low" else sv.needed_for_high
                inside = sv.low_within_range if end == "low" else sv.high_within_range
                if value is not None:
                    (within if inside else outside).append(
                        {"parameter": sv.parameter, "value": round(value, 3), "unit": sv.unit}
                    )
            cases = [
                {"case": c.label, "total_usd": round(c.total_at_low if end == "low" else c.total_at_high)}
                for c in self.cases
                if abs((c.total_at_low if end == "low" else c.total_at_high) - target) <= 0.05 * target
            ]
            out.append(
                {
                    "end": end,
                    "target_usd": target,
                    "officers": officers,
                    "within_range": within,
                    "outside_range": outside,
                    "cases": cases,
                    "message": message(
                        f"reconcile.end.{end}",
                        target_usd=target,
                        officers=officers,
                        inputs=len(within),
                    ),
                }
            )
        return out

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["verdict"] = self.verdict()
        out["year"] = YEAR
        out["ends"] = self.ends()
        return out


def fwd_parameters(params: Parameters) -> Parameters:
    """The parameters with FWD.us's officer count (a range) and no new sign-ups."""
    lo, hi = params.calibration_value("fwd_officers_low"), params.calibration_value("fwd_officers_high")
    return params.with_values(
        {
            "officers.national_total": {"value": (lo + hi) / 2, "low": lo, "high": hi},
            "growth.agencies_per_month": {"value": 0, "low": 0, "high": 0},
        },
        "reconciliation",
    )


def reconcile(inputs: FundingInputs, params: Parameters, draws: int | None = None) -> Reconciliation:
    """Run the model on FWD.us's inputs; ``inputs`` should be the list of ``calibration.fwd_list_date``."""
    cal = params.calibration_value
    p = fwd_parameters(params)
    officers = (float(cal("fwd_officers_low")), float(cal("fwd_officers_high")))
    band = (float(cal("fwd_2026_low")), float(cal("fwd_2026_high")))
    start, end = year_window(YEAR)
    table = build_table(inputs.rows, p, inputs.as_of, end)
    base = central_values(p)

    def totals(overrides: dict[str, np.ndarray]) -> np.ndarray:
        n = max(len(v) for v in overrides.values()) if overrides else 1
        values = {k: np.repeat(v, n) for k, v in base.items()} | overrides
        result = costs(with_settings(values, p), table, start, end, midpoint(start, end))
        return sum(result[c].sum(axis=1) for c in COMPONENTS)

    cases = []
    for label, change in CASES.items():
        t = totals({"officers.national_total": np.array(officers)} | {k: np.array([v] * 2) for k, v in change.items()})
        cases.append(
            Case(
                label,
                float(t[0]),
                float(t[1]),
                float(t[0] / officers[0]),
                float(t[1] / officers[1]),
                overlaps_band=bool(t[0] <= band[1] and t[1] >= band[0]),
                inside_band=bool(band[0] <= t[0] and t[1] <= band[1]),
            )
        )
    solves = []
    for entry in sorted(p.uncertain(), key=lambda e: e.name):
        if entry.name in IGNORED:
            continue
        low, high = entry.bounds
        lo_dom, hi_dom = _domain(entry.name, low, high)
        grid = np.linspace(lo_dom, hi_dom, GRID)
        needed = []
        for count, target in zip(officers, band, strict=True):
            t = totals({entry.name: grid, "officers.national_total": np.full(GRID, count)})
            needed.append(_invert(grid, t, target))
        inside = [v is not None and low - 1e-9 <= v <= high + 1e-9 for v in needed]
        solves.append(
            Solve(
                entry.name,
                entry.unit,
                float(entry.value),
                entry.low,
                entry.high,
                needed[0],
                inside[0],
                needed[1],
                inside[1],
            )
        )
    solves.sort(key=lambda s: (-(s.low_within_range + s.high_within_range), s.parameter))
    est = estimate(inputs, p, YEAR, draws=draws)
    return Reconciliation(
        list_published=inputs.as_of,
        list_part=inputs.part,
        agencies_on_list=len(inputs.rows),
        fwd_agencies=int(cal("fwd_agencies")),
        officers_low=officers[0],
        officers_high=officers[1],
        band_low=band[0],
        band_high=band[1],
        fwd_paid_to_date=float(cal("fwd_paid_to_date")),
        fwd_per_officer=(band[0] / officers[0], band[1] / officers[1]),
        model_accrued_to_list={
            "start": est.program_to_date["start"],
            "end": est.program_to_date["end"],
            "central": est.program_to_date["central"],
            "low": est.program_to_date["low"],
            "high": est.program_to_date["high"],
        },
        monte_carlo={"low": round(est.low), "central": round(est.central), "high": round(est.high)},
        cases=cases,
        solves=solves,
    )


def _domain(name: str, low: float, high: float) -> tuple[float, float]:
    """Where to search for a parameter's needed value: its hard bounds, or a generous multiple of its range."""
    spec = SPECS[name]
    lo = spec.minimum if spec.minimum is not None else low - 10 * (high - low)
    hi = spec.maximum if spec.maximum is not None else MAX_MULTIPLE * high
    return float(lo), float(hi)


def _invert(grid: np.ndarray, totals: np.ndarray, target: float) -> float | None:
    """The grid value where the (monotonic) totals reach ``target``, interpolated; None if never reached."""
    if not (totals.min() <= target <= totals.max()):
        return None
    order = np.argsort(totals)
    return float(np.interp(target, totals[order], grid[order]))
