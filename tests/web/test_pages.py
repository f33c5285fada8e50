"""The pages, in both languages, their JSON twins, filters and permalinks, and helpful errors for bad input."""

from __future__ import annotations

import re
from html import unescape

import pytest

from track287g.normalize import tables

PAGES = [
    "/",
    "/states/",
    "/state/GA/",
    "/state/VT/",
    "/state/GU/",
    "/agencies/",
    "/agency/GA-walker-county-sheriffs-office/",
    "/changes/",
    "/pending/",
    "/publications/",
    "/money/",
    "/claims/",
    "/methodology/",
    "/downloads/",
    "/api/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("prefix", ["", "/es"])
def test_every_page_renders_in_both_languages(client, path, prefix):
    r = client.get(prefix + path)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert f'<html lang="{"es" if prefix else "en"}">' in html
    assert "<main" in html and "<h1" in html
    twin = client.get(prefix + path + "index.json")
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"


def test_every_state_dc_and_territory_has_a_page(client):
    for code in tables.states():
        assert client.get(f"/state/{code}/").status_code == 200, code


def test_home_counts_name_their_list(client):
    data = client.get("/index.json").json()
    assert data["now"]["agreements"] > 1000
    assert data["publication"]["kind"] == "participating"
    assert set(data["now"]["models"]) == {"JEM", "TFM", "WSO"}
    assert data["start_2025"]["publication"]["published"] <= "2025-01-01"
    assert data["start_2025"]["agreements"] < data["now"]["agreements"]


def test_spanish_page_is_translated(client):
    html = client.get("/es/").text
    assert "Los acuerdos 287(g) de ICE, lista por lista" in html
    assert 'href="/es/states/"' in html
    assert 'hreflang="en"' in html


def test_as_of_permalink_shows_that_list(client):
    data = client.get("/state/FL/index.json?as_of=2025-06-30").json()
    assert data["publication"]["published"] <= "2025-06-30"
    latest = client.get("/state/FL/index.json").json()
    assert data["now"]["agreements"] < latest["now"]["agreements"]
    assert "2025-06-30" in client.get("/state/FL/?as_of=2025-06-30").text


def test_filters_narrow_the_agency_list(client):
    all_ = client.get("/agencies/index.json?per_page=5000").json()
    tfm_tx = client.get("/agencies/index.json?state=TX&model=TFM&per_page=5000").json()
    assert 0 < tfm_tx["paging"]["total"] < all_["paging"]["total"]
    assert all(a["state"] == "TX" and "TFM" in a["models"] for a in tfm_tx["agencies"])
    removed = client.get("/agencies/index.json?status=removed").json()
    assert all(a["status"] == "removed" for a in removed["agencies"])


def test_search_finds_every_spelling(client):
    data = client.get("/agencies/index.json?q=walker+county+sheriff+GA").json()
    assert [a["agency_id"] for a in data["agencies"]] == ["GA-walker-county-sheriffs-office"]


def test_agency_page_shows_agreements_spellings_events_and_citation(client):
    html = client.get("/agency/GA-walker-county-sheriffs-office/").text
    assert "WalkerCoSheriffsOfficeGA_JEM_MOA_02242025.pdf" in html
    assert "2025-02-24" in html
    assert "How to cite" in html and "GA-walker-county-sheriffs-office" in html
    assert "not yet available in this build" in html or "ORI" in html


def test_an_agency_page_names_the_county_it_is_placed_in_and_what_ice_s_county_column_says_beside_it(client):
    html = client.get("/agency/TX-yoakum-police-department/").text  # the city is in Lavaca County; ICE's COUNTY
    assert "Lavaca County" in html and "(FIPS 48285)" in html  # said so on the pending list, then Yoakum County
    assert "COUNTY column says “Yoakum County”" in html
    assert "La columna COUNTY de ICE dice «Yoakum County»" in client.get("/es/agency/TX-yoakum-police-department/").text
    same = client.get("/agency/GA-walker-county-sheriffs-office/").text
    assert "Walker County" in same and "COUNTY column says" not in same


def test_a_removed_agency_s_page_dates_its_first_listings_without_saying_it_is_still_listed(client):
    html = client.get("/agency/AL-houston-county-sheriffs-office/").text  # removed; last listed 2025-12-10
    assert "First on the participating list 2025-07-08" in html and "First on the pending list 2025-05-12" in html
    assert "list since" not in html
    spanish = client.get("/es/agency/AL-houston-county-sheriffs-office/").text
    assert "En la lista de participantes por primera vez el 2025-07-08" in spanish


def test_a_removal_between_two_lists_of_one_day_names_both_lists_not_the_date_twice(client):
    html = client.get("/agency/NE-brown-county-sheriffs-office/").text  # 2025-12-05 mid, then pm without it
    assert "removed between 2025-12-05 mid and 2025-12-05 pm" in html
    assert "removed between 2025-12-05 and 2025-12-05" not in html
    data = client.get("/agency/PA-stowe-township-police-department/index.json").json()
    (removed,) = [g for g in data["agreements"] if g["status"] == "removed"]
    assert removed["removed_window"] == {
        "last_listed": "2025-12-04 pm (c25032e5d8)",
        "first_absent": "2025-12-04 pm (22d2776851)",
        "provisional": False,
    }
    assert removed["provisional"] is False and data["provisional"] is False  # a final removal


def test_agencies_can_be_filtered_by_every_status_they_can_have_transferred_included(client):
    statuses = {a["status"] for a in client.get("/api/v1/agencies?per_page=2000").json()["agencies"]}
    assert statuses == {"active", "removed", "transferred", "withdrawn"}
    for status in statuses:
        found = client.get(f"/api/v1/agencies?status={status}&per_page=2000").json()["agencies"]
        assert found and {a["status"] for a in found} == {status}


def test_one_day_and_one_agency_are_said_in_the_singular(client):
    html = client.get("/agency/TX-yoakum-police-department/").text  # approved the day after it was listed
    assert "1 day after the application was listed" in html and not re.search(r"\b1 days", html)  # "281 days" is fine
    assert "1 día después de figurar la solicitud" in client.get("/es/agency/TX-yoakum-police-department/").text
    home = client.get("/").text  # the moving map's words for a county of one agency, and of several
    assert "{n} agency with agreements" in home and "{n} agencies with agreements" in home


def test_a_provisional_removal_says_so_on_the_page_and_in_the_feed(client):
    page = client.get("/agency/MD-wicomico-county-corrections-center/").text  # left out of the last list only
    assert "Provisional: it is left out of the latest lists only, and confirmed when 2 more lists leave it out" in page
    assert "no row new in the list of 2026-02-27 am prints" in page
    assert "The application is still on the latest pending list archived (2026-01-30 am)." in page  # yet approved
    assert "removed between 2026-02-17 pm and 2026-02-27 am · provisional" in page  # the agreement's row says it too
    assert 'status-removed">removed (provisional)</span>' in page  # and the agency's status
    data = client.get("/agency/MD-wicomico-county-corrections-center/index.json").json()
    assert data["provisional"] is True and [g["provisional"] for g in data["agreements"]] == [True]
    state = client.get("/state/MD/").text  # the state's other agencies
    assert "Wicomico County Corrections Center</a></th><td>removed (provisional)</td>" in state
    assert (
        "se confirma cuando 2 listas más lo omitan"
        in client.get("/es/agency/MD-wicomico-county-corrections-center/").text
    )
    assert (
        "(provisional: ICE may list it again)"
        in client.get("/feeds/agency/MD-wicomico-county-corrections-center.atom").text
    )


def test_a_state_map_tells_a_county_from_the_city_of_its_name(client):
    html = client.get("/state/MD/").text  # the map's shapes name both "Baltimore"
    assert "<title>Baltimore County: 0 agencies with agreements</title>" in html
    assert "<title>Baltimore city: 0 agencies with agreements</title>" in html
    assert "<title>Garrett County: 1 agency with agreements</title>" in html
    shapes = client.get("/api/v1/map/shapes.json").json()  # the moving map's names, for its county tooltips
    names = {f["properties"]["fips"]: f["properties"]["name"] for f in shapes["counties"]["features"]}
    assert (names["24005"], names["24510"]) == ("Baltimore County", "Baltimore city")


def test_changes_show_ices_raw_row_beside_the_corrected_one(client):
    data = client.get("/changes/index.json?type=re-dated&per_page=100").json()
    events = [e for g in data["publications"] for e in g["events"]]
    assert events and all(e["type"] == "re-dated" for e in events)
    with_rows = [e for e in events if e["rows"]]
    assert with_rows
    row = with_rows[0]["rows"][0]
    assert set(row) == {"row_number", "raw", "corrected", "repairs"}
    repaired = [r for e in events for r in e["rows"] if r["repairs"]]
    if repaired:
        assert all(x["rule"] for x in repaired[0]["repairs"])


def test_pending_page_has_approval_times_and_vanished_applications(client):
    data = client.get("/pending/index.json").json()
    assert data["approval"]["approved"] > 100
    assert data["approval"]["median_days"] is not None
    assert all(v["status"] == "withdrawn" for v in data["vanished"])


def test_the_record_s_latest_pending_list_says_how_much_older_it_is_than_the_latest_participating_list(client):
    data = client.get("/pending/index.json").json()
    assert data["behind_participating"]["days"] == 28
    assert data["behind_participating"]["participating"]["label"] == "2026-02-27 am"
    assert "This is the record's latest pending list, 28 days older than its latest participating list " \
           "(2026-02-27 am)" in unescape(client.get("/pending/").text)  # fmt: skip
    assert "28 días más antigua" in unescape(client.get("/es/pending/").text)
    assert client.get("/pending/index.json?as_of=2025-06-01").json()["behind_participating"] is None
    assert client.get("/api/v1/pending").json()["behind_participating"]["days"] == 28


def test_the_pending_list_shows_what_became_of_each_application_and_counts_every_approval(client):
    data = client.get("/pending/index.json").json()  # ICE's last pending list (2026-01-30 am): all 9 approved since
    assert [(i["agency"], i["status"]) for i in data["items"]][:1] == [("Clarke County Sheriff's Office", "approved")]
    assert all(i["status"] == "approved" and i["agreement_listed"] for i in data["items"])
    # 870: two of them (Morris and Taylor Counties, TX) with the model ICE printed anew the next list
    assert data["approval"]["approved"] == data["statuses"]["approved"] == 870
    assert data["approval"]["timed"] == 869  # Christian County (MO): printed again after its agreement
    html = client.get("/pending/").text
    assert "870 applications were approved" in html and "1 of them has no time of its own" in html
    assert "(on the participating list from 2026-02-02)" in html  # Clarke County (AL)
    home = client.get("/").text
    assert "Pending: 9 applications on the pending list published 2026-01-30 am." in home
    assert "9 of them have reached the participating list since." in home


def test_unbuilt_parts_say_so(client):
    for path in ("/money/", "/claims/", "/downloads/"):
        html = client.get(path).text
        assert "not yet available in this build" in html or "<table" in html or "<ul>" in html


BAD = [
    ("/state/ZZ/", 404),
    ("/es/state/ZZ/", 404),
    ("/agency/no-such-agency/", 404),
    ("/agency/%3Cscript%3E/", 404),
    ("/nowhere/", 404),
    ("/?as_of=yesterday", 400),
    ("/?as_of=2025-02-30", 400),
    ("/?as_of=1999-01-01", 400),
    ("/?as_of=2020-06-01", 404),
    ("/agencies/?per_page=100000", 400),
    ("/agencies/?per_page=0", 400),
    ("/agencies/?page=999", 404),
    ("/agencies/?page=abc", 400),
    ("/agencies/?state=XX", 400),
    ("/agencies/?model=ABC", 400),
    ("/agencies/?status=sleeping", 400),
    ("/agencies/?bogus=1", 400),
    ("/agencies/?q=" + "x" * 500, 400),
    ("/changes/?type=exploded", 400),
    ("/changes/?since=not-a-date", 400),
    ("/changes/?per_page=1000", 400),
    ("/pending/?as_of=2030-13-01", 400),
    ("/money/?year=1800", 400),
    ("/state/TX/?state=FL", 400),
]


@pytest.mark.parametrize("path,status", BAD)
def test_bad_input_gets_a_helpful_page_never_a_500(client, path, status):
    r = client.get(path)
    assert r.status_code == status, (path, r.status_code, r.text[:200])
    assert r.headers["content-type"].startswith("text/html")
    assert 'class="error-message"' in r.text
    twin = client.get(path.replace("/?", "/index.json?") if "/?" in path else path.rstrip("/") + "/index.json")
    assert twin.status_code in (400, 404)


def test_error_pages_are_translated(client):
    r = client.get("/es/state/ZZ/")
    assert r.status_code == 404 and "No encontrado" in r.text


def test_etag_and_cache_headers(client):
    r = client.get("/state/TX/")
    etag = r.headers["etag"]
    assert "max-age" in r.headers["cache-control"]
    again = client.get("/state/TX/", headers={"if-none-match": etag})
    assert again.status_code == 304


def test_money_page_shows_the_funding_model(client):
    funding = client.get("/money/index.json").json()["funding"]
    assert funding["available"], funding
    assert funding["figure"]["low"] <= funding["figure"]["central"] <= funding["figure"]["high"]
    assert "Estimated federal payments" in client.get("/money/").text
    assert "Pagos federales estimados" in client.get("/es/money/").text


@pytest.mark.parametrize(
    "path", ["/", "/state/TX/?as_of=2025-06-01", "/es/agencies/?state=FL", "/agency/GA-walker-county-sheriffs-office/"]
)
def test_every_page_names_its_json_twin_in_a_link_header_and_the_twin_names_the_page(client, path):
    page = client.get(path)
    assert page.status_code == 200
    target, rel, kind = (part.strip() for part in page.headers["link"].split(";"))
    assert (rel, kind) == ('rel="alternate"', 'type="application/json"')
    twin = client.get(target.strip("<>"))
    assert twin.status_code == 200 and twin.headers["content-type"].startswith("application/json")
    assert twin.headers["link"].split(";")[0].strip("<>") == path


def test_a_count_of_one_is_singular_in_both_languages(client):
    one = "/agencies/?state=GA&q=walker+county+sheriff"
    assert "1 agency matches." in client.get(one).text
    assert "1 agencia coincide." in client.get("/es" + one).text
    assert "agencies match." in client.get("/agencies/?state=GA").text


def test_the_home_timeline_since_2007_marks_the_old_lists_derived_and_breaks_for_2010_2020(client):
    html = client.get("/").text
    chart = html[html.index('id="since-2007"') :]
    chart = chart[: chart.index("</figure>")]
    assert chart.count('class="derived"') == 3  # 2007-09-19, 2008-03-10, 2009-10-28: hollow dots
    lines = re.findall(r'<polyline class="line s-total"[^>]*points="([^"]*)"', chart)
    assert len(lines) == 2  # the old lists, then ICE's lists: no segment across 2010-2020
    assert len(lines[0].split()) == 3
    assert "no list survives: a gap, not zero" in html and "DHS OIG-10-63" in html
    es = client.get("/es/").text
    assert "un hueco, no un cero" in es and "Las listas antiguas" in es


def test_a_vanished_application_whose_agency_held_or_later_gained_the_agreement_says_so(client):
    vanished = unescape(client.get("/pending/").text.split("Applications that vanished")[1])
    assert "without an agreement of their model appearing within 60 days" in vanished
    assert "the agency's JEM agreement FL-department-of-corrections#JEM#2020-08-21 was on the participating list" in (
        vanished
    )
    assert "83 days after this application's last listing" in vanished  # Alachua Police Department's, later
    data = client.get("/api/v1/pending").json()
    notes = [v for v in data["vanished"] if v["note_message"]]
    # 7 held, 3 gained later, 2 another agency, 1 another model
    assert len(notes) == 13 and all(v["note"] for v in notes)
    assert "ICE may have approved this TFM application as a WSO agreement, or printed its model wrong" in vanished
    assert "mientras esta solicitud estaba pendiente" in client.get("/es/pending/").text.split("desaparecieron")[1]
    assert client.get("/api/v1/events?type=model-switch").status_code == 200  # a type the README names


def test_the_old_lists_are_dated_by_their_days_not_by_the_day_the_moa_index_was_retrieved(client):
    page = client.get("/methodology/").text
    assert "<td>2007-09-19</td><td>2009-10-28</td>" in page and "2026-04-20" not in page
    assert "mistyped year (5025 for 2025)" in page  # the one year ICE mistyped
    listed = client.get("/publications/").text.split("<tbody>")[1]
    first_row = listed.split("</tr>")[0]
    assert "2026-02-27" in first_row  # ICE's latest list first, not the index
    assert "retrieved 2026-04-20" in listed


def test_a_removal_s_row_is_named_by_the_list_that_printed_it_and_an_empty_value_is_said(client):
    page = unescape(client.get("/changes/?type=removed").text)
    assert "Row 629 of the list of 2026-02-17 pm, the last to print it" in page
    assert "Row 629 of the sheet" not in page.split("2026-02-27 am")[1].split("</section>")[0]
    assert "“None”" not in unescape(client.get("/changes/?page=2").text)


ONE_THING_PLURAL = re.compile(
    r"(?<![\d.,])1 (sworn officers|days|agencies|agreements|units)\b|\(\+1 days\)|\(-1 days\)"
)


@pytest.mark.parametrize(
    ("address", "singular"),
    [
        ("/agency/PA-constable-unity-township/", "about 1 sworn officer: "),
        ("/agency/SC-ridgeway-police-department/", "1 sworn officer"),
        ("/agency/TX-nueces-county-constable-precinct-4/", "1 sworn officer"),
        ("/money/?state=PA&county=42127", "about 1 sworn officer: "),  # Wayne County's constables
        ("/agency/TX-jim-wells-county-sheriffs-office/", "(+1 day)"),
        ("/agency/FL-high-springs-police-department/", "(-1 day)"),
        ("/es/agency/PA-state-constables-office-cooke-township/", "alrededor de 1 agente juramentado: "),
        ("/es/money/?state=PA&county=42127", "alrededor de 1 agente juramentado: "),
        ("/es/agency/TX-smiley-city-marshals-office/", "1 agente juramentado ("),
    ],
)
def test_a_count_of_one_takes_the_singular(client, address, singular):
    html = client.get(address).text
    assert singular in html
    assert not ONE_THING_PLURAL.search(html), ONE_THING_PLURAL.search(html)
    assert "unos 1 " not in html and "1 agentes" not in html


def test_a_document_page_says_one_day_apart_in_the_singular(client, built_db):
    from sqlalchemy import text

    with built_db.read() as conn:
        shas = conn.execute(text("SELECT DISTINCT sha256 FROM document_check WHERE days IN (1, -1)")).scalars().all()
    assert shas, "the record has documents signed a day from ICE's SIGNED"
    for sha in shas:
        html = client.get(f"/document/{sha}/").text
        assert "1 day)" in html and not ONE_THING_PLURAL.search(html), sha


def test_roster_figures_are_said_to_be_the_fbi_rosters_with_its_year_and_a_zero_is_not_reported(client):
    cambria = client.get("/agency/PA-cambria-county-sheriffs-office/").text
    assert "Population served (FBI roster, 2025)" in cambria
    assert '<dd id="roster-population">not reported by the FBI roster</dd>' in cambria
    assert "Population served</dt><dd>0</dd>" not in cambria
    carroll = client.get("/agency/MD-carroll-county-sheriffs-office/").text
    assert '<dd id="roster-population">2,793</dd>' in carroll
    assert "it is not the county&#39;s population" in carroll and "roster for 2025" in carroll
    es = client.get("/es/agency/MD-carroll-county-sheriffs-office/").text
    assert "Población atendida (registro del FBI, 2025)" in es and "no es la población del condado" in es
    unmatched = client.get("/agency/PA-constable-unity-township/").text  # no ORI: no roster figures at all
    assert "No FBI roster entry was matched to this agency" in unmatched and 'id="roster-population"' not in unmatched


def test_a_note_ice_put_in_the_agency_cell_is_not_part_of_the_agency_s_name(client):
    page = client.get("/agency/NJ-monmouth-county-sheriffs-office-addendum/").text  # its id stays
    assert "<h1>Monmouth County Sheriff&#39;s Office</h1>" in page and "name-note" in page


def test_a_state_page_dates_its_listed_agencies_by_the_participating_list(client):
    page = client.get("/state/TX/").text  # Andrews County: pending list 2025-11-12, participating 2025-11-14
    row = page.split("Andrews County Sheriff&#39;s Office</a></th>")[1].split("</tr>")[0]
    assert "2025-11-14" in row and "2025-11-12" not in row and "First on the participating list" in page


def test_a_state_page_as_of_a_past_list_names_the_other_agencies_the_record_held_then_with_their_status_now(client):
    """As of 2025-03-10 (the list of 2025-03-07 am), Florida's other agencies are those the record held then and
    that list did not print: Pasco County's sheriff (its TFM was printed under the county board until
    2025-03-17), active now, and the withdrawn application of the Pasco County Jail; not the hundreds of
    agencies first listed later. The latest page's others are all its agencies off the latest list."""
    then = unescape(client.get("/state/FL/?as_of=2025-03-10").text)
    others = then.split("Other agencies in the record, not on this list", 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th><td>([^<]+)</td>', others) == [
        ("Pasco County Jail", "withdrawn"),
        ("Pasco County Sheriff's Office", "active"),
    ]
    assert '<th scope="col">Status now</th>' in then
    now = unescape(client.get("/state/MD/").text).split("Other agencies in the record, not on this list", 1)[1]
    assert "St. Mary's County Sheriff's Office</a></th><td>removed (provisional)</td>" in now


def test_the_agencies_of_a_past_list_say_their_status_now_as_such(client):
    then = unescape(client.get("/agencies/?as_of=2025-03-10&state=MD").text)
    assert '<th scope="col">Status now</th>' in then  # Carroll County's sheriff, listed then, removed since
    assert "Carroll County Sheriff's Office</a></th>" in then and "<td>removed (provisional)</td>" in then
    assert '<th scope="col">Status</th>' in client.get("/agencies/?state=MD").text


def test_the_home_page_as_of_a_past_date_says_that_date_and_the_pending_list_in_force_then(client):
    then = unescape(client.get("/?as_of=2025-03-10").text)
    assert "On 2025-03-10: list of 2025-03-07 am" in then and "Now: list of" not in then
    assert "Pending: 41 applications on the pending list published 2025-02-20." in then
    assert 'href="/pending/?as_of=2025-03-10"' in then
    early = unescape(client.get("/?as_of=2024-06-01").text)  # before ICE's first pending list in the record
    assert "No pending list in the record on or before 2024-06-01." in early
    assert "Ninguna lista de pendientes en el registro hasta el 2024-06-01." in unescape(
        client.get("/es/?as_of=2024-06-01").text
    )
    assert "Now: list of 2026-02-27 am" in unescape(client.get("/").text)


def test_the_home_page_as_of_a_date_counts_the_pending_applications_approved_by_that_date_apart_from_those_since(
    client,
):
    """The pending list of 2025-02-20, in force on 2025-03-10, printed 41 applications: 24 of them were agreements
    on ICE's participating list by then, 9 became agreements after (the page said "33 ... since")."""
    then = unescape(client.get("/?as_of=2025-03-10").text)
    assert (
        "By 2025-03-10, 24 of them were already on ICE's participating list (approved). 9 more have reached it since."
        in then
    )
    assert "33 of them" not in then
    es = unescape(client.get("/es/?as_of=2025-03-10").text)
    assert "Para el 2025-03-10, 24 de ellas ya estaban en la lista de participantes de ICE (aprobadas)." in es
    assert "9 más han llegado a ella desde entonces." in es
    data = client.get("/index.json?as_of=2025-03-10").json()
    assert (data["pending"]["approved_by_date"], data["pending"]["approved_since"]) == (24, 33)
    now = unescape(client.get("/").text)  # the latest: all it has approved, no date to count by
    assert "9 of them have reached the participating list since." in now and "were already on" not in now


def test_a_state_or_county_page_as_of_a_date_before_the_state_s_law_says_it_was_not_yet_in_effect(client):
    """Texas's page as of 2025-03-10 showed SB 8's mandate (effective 2026-01-01) as the state's law, with
    nothing to say it did not bind anyone then."""
    said = "On 2025-03-10, this law was not yet in effect: the table dates it from 2026-01-01."
    assert said in unescape(client.get("/state/TX/?as_of=2025-03-10").text)
    assert said in unescape(client.get("/county/48201/?as_of=2025-03-10").text)
    assert "El 2025-03-10, esta ley aún no estaba en vigor" in unescape(
        client.get("/es/state/TX/?as_of=2025-03-10").text
    )
    maine = unescape(client.get("/state/ME/?as_of=2025-06-01").text)
    assert "On 2025-06-01, this law was not yet in force: the table dates it from 2026." in maine
    assert client.get("/state/TX/index.json?as_of=2025-03-10").json()["law_then"]["effective_date"] == "2026-01-01"
    home = unescape(client.get("/?as_of=2025-03-10").text)  # the stance table: the laws as the table has them
    assert "on 2025-03-10, 9 of these laws were not yet in force (DE, LA, MD, ME, NH, NM, TN, TX, VA)." in home
    assert "of these laws were not yet" not in unescape(client.get("/").text)
    for later in ("/state/TX/", "/state/TX/?as_of=2026-02-01", "/county/48201/"):
        assert "this law was not yet" not in unescape(client.get(later).text), later


def test_the_pending_page_as_of_a_date_counts_its_applications_approved_by_then_as_the_home_page_does(client):
    """The pending list of 2025-02-20, in force on 2025-03-10: 41 applications, 24 already agreements by then (11
    of Florida's 13, 7 of the 17 JEM ones); none by 2025-02-21, 33 since."""
    then = unescape(client.get("/pending/?as_of=2025-03-10").text)
    assert (
        "41 applications from 41 agencies. By 2025-03-10, 24 of them were already on ICE's participating list"
        " (approved). 9 more have reached it since."
    ) in then
    florida = unescape(client.get("/pending/?as_of=2025-03-10&state=FL").text)
    assert "13 applications from 13 agencies. By 2025-03-10, 11 of them were already" in florida
    assert "By 2025-03-10, 7 of them were already" in unescape(client.get("/pending/?as_of=2025-03-10&model=JEM").text)
    early = unescape(client.get("/pending/?as_of=2025-02-21").text)
    assert "41 applications from 41 agencies. 33 of them have reached the participating list since." in early
    latest = unescape(client.get("/pending/").text)
    assert "9 applications from 9 agencies. 9 of them have reached the participating list since." in latest
    assert client.get("/pending/index.json?as_of=2025-03-10").json()["approved_by_date"] == 24
    assert client.get("/pending/index.json").json()["approved_by_date"] is None
    es = unescape(client.get("/es/pending/?as_of=2025-03-10").text)
    assert "Para el 2025-03-10, 24 de ellas ya estaban en la lista de participantes de ICE (aprobadas)." in es


def test_a_county_page_says_an_application_on_the_pending_list_is_already_an_agreement(client):
    """Clarke County, AL: its sheriff's TFM is an agreement on the latest participating list and still on the
    record's latest pending list, which is older."""
    page = unescape(client.get("/county/01025/").text)
    assert (
        "Clarke County Sheriff's Office</a> TFM: on the pending list since 2026-01-27; <strong>on ICE's participating"
        " list since 2026-02-02 (approved)</strong>"
    ) in page
    es = unescape(client.get("/es/county/01025/").text)
    assert "en la lista de participantes de ICE desde el 2026-02-02 (aprobada)" in es
    assert client.get("/county/01025/index.json").json()["pending"][0]["approved_listed"] == "2026-02-02"


@pytest.mark.parametrize(
    "address",
    [
        "/state/FL/?as_of=2022-06-01",
        "/county/12086/?as_of=2022-06-01",
        "/es/county/12086/?as_of=2022-06-01",
        "/place/?q=33101&as_of=2022-06-01",
        "/county/12071/?as_of=2025-02-19",
    ],
)
def test_a_place_as_of_an_html_era_list_answers_and_says_the_list_is_derived(client, address):
    """Before ICE's first pending list (2025-02-20) a state's, county's or ZIP code's page as of a date answered
    404 ("no pending list was published on or before ..."): the participating list of that day stands."""
    page = client.get(address)
    assert page.status_code == 200, page.text[:300]
    text = unescape(page.text)
    derived = (
        "(una tabla de la época HTML extraída por terceros)"
        if "/es/" in address
        else ("(an HTML-era table extracted by a third party)")
    )
    assert text.count(derived) >= 2  # on the figures' line and beside the source
    if "/county/" in address and "/es/" not in address:
        assert "No pending list in the record on or before" in text
        before_inauguration = "2022-06-01" in address  # a list of 2024 is no "since Inauguration Day" for 2022's
        assert ("Inauguration Day" in text) is not before_inauguration


def test_a_town_s_or_zip_code_s_page_as_of_a_date_says_its_figures_come_from_that_date_s_list(client):
    text = unescape(client.get("/place/?q=Tampa, FL&as_of=2025-03-10").text)
    assert "Figures from ICE's participating list published 2025-03-07 am (the latest is 2026-02-27 am" in text


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("/?as_of=2026-06-01", "The date asked, 2026-06-01, is 94 days after it: ICE may have listed more since."),
        ("/county/12071/?as_of=2030-01-01",
         "The date asked, 2030-01-01, is 1,404 days after it: ICE may have listed more since."),
        ("/es/state/TX/?as_of=2026-02-28",
         "La fecha pedida, 2026-02-28, es 1 día posterior a esa lista: puede que ICE haya publicado más desde "
         "entonces."),
    ],
)  # fmt: skip
def test_a_page_as_of_a_date_after_the_latest_list_says_what_the_record_cannot_know(client, address, said):
    assert said in unescape(client.get(address).text)


