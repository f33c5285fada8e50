"""Counts of agencies and agreements: on a date, by group, and over time.

Every result names the publication it comes from and counts both units: **agencies** (distinct law
enforcement bodies) and **agreements** (agency + model + signing date; an agency can hold up to three).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Connection, func, select

from track287g.history.queries import as_of, parse_date
from track287g.normalize import tables
from track287g.store.schema import publication, publication_count

GROUPINGS = ("state", "model", "type", "kind")


def counts(conn: Connection, on: date | str | None = None, by: str | None = None, state: str | None = None) -> dict:
    """Agencies and agreements active on a date (default: the latest list), in total and per group.

    ``by`` is ``state``, ``model``, ``type`` (ICE's TYPE: county / municipal / state) or ``kind`` (sheriff,
    police, corrections, ... read from the name). An agency with agreements in two models counts once in
    the total and once in each model's group.
    """
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
    on = parse_date(on) if on else date.max
    snapshot = as_of(conn, on if on != date.max else _latest_date(conn), state)
    items = snapshot["items"]
    groups: dict[str, dict[str, set]] = defaultdict(lambda: {"agencies": set(), "agreements": set()})
    for item in items:
        key = (
            {
                "state": item["state"],
                "model": item["model"],
                "type": item["agency_type"] or "unknown",
                "kind": item["kind"],
            }.get(by)
            if by
            else None
        )
        if by:
            groups[key]["agencies"].add(item["agency_id"])
            groups[key]["agreements"].add(item["agreement_id"])
    states = {i["state"] for i in items}
    kinds = tables.states()
    rows = [{by: key, "agencies": len(v["agencies"]), "agreements": len(v["agreements"])} for key, v in groups.items()]
    rows.sort(key=lambda r: (-r["agreements"], -r["agencies"], str(r[by])))
    return {
        "date": snapshot["date"] if on != date.max else None,
        "publication": snapshot["publication"],
        "state": state,
        "by": by,
        "agencies": snapshot["agencies"],
        "agreements": snapshot["agreements"],
        "states": sum(1 for s in states if kinds[s]["kind"] in ("state", "district")),
        "territories": sum(1 for s in states if kinds[s]["kind"] == "territory"),
        "groups": rows,
    }


def _latest_date(conn: Connection) -> date:
    last = conn.execute(select(func.max(publication.c.published)).where(publication.c.kind == "participating")).scalar()
    return date.fromisoformat(last)


def per_publication(conn: Connection, *, kind: str = "participating", derived: bool = True) -> list[dict]:
    """Agencies and agreements listed by every publication of a kind (oldest first), in total and by model.

    For pending lists, "agreements" counts applications (agency + model).
    """
    found: dict[str, dict] = defaultdict(dict)
    for sha, model, agencies, agreements in conn.execute(select(publication_count)):
        found[sha][model] = {"agencies": agencies, "agreements": agreements}
    pubs = conn.execute(
        select(
            publication.c.sha256, publication.c.published, publication.c.part, publication.c.derived, publication.c.rows
        )
        .where(publication.c.kind == kind)
        .order_by(publication.c.seq)
    )
    out = []
    for p in pubs:
        if p.derived and not derived:
            continue
        models = found.get(p.sha256, {})
        total = models.pop("*", {"agencies": 0, "agreements": 0})
        out.append(
            {
                "publication": p.sha256,
                "published": p.published,
                "part": p.part,
                "derived": bool(p.derived),
                "rows": p.rows,
                **total,
                "models": models,
            }
        )
    return out


__all__ = ["GROUPINGS", "counts", "per_publication"]
