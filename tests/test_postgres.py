"""The same code on PostgreSQL: a private cluster on loopback, started by the test (initdb + pg_ctl)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import PARTICIPATING, PENDING
from track287g.history import queries
from track287g.pipeline import ingest_paths
from track287g.store import connect
from track287g.store.db import table_counts


def _pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_url():
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not installed (scripts/test.sh installs them)")
    # outside pytest's root-only temp folder: the server runs as the postgres user when we are root
    base = Path(tempfile.mkdtemp(prefix="track287g-pg-"))
    data = base / "data"
    port = _free_port()
    as_postgres = os.geteuid() == 0  # initdb refuses to run as root
    if as_postgres:
        shutil.chown(base, "postgres")

    def run(*cmd: str) -> None:
        full = ["su", "postgres", "-c", " ".join(cmd)] if as_postgres else list(cmd)
        subprocess.run(full, check=True, capture_output=True, timeout=120)

    run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    opts = f"'-p {port} -k {data.parent} -c listen_addresses=127.0.0.1 -c fsync=off'"
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(data.parent / "log"), "-w", "start")
    deadline = time.time() + 30
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    while time.time() < deadline:
        try:
            connect(url).dispose()
            break
        except Exception:
            time.sleep(0.3)
    yield url
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
    shutil.rmtree(base, ignore_errors=True)


def test_ingest_history_and_queries_run_unchanged_on_postgresql(pg_url):
    db = connect(pg_url)
    files = [str(PENDING)] + [
        str(PARTICIPATING / n)
        for n in (
            "participatingAgencies01262026pm.xlsx",
            "participatingAgencies01272026am.xlsx",
            "participatingAgencies02272026am.xlsx",
        )
    ]
    report = ingest_paths(db, files)
    assert report.ok and report.history["agreements"] > 1000
    with db.read() as conn:
        result = queries.as_of(conn, "2026-01-26")
        view = queries.agency_view(conn, queries.find_agency(conn, "marco island  police department"))
        before = table_counts(conn)
    assert (result["agreements"], result["models"]["TFM"]) == (1372, 764)
    assert view["agency_id"] == "FL-marco-island-police-department"
    again = ingest_paths(db, files)
    with db.read() as conn:
        assert table_counts(conn) == before
    assert {r.status for r in again.results} == {"unchanged"}
    db.dispose()
