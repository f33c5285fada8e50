"""The downloads: the bulk exports of one data version, written when the data changes (at the end of ``build``,
``ingest`` and ``watch``, or by ``track287g export --all``), never while a visitor waits.

They live in a folder beside the database (``track287g.db`` -> ``track287g-exports/``; ``--exports DIR`` or
``$TRACK287G_EXPORTS`` names another), one sub-folder per data version. A version is written aside
(``.incoming-<version>-<pid>/``) and renamed into place when complete, so a reader sees all of it or none of it;
``manifest.json`` inside lists its files. The newest ``KEEP`` versions stay, older ones are deleted.

What is written: every table as Parquet; the small tables also as CSV, JSON and XLSX; the large one (every printed
row of every list: 200,000 rows, 115 MB as CSV; millions at ten years of daily lists) as compressed CSV
(``.csv.gz``) and Parquet only, one file per year of lists (``listings-2025.parquet``; per month in a year of more
than 250,000 rows, ``listings-2025-07.parquet``), so that no file is over the 25 MB that static hosts accept; one
``datapackage.json`` describes the CSV files. Each part's files say in the manifest what they are made of
(``inputs``, ``export.part_inputs``); a part made of the same as in the version before is linked from it
(``kept``) instead of written again, so a new list costs its own part, and the parts whose rows' agreements it
changed.

Beside them, a version may hold *extras*: answers the web would otherwise compute on a visit (the funding model's
national run, seconds of CPU), made by the caller (``extras``, name -> bytes) when the version is written, or added
to a version written before, atomically. They are named in the manifest's ``extras``, not offered as downloads.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from track287g.errors import Track287gError
from track287g.i18n import N_
from track287g.publish.export import TABLES, part_inputs, write_datapackage, write_table

if TYPE_CHECKING:
    from track287g.store import Database

EXPORTS_ENV = "TRACK287G_EXPORTS"
KEEP = 2  # data versions kept: the current one, and the one before for downloads still running
MANIFEST = "manifest.json"
INCOMING = ".incoming-"
LOCK = ".writer.lock"
SMALL_FORMATS = ("csv", "json", "xlsx", "parquet")
LARGE_FORMATS = ("csv.gz", "parquet")
STATIC_LIMIT = 25_000_000  # bytes: the largest file GitHub Pages and Cloudflare Pages serve
RETRY_SECONDS = 30  # what "being prepared" suggests before any export was timed here
API_CSV = (
    ("/api/v1/agencies.csv", N_("Agencies (all, with status and models)")),
    ("/api/v1/agreements.csv", N_("Agreements (model, signing date, status, first and last listed, MOA)")),
    ("/api/v1/events.csv", N_("Changes between publications")),
    ("/api/v1/publications.csv", N_("ICE's publications archived")),
    ("/api/v1/states.csv", N_("Counts per state, now and at the start of 2025")),
    ("/api/v1/stats/publications.csv", N_("Counts on every participating list (a time series)")),
    ("/api/v1/pending.csv", N_("The latest pending list")),
)


class DownloadsError(Track287gError):
    """The exports folder cannot be written."""


def exports_root(location: str, explicit: str | os.PathLike | None = None) -> Path:
    """The exports folder for the database at ``location``: ``explicit``, else ``$TRACK287G_EXPORTS``, else beside
    a SQLite file (``X.db`` -> ``X-exports/``), else ``./track287g-exports`` (a database server has no folder)."""
    chosen = explicit or os.environ.get(EXPORTS_ENV)
    if chosen:
        return Path(chosen)
    if "://" not in location:
        path = Path(location)
        return path.with_name(path.stem + "-exports")
    if location.startswith("sqlite:///") and location != "sqlite:///:memory:":
        path = Path(location.removeprefix("sqlite:///"))
        return path.with_name(path.stem + "-exports")
    return Path("track287g-exports")


def plan() -> list[tuple[str, str]]:
    """(table, format) of every file a data version holds."""
    return [(name, fmt) for name, spec in TABLES.items() for fmt in (LARGE_FORMATS if spec.large else SMALL_FORMATS)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _incoming(root: Path) -> list[tuple[Path, str, int]]:
    """Folders being written: (folder, version, pid of the writer)."""
    found = []
    for path in root.glob(INCOMING + "*") if root.is_dir() else []:
        version, _, pid = path.name.removeprefix(INCOMING).rpartition("-")
        if pid.isdigit():
            found.append((path, version, int(pid)))
    return found


Extras = Mapping[str, Callable[[], bytes]]  # name -> what makes its bytes


def write(db: Database, version: str, root: Path, extras: Extras | None = None) -> dict[str, Any]:
    """Write the bulk exports of ``version`` under ``root`` unless they are there, with ``extras`` (also added to
    a version written without them); prune older versions.

    Writers take turns on a lock file in ``root``; the rename makes the version appear whole.
    Returns ``{"version", "root", "written", "seconds", "files", "pruned"}``.
    """
    extras = extras or {}
    final = root / version
    if (final / MANIFEST).is_file() and not _missing_extras(final, extras):
        return _already(root, final)
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = (root / LOCK).open("a")
    except OSError as exc:
        raise DownloadsError(f"cannot write the exports folder {root}: {exc.strerror or exc}") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one writer at a time: a second one waits, then finds the version written
        if (final / MANIFEST).is_file():
            _add_extras(final, extras)
            return _already(root, final)
        return _write(db, version, root, final, extras)


def _missing_extras(final: Path, extras: Extras) -> list[str]:
    there = set(_manifest(final).get("extras", []))
    return [name for name in extras if name not in there]


def _add_extras(final: Path, extras: Extras) -> None:
    """Add the extras a version written before lacks: each file, then the manifest naming it, written aside and
    renamed into place."""
    missing = _missing_extras(final, extras)
    if not missing:
        return
    manifest = _manifest(final)
    for name in missing:
        _replace(final / name, extras[name]())
    manifest["extras"] = sorted({*manifest.get("extras", []), *missing})
    _replace(final / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())


def _replace(path: Path, data: bytes) -> None:
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    aside.write_bytes(data)
    os.replace(aside, path)


def extra_path(root: Path, version: str, name: str) -> Path | None:
    """The extra ``name`` of ``version``, if it was written."""
    folder = root / version
    try:
        named = name in _manifest(folder).get("extras", [])
    except (OSError, ValueError):
        return None
    return folder / name if named else None


def _already(root: Path, final: Path) -> dict[str, Any]:
    there = _manifest(final)["files"]
    return {"version": final.name, "root": str(root), "written": False, "seconds": 0.0, "files": there, "pruned": []}


def _write(db: Database, version: str, root: Path, final: Path, extras: Extras) -> dict[str, Any]:
    start = time.perf_counter()
    try:
        for path, _, pid in _incoming(root):  # a writer that died left its half-written folder
            if not _alive(pid):
                shutil.rmtree(path, ignore_errors=True)
        work = root / f"{INCOMING}{version}-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
    except OSError as exc:
        raise DownloadsError(f"cannot write the exports folder {root}: {exc.strerror or exc}") from None
    try:
        files: list[dict[str, Any]] = []
        csv_files: list[tuple[str, Path]] = []
        before = _earlier_parts(root, version)
        with db.read() as conn:
            for name in TABLES:
                formats = [fmt for table, fmt in plan() if table == name]
                inputs = part_inputs(conn, name)
                reuse = {f: path for f, (path, made_of) in before.items() if inputs.get(_stem(f)) == made_of}
                linked: set[str] = set()
                written = write_table(conn, name, {fmt: work / f"{name}.{fmt}" for fmt in formats}, reuse, linked)
                for fmt, paths in written.items():
                    for path in paths:
                        entry = {"name": path.name, "table": name, "format": fmt, "bytes": path.stat().st_size}
                        if _stem(path.name) in inputs:
                            entry |= {"inputs": inputs[_stem(path.name)], "kept": path.name in linked}
                        files.append(entry)
                        if fmt in ("csv", "csv.gz"):
                            csv_files.append((name, path))
            package = write_datapackage(conn, work / "datapackage.json", csv_files)
        files.append({"name": package.name, "table": None, "format": "json", "bytes": package.stat().st_size})
        for name, make in extras.items():
            (work / name).write_bytes(make())
        seconds = round(time.perf_counter() - start, 2)
        manifest = {"version": version, "seconds": seconds, "files": files, "extras": sorted(extras)}
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        try:
            os.rename(work, final)
        except OSError:
            if not (final / MANIFEST).is_file():
                raise
            shutil.rmtree(work, ignore_errors=True)  # another writer finished the same version first
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    done = {"version": version, "root": str(root), "written": True, "seconds": seconds, "files": files}
    return done | {"pruned": prune(root, version)}


def _stem(name: str) -> str:
    return name.split(".", 1)[0]


def _earlier_parts(root: Path, version: str) -> dict[str, tuple[Path, str]]:
    """The files of the newest complete version before ``version`` that say what they are made of (the yearly
    parts of the listings): name -> (path, digest of its inputs). The writer holds the lock, so none is pruned
    meanwhile."""
    done = [p for p in root.iterdir() if p.is_dir() and p.name != version and (p / MANIFEST).is_file()]
    if not done:
        return {}
    newest = max(done, key=lambda p: (p / MANIFEST).stat().st_mtime)
    try:
        files = _manifest(newest)["files"]
    except (OSError, ValueError, KeyError):
        return {}
    return {f["name"]: (newest / f["name"], f["inputs"]) for f in files if f.get("inputs")}


def prune(root: Path, current: str, keep: int = KEEP) -> list[str]:
    """Delete all but the newest ``keep`` complete versions (the current one always stays); returns those deleted."""
    done = [p for p in root.iterdir() if p.is_dir() and (p / MANIFEST).is_file() and p.name != current]
    done.sort(key=lambda p: (p / MANIFEST).stat().st_mtime, reverse=True)
    gone = []
    for path in done[max(keep - 1, 0) :]:
        shutil.rmtree(path, ignore_errors=True)
        gone.append(path.name)
    return gone


def _manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def file_path(root: Path, version: str, name: str) -> Path | None:
    """The file ``name`` of ``version``, if it was written (never anything outside the version's folder)."""
    folder = root / version
    if not (folder / MANIFEST).is_file() or name not in {f["name"] for f in _manifest(folder)["files"]}:
        return None
    return folder / name


def state(root: Path, version: str) -> str:
    """``ready`` (written), ``preparing`` (a live writer is at it) or ``missing``."""
    if (root / version / MANIFEST).is_file():
        return "ready"
    if any(v == version and _alive(pid) for _, v, pid in _incoming(root)):
        return "preparing"
    return "missing"


def retry_after(root: Path) -> int:
    """Seconds to suggest before asking again: how long the last export here took, plus a margin."""
    timed = [_manifest(p)["seconds"] for p in root.iterdir() if (p / MANIFEST).is_file()] if root.is_dir() else []
    return max(10, round(max(timed) * 1.5)) if timed else RETRY_SECONDS


def listing(root: Path, version: str) -> dict[str, Any]:
    """What the downloads page shows: the files of this data version that exist (with sizes), or why there are
    none yet (``state`` preparing, with ``retry_after`` seconds, or missing), and the API's CSV addresses."""
    now = state(root, version)
    bulk: dict[str, Any] = {"state": now, "available": now == "ready", "files": []}
    if now == "ready":
        for f in _manifest(root / version)["files"]:
            bulk["files"].append(f | {"url": f"/downloads/files/{f['name']}", "mb": round(f["bytes"] / 1e6, 1)})
    elif now == "preparing":
        bulk["retry_after"] = retry_after(root)
    return {"bulk": bulk, "api_csv": [{"url": u, "title": t} for u, t in API_CSV]}


__all__ = [
    "API_CSV",
    "EXPORTS_ENV",
    "STATIC_LIMIT",
    "Extras",
    "exports_root",
    "extra_path",
    "listing",
    "plan",
    "state",
    "write",
]
