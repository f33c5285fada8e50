"""Kill chains, as an operator meets them: SIGKILL `ingest` or `rebuild` at a random moment, run the next plain
command, and ask what is in force. Runs only the command line, so the same script measures any version of the
code (``--src`` names another checkout's ``src`` folder, e.g. one made with ``git archive main``).

Run: python bench/kill_chains.py [--kills N] [--seed S] [--src PATH]
A small record (six participating and two pending lists of early February 2026) is built first; two later
lists are the new ones. Two chains, each ``--kills`` times, each on a fresh copy of the database:

- ingest: ``ingest NEW`` killed after a random delay, then ``ingest NEW`` again whole, then ``as-of`` the day
  of the newest list: does the answer come from the newest list, or is the history left behind?
- rebuild: ``rebuild`` killed after a random delay (the new lists already stored and in the history), then
  ``as-of`` straight away: a whole answer, or 0 agencies, or an error?
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARCHIVE = Path(__file__).resolve().parent.parent / "data" / "archive" / "ice"
BASE = [f"participating/participatingAgencies020{d}2026{p}.xlsx" for d, p in
        ((2, "am"), (3, "am"), (4, "am"), (5, "am"), (6, "am"), (6, "pm"))] + [
        "pending/pendingAgencies01292026pm.xlsx", "pending/pendingAgencies01302026am.xlsx"]  # fmt: skip
NEW = ["participating/participatingAgencies02092026am.xlsx", "participating/participatingAgencies02102026am.xlsx"]
DAY = "2026-02-10"  # the day of the newest list


def cli(env: dict, db: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "track287g", "--db", str(db), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)


def start(env: dict, db: Path, *args: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "track287g", "--db", str(db), *args]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)


def copy(source: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def answer(env: dict, db: Path) -> str:
    """``list LABEL: N agencies`` or ``error: ...`` (the first line the command printed)."""
    done = cli(env, db, "as-of", DAY, "--json")
    if done.returncode != 0:
        return "error: " + (done.stderr.strip().splitlines() or ["(nothing)"])[-1][:160]
    r = json.loads(done.stdout)
    return f"list {r['publication']['label']}: {r['agencies']} agencies"


def kill_after(env: dict, db: Path, args: list[str], delay: float) -> bool:
    proc = start(env, db, *args)
    time.sleep(delay)
    killed = proc.poll() is None
    if killed:
        os.killpg(proc.pid, signal.SIGKILL)  # its worker processes too: none is left running on any version
    proc.wait(timeout=60)
    return killed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=287)
    parser.add_argument("--src", help="a checkout's src folder to run instead of the installed package")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = str(Path(args.src).resolve())
    where = subprocess.run(
        [sys.executable, "-c", "import track287g, sys; sys.stdout.write(track287g.__file__)"],
        capture_output=True, text=True, env=env, check=True,
    ).stdout  # fmt: skip
    print(f"code: {where}")
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="kill-chains-"))
    try:
        for name, files in (("base", BASE), ("new", NEW)):
            (tmp / name).mkdir()
            for f in files:
                shutil.copy2(ARCHIVE / f, tmp / name / Path(f).name)
        base = tmp / "base.db"
        assert cli(env, base, "ingest", str(tmp / "base")).returncode == 0
        full = copy(base, tmp / "full.db")
        started = time.monotonic()
        assert cli(env, full, "ingest", str(tmp / "new")).returncode == 0
        ingest_s = time.monotonic() - started
        started = time.monotonic()
        assert cli(env, full, "rebuild").returncode == 0
        rebuild_s = time.monotonic() - started
        whole = answer(env, full)
        print(f"clean: ingest of the new lists {ingest_s:.1f} s, rebuild {rebuild_s:.1f} s; as-of {DAY}: {whole}")

        work = tmp / "work.db"
        tally: dict[str, dict[str, int]] = {"ingest": {}, "rebuild": {}}
        killed = {"ingest": 0, "rebuild": 0}
        for _ in range(args.kills):
            copy(base, work)
            killed["ingest"] += kill_after(env, work, ["ingest", str(tmp / "new")], rng.uniform(0.05, ingest_s))
            cli(env, work, "ingest", str(tmp / "new"))  # the next plain command
            seen = answer(env, work)
            tally["ingest"][seen] = tally["ingest"].get(seen, 0) + 1
        for _ in range(args.kills):
            copy(full, work)
            killed["rebuild"] += kill_after(env, work, ["rebuild"], rng.uniform(0.05, rebuild_s))
            seen = answer(env, work)  # what a reader is told right after the kill
            tally["rebuild"][seen] = tally["rebuild"].get(seen, 0) + 1
        for chain, seen in tally.items():
            then = "after the next ingest" if chain == "ingest" else "right after the kill"
            print(f"{chain}: {args.kills} runs, {killed[chain]} killed; as-of {DAY} {then}:")
            for text, n in sorted(seen.items(), key=lambda kv: -kv[1]):
                print(f"  {n} x {text}" + ("  (the whole answer)" if text == whole else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
