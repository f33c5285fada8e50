"""The enrich stage's input, read from the history tables: agencies as plain records, and the agreements a
participating list carries.

This is the one place that knows where they come from: agencies from ``agency`` and ``agency_spelling`` (plus
every COUNTY value ICE printed on their rows), the list in force at a date and its agreements from history's
own queries, so coverage counts what ``track287g as-of`` counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, inspect, text

from track287g.errors import Unavailable
from track287g.history.queries import latest_on, listed_agreements, parse_date
from track287g.resolve.aliases import loose


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
    printed: dict[str, set[str]] = {}  # every COUNTY ICE printed beside one of its spellings, on either kind of list
    for agency_id, county in conn.execute(
        text(
            """
            SELECT DISTINCT s.agency_id, r.county FROM agency_spelling s
            JOIN listing_row r ON r.state = s.state AND r.agency = s.spelling
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
    """Agency id -> the COUNTY printed on the rows of its most recently listed agreement (participating lists;
    history writes each agreement's ``last_county``); of two agreements last listed by one list, the greatest."""
    if "last_county" not in {c["name"] for c in inspect(conn).get_columns("agreement")}:
        raise Unavailable("the history was written by an older track287g: run `track287g rebuild` first")
    latest: dict[str, tuple[str, str, str]] = {}
    for agency_id, published, part, county in conn.execute(
        text(
            """
            SELECT a.agency_id, p.published, p.part, a.last_county
            FROM agreement a JOIN publication p ON p.sha256 = a.last_sha256
            WHERE a.last_county IS NOT NULL
            """
        )
    ):
        latest[agency_id] = max(latest.get(agency_id, ("", "", "")), (published, part or "", county))
    return {agency_id: county for agency_id, (_published, _part, county) in latest.items()}


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
