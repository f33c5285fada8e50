"""The funding model's arithmetic, checked against cases computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from track287g.analyze import funding
from track287g.analyze.funding import FundingInputs, Participant
from track287g.analyze.funding.rollup import check_adds_up
from track287g.analyze.funding.wages import national_mean
from track287g.messages import render

FL_WAGE = 83_850  # BLS OEWS May 2024, 33-3051, Florida annual mean
TX_WAGE = 75_970  # the same, Texas

# Every uncertain parameter fixed, so hand arithmetic applies: 10 officers, all claimed, no lag, no wage growth.
PLAIN = {
    "officers.national_total": 10,
    "officers.claim_percent": {"value": 100, "low": 100, "high": 100},
    "officers.months_to_operational": {"value": 0, "low": 0, "high": 0},
    "salary.annual_growth_percent": {"value": 0, "low": 0, "high": 0},
    "salary.seniority_factor": {"value": 1, "low": 1, "high": 1},
    "benefits.percent_of_compensation": {"value": 38.5, "low": 38.5, "high": 38.5},
    "overtime.percent_of_salary": {"value": 10, "low": 10, "high": 10},
    "awards.percent_90_100": {"value": 100, "low": 100, "high": 100},
    "awards.percent_80_89": {"value": 0, "low": 0, "high": 0},
    "awards.percent_70_79": {"value": 0, "low": 0, "high": 0},
    "equipment.uptake_percent": {"value": 100, "low": 100, "high": 100},
    "vehicles.agency_percent": {"value": 100, "low": 100, "high": 100},
    "growth.agencies_per_month": {"value": 0, "low": 0, "high": 0},
    "officers.size_exponent": {"value": 0.5, "low": 0.5, "high": 0.5},
}


def plain(**changes) -> funding.Parameters:
    return funding.load_parameters().with_values(PLAIN | changes, "test")


def agency(
    state: str, since: str, sworn: int | None = None, name: str = "Test Sheriff's Office", county: str | None = None
) -> Participant:
    rule = "none" if sworn is None else "roster"
    return Participant(f"{state}-{name}", name, state, "TFM", since, "signed", sworn, rule, county_fips=county)


def listed(*rows: Participant, as_of: str = "2026-06-30") -> FundingInputs:
    return FundingInputs(as_of, "am", "0" * 64, list(rows))


def test_cap_keeps_officers_under_sworn_count_and_ignores_unmatched_agencies():
    assert funding.cap_officers(18, None) == 18
    assert funding.cap_officers(18, 10) == 10
    assert funding.cap_officers(18, 40, cap_percent=50) == 18
    assert funding.cap_officers(18, 30, cap_percent=50) == 15


def test_calibration_gives_uncapped_agencies_more_so_the_national_total_holds():
    # caps 5, none, none; 30 officers: 5 + 2k = 30, so k = 12.5
    assert funding.calibrate_per_agency(30, [5, None, None]) == pytest.approx(12.5)
    # 10 officers: every agency gets 10/3, under the cap of 5
    assert funding.calibrate_per_agency(10, [5, None, None]) == pytest.approx(10 / 3)
    # caps 5 and 10 cannot reach 100: every agency capped, k unbounded
    assert math.isinf(funding.calibrate_per_agency(100, [5, 10]))
    # caps 2, 4, 6 and 11 officers: 2 + 4 + k = 11, k = 5
    assert funding.calibrate_per_agency(11, [6, 2, 4]) == pytest.approx(5)
    assert list(funding.solve_per_agency(np.array([6.0, 11.0]), np.array([2.0, 4.0, 6.0]))) == pytest.approx([2, 5])


def test_expected_award_weighs_tiers_and_scales_down_shares_over_100_percent():
    amounts = (1000, 750, 500)
    assert funding.expected_award((30, 20, 15), amounts) == pytest.approx(300 + 150 + 75)
    assert funding.expected_award((60, 40, 30), amounts) == pytest.approx((600 + 300 + 150) / 1.3)
    draws = [np.array([30.0, 60.0]), np.array([20.0, 40.0]), np.array([15.0, 30.0])]
    assert list(funding.expected_award(draws, amounts)) == pytest.approx([525, 1050 / 1.3])


def test_the_stated_national_fallback_wage_is_the_bls_files_employment_weighted_mean():
    params = funding.load_parameters()
    assert national_mean(2024) == pytest.approx(params["salary.national_fallback"], abs=1)


def test_fiscal_year_of_an_agency_signed_before_the_program_costs_a_full_year_plus_one_offs():
    result = funding.estimate(listed(agency("FL", "2025-06-01")), plain(), 2026, "fiscal", draws=50)
    c = {k: v["central"] for k, v in result.components.items()}
    # FY2026 = 2025-10-01 to 2026-09-30, 365 days: 10 officer-years
    assert c["salary_benefits"] == pytest.approx(10 * FL_WAGE / (1 - 0.385))  # 1,363,414.63
    assert c["overtime"] == pytest.approx(10 * FL_WAGE * 0.10)
    assert c["awards"] == pytest.approx(10 * 4 * 1000)
    assert c["equipment"] == pytest.approx(10 * 7500)
    assert c["vehicles"] == pytest.approx(100_000)
    assert result.central == pytest.approx(1_662_264.63, abs=0.01)
    assert result.low == pytest.approx(result.central) and result.high == pytest.approx(result.central)


def test_calendar_year_after_the_program_start_has_no_one_offs_for_agencies_already_operational():
    result = funding.estimate(listed(agency("FL", "2025-06-01")), plain(), 2026, draws=50)
    c = {k: v["central"] for k, v in result.components.items()}
    assert c["equipment"] == 0 and c["vehicles"] == 0
    assert c["salary_benefits"] == pytest.approx(10 * FL_WAGE / 0.615)
    # 2026-01-01 to the list of 2026-06-30 is 180 days "to date", the remaining 185 days projected
    assert result.components["overtime"]["to_date"] == pytest.approx(10 * FL_WAGE * 0.10 * 180 / 365)
    assert result.to_date + result.projected == pytest.approx(result.central)


def test_an_agency_signed_mid_year_costs_the_share_of_the_year_it_is_operational():
    tx_wage = funding.estimate(
        listed(agency("TX", "2026-03-15")), plain(), 2026, draws=10, with_agencies=True
    ).agencies[0]["inputs"]["wage"]
    assert tx_wage == TX_WAGE
    result = funding.estimate(listed(agency("TX", "2026-03-15")), plain(), 2026, draws=10)
    days = 292  # 2026-03-15 to 2027-01-01
    assert result.components["salary_benefits"]["central"] == pytest.approx(10 * TX_WAGE * days / 365 / 0.615)
    assert result.components["equipment"]["central"] == pytest.approx(75_000)
    # with 3 months to become operational, the year loses 3 x 30.4375 days
    lagged = funding.estimate(
        listed(agency("TX", "2026-03-15")),
        plain(**{"officers.months_to_operational": {"value": 3, "low": 3, "high": 3}}),
        2026,
        draws=10,
    )
    assert lagged.components["salary_benefits"]["central"] == pytest.approx(
        10 * TX_WAGE * (days - 3 * 365.25 / 12) / 365 / 0.615
    )


def test_wages_grow_from_mid_may_of_the_bls_year_to_the_middle_of_the_period():
    grown = plain(**{"salary.annual_growth_percent": {"value": 10, "low": 10, "high": 10}})
    result = funding.estimate(listed(agency("FL", "2025-06-01")), grown, 2026, draws=10)
    years = (np.datetime64("2026-07-02") - np.datetime64("2024-05-15")).astype(int) / 365.25
    assert result.components["overtime"]["central"] == pytest.approx(10 * FL_WAGE * 1.1**years * 0.10)


def test_territories_without_bls_figures_use_the_national_fallback_wage():
    result = funding.estimate(listed(agency("GU", "2025-06-01")), plain(), 2026, "fiscal", draws=10, with_agencies=True)
    row = result.agencies[0]["inputs"]
    assert row["wage"] == 79_320 and row["wage_source"] == "national fallback"
    assert any("GU" in render(note) for note in result.notes)


def test_the_sworn_cap_limits_an_agency_and_the_rest_absorb_the_national_total():
    rows = listed(agency("FL", "2025-06-01", sworn=4, name="Small PD"), agency("FL", "2025-06-01", name="Big SO"))
    result = funding.estimate(rows, plain(), 2026, "fiscal", draws=10, with_agencies=True)
    officers = {a["agency"]: a["inputs"]["officers"] for a in result.agencies}
    assert officers == {"Small PD": 4, "Big SO": 6}
    assert result.officers["officers_on_list"] == 10


def test_projected_sign_ups_accrue_like_a_steady_stream_over_the_year():
    # 1 listed agency at 10 officers; 12 new agencies a month of 10 officers each from 2026-01-01:
    # officer-years = 10 x 12 / 30.4375 x 365^2 / 2 / 365 = 719.5 (the midpoint rule is exact for a steady stream)
    p = plain(**{"growth.agencies_per_month": {"value": 12, "low": 12, "high": 12}})
    result = funding.estimate(listed(agency("FL", "2025-06-01"), as_of="2026-01-01"), p, 2026, draws=10)
    stream_years = 10 * 12 / (365.25 / 12) * 365 / 2
    assert result.components["overtime"]["central"] == pytest.approx((10 + stream_years) * FL_WAGE * 0.10)
    assert result.officers["new_agencies_by_period_end"] == pytest.approx(12 * 365 / (365.25 / 12), abs=0.05)
    assert result.components["vehicles"]["central"] == pytest.approx(12 * 365 / (365.25 / 12) * 100_000)


def test_monte_carlo_is_reproducible_with_its_seed_and_brackets_the_central_figure():
    rows = listed(agency("FL", "2025-06-01"), agency("TX", "2026-03-15", name="Other SO"))
    params = funding.load_parameters()
    a = funding.estimate(rows, params, 2026, draws=2000)
    b = funding.estimate(rows, params, 2026, draws=2000)
    assert (a.low, a.high) == (b.low, b.high)
    assert a.low < a.central < a.high
    other = params.with_values({"monte_carlo.seed": 1})
    assert funding.estimate(rows, other, 2026, draws=2000).low != a.low


def test_drivers_are_ranked_by_swing_and_a_linear_share_moves_the_total_in_proportion():
    rows = listed(agency("FL", "2025-06-01"))
    p = plain(
        **{
            "officers.claim_percent": {"value": 80, "low": 50, "high": 100},
            "overtime.percent_of_salary": {"value": 10, "low": 0, "high": 20},
        }
    )
    drivers = funding.drivers(rows, p, 2026)
    assert [d.parameter for d in drivers] == ["officers.claim_percent", "overtime.percent_of_salary"]
    claim = drivers[0]
    assert claim.total_at_low / claim.total_at_high == pytest.approx(0.5)  # no one-offs in calendar 2026
    assert drivers[0].swing >= drivers[1].swing


def test_a_state_is_the_sum_of_its_agencies_and_states_add_up_to_the_nation():
    rows = listed(agency("FL", "2025-06-01"), agency("TX", "2026-03-15", name="Other SO"))
    p = plain(**{"growth.agencies_per_month": {"value": 5, "low": 2, "high": 8}})
    nation = funding.estimate(rows, p, 2026, draws=200)
    fl = funding.estimate(rows, p, 2026, state="FL", draws=200)
    tx = funding.estimate(rows, p, 2026, state="TX", draws=200)
    assert fl.central + tx.central == pytest.approx(nation.central)
    assert {s["state"]: s["central"] for s in nation.by_state} == {
        "FL": round(fl.central),
        "TX": round(tx.central),
    }


def test_a_bigger_agency_gets_more_officers_but_never_more_than_its_sworn_count():
    rows = listed(
        agency("FL", "2025-06-01", sworn=1400, name="Big SO"),
        agency("FL", "2025-06-01", sworn=40, name="Island PD"),
        agency("FL", "2025-06-01", sworn=1, name="Village PD"),
    )
    p = plain(**{"officers.national_total": 60})
    officers = {
        a["agency"]: a["inputs"]["officers"]
        for a in funding.estimate(rows, p, 2026, draws=10, with_agencies=True).agencies
    }
    # k x sqrt(size), Village PD capped at its 1 sworn officer: k (sqrt(1400) + sqrt(40)) = 59
    k = 59 / (1400**0.5 + 40**0.5)
    assert officers == pytest.approx({"Big SO": k * 1400**0.5, "Island PD": k * 40**0.5, "Village PD": 1}, abs=0.01)
    flat = plain(**{"officers.national_total": 60, "officers.size_exponent": {"value": 0, "low": 0, "high": 0}})
    officers = {
        a["agency"]: a["inputs"]["officers"]
        for a in funding.estimate(rows, flat, 2026, draws=10, with_agencies=True).agencies
    }
    assert officers == pytest.approx({"Big SO": 29.5, "Island PD": 29.5, "Village PD": 1})  # exponent 0: equal


def test_agencies_add_up_to_counties_counties_to_states_states_to_the_nation():
    rows = listed(
        agency("FL", "2025-06-01", sworn=800, name="Lee SO", county="12071"),
        agency("FL", "2025-07-01", sworn=300, name="Cape Coral PD", county="12071"),
        agency("FL", "2025-07-01", sworn=50, name="Marco Island PD", county="12021"),
        agency("FL", "2025-02-01", sworn=250, name="Florida Department of Law Enforcement"),
        agency("TX", "2026-03-15", sworn=100, name="Other SO", county="48001"),
    )
    p = funding.load_parameters()
    places = funding.estimate(rows, p, 2026, draws=500).places
    assert check_adds_up(places) == []
    lee = next(c for c in places["counties"] if c["fips"] == "12071")
    assert lee["agencies"] == 2 and lee["low"] < lee["central"] < lee["high"]
    fl = next(s for s in places["states"] if s["state"] == "FL")
    assert fl["parts"]["no_county"] > 0 and fl["parts"]["projected"] > 0  # a state agency; new sign-ups
    assert fl["central"] == sum(fl["parts"].values())
    assert all(a["low"] <= a["central"] <= a["high"] for a in places["agencies"])


def test_a_year_before_the_program_costs_nothing():
    result = funding.estimate(listed(agency("FL", "2025-06-01")), plain(), 2024, draws=10)
    assert result.central == 0


def test_bad_requests_say_what_is_wrong():
    rows = listed(agency("FL", "2025-06-01"))
    with pytest.raises(funding.FundingError, match="unknown state 'ZZ'"):
        funding.estimate(rows, plain(), 2026, state="ZZ", draws=10)
    with pytest.raises(funding.FundingError, match="basis must be calendar or fiscal"):
        funding.estimate(rows, plain(), 2026, basis="school", draws=10)
