"""The quick questions (as-of, agency, changes) on the standard library's sqlite3: the command line's path, which
imports no SQLAlchemy. The same SQL text answers through SQLAlchemy; both must give the same answer."""

from __future__ import annotations

import gc
import json
import sqlite3
import subprocess
import sys
import threading

import pytest

from track287g import questions
from track287g.errors import QueryError
from track287g.history import queries
from track287g.store import connect
from track287g.store.sql import MMAP_BYTES, NeedsEngine, is_plain, reader
from track287g.web import lookups
from track287g.web.site import Site


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


def _command_importing(module: str, db, *args: str) -> tuple[subprocess.CompletedProcess, bool]:
    """Run the command in a fresh process; whether ``module`` was imported, asked as the process ends (an exit
    handler: the command ends the process itself, after its exit handlers)."""
    code = (
        f"import atexit, sys; sys.argv = ['track287g', '--db', *sys.argv[1:]];"
        f"atexit.register(lambda: print({module!r} in sys.modules, file=sys.stderr))\n"
        "import track287g.cli as c\n"
        "c.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(db), *args], capture_output=True, text=True)
    return done, done.stderr.strip().splitlines()[-1] == "True"


def test_a_quick_command_on_a_sqlite_file_imports_no_sqlalchemy(built_db_path):
    done, imported = _command_importing("sqlalchemy", built_db_path, "as-of", "2026-01-01", "--json")
    assert not imported, done.stderr
    assert json.loads(done.stdout)["agreements"] > 1000


def test_rebuilding_the_history_imports_no_numpy(copy_of_built_db):
    # numpy's import is 0.10-0.13 s of CPU, a tenth of adding one of ICE's lists: the history, its resolution
    # (the typo scores, the lead's changes) and the enrich stage do without it
    done, imported = _command_importing("numpy", copy_of_built_db, "rebuild")
    assert done.returncode == 0, done.stderr
    assert "rebuilt" in done.stdout
    assert not imported, done.stderr


def test_the_command_imports_its_modules_without_collecting_and_collects_again_as_it_runs(built_db_path):
    # the collections set off by the 60,000 objects an add's imports make (none of them garbage) were 5% of the
    # imports' instructions, at every command; the command as installed is ``track287g.__main__:main``
    code = (
        "import atexit, gc, sys; sys.argv = ['track287g', '--db', *sys.argv[1:]]\n"
        "during = []  # a collection while the command line's modules were imported\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and 'track287g.cli' in sys.modules"
        " and not hasattr(sys.modules['track287g.cli'], 'main') and during.append(info))\n"
        "atexit.register(lambda: print(len(during), gc.isenabled(), file=sys.stderr))\n"
        "from track287g.__main__ import main\n"
        "main()\n"
    )
    args = [str(built_db_path), "as-of", "2026-01-01", "--json"]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["agreements"] > 1000
    assert done.stderr.strip().splitlines()[-1] == "0 True"


def test_a_quick_command_on_a_missing_file_says_so_as_before(tmp_path):
    done = _cli(tmp_path / "none.db", "as-of", "2026-01-01")
    assert done.returncode != 0 and "no database at" in done.stderr
    assert not (tmp_path / "none.db").exists()


def _with_writer(tmp_path, columns: str):
    """A new database with one table, ``note``, and a plain connection writing to it as a rebuild would."""
    db = connect(str(tmp_path / "record.db"))
    with db.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE note ({columns})")
    return db, sqlite3.connect(tmp_path / "record.db", isolation_level=None)


def test_the_web_s_quick_read_holds_one_snapshot_per_block_on_its_thread_s_own_sqlite3_connection(tmp_path):
    db, writer = _with_writer(tmp_path, "n INTEGER")
    with db.quick_read() as conn:
        assert is_plain(conn)
        first_seen = conn.execute("SELECT count(*) FROM note").fetchone()[0]
        writer.execute("INSERT INTO note VALUES (1)")  # a rebuild committing while a reader is in its block
        assert conn.execute("SELECT count(*) FROM note").fetchone()[0] == first_seen == 0
        with pytest.raises(sqlite3.OperationalError):  # a reader never writes
            conn.execute("INSERT INTO note VALUES (2)")
    with db.quick_read() as again:
        assert again is conn  # kept open for the thread's next read
        assert again.execute("SELECT count(*) FROM note").fetchone()[0] == 1
    others = []

    def read_once() -> None:
        with db.quick_read() as mine:
            others.append(mine)

    worker = threading.Thread(target=read_once)
    worker.start()
    worker.join()
    assert others[0] is not conn  # each thread its own connection
    del others[:]
    gc.collect()
    assert len(db._plain._opened) == 1  # the ended thread's connection went with it
    db.dispose()
    with pytest.raises(sqlite3.ProgrammingError):  # closed with the database
        conn.execute("SELECT 1")
    writer.close()


def test_a_reader_maps_the_file_and_still_sees_what_writers_commit_as_it_grows_and_is_checkpointed(tmp_path):
    db, writer = _with_writer(tmp_path, "n INTEGER, text TEXT")
    with db.quick_read() as conn:
        assert conn.execute("PRAGMA mmap_size").fetchone()[0] == MMAP_BYTES  # pages read from the mapped file
        assert conn.execute("SELECT count(*) FROM note").fetchone()[0] == 0
    size = (tmp_path / "record.db").stat().st_size
    for batch in range(3):  # the file grows by thousands of pages under the open, mapped reader
        writer.execute("BEGIN")
        writer.executemany("INSERT INTO note VALUES (?, ?)", [(i, "x" * 500) for i in range(4000)])
        writer.execute("COMMIT")
        writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # into the file itself, past its mapped end
        with db.quick_read() as again:
            assert again is conn
            rows, total = again.execute("SELECT count(*), sum(length(text)) FROM note").fetchone()
            assert (rows, total) == (4000 * (batch + 1), 500 * 4000 * (batch + 1))
    assert (tmp_path / "record.db").stat().st_size > size + 5_000_000
    writer.execute("DELETE FROM note")  # freed pages stay in the file (no VACUUM): nothing is truncated under it
    writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with db.quick_read() as again:
        assert again.execute("SELECT count(*) FROM note").fetchone()[0] == 0
    db.dispose()
    writer.close()


def test_every_agency_answer_of_the_web_is_the_same_on_its_own_sqlite3_connection_as_through_sqlalchemy(
    built_db_path,
):
    site = Site(str(built_db_path))
    ids = [r[0] for r in sqlite3.connect(built_db_path).execute("SELECT agency_id FROM agency ORDER BY agency_id")]
    with site.db.read() as engine:
        for agency_id in ids[::5]:
            with site.db.quick_read() as plain:
                assert is_plain(plain)
                assert _same(lookups.agency_page(plain, agency_id)) == _same(lookups.agency_page(engine, agency_id))
    site.close()


def test_every_list_s_agreements_read_from_the_rows_kept_in_memory_are_the_sql_answer(both):
    """The web keeps what every printed row says (``printed_rows``) and reads each list's rows alone: the same
    items, fields, order and row counts as the joined SQL, for every list, one state of it, and a few ids."""
    plain, engine = both
    shas = [r[0] for r in plain.execute("SELECT sha256 FROM publication WHERE kind = 'participating' ORDER BY 1")]
    kept = {"sqlite3": queries.printed_rows(plain), "sqlalchemy": queries.printed_rows(engine)}
    assert kept["sqlite3"] == kept["sqlalchemy"] and len(kept["sqlite3"].items) > 5000
    for sha in shas:
        for conn, printed in ((plain, kept["sqlite3"]), (engine, kept["sqlalchemy"])):
            whole = queries.listed_agreements(conn, sha)
            assert _same(queries.listed_agreements(conn, sha, printed=printed)) == _same(whole)
            assert list(queries.listed_agreements(conn, sha, printed=printed)[0]) == list(whole[0])  # keys in order
            if len(whole) < 3:
                continue
            state, ids = whole[-1]["state"], [whole[0]["agreement_id"], whole[-1]["agreement_id"], "no-such-id"]
            assert queries.listed_agreements(conn, sha, state, printed=printed) == queries.listed_agreements(
                conn, sha, state
            )
            picked = queries.listed_agreements(conn, sha, agreement_ids=ids, printed=printed)
            assert picked == queries.listed_agreements(conn, sha, agreement_ids=ids) and len(picked) == 2
