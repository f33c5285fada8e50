"""Shared pieces of the command line: the app, the --db and --debug options, output helpers and the one error
handler (``run_app``): a ``Track287gError`` is one line and its exit code, anything else a bug (one line, or the
traceback with ``--debug``)."""

from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.main import get_command_name
from typer.models import CommandInfo

from track287g.errors import Track287gError
from track287g.plurals import count

if TYPE_CHECKING:
    from rich.console import Console

    from track287g.store import Database

T = TypeVar("T")

app = typer.Typer(
    name="track287g",
    help="The open record of ICE 287(g) agreements: archive ICE's lists, rebuild their history, publish it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: Rich's help formatter costs more to import than the rest of --help
)


class LazyConsole:
    """A Rich console made when first printed to: importing Rich costs more than all the rest of ``--help``."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        """The console itself (for a Rich object that takes one)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


def escape(text: str) -> str:
    """``text`` with Rich's markup escaped (``[`` is printed as itself)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


# piped output (files, README examples) gets room for wide tables instead of Rich's 80 columns
out = LazyConsole(soft_wrap=True, width=None if sys.stdout.isatty() else 150)
err = LazyConsole(stderr=True, soft_wrap=True)


LOG_ENV = "TRACK287G_LOG"
NO_WAIT_HELP = "If another track287g is writing to the database, stop at once (exit 3) instead of waiting."


class State:
    db_location: str | None = None
    exports: str | None = None
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
    exports: str = typer.Option(
        None,
        "--exports",
        metavar="DIR",
        envvar="TRACK287G_EXPORTS",
        help="Folder of the bulk exports (default: beside the database, track287g-exports/).",
    ),
    debug: bool = typer.Option(
        False, "--debug", envvar="TRACK287G_DEBUG", help="Show the traceback of an error instead of one line."
    ),
) -> None:
    state.db_location = db
    state.exports = exports
    state.debug = debug


class UserError(Track287gError):
    """A problem the user can fix, found by the command line itself: one line, exit code 2 (or ``code``)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.exit_code = code

    @property
    def code(self) -> int:
        return self.exit_code


def _say(message: str) -> None:
    err.print(message, highlight=False)


def open_db(create: bool = False, *, no_wait: bool = False) -> Database:
    """The database named by --db / $TRACK287G_DB / ./track287g.db (a ``StoreError`` when it cannot be opened).
    A command that writes waits for another writer, saying so in one line (``no_wait``: stops at once, exit 3)."""
    from track287g.store import connect
    from track287g.store.db import LockPolicy

    return connect(state.db_location, create=create, lock_policy=LockPolicy(wait=not no_wait, say=_say))


def ask(question: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Ask one of the quick questions (``questions.as_of``, ``agency``, ``changes``): on a SQLite file through the
    standard library's sqlite3, so the command starts without importing SQLAlchemy; through the database opened
    as every other command opens it for anything else, and when plain SQL cannot answer (``NeedsEngine``)."""
    from track287g.config import db_location
    from track287g.store.sql import NeedsEngine, reader

    try:
        with reader(db_location(state.db_location)) as conn:
            return question(conn, *args, **kwargs)
    except NeedsEngine:
        pass
    with open_db().read() as conn:
        return question(conn, *args, **kwargs)


def state_code(value: str | None) -> str | None:
    """A --state option as a USPS code (None when not given); anything else is a one-line error."""
    from track287g import checks

    return checks.state(value)


def print_json(value: Any) -> None:
    """Write JSON to stdout (UTF-8, indented by two spaces, one document) with orjson: the standard library's
    encoder is pure Python once it indents (0.2 s of a 0.5 s ``changes --json`` at 3,650 lists). What
    ``json.dumps(default=str)`` wrote, it writes: a float's subclass (numpy's) as a number, dates, dataclasses
    and anything else as ``str`` gives them."""
    import orjson

    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
    data = orjson.dumps(value, default=_as_json, option=options | orjson.OPT_PASSTHROUGH_DATACLASS)
    sys.stdout.flush()
    sys.stdout.buffer.write(data + b"\n")
    sys.stdout.buffer.flush()


def _as_json(value: Any) -> Any:
    return float(value) if isinstance(value, float) else str(value)


def print_json_line(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An error's own message, one line (a database error's, never its SQL statement or parameters)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


def log_path() -> Path:
    """Where unexpected errors are written in full: $TRACK287G_LOG, else the user's state folder."""
    if os.environ.get(LOG_ENV):
        return Path(os.environ[LOG_ENV])
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "track287g" / "errors.log"


def _log_unexpected(exc: BaseException) -> str:
    """Write the full error (traceback, SQL) to the log; a short note saying where it went."""
    import traceback

    detail = "".join(traceback.format_exception(exc))
    if state.debug:
        sys.stderr.write(detail)
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            fh.write(f"--- {stamp} track287g {' '.join(sys.argv[1:])}\n{detail}\n")
    except OSError:
        return "" if state.debug else " (run again with --debug for the detail)"
    return f" (detail in {path}" + ("" if state.debug else "; or run again with --debug") + ")"


