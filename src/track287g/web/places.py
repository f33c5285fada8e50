"""The data of the place pages (a county, a town, a ZIP code), growth figures, leaderboards, the comparison of
states and the freshness line every page carries. Plain JSON-ready data in English; the registry
(``resources.py``) serves it to the pages and the API, each answer computed once per data version.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, text

from track287g.enrich import places, state_laws
from track287g.enrich.counties import gazetteer
from track287g.history import queries
from track287g.i18n import ENGLISH, N_, language
from track287g.normalize import tables
from track287g.web import lookups
from track287g.web.site import Site, last_check

INAUGURATION = "2025-01-20"
MAX_COMPARE = 4


def agency_places(site: Site) -> dict[str, places.AgencyPlace]:
    return site.cached(("agency_places",), places.agency_places)


def served_counties(site: Site) -> dict[str, tuple[str, ...]]:
    """Each agency's ``local_counties`` (a statewide agency: none), but for a local agency placed in no county."""

    def make(_conn: Connection) -> dict[str, tuple[str, ...]]:
        every = agency_places(site).items()
        return {k: a.local_counties for k, a in every if a.counties or a.reach == "state"}

    return site.cached(("served_counties",), make)


def printed_in(site: Site, state: str) -> places.Printed:
    """What every list printed under each agency of ``state`` (read once per data version for all states)."""
    every = site.cached(("printed",), places.printed)
    return replace(every, runs=of_state(site, ("printed",), every.runs, state))


def snapshot(site: Site, sha: str) -> list[dict]:
    """The agreements one participating publication lists: its rows read alone, each joined to what every
    printed row says (``printed_rows``, read once per data version)."""
    printed = printed_rows(site)
    return site.cached(("snapshot", sha), lambda c: lookups.snapshot(c, sha, printed))


def printed_rows(site: Site) -> queries.PrintedRows:
    """Every printed row the history reads as an agreement's, as a list's item says it (``queries.printed_rows``)."""
    return site.cached(("printed_rows",), queries.printed_rows)


def list_on(site: Site, on: str | None) -> dict:
    return site.cached(("list_on", on), lambda c: lookups.list_on(c, on))


def pending_then(site: Site, on: str | None) -> dict | None:
    """The pending list in force on ``on`` (default: the latest) with its applications and counts; None on a day
    before ICE's first pending list (a page of an older participating list has no pending list to show)."""
    try:
        return site.cached(("pending", on, ()), lambda c: lookups.pending_page(c, on, {}))
    except lookups.NotFound:
        return None


def pending_on(site: Site, on: str | None) -> tuple[dict | None, list[dict]]:
    """The pending list in force on ``on`` and its applications ((None, []) before ICE's first)."""
    found = pending_then(site, on)
    return (found["publication"], found["items"]) if found else (None, [])


def of_state(site: Site, key: tuple, rows: list[dict], state: str) -> list[dict]:
    """The rows (each with an ``agency_id``) of one state's agencies, kept per data version under ``key``: a
    place is only ever covered by agencies of its own state."""
    agencies = agency_places(site)

    def make(_conn: Connection) -> list[dict]:
        return [r for r in rows if (a := agencies.get(r["agency_id"])) is not None and a.state == state]

    return site.cached(("of_state", *key, state), make)


def laws_table(site: Site) -> list[dict]:
    """Each researched state's law row (the ``state_law`` table)."""
    return site.cached(("state_laws",), state_laws)


def state_law(site: Site, code: str) -> dict | None:
    """The researched law of a state (its ``state_law`` row), None when the table has none for it."""
    return next((law for law in laws_table(site) if law["state"] == code), None)


def place_report(site: Site, place: places.Place, on: str | None) -> dict:
    """What covers a place on the list in force on ``on`` (default: the latest list), with its state's law."""
    pub = list_on(site, on)
    pend_pub, pend_items = pending_on(site, on)
    key = ("place", place, pub["sha256"], on)

    def make(_conn: Connection) -> dict:
        state = place.state
        return places.report(
            place,
            agency_places(site),
            pub,
            of_state(site, ("snapshot", pub["sha256"]), snapshot(site, pub["sha256"]), state),
            printed_in(site, state),
            pend_pub,
            of_state(site, ("pending", on), pend_items, state),
            asked=on,
            law=state_law(site, state),
        )

    return site.cached(key, make)


def county(site: Site, fips: str) -> places.Place:
    """The county with that 5-digit FIPS code (a 404 for anything else)."""
    found = gazetteer().by_fips.get(fips) if len(fips) == 5 and fips.isdigit() else None
    if found is None:
        raise lookups.NotFound(
            N_("no county with the FIPS code {fips!r} (5 digits, e.g. 12071 for Lee County, FL)"), fips=fips
        )
    return places.county_place(found)


