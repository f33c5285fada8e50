"""Time the web site's once-a-second check of the data version (``Site.version``), five checks in a row, nothing
committed in between: what a server's event loop pays for it each second.

Run: python bench/version_check.py DB
"""

from __future__ import annotations

import sys
import time

from track287g.web.site import Site


def main() -> None:
    site = Site(sys.argv[1])
    _ = site.version  # the first look reads everything
    took = []
    for _ in range(5):
        site._checked = 0.0  # as if a second had passed
        start = time.perf_counter()
        _ = site.version  # the property does the work
        took.append((time.perf_counter() - start) * 1000)
    print("the version's check, 5 times:", " ".join(f"{t:.2f}" for t in took), "ms")
    site.close()


if __name__ == "__main__":
    main()
