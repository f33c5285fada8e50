"""The money page and API (what might a county get, with a range, a scenario and its permalink) and the claims
page (each claim's source, the place and agency claims with their evidence), in English, in Spanish, and by
clicking in a real browser."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from track287g import messages
from track287g.i18n import language


def test_every_stage_message_has_a_spanish_version_with_the_same_placeholders():
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    es = language("es")
    missing = sorted(code for code, text in messages.TEMPLATES.items() if not es.translated(text))
    assert missing == []
    assert all(fields(text) == fields(es.translations.gettext(text)) for text in messages.TEMPLATES.values())


def test_the_funding_api_answers_for_a_county_with_a_range_and_the_inputs_of_each_agency(client):
    body = client.get("/api/v1/funding?state=FL&county=Lee County").json()["funding"]
    assert body["level"] == "county" and body["place"]["fips"] == "12071"
    fig = body["figure"]
    assert 0 < fig["low"] < fig["central"] < fig["high"]
    assert sum(a["central"] for a in body["agencies"]) == fig["central"]  # the agencies add up to the county
    sheriff = next(a for a in body["agencies"] if a["agency_id"] == "FL-lee-county-sheriffs-office")
    assert sheriff["inputs"]["sworn"] == 803 and sheriff["inputs"]["size_rule"] == "roster"
    assert (
        sheriff["inputs"]["officers"]
        > next(a for a in body["agencies"] if "sanibel" in a["agency_id"])["inputs"]["officers"]
    )  # a bigger agency, more officers
    assert body["drivers"] and body["assumptions"]["officers.claim_percent"]["source"]


def test_a_county_whose_one_time_payments_fell_in_an_earlier_year_says_why_they_are_0(client):
    """Lee County's Task Force Model agencies all became operational in 2025: equipment and vehicles, paid once,
    are 0 in 2026, and the answer says why; in 2025 they are counted and the note is not there."""
    body = client.get("/api/v1/funding?state=FL&county=12071").json()["funding"]
    assert body["components"]["equipment"]["central"] == body["components"]["vehicles"]["central"] == 0
    assert body["notes"][-1] == {"code": "funding.note.one-time", "values": {"start": "2026-01-01"}}
    agency = client.get("/api/v1/funding?agency=FL-lee-county-sheriffs-office").json()["funding"]
    assert agency["notes"][-1]["code"] == "funding.note.one-time"
    earlier = client.get("/api/v1/funding?state=FL&county=12071&year=2025").json()["funding"]
    assert earlier["components"]["equipment"]["central"] > 0
    assert "funding.note.one-time" not in {n["code"] for n in earlier["notes"]}
    nation = client.get("/api/v1/funding").json()["funding"]
    assert "funding.note.one-time" not in {n["code"] for n in nation["notes"]}
    english = client.get("/money/?state=FL&county=12071").text
    assert "Equipment and vehicles are paid once, when an agency becomes operational" in english
    spanish = client.get("/es/money/?state=FL&county=12071").text
    assert "El equipo y los vehículos se pagan una sola vez" in spanish and "antes del 2026-01-01" in spanish


def test_a_year_before_the_reimbursements_started_says_why_its_figure_is_0(client):
    before = client.get("/api/v1/funding?year=2024").json()["funding"]
    assert before["figure"]["central"] == 0
    assert before["notes"][-1] == {"code": "funding.note.before-program", "values": {"start": "2025-10-01"}}
    county = client.get("/api/v1/funding?state=FL&county=12071&year=2024").json()["funding"]
    assert "funding.note.one-time" not in {n["code"] for n in county["notes"]}  # nothing became operational then
    assert "funding.note.before-program" not in {
        n["code"] for n in client.get("/api/v1/funding?year=2025").json()["funding"]["notes"]
    }
    page = client.get("/money/?as_of=2022-06-01").text  # the page as of an old list costs that list's year
    assert "The reimbursements start 2025-10-01: nothing is paid in a period that ends before it" in page


def test_a_scenario_changes_the_answer_and_bad_fields_are_400s(client):
    base = client.get("/api/v1/funding?state=FL&county=12071").json()["funding"]["figure"]
    more = client.get("/api/v1/funding?state=FL&county=12071&claim=100&award=90").json()["funding"]
    assert more["figure"]["central"] > base["central"]
    assert more["scenario_fields"] == {"claim": "100", "award": "90"}
    bad = client.get("/api/v1/funding?claim=150")
    assert bad.status_code == 400 and "claim" in bad.json()["error"]
    assert client.get("/api/v1/funding?state=FL&county=Atlantis").status_code == 404  # no such county: not found
    nobody = client.get("/api/v1/funding?agency=g%5C")  # an id that starts with no state names no agency
    assert nobody.status_code == 404 and "no such agency" in nobody.json()["error"], nobody.text
    assert client.get("/api/v1/funding?county=Lee County").status_code == 400  # a county's name needs its state
    assert client.get("/api/v1/funding?county=12071").json()["funding"]["place"]["state"] == "FL"


def test_the_state_figure_is_its_counties_its_state_agencies_and_its_projected_sign_ups(client):
    body = client.get("/api/v1/funding?state=FL").json()["funding"]
    assert body["figure"]["central"] == sum(body["parts"].values())
    assert sum(c["central"] for c in body["counties"]) == body["parts"]["counties"]
    nation = client.get("/api/v1/funding").json()["funding"]
    assert sum(s["central"] for s in nation["states"]) == nation["figure"]["central"]


def test_the_money_page_has_the_scenario_form_the_permalink_and_labelled_assumptions(client):
    html = client.get("/money/?state=FL&county=12071&claim=90").text
    assert 'id="scenario"' in html and 'name="award"' in html and 'name="growth"' in html
    assert 'id="permalink" href="/money/?state=FL&amp;county=12071&amp;claim=90"' in html
    assert "Share of officers claimed" in html and '<th scope="row">salary and benefits</th>' in html
    assert '<th scope="row">salary_benefits' not in html  # components named, not keyed
    assert "Lee County Sheriff&#39;s Office" in html or "Lee County Sheriff's Office" in html
    es = client.get("/es/money/?state=FL&county=12071").text
    assert "Su escenario" in es and "Proporción de agentes reclamados" in es
    assert "Share of officers claimed" not in es and "Your scenario" not in es


def test_agency_and_state_pages_show_their_estimate(client):
    html = client.get("/agency/FL-lee-county-sheriffs-office/").text
    assert "Estimated federal payments to this agency" in html
    assert "/money/?state=FL&amp;county=12071" in html  # its county's estimate
    assert "803 sworn officers (FBI Law Enforcement Employees, 2025, ORI FL0360000)" in html
    state = client.get("/state/FL/").text
    assert "Estimated federal payments in 2026 to Florida&#39;s Task Force Model agencies" in state


def test_the_claims_page_names_each_source_and_shows_the_evidence(client):
    html = client.get("/claims/").text
    assert "NBC News" in html and "FWD.us" in html and "data/claims/sources/nbc-news-report.txt" in html
    assert html.count('class="claim"') == 11
    assert "+950%" in html and "+916.3%" in html  # a percent claim stays a percent
    assert "ever named Dallas Police Department (TX)" in html
    assert "No agency of Montgomery County, MD" in html
    assert "Louisiana State Police Department" in html
    assert "(it says 850)" in html  # the comment's count re-added
    assert "consistent, not proven" in html and "lists 38 signed agreements with a task-force model" in html
    assert "the sheriff&#39;s office of 67 of FL&#39;s 67 counties holds an agreement" in html
    es = client.get("/es/claims/").text
    assert "coincide" in es and "Publicado por" in es and "matches" not in es
    assert "concuerda, sin probarse" in es and "la postura obligación" in es and "67 de los 67 condados de FL" in es


def test_the_claims_answer_names_its_files_never_a_folder_of_the_machine_that_built_it(client):
    answer = client.get("/claims/index.json")
    files = {f["file"] for c in answer.json()["claims"]["claims"] for f in c["figures"]}
    assert "2026-01-agencies-trained.yaml" in files and all("/" not in f for f in files)
    assert str(Path(__file__).resolve().parents[2]) not in answer.text


@pytest.mark.usefixtures("server")
def test_a_reader_finds_what_lee_county_florida_might_get_by_clicking(page, server):
    page.goto(server + "/money/")
    page.locator("#places a", has_text="FL").click()
    page.wait_for_url("**/money/?state=FL")
    page.locator("#places a", has_text="Lee County").click()
    page.wait_for_url("**/money/?state=FL&county=12071")
    assert page.locator("#place").inner_text() == "Lee County, Florida"
    estimate = page.locator("#estimate").inner_text()
    assert "Estimated federal payments in 2026" in estimate and "range" in estimate and "million" in estimate
    page.locator("#scenario select[name=award]").select_option("90")
    page.locator("#scenario input[name=claim]").fill("100")
    page.locator("#scenario button").click()
    page.wait_for_url("**/money/?state=FL&county=12071&*award=90*")
    permalink = page.locator("#permalink").get_attribute("href")
    assert permalink == "/money/?state=FL&county=12071&claim=100&award=90"
    assert page.locator("#estimate").inner_text() != estimate
    assert page.outside == [], page.outside
    assert page.errors == [], page.errors


def test_the_claims_page_shows_sources_and_place_claims_in_a_browser(page, server):
    page.goto(server + "/claims/")
    assert page.locator("#claim-agencies-2026-01-26 .source").inner_text().startswith("Printed by NBC News")
    for claim in ("dallas-police", "montgomery-county-md", "louisiana-state-agencies"):
        box = page.locator(f"#claim-{claim}")
        assert box.locator(".verdict").inner_text().startswith("matches")
        assert "Publications searched" in box.locator("details.evidence").inner_text()
    assert page.outside == []


def test_the_state_page_says_its_figure_includes_projected_sign_ups_and_shows_listed_and_projected_apart(client):
    en, es = language("en"), language("es")
    state = client.get("/api/v1/funding?state=TX").json()["funding"]
    listed = state["parts"]["counties"] + state["parts"]["no_county"]
    projected = state["parts"]["projected"]
    assert projected > 0 and listed + projected == state["figure"]["central"]
    html = client.get("/state/TX/").text
    assert "those on ICE&#39;s latest list and the new ones projected to sign up" in html
    assert (
        f"Of the central figure, {en.money(listed)} is for the {len(state['agencies'])} agencies on the list and "
        f"{en.money(projected)} is projected for agencies that have not signed yet." in html
    )
    spanish = client.get("/es/state/TX/").text
    assert "las nuevas que se proyecta que firmen" in spanish
    assert f"{es.money(listed)} corresponden a las {len(state['agencies'])} agencias de la lista" in spanish
    assert f"{es.money(projected)} se proyectan para agencias que aún no han firmado" in spanish
    money = client.get("/money/?state=TX").text  # the money page says the same of the same figure
    assert f"{en.money(listed)} is for the {len(state['agencies'])} agencies on the list" in money
    assert "Projected new agencies (not yet signed, so in no county)" in money


def test_the_money_pages_state_rows_show_listed_and_projected_and_the_footer_adds_the_columns_up(client):
    en = language("en")
    nation = client.get("/api/v1/funding").json()["funding"]
    html = client.get("/money/").text
    table = html[html.index('<table id="places">') : html.index("</table>", html.index('<table id="places">'))]
    assert "For the agencies on the list" in table and "For projected new agencies" in table
    tx = next(s for s in nation["states"] if s["state"] == "TX")
    row = table[table.index('state=TX">TX</a>') :]
    row = row[: row.index("</tr>")]
    cells = [en.money(tx["parts"]["counties"] + tx["parts"]["no_county"]), en.money(tx["parts"]["projected"])]
    assert all(f'<td class="num">{c}</td>' in row for c in [*cells, en.money(tx["central"])]), row
    foot = table[table.index("<tfoot>") :]
    assert "All states" in foot and "Listed agencies" not in foot
    assert sum(s["parts"]["counties"] + s["parts"]["no_county"] for s in nation["states"]) == nation["parts"]["listed"]
    for figure in (nation["parts"]["listed"], nation["parts"]["projected"], nation["figure"]["central"]):
        assert f'<td class="num">{en.money(figure)}</td>' in foot
    assert "to the agencies on ICE&#39;s latest list and to the new ones projected to sign up" in html
    county = client.get("/money/?state=FL&county=12071").text
    assert "new agencies projected for the state are in no county until they sign" in county


def test_a_law_claim_says_what_was_checked_beside_a_quote_that_does_not_say_it(client):
    page = client.get("/claims/").text
    assert "Checked beside the quote (which does not say it): the state-law table&#39;s stance for Florida is" in page
    assert "On ICE&#39;s list of 2026-01-26 pm, the sheriff&#39;s office of 67 of FL&#39;s 67 counties" in page
