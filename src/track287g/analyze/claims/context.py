"""Claims about the program's history and about state law, checked with what the sources can and cannot show.

    - id: task-force-model-ended
      kind: history
      quote: "The “task force” model was discontinued by the Obama administration in 2012"
      date: 2026-01-26
      history: {model: TFM, ended: 2012}

    - id: florida-requires-participation
      kind: law
      quote: "..."
      date: 2026-01-26
      law: {state: FL, stance: mandate}

History: the task-force agreements of the DHS OIG's 2009 table (a derived old list) against ICE's first list of
the record (2021) and every list since. **consistent** when 2009 has task-force agreements and 2021's first list
none: the lists cannot date the end (no list survives for 2010-2020) nor give its reason, and the verdict says
so; **differs** when the first list of 2021 still lists one, or 2009 lists none.

Law: the ``state_law`` row's stance against the claimed one (**matches** / **differs**; a state not researched
is an error), with the instrument, year, effective date and confidence, beside the county sheriffs' coverage on
ICE's list in force on the claim's date (the latest when it has none): how many of the state's counties have their
sheriff's office holding an agreement.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, select, text

from track287g.analyze.claims.counts import Claim, ClaimError
from track287g.analyze.old_record import tfm_record
from track287g.enrich import STANCES, state_law_row
from track287g.enrich.counties import gazetteer
from track287g.history.queries import QueryError, as_of, latest_on
from track287g.messages import message
from track287g.normalize import tables
from track287g.store.schema import agreement, publication

MODELS = ("TFM",)


def check(conn: Connection, claim: Claim) -> dict[str, Any]:
    """One result row for a history or law claim: ``verdict``, ``record`` (a message), ``evidence``."""
    if claim.kind == "history":
        return _history(conn, claim.spec.get("history"))
    return _law(conn, claim.spec.get("law"), claim.on)


def _history(conn: Connection, spec: object) -> dict[str, Any]:
    spec = spec if isinstance(spec, dict) else {}
    model, ended = str(spec.get("model") or ""), spec.get("ended")
    if model not in MODELS or not isinstance(ended, int):
        raise ClaimError(f"history needs a model ({', '.join(MODELS)}) and the year it ended (ended: 2012)")
    record = tfm_record(conn)
    oig, first = record["oig_2009"], record["first_list"]
    if oig["date"] is None or first["date"] is None:
        raise ClaimError("the record lacks the 2009 OIG table or ICE's lists of 2021 onwards: run ingest")
    back = conn.execute(
        select(agreement.c.first_listed, publication.c.published)
        .join(publication, publication.c.sha256 == agreement.c.first_sha256)
        .where(agreement.c.model == model)
        .order_by(agreement.c.first_listed)
        .limit(1)
    ).first()
    latest = as_of(conn, _latest(conn))
    on_latest = sum(1 for i in latest["items"] if i["model"] == model)
    holds = oig["tfm_agreements"] > 0 and first["tfm_agreements"] == 0
    text_ = message(
        "claims.history.tfm",
        year=ended,
        oig_date=oig["date"],
        tfm=oig["tfm_agreements"],
        task_force=oig["task_force_only"],
        hybrid=oig["hybrid"],
        first_date=first["date"],
        first_tfm=first["tfm_agreements"],
        back_date=back.first_listed if back else None,
        latest_list=latest["publication"]["label"],
        latest_tfm=on_latest,
    )
    return {
        "verdict": "consistent" if holds else "differs",
        "record": text_,
        "limits": message("claims.history.limits", year=ended),
        "evidence": {
            "oig_2009": oig,
            "first_list": first,
            "model_back": {"first_listed": back.first_listed if back else None},
            "latest": {"published": latest["publication"]["label"], "tfm_agreements": on_latest},
            "moa_index_tfm_files": len(record["moa_index_tfm_files"]),
            "note": record["note"],
        },
    }


def _law(conn: Connection, spec: object, on: date | None) -> dict[str, Any]:
    spec = spec if isinstance(spec, dict) else {}
    state, stance = str(spec.get("state") or "").upper(), str(spec.get("stance") or "")
    if state not in tables.states():
        raise ClaimError(f"unknown state {spec.get('state')!r} (use a USPS code such as FL)")
    if stance not in STANCES:
        raise ClaimError(f"stance must be one of {', '.join(STANCES)}, not {stance!r}")
    try:
        row = state_law_row(conn, state)
    except QueryError as exc:
        raise ClaimError(str(exc)) from None
    if row is None:
        raise ClaimError(f"{state} is not in the state-law table (not researched): nothing to check it against")
    sheriffs = sheriff_coverage(conn, state, on)
    law = {k: row[k] for k in ("stance", "instrument", "year", "effective_date", "summary", "source_url", "confidence")}
    return {
        "verdict": "matches" if row["stance"] == stance else "differs",
        "expect": stance,
        "record": message(
            "claims.law.stance",
            state=state,
            stance=row["stance"],
            year=row["year"],
            effective_date=row["effective_date"],
            confidence=row["confidence"],
        ),
        "coverage": message(
            "claims.law.sheriffs", state=state, list_label=sheriffs["published"], **{k: sheriffs[k] for k in _COVER}
        ),
        "evidence": {"law": law, "sheriffs": sheriffs},
    }


def _latest(conn: Connection) -> str:
    pub = latest_on(conn, "participating", date.max)
    if pub is None:
        raise ClaimError("no participating list in the archive")
    return pub["published"][:10]


_COVER = ("covered", "counties", "sheriffs", "unplaced")


def sheriff_coverage(conn: Connection, state: str, on: date | None = None) -> dict[str, Any]:
    """The state's counties whose sheriff's office holds an agreement on ICE's participating list in force on
    ``on`` (None: the latest): a sheriff counts in the counties the enrich stage placed it in; one left unplaced
    counts in none (``unplaced``)."""
    counties = gazetteer().by_state.get(state, [])
    snap = as_of(conn, on.isoformat() if on else _latest(conn), state)
    ids = sorted({i["agency_id"] for i in snap["items"] if i.get("kind") == "sheriff"})
    placed: dict[str, set[str]] = {}
    if ids:
        query = text("SELECT agency_id, fips FROM agency_county WHERE agency_id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
        for agency_id, fips in conn.execute(query, {"ids": ids}):
            placed.setdefault(agency_id, set()).add(fips)
    covered = {f for fips in placed.values() for f in fips} & {c.fips for c in counties}
    return {
        "publication": snap["publication"]["sha256"],
        "published": snap["publication"]["label"],
        "derived": bool(snap["publication"].get("derived")),
        "counties": len(counties),
        "covered": len(covered),
        "sheriffs": len(ids),
        "unplaced": len([i for i in ids if i not in placed]),
        "without": sorted(c.name for c in counties if c.fips not in covered),
    }
