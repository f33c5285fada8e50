"""The site in a real browser (Debian's chromium via Playwright) against the real server on loopback: search,
open an agency, switch to Spanish, follow a state link; no request leaves the machine."""

from __future__ import annotations


def test_search_agency_switch_language_follow_state(page, server):
    page.goto(server + "/")
    assert page.locator("h1").inner_text().startswith("ICE 287(g) agreements")
    page.get_by_label("Find an agency, a county or a state").fill("walker county sheriff GA")
    result = page.locator("#q-results a", has_text="Walker County Sheriff's Office (GA)")
    result.wait_for()
    result.click()
    page.wait_for_url("**/agency/GA-walker-county-sheriffs-office/")
    assert page.locator("h1").inner_text() == "Walker County Sheriff's Office"
    assert page.locator("a[href*='WalkerCoSheriffsOfficeGA_JEM_MOA']").count() == 1
    page.locator("#lang-switch").click()
    page.wait_for_url("**/es/agency/GA-walker-county-sheriffs-office/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", name="Acuerdos").count() == 1
    page.locator("nav.crumbs a", has_text="Georgia").click()
    page.wait_for_url("**/es/state/GA/")
    assert "287(g) en Georgia" in page.locator("h1").inner_text()
    assert page.locator("svg.map path.co.on").count() > 10
    assert page.outside == [], page.outside
    assert page.errors == [], page.errors


def test_form_search_without_script_results(page, server):
    page.goto(server + "/es/agencies/?q=galveston")
    assert page.locator("table a", has_text="Galveston").count() >= 1
    assert page.outside == []


def test_without_script_the_national_map_links_states(browser, server):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server + "/")
    pg.locator("svg.map a[href='/state/TX/']").click()
    pg.wait_for_url("**/state/TX/")
    assert "Texas" in pg.locator("h1").inner_text()
    context.close()


def test_keyboard_reaches_the_skip_link_and_search(page, server):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "where"  # the place lookup comes first
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("galveston")
    page.keyboard.press("Enter")
    page.wait_for_url("**/agencies/?q=galveston")
    assert page.locator("table a", has_text="Galveston").count() >= 1


def test_every_form_control_has_a_label(page, server):
    for path in ("/", "/agencies/", "/changes/", "/state/TX/", "/es/pending/"):
        page.goto(server + path)
        unlabeled = page.evaluate(
            """() => [...document.querySelectorAll('input, select')]
                .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length))
                .filter(el => !el.getAttribute('aria-label'))
                .map(el => el.name)"""
        )
        assert unlabeled == [], (path, unlabeled)


def test_usable_on_a_phone(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    for path in ("/", "/state/TX/", "/agency/GA-walker-county-sheriffs-office/", "/es/changes/"):
        pg.goto(server + path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 2, (path, overflow)
    context.close()


def test_no_page_makes_an_outside_request(page, server):
    for path in (
        "/",
        "/es/",
        "/states/",
        "/state/FL/",
        "/changes/",
        "/pending/",
        "/publications/",
        "/methodology/",
        "/api/",
    ):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    assert page.outside == [], page.outside
    assert page.errors == [], page.errors


SPANISH = (
    "/es/",
    "/es/states/",
    "/es/state/LA/",
    "/es/agencies/?state=TX",
    "/es/agency/GA-walker-county-sheriffs-office/",
    "/es/changes/?type=re-dated",
    "/es/pending/",
    "/es/methodology/",
    "/es/api/",
    "/es/money/?state=FL&county=12071",
    "/es/claims/",
)


def test_spanish_pages_pass_the_english_leak_test_in_the_browser(page, server, names):
    """What chromium shows once the scripts have run, read by the same test as the server's pages."""
    from tests.web.english import english_in, texts

    problems = {}
    for path in SPANISH:
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "es"
        found = english_in(texts(page.content()), names)
        if found:
            problems[path] = found
    page.goto(server + "/es/")
    page.get_by_label("Busque una agencia, un condado o un estado").fill("zzzz qqqq")
    page.locator("#q-results li", has_text="Ninguna agencia coincide.").wait_for()
    page.get_by_label("Busque una agencia, un condado o un estado").fill("walker county sheriff GA")
    page.locator("#q-results a[href^='/es/agency/']").first.wait_for()
    assert english_in(texts(page.content()), names) == []
    assert problems == {}
    assert page.outside == [] and page.errors == [], (page.outside, page.errors)
