"""Benchmark: full build of the database from the bundled archive vs python-calamine alone.

Run: python bench/bench_build.py [--repeat N]
Prints the calamine-only read time of the same files, the full build (ingest, then ingest + history and
enrich), the re-ingest of the unchanged archive, their ratios (each build against a baseline measured just
before it, the median over the runs), and the peak memory (RSS) of the build.
"""

from __future__ import annotations

import argparse
import resource
import statistics
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
        again = 0.0
        if history:  # (without one, a second ingest would now build the history the first left behind)
            start = time.perf_counter()
            ingest_paths(db, [str(archive)])
            again = time.perf_counter() - start
        db.dispose()
    return (built if history else ingested), again


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="paired runs; the median ratio is reported")
    args = parser.parse_args()
    archive = bundled_archive()
    if archive is None:
        print("no bundled archive (run from a source checkout)", file=sys.stderr)
        return 2
    files = sorted(p for p in archive.rglob("*.xlsx"))
    calamine_only(files[:20])  # warm the file cache and the libraries before timing anything
    # this machine's speed drifts from minute to minute: each build is timed right after its own baseline,
    # and the ratio of each pair is what is compared
    pairs = []
    for _ in range(args.repeat):
        base = calamine_only(files)
        ingest, _ = full_build(archive, history=False)
        base2 = calamine_only(files)
        whole, again = full_build(archive, history=True)
        pairs.append((base, ingest, base2, whole, again))
    base = min(p[0] for p in pairs + [(p[2],) for p in pairs])
    ratio_ingest = statistics.median(p[1] / p[0] for p in pairs)
    ratio_whole = statistics.median(p[3] / p[2] for p in pairs)
    again_share = statistics.median(p[4] / p[3] for p in pairs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"files: {len(files)} ({sum(f.stat().st_size for f in files) / 1e6:.1f} MB); {args.repeat} paired runs")
    print(f"python-calamine alone (baseline): best {base:.2f} s")
    print(
        f"full build, ingest only:          best {min(p[1] for p in pairs):.2f} s   "
        f"median ratio {ratio_ingest:.2f}  (target <= 2.0)"
    )
    print(
        f"full build, ingest + history:     best {min(p[3] for p in pairs):.2f} s   "
        f"median ratio {ratio_whole:.2f}  (target <= 3.0; history includes the enrich stage)"
    )
    print(
        f"re-ingest of the unchanged archive: best {min(p[4] for p in pairs):.2f} s   "
        f"{100 * again_share:.1f}% of the build (target <= 10%)"
    )
    print(f"peak memory: main process {peak_mb:.0f} MB, largest worker {children_mb:.0f} MB (target < 500 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
