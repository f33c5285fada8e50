"""``track287g build-site``: the whole site as files, both languages, JSON twins, API resources and feeds, preview
cards, sitemap and robots.txt, no file over a static host's limit; built again, an unchanged record writes nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from track287g.normalize import tables


def test_build_site_writes_every_page_and_its_links_resolve(built_db_path, tmp_path):
    target = tmp_path / "site"
    exe = Path(sys.executable).with_name("track287g")
    command = [str(exe), "--db", str(built_db_path), "build-site", str(target), "--base-url", "https://t.example"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
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
    assert any(p.name.endswith(".csv.gz") for p in (target / "downloads" / "files").iterdir())

    again = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0 and "unchanged since the last build" in again.stdout, again.stdout + again.stderr
