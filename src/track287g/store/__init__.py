"""Storage: the schema (SQLAlchemy Core) and the connection to SQLite or PostgreSQL.

The package loads its modules on first use: ``store.sql`` (plain SQL for the quick questions) must not import
SQLAlchemy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from track287g.store.db import Database, connect
    from track287g.store.schema import metadata

__all__ = ["Database", "connect", "metadata"]


def __getattr__(name: str) -> Any:
    if name == "metadata":  # every table, the documents stage's included
        from track287g.store import schema_documents

        return schema_documents.metadata
    if name in __all__:
        from track287g.store import db

        return getattr(db, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
