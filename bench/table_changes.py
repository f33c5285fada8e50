"""Compare two SQLite databases table by table: how many rows each table lost and gained.

Run: python bench/table_changes.py BEFORE.db AFTER.db [--show N]

Rows are compared whole; a row whose key stayed and whose other values changed counts as one lost and one
gained (``replaced``: the lost rows whose first column a gained row repeats). Tables whose rows are the same
are not printed; the search index's tables are left out. ``--show N`` prints N rows lost and gained per table.
"""

from __future__ import annotations

import argparse
import sqlite3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    before = sqlite3.connect(f"file:{args.before}?mode=ro", uri=True)
    after = sqlite3.connect(f"file:{args.after}?mode=ro", uri=True)
    names = [
        name
        for (name,) in before.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if not name.startswith("sqlite_") and "fts" not in name
    ]
    print(f"{'table':28} {'before':>9} {'after':>9} {'lost':>9} {'gained':>9} {'replaced':>9}")
    for name in names:
        try:
            old = set(before.execute(f"SELECT * FROM {name}"))
            new = set(after.execute(f"SELECT * FROM {name}"))
        except sqlite3.Error as e:
            print(f"{name:28} not compared: {e}")
            continue
        if old == new:
            continue
        lost, gained = old - new, new - old
        keys = {row[0] for row in gained}
        replaced = sum(1 for row in lost if row[0] in keys)
        print(f"{name:28} {len(old):9,} {len(new):9,} {len(lost):9,} {len(gained):9,} {replaced:9,}")
        for row in sorted(lost, key=repr)[: args.show]:
            print(f"    - {repr(row)[:160]}")
        for row in sorted(gained, key=repr)[: args.show]:
            print(f"    + {repr(row)[:160]}")


if __name__ == "__main__":
    main()
