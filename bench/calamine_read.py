"""The baseline: python-calamine alone reading every sheet of every file into Python values.

Usage: python bench/calamine_read.py (FILE... | --list PATHS.txt) [--jobs N]

No hashing, no hyperlinks, no database: the least any reader of these workbooks must do. ``--jobs N`` reads in N
processes (the parallel baseline); the default is one process. Prints the files and rows read.
"""

from __future__ import annotations

import argparse
import multiprocessing
from pathlib import Path

from python_calamine import CalamineWorkbook


def read(path: str) -> int:
    book = CalamineWorkbook.from_path(path)
    return sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--list", type=Path, help="a file naming one workbook a line")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    files = list(args.files) + (args.list.read_text().split("\n") if args.list else [])
    files = [f for f in files if f]
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            rows = sum(pool.imap(read, files, chunksize=8))
    else:
        rows = sum(map(read, files))
    print(f"{len(files)} files, {rows} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
