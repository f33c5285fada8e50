"""Claims about places and agencies: "agency X is / is not / was never listed", "no agency in county Y", and
which state agencies of a state are listed.

A listing claim in a claims file::

    - id: dallas-police
      kind: listing
      quote: "The Dallas Police Department recently rejected a proposal to join"
      date: 2026-01-26
      agency: {state: TX, name: Dallas Police Department}
      expect: never_listed             # listed | not_listed (on the date) | never_listed (on any list, ever)

    - id: montgomery-county-md
      kind: listing
      county: {state: MD, name: Montgomery County}
      expect: none                      # no agency of the county on the list in force on the date

    - id: louisiana-state-agencies
      kind: listing
      state_agencies: LA
      expect: listed                    # at least one state agency of the state on the list on the date

The answer carries its evidence: which publications were searched (participating lists, pending lists,
HTML-era tables, with their first and last dates), the spellings considered near the name (every spelling ICE
printed in the state with a close or shared name, and the same name in other states), and the agencies found
with their status and the dates they were first and last listed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, bindparam, text

from track287g.analyze.claims.counts import Claim, ClaimError
from track287g.history.queries import as_of
from track287g.messages import message
from track287g.normalize import tables
from track287g.resolve.aliases import loose

EXPECT = {
    "agency": ("listed", "not_listed", "never_listed"),
    "county": ("none", "some"),
    "state_agencies": ("listed", "none"),
}
NEAR = 80.0  # a spelling scoring this much against the claimed name is shown as considered
STATE_KINDS = ("state-police", "state-investigation", "state-other", "military")
GENERIC = {"police", "department", "sheriffs", "sheriff", "office", "county", "city", "of", "the", "s"}


def check(conn: Connection, claim: Claim) -> dict[str, Any]:
    """One result row for a listing claim: ``verdict``, ``record`` (a message), ``expect``, ``evidence``."""
    spec = claim.spec
    on = claim.on
    if on is None:
        raise ClaimError("the claim has no date")
    searched = publications_searched(conn)
    snapshot = as_of(conn, on)
    on_list = {i["agency_id"] for i in snapshot["items"]}
    pending = {p["agency_id"] for p in (snapshot.get("pending") or {}).get("items", [])}
    pub = snapshot["publication"]
    base = {"date": on.isoformat(), "publication": pub["sha256"], "published": pub["label"]}
    if "agency" in spec:
        return base | _agency(conn, spec, on_list, pending, searched, on)
    if "county" in spec:
        return base | _county(conn, spec, on_list, searched)
    if "state_agencies" in spec:
        return base | _state_agencies(conn, spec, on_list, searched)
    raise ClaimError("a listing claim needs agency, county or state_agencies")


def _expect(spec: dict, what: str) -> str:
    value = str(spec.get("expect") or "")
    if value not in EXPECT[what]:
        raise ClaimError(f"expect must be one of {', '.join(EXPECT[what])} for {what}, not {value!r}")
    return value


def _state(code: object) -> str:
    state = str(code or "").upper()
    if state not in tables.states():
        raise ClaimError(f"unknown state {code!r} (use a USPS code such as TX)")
    return state


def publications_searched(conn: Connection) -> dict[str, dict[str, Any]]:
    """Per kind of publication (participating, pending, HTML era): how many, the first and last dates. The old
    lists of 2007-2009 (derived, kind ``historical``) are not among them: a listing claim does not search them."""
    rows = conn.execute(
        text(
            "SELECT kind, derived, count(*) AS n, min(published) AS first, max(published) AS last "
            "FROM publication WHERE kind != 'historical' GROUP BY kind, derived"  # the old lists are not searched
        )
    ).all()
    out = {}
    for r in rows:
        key = "html_era" if r.derived else r.kind
        out[key] = {"publications": r.n, "first": r.first, "last": r.last}
    return out


def _agencies(conn: Connection, where: str, params: dict) -> list[dict[str, Any]]:
    query = text(
        "SELECT a.agency_id, a.state, a.name, a.kind, a.agency_type, a.status, a.first_listed, a.last_listed "
        f"FROM agency a WHERE {where} ORDER BY a.state, a.name"
    )
    return [dict(r._mapping) for r in conn.execute(query, params)]


def _by_id(conn: Connection, ids: set[str] | list[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    query = text(
        "SELECT a.agency_id, a.state, a.name, a.kind, a.agency_type, a.status, a.first_listed, a.last_listed "
        "FROM agency a WHERE a.agency_id IN :ids ORDER BY a.state, a.name"
    ).bindparams(bindparam("ids", expanding=True))
    return [dict(r._mapping) for r in conn.execute(query, {"ids": sorted(ids)})]


def _words(name: str) -> set[str]:
    return {w for w in loose(name).replace("'", " ").split() if w not in GENERIC}


def near_spellings(conn: Connection, state: str, name: str) -> list[dict[str, Any]]:
    """Every spelling ICE printed, in any state, that shares the distinctive words of ``name`` ("Dallas" of
    "Dallas Police Department"), or in ``state`` comes close to them (a typo): the spellings a search for the
    claim had to consider. ``same_name`` marks the spellings equal to ``name`` but for case and punctuation."""
    wanted, words = loose(name), _words(name)
    key = " ".join(sorted(words))
    found = []
    for agency_id, spelling, st, status in conn.execute(
        text(
            "SELECT s.agency_id, s.spelling, a.state, a.status FROM agency_spelling s "
            "JOIN agency a USING (agency_id) ORDER BY a.state, s.spelling"
        )
    ):
        theirs = _words(spelling)
        same = loose(spelling) == wanted
        score = fuzz.ratio(" ".join(sorted(theirs)), key) if key else 0.0
        shared = bool(words) and words <= theirs
        if same or shared or (st == state and score >= NEAR):
            found.append(
                {
                    "agency_id": agency_id,
                    "state": st,
                    "spelling": spelling,
                    "score": round(score, 1),
                    "status": status,
                    "same_name": same,
                }
            )
    return sorted(found, key=lambda f: (f["state"] != state, -f["score"], f["state"], f["spelling"]))


def _agency(conn, spec, on_list, pending, searched, on: date) -> dict[str, Any]:
    raw = spec["agency"] if isinstance(spec["agency"], dict) else {}
    state, name = _state(raw.get("state")), str(raw.get("name") or "")
    if not name:
        raise ClaimError("agency needs a state and a name")
    expect = _expect(spec, "agency")
    near = near_spellings(conn, state, name)
    same = sorted({n["agency_id"] for n in near if n["same_name"] and n["state"] == state})
    agencies = _by_id(conn, same)
    listed_now = [a for a in agencies if a["agency_id"] in on_list]
    pending_now = [a for a in agencies if a["agency_id"] in pending]
    if agencies and listed_now:
        record = message("claims.listing.agency-listed", name=name, state=state, first_date=agencies[0]["first_listed"])
    elif agencies:
        record = message(
            "claims.listing.agency-was-listed",
            name=name,
            state=state,
            first_date=agencies[0]["first_listed"],
            last_date=agencies[0]["last_listed"],
        )
    else:
        record = message("claims.listing.agency-never", name=name, state=state, near=len(near))
    holds = {
        "listed": bool(listed_now),
        "not_listed": not listed_now and not pending_now,
        "never_listed": not agencies,
    }[expect]
    return {
        "verdict": "matches" if holds else "differs",
        "expect": expect,
        "record": record,
        "evidence": {"publications": searched, "near_spellings": near, "agencies": agencies},
    }


def _county(conn, spec, on_list, searched) -> dict[str, Any]:
    from track287g.enrich.counties import gazetteer

    raw = spec["county"] if isinstance(spec["county"], dict) else {}
    state, name = _state(raw.get("state")), str(raw.get("name") or "")
    expect = _expect(spec, "county")
    county, _rule = gazetteer().lookup(state, name)
    if county is None:
        raise ClaimError(f"no county {name!r} in {state}")
    # agencies the enrich stage placed there, and any whose COUNTY ICE printed as that county or whose name says so
    placed = {
        r[0]
        for r in conn.execute(
            text(
                "SELECT agency_id FROM agency_county WHERE fips = :f "
                "UNION SELECT agency_id FROM agency_match WHERE county_fips = :f"
            ),
            {"f": county.fips},
        )
    }
    words = _words(county.name)
    for agency_id, st, printed, spelling in conn.execute(
        text(
            "SELECT a.agency_id, a.state, a.county, s.spelling FROM agency a JOIN agency_spelling s USING (agency_id) "
            "WHERE a.state = :s"
        ),
        {"s": state},
    ):
        named = printed and gazetteer().lookup(st, printed)[0] == county
        if named or (words and words <= _words(spelling) and "county" in spelling.lower()):
            placed.add(agency_id)
    agencies = _by_id(conn, placed)
    listed_now = [a for a in agencies if a["agency_id"] in on_list]
    if listed_now:
        code = "claims.listing.county-some" + (".one" if len(listed_now) == 1 else "")
        record = message(code, county=county.name, state=state, agencies=len(listed_now))
    elif agencies:
        code = "claims.listing.county-was" + (".one" if len(agencies) == 1 else "")
        record = message(code, county=county.name, state=state, agencies=len(agencies))
    else:
        record = message("claims.listing.county-none", county=county.name, state=state)
    holds = (not listed_now) if expect == "none" else bool(listed_now)
    return {
        "verdict": "matches" if holds else "differs",
        "expect": expect,
        "record": record,
        "evidence": {
            "publications": searched,
            "county": {"fips": county.fips, "name": county.name, "state": state},
            "agencies": agencies,
            "near_spellings": near_spellings(conn, state, county.name),
        },
    }


def _state_agencies(conn, spec, on_list, searched) -> dict[str, Any]:
    state = _state(spec["state_agencies"])
    expect = _expect(spec, "state_agencies")
    kinds = ", ".join(f"'{k}'" for k in STATE_KINDS)
    agencies = _agencies(
        conn,
        f"a.state = :s AND (a.kind IN ({kinds}) OR (a.agency_type = 'state' AND a.kind IN ('corrections', 'other')) "
        "OR (lower(a.name) LIKE :prefix AND a.kind IN ('other', 'corrections')))",
        {"s": state, "prefix": tables.states()[state]["name"].lower() + " %"},
    )
    listed_now = [a for a in agencies if a["agency_id"] in on_list]
    first = min((a["first_listed"] for a in agencies if a["first_listed"]), default=None)
    code = "claims.listing.state-agencies" + (".one" if len(listed_now) == 1 else "")
    record = message(code, state=state, agencies=len(listed_now), ever=len(agencies), first_date=first)
    holds = bool(listed_now) if expect == "listed" else not listed_now
    return {
        "verdict": "matches" if holds else "differs",
        "expect": expect,
        "record": record,
        "evidence": {"publications": searched, "agencies": agencies},
    }
