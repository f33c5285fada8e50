"""Benchmark: full build of the database from the bundled archive vs python-calamine alone.

Run: python bench/bench_build.py [--repeat N]
Prints the calamine-only read time of the same files, the full build (ingest, then ingest + history), the
re-ingest of the unchanged archive, their ratios, and the peak memory (RSS) of the build.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from track287g.config import bundled_archive
from track287g.pipeline import build_history, ingest_paths
from track287g.store import connect


def calamine_only(files: list[Path]) -> float:
    """Read every sheet of every file into Python values, as the baseline."""
    start = time.perf_counter()
    for f in files:
        book = CalamineWorkbook.from_path(str(f))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def full_build(archive: Path, history: bool) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = connect(str(Path(tmp) / "bench.db"))
        start = time.perf_counter()
        ingest_paths(db, [str(archive)], rebuild_history=False)
        ingested = time.perf_counter() - start
        if history:
            build_history(db)
        built = time.perf_counter() - start
        start = time.perf_counter()
        ingest_paths(db, [str(archive)])
        again = time.perf_counter() - start
        db.dispose()
    return (built if history else ingested), again


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is kept")
    args = parser.parse_args()
    archive = bundled_archive()
    if archive is None:
        print("no bundled archive (run from a source checkout)", file=sys.stderr)
        return 2
    files = sorted(p for p in archive.rglob("*.xlsx"))
    base = min(calamine_only(files) for _ in range(args.repeat))
    ingest = min(full_build(archive, history=False) for _ in range(args.repeat))
    whole = min(full_build(archive, history=True) for _ in range(args.repeat))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"files: {len(files)} ({sum(f.stat().st_size for f in files) / 1e6:.1f} MB)")
    print(f"python-calamine alone (baseline): {base:.2f} s")
    print(f"full build, ingest only:          {ingest[0]:.2f} s   ratio {ingest[0] / base:.2f}  (target <= 2.0)")
    print(f"full build, ingest + history:     {whole[0]:.2f} s   ratio {whole[0] / base:.2f}  (target <= 3.0)")
    print(
        f"re-ingest of the unchanged archive: {whole[1]:.2f} s   {100 * whole[1] / whole[0]:.1f}% of the build"
        " (target <= 10%)"
    )
    print(f"peak memory: main process {peak_mb:.0f} MB, largest worker {children_mb:.0f} MB (target < 500 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
