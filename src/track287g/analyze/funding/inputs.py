"""The model's input: a plain table of qualifying Task Force Model agencies, and the one adapter that builds it.

The model never reads the database itself; it takes :class:`FundingInputs`. :func:`funding_inputs` is the only
place that knows where the rows come from: the history's point-in-time query (the agreements listed on ICE's
latest participating list on or before a date), keeping the Task Force Model ones, one row per agency.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from sqlalchemy import Connection, inspect, select

from track287g.errors import NotFound
from track287g.history.queries import QueryError, latest_on, listed_agreements, parse_date, probable_signed
from track287g.store.schema import agency_match, agency_size, agreement, county, roster_agency


@dataclass(frozen=True)
class Participant:
    """One agency holding an active Task Force Model agreement."""

    agency_id: str
    agency: str
    state: str
    model: str
    since: str | None  # the day it became a TFM participant: signed, else first listed
    since_rule: str  # signed | signed_probable (ICE's SIGNED has a year typo) | first_listed
    sworn: int | None = None  # the agency's sworn officers (FBI roster, or an estimate: see size_rule); None: unknown
    size_rule: str = "none"  # roster | roster-units | fallback-kind-state | fallback-kind | fallback-state | none
    size_basis: dict = field(default_factory=dict)  # a message saying where ``sworn`` comes from
    kind: str = ""  # sheriff | police | state-police | ... (read from the agency's name)
    county_fips: str | None = None  # the county the enrich stage placed it in; None for state agencies
    county: str | None = None  # that county's name


@dataclass
class FundingInputs:
    """The qualifying agencies as of one publication of ICE's list."""

    as_of: str  # the list's publication date
    part: str  # am | mid | pm | ""
    sha256: str
    rows: list[Participant] = field(default_factory=list)
    source: str = "history: agreements listed on ICE's participating list"

    def describe(self, state: str | None = None) -> str:
        """The agencies counted, and the list they were read from: those of ``state`` when one is given."""
        when = f"{self.as_of} {self.part}".strip()
        if state is None:
            return f"{len(self.rows):,} TFM agencies on ICE's participating list published {when}"
        mine = sum(1 for r in self.rows if r.state == state)
        return (
            f"{mine:,} TFM agencies of {state} on ICE's participating list published {when} ({len(self.rows):,} in all)"
        )

    def as_json(self) -> dict:
        return {
            "published": self.as_of,
            "part": self.part,
            "sha256": self.sha256,
            "source": self.source,
            "tfm_agencies": len(self.rows),
            "sworn_matched": sum(1 for r in self.rows if r.size_rule.startswith("roster")),
            "sworn_estimated": sum(1 for r in self.rows if r.size_rule.startswith("fallback")),
        }

    def rows_as_json(self) -> list[dict]:
        return [asdict(r) for r in self.rows]


def _agency_facts(conn: Connection, agency_ids: list[str]) -> dict[str, dict]:
    """Size (sworn officers and its rule), kind and county of each agency, from the enrich stage's tables.

    A database enriched before ``agency_size`` existed falls back to the matched roster's sworn officers.
    """
    if not agency_ids:
        return {}
    placed = (
        select(agency_match.c.agency_id, agency_match.c.kind, agency_match.c.county_fips, county.c.name)
        .outerjoin(county, county.c.fips == agency_match.c.county_fips)
        .where(agency_match.c.agency_id.in_(agency_ids))
    )
    out = {aid: {"kind": kind, "county_fips": fips, "county": name} for aid, kind, fips, name in conn.execute(placed)}
    sizes = select(agency_size.c.agency_id, agency_size.c.sworn, agency_size.c.rule, agency_size.c.basis).where(
        agency_size.c.agency_id.in_(agency_ids)
    )
    found = conn.execute(sizes).all() if inspect(conn).has_table("agency_size") else []  # built before it existed
    for aid, sworn, rule, basis in found:
        out[aid] = out.get(aid, {}) | {"sworn": sworn, "size_rule": rule, "size_basis": json.loads(basis or "{}")}
    if not found:
        roster = (
            select(agency_match.c.agency_id, roster_agency.c.sworn)
            .join(roster_agency, roster_agency.c.ori == agency_match.c.ori)
            .where(agency_match.c.agency_id.in_(agency_ids), roster_agency.c.sworn > 0)
        )
        for aid, sworn in conn.execute(roster):
            out[aid] = out.get(aid, {}) | {"sworn": sworn, "size_rule": "roster"}
    return out


class NoListError(NotFound, LookupError):
    """No participating list on or before the date asked for (or not a date)."""


def funding_inputs(conn: Connection, on_date: str | dt.date | None = None) -> FundingInputs:
    """The agencies with a TFM agreement on ICE's latest participating list published on or before ``on_date``.

    ``on_date`` None means the latest list. ``since`` is the agreement's SIGNED date as printed on that list
    (the probable date when that is a year typo), else the day the agreement was first listed; an agency with
    several TFM agreements keeps the earliest.
    Sworn officers, kind and county come from the enrich stage (``agency_size``: the FBI roster's count, or a
    stated estimate; None where there is neither: the agency then counts as a median-sized one, uncapped).
    """
    try:
        day = parse_date(on_date) if on_date is not None else dt.date.max
    except QueryError as exc:
        raise NoListError(str(exc)) from None
    pub = latest_on(conn, "participating", day)
    if pub is None:
        raise NoListError(f"no participating list published on or before {day.isoformat()}")
    items = [i for i in listed_agreements(conn, pub["sha256"]) if i["model"] == "TFM"]
    ids = [i["agreement_id"] for i in items]
    probable = probable_signed(conn)
    known = (
        {
            r.agreement_id: r
            for r in conn.execute(
                select(
                    agreement.c.agreement_id,
                    agreement.c.first_listed,
                    agreement.c.signed,
                    probable.label("probable"),
                ).where(agreement.c.agreement_id.in_(ids))
            )
        }
        if ids
        else {}
    )
    facts = _agency_facts(conn, [i["agency_id"] for i in items])
    rows: dict[str, Participant] = {}
    for i in items:
        k = known.get(i["agreement_id"])
        if k is not None and k.probable and i["signed"] == k.signed:  # a year typo: the date ICE meant
            since, rule = k.probable, "signed_probable"
        elif i["signed"]:
            since, rule = i["signed"], "signed"
        else:
            since, rule = (k.first_listed if k is not None else None), "first_listed"
        seen = rows.get(i["agency_id"])
        if seen is None or (since and (seen.since is None or since < seen.since)):
            f = facts.get(i["agency_id"], {})
            rows[i["agency_id"]] = Participant(
                i["agency_id"],
                i["agency"],
                i["state"],
                "TFM",
                since,
                rule,
                sworn=f.get("sworn"),
                size_rule=f.get("size_rule", "none"),
                size_basis=f.get("size_basis", {}),
                kind=f.get("kind") or "",
                county_fips=f.get("county_fips"),
                county=f.get("county"),
            )
    ordered = sorted(rows.values(), key=lambda r: (r.state, r.agency, r.agency_id))
    return FundingInputs(pub["published"], pub["part"], pub["sha256"], ordered)
