"""Match ICE's agencies to FBI roster ORIs: within the state, by kind, on name cores, checked by county.

For each agency the candidates are the roster agencies of its state whose kind fits (a sheriff's office only
against sheriffs, a city police department against city police and the like, a state agency against the
state's agencies, by their whole names, and by the names of their units only when no whole name is equal).
Names are compared by their cores
(``names.core``): equal cores score 100 (97 when equal once "city", "village", "borough" ... are dropped),
others get rapidfuzz's ratio of the sorted words, capped at 96. Then, in order:

- a manual match (``data/enrich/manual_matches.csv``) overrides everything, "none" included;
- one best exact candidate whose county does not contradict the agency's is a match (``exact``); several are
  narrowed by county (``exact+county``: ICE's COUNTY on the agency's latest listing), or for a state agency to
  its headquarters: the one statewide ORI (``exact+statewide``), else the unit in the county of the state's
  capital (``exact+headquarters``: FDLE's "Department of Law Enforcement:" unit in Leon County, not Miami's);
- a sheriff whose county (read from its name) has exactly one sheriff in the roster gets that one
  (``county-sheriff``): ICE's "Somervill County" is the roster's Somervell;
- a close name (score >= 90, 5 clear of the next) in the same county is a match (``fuzzy``);
- anything else with a candidate scoring 75 or more goes to review, undecided (``review``), else ``none``.

A wrong ORI is worse than none: every rule above refuses rather than guesses when two candidates tie.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import orjson

from track287g.config import keep_cached
from track287g.enrich.counties import Gazetteer
from track287g.enrich.locate import county_from_name, current_counties, is_state_level, record_counties
from track287g.enrich.names import LOCAL_WORDS, STATE_WORDS, core, town_variant
from track287g.enrich.records import AgencyRecord, spelling_index
from track287g.enrich.reference import MANUAL_MATCHES, InputError, capital_counties, read_rows
from track287g.enrich.rosters import RosterAgency
from track287g.normalize import tables
from track287g.normalize.words import tokens
from track287g.resolve.aliases import loose
from track287g.resolve.similarity import scores_from

EXACT = 100.0
EXACT_VARIANT = 97.0
FUZZY_CAP = 96.0  # a similar name never scores as high as an equal one
FUZZY_MIN = 90.0
FUZZY_MARGIN = 5.0
REVIEW_MIN = 75.0
NO_MATCH = "none"

# which roster kinds an ICE agency of a kind may match
COMPATIBLE: dict[str, frozenset[str]] = {
    "sheriff": frozenset({"sheriff"}),
    "police": frozenset({"police", "other", "marshal"}),
    "marshal": frozenset({"marshal", "police"}),
    "constable": frozenset({"constable"}),
    "campus": frozenset({"campus"}),
    "corrections": frozenset({"corrections", "state-other"}),
    "prosecutor": frozenset({"prosecutor", "state-other"}),
    "state-police": frozenset({"state-police", "state-investigation", "state-other"}),
    "state-investigation": frozenset({"state-investigation", "state-other", "state-police"}),
    "state-other": frozenset({"state-other", "state-investigation", "state-police", "police", "other"}),
    "military": frozenset({"state-other", "military"}),
    "county-government": frozenset(),
    "other": frozenset({"other", "police", "state-other"}),
}


@dataclass
class Candidate:
    ori: str
    name: str
    score: float
    county: str  # same | differs | unknown: the roster's county against the agency's
    exact: bool = False  # equal cores (or equal but for "city", "village" ...), not just similar
    unit: bool = False  # found through a unit name ("Department of Law Enforcement: Leon County")
    county_now: str = "unknown"  # the roster's county against ICE's COUNTY on the agency's latest listing


@dataclass
class Match:
    """The outcome for one agency."""

    agency_id: str
    ori: str | None
    method: str  # manual | manual-none | exact | exact+county | exact+statewide | exact+headquarters | county-sheriff
    #                fuzzy | review | none
    score: float | None
    note: str
    candidates: list[Candidate] = field(default_factory=list)


@dataclass(frozen=True)
class ManualMatch:
    state: str
    agency: str
    ori: str | None  # None: "none", the agency has no ORI
    note: str
    line: int


# --- the manual table --------------------------------------------------------------------------------------


def load_manual(path: Path = MANUAL_MATCHES) -> list[ManualMatch]:
    """Rows of the manual-match table: state, agency (any spelling ICE printed), ori (or "none"), note."""
    rows = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in read_rows(path, ("state", "agency", "ori", "note")):
        state = row["state"].upper()
        if state not in tables.states():
            raise InputError(f"{path}: line {line}: state {row['state']!r} is not a USPS state code")
        if not row["agency"]:
            raise InputError(f"{path}: line {line}: the agency is empty")
        key = (state, loose(row["agency"]))
        if key in seen:
            raise InputError(f"{path}: line {line}: {row['agency']!r} ({state}) is already on line {seen[key]}")
        seen[key] = line
        ori = row["ori"].upper()
        if not ori:
            raise InputError(f"{path}: line {line}: the ori is empty (write an ORI or 'none')")
        rows.append(ManualMatch(state, row["agency"], None if ori == "NONE" else ori, row["note"], line))
    return rows


def apply_manual(
    manual: list[ManualMatch],
    records: list[AgencyRecord],
    rosters: dict[str, RosterAgency],
    path: Path = MANUAL_MATCHES,
    strict: bool = True,
) -> tuple[dict[str, ManualMatch], list[str]]:
    """agency_id -> manual row, and warnings. An unknown ORI is always an error; an agency no record has is
    an error when ``strict`` (a database built from part of the archive lacks some agencies: a warning)."""
    by_spelling = spelling_index(records)
    found: dict[str, ManualMatch] = {}
    warnings: list[str] = []
    for m in manual:
        if m.ori is not None:
            roster = rosters.get(m.ori)
            if roster is None:
                raise InputError(f"{path}: line {m.line}: ORI {m.ori} is in neither FBI roster")
            if roster.state != m.state:
                raise InputError(f"{path}: line {m.line}: ORI {m.ori} is a {roster.state} agency, not {m.state}")
        agency_id = by_spelling.get((m.state, loose(m.agency)))
        if agency_id is None:
            message = f"{path}: line {m.line}: no agency {m.agency!r} in {m.state} (not a spelling ICE printed)"
            if strict:
                raise InputError(message)
            warnings.append(message)
            continue
        if agency_id in found and found[agency_id].ori != m.ori:  # two spellings of one agency must agree
            raise InputError(
                f"{path}: line {m.line}: {m.agency!r} is the same agency as line {found[agency_id].line}, "
                f"which gives {found[agency_id].ori or 'none'}"
            )
        found.setdefault(agency_id, m)
    return found, warnings


# --- matching ----------------------------------------------------------------------------------------------


def stop_words(record: AgencyRecord) -> frozenset[str]:
    """Words left out of both cores: kind words for local agencies; for state agencies only filler words and
    the state's own name ("Florida Department of Law Enforcement" against "Department of Law Enforcement")."""
    if is_state_level(record):
        return STATE_WORDS | frozenset(tokens(tables.states()[record.state]["name"]))
    return LOCAL_WORDS