# --- growth ---------------------------------------------------------------------------------------------


def _counts(items: list[dict], keep: Callable[[dict], bool] | None) -> dict[str, int]:
    mine = [i for i in items if keep is None or keep(i)]
    return {"agencies": len({i["agency_id"] for i in mine}), "agreements": len(mine)}


def _change(now: int, then: int) -> dict:
    return {"change": now - then, "percent": round((now - then) / then * 100, 1) if then else None}


def growth(
    site: Site, on: str | None, keep: Callable[[dict], bool] | None = None, scope: str = "", state: str | None = None
) -> dict:
    """Agencies and agreements on the list in force on ``on`` against a year before and against 2025-01-20
    (Inauguration Day), each with its list, the change and the percent (None from zero). ``keep`` filters the
    list's items; ``state`` (when ``keep`` only keeps agencies of one state) makes that faster."""

    def items(sha: str) -> list[dict]:
        rows = snapshot(site, sha)
        return of_state(site, ("snapshot", sha), rows, state) if state else rows

    pub = list_on(site, on)
    # a date after the record's latest list: what ICE listed since is unknown, so the comparisons are the
    # list's own (a year before it, not a year before the date asked: that would call months a year)
    after = None
    if on is not None:  # the API's as-of asks the same (``endpoints.as_of``): one cached answer per date
        after = site.cached(("after_latest", on), lambda c: queries.days_after_latest(c, pub, queries.parse_date(on)))
    day = date.fromisoformat(pub["published"] if on is None or after else on)
    year_ago = day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else day - timedelta(366)
    key = ("growth", pub["sha256"], scope, on, day.isoformat())

    def make(_conn: Connection) -> dict:
        now = _counts(items(pub["sha256"]), keep)
        against: list[dict] = []
        out: dict = {
            "date": day.isoformat(),
            "asked": on,  # None: the latest list
            "days_after_latest_list": after,
            "publication": lookups.pub_ref(pub),
            **now,
            "against": against,
        }
        # Inauguration Day only for a list after it: as of an older list it would compare with a later one
        marks = [("a year before", year_ago.isoformat())] + (
            [("2025-01-20", INAUGURATION)] if day.isoformat() >= INAUGURATION else []
        )
        for name, when in marks:
            try:
                then_pub = list_on(site, when)
            except lookups.NotFound:
                against.append({"name": name, "date": when, "publication": None})
                continue
            then = _counts(items(then_pub["sha256"]), keep)
            against.append(
                {
                    "name": name,
                    "date": when,
                    "publication": lookups.pub_ref(then_pub),
                    **then,
                    "agencies_change": _change(now["agencies"], then["agencies"]),
                    "agreements_change": _change(now["agreements"], then["agreements"]),
                }
            )
        return out

    return site.cached(key, make)


def local_to(place: places.Place, site: Site) -> Callable[[dict], bool]:
    """A filter of list items: the agreements of the place's own agencies (statewide ones left out)."""
    agencies = agency_places(site)

    def keep(item: dict) -> bool:
        a = agencies.get(item["agency_id"])
        return a is not None and a.reach != "state" and places.covers(place, a)

    return keep


def in_state(code: str) -> Callable[[dict], bool]:
    return lambda item: item["state"] == code


# --- leaderboards and comparison ------------------------------------------------------------------------


def leaderboards(site: Site, on: str | None) -> dict:
    """States by agencies per million residents, by agreements and by growth; agencies by sworn officers."""
    pub = list_on(site, on)

    def make(conn: Connection) -> dict:
        items = snapshot(site, pub["sha256"])
        gaz = gazetteer()
        by_state: dict[str, list[dict]] = defaultdict(list)
        for i in items:
            by_state[i["state"]].append(i)
        rows = []
        for code in tables.states():
            mine = by_state.get(code, [])
            g = growth(site, on, in_state(code), scope=f"state/{code}")
            population = gaz.state_population.get(code)
            agencies = len({i["agency_id"] for i in mine})
            year = g["against"][0]
            rows.append(
                {
                    "state": code,
                    "name": lookups.state_name(code),
                    "agencies": agencies,
                    "agreements": len(mine),
                    "population": population,
                    "agencies_per_million": round(agencies / population * 1e6, 2) if population else None,
                    "agreements_year_before": year.get("agreements"),
                    "agreements_change": (year.get("agreements_change") or {}).get("change"),
                    "agreements_percent": (year.get("agreements_change") or {}).get("percent"),
                }
            )
        listed = [r for r in rows if r["agreements"] or r["agreements_year_before"]]
        per_million = sorted(
            (r for r in listed if r["agencies_per_million"] is not None), key=lambda r: -r["agencies_per_million"]
        )
        sworn = _sworn(conn, {i["agency_id"] for i in items})
        return {
            "publication": lookups.pub_ref(pub),
            "year_before": growth(site, on)["against"][0]["publication"],
            "per_million": per_million,
            "by_agreements": sorted(listed, key=lambda r: (-r["agreements"], r["name"])),
            "by_growth": sorted(listed, key=lambda r: (-(r["agreements_change"] or 0), r["name"])),
            "by_sworn": sworn,
            "notes": [
                "Residents: Census Bureau estimates for July 2024 (50 states and DC; territories have none).",
                "Sworn officers: FBI Law Enforcement Employees 2025, for agencies matched to an FBI ORI.",
            ],
        }

    return site.cached(("leaderboards", pub["sha256"], on), make)


