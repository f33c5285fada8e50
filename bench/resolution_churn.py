"""How often adding one list changes what the history had already decided: a spelling's agency, or the agreement a
printed row belongs to. An incremental history could keep those decisions when an add leaves them alone, and must
rebuild when it does not; this counts, on a built database, how many of its last adds would have needed that.

Run: python bench/resolution_churn.py DB [--last N]

The database's lists of both kinds, in the order they were posted (date, part of day, save time), are built into a
history N+1 times in this process: without the last N lists, then adding them back one at a time. For each add it
prints how many spellings already known moved to another agency, how many rows already printed moved to another
agreement id (a re-dated agreement takes the id of its latest listing, so a re-date counts), and how many
spellings are new. The history build alone, no database writes.
"""

from __future__ import annotations

import argparse
import gc

import sqlalchemy as sa

from track287g.history.build import build
from track287g.history.load import load_archive
from track287g.history.rules import load_rules
from track287g.resolve.aliases import load_aliases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--last", type=int, default=30, help="adds to count (the database's last N lists)")
    args = parser.parse_args()
    with sa.create_engine(f"sqlite:///{args.db}").connect() as conn:
        archive = load_archive(conn)
    aliases, rules = load_aliases(), load_rules()
    posted = sorted((p for seq in archive.pubs.values() for p in seq), key=lambda p: p.order_key())
    tail = posted[-args.last - 1 :]
    gc.disable()  # many builds of one archive in one process: nothing to collect between them
    agency_before: dict | None = None  # the decisions of the build before this add
    agreement_before: dict = {}
    resolved = assigned = 0
    for i, pub in enumerate(tail):
        history = build(archive.without({p.sha256 for p in tail[i + 1 :]}), aliases, rules)
        agency_of, agreement_of = dict(history.resolution.agency_of), dict(history.row_agreement)
        if agency_before is not None:
            moved = sum(1 for s, a in agency_before.items() if s in agency_of and agency_of[s] != a)
            remapped = sum(1 for r, a in agreement_before.items() if r in agreement_of and agreement_of[r] != a)
            new = len(agency_of.keys() - agency_before.keys())
            resolved += moved > 0
            assigned += remapped > 0
            print(
                f"{pub.label:16} {pub.kind:13}  spellings to another agency {moved:3}  "
                f"rows to another agreement {remapped:3}  new spellings {new:3}"
            )
        agency_before, agreement_before = agency_of, agreement_of
    adds = len(tail) - 1
    print(
        f"of {adds} adds: {resolved} moved a known spelling to another agency, "
        f"{assigned} moved a printed row to another agreement id"
    )


if __name__ == "__main__":
    main()