@dataclass
class _Index:
    keys: list[str]  # one core per name of each agency
    owner: list[int]  # the agency (index into StateBlock.agencies) of each key
    by_variant: dict[str, list[int]]  # town_variant(core) -> positions in keys


class StateBlock:
    """The roster agencies of one state; name cores indexed once per set of stop words and kinds."""

    def __init__(self, agencies: list[RosterAgency]):
        self.agencies = agencies
        self._index: dict[tuple[frozenset[str], bool | str, frozenset[str]], _Index] = {}

    def index(self, stop: frozenset[str], units: bool | str, kinds: frozenset[str]) -> _Index:
        """The cores of the whole names of the agencies of ``kinds``, and of their unit names when ``units``
        (only of the bodies their units belong to when ``units == "parents"``)."""
        key = (stop, units, kinds)
        if key not in self._index:
            keys: list[str] = []
            owner: list[int] = []
            by_variant: dict[str, list[int]] = {}
            for i, agency in enumerate(self.agencies):
                if agency.kind not in kinds:
                    continue
                extra = agency.parent_names if units == "parents" else agency.unit_names if units else ()
                names = agency.names + extra
                for name_core in dict.fromkeys(core(n, stop) for n in names):
                    if name_core:
                        by_variant.setdefault(town_variant(name_core), []).append(len(keys))
                        keys.append(name_core)
                        owner.append(i)
            self._index[key] = _Index(keys, owner, by_variant)
        return self._index[key]


def _relation(mine: set[str], roster: Iterable[str]) -> str:
    theirs = set(roster)
    if not mine or not theirs:
        return "unknown"
    return "same" if mine & theirs else "differs"


