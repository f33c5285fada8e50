"""Reconciliation with FWD.us (February 2026): 764 agencies, 13,800-15,800 officers, $1.4-2 billion in 2026."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from track287g.analyze import funding
from track287g.analyze.funding.wages import REFERENCE, bls_file
from track287g.normalize.tables import states


@pytest.fixture(scope="module")
def reconciliation(built_db):
    params = funding.load_parameters()
    with built_db.read() as conn:
        inputs = funding.funding_inputs(conn, params.calibration_value("fwd_list_date"))
    return inputs, params, funding.reconcile(inputs, params, draws=2000)


def test_the_model_runs_on_fwd_us_inputs_and_says_whether_it_lands_in_their_range(reconciliation):
    _, _, rec = reconciliation
    assert rec.agencies_on_list == rec.fwd_agencies == 764
    assert (rec.officers_low, rec.officers_high) == (13_800, 15_800)
    central = rec.central_case
    assert central.label == "model central assumptions"
    # the finding as of this parameter set: the central assumptions land inside $1.4-2 billion
    assert central.inside_band
    assert 1.4e9 < central.total_at_low < central.total_at_high < 2.0e9
    assert "inside FWD.us's $1.4-2.0 billion" in rec.verdict()
    assert rec.fwd_per_officer == pytest.approx((1.4e9 / 13_800, 2.0e9 / 15_800))
    assert json.loads(json.dumps(rec.as_json()))["verdict"] == rec.verdict()


def test_salary_and_benefits_alone_matches_a_hand_computation_over_the_listed_agencies(reconciliation):
    inputs, params, _ = reconciliation
    # by hand, every agency gets the same share of officers: leave the sworn-officer cap out
    inputs = dataclasses.replace(inputs, rows=[dataclasses.replace(r, sworn=None) for r in inputs.rows])
    rec = funding.reconcile(inputs, params, draws=200)
    case = next(c for c in rec.cases if c.label.startswith("salary and benefits only"))
    wages = json.loads((REFERENCE / bls_file(2024)).read_text())["states"]
    start, end = dt.date(2026, 1, 1), dt.date(2027, 1, 1)
    growth = 1.035 ** ((dt.date(2026, 7, 2) - dt.date(2024, 5, 15)).days / 365.25)
    lag = dt.timedelta(days=365.25 / 12)  # one month to become operational
    total_weighted = 0.0
    for row in inputs.rows:
        fips = states()[row.state]["fips"]
        wage = wages[fips]["avg"] if fips in wages else 79_320
        operational = max(dt.date.fromisoformat(row.since) + lag, dt.date(2025, 10, 1))
        days = max(0, (end - max(operational, start)).days)
        total_weighted += wage * days / 365
    per_agency = 13_800 / len(inputs.rows)
    expected = per_agency * total_weighted * growth / (1 - 0.385)
    assert case.total_at_low == pytest.approx(expected, rel=1e-3)


def test_each_solved_value_reproduces_fwd_us_totals_when_fed_back(reconciliation):
    inputs, params, rec = reconciliation
    claim = next(s for s in rec.solves if s.parameter == "officers.claim_percent")
    assert claim.low_within_range and claim.high_within_range
    assert 60 <= claim.needed_for_low < claim.central < claim.needed_for_high <= 100
    check = params.with_values(
        {
            "officers.national_total": 13_800,
            "growth.agencies_per_month": {"value": 0, "low": 0, "high": 0},
            "officers.claim_percent": claim.needed_for_low,
        }
    )
    assert funding.estimate(inputs, check, 2026, draws=10).central == pytest.approx(1.4e9, rel=1e-3)


def test_accrued_cost_to_the_list_date_is_set_beside_what_fwd_us_reports_paid(reconciliation):
    _, _, rec = reconciliation
    accrued = rec.model_accrued_to_list
    assert (accrued["start"], accrued["end"]) == ("2025-10-01", "2026-01-26")
    assert accrued["low"] <= accrued["central"] <= accrued["high"]
    assert rec.fwd_paid_to_date == 137_000_000
