"""Benchmark: add the last lists of the bundled archive one at a time, as the watcher does; per list, the cost of
``track287g ingest LIST`` and whether the enrich stage kept its tables (the agencies it reads did not change).

Run: python bench/add_real_lists.py [--last N] [--work DIR] [--baseline-src SRC] [--documents]

The archive less its last N participating lists (in ICE's order of posting, as tests/test_incremental.py splits
it) is built once into WORK/base.db; then each of the N lists is ingested into that database in turn (whole
process, see measure.py). ``--documents``: the bundled MOA PDFs (with their manifest and OCR transcripts) are
built into the base too, as in the record a user builds (every add then runs the documents stage over them).
With ``--baseline-src SRC`` the same sequence runs again with another checkout's code (e.g. ``git archive main
src | tar -x -C /tmp/main-src``) from a base that code built of the same files (WORK/base-baseline.db: what a
database stores can differ between versions), for a baseline measured in the same run on the same files; the
two sides take turns, list by list, so that the machine's drift falls on both alike. Both codes run compiled
to bytecode (``measure.as_installed``). ``--venv VENV`` and ``--baseline-venv VENV`` run the ``track287g``
installed in a virtual environment instead (a wheel carries the bundled lists and MOAs inside the
package: what a user who installed it runs). Each side keeps its own cache folder under WORK (one code's files
there would remove the other's).
"""

from __future__ import annotations

import functools
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from tests.conftest import ARCHIVE  # noqa: E402
from tests.test_incremental import bundled_split  # noqa: E402

import measure  # noqa: E402
from bench_scale import copy_db, remove_db  # noqa: E402

PY = sys.executable
print = functools.partial(print, flush=True)  # progress shows as it comes


def enrich_summary(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        found = conn.execute("SELECT value FROM build_info WHERE key = 'enrich'").fetchone()
    return found[0] if found else None


def cli(src: str | None, venv: Path | None, cache: Path) -> tuple[list[str], dict]:
    """The command line of one side (this tree, another checkout's ``src``, or an installed ``venv``) and its
    environment (its own cache folder)."""
    env = {**os.environ, "TRACK287G_CACHE": str(cache)}
    if venv is not None:
        return [str(venv / "bin" / "track287g")], env
    if src is None:
        return [str(Path(PY).parent / "track287g")], env
    return [PY, "-m", "track287g"], {**env, "PYTHONPATH": str(Path(src).resolve())}


def add_one(db: Path, f: Path, cmd: list[str], env: dict, label: str) -> tuple[str, measure.Run, bool]:
    """Ingest one list into ``db`` with one side's code: (its name, the run, whether the enrich tables stayed)."""
    before = enrich_summary(db)
    run = measure.run(f.name, [*cmd, "--db", str(db), "ingest", str(f)], env=env, check=False)
    if run.returncode not in (0, 3):  # 3: held out of the history (reported, not a failure of the command)
        print(f"{f.name}: exit {run.returncode}\n{run.stderr[-2000:]}")
    kept = enrich_summary(db) == before
    print(f"{label}: {f.name}: {run.cpu:.1f} s CPU, {run.wall:.1f} s wall, enrich kept: {kept}")
    return f.name, run, kept


def build_base(base: Path, stage: Path, cmd: list[str], env: dict) -> None:
    """Build the base database of the files in ``stage`` with one side's code, unless built."""
    if base.exists():
        return
    run = measure.run("build", [*cmd, "--db", str(base), "build", str(stage), "--no-exports"], env=env)
    print(f"{base.name}: built in {run.wall:.0f} s wall, {run.cpu:.0f} s CPU")


def main() -> int:
    parser = measure.parser(__doc__)
    parser.add_argument("--last", type=int, default=10)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--baseline-src")
    parser.add_argument("--venv", type=Path, help="run the track287g installed in this venv instead of this tree")
    parser.add_argument("--baseline-venv", type=Path, help="the baseline: the track287g installed in this venv")
    parser.add_argument("--documents", action="store_true", help="build the bundled MOA PDFs into the base too")
    args = parser.parse_args()
    measure.as_installed(*([args.baseline_src] if args.baseline_src else []))
    work = args.work or Path(tempfile.mkdtemp(prefix="add-real-"))
    work.mkdir(parents=True, exist_ok=True)
    base_files, later = bundled_split(args.last)
    if args.documents:
        base_files += sorted((ARCHIVE / "moa").iterdir())  # with its manifest and OCR transcripts
    stage = work / "base"
    stage.mkdir(exist_ok=True)
    for f in base_files:
        (stage / f.name).write_bytes(f.read_bytes())
    print(f"base: {len(base_files)} files")
    cmd, env = cli(None, args.venv, work / "cache")
    build_base(work / "base.db", stage, cmd, env)
    sides = {"this tree": (work / "base.db", cmd, env, "this tree" if args.venv is None else str(args.venv))}
    if args.baseline_src or args.baseline_venv:
        cmd, env = cli(args.baseline_src, args.baseline_venv, work / "cache-baseline")
        build_base(work / "base-baseline.db", stage, cmd, env)
        sides["baseline"] = (work / "base-baseline.db", cmd, env, str(args.baseline_venv or args.baseline_src))
    added = {name: work / f"add-{i}.db" for i, name in enumerate(sides)}
    for name, (base, *_) in sides.items():
        copy_db(base, added[name])
    runs: dict[str, list[tuple[str, measure.Run, bool]]] = {name: [] for name in sides}
    for f in later:  # the sides take turns, list by list: the machine's drift falls on both alike
        for name, (_, cmd, env, label) in sides.items():
            runs[name].append(add_one(added[name], f, cmd, env, label))
    for db in added.values():
        remove_db(db)
    print(f"\n{'list':45} " + " ".join(f"{name + ' CPU/wall s':>26}" for name in sides) + "  enrich kept")
    for i, f in enumerate(later):
        cells = [f"{side[i][1].cpu:12.1f} /{side[i][1].wall:11.1f}" for side in runs.values()]
        print(f"{f.name:45} " + " ".join(f"{c:>26}" for c in cells) + f"  {runs['this tree'][i][2]}")
    for name, side in runs.items():
        cpu = sorted(r.cpu for _, r, _ in side)
        wall = sorted(r.wall for _, r, _ in side)
        print(f"{name}: median {cpu[len(cpu) // 2]:.1f} s CPU, {wall[len(wall) // 2]:.1f} s wall per list")
    kept = sum(k for _, _, k in runs["this tree"])
    print(f"enrich tables kept (agencies unchanged): {kept} of {len(later)} lists")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
