"""Storage: the schema (SQLAlchemy Core) and the connection to SQLite or PostgreSQL."""

from track287g.store.db import Database, connect
from track287g.store.schema import metadata

__all__ = ["Database", "connect", "metadata"]
