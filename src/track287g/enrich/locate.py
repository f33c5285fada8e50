"""Which county an agency belongs to: a 5-digit FIPS code and the rule that gave it.

A county-level agency (a sheriff, or a county jail, prosecutor or county police by ICE's TYPE) is placed by
the county its name gives ("St. Charles Parish Sheriff's Office", whatever ICE's COUNTY says), else by ICE's
COUNTY column (typos repaired), else by the roster of its ORI. A town's or campus's agency is placed by ICE's
COUNTY when its roster agrees or says nothing, else by the roster. State agencies serve the whole state and get
no county. ``data/enrich/agency_counties.csv`` places the rest by hand (a regional jail of three counties).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from track287g.enrich.counties import County, Gazetteer
from track287g.enrich.names import core
from track287g.enrich.records import AgencyRecord, spelling_index
from track287g.enrich.reference import AGENCY_COUNTIES, InputError, read_rows
from track287g.enrich.rosters import RosterAgency
from track287g.normalize import tables
from track287g.normalize.words import tokens
from track287g.resolve.aliases import loose

COUNTY_LEVEL_KINDS = {"corrections", "county-government", "prosecutor", "police", "other"}
COUNTY_BODIES = {"corrections", "county-government", "prosecutor"}
STATE_KINDS = {"state-police", "state-investigation", "state-other", "military"}
STATE_TYPED_KINDS = {"corrections", "prosecutor", "other"}
_COUNTY_WORD = re.compile(r"\b(county|parish)\b", re.IGNORECASE)
_NAMED = re.compile(r"^(?:the )?(.+?) (county|parish|borough)\b")
_COUNTY_OF = re.compile(r"\bcounty of ([a-z]+(?: [a-z]+)?)")


def is_county_level(record: AgencyRecord) -> bool:
    """A sheriff; a county jail, prosecutor, county government or county police (ICE's TYPE county, or a
    jail or prosecutor named for its county whatever the TYPE says). A police department is county police only
    when its name says county or parish too: ICE's TYPE says "county" for the police of the towns of Yoakum and
    Stamford (TX)."""
    if record.kind == "sheriff":
        return True
    if record.kind not in COUNTY_LEVEL_KINDS:
        return False
    named = bool(_COUNTY_WORD.search(record.name))
    if record.agency_type == "county" and (record.kind != "police" or named):
        return True
    return record.kind in COUNTY_BODIES and named


def is_state_level(record: AgencyRecord) -> bool:
    """A state agency: state police, investigation, military and other state bodies; a department of
    corrections or attorney general (ICE's TYPE state). A state college is placed like a town's agency."""
    if record.kind in STATE_KINDS:
        return True
    return record.agency_type == "state" and record.kind in STATE_TYPED_KINDS and not is_county_level(record)


def county_from_name(record: AgencyRecord, gaz: Gazetteer) -> County | None:
    """The county an agency's own name gives, for county-level agencies ("Frankin County Sheriff's Office")."""
    for name in (record.name, *record.spellings):
        words = " ".join(tokens(name))
        m = _COUNTY_OF.search(words)
        if m:
            for text in (m.group(1), m.group(1).split()[0]):
                county, _rule = gaz.lookup(record.state, f"{text} county")
                if county:
                    return county
        m = _NAMED.match(words)
        if m:
            head, suffix = m.group(1).split(), m.group(2)
            for n in range(len(head), 0, -1):  # "metro police authority of genesee" -> "genesee"
                county, _rule = gaz.lookup(record.state, " ".join(head[-n:]) + " " + suffix)
                if county:
                    return county
        elif record.kind == "sheriff":  # "Miami Dade Sheriff's Office", "Hopewell Sheriff's Office" (a city)
            text = core(name) + (" city" if re.search(r"\bcity\b", words) else "")
            county, _rule = gaz.lookup(record.state, text)
            if county:
                return county
    return None


def current_counties(record: AgencyRecord, gaz: Gazetteer) -> list[County]:
    """The county ICE's COUNTY column names on the agency's latest listing, when it reads as one; else every
    county it has named. ICE corrects the column (Union Township's police moved from "Lawrence County" to
    Washington County after one list), so an older value must not pick a same-named agency elsewhere."""
    if record.county:
        county, _rule = gaz.lookup(record.state, record.county)
        if county:
            return [county]
    return record_counties(record, gaz)


def record_counties(record: AgencyRecord, gaz: Gazetteer) -> list[County]:
    """Every county ICE's COUNTY column has named for the agency (values that read as a county)."""
    found: list[County] = []
    for text in record.counties or ((record.county,) if record.county else ()):
        county, _rule = gaz.lookup(record.state, text)
        if county and county not in found:
            found.append(county)
    return found


@dataclass(frozen=True)
class Placement:
    fips: tuple[str, ...]  # first = the agency's county
    rule: str | None  # manual | agency-name | ice-county | ice-county-typo | roster | None
    note: str = ""


@dataclass(frozen=True)
class ManualCounties:
    state: str
    agency: str
    fips: tuple[str, ...]
    note: str
    line: int
    level: str = ""  # "county": a county-level agency whatever ICE's TYPE says (a reviewed decision)


def load_agency_counties(gaz: Gazetteer, path: Path = AGENCY_COUNTIES) -> list[ManualCounties]:
    """The hand-made placements: state, agency, fips (one or more codes, space-separated), note, and an optional
    level (``county``: the agency counts as county-level, whatever ICE's TYPE says; empty: the rules decide)."""
    out = []
    for line, row in read_rows(path, ("state", "agency", "fips", "note")):
        state = row["state"].upper()
        if state not in tables.states():
            raise InputError(f"{path}: line {line}: state {row['state']!r} is not a USPS state code")
        codes = tuple(row["fips"].split())
        for code in codes:
            county = gaz.by_fips.get(code)
            if county is None or county.state != state:
                raise InputError(f"{path}: line {line}: {code!r} is not the FIPS code of a county of {state}")
        if not codes:
            raise InputError(f"{path}: line {line}: no FIPS code")
        level = row.get("level", "")
        if level not in ("", "county"):
            raise InputError(f"{path}: line {line}: level {level!r} is neither county nor empty")
        out.append(ManualCounties(state, row["agency"], codes, row["note"], line, level))
    return out


def place(
    record: AgencyRecord,
    roster: RosterAgency | None,
    gaz: Gazetteer,
    manual: dict[str, ManualCounties],
) -> Placement:
    """Where an agency is (see the module docstring for the order of the rules)."""
    if record.agency_id in manual:
        m = manual[record.agency_id]
        return Placement(m.fips, "manual", m.note)
    if is_state_level(record):
        return Placement((), None, "a state agency")
    roster_fips = roster.county_fips if roster else ()
    ice: tuple[County, str] | None = None
    for text in record.counties or ((record.county,) if record.county else ()):  # most recent first
        county, rule = gaz.lookup(record.state, text)
        if county and (ice is None or (county.fips in roster_fips and ice[0].fips not in roster_fips)):
            ice = (county, "ice-county" if rule == "exact" else f"ice-county-{rule}")
    if is_county_level(record):
        named = county_from_name(record, gaz)
        if named:
            note = f"ICE's COUNTY says {ice[0].name}" if ice and ice[0].fips != named.fips else ""
            return Placement((named.fips,), "agency-name", note)
        if ice:
            return Placement((ice[0].fips,), ice[1])
        if roster_fips:
            return Placement(roster_fips[:1], "roster")
        return Placement((), None, "no county in the name, ICE's COUNTY or the roster")
    if ice and (not roster_fips or ice[0].fips in roster_fips):
        return Placement((ice[0].fips, *(f for f in roster_fips if f != ice[0].fips)), ice[1])
    if roster_fips:
        note = f"ICE's COUNTY says {ice[0].name}" if ice else ""
        return Placement(roster_fips, "roster", note)
    if ice:
        return Placement((ice[0].fips,), ice[1])
    return Placement((), None, "no county in ICE's COUNTY or the roster")


def apply_agency_counties(
    rows: list[ManualCounties], records: list[AgencyRecord], path: Path = AGENCY_COUNTIES, strict: bool = True
) -> tuple[dict[str, ManualCounties], list[str]]:
    """agency_id -> hand-made placement, and warnings (an agency no record has: an error when ``strict``)."""
    by_spelling = spelling_index(records)
    found: dict[str, ManualCounties] = {}
    warnings: list[str] = []
    for row in rows:
        agency_id = by_spelling.get((row.state, loose(row.agency)))
        if agency_id is None:
            message = f"{path}: line {row.line}: no agency {row.agency!r} in {row.state} (not a spelling ICE printed)"
            if strict:
                raise InputError(message)
            warnings.append(message)
            continue
        if agency_id in found and found[agency_id].fips != row.fips:
            raise InputError(
                f"{path}: line {row.line}: {row.agency!r} is the same agency as line {found[agency_id].line}, "
                "which gives other counties"
            )
        found.setdefault(agency_id, row)
    return found, warnings