def test_growth_as_of_a_date_after_the_latest_list_is_against_a_year_before_that_list_not_the_date(client):
    """As of 2026-06-01 the record's list is of 2026-02-27: against the list of 2025-05-29 its change is nine
    months' growth, which the table would have called a year's."""
    now = client.get("/index.json").json()["growth"]
    later = client.get("/index.json?as_of=2026-06-01").json()["growth"]
    assert later["days_after_latest_list"] == 94 and now["days_after_latest_list"] is None
    assert later["against"] == now["against"] and later["against"][0]["date"] == "2025-02-27"
    assert (later["asked"], later["date"]) == ("2026-06-01", "2026-02-27")
    text = unescape(client.get("/state/FL/?as_of=2026-06-01").text)
    assert "A year before that list (2025-02-27): list of 2025-02-26" in text
    assert "Un año antes de esa lista (2025-02-27)" in unescape(client.get("/es/?as_of=2030-01-01").text)
    covered = client.get("/index.json?as_of=2026-01-26").json()["growth"]
    assert covered["against"][0]["date"] == "2025-01-26" and covered["days_after_latest_list"] is None
    assert "A year before (2025-01-26)" in unescape(client.get("/?as_of=2026-01-26").text)
    board = unescape(client.get("/leaderboards/?as_of=2026-06-01").text)
    assert "growth against the list in force a year before (2025-02-26)" in board


