"""Storage: the schema (SQLAlchemy Core) and the connection to SQLite or PostgreSQL.

The package loads its modules on first use: ``store.sql`` (plain SQL for the quick questions) must not import
SQLAlchemy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from track287g import lazy

if TYPE_CHECKING:
    from track287g.store.db import Database, connect
    from track287g.store.schema import metadata

__all__ = ["Database", "connect", "metadata"]


# every table, the documents stage's included (``metadata``)
__getattr__ = lazy.exports(__name__, {"db": ("Database", "connect"), "schema_documents": ("metadata",)})
