"""Claim checks: the shipped news claims against the record, verdicts, ambiguous units, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from track287g.analyze import claims
from track287g.config import repo_root
from track287g.messages import render

CLAIMS = repo_root() / "data" / "claims"
CLI = [sys.executable, "-c", "from track287g.cli import main; main()"]


@pytest.fixture(scope="module")
def results(built_db) -> list[dict]:
    with built_db.read() as conn:
        return claims.check_path(conn, CLAIMS)


def find(results, claim_id: str, figure: int, unit: str) -> dict:
    (row,) = [r for r in results if r["id"] == claim_id and r.get("figure") == figure and r.get("unit") == unit]
    return row


def one(results, claim_id: str) -> dict:
    (row,) = [r for r in results if r["id"] == claim_id]
    return row


def test_every_shipped_claim_is_checked_without_error(results):
    assert results and all(r["verdict"] in ("matches", "close", "differs", "consistent") for r in results)
    assert {r["id"] for r in results} == {
        "agencies-2026-01-26",
        "growth-first-year",
        "states-now",
        "top-five-states",
        "task-force-model",
        "comment-arithmetic",
        "dallas-police",
        "montgomery-county-md",
        "louisiana-state-agencies",
        "task-force-model-ended-2012",
        "florida-requires-participation",
    }


@pytest.fixture(scope="module")
def report(built_db) -> dict:
    with built_db.read() as conn:
        return claims.claims_report(conn, CLAIMS)


def test_each_claim_names_its_outlet_date_saved_text_and_who_made_the_figure(report):
    lead = next(c for c in report["claims"] if c["id"] == "agencies-2026-01-26")
    source = lead["source"]
    assert (source["outlet"], source["figures_by"], source["via"], source["published"]) == (
        "NBC News",
        "FWD.us",
        "NBC News",
        "2026-02",
    )
    text = (CLAIMS / source["text"]).read_text(encoding="utf-8")
    assert "1,168 agencies with officers trained to help ICE" in text  # the quote is in the saved text
    assert [s["id"] for s in lead["also_in"]] == ["blog-repost"]
    assert all(c["source"]["outlet"] or c["source"]["kind"] in ("blog", "brief") for c in report["claims"])


def test_one_entry_per_claim_with_its_figures_under_it(report):
    top = next(c for c in report["claims"] if c["id"] == "top-five-states")
    assert len(top["figures"]) == 5 and top["quote"].startswith("Florida, with 342")
    assert top["verdicts"] == {"close": 2, "matches": 1, "differs": 2}


def test_the_dallas_police_were_never_on_any_list_and_the_search_says_what_it_covered(results):
    row = one(results, "dallas-police")
    assert row["verdict"] == "matches" and row["expect"] == "never_listed"
    searched = row["evidence"]["publications"]
    assert searched["participating"]["publications"] > 150 and searched["pending"]["publications"] > 150
    assert searched["html_era"]["first"] == "2021-01-13"
    near = {(n["spelling"], n["state"]) for n in row["evidence"]["near_spellings"]}
    assert ("Dallas County Sheriff's Office", "AR") in near  # another Dallas, another state: considered, not it
    assert row["evidence"]["agencies"] == []


def test_no_agency_of_montgomery_county_maryland_was_ever_listed(results):
    row = one(results, "montgomery-county-md")
    assert row["verdict"] == "matches"
    assert row["evidence"]["county"]["fips"] == "24031" and row["evidence"]["agencies"] == []
    assert "none was on any list" in render(row["record"])


def test_louisiana_state_agencies_are_listed_with_the_dates_they_joined(results):
    row = one(results, "louisiana-state-agencies")
    names = {a["name"]: a["first_listed"] for a in row["evidence"]["agencies"]}
    assert names["Louisiana State Police Department"] == "2025-05-22"
    assert "Louisiana Department of Wildlife & Fisheries" in names and row["verdict"] == "matches"


def test_the_blog_comment_s_sums_are_worked_through_with_the_funding_parameters(results):
    rows = {r["item"]: r for r in results if r["id"] == "comment-arithmetic"}
    salary = rows["salary-per-officer"]
    # full reimbursement of one officer at the national mean wage: 79,320 / (1 - 0.385) + 25% overtime
    assert salary["actual"] == round(79_320 / 0.615 + 79_320 * 0.25)
    assert "mean wage alone" in render(salary["notes"][0])
    total = rows["minimum-total"]
    assert total["count"] == 846  # 296 + 342 + 63 + 58 + 52 + 35, which the comment calls 850
    assert total["model_central"] < total["claimed"] < total["actual"]


def test_the_counting_units_are_explained_with_their_counts(report):
    units = report["units"]
    assert units["publication"]["published"] == "2026-01-26 pm"
    assert (units["counts"]["agencies"], units["counts"]["agreements"]) == (1147, 1372)
    assert units["counts"]["rows"] >= units["counts"]["agreements"]
    assert "spellings" in render(units["explanations"]["spellings"])


def test_1168_agencies_is_checked_as_agencies_and_as_agreements(results):
    agencies = find(results, "agencies-2026-01-26", 1, "agencies")
    agreements = find(results, "agencies-2026-01-26", 1, "agreements")
    assert agencies["ambiguous"] and agreements["ambiguous"]
    assert (agencies["actual"], agencies["difference"], agencies["verdict"]) == (1147, -21, "close")
    assert (agreements["actual"], agreements["verdict"]) == (1372, "differs")
    assert agencies["published"] == "2026-01-26 pm"
    assert agencies["publication"].startswith("59091249c91a")


def test_135_under_biden_matches_the_agreements_on_the_html_era_table_in_force_on_2025_01_20(results):
    row = find(results, "agencies-2026-01-26", 2, "agreements")
    assert (row["date"], row["actual"], row["verdict"], row["published"], row["derived"]) == (
        "2025-01-20",
        135,
        "matches",
        "2024-12-11",
        True,
    )


def test_150_at_the_end_of_trumps_first_term_is_what_an_earlier_table_showed(results):
    row = find(results, "agencies-2026-01-26", 3, "agreements")
    assert (row["actual"], row["verdict"], row["published"]) == (148, "close", "2021-01-16")
    assert "2021-01-13" in render(row["hint"])


def test_950_percent_growth_is_far_from_both_units(results):
    agreements = find(results, "growth-first-year", 1, "agreements")
    agencies = find(results, "growth-first-year", 1, "agencies")
    assert (agreements["actual"], agreements["verdict"]) == (916.3, "close")
    assert (agencies["actual"], agencies["verdict"]) == (762.4, "differs")
    assert (agreements["from_value"], agreements["to_value"]) == (135, 1372)
    assert agreements["from_published"] == "2024-12-11"


def test_39_states_matches(results):
    row = find(results, "states-now", 1, "states")
    assert (row["actual"], row["verdict"]) == (39, "matches")


def test_over_760_in_the_task_force_model_matches_both_units(results):
    for unit in ("agencies", "agreements"):
        row = find(results, "task-force-model", 1, unit)
        assert (row["actual"], row["qualifier"], row["verdict"]) == (764, "over", "matches")


@pytest.mark.parametrize(
    ("figure", "state", "claimed", "actual", "verdict"),
    [
        (1, "FL", 342, 341, "close"),
        (2, "TX", 296, 287, "close"),
        (3, "TN", 63, 63, "matches"),
        (4, "PA", 58, 54, "differs"),
        (5, "AL", 52, 49, "differs"),
    ],
)
def test_top_five_states_per_state_rows(results, figure, state, claimed, actual, verdict):
    row = find(results, "top-five-states", figure, "agreements")
    assert row["filters"] == {"state": state}
    assert (row["claimed"], row["actual"], row["verdict"]) == (claimed, actual, verdict)


def test_a_state_figure_that_differs_points_at_the_later_lists_that_carry_it(results):
    assert "2026-02-11 am to 2026-02-17 pm" in render(find(results, "top-five-states", 1, "agreements")["hint"])
    assert "no archived list shows 296" in render(find(results, "top-five-states", 2, "agreements")["hint"])


@pytest.mark.parametrize(
    ("claimed", "actual", "qualifier", "expected"),
    [
        (100, 100, "exact", "matches"),
        (100, 96, "exact", "close"),
        (100, 94, "exact", "differs"),
        (760, 764, "over", "matches"),
        (760, 760, "over", "close"),
        (760, 700, "over", "differs"),
        (50, 49, "under", "matches"),
        (50, 50, "at_most", "matches"),
        (1000, 1009, "about", "matches"),
        (1000, 1030, "about", "close"),
    ],
)
def test_verdicts(claimed, actual, qualifier, expected):
    assert claims.verdict(claimed, actual, qualifier, 0.05) == expected


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """
claims:
  - id: good
    quote: "1,372 agreements"
    date: 2026-01-26
    figures:
      - {metric: agreements, value: 1372}
