"""Benchmark: the instructions one add executes (``track287g ingest NEW`` into a copy of a database), counted by
valgrind, for comparing two codes where this machine's drifting speed hides the difference.

Run: python bench/instructions.py ARCHIVE --work DIR [--baseline-src SRC --baseline-db DB] [--larger ARCHIVE2
--larger-work DIR2 [--larger-baseline-db DB2]] [--repeat 2]

ARCHIVE, ``--work`` and the other options are those of bench_scale.py's add step: the new list of a synthetic
archive is added to a copy of WORK/archive.db (the baseline code, ``PYTHONPATH=SRC``, to a copy of
``--baseline-db``), and with ``--larger`` the larger archive's new list to a copy of its database too. Each case
first runs once at full speed, unmeasured, to fill its own cache folder (the parsed rosters, the names' keys) and
compile its bytecode, as a deployment that has run before has them; then ``--repeat`` times under ``valgrind
--tool=cachegrind --cache-sim=no --trace-children=yes``, whose count of instructions (``I refs``, summed over
the process and any it starts) is printed with its spread. Two cases run at once (the count does not depend on
what else the machine does).

What the count leaves out: the time memory takes (a larger heap misses the caches more often: the CPU seconds
of bench_scale.py grow faster than the instructions from 1,000 to 3,650 lists) and the system's own work. It is
the figure for "did this change remove work", CPU seconds the figure for what a user waits.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import measure  # noqa: E402
from bench_scale import copy_db, remove_db, split  # noqa: E402

PY = sys.executable
REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def count(db: Path, new: str, cache: Path, src: str | None, repeat: int) -> list[int]:
    """The instructions of ``repeat`` adds of ``new`` to fresh copies of ``db`` (after one unmeasured add)."""
    env = {**os.environ, "TRACK287G_CACHE": str(cache)}
    if src:
        env["PYTHONPATH"] = str(Path(src).resolve())
    found = []
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as tmp:
        copy = Path(tmp) / "add.db"
        for measured in [False] + [True] * repeat:
            copy_db(db, copy)
            cmd = [PY, "-m", "track287g", "--db", str(copy), "ingest", new]
            if measured:
                logs = Path(tmp) / "valgrind.%p"
                cmd = [
                    "valgrind",
                    "--tool=cachegrind",
                    "--cache-sim=no",
                    "--trace-children=yes",
                    "--cachegrind-out-file=/dev/null",
                    f"--log-file={logs}",
                    *cmd,
                ]
            done = subprocess.run(cmd, env=env, cwd=tmp, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.strip().splitlines()[-1:]}")
            if measured:
                total = 0
                for log in Path(tmp).glob("valgrind.*"):
                    total += sum(int(m.group(1).replace(",", "")) for m in REFS.finditer(log.read_text()))
                    log.unlink()
                found.append(total)
            remove_db(copy)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--work", type=Path, required=True, help="the folder holding the built archive.db")
    parser.add_argument("--baseline-src")
    parser.add_argument("--baseline-db", type=Path)
    parser.add_argument("--larger", type=Path)
    parser.add_argument("--larger-work", type=Path)
    parser.add_argument("--larger-baseline-db", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if bool(args.larger) != bool(args.larger_work):
        parser.error("--larger and --larger-work go together")
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    measure.as_installed(*([args.baseline_src] if args.baseline_src else []))
    sizes = [("", args.archive, args.work, args.baseline_db)]
    if args.larger:
        sizes.append((", the larger archive", args.larger, args.larger_work, args.larger_baseline_db))
    cases = []  # (label, database, new list, cache folder, src)
    for suffix, archive, work, baseline_db in sizes:
        new = split(archive)[1]
        cases.append((f"track287g ingest NEW{suffix}", work / "archive.db", new, work / "cache-instructions", None))
        if args.baseline_src:
            cases.append(
                (
                    f"track287g ingest NEW{suffix}, baseline src",
                    baseline_db or work / "archive.db",
                    new,
                    work / "cache-instructions-baseline",
                    args.baseline_src,
                )
            )
    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(lambda c: count(c[1], c[2], c[3], c[4], args.repeat), cases))
    print(f"instructions of one add (valgrind, {args.repeat} runs each; billions: median, lowest-highest)")
    median = {}
    for (label, *_), found in zip(cases, counts, strict=True):
        median[label] = statistics.median(found)
        print(f"{label:<58} {median[label] / 1e9:7.2f}  ({min(found) / 1e9:.2f}-{max(found) / 1e9:.2f})")
    for suffix, *_ in sizes:
        ours, base = median[f"track287g ingest NEW{suffix}"], median.get(f"track287g ingest NEW{suffix}, baseline src")
        if base:
            print(f"this code against the baseline{suffix or ''}: {ours / base - 1:+.1%}")
    if args.larger:
        for whose in ("", ", baseline src"):
            small, large = (
                median.get(f"track287g ingest NEW{whose}"),
                median.get(f"track287g ingest NEW, the larger archive{whose}"),
            )
            if small and large:
                print(f"growth from the smaller archive to the larger{whose}: {large / small - 1:+.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
