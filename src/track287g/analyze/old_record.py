"""The long record: the old lists of 2007-2020 (derived) beside ICE's lists of 2021 onwards, year by year with the
gap years as gaps, and the task-force model's record (see ``history.old_queries`` for what is counted)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from track287g.history.old_queries import TFM_NOTE, first_list_date, listed_on, old_lists
from track287g.history.queries import as_of
from track287g.store.schema import old_listing


def tfm_record(conn: Connection) -> dict:
    """Task-force agreements in the old lists and in ICE's first list of the record (2021), with what the
    sources can and cannot show."""
    lists = {s["date"]: s for s in old_lists(conn)}
    oig = next((s for d, s in sorted(lists.items()) if s["layout"] == "old-oig-2009-table"), None)
    tfm_2009 = []
    if oig:
        tfm_2009 = [i for i in listed_on(conn, oig) if "TFM" in i["model"] and i["status"] != "pending"]
    index = conn.execute(
        select(old_listing.c.moa_file, old_listing.c.signed).where(
            old_listing.c.layout == "old-ice-moa-index", old_listing.c.moa_file.like("%TFM%")
        )
    ).all()
    first = first_list_date(conn)
    tfm_2021 = None
    if first:
        tfm_2021 = sum(1 for i in as_of(conn, first)["items"] if i["model"] == "TFM")
    return {
        "oig_2009": {
            "date": oig["date"] if oig else None,
            "source": oig["source"] if oig else None,
            "tfm_agreements": len(tfm_2009),
            "task_force_only": sum(1 for i in tfm_2009 if i["model"] == "TFM"),
            "hybrid": sum(1 for i in tfm_2009 if i["model"] == "JEM+TFM"),
            "counting": "signed agreements with a task-force model (Task Force or Hybrid), one per agency",
            "derived": True,
        },
        "moa_index_tfm_files": [{"moa_file": r.moa_file, "signed": r.signed} for r in index],
        "first_list": {"date": first, "tfm_agreements": tfm_2021},
        "note": TFM_NOTE,
    }


def years(conn: Connection, start: str, end: str) -> list[dict]:
    """One row per calendar year from ``start`` to ``end``: the last list of the year (old lists marked derived)
    and its counts, or ``gap`` when no list of that year is known (never 0, never an estimate)."""
    first = first_list_date(conn)
    lists = old_lists(conn)
    out = []
    for year in range(int(start[:4]), int(end[:4]) + 1):
        in_year = [s for s in lists if s["date"][:4] == str(year) and start <= s["date"] <= end]
        day = None
        if in_year:
            day = in_year[-1]["date"]
        elif first and str(year) >= first[:4]:
            day = min(f"{year}-12-31", end)
            if day < first:
                day = None
        if day is None:
            out.append({"year": year, "gap": True, "date": None, "agencies": None, "agreements": None})
            continue
        answer = as_of(conn, day)
        out.append(
            {
                "year": year,
                "gap": False,
                "date": answer["publication"]["label"],
                "agencies": answer["agencies"],
                "agreements": answer["agreements"],
                "derived": bool(answer["publication"].get("derived")),
                "old_list": bool(answer.get("old_list")),
                "html_era": bool(answer["publication"].get("derived")) and not answer.get("old_list"),
            }
        )
    return out