"""


def test_bad_claims_are_reported_one_by_one_and_the_others_still_checked(built_db, tmp_path):
    write(tmp_path, "a-good.yaml", GOOD)
    write(tmp_path, "b-broken.yaml", "claims: [\n  - id: x\n   quote: oops\n")
    write(
        tmp_path,
        "c-mixed.yaml",
        """
claims:
  - id: unknown-metric
    quote: "1,000 officers"
    date: 2026-01-26
    figures: [{metric: officers, value: 1000}]
  - id: unknown-filter
    quote: "in Lee County"
    date: 2026-01-26
    figures: [{metric: agencies, value: 3, filters: {county: Lee}}]
  - id: too-early
    quote: "in 2019"
    date: 2019-06-01
    figures: [{metric: agencies, value: 80}]
  - id: no-value
    quote: "many"
    date: 2026-01-26
    figures: [{metric: agencies}]
  - id: still-fine
    quote: "39 states"
    date: 2026-01-26
    figures: [{metric: states, value: 39}]
""",
    )
    with built_db.read() as conn:
        rows = {r["id"]: r for r in claims.check_path(conn, tmp_path)}
    assert rows["good"]["verdict"] == "matches"
    assert rows["still-fine"]["verdict"] == "matches"
    assert rows["b-broken"]["verdict"] == "error" and "not valid YAML at line" in rows["b-broken"]["error"]
    assert "unknown metric 'officers'" in rows["unknown-metric"]["error"]
    assert "unknown filter 'county'" in rows["unknown-filter"]["error"]
    assert "outside the archive's coverage (2021-01-13 to 2026-02-27)" in rows["too-early"]["error"]
    assert "needs a metric and a value" in rows["no-value"]["error"]


def test_a_missing_claims_file_is_one_clear_error(built_db, tmp_path):
    with built_db.read() as conn, pytest.raises(claims.ClaimError, match="no such file or folder"):
        claims.check_path(conn, tmp_path / "nope.yaml")


def run(db_path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "--db", str(db_path), *args], capture_output=True, text=True, timeout=300)


def test_check_claims_prints_the_quote_the_figures_and_the_publication(built_db_path):
    done = run(built_db_path, "check-claims", str(CLAIMS))
    assert done.returncode == 0, done.stderr
    assert "As of Jan. 26 [2026], there were 1,168 agencies" in done.stdout
    assert "agreements [state=FL]" in done.stdout
    assert "close (±5%)" in done.stdout and "2026-01-26 pm" in done.stdout
    assert "24 figures checked: 7 close, 1 consistent, 7 differs, 9 matches" in done.stdout
    assert "dallas-police (2026-01-26)" in done.stdout and "Dallas County Sheriff" in done.stdout


def test_check_claims_json_lists_claim_metric_claimed_actual_verdict_publication(built_db_path):
    done = run(built_db_path, "check-claims", str(CLAIMS), "--json")
    rows = [r for r in json.loads(done.stdout) if r["kind"] == "counts"]
    assert len(rows) == 16
    for key in ("claim", "metric", "claimed", "actual", "verdict", "publication"):
        assert all(key in r for r in rows)


def test_check_claims_with_bad_input_exits_2_after_checking_the_rest(built_db_path, tmp_path):
    write(tmp_path, "a-good.yaml", GOOD)
    write(
        tmp_path,
        "b-bad.yaml",
        "claims:\n  - id: bad\n    quote: q\n    date: 2031-01-01\n    figures: [{metric: agencies, value: 1}]\n",
    )
    done = run(built_db_path, "check-claims", str(tmp_path))
    assert done.returncode == 2
    assert "matches" in done.stdout
    assert "error: date 2031-01-01 is outside the archive's coverage" in done.stdout
    assert "Traceback" not in done.stderr + done.stdout


def test_check_claims_on_a_missing_path_is_a_one_line_error(built_db_path, tmp_path):
    done = run(built_db_path, "check-claims", str(tmp_path / "missing.yaml"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "no such file or folder" in done.stderr


def test_a_county_of_one_listed_agency_is_said_in_the_singular(built_db, tmp_path):
    write(
        tmp_path,
        "one.yaml",
        """
claims:
  - id: walker-ga
    kind: listing
    quote: "Walker County, Georgia has an agreement"
    date: 2026-01-26
    county: {state: GA, name: Walker County}
    expect: some
""",
    )
    with built_db.read() as conn:
        (row,) = claims.check_path(conn, tmp_path)
    assert row["verdict"] == "matches"
    assert row["record"]["code"] == "claims.listing.county-some.one"
    assert render(row["record"]) == "One agency of Walker County, GA is on the list in force on this date."
