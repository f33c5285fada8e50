"""A site published under a path (``--base-url https://example.github.io/track287g``, as GitHub Pages publishes a
project's site): every address a page links, loads or sends a form to, and every redirect, begins with the path;
the static copy served from under that path works in a browser (search, the moving map), and the server answers
its addresses with the path (a proxy that passes it on) or without it (a proxy that takes it off)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from tests.helpers import free_port, static_host
from tests.web.test_browser_places import MAP_READY
from track287g.web import create_app

ROOT = "/track287g"
ADDRESS = re.compile(r'\s(?:href|src|action)="(/[^"]*)"')


def addresses(html: str) -> set[str]:
    """The root-relative addresses a page links, loads or sends a form to."""
    return {a.replace("&amp;", "&") for a in ADDRESS.findall(html) if not a.startswith("//")}


@pytest.fixture(scope="module")
def rooted(built_db_path) -> TestClient:
    with TestClient(create_app(str(built_db_path), "https://t.example" + ROOT), follow_redirects=False) as c:
        yield c


@pytest.mark.parametrize(
    "path",
    ["/", "/state/TX/", "/es/agency/GA-walker-county-sheriffs-office/", "/downloads/", "/api/", "/documents/"],
)
def test_every_address_a_page_names_begins_with_the_sites_path(rooted, path):
    page = rooted.get(path)
    assert page.status_code == 200
    found = addresses(page.text)
    assert found and all(a.startswith(ROOT + "/") for a in found), sorted(a for a in found if not a.startswith(ROOT))
    assert f'data-root="{ROOT}"' in page.text  # what the scripts put before the addresses they make
    assert f'<link rel="canonical" href="https://t.example{ROOT}{path}">' in page.text


def test_the_server_answers_an_address_with_the_sites_path_or_without_it(rooted):
    bare, rooted_page = rooted.get("/state/TX/"), rooted.get(ROOT + "/state/TX/")
    assert bare.status_code == rooted_page.status_code == 200 and bare.text == rooted_page.text
    assert rooted.get(ROOT + "/api/v1/agencies/GA-walker-county-sheriffs-office").json()["state"] == "GA"
    assert rooted.get(ROOT + "/static/site.js").status_code == 200
    missing = rooted.get(ROOT + "/nowhere/")
    assert missing.status_code == 404 and 'id="lang-switch">Español' in missing.text
    assert f'href="{ROOT}/es/" hreflang="es" lang="es" id="lang-switch"' in missing.text
    assert "index.json" not in missing.text  # no JSON twin of a missing address
    for asked in (ROOT + "/state/TX", "/state/TX"):
        moved = rooted.get(asked)
        assert moved.status_code == 308 and moved.headers["location"] == ROOT + "/state/TX/", asked
    former = rooted.get(ROOT + "/agency/MI-berrian-county-sheriffs-office/")
    assert former.status_code == 301
    assert former.headers["location"] == ROOT + "/agency/MI-berrien-county-sheriffs-office/"
    feed = rooted.get(ROOT + "/feeds/state/TX.atom").text
    assert f'href="https://t.example{ROOT}/state/TX/"' in feed


def test_a_path_with_characters_an_address_escapes_is_named_escaped_and_asked_either_way(built_db_path):
    with TestClient(create_app(str(built_db_path), 'https://t.example/our "site"')) as c:
        page = c.get("/our%20%22site%22/state/TX/")
    assert page.status_code == 200
    assert 'data-root="/our%20%22site%22"' in page.text
    assert addresses(page.text) and all(a.startswith("/our%20%22site%22/") for a in addresses(page.text))


def test_a_static_copy_published_under_a_path_works_from_there_in_a_browser(built_db_path, tmp_path, page):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    host = tmp_path / "host"  # the host's root; the copy is its folder track287g/
    exe = Path(sys.executable).with_name("track287g")
    folder = host / ROOT.strip("/")
    command = [str(exe), "--db", str(built_db_path), "build-site", str(folder), "--base-url", base + ROOT]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout + done.stderr
    with static_host(host, port, under=ROOT):
        # every address of these pages is a file of the copy, under the path; the error page's too (a host serves
        # it at any missing address: it names no twin of its own address)
        for path in ("/", "/es/state/TX/", "/agency/GA-walker-county-sheriffs-office/", "/downloads/", "/404.html"):
            found = addresses(httpx.get(base + ROOT + path).text)
            assert found and all(a.startswith(ROOT + "/") for a in found), path
            for address in sorted(found):
                got = httpx.head(base + address.split("?")[0].split("#")[0])
                assert got.status_code == 200, (path, address, got.status_code)
        failed: list[str] = []
        page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(base + ROOT + "/")
        page.wait_for_selector("[data-map][data-ready=true]", state="attached", timeout=MAP_READY)
        page.get_by_label("Find an agency, a county or a state").fill("walker county sheriff GA")
        result = page.locator("#q-results a", has_text="Walker County Sheriff's Office (GA)")
        result.wait_for()
        result.click()
        page.wait_for_url(f"**{ROOT}/agency/GA-walker-county-sheriffs-office/")
        assert page.locator("h1").inner_text() == "Walker County Sheriff's Office"
        page.locator("#lang-switch").click()
        page.wait_for_url(f"**{ROOT}/es/agency/GA-walker-county-sheriffs-office/")
        assert failed == [] and page.outside == [] and page.errors == [], (failed, page.outside, page.errors)
