"""Compare a database built from a synthetic archive with the archive's ground truth (bench/synth_archive.py).

Run: python bench/check_truth.py ARCHIVE DB

For every participating publication: the agreements and agencies the record says were listed (``timeseries``
per publication, the Python API) against those the truth says were (an agreement is listed on every list from
its first_listed to its last_listed). Then the distinct agreements and agencies over the whole archive. Prints
the differences (the first few publications that differ) and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import csv
import sys
from bisect import bisect_left, bisect_right
from collections import defaultdict
from pathlib import Path

import track287g


def truth_counts(archive: Path, until: str) -> tuple[dict[str, tuple[int, int]], int, int]:
    """Per participating publication date up to ``until``: (agreements, agencies) listed; and the totals."""
    with open(archive / "truth" / "lists.csv", newline="") as f:
        dates = sorted({e["published"] for e in csv.DictReader(f) if e["kind"] == "participating"})
    dates = [d for d in dates if d <= until]
    with open(archive / "truth" / "agreements.csv", newline="") as f:
        agreements = [g for g in csv.DictReader(f) if g["first_listed"] <= until]
    n = len(dates)
    on = [0] * (n + 1)  # difference arrays over the publications
    held = [0] * (n + 1)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for g in agreements:
        first, last = bisect_left(dates, g["first_listed"]), bisect_right(dates, g["last_listed"])
        on[first] += 1
        on[last] -= 1
        spans[g["agency_id"]].append((first, last))
    for intervals in spans.values():
        intervals.sort()
        start, end = intervals[0]
        for a, b in [*intervals[1:], (n + 1, n + 1)]:
            if a > end:
                held[start] += 1
                held[end] -= 1
                start, end = a, b
            else:
                end = max(end, b)
    counts, agreements_on, agencies_on = {}, 0, 0
    for i, d in enumerate(dates):
        agreements_on += on[i]
        agencies_on += held[i]
        counts[d] = (agreements_on, agencies_on)
    return counts, len(agreements), len(spans)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("archive", type=Path)
    parser.add_argument("db")
    parser.add_argument("--show", type=int, default=10, help="publications that differ to print")
    args = parser.parse_args()
    with track287g.open(args.db) as db:
        series = db.timeseries("publication")
        record = {
            str(row["published"]).split()[0]: (int(row["agreements"]), int(row["agencies"]))
            for _, row in series.iterrows()
        }
        found = db.sql("select count(*) as n from agreement").iloc[0]["n"]
        found_agencies = db.sql("select count(*) as n from agency where first_listed is not null").iloc[0]["n"]
    truth, agreements, agencies = truth_counts(args.archive, max(record))  # the lists the database holds
    differ = [(d, truth[d], record.get(d)) for d in sorted(truth) if record.get(d) != truth[d]]
    print(f"{len(truth)} participating publications; the record differs from the truth on {len(differ)}")
    for d, want, got in differ[: args.show]:
        print(f"  {d}: truth {want[0]} agreements of {want[1]} agencies; record {got}")
    print(f"agreements over the archive: truth {agreements}, record {found}")
    print(f"agencies over the archive: truth {agencies} on participating lists; record {found_agencies} on any list")
    return 1 if differ or found != agreements else 0


if __name__ == "__main__":
    sys.exit(main())
