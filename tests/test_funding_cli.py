"""`track287g funding`, `funding-reconcile` and `funding-params` on a database built from the bundled archive."""

from __future__ import annotations

import json
import sys

import pytest

from track287g.cli import run_app


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["track287g", *args])
    code = run_app()
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def db_args(built_db_path) -> list[str]:
    return ["--db", str(built_db_path)]


def test_funding_json_is_one_object_with_year_range_components_and_assumptions(monkeypatch, capsys, db_args):
    code, out, _ = run(monkeypatch, capsys, *db_args, "funding", "--year", "2026", "--draws", "500", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["year"] == 2026
    assert result["low"] < result["central"] < result["high"]
    assert set(result["components"]) == {"salary_benefits", "overtime", "awards", "equipment", "vehicles"}
    assert sum(c["central"] for c in result["components"].values()) == pytest.approx(result["central"], abs=5)
    assert result["assumptions"]["offer.overtime_cap_percent"]["source"].startswith("DHS press release")
    assert result["list"]["published"] == "2026-02-27" and result["list"]["tfm_agencies"] == 868
    assert len(result["drivers"]) >= 3 and result["drivers"][0]["swing"] >= result["drivers"][2]["swing"]


def test_funding_for_one_state_matches_its_row_in_the_national_breakdown(monkeypatch, capsys, db_args):
    _, out, _ = run(monkeypatch, capsys, *db_args, "funding", "--draws", "200", "--json")
    nation = json.loads(out)
    _, out, _ = run(monkeypatch, capsys, *db_args, "funding", "--state", "fl", "--draws", "200", "--json")
    florida = json.loads(out)
    assert florida["state"] == "FL"
    assert next(s for s in nation["by_state"] if s["state"] == "FL")["central"] == florida["central"]


def test_funding_text_names_the_list_the_estimate_and_its_drivers(monkeypatch, capsys, db_args):
    code, out, _ = run(
        monkeypatch, capsys, *db_args, "funding", "--scenario", "fwd-us", "--basis", "fiscal", "--draws", "200"
    )
    assert code == 0
    assert "federal fiscal year 2026 (2025-10-01 to 2026-09-30)" in out
    assert "764 TFM agencies on ICE's participating list published 2026-01-26 pm" in out
    assert "Estimate: $" in out and "officers.claim_percent" in out


def test_funding_for_one_county_prints_each_agency_with_its_roster_source(monkeypatch, capsys, db_args):
    code, out, err = run(
        monkeypatch, capsys, *db_args, "funding", "--state", "FL", "--county", "Lee County", "--draws", "200"
    )
    assert code == 0, err
    assert out.startswith("Lee County, FL: 287(g) Task Force Model reimbursements, calendar")
    assert "Lee County Sheriff's Office: 803 sworn officers (FBI Law Enforcement Employees, 2025, ORI FL0360000)" in out
    assert "Cape Coral Police Department" in out and "Estimate: $" in out


def test_funding_reconcile_prints_the_verdict(monkeypatch, capsys, db_args):
    code, out, _ = run(monkeypatch, capsys, *db_args, "funding-reconcile", "--draws", "200", "--json")
    assert code == 0
    rec = json.loads(out)
    assert rec["agencies_on_list"] == 764 and "FWD.us" in rec["verdict"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["funding", "--state", "ZZ"], "unknown state 'ZZ'"),
        (["funding", "--scenario", "rosy"], "scenario 'rosy': unknown"),
        (["funding", "--year", "1999"], "year 1999 is out of range"),
        (["funding", "--as-of", "2019-01-01"], "no participating list published on or before 2019-01-01"),
        (["funding", "--by", "county"], "--by must be state, agency or none"),
    ],
)
def test_bad_requests_are_one_line_errors(monkeypatch, capsys, db_args, args, message):
    code, _, err = run(monkeypatch, capsys, *db_args, *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_funding_params_lists_every_parameter_with_its_source(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "funding-params", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["parameters"]["benefits.percent_of_compensation"]["value"] == 38.5
    assert set(data["scenarios"]) >= {"central", "low", "high", "fwd-us"}
