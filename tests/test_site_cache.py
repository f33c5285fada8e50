"""The web site's per-version cache (``web.site.Site.cached``) under concurrent requests, on a real SQLite database.

Requests run in a pool of threads: when many ask together for an answer not yet computed (a cold server's first
32 requests all needing the funding model), it is computed once and every thread gets that answer.
"""

from __future__ import annotations

import contextlib
import gc
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from track287g.store import connect
from track287g.web.site import Site


def test_threads_asking_together_for_a_missing_answer_compute_it_once(tmp_path):
    site = Site(connect(str(tmp_path / "t.db")))
    calls: list[str] = []
    start = threading.Barrier(16)

    def compute(conn) -> dict:
        calls.append(threading.current_thread().name)
        time.sleep(0.2)  # long enough for every other thread to arrive while this one computes
        return {"tables": conn.exec_driver_sql("select count(*) from sqlite_master").scalar()}

    def ask(_: int) -> dict:
        start.wait()
        return site.cached(("slow",), compute)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(ask, range(16)))
    assert len(calls) == 1
    assert all(a is answers[0] for a in answers)
    assert answers[0]["tables"] > 0
    assert site._computing == {}  # nothing left behind for the next version


def test_an_answer_that_fails_is_computed_again_by_the_next_request(tmp_path):
    site = Site(connect(str(tmp_path / "t.db")))
    attempts: list[int] = []

    def compute(conn) -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise LookupError("not there yet")
        return "there"

    with contextlib.suppress(LookupError):
        site.cached(("flaky",), compute)
    assert site.cached(("flaky",), compute) == "there"
    assert len(attempts) == 2


def _maker(where: list[str], cpu: float):
    """An answer that costs ``cpu`` seconds of its thread's CPU, noting the thread that made it."""

    def run() -> tuple[bytes, str]:
        where.append(threading.current_thread().name)
        start = time.thread_time()
        while time.thread_time() - start < cpu:
            pass
        return b"{}", "application/json"

    return run


def test_a_kind_of_answer_is_made_in_the_event_loop_while_its_recent_answers_are_quick_and_in_a_worker_when_slow(
    tmp_path,
):
    import anyio

    from track287g.web.app import QUICK, Web

    web = Web(Site(connect(str(tmp_path / "t.db"))))
    where: list[str] = []

    async def ask() -> str:
        await web.make(_maker(where, 0), "kind")  # the first of its kind: a worker thread
        await web.make(_maker(where, 0), "kind")  # quick so far: the event loop's thread
        await web.make(_maker(where, QUICK * 2), "kind")  # quick so far: the loop's, but it is slow
        await web.make(_maker(where, QUICK * 2), "kind")  # one slow answer of three is not the kind: the loop's
        await web.make(_maker(where, 0), "kind")  # two slow of four: the median is slow, a worker
        await web.make(_maker(where, 0), None)  # of no kind: always a worker
        return threading.current_thread().name

    loop = anyio.run(ask)
    assert [name == loop for name in where] == [False, True, True, True, False, False]


def test_answers_of_a_kind_not_yet_known_asked_together_wait_for_one_made_in_a_worker_then_are_made_in_the_loop(
    tmp_path,
):
    import anyio

    from track287g.web.app import Web

    web = Web(Site(connect(str(tmp_path / "t.db"))))
    where: list[str] = []

    async def ask() -> str:
        async with anyio.create_task_group() as tasks:
            for _ in range(32):
                tasks.start_soon(web.make, _maker(where, 0), "new")
        return threading.current_thread().name

    loop = anyio.run(ask)
    assert [name == loop for name in where] == [False] + [True] * 31


@contextlib.contextmanager
def _server_app(db_path, monkeypatch):
    """The app a server process makes (``app_from_env``), the collector's settings it changes put back after."""
    from track287g.config import DB_ENV
    from track287g.web.app import app_from_env

    monkeypatch.setenv(DB_ENV, str(db_path))
    thresholds = gc.get_threshold()
    try:
        app = app_from_env()
        try:
            yield app
        finally:
            app.site.close()
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_a_server_makes_the_agency_index_agreements_state_timelines_and_funding_figures_before_its_first_request(
    built_db_path, monkeypatch
):
    with _server_app(built_db_path, monkeypatch) as app:
        site = app.site
        assert len(site.peek(("index",))) == 1312
        assert len(site.peek(("agreements",))) == 1570
        assert len(site.peek(("state_timelines",))) == 44  # the states with an agreement on any list
        latest = [key for key in site._data if key[1] == "funding_places"]
        assert len(latest) == 1 and site._data[latest[0]]["available"]


def test_a_server_compiles_every_template_in_both_languages_and_reads_the_gazetteer_before_its_first_request(
    built_db_path, monkeypatch, tmp_path
):
    # a server's first agency answer read the counties' reference files (77 ms in the event loop, every request
    # behind it waiting) and each language's first page of a kind compiled its templates (about 0.3 s a language)
    from track287g.config import CACHE_ENV
    from track287g.enrich.counties import gazetteer
    from track287g.web.app import TEMPLATES

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    gazetteer.cache_clear()
    with _server_app(built_db_path, monkeypatch) as app:
        assert gazetteer.cache_info().currsize == 1
        web = app.app.state.web
        for env in web.envs.values():
            loaded = {name for (_, name) in env.cache}  # Jinja2's own cache of the templates it has loaded
            assert loaded >= set(TEMPLATES)
    assert len(list((tmp_path / "cache" / "templates").iterdir())) == len(TEMPLATES)  # one compiled file each


def test_a_server_on_a_database_without_a_list_starts_and_leaves_what_it_could_not_make_to_its_requests(
    tmp_path, monkeypatch
):
    empty = tmp_path / "empty.db"
    connect(str(empty)).dispose()  # the tables, no publication
    with _server_app(empty, monkeypatch) as app:
        assert app.site.peek(("index",)) == []  # no agency
        assert not [key for key in app.site._data if key[1] == "funding_places"]  # no list to estimate from


def test_the_site_reads_its_data_version_again_only_after_another_process_commits(tmp_path):
    from track287g.web.site import CHECK_EVERY

    site = Site(connect(str(tmp_path / "t.db")))
    before = site.version
    marker = site.db.commit_marker()
    time.sleep(CHECK_EVERY + 0.1)
    assert site.version == before and site.db.commit_marker() == marker  # nothing committed: the same
    other = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute(\"INSERT INTO build_info (key, value) VALUES ('note', 'rebuilt')\"); c.commit()"
    )
    subprocess.run([sys.executable, "-c", other, str(tmp_path / "t.db")], check=True)
    assert site.db.commit_marker() != marker
    time.sleep(CHECK_EVERY + 0.1)
    assert site.version != before  # the data version was read again: the build information changed
    site.close()
