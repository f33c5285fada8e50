"""The wheel is the product: built from the checkout, installed into a fresh virtual environment outside it, it
builds the record from the bundled archive, writes the downloads, serves pages, the API, a feed and a download, checks
the claims, and stops within seconds of SIGTERM.

The fresh environment gets the wheel alone (``pip install --no-deps``); its dependencies are those already installed
for the tests, reached through a ``.pth`` line (a plain directory on ``sys.path``: the checkout's editable install
in there is not activated). Installing them from the registry takes about ten minutes here; that was measured by hand.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import sysconfig
import time
import venv
import zipfile
from pathlib import Path

import httpx
import pytest

from .helpers import free_port, wait_until_serving

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = dist.glob("track287g-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, Path, dict]:
    """(the fresh venv's bin folder, an empty working folder outside the checkout, the environment to run in)."""
    root = tmp_path_factory.mktemp("fresh")
    assert not root.is_relative_to(REPO)
    venv.create(root / "venv", with_pip=True)
    bin_dir = root / "venv" / "bin"
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    purelib = subprocess.run(
        [str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    work = root / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACK287G_", "PYTHON", "VIRTUAL_ENV"))}
    return bin_dir, work, env | {"PYTHONUNBUFFERED": "1"}


def run(installed, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    bin_dir, work, env = installed
    return subprocess.run(
        [str(bin_dir / "track287g"), *args], cwd=work, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_the_wheel_carries_templates_static_files_shapes_card_fonts_the_archive_and_the_claims(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"track287g/web/templates/base.html", "track287g/web/static/site.css", "track287g/web/shapes.json"} <= names
    fonts = ("inter-latin-400-normal.woff", "inter-latin-700-normal.woff", "LICENSE.txt")
    assert {f"track287g/publish/fonts/inter/{f}" for f in fonts} <= names  # the cards' regular and bold faces
    assert sum(n.startswith("track287g/data/archive/") for n in names) > 400
    assert any(n.startswith("track287g/data/claims/") and n.endswith(".yaml") for n in names)
    assert any(n.startswith("track287g/data/reference/") for n in names)
    documents = {"track287g/web/templates/documents.html", "track287g/web/templates/document.html"}
    moa = {"MANIFEST.csv", "OCR-TRANSCRIPTS.jsonl", "287gJEM_CecilCoMD2020-03-09.pdf"}
    assert documents | {f"track287g/data/archive/moa/{n}" for n in moa} <= names  # the MOAs build from the wheel
    assert not any(n.endswith((".db", ".pyc")) or "-exports/" in n for n in names)


def test_from_the_wheel_outside_the_checkout_build_serve_download_and_stop(installed):
    bin_dir, work, env = installed
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import track287g, sys; print(track287g.__file__); print(sys.path)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(bin_dir.parent)) and str(REPO / "src") not in where, where

    built = run(installed, "build")
    assert built.returncode == 0, built.stderr
    assert "track287g database" in built.stdout and "downloads: " in built.stdout, built.stdout
    assert (work / "track287g.db").is_file() and (work / "track287g-exports").is_dir()

    claims = run(installed, "check-claims", "--json")
    assert claims.returncode == 0, claims.stderr
    assert '"verdict"' in claims.stdout

    money = run(installed, "funding", "--state", "FL", "--by", "none", "--json")
    assert money.returncode == 0, money.stderr
    estimate = json.loads(money.stdout)
    assert estimate["low"] <= estimate["central"] <= estimate["high"], estimate

    port = free_port()
    server = subprocess.Popen(
        [str(bin_dir / "track287g"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server, 90)
        with httpx.Client(base_url=base, timeout=30) as http:
            for path in ("/", "/es/", "/static/site.css", "/api/v1/agencies?state=FL", "/feeds/changes.atom"):
                assert http.get(path).status_code == 200, path
            listing = http.get("/downloads/index.json").json()["files"]["bulk"]
            assert listing["state"] == "ready", listing
            first = next(f for f in listing["files"] if f["name"] == "agencies.csv")
            got = http.get(first["url"])
            assert got.status_code == 200 and len(got.content) == first["bytes"]
            assert got.text.startswith("agency_id,")
        stop = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        assert time.monotonic() - stop < 5  # the target is 2 s; the margin is for a machine shared with other work
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_from_the_wheel_build_site_writes_a_site_a_static_host_can_serve(installed):
    """``build-site`` from the installed wheel: pages in both languages, the sitemap, the preview cards and the
    downloads, nothing over a static host's 25 MB per file; a second run finds nothing to write."""
    work = installed[1]
    if not (work / "track287g.db").is_file():
        assert run(installed, "build", "--no-exports").returncode == 0
    first = run(installed, "build-site", "site", "--base-url", "https://example.org/287g")
    assert first.returncode == 0, first.stderr
    site = work / "site"
    for page in ("index.html", "es/index.html", "state/FL/index.html", "sitemap.xml", "robots.txt"):
        assert (site / page).is_file(), page
    assert any(site.rglob("*.png")), "no preview cards"
    assert "https://example.org/287g/state/FL/" in (site / "sitemap.xml").read_text()
    assert max(p.stat().st_size for p in site.rglob("*") if p.is_file()) <= 25_000_000
    again = run(installed, "build-site", "site", "--base-url", "https://example.org/287g")
    assert again.returncode == 0 and "unchanged" in again.stdout, again.stdout
