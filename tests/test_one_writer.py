"""One writer at a time, errors a person can read, webhooks that cannot reach inside, secrets kept private."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest
from sqlalchemy import inspect, select

from tests.conftest import copy_db
from tests.helpers import run_cli
from tests.loopback import Reply, Site
from track287g.sources.web import Fetcher
from track287g.store import connect
from track287g.store.schema import delivery, subscription
from track287g.watch import notify
from track287g.watch.notify import DeliverySettings, SubscriptionError


@pytest.fixture
def db_path(small_record, tmp_path):
    return copy_db(small_record.base_db, tmp_path / "writer.db")


class Holder(threading.Thread):
    """Holds the database's writer lock, as a running rebuild would, until ``seconds`` pass or it is released."""

    def __init__(self, db_path, seconds: float):
        super().__init__()
        self.db_path, self.seconds = db_path, seconds
        self.taken, self.done = threading.Event(), threading.Event()

    def run(self) -> None:
        db = connect(str(self.db_path))
        with db.writing("rebuild"):
            self.taken.set()
            self.done.wait(self.seconds)
        db.dispose()

    def __enter__(self) -> Holder:
        self.start()
        assert self.taken.wait(30)
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.join()


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "--no-wait", "."],
        ["build", "--no-wait", "."],
        ["rebuild", "--no-wait"],
        ["enrich", "--no-wait"],
        ["subscribe", "webhook", "https://203.0.113.9/hook", "--no-wait", "--allow-private-address"],
        ["unsubscribe", "1", "--no-wait"],
    ],
)
def test_every_command_that_writes_told_not_to_wait_stops_with_exit_3_and_one_line(db_path, args):
    with Holder(db_path, 120):
        done = run_cli(*args, db=db_path)
    assert done.returncode == 3, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: another track287g (rebuild, pid ") and line.endswith("not waiting (--no-wait)")


def test_a_writer_waits_with_one_line_then_runs(db_path, small_record):
    cmd = [sys.executable, "-m", "track287g", "--db", str(db_path), "ingest", str(small_record.third)]
    with Holder(db_path, 300):  # released once the second writer says it waits (however slow its start)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = proc.stderr.readline()
    stdout, rest = proc.communicate(timeout=600)
    assert proc.returncode == 0, first + rest
    assert first.strip().endswith("waiting (--no-wait to stop instead)")
    assert not rest.strip()  # one line, and only one
    assert "1 file: 1 stored" in stdout


def test_a_database_error_is_one_line_and_its_detail_goes_to_the_log(db_path, tmp_path, monkeypatch):
    with sqlite3.connect(db_path) as conn:  # a database damaged by hand: the table a query needs is gone
        conn.execute("DROP TABLE row_agreement")
    log = tmp_path / "errors.log"
    monkeypatch.setenv("TRACK287G_LOG", str(log))
    done = run_cli("as-of", "2026-02-06", "--json", db=db_path)  # every agreement (the summary reads the counts)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: database error (OperationalError): no such table: row_agreement")
    assert f"(detail in {log}; or run again with --debug)" in line
    assert "SELECT" not in line and "Traceback" not in done.stderr
    assert "Traceback" in log.read_text() and "SELECT" in log.read_text()
    debug = run_cli("--debug", "as-of", "2026-02-06", "--json", db=db_path)
    assert "Traceback" in debug.stderr and debug.returncode == 1


# --- webhooks: public addresses only -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, why",
    [
        ("http://127.0.0.1:8080/hook", "a loopback address"),
        ("http://[::1]/hook", "a loopback address"),
        ("http://10.1.2.3/hook", "a private address"),
        ("http://192.168.0.10/hook", "a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
        ("http://[fe80::1]/hook", "a link-local address"),
        ("http://0.0.0.0/hook", "an unspecified address"),
        ("http://localhost/hook", "a loopback address"),
    ],
)
def test_a_webhook_on_a_private_or_local_address_is_refused(empty_db, url, why):
    with pytest.raises(SubscriptionError, match=f"resolves to .*, {why}; refused"):
        notify.add_webhook(empty_db, url)
    assert notify.add_webhook(empty_db, url, allow_private=True)["allow_private"] is True


def test_a_webhook_is_checked_again_when_it_is_delivered(empty_db):
    """A subscription made when its name pointed outside, whose name now points to loopback, is not posted."""
    hooks = Site().start()
    try:
        hooks.routes["/hook"] = Reply(204)
        notify.add_webhook(empty_db, hooks.url("/hook"), allow_private=True)
        with empty_db.private.begin() as conn:
            conn.execute(subscription.update().values(allow_private=False))  # as if DNS had changed since
            sub_id = conn.execute(select(subscription.c.sub_id)).scalar_one()
            conn.execute(
                delivery.insert().values(
                    sub_id=sub_id, sha256="0" * 64, body="{}", status="pending", attempts=0,
                    next_attempt_at="2000-01-01T00:00:00Z", created_at="2000-01-01T00:00:00Z",
                )
            )  # fmt: skip
        with Fetcher() as fetcher:
            counts = notify.deliver_due(empty_db, fetcher, DeliverySettings(attempts=1))
        assert counts["given_up"] == 1 and hooks.hits("/hook", "POST") == []
        with empty_db.private.read() as conn:
            error = conn.execute(select(delivery.c.last_error)).scalar_one()
        assert "a loopback address; refused" in error
    finally:
        hooks.stop()


# --- the watcher's private state ------------------------------------------------------------------------------


def test_webhook_secrets_are_never_in_the_public_database(tmp_path):
    public = tmp_path / "track287g.db"
    done = run_cli("subscribe", "webhook", "https://203.0.113.9/hook", "--secret", "s3cret",
                   "--allow-private-address", db=public)  # fmt: skip
    assert done.returncode == 0, done.stderr
    private = tmp_path / "track287g.private.db"
    assert private.exists() and b"s3cret" in private.read_bytes()
    assert b"s3cret" not in public.read_bytes() and b"203.0.113.9" not in public.read_bytes()
    db = connect(str(public), create=False)
    assert not {"subscription", "delivery", "watch_run", "watch_url"} & set(inspect(db.engine).get_table_names())
    db.dispose()


def test_an_older_database_has_its_watcher_tables_moved_out_of_the_public_record(db_path):
    with sqlite3.connect(db_path) as conn:  # as databases made before the private state had its own place
        conn.execute(
            "CREATE TABLE subscription (sub_id INTEGER PRIMARY KEY, channel TEXT NOT NULL, target TEXT NOT NULL, "
            "state TEXT, agency TEXT, secret TEXT, active BOOLEAN NOT NULL, created_at TEXT NOT NULL)"
        )
        conn.execute(
            "INSERT INTO subscription VALUES (1, 'webhook', 'https://203.0.113.9/h', NULL, NULL, 'old-secret', 1, "
            "'2026-01-01T00:00:00Z')"
        )
        conn.execute(
            "CREATE TABLE delivery (delivery_id INTEGER PRIMARY KEY, sub_id INTEGER NOT NULL REFERENCES "
            "subscription (sub_id), sha256 TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER "
            "NOT NULL, last_error TEXT, next_attempt_at TEXT, created_at TEXT NOT NULL, delivered_at TEXT)"
        )
        conn.execute(
            "INSERT INTO delivery VALUES (1, 1, 'abc', '{}', 'delivered', 1, NULL, NULL, '2026-01-01T00:00:00Z', "
            "'2026-01-01T00:00:01Z')"
        )
    listed = run_cli("subscriptions", db=db_path)
    assert "#1 webhook https://203.0.113.9/h (every new publication), signed: 1 delivered" in listed.stdout
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not {"subscription", "delivery"} & tables
