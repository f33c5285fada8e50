"""Shared fixtures: the bundled archive and a database built from it once per test session."""

from __future__ import annotations

import sqlite3
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
