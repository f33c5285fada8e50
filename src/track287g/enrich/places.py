"""Places a reader names (a county, a town or city, a ZIP code, a state) and the agencies that cover each on a list.

``find_places(text)`` reads what a person types: ``Multnomah County, OR``, ``Lee county fl``, ``Tampa, FL``,
``97204``, ``Oregon``, ``TX``. Counties come from the gazetteer (Census names and FIPS codes), towns and ZIP codes
from the ``zipcodes`` package's table (``enrich/zips.py``). Nothing found gives near names to suggest.

``covering(place, agencies, items)`` says which agencies of a list cover a place, each with its reach:

- ``county``: a county-level agency (a sheriff, a county jail, prosecutor or county police) of the place's county;
- ``precinct``: a constable of a precinct in the county;
- ``city``: the police (or marshal) of a town; for a county, every town's agency placed in it; for a town or a
  ZIP code, the agency named for that town;
- ``campus`` and ``port``: campus police, and the police of a port or airport authority, placed in the county;
- ``state``: a state agency, whose reach is the whole state (state police, investigation, corrections ...);
- ``other``: any other local body placed in the county.

An agency is placed in every county the enrich stage gave it (``agency_county``): a city that spans two counties
covers part of both.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from rapidfuzz import fuzz, process, utils
from sqlalchemy import Connection, text

from track287g.enrich import zips
from track287g.enrich.counties import County, gazetteer, split_suffix
from track287g.enrich.laws import law_then, state_law_row
from track287g.enrich.locate import STATE_KINDS, STATE_TYPED_KINDS
from track287g.enrich.names import core, town_variant
from track287g.errors import NotFound
from track287g.history.queries import (
    approved_listed_by,
    latest_on,
    listed_agreements,
    listed_applications,
    printed_runs,
    publication_ref,
)
from track287g.i18n import N_
from track287g.normalize import tables
from track287g.normalize.words import compact

KINDS = ("county", "place", "zip", "state")
REACHES = ("county", "region", "precinct", "city", "campus", "port", "state", "other")
_PORT = re.compile(r"\b(airport|seaport|port authority|port of|harbor|harbour)\b", re.IGNORECASE)
_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")
_COUNTY_WORDS = ("county", "parish", "borough", "census area", "municipio", "municipality", "city and borough")
SUGGESTIONS = 5


class PlaceNotFound(NotFound):
    """No place by that name (the message suggests near ones), or several (the message lists them)."""

    def __init__(self, message: str, choices: Iterable[Place] = ()) -> None:
        super().__init__(message)
        self.choices = list(choices)


@dataclass(frozen=True)
class Place:
    """A place a reader can ask about."""

    kind: str  # county | place | zip | state
    name: str  # "Multnomah County, OR", "Tampa, FL", "97204 (Portland, OR)", "Oregon"
    state: str
    county_fips: str | None = None  # the county (a ZIP's, a town's main one); None for a state
    counties: tuple[str, ...] = ()  # every county the place lies in
    town: str | None = None  # the town's name, for a town or a ZIP code
    zip: str | None = None
    rule: str = ""  # how a ZIP's county was found

    @property
    def query(self) -> str:
        """What to type to find this place again."""
        return self.zip or (self.name if self.kind != "state" else self.state)


@dataclass(frozen=True)
class AgencyPlace:
    """Where an agency is and how far it reaches."""

    agency_id: str
    name: str
    state: str
    kind: str
    reach: str
    counties: tuple[str, ...]  # every county it was placed in, its own first
    town_keys: frozenset[str]  # its name's town, compacted ("tampa"), for towns' and ZIP codes' police
    status: str = ""  # on the latest list (the history's agency status)
    provisional: bool = False  # removed from the latest lists only

    @property
    def local_counties(self) -> tuple[str, ...]:
        """The counties whose pages list it among their local agencies: every county it was placed in; none
        for a statewide agency, listed apart on every county's page of its state."""
        return () if self.reach == "state" else self.counties


def reach_of(kind: str, agency_type: str | None, county_level: bool, name: str, placed_by_hand: bool = False) -> str:
    """An agency's reach from its kind (read from the name), ICE's TYPE and the enrich stage's county level; a
    state body placed by hand in its counties (``agency_counties.csv``: a judicial circuit's prosecutor) is a
    region's, not the state's."""
    if kind in STATE_KINDS or (agency_type == "state" and kind in STATE_TYPED_KINDS and not county_level):
        return "region" if placed_by_hand else "state"
    if _PORT.search(name):
        return "port"
    if kind == "campus":
        return "campus"
    if kind == "constable":
        return "precinct"
    if county_level:
        return "county"
    if kind in ("police", "marshal"):
        return "city"
    return "other"


