"""What each publication lists, counted both ways (``publication_count``), and which lists an add counts again.

A list's counts are a function of that list alone: the rows it prints, each row's agreement (with its model) and
holder; each pending listing's application (with its model and agency). The counts a history written by this
code left (``state.built_here``) therefore still hold for every list whose rows map as they did: an add counts
the lists it brings and those printing a row, a listing or an agreement whose mapping changed, and keeps the
rows of the others. A rebuild of everything, a history another version wrote, or participating lists to count
again that print more rows than ``ROWS_PER_LIST`` for each list of the history (a row printed for months moved to
another agreement) count every list: the reference, which the short way must equal (``tests/test_incremental.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, repeat

from sqlalchemy import Connection, bindparam

from track287g.history.load import Pub, steps
from track287g.history.model import History, spelled
from track287g.store.db import bulk_insert
from track287g.store.schema import publication_count
from track287g.store.sql import tuples

# participating lists to count again that print more rows than this for each list of the history: count every
# list as its difference from the one before instead. A list counted alone reads each of its rows, 0.65-1.1 µs a
# row (0.63 ms for the bundled record's last lists of 968 rows, 3.3-5.0 ms for the synthetic archive's of 4,494);
# the walk over every list, 0.02-0.13 ms a list (3,352 synthetic lists; ICE's 221, which change more a list)
ROWS_PER_LIST = 25


@dataclass
class Stored:
    """What the stored counts were made from, read before the history's tables are written again."""

    counted: set[str]  # the lists with count rows
    models: dict[str, str]  # agreement -> its model
    holders: set[str]  # the agencies holding a printed row
    applications: dict[str, tuple[str, str]]  # application -> (its model, its agency)


def read_stored(conn: Connection) -> Stored:
    """The stored lists with counts, and the models and agencies the stored history gave their entries (thousands of
    rows: through the driver)."""
    applications = tuples(conn, "SELECT pending_id, model, agency_id FROM pending")
    return Stored(
        {sha for (sha,) in tuples(conn, "SELECT DISTINCT sha256 FROM publication_count")},
        dict(tuples(conn, "SELECT agreement_id, model FROM agreement")),
        {agency_id for (agency_id,) in tuples(conn, "SELECT DISTINCT agency_id FROM row_agreement")},
        {pid: (model, agency) for pid, model, agency in applications},
    )


def all_counts(history: History) -> list[tuple]:
    """Every list's count rows: the participating lists counted from the one before each, the pending lists one
    at a time (``_pending_counts``)."""
    return _participating_counts(history) + _pending_counts(history, history.pending_pubs)


Moved = tuple[list[tuple], list[tuple]]  # the rows of a table a write deleted, and those it added


def write_counts(conn: Connection, history: History, stored: Stored, rows: Moved, listings: Moved) -> int | None:
    """Write the counts of the lists whose counts can have changed since ``stored``, keep the others' rows, and
    delete those of lists no longer in the history. ``rows``: what the write changed in ``row_agreement``;
    ``listings``: in ``pending_listing``. Returns how many lists were counted again; None, having written
    nothing, when the participating lists to count again print too many rows (the caller counts every list)."""
    participating, pending_pubs = history.participating, history.pending_pubs
    changed = _moved_rows(history, stored, rows)
    printing = {pub.pub_id for pub in _printing(participating, changed)} if changed else set()
    recount = [pub for pub in participating if pub.pub_id in printing or pub.sha256 not in stored.counted]
    if sum(len(pub.ids) for pub in recount) > ROWS_PER_LIST * len(participating):
        return None
    touched = _moved_listings(history, stored, listings)
    pending_again = [p for p in pending_pubs if p.pub_id in touched or p.sha256 not in stored.counted]
    mapping = _row_mapping(history) if recount else ({}, {})
    new_rows = [row for pub in recount for row in _list_counts(pub, *mapping)]
    new_rows += _pending_counts(history, pending_again)
    in_history = {pub.sha256 for pub in chain(participating, pending_pubs)}
    gone = [sha for sha in stored.counted if sha not in in_history]
    cleared = gone + [pub.sha256 for pub in chain(recount, pending_again) if pub.sha256 in stored.counted]
    if cleared:
        by_list = publication_count.delete().where(publication_count.c.sha256 == bindparam("s"))
        conn.execute(by_list, [{"s": sha} for sha in cleared])
    bulk_insert(conn, publication_count, new_rows)
    return len(recount) + len(pending_again)


