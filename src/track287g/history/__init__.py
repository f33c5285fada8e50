"""History: agencies, agreements, lifecycle, pending applications, events; point-in-time queries.

``rebuild_history(conn)`` (``history.rebuild``) replaces the history tables by one built from the stored
publications that passes the QA invariants; ``history.queries`` answers questions about the stored history.

The rebuild machinery loads on first use: the quick commands import only ``history.queries`` and must start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from track287g import lazy

if TYPE_CHECKING:
    from track287g.history.rebuild import QAError, covered_publications, rebuild_history

__all__ = ["QAError", "covered_publications", "rebuild_history"]


__getattr__ = lazy.exports(__name__, {"rebuild": ("QAError", "covered_publications", "rebuild_history")})
