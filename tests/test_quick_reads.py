"""The quick questions (as-of, agency, changes) on the standard library's sqlite3: the command line's path, which
imports no SQLAlchemy. The same SQL text answers through SQLAlchemy; both must give the same answer."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from track287g import questions
from track287g.errors import QueryError
from track287g.store import connect
from track287g.store.sql import NeedsEngine, reader


def _same(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def both(built_db_path):
    db = connect(str(built_db_path), create=False)
    with reader(str(built_db_path)) as plain, db.read() as engine:
        yield plain, engine
    db.dispose()


def test_as_of_every_list_date_is_the_same_answer_on_sqlite3_and_through_sqlalchemy(both):
    plain, engine = both
    days = [
        r[0]
        for r in plain.execute(
            "SELECT DISTINCT published FROM publication WHERE seq IS NOT NULL AND kind = 'participating'"
        )
    ]
    assert len(days) > 150
    for day in [*sorted(days)[::5], "2026-01-01", "2025-06-30"]:
        for state in (None, "FL"):
            assert _same(questions.as_of(plain, day, state)) == _same(questions.as_of(engine, day, state)), day


def test_every_agency_is_the_same_view_on_sqlite3_and_through_sqlalchemy(both):
    plain, engine = both
    ids = [r[0] for r in plain.execute("SELECT agency_id FROM agency ORDER BY agency_id")]
    assert len(ids) > 1000
    for agency_id in ids[::7]:
        assert _same(questions.agency(plain, agency_id)) == _same(questions.agency(engine, agency_id)), agency_id


def test_the_changelog_is_the_same_on_sqlite3_and_through_sqlalchemy(both):
    plain, engine = both
    for kwargs in (
        {},
        {"since": "2026-02-01"},
        {"state": "TX"},
        {"kind": "pending"},
        {"agency": "Lee County Sheriff's Office", "state": "FL"},
    ):
        answer = questions.changes(plain, **kwargs)
        assert answer and _same(answer) == _same(questions.changes(engine, **kwargs)), kwargs


def _cli(db_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "track287g", "--db", str(db_path), *args], capture_output=True, text=True
    )


def test_a_date_before_the_record_needs_the_whole_program_and_gets_its_answer(both, built_db_path):
    plain, engine = both
    for day in ("2008-03-10", "2010-01-01"):  # an old list's day; a gap in the sources
        with pytest.raises(NeedsEngine):
            questions.as_of(plain, day)
    done = _cli(built_db_path, "as-of", "2008-03-10", "--json")
    assert done.returncode == 0, done.stderr
    assert _same(json.loads(done.stdout)) == _same(questions.as_of(engine, "2008-03-10"))
    with pytest.raises(QueryError) as gap:
        questions.as_of(engine, "2010-01-01")
    done = _cli(built_db_path, "as-of", "2010-01-01")
    assert done.returncode == gap.value.exit_code and done.stderr.strip() == f"error: {gap.value}"


def test_a_quick_command_on_a_sqlite_file_imports_no_sqlalchemy(built_db_path):
    code = (
        "import sys; sys.argv = ['track287g', '--db', sys.argv[1], 'as-of', '2026-01-01', '--json'];"
        "import track287g.cli as c\n"
        "try:\n    c.main()\nexcept SystemExit:\n    pass\n"
        "print('sqlalchemy' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(built_db_path)], capture_output=True, text=True)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
    assert json.loads(done.stdout)["agreements"] > 1000


def test_a_quick_command_on_a_missing_file_says_so_as_before(tmp_path):
    done = _cli(tmp_path / "none.db", "as-of", "2026-01-01")
    assert done.returncode != 0 and "no database at" in done.stderr
    assert not (tmp_path / "none.db").exists()
