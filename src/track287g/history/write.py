"""Write a built history to its tables (recreated first): one transaction with the rest of the rebuild.

Every derived row is deduplicated on its table's key, never on the whole tuple: two rules that reach one
candidate pair (or one key) by two roads write it once, with the first road's values.
"""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import Connection, Table, bindparam, inspect, update

from track287g.history import counts, revisions
from track287g.history.load import last_printed, steps
from track287g.history.model import History, agency_kind_of, spelled
from track287g.history.state import built_here
from track287g.i18n import N_
from track287g.messages import quotes_english, render
from track287g.store.db import bulk_insert, is_stale
from track287g.store.schema import (
    agency,
    agency_alias,
    agency_spelling,
    agreement,
    agreement_alias,
    continuation,
    correction,
    event,
    merge_candidate,
    metadata,
    old_listing,
    pending,
    pending_listing,
    publication,
    publication_check,
    publication_count,
    row_agreement,
)
from track287g.store.sql import tuples

HISTORY_TABLES = (
    old_listing,
    continuation,
    event,
    publication_check,
    publication_count,
    pending_listing,
    pending,
    correction,
    agreement_alias,
    row_agreement,
    agreement,
    merge_candidate,
    agency_alias,
    agency_spelling,
    agency,
)

# what ``json.dumps(value, sort_keys=True)`` writes, without making an encoder for each of thousands of rows
sorted_json = json.JSONEncoder(sort_keys=True).encode


def unique(table: Table, rows: list[tuple]) -> list[tuple]:
    """Rows in order, the first of each primary key only."""
    names = [c.name for c in table.columns]
    at = [names.index(c.name) for c in table.primary_key.columns]
    seen: set[tuple] = set()
    out = []
    for row in rows:
        key = tuple(row[i] for i in at)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _insert(conn: Connection, table: Table, rows: list[tuple]) -> None:
    bulk_insert(conn, table, unique(table, rows))


def _sync(conn: Connection, table: Table, rows: list[tuple], *, keyed: bool = False) -> tuple[list[tuple], list[tuple]]:
    """Make the table hold exactly these rows by writing what differs: the rows no longer there are deleted (by
    key), the new ones inserted; returns both. For a table read only through its keys (the order rows were
    written in is lost). ``keyed``: no two rows share a key (as from a dict's items), so none is left out."""
    if not keyed:
        rows = unique(table, rows)
    names = [c.name for c in table.columns]
    cursor = conn.connection.cursor()  # straight through the driver: tuples, as the rows are
    try:
        cursor.execute(f"SELECT {', '.join(names)} FROM {table.name}")
        have = set(cursor.fetchall())
    finally:
        cursor.close()
    at = [names.index(c.name) for c in table.primary_key.columns]
    wanted = set(rows)
    left = list(have - wanted)
    if left:
        mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        where = " AND ".join(f"{names[i]} = {mark}" for i in at)
        conn.exec_driver_sql(f"DELETE FROM {table.name} WHERE {where}", [tuple(row[i] for i in at) for row in left])
    missing = len(wanted) - (len(have) - len(left))  # the wanted rows not there already (often none)
    added = [row for row in rows if row not in have] if missing else []
    bulk_insert(conn, table, added)
    return left, added


def _empty(conn: Connection, tables: tuple[Table, ...], kept: tuple[Table, ...] = ()) -> None:
    """Empty the tables, in the caller's transaction, but those ``kept`` (written by ``_sync``); one whose columns
    are not this code's is made again (a build picks up new columns). Rows are deleted rather than tables dropped:
    on PostgreSQL a reader whose snapshot is older than the commit would see a dropped-and-made table as empty."""
    found = inspect(conn)
    stale = [t for t in tables if is_stale(found, t)]
    metadata.drop_all(conn, tables=stale)
    metadata.create_all(conn, tables=stale)
    for table in tables:  # the tables that refer to others first, as HISTORY_TABLES lists them
        if table not in stale and table not in kept:
            conn.execute(table.delete())


# the tables written by what differs (``_sync``): large, mostly the same from one list to the next, read only
# through their keys or in the order of a key, and no other table refers to them
SYNCED = (
    pending_listing,
    event,
    continuation,
    publication_check,
    publication_count,
    row_agreement,
    agreement_alias,
    correction,
    agency_alias,
)


