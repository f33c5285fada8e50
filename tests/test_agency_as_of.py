"""One agency as of a date: what ICE's participating and pending lists in force that day printed of it, on the
command line, the Python API, the JSON API and the agency page, in both languages; the rest of the page stays the
record as of its latest list, and says so."""

from __future__ import annotations

import json
from html import unescape

import pytest
from starlette.testclient import TestClient

import track287g
from tests.helpers import run_cli
from track287g.web import create_app

ORANGE = "FL-orange-county-sheriffs-office"
FRANKLIN = "PA-franklin-county-sheriffs-office"  # its WSO moved to the county jail's name on 2025-08-11 pm
JAIL = "PA-county-of-franklin-franklin-county-jail"


@pytest.fixture(scope="module")
def client(built_db_path):
    with TestClient(create_app(str(built_db_path))) as c:
        yield c


def standings(then: dict) -> list[tuple[str, str]]:
    return [(a["model"], a["standing"]) for a in then["agreements"]]


def test_an_agency_before_its_first_agreement_was_listed_shows_its_application_waiting_and_the_agreement_not_yet(
    built_db_path,
):
    with track287g.open(str(built_db_path)) as db:
        then = db.agency("Orange County Sheriff's Office", state="FL", as_of="2025-02-21").attrs["as_of"]
    assert then["publication"]["label"] == "2025-02-21" and then["listed"] == 0
    assert standings(then) == [("TFM", "not-yet")]
    assert then["agreements"][0]["first_listed"] == "2025-02-26"
    (application,) = then["pending"]["applications"]
    assert (application["model"], application["first_listed"], application["status"]) == (
        "WSO",
        "2025-02-20",
        "withdrawn",
    )
    assert application["approved_listed"] is None
    assert then["later_events"] == 2


def test_an_agreement_printed_under_another_agency_that_day_is_not_counted_as_the_agency_s_own(built_db_path):
    """Franklin County's WSO was printed under the sheriff until 2025-08-11 am and under the county jail from the
    list of that afternoon on: on that day the sheriff held one agreement, the jail one."""
    with track287g.open(str(built_db_path)) as db:
        sheriff = db.agency(FRANKLIN, as_of="2025-08-11").attrs["as_of"]
        before = db.agency(FRANKLIN, as_of="2025-06-01").attrs["as_of"]
        jail = db.agency(JAIL, as_of="2025-06-01").attrs["as_of"]
    assert sheriff["publication"]["label"] == "2025-08-11 pm"
    assert standings(sheriff) == [("TFM", "listed"), ("WSO", "elsewhere")] and sheriff["listed"] == 1
    assert sheriff["agreements"][1]["held_by"] == {
        "agency_id": JAIL,
        "name": "County of Franklin / Franklin County Jail",
    }
    assert standings(before) == [("TFM", "listed"), ("WSO", "listed")] and before["listed"] == 2
    assert standings(jail) == [("WSO", "elsewhere")] and jail["listed"] == 0
    assert jail["agreements"][0]["held_by"]["agency_id"] == FRANKLIN


def test_an_agreement_removed_before_the_date_and_one_signed_after_it_are_told_apart_from_those_listed(
    built_db_path,
):
    with track287g.open(str(built_db_path)) as db:
        removed = db.agency("AL-franklin-county-sheriffs-office", as_of="2025-09-01").attrs["as_of"]
        moved_day = db.agency(FRANKLIN, as_of="2025-08-11").attrs["as_of"]
    assert standings(removed) == [("JEM", "listed"), ("TFM", "removed"), ("TFM", "not-yet"), ("WSO", "listed")]
    assert [(a["signed"], a.get("last_listed"), a.get("first_listed")) for a in removed["agreements"][1:3]] == [
        ("2025-03-25", "2025-08-01", "2025-03-27"),
        ("2025-11-06", "2026-02-27", "2025-11-06"),
    ]
    assert removed["listed"] == 2 and removed["later_events"] == 3
    assert moved_day["later_events"] == 0  # the transfer of 2025-08-11 pm happened that day, not later


def test_the_command_line_says_the_agency_on_a_date_and_refuses_a_date_before_the_record(built_db_path):
    done = run_cli("agency", FRANKLIN, "--as-of", "2025-08-11", db=built_db_path)
    assert done.returncode == 0, done.stderr
    assert "On 2025-08-11, ICE's participating list in force (published 2025-08-11 pm) listed 1 agreement of it" in (
        done.stdout
    )
    assert (
        "WSO signed 2025-03-07: listed under another agency, County of Franklin / Franklin County Jail" in done.stdout
    )
    assert "the pending list published 2025-08-11 pm printed no application of it" in done.stdout
    orange = run_cli("agency", ORANGE, "--as-of", "2025-03-10", db=built_db_path)
    assert "WSO application, on the pending list since 2025-02-20: later withdrawn" in orange.stdout
    assert "1 event below came after 2025-03-10" in orange.stdout
    early = run_cli("agency", ORANGE, "--as-of", "2020-06-01", db=built_db_path)
    assert early.returncode != 0
    assert "no participating list in the history was published on or before 2020-06-01 (its lists start 2021-01-13" in (
        early.stderr
    )
    as_json = json.loads(run_cli("agency", ORANGE, "--as-of", "2025-03-10", "--json", db=built_db_path).stdout)
    assert standings(as_json["as_of"]) == [("TFM", "listed")]
    assert "as_of" not in json.loads(run_cli("agency", ORANGE, "--json", db=built_db_path).stdout)


