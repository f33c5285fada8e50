"""Places: a county, a town, a ZIP code or a state, read from what a person types, and the agencies of ICE's list
that cover it on a date (``track287g place``, ``questions.place``, ``Track287g.place``)."""

from __future__ import annotations

import json

import pytest

import track287g
from tests.helpers import run_cli
from track287g import questions
from track287g.enrich import zips
from track287g.errors import NotFound

SHAPE = {"kind", "name", "state", "county_fips", "as_of", "covered_by"}


@pytest.fixture(scope="module")
def ask(built_db):
    def run(query: str, as_of: str | None = None) -> dict:
        with built_db.read() as conn:
            return questions.place(conn, query, as_of)

    return run


def by_name(answer: dict) -> dict[str, dict]:
    return {c["name"]: c for c in answer["covered_by"]}


def test_lee_county_is_covered_by_its_sheriff_towns_campus_port_and_statewide_agencies(ask):
    lee = ask("Lee County, FL")
    assert set(lee) >= SHAPE and lee["kind"] == "county" and lee["county_fips"] == "12071"
    cover = by_name(lee)
    assert cover["Lee County Sheriff's Office"]["reach"] == "county"
    assert {a["model"] for a in cover["Lee County Sheriff's Office"]["agreements"]} == {"JEM", "TFM", "WSO"}
    assert cover["Fort Myers Police Department"]["reach"] == "city"
    assert cover["Florida Gulf Coast University Police Department"]["reach"] == "campus"
    assert cover["Lee County Port Authority Police"]["reach"] == "port"
    assert cover["Florida Department of Law Enforcement"]["reach"] == "state"
    assert lee["as_of"] == lee["publication"]["published"] == "2026-02-27"
    # local agencies first, then the statewide ones
    reaches = [c["reach"] for c in lee["covered_by"]]
    assert reaches.index("state") > max(i for i, r in enumerate(reaches) if r != "state")


def test_a_county_without_an_agreement_has_an_empty_covered_by(ask):
    for query in ("Multnomah County, OR", "multnomah", "Multnomah Conty OR"):
        found = ask(query)
        assert found["county_fips"] == "41051", query
        assert found["covered_by"] == [] and found["agencies"] == 0


def test_a_zip_code_is_placed_in_its_county_and_covered_like_it(ask):
    portland = ask("97204")
    assert (portland["kind"], portland["county_fips"], portland["town"]) == ("zip", "41051", "Portland")
    assert portland["covered_by"] == []
    fort_myers = ask("33901")
    assert fort_myers["county_fips"] == "12071"
    assert "Lee County Sheriff's Office" in by_name(fort_myers)
    assert "Fort Myers Police Department" in by_name(fort_myers)
    assert "Cape Coral Police Department" not in by_name(fort_myers)  # another town of the county


def test_a_town_is_covered_by_its_own_police_its_county_and_the_state(ask):
    tampa = ask("Tampa, FL")
    assert tampa["kind"] == "place" and tampa["county_fips"] == "12057"
    cover = by_name(tampa)
    assert cover["Tampa Police Department"]["reach"] == "city"
    assert cover["Hillsborough County Sheriff's Office"]["reach"] == "county"
    assert "Temple Terrace Police Department" not in cover


def test_colorado_and_montana_are_read_from_their_codes(ask):
    """CO and MT are state codes, not "county" and "mount" (the agency names' abbreviations)."""
    teller = ask("Teller County, CO")
    assert (teller["kind"], teller["county_fips"]) == ("county", "08119")
    assert "Teller County Sheriff's Office" in by_name(teller)
    assert ask("Yellowstone County MT")["county_fips"] == "30111"
    assert (ask("Billings, MT")["kind"], ask("CO")["name"], ask("mt")["name"]) == ("place", "Colorado", "Montana")


def test_a_name_of_several_places_asks_for_the_state(ask):
    with pytest.raises(NotFound, match=r"names 2 places \(Tampa, FL; Tampa, KS\); add the state"):
        ask("Tampa")
    with pytest.raises(NotFound, match="Lee County, FL"):
        ask("Lee County")


def test_a_town_named_as_written_is_the_town_not_the_county_of_its_name(ask):
    yoakum = ask("Yoakum, TX")  # the town's name as written; Yoakum County, TX is elsewhere
    assert yoakum["kind"] == "place" and yoakum["county_fips"] == "48285"  # Lavaca County
    cover = by_name(yoakum)
    assert cover["Yoakum Police Department"]["reach"] == "city"  # ICE's TYPE says county: not county police
    assert cover["Lavaca County Sheriff's Office"]["reach"] == "county"
    assert ask("Yoakum County, TX")["kind"] == "county"
    with pytest.raises(NotFound, match=r"names 2 places \(Yoakum County, TX; Yoakum, TX\); name one as written here"):
        ask("Yoakum")


def test_a_small_typo_is_forgiven_and_a_larger_one_suggests_near_places(ask):
    assert ask("Hilsborough Cnty, FL")["county_fips"] == "12057"
    with pytest.raises(NotFound, match="did you mean: Hillsborough County, FL"):
        ask("Hilsbro County FL")
    with pytest.raises(NotFound) as nothing:
        ask("Xyzzyville, FL")
    assert "did you mean" not in str(nothing.value)  # no far-fetched names


