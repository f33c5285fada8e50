"""Time each pass of the history's rebuild, in one process: where a rebuild (and so an add) spends its CPU.

Run: python bench/history_passes.py DB [--repeat 3]

The database's history is rebuilt ``--repeat`` times, each in a transaction rolled back (the database is left as
it was), with garbage collection off as the command runs it; each pass's CPU (``time.process_time``) is
summed over its calls, and the lowest of the runs is printed, largest first. A pass called inside another is
counted in both (``build (all)`` holds every pass of ``history.build``).
"""

from __future__ import annotations

import argparse
import functools
import gc
import time
from collections import defaultdict
from collections.abc import Callable
from types import ModuleType
from typing import Any

from sqlalchemy import create_engine

from track287g.history import agreements, audit, build, events, pending, rebuild

spent: dict[str, float] = defaultdict(float)


def timed(module: ModuleType, name: str, label: str) -> None:
    """Replace ``module.name`` by a wrapper adding its CPU to ``spent[label]``."""
    inner: Callable[..., Any] = getattr(module, name)

    @functools.wraps(inner)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start

    setattr(module, name, wrapper)


PASSES = {
    build: [
        "_spellings",
        "_handoffs",
        "_mark_suspects",
        "resolve_agencies",
        "_misprint_corrections",
        "_lifecycle",
        "times_listed",
        "link",
    ],
    agreements: ["assign", "probable_signings"],
    pending: ["applications", "link"],
    events: ["participating_events", "pending_events", "id_events", "finish", "attach_evidence"],
    audit: ["audit"],
    rebuild: ["load_archive", "build", "problems", "write_history"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for module, names in PASSES.items():
        for name in names:
            label = (
                "build (all)"
                if module is rebuild and name == "build"
                else f"{module.__name__.rsplit('.', 1)[1]}.{name}"
            )
            timed(module, name, label)
    gc.disable()
    engine = create_engine(f"sqlite:///{args.db}")
    lowest: dict[str, float] = {}
    for _ in range(args.repeat):
        spent.clear()
        with engine.connect() as conn:
            transaction = conn.begin()
            start = time.process_time()
            rebuild.rebuild_history(conn)
            spent["rebuild_history"] = time.process_time() - start
            transaction.rollback()
        gc.collect()
        for label, seconds in spent.items():
            lowest[label] = min(seconds, lowest.get(label, seconds))
    print(f"{args.db}: the lowest of {args.repeat} rebuilds, CPU seconds")
    for label, seconds in sorted(lowest.items(), key=lambda item: -item[1]):
        print(f"{seconds:8.3f}  {label}")


if __name__ == "__main__":
    main()
