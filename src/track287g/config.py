"""Settings shared by the stages: where the database lives, size limits, bundled data paths."""

from __future__ import annotations

import os
from pathlib import Path

VERSION = "0.1.0"
DEFAULT_DB = "track287g.db"
DB_ENV = "TRACK287G_DB"
MAX_BYTES_ENV = "TRACK287G_MAX_BYTES"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

PACKAGE_DATA = Path(__file__).parent / "data"
FIXES = PACKAGE_DATA / "fixes"


def db_location(explicit: str | None = None) -> str:
    """The database named on the command line, else ``$TRACK287G_DB``, else ``./track287g.db``."""
    return explicit or os.environ.get(DB_ENV) or DEFAULT_DB


def max_bytes(explicit: int | None = None) -> int:
    """The largest file ingest accepts, in bytes (``$TRACK287G_MAX_BYTES`` overrides the default)."""
    if explicit is not None:
        return explicit
    env = os.environ.get(MAX_BYTES_ENV)
    return int(env) if env else DEFAULT_MAX_BYTES


def repo_root() -> Path | None:
    """The source checkout this package runs from, if any (it holds the bundled archive in ``data/``)."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").exists() and (parent / "data").is_dir():
            return parent
    return None


def bundled_archive() -> Path | None:
    """The bundled archive of ICE publications shipped in the repository, if present."""
    root = repo_root()
    path = root / "data" / "archive" if root else None
    return path if path and path.is_dir() else None
