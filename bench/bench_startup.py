"""Benchmark: how long the quick commands take to start, against ``python -c pass`` in the same run.

Run: python bench/bench_startup.py [--db PATH] [--runs 7]

Each command runs ``--runs`` times as its own process, interleaved with the baseline (so load on the machine hits
both sides alike); the table gives the median CPU seconds (user + system, from the kernel's accounting of the child)
and wall seconds per command, and CPU as a multiple of the baseline. Target: at most 0.3 s of CPU for ``--help``,
``as-of``, ``agency`` and ``changes``.

A second baseline, ``python -c "import sqlalchemy"``, shows the floor of the three query commands (they ask the
database through SQLAlchemy Core). The package runs as installing leaves it: compiled to bytecode first
(``measure.as_installed``), even where ``PYTHONDONTWRITEBYTECODE`` is set; one unmeasured round goes first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import measure  # noqa: E402

BIN = Path(sys.executable).parent


def timed(cmd: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="track287g.db")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    exe = str(BIN / "track287g")
    db = ["--db", args.db]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import sqlalchemy'": [sys.executable, "-c", "import sqlalchemy"],
        "track287g --help": [exe, "--help"],
        "track287g as-of 2026-01-01": [exe, *db, "as-of", "2026-01-01"],
        "track287g agency 'Lee County'": [exe, *db, "agency", "Lee County Sheriff's Office", "--state", "FL"],
        "track287g changes --since 2026-02-01": [exe, *db, "changes", "--since", "2026-02-01"],
    }
    measure.as_installed()
    for cmd in commands.values():  # unmeasured
        timed(cmd)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            results[name].append(timed(cmd))
    base = statistics.median(cpu for cpu, _ in results["python -c pass"])
    floor = statistics.median(cpu for cpu, _ in results["python -c 'import sqlalchemy'"])
    print(f"{'command':40} {'CPU s':>7} {'wall s':>7} {'x pass':>7} {'- sqla':>7}   (median of {args.runs} runs)")
    for name, runs in results.items():
        cpu = statistics.median(c for c, _ in runs)
        wall = statistics.median(w for _, w in runs)
        print(f"{name:40} {cpu:7.3f} {wall:7.3f} {cpu / base:7.1f} {cpu - floor:+7.3f}")
    print("- sqla: CPU seconds beyond python -c 'import sqlalchemy' (the query commands' floor)")


if __name__ == "__main__":
    main()
