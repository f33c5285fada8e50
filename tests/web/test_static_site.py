"""``track287g build-site``: the whole site as files, both languages, JSON twins, API resources and feeds, preview
cards for the home, state and agency pages (Spanish pages, Spanish cards; a county's pages name its state's),
sitemap and robots.txt, no file over a static host's limit; the county, place, leaderboard and comparison pages and
the moving map's data served by a plain static server; built again, an unchanged record writes nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
from PIL import Image

from track287g.normalize import tables

from ..helpers import static_host


def test_build_site_writes_every_page_and_its_links_resolve(built_db_path, tmp_path):
    target = tmp_path / "site"
    exe = Path(sys.executable).with_name("track287g")
    command = [str(exe), "--db", str(built_db_path), "build-site", str(target), "--base-url", "https://t.example"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)  # cards in two languages
    assert done.returncode == 0, done.stdout + done.stderr
    assert " written (" in done.stdout and " MB on disk; largest " in done.stdout, done.stdout
    for lang in ("", "es/"):
        assert (target / lang / "index.html").exists()
        for code in tables.states():
            assert (target / lang / "state" / code / "index.html").exists(), code
        assert (target / lang / "agency" / "GA-walker-county-sheriffs-office" / "index.html").exists()
    assert json.loads((target / "api/v1/agencies.json").read_text())["paging"]["total"] > 1000
    assert (target / "api/v1/openapi.json").exists()
    assert (target / "feeds/changes.atom").read_bytes().startswith(b"<?xml")
    assert (target / "search.json").exists() and (target / "static/site.css").exists()
    assert (target / "404.html").exists()
    home = (target / "index.html").read_text()
    for href in set(re.findall(r'href="(/[^"?#]*)"', home)):
        local = target / href.lstrip("/")
        assert local.exists() or (local / "index.html").exists(), href
    sizes = [p.stat().st_size for p in target.rglob("*") if p.is_file()]
    assert max(sizes) < 25_000_000
    shown = re.search(r"\(([\d.]+) MB on disk", done.stdout)
    assert shown and float(shown.group(1)) == round(sum(sizes) / 1e6, 1)

    assert '<link rel="canonical" href="https://t.example/">' in home
    assert '<meta property="og:image" content="https://t.example/cards/home.png">' in home
    assert '<meta name="twitter:card" content="summary_large_image">' in home
    agency = (target / "agency" / "GA-walker-county-sheriffs-office" / "index.html").read_text()
    assert 'content="https://t.example/cards/agency/GA-walker-county-sheriffs-office.png"' in agency
    for card in ("cards/home.png", "cards/state/TX.png", "cards/agency/GA-walker-county-sheriffs-office.png"):
        assert (target / card).read_bytes().startswith(b"\x89PNG"), card
    sitemap = (target / "sitemap.xml").read_text()
    assert "<loc>https://t.example/agency/GA-walker-county-sheriffs-office/</loc>" in sitemap
    assert "Sitemap: https://t.example/sitemap.xml" in (target / "robots.txt").read_text()
    # the feeds link the address given too (they named the host build-site asks its pages of), and so does every
    # other file of the copy
    feed = (target / "feeds" / "state" / "TX.atom").read_text()
    assert '<link rel="self" href="https://t.example/feeds/state/TX.atom" />' in feed
    assert '<link rel="alternate" type="text/html" href="https://t.example/state/TX/" />' in feed
    texts = [p for p in target.rglob("*") if p.suffix in {".html", ".atom", ".json", ".xml", ".txt", ".csv"}]
    assert not [str(p) for p in texts if b"site.local" in p.read_bytes()][:5]
    assert any(p.name.endswith(".csv.gz") for p in (target / "downloads" / "files").iterdir())

    # the Spanish pages name Spanish cards and a Spanish search index, both in the copy
    spanish = (target / "es" / "state" / "TX" / "index.html").read_text()
    assert 'content="https://t.example/es/cards/state/TX.png"' in spanish
    for card in ("es/cards/home.png", "es/cards/state/TX.png"):
        assert Image.open(target / card).size == (1200, 630), card
    # cards for the home, state and agency pages only: a county's pages name its state's, and every card a page
    # names is a file of the copy
    assert not (target / "cards" / "county").exists()
    county = (target / "es" / "county" / "41051" / "index.html").read_text()
    assert '<meta property="og:image" content="https://t.example/es/cards/state/OR.png">' in county
    named = set()
    for page in target.rglob("index.html"):
        named.update(
            re.findall(r'<meta (?:property="og:image"|name="twitter:image") content="([^"]+)">', page.read_text())
        )
    assert named and all(url.startswith("https://t.example/") for url in named)
    missing = [url for url in named if not (target / url.removeprefix("https://t.example/")).is_file()]
    assert not missing, missing[:5]
    assert any(p["name"] == "Nuevo México" for p in json.loads((target / "es/search.json").read_text())["places"])
    # the places pages and the moving map's data, served by a plain static server as they are
    with static_host(target) as base:
        for path in ("/county/12071/", "/es/county/41051/", "/place/", "/leaderboards/", "/es/compare/"):
            got = httpx.get(base + path)
            assert got.status_code == 200 and got.headers["content-type"].startswith("text/html"), path
        assert "No agency in this county has a 287(g) agreement" in httpx.get(base + "/county/41051/").text
        assert httpx.get(base + "/county/12071/index.json").json()["county_fips"] == "12071"
        frames = httpx.get(base + "/api/v1/map.json").json()
        assert frames and httpx.get(base + "/api/v1/map/shapes.json").status_code == 200
        assert httpx.get(base + "/static/vendor/maplibre-gl/maplibre-gl-csp.js").status_code == 200
        assert httpx.get(base + "/es/cards/agency/GA-walker-county-sheriffs-office.png").content.startswith(b"\x89PNG")

    again = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0 and "unchanged since the last build" in again.stdout, again.stdout + again.stderr
