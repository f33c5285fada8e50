"""The enrich stage's input, read from the history tables: agencies as plain records, and the agreements a
participating list carries.

This is the one place that knows where they come from: agencies from ``agency`` and ``agency_spelling`` (plus
every COUNTY value ICE printed on their rows), the list in force at a date and its agreements from history's
own queries, so coverage counts what ``track287g as-of`` counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from track287g.history.queries import latest_on, listed_agreements, parse_date
from track287g.resolve.aliases import loose
from track287g.store.packs import DELTA, base_of, rows_printed
from track287g.store.sql import among

ASKED_IN_ONE_READ = 400  # rows of one list asked for by name; more, and the whole list is read
ASKED_BY_SEARCH = 40  # rows looked for in a list's pack by searching its text; more, and the pack is split


@dataclass(frozen=True)
class AgencyRecord:
    """One agency as the matcher sees it."""

    agency_id: str
    state: str
    name: str  # display name (ICE's most recent spelling)
    kind: str  # from normalize.agency_kind
    agency_type: str | None  # county | municipal | state | None
    county: str | None  # ICE's COUNTY column, most recent non-empty
    spellings: tuple[str, ...] = ()  # every other spelling ICE printed
    counties: tuple[str, ...] = ()  # every COUNTY value ICE printed, the most recent first


@dataclass(frozen=True)
class Publication:
    sha256: str
    published: str
    part: str
    derived: bool  # an HTML-era table extracted by a third party


@dataclass(frozen=True)
class AgreementRow:
    """One agreement listed on a publication."""

    agency_id: str
    model: str | None


def agency_records(conn: Connection) -> list[AgencyRecord]:
    """Every agency history knows (active, removed, pending and withdrawn ones alike).

    ``county`` is the COUNTY ICE printed on the agency's most recent listing (ICE corrects its COUNTY column:
    East Franklin Township was in "Adams County" for three weeks, then in Armstrong County where it is); the
    other values it printed follow in ``counties``.
    """
    spellings: dict[str, list[str]] = {}
    for agency_id, spelling in conn.execute(
        text("SELECT agency_id, spelling FROM agency_spelling ORDER BY agency_id, last_listed DESC, spelling")
    ):
        spellings.setdefault(agency_id, []).append(spelling)
    printed: dict[str, set[str]] = {}
    for agency_id, county in conn.execute(
        text(
            """
            SELECT DISTINCT ra.agency_id, r.county FROM row_agreement ra
            JOIN listing_row r ON r.row_id = ra.row_id
            WHERE r.county IS NOT NULL
            """
        )
    ):
        printed.setdefault(agency_id, set()).add(county)
    latest = _latest_counties(conn)
    records = []
    for agency_id, state, name, kind, agency_type, county in conn.execute(
        text("SELECT agency_id, state, name, kind, agency_type, county FROM agency ORDER BY agency_id")
    ):
        names = tuple(s for s in spellings.get(agency_id, []) if s != name)
        current = latest.get(agency_id) or county
        others = printed.get(agency_id, set()) | ({county} if county else set())
        counties = ((current,) if current else ()) + tuple(sorted(others - {current}))
        records.append(AgencyRecord(agency_id, state, name, kind, agency_type, current, names, counties))
    return records


def _latest_counties(conn: Connection) -> dict[str, str]:
    """Agency id -> the COUNTY printed on the row of its most recently listed agreement (participating lists).

    Each agreement's rows with a COUNTY, then, list by list from the latest, those its last list printed: a few
    small reads instead of a join over every row of every such list. An agency found with a county in a later
    list is not asked about again in an earlier one (the latest list wins: its agreements' rows there are all
    it needs)."""
    wanted: dict[int, list[tuple[str, str, str, str, str]]] = {}
    for agency_id, pub_id, published, part, row_id, county in conn.execute(
        text(
            """
            SELECT a.agency_id, p.pub_id, p.published, p.part, ra.row_id, r.county
            FROM agreement a
            JOIN publication p ON p.sha256 = a.last_sha256
            JOIN row_agreement ra ON ra.agreement_id = a.agreement_id
            JOIN listing_row r ON r.row_id = ra.row_id
            WHERE r.county IS NOT NULL
            """
        )
    ):
        wanted.setdefault(pub_id, []).append((agency_id, published, part, row_id, county))
    found = []
    best: dict[str, tuple[str, str]] = {}  # agency -> (date, part of day) of the latest list it was found in
    # the lists written as deltas: the asked rows each prints, every chain read at once
    deltas = _printed_in_deltas(conn, {p: {item[3] for item in e} for p, e in wanted.items()})
    for pub_id, every in sorted(wanted.items(), key=lambda pi: (pi[1][0][1], pi[1][0][2]), reverse=True):
        items = [item for item in every if best.get(item[0], ("", "")) <= (item[1], item[2])]
        if not items:
            continue
        listed = deltas[pub_id] if pub_id in deltas else _listed(conn, pub_id, sorted({item[3] for item in items}))
        for agency_id, published, part, rid, county in items:
            if rid in listed:
                found.append((agency_id, published, part, county))
                best[agency_id] = max(best.get(agency_id, ("", "")), (published, part))
    return {agency_id: county for agency_id, _published, _part, county in sorted(found)}  # the last one wins


def _printed_in_deltas(conn: Connection, asked: dict[int, set[str]]) -> dict[int, set[str]]:
    """Those of the asked rows (pub_id -> row ids) that each list whose pack is a delta prints, each chain of
    deltas read once (``store.packs.rows_printed``) from the packs written out that they start from."""
    packs: dict[int, str] = dict(
        conn.execute(text("SELECT pub_id, row_ids FROM listing_pack WHERE row_ids LIKE :d"), {"d": f"{DELTA}%"}).all()
    )
    starts = {b for text_ in packs.values() if (b := base_of(text_)) is not None and b not in packs}
    for pub_id in starts:
        pack = conn.execute(text("SELECT row_ids FROM listing_pack WHERE pub_id = :p"), {"p": pub_id}).scalar()
        if pack is not None:
            packs[pub_id] = pack
    return rows_printed(packs, {p: rows for p, rows in asked.items() if p in packs})


def _listed(conn: Connection, pub_id: int, asked: list[str]) -> set[str]:
    """Those of ``asked`` (row ids) that a list prints: found in its pack of row ids written out (one row, read
    by the history build just before), or picked out of ``listing`` for a list with no such pack."""
    pack = conn.execute(text("SELECT row_ids FROM listing_pack WHERE pub_id = :p"), {"p": pub_id}).scalar()
    if pack is not None and not pack.startswith(DELTA):
        if len(asked) > ASKED_BY_SEARCH:
            return set(pack.split()).intersection(asked)
        padded = f" {pack} "
        return {rid for rid in asked if f" {rid} " in padded}
    if len(asked) > ASKED_IN_ONE_READ:  # many of its rows: the whole list
        return set(conn.execute(text("SELECT row_id FROM listing WHERE pub_id = :p"), {"p": pub_id}).scalars())
    marks, values = among("r", asked)  # a few (an agreement that left in that list): only those
    sql = f"SELECT row_id FROM listing WHERE pub_id = :p AND row_id IN ({marks})"
    return set(conn.execute(text(sql), {"p": pub_id, **values}).scalars())


def spelling_index(records: list[AgencyRecord]) -> dict[tuple[str, str], str]:
    """(state, spelling compared loosely, as ``track287g agency`` does) -> agency id, for hand-made tables."""
    index: dict[tuple[str, str], str] = {}
    for r in records:
        for spelling in (r.name, *r.spellings):
            index.setdefault((r.state, loose(spelling)), r.agency_id)
    return index


def publication_as_of(conn: Connection, as_of: str | None = None) -> Publication | None:
    """The participating list in force at a date (the latest on or before it; default the latest), as in
    ``track287g as-of``. A malformed date raises history's ``QueryError``."""
    info = latest_on(conn, "participating", parse_date(as_of) if as_of else date.max)
    return Publication(info["sha256"], info["published"], info["part"], info["derived"]) if info else None


def agreements_on(conn: Connection, publication: Publication) -> list[AgreementRow]:
    """The agreements a publication lists (history's agreements, one per agreement id)."""
    return [AgreementRow(i["agency_id"], i["model"]) for i in listed_agreements(conn, publication.sha256)]
