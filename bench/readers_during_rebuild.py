"""What a reader sees while ``track287g rebuild`` replaces the record: ask, and ask again, until it is done.

Run: python bench/readers_during_rebuild.py [--db PATH] [--date YYYY-MM-DD]
Without --db, builds a database from the bundled archive first (in a temporary folder). Then starts
``track287g rebuild`` as its own process and, until it exits, asks what was in force on the date two ways at
once: ``track287g as-of DATE --json`` run again and again as separate processes, and the same question through
the Python library in a loop. Prints how many answers each got, how many said 0 agencies, how many failed,
and the distinct answers (publication, agencies, agreements).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from track287g.config import bundled_archive
from track287g.history import queries
from track287g.pipeline import ingest_paths
from track287g.store import connect

CLI = [sys.executable, "-m", "track287g"]


def _library_loop(db_path: str, day: str, stop: threading.Event, seen: Counter, errors: list[str]) -> None:
    db = connect(db_path, create=False)
    while not stop.is_set():
        try:
            with db.read() as conn:
                r = queries.as_of(conn, day)
            seen[(r["publication"]["label"], r["agencies"], r["agreements"])] += 1
        except Exception as exc:  # every failure is counted and shown
            errors.append(f"{type(exc).__name__}: {exc}")
    db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a built database (default: build one from the bundled archive)")
    parser.add_argument("--date", default="2026-02-27")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db_path = args.db
    if db_path is None:
        db_path = str(Path(tmp.name) / "track287g.db")
        db = connect(db_path)
        ingest_paths(db, [str(bundled_archive())])
        db.dispose()
    stop, lib_seen, lib_errors = threading.Event(), Counter(), []
    reader = threading.Thread(target=_library_loop, args=(db_path, args.date, stop, lib_seen, lib_errors))
    started = time.monotonic()
    rebuild = subprocess.Popen([*CLI, "--db", db_path, "rebuild"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.start()
    cli_seen, cli_errors = Counter(), []
    while rebuild.poll() is None:
        done = subprocess.run([*CLI, "--db", db_path, "as-of", args.date, "--json"], capture_output=True, text=True)
        if done.returncode != 0:
            cli_errors.append(done.stderr.strip())
            continue
        r = json.loads(done.stdout)
        cli_seen[(r["publication"]["label"], r["agencies"], r["agreements"])] += 1
    took = time.monotonic() - started
    stop.set()
    reader.join()
    out = rebuild.stdout.read().decode().strip()
    print(f"rebuild: exit {rebuild.returncode} after {took:.1f} s: {out}")
    for name, seen, errors in (("as-of processes", cli_seen, cli_errors), ("library loop", lib_seen, lib_errors)):
        zero = sum(n for (_, agencies, _), n in seen.items() if agencies == 0)
        print(f"{name}: {sum(seen.values())} answers, {zero} with 0 agencies, {len(errors)} errors")
        for (label, agencies, agreements), n in sorted(seen.items()):
            print(f"  {n} x list of {label}: {agencies:,} agencies, {agreements:,} agreements")
        for e in errors[:3]:
            print(f"  error: {e}")
    tmp.cleanup()
    return 0 if rebuild.returncode == 0 and not cli_errors and not lib_errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