def agency_places(conn: Connection) -> dict[str, AgencyPlace]:
    """Every agency history knows, with its counties and reach (reach from the name alone before enrichment)."""
    counties: dict[str, list[str]] = defaultdict(list)
    for agency_id, fips in conn.execute(text("SELECT agency_id, fips FROM agency_county ORDER BY agency_id, rank")):
        counties[agency_id].append(fips)
    out = {}
    rows = conn.execute(
        text(
            """
            SELECT a.agency_id, a.name, a.state, a.kind, a.agency_type, a.status, a.provisional, m.county_level,
                   m.county_rule, r.lee_name
            FROM agency a
            LEFT JOIN agency_match m ON m.agency_id = a.agency_id
            LEFT JOIN roster_agency r ON r.ori = m.ori
            """
        )
    )
    for r in rows:
        reach = reach_of(r.kind, r.agency_type, bool(r.county_level), r.name, r.county_rule == "manual")
        keys = {compact(core(r.name)), compact(town_variant(core(r.name)))}
        if r.lee_name and reach == "city":
            keys.add(compact(r.lee_name))
        out[r.agency_id] = AgencyPlace(
            r.agency_id,
            r.name,
            r.state,
            r.kind,
            reach,
            tuple(counties.get(r.agency_id, [])),
            frozenset(keys - {""}),
            r.status,
            bool(r.provisional),
        )
    return out


def covers(place: Place, agency: AgencyPlace) -> bool:
    """Whether an agency's reach takes in the place."""
    if agency.state != place.state:
        return False
    if place.kind == "state" or agency.reach == "state":
        return True
    if place.kind == "county":
        return place.county_fips in agency.counties
    town = compact(place.town or "")
    if agency.reach in ("city", "campus", "port", "other"):
        return bool(town) and (town in agency.town_keys or compact(town_variant(place.town or "")) in agency.town_keys)
    return bool(set(place.counties) & set(agency.counties))


def covering(place: Place, agencies: dict[str, AgencyPlace], items: Iterable[dict]) -> list[dict]:
    """The agencies of a list (its ``items``: one per agreement, as ``history.queries.listed_agreements`` gives
    them) that cover a place, each with its reach and agreements; local agencies first, then statewide ones."""
    found: dict[str, dict] = {}
    for item in items:
        agency = agencies.get(item["agency_id"])
        if agency is None or not covers(place, agency):
            continue
        entry = found.setdefault(
            agency.agency_id,
            {"agency_id": agency.agency_id, "name": agency.name, "reach": agency.reach, "agreements": []},
        )
        held = {"agreement_id": item["agreement_id"], "model": item["model"], "signed": item.get("signed")}
        if item.get("signed_probable"):  # the date printed is probably a year typo
            held["signed_probable"] = item["signed_probable"]
        entry["agreements"].append(held)
    order = {r: i for i, r in enumerate(REACHES)}
    return sorted(found.values(), key=lambda e: (order.get(e["reach"], 99), e["name"].lower()))


# --- reading what a person types ------------------------------------------------------------------------


def state_label(code: str) -> str:
    words = tables.states()[code]["name"].title().split()
    return " ".join(w if w not in ("Of", "And") else w.lower() for w in words)


@cache
def _state_names() -> dict[str, str]:
    """State name or code, as ``_state_key`` writes it -> USPS code."""
    out = {}
    for code, row in tables.states().items():
        out[_state_key(row["name"])] = code
        out[_state_key(code)] = code
    return out