def test_the_agency_page_as_of_a_date_says_what_the_lists_in_force_printed_and_marks_later_events(client):
    page = unescape(client.get(f"/agency/{ORANGE}/?as_of=2025-03-10").text)
    assert (
        "ICE's participating list in force that day, published 2025-03-07 am, listed 1 agreement of this agency."
        in (page)
    )
    assert "listed, signed 2025-02-26 · row 128" in page
    assert "ICE's pending list in force that day, published 2025-02-20, printed 1 application of this agency." in page
    assert "on the pending list since 2025-02-20; later: withdrawn" in page
    assert "1 of the events below came after 2025-03-10: each is marked “later”." in page
    assert page.count('<span class="later">') == 1
    assert "is the record as of its latest list." in page
    assert 'value="2025-03-10"' in page
    moved = unescape(client.get(f"/agency/{FRANKLIN}/?as_of=2025-08-11").text)
    assert f'listed under another agency, <a href="/agency/{JAIL}/?as_of=2025-08-11">' in moved
    spanish = unescape(client.get(f"/es/agency/{ORANGE}/?as_of=2025-03-10").text)
    assert "La lista de participantes de ICE vigente ese día, publicada el 2025-03-07 am, incluía 1 acuerdo" in spanish
    assert "1 de los eventos de abajo es posterior al 2025-03-10: lleva la marca «posterior»." in spanish
    latest = unescape(client.get(f"/agency/{ORANGE}/").text)
    assert 'id="as-of"' not in latest and '<span class="later">' not in latest


def test_the_json_api_gives_the_agency_as_of_a_date_and_a_date_before_the_record_is_a_404(client):
    found = client.get(f"/api/v1/agencies/{FRANKLIN}?as_of=2025-08-11").json()
    assert standings(found["as_of"]) == [("TFM", "listed"), ("WSO", "elsewhere")]
    assert client.get(f"/api/v1/agencies/{FRANKLIN}?as_of=2025-13-01").status_code == 400
    early = client.get(f"/api/v1/agencies/{FRANKLIN}?as_of=2019-08-11")
    assert early.status_code == 404 and "2021-01-13" in early.json()["error"]
    assert client.get(f"/agency/{FRANKLIN}/?as_of=2019-08-11").status_code == 404


def test_a_page_as_of_a_date_links_its_agencies_to_their_pages_as_of_that_date(client):
    """A reader on Texas's page of 2025-03-10 who opens an agency sees it as of that date too."""
    state = client.get("/state/TX/?as_of=2025-03-10").text
    assert 'href="/agency/TX-harris-county-sheriffs-office/?as_of=2025-03-10"' not in state  # not listed then
    assert 'href="/agency/TX-aransas-county-sheriffs-office/?as_of=2025-03-10"' in state
    county = client.get("/county/12095/?as_of=2025-03-10").text
    assert f'href="/agency/{ORANGE}/?as_of=2025-03-10"' in county
    pending = client.get("/pending/?as_of=2025-03-10").text
    assert f'href="/agency/{ORANGE}/?as_of=2025-03-10"' in pending
    assert client.get(f"/agency/{ORANGE}/?as_of=2025-03-10").status_code == 200
    latest = client.get("/state/TX/").text + client.get("/county/12095/").text
    assert "?as_of=" not in latest.split("<main", 1)[1].split("</main>", 1)[0].replace('name="as_of"', "")


def test_an_agency_as_of_a_date_before_any_pending_list_says_there_was_none_rather_than_no_application(
    built_db_path, client
):
    """2021-02-01: ICE's HTML-era participating table of 2021-01-16 stood, no pending list did."""
    done = run_cli("agency", "FL-department-of-corrections", "--as-of", "2021-02-01", db=built_db_path)
    assert (
        "(published 2021-01-16 - an HTML-era table extracted by a third party) listed 1 agreement of it" in done.stdout
    )
    assert "  no pending list in the record on or before 2021-02-01" in done.stdout
    page = unescape(client.get("/agency/FL-department-of-corrections/?as_of=2021-02-01").text)
    assert "No pending list in the record on or before 2021-02-01." in page
    assert "(an HTML-era table extracted by a third party)" in page.split('id="as-of"')[1]
