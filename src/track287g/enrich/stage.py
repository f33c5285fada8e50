"""The enrich stage: match every agency to the FBI rosters, place it in a county, load the state laws.

``enrich_database(conn)`` runs at the end of every history rebuild (``pipeline.build_history``). It replaces the
tables ``county``, ``roster_agency``, ``agency_match``, ``agency_county``, ``match_review``, ``agency_size`` and
``state_law``, and records a summary, with timings and a digest of everything it read (``inputs``), in
``build_info`` under the key ``enrich``. Given the summary of the run that wrote the tables (``previous``), it
leaves them as they are when that digest is unchanged: the same agencies, files and code give the same tables.
When only some agencies changed, it works out and writes only theirs: an agency's rows read its record, how
the hand-made tables apply to it and the files and code every agency reads, and a digest of those is kept per
agency (``build_info``, key ``enrich_agencies``). A run without ``previous`` works out every agency.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, delete, func, inspect, select

from track287g.config import files_digest, package_digest
from track287g.enrich.counties import Gazetteer, gazetteer
from track287g.enrich.laws import STATE_LAWS, write_state_laws
from track287g.enrich.locate import (
    ManualCounties,
    apply_agency_counties,
    is_county_level,
    load_agency_counties,
    place,
)
from track287g.enrich.match import (
    ManualMatch,
    Match,
    MatchRun,
    apply_manual,
    keep_matches,
    load_manual,
    match_agencies,
    read_matches,
)
from track287g.enrich.records import AgencyRecord, agency_records
from track287g.enrich.reference import AGENCY_COUNTIES, LEE_FILE, MANUAL_MATCHES, UCR_FILE
from track287g.enrich.rosters import RosterAgency, load_rosters, matches_file
from track287g.enrich.size import agency_sizes
from track287g.store.db import bulk_insert
from track287g.store.schema import (
    agency_county,
    agency_match,
    agency_size,
    build_info,
    county,
    match_review,
    roster_agency,
    state_law,
)

ENRICH_TABLES = (agency_size, match_review, agency_county, agency_match, roster_agency, county)
PER_AGENCY = (agency_size, match_review, agency_county, agency_match)  # the rows of one agency each
AGENCIES_KEY = "enrich_agencies"  # in build_info: the digests of what each agency's rows read, as last written


@dataclass
class EnrichResult:
    agencies: int = 0
    matched: int = 0
    methods: dict[str, int] = field(default_factory=dict)
    placed: int = 0
    state_laws: int = 0
    match_seconds: float = 0.0
    total_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    inputs: str = ""  # digest of the agencies, files and code read
    reused: bool = False  # the tables of an earlier run with the same inputs were kept
    redone: int = 0  # the agencies worked out and written (the others' rows were kept)

    def as_json(self) -> dict:
        return {
            "agencies": self.agencies,
            "agencies_redone": self.redone,
            "matched": self.matched,
            "methods": self.methods,
            "placed_in_a_county": self.placed,
            "state_laws": self.state_laws,
            "match_seconds": round(self.match_seconds, 3),
            "total_seconds": round(self.total_seconds, 3),
            "warnings": self.warnings,
            "inputs": self.inputs,
        }

    @classmethod
    def kept(cls, summary: dict) -> EnrichResult:
        """The result of a run whose tables stay, from its ``as_json`` summary (timings not carried over)."""
        return cls(
            agencies=summary.get("agencies", 0),
            matched=summary.get("matched", 0),
            methods=summary.get("methods", {}),
            placed=summary.get("placed_in_a_county", 0),
            state_laws=summary.get("state_laws", 0),
            warnings=summary.get("warnings", []),
            inputs=summary.get("inputs", ""),
            reused=True,
        )


def enrich_database(
    conn: Connection,
    *,
    strict: bool = False,
    manual_path: Path = MANUAL_MATCHES,
    counties_path: Path = AGENCY_COUNTIES,
    lee_path: Path = LEE_FILE,
    ucr_path: Path = UCR_FILE,
    laws_path: Path = STATE_LAWS,
    previous: str | None = None,
) -> EnrichResult:
    """Match and place every agency and write the enrich tables (in the caller's transaction).

    Bad input files raise ``InputError`` naming the file and line. A manual row naming an agency the database
    lacks is an error when ``strict`` and a warning otherwise (a database built from part of the archive).
    ``previous``: the ``build_info`` summary of the run that wrote the tables now stored; when its inputs are
    this run's, the tables stay and that summary is recorded again (``reused``); when only some agencies'
    inputs changed, only those agencies are worked out and written again (``redone``). Without it, every
    agency is.
    """
    start = time.perf_counter()
    records = agency_records(conn)
    shared = _shared_digest(strict, (manual_path, counties_path, lee_path, ucr_path, laws_path))
    inputs = _digest(records, shared)
    kept = _reusable(conn, previous, inputs)
    if kept is not None:
        conn.execute(delete(build_info).where(build_info.c.key == "enrich"))
        conn.execute(build_info.insert().values(key="enrich", value=previous))
        return kept
    gaz = gazetteer()
    rosters = load_rosters(lee_path, ucr_path)
    manual, warnings = apply_manual(load_manual(manual_path), records, rosters, manual_path, strict=strict)
    placed_by_hand, more = apply_agency_counties(
        load_agency_counties(gaz, counties_path), records, counties_path, strict
    )
    warnings += more
    own = {r.agency_id: _agency_digest(r, manual.get(r.agency_id), placed_by_hand.get(r.agency_id)) for r in records}
    before = _agencies_before(conn, shared) if previous else {}
    todo = [r for r in records if before.get(r.agency_id) != own[r.agency_id]]
    matched = matches_file(lee_path, ucr_path)  # the agencies whose record is unchanged keep their match
    known = read_matches(matched)
    run = match_agencies(todo, rosters, gaz, manual, known)
    redone = {r.agency_id for r in todo}
    if any(r.agency_id not in manual and repr(r) not in known for r in todo):  # matched now: kept for next time
        still = {  # with the kept matches of the agencies not worked out again
            key: known[key]
            for r in records
            if r.agency_id not in redone and r.agency_id not in manual and (key := repr(r)) in known
        }
        keep_matches(matched, todo, run, skip=manual, earlier=still)
    if before:  # the rows of the agencies worked out again, and of those gone, go
        _delete_agencies(conn, sorted(redone | (before.keys() - own.keys())))
        state_laws = conn.execute(select(func.count()).select_from(state_law)).scalar_one()
    else:
        for table in ENRICH_TABLES:
            table.create(conn, checkfirst=True)  # a database built before the table existed
            conn.execute(delete(table))
        bulk_insert(
            conn,
            county,
            [(c.fips, c.state, c.name, c.kind, c.population, c.in_census, c.in_shapes) for c in gaz.by_fips.values()],
        )
        state_laws = write_state_laws(conn, laws_path)
    _write_agencies(conn, todo, run, rosters, gaz, placed_by_hand)
    _keep_rosters_named(conn, rosters)
    result = _summary(conn, records, warnings, inputs)
    result.state_laws, result.match_seconds, result.redone = state_laws, run.seconds, len(todo)
    result.total_seconds = time.perf_counter() - start
    conn.execute(delete(build_info).where(build_info.c.key.in_(("enrich", AGENCIES_KEY))))
    conn.execute(build_info.insert().values(key="enrich", value=json.dumps(result.as_json(), sort_keys=True)))
    conn.execute(build_info.insert().values(key=AGENCIES_KEY, value=json.dumps({"shared": shared, "agencies": own})))
    return result


def _write_agencies(
    conn: Connection,
    records: list[AgencyRecord],
    run: MatchRun,
    rosters: dict[str, RosterAgency],
    gaz: Gazetteer,
    placed_by_hand: dict[str, ManualCounties],
) -> None:
    """Insert the rows of these agencies (none of which has rows now) into the per-agency tables."""
    match_rows: list[Any] = []
    county_rows: list[Any] = []
    review_rows: list[Any] = []
    for record in records:
        m: Match = run.matches[record.agency_id]
        roster = rosters.get(m.ori) if m.ori else None
        placed = place(record, roster, gaz, placed_by_hand)
        by_hand = placed_by_hand.get(record.agency_id)
        level = is_county_level(record) or (by_hand is not None and by_hand.level == "county")
        note = m.note + (f"; county: {placed.note}" if placed.note else "")
        match_rows.append(
            (
                record.agency_id,
                record.state,
                record.name,
                record.kind,
                record.agency_type,
                m.ori,
                m.method,
                m.score,
                note,
                placed.fips[0] if placed.fips else None,
                placed.rule,
                level,
            )
        )
        county_rows.extend((record.agency_id, fips, rank) for rank, fips in enumerate(placed.fips))
        if m.method == "review":
            for rank, c in enumerate(m.candidates):
                review_rows.append((record.agency_id, rank, c.ori, c.name, c.score, c.county, m.note))
    sizes = agency_sizes(records, {aid: m.ori for aid, m in run.matches.items()}, rosters)
    size_rows = [
        (aid, s.sworn, s.rule, s.ori, s.year, json.dumps(s.basis, sort_keys=True)) for aid, s in sorted(sizes.items())
    ]
    bulk_insert(conn, agency_match, match_rows)
    bulk_insert(conn, agency_county, county_rows)
    bulk_insert(conn, match_review, review_rows)
    bulk_insert(conn, agency_size, size_rows)


def _delete_agencies(conn: Connection, agency_ids: list[str]) -> None:
    """Delete these agencies' rows from the per-agency tables."""
    for table in PER_AGENCY:
        for i in range(0, len(agency_ids), 500):
            conn.execute(delete(table).where(table.c.agency_id.in_(agency_ids[i : i + 500])))


def _keep_rosters_named(conn: Connection, rosters: dict[str, RosterAgency]) -> None:
    """Make ``roster_agency`` hold the roster agencies the matches and the candidates for review name, no other."""
    named = set(conn.execute(select(agency_match.c.ori).where(agency_match.c.ori.is_not(None))).scalars())
    named |= set(conn.execute(select(match_review.c.ori)).scalars())
    have = set(conn.execute(select(roster_agency.c.ori)).scalars())
    gone = sorted(have - named)
    for i in range(0, len(gone), 500):
        conn.execute(delete(roster_agency).where(roster_agency.c.ori.in_(gone[i : i + 500])))
    bulk_insert(conn, roster_agency, [_roster_row(rosters[ori]) for ori in sorted(named - have)])


def _summary(conn: Connection, records: list[AgencyRecord], warnings: list[str], inputs: str) -> EnrichResult:
    """The counts of what the per-agency tables hold now, the methods in the order of the records."""
    result = EnrichResult(agencies=len(records), warnings=warnings, inputs=inputs)
    columns = (agency_match.c.agency_id, agency_match.c.method, agency_match.c.ori, agency_match.c.county_fips)
    found = {row.agency_id: row for row in conn.execute(select(*columns))}
    for record in records:
        row = found[record.agency_id]
        result.matched += row.ori is not None
        result.placed += row.county_fips is not None
        result.methods[row.method] = result.methods.get(row.method, 0) + 1
    return result


def _shared_digest(strict: bool, paths: tuple[Path, ...]) -> str:
    """A digest of what every agency's rows read: the files the run is given, and the package's code and data
    (its reference data, hand-made tables and code among them: ``config.package_digest``, once a process)."""
    return hashlib.sha256(f"{strict}\n{files_digest(*paths)}\n{package_digest()}".encode()).hexdigest()


def _digest(records: list[AgencyRecord], shared: str) -> str:
    """A digest of everything a run reads: the agencies (their fields as JSON, written by orjson in a tenth of
    the time ``repr`` takes), and what every agency's rows read."""
    h = hashlib.sha256(orjson.dumps(records))
    h.update(shared.encode())
    return h.hexdigest()


def _agency_digest(record: AgencyRecord, manual: ManualMatch | None, by_hand: ManualCounties | None) -> str:
    """A digest of what one agency's rows read besides what all read: its record, and how the hand-made tables
    apply to it (a new agency of the same name can change that)."""
    return hashlib.blake2b(repr((record, manual, by_hand)).encode(), digest_size=12).hexdigest()


def _agencies_before(conn: Connection, shared: str) -> dict[str, str]:
    """Each agency's digest as the run that wrote the tables recorded it, when that run read the same files and
    code and every table is there (else none: every agency is worked out again)."""
    if not _tables_there(conn):
        return {}
    value = conn.execute(select(build_info.c.value).where(build_info.c.key == AGENCIES_KEY)).scalar()
    try:
        stored = json.loads(value or "{}")
    except ValueError:
        return {}
    agencies = stored.get("agencies") if isinstance(stored, dict) and stored.get("shared") == shared else None
    return agencies if isinstance(agencies, dict) else {}


def _reusable(conn: Connection, previous: str | None, inputs: str) -> EnrichResult | None:
    """The earlier run's result when its tables can stay: same inputs, every table there."""
    if not previous:
        return None
    try:
        summary = json.loads(previous)
    except ValueError:
        return None
    if summary.get("inputs") != inputs or not _tables_there(conn):
        return None
    return EnrichResult.kept(summary)


def _tables_there(conn: Connection) -> bool:
    """Whether every table the stage writes is in the database (one made before a table existed lacks it)."""
    have = inspect(conn)
    return all(have.has_table(t.name) for t in (*ENRICH_TABLES, state_law))


def _roster_row(r) -> tuple:
    return (
        r.ori,
        r.state,
        r.name,
        r.lee_name,
        r.roster_type,
        r.kind,
        r.county_text,
        " ".join(r.county_fips),
        r.latitude,
        r.longitude,
        r.population,
        r.sworn,
        r.civilians,
        r.data_year,
        r.sources,
    )
