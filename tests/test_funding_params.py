"""The parameters file: every figure sourced, and a bad file named by its key in one line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from track287g.analyze import funding
from track287g.analyze.funding.params import DEFAULT_PARAMETERS, SPECS
from track287g.cli import run_app


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def entry(value, unit: str, **more) -> dict:
    return {"value": value, "unit": unit, "source": "test", "confidence": "low", **more}


def test_bundled_parameters_are_complete_and_every_figure_has_a_source_and_unit():
    params = funding.load_parameters()
    assert set(params.entries) == set(SPECS)
    for e in [*params.entries.values(), *params.calibration.values()]:
        assert e.source and e.unit and e.confidence in ("high", "medium", "low"), e.name
    assert params["offer.overtime_cap_percent"] == 25
    assert (params["offer.award_90_100"], params["offer.award_80_89"], params["offer.award_70_79"]) == (1000, 750, 500)
    assert params["program.start"] == "2025-10-01"
    assert "ICE's own document not found" in params.entries["offer.equipment_per_officer"].source


def test_scenarios_are_overrides_of_the_central_values():
    central, low, high = (funding.load_parameters(scenario=s) for s in ("central", "low", "high"))
    assert low["officers.claim_percent"] < central["officers.claim_percent"] < high["officers.claim_percent"]
    assert low["offer.overtime_cap_percent"] == central["offer.overtime_cap_percent"]  # published terms don't move
    # a plain value pins a parameter: the scenario takes it as given and the Monte Carlo stops drawing it
    assert "officers.claim_percent" not in {e.name for e in low.uncertain()}
    assert "benefits.percent_of_compensation" in {e.name for e in low.uncertain()}
    fwd = funding.load_parameters(scenario="fwd-us")
    assert fwd["officers.national_total"] == 14_800 and fwd["growth.agencies_per_month"] == 0
    assert fwd.scenarios["fwd-us"].as_of == "2026-01-26"


def test_a_parameters_file_overrides_entries_one_by_one(tmp_path):
    path = write(tmp_path, {"parameters": {"officers": {"claim_percent": entry(70, "percent", low=50, high=90)}}})
    params = funding.load_parameters(path)
    assert params["officers.claim_percent"] == 70
    assert params["overtime.percent_of_salary"] == 12.5  # untouched entries keep the bundled value


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"parameters": {"officers": {"claim_percnt": entry(70, "percent")}}},
            "officers.claim_percnt: unknown parameter",
        ),
        (
            {"parameters": {"officers": {"mean_per_agency": entry(-3, "officers per agency")}}},
            "officers.mean_per_agency: must not be negative (got -3)",
        ),
        (
            {"parameters": {"benefits": {"percent_of_compensation": entry(120, "percent")}}},
            "benefits.percent_of_compensation: must not be over 99",
        ),
        (
            {"parameters": {"officers": {"claim_percent": entry(120, "percent")}}},
            "officers.claim_percent: 120 is over 100 percent",
        ),
        (
            {"parameters": {"equipment": {"uptake_percent": {"value": 50, "unit": "percent", "confidence": "low"}}}},
            "equipment.uptake_percent: missing source",
        ),
        (
            {"parameters": {"equipment": {"uptake_percent": entry(50, "percent", source="  ")}}},
            "equipment.uptake_percent: missing source",
        ),
        (
            {"parameters": {"equipment": {"uptake_percent": entry(50, "dollars")}}},
            "equipment.uptake_percent: unit must be 'percent'",
        ),
        (
            {"parameters": {"overtime": {"percent_of_salary": entry(20, "percent", low=10, high=30)}}},
            "overtime.percent_of_salary: over the offer's cap of 25 percent",
        ),
        (
            {"parameters": {"overtime": {"percent_of_salary": entry(20, "percent", low=0)}}},
            "overtime.percent_of_salary: give both low and high",
        ),
        (
            {"parameters": {"vehicles": {"agency_percent": entry(10, "percent", low=20, high=90)}}},
            "vehicles.agency_percent: value 10 is outside its range 20-90",
        ),
        (
            {"parameters": {"vehicles": {"agency_percent": entry(10, "percent", sauce=1)}}},
            "vehicles.agency_percent: unknown field 'sauce'",
        ),
        ({"parametres": {}}, "parametres: unknown section"),
        (
            {"scenarios": {"mine": {"set": {"officers.claim_pct": 50}}}},
            "scenarios.mine.set.officers.claim_pct: unknown parameter",
        ),
        (
            {"scenarios": {"mine": {"set": {"officers.claim_percent": {"value": 10, "low": 20, "high": 90}}}}},
            "scenarios.mine: officers.claim_percent: value 10 is outside its range 20-90",
        ),
        (
            {"scenarios": {"mine": {"set": {"awards.percent_90_100": 60, "awards.percent_80_89": 40}}}},
            "awards.percent_90_100: award tiers add up to 115, over 100 percent",
        ),
    ],
)
def test_an_invalid_parameters_file_is_an_error_naming_the_key(tmp_path, data, message):
    with pytest.raises(funding.ParameterError) as info:
        funding.load_parameters(write(tmp_path, data))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_file_that_is_not_yaml_or_missing_says_so(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("parameters: [unclosed\n", encoding="utf-8")
    with pytest.raises(funding.ParameterError, match=r"bad\.yaml: not valid YAML at line"):
        funding.load_parameters(bad)
    with pytest.raises(funding.ParameterError, match="cannot read"):
        funding.load_parameters(tmp_path / "nope.yaml")
    with pytest.raises(funding.ParameterError, match="scenario 'sunny': unknown"):
        funding.load_parameters(scenario="sunny")


def test_the_bundled_file_must_name_every_parameter(tmp_path, monkeypatch):
    data = yaml.safe_load(DEFAULT_PARAMETERS.read_text(encoding="utf-8"))
    del data["parameters"]["awards"]["percent_70_79"]
    path = write(tmp_path, data)
    monkeypatch.setattr("track287g.analyze.funding.params.DEFAULT_PARAMETERS", path)
    with pytest.raises(funding.ParameterError, match=r"awards\.percent_70_79: missing"):
        funding.load_parameters()


def test_the_command_line_prints_a_bad_parameters_file_as_one_line_without_traceback(tmp_path, monkeypatch, capsys):
    path = write(tmp_path, {"parameters": {"officers": {"mean_per_agency": entry(-3, "officers per agency")}}})
    monkeypatch.setattr(sys, "argv", ["track287g", "funding-params", "--params", str(path)])
    code = run_app()
    err = capsys.readouterr().err
    assert code == 2
    assert "officers.mean_per_agency: must not be negative" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
