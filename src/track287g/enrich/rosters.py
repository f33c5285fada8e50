"""The FBI's agency rosters, joined on ORI: who each agency is, where it is, and how many officers it has.

Two rosters, bundled trimmed to the columns read here (see ``data/reference/README.md``):

- Law Enforcement Employees 2025 (LEE): name, type, county, population served, sworn officers and civilians.
  Its names are short ("Alachua" for the county's sheriff, "Gainesville" for the city's police) and are cut at
  a colon ("Florida State University:").
- The UCR agency roster 2021: the full name ("Alachua County Sheriff's Office"), type, county, latitude and
  longitude.

An ORI in either roster is one ``RosterAgency``; its kind (sheriff, police, campus, ...) comes from the fullest
name with the roster's type breaking ties: a bare county name of type County is the county's sheriff.

Parsing both takes about a second, so the parsed form is kept as JSON in the cache folder
(``config.cache_folder``), under a digest of the two files and of the package's code and data files
it depends on: any change to them is a new digest, hence a fresh parse.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

from track287g.config import cache_file, kept_or_made
from track287g.enrich.counties import Gazetteer, gazetteer
from track287g.enrich.names import strip_county_suffix
from track287g.enrich.reference import (
    LEE_FILE,
    UCR_FILE,
    InputError,
    optional_float,
    optional_int,
    read_rows,
)
from track287g.normalize import tables
from track287g.normalize.agency_kind import agency_kind
from track287g.normalize.words import tokens

LEE_COLUMNS = (
    "ori",
    "data_year",
    "pub_agency_name",
    "state_abbr",
    "county_name",
    "agency_type_name",
    "population",
    "officer_ct",
    "civilian_ct",
)
UCR_COLUMNS = ("ori", "agency_name", "agency_type_name", "state_abbr", "county_name", "latitude", "longitude")
ROSTER_STATES = {"NB": "NE", "GM": "GU"}  # the FBI's codes for Nebraska and Guam
ORI = re.compile(r"^[A-Z]{2}[0-9A-Z]{7}$")
NO_COUNTY = {"", "NOT SPECIFIED", "N/A", "NULL", "UNMAPPED COUNTY"}
# the kinds of the rosters' names, worked out without the memo: the parsed rosters are kept themselves, and their
# 18,435 names in the memo's file would be read back at every add for nothing
_roster_kind = inspect.unwrap(agency_kind)
COUNTY_TYPES = {"County", "Parish", "Borough", "Census Area", "City and Borough"}
CITY_TYPES = {"City", "Municipality"}


@dataclass
class RosterAgency:
    """One ORI, with what both rosters say about it."""

    ori: str
    state: str
    lee_name: str | None = None
    ucr_name: str | None = None
    lee_type: str | None = None
    ucr_type: str | None = None
    county_text: str = ""  # the county (or counties) as the roster prints them
    county_fips: tuple[str, ...] = ()
    latitude: float | None = None
    longitude: float | None = None
    population: int | None = None  # population served (LEE)
    sworn: int | None = None  # sworn officers (LEE)
    civilians: int | None = None
    data_year: int | None = None  # the year of the LEE counts (the 2025 file carries older years for some)
    kind: str = "other"
    names: tuple[str, ...] = field(default_factory=tuple)  # whole names
    unit_names: tuple[str, ...] = field(default_factory=tuple)  # "Parent: Unit" parents, names the FBI cut short
    parent_names: tuple[str, ...] = field(default_factory=tuple)  # the parents alone (cut at a colon or comma)

    @property
    def name(self) -> str:
        """The fullest name: the UCR roster's, else the LEE roster's."""
        return self.ucr_name or self.lee_name or self.ori

    @property
    def roster_type(self) -> str:
        return self.lee_type or self.ucr_type or ""

    @property
    def sources(self) -> str:
        return "+".join(s for s, v in (("lee", self.lee_name), ("ucr", self.ucr_name)) if v is not None)


def _state(code: str, ori: str, path: Path, line: int) -> str | None:
    """The USPS code of a roster row; None for the FBI's federal pseudo-state (FS)."""
    code = ROSTER_STATES.get(code, code)
    if code == "FS":
        return None
    if code not in tables.states():
        raise InputError(f"{path}: line {line}: state_abbr {code!r} is not a state or territory code")
    return code


def _check_ori(ori: str, path: Path, line: int) -> str:
    if not ORI.match(ori):
        raise InputError(f"{path}: line {line}: ori {ori!r} is not a 9-character ORI")
    return ori


def roster_kind(agency: RosterAgency) -> str:
    """sheriff | police | campus | state-police | state-other | constable | ... for a roster agency."""
    types = {agency.lee_type, agency.ucr_type} - {None}
    if "University or College" in types:
        return "campus"
    if "Tribal" in types:
        return "tribal"
    if "Federal" in types:
        return "federal"
    state_level = bool(types & {"State Police", "Other State Agency"})
    kind = _roster_kind(agency.name, "state" if state_level else None)
    if agency.ucr_name and agency.lee_name and kind in ("other", "state-other"):
        kind = _roster_kind(agency.lee_name, "state" if state_level else None)
    if kind not in ("other", "state-other"):
        if "State Police" in types and kind == "police":
            return "state-police"
        return kind
    if "State Police" in types:
        return "state-police"
    if state_level:
        return "state-other"
    if types & COUNTY_TYPES:
        return "sheriff"  # a bare county name: the county's sheriff
    if types & CITY_TYPES:
        return "police"  # a bare town name: its police
    return "other"


