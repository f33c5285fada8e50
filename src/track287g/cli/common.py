"""Shared pieces of the command line: the app, the --db and --debug options, output helpers and the one error
handler (``run_app``): a ``Track287gError`` is one line and its exit code, anything else a bug (one line, or the
traceback with ``--debug``)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from track287g import checks
from track287g.errors import Track287gError
from track287g.store import Database, connect

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
    debug: bool = False


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
    debug: bool = typer.Option(
        False, "--debug", envvar="TRACK287G_DEBUG", help="Show the traceback of an error instead of one line."
    ),
) -> None:
    state.db_location = db
    state.debug = debug


class UserError(Track287gError):
    """A problem the user can fix, found by the command line itself: one line, exit code 2 (or ``code``)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.exit_code = code

    @property
    def code(self) -> int:
        return self.exit_code


def open_db(create: bool = False) -> Database:
    """The database named by --db / $TRACK287G_DB / ./track287g.db (a ``StoreError`` when it cannot be opened)."""
    return connect(state.db_location, create=create)


def state_code(value: str | None) -> str | None:
    """A --state option as a USPS code (None when not given); anything else is a one-line error."""
    return checks.state(value)


def print_json(value: Any) -> None:
    """Write JSON to stdout (sorted keys, UTF-8, one document)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def print_json_line(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def run_app() -> int:
    """Run the Typer app; the one place errors become exit codes (a line on stderr, or the traceback with --debug)."""
    state.debug = "--debug" in sys.argv[1:] or bool(os.environ.get("TRACK287G_DEBUG"))
    try:
        result = app(standalone_mode=False)
    except Track287gError as exc:  # bad input, data files or question: the message says what and where
        return _fail(str(exc), exc.exit_code, exc)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("aborted")
        return 130
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except Exception as exc:
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors (Typer may vendor click)
            exc.show()
            return exc.exit_code
        hint = "" if state.debug else " (run with --debug for the traceback)"
        return _fail(f"unexpected {type(exc).__name__}: {exc}{hint}", 1, exc)
    return result if isinstance(result, int) else 0


def _fail(message: str, code: int, exc: BaseException) -> int:
    if state.debug:
        err.print_exception(show_locals=False)
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    return code
