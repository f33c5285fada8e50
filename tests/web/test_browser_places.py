"""The reader's questions in a real browser (Debian's chromium via Playwright, the real server on loopback): my
county, my town, my ZIP code from the home page; the moving map through time and by keyboard; axe-core on the
new pages in both languages; phones. No request leaves the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from track287g import questions

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
MAP_READY = 180_000  # ms: MapLibre on software WebGL, on a machine shared by several test runs


def look_up(page, server, text: str) -> None:
    page.set_default_timeout(120_000)  # a town's first lookup reads the ZIP table; the machine is shared
    page.goto(server + "/")
    page.get_by_label("Is my county or town covered?").fill(text)
    page.get_by_role("button", name="Look up").click(no_wait_after=True)


def test_a_covered_county_from_the_home_page(page, server):
    look_up(page, server, "Lee County, FL")
    page.wait_for_url("**/county/12071/")
    verdict = page.locator("#verdict").inner_text()
    assert "local agencies cover Lee County, FL on ICE's list of 2026-02-27 am" in verdict
    assert page.locator("table a", has_text="Lee County Sheriff's Office").count() == 1
    assert page.locator("#freshness").inner_text().startswith("Figures from ICE's participating list published")
    assert page.outside == [] and page.errors == [], (page.outside, page.errors)


def test_an_uncovered_county_from_the_typeahead(page, server):
    page.set_default_timeout(120_000)
    page.goto(server + "/")
    page.get_by_label("Is my county or town covered?").fill("multnomah")
    page.locator("#where-results a", has_text="Multnomah County, OR").click()
    page.wait_for_url("**/county/41051/")
    assert "No agency in this county has a 287(g) agreement" in page.locator("#verdict").inner_text()
    assert page.outside == [] and page.errors == [], (page.outside, page.errors)


def test_a_city_and_a_zip_code_from_the_home_page(page, server):
    look_up(page, server, "Tampa, FL")
    page.wait_for_url("**/place/?q=Tampa*")
    assert page.locator("table a", has_text="Tampa Police Department").count() == 1
    look_up(page, server, "33901")
    page.wait_for_url("**/place/?q=33901")
    assert page.locator("table a", has_text="Fort Myers Police Department").count() == 1
    page.locator("p.sub a", has_text="Lee County, FL").click()
    page.wait_for_url("**/county/12071/")
    assert page.outside == [] and page.errors == [], (page.outside, page.errors)


def test_an_agency_as_of_a_date_from_its_page_s_form(page, server):
    page.set_default_timeout(120_000)
    page.goto(server + "/agency/FL-orange-county-sheriffs-office/")
    page.get_by_label("Show this agency as of a date").fill("2025-03-10")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**/agency/FL-orange-county-sheriffs-office/?as_of=2025-03-10")
    said = page.locator("#as-of").inner_text()
    assert "ICE's participating list in force that day, published 2025-03-07 am, listed 1 agreement" in said
    assert page.locator(".events .later").count() == 1
    assert page.outside == [] and page.errors == [], (page.outside, page.errors)


def test_the_map_moves_to_a_date_and_by_keyboard(page, server, built_db):
    page.goto(server + "/?as_of=2025-03-01")
    page.wait_for_selector("[data-map][data-ready=true]", state="attached", timeout=MAP_READY)
    status = page.locator(".map-status")
    with built_db.read() as conn:
        on = questions.as_of(conn, "2025-03-01")
    assert status.get_attribute("data-date") == "2025-02-26"  # the list in force on 2025-03-01
    assert int(status.get_attribute("data-agencies")) == on["agencies"]
    assert int(status.get_attribute("data-agreements")) == on["agreements"]
    assert page.locator("#map-fallback").is_hidden()
    slider = page.get_by_label("List shown")
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert status.get_attribute("data-date") == "2025-03-06"
    assert "as_of=2025-03-06" in page.url  # the frame is a permalink
    page.keyboard.press("End")
    assert status.get_attribute("data-date") == "2026-02-27" and "as_of" not in page.url
    assert status.text_content().startswith("ICE's list of 2026-02-27 am: ")  # words, not HTML ("ICE&#39;s")
    # the canvas takes the keyboard: focused, it names the mark under the crosshair; Enter opens it
    page.locator(".map-canvas canvas").focus()
    for _ in range(3):
        page.keyboard.press("+")
    page.wait_for_timeout(1500)
    tip = page.locator(".map-tip a")
    if tip.is_visible():
        href = tip.get_attribute("href")
        page.keyboard.press("Enter")
        page.wait_for_url("**" + href.split("?")[0] + "*")
    assert page.outside == [] and page.errors == [], (page.outside, page.errors)


@pytest.mark.parametrize("lang", ["", "/es"])
def test_axe_finds_no_serious_issue_on_the_reader_pages(browser, server, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    found = {}
    for path in (
        "/",
        "/state/TX/",
        "/county/12071/",
        "/county/41051/",
        "/agency/GA-walker-county-sheriffs-office/",
        "/agency/PA-franklin-county-sheriffs-office/?as_of=2025-08-11",
        "/leaderboards/",
        "/compare/?states=TX,FL",
        "/place/?q=Tampa%2C+FL",
    ):
        pg.goto(server + lang + path)
        pg.add_script_tag(path=str(AXE))
        found[path] = pg.evaluate(
            "axe.run().then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"
        )
    context.close()
    assert all(not v for v in found.values()), found


def test_the_reader_pages_fit_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    for path in (
        "/county/12071/",
        "/place/?q=33901",
        "/leaderboards/",
        "/compare/?states=TX,FL,GA,AL",
        "/agency/FL-lee-county-sheriffs-office/",
        "/agency/AL-franklin-county-sheriffs-office/?as_of=2025-09-01",
        "/es/county/41051/",
    ):
        pg.goto(server + path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 2, (path, overflow)
    context.close()