def _state_key(text: str) -> str:
    """Letters and digits, lower case: not ``compact``, which reads "co" as county and "mt" as mount, the codes
    of Colorado and Montana."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def county_place(county: County) -> Place:
    return Place("county", f"{county.name}, {county.state}", county.state, county.fips, (county.fips,))


def state_place(code: str) -> Place:
    return Place("state", state_label(code), code)


def zip_place(code: str) -> Place | None:
    found = zips.find_zip(code)
    if found is None:
        return None
    counties = (found.county_fips,) if found.county_fips else ()
    name = f"{code} ({found.town.title()}, {found.state})"
    return Place("zip", name, found.state, found.county_fips, counties, found.town.title(), code, found.county_rule)


def _split_state(words: str) -> tuple[str, str | None]:
    """("lee county, fl") -> ("lee county", "FL"): a trailing state code or name, after a comma or not."""
    head, comma, tail = words.rpartition(",")
    if comma and _state_key(tail) in _state_names():
        return head.strip(), _state_names()[_state_key(tail)]
    parts = words.split()
    for n in (3, 2, 1):  # "district of columbia", "new york", "tx"
        if len(parts) > n:
            key = _state_key(" ".join(parts[-n:]))
            if key in _state_names():
                return " ".join(parts[:-n]), _state_names()[key]
    return words, None


def find_places(query: str, towns: bool = True) -> list[Place]:
    """Every place ``query`` can mean, the likeliest first (empty when none); ``towns=False``: counties and states
    only (no ZIP table read: its first read takes seconds)."""
    words = " ".join(query.replace(".", " ").split()).strip(" ,")
    if not words:
        return []
    m = _ZIP.match(words)
    if m and towns:
        found = zip_place(m.group(1))
        if found:
            return [found]
        county = gazetteer().by_fips.get(m.group(1))
        return [county_place(county)] if county else []
    if _state_key(words) in _state_names():
        return [state_place(_state_names()[_state_key(words)])]
    name, state = _split_state(words)
    if not name:
        return [state_place(state)] if state else []
    base, suffix = split_suffix(name)
    states = [state] if state else sorted(gazetteer().by_state)
    counties: list[County] = []
    for st in states:
        if suffix:
            county, _rule = gazetteer().lookup(st, name)
            if county and (compact(county.base) == compact(base) or state):
                counties.append(county)
        else:
            counties += [c for c in gazetteer().by_state.get(st, []) if compact(c.base) == compact(base)]
    matched = [] if suffix in _COUNTY_WORDS or not towns else zips.find_town(name, state)
    places = [county_place(c) for c in counties if c.in_census or c.in_shapes]
    for t in sorted(matched, key=lambda t: -len(t.zips)):
        main = t.counties[0] if t.counties else None
        places.append(Place("place", f"{t.name}, {t.state}", t.state, main, t.counties, t.name))
    return places


@cache
def _labels() -> dict[str, str]:
    """Every county's and state's label, and every town's, for suggestions: label -> what to type."""
    out = {f"{c.name}, {c.state}": f"{c.name}, {c.state}" for c in gazetteer().by_fips.values()}
    out |= {state_label(code): code for code in tables.states()}
    out |= {f"{name}, {st}": f"{name}, {st}" for (st, _k), name in zips.town_names().items()}
    return out


def suggest(query: str, limit: int = SUGGESTIONS) -> list[str]:
    """Near names for a query that found nothing ("Multnomah Conty" -> "Multnomah County, OR")."""
    # a plain edit ratio: a partial-match scorer would call any "..., FL" near any query ending in FL
    found = process.extract(query, list(_labels()), scorer=fuzz.ratio, processor=utils.default_process, limit=limit * 4)
    named = query.replace(",", " ").split()[-1].upper() if query.split() else ""
    state = named if named in tables.states() else None
    near = [
        (bool(state) and not label.endswith(f", {state}"), -score, label) for label, score, _i in found if score >= 75
    ]
    return [label for _other, _score, label in sorted(near, key=lambda x: (x[0], x[1]))[:limit]]


def find_place(query: str) -> Place:
    """The one place ``query`` means; a ``PlaceNotFound`` naming the choices when it means several, or near
    names when none."""
    found = find_places(query)
    if len(found) > 1:  # "Yoakum, TX" is the town, as its name is written; "Yoakum County, TX" the county
        exact = [p for p in found if compact(p.name) == compact(query)]
        found = exact if len(exact) == 1 else found
    if len(found) == 1:
        return found[0]
    if found:
        names = "; ".join(p.name for p in found[:12])
        how = "name one as written here" if len({p.state for p in found}) == 1 else "add the state"
        raise PlaceNotFound(f"{query!r} names {len(found)} places ({names}); {how}", found)
    near = suggest(query)
    hint = "; did you mean: " + "; ".join(near) if near else ""
    raise PlaceNotFound(f"no county, town, ZIP code or state named {query!r}{hint}")


# --- what covers a place on a date ----------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """What the participating lists printed under each agency (the holder of each row as the list printed it,
    as ``as-of`` reads a list), for "what was there before": each list's date in the order the history reads
    them, each list's place in that order, and per agency and model the runs of lists that printed it."""

    published: list[str]
    position: dict[str, int]  # sha256 -> place
    runs: list[dict]  # {"agency_id", "model", "runs": [[first, last], ...]}

    def last_before(self, runs: list[list[int]], publication: dict) -> int | None:
        """The place of the last list before ``publication`` among ``runs`` (None: none before it)."""
        n = self.position.get(publication["sha256"])
        if n is None:  # a list outside the history (held): the lists dated before it
            n = bisect.bisect_left(self.published, publication["published"])
        return max((min(last, n - 1) for first, last in runs if first < n), default=None)


