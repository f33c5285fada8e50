"""Benchmark: the bulk downloads written after a new list arrives, against another checkout's code.

Run: python bench/bench_exports.py DB NEW-LIST [--baseline-src SRC] [--repeat 1] [--work DIR]
e.g. python bench/bench_exports.py /tmp/s/w3650/archive.db \
         /tmp/s/a3650/participating/participatingAgencies02272026pm.xlsx --baseline-src /tmp/h/base/src

What `build`, `watch` and `ingest --exports` do after a new list: write the downloads of the new data version
beside those of the version before. Each side (this checkout, and the code in ``--baseline-src``) gets its own
copy of DB, cache folder and exports folder; untimed, it writes the downloads of DB as it is (the version
before, by its own code) and adds NEW-LIST (``track287g ingest``). Timed, whole process (``measure.run``: CPU of
the process tree, wall, peak memory): ``track287g export --all``, the new version's downloads; each round deletes
that version first, so every round writes it again beside the same version before. Rounds interleave the sides;
medians. Also printed: how many files of the new version were kept from the version before (``kept`` in its
manifest). On a 3,650-list synthetic archive (``bench/synth_archive.py``, built with ``bench/bench_scale.py``)
the setup writes every listing once per side: about 3 minutes each.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import measure  # noqa: E402

BIN = Path(sys.executable).parent
HOURS = 3600


def newest_version(exports: Path) -> str:
    done = [p for p in exports.iterdir() if p.is_dir() and (p / "manifest.json").is_file()]
    return max(done, key=lambda p: (p / "manifest.json").stat().st_mtime).name


def main() -> None:
    parser = measure.parser(__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("new", type=Path, help="the list that arrives")
    parser.add_argument("--baseline-src", default="", help="another checkout's src folder (e.g. a git worktree's)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--work", type=Path, help="keep the copies here (default: a temporary folder)")
    args = parser.parse_args()
    measure.as_installed(*([args.baseline_src] if args.baseline_src else []))
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-exports-"))
    exe = str(BIN / "track287g")
    sides = {"": {}}
    if args.baseline_src:
        sides[", baseline"] = {"PYTHONPATH": str(Path(args.baseline_src).resolve())}
    setup: dict[str, tuple[list[str], dict[str, str], Path, str]] = {}
    for suffix, extra in sides.items():
        folder = work / ("baseline" if suffix else "ours")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        db = folder / "archive.db"
        with sqlite3.connect(args.db) as src, sqlite3.connect(db) as dst:
            src.backup(dst)
        env = {**os.environ, **extra, "TRACK287G_CACHE": str(folder / "cache")}
        base = [exe, "--db", str(db), "--exports", str(folder / "exports")]
        print(f"setting up{suffix or ', ours'}: the downloads before, then the new list", file=sys.stderr)
        measure.run("before", [*base, "export", "--all"], env=env, timeout=3 * HOURS)
        before = newest_version(folder / "exports")
        measure.run("ingest", [*base, "ingest", str(args.new)], env=env, timeout=3 * HOURS)
        setup[suffix] = (base, env, folder / "exports", before)
    series = {"python -c pass": measure.Series("python -c pass")}
    for suffix in sides:
        series["export --all after the new list" + suffix] = measure.Series("export" + suffix)
    kept: dict[str, str] = {}
    for _ in range(args.repeat):
        series["python -c pass"].runs.append(measure.run("pass", [sys.executable, "-c", "pass"]))
        for suffix, (base, env, exports, before) in setup.items():
            for path in exports.iterdir():  # the new version from the round before: written again
                if path.is_dir() and path.name != before:
                    shutil.rmtree(path)
            run = measure.run("export" + suffix, [*base, "export", "--all"], env=env, timeout=3 * HOURS)
            series["export --all after the new list" + suffix].runs.append(run)
            after = newest_version(exports)
            files = json.loads((exports / after / "manifest.json").read_text())["files"]
            kept[suffix] = f"{sum(1 for f in files if f.get('kept'))} of {len(files)} files kept from {before}"
        print(".", end="", flush=True, file=sys.stderr)
    print(file=sys.stderr)
    print(f"{args.db} + {args.new.name}: {args.repeat} interleaved rounds, medians")
    print(measure.table(list(series.items())))
    for suffix, line in kept.items():
        print(f"new version{suffix or ', ours'}: {line}")


if __name__ == "__main__":
    main()
