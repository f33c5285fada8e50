"""State law beside the record: did agreements grow where the law requires 287(g)?

Method (``law_effect``): for each state of a stance (default ``mandate``), the law's date is its
``effective_date`` or, when the table has none, 1 January of its ``year`` (said as such: ``date_basis``).
"Before" counts the agreements and agencies in the state on ICE's last participating list published before that
date; "after" on the latest list (or the last list on or before ``on``). The national counts on the same two
lists give the state's share of the national change. A law dated before the archive's first list has no
"before"; one dated after the latest list has no "after": each says so instead of counting 0.

``by_stance`` adds up agreements per stance at two dates (the start of 2025 and now, on the web site).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection

from track287g.analyze.stats import publication_label
from track287g.enrich import STANCES, state_laws
from track287g.history.queries import QueryError, as_of, latest_on


def _side(conn: Connection, on: date, state: str) -> dict | None:
    try:
        snap = as_of(conn, on, state)
        nation = as_of(conn, on, items=False)  # the nation's count only: the list's stored counts
    except QueryError:
        return None
    pub = snap["publication"]
    return {
        "publication": publication_label(pub),
        "published": pub["published"],
        "derived": bool(pub.get("derived")),
        "agreements": snap["agreements"],
        "agencies": snap["agencies"],
        "national_agreements": nation["agreements"],
    }


def law_date(law: dict) -> tuple[str | None, str]:
    """The date a law is taken to start, and on what basis."""
    if law.get("effective_date"):
        return law["effective_date"], "effective date"
    if law.get("year"):
        return f"{law['year']}-01-01", "year only (1 January; the table has no effective date)"
    return None, "no date in the table"


def law_effect(conn: Connection, stance: str = "mandate", on: date | str | None = None) -> dict:
    """Agreements in each state of a ``stance`` before and after its law's date (see the module's method)."""
    latest = latest_on(conn, "participating", date.fromisoformat(str(on)) if on else date.max)
    if latest is None:
        raise QueryError("no participating list in the archive")
    end = date.fromisoformat(latest["published"][:10])
    rows = []
    for law in state_laws(conn, stance):
        start, basis = law_date(law)
        row: dict = {
            "state": law["state"],
            "stance": law["stance"],
            "confidence": law["confidence"],
            "instrument": law["instrument"],
            "law_date": start,
            "date_basis": basis,
            "before": None,
            "after": None,
            "change": None,
            "share_of_national_change": None,
            "note": "",
        }
        if start is None:
            row["note"] = "no date: not computed"
            rows.append(row)
            continue
        day = date.fromisoformat(start)
        row["before"] = _side(conn, min(day - timedelta(days=1), end), law["state"])  # never past ``on``
        if row["before"] is None:
            row["note"] = "the law predates the archive's first list"
        if day > end:
            row["note"] = f"not yet in effect on the list of {latest['published'][:10]}"
        else:
            row["after"] = _side(conn, end, law["state"])
        if row["before"] and row["after"]:
            b, a = row["before"], row["after"]
            row["change"] = a["agreements"] - b["agreements"]
            national = a["national_agreements"] - b["national_agreements"]
            row["share_of_national_change"] = round(row["change"] / national, 3) if national else None
        rows.append(row)
    return {"stance": stance, "latest": publication_label(latest), "states": rows}


def flat(rows: list[dict]) -> list[dict]:
    """``law_effect`` rows with ``before`` and ``after`` spread into ``before_*`` and ``after_*`` columns."""
    out = []
    for r in rows:
        row = {k: v for k, v in r.items() if k not in ("before", "after")}
        for side in ("before", "after"):
            row |= {f"{side}_{k}": v for k, v in (r[side] or {}).items()}
        out.append(row)
    return out


def by_stance(laws: list[dict], counts: dict[str, tuple[int, int]]) -> list[dict]:
    """Agreements per stance at two dates, from per-state ``(then, now)`` counts; states without a row are
    ``not-researched``. Each stance lists its states and its share of the national change."""
    stance_of = {law["state"]: law["stance"] for law in laws}
    groups: dict[str, dict] = {
        s: {"stance": s, "states": [], "then": 0, "now": 0} for s in (*STANCES, "not-researched")
    }
    for code, (then, now) in counts.items():
        group = groups[stance_of.get(code, "not-researched")]
        group["then"] += then
        group["now"] += now
        if code in stance_of:
            group["states"].append(code)
    total = sum(n for _, n in counts.values()) - sum(t for t, _ in counts.values())
    out = []
    for g in groups.values():
        g["change"] = g["now"] - g["then"]
        g["share_of_change"] = round(g["change"] / total, 3) if total else None
        g["states"].sort()
        out.append(g)
    return out
