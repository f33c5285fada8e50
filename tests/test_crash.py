"""A writer killed at any moment leaves the record whole: kill -9 `ingest`, `rebuild` and `build` at random.

Each command runs as a real process on a copy of a built database, with lists held out of the build added
back, and is killed with SIGKILL after a random delay within the time a whole run takes. Meanwhile a reader
asks the database what was in force, over and over: every answer must be a whole history (the one before
the command or the one after), never 0 agencies or a half-written one. After the kills, the database passes
SQLite's integrity check, the killed commands left no worker processes behind, and the next plain command
ends in exactly what a clean build gives: the same publications, ids and events.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import SmallRecord, copy_db
from tests.helpers import answer_of, integrity, record_of
from track287g.history.state import needs_refresh
from track287g.pipeline import ingest_paths
from track287g.store import connect

KILLS_PER_COMMAND = 10  # 30 in the default run; KILLS_SLOW under the slow marker
KILLS_SLOW = 40


class Reader(threading.Thread):
    """Asks the database what is in force, as fast as it can, and keeps every distinct answer."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path, self.answers, self.errors, self.asked = path, set(), [], 0
        self.stop = threading.Event()

    def run(self) -> None:
        db = connect(str(self.path), create=False)
        while not self.stop.is_set():
            try:
                with db.read() as conn:
                    self.answers.add(answer_of(conn))
                self.asked += 1
            except Exception as exc:  # any error a reader meets fails the test
                self.errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.02)
        db.dispose()

    def __enter__(self) -> Reader:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.join(timeout=60)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def kill_runs(
    args: list[str], db_path: Path, kills: int, longest: float, rng: random.Random, tries: int, *, once: bool = False
) -> dict:
    """Start the command again and again, SIGKILL it after a random delay, until ``kills`` kills or ``tries`` runs
    (``once``: or until a run finishes, after which the command has nothing left to do on this database)."""
    tried = killed = finished = behind = 0
    orphans: list[int] = []
    while killed < kills and tried < tries and not (once and finished):
        tried += 1
        proc = subprocess.Popen(
            [sys.executable, "-m", "track287g", "--db", str(db_path), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, longest))
        workers = _descendants(proc.pid)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        else:
            finished += 1
        proc.wait(timeout=60)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        orphans += [w for w in workers if _alive(w)]
        assert integrity(db_path) == "ok"
        db = connect(str(db_path), create=False)
        with db.read() as conn:
            behind += needs_refresh(conn) is not None  # lists stored, the history not yet rebuilt from them
        db.dispose()
    for pid in orphans:  # never leave them running, even when the test fails
        os.kill(pid, signal.SIGKILL)
    return {"tried": tried, "killed": killed, "finished": finished, "behind": behind, "orphans": orphans}


def cli(db_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "track287g", "--db", str(db_path), *args], capture_output=True, text=True, timeout=600
    )


def _crash_and_converge(small: SmallRecord, tmp_path: Path, kills: int, seed: int) -> dict:
    rng = random.Random(seed)
    expected = record_of(small.with_new_db)
    valid = {small.base_answer, small.new_answer}
    longest = max(small.build_seconds, 1.0)
    results = {}

    # each command killed again and again on its own copy of the base database, then run whole once. Once an
    # ingest has finished, its list is stored and its history built: it has nothing left to do there, so the
    # kills go on on a fresh copy of the base (a kill after its work, while the process ends, would kill nothing)
    commands = {"ingest": ["ingest", str(small.new)], "rebuild": ["rebuild"], "build": ["build", str(small.new)]}
    for name, args in commands.items():
        found = {"tried": 0, "killed": 0, "finished": 0, "behind": 0, "orphans": []}
        copies = 0
        while found["killed"] < kills and found["tried"] < kills * 3 and (copies == 0 or name == "ingest"):
            copies += 1
            db_path = copy_db(small.base_db, tmp_path / f"{name}-{copies}.db")
            if name == "rebuild":  # new lists stored, the history behind them: as if an ingest died before its history
                db = connect(str(db_path))
                assert ingest_paths(db, [str(small.new)], rebuild_history=False).ok
                db.dispose()
            left, tries = kills - found["killed"], kills * 3 - found["tried"]
            with Reader(db_path) as reader:
                got = kill_runs(args, db_path, left, longest, rng, tries, once=name == "ingest")
                done = cli(db_path, *args)
            assert done.returncode == 0, done.stderr
            assert record_of(db_path) == expected
            assert not reader.errors and reader.answers <= valid, (reader.errors[:3], reader.answers - valid)
            assert reader.asked > 0
            for key, value in got.items():
                found[key] += value
        results[name] = found
    return results


def _enough_kills(results: dict, kills: int) -> None:
    """Rebuild always has work, and so has ingest (on a fresh copy once it finished), so each is killed ``kills``
    times; once a ``build`` finishes, the lists are stored and its later runs are quick no-ops that mostly end
    before the kill: it must be killed at least once."""
    assert results["ingest"]["killed"] + results["rebuild"]["killed"] >= 2 * kills, results
    assert results["build"]["killed"] >= 1, results


def _report(results: dict) -> None:
    for command, r in results.items():
        assert r["orphans"] == [], f"{command}: worker processes outlived their killed parent: {r['orphans']}"
    total = sum(r["killed"] for r in results.values())
    parts = ", ".join(
        f"{c} {r['killed']} of {r['tried']} runs, {r['behind']} left the history behind" for c, r in results.items()
    )
    print(f"kills: {total} ({parts})")


def test_killed_ingest_rebuild_and_build_leave_a_whole_record_and_the_next_run_converges(small_record, tmp_path):
    results = _crash_and_converge(small_record, tmp_path, KILLS_PER_COMMAND, seed=287)
    _report(results)
    _enough_kills(results, KILLS_PER_COMMAND)


@pytest.mark.slow
def test_many_more_kills_converge_too(small_record, tmp_path):
    results = _crash_and_converge(small_record, tmp_path, KILLS_SLOW, seed=int(time.time()))
    _report(results)
    _enough_kills(results, KILLS_SLOW)
