"""The model's input: a plain table of qualifying Task Force Model agencies, and the one adapter that builds it.

The model never reads the database itself; it takes :class:`FundingInputs`. :func:`funding_inputs` is the only
place that knows where the rows come from. Until the history stage (``agency``/``agreement`` tables) lands, it
reads ICE's participating list as printed: the latest non-derived participating publication on or before the date,
its TFM rows, one per agency (state + name).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from sqlalchemy import Connection, and_, func, select

from track287g.store.schema import listing, listing_row, publication

PART_ORDER = {"am": 1, "mid": 2, "pm": 3}


@dataclass(frozen=True)
class Participant:
    """One agency holding an active Task Force Model agreement."""

    agency_id: str
    agency: str
    state: str
    model: str
    since: str | None  # the day it became a TFM participant: signed, else first listed
    since_rule: str  # signed | first_listed
    sworn: int | None = None  # sworn officers (FBI roster) when matched; None leaves the cap off


@dataclass
class FundingInputs:
    """The qualifying agencies as of one publication of ICE's list."""

    as_of: str  # the list's publication date
    part: str  # am | mid | pm | ""
    sha256: str
    rows: list[Participant] = field(default_factory=list)
    source: str = "participating list"

    def describe(self) -> str:
        when = f"{self.as_of} {self.part}".strip()
        return f"{len(self.rows):,} TFM agencies on ICE's participating list published {when}"

    def as_json(self) -> dict:
        return {
            "published": self.as_of,
            "part": self.part,
            "sha256": self.sha256,
            "source": self.source,
            "tfm_agencies": len(self.rows),
            "sworn_matched": sum(1 for r in self.rows if r.sworn is not None),
        }

    def rows_as_json(self) -> list[dict]:
        return [asdict(r) for r in self.rows]


class NoListError(LookupError):
    """No participating list on or before the date asked for."""


def agency_key(state: str, name: str) -> str:
    """A stable ID from state and name, in the form the history stage uses (``FL-lee-county-sheriffs-office``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")
    return f"{state}-{slug}"


def funding_inputs(conn: Connection, on_date: str | dt.date | None = None) -> FundingInputs:
    """The TFM agencies on ICE's latest participating list published on or before ``on_date`` (default: latest).

    ``since`` is the SIGNED date when ICE printed one, else the first publication listing the agency as TFM.
    Sworn officers are left None until the FBI roster matching lands (the cap is then not applied).
    """
    day = on_date.isoformat() if isinstance(on_date, dt.date) else on_date
    pubs = select(publication.c.sha256, publication.c.pub_id, publication.c.published, publication.c.part).where(
        publication.c.kind == "participating", publication.c.derived.is_(False)
    )
    if day:
        pubs = pubs.where(publication.c.published <= day)
    candidates = conn.execute(pubs).all()
    if not candidates:
        raise NoListError(f"no participating list published on or before {day}" if day else "no participating list")
    latest = max(candidates, key=lambda p: (p.published, PART_ORDER.get(p.part, 0), p.sha256))

    rows = conn.execute(
        select(listing_row.c.state, listing_row.c.agency, listing_row.c.signed)
        .select_from(listing.join(listing_row, listing.c.row_id == listing_row.c.row_id))
        .where(listing.c.pub_id == latest.pub_id, listing_row.c.model == "TFM")
        .order_by(listing.c.row_number)
    ).all()
    unsigned = {(r.state, r.agency) for r in rows if not r.signed}
    first_listed = _first_listed(conn, latest.published) if unsigned else {}
    out: dict[str, Participant] = {}
    for r in rows:
        if not r.state or not r.agency:
            continue
        key = agency_key(r.state, r.agency)
        since, rule = (r.signed, "signed") if r.signed else (first_listed.get((r.state, r.agency)), "first_listed")
        out.setdefault(key, Participant(key, r.agency, r.state, "TFM", since, rule, None))
    return FundingInputs(latest.published, latest.part, latest.sha256, list(out.values()))


def _first_listed(conn: Connection, until: str) -> dict[tuple[str, str], str]:
    """(state, agency) -> the first publication (up to ``until``) listing it under the Task Force Model."""
    query = (
        select(listing_row.c.state, listing_row.c.agency, func.min(publication.c.published))
        .select_from(
            listing.join(listing_row, listing.c.row_id == listing_row.c.row_id).join(
                publication, publication.c.pub_id == listing.c.pub_id
            )
        )
        .where(
            and_(
                listing_row.c.model == "TFM",
                publication.c.kind == "participating",
                publication.c.derived.is_(False),
                publication.c.published <= until,
            )
        )
        .group_by(listing_row.c.state, listing_row.c.agency)
    )
    return {(state, agency): first for state, agency, first in conn.execute(query)}
