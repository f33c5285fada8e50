"""Benchmark: how long ``track287g serve`` takes to stop after SIGTERM, idle and with a slow request in flight.

Run: python bench/bench_stop.py [--db PATH] [--rounds 3] [--path /state/FL/] [--delay 0.5] [--server granian]

Each round starts a fresh server (so ``--path`` is not cached yet: the first /state/FL/ renders the state's page
and its map from the database) on a free loopback port, waits until /api/v1/ answers, then:

- **in flight**: sends GET ``--path``, waits ``--delay`` seconds, sends SIGTERM to the server's main process
  (as systemd or ``kill`` would) and times until the main process has exited and until the last process of its
  group has; the server's log must name the request it was serving (``was serving ... GET /state/FL/``) and,
  when the request outran the grace, the request it cut (``cutting ... GET /state/FL/``: "named as cut");
- **idle** (the baseline, same round): a fresh server, no request, SIGTERM, the same two times.

Target (issue 13): the server stops within 2 s of SIGTERM, whatever it is doing, and its logs say what it was
serving. The table gives the median and the worst over the rounds.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
TARGET_SECONDS = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def one_stop(db: str, server: str, path: str | None, delay: float) -> dict:
    """Start a server, (send ``path`` and wait ``delay``), SIGTERM it: the seconds until it and its group ended."""
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115  (read after the server ends)
    cmd = [str(BIN / "track287g"), "--db", db, "serve", "--port", str(port), "--server", server]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the server did not start: {Path(log.name).read_text()}")
        try:
            with urllib.request.urlopen(base + "/api/v1/", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    answer: dict = {}

    def fetch() -> None:
        try:
            with urllib.request.urlopen(base + path, timeout=120) as r:
                answer["status"] = r.status
        except Exception as exc:  # the cut request: the connection closes without an answer
            answer["status"] = type(exc).__name__

    if path:
        client = threading.Thread(target=fetch, daemon=True)
        client.start()
        time.sleep(delay)
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    main = time.monotonic() - start
    while not gone(proc.pid) and time.monotonic() - start < 30:
        time.sleep(0.01)
    group = time.monotonic() - start
    if not gone(proc.pid):
        os.killpg(proc.pid, signal.SIGKILL)
    if path:
        client.join(timeout=5)
    text = Path(log.name).read_text()
    os.unlink(log.name)
    told = [line for line in text.splitlines() if "stopping (pid" in line and "no request" not in line]
    return {
        "main": main,
        "group": group,
        "named": bool(path) and any("cutting" in line and f"GET {path}" in line for line in told),
        "log": " | ".join(told),
        "answer": answer.get("status"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="track287g.db")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--path", default="/state/FL/")
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--server", default="granian", choices=("granian", "uvicorn"))
    args = parser.parse_args()
    runs: dict[str, list[dict]] = {"idle": [], f"in flight: GET {args.path}": []}
    for _ in range(args.rounds):
        runs["idle"].append(one_stop(args.db, args.server, None, 0))
        runs[f"in flight: GET {args.path}"].append(one_stop(args.db, args.server, args.path, args.delay))
    print(f"{args.server}, SIGTERM to the main process; seconds until it exited / its whole group had ended")
    print(f"{'case':32} {'main p50':>9} {'main max':>9} {'group p50':>10} {'group max':>10}  named as cut")
    for name, rs in runs.items():
        mains, groups = [r["main"] for r in rs], [r["group"] for r in rs]
        named = "-" if name == "idle" else f"{sum(r['named'] for r in rs)}/{len(rs)}"
        print(
            f"{name:32} {statistics.median(mains):9.2f} {max(mains):9.2f} "
            f"{statistics.median(groups):10.2f} {max(groups):10.2f}  {named}"
        )
    for r in runs[f"in flight: GET {args.path}"]:
        print(f"  client got: {r['answer']}; log: {r['log'] or '(no request named)'}")
    worst = max(r["group"] for rs in runs.values() for r in rs)
    print(f"target: every stop within {TARGET_SECONDS:.0f} s: {'met' if worst <= TARGET_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