def _sworn(conn: Connection, listed: set[str], top: int = 50) -> list[dict]:
    """FBI rosters' sworn officers, one row per roster entry (ORI): agencies of ICE's list matched to the same ORI
    (two divisions of one state police) share its count, so they are named together, not counted twice."""
    rows = conn.execute(
        text(
            "SELECT a.agency_id, a.name, a.state, r.ori, r.sworn FROM agency a "
            "JOIN agency_match m ON m.agency_id = a.agency_id "
            "JOIN roster_agency r ON r.ori = m.ori WHERE r.sworn IS NOT NULL ORDER BY a.name"
        )
    )
    by_ori: dict[str, dict] = {}
    for r in rows:
        if r.agency_id in listed:
            entry = by_ori.setdefault(r.ori, {"ori": r.ori, "state": r.state, "sworn": r.sworn, "agencies": []})
            entry["agencies"].append({"agency_id": r.agency_id, "name": r.name})
    found = sorted(by_ori.values(), key=lambda r: (-r["sworn"], r["agencies"][0]["name"]))
    return found[:top]


def compare(site: Site, codes: list[str], on: str | None) -> dict:
    """Up to four states side by side: agreements and agencies on every list, and their growth."""
    timelines = site.cached(("state_timelines",), lookups.state_timelines)
    national = site.cached(("timeline",), lookups.national_timeline)
    series: dict[str, dict[str, dict]] = {c: {p["publication"]: p for p in timelines.get(c, [])} for c in codes}
    points = []
    for p in national:
        point = {"date": p["date"], "part": p["part"], "publication": p["publication"], "derived": p["derived"]}
        for c in codes:
            point[c] = series[c].get(p["publication"], {}).get("total", 0)
        points.append(point)
    states = [
        {"state": c, "name": lookups.state_name(c), "growth": growth(site, on, in_state(c), scope=f"state/{c}")}
        for c in codes
    ]
    return {"states": states, "timeline": points, "publication": lookups.pub_ref(list_on(site, on))}


# --- freshness ------------------------------------------------------------------------------------------


def freshness(site: Site) -> dict:
    """The latest lists, how old they are today, and when the watcher last checked ICE's page."""

    def make(conn: Connection) -> dict:
        latest = lookups.list_on(conn, None)
        pend = lookups.queries.latest_on(conn, "pending", date(9999, 12, 31))
        check = None
        row = last_check(site.db)
        if row is not None:
            ok = (json.loads(row.report or "{}").get("page") or {}).get("ok")
            check = {"at": row.started_at, "status": row.page_status, "ok": ok}
        today = date.today()
        return {
            "today": today.isoformat(),
            "participating": lookups.pub_ref(latest),
            "participating_age_days": (today - date.fromisoformat(latest["published"])).days,
            "pending": lookups.pub_ref(pend),
            "pending_age_days": (today - date.fromisoformat(pend["published"])).days if pend else None,
            "checked": check,
        }

    return site.cached(("freshness",), make)


def checked_text(check: dict | None) -> str | None:
    """2026-03-01T14:32:28Z -> "2026-03-01 14:32 UTC"."""
    if not check:
        return None
    try:
        return datetime.fromisoformat(check["at"].replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return check["at"]


def search_places(lang: str = "en") -> list[dict]:
    """Every county and state for the search box (towns and ZIP codes are looked up by the server: /place/), states
    named in ``lang`` (a Spanish name keeps the English one in ``also``, so "New Mexico" finds "Nuevo México")."""
    words = language(lang)
    out = []
    for code in tables.states():
        name, english = words.label("state", code), ENGLISH.label("state", code)
        out.append(
            {"kind": "state", "name": name, "code": code, "url": f"/state/{code}/"}
            | ({"also": english} if english != name else {})
        )
    out += [
        {"kind": "county", "name": f"{c.name}, {c.state}", "code": c.fips, "url": f"/county/{c.fips}/"}
        for c in sorted(gazetteer().by_fips.values(), key=lambda c: (c.state, c.name))
    ]
    return out