def _database_errors() -> tuple[type[BaseException], ...]:
    """SQLAlchemy's error class, once something has imported SQLAlchemy (``--help`` never does; an except clause
    is evaluated only when an exception reaches it)."""
    if "sqlalchemy" not in sys.modules:
        return ()
    from sqlalchemy.exc import SQLAlchemyError

    return (SQLAlchemyError,)


def run_app() -> int:
    """Run the Typer app; the one place errors become exit codes (a line on stderr, or the traceback with --debug)."""
    state.debug = "--debug" in sys.argv[1:] or bool(os.environ.get("TRACK287G_DEBUG"))
    try:
        result = _only_the_command(sys.argv[1:])(standalone_mode=False)
    except Track287gError as exc:  # bad input, data files or question: the message says what and where
        return _fail(str(exc), exc.exit_code, exc)
    except _database_errors() as exc:  # never the statement and its rows in front of a user
        where = _log_unexpected(exc)
        name = type(getattr(exc, "orig", None) or exc).__name__
        err.print(f"[red]error:[/red] {escape(f'database error ({name}): {one_line(exc)}{where}')}", highlight=False)
        return 1
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
        where = _log_unexpected(exc)
        message = f"unexpected {type(exc).__name__}: {one_line(exc)}{where}"
        err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
        return 1
    return result if isinstance(result, int) else 0


def leave(code: int) -> None:
    """End the process with ``code`` as a normal exit would, less freeing every object left in memory one by one
    (0.3-0.4 s of CPU after adding a list to a synthetic archive of 1,000 or 3,650 lists: a garbage collection of
    what the history build left in cycles, then every module's objects): every database connection closed
    (``store.db.close_all``: on SQLite the WAL folded into the file), the exit handlers run (logging, temporary
    folders, process pools), the output flushed, then the process ended. While a thread other than daemons
    still runs, the normal exit, which waits for it."""
    import atexit
    import threading

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)  # CPython's own, what a normal exit calls
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if run_exit_handlers is None or any(t.is_alive() for t in others):
        sys.exit(code)
    store = sys.modules.get("track287g.store.db")  # not imported: no database was opened through it
    try:
        if store is not None:
            store.close_all()
    except Exception:  # a connection that would not close: the normal exit closes what is left, as before
        sys.exit(code)
    run_exit_handlers()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # the reader went away (``| head``): what a normal exit says with 120
        code = code or 120
    os._exit(code)


_GLOBAL_VALUES = ("--db", "--exports")  # the global options that take a value


def _only_the_command(args: list[str]) -> typer.Typer:
    """The app with only the command asked for (the whole app for anything else: --help, a group, a typo).
    Typer turns every registered command into Click's on each run, reading their signatures: for the quick
    questions that was 20 ms of a 0.3 s answer."""
    it = iter(args)
    for arg in it:
        if arg in _GLOBAL_VALUES:
            next(it, None)
        elif not arg.startswith("-"):
            chosen = [c for c in app.registered_commands if _name(c) == arg]
            if not chosen:
                return app
            one = copy.copy(app)
            one.registered_commands = chosen
            return one
    return app


def _name(command: CommandInfo) -> str | None:
    """A command's name as Typer gives it: its own, or its function's with dashes."""
    if command.name or command.callback is None:
        return command.name
    return get_command_name(command.callback.__name__)


def _fail(message: str, code: int, exc: BaseException) -> int:
    if state.debug:
        err.print_exception(show_locals=False)
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    return code


def law_line(law: dict, then: dict | None = None) -> str:
    """A state's law on 287(g) in one line (``state law: ban (Md. HB 444 ...), effective 2026-02-17; verified``),
    and, as of a date the table dates it after (``enrich.laws.law_then``), that it was not yet in force then."""
    effective = f", effective {law['effective_date']}" if law["effective_date"] else ""
    line = f"state law: {law['stance']} ({law['instrument']}){effective}; {law['confidence']}"
    if then and then["status"] == "not-in-effect":
        line += f"; not yet in effect on {then['on']}"
    elif then:
        line += f"; not yet in force on {then['on']} (the table dates it from {then['year']})"
    return line


def derived_mark(derived: bool | None) -> str:
    """What follows a list that is an HTML-era table extracted by a third party (said wherever it is used)."""
    return " - an HTML-era table extracted by a third party" if derived else ""


def no_list_line(found: dict, since: str) -> str:
    """The line an answer since a date ends with for a kind of list whose latest list in the record is older
    (``history.reads.no_list_since``): no rows of it is not "nothing changed"."""
    return (
        f"no {found['kind']} list in the record published on or after {since}: its latest is of "
        f"{found['latest']['label']}, {count(found['days'], 'day', 'days')} before (ICE may have published more since)"
    )


def beyond_record(days: int | None) -> str:
    """What follows the date of an answer asked for a date ``days`` after the record's latest list (said before
    the counts: the record does not know what ICE listed since)."""
    if not days:
        return ""
    return f", by the record's latest list, {count(days, 'day', 'days')} older (ICE may have listed more since)"
