"""The watcher's commands as cron, a systemd timer or CI run them: real processes, one database, one lock."""
# the lock is the database's writer lock (track287g.store.lock), shared with ingest, build and rebuild

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from tests.loopback import DOCLIB, Reply, Site, html, ice_file, ice_page, xlsx
from track287g.store import connect
from track287g.store.schema import provenance, publication

P1, Q1 = "participatingAgencies02102026am.xlsx", "pendingAgencies01292026pm.xlsx"
CLI = [sys.executable, "-c", "from track287g.cli import main; main()"]


@pytest.fixture(scope="module")
def site():
    server = Site().start()
    yield server
    server.stop()


@pytest.fixture
def ice(site):
    site.reset()
    site.routes["/287g"] = html(ice_page(*[(site.url(DOCLIB + n), "Download") for n in (P1, Q1)]))
    for n in (P1, Q1):
        site.routes[DOCLIB + n] = xlsx(ice_file(n), etag=f'"{n}"')
    return site


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "cli.db"


def track287g(db_path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, "--db", str(db_path), *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def watch_once(db_path, ice: Site, *extra: str, exports: bool = False) -> subprocess.CompletedProcess:
    """One ``watch --once`` run; the bulk downloads (written by default) only when ``exports``."""
    flags = () if exports else ("--no-exports",)
    timeout = 600 if exports else 120
    return track287g(
        db_path, "watch", "--once", "--url", ice.url("/287g"), "--retries", "0", *flags, *extra, timeout=timeout
    )


def counts(db_path) -> tuple[int, int]:
    db = connect(str(db_path), create=False)
    with db.read() as conn:
        found = tuple(conn.execute(select(func.count()).select_from(t)).scalar_one() for t in (publication, provenance))
    db.dispose()
    return found


def test_watch_once_json_prints_one_object_with_the_runs_findings_and_writes_the_downloads(ice, db_path):
    done = watch_once(db_path, ice, "--json", "--contact", "ops@example.org", exports=True)
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    report = json.loads(line)
    assert {"page", "links", "stored", "unchanged", "rejected", "events", "alerts"} <= set(report)
    assert report["page"]["status"] == 200
    assert [s["name"] for s in report["stored"]] == [P1, Q1]
    assert report["unchanged"] == [] and report["rejected"] == [] and isinstance(report["events"], int)
    assert "contact: ops@example.org" in ice.requests[0].headers["user-agent"]
    (written,) = db_path.parent.glob(f"{db_path.stem}-exports/*/manifest.json")  # the new version's downloads
    assert "agencies.csv" in written.read_text()


def test_watch_once_prints_what_it_stored_for_a_person(ice, db_path):
    done = watch_once(db_path, ice)
    assert done.returncode == 0, done.stderr
    assert f"stored    {P1}: participating list published 2026-02-10 am, 1,376 rows" in done.stdout
    again = watch_once(db_path, ice)
    assert f"unchanged {Q1}: not modified since the last check" in again.stdout
    assert "nothing new" in again.stdout


def test_an_alert_fails_the_run_and_reaches_output_and_log(ice, db_path, tmp_path):
    ice.routes["/287g"] = html("<html><body>Page moved</body></html>")
    log = tmp_path / "watch.log"
    done = watch_once(db_path, ice, "--log-file", str(log))
    assert done.returncode == 1
    assert "ALERT no participating or pending list link found" in done.stdout
    assert "Traceback" not in done.stderr
    assert "ERROR: ALERT: no participating or pending list link found" in log.read_text()
    as_json = watch_once(db_path, ice, "--json")
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["alerts"]
    assert "ALERT: no participating or pending list link found" in as_json.stderr


def test_a_run_s_summary_counts_in_words_that_fit(ice, db_path):
    ice.routes["/287g"] = html("<html><body>Page moved</body></html>")
    assert watch_once(db_path, ice).returncode == 1
    done = track287g(db_path, "watch-status", "--runs", "1")
    assert done.returncode == 0, done.stderr
    assert "0 list links, 0 stored, 0 unchanged, 0 rejected, 0 events, 1 request, 1 alert" in done.stdout


def test_a_watcher_told_not_to_wait_exits_3_with_one_line_while_another_command_writes(ice, db_path):
    db = connect(str(db_path))
    with db.writing("ingest"):
        done = watch_once(db_path, ice, "--no-wait")
    db.dispose()
    assert done.returncode == 3
    assert done.stderr.startswith("error: another track287g (ingest, pid ")
    assert "is writing to" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert ice.requests == []  # it fetched nothing


def _hold_lock(db_path, seconds: float) -> threading.Thread:
    taken = threading.Event()

    def hold() -> None:
        db = connect(str(db_path))
        with db.writing("rebuild"):
            taken.set()
            time.sleep(seconds)
        db.dispose()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(10)
    return thread


def test_a_second_watcher_waits_saying_so_and_runs_when_the_first_is_done(ice, db_path):
    holder = _hold_lock(db_path, 6)
    done = watch_once(db_path, ice)
    holder.join()
    assert done.returncode == 0, done.stderr
    assert "another track287g (rebuild, pid " in done.stderr and "; waiting" in done.stderr
    assert counts(db_path) == (2, 2)


def test_a_watcher_given_a_wait_limit_gives_up_after_it(ice, db_path):
    holder = _hold_lock(db_path, 10)
    started = time.monotonic()
    done = watch_once(db_path, ice, "--wait", "1")
    took = time.monotonic() - started
    holder.join()
    assert done.returncode == 3 and took < 9
    assert done.stderr.strip().endswith("gave up after waiting 1 s")


def test_two_watchers_started_together_never_double_ingest(ice, db_path):
    connect(str(db_path)).dispose()  # create the schema first, as a deployed database has it
    ice.routes["/287g"].delay = 0.5  # both are surely running at once
    args = ["--db", str(db_path), "watch", "--once", "--json", "--url", ice.url("/287g")]
    procs = [subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in "ab"]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outputs]
    reports = [json.loads(out) for out, _ in outputs]
    assert sorted(len(r["stored"]) for r in reports) == [0, 2]
    assert counts(db_path) == (2, 2)


