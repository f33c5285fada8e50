"""Publications: one per distinct file, with its rows as printed and normalized, written to the database.

This is where parse and normalize meet the store. ``prepare`` (pure, run in worker processes) reads and
normalizes a file; ``write`` stores it; ``date_publication`` re-decides its date when a new name for the same
bytes arrives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, bindparam, delete, func, select, update

from track287g.archive.files import Origin
from track287g.archive.files import origins as origins_of
from track287g.normalize import NormalizedRow, normalize_row, row_id
from track287g.parse import ParsedFile, RawRow, RejectedFile, read_publication
from track287g.parse.historical import KIND as HISTORICAL
from track287g.parse.historical import is_historical, read_historical_publication
from track287g.parse.published import PublishedDate, capture_time, decide, parse_timestamp, read_name
from track287g.store.db import bulk_insert
from track287g.store.packs import pack_numbers
from track287g.store.schema import listing, listing_pack, listing_row, publication, publication_name, repair
from track287g.store.sql import tuples

DATE_FLAGS = ("stamp-", "published-", "name-says-")

# statements built once (ingest runs them for every file)
_LAST_PUB_ID = select(func.max(publication.c.pub_id))
_INSERT_PUBLICATION = publication.insert()
_INSERT_NAME = publication_name.insert()
_SELECT_PUBLICATION = select(publication).where(publication.c.sha256 == bindparam("sha"))


@dataclass
class Prepared:
    """A file read and normalized, ready to store."""

    parsed: ParsedFile
    listings: list[tuple[int, str]]  # (row number, row id)
    distinct: list[str]  # the row ids, each once, in order
    rows: dict[str, tuple[RawRow, NormalizedRow]]  # each distinct row once (minus those already sent)


@dataclass
class Loaded:
    sha256: str
    kind: str
    published: str
    part: str
    rows: int
    layout: str
    flags: list[str]


def prepare(data: bytes, sent: set[str] | None = None) -> Prepared | str:
    """Read and normalize a workbook; a string is the reason it was rejected. Pure: safe in a worker.

    ``sent``, when given, holds the ids of rows already handed over (a worker process keeps one): those
    rows are left out of ``rows``, so each distinct row crosses between processes once.
    """
    try:
        parsed = read_historical_publication(data) if is_historical(data) else read_publication(data)
    except RejectedFile as exc:
        return exc.reason
    except Exception as exc:  # a reader failure we did not foresee is still a clear rejection
        return f"unreadable workbook ({type(exc).__name__}: {exc})"
    listings: list[tuple[int, str]] = []
    distinct: dict[str, None] = {}
    rows: dict[str, tuple[RawRow, NormalizedRow]] = {}
    for number, raw in parsed.rows:
        rid = row_id(raw)
        listings.append((number, rid))
        if rid not in distinct:
            distinct[rid] = None
            if sent is None or rid not in sent:
                rows[rid] = (raw, normalize_row(raw))
    if sent is not None:
        sent.update(rows)
    parsed.rows = []  # the listings and rows carry them now
    return Prepared(parsed, listings, list(distinct), rows)


def implied_kind(name: str) -> str | None:
    """The kind a file name claims (ICE names lists participatingAgencies... / pendingAgencies...)."""
    low = name.lower()
    if "pending" in low:
        return "pending"
    if "participat" in low:
        return "participating"
    return None


def _iso(value) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _decide(
    origins: list[Origin], kind: str, derived: bool, modified: str | None, flags: list[str]
) -> tuple[PublishedDate, str | None, list[str]]:
    names = [o.name for o in origins]
    seen = [capture_time(n) for n in names] + [parse_timestamp(o.archiver_first_seen) for o in origins]
    captures = [c for c in seen if c is not None]
    captured = min(captures) if captures else None
    if kind == HISTORICAL:
        decided = _historical_date(names, flags, captured)
    else:
        decided = decide(names, None if derived else parse_timestamp(modified), captured)
    out = [f for f in flags if not f.startswith(DATE_FLAGS)] + list(decided.flags)
    out += sorted({f"name-says-{k}" for n in names if (k := implied_kind(n)) and k != kind})
    return decided, _iso(captured), sorted(set(out))


def _historical_date(names: list[str], flags: list[str], captured) -> PublishedDate:
    """An old list is dated by the last day it says it stood (its ``as_of`` column), else by when it was retrieved."""
    days = sorted(f.split(":", 1)[1] for f in flags if f.startswith("as-of:"))
    read = tuple(read_name(n, None) for n in sorted(set(names)))
    if days:
        note = "an old list, derived by a third party: the as_of dates in the file (" + ", ".join(days) + ")"
        return PublishedDate(date.fromisoformat(days[-1]), "", "as-of-in-file", note, read, ())
    if captured is None:
        raise ValueError("an old list with no as_of date and no retrieval date")
    note = f"an index of documents, derived by a third party, retrieved {captured:%Y-%m-%d}: no day it stood as a list"
    return PublishedDate(captured.date(), "", "retrieved", note, read, ())


def _name_rows(sha256: str, decided: PublishedDate) -> list[dict]:
    return [
        {
            "sha256": sha256,
            "name": r.name,
            "stamp": r.stamp,
            "part": r.part,
            "rule": r.rule,
            "note": r.note,
            "stamp_date": r.date.isoformat() if r.date else None,
        }
        for r in decided.names
    ]


def date_publication(conn: Connection, sha256: str) -> tuple[str, str]:
    """Re-decide the publication's date from all its names (after a new one arrived)."""
    pub = conn.execute(select(publication).where(publication.c.sha256 == sha256)).one()._mapping
    found = [
        Origin(o["name"], o["source"], archiver_first_seen=o["archiver_first_seen"]) for o in origins_of(conn, sha256)
    ]
    decided, captured, flags = _decide(
        found, pub["kind"], pub["derived"], pub["workbook_modified"], json.loads(pub["flags"])
    )
    conn.execute(delete(publication_name).where(publication_name.c.sha256 == sha256))
    conn.execute(publication_name.insert(), _name_rows(sha256, decided))
    conn.execute(
        update(publication)
        .where(publication.c.sha256 == sha256)
        .values(
            published=decided.published.isoformat(),
            part=decided.part,
            published_from=decided.source,
            published_note=decided.note,
            captured_at=captured,
            flags=json.dumps(flags),
        )
    )
    return decided.published.isoformat(), decided.part


