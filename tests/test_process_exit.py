"""How a command ends its process: at once, without freeing what it holds one object at a time, but with every
database closed as a normal exit closes it, its output whole and its exit code kept."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from tests.conftest import PARTICIPATING

CLI = [sys.executable, "-c", "from track287g.cli import main; main()"]


def test_a_command_that_wrote_leaves_its_writes_in_the_database_file_and_no_wal(tmp_path):
    db = tmp_path / "t.db"
    lists = sorted(PARTICIPATING.glob("participatingAgencies*2025*.xlsx"))[:2]
    done = subprocess.run([*CLI, "--db", str(db), "ingest", *map(str, lists)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "history rebuilt" in done.stdout  # the output reached the reader whole
    wal = tmp_path / "t.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # folded into the file, as the last connection closed
    # the file alone (no WAL read) holds what the command committed
    with sqlite3.connect(f"file:{db}?immutable=1", uri=True) as conn:
        stored = conn.execute("SELECT count(*) FROM publication").fetchone()[0]
        agreements = conn.execute("SELECT count(*) FROM agreement").fetchone()[0]
    assert stored == 2
    assert agreements > 100


def test_a_command_keeps_its_exit_code_and_its_one_line_error(tmp_path):
    done = subprocess.run([*CLI, "--db", str(tmp_path / "none.db"), "agency", "TX-x"], capture_output=True, text=True)
    assert done.returncode != 0
    assert done.stderr.strip().startswith("error: no database at")
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_command_whose_reader_went_away_exits_as_python_does(tmp_path, built_db_path):
    # a reader that reads nothing and has gone by the time the command writes: the command must not hang or
    # say more than Python would (a normal exit fails to flush and exits 120)
    proc = subprocess.Popen(
        [*CLI, "--db", str(built_db_path), "changes"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 1, 120)
    assert "Traceback" not in err