def test_a_writer_killed_with_sigkill_leaves_no_lock_behind(ice, db_path):
    connect(str(db_path)).dispose()
    code = (
        "import sys, time; from track287g.store import connect\n"
        f"db = connect({str(db_path)!r})\n"
        "with db.writing('ingest'):\n    print('locked', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    assert watch_once(db_path, ice, "--no-wait").returncode == 3
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    done = watch_once(db_path, ice, "--no-wait")  # no expiry to wait for: the kernel dropped the lock
    assert done.returncode == 0, done.stderr
    assert counts(db_path) == (2, 2)


def test_the_loop_runs_at_its_interval_and_stops_after_its_runs(ice, db_path):
    started = time.monotonic()
    done = track287g(db_path, "watch", "--url", ice.url("/287g"), "--interval", "1s", "--runs", "2", "--json")
    assert done.returncode == 0, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert len(first["stored"]) == 2 and second["stored"] == [] and len(second["unchanged"]) == 2
    assert time.monotonic() - started >= 1.0


def test_the_watcher_writes_an_atom_feed_after_each_run(ice, db_path, tmp_path):
    feed = tmp_path / "feed.atom"
    assert watch_once(db_path, ice, "--feed", str(feed)).returncode == 0
    text = feed.read_text()
    # 1,376 agreements added, 8 of them approvals of the pending list's applications (dated by this list)
    assert text.count("<entry>") == 2 and "<title>ICE participating list 2026-02-10 am: 1384 changes</title>" in text


def test_subscribe_and_list_subscriptions_from_the_command_line(db_path):
    done = track287g(db_path, "subscribe", "webhook", "https://example.org/hook", "--state", "fl", "--secret", "s")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "subscribed: #1 webhook https://example.org/hook (state FL), signed"
    shown = track287g(db_path, "subscriptions")
    assert shown.stdout.splitlines() == [
        "#1 webhook https://example.org/hook (state FL), signed: 0 delivered, 0 waiting, 0 given up",
        "1 subscription",
    ]
    listed = track287g(db_path, "subscriptions", "--json")
    (sub,) = json.loads(listed.stdout)
    assert sub["url"] == "https://example.org/hook" and sub["signed"] is True and "secret" not in sub
    assert track287g(db_path, "unsubscribe", "1").returncode == 0
    assert json.loads(track287g(db_path, "subscriptions", "--json").stdout) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["subscribe", "webhook", "not-a-url"], "error: webhook URL must be http:// or https:// with a host"),
        (["subscribe", "webhook", "https://example.org/h", "--state", "XX"], "error: unknown state 'XX'"),
        (["unsubscribe", "42"], "error: no active subscription #42"),
        (["watch", "--once", "--interval", "soon"], "error: not a duration: 'soon'"),
        (["watch", "--once", "--url", "file:///etc/passwd"], "error: --url must be an http:// or https:// address"),
    ],
)
def test_bad_input_gets_one_clear_line(db_path, args, message):
    done = track287g(db_path, *args)
    assert done.returncode == 2
    assert done.stderr.startswith(message) and len(done.stderr.strip().splitlines()) == 1


def test_watch_status_shows_runs_and_watched_addresses(ice, db_path):
    ice.routes[DOCLIB + P1] = Reply(404)
    watch_once(db_path, ice)
    done = track287g(db_path, "watch-status", "--json")
    status = json.loads(done.stdout)
    (run,) = status["runs"]
    assert run["rejected"][0]["reason"] == "download failed: HTTP 404 Not Found"
    assert {u["status"] for u in status["urls"]} == {"2 links", "error: HTTP 404 Not Found", "stored"}


def test_the_loop_sends_webhook_retries_that_fall_due_between_runs(ice, db_path):
    hooks = Site().start()
    try:
        hooks.routes["/hook"] = [Reply(500), Reply(500), Reply(204)]
        assert track287g(db_path, "subscribe", "webhook", hooks.url("/hook"), "--allow-private-address").returncode == 0
        done = track287g(
            db_path, "watch", "--url", ice.url("/287g"), "--interval", "2s", "--runs", "2", "--json",
            "--delivery-backoff", "0",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        first, second = (json.loads(line)["deliveries"] for line in done.stdout.splitlines())
        assert first["failed"] == 2 and second["sent"] == 0  # both retried while the loop slept
        assert [r.answered for r in hooks.hits("/hook", "POST")] == [500, 500, 204, 204]
    finally:
        hooks.stop()


def test_a_stopped_watcher_releases_its_lock(ice, db_path):
    ice.routes["/287g"].delay = 3.0
    proc = subprocess.Popen([*CLI, "--db", str(db_path), "watch", "--url", ice.url("/287g")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not ice.hits("/287g") and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.terminate()
    proc.wait(timeout=30)
    db = connect(str(db_path))
    with db.writing("test", wait=False):  # free at once
        pass
    db.dispose()
