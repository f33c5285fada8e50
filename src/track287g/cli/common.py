"""Shared pieces of the command line: the app, the --db option, output helpers and error handling."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console

from track287g.errors import Track287gError
from track287g.normalize import tables
from track287g.store import Database, connect
from track287g.store.db import StoreError

app = typer.Typer(
    name="track287g",
    help="The open record of ICE 287(g) agreements: archive ICE's lists, rebuild their history, publish it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# piped output (files, README examples) gets room for wide tables instead of Rich's 80 columns
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 150)
err = Console(stderr=True, soft_wrap=True)


class State:
    db_location: str | None = None


state = State()


@app.callback()
def _global(
    db: str = typer.Option(
        None,
        "--db",
        metavar="PATH_OR_URL",
        envvar="TRACK287G_DB",
        help="Database file or SQLAlchemy URL (default ./track287g.db).",
    ),
) -> None:
    state.db_location = db


class UserError(Exception):
    """A problem the user can fix: printed as one line, exit code 2 (or ``code``)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def open_db(create: bool = False) -> Database:
    """The database named by --db / $TRACK287G_DB / ./track287g.db."""
    try:
        return connect(state.db_location, create=create)
    except StoreError as exc:
        raise UserError(str(exc)) from None


def state_code(value: str | None) -> str | None:
    """A --state option as a USPS code (None when not given); anything else is a one-line user error."""
    if value is None:
        return None
    code = value.strip().upper()
    if code not in tables.states():
        raise UserError(f"unknown state {value!r} (use a USPS code such as FL, DC or GU)")
    return code


def print_json(value: Any) -> None:
    """Write JSON to stdout (sorted keys, UTF-8, one document)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def print_json_line(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def run_app() -> int:
    """Run the Typer app; user errors and unexpected ones become a single line on stderr."""
    try:
        result = app(standalone_mode=False)
    except UserError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        return exc.code
    except Track287gError as exc:  # bad input or data files: the message says what and where
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("aborted")
        return 130
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except Exception as exc:  # usage errors and anything unforeseen: one line, no traceback
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors (Typer may vendor click)
            exc.show()
            return exc.exit_code
        err.print(f"[red]error:[/red] unexpected {type(exc).__name__}: {exc}", highlight=False)
        return 1
    return result if isinstance(result, int) else 0
