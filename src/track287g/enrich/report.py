"""The match report: how many agencies have an ORI, by kind, by ICE's TYPE and by state; who has none and why.

Rates are for the agencies on one publication (default: the latest participating list), or for every agency
ever listed (``scope="all"``). ``write_review`` writes the undecided candidates to a CSV for a person to settle
in ``data/enrich/manual_matches.csv``.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from track287g.enrich.records import agreements_on, publication_as_of
from track287g.enrich.reference import InputError, read_rows
from track287g.messages import message
from track287g.resolve.aliases import loose

REVIEW_COLUMNS = (
    "state",
    "agency",
    "agency_id",
    "kind",
    "rank",
    "candidate_ori",
    "candidate_name",
    "score",
    "county",
    "reason",
)


def _rate(matched: int, total: int) -> float | None:
    return round(matched / total, 4) if total else None


def match_report(conn: Connection, scope: str = "latest", as_of: str | None = None) -> dict[str, Any]:
    """Match rates and the unmatched agencies (``scope``: latest | all)."""
    rows = conn.execute(
        text("SELECT agency_id, state, name, kind, agency_type, ori, method, score, note FROM agency_match")
    ).all()
    pub = publication_as_of(conn, as_of) if scope == "latest" else None
    if scope == "latest":
        listed = {r.agency_id for r in agreements_on(conn, pub)} if pub else set()
        rows = [r for r in rows if r.agency_id in listed]
    groups: dict[str, dict[str, list[int]]] = {"kind": {}, "agency_type": {}, "state": {}, "method": {}}
    for r in rows:
        for key, value in (("kind", r.kind), ("agency_type", r.agency_type or "none"), ("state", r.state)):
            counts = groups[key].setdefault(value, [0, 0])
            counts[0] += 1
            counts[1] += r.ori is not None
        groups["method"].setdefault(r.method, [0, 0])[0] += 1
    candidates: dict[str, list[dict]] = defaultdict(list)
    for c in conn.execute(text("SELECT * FROM match_review ORDER BY agency_id, rank")).mappings():
        candidates[c["agency_id"]].append(
            {"ori": c["ori"], "name": c["roster_name"], "score": c["score"], "county": c["county"]}
        )
    matched = sum(r.ori is not None for r in rows)
    info = conn.execute(text("SELECT value FROM build_info WHERE key = 'enrich'")).scalar()
    return {
        "scope": scope,
        "publication": {"sha256": pub.sha256, "published": pub.published, "part": pub.part} if pub else None,
        "agencies": len(rows),
        "matched": matched,
        "rate": _rate(matched, len(rows)),
        "by_kind": _table(groups["kind"]),
        "by_type": _table(groups["agency_type"]),
        "by_state": _table(groups["state"]),
        "methods": {k: v[0] for k, v in sorted(groups["method"].items())},
        "unmatched": [
            {
                "agency_id": r.agency_id,
                "state": r.state,
                "name": r.name,
                "kind": r.kind,
                "method": r.method,
                "note": r.note,
                "candidates": candidates.get(r.agency_id, []),
            }
            for r in sorted(rows, key=lambda r: (r.state, r.name))
            if r.ori is None
        ],
        "unmatched_by_kind": _why_unmatched(rows),
        "enrich": json.loads(info) if info else None,
    }


REASONS = {
    "constable": "unmatched.constable",
    "corrections": "unmatched.corrections",
    "prosecutor": "unmatched.prosecutor",
    "military": "unmatched.military",
    "county-government": "unmatched.county-government",
    "state-police": "unmatched.state",
    "state-investigation": "unmatched.state",
    "state-other": "unmatched.state",
    "police": "unmatched.local",
    "marshal": "unmatched.local",
    "sheriff": "unmatched.sheriff",
}


def _why_unmatched(rows) -> dict[str, dict[str, Any]]:
    """Per kind, the agencies left without an ORI and why agencies of that kind stay unmatched."""
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        if r.ori is None:
            counts[r.kind] += 1
    return {
        kind: {"unmatched": n, "why": message(REASONS.get(kind, "unmatched.other"))}
        for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    }


def _table(counts: dict[str, list[int]]) -> dict[str, dict[str, Any]]:
    return {
        k: {"agencies": total, "matched": matched, "rate": _rate(matched, total)}
        for k, (total, matched) in sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    }


def write_review(conn: Connection, path: Path) -> int:
    """Write every undecided candidate (method ``review``) to ``path`` as CSV; returns the number of rows."""
    rows = conn.execute(
        text(
            """
            SELECT m.state, m.name, m.agency_id, m.kind, v.rank, v.ori, v.roster_name, v.score, v.county, v.reason
            FROM match_review v JOIN agency_match m ON m.agency_id = v.agency_id
            ORDER BY m.state, m.name, v.rank
            """
        )
    ).all()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(REVIEW_COLUMNS)
        writer.writerows(tuple(r) for r in rows)
    return len(rows)


SAMPLE_COLUMNS = ("state", "agency", "expected_ori", "how_verified")


def check_sample(conn: Connection, path: Path) -> dict[str, Any]:
    """Score the matches against a hand-verified sample (CSV: state, agency, expected_ori or "no match",
    how_verified, optionally set): per set, ``right`` (the verified ORI, or rightly none), ``wrong`` (an ORI
    that is not the verified one) and ``missed`` (no ORI where the sample has one), each with its agencies."""
    index: dict[tuple[str, str], str] = {}
    for agency_id, state, spelling in conn.execute(
        text("SELECT s.agency_id, a.state, s.spelling FROM agency_spelling s JOIN agency a USING (agency_id)")
    ):
        index.setdefault((state, loose(spelling)), agency_id)
    found: dict[str, str | None] = {
        r.agency_id: r.ori for r in conn.execute(text("SELECT agency_id, ori FROM agency_match"))
    }
    sets: dict[str, dict[str, Any]] = {}
    for line, row in read_rows(path, SAMPLE_COLUMNS):
        agency_id = index.get((row["state"].upper(), loose(row["agency"])))
        if agency_id is None:
            raise InputError(f"{path}: line {line}: no agency {row['agency']!r} in {row['state']}")
        expected = None if row["expected_ori"].lower() in ("no match", "none", "") else row["expected_ori"]
        got = found.get(agency_id)
        tally = sets.setdefault(
            row.get("set") or "sample",
            {"agencies": 0, "right": 0, "right_ori": 0, "right_none": 0, "wrong": [], "missed": []},
        )
        tally["agencies"] += 1
        item = {"state": row["state"], "agency": row["agency"], "expected": expected, "got": got}
        if got == expected:
            tally["right"] += 1
            tally["right_ori" if expected else "right_none"] += 1
        elif got is None:
            tally["missed"].append(item)
        else:
            tally["wrong"].append(item)
    return sets
