"""The progress bar: on a terminal while files are read, and nothing of it in a log or a pipe."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

LIST = "ice/pending/pendingAgencies01262026pm.xlsx"


def _track287g() -> str:
    return str(Path(sys.executable).parent / "track287g")


def test_ingest_into_a_pipe_prints_its_json_lines_and_nothing_else(archive_dir, tmp_path):
    done = subprocess.run(
        [_track287g(), "--db", str(tmp_path / "t.db"), "ingest", str(archive_dir / LIST), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and '"status": "stored"' in done.stdout
    assert done.stderr == ""  # the bar drew nothing, not even a blank line


def test_ingest_into_a_log_reports_its_lines_without_importing_the_progress_bar(archive_dir, tmp_path):
    # the bar, switched off, still cost its import: 7 ms of an add of one of ICE's lists (the watcher's case)
    code = (
        "import atexit, sys; sys.argv = ['track287g', *sys.argv[1:]]\n"
        "atexit.register(lambda: print('rich.progress' in sys.modules, file=sys.stderr))\n"
        "from track287g.__main__ import main\n"
        "main()\n"
    )
    args = ["--db", str(tmp_path / "t.db"), "ingest", str(archive_dir / LIST)]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "1 file: 1 stored, 0 unchanged, 0 rejected" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "False"


def test_ingest_on_a_terminal_shows_the_progress_bar(archive_dir, tmp_path):
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    proc = subprocess.Popen(
        [_track287g(), "--db", str(tmp_path / "t.db"), "ingest", str(archive_dir / LIST)],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
    )
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=300) == 0
    os.close(main)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode(errors="replace"))  # the terminal's colours
    assert "ingesting" in text  # the bar, drawn then cleared (transient)
    assert "1 file: 1 stored, 0 unchanged, 0 rejected" in text
