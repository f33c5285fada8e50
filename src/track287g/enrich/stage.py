"""The enrich stage: match every agency to the FBI rosters, place it in a county, load the state laws.

``enrich_database(conn)`` runs at the end of every history rebuild (``pipeline.build_history``). It replaces the
tables ``county``, ``roster_agency``, ``agency_match``, ``agency_county``, ``match_review``, ``agency_size`` and
``state_law``, and records a summary, with timings and a digest of everything it read (``inputs``), in
``build_info`` under the key ``enrich``. Given the summary of the run that wrote the tables (``previous``), it
leaves them as they are when that digest is unchanged: the same agencies, files and code give the same tables.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, inspect

from track287g.config import files_digest, package_digest
from track287g.enrich.counties import gazetteer
from track287g.enrich.laws import STATE_LAWS, write_state_laws
from track287g.enrich.locate import apply_agency_counties, is_county_level, load_agency_counties, place
from track287g.enrich.match import Match, apply_manual, keep_matches, load_manual, match_agencies, read_matches
from track287g.enrich.records import agency_records
from track287g.enrich.reference import AGENCY_COUNTIES, LEE_FILE, MANUAL_MATCHES, UCR_FILE
from track287g.enrich.rosters import load_rosters, matches_file
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

    def as_json(self) -> dict:
        return {
            "agencies": self.agencies,
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
    this run's, the tables stay and that summary is recorded again (``reused``).
    """
    start = time.perf_counter()
    records = agency_records(conn)
    inputs = _digest(records, strict, (manual_path, counties_path, lee_path, ucr_path, laws_path))
    kept = _reusable(conn, previous, inputs)
    if kept is not None:
        conn.execute(delete(build_info).where(build_info.c.key == "enrich"))
        conn.execute(build_info.insert().values(key="enrich", value=previous))
        return kept
    gaz = gazetteer()
    rosters = load_rosters(lee_path, ucr_path)
    manual, warnings = apply_manual(load_manual(manual_path), records, rosters, manual_path, strict=strict)
    matched = matches_file(lee_path, ucr_path)  # the agencies whose record is unchanged keep their match
    run = match_agencies(records, rosters, gaz, manual, read_matches(matched))
    keep_matches(matched, records, run, skip=manual)
    placed_by_hand, more = apply_agency_counties(
        load_agency_counties(gaz, counties_path), records, counties_path, strict
    )
    warnings += more

    result = EnrichResult(agencies=len(records), match_seconds=run.seconds, warnings=warnings, inputs=inputs)
    match_rows: list[Any] = []
    county_rows: list[Any] = []
    review_rows: list[Any] = []
    used: set[str] = set()
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
        if m.ori:
            used.add(m.ori)
            result.matched += 1
        if placed.fips:
            result.placed += 1
        result.methods[m.method] = result.methods.get(m.method, 0) + 1
        if m.method == "review":
            for rank, c in enumerate(m.candidates):
                review_rows.append((record.agency_id, rank, c.ori, c.name, c.score, c.county, m.note))
                used.add(c.ori)
    sizes = agency_sizes(records, {aid: m.ori for aid, m in run.matches.items()}, rosters)
    size_rows = [
        (aid, s.sworn, s.rule, s.ori, s.year, json.dumps(s.basis, sort_keys=True)) for aid, s in sorted(sizes.items())
    ]
    for table in ENRICH_TABLES:
        table.create(conn, checkfirst=True)  # a database built before the table existed
        conn.execute(delete(table))
    bulk_insert(
        conn,
        county,
        [(c.fips, c.state, c.name, c.kind, c.population, c.in_census, c.in_shapes) for c in gaz.by_fips.values()],
    )
    bulk_insert(conn, roster_agency, [_roster_row(rosters[ori]) for ori in sorted(used)])
    bulk_insert(conn, agency_match, match_rows)
    bulk_insert(conn, agency_county, county_rows)
    bulk_insert(conn, match_review, review_rows)
    result.state_laws = write_state_laws(conn, laws_path)
    bulk_insert(conn, agency_size, size_rows)
    result.total_seconds = time.perf_counter() - start
    conn.execute(delete(build_info).where(build_info.c.key == "enrich"))
    conn.execute(build_info.insert().values(key="enrich", value=json.dumps(result.as_json(), sort_keys=True)))
    return result


def _digest(records: list, strict: bool, paths: tuple[Path, ...]) -> str:
    """A digest of what a run reads: the agencies, the files it is given, and the package's code and data (its
    reference data, hand-made tables and code among them: ``config.package_digest``, worked out once a process)."""
    h = hashlib.sha256(repr((records, strict)).encode())
    h.update(files_digest(*paths).encode())
    h.update(package_digest().encode())
    return h.hexdigest()


def _reusable(conn: Connection, previous: str | None, inputs: str) -> EnrichResult | None:
    """The earlier run's result when its tables can stay: same inputs, every table there."""
    if not previous:
        return None
    try:
        summary = json.loads(previous)
    except ValueError:
        return None
    have = inspect(conn)
    if summary.get("inputs") != inputs or not all(have.has_table(t.name) for t in (*ENRICH_TABLES, state_law)):
        return None
    return EnrichResult.kept(summary)


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
