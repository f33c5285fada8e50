"""Coverage: how many agreements, agencies, officers and people ICE's list reaches, by county, state, nation.

Every figure is for one publication: the participating list in force at the as-of date (the latest published
on or before it). Counting rules, stated once here and in every result's ``rules``:

- an agreement is one row of the list (agency, model, signing date); an agency holds one or more;
- an agency counts in its own county; a county-level agency (a sheriff, a county jail, prosecutor or county
  police) counts in every county it serves; state agencies serve the whole state and count in no county;
- sworn officers and population served are the FBI's 2025 LEE counts of the matched ORIs, each ORI once
  (two ICE agencies with one ORI are not counted twice); agencies without an ORI add nothing;
- people living in a county with a county-level agreement: Census 2024 estimates of those counties;
  the share divides by the state's 2024 estimate (50 states and DC; territories have no estimate).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from track287g.enrich.counties import gazetteer
from track287g.enrich.records import AgreementRow, Publication, agreements_on, publication_as_of
from track287g.errors import Track287gError
from track287g.history import queries

MODELS = ("JEM", "TFM", "WSO")
RULES = [
    "One agreement = one row of ICE's list (agency, model, signing date).",
    "A county-level agency (sheriff, county jail, prosecutor, county police) covers every county it serves; "
    "other agencies count in their own county; state agencies in no county.",
    "Sworn officers and population served: FBI Law Enforcement Employees 2025, matched ORIs only, each ORI once.",
    "Population: Census Bureau county estimates for July 2024 (vintage 2024).",
]


class CoverageError(Track287gError):
    """The database has no participating list (for that date)."""


@dataclass
class _Agency:
    agency_id: str
    state: str
    ori: str | None
    sworn: int | None
    population: int | None
    county_level: bool
    counties: list[str]


def _agencies(conn: Connection) -> dict[str, _Agency]:
    counties: dict[str, list[str]] = defaultdict(list)
    for agency_id, fips in conn.execute(text("SELECT agency_id, fips FROM agency_county ORDER BY agency_id, rank")):
        counties[agency_id].append(fips)
    out = {}
    for r in conn.execute(
        text(
            """
            SELECT m.agency_id, m.state, m.ori, m.county_level, r.sworn, r.population
            FROM agency_match m LEFT JOIN roster_agency r ON r.ori = m.ori
            """
        )
    ):
        out[r.agency_id] = _Agency(
            r.agency_id, r.state, r.ori, r.sworn, r.population, bool(r.county_level), counties.get(r.agency_id, [])
        )
    return out


def _served(agency: _Agency) -> list[str]:
    """The counties an agency counts in."""
    return agency.counties if agency.county_level else agency.counties[:1]


def _blank() -> dict[str, Any]:
    return {
        "agreements": 0,
        "agencies": 0,
        "agencies_with_ori": 0,
        "agreements_by_model": dict.fromkeys(MODELS, 0),
        "sworn_officers": 0,
        "sworn_officers_by_model": dict.fromkeys(MODELS, 0),
        "population_served": 0,
        "counties_with_agreement": 0,
        "counties_with_county_level_agreement": 0,
        "population_in_county_level_counties": 0,
        "population": None,
        "share_in_county_level_counties": None,
    }


def coverage(conn: Connection, as_of: str | None = None) -> dict[str, Any]:
    """Coverage figures for the list in force at ``as_of`` (default: the latest), nationally, by state and by
    county. Raises ``CoverageError`` when there is no such list."""
    pub = publication_as_of(conn, as_of)
    if pub is None:
        raise CoverageError(f"no participating list published on or before {as_of}" if as_of else "no list")
    rows = agreements_on(conn, pub)
    figures = summarize(pub, rows, _agencies(conn), as_of)
    # a date after the record's latest list: what ICE listed since is not known
    figures["publication"]["days_after_latest_list"] = (
        queries.days_after_latest(conn, queries.publication_info(conn, pub.sha256), queries.parse_date(as_of))
        if as_of
        else None
    )
    return figures


def summarize(pub: Publication, rows: list[AgreementRow], agencies: dict[str, _Agency], as_of: str | None) -> dict:
    gaz = gazetteer()
    by_agency: dict[str, list[AgreementRow]] = defaultdict(list)
    for row in rows:
        by_agency[row.agency_id].append(row)
    unknown = sorted(a for a in by_agency if a not in agencies)
    national = _blank()
    states: dict[str, dict[str, Any]] = defaultdict(_blank)
    county_figures: dict[str, dict[str, Any]] = {}
    seen_ori: dict[str, set[str]] = defaultdict(set)  # scope -> ORIs counted
    seen_ori_model: dict[tuple[str, str], set[str]] = defaultdict(set)
    level_counties: dict[str, set[str]] = defaultdict(set)
    any_counties: dict[str, set[str]] = defaultdict(set)
    for agency_id, items in sorted(by_agency.items()):
        agency = agencies.get(agency_id) or _Agency(agency_id, agency_id[:2], None, None, None, False, [])
        for scope, figures in (("US", national), (agency.state, states[agency.state])):
            figures["agreements"] += len(items)
            figures["agencies"] += 1
            for row in items:
                if row.model in figures["agreements_by_model"]:
                    figures["agreements_by_model"][row.model] += 1
            if agency.ori:
                figures["agencies_with_ori"] += 1
                if agency.ori not in seen_ori[scope]:
                    seen_ori[scope].add(agency.ori)
                    figures["sworn_officers"] += agency.sworn or 0
                    figures["population_served"] += agency.population or 0
                for model in {r.model for r in items if r.model in MODELS}:
                    if agency.ori not in seen_ori_model[(scope, model)]:
                        seen_ori_model[(scope, model)].add(agency.ori)
                        figures["sworn_officers_by_model"][model] += agency.sworn or 0
        for fips in _served(agency):
            any_counties[agency.state].add(fips)
            c = county_figures.setdefault(fips, _county_blank(gaz, fips))
            c["agreements"] += len(items)
            c["agencies"] += 1
            if agency.county_level:
                c["county_level_agreements"] += len(items)
                level_counties[agency.state].add(fips)
            for row in items:
                if row.model in c["agreements_by_model"]:
                    c["agreements_by_model"][row.model] += 1
    unknown_population: list[str] = []
    for state, figures in states.items():
        figures["counties_with_agreement"] = len(any_counties[state])
        figures["counties_with_county_level_agreement"] = len(level_counties[state])
        people = 0
        for fips in level_counties[state]:
            pop = gaz.population(fips)
            if pop is None:
                unknown_population.append(fips)
            people += pop or 0
        figures["population_in_county_level_counties"] = people
        figures["population"] = gaz.state_population.get(state)
        if figures["population"]:
            figures["share_in_county_level_counties"] = round(people / figures["population"], 4)
        national["counties_with_agreement"] += figures["counties_with_agreement"]
        national["counties_with_county_level_agreement"] += figures["counties_with_county_level_agreement"]
        national["population_in_county_level_counties"] += people
    national["population"] = sum(gaz.state_population.values())
    national["share_in_county_level_counties"] = round(
        national["population_in_county_level_counties"] / national["population"], 4
    )
    return {
        "publication": {
            "sha256": pub.sha256,
            "published": pub.published,
            "part": pub.part,
            "derived": pub.derived,
            "as_of": as_of,
        },
        "rules": RULES,
        "national": national,
        "states": {s: {"state": s, **states[s]} for s in sorted(states)},
        "counties": [county_figures[f] for f in sorted(county_figures)],
        "notes": {
            "agencies_not_enriched": unknown,
            "counties_without_2024_population": sorted(set(unknown_population)),
        },
    }


def _county_blank(gaz, fips: str) -> dict[str, Any]:
    c = gaz.by_fips.get(fips)
    return {
        "fips": fips,
        "state": c.state if c else None,
        "name": c.name if c else None,
        "population": gaz.population(fips),
        "agreements": 0,
        "agencies": 0,
        "county_level_agreements": 0,
        "agreements_by_model": dict.fromkeys(MODELS, 0),
    }
