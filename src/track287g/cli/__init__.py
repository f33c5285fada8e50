"""The ``track287g`` command. Thin: each command calls a stage and formats its result.

Commands live in one module per pipeline stage and register themselves on ``app``.
"""

from __future__ import annotations

from track287g.cli.common import app, leave, run_app

# importing the command modules registers their commands on ``app``
from track287g.cli import archive_cmds  # noqa: F401  isort: skip
from track287g.cli import history_cmds  # noqa: F401  isort: skip
from track287g.cli import analyze_cmds  # noqa: F401  isort: skip
from track287g.cli import enrich_cmds  # noqa: F401  isort: skip
from track287g.cli import funding_cmds  # noqa: F401  isort: skip
from track287g.cli import web_cmds  # noqa: F401  isort: skip
from track287g.cli import watch_cmds  # noqa: F401  isort: skip
from track287g.cli import documents_cmds  # noqa: F401  isort: skip


def main() -> None:
    """Console-script entry point: run the app and turn any error into one clear line; then end the process
    without freeing what it holds, one object at a time (``common.leave``)."""
    leave(run_app())


__all__ = ["app", "main"]
