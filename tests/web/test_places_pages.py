"""The reader's questions on the site: county and place pages (and their API), growth, leaderboards, the comparison
of states, the moving map's data, the freshness line, the cards, and search that forgives."""

from __future__ import annotations

import gzip
import io
import json
import re
from html import unescape

import pytest
from PIL import Image
from starlette.testclient import TestClient

from track287g import questions
from track287g.enrich.counties import gazetteer
from track287g.i18n import language
from track287g.store import connect
from track287g.store.schema import watch_run
from track287g.web import create_app, previews

NO_AGREEMENT = "No agency in this county has a 287(g) agreement on ICE's list of 2026-02-27 am."


def page(client, path: str) -> str:
    """The page's text as a reader sees it (entities decoded)."""
    return unescape(client.get(path).text)


def test_a_covered_county_page_names_its_sheriff_towns_and_statewide_agencies(client):
    html = page(client, "/county/12071/")
    assert "287(g) in Lee County, FL" in html
    for name in ("Lee County Sheriff's Office", "Fort Myers Police Department", "Florida Department of Law"):
        assert name in html, name
    assert "state agencies with statewide reach" in html
    twin = client.get("/county/12071/index.json").json()
    assert twin["county_fips"] == "12071" and twin["as_of"] == "2026-02-27"
    assert any(c["reach"] == "county" for c in twin["covered_by"])


def test_an_agency_page_leads_to_its_county_s_page_which_names_it(client):
    html = client.get("/agency/FL-fort-myers-police-department/").text
    assert '<a href="/county/12071/">Lee County</a> <span class="sub">(FIPS 12071)</span>' in html
    assert '<a href="/es/county/12071/">' in client.get("/es/agency/FL-fort-myers-police-department/").text
    assert "Fort Myers Police Department" in page(client, "/county/12071/")


def test_an_agency_listed_before_says_its_status_now_with_a_provisional_removal_said_so(client):
    """St. Mary's County's sheriff left the list of 2026-02-27 am, provisionally (Maryland's ban): its county's
    page lists it before this list and says what it is now, in both languages and in the JSON."""
    html = page(client, "/county/24037/")
    assert (
        "St. Mary's County Sheriff's Office</a> (county, WSO): last listed 2026-02-17 · now: removed (provisional)"
        in html
    )
    assert "ahora: retirada (provisional)" in page(client, "/es/county/24037/")
    (before,) = client.get("/county/24037/index.json").json()["before"]
    assert before["now"] == {"status": "removed", "provisional": True}
    assert "Before this list" not in page(client, "/county/12045/?as_of=2025-03-01")  # the sheriff's TFM: 03-06
    lancaster = page(client, "/county/42071/?as_of=2025-07-26")  # East Donegal's constables, left out a few lists
    assert "(precinct, TFM): last listed 2025-07-24 · now: active" in lancaster
    town = page(client, "/place/?q=Coraopolis, PA")
    assert (
        "Coraopolis Borough Police Department</a> (city or town, TFM): last listed 2026-01-20 · now: removed<" in town
    )


def test_an_uncovered_county_says_so_in_both_languages(client):
    assert NO_AGREEMENT in page(client, "/county/41051/")
    es = page(client, "/es/county/41051/")
    assert 'lang="es"' in es and "Ninguna agencia de este condado tiene un acuerdo 287(g)" in es
    assert client.get("/county/41051/index.json").json()["covered_by"] == []


def test_every_county_of_the_gazetteer_has_a_page_and_others_are_404(client):
    fips = sorted(gazetteer().by_fips)
    assert len(fips) == 3242  # 3,144 counties and equivalents of the states and DC, and Puerto Rico's 78
    for code in fips[::300]:
        assert client.get(f"/county/{code}/").status_code == 200, code
    assert client.get("/county/99999/").status_code == 404
    assert client.get("/county/12071x/").status_code == 404


