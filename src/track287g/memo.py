"""Answers of pure functions of what the lists print (agency names, each state's names scored against each
other, MOA addresses), kept between runs in the cache folder (``config.cache_folder``).

A name's matching key, its corrected form and its kind, an address's comparable form and file name take tens of
microseconds each to work out, and a history of thousands of lists asks for some ten thousand of them at every
list added, each process starting from none. A ``memoized`` function answers from its own table; ``load`` fills
the tables with what an earlier run of the same code and data worked out, ``save`` writes back the answers this
run used when it had to work some out. The file is named by a digest of the package (its code and data,
``config.package_digest``) and by the Python that wrote it (``marshal``'s format is its own), so a change to either
starts again from nothing; a missing or damaged file is worked out again.
"""

from __future__ import annotations

import functools
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from track287g.config import cache_folder, package_digest

P = ParamSpec("P")
R = TypeVar("R")

PREFIX = "names-"
_TABLES: dict[str, dict[tuple, Any]] = {}  # function -> its arguments -> its answer
_USED: dict[str, set[tuple]] = {}  # function -> the arguments this run asked for (what ``save`` writes)
_ADDED: set[str] = set()  # the functions that worked an answer out since the last load or save
_LOADED: set[Path] = set()  # the files this process has read (a long-lived one reads its file once)


def memoized(fn: Callable[P, R]) -> Callable[P, R]:
    """``fn`` working each set of arguments out once, answering from a table ``load`` can fill (arguments and
    answers: strings, numbers, booleans, None and tuples of them)."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    table = _TABLES.setdefault(name, {})
    used = _USED.setdefault(name, set())

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        key = (*args, tuple(sorted(kwargs.items()))) if kwargs else args
        used.add(key)
        try:
            return table[key]
        except KeyError:
            pass
        value = table[key] = fn(*args, **kwargs)
        _ADDED.add(name)
        return value

    return wrapper


def _file() -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    digest = package_digest()[:32]
    return folder / f"{PREFIX}{digest}.{sys.implementation.cache_tag}.marshal"


def load() -> int:
    """Fill the tables from the file of this code and data, unless this process read it already; how many
    answers it held."""
    path = _file()
    if path is None or path in _LOADED:
        return 0
    try:
        found = marshal.loads(path.read_bytes())
        loaded = 0
        for name, answers in found.items():
            if name in _TABLES:
                _TABLES[name].update(answers)
                loaded += len(answers)
    except (OSError, ValueError, TypeError, EOFError, AttributeError):
        return 0  # missing or damaged: worked out again
    _LOADED.add(path)
    return loaded


def save() -> bool:
    """When this run worked answers out, write the answers it used (atomically; those it never asked for are
    left out, so the file holds what a run needs) and remove the files of other code or data; whether it wrote
    (best effort: a folder that cannot be written keeps nothing). The tables then hold what was written: the
    answers used since the last save."""
    if not _ADDED:
        return False
    path = _file()
    if path is None:
        return False
    kept = {name: {key: _TABLES[name][key] for key in used} for name, used in _USED.items()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        part.write_bytes(marshal.dumps(kept))
        os.replace(part, path)
        for old in path.parent.glob(f"{PREFIX}*"):
            if old != path and not old.name.endswith(".part"):
                old.unlink(missing_ok=True)
    except (OSError, ValueError):
        return False
    _ADDED.clear()
    for name, used in _USED.items():  # a long-lived process (the watcher) keeps what its last run used, not
        table = _TABLES[name]  # every answer since it began: each state's typo scores change at many adds
        for key in table.keys() - used:
            del table[key]
        used.clear()
    return True
