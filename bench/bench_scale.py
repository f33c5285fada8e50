"""Benchmark: how the CLI's cost grows with the archive, on a synthetic archive (bench/synth_archive.py).

Run: python bench/bench_scale.py ARCHIVE [--steps build,add,queries] [--repeat N] [--work DIR] [--one-process]
[--baseline-src SRC] [--baseline-db DB] [--larger ARCHIVE2 --larger-work DIR2] [--larger-baseline-db DB2]

ARCHIVE is a folder written by synth_archive.py. Its last new participating list is held back as "the new list";
every list posted before that day (participating and pending, byte-identical re-posts included) is "the archive".
All figures are whole processes (see measure.py), each next to its baseline measured in the same run:

- build: ``track287g build --no-exports`` of the archive into a fresh database (WORK/archive.db, kept for the
  other steps): the like-for-like figure, as in bench_build.py; then ``track287g build`` as a user runs it, with
  the bulk downloads and the web site's precomputed answers (into another fresh database, removed after);
  against python-calamine alone reading the same files in one and in two processes (and with ``--one-process``
  the build with its pool switched off, see one_process.py). Run once: at thousands of lists it takes long.
- add: ``track287g ingest NEW-LIST`` into a copy of the built database (the watcher's path: store the list, then
  the history and enrich stages), against calamine reading that one file and ``python -c pass``; N rounds.
  With ``--baseline-src SRC`` the same ingest by another checkout's code on another fresh copy (of
  ``--baseline-db`` when given), in each round; each code and each archive has its own cache folder. With
  ``--larger ARCHIVE2 --larger-work DIR2`` (a larger archive, built before by ``--steps build --work DIR2``)
  each round also adds ARCHIVE2's new list to a copy of its database, the two sizes alternating, and the growth
  of the median CPU from one to the other is printed (with ``--baseline-src``, for the baseline code too, on
  ``--larger-baseline-db``): measured one after the other, the two sizes can land on different hours of this
  machine's drifting speed (+4% in one such pair of runs, +28% alternating, the same hour). The order of the
  ingests in a round is reversed every other round.
- queries: ``as-of`` (a date mid-archive), ``agency`` (one agency by name), ``changes --since`` (the last 30
  days), ``changes --json`` (everything), ``track287g --help`` and ``python -c pass``; N interleaved rounds.

Every step runs the code as installing leaves it: compiled to bytecode first (``measure.as_installed``), even
where ``PYTHONDONTWRITEBYTECODE`` is set.

Targets (issue 18): adding one list at most 1 s and growing at most 20% from 1,000 to 3,650 lists; the full
build of 3,650 lists completes at most 2.5x calamine's CPU with a peak of at most 1 GB; each query at most 0.3 s
including start-up. A step that fails prints where (the command's last lines) and the others go on.
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import measure  # noqa: E402

PY = sys.executable
CLI = str(Path(PY).parent / "track287g")
HOURS = 3600.0


def split(archive: Path) -> tuple[list[str], str, dict]:
    """(files of the archive, the new list, facts for the queries) from the generator's truth."""
    with open(archive / "truth" / "lists.csv", newline="") as f:
        lists = list(csv.DictReader(f))
    new = [e for e in lists if e["kind"] == "participating" and not e["repost_of"]][-1]
    files = [str(archive / e["kind"] / e["file"]) for e in lists if e["posted"] < new["posted"]]
    published = sorted({e["published"] for e in lists if e["kind"] == "participating" and e["posted"] < new["posted"]})
    with open(archive / "truth" / "agreements.csv", newline="") as f:
        agreements = [g for g in csv.DictReader(f) if g["first_listed"] < new["posted"]]
    agency = agreements[len(agreements) // 2]
    facts = {
        "lists": sum(1 for e in lists if e["kind"] == "participating" and e["posted"] < new["posted"]),
        "mid": published[len(published) // 2],
        "since": (date.fromisoformat(published[-1]) - timedelta(days=30)).isoformat(),
        "agency": agency["agency"],
        "state": agency["state"],
    }
    return files, str(archive / new["kind"] / new["file"]), facts


def remove_db(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def copy_db(src: Path, dst: Path) -> None:
    remove_db(dst)
    for suffix in ("", "-wal", "-shm"):
        if Path(str(src) + suffix).exists():
            shutil.copyfile(str(src) + suffix, str(dst) + suffix)


def report(title: str, rows: list[tuple[str, measure.Series | measure.Run]], base) -> None:
    print(f"\n{title}")
    print(measure.table(rows, base))


HELD = 4  # track287g's exit status when the history was built with some lists held out (named on stderr)


def failed(run: measure.Run) -> bool:
    tail = [line for line in (run.stderr or run.stdout).strip().splitlines() if line.strip()][-6:]
    if run.returncode == HELD:
        print(f"{run.label}: built, with lists held out of the history (exit {HELD}); the last lines:")
        print("  " + "\n  ".join(tail))
        return False
    if run.returncode == 0:
        return False
    print(f"{run.label}: FAILED (exit {run.returncode}) after {run.wall:.0f} s, {run.cpu:.0f} s CPU:")
    print("  " + "\n  ".join(tail))
    return True


def build(files: list[str], work: Path, one_process: bool, timeout: float) -> bool:
    listing = work / "files.txt"
    listing.write_text("\n".join(files))
    reader = [PY, str(HERE / "calamine_read.py"), "--list", str(listing)]
    rows: list[tuple[str, measure.Run]] = []
    measure.run("warm-up", reader[:2] + files[-20:])
    rows.append(("python -c pass", measure.run("pass", [PY, "-c", "pass"])))
    base = measure.run("calamine", reader)
    rows.append(("calamine alone, 1 process", base))
    rows.append(("calamine alone, 2 processes", measure.run("calamine2", [*reader, "--jobs", "2"])))
    db = work / "archive.db"
    remove_db(db)
    if one_process:
        run = measure.run(
            "build, 1 process",
            [PY, str(HERE / "one_process.py"), "--db", str(work / "one.db"), "build", "--no-exports", *files],
            timeout=timeout,
            check=False,
        )
        if not failed(run):
            rows.append(("track287g build, 1 process", run))
        remove_db(work / "one.db")
    run = measure.run("build", [CLI, "--db", str(db), "build", "--no-exports", *files], timeout=timeout, check=False)
    ok = not failed(run)
    rows.append(("track287g build --no-exports, pool" + ("" if ok else " FAILED"), run))
    full = measure.run("build", [CLI, "--db", str(work / "full.db"), "build", *files], timeout=timeout, check=False)
    rows.append(("track287g build (with the downloads)" + ("" if not failed(full) else " FAILED"), full))
    remove_db(work / "full.db")
    shutil.rmtree(work / "full-exports", ignore_errors=True)
    report(f"full build of {len(files)} files (one run each)", rows, base)
    if ok:
        print(f"build --no-exports CPU with the pool: {run.cpu / base.cpu:.2f}x calamine's in one process")
        print(f"build with the downloads: {full.cpu / base.cpu:.2f}x")
    return ok


LARGER = "track287g ingest NEW, the larger archive"
LARGER_BASELINE = "track287g ingest NEW, the larger archive, baseline src"


def add(
    new: str,
    work: Path,
    repeat: int,
    timeout: float,
    baseline_src: str | None = None,
    baseline_db: Path | None = None,
    larger: tuple[str, Path] | None = None,
    larger_baseline_db: Path | None = None,
) -> None:
    """``larger``: (the new list, the work folder) of a larger archive, added in each round after this one's (and
    by the baseline code too, to ``larger_baseline_db`` or the larger work folder's database)."""
    names = ["python -c pass", "calamine, the new list", "track287g ingest NEW"]
    if baseline_src:
        names.append("track287g ingest NEW, baseline src")
    if larger:
        names.append(LARGER)
    if larger and baseline_src:
        names.append(LARGER_BASELINE)
    series = {n: measure.Series(n) for n in names}
    for round_number in range(repeat):
        series["python -c pass"].runs.append(measure.run("pass", [PY, "-c", "pass"]))
        series["calamine, the new list"].runs.append(measure.run("calamine", [PY, str(HERE / "calamine_read.py"), new]))
        turn = names[2:] if round_number % 2 == 0 else names[:1:-1]  # the order reversed every other round
        for name in turn:  # each on a fresh copy of its database, with its own cache folder
            baseline = name.endswith("baseline src")
            where, added = (larger[1], larger[0]) if larger and name in (LARGER, LARGER_BASELINE) else (work, new)
            its_db = larger_baseline_db if name == LARGER_BASELINE else baseline_db
            copy_db(its_db if baseline and its_db else where / "archive.db", where / "add.db")
            cmd = [CLI, "--db", str(where / "add.db"), "ingest", added]
            # each code keeps its parsed rosters, matches and names under its own digest, and removes the others';
            # each archive has its own folder too, as each deployment does (the names a run used are what it keeps)
            env = {**os.environ, "TRACK287G_CACHE": str(where / ("cache-baseline" if baseline else "cache"))}
            if baseline:
                cmd = [PY, "-m", "track287g", *cmd[1:]]
                env["PYTHONPATH"] = str(Path(baseline_src).resolve())
            run = measure.run(name, cmd, env=env, cwd=tempfile.gettempdir(), timeout=timeout, check=False)
            if not failed(run):
                series[name].runs.append(run)
            remove_db(where / "add.db")
    report(f"add one list ({Path(new).name}), {repeat} rounds, medians", list(series.items()), None)
    for name in names[2:]:  # the spread behind each median
        print(f"{name}: CPU s by round {', '.join(f'{run.cpu:.2f}' for run in series[name].runs)}")
    pairs = [
        ("track287g ingest NEW", LARGER, ""),
        ("track287g ingest NEW, baseline src", LARGER_BASELINE, ", baseline"),
    ]
    for small_name, large_name, whose in pairs:
        ours, big = series.get(small_name), series.get(large_name)
        if ours is None or big is None or not ours.runs or not big.runs:
            continue
        growth = big.cpu / ours.cpu - 1
        verdict = "met" if growth <= 0.20 else "NOT met"
        print(
            f"the larger archive's new list ({Path(larger[0]).name if larger else ''}){whose}: {big.cpu:.2f} s of CPU "
            f"against {ours.cpu:.2f} s, {growth:+.0%}, the sizes alternating (target at most +20%: {verdict})"
        )


def queries(facts: dict, work: Path, repeat: int) -> None:
    db = ["--db", str(work / "archive.db")]
    commands = {
        "python -c pass": [PY, "-c", "pass"],
        "track287g --help": [CLI, "--help"],
        f"as-of {facts['mid']}": [CLI, *db, "as-of", facts["mid"]],
        f"agency (one, {facts['state']})": [CLI, *db, "agency", facts["agency"], "--state", facts["state"]],
        f"changes --since {facts['since']}": [CLI, *db, "changes", "--since", facts["since"]],
        "changes --json (everything)": [CLI, *db, "changes", "--json"],
    }
    series = {name: measure.Series(name) for name in commands}
    for name, cmd in commands.items():  # one unmeasured round
        measure.run(name, cmd, check=False)
    for _ in range(repeat):
        for name, cmd in commands.items():
            run = measure.run(name, cmd, check=False)
            if not failed(run):
                series[name].runs.append(run)
    report(
        f"queries on the built database, {repeat} rounds, medians", [(n, s) for n, s in series.items() if s.runs], None
    )


def main() -> int:
    parser = measure.parser(__doc__)
    parser.add_argument("archive", type=Path, help="a folder written by bench/synth_archive.py")
    parser.add_argument("--steps", default="build,add,queries")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, help="keep the databases here (default: a temporary folder)")
    parser.add_argument("--one-process", action="store_true", help="also build with the pool switched off")
    parser.add_argument("--timeout", type=float, default=3 * HOURS, help="per command, seconds")
    parser.add_argument(
        "--baseline-src",
        help="add: also run another checkout's src folder (e.g. from `git archive main src`) on the same database",
    )
    parser.add_argument(
        "--baseline-db",
        type=Path,
        help="add: the database the baseline code adds to (default: WORK/archive.db), e.g. one it wrote itself",
    )
    parser.add_argument(
        "--larger",
        type=Path,
        help="add: a larger synthetic archive whose new list is added in each round too (with --larger-work)",
    )
    parser.add_argument("--larger-work", type=Path, help="add: the work folder the larger archive was built in")
    parser.add_argument(
        "--larger-baseline-db",
        type=Path,
        help="add: the database the baseline code adds the larger archive's list to (default: LARGER_WORK/archive.db)",
    )
    args = parser.parse_args()
    if bool(args.larger) != bool(args.larger_work):
        parser.error("--larger and --larger-work go together")
    steps = set(args.steps.split(","))
    measure.as_installed(*([args.baseline_src] if args.baseline_src else []))  # the codes compiled to bytecode first
    files, new, facts = split(args.archive)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"{args.archive}: archive of {facts['lists']} participating lists ({len(files)} files); "
        f"new list {Path(new).name}"
    )
    ok = True
    if "build" in steps:
        ok = build(files, work, args.one_process, args.timeout)
    if not (work / "archive.db").exists():
        ok = False
    if ok and "add" in steps:
        larger = (split(args.larger)[1], args.larger_work) if args.larger else None
        add(new, work, args.repeat, args.timeout, args.baseline_src, args.baseline_db, larger, args.larger_baseline_db)
    if ok and "queries" in steps:
        queries(facts, work, args.repeat)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
