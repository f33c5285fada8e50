"""Fixtures for the web tests: the app over the built database (in process), and the real server on loopback."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from track287g.web import create_app

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def client(built_db_path) -> TestClient:
    with TestClient(create_app(str(built_db_path))) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/api/v1/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start: " + (proc.stdout.read().decode() if proc.stdout else ""))
            time.sleep(0.2)
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