def candidates_for(
    record: AgencyRecord, block: StateBlock, fips: set[str], fips_now: set[str] | None = None
) -> list[Candidate]:
    """Every roster agency of a fitting kind scoring REVIEW_MIN or more, best first (one entry per ORI).

    A state agency is compared with whole names first; only when none is equal are the names of units
    ("Department of Law Enforcement:" in seven counties) tried, and such candidates are marked ``unit``.
    ``fips`` are every county ICE printed for the agency, ``fips_now`` the one on its latest listing.
    """
    allowed = COMPATIBLE.get(record.kind, frozenset())
    if not allowed:
        return []
    stop = stop_words(record)
    ice_cores = [c for c in dict.fromkeys(core(n, stop) for n in (record.name, *record.spellings)) if c]
    if not ice_cores:
        return []
    state_level = is_state_level(record)
    now = fips if fips_now is None else fips_now
    found = _scored(ice_cores, block, block.index(stop, not state_level, allowed), fips, now)
    if state_level and not any(c.exact for c in found):
        units = _scored(ice_cores, block, block.index(stop, "parents", allowed), fips, now)
        if any(c.exact for c in units):
            found = [replace(c, unit=c.exact) for c in units]
    return found


def _scored(
    ice_cores: list[str], block: StateBlock, index: _Index, fips: set[str], fips_now: set[str]
) -> list[Candidate]:
    if not index.keys:
        return []
    best: dict[int, float] = {}
    exact: set[int] = set()
    for ice in ice_cores:
        for score, pos in scores_from(ice, index.keys, REVIEW_MIN):
            i = index.owner[pos]
            best[i] = max(best.get(i, 0.0), min(score, FUZZY_CAP))
    for ice in ice_cores:
        for pos in index.by_variant.get(town_variant(ice), []) if town_variant(ice) else []:
            i = index.owner[pos]  # equal cores: 100; equal but for "city", "village" ...: 97
            exact.add(i)
            best[i] = max(best.get(i, 0.0), EXACT if index.keys[pos] == ice else EXACT_VARIANT)
    out = [
        Candidate(
            block.agencies[i].ori,
            block.agencies[i].name,
            round(s, 1),
            _relation(fips, block.agencies[i].county_fips),
            i in exact,
            county_now=_relation(fips_now, block.agencies[i].county_fips),
        )
        for i, s in best.items()
    ]
    out.sort(key=lambda c: (-c.score, c.county != "same", c.ori))
    return out


def decide(
    record: AgencyRecord,
    cands: list[Candidate],
    rosters: dict[str, RosterAgency],
    sheriff_fips: str | None,
    sheriffs_by_county: dict[str, list[str]],
) -> Match:
    """The match for one agency from its candidates (see the module docstring for the rules)."""
    aid = record.agency_id
    top = cands[0].score if cands else 0.0
    if cands and cands[0].exact:
        tier = [c for c in cands if c.score >= top]
        if len(tier) > 1 and not is_state_level(record):  # same-named agencies: ICE's current COUNTY chooses
            ok = [c for c in tier if c.county_now != "differs"]
        else:
            ok = [c for c in tier if c.county != "differs"]
        method = "exact"
        if len(ok) > 1 and sum(c.county_now == "same" for c in ok) == 1:
            ok, method = [c for c in ok if c.county_now == "same"], "exact+county"
        elif len(ok) > 1 and sum(c.county == "same" for c in ok) == 1:
            ok, method = [c for c in ok if c.county == "same"], "exact+county"
        if is_state_level(record) and (len(ok) > 1 or any(c.unit for c in ok)):
            ok, method = _headquarters(record, ok, rosters, method)
        if len(ok) == 1:
            return Match(aid, ok[0].ori, method, ok[0].score, f"{ok[0].name} (county {ok[0].county})", cands[:5])
        if not ok:
            note = "the roster agency of that name is in another county"
            return _fallback(record, cands, rosters, sheriff_fips, sheriffs_by_county, note)
        return _fallback(record, cands, rosters, sheriff_fips, sheriffs_by_county, f"{len(ok)} roster agencies tie")
    if top >= FUZZY_MIN:
        rest = [c for c in cands[1:] if c.ori != cands[0].ori]
        margin = top - (rest[0].score if rest else 0.0)
        if cands[0].county == "same" and margin >= FUZZY_MARGIN:
            c = cands[0]
            return Match(aid, c.ori, "fuzzy", c.score, f"{c.name} (county same, margin {margin:.0f})", cands[:5])
        why = "close name but county " + cands[0].county if margin >= FUZZY_MARGIN else "close names tie"
        return _fallback(record, cands, rosters, sheriff_fips, sheriffs_by_county, why)
    return _fallback(record, cands, rosters, sheriff_fips, sheriffs_by_county, "no close name")


