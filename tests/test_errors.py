"""Errors know how they end: a user's mistake is one line and its exit code on the command line and its status on
the web; a bug (a ValueError too) is a logged 500 on the web and an "unexpected" line on the command line, whose
traceback ``--debug`` shows."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from track287g.analyze import funding
from track287g.cli.common import UserError
from track287g.errors import InvalidArgument, NotFound, QueryError, Track287gError, Unavailable
from track287g.store.db import StoreError
from track287g.watch import LockHeld
from track287g.web import create_app

CLI = [sys.executable, "-c", "from track287g.cli import main; main()"]


def test_every_error_a_user_can_act_on_is_a_track287g_error_with_its_exit_code_and_status():
    for error in (funding.ParameterError, funding.FundingError, funding.NoListError, UserError, QueryError):
        assert issubclass(error, Track287gError), error
    assert (Track287gError.exit_code, Track287gError.http_status) == (2, 400)
    assert (NotFound.http_status, InvalidArgument.http_status, Unavailable.http_status) == (404, 400, 503)
    assert issubclass(StoreError, Unavailable) and LockHeld.exit_code == 3
    assert funding.NoListError.http_status == 404 and UserError("x", code=1).exit_code == 1


@pytest.fixture
def broken_db(copy_of_built_db):
    """A copy of the built database with one publication's flags no longer JSON: reading it is a bug's ValueError."""
    with sqlite3.connect(copy_of_built_db) as conn:
        conn.execute("UPDATE publication SET flags = 'not json' WHERE pub_id = (SELECT min(pub_id) FROM publication)")
    return copy_of_built_db


def test_a_value_error_from_a_bug_is_a_logged_500_on_the_web_not_a_400(broken_db, caplog):
    with (
        TestClient(create_app(str(broken_db)), raise_server_exceptions=False) as client,
        caplog.at_level(logging.ERROR, logger="track287g.web"),
    ):
        r = client.get("/api/v1/publications")
        assert r.status_code == 500
        assert r.json() == {"error": "an unexpected error; it has been logged", "status": 500}
        assert "JSONDecodeError" in caplog.text
        assert client.get("/api/v1/as-of/2026-13-01").status_code == 400
        assert client.get("/api/v1/agencies/no-such-agency").status_code == 404


def test_a_bug_on_the_command_line_is_one_line_and_debug_shows_the_traceback(broken_db):
    done = subprocess.run([*CLI, "--db", str(broken_db), "publications"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().startswith("error: unexpected JSONDecodeError")
    assert "--debug" in done.stderr and "Traceback" not in done.stderr
    debug = [*CLI, "--db", str(broken_db), "--debug", "publications"]
    done = subprocess.run(debug, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" in done.stderr and "json" in done.stderr


def test_a_users_mistake_is_one_line_with_its_exit_code(built_db_path, tmp_path):
    done = subprocess.run([*CLI, "--db", str(built_db_path), "agency", "Nowhere PD"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("error: no agency named 'Nowhere PD'")
    done = subprocess.run([*CLI, "--db", str(tmp_path / "none.db"), "summary"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.startswith("error: no database at")


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        # every word of the name starts a word of a spelling: those agencies, and no county's sheriff elsewhere
        ("Lee County", ["Lee County Sheriff's Office (FL)", "Lee County Sheriff's Office (TX)",
                        "Lee County Port Authority Police (FL)"]),
        ("lee county sheriff", ["Lee County Sheriff's Office (FL)", "Lee County Sheriff's Office (TX)"]),
        ("St. Mary's County", ["St. Mary's County Sheriff's Office (MD)"]),
        ("Macro Island", ["Marco Island Police Department (FL)"]),  # a spelling ICE printed, named as it is now
    ],
)  # fmt: skip
def test_a_name_that_names_no_agency_suggests_those_that_have_its_words(built_db_path, name, suggested):
    done = subprocess.run([*CLI, "--db", str(built_db_path), "agency", name], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip().split("did you mean: ", 1)[1].split("; ") == suggested
