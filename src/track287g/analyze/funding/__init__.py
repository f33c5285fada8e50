"""Follow the money: a transparent model of federal 287(g) Task Force Model payments.

The Python API the command line and the web pages share::

    from track287g.analyze import funding
    params = funding.load_parameters(scenario="central")          # or a file, or another scenario
    with db.read() as conn:
        inputs = funding.funding_inputs(conn, "2026-01-26")         # the qualifying agencies on that list
    result = funding.estimate(inputs, params, year=2026)           # .central, .low, .high, .as_json()
    params, given = funding.with_scenario(params, {"claim": "90"}) # a reader's scenario (the money page's form)
    funding.answer(inputs, params, state="FL", county="Lee County") # a place: nation, state, county or agency

Every figure is in dollars and says which list (publication date) it rests on.
"""

from track287g.analyze.funding.estimate import (
    Driver,
    Estimate,
    FundingError,
    drivers,
    estimate,
    year_window,
)
from track287g.analyze.funding.inputs import FundingInputs, NoListError, Participant, funding_inputs
from track287g.analyze.funding.lookup import FIELDS, agency_state, answer, county_fips, scenario_values, with_scenario
from track287g.analyze.funding.model import (
    COMPONENTS,
    calibrate_per_agency,
    cap_officers,
    expected_award,
    solve_per_agency,
)
from track287g.analyze.funding.params import ParameterError, Parameters, load_parameters
from track287g.analyze.funding.reconcile import Reconciliation, reconcile

__all__ = [
    "COMPONENTS",
    "FIELDS",
    "Driver",
    "Estimate",
    "FundingError",
    "FundingInputs",
    "NoListError",
    "ParameterError",
    "Parameters",
    "Participant",
    "Reconciliation",
    "agency_state",
    "answer",
    "calibrate_per_agency",
    "cap_officers",
    "county_fips",
    "drivers",
    "estimate",
    "expected_award",
    "funding_inputs",
    "load_parameters",
    "reconcile",
    "scenario_values",
    "solve_per_agency",
    "with_scenario",
    "year_window",
]
