"""History (placeholder until resolve/history land)."""

from sqlalchemy import Connection


def rebuild_history(conn: Connection) -> dict:
    return {}
