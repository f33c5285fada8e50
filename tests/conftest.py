"""Shared fixtures: the bundled archive and a database built from it once per test session."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from track287g.config import bundled_archive
from track287g.pipeline import ingest_paths
from track287g.store import Database, connect

ARCHIVE = bundled_archive()
PARTICIPATING = ARCHIVE / "ice" / "participating" if ARCHIVE else None
PENDING = ARCHIVE / "ice" / "pending" if ARCHIVE else None


@pytest.fixture(scope="session")
def archive_dir() -> Path:
    assert ARCHIVE is not None, "the bundled archive (data/archive) is missing"
    return ARCHIVE


@pytest.fixture(scope="session")
def built_db_path(tmp_path_factory, archive_dir) -> Path:
    """A database built from the whole bundled archive (ingest + history). Treat it as read-only."""
    path = tmp_path_factory.mktemp("built") / "track287g.db"
    db = connect(str(path))
    report = ingest_paths(db, [str(archive_dir)])
    assert report.ok, [r.error for r in report.results if r.error]
    db.dispose()
    return path


# a small record for tests that kill, race and rebuild: six participating and two pending lists of early
# February 2026, then four later lists held out of it, added back by the tests
SMALL_BASE = [f"participatingAgencies020{d}2026{p}.xlsx" for d, p in ((2, "am"), (3, "am"), (4, "am"), (5, "am"),
              (6, "am"), (6, "pm"))] + ["pendingAgencies01292026pm.xlsx", "pendingAgencies01302026am.xlsx"]  # fmt: skip
HELD_OUT = [f"participatingAgencies{s}.xlsx" for s in ("02092026am", "02102026am", "02112026am", "02132026am")]


@dataclass
class SmallRecord:
    base: Path  # folder of the base lists
    new: Path  # folder of the first two held-out lists
    third: Path  # folder of the third
    fourth: Path  # folder of the fourth
    base_db: Path  # the base lists, built
    with_new_db: Path  # base + new, built: what any way of adding ``new`` must end in
    with_all_db: Path  # base + all four held out
    base_answer: tuple  # helpers.answer_of on base_db
    new_answer: tuple
    build_seconds: float  # wall time of one `track287g ingest` of the new lists (to time the kills)


def copy_db(source: Path, target: Path) -> Path:
    """A private copy of a SQLite database (the backup API copies what the WAL holds too)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture(scope="session")
def small_record(tmp_path_factory) -> SmallRecord:
    from tests.helpers import answer_of

    root = tmp_path_factory.mktemp("small")
    dirs = {name: root / name for name in ("base", "new", "third", "fourth")}
    for name, files in (
        ("base", SMALL_BASE),
        ("new", HELD_OUT[:2]),
        ("third", HELD_OUT[2:3]),
        ("fourth", HELD_OUT[3:]),
    ):
        dirs[name].mkdir()
        for f in files:
            source = (PARTICIPATING if f.startswith("participating") else PENDING) / f
            shutil.copy2(source, dirs[name] / f)
    base_db = root / "base.db"
    db = connect(str(base_db))
    assert ingest_paths(db, [str(dirs["base"])]).ok
    with db.read() as conn:
        base_answer = answer_of(conn)
    db.dispose()
    with_new = root / "with_new.db"
    copy_db(base_db, with_new)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "track287g", "--db", str(with_new), "ingest", str(dirs["new"])], capture_output=True
    )
    took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    db = connect(str(with_new), create=False)
    with db.read() as conn:
        new_answer = answer_of(conn)
    db.dispose()
    with_all = root / "with_all.db"
    copy_db(with_new, with_all)
    db = connect(str(with_all))
    assert ingest_paths(db, [str(dirs["third"]), str(dirs["fourth"])]).ok
    db.dispose()
    return SmallRecord(
        dirs["base"], dirs["new"], dirs["third"], dirs["fourth"], base_db, with_new, with_all, base_answer, new_answer,
        took,
    )  # fmt: skip


@pytest.fixture(scope="session")
def built_db(built_db_path) -> Database:
    db = connect(str(built_db_path), create=False)
    yield db
    db.dispose()


@pytest.fixture
def copy_of_built_db(built_db_path, tmp_path) -> Path:
    """A private copy of the built database, for tests that write (SQLite's backup copies the WAL too)."""
    target = tmp_path / "copy.db"
    with sqlite3.connect(built_db_path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture
def empty_db(tmp_path) -> Database:
    db = connect(str(tmp_path / "empty.db"))
    yield db
    db.dispose()


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


@pytest.fixture(scope="session")
def pg_url():
    """A private PostgreSQL cluster on loopback for the whole session (initdb + pg_ctl); its URL."""
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


def wipe_postgres(url: str) -> None:
    """Empty a test PostgreSQL database: the public record's tables and the watcher's private schema."""
    from track287g.store.schema import PRIVATE_SCHEMA, metadata

    db = connect(url)
    metadata.drop_all(db.engine)
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {PRIVATE_SCHEMA} CASCADE")
    db.dispose()


@pytest.fixture(scope="session")
def archive(built_db):
    """The bundled archive's publications and rows as the history build reads them (treat as read-only)."""
    from track287g.history.load import load_archive

    with built_db.read() as conn:
        return load_archive(conn)


def sub_archive(archive, keep):
    """An archive of the publications ``keep(kind, pubs)`` returns (in date order), as if only they were stored."""
    import copy

    from track287g.history.load import Archive

    return Archive(
        {kind: [copy.copy(p) for p in keep(kind, pubs)] for kind, pubs in archive.pubs.items()}, archive.rows
    )


@pytest.fixture(scope="session")
def full_history(archive):
    """The history built in memory from the whole bundled archive (the same as the built database's)."""
    from track287g.history.build import build
    from track287g.history.rules import load_rules
    from track287g.resolve.aliases import load_aliases

    return build(sub_archive(archive, lambda kind, pubs: pubs), load_aliases(), load_rules())


@pytest.fixture(scope="session")
def synthetic_db_path(tmp_path_factory) -> Path:
    """A database built by the real pipeline from the synthetic lists of ``tests/synthetic.py`` (known histories)."""
    from tests.synthetic import write_lists

    folder = tmp_path_factory.mktemp("synthetic")
    write_lists(folder / "lists")
    path = folder / "track287g.db"
    db = connect(str(path))
    report = ingest_paths(db, [str(folder / "lists")])
    assert report.ok, [r.error for r in report.results if r.error]
    db.dispose()
    return path


@pytest.fixture
def synthetic(synthetic_db_path):
    """The synthetic record through the Python API (read-only)."""
    import track287g

    with track287g.open(str(synthetic_db_path)) as opened:
        yield opened