def write_history(
    conn: Connection,
    history: History,
    covered: set[str] | None = None,
    before: revisions.Reported | None = None,
    *,
    emptied: bool = False,
) -> dict:
    """Replace the history tables by ``history``. ``covered``: the publications the stored history covered;
    the changes it reported for them that the new history reports otherwise are recorded as revisions. Read
    here (its events as the difference the new ones make), unless the tables were ``emptied`` before: then
    ``before`` is what it reported, read before that (None: nothing to compare)."""
    covered = covered or set()
    if not emptied:
        before = revisions.reported_before(conn, covered, rows=False)
    stored = counts.read_stored(conn) if not emptied and built_here(conn) else None  # what the counts were made from
    kept_listings = _kept_listings(conn, history) if stored is not None else None  # read before the tables go
    _empty(conn, HISTORY_TABLES, kept=SYNCED)
    _number_publications(conn, history)
    agency_rows, spelling_rows = _agencies(history)
    label = _labels(history) if history.resolution.id_changes else {}
    _insert(conn, agency, agency_rows)
    _insert(conn, agency_spelling, spelling_rows)
    _sync(
        conn,
        agency_alias,
        sorted(
            [
                (c.old, c.agency_id, f"id until the list of {label.get(c.pub_id, str(c.pub_id))}: {c.reason}")
                for c in history.resolution.id_changes
                if c.old != c.agency_id  # an id that came back is the agency's id, not an alias
            ]
            + [
                (old, new, N_("the id of another spelling of the agency"))  # said in the reader's language
                for old, new in history.resolution.aliases.items()
            ]
        ),
    )
    _insert(
        conn,
        merge_candidate,
        [(c.state, c.spelling, c.other, c.score, c.reason) for c in history.resolution.candidates],
    )
    _insert(conn, agreement, _agreement_rows(history))
    holder = {rid: history.resolution.agency_of[spelled(history.rows[rid])] for rid in history.row_agreement}
    moved_rows = _sync(
        conn, row_agreement, sorted((rid, a, holder[rid]) for rid, a in history.row_agreement.items()), keyed=True
    )
    _sync(conn, agreement_alias, sorted(history.agreement_aliases.items()), keyed=True)
    _sync(
        conn,
        correction,
        [(c.agreement_id, c.field, c.pub.sha256, c.old, c.new, c.rule, c.note) for c in history.corrections],
    )
    _insert(conn, pending, _pending_rows(history))
    if kept_listings is not None:  # the pending lists' listings map as they did: only the new lists' are written
        moved_listings = _add_listings(conn, history, kept_listings)
    else:
        moved_listings = _sync(
            conn,
            pending_listing,
            [(pub_id, number, pid) for (pub_id, number), pid in history.listing_application.items()],
            keyed=True,
        )
    event_rows, continuation_rows = _event_rows(history)
    left, added = _sync(conn, event, event_rows, keyed=True)  # numbered one by one: no two share a key
    revised = 0
    if before is not None:  # the events before and after, or only those that differ (the rest cancel out)
        old, new = (before.rows, event_rows) if before.rows is not None else (left, added)
        revised = revisions.record(conn, history, before, covered, old, new)
    _sync(conn, continuation, continuation_rows)
    _sync(
        conn,
        publication_check,
        sorted((sha, c["suspect"], c["added"], c["removed"], c["net"], c["note"]) for sha, c in history.checks.items()),
        keyed=True,
    )
    # one row a publication and model: the lists whose counts can have changed counted again, else every list
    if stored is None or counts.write_counts(conn, history, stored, moved_rows, moved_listings) is None:
        _sync(conn, publication_count, counts.all_counts(history), keyed=True)
    return {
        "agencies": len(agency_rows),
        "agreements": len(history.agreements),
        "pending_applications": len(history.applications),
        "events": len(event_rows),
        "corrections": len(history.corrections),
        "merge_candidates": len(history.resolution.candidates),
        "revisions": revised,
    }


def _kept_listings(conn: Connection, history: History) -> set[int] | None:
    """The pending lists whose stored listings (``pending_listing``, as the stored history wrote them: the caller
    checked ``built_here``) still name each listing's application, or None when one may not.

    A listing's application is its row's agency and model, and the run of lists printing them (``pending.
    applications``) that holds its list. When the stored history's pending lists come first in this one's, in
    the same order, the runs among them are as they were: a list after them can lengthen the last run of a key,
    or start one, not join or split the runs before it (the lists between two listings, and which of them are
    suspect, are unchanged). When, too, every spelling printed in a pending list belongs to the agency it
    belonged to (a spelling the stored history did not know is printed in none of its lists), every listing of
    those lists maps to the application it did."""
    before = [
        pub_id
        for (pub_id,) in tuples(
            conn, "SELECT pub_id FROM publication WHERE kind = 'pending' AND seq IS NOT NULL ORDER BY seq"
        )
    ]
    if [pub.pub_id for pub in history.pending_pubs[: len(before)]] != before:
        return None
    pending_spellings = {(s.state, s.name) for s in history.spellings if "pending" in s.first_in}
    agency_of = history.resolution.agency_of
    for agency_id, state, name in tuples(conn, "SELECT agency_id, state, spelling FROM agency_spelling"):
        if (state, name) in pending_spellings and agency_of.get((state, name)) != agency_id:
            return None
    return set(before)


