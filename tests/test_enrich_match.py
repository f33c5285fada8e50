"""Matching ICE's agencies to FBI roster ORIs, on the real archive and the bundled rosters."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.helpers import run_cli
from track287g.enrich import agency_facts, match_report
from track287g.enrich.counties import gazetteer
from track287g.enrich.match import keep_matches, match_agencies, read_matches
from track287g.enrich.records import agency_records
from track287g.enrich.report import check_sample
from track287g.enrich.rosters import load_rosters
from track287g.messages import render
from track287g.resolve.aliases import loose

SAMPLE = Path(__file__).parent / "fixtures" / "enrich_sample.csv"


def agency_id(conn, state: str, spelling: str) -> str:
    rows = conn.execute(
        text(
            "SELECT s.agency_id, s.spelling FROM agency_spelling s JOIN agency a USING (agency_id) WHERE a.state = :s"
        ),
        {"s": state},
    ).all()
    found = {r.agency_id for r in rows if loose(r.spelling) == loose(spelling)}
    assert len(found) == 1, f"{spelling!r} ({state}) names {sorted(found) or 'no agency'}"
    return found.pop()


def facts(built_db, state: str, spelling: str) -> dict:
    with built_db.read() as conn:
        return agency_facts(conn, agency_id(conn, state, spelling))


@pytest.fixture(scope="module")
def unaided(built_db):
    """The matcher's own decisions, without the manual table."""
    with built_db.read() as conn:
        records = agency_records(conn)
    run = match_agencies(records, load_rosters(), gazetteer(), manual={})
    return {r.name: run.matches[r.agency_id] for r in records if r.state in ("AL", "VA", "FL", "TX", "PA")}


def test_a_county_sheriff_matches_the_sheriff_of_that_county_not_the_city_police(built_db):
    f = facts(built_db, "OK", "Tulsa County Sheriff's Office")
    assert (f["ori"], f["match_method"], f["county_fips"]) == ("OK0720000", "exact", "40143")
    assert f["roster_name"] == "Tulsa County Sheriff's Office"  # OK0720500, the city of Tulsa, is another agency
    assert f["sworn_officers"] > 0 and f["population_served"] > 0


def test_a_city_police_department_written_city_of_matches_the_city(built_db):
    f = facts(built_db, "FL", "City of Miami Police Department")
    assert f["ori"] == "FL0130600"  # not FL0130000, the county agency
    assert f["county_fips"] == "12086"  # Miami-Dade, from the roster (ICE's COUNTY is empty)
    assert f["county_rule"] == "roster"


def test_a_state_agency_matches_the_statewide_ori_not_a_detachment(built_db):
    f = facts(built_db, "WV", "West Virginia State Police Department")
    assert f["ori"] == "WVWSP0000"  # "State Police", no county; "State Police: Beckley" ... are detachments
    assert f["match_method"].startswith("exact")
    assert f["county_fips"] is None  # a state agency serves the whole state


def test_a_university_police_department_matches_its_campus_by_county(built_db):
    f = facts(built_db, "FL", "Florida State University Police Department")
    assert f["ori"] == "FL0370600"  # Tallahassee (Leon County), not FL0031100 in Panama City
    assert f["roster_name"] == "Florida State University: Tallahassee"


def test_a_county_misspelt_in_ice_s_list_is_repaired(built_db):
    with built_db.read() as conn:
        printed = (
            conn.execute(
                text(
                    "SELECT DISTINCT raw_county FROM listing_row WHERE raw_agency LIKE 'Franklin County Sheriff%' "
                    "AND raw_state = 'ALABAMA'"
                )
            )
            .scalars()
            .all()
        )
    assert "Frankin County" in printed
    f = facts(built_db, "AL", "Franklin County Sheriff's Office")
    assert (f["ori"], f["county_fips"], f["county_name"]) == ("AL0330000", "01059", "Franklin County")


def test_a_misspelt_sheriff_is_found_through_its_county(built_db):
    f = facts(built_db, "TX", "Somervill County Sheriff's Office")
    assert (f["ori"], f["county_fips"]) == ("TX2130000", "48425")  # Somervell County


def test_a_virginia_city_sheriff_is_not_given_the_city_police_ori(unaided):
    # ICE prints "Hopewell County Sheriff's Office"; Hopewell is an independent city, so the name shown drops County
    assert unaided["Hopewell Sheriff's Office"].ori is None


def test_a_town_whose_roster_county_contradicts_ice_goes_to_review_not_guessed(unaided):
    m = unaided["Cherokee Police Department"]  # ICE says Cherokee County; the roster's Cherokee PD is in Colbert
    assert (m.ori, m.method) == (None, "review")
    assert m.candidates[0].ori == "AL0200400" and m.candidates[0].county == "differs"


def test_the_manual_table_overrides_the_matcher(built_db):
    f = facts(built_db, "AL", "Cherokee Police Department")
    assert (f["ori"], f["match_method"]) == ("AL0200400", "manual")
    f = facts(built_db, "VA", "Hopewell County Sheriff's Office")
    assert (f["ori"], f["match_method"]) == (None, "manual-none")


def test_the_hand_verified_sample_has_no_wrong_ori(built_db):
    with built_db.read() as conn:
        sets = check_sample(conn, SAMPLE)
    general, hard = sets["general"], sets["hard"]
    assert general["agencies"] == 60 and hard["agencies"] >= 60
    for tally in (general, hard):
        assert tally["wrong"] == []  # precision: every ORI given is the verified one
        assert len(tally["missed"]) <= 2, tally["missed"]
    assert hard["right_ori"] >= 20  # constables, state agencies, jails, same-named townships


