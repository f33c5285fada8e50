"""Counties: reading ICE's and the FBI's county names, FIPS codes for county-level agencies."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from track287g.enrich.counties import gazetteer


@pytest.mark.parametrize(
    ("state", "written", "fips", "rule"),
    [
        ("AL", "Frankin County", "01059", "county-typo"),  # ICE's typo for Franklin
        ("FL", "Lake Conty", "12069", "county-typo"),  # the word "County" misspelt
        ("LA", "Saint Landry County", "22097", "exact"),  # a parish, called a county
        ("LA", "Calacasieu Parish", "22019", "county-typo"),
        ("VA", "HOPEWELL CITY", "51670", "exact"),  # the FBI's way to name an independent city
        ("VA", "Hopewell County", "51670", "independent-city"),  # ICE's: there is no Hopewell County
        ("VA", "JAMES CITY", "51095", "exact"),  # but James City is a county
        ("VA", "RICHMOND", "51159", "exact"),  # Richmond County, not the city of Richmond
        ("MD", "BALTIMORE CITY", "24510", "exact"),
        ("AK", "JUNEAU", "02110", "exact"),  # a city and borough
        ("AK", "VALDEZ-CORDOVA", "02261", "exact"),  # split in 2019; still on the shapes
        ("CT", "HARTFORD", "09003", "exact"),  # a former county, as the FBI still names it
        ("NM", "Dona Ana", "35013", "exact"),
    ],
)
def test_county_names_as_written_are_read(state, written, fips, rule):
    county, found = gazetteer().lookup(state, written)
    assert county is not None and (county.fips, found) == (fips, rule)


@pytest.mark.parametrize(("state", "written"), [("AL", "County"), ("LA", "German Coast County"), ("SC", "Lee")])
def test_what_is_not_a_county_of_the_state_is_not_guessed(state, written):
    if written == "Lee":  # SC has a Lee County: a real name is found, not mistaken
        assert gazetteer().lookup(state, written)[0].fips == "45061"
        return
    assert gazetteer().lookup(state, written)[0] is None


def test_populations_follow_the_census_with_split_and_former_areas():
    gaz = gazetteer()
    assert gaz.population("02261") == gaz.population("02063") + gaz.population("02066")
    assert gaz.population("09003") is None  # Connecticut's old counties have no 2024 estimate
    assert len([c for c in gaz.by_fips.values() if c.in_census]) == 3144
    assert len([c for c in gaz.by_fips.values() if c.in_shapes]) == 3231


def test_every_active_county_level_agency_has_a_county_but_one_regional_jail(built_db):
    with built_db.read() as conn:
        rows = (
            conn.execute(
                text(
                    "SELECT m.name FROM agency_match m JOIN agency a USING (agency_id) "
                    "WHERE m.county_level AND a.status = 'active' AND m.county_fips IS NULL"
                )
            )
            .scalars()
            .all()
        )
        total = conn.execute(
            text(
                "SELECT count(*) FROM agency_match m JOIN agency a USING (agency_id) "
                "WHERE m.county_level AND a.status = 'active'"
            )
        ).scalar_one()
    assert total > 650
    assert sorted(rows) == ["Southwest Virginia Regional Jail Authority"]  # Albemarle: placed by hand


def test_a_sheriff_is_placed_by_its_name_when_ice_s_county_is_wrong(built_db):
    with built_db.read() as conn:
        row = conn.execute(
            text(
                "SELECT county_fips, county_rule FROM agency_match WHERE name = 'Clarke County Sheriff''s Office' "
                "AND state = 'AL'"
            )
        ).one()
    assert tuple(row) == ("01025", "agency-name")  # ICE's COUNTY reads just "County"


def test_a_regional_jail_covers_the_counties_its_name_lists(built_db):
    with built_db.read() as conn:
        fips = (
            conn.execute(
                text(
                    "SELECT ac.fips FROM agency_county ac JOIN agency_match m USING (agency_id) "
                    "WHERE m.name LIKE 'Rappahannock, Shenandoah, Warren%' ORDER BY ac.rank"
                )
            )
            .scalars()
            .all()
        )
    assert fips == ["51157", "51171", "51187"]


def test_a_town_police_that_ice_typed_county_is_not_county_level(built_db):
    with built_db.read() as conn:
        level = dict(
            conn.execute(
                text("SELECT name, county_level FROM agency_match WHERE state = 'TX' AND name IN (:a, :b, :c)"),
                {
                    "a": "Yoakum Police Department",
                    "b": "Stamford Police Department",
                    "c": "Lavaca County Sheriff's Office",
                },
            ).all()
        )
        nassau = conn.execute(
            text("SELECT county_level FROM agency_match WHERE name = 'Nassau County Police Department'")
        )
        assert nassau.scalar_one()  # county police by its name and ICE's TYPE
    assert level == {
        "Yoakum Police Department": 0,
        "Stamford Police Department": 0,
        "Lavaca County Sheriff's Office": 1,
    }