def write(
    conn: Connection,
    sha256: str,
    prepared: Prepared,
    origins: list[Origin],
    known_rows: set[str],
    row_data: dict[str, tuple[RawRow, NormalizedRow]] | None = None,
) -> Loaded:
    """Store a prepared publication known under ``origins``.

    ``known_rows`` (ids of rows stored) is updated; ``row_data`` holds rows received earlier in the same run,
    for prepared files that leave out rows already sent.
    """
    parsed = prepared.parsed
    base_flags = parsed.flags + (["derived"] if parsed.layout.derived else [])
    decided, captured, flags = _decide(origins, parsed.kind, parsed.layout.derived, parsed.modified, base_flags)
    pub_id = (conn.execute(_LAST_PUB_ID).scalar() or 0) + 1
    conn.execute(
        _INSERT_PUBLICATION,
        dict(
            sha256=sha256,
            pub_id=pub_id,
            kind=parsed.kind,
            layout=parsed.layout.name,
            derived=parsed.layout.derived,
            sheet=parsed.sheet,
            headers=json.dumps(parsed.headers),
            rows=len(prepared.listings),
            published=decided.published.isoformat(),
            part=decided.part,
            published_from=decided.source,
            published_note=decided.note,
            workbook_created=parsed.created,
            workbook_modified=parsed.modified,
            captured_at=captured,
            flags=json.dumps(flags),
            seq=None,
        ),
    )
    conn.execute(_INSERT_NAME, _name_rows(sha256, decided))
    new_rows: list[tuple] = []
    new_repairs: list[tuple] = []
    if row_data is not None:
        row_data.update(prepared.rows)
    source = row_data if row_data is not None else prepared.rows
    for rid in [r for r in prepared.distinct if r not in known_rows]:
        raw, norm = source[rid]
        known_rows.add(rid)
        new_rows.append(
            (
                rid,
                *raw,
                norm.state,
                norm.state_fips,
                norm.agency,
                norm.agency_type,
                norm.county,
                norm.model,
                norm.signed,
                norm.signed_status,
                norm.moa_status,
                norm.moa_url,
                norm.addendum_status,
                norm.addendum_url,
                json.dumps(sorted(set(norm.flags))),
            )
        )
        new_repairs.extend((rid, f, raw_value, value, rule) for f, (raw_value, value, rule) in norm.repairs.items())
    bulk_insert(conn, listing_row, new_rows)
    bulk_insert(conn, repair, new_repairs)
    bulk_insert(conn, listing, [(pub_id, number, rid) for number, rid in prepared.listings])
    bulk_insert(conn, listing_pack, [pack(pub_id, prepared.listings)])
    return Loaded(
        sha256,
        parsed.kind,
        decided.published.isoformat(),
        decided.part,
        len(prepared.listings),
        parsed.layout.name,
        flags,
    )


def pack(pub_id: int, listings: list[tuple[int, str]]) -> tuple[int, str, str]:
    """A publication's ``listing_pack`` row: its row numbers (each run of consecutive numbers as ``first-last``:
    a list's rows are one run but for blank rows) and row ids, in row order."""
    ordered = sorted(listings)
    return pub_id, pack_numbers([number for number, _ in ordered]), " ".join(rid for _, rid in ordered)


def repack(conn: Connection, listings: dict[int, list[tuple[int, str]]]) -> None:
    """Write the ``listing_pack`` rows of these publications (pub_id -> its listings) again, in the caller's
    transaction: for a database written before the packs, or a pack that does not match its publication."""
    ids = sorted(listings)
    for i in range(0, len(ids), 500):
        conn.execute(delete(listing_pack).where(listing_pack.c.pub_id.in_(ids[i : i + 500])))
    bulk_insert(conn, listing_pack, [pack(pub_id, listings[pub_id]) for pub_id in ids])


def compact(conn: Connection, deltas: dict[int, str]) -> None:
    """Write these publications' row ids (pub_id -> ``store.packs.delta_ids``) as deltas, in the caller's
    transaction."""
    if deltas:
        conn.execute(
            update(listing_pack).where(listing_pack.c.pub_id == bindparam("p")).values(row_ids=bindparam("ids")),
            [{"p": pub_id, "ids": text} for pub_id, text in sorted(deltas.items())],
        )


def loaded(conn: Connection, sha256: str) -> Loaded | None:
    """The stored publication for these bytes, if they were read before."""
    row = conn.execute(_SELECT_PUBLICATION, {"sha": sha256}).first()
    if row is None:
        return None
    p = row._mapping
    return Loaded(sha256, p["kind"], p["published"], p["part"], p["rows"], p["layout"], json.loads(p["flags"]))


def known_row_ids(conn: Connection) -> set[str]:
    return {rid for (rid,) in tuples(conn, "SELECT row_id FROM listing_row")}  # thousands: through the driver
