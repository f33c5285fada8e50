"""Benchmark: the CLI building the bundled archive into a fresh database, whole process, vs python-calamine alone.

Run: python bench/bench_build.py [--archive DIR] [--repeat N]

Every figure is a whole process (see measure.py): CPU is user + system seconds of the process and every worker it
started, wall is start to exit, memory is the whole process tree. Both sides get the same files: every .xlsx
under the archive, byte-identical copies included (the CLI hashes those and skips them; the baseline reads them).
Rounds are interleaved (start-up, baselines, builds, in turn) and medians reported, because this shared machine's
speed drifts from minute to minute. Figures:

- ``python -c pass``: the interpreter's start-up;
- python-calamine alone, one process and two processes (bench/calamine_read.py), reading every .xlsx;
- ``track287g build --no-exports`` of those same .xlsx files (named one by one, so the MOA PDFs and the
  historical CSVs are left out): the like-for-like figure, in one process (the pool switched off by
  bench/one_process.py: the CLI has no switch) and as shipped (a pool of worker processes);
- ``track287g build`` of the archive folder as a user runs it: the lists, the historical CSVs, the MOA PDFs
  (their text layer, and OCR by tesseract for the scanned ones) and the bulk downloads, in one process and with
  the pool: what calamine's figure leaves out, beside it;
- ``track287g ingest`` of the same archive again into the built database (every file unchanged).

The package runs as installing leaves it: compiled to bytecode first (``measure.as_installed``), even where
``PYTHONDONTWRITEBYTECODE`` is set.

Targets (issue 18): build CPU at most 2.5x calamine's (one process vs one process, the same files); peak memory
of the whole process tree at most 250 MB.
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
    parser.add_argument("--lists-only", action="store_true", help="skip the whole archive's builds (PDFs, downloads)")
    args = parser.parse_args()
    files = sorted(str(p) for p in args.archive.rglob("*.xlsx"))
    if not files:
        print(f"no .xlsx under {args.archive}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    listing = work / "files.txt"
    listing.write_text("\n".join(files))
    names = {
        "pass": "python -c pass",
        "calamine": "calamine alone, 1 process",
        "calamine2": "calamine alone, 2 processes",
        "lists1": "build, the same .xlsx, 1 process",
        "lists": "build, the same .xlsx, pool",
        "all1": "build, whole archive, 1 process",
        "all": "build, whole archive, pool (as run)",
        "again": "re-ingest, all unchanged",
    }
    series = {key: measure.Series(name) for key, name in names.items()}
    one_process = True

    def build(key: str, args_: list[str]) -> None:
        """One build into a fresh database (kept for the re-ingest when it is the whole archive with the pool)."""
        nonlocal one_process
        db = work / f"{key}.db"
        if key.endswith("1"):
            if not one_process:
                return
            run = measure.run(key, [PY, str(HERE / "one_process.py"), "--db", str(db), *args_], check=False)
            if run.returncode == 3:
                one_process = False
                print(run.stderr.strip())
                return
        else:
            run = measure.run(key, [CLI, "--db", str(db), *args_], check=False)
        if run.returncode:
            raise RuntimeError(f"{names[key]}: exit {run.returncode}\n{run.stderr[-2000:]}")
        series[key].runs.append(run)
        if key == "all":
            series["again"].runs.append(measure.run("again", [CLI, "--db", str(db), "ingest", str(args.archive)]))
        db.unlink()

    lists = ["build", "--no-exports", *files]
    whole = ["build", str(args.archive)]
    measure.as_installed()  # the package compiled to bytecode, as installing leaves it
    try:
        measure.run("warm-up", [PY, str(HERE / "calamine_read.py"), "--list", str(listing)])
        for _ in range(args.repeat):
            series["pass"].runs.append(measure.run("pass", [PY, "-c", "pass"]))
            series["calamine"].runs.append(
                measure.run("calamine", [PY, str(HERE / "calamine_read.py"), "--list", str(listing)])
            )
            build("lists1", lists)
            series["calamine2"].runs.append(
                measure.run("calamine2", [PY, str(HERE / "calamine_read.py"), "--jobs", "2", "--list", str(listing)])
            )
            build("lists", lists)
            if not args.lists_only:
                build("all1", whole)
                build("all", whole)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = sum(os.path.getsize(f) for f in files) / 1e6
    print(f"{len(files)} .xlsx files ({size:.1f} MB) under {args.archive}; {args.repeat} interleaved rounds, medians")
    base = series["calamine"]
    print(measure.table([(s.label, s) for s in series.values() if s.runs], base))
    print()
    for key, what in (("lists", "the same .xlsx"), ("all", "the whole archive")):
        one, pool = series[key + "1"], series[key]
        if not pool.runs:
            continue
        if one.runs:
            ratio = one.cpu / base.cpu
            verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
            print(f"build of {what}, CPU, one process vs one process: {ratio:.2f}x calamine's", end="")
            print(f" (target <= {TARGET_RATIO}x: {verdict})" if key == "lists" else "")
        print(
            f"build of {what}, CPU with the pool: {pool.cpu / base.cpu:.2f}x calamine's in one process, "
            f"{pool.cpu / series['calamine2'].cpu:.2f}x calamine's in two"
        )
        peak = pool.median("peak_rss_mb")
        verdict = "met" if peak <= TARGET_MB else "NOT met"
        print(
            f"build of {what}, peak memory of the process tree (pool): {peak:.0f} MB RSS summed at one instant, "
            f"{pool.median('peak_pss_mb'):.0f} MB PSS, {pool.median('hwm_sum_mb'):.0f} MB as the sum of each "
            f"process's own peak (target <= {TARGET_MB} MB: {verdict} on summed RSS)"
        )
        if one.runs:
            print(f"  in one process: {one.median('peak_rss_mb'):.0f} MB RSS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
