"""Settings shared by the stages: where the database lives, size limits, bundled data paths."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

VERSION = "0.1.0"
DEFAULT_DB = "track287g.db"
DB_ENV = "TRACK287G_DB"
PRIVATE_DB_ENV = "TRACK287G_PRIVATE_DB"  # where the watcher's private state lives (default: beside the database)
MAX_BYTES_ENV = "TRACK287G_MAX_BYTES"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_PAGE = "https://www.ice.gov/identify-and-arrest/287g"  # ICE's 287(g) page, which links the lists
CONTACT_ENV = "TRACK287G_CONTACT"  # a contact for the User-Agent ICE sees
CACHE_ENV = "TRACK287G_CACHE"  # a folder for parsed forms of bundled reference data ("off": none)

PACKAGE_DATA = Path(__file__).parent / "data"
FIXES = PACKAGE_DATA / "fixes"
RULES = PACKAGE_DATA / "rules.yaml"  # the history's rules (history.rules reads it)
ALIASES = PACKAGE_DATA / "aliases.csv"  # the agency aliases people confirmed (resolve.aliases reads it)
MISPRINTS = PACKAGE_DATA / "misprints.csv"  # rows ICE printed under another agency's name (resolve.misprints)
BUNDLED_INPUTS = ("archive", "claims")  # folders of data/ a wheel carries as inputs (ICE's files, claims checked)


def files_digest(*roots: Path) -> str:
    """A digest of the files under these folders (and of these files): each one's name from its root's name on
    (``history/build.py``) and bytes, in order of path; compiled bytecode left out. What a stage's result depends
    on, to tell whether it can be kept; where the files lie does not count (the same package installed elsewhere,
    or a database copied beside another checkout of the same code, keeps what that code made)."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file() and path.suffix != ".pyc":
                digest.update(f"{path.relative_to(root.parent).as_posix()}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def code_digest(package: Path) -> str:
    """``files_digest`` of a package folder's code and data, less the bundled inputs a wheel carries in ``data/``
    (ICE's lists and MOAs, the claims: 80 MB, hashed in 0.07 s at every call): what a result kept between runs
    by that code depends on."""
    data = package / "data"
    inputs = [data / name for name in BUNDLED_INPUTS]
    return files_digest(
        *sorted(p for p in package.iterdir() if p != data),
        *sorted(p for p in (data.iterdir() if data.is_dir() else ()) if p not in inputs),
    )


@cache
def package_digest() -> str:
    """``code_digest`` of this package, worked out once a process (the code running is the code it loaded)."""
    return code_digest(Path(__file__).resolve().parent)


def db_location(explicit: str | None = None) -> str:
    """The database named on the command line, else ``$TRACK287G_DB``, else ``./track287g.db``."""
    return explicit or os.environ.get(DB_ENV) or DEFAULT_DB


def max_bytes(explicit: int | None = None) -> int:
    """The largest file ingest accepts, in bytes (``$TRACK287G_MAX_BYTES`` overrides the default)."""
    if explicit is not None:
        return explicit
    env = os.environ.get(MAX_BYTES_ENV)
    return int(env) if env else DEFAULT_MAX_BYTES


def cache_folder() -> Path | None:
    """Where parsed forms of bundled reference data are kept between runs: ``$TRACK287G_CACHE``, else
    ``$XDG_CACHE_HOME/track287g``, else ``~/.cache/track287g``; None when ``$TRACK287G_CACHE`` is ``off``."""
    env = os.environ.get(CACHE_ENV)
    if env == "off":
        return None
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "track287g"


def cache_file(kind: str, *inputs: Path) -> Path | None:
    """Where a parsed form of these input files, made by this code, is kept between runs: ``<kind>-<digest>.json``
    in the cache folder, the digest of the inputs' bytes and of the package (None: no cache folder, or an input
    unreadable: parsing it says what is wrong)."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        digest = hashlib.sha256(f"{files_digest(*inputs)}{package_digest()}".encode()).hexdigest()
    except OSError:
        return None
    return folder / f"{kind}-{digest[:32]}.json"


def keep_cached(path: Path, data: bytes) -> None:
    """Write a cache file atomically, then remove the files of its kind made from other inputs or code (best
    effort: without a cache, the next run parses again)."""
    kind = path.name.rsplit("-", 1)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        part.write_bytes(data)
        os.replace(part, path)
        for old in path.parent.glob(f"{kind}-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def kept_or_made(
    kind: str, inputs: tuple[Path, ...], make: Callable[[], T], dump: Callable[[T], Any], load: Callable[[Any], T]
) -> T:
    """``make()``, kept between runs in the cache folder (``cache_file(kind, *inputs)``) as the JSON of
    ``dump(made)`` and read back through ``load``; a missing, damaged or wrong-shaped file (``load`` raising) is
    made again and replaced."""
    import orjson  # not at start-up: most commands keep nothing

    path = cache_file(kind, *inputs)
    if path is not None:
        try:
            return load(orjson.loads(path.read_bytes()))
        except (OSError, ValueError, TypeError, AttributeError, IndexError, KeyError):
            pass
    made = make()
    if path is not None:
        keep_cached(path, orjson.dumps(dump(made)))
    return made


def repo_root() -> Path | None:
    """The source checkout this package runs from, if any (it holds the bundled archive in ``data/``)."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").exists() and (parent / "data").is_dir():
            return parent
    return None


def bundled(name: str) -> Path | None:
    """A bundled folder of ``data/`` (``archive``: ICE's lists; ``claims``: the claims checked): inside the
    installed package (a wheel carries them as ``track287g/data/<name>``), else in the source checkout."""
    for path in bundled_places(name):
        if path.is_dir():
            return path
    return None


def bundled_places(name: str) -> list[Path]:
    """Where ``bundled(name)`` looks, in order (named in the error when it finds nothing)."""
    root = repo_root()
    return [PACKAGE_DATA / name, *([root / "data" / name] if root else [])]


def bundled_archive() -> Path | None:
    """The bundled archive of ICE's lists (see ``bundled``)."""
    return bundled("archive")