def test_as_of_uses_the_list_in_force_and_says_which(ask):
    then = ask("33901", "2025-03-01")
    assert then["asked"] == "2025-03-01" and then["as_of"] == "2025-02-26"
    assert "Fort Myers Police Department" not in by_name(then)  # it signed in May 2025
    assert [p["model"] for p in then["pending"]] == ["WSO"]  # the sheriff's WSO application, on the pending list
    early = ask("Lee County, FL", "2024-06-01")
    assert "Lee County Sheriff's Office" not in by_name(early)


def test_an_application_the_pending_list_still_prints_after_its_agreement_was_listed_says_so(ask):
    """The pending list in force on 2025-03-01 (of 2025-02-20) prints Lee County's sheriff's WSO application; the
    participating list then in force (2025-02-26) already lists the agreement. The record's latest pending list (of
    2026-01-30 am) prints Clarke County's sheriff's TFM, listed as an agreement on 2026-02-02."""
    lee = ask("33901", "2025-03-01")
    assert [(p["model"], p["approved_listed"]) for p in lee["pending"]] == [("WSO", "2025-02-26")]
    assert "WSO 2025-02-26" not in str(by_name(lee))  # the agreement is among those that cover it
    assert [a["model"] for a in by_name(lee)["Lee County Sheriff's Office"]["agreements"]] == ["TFM", "WSO"]
    earlier = ask("33901", "2025-02-25")  # the list of 2025-02-24: no agreement yet
    assert [(p["model"], p["approved_listed"]) for p in earlier["pending"]] == [("WSO", None)]
    clarke = ask("Clarke County, AL")
    assert [(p["name"], p["approved_listed"]) for p in clarke["pending"]] == [
        ("Clarke County Sheriff's Office", "2026-02-02")
    ]


def test_what_was_there_before_is_named_with_its_last_list(ask):
    lee = ask("Lee County, FL")
    before = {b["name"]: b for b in lee["before"]}
    assert before and all(b["last_listed"] < lee["as_of"] for b in before.values())


def test_what_was_there_before_says_its_status_on_the_latest_list(ask, built_db_path):
    """An agency listed before and gone now may come back: a provisional removal is said so."""
    (st_marys,) = ask("St. Mary's County, MD")["before"]
    assert (st_marys["last_listed"], st_marys["now"]) == ("2026-02-17", {"status": "removed", "provisional": True})
    text = run_cli("place", "St. Mary's County, MD", db=built_db_path).stdout
    assert "before: St. Mary's County Sheriff's Office (WSO), last listed 2026-02-17; now removed (provisional)" in text
    assert "state law: ban (Md. HB 444 / SB 245 (2026), Public Safety" in text and "effective 2026-02-17" in text


def test_a_place_says_its_state_s_law_or_none_where_the_table_has_no_row(ask):
    assert ask("St. Mary's County, MD")["law"]["stance"] == "ban"
    assert ask("Sedgwick County, KS")["law"] is None


def test_what_was_there_before_a_past_list_is_what_earlier_lists_printed_under_each_agency(ask):
    """Read from what each list printed: an agreement that moved to another holder later does not make that
    holder listed before (the Gulf County sheriff took the county board's TFM on 2025-03-06; Pasco County's on
    2025-03-17, when the sheriff's own JEM had been gone since 2022), and an agency ICE left out of a few lists
    was last listed on the last list that printed it (East Donegal's constables, missing 2025-07-24 pm to
    2025-07-28), not on the list asked about."""
    assert ask("Gulf County, FL", "2025-03-01")["before"] == []
    (pasco,) = ask("Pasco County, FL", "2025-03-10")["before"]
    assert (pasco["name"], pasco["models"], pasco["last_listed"]) == (
        "Pasco County Sheriff's Office",
        ["JEM"],
        "2022-08-26",
    )
    (donegal,) = ask("Lancaster County, PA", "2025-07-26")["before"]
    assert (donegal["last_listed"], donegal["now"]["status"]) == ("2025-07-24", "active")


def test_a_state_is_every_agency_of_the_state(ask, built_db):
    oregon = ask("Oregon")
    assert oregon["kind"] == "state" and oregon["covered_by"] == [] and oregon["county_fips"] is None
    with built_db.read() as conn:
        texas = questions.place(conn, "TX")
        listed = questions.as_of(conn, "2026-02-27", "TX")
    assert texas["agencies"] == listed["agencies"] and texas["agreements"] == listed["agreements"]


def test_zip_counties_come_from_the_table_then_the_shapes():
    assert zips.find_zip("97204").county_rule == "zip-table"
    assert zips.county_at("FL", 26.6204, -81.8725) == "12071"  # Fort Myers' point lies in Lee County's shape
    assert zips.county_at("AK", 61.2, -149.9) is None  # Alaska is drawn in an inset: its points are not tested
    assert zips.find_zip("00000") is None


def test_the_command_line_and_the_python_api_give_the_same_place(built_db_path):
    done = run_cli("place", "Lee County, FL", "--json", db=built_db_path)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    with track287g.open(str(built_db_path)) as db:
        df = db.place("Lee County, FL")
    assert list(df["agency_id"]) == [c["agency_id"] for c in printed["covered_by"]]
    assert df.attrs["as_of"] == printed["as_of"]
    text = run_cli("place", "Multnomah County, OR", db=built_db_path)
    assert "No agency in this county has a 287(g) agreement on ICE's list of 2026-02-27 am." in text.stdout
    bad = run_cli("place", "Lee County", db=built_db_path)
    assert bad.returncode == 2 and "add the state" in bad.stderr
