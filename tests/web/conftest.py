"""Fixtures for the web tests: the app over the built database (in process), and the real server on loopback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from starlette.testclient import TestClient

from track287g.web import create_app

from ..helpers import free_port, wait_until_serving

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def client(built_db_path) -> TestClient:
    with TestClient(create_app(str(built_db_path))) as c:
        yield c


@pytest.fixture(scope="session")
def server(built_db_path) -> str:
    """``track287g serve`` in its own process on a free loopback port; yields its base address."""
    port = free_port()
    exe = Path(sys.executable).with_name("track287g")
    proc = subprocess.Popen(
        [str(exe), "--db", str(built_db_path), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def names(built_db) -> re.Pattern:
    """Proper names in the record (agencies, spellings, counties): data, not English prose (``english.py``)."""
    from tests.web.english import record_names

    with built_db.read() as conn:
        return record_names(conn)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is missing: scripts/test.sh installs it (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@pytest.fixture
def page(browser, server):
    """A tab (1280x900) in its own context: requests that would leave loopback are refused and listed in
    ``page.outside``, script errors in ``page.errors``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.outside = outside
    pg.errors = errors
    yield pg
    context.close()
