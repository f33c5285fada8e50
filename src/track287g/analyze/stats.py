"""Counts of agencies and agreements: on a date, by group, growth between dates, and over time.

Every result names the publication it comes from and counts both units: **agencies** (distinct law
enforcement bodies) and **agreements** (agency + model + signing date; an agency can hold up to three).

Public functions (stable names, used by the CLI, the Python API and the web site):

- ``counts(conn, on, by, state)``: totals and groups active on a date (ICE's latest list on or before it).
- ``filter_items(items, **filters)`` and ``measure(items)``: count a filtered snapshot both ways.
- ``top_states(conn, on, n, unit)``: states ranked by agreements or agencies.
- ``growth(conn, start, end, by, state)``: change between two dates, absolute and percent.
- ``per_publication(conn, kind)``: what every publication lists, in total and by model.
- ``timeseries(conn, every, by, since, until)``: active counts per publication, week or month.
- ``signings(conn, every, by, since, until)``: new agreements by their signing date, per week, month or year.
- ``coverage(conn)``: the first and last participating publication (the dates the record can answer for).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from track287g.history.queries import (
    Listed,
    QueryError,
    as_of,
    latest_on,
    listed_counts,
    parse_date,
    probable_signed,
)
from track287g.history.rules import load_rules
from track287g.history.state import in_history, no_history_message
from track287g.normalize import tables
from track287g.store.schema import (
    agency,
    agreement,
    publication,
    publication_count,
)

GROUPINGS = ("state", "model", "type", "kind")
UNITS = ("agencies", "agreements")
EVERY = ("publication", "week", "month")
SIGNING_EVERY = ("week", "month", "year")
FILTERS = ("state", "model", "type", "kind")


class StatsError(QueryError, ValueError):
    """A statistic asked for with a bad argument (unknown grouping, unit, period or filter)."""


def _check_by(by: str | None) -> None:
    if by is not None and by not in GROUPINGS:
        raise StatsError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")


def _key(item: dict, by: str) -> str:
    return {
        "state": item["state"],
        "model": item["model"],
        "type": item["agency_type"] or "unknown",
        "kind": item["kind"],
    }[by]


def state_kinds(states: set[str]) -> tuple[int, int]:
    """(states incl. DC, territories) among USPS codes."""
    known = tables.states()
    return (
        sum(1 for s in states if known[s]["kind"] in ("state", "district")),
        sum(1 for s in states if known[s]["kind"] == "territory"),
    )


def counts(conn: Connection, on: date | str | None = None, by: str | None = None, state: str | None = None) -> dict:
    """Agencies and agreements active on a date (default: the latest list), in total and per group.

    ``by`` is ``state``, ``model``, ``type`` (ICE's TYPE: county / municipal / state) or ``kind`` (sheriff,
    police, corrections, ... read from the name). An agency with agreements in two models counts once in
    the total and once in each model's group. Groups are sorted by agreements, then agencies (descending).
    ``states`` counts the 50 states and DC, ``territories`` the others (GU, MP, PR, ...).
    """
    _check_by(by)
    on = parse_date(on) if on else date.max
    snapshot = as_of(conn, on if on != date.max else _latest_date(conn), state)
    items = snapshot["items"]
    groups: dict[str, dict[str, set]] = defaultdict(lambda: {"agencies": set(), "agreements": set()})
    if by:
        for item in items:
            key = _key(item, by)
            groups[key]["agencies"].add(item["agency_id"])
            groups[key]["agreements"].add(item["agreement_id"])
    states, territories = state_kinds({i["state"] for i in items})
    column = by or "group"  # without ``by`` there are no groups
    rows: list[dict[str, Any]] = [
        {column: key, "agencies": len(v["agencies"]), "agreements": len(v["agreements"])} for key, v in groups.items()
    ]
    rows.sort(key=lambda r: (-r["agreements"], -r["agencies"], str(r[column])))
    return {
        "date": snapshot["date"] if on != date.max else None,
        "publication": snapshot["publication"],
        "state": state,
        "by": by,
        "agencies": snapshot["agencies"],
        "agreements": snapshot["agreements"],
        "states": states,
        "territories": territories,
        "groups": rows,
        # a date after the record's latest list: what ICE listed since is not known
        "days_after_latest_list": snapshot.get("days_after_latest_list"),
    }


def _first_date(conn: Connection) -> str | None:
    return conn.execute(
        select(func.min(publication.c.published)).where(publication.c.kind == "participating", in_history())
    ).scalar()


def _latest_date(conn: Connection) -> date:
    last = conn.execute(
        select(func.max(publication.c.published)).where(publication.c.kind == "participating", in_history())
    ).scalar()
    if last is None:
        raise QueryError(no_history_message(conn, "participating"))
    return date.fromisoformat(last)


def coverage(conn: Connection) -> dict:
    """The span the record answers for: first and last participating publication (and the first xlsx one)."""
    first, last = conn.execute(
        select(func.min(publication.c.published), func.max(publication.c.published)).where(
            publication.c.kind == "participating", in_history()
        )
    ).one()
    xlsx = conn.execute(
        select(func.min(publication.c.published)).where(
            publication.c.kind == "participating", publication.c.derived.is_(False), in_history()
        )
    ).scalar()
    return {"first": first, "last": last, "first_xlsx": xlsx}


# --- filters ------------------------------------------------------------------------------------------


def normalize_filters(filters: dict | None) -> dict[str, str]:
    """Check and normalize filters: ``state`` (USPS code or name), ``model`` (JEM/TFM/WSO or the model's
    name), ``type`` (county/municipal/state) and ``kind`` (sheriff, police, ...). Raises QueryError."""
    out: dict[str, str] = {}
    for name, value in (filters or {}).items():
        if name not in FILTERS:
            raise StatsError(f"unknown filter {name!r} (use {', '.join(FILTERS)})")
        if value is None or str(value).strip() == "":
            raise StatsError(f"filter {name!r} has no value")
        text = str(value).strip()
        if name == "state":
            upper = text.upper()
            code = upper if upper in tables.states() else tables.state_by_name().get(upper)
            if code is None:
                raise StatsError(f"unknown state {text!r} (use a USPS code such as FL or a state's name)")
            out[name] = code
        elif name == "model":
            upper = text.upper()
            names = {v.upper(): k for k, v in tables.MODEL_NAMES.items()}
            code = upper if upper in tables.MODEL_NAMES else names.get(upper)
            if code is None:
                raise StatsError(f"unknown model {text!r} (use JEM, TFM or WSO)")
            out[name] = code
        elif name == "type":
            if text.lower() not in ("county", "municipal", "state"):
                raise StatsError(f"unknown agency type {text!r} (ICE's TYPE is county, municipal or state)")
            out[name] = text.lower()
        else:
            out[name] = text.lower()
    return out


def filter_items(items: list[dict], **filters: str) -> list[dict]:
    """The agreements of a snapshot (``as_of(...)["items"]``) that pass every filter (see ``normalize_filters``)."""
    wanted = normalize_filters(filters)
    return [i for i in items if all(_key(i, k) == v for k, v in wanted.items())]


def measure(items: list[dict]) -> dict:
    """Agencies, agreements, states and territories among a list of agreement items."""
    states, territories = state_kinds({i["state"] for i in items})
    return {
        "agencies": len({i["agency_id"] for i in items}),
        "agreements": len({i["agreement_id"] for i in items}),
        "states": states,
        "territories": territories,
        "states_and_territories": states + territories,
    }


# --- ranking and growth -----------------------------------------------------------------------------------


def top_states(conn: Connection, on: date | str | None = None, n: int | None = 10, unit: str = "agreements") -> dict:
    """States ranked by ``unit`` (agreements or agencies) on a date; ties share a rank (1, 2, 2, 4)."""
    if unit not in UNITS:
        raise StatsError(f"unit must be agencies or agreements, not {unit!r}")
    result = counts(conn, on, by="state")
    other = "agencies" if unit == "agreements" else "agreements"
    rows = sorted(result["groups"], key=lambda r: (-r[unit], -r[other], r["state"]))
    ranked, rank = [], 0
    for i, row in enumerate(rows):
        if i == 0 or row[unit] != rows[i - 1][unit]:
            rank = i + 1
        ranked.append({"rank": rank, **row, "name": tables.states()[row["state"]]["name"].title()})
    result["groups"] = [r for r in ranked if n is None or r["rank"] <= n]
    result["by"] = "state"
    result["unit"] = unit
    return result


def _change(a: int, b: int) -> dict:
    return {
        "from": a,
        "to": b,
        "change": b - a,
        "percent": round((b - a) / a * 100, 1) if a else None,
    }


def growth(
    conn: Connection, start: date | str, end: date | str | None = None, by: str | None = None, state: str | None = None
) -> dict:
    """Change in agencies and agreements between two dates, absolute and percent (``percent`` is None from 0).

    Each side is ICE's latest participating list on or before its date; both publications are named.
    """
    _check_by(by)
    a = counts(conn, start, by, state)
    b = counts(conn, end, by, state)
    groups = []
    if by:
        before = {g[by]: g for g in a["groups"]}
        after = {g[by]: g for g in b["groups"]}
        zero = {"agencies": 0, "agreements": 0}
        for key in sorted(before.keys() | after.keys(), key=str):
            x, y = before.get(key, zero), after.get(key, zero)
            groups.append({by: key, **{u: _change(x[u], y[u]) for u in UNITS}})
        groups.sort(key=lambda g: (-g["agreements"]["change"], -g["agencies"]["change"], str(g[by])))
    first, start_day = _first_date(conn), a["date"] or a["publication"]["published"]
    years = []
    if first and start_day < first:  # from an old list: every year on, the gap years as gaps
        from track287g.analyze.old_record import years as by_year

        years = by_year(conn, start_day, b["date"] or b["publication"]["published"])
    return {
        "years": years,
        "from": {
            "date": a["date"] or a["publication"]["published"],
            "publication": a["publication"],
            "days_after_latest_list": a["days_after_latest_list"],
        },
        "to": {
            "date": b["date"] or b["publication"]["published"],
            "publication": b["publication"],
            "days_after_latest_list": b["days_after_latest_list"],
        },
        "state": state,
        "by": by,
        **{u: _change(a[u], b[u]) for u in (*UNITS, "states", "territories")},
        "groups": groups,
    }


# --- per publication and over time --------------------------------------------------------------------


def per_publication(conn: Connection, *, kind: str = "participating", derived: bool = True) -> list[dict]:
    """Agencies and agreements listed by every publication of a kind (oldest first), in total and by model.

    A pending list's counts are "agencies" and "applications" (agency + model): it lists no agreement.
    """
    found: dict[str, dict] = defaultdict(dict)
    for sha, model, agencies, agreements in conn.execute(
        select(
            publication_count.c.sha256,
            publication_count.c.model,
            publication_count.c.agencies,
            publication_count.c.agreements,
        )
    ):
        found[sha][model] = {"agencies": agencies, "agreements": agreements}
    what = "agreements" if kind == "participating" else "applications"
    pubs = conn.execute(
        select(
            publication.c.sha256, publication.c.published, publication.c.part, publication.c.derived, publication.c.rows
        )
        .where(publication.c.kind == kind, in_history())
        .order_by(publication.c.seq)
    )
    out = []
    for p in pubs:
        if p.derived and not derived:
            continue
        models = found.get(p.sha256, {})
        if what != "agreements":
            models = {m: {"agencies": c["agencies"], what: c["agreements"]} for m, c in models.items()}
        total = models.pop("*", {"agencies": 0, what: 0})
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


def active_by_publication(
    conn: Connection, by: str | None = None, filters: dict | None = None, lists: list | None = None
) -> dict[str, dict]:
    """Per participating publication (sha256): agencies and agreements it lists, optionally per group and
    filtered (see ``normalize_filters``). Values: ``{group or None: {"agencies", "agreements", "states"}}``,
    where ``states`` is the set of USPS codes. Counted as each list printed it: the holder (and its state) of
    that list's row, its TYPE as printed on the row. ``lists``: ``history.queries.participating_lists`` read
    once for several questions."""
    _check_by(by)
    wanted = normalize_filters(filters)

    def group(row: Listed) -> tuple | None:
        values = {"state": row.state, "model": row.model, "type": row.agency_type, "kind": row.kind}
        if any(values[name] != value for name, value in wanted.items()):
            return None
        return (values[by] if by is not None else None, row.state)

    out: dict[str, dict] = defaultdict(dict)
    for sha, counts in listed_counts(conn, group, lists):
        for (key, state), (agreements, agencies) in counts.items():
            cell = out[sha].setdefault(key, {"agencies": 0, "agreements": 0, "states": set()})
            # agreements and agencies belong to one state each, so per-state counts add up without double counting
            cell["agreements"] += agreements
            cell["agencies"] += agencies
            cell["states"].add(state)
    return out


def participating_publications(conn: Connection, derived: bool = True) -> list[dict]:
    """Participating publications, oldest first: sha256, published, part, derived."""
    query = (
        select(publication.c.sha256, publication.c.published, publication.c.part, publication.c.derived)
        .where(publication.c.kind == "participating", in_history())
        .order_by(publication.c.seq)
    )
    return [
        {"sha256": p.sha256, "published": p.published, "part": p.part, "derived": bool(p.derived)}
        for p in conn.execute(query)
        if derived or not p.derived
    ]


def _period(day: date, every: str) -> tuple[str, date, date]:
    """(label, first day, last day) of the week (ISO, Monday first), month or year holding ``day``."""
    if every == "week":
        start = day - timedelta(days=day.weekday())
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}", start, start + timedelta(days=6)
    if every == "month":
        start = day.replace(day=1)
        nxt = (start + timedelta(days=32)).replace(day=1)
        return f"{day:%Y-%m}", start, nxt - timedelta(days=1)
    start = day.replace(month=1, day=1)
    return f"{day.year}", start, day.replace(month=12, day=31)


def _periods(first: date, last: date, every: str) -> list[tuple[str, date, date]]:
    out, day = [], first
    while day <= last:
        out.append(_period(day, every))
        day = out[-1][2] + timedelta(days=1)
    return out


def timeseries(
    conn: Connection,
    every: str = "publication",
    by: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    derived: bool = True,
) -> list[dict]:
    """Agencies and agreements active over time, oldest first.

    ``every="publication"``: one row per participating publication. ``"week"`` (ISO, Monday to Sunday) or
    ``"month"``: one row per period, counted on ICE's latest list published on or before the period's last
    day (carried forward through periods without a new list; ``published`` says which list; none after the
    period of the record's latest list, whatever ``until``: the record does not know them). With ``by``,
    one row per period and group. ``derived=False`` leaves out the HTML-era tables (2021-2025, extracted by a
    third party). Every row names its publication (``publication`` sha256, ``published`` date and part).
    """
    if every not in EVERY:
        raise StatsError(f"every must be one of {', '.join(EVERY)}, not {every!r}")
    _check_by(by)
    pubs = participating_publications(conn, derived)
    if not pubs:
        return []
    found = active_by_publication(conn, by)
    since_d = parse_date(since) if since else None
    until_d = parse_date(until) if until else None

    def rows_for(pub: dict, extra: dict) -> list[dict]:
        base = {
            **extra,
            "publication": pub["sha256"],
            "published": f"{pub['published']} {pub['part']}".strip(),
            "derived": pub["derived"],
        }
        cells = found.get(pub["sha256"], {})
        if by is None:
            cell = cells.get(None, {"agencies": 0, "agreements": 0})
            return [{**base, "agencies": cell["agencies"], "agreements": cell["agreements"]}]
        return [
            {**base, by: key, "agencies": cell["agencies"], "agreements": cell["agreements"]}
            for key, cell in sorted(cells.items(), key=lambda kv: (-kv[1]["agreements"], str(kv[0])))
        ]

    out: list[dict] = []
    if every == "publication":
        for pub in pubs:
            day = date.fromisoformat(pub["published"])
            if (since_d and day < since_d) or (until_d and day > until_d):
                continue
            out.extend(rows_for(pub, {"date": pub["published"]}))
        return out
    first = since_d or date.fromisoformat(pubs[0]["published"])
    last = min(until_d or date.max, date.fromisoformat(pubs[-1]["published"]))
    for label, start, end in _periods(first, last, every):
        in_force = [p for p in pubs if p["published"] <= end.isoformat()]
        if not in_force:
            continue
        extra: dict[str, Any] = {"period": label, "start": start.isoformat(), "end": end.isoformat()}
        extra["new_lists"] = sum(1 for p in in_force if p["published"] >= start.isoformat())
        out.extend(rows_for(in_force[-1], extra))
    return out


def signings(
    conn: Connection,
    every: str = "week",
    by: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
) -> dict:
    """New agreements per week, month or year by their signing date (ICE's SIGNED column, after re-dating;
    the probable date where ICE's is a year typo, ``agreement.signed_probable``).

    Counts every agreement any participating publication listed (active, removed or superseded) and the
    distinct agencies that signed in the period; periods with no signing are rows of zeros, up to the later of
    the last signing and the record's latest list (after it nothing is known: no rows). A period ending within
    ``listing_lag_days`` (``data/rules.yaml``) before the latest list ``may_grow``: ICE lists an agreement days
    to weeks after its signing. The result names the latest publication the record includes, how many
    agreements have no valid signing date, and those counted at their probable date (``probable``).
    """
    if every not in SIGNING_EVERY:
        raise StatsError(f"every must be one of {', '.join(SIGNING_EVERY)}, not {every!r}")
    _check_by(by)
    group = {
        None: None,
        "state": agreement.c.state,
        "model": agreement.c.model,
        "type": func.coalesce(agency.c.agency_type, "unknown"),
        "kind": agency.c.kind,
    }[by]
    probable = probable_signed(conn)  # each agreement by the date it was signed: ICE's, or the one ICE meant
    columns: list[Any] = [
        agreement.c.agreement_id,
        agreement.c.agency_id,
        func.coalesce(probable, agreement.c.signed).label("signed"),
        agreement.c.signed.label("printed"),
        probable.label("probable"),
    ]
    if group is not None:
        columns.append(group.label("grp"))
    rows = list(conn.execute(select(*columns).join(agency, agency.c.agency_id == agreement.c.agency_id)))
    typos = [
        {"agreement_id": r.agreement_id, "signed": r.printed, "signed_probable": r.probable} for r in rows if r.probable
    ]
    undated = sum(1 for r in rows if not r.signed)
    dated = [r for r in rows if r.signed]
    since_d = parse_date(since) if since else None
    until_d = parse_date(until) if until else None
    if since_d:
        dated = [r for r in dated if r.signed >= since_d.isoformat()]
    if until_d:
        dated = [r for r in dated if r.signed <= until_d.isoformat()]
    buckets: dict[tuple, dict[str, set]] = defaultdict(lambda: {"agencies": set(), "agreements": set()})
    keys: set = set()
    for r in dated:
        label = _period(date.fromisoformat(r.signed), every)[0]
        key = r.grp if group is not None else None
        keys.add(key)
        buckets[(label, key)]["agencies"].add(r.agency_id)
        buckets[(label, key)]["agreements"].add(r.agreement_id)
    latest = latest_on(conn, "participating", _latest_date(conn))
    known = date.fromisoformat(latest["published"]) if latest else date.max  # the record's latest list
    lag = load_rules().listing_lag_days
    settled = known - timedelta(days=lag) if latest else date.max  # signings through it are all listed, nearly
    out = []
    if dated:
        first = since_d or date.fromisoformat(min(r.signed for r in dated))
        newest = date.fromisoformat(max(r.signed for r in dated))
        last = min(until_d, max(newest, known)) if until_d else newest  # no rows of zeros after the record
        for label, start, end in _periods(first, last, every):
            for key in sorted(keys, key=str):
                cell = buckets.get((label, key), {"agencies": set(), "agreements": set()})
                row = {"period": label, "start": start.isoformat(), "end": end.isoformat()}
                if by:
                    row[by] = key
                out.append(
                    {
                        **row,
                        "agencies": len(cell["agencies"]),
                        "agreements": len(cell["agreements"]),
                        "may_grow": end > settled,
                    }
                )
    return {
        "every": every,
        "by": by,
        "publication": latest,
        "listing_lag_days": lag,
        "undated": undated,
        "probable": sorted(typos, key=lambda p: p["agreement_id"]),
        "rows": out,
    }


def publication_label(pub: dict) -> str:
    """``participating list published 2026-01-26 pm (sha256 59091249c91a)``, with the HTML-era caveat."""
    label = f"{pub['kind']} list published {pub['label']} (sha256 {pub['sha256'][:12]})"
    if pub.get("derived"):
        label += ", an HTML-era table extracted by a third party"
    return label


__all__ = [
    "EVERY",
    "FILTERS",
    "GROUPINGS",
    "SIGNING_EVERY",
    "UNITS",
    "StatsError",
    "active_by_publication",
    "counts",
    "coverage",
    "filter_items",
    "growth",
    "measure",
    "normalize_filters",
    "participating_publications",
    "per_publication",
    "publication_label",
    "signings",
    "state_kinds",
    "timeseries",
    "top_states",
]
