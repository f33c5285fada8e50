"""Benchmark: the first /downloads/ a running server answers after a data change, the bulk files already built.

Run: python bench/bench_downloads.py [--work DIR] [--rounds 3] [--add FILE]

The data change is a real one: ICE's participating list of 2026-02-27 am (``--add``; the newest in the bundled
archive) arrives in a database built from the bundled archive without it. Once, into ``--work`` (kept between
runs), ``track287g build`` makes that database and its bulk downloads from a copy of the archive less the list.
Then each round:

1. copies the database and its downloads into a fresh folder and starts ``track287g serve`` (granian) on it;
2. asks for /downloads/ twice (the page is rendered and cached, as on a site in use);
3. runs ``track287g build FILE`` against the served database: it ingests the list, rebuilds the history and
   writes the bulk downloads of the new data version (the server keeps serving meanwhile);
4. waits 1.5 s (the server looks at the database's version at most once a second), then times one GET
   /downloads/ over HTTP: the first after the change (its ETag must differ from the one before and the page must
   list the new version's files), and one more (served from the cache, the baseline of the same run). The CPU
   the server's processes used while answering the first is read from /proc (on a busy machine, wall time
   includes waiting for a core).

Target (issue 13): the first /downloads/ after a data change in under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
TARGET_MS = 100.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# the newest list in the bundled archive (published 2026-02-27 am)
NEWEST = REPO / "data" / "archive" / "ice" / "participating" / "participatingAgencies02272026am.xlsx"


def track287g(*args: str) -> None:
    subprocess.run([str(BIN / "track287g"), *args], check=True, stdout=subprocess.DEVNULL)


def base(work: Path, added: Path) -> Path:
    """The database built from the bundled archive less ``added`` (made once, with its downloads)."""
    db = work / "base" / "track287g.db"
    done = work / "base" / "done"  # names the list left out
    if done.exists() and done.read_text() == added.name:
        return db
    shutil.rmtree(work / "base", ignore_errors=True)
    archive = work / "base" / "archive"
    shutil.copytree(REPO / "data" / "archive", archive)
    (archive / added.relative_to(REPO / "data" / "archive")).unlink()
    print(f"building {db} from the bundled archive less {added.name} (once)", flush=True)
    track287g("--db", str(db), "build", str(archive))
    done.write_text(added.name)
    return db


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the processes of group ``pgid`` (the server and its workers),
    from /proc, in clock ticks (10 ms)."""
    total = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:  # pgrp
                total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def get(url: str) -> tuple[float, str, bytes]:
    """(milliseconds for the whole request, ETag, body)."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        body = r.read()
        etag = r.headers.get("ETag", "")
    return (time.perf_counter() - start) * 1000, etag, body


def one_round(work: Path, db: Path, added: Path, k: int) -> dict:
    here = work / f"round{k}"
    shutil.rmtree(here, ignore_errors=True)
    here.mkdir()
    shutil.copy(db, here / db.name)
    shutil.copytree(db.parent / "track287g-exports", here / "track287g-exports")
    served = here / db.name
    port = free_port()
    proc = subprocess.Popen(
        [str(BIN / "track287g"), "--db", str(served), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/downloads/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                get(f"http://127.0.0.1:{port}/api/v1/")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        get(url)
        _, before, _ = get(url)
        track287g("--db", str(served), "build", str(added))
        time.sleep(1.5)
        cpu = group_cpu(proc.pid)
        first, after, body = get(url)
        cpu = group_cpu(proc.pid) - cpu
        cached, _, _ = get(url)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    versions = sorted(p.name for p in (here / "track287g-exports").iterdir() if p.is_dir())
    shutil.rmtree(here, ignore_errors=True)
    return {
        "first": first,
        "cpu": cpu * 1000,
        "cached": cached,
        "changed": after != before,
        "lists_files": b"/downloads/files/" in body,
        "versions": versions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", default="/tmp/track287g-bench-downloads")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--add", type=Path, default=None, help="The list that arrives (default: ICE's newest).")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    added = (args.add or NEWEST).resolve()
    db = base(work, added)
    runs = [one_round(work, db, added, k) for k in range(args.rounds)]
    firsts, cached = [r["first"] for r in runs], [r["cached"] for r in runs]
    print(f"data change: {added.name} arrives (track287g build), then GET /downloads/ over HTTP; {args.rounds} rounds")
    print(f"{'request':44} {'p50 ms':>8} {'max ms':>8}")
    print(f"{'first /downloads/ after the change':44} {statistics.median(firsts):8.1f} {max(firsts):8.1f}")
    print(f"{'the next one (cached; baseline)':44} {statistics.median(cached):8.1f} {max(cached):8.1f}")
    cpus = [r["cpu"] for r in runs]
    print(f"{'server CPU for that first answer (10 ms ticks)':44} {statistics.median(cpus):8.1f} {max(cpus):8.1f}")
    ok = all(r["changed"] and r["lists_files"] for r in runs)
    print(f"every first answer was of the new version and listed its files: {ok}")
    verdict = "met" if max(firsts) < TARGET_MS else "MISSED"
    print(f"target: first /downloads/ after a data change under {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