def _add_listings(conn: Connection, history: History, kept: set[int]) -> tuple[list[tuple], list[tuple]]:
    """Write the listings of the pending lists after those ``kept`` (``_kept_listings``); returned as ``_sync``
    returns what it wrote: no row deleted, these added."""
    application = history.listing_application
    added = [
        (pub.pub_id, number, application[pub.pub_id, number])
        for pub in history.pending_pubs
        if pub.pub_id not in kept
        for number in pub.numbers
        if (pub.pub_id, number) in application
    ]
    bulk_insert(conn, pending_listing, unique(pending_listing, added))
    return [], added


def _number_publications(conn: Connection, history: History) -> None:
    """Each publication's place among the lists of its kind in this history (``seq``; none for one outside it),
    written where it changed."""
    now = dict(tuples(conn, "SELECT pub_id, seq FROM publication"))  # thousands: through the driver
    wanted = dict.fromkeys(now)
    wanted.update({pub.pub_id: pub.seq for pub in (*history.participating, *history.pending_pubs)})
    changed = [{"p": pub_id, "at": seq} for pub_id, seq in wanted.items() if now.get(pub_id) != seq]
    if changed:
        conn.execute(
            update(publication).where(publication.c.pub_id == bindparam("p")).values(seq=bindparam("at")), changed
        )


def _labels(history: History) -> dict[int, str]:
    """Each list of the history's label (the first of a pub_id, were one in both kinds)."""
    labels: dict[int, str] = {}
    for pub in history.participating + history.pending_pubs:
        labels.setdefault(pub.pub_id, f"{pub.label} ({pub.kind})")
    return labels


def _agencies(history: History) -> tuple[list[tuple], list[tuple]]:
    held: dict[str, list] = defaultdict(list)
    for a in history.agreements.values():
        for agency_id in {h for _, h in a.holders}:
            held[agency_id].append(a)
    apps_of: dict[str, list] = defaultdict(list)
    for app in history.applications.values():
        apps_of[app.agency_id].append(app)
    agency_rows, spelling_rows = [], []
    latest = _latest_printed(history)
    for resolved in history.resolution.agencies:
        agency_id = resolved.agency_id
        spellings = [m.spelling for m in resolved.members]
        mine, apps = held.get(agency_id, []), apps_of.get(agency_id, [])
        if any(a.status == "active" and a.agency_id == agency_id for a in mine):
            status = "active"
        elif any(p.status == "pending" for p in apps):
            status = "pending"
        elif mine and all(a.agency_id != agency_id for a in mine):
            status = "transferred"
        elif mine:
            status = "removed"
        else:
            status = "withdrawn"
        county, agency_type = latest.get(agency_id, (None, None))
        first_part, first_pend = (
            min((s.first_in[kind] for s in spellings if kind in s.first_in), default=None)
            for kind in ("participating", "pending")
        )
        agency_rows.append(
            (
                agency_id,
                resolved.state,
                resolved.name,
                agency_kind_of(spellings, agency_type),
                agency_type,
                county,
                min(s.first for s in spellings),
                max(s.last for s in spellings),
                status,
                first_part,
                first_pend,
                json.dumps(list(resolved.name_rules)) if resolved.name_rules else None,
                status == "removed" and any(a.provisional and a.agency_id == agency_id for a in mine),
            )
        )
        for m in resolved.members:
            s = m.spelling
            # in English, and as a message unless it quotes English prose (a person's note in the alias table)
            said = None if quotes_english(m.evidence) else sorted_json(m.evidence)
            evidence = (render(m.evidence), said)
            spelling_rows.append((agency_id, s.state, s.name, m.rule, *evidence, s.first, s.last, s.rows))
    return sorted(agency_rows), spelling_rows


