"""The old lists (2007-2020) resolved to today's agencies, kept apart from the changelog.

Each old list (``parse.historical``: derived by a third party, stored as a publication of kind ``historical``) is
read again from its bytes, its rows normalized like ICE's, and its spellings clustered together with every
spelling of the lists of 2021 onwards by the same identity rules and alias table (``resolve.agencies``). A row
names today's agency when its cluster holds that agency's spellings (one agency only: a cluster that would join
two is ``ambiguous`` and names none); each row keeps the rule and evidence of its merge. Each day an old list
stood counts as a list of its own, so two of its days never print "side by side".

The old lists never enter the build of agreements and events: between them and 2021 there is no list, so nothing
in them can be read as an addition or a removal (``as_of`` answers a gap for those years).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import Connection, select, update

from track287g.archive.files import read_file
from track287g.history.model import History
from track287g.history.rules import Rules
from track287g.messages import render
from track287g.normalize import normalize_row
from track287g.parse import RawRow
from track287g.parse.historical import BY_NAME, KIND, read_historical
from track287g.resolve.agencies import Spelling, resolve_agencies
from track287g.resolve.aliases import Alias, AliasError
from track287g.store.db import bulk_insert
from track287g.store.schema import old_listing, publication

MODELS = {"Task Force": "TFM", "Jail Enforcement": "JEM", "Hybrid": "JEM+TFM"}


@dataclass
class _OldRow:
    sha256: str
    layout: str
    number: int
    source: str
    as_of: str | None
    state: str
    printed: str
    name: str
    model_printed: str | None
    signed: str | None
    status: str | None
    moa_file: str | None
    day: int  # the pseudo-list id of the day it stood (negative: never a real pub_id)


def _read(conn: Connection) -> tuple[list[_OldRow], dict[int, str], dict[int, tuple], list[tuple[str, int]]]:
    pubs = conn.execute(
        select(publication.c.sha256, publication.c.layout, publication.c.published)
        .where(publication.c.kind == KIND)
        .order_by(publication.c.published, publication.c.sha256)
    ).all()
    rows: list[_OldRow] = []
    labels: dict[int, str] = {}
    order: dict[int, tuple] = {}
    days: dict[tuple[str, str | None], int] = {}
    for p in pubs:
        old, found = read_historical(read_file(conn, p.sha256))
        for r in found:
            norm = normalize_row(RawRow(r.state, r.agency, None, None, r.model, r.signed, None, None, None, None))
            if not norm.state or not norm.agency:
                continue
            day = days.setdefault((p.sha256, r.as_of), -(len(days) + 1))
            labels[day] = f"old list {old.layout.name} of {r.as_of or 'no date (an index)'} (derived)"
            order[day] = (r.as_of or "0000-00-00", 2, "", f"old-{-day}")
            rows.append(
                _OldRow(
                    p.sha256,
                    p.layout,
                    r.number,
                    r.source,
                    r.as_of,
                    norm.state,
                    r.agency,
                    norm.agency,
                    r.model,
                    norm.signed,
                    r.status,
                    r.moa_file,
                    day,
                )
            )
    seqs = [(p.sha256, i) for i, p in enumerate(pubs, start=1)]
    return rows, labels, order, seqs


def _spellings(history: History, rows: list[_OldRow]) -> list[Spelling]:
    found = {
        (s.state, s.name): replace(s, pubs=set(s.pubs), printed=s.printed.copy(), lists_in={})
        for s in history.spellings
    }
    for r in rows:
        s = found.setdefault((r.state, r.name), Spelling(r.state, r.name, pubs=set()))
        s.printed.setdefault(r.day, []).append((r.number, MODELS.get(r.model_printed or "", "unknown"), r.signed))
        s.pubs.add(r.day)
        s.rows += 1
        when = r.as_of or r.signed or "2020-12-31"
        s.first, s.last = min(s.first, when), max(s.last, when)
    return sorted(found.values(), key=lambda s: (s.state, s.name))


def resolve_old_lists(conn: Connection, history: History, aliases: list[Alias], rules: Rules) -> dict:
    """Write ``old_listing`` (in the caller's transaction) and number the old lists; counts per layout."""
    rows, labels, order, seqs = _read(conn)
    for sha, seq in seqs:  # the old lists are part of the record: "in", never "waiting"
        conn.execute(update(publication).where(publication.c.sha256 == sha).values(seq=seq))
    if not rows:
        return {}
    today = set(history.resolution.agency_of)
    pubs = history.participating + history.pending_pubs
    labels |= {p.pub_id: f"{p.label} ({p.kind})" for p in pubs}
    order |= {p.pub_id: p.order_key() for p in pubs}
    try:
        res = resolve_agencies(
            _spellings(history, rows),
            aliases,
            min_ratio=rules.typo_min_ratio,
            margin=rules.typo_margin,
            min_length=rules.typo_min_length,
            same_body=list(rules.same_body),
            max_gap=rules.max_gap_publications,
            labels=labels,
            order=order,
            participating={p.pub_id for p in history.participating},
        )
    except AliasError as exc:  # the alias table refuses a merge: no old row is joined to anything
        res, refused = None, str(exc)
    members: dict[str, list] = defaultdict(list)
    if res is not None:
        for a in res.agencies:
            members[a.agency_id] = a.members
    out = []
    for r in rows:
        key = (r.state, r.name)
        if res is None:
            cluster, agency_id, rule, evidence = f"{r.state}-old", None, "not-resolved", refused
        else:
            cluster = res.agency_of[key]
            agency_id, rule, evidence = _today(history, members[cluster], key, today)
        out.append(
            (r.sha256, r.number, r.layout, r.source, r.as_of, r.state, r.printed, r.name, r.model_printed,
             MODELS.get(r.model_printed or ""), r.signed, r.status, r.moa_file, cluster, agency_id, rule, evidence)
        )  # fmt: skip
    bulk_insert(conn, old_listing, out)
    counts: dict[str, int] = defaultdict(int)
    for row in out:
        counts[row[2]] += 1
    return dict(counts)


def _today(history: History, members: list, key: tuple[str, str], today: set) -> tuple[str | None, str, str]:
    """Today's agency of an old spelling's cluster: (agency_id, rule, evidence)."""
    now = {history.resolution.agency_of[(m.spelling.state, m.spelling.name)] for m in members
           if (m.spelling.state, m.spelling.name) in today}  # fmt: skip
    if not now:
        return None, "new-to-old-lists", "no spelling on a list of 2021 onwards is the same body"
    if len(now) > 1:
        return None, "ambiguous", "the rules join it to several of today's agencies: " + ", ".join(sorted(now))
    agency_id = next(iter(now))
    if key in today:
        return agency_id, "same-spelling", "a list of 2021 onwards prints the same name in the same state"
    mine = next(m for m in members if (m.spelling.state, m.spelling.name) == key)
    if mine.rule != "lead":
        return agency_id, mine.rule, render(mine.evidence)
    joined = [m for m in members if (m.spelling.state, m.spelling.name) in today]
    return agency_id, joined[0].rule, f"{joined[0].spelling.name!r}: {render(joined[0].evidence)}"


__all__ = ["BY_NAME", "MODELS", "resolve_old_lists"]
