"""Agency names are data from outside: markup in a name is shown as text everywhere (pages, JSON, feeds)."""

from __future__ import annotations

import sqlite3

from starlette.testclient import TestClient

from track287g.web import create_app

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)> Sheriff\'s "Office" & Co'


def test_markup_in_an_agency_name_is_escaped(copy_of_built_db):
    with sqlite3.connect(copy_of_built_db) as db:
        db.execute("UPDATE agency SET name = ? WHERE agency_id = 'GA-walker-county-sheriffs-office'", (EVIL,))
        db.execute(
            "UPDATE agency_spelling SET spelling = ? WHERE agency_id = 'GA-walker-county-sheriffs-office'", (EVIL,)
        )
    with TestClient(create_app(str(copy_of_built_db))) as client:
        pages = [
            "/agency/GA-walker-county-sheriffs-office/",
            "/es/agency/GA-walker-county-sheriffs-office/",
            "/state/GA/",
            "/agencies/?q=sheriff",
            "/pending/",
        ]
        for path in pages:
            html = client.get(path).text
            assert "<script>alert" not in html and "<img src=x" not in html, path
        html = client.get(pages[0]).text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
        feed = client.get("/feeds/agency/GA-walker-county-sheriffs-office.atom")
        assert feed.status_code == 200 and b"<script>" not in feed.content
        data = client.get("/api/v1/agencies/GA-walker-county-sheriffs-office").json()
        assert data["name"] == EVIL
        assert client.get("/search.json").status_code == 200


def test_a_template_reads_a_dicts_keys_as_jinja_does_and_its_methods_stay_methods():
    from track287g.i18n import Language
    from track287g.web.app import Web

    env = Web.environment(Language("en", markup=True), reload=False)
    page = env.from_string("{{ d.name }}|{{ d.missing is undefined }}|{{ d.items() | list | length }}|{{ o.real }}")
    assert page.render(d={"name": "<b>", "items": "not the method"}, o=3) == "&lt;b&gt;|True|2|3"