def _latest_printed(history: History) -> dict[str, tuple[str | None, str | None]]:
    """Agency id -> the COUNTY and the TYPE ICE printed on the agency's most recent listing that prints one (of
    either kind of list, by date; the participating list first of two of one date; the greatest of two values
    printed by one list). ICE corrects both columns: "Sedgqick County" became Sedgwick County, and a state
    police's TYPE "municipal" became "state"; an agency that only ever had one value needs no walk."""
    values: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for resolved in history.resolution.agencies:
        counties, types = values[resolved.agency_id]
        for m in resolved.members:
            counties |= m.spelling.counties
            types |= m.spelling.types
    several = {agency_id for agency_id, (counties, types) in values.items() if len(counties) > 1 or len(types) > 1}
    rows, agency_of = history.rows, history.resolution.agency_of
    wanted = {  # the distinct rows of the agencies ICE printed two values for
        rid: agency_id
        for rid, row in rows.items()
        if (agency_id := agency_of.get((row.state or "", row.agency or ""))) in several
    }
    last: dict[str, tuple] = {}  # row -> when it was last listed: date, part of day, the participating list first
    for pubs, kind_rank in ((history.participating, 1), (history.pending_pubs, 0)):
        for rid, index in last_printed(pubs, wanted).items():
            last[rid] = max(last.get(rid, ()), (*pubs[index].order_key()[:2], kind_rank))
    latest: dict[str, tuple[str | None, str | None]] = {}
    for agency_id, (counties, types) in values.items():
        if agency_id not in several:
            latest[agency_id] = (next(iter(counties), None), next(iter(types), None))
    found: dict[str, list[tuple[tuple, str, str]]] = defaultdict(list)
    for rid, when_last in last.items():
        found[wanted[rid]].append((when_last, rows[rid].county or "", rows[rid].agency_type or ""))
    for agency_id, seen in found.items():
        county = max(((w, c) for w, c, _ in seen if c), default=(None, None))[1]
        agency_type = max(((w, t) for w, _, t in seen if t), default=(None, None))[1]
        latest[agency_id] = (county, agency_type)
    return latest


def _agreement_rows(history: History) -> list[tuple]:
    part = history.participating

    def date_at(index):
        return part[index].published if index is not None else None

    county = _last_counties(history)
    rows = []
    for a in sorted(history.agreements.values(), key=lambda a: a.agreement_id):
        rows.append(
            (
                a.agreement_id,
                a.agency_id,
                a.state,
                a.model,
                a.signed,
                a.status,
                part[a.positions[0]].sha256,
                part[a.positions[-1]].sha256,
                part[a.positions[0]].published,
                part[a.positions[-1]].published,
                date_at(a.removed_after),
                date_at(a.removed_by),
                a.superseded_by,
                a.moa_url,
                a.addendum_url,
                part[a.positions[0]].derived,
                a.listings,
                county.get(a.agreement_id),
                a.provisional,
                a.signed_probable,
            )
        )
    return rows


def _last_counties(history: History) -> dict[str, str]:
    """Agreement id -> the COUNTY ICE printed on its rows in the last list that listed it (the greatest, were two
    printed), from the rows each list holds as the lists' differences are walked; none printed, not there."""
    rows = history.rows
    with_county: dict[str, list[str]] = defaultdict(list)  # agreement -> its rows that print a COUNTY
    for rid, agreement_id in history.row_agreement.items():
        if rows[rid].county:
            with_county[agreement_id].append(rid)
    ending: dict[int, list[str]] = defaultdict(list)  # list -> the agreements it was the last to list
    for agreement_id in with_county:
        ending[history.agreements[agreement_id].positions[-1]].append(agreement_id)
    found: dict[str, str] = {}
    present: set[str] = set()  # the distinct rows of the list reached
    for index, pub in steps(history.participating):
        present.difference_update(pub.went)
        present.update(pub.came)
        for agreement_id in ending.get(index, ()):
            printed = [c for rid in with_county[agreement_id] if rid in present and (c := rows[rid].county)]
            if printed:
                found[agreement_id] = max(printed)
    return found


def _pending_rows(history: History) -> list[tuple]:
    pend = history.pending_pubs
    rows = []
    for p in sorted(history.applications.values(), key=lambda p: p.pending_id):
        rows.append(
            (
                p.pending_id,
                p.agency_id,
                p.state,
                p.model,
                pend[p.positions[0]].sha256,
                pend[p.positions[-1]].sha256,
                pend[p.positions[0]].published,
                pend[p.positions[-1]].published,
                p.status,
                p.agreement_id,
                p.days_to_approval,
                p.listings,
            )
        )
    return rows


def _event_rows(history: History) -> tuple[list[tuple], list[tuple]]:
    """Events numbered in publication order across both lists (the newest has the highest number), and the
    audit's candidates of each removal and withdrawal."""
    audit = {id(item.event): item for item in history.audit}
    events, candidates = [], []
    for i, e in enumerate(history.events, start=1):
        kind = "pending" if e.type.startswith("pending-") else e.pub.kind
        events.append(
            (
                i,
                e.pub.sha256,
                e.prev.sha256 if e.prev else None,
                e.pub.published,
                kind,
                e.type,
                e.agency_id,
                e.agreement_id,
                e.pending_id,
                e.state,
                e.model,
                sorted_json(e.detail),
                e.other_agency_id,
            )
        )
        item = audit.get(id(e))
        for rank, h in enumerate(item.hits if item else [], start=1):
            candidates.append(
                (
                    i,
                    rank,
                    h.publication,
                    h.row_number,
                    h.state,
                    h.agency,
                    h.model,
                    h.signed,
                    h.county,
                    h.score,
                    h.decision,
                    h.reason,
                )
            )
    return events, candidates