def printed(conn: Connection, state: str | None = None) -> Printed:
    """Each agency's (of ``state``: of every state when None) runs of participating lists, per model, read from
    the lists' differences."""
    sql = (
        "SELECT r.row_id, r.agency_id, g.model FROM row_agreement r "
        "JOIN agreement g ON g.agreement_id = r.agreement_id JOIN agency a ON a.agency_id = r.agency_id"
    )
    held = {
        rid: (agency_id, model)
        for rid, agency_id, model in conn.execute(
            text(sql + (" WHERE a.state = :state" if state else "")), {"state": state} if state else {}
        )
    }
    lists, runs_of_row = printed_runs(conn, held)
    runs: dict[tuple[str, str], list[list[int]]] = defaultdict(list)
    for rid, row_runs in runs_of_row.items():
        runs[held[rid]].extend(row_runs)
    return Printed(
        [p.published for p in lists],
        {p.sha256: n for n, p in enumerate(lists)},
        [{"agency_id": a, "model": m, "runs": r} for (a, m), r in sorted(runs.items())],
    )


def report(
    place: Place,
    agencies: dict[str, AgencyPlace],
    publication: dict,
    items: list[dict],
    listed: Printed,
    pending_publication: dict | None = None,
    pending_items: Iterable[dict] = (),
    asked: str | None = None,
    law: dict | None = None,
) -> dict:
    """What covers a place on one participating list: the answer of ``track287g place`` and the place pages.

    ``covered_by`` (empty: no agreement covers the place on that list); ``before``: agencies of the place that
    earlier lists printed and this one does not (the last of those lists, the models they printed under it, and
    ``now``: the agency's status on the latest list and whether a removal is provisional), read from what each
    list printed (``listed``); ``pending``: the place's applications on the pending list in force then;
    ``law``: its state's row of the table of state laws (None: not researched)."""
    covered = covering(place, agencies, items)
    now = {c["agency_id"] for c in covered}
    before: dict[str, dict] = {}
    for a in listed.runs:
        agency = agencies.get(a["agency_id"])
        if a["agency_id"] in now or agency is None or not covers(place, agency):
            continue
        last = listed.last_before(a["runs"], publication)
        if last is None:
            continue
        entry = before.setdefault(
            agency.agency_id,
            {
                "agency_id": agency.agency_id,
                "name": agency.name,
                "reach": agency.reach,
                "last_listed": None,
                "models": [],
                "now": {"status": agency.status, "provisional": agency.provisional},  # on the latest list
            },
        )
        entry["last_listed"] = max(entry["last_listed"] or "", listed.published[last])
        if a["model"] not in entry["models"]:
            entry["models"].append(a["model"])
    pending = []
    for p in pending_items:
        agency = agencies.get(p["agency_id"])
        if agency is not None and covers(place, agency):
            pending.append(
                {
                    "agency_id": agency.agency_id,
                    "name": agency.name,
                    "reach": agency.reach,
                    "model": p["model"],
                    "first_listed": p.get("first_listed"),
                    "pending_id": p.get("pending_id"),
                    # an application ICE's participating list had listed as an agreement by this list (a pending
                    # list older than it still prints it): the day it was first listed so, else None
                    "approved_listed": approved_listed_by(p, publication["published"][:10]),
                }
            )
    local = [c for c in covered if c["reach"] != "state"]
    return {
        "kind": place.kind,
        "name": place.name,
        "state": place.state,
        "county_fips": place.county_fips,
        "counties": list(place.counties),
        "town": place.town,
        "zip": place.zip,
        "county_rule": place.rule or None,
        "asked": asked,
        "as_of": publication["published"],
        "publication": publication_ref(publication),
        "covered_by": covered,
        "agencies": len(covered),
        "agreements": sum(len(c["agreements"]) for c in covered),
        "local_agencies": len(local),
        "before": sorted(before.values(), key=lambda e: (e["last_listed"] or "", e["name"]), reverse=True),
        "pending": pending,
        "pending_publication": (
            {k: pending_publication.get(k) for k in ("sha256", "published", "part", "label")}
            if pending_publication
            else None
        ),
        "law": law,
        "law_then": law_then(law, asked),  # a law the table dates after the date asked
    }


def answer(conn: Connection, query: str | Place, on: date | None = None) -> dict:
    """What covers the place ``query`` names on the list in force on ``on`` (default: the latest list), with its
    state's law (``law``: the state's row of the table of state laws, None when not researched)."""
    place = query if isinstance(query, Place) else find_place(query)
    day = on or date(9999, 12, 31)
    pub = latest_on(conn, "participating", day)
    if pub is None:
        if on:
            raise NotFound(N_("no participating list was published on or before {date}"), date=on.isoformat())
        raise NotFound(N_("no participating list"))
    pend = latest_on(conn, "pending", day)
    return report(
        place,
        agency_places(conn),
        pub,
        listed_agreements(conn, pub["sha256"], place.state),
        printed(conn, place.state),
        pend,
        listed_applications(conn, pend["sha256"], place.state) if pend else (),
        asked=on.isoformat() if on else None,
        law=state_law_row(conn, place.state),
    )
