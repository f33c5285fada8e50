"""track287g: the open record of ICE 287(g) agreements.

The pipeline runs one way: sources -> archive -> parse -> normalize -> resolve -> history -> enrich ->
analyze -> publish. ``track287g.open(path)`` gives the Python API over a built database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from track287g.config import VERSION as __version__

if TYPE_CHECKING:
    from track287g.api import Track287g

__all__ = ["__version__", "open"]


def open(db: str | None = None) -> Track287g:
    """Open a track287g database (path or SQLAlchemy URL) and return the Python API object."""
    from track287g.api import Track287g

    return Track287g(db)
