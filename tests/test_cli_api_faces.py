"""The command line and the Python API are two faces of the same questions: every command has its method (or is on
the explicit CLI-only list, with its reason), and both give the same answer, and the same error, for the same
question."""

from __future__ import annotations

import json

import pytest

import track287g
from tests.helpers import run_cli
from track287g.api import CLI_ONLY, Track287g
from track287g.cli import app
from track287g.errors import InvalidArgument, Track287gError


def command_names() -> set[str]:
    """Every command and command group of ``track287g``, as typed."""
    names = {c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands}
    return names | {g.name for g in app.registered_groups}


@pytest.fixture(scope="module")
def db(built_db_path):
    with track287g.open(str(built_db_path)) as opened:
        yield opened


@pytest.fixture(scope="module")
def cli(built_db_path):
    return lambda *args: run_cli(*args, db=built_db_path)


def test_every_command_has_its_api_method_or_is_listed_as_cli_only():
    commands = command_names()
    assert len(commands) > 25
    missing = [c for c in sorted(commands) if c not in CLI_ONLY and not hasattr(Track287g, c.replace("-", "_"))]
    assert missing == [], f"commands without a Python API method (add one, or list them in api.CLI_ONLY): {missing}"
    stale = sorted(set(CLI_ONLY) - commands)
    assert stale == [], f"api.CLI_ONLY names commands that do not exist: {stale}"
    assert all(reason for reason in CLI_ONLY.values())


def test_as_of_for_a_state_is_the_same_agreements_in_both(cli, db):
    done = cli("as-of", "2026-01-26", "--state", "tx", "--json")
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    df = db.as_of("2026-01-26", state="tx")
    assert sorted(i["agreement_id"] for i in printed["items"]) == sorted(df["agreement_id"])
    assert (printed["agencies"], printed["agreements"]) == (df.attrs["agencies"], df.attrs["agreements"])
    assert printed["publication"]["sha256"] == df.attrs["publication"]["sha256"]


def test_stats_by_model_is_the_same_counts_in_both(cli, db):
    printed = json.loads(cli("stats", "--as-of", "2026-01-26", "--by", "model", "--json").stdout)
    df = db.stats("2026-01-26", by="model")
    assert [(g["model"], g["agencies"], g["agreements"]) for g in printed["groups"]] == list(
        zip(df["model"], df["agencies"], df["agreements"], strict=True)
    )


def test_one_agency_and_its_changes_are_the_same_in_both(cli, db):
    view = json.loads(cli("agency", "Walker County Sheriff's Office", "--state", "GA", "--json").stdout)
    df = db.agency("Walker County Sheriff's Office", state="GA")
    assert view["agency_id"] == df.attrs["agency_id"]
    assert [a["agreement_id"] for a in view["agreements"]] == list(df["agreement_id"])
    events = json.loads(cli("changes", "--agency", "Walker County Sheriff's Office", "--state", "GA", "--json").stdout)
    assert [e["event_id"] for e in events] == list(
        db.changes(agency="Walker County Sheriff's Office", state="GA")["event_id"]
    )


def test_summary_and_publications_are_the_same_in_both(cli, db):
    assert json.loads(cli("summary", "--json").stdout) == json.loads(json.dumps(db.summary(), default=str))
    pubs = json.loads(cli("publications", "--kind", "pending", "--json").stdout)
    assert [p["sha256"] for p in pubs] == list(db.publications("pending")["sha256"])


@pytest.mark.parametrize(
    ("args", "call", "message"),
    [
        (["as-of", "2026-01-26", "--state", "ZZ"], lambda db: db.as_of("2026-01-26", state="ZZ"), "unknown state 'ZZ'"),
        (["stats", "--as-of", "Jan 26"], lambda db: db.stats("Jan 26"), "not a date: 'Jan 26'"),
        (["stats", "--by", "county"], lambda db: db.stats(by="county"), "--by must be one of state, model, type, kind"),
        (["publications", "--kind", "both"], lambda db: db.publications("both"), "--kind must be one of"),
        (["changes", "--since", "2026-13-01"], lambda db: db.changes(since="2026-13-01"), "not a date"),
    ],
)
def test_a_bad_argument_is_the_same_one_line_error_in_both(cli, db, args, call, message):
    done = cli(*args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    with pytest.raises(InvalidArgument, match=message.replace("(", r"\(")) as caught:
        call(db)
    assert isinstance(caught.value, Track287gError) and caught.value.exit_code == 2
    assert done.stderr.strip() == f"error: {caught.value}"


def test_the_command_line_loads_no_stage_before_a_command_runs():
    """`--help` and every command pay only for what they use: loading the CLI imports no database, data-frame,
    network or web library and no stage (each command imports its own when it runs)."""
    import subprocess
    import sys

    heavy = ("sqlalchemy", "numpy", "pandas", "httpx", "pyarrow", "starlette", "track287g.questions")
    code = f"import sys, track287g.cli; print([m for m in {heavy!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_command_named_is_the_only_one_typer_builds_and_anything_else_gets_the_whole_app():
    """Typer reads every command's signature when it runs: a run that names its command builds that one only,
    while --help, a group and a mistyped name get every command (the list, the group, "did you mean")."""
    from track287g.cli.common import _name, _only_the_command, app

    def built(args: list[str]) -> list[str | None]:
        return [_name(c) for c in _only_the_command(args).registered_commands]

    assert built(["--db", "as-of", "as-of", "2025-06-01"]) == ["as-of"]  # a database file named like a command
    assert built(["--db=x.db", "--debug", "changes", "--json"]) == ["changes"]
    for args in ([], ["--help"], ["chnges"], ["--db", "x.db"]):
        assert _only_the_command(args) is app, args
    assert len(built([])) > 30
    done = run_cli("chnges")
    assert done.returncode == 2 and "Did you mean 'changes'" in done.stderr
