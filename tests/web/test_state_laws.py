"""State laws on the site: each state page shows its law row (unverified rows greyed, with a note), the national
page sets states by stance beside their agreements, and the API and its CSV carry the same rows."""

from __future__ import annotations

import csv
import html
import io


def test_a_state_page_shows_its_law_with_the_source(client):
    page = client.get("/state/FL/").text
    assert "State law on 287(g)" in page
    assert "Fla. Stat. § 908.11" in page
    assert 'href="https://www.flsenate.gov/Laws/Statutes/2024/0908.11"' in page
    assert "<strong>mandate</strong>" in page and "verified" in page
    assert "Unverified:" not in page


def test_an_unverified_row_is_greyed_and_says_so(client):
    page = client.get("/state/MN/").text
    assert 'class="law unverified"' in page
    assert "Unverified: this row rests on inference or conflicting reports" in page


def test_a_state_without_a_row_says_it_was_not_researched(client):
    assert "in the table of state laws: not researched" in client.get("/state/AK/").text


def test_the_spanish_state_page_translates_the_stance(client):
    page = client.get("/es/state/TX/").text
    assert "Ley estatal sobre el 287(g)" in page and "<strong>obligación</strong>" in page


def test_the_spanish_state_page_says_the_law_s_summary_in_spanish_and_the_english_page_in_english(client):
    page = html.unescape(client.get("/es/state/TX/").text)
    assert "El sheriff de cada condado que gestiona una cárcel, o la contrata, debe solicitar" in page
    assert "The sheriff of each county that operates a jail" not in page
    assert "los resúmenes se redactaron en inglés y se tradujeron al español" in page
    english = html.unescape(client.get("/state/TX/").text)
    assert "The sheriff of each county that operates a jail, or contracts for one, must request" in english
    assert "El sheriff de cada condado" not in english


def test_the_national_page_sets_stances_beside_agreements_with_the_method(client):
    page = html.unescape(client.get("/").text)
    assert "Agreements by the stance of the state's law on 287(g)" in page
    assert "Mandate states before and after the law" in page
    assert "Method: agreements in the state on ICE's last list published before the law's date" in page
    assert '<tr class="unverified">' in page


def test_the_api_gives_a_state_its_law_and_lists_states_by_stance(client):
    law = client.get("/api/v1/states/TX").json()["law"]
    assert (law["stance"], law["effective_date"], law["confidence"]) == ("mandate", "2026-01-01", "verified")
    listed = client.get("/api/v1/laws", params={"stance": "ban"}).json()
    assert [s["state"] for s in listed["states"]] == ["CA", "DE", "IL", "MD", "ME", "NJ", "NM", "OR", "WA"]
    totals = {g["stance"]: g for g in listed["by_stance"]}
    every_state = client.get("/api/v1/states").json()["states"]
    assert sum(g["now"] for g in totals.values()) == sum(s["now"]["agreements"] for s in every_state)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/laws.csv").text)))
    assert len(rows) == 40 and {"stance", "source_url", "confidence", "agreements"} <= set(rows[0])


def test_the_api_gives_the_mandate_states_before_and_after(client):
    effect = client.get("/api/v1/laws/effect").json()
    tx = next(r for r in effect["states"] if r["state"] == "TX")
    assert (tx["before"]["agreements"], tx["after"]["agreements"]) == (259, 317)


def test_an_agency_page_names_its_states_law_beside_its_status(client):
    """St. Mary's County's WSO left ICE's list after Maryland's ban took effect: the page says the law, in both
    languages, with a link to the state's page; the page's JSON carries the same row."""
    page = html.unescape(client.get("/agency/MD-st-marys-county-sheriffs-office/").text)
    line = page.split("<dt>State law</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert line.startswith("ban · ")
    assert "Md. HB 444 / SB 245 (2026)" in line and "effective 2026-02-17" in line and "a source says so" in line
    assert '<a href="/state/MD/#law-h">the law on the state\'s page</a>' in line
    spanish = html.unescape(client.get("/es/agency/MD-st-marys-county-sheriffs-office/").text)
    line = spanish.split("<dt>Ley estatal</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert line.startswith("prohibición · ") and "en vigor 2026-02-17" in line
    assert '<a href="/es/state/MD/#law-h">la ley en la página del estado</a>' in line
    law = client.get("/agency/MD-st-marys-county-sheriffs-office/index.json").json()["law"]
    assert (law["state"], law["stance"], law["effective_date"]) == ("MD", "ban", "2026-02-17")


def test_an_agency_page_of_a_state_not_researched_shows_no_law(client):
    assert "State law" not in client.get("/agency/KS-bureau-of-investigation/").text
    assert client.get("/agency/KS-bureau-of-investigation/index.json").json()["law"] is None


def test_a_county_page_and_a_town_s_page_say_their_state_s_law(client):
    """A reader asking whether their place is covered learns the state's law there too: St. Mary's County (MD)
    has no agreement left on the latest list, and Maryland bans them; a Florida ZIP code's page says Florida's
    mandate, in Spanish."""
    page = html.unescape(client.get("/county/24037/").text)
    line = page.split('<p class="sub law-line">', 1)[1].split("</p>", 1)[0]
    assert line.startswith("State law: ban · ") and "effective 2026-02-17" in line
    assert '<a href="/state/MD/#law-h">' in line
    assert client.get("/county/24037/index.json").json()["law"]["stance"] == "ban"
    spanish = html.unescape(client.get("/es/place/", params={"q": "33901"}).text)
    assert '<p class="sub law-line">Ley estatal: obligación · ' in spanish
    assert "law-line" not in client.get("/county/20001/").text  # Kansas: not in the table
