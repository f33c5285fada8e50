"""``track287g build-site``: the whole site as files, both languages, JSON twins, API resources and feeds."""

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
    done = subprocess.run(
        [str(exe), "--db", str(built_db_path), "build-site", str(target)], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "wrote" in done.stdout
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
