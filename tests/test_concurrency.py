"""Two commands at once, on SQLite and on PostgreSQL: one writer at a time, readers never left without answer.

Real processes on one database: two ingests of different lists started together; an ingest while
``track287g serve`` answers requests; ``watch --once`` started while ``rebuild`` runs. Every list ends up
stored, nobody sees a raw database error, and the database ends exactly as a sequential run leaves it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import SmallRecord, copy_db, wipe_postgres
from tests.helpers import record_of
from tests.loopback import DATABASES, DOCLIB, POSTGRES_ENV, Site, html, ice_file, ice_page, xlsx
from tests.web.conftest import free_port
from track287g.pipeline import ingest_paths
from track287g.store import connect
from track287g.store.lock import LockHeld

RAW = ("Traceback", "IntegrityError", "OperationalError", "sqlalchemy", "INSERT INTO", "SELECT ")


def start(location: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "track287g", "--db", location, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def finish(proc: subprocess.Popen) -> tuple[str, str]:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert not any(word in out + err for word in RAW), err
    return out, err


def wait_until_writing(location: str, timeout: float = 120) -> bool:
    """Block until some process holds the database's writer lock (True), or give up (False)."""
    db = connect(location, create=False)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                with db.writing("probe", wait=False):
                    pass
            except LockHeld:
                return True
            time.sleep(0.05)
        return False
    finally:
        db.dispose()


@pytest.fixture(params=DATABASES)
def base(request, small_record: SmallRecord, tmp_path) -> str:
    """A database holding the small record's base lists, on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        return str(copy_db(small_record.base_db, tmp_path / "base.db"))
    url = os.environ.get(POSTGRES_ENV) or request.getfixturevalue("pg_url")
    wipe_postgres(url)
    db = connect(url)
    assert ingest_paths(db, [str(small_record.base)]).ok
    db.dispose()
    return url


def test_two_ingests_at_once_store_both_lists_and_end_as_a_sequential_run(base, small_record):
    first, second = sorted(small_record.new.iterdir())
    procs = [start(base, "ingest", str(first)), start(base, "ingest", str(second))]
    outputs = [finish(p) for p in procs]
    for _, err in outputs:  # at most the one line saying it waited
        assert all("is writing to" in line and line.endswith("waiting (--no-wait to stop instead)")
                   for line in err.splitlines() if line.strip()), err  # fmt: skip
    assert sorted(out.splitlines()[0] for out, _ in outputs) == ["1 file: 1 stored, 0 unchanged, 0 rejected"] * 2
    assert record_of(base) == record_of(small_record.with_new_db)


def _as_of(base_url: str) -> tuple:
    got = httpx.get(base_url + "/api/v1/as-of/2030-01-01", timeout=30)
    assert got.status_code == 200, got.text[:300]
    data = got.json()
    return data["publication"]["sha256"], data["agencies"], data["agreements"]


def test_an_ingest_while_the_server_answers_never_shows_a_reader_a_partial_record(base, small_record):
    ingest_paths(connect(base), [str(small_record.new)])
    port = free_port()
    server = start(base, "serve", "--port", str(port))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                before = _as_of(url)
                break
            except httpx.HTTPError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        writer = start(base, "ingest", str(small_record.third))
        seen = set()
        while writer.poll() is None:
            seen.add(_as_of(url))
        finish(writer)
        time.sleep(1.2)  # the server checks the data version once a second
        after = _as_of(url)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert before != after and seen <= {before, after}, seen - {before, after}
    assert before[1] > 0 and after[1] > 0


def test_watch_during_a_rebuild_waits_its_turn_and_stores_the_new_list(base, small_record, tmp_path):
    ingest_paths(connect(base), [str(small_record.new), str(small_record.third)])
    (fourth,) = small_record.fourth.iterdir()
    pending = "pendingAgencies01302026am.xlsx"  # already stored: the page links both kinds, as ICE's does
    ice = Site().start()
    try:
        links = [(ice.url(DOCLIB + fourth.name), "Participating"), (ice.url(DOCLIB + pending), "Pending")]
        ice.routes["/287g"] = html(ice_page(*links))
        ice.routes[DOCLIB + fourth.name] = xlsx(ice_file(fourth.name))
        ice.routes[DOCLIB + pending] = xlsx(ice_file(pending))
        rebuild = start(base, "rebuild")
        assert wait_until_writing(base), "the rebuild never took the lock"
        watch = start(base, "watch", "--once", "--url", ice.url("/287g"), "--retries", "0", "--no-exports")
        finish(rebuild)
        out, err = finish(watch)
    finally:
        ice.stop()
    assert f"stored    {fourth.name}" in out
    assert "is writing to" in err and "waiting" in err  # it started while the rebuild held the lock
    assert record_of(base) == record_of(small_record.with_all_db)