def test_changes_since_a_date_after_a_kinds_latest_list_say_the_record_holds_none_on_the_page_and_in_the_api(client):
    text = unescape(client.get("/changes/?since=2026-02-20").text)
    assert "The record holds no pending list published on or after 2026-02-20: its latest is of 2026-01-30 am, " \
           "21 days before. ICE may have published more since." in text  # fmt: skip
    assert "The record holds no participating list" not in text
    spanish = unescape(client.get("/es/changes/?since=2026-03-01").text)
    assert "El registro no tiene ninguna lista de participantes publicada el 2026-03-01 o después" in spanish
    api = client.get("/api/v1/events", params={"since": "2026-03-01"}).json()
    assert api["paging"]["total"] == 0
    assert [(s["kind"], s["days"]) for s in api["no_list_since"]] == [("participating", 2), ("pending", 30)]
    assert (
        client.get("/api/v1/events", params={"since": "2026-02-20", "kind": "participating"}).json()["no_list_since"]
        == []
    )
    assert client.get("/changes/index.json?since=2026-01-20").json()["no_list_since"] == []


@pytest.mark.parametrize("address", ["/?as_of=2026-02-27", "/state/TX/?as_of=2026-01-26", "/state/TX/"])
def test_a_page_as_of_a_date_the_record_covers_says_nothing_of_the_kind(client, address):
    text = unescape(client.get(address).text)
    assert "The date asked" not in text and "Figures from ICE's participating list" in text


