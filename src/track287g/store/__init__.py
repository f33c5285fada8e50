"""Storage: the schema (SQLAlchemy Core) and the connection to SQLite or PostgreSQL."""

from track287g.store.db import Database, connect
from track287g.store.schema import metadata

from track287g.store import schema_documents  # noqa: F401  isort: skip  (registers the documents tables)

__all__ = ["Database", "connect", "metadata"]