def _renaming(pairs: Iterable[tuple[str, str]], before: Container[str], after: Container[str]) -> bool:
    """Whether these (old, new) names rename one to one: each old name has one new name, no two the same; a
    renamed old name is no longer used (``after``: the names used now), a new one was not (``before``). Then
    whatever is grouped by these names is grouped as it was, only named otherwise."""
    renamed: dict[str, str] = {}
    for old, new in pairs:
        if renamed.setdefault(old, new) != new:
            return False
    if len(set(renamed.values())) != len(renamed):
        return False
    return all(old == new or (old not in after and new not in before) for old, new in renamed.items())


def _moved_rows(history: History, stored: Stored, moved: Moved) -> set[str]:
    """The printed rows whose agreement, model or holder changed otherwise than by a renaming (an agency's id
    following its lead spelling renames its agreements: every list's counts stay), and the rows new to the
    history."""
    left, added = ({rid: (aid, holder) for rid, aid, holder in rows} for rows in moved)
    changed = set(left.keys() ^ added.keys())
    both = left.keys() & added.keys()
    agreements = history.agreements
    remodelled = {aid for aid, a in agreements.items() if stored.models.get(aid, a.model) != a.model}
    if remodelled:
        changed.update(rid for rid, aid in history.row_agreement.items() if aid in remodelled)
    pairs = [(left[rid], added[rid]) for rid in both]
    if not pairs:
        return changed
    now_agreements = set(history.row_agreement.values())
    now_holders = set(history.resolution.agency_of.values())  # every agency now (holders among them)
    renamed = (
        _renaming(((a, b) for (a, _), (b, _) in pairs), stored.models, now_agreements)
        and _renaming(((g, h) for (_, g), (_, h) in pairs), stored.holders, now_holders)
        and all(stored.models.get(a) == agreements[b].model for (a, _), (b, _) in pairs)
    )
    return changed if renamed else changed | both


def _moved_listings(history: History, stored: Stored, moved: Moved) -> set[int]:
    """The pending lists whose listings' applications, or their models or agencies, changed otherwise than by
    a renaming, and those with listings new to the history."""
    left, added = ({(pub_id, n): pid for pub_id, n, pid in rows} for rows in moved)
    touched = {pub_id for pub_id, _ in left.keys() ^ added.keys()}
    apps = history.applications
    reapplied = {p for p, a in apps.items() if stored.applications.get(p, (now := (a.model, a.agency_id))) != now}
    if reapplied:
        touched.update(pub_id for (pub_id, _), pid in history.listing_application.items() if pid in reapplied)
    both = left.keys() & added.keys()
    if not both:
        return touched
    pairs = [(left[key], added[key]) for key in both]
    agency_before = {agency for _, agency in stored.applications.values()}
    agency_now = {a.agency_id for a in apps.values()}
    renamed = (
        all(p in stored.applications and q in apps for p, q in pairs)  # each listing's application known on both sides
        and _renaming(pairs, stored.applications, apps)
        and _renaming(((stored.applications[p][1], apps[q].agency_id) for p, q in pairs), agency_before, agency_now)
        and all(stored.applications[p][0] == apps[q].model for p, q in pairs)
    )
    return touched if renamed else touched | {pub_id for pub_id, _ in both}


def _printing(pubs: list[Pub], wanted: set[str]) -> Iterator[Pub]:
    """The lists (one kind, in order, linked) that print any of these rows, read from the lists' differences."""
    present: set[str] = set()
    for _, pub in steps(pubs):
        if present:
            present.difference_update(pub.went)
        present.update(wanted.intersection(pub.came))
        if present:
            yield pub


def _row_mapping(history: History) -> tuple[dict[str, tuple[str, str, str]], dict[str, str]]:
    """Printed row -> (its agreement, "model\\0agency", its holder); agreement -> its model."""
    holder_of = history.resolution.agency_of
    rows = history.rows
    entry_model: dict[str, str] = {}
    of_row: dict[str, tuple[str, str, str]] = {}
    for rid, agreement_id in history.row_agreement.items():
        model = entry_model[agreement_id] = history.agreements[agreement_id].model
        holder = holder_of[spelled(rows[rid])]
        of_row[rid] = (agreement_id, f"{model}\0{holder}", holder)
    return of_row, entry_model


