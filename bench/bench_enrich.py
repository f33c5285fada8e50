"""Benchmark: the enrich stage on a built database (roster matching blocked by state, counties, tables).

Run: python bench/bench_enrich.py DB [--repeat N]
The first run in a fresh process includes reading the bundled rosters and gazetteer (cold); the later ones reuse
them (warm), as a long-running process would. Each run writes the enrich tables in a transaction rolled back.
"""

from __future__ import annotations

import argparse
import statistics
import time

from track287g.enrich import enrich_database
from track287g.store import connect


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    db = connect(args.db, create=False)
    runs = []
    for _ in range(args.repeat):
        with db.engine.connect() as conn:
            trans = conn.begin()
            start = time.perf_counter()
            result = enrich_database(conn)
            runs.append((time.perf_counter() - start, result.match_seconds))
            trans.rollback()
    (cold, cold_match), warm = runs[0], runs[1:]
    print(f"{result.agencies} agencies, {result.matched} matched")
    print(f"cold: stage {cold:.2f} s, matching {cold_match:.2f} s")
    if warm:
        print(
            f"warm (median of {len(warm)}): stage {statistics.median(w[0] for w in warm):.2f} s, "
            f"matching {statistics.median(w[1] for w in warm):.2f} s"
        )


if __name__ == "__main__":
    main()