def test_an_agency_listed_on_html_era_tables_says_those_lists_are_derived(client):
    era = "The lists of 2021-01-13 to 2025-02-19 are HTML-era tables of ICE's web page, extracted by a third party"
    assert era in unescape(client.get("/agency/MA-barnstable-county-sheriffs-office/").text)  # 2021-01 to 2022-10
    assert era not in unescape(client.get("/agency/FL-lee-county-sheriffs-office/").text)  # first listed 2025-02-20
    spanish = unescape(client.get("/es/agency/MA-barnstable-county-sheriffs-office/").text)
    assert "Las listas del 2021-01-13 al 2025-02-19 son tablas de la época HTML" in spanish
    twin = client.get("/agency/MA-barnstable-county-sheriffs-office/index.json").json()
    assert twin["html_era_lists"] == {"first": "2021-01-13", "last": "2025-02-19"}


def test_growth_before_inauguration_day_is_against_a_year_before_only_and_says_so(client):
    home = unescape(client.get("/?as_of=2022-06-01").text)
    assert "Growth: agencies and agreements against a year before</" in home and "Inauguration Day, 2025" not in home
    state = unescape(client.get("/es/state/FL/?as_of=2022-06-01").text)
    assert "Crecimiento en Florida: agencias y acuerdos frente a un año antes</" in state
    assert "against a year before and against Inauguration Day" in unescape(client.get("/").text)


