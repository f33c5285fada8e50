"""Atom feeds of changes (all, per state, per agency) are valid Atom (RFC 4287)."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest
from starlette.testclient import TestClient

from track287g.web import create_app

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def check_atom(body: bytes) -> ET.Element:
    root = ET.fromstring(body)
    assert root.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{name}")) == 1, name
    assert RFC3339.match(root.find(f"{A}updated").text)
    assert root.find(f"{A}author/{A}name").text
    assert root.find(f"{A}link[@rel='self']") is not None
    ids = set()
    for entry in root.findall(f"{A}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{name}")) == 1, name
        assert RFC3339.match(entry.find(f"{A}updated").text)
        assert entry.find(f"{A}link[@rel='alternate']") is not None or entry.find(f"{A}content") is not None
        assert entry.find(f"{A}id").text not in ids
        ids.add(entry.find(f"{A}id").text)
    return root


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/changes.atom",
        "/feeds/state/TX.atom",
        "/feeds/state/VT.atom",
        "/feeds/agency/GA-walker-county-sheriffs-office.atom",
    ],
)
def test_feeds_are_valid_atom(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    root = check_atom(r.content)
    if "VT" not in path:
        assert root.findall(f"{A}entry")


def test_feeds_parse_with_feedparser(client):
    feedparser = pytest.importorskip("feedparser")
    parsed = feedparser.parse(client.get("/feeds/changes.atom").content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and parsed.entries


def test_agency_feed_lists_its_own_changes(client):
    root = check_atom(client.get("/feeds/agency/GA-walker-county-sheriffs-office.atom").content)
    text = " ".join(e.find(f"{A}summary").text for e in root.findall(f"{A}entry"))
    assert "Walker County Sheriff's Office" in text


@pytest.mark.parametrize(
    "path,status", [("/feeds/state/ZZ.atom", 404), ("/feeds/agency/nope.atom", 404), ("/feeds/changes.atom?x=1", 400)]
)
def test_feed_errors(client, path, status):
    assert client.get(path).status_code == status


def test_the_feed_leads_with_the_latest_publication_of_either_list_and_links_absolutely(client):
    root = check_atom(client.get("/feeds/changes.atom").content)
    first = root.find(f"{A}entry")
    assert first.find(f"{A}title").text.startswith("ICE participating list 2026-02-27 am")  # not January's pending
    links = [e.get("href") for e in root.iter(f"{A}link")]
    assert links and all(href.startswith("http://testserver/") for href in links)


def test_a_site_given_its_public_address_links_its_feeds_to_that_address_not_to_the_host_asked(built_db_path):
    with TestClient(create_app(str(built_db_path), "https://t.example")) as c:
        root = check_atom(c.get("/feeds/state/TX.atom").content)
    links = [e.get("href") for e in root.iter(f"{A}link")]
    assert "https://t.example/feeds/state/TX.atom" in links and "https://t.example/state/TX/" in links
    assert all(href.startswith("https://t.example/") for href in links), links[:3]


def test_an_agency_feed_is_titled_by_the_agencys_name(client):
    root = check_atom(client.get("/feeds/agency/GA-walker-county-sheriffs-office.atom").content)
    assert root.find(f"{A}title").text == "ICE 287(g) lists: changes for Walker County Sheriff's Office (GA)"


@pytest.mark.parametrize(
    "path,target",
    [
        ("/agency/MI-berrian-county-sheriffs-office/", "/agency/MI-berrien-county-sheriffs-office/"),
        ("/es/agency/MI-berrian-county-sheriffs-office/", "/es/agency/MI-berrien-county-sheriffs-office/"),
        (
            "/api/v1/agencies/MA-crow-wing-county-sheriffs-office",
            "/api/v1/agencies/MN-crow-wing-county-sheriffs-office",
        ),
        (
            "/feeds/agency/MO-dogulas-county-sheriffs-office.atom",
            "/feeds/agency/MO-douglas-county-sheriffs-office.atom",
        ),
    ],
)
def test_a_former_agency_id_redirects_to_the_id_it_carries_now(client, path, target):
    r = client.get(path, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (301, target)
    assert client.get(path).status_code == 200
