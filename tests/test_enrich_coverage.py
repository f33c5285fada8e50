"""Coverage figures, maps and the enrich commands, on the database built from the real archive."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from track287g.enrich import CoverageError, MapError, coverage, map_spec, render_map


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from track287g.cli import main; main()", *args], capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def latest(built_db):
    with built_db.read() as conn:
        return coverage(conn)


def test_state_figures_add_up_to_the_national_ones(latest):
    n, states = latest["national"], latest["states"].values()
    for key in (
        "agreements",
        "agencies",
        "agencies_with_ori",
        "counties_with_county_level_agreement",
        "population_in_county_level_counties",
    ):
        assert sum(s[key] for s in states) == n[key], key
    assert n["agreements"] == sum(n["agreements_by_model"].values())
    assert 0 < n["share_in_county_level_counties"] < 1


def test_every_florida_county_has_a_county_level_agreement(latest):
    fl = latest["states"]["FL"]
    assert fl["counties_with_county_level_agreement"] == 67
    assert fl["population_in_county_level_counties"] == fl["population"]
    assert fl["share_in_county_level_counties"] == 1.0


def test_two_agencies_with_one_ori_count_their_officers_once(built_db, latest):
    with built_db.read() as conn:
        sharing = conn.execute(
            text("SELECT count(*) FROM agency_match WHERE ori = 'TX0000000' AND state = 'TX'")
        ).scalar_one()
        sworn = conn.execute(text("SELECT sworn FROM roster_agency WHERE ori = 'TX0000000'")).scalar_one()
    assert sharing == 2  # the DPS Highway Patrol and Criminal Investigations Division, both DPS
    tx = latest["states"]["TX"]
    assert sworn <= tx["sworn_officers"] <= sum(tx["sworn_officers_by_model"].values())


def test_coverage_as_of_a_date_uses_the_list_in_force_then(built_db, latest):
    with built_db.read() as conn:
        early = coverage(conn, "2025-03-01")
        with pytest.raises(CoverageError):
            coverage(conn, "2019-01-01")
    assert early["publication"]["published"] <= "2025-03-01"
    assert early["national"]["agreements"] < latest["national"]["agreements"]


def test_maps_render_offline_as_svg_and_png(built_db):
    with built_db.read() as conn:
        svg = render_map(conn)
        png = render_map(conn, "TX", "2025-06-30", fmt="png")
        spec = map_spec(conn, "VA")
        with pytest.raises(MapError, match="unknown state"):
            render_map(conn, "XX")
    assert svg.lstrip().startswith(b"<svg") and b"287(g) agreements by county" in svg
    assert png.startswith(b"\x89PNG")
    assert all(f["id"].startswith("51") for f in spec["datasets"]["counties"])  # Virginia's counties only
    assert "url" not in json.dumps({k: v for k, v in spec.items() if k != "datasets"})  # inline data, no fetch


def test_the_agency_command_carries_the_roster_facts(built_db_path):
    done = run_cli("--db", str(built_db_path), "agency", "Lee County Sheriff's Office", "--state", "FL", "--json")
    assert done.returncode == 0, done.stderr
    view = json.loads(done.stdout)
    assert (view["ori"], view["match_method"], view["county_fips"]) == ("FL0360000", "exact", "12071")
    assert view["sworn_officers"] > 500 and view["population_served"] > 100_000


def test_match_report_json_gives_rates_and_writes_the_review_file(built_db_path, tmp_path):
    review = tmp_path / "review.csv"
    done = run_cli("--db", str(built_db_path), "match-report", "--json", "--review", str(review))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["by_kind"]["sheriff"]["rate"] >= 0.95 and report["rate"] >= 0.85
    assert {u["method"] for u in report["unmatched"]} <= {"none", "review", "manual-none"}
    assert review.read_text(encoding="utf-8").startswith("state,agency,agency_id,kind,rank,candidate_ori")
    assert report["review_rows"] == len(review.read_text(encoding="utf-8").splitlines()) - 1


def test_coverage_json_and_map_commands(built_db_path, tmp_path):
    done = run_cli("--db", str(built_db_path), "coverage", "--json", "--state", "AL")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert list(figures["states"]) == ["AL"] and all(c["state"] == "AL" for c in figures["counties"])
    target = tmp_path / "al.svg"
    done = run_cli("--db", str(built_db_path), "map", "--state", "AL", "--output", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().lstrip().startswith(b"<svg")
    done = run_cli("--db", str(built_db_path), "coverage", "--as-of", "2025-13-01")
    assert done.returncode == 2 and "not a date" in done.stderr
