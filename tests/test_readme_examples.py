"""The README's examples are real: every `$ track287g ...` line of its console blocks that reads the record
built from the bundled archive runs, as its own process, on that record, and prints what the README shows.

The lines printed under a command are its output. A line ``...`` (or a table row of only ``...`` and rules)
stands for lines left out; ``...`` inside a line stands for any text; an example marked ``# abridged`` shows some
of its lines, in order. Otherwise every line must match, and no more may follow.

Each runs in a folder of its own (what it writes, such as ``match-review.csv``, stays there). Examples that
write to the record are not run (``WRITES``), but for those run on a copy of it (``ON_A_COPY``); nor are those
shown on another record than the bundled one (``NOT_RUN``).
"""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROMPT = "$ track287g "
# commands that write to the database or to files, or that need a server: their examples are not run here
WRITES = {
    "build",
    "build-site",
    "enrich",
    "export",
    "fetch",
    "ingest",
    "map",
    "quarantine",
    "serve",
    "subscribe",
    "unsubscribe",
    "watch",
}
# commands that write to the record but whose examples start from the bundled one: run on a copy of it
ON_A_COPY = {"rebuild"}
# examples shown on another record than the bundled archive's, or that need a file the README only shows
NOT_RUN = {
    "subscriptions": "the subscriptions of the README's own watcher",
    "watch-status --runs 2": "the runs of the README's own watcher",
    "as-of 2026-02-10": "the record of the held-list example (a list with a blank STATE cell ingested)",
    "as-of 2026-02-11 | head -2": "the record of the held-list example",
    "as-of 2026-02-11": "a database whose row_agreement table was dropped by hand",
    "funding --params bad.yaml": "the bad.yaml file the README shows",
    "rebuild &": "two writers at once: what the second prints is the example",
}


def examples(prompt: str = PROMPT) -> list[tuple[int, str, list[str]]]:
    """(README line number, what follows ``prompt``, the lines shown under it) for each line of a code block that
    starts with ``prompt`` (`$ track287g `, `$ curl `)."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    found = []
    inside = False
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            inside = not inside
            continue
        if inside and line.startswith(prompt):
            shown = []
            for later in lines[number:]:
                if later.startswith("$ ") or later.startswith("```"):
                    break
                shown.append(later)
            while shown and not shown[-1].strip():
                shown.pop()
            found.append((number, line[len(prompt) :], shown))
    return found


def command_of(text: str) -> str:
    """The command without its trailing comment."""
    return re.sub(r"\s+#.*$", "", text).strip()


def runnable() -> list[tuple[int, str, list[str]]]:
    out = []
    for number, text, shown in examples():
        command = command_of(text)
        words = shlex.split(command.split("|")[0])
        first = next((w for w in words if not w.startswith("-")), "")
        synopsis = "[" in command  # `subscriptions [--json] [--all]`: how to call it, not an example
        if first in WRITES or "--db" in words or command in NOT_RUN or synopsis:
            continue
        out.append((number, text, shown))
    return out


def _is_gap(line: str) -> bool:
    """A line standing for lines left out: ``...`` alone, or a table row of only ``...`` and its rules."""
    return "..." in line and not re.sub(r"[.\s│┃|]", "", line)


def _pattern(line: str) -> re.Pattern[str]:
    """A shown line as a pattern: ``...`` inside it stands for any text; trailing blanks do not count."""
    return re.compile(".*".join(re.escape(part) for part in line.rstrip().split("...")) + r"\s*")


def mismatch(shown: list[str], printed: list[str], abridged: bool) -> str | None:
    """Why ``printed`` is not what the README shows (None when it is)."""
    exact = not abridged and not any("..." in line for line in shown)
    at = 0
    loose = abridged
    for line in shown:
        if _is_gap(line):
            loose = True
            continue
        pattern = _pattern(line.rstrip(",") if abridged else line)
        if loose:
            while at < len(printed) and not pattern.fullmatch(printed[at].rstrip(",") if abridged else printed[at]):
                at += 1
            if at == len(printed):
                return f"shown but not printed (in this order): {line!r}"
        elif at >= len(printed) or not pattern.fullmatch(printed[at]):
            got = printed[at] if at < len(printed) else "(nothing)"
            return f"shown: {line!r}\nprinted: {got!r}"
        at += 1
        loose = abridged
    if exact and at < len(printed):
        return f"printed beyond what is shown: {printed[at]!r}"
    return None


def test_the_readme_has_examples_on_the_bundled_record_and_names_those_it_does_not_run():
    commands = {command_of(text) for _, text, _ in examples()}
    assert len(runnable()) >= 40
    assert set(NOT_RUN) <= commands, "an example NOT_RUN names is no longer in the README"


@pytest.mark.parametrize(("number", "text", "shown"), runnable(), ids=[f"line{n}" for n, _, _ in runnable()])
def test_a_readme_example_prints_what_the_readme_shows(built_db_path, tmp_path, number, text, shown):
    command = command_of(text)
    db = built_db_path
    if command.split()[0] in ON_A_COPY:
        db = tmp_path / "copy.db"
        with sqlite3.connect(built_db_path) as source, sqlite3.connect(db) as target:
            source.backup(target)
    for name in ("data", "tests"):  # the examples' paths, from a folder of their own: what they write stays there
        (tmp_path / name).symlink_to(ROOT / name)
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "TRACK287G_DB": str(db),
        "COLUMNS": "250",  # the README's tables were printed by a wide terminal
        "NO_COLOR": "1",
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"track287g {command}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    printed = (done.stdout + done.stderr).rstrip("\n").splitlines()
    why = mismatch(shown, printed, abridged="# abridged" in text)
    assert why is None, f"README line {number}: $ track287g {text}\n{why}"


def test_the_readmes_python_examples_print_what_the_readme_shows(built_db_path, tmp_path, monkeypatch):
    """The README's ``>>>`` examples, run in order as one session (``doctest``) in a folder where
    ``track287g.db`` is the record built from the bundled archive."""
    import doctest

    import pandas as pd

    (tmp_path / "track287g.db").symlink_to(built_db_path)
    monkeypatch.chdir(tmp_path)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if ">>>" in b]
    assert len(blocks) >= 3
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    session: dict = {}
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 100):
        for number, block in enumerate(blocks, 1):
            test = parser.get_doctest(block, session, f"README python block {number}", "README.md", 0)
            runner.run(test, clear_globs=False)
            session.update(test.globs)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 15
    assert result.failed == 0, "a README python example printed something else (doctest's report above)"
    # the blocks of plain code (the enrich and funding calls, the webhook check) run as they are
    code = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if ">>>" not in b]
    assert len(code) >= 3
    for block in code:
        exec(compile(block, "README.md", "exec"), {})
