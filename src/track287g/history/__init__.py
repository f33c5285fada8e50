"""History: agencies, agreements, lifecycle, pending applications, events; point-in-time queries.

``rebuild_history(conn)`` recreates the history tables from the stored publications and checks the QA
invariants (``qa.check``); a failed invariant fails the rebuild (nothing is written).
"""

from __future__ import annotations

import json

from sqlalchemy import Connection

from track287g.history.build import build
from track287g.history.load import load_archive
from track287g.history.qa import QAError, check
from track287g.history.rules import load_rules
from track287g.history.write import write_history
from track287g.resolve.aliases import load_aliases
from track287g.store.schema import build_info

__all__ = ["QAError", "rebuild_history"]


def rebuild_history(conn: Connection) -> dict:
    """Rebuild every history table inside the caller's transaction; return counts."""
    rules = load_rules()
    aliases = load_aliases()
    archive = load_archive(conn)
    history = build(archive, aliases, rules)
    check(history)
    counts = write_history(conn, history)
    conn.execute(build_info.delete())
    conn.execute(
        build_info.insert(),
        [
            {"key": "rules", "value": json.dumps(rules.as_dict(), sort_keys=True)},
            {"key": "aliases_unused", "value": json.dumps([a.line for a in history.resolution.unused_aliases])},
            {"key": "counts", "value": json.dumps(counts, sort_keys=True)},
        ],
    )
    return counts
