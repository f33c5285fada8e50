"""The add in a process that has added a list before: the watcher's path in its loop (``track287g watch
--interval``), where the libraries are imported, the rosters and gazetteer read and the statements compiled once.

Run: python bench/warm_add.py DB NEW-LIST [--times 3] [--work DIR]

The list is added ``--times`` times in this one process, each time to a fresh copy of DB (in ``--work``, default
the system's temporary folder), through ``pipeline.ingest_paths`` as ``ingest`` and ``watch`` call it; each add's
CPU (``time.process_time``) is printed, the first being the cold one (what ``track287g ingest`` pays, less the
command's own start). The copies are removed.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

start = time.process_time()
from track287g import pipeline  # noqa: E402  (imported after the clock started: its cost is printed)
from track287g.store.db import connect  # noqa: E402

IMPORTED = time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("new")
    parser.add_argument("--times", type=int, default=3)
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    seconds = []
    with tempfile.TemporaryDirectory(dir=args.work) as work:
        for i in range(args.times):
            copy = Path(work) / f"add{i}.db"
            shutil.copyfile(args.db, copy)
            db = connect(str(copy))
            began = time.process_time()
            report = pipeline.ingest_paths(db, [args.new])
            seconds.append(time.process_time() - began)
            db.dispose()
            if not report.ok:
                raise SystemExit(f"the add failed: {report.history_error or report.results}")
            copy.unlink()
    print(
        f"{args.db}: import {IMPORTED:.2f} s; the add, one process, CPU s: "
        + ", ".join(f"{s:.2f}" for s in seconds)
        + " (the first cold)"
    )


if __name__ == "__main__":
    main()