def _headquarters(
    record: AgencyRecord, ok: list[Candidate], rosters: dict[str, RosterAgency], method: str
) -> tuple[list[Candidate], str]:
    """Among a state agency's equal candidates, its headquarters: the one statewide ORI (no county), else the
    one in the county of the state's capital. A unit elsewhere is never taken for the department."""
    statewide = [c for c in ok if not rosters[c.ori].county_fips]
    if len(statewide) == 1:
        return statewide, "exact+statewide"
    capital = capital_counties().get(record.state)
    seat = [c for c in ok if capital in rosters[c.ori].county_fips]
    if len(seat) == 1:
        return seat, "exact+headquarters"
    return [c for c in ok if not c.unit], method


def _fallback(
    record: AgencyRecord,
    cands: list[Candidate],
    rosters: dict[str, RosterAgency],
    sheriff_fips: str | None,
    sheriffs_by_county: dict[str, list[str]],
    why: str,
) -> Match:
    aid = record.agency_id
    if record.kind == "sheriff" and sheriff_fips:
        oris = sheriffs_by_county.get(sheriff_fips, [])
        if len(oris) == 1:
            roster = rosters[oris[0]]
            score = next((c.score for c in cands if c.ori == roster.ori), None)
            note = f"{roster.name}: the only sheriff of county {sheriff_fips} ({why})"
            return Match(aid, roster.ori, "county-sheriff", score, note, cands[:5])
    if cands:
        return Match(aid, None, "review", cands[0].score, why, cands[:5])
    return Match(aid, None, NO_MATCH, None, why, [])


@dataclass
class MatchRun:
    matches: dict[str, Match]  # by agency id
    seconds: float


def match_agencies(
    records: list[AgencyRecord],
    rosters: dict[str, RosterAgency],
    gaz: Gazetteer,
    manual: dict[str, ManualMatch] | None = None,
    known: dict[str, Match] | None = None,
) -> MatchRun:
    """Match every agency (blocked by state); ``manual`` (agency_id -> row) overrides. ``known``: matches made
    before with the same rosters and code, by ``repr`` of the record (an agency is matched from its record
    alone): a record found there is not matched again."""
    start = time.perf_counter()
    manual = manual or {}
    known = known or {}
    by_state: dict[str, list[RosterAgency]] = {}
    sheriffs_by_county: dict[str, list[str]] = {}
    for agency in rosters.values():
        by_state.setdefault(agency.state, []).append(agency)
        if agency.kind == "sheriff" and len(agency.county_fips) == 1:
            sheriffs_by_county.setdefault(agency.county_fips[0], []).append(agency.ori)
    blocks = {state: StateBlock(items) for state, items in by_state.items()}
    matches: dict[str, Match] = {}
    for record in records:
        if record.agency_id in manual:
            m = manual[record.agency_id]
            method = "manual" if m.ori else "manual-none"
            matches[record.agency_id] = Match(record.agency_id, m.ori, method, None, m.note)
            continue
        if (kept := known.get(repr(record))) is not None:
            matches[record.agency_id] = kept
            continue
        block = blocks.get(record.state)
        if block is None:
            matches[record.agency_id] = Match(record.agency_id, None, NO_MATCH, None, "no roster agencies in state")
            continue
        fips = {c.fips for c in record_counties(record, gaz)}
        now = {c.fips for c in current_counties(record, gaz)}
        named = county_from_name(record, gaz) if record.kind == "sheriff" else None
        if named:
            fips = now = {named.fips}
        cands = candidates_for(record, block, fips, now)
        matches[record.agency_id] = decide(record, cands, rosters, named.fips if named else None, sheriffs_by_county)
    return MatchRun(matches, time.perf_counter() - start)


def read_matches(path: Path | None) -> dict[str, Match]:
    """The matches kept by ``keep_matches`` (empty when there are none, or they cannot be read)."""
    if path is None:
        return {}
    try:
        kept = orjson.loads(path.read_bytes())
        return {record: Match(**{**m, "candidates": [Candidate(**c) for c in m["candidates"]]}) for record, m in kept}
    except (OSError, ValueError, TypeError, KeyError):
        return {}  # missing or damaged: match again


def keep_matches(
    path: Path | None,
    records: list[AgencyRecord],
    run: MatchRun,
    skip: Iterable[str] = (),
    earlier: Mapping[str, Match] | None = None,
) -> None:
    """Keep this run's matches (but those of the agencies in ``skip``, matched by hand) for the next run, written
    atomically, with the ``earlier`` ones (record ``repr`` -> match) of agencies this run did not match; the
    matches kept for other rosters or code are removed (best effort)."""
    if path is None:
        return
    left_out = set(skip)
    kept = [[repr(r), run.matches[r.agency_id]] for r in records if r.agency_id not in left_out]
    kept += [[key, m] for key, m in (earlier or {}).items()]
    keep_cached(path, orjson.dumps(kept))  # a Match as its fields, its candidates' too