def test_a_state_agency_reporting_through_county_units_gets_its_headquarters(unaided):
    m = unaided["Florida Department of Law Enforcement"]  # units in seven counties, none statewide
    assert (m.ori, m.method) == ("FL0370400", "exact+headquarters")  # Leon County (Tallahassee), not Miami's
    assert unaided["Florida Fish & Wildlife Conservation Commission"].ori == "FL0370800"


def test_ice_s_current_county_chooses_among_same_named_townships(unaided):
    m = unaided["Union Township Police Department"]  # Lawrence County on one list, Washington County since
    assert m.ori is None and m.method == "review"  # the rosters have Lawrence's and Schuylkill's, not Washington's
    assert unaided["Manor Township Police Department"].ori == "PA0031400"  # Armstrong, not Lancaster


def test_a_county_ice_corrected_is_read_from_the_latest_list(built_db):
    f = facts(built_db, "PA", "East Franklin Township Police Department")  # Adams County, then Armstrong County
    assert (f["ori"], f["county_fips"]) == ("PA0032200", "42005")


def test_each_agreement_keeps_the_county_its_rows_printed_in_the_last_list_that_listed_it(built_db):
    with built_db.read() as conn:
        kept = dict(conn.execute(text("SELECT agreement_id, last_county FROM agreement")).all())
        printed: dict[str, str] = {}  # worked out row by row from every listing of each agreement's last list
        for agreement_id, county in conn.execute(
            text(
                """
                SELECT a.agreement_id, r.county FROM agreement a
                JOIN publication p ON p.sha256 = a.last_sha256
                JOIN listing l ON l.pub_id = p.pub_id
                JOIN row_agreement ra ON ra.row_id = l.row_id AND ra.agreement_id = a.agreement_id
                JOIN listing_row r ON r.row_id = l.row_id
                WHERE r.county IS NOT NULL
                """
            )
        ):
            printed[agreement_id] = max(printed.get(agreement_id, ""), county)
        east_franklin = agency_id(conn, "PA", "East Franklin Township Police Department")
        its = conn.execute(text("SELECT last_county FROM agreement WHERE agency_id = :a"), {"a": east_franklin})
    assert {a: c for a, c in kept.items() if c is not None} == printed
    assert len(printed) > 1000
    assert set(its.scalars()) == {"Armstrong County"}  # "Adams County" for three weeks, then corrected


def test_enriching_a_history_written_before_the_agreements_kept_their_county_asks_for_a_rebuild(
    copy_of_built_db,
):
    import sqlite3

    with sqlite3.connect(copy_of_built_db) as raw:
        raw.execute("ALTER TABLE agreement DROP COLUMN last_county")
    done = run_cli("enrich", db=copy_of_built_db)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith("run `track287g rebuild` first")


def test_the_size_of_an_agency_comes_from_its_roster_units_or_a_stated_median(built_db):
    with built_db.read() as conn:
        sizes = {
            r.agency_id: r
            for r in conn.execute(text("SELECT agency_id, sworn, rule, ori, basis FROM agency_size")).all()
        }
        fdle = agency_id(conn, "FL", "Florida Department of Law Enforcement")
        constable = agency_id(conn, "PA", "Lansdowne Borough Constable's Office")
        lee = agency_id(conn, "FL", "Lee County Sheriff's Office")
    assert (sizes[lee].sworn, sizes[lee].rule, sizes[lee].ori) == (803, "roster", "FL0360000")
    assert sizes[fdle].rule == "roster-units" and sizes[fdle].sworn > 200  # seven units reporting for 2025
    assert sizes[constable].rule == "fallback-kind"  # no Pennsylvania constable in the roster: the national median
    assert "median" in render(json.loads(sizes[constable].basis))


def test_the_match_report_says_why_each_kind_stays_unmatched(built_db):
    with built_db.read() as conn:
        report = match_report(conn)
    why = report["unmatched_by_kind"]["constable"]
    assert why["unmatched"] >= 40
    assert "precinct" in render(why["why"])


def test_match_rates_on_the_latest_list_meet_the_targets(built_db):
    with built_db.read() as conn:
        report = match_report(conn)
    assert report["agencies"] > 1000
    assert report["by_kind"]["sheriff"]["rate"] >= 0.95
    assert report["rate"] >= 0.85
    assert report["enrich"]["match_seconds"] < 10


def test_matches_kept_for_the_next_run_give_every_agency_the_same_match_without_matching_it_again(built_db, tmp_path):
    with built_db.read() as conn:
        records = agency_records(conn)
    rosters, gaz = load_rosters(), gazetteer()
    first = match_agencies(records, rosters, gaz, manual={})
    kept = tmp_path / "matches-x.json"
    keep_matches(kept, records, first)
    known = read_matches(kept)
    assert len(known) == len(records)
    again = match_agencies(records, rosters, gaz, manual={}, known=known)
    assert again.matches == first.matches  # candidates and notes included
    assert all(again.matches[r.agency_id] is known[repr(r)] for r in records)  # none matched again
    changed = replace(records[0], county="Nowhere")  # a record that changed is matched again
    assert repr(changed) not in known
    assert read_matches(tmp_path / "missing.json") == {}
    kept.write_text("[[1, 2")  # a damaged file is ignored: every agency is matched
    assert read_matches(kept) == {}
