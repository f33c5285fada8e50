"""The enrich stage's input: agencies and the agreements in force at a date, as plain records.

This is the one place that knows where they come from. When the history stage has filled the ``agency`` table,
agencies come from ``agency`` and ``agency_spelling`` and a publication's agreements through ``row_agreement``.
Without history (a database whose history tables are empty) they are read from the normalized rows of the
participating publications, one provisional agency per state and name slug, with an id in the same form as
history's (``FL-lee-county-sheriffs-office``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

from track287g.enrich.names import slug
from track287g.normalize.agency_kind import agency_kind

PART_ORDER = "CASE part WHEN 'am' THEN 0 WHEN 'mid' THEN 1 WHEN 'pm' THEN 2 ELSE 3 END"


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
    signed: str | None


def has_history(conn: Connection) -> bool:
    """True when the history stage has filled the ``agency`` table."""
    return conn.execute(text("SELECT EXISTS (SELECT 1 FROM agency)")).scalar_one() == 1


def provisional_id(state: str, name: str) -> str:
    return f"{state}-{slug(name)}"


def agency_records(conn: Connection) -> list[AgencyRecord]:
    """Every agency to match, from history's tables when present, else from the listings."""
    return _from_history(conn) if has_history(conn) else _from_listings(conn)


def _from_history(conn: Connection) -> list[AgencyRecord]:
    spellings: dict[str, list[str]] = {}
    for agency_id, spelling in conn.execute(
        text("SELECT agency_id, spelling FROM agency_spelling ORDER BY agency_id, last_listed DESC, spelling")
    ):
        spellings.setdefault(agency_id, []).append(spelling)
    printed: dict[str, set[str]] = {}  # every COUNTY value ICE printed on the agency's rows
    for agency_id, county in conn.execute(
        text(
            """
            SELECT DISTINCT a.agency_id, r.county FROM row_agreement ra
            JOIN agreement a ON a.agreement_id = ra.agreement_id JOIN listing_row r ON r.row_id = ra.row_id
            WHERE r.county IS NOT NULL
            """
        )
    ):
        printed.setdefault(agency_id, set()).add(county)
    records = []
    for agency_id, state, name, kind, agency_type, county in conn.execute(
        text("SELECT agency_id, state, name, kind, agency_type, county FROM agency ORDER BY agency_id")
    ):
        others = tuple(s for s in spellings.get(agency_id, []) if s != name)
        counties = ((county,) if county else ()) + tuple(sorted(printed.get(agency_id, set()) - {county}))
        records.append(AgencyRecord(agency_id, state, name, kind, agency_type, county, others, counties))
    return records


def _from_listings(conn: Connection) -> list[AgencyRecord]:
    rows = conn.execute(
        text(
            f"""
            SELECT r.state, r.agency, r.agency_type, r.county, max(p.published || {PART_ORDER}) AS last
            FROM listing l JOIN listing_row r ON r.row_id = l.row_id JOIN publication p ON p.pub_id = l.pub_id
            WHERE p.kind = 'participating' AND r.state IS NOT NULL AND r.agency IS NOT NULL
            GROUP BY r.state, r.agency, r.agency_type, r.county
            ORDER BY last DESC, r.state, r.agency
            """
        )
    ).all()
    groups: dict[str, list] = {}
    for row in rows:  # newest first
        groups.setdefault(provisional_id(row.state, row.agency), []).append(row)
    records = []
    for agency_id, items in sorted(groups.items()):
        newest = items[0]
        names = list(dict.fromkeys(r.agency for r in items))
        agency_type = next((r.agency_type for r in items if r.agency_type), None)
        counties = tuple(dict.fromkeys(r.county for r in items if r.county))
        records.append(
            AgencyRecord(
                agency_id=agency_id,
                state=newest.state,
                name=newest.agency,
                kind=agency_kind(newest.agency, agency_type),
                agency_type=agency_type,
                county=counties[0] if counties else None,
                spellings=tuple(names[1:]),
                counties=counties,
            )
        )
    return records


def publication_as_of(conn: Connection, as_of: str | None = None) -> Publication | None:
    """The participating list in force at a date: the latest published on or before it (default: the latest).

    With history, "latest" is history's order of publications (``seq``), as in ``track287g as-of``."""
    order = "seq DESC" if has_history(conn) else f"published DESC, {PART_ORDER} DESC, sha256"
    row = conn.execute(
        text(
            f"""
            SELECT sha256, published, part, derived FROM publication
            WHERE kind = 'participating' AND (:as_of IS NULL OR published <= :as_of)
            ORDER BY {order} LIMIT 1
            """
        ),
        {"as_of": as_of},
    ).first()
    return Publication(row.sha256, row.published, row.part, bool(row.derived)) if row else None


def agreements_on(conn: Connection, publication: Publication) -> list[AgreementRow]:
    """The agreements a publication lists (one per agency, model and signing date)."""
    if has_history(conn):
        rows = conn.execute(
            text(
                """
                SELECT DISTINCT a.agency_id, a.model, a.signed FROM listing l
                JOIN publication p ON p.pub_id = l.pub_id
                JOIN row_agreement ra ON ra.row_id = l.row_id
                JOIN agreement a ON a.agreement_id = ra.agreement_id
                WHERE p.sha256 = :sha
                """
            ),
            {"sha": publication.sha256},
        )
        return sorted({AgreementRow(r.agency_id, r.model, r.signed) for r in rows}, key=_order)
    rows = conn.execute(
        text(
            """
            SELECT DISTINCT r.state, r.agency, r.model, r.signed FROM listing l
            JOIN listing_row r ON r.row_id = l.row_id JOIN publication p ON p.pub_id = l.pub_id
            WHERE p.sha256 = :sha AND r.state IS NOT NULL AND r.agency IS NOT NULL
            """
        ),
        {"sha": publication.sha256},
    )
    return sorted({AgreementRow(provisional_id(r.state, r.agency), r.model, r.signed) for r in rows}, key=_order)


def _order(row: AgreementRow) -> tuple:
    return (row.agency_id, row.model or "", row.signed or "")
