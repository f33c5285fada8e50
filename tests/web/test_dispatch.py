"""The routes tried by the address's leading words choose the route Starlette's list, tried in order, chooses."""

from __future__ import annotations

import pytest
from starlette.routing import BaseRoute, Match

from track287g.publish import static_site
from track287g.web import create_app
from track287g.web.dispatch import CHOSEN, Dispatch, literal_words

ODD = [
    "/",
    "",
    "//",
    "/nope",
    "/es",
    "/es/",
    "/es/nope/deeper",
    "/api",
    "/api/v1",
    "/api/v1/",
    "/api/v1/nope",
    "/api/v1/agencies/TX-harris-county-sheriff-s-office/extra",
    "/api/v1/as-of/2025-06-01.csv",
    "/api/v1/states/TX.json",
    "/state/TX",
    "/state/TX/index.json",
    "/states",
    "/agency/",
    "/static/site.css",
    "/static/vendor/maplibre-gl/maplibre-gl.js",
    "/static/",
    "/downloads/files/listings-2025.parquet",
    "/downloads/files/a/b/c",
    "/documents/abc.pdf",
    "/robots.txt",
    "/sitemap.xml",
    "/search.json",
    "/es/search.json",
    "/cards/agency/x.png",
    "/es/feeds/agency/x.atom",
    "/feeds/changes.atom/",
]


def scanned(routes: list[BaseRoute], scope: dict) -> BaseRoute | None:
    """The route Starlette's router takes: the first that matches fully, else the first that matches partly."""
    partial = None
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return route
        if match is Match.PARTIAL and partial is None:
            partial = route
    return partial


def chosen(dispatch: Dispatch, scope: dict) -> BaseRoute | None:
    match, child = dispatch.matches(scope)
    return None if match is Match.NONE else child[CHOSEN]


@pytest.fixture(scope="module")
def app(built_db_path):
    return create_app(str(built_db_path))


def test_the_app_routes_through_one_dispatch_of_every_route(app):
    (dispatch,) = app.app.routes
    assert isinstance(dispatch, Dispatch)
    assert len(dispatch.routes) > 150


def test_every_address_of_the_site_goes_to_the_route_the_list_in_order_would_choose(app):
    (dispatch,) = app.app.routes
    site = app.site
    addresses = {address for address, _ in static_site.addresses(site)}
    assert len(addresses) > 5000
    more = set(ODD)
    for address in addresses:  # each without and with its last slash, and a word too many
        more.add(address.rstrip("/") if address.endswith("/") else address + "/")
        more.add(address + "/more")
    tried = 0
    for address in sorted(addresses | more):
        path = address.split("?")[0]
        for method in ("GET", "POST"):
            scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}
            assert chosen(dispatch, scope) is scanned(dispatch.routes, scope), (method, path)
            tried += 1
    assert tried > 20000


def test_a_route_is_tried_only_under_its_literal_words(app):
    (dispatch,) = app.app.routes
    tried = dispatch.candidates("/api/v1/agencies/TX-harris-county-sheriff-s-office")
    assert len(tried) < 10  # of about 200
    assert all(literal_words(r)[:1] in ([], ["api"]) for r in tried)
    assert [r.path for r in dispatch.candidates("/")] == ["/"]


def test_an_address_routed_by_the_dispatch_answers_as_before(client):
    assert client.get("/api/v1/agencies/no-such-agency").status_code == 404
    assert client.post("/api/v1/stats").status_code == 405
    r = client.get("/state/TX", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"].endswith("/state/TX/")
    assert client.get("/nothing/here").status_code == 404
    assert client.get("/static/site.css").status_code == 200