def test_the_lookup_sends_a_county_to_its_page_and_answers_a_town_or_zip_in_place(client):
    moved = client.get("/place/?q=Multnomah+County%2C+OR", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/county/41051/"
    moved = client.get("/es/place/?q=lee+county+fl", follow_redirects=False)
    assert moved.headers["location"] == "/es/county/12071/"
    tampa = page(client, "/place/?q=Tampa%2C+FL")
    assert "Tampa Police Department" in tampa and "Hillsborough County Sheriff" in tampa
    portland = page(client, "/place/?q=97204")
    assert "No agency in" in portland and "Multnomah" in portland
    which = page(client, "/place/?q=Tampa")
    assert "Tampa, KS" in which  # a name of several places lists them
    moved = client.get("/place/?q=Teller+County%2C+CO", follow_redirects=False)  # CO: Colorado, not "county"
    assert moved.status_code == 303 and moved.headers["location"] == "/county/08119/"


def test_the_places_api_has_the_documented_shape(client):
    found = client.get("/api/v1/places", params={"q": "Multnomah County, OR"}).json()
    assert {"kind", "name", "state", "county_fips", "as_of", "covered_by"} <= set(found)
    assert (found["kind"], found["county_fips"], found["covered_by"]) == ("county", "41051", [])
    lee = client.get("/api/v1/places/12071", params={"as_of": "2025-03-01"}).json()
    assert lee["as_of"] == "2025-02-26" and lee["asked"] == "2025-03-01"
    for c in lee["covered_by"]:
        assert {"agency_id", "name", "reach", "agreements"} <= set(c)
    assert client.get("/api/v1/places/OR").json()["kind"] == "state"
    assert (found["law"]["stance"], lee["law"]["stance"]) == ("ban", "mandate")  # Oregon's, Florida's
    assert client.get("/api/v1/places", params={"q": "Lee County"}).status_code == 404
    assert client.get("/api/v1/places").status_code == 400


def test_growth_on_home_state_and_county_against_a_year_before_and_inauguration_day(client, built_db):
    home = client.get("/index.json").json()["growth"]
    assert [a["name"] for a in home["against"]] == ["a year before", "2025-01-20"]
    with built_db.read() as conn:
        then = questions.as_of(conn, home["against"][0]["date"])
    assert home["against"][0]["agreements"] == then["agreements"]
    texas = client.get("/state/TX/index.json").json()["growth"]
    assert texas["agreements"] == client.get("/state/TX/index.json").json()["now"]["agreements"]
    for path in ("/", "/state/TX/", "/county/12071/"):
        assert "Inauguration Day, 2025-01-20" in client.get(path).text, path


def test_leaderboards_and_a_comparison_of_up_to_four_states(client):
    boards = client.get("/api/v1/leaderboards").json()
    per = boards["per_million"]
    assert per == sorted(per, key=lambda r: -r["agencies_per_million"])
    oris = [r["ori"] for r in boards["by_sworn"]]
    assert len(oris) == len(set(oris))  # two divisions of one state police share one FBI count, shown once
    assert "Leaderboards" in client.get("/leaderboards/").text
    rates = re.findall(r'<td class="num">([0-9.,]+)</td></tr>', client.get("/leaderboards/?as_of=2022-06-01").text)
    assert "1.0" in rates and "2.0" in rates  # a column of rates, each with its one decimal (Idaho, Florida)
    assert "12,0" in client.get("/es/leaderboards/").text  # Florida's, in Spanish
    both = client.get("/api/v1/compare", params={"states": "TX,FL"}).json()
    assert [s["state"] for s in both["states"]] == ["TX", "FL"]
    assert client.get("/api/v1/compare", params={"states": "TX,FL,GA,AL,CA"}).status_code == 400
    assert "Texas" in client.get("/compare/?states=TX,FL").text


def test_the_moving_map_has_every_list_since_2021_under_2_mb_compressed(client, built_db):
    data = client.get("/api/v1/map").content
    shapes = client.get("/api/v1/map/shapes").content
    assert len(gzip.compress(data)) + len(gzip.compress(shapes)) < 2_000_000
    frames = client.get("/api/v1/map").json()["frames"]
    assert frames[0]["date"].startswith("2021") and frames[-1]["date"] == "2026-02-27"
    with built_db.read() as conn:
        on = questions.as_of(conn, "2025-03-01")
    shown = [f for f in frames if f["date"] <= "2025-03-01"][-1]
    assert (shown["agencies"], shown["agreements"]) == (on["agencies"], on["agreements"])


def test_every_page_says_which_list_it_shows_how_old_and_when_ice_was_checked(client):
    for path in ("/", "/es/", "/state/TX/", "/county/41051/", "/agencies/", "/changes/"):
        html = client.get(path).text
        line = re.search(r'<p class="fresh" id="freshness">(.*?)</p>', html, re.S)
        assert line, path
        assert "2026-02-27 am" in line.group(1), path
    assert "never checked by this site" in client.get("/").text


def test_the_freshness_line_says_when_the_watcher_last_checked_ices_page(copy_of_built_db):
    """The watcher keeps its runs in the private state beside the database; the site reads the last one there."""
    db = connect(str(copy_of_built_db), create=False)
    with TestClient(create_app(str(copy_of_built_db))) as before:
        assert "never checked by this site" in before.get("/").text
    run = {"page": {"status": 200, "ok": True}}
    with db.private.begin() as conn:
        conn.execute(
            watch_run.insert().values(
                started_at="2026-03-01T14:32:28Z",
                finished_at="2026-03-01T14:32:40Z",
                page_url="https://www.ice.gov/287g",
                page_status="200",
                stored=0,
                alerts=0,
                report=json.dumps(run),
            )
        )
    db.dispose()
    with TestClient(create_app(str(copy_of_built_db))) as after:
        assert "ICE&#39;s page last checked 2026-03-01 14:32 UTC." in after.get("/").text


def test_cards_are_png_and_pages_offer_them(client):
    walker = "/cards/agency/GA-walker-county-sheriffs-office.png"
    for path in ("/cards/county/12071.png", "/cards/state/TX.png", walker):
        got = client.get(path)
        assert got.status_code == 200 and got.content.startswith(b"\x89PNG"), path
    assert client.get("/cards/county/99999.png").status_code == 404
    html = client.get("/county/12071/").text  # a county page names its state's card (the static site draws no county's)
    assert re.search(r'<meta property="og:image" content="[^"]*/cards/state/FL\.png">', html)
    assert re.search(r'<meta name="twitter:image" content="[^"]*/cards/state/FL\.png">', html)
    assert "/cards/county/" not in html
    state = client.get("/state/FL/").text
    assert 'src="/cards/state/FL.png"' in state and "Embed code" in state


def test_a_spanish_page_offers_a_spanish_card_drawn_at_the_preview_size(client):
    html = client.get("/es/state/TX/").text
    assert re.search(r'<meta property="og:image" content="[^"]*/es/cards/state/TX\.png">', html)
    assert 'src="/es/cards/state/TX.png"' in html
    for path in ("/es/cards/state/TX.png", "/es/cards/county/41051.png", "/es/cards/home.png"):
        spanish, english = client.get(path), client.get(path.removeprefix("/es"))
        assert spanish.status_code == 200 and spanish.headers["content-type"] == "image/png", path
        assert Image.open(io.BytesIO(spanish.content)).size == (1200, 630), path
        assert spanish.content != english.content, path  # other words, not the English card again
    county = previews.county_card(client.app.site, "41051", "es")
    assert county.title == "Acuerdos 287(g) en Multnomah County, OR"
    assert county.subtitle == "Ninguna agencia de este condado tiene un acuerdo 287(g)."
    home = previews.home_card(client.app.site, "es")
    assert re.fullmatch(r"\d\.\d{3}", home.figures[0][0]) and home.figures[0][1] == "acuerdos"  # 1.492


def test_the_spanish_search_index_names_states_in_spanish_and_keeps_the_english_name(client):
    english = {p["code"]: p for p in client.get("/search.json").json()["places"] if p["kind"] == "state"}
    spanish = {p["code"]: p for p in client.get("/es/search.json").json()["places"] if p["kind"] == "state"}
    assert english["NM"]["name"] == "New Mexico" and "also" not in english["NM"]
    assert spanish["NM"]["name"] == "Nuevo México" and spanish["NM"]["also"] == "New Mexico"
    assert spanish["NC"]["name"] == "Carolina del Norte" and spanish["TX"] == english["TX"]
    assert spanish["NM"]["url"] == "/state/NM/"  # the search box puts the page's language in front
    leeds = {a["id"]: a for a in client.get("/es/search.json").json()["agencies"]}["AL-leeds-police-department"]
    assert leeds["status"] == "withdrawn" and leeds["shown"] == language("es").label("agency-status", "withdrawn")


def test_search_forgives_typos_and_abbreviations_and_suggests(client):
    found = client.get("/agencies/index.json", params={"q": "Hilsborough"}).json()
    names = [a["name"] for a in found["agencies"]] + [a["name"] for a in found["near"]]
    assert any("Hillsborough" in n for n in names)
    marco = client.get("/agencies/index.json", params={"q": "Marco Island PD"}).json()
    assert any("Marco Island" in a["name"] for a in marco["agencies"] + marco["near"])
    multnomah = client.get("/agencies/?q=Multnomah").text
    assert "/county/41051/" in multnomah  # no agency, but the county's page says what covers it
    lost = client.get("/agency/FL-lee-county-sherif/")
    assert lost.status_code == 404 and "/agency/FL-lee-county-sheriffs-office/" in lost.text


def test_the_web_search_suggests_the_agency_a_typo_means(client):
    found = client.get("/agencies/index.json", params={"q": "Colier County"}).json()
    assert found["agencies"] == [] and [a["name"] for a in found["near"]] == ["Collier County Sheriff's Office"]
    found = client.get("/agencies/index.json", params={"q": "Hilsborough County Sheriff FL"}).json()
    assert [(a["name"], a["state"]) for a in found["near"]] == [("Hillsborough County Sheriff's Office", "FL")]


def test_a_judicial_circuit_s_prosecutor_is_placed_in_its_counties_not_given_statewide_reach(client):
    sixth = "Office of the State Attorney Sixth Judicial Circuit"  # Pasco and Pinellas Counties, FL
    assert sixth in client.get("/county/12101/").text and sixth in client.get("/county/12103/").text
    assert sixth not in client.get("/county/12071/").text  # Lee County: not one of its counties
    task_force = "16th Judicial District Drug Task Force"  # five Arkansas counties, not Monroe
    assert task_force not in client.get("/county/05095/").text and task_force in client.get("/county/05063/").text


@pytest.mark.parametrize(
    ("state", "fips"),
    [
        ("TX", "48073"),  # Cherokee County: its sheriff and Bullard's police (a town across two counties)
        ("FL", "12103"),  # Pinellas County: a judicial circuit's prosecutor covers it and Pasco County
        ("AR", "05119"),  # Pulaski County: state agencies seated in Little Rock are statewide, listed apart
        ("ID", "16053"),  # Jerome County: the state police, whose COUNTY cell names it, is statewide
    ],
)
def test_a_county_s_count_on_the_maps_is_the_number_of_local_agencies_its_page_lists(client, state, fips):
    county = client.get(f"/county/{fips}/index.json").json()
    local = [a for a in county["covered_by"] if a["reach"] != "state"]
    on_state_map = client.get(f"/state/{state}/index.json").json()["map"]["counties"].get(fips, 0)
    on_home_map = client.get("/index.json").json()["map"]["counties"].get(fips, 0)
    assert on_state_map == on_home_map == len(local)


def test_the_map_says_how_many_listed_agencies_it_places_in_no_county(client):
    """1,181 of the latest list's 1,251 agencies are in a county; the other 70, statewide agencies (those seated
    in a county included) and agencies no county is known for, are said to be off the map."""
    home = client.get("/index.json").json()
    assert (home["now"]["agencies"], home["map"]["unplaced_agencies"]) == (1251, 70)
    text = unescape(client.get("/").text)
    assert "70 agencies (state agencies, and lists without a COUNTY column) are not placed on the map." in text


def test_the_moving_map_counts_each_county_as_the_static_maps_and_the_county_pages_do(client):
    data = client.get("/api/v1/map").json()
    last = len(data["frames"]) - 1
    listed = {g[0] for g in data["agreements"] if any(a <= last <= b for a, b in g[2])}
    per_county: dict[str, int] = {}
    for k in listed:
        for fips in data["agencies"][k]["counties"]:
            per_county[fips] = per_county.get(fips, 0) + 1
    assert per_county == client.get("/index.json").json()["map"]["counties"]