def _list_counts(pub: Pub, of_row: dict[str, tuple[str, str, str]], entry_model: dict[str, str]) -> list[tuple]:
    """One participating list's count rows from its own rows (``_row_mapping``): what ``_participating_counts``
    reaches at it."""
    printings = Counter(filter(of_row.__contains__, pub.row_ids()))
    entries: Counter = Counter()
    pairs: Counter = Counter()
    printed: Counter = Counter()
    agreements: set[str] = set()
    held: set[str] = set()
    holders: set[str] = set()
    for rid, n in printings.items():
        agreement_id, pair, holder = of_row[rid]
        model = entry_model[agreement_id]
        printed[model] += n
        if agreement_id not in agreements:
            agreements.add(agreement_id)
            entries[model] += 1
        if pair not in held:
            held.add(pair)
            pairs[model] += 1
        holders.add(holder)
    return _count_rows(pub.sha256, entries, pairs, entries.total(), len(holders), printed)


def _participating_counts(history: History) -> list[tuple]:
    """Agencies, agreements and ICE's rows listed by each participating list, per model and in total ("*").

    A list is counted from the one before it: only the rows that came and went change how many rows each
    agreement, (model, agency) pair and agency has in the list; one enters or leaves the counts when its rows
    reach or leave zero. A row printed twice counts once for agreements and agencies, twice as rows."""
    out = []
    of_row, entry_model = _row_mapping(history)
    of_agreement: Counter = Counter()  # agreement -> its distinct rows listed
    of_pair: Counter = Counter()  # "model\0agency" -> its distinct rows listed
    of_agency: Counter = Counter()  # agency -> its distinct rows listed
    entries: Counter = Counter()  # model -> agreements listed (0 once none is: left out by +entries below)
    pairs: Counter = Counter()  # model -> agencies listing it
    printed: Counter = Counter()  # model -> distinct rows listed
    agencies = 0
    for _, pub in steps(history.participating):
        for rid, step in chain(zip(pub.went, repeat(-1)), zip(pub.came, repeat(1))):
            if (found := of_row.get(rid)) is None:
                continue
            agreement_id, pair, holder = found
            model = entry_model[agreement_id]
            printed[model] += step
            for count, key, total in ((of_agreement, agreement_id, entries), (of_pair, pair, pairs)):
                count[key] += step
                if count[key] == (step > 0):  # its first row came (now 1) or its last went (now 0)
                    total[model] += step
            of_agency[holder] += step
            if of_agency[holder] == (step > 0):
                agencies += step
        printed_now = printed
        if len(pub.ids) > pub.distinct:  # rows printed more than once
            printed_now = Counter(printed)
            extra = Counter(filter(of_row.__contains__, pub.row_ids()))
            for rid, n in extra.items():
                if n > 1:
                    printed_now[entry_model[of_row[rid][0]]] += n - 1
        models = +entries
        out.extend(_count_rows(pub.sha256, models, pairs, models.total(), agencies, printed_now))
    return out


def _pending_counts(history: History, pubs: list[Pub]) -> list[tuple]:
    """The count rows of these pending lists, each from the applications its listings are."""
    out = []
    apps = history.applications
    model_of = {pid: app.model for pid, app in apps.items()}
    counted: dict[tuple[str, ...], tuple] = {}  # the applications a list prints -> its counts (most lists repeat)
    for pub in pubs:
        numbers = zip(repeat(pub.pub_id), pub.numbers)
        listed = tuple(filter(None, map(history.listing_application.get, numbers)))
        if (counts := counted.get(listed)) is None:
            distinct = set(listed)
            counts = counted[listed] = (
                Counter(map(model_of.__getitem__, distinct)),
                Counter(model for model, _ in {(apps[p].model, apps[p].agency_id) for p in distinct}),
                len(distinct),
                len({apps[p].agency_id for p in distinct}),
                Counter(map(model_of.__getitem__, listed)),
            )
        out.extend(_count_rows(pub.sha256, *counts))
    return out


def _count_rows(
    sha: str, entries: Counter, agencies: Counter, all_entries: int, all_agencies: int, printed: Counter
) -> list[tuple]:
    """A publication's count rows, total ("*") then per model, from its distinct entries and agencies per model,
    in all, and the rows it printed per model."""
    if not all_entries:
        return []
    total = (sha, "*", all_agencies, all_entries, sum(printed.values()))
    return [total] + [(sha, m, agencies[m], entries[m], printed[m]) for m in sorted(entries)]