def test_the_changes_page_heads_an_html_era_list_as_derived(client):
    pages = client.get("/changes/index.json?kind=participating").json()["paging"]["pages"]
    text = unescape(client.get(f"/changes/?kind=participating&page={pages}").text)  # the oldest lists, of 2021
    assert 'ICE\'s participating list published 2021-01-13 <span class="sub">(an HTML-era table extracted' in text
    assert client.get("/api/v1/events?kind=participating&per_page=1").json()["events"][0]["list_derived"] is False


def test_the_places_api_and_the_county_json_as_of_an_html_era_list_say_it_is_derived(client):
    found = client.get("/api/v1/places?q=Lee County, FL&as_of=2022-06-01")
    assert found.status_code == 200, found.text[:300]
    county = client.get("/county/12071/index.json?as_of=2022-06-01").json()
    assert county["publication"]["derived"] is True and county["pending_publication"] is None
    assert client.get("/county/12071/index.json").json()["publication"]["derived"] is False


def test_the_latest_changes_of_a_page_as_of_a_past_date_are_those_up_to_that_date(client):
    home = unescape(client.get("/?as_of=2025-03-10").text)
    latest = home.split("Latest changes up to 2025-03-10", 1)[1].split("All changes", 1)[0]
    dates = re.findall(r"list published (\d{4}-\d\d-\d\d)", latest)
    assert dates and max(dates) <= "2025-03-10"
    state = unescape(client.get("/state/MD/?as_of=2025-03-10").text)
    changes = state.split("Latest changes in Maryland up to 2025-03-10", 1)[1].split("All changes in", 1)[0]
    days = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)">', changes)
    assert days and max(days) == "2025-03-06" and "2026-02-27" not in changes
    assert "Latest changes in Maryland</h2>" in unescape(client.get("/state/MD/").text)


