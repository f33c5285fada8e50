"""Benchmark: the CLI building the bundled archive into a fresh database, whole process, vs python-calamine alone.

Run: python bench/bench_build.py [--archive DIR] [--repeat N]

Every figure is a whole process (see measure.py): CPU is user + system seconds of the process and every worker it
started, wall is start to exit, memory is the whole process tree. Both sides get the same files: every .xlsx
under the archive, byte-identical copies included (the CLI hashes those and skips them; the baseline reads them).
Rounds are interleaved (start-up, baselines, builds, in turn) and medians reported, because this shared machine's
speed drifts from minute to minute. Figures:

- ``python -c pass``: the interpreter's start-up;
- python-calamine alone, one process and two processes (bench/calamine_read.py);
- ``track287g build`` in one process (the pool switched off by bench/one_process.py: the CLI has no switch) and
  as shipped (a pool of worker processes);
- ``track287g ingest`` of the same archive again into the built database (every file unchanged).

Targets (issue 18): build CPU at most 2.5x calamine's (one process vs one process); peak memory of the whole
process tree at most 250 MB.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import measure  # noqa: E402

PY = sys.executable
CLI = str(Path(PY).parent / "track287g")
TARGET_RATIO, TARGET_MB = 2.5, 250


def main() -> int:
    parser = measure.parser(__doc__)
    parser.add_argument("--archive", type=Path, default=HERE.parent / "data" / "archive")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (medians reported)")
    args = parser.parse_args()
    files = sorted(str(p) for p in args.archive.rglob("*.xlsx"))
    if not files:
        print(f"no .xlsx under {args.archive}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    listing = work / "files.txt"
    listing.write_text("\n".join(files))
    series = {
        name: measure.Series(name)
        for name in (
            "python -c pass",
            "calamine alone, 1 process",
            "calamine alone, 2 processes",
            "track287g build, 1 process",
            "track287g build, pool (as shipped)",
            "re-ingest, all unchanged",
        )
    }
    one_process = True
    try:
        measure.run("warm-up", [PY, str(HERE / "calamine_read.py"), "--list", str(listing)])
        for _ in range(args.repeat):
            series["python -c pass"].runs.append(measure.run("pass", [PY, "-c", "pass"]))
            series["calamine alone, 1 process"].runs.append(
                measure.run("calamine", [PY, str(HERE / "calamine_read.py"), "--list", str(listing)])
            )
            if one_process:
                db = work / "one.db"
                run = measure.run(
                    "one", [PY, str(HERE / "one_process.py"), "--db", str(db), "build", str(args.archive)], check=False
                )
                if run.returncode == 3:
                    one_process = False
                    print(run.stderr.strip())
                elif run.returncode:
                    raise RuntimeError(run.stderr[-2000:])
                else:
                    series["track287g build, 1 process"].runs.append(run)
                db.unlink(missing_ok=True)
            series["calamine alone, 2 processes"].runs.append(
                measure.run("calamine2", [PY, str(HERE / "calamine_read.py"), "--jobs", "2", "--list", str(listing)])
            )
            db = work / "pool.db"
            series["track287g build, pool (as shipped)"].runs.append(
                measure.run("pool", [CLI, "--db", str(db), "build", str(args.archive)])
            )
            series["re-ingest, all unchanged"].runs.append(
                measure.run("again", [CLI, "--db", str(db), "ingest", str(args.archive)])
            )
            db.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = sum(os.path.getsize(f) for f in files) / 1e6
    print(f"{len(files)} files ({size:.1f} MB) under {args.archive}; {args.repeat} interleaved rounds, medians")
    rows = [(name, s) for name, s in series.items() if s.runs]
    base = series["calamine alone, 1 process"]
    print(measure.table(rows, base))
    one, pool = series["track287g build, 1 process"], series["track287g build, pool (as shipped)"]
    print()
    if one.runs:
        ratio = one.cpu / base.cpu
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        print(f"build CPU, one process vs one process: {ratio:.2f}x calamine's (target <= {TARGET_RATIO}x: {verdict})")
    else:
        print("no one-process build (no pool switch): compare the pool's figure with calamine's in one process")
    print(
        f"build CPU with the pool: {pool.cpu / base.cpu:.2f}x calamine's in one process, "
        f"{pool.cpu / series['calamine alone, 2 processes'].cpu:.2f}x calamine's in two"
    )
    peak = pool.median("peak_rss_mb")
    verdict = "met" if peak <= TARGET_MB else "NOT met"
    print(
        f"peak memory of the build's process tree: {peak:.0f} MB RSS summed at one instant, "
        f"{pool.median('peak_pss_mb'):.0f} MB PSS, {pool.median('hwm_sum_mb'):.0f} MB as the sum of each process's "
        f"own peak (target <= {TARGET_MB} MB: {verdict} on summed RSS)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
