"""How much of the history an add touches, state by state: the case for a history rebuilt only for the states
a new list changes. Resolution, agreements, applications and their events are worked out within a state (an
agency's id begins with its state; a spelling printed under a wrong state joins another state's agency only
through a shared key); if the history were built state by state, an add would rebuild the states it touches.

Run: python bench/state_churn.py DB [--last N] [--repeat R]

For each of the database's last N lists (both kinds, in the order they were posted), against the list before it
of its kind: the states printed on the rows that came or went, with the states of the agencies those spellings
belong to in the whole history (a state correction joins two); how many of the history's agencies those states
hold; and the CPU of ``history.build`` (garbage collection off, the lowest of R runs) over the archive up to that
list, whole and kept to the touched states' rows (every list kept, its other rows left out). The second figure
is what a build state by state could cost at that add, before writing; it is not the same history (a list that
lost many rows at once is judged on the rows kept), so it is an estimate of the cost, not of the result.
"""

from __future__ import annotations

import argparse
import gc
import time
from array import array

import sqlalchemy as sa

from track287g.history.build import build
from track287g.history.load import Archive, Pub, load_archive
from track287g.history.model import History
from track287g.history.rules import load_rules
from track287g.resolve.aliases import load_aliases


def kept_to(archive: Archive, states: set[str]) -> Archive:
    """The archive with every list kept to the rows printed under these states (row numbers kept)."""
    rows = {rid: row for rid, row in archive.rows.items() if row.state in states}
    pubs: dict[str, list[Pub]] = {}
    for kind, seq in archive.pubs.items():
        pubs[kind] = []
        for pub in seq:
            at = [i for i, rid in enumerate(pub.ids) if rid in rows]
            copied = pub.renumbered(pub.seq)
            copied.ids = [pub.ids[i] for i in at]
            copied.numbers = array("l", (pub.number_at(i) for i in at))
            copied.rows, copied.delta, copied.in_order = len(at), None, None
            pubs[kind].append(copied)
    return Archive(pubs, rows)


def lowest_cpu(archive: Archive, repeat: int) -> tuple[float, History]:
    """The lowest CPU of ``repeat`` builds of the archive, and the history built."""
    aliases, rules = load_aliases(), load_rules()
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        history = build(archive, aliases, rules)
        best = min(best, time.process_time() - start)
    return best, history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--last", type=int, default=5, help="adds to look at (the database's last N lists)")
    parser.add_argument("--repeat", type=int, default=2, help="builds timed for each figure (the lowest kept)")
    args = parser.parse_args()
    with sa.create_engine(f"sqlite:///{args.db}").connect() as conn:
        archive = load_archive(conn)
    posted = sorted((p for seq in archive.pubs.values() for p in seq), key=lambda p: p.order_key())
    tail = posted[-args.last :]
    gc.disable()
    shares, costs = [], []
    print(f"{args.db}: {len(posted)} lists; the last {len(tail)}, each against the list before it of its kind")
    for i, pub in enumerate(tail):
        upto = archive.without({p.sha256 for p in tail[i + 1 :]})
        seq = upto.pubs[pub.kind]
        now = seq[-1]
        before = seq[-2] if len(seq) > 1 else None
        moved = set(now.ids) ^ set(before.ids if before else ())
        whole, history = lowest_cpu(upto, args.repeat)
        agency_of = history.resolution.agency_of
        states = {upto.rows[rid].state for rid in moved} - {None, ""}
        states |= {
            agency_of[(row.state, row.agency)].split("-", 1)[0]
            for rid in moved
            if (row := upto.rows[rid]).state and row.agency and (row.state, row.agency) in agency_of
        }
        agencies = history.resolution.agencies
        touched = sum(1 for a in agencies if a.state in states)
        part = lowest_cpu(kept_to(upto, states), args.repeat)[0] if states else 0.0
        shares.append(touched / len(agencies))
        costs.append(part / whole)
        print(
            f"{pub.label:16} {pub.kind:13} rows came or went {len(moved):4}  states {len(states):2}  "
            f"agencies in them {touched:5} of {len(agencies):5} ({100 * touched / len(agencies):4.1f}%)  "
            f"build {whole:5.2f} s, those states alone {part:5.2f} s ({100 * part / whole:4.1f}%)"
        )
    shares.sort()
    costs.sort()
    print(
        f"median of {len(tail)} adds: {100 * shares[len(shares) // 2]:.1f}% of the agencies in the states touched, "
        f"the build kept to them {100 * costs[len(costs) // 2]:.1f}% of the whole build's CPU"
    )


if __name__ == "__main__":
    main()