def test_the_agency_page_gives_the_probable_date_in_both_languages(client):
    page = client.get("/agency/TX-tenaha-police-department/").text
    assert "probably 2026-01-07" in page and "is probably a year typo for 2026-01-07" in page
    es = client.get("/es/agency/OK-ottawa-county-sheriffs-office/").text
    assert "probablemente 2026-02-23" in es and "es probablemente un error en el año" in es
    feed = client.get("/feeds/agency/OK-ottawa-county-sheriffs-office.atom").text
    assert "signed 2025-02-23 (probably 2026-02-23: a year typo)" in feed
    county = client.get("/county/48419/").text  # Shelby County, TX: Tenaha's police among its local agencies
    assert "signed 2025-01-07 (probably 2026-01-07: a year typo)" in county
    assert "firmado el 2025-01-07 (probablemente 2026-01-07: error en el año)" in client.get("/es/county/48419/").text
    api = client.get("/api/v1/agreements?state=TX&per_page=500").json()["agreements"]
    assert {a["agreement_id"]: a["signed_probable"] for a in api if a["signed_probable"]} == {
        "TX-tenaha-police-department#TFM#2025-01-07": "2026-01-07"
    }


def test_the_start_of_2025_and_inauguration_day_figures_say_their_list_is_an_html_era_table(client):
    mark = "(an HTML-era table extracted by a third party)"
    home = unescape(client.get("/").text)
    assert re.search(r"list published 2024-12-11\)\. <span class=\"sub\">" + re.escape(mark), home)
    assert re.search(r"Inauguration Day, 2025-01-20: list of 2024-12-11 <span class=\"sub\">" + re.escape(mark), home)
    assert "Now: list of 2026-02-27 am</th>" in home  # ICE's own spreadsheet: no mark
    for page in ("/states/", "/state/TX/"):
        text = unescape(client.get(page).text)
        assert f'“Start of 2025” is ICE\'s list published 2024-12-11. <span class="sub">{mark}</span>' in text, page
    spanish = unescape(client.get("/es/states/").text)
    assert "«Comienzo de 2025» es la lista de ICE publicada el 2024-12-11." in spanish
