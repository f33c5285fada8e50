"""Time one agency's API answer in one process, for every agency in turn (shuffled, seeded): what the server's
event loop spends making each (``web.resources.agency_page``, uncached), without HTTP.

Run: python bench/agency_answers.py DB [--seed 1] [--slowest 8]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time

from track287g.web import resources
from track287g.web.site import Site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slowest", type=int, default=8)
    args = parser.parse_args()
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as con:
        ids = [r[0] for r in con.execute("SELECT agency_id FROM agency ORDER BY agency_id")]
    random.Random(args.seed).shuffle(ids)
    site = Site(args.db)
    try:  # what a server process makes before its first request (code from before it had this: nothing)
        from track287g.web.app import prepare
    except ImportError:
        pass
    else:
        prepare(site)
    resources.agency_page(site, {}, ids[0])  # the first answer: what every later one shares
    times = []
    for agency_id in ids[1:]:
        start = time.perf_counter()
        resources.agency_page(site, {}, agency_id)
        times.append(((time.perf_counter() - start) * 1000, agency_id))
    ms = sorted(t for t, _ in times)
    print(
        f"{len(ms)} agencies: median {ms[len(ms) // 2]:.2f} ms, p99 {ms[int(0.99 * len(ms))]:.2f} ms, "
        f"all {sum(ms):,.0f} ms"
    )
    for took, agency_id in sorted(times, reverse=True)[: args.slowest]:
        print(f"{took:8.2f} ms  {agency_id}")


if __name__ == "__main__":
    main()
