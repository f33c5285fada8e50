"""QA invariants of the history, checked on every rebuild (a failure fails the build) and by the tests.

1. Each listing row maps to exactly one agreement (participating) or application (pending).
2. The agreements active at the end are exactly those of the latest participating publication's rows.
3. For every publication, the events that add an entry minus those that remove one equal the net change.
4. No agreement is both active and removed: an active agreement's last membership event adds it.
5. No publication lists one agreement under two bodies: the rows of one agreement in one list name one body
   (one matching key, or keys a ``same_body`` rule makes one, whatever the state) — a wrong merge would show as
   two agencies' rows collapsing into one agreement.
6. Every removal and withdrawal carries its evidence, and the audit leaves no candidate continuation of one
   unexplained (``history.audit``).
(Stable ids across rebuilds of the same archive are checked by the tests.)
"""

from __future__ import annotations

from track287g.errors import Track287gError
from track287g.history.model import MINUS, PLUS, History, spelled


def _collapsed_rows(history: History) -> list[str]:
    rows, agreement_of = history.rows, history.row_agreement
    body_of = history.resolution.body_of
    body = {rid: body_of.get(spelled(rows[rid]), "") for rid in agreement_of}
    found: list[str] = []
    for pub in history.participating:
        names: dict[str, str] = {}
        clash: dict[str, set[str]] = {}
        for rid in {rid for _, rid in pub.listings if rid in agreement_of}:
            agreement_id, key = agreement_of[rid], body[rid]
            if names.setdefault(agreement_id, key) != key:
                clash.setdefault(agreement_id, {names[agreement_id]}).add(key)
        found.extend(
            f"the list of {pub.label} prints {agreement_id} under {len(keys)} agencies' names "
            f"({'; '.join(sorted(keys))})"
            for agreement_id, keys in clash.items()
        )
    return found


def _audit(history: History) -> list[str]:
    problems = []
    for item in history.audit:
        if "evidence" not in item.event.detail:
            problems.append(f"{item.subject} ({item.kind} in {item.first_absent}) carries no evidence")
        for hit in item.unexplained:
            problems.append(
                f"the {item.kind} of {item.subject} in the list of {item.first_absent} has an unexplained "
                f"continuation: {hit.line()}"
            )
    return problems


class QAError(Track287gError):
    """A history invariant failed: the rebuild is refused."""


def check(history: History) -> None:
    problems: list[str] = []
    unmapped = sum(1 for p in history.participating for _, rid in p.listings if rid not in history.row_agreement)
    unmapped += sum(
        1 for p in history.pending_pubs for n, _ in p.listings if (p.pub_id, n) not in history.listing_application
    )
    unresolved = len(history.unresolved)
    if unmapped != unresolved:
        problems.append(f"{unmapped - unresolved} listing rows map to no agreement or application")
    if unresolved:
        problems.append(f"{unresolved} listing rows have no state or agency")
    if history.participating:
        latest = history.participating[-1]
        listed = {history.row_agreement[rid] for _, rid in latest.listings if rid in history.row_agreement}
        active = {a.agreement_id for a in history.agreements.values() if a.status == "active"}
        if not latest.suspect and listed != active:
            problems.append(f"active agreements ({len(active)}) differ from the latest publication's ({len(listed)})")
    for sha, c in history.checks.items():
        if not c["suspect"] and c["added"] - c["removed"] != c["net"]:
            problems.append(f"publication {sha[:12]}: +{c['added']} -{c['removed']} but net change {c['net']}")
    last_event: dict[str, str] = {}
    for e in history.events:
        if e.agreement_id and e.type in PLUS + MINUS:
            last_event[e.agreement_id] = e.type
    for a in history.agreements.values():
        if a.status == "active" and last_event.get(a.agreement_id) in MINUS:
            problems.append(f"{a.agreement_id} is active but its last event is {last_event[a.agreement_id]}")
        if a.status != "active" and last_event.get(a.agreement_id) in PLUS:
            problems.append(f"{a.agreement_id} is {a.status} but its last event is {last_event[a.agreement_id]}")
    problems.extend(_collapsed_rows(history))
    problems.extend(_audit(history))
    if problems:
        raise QAError(
            "history QA failed: "
            + "; ".join(problems[:10])
            + (f" (+{len(problems) - 10} more)" if len(problems) > 10 else "")
        )