def _names(agency: RosterAgency) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(whole names, unit names, parent names) of a roster agency.

    Whole names are the names as printed, and without a ", Adams County" suffix the FBI adds to tell apart
    same-named towns. Unit names are the parent of a "Parent: Unit" name ("Florida State University" of
    "Florida State University: Panama City"), names the LEE roster cut at a colon or comma ("Department of
    Corrections, Office of the Inspector General:") and LEE names that are the start of the UCR name
    ("Alachua" of "Alachua County Sheriff's Office"): they name a part of a body, or a body only in part.
    Parent names are the first two kinds only: the body a unit belongs to.
    """
    whole: list[str] = []
    units: list[str] = []
    parents: list[str] = []
    lee_words, ucr_words = tokens(agency.lee_name or ""), tokens(agency.ucr_name or "")
    lee_cut = bool(lee_words) and len(ucr_words) > len(lee_words) and ucr_words[: len(lee_words)] == lee_words
    for name in (agency.ucr_name, agency.lee_name):
        if not name:
            continue
        name = name.strip()
        if name.endswith((":", ",")):
            units.append(name.strip(" :,"))
            parents.append(name.strip(" :,"))
            continue
        if lee_cut and name is agency.lee_name:  # "Alachua" of "Alachua County ..."
            units.append(name)
            continue
        if ":" in name:
            units.append(name.split(":")[0].strip(" ,"))
            parents.append(name.split(":")[0].strip(" ,"))
        whole.append(name)
        whole.append(strip_county_suffix(name))
    whole = list(dict.fromkeys(n for n in whole if n))

    def rest(names: list[str]) -> tuple[str, ...]:
        return tuple(n for n in dict.fromkeys(names) if n and n not in whole)

    return tuple(whole), rest(units), rest(parents)


@cache
def load_rosters(lee: Path = LEE_FILE, ucr: Path = UCR_FILE) -> dict[str, RosterAgency]:
    """Every ORI of both rosters (read once per pair of files, and kept parsed in the cache folder). Bad rows
    raise ``InputError``."""
    names = [f.name for f in fields(RosterAgency)]
    return kept_or_made(
        "rosters",
        (lee, ucr),
        lambda: _parse_rosters(lee, ucr),
        lambda agencies: [[getattr(a, n) for n in names] for a in agencies.values()],
        _from_kept,
    )


_TUPLES = {"names", "unit_names", "parent_names", "county_fips"}


def matches_file(lee: Path, ucr: Path) -> Path | None:
    """Where the agencies matched to these rosters by this code are kept (``match.keep_matches``)."""
    return cache_file("matches", lee, ucr)


def _from_kept(rows: list[list]) -> dict[str, RosterAgency]:
    """The rosters as ``load_rosters`` keeps them (a row of fields an agency) read back; raises on another shape."""
    names = [f.name for f in fields(RosterAgency)]
    tuples = [i for i, name in enumerate(names) if name in _TUPLES]
    for row in rows:
        if len(row) != len(names):
            raise ValueError(f"a kept roster row of {len(row)} fields, not {len(names)}")
        for i in tuples:
            row[i] = tuple(row[i])
    return {row[0]: RosterAgency(*row) for row in rows}


def _parse_rosters(lee: Path, ucr: Path) -> dict[str, RosterAgency]:
    agencies: dict[str, RosterAgency] = {}
    for line, row in read_rows(lee, LEE_COLUMNS):
        ori = _check_ori(row["ori"], lee, line)
        state = _state(row["state_abbr"], ori, lee, line)
        if state is None:
            continue
        if ori in agencies:
            raise InputError(f"{lee}: line {line}: ori {ori} appears twice")
        agencies[ori] = RosterAgency(
            ori=ori,
            state=state,
            lee_name=row["pub_agency_name"],
            lee_type=row["agency_type_name"] or None,
            county_text=row["county_name"],
            population=optional_int(row["population"], lee, line, "population"),
            sworn=optional_int(row["officer_ct"], lee, line, "officer_ct"),
            civilians=optional_int(row["civilian_ct"], lee, line, "civilian_ct"),
            data_year=optional_int(row["data_year"], lee, line, "data_year"),
        )
    seen: set[str] = set()
    for line, row in read_rows(ucr, UCR_COLUMNS):
        ori = _check_ori(row["ori"], ucr, line)
        state = _state(row["state_abbr"], ori, ucr, line)
        if state is None:
            continue
        if ori in seen:
            raise InputError(f"{ucr}: line {line}: ori {ori} appears twice")
        seen.add(ori)
        agency = agencies.setdefault(ori, RosterAgency(ori=ori, state=state, county_text=row["county_name"]))
        agency.ucr_name = row["agency_name"]
        agency.ucr_type = row["agency_type_name"] or None
        if agency.county_text.upper() in NO_COUNTY:
            agency.county_text = row["county_name"]
        agency.latitude = optional_float(row["latitude"], ucr, line, "latitude")
        agency.longitude = optional_float(row["longitude"], ucr, line, "longitude")
    gaz = gazetteer()
    for agency in agencies.values():
        agency.kind = roster_kind(agency)
        agency.names, agency.unit_names, agency.parent_names = _names(agency)
        agency.county_fips = _county_fips(gaz, agency)
    return agencies


def _county_fips(gaz: Gazetteer, agency: RosterAgency) -> tuple[str, ...]:
    if agency.county_text.upper() in NO_COUNTY:
        return ()
    return tuple(c.fips for c in gaz.lookup_all(agency.state, agency.county_text))
