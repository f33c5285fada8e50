"""Matching ICE's agencies to FBI roster ORIs, on the real archive and the bundled rosters."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import text

from track287g.enrich import agency_facts, match_report
from track287g.enrich.counties import gazetteer
from track287g.enrich.match import match_agencies
from track287g.enrich.records import agency_records
from track287g.enrich.rosters import load_rosters
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
    return {r.name: run.matches[r.agency_id] for r in records if r.state in ("AL", "VA", "FL", "TX")}


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
    rows = list(csv.DictReader(SAMPLE.open(encoding="utf-8")))
    assert len(rows) == 60 and len({r["state"] for r in rows}) >= 20
    wrong, missed, right = [], [], 0
    for row in rows:
        got = facts(built_db, row["state"], row["agency"])["ori"]
        expected = None if row["expected_ori"] == "no match" else row["expected_ori"]
        if got is not None and got != expected:
            wrong.append((row["agency"], got, expected))
        elif got is None and expected is not None:
            missed.append(row["agency"])
        else:
            right += 1
    assert wrong == []  # precision on the sample: every ORI given is the verified one
    assert len(missed) <= 2, missed
    assert right >= 58


def test_match_rates_on_the_latest_list_meet_the_targets(built_db):
    with built_db.read() as conn:
        report = match_report(conn)
    assert report["agencies"] > 1000
    assert report["by_kind"]["sheriff"]["rate"] >= 0.95
    assert report["rate"] >= 0.85
    assert report["enrich"]["match_seconds"] < 10
