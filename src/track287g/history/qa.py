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

``problems(history)`` lists what failed, each naming its invariant and, where one is to blame, the publication
and its sheet rows (the history then holds that publication: see ``track287g.history``); ``check`` raises.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import itemgetter

from track287g.errors import Track287gError
from track287g.history.load import distinct_rows, steps
from track287g.history.model import MINUS, PLUS, History, spelled


@dataclass(frozen=True)
class Problem:
    """One failed invariant: a line for people, and the publication (sha256) and rows to blame, if any."""

    invariant: str
    message: str
    sha256: str | None = None
    rows: tuple[int, ...] = field(default=())


def _collapsed_rows(history: History) -> list[Problem]:
    rows, agreement_of = history.rows, history.row_agreement
    body_of = history.resolution.body_of
    body = {rid: body_of.get(spelled(rows[rid]), "") for rid in agreement_of}
    bodies: dict[str, set[str]] = defaultdict(set)  # agreement -> the agencies its rows name, in any list
    for rid, agreement_id in agreement_of.items():
        bodies[agreement_id].add(body[rid])
    # only an agreement whose rows name two agencies somewhere can name two in one list: only its rows are read
    torn = {rid for rid, agreement_id in agreement_of.items() if len(bodies[agreement_id]) > 1}
    found: list[Problem] = []
    # agreement -> each agency its torn rows on the list read last name -> how many such rows, kept from each
    # list's difference
    named: dict[str, Counter] = defaultdict(Counter)
    clash: dict[str, set[str]] = {}  # agreement -> the agencies its rows in that list name, when two or more
    for _, pub in steps(history.participating) if torn else ():
        went, came = torn.intersection(pub.went), torn.intersection(pub.came)
        for rid in went:
            names = named[agreement_of[rid]]
            names[body[rid]] -= 1
            if not names[body[rid]]:
                del names[body[rid]]
        for rid in came:
            named[agreement_of[rid]][body[rid]] += 1
        for agreement_id in {agreement_of[rid] for rid in went | came}:
            if len(named[agreement_id]) > 1:
                clash[agreement_id] = set(named[agreement_id])
            else:
                clash.pop(agreement_id, None)
        for agreement_id, keys in sorted(clash.items()):
            numbers = tuple(n for n, rid in pub.listings if agreement_of.get(rid) == agreement_id)
            found.append(
                Problem(
                    "one-agreement-one-agency",
                    f"the list of {pub.label} prints {agreement_id} under {len(keys)} agencies' names "
                    f"({'; '.join(sorted(keys))})",
                    pub.sha256,
                    numbers,
                )
            )
    return found


def _audit(history: History) -> list[Problem]:
    found = []
    for item in history.audit:
        if "evidence" not in item.event.detail:
            found.append(
                Problem(
                    "changes-have-evidence", f"{item.subject} ({item.kind} in {item.first_absent}) carries no evidence"
                )
            )
        for hit in item.unexplained:
            found.append(
                Problem(
                    "changes-have-evidence",
                    f"the {item.kind} of {item.subject} in the list of {item.first_absent} has an unexplained "
                    f"continuation: {hit.line()}",
                )
            )
    return found


class QAError(Track287gError):
    """A history invariant failed: the history is not replaced."""

    exit_code = 4

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


def describe(problems: list[Problem], limit: int = 10) -> str:
    """The problems as one line: invariant, what broke it and the sheet rows."""
    lines = []
    for p in problems[:limit]:
        where = f" (rows {', '.join(map(str, p.rows[:8]))}{' ...' if len(p.rows) > 8 else ''})" if p.rows else ""
        lines.append(f"[{p.invariant}] {p.message}{where}")
    more = f" (+{len(problems) - limit} more)" if len(problems) > limit else ""
    return "; ".join(lines) + more


def _unmapped_listings(history: History) -> int:
    """How many listings of the pending lists map to no application. The map's keys are listings of these lists,
    so a list printing no row number twice has as many unmapped as its listings less its keys there (counted
    without a lookup a listing); a list printing one twice is read listing by listing."""
    mapped = Counter(map(itemgetter(0), history.listing_application))  # list -> its listings in the map
    unmapped = 0
    for p in history.pending_pubs:
        numbers = p.numbers
        if len(set(numbers)) == len(numbers):
            unmapped += len(numbers) - mapped[p.pub_id]
        else:
            unmapped += sum(1 for n in numbers if (p.pub_id, n) not in history.listing_application)
    return unmapped


def problems(history: History) -> list[Problem]:
    """Every failed invariant of a built history (empty when it passes)."""
    found: list[Problem] = []
    printed = distinct_rows(history.participating)
    unmapped_rows = printed.difference(history.row_agreement)  # distinct rows of no agreement (usually none)
    unmapped = 0
    if unmapped_rows:
        unmapped = sum(1 for p in history.participating for _, rid in p.listings if rid in unmapped_rows)
    unmapped += _unmapped_listings(history)
    unresolved = len(history.unresolved)
    if unmapped != unresolved:
        found.append(
            Problem("row-maps-to-one", f"{unmapped - unresolved} listing rows map to no agreement or application")
        )
    if unresolved:
        sha_of = {p.pub_id: p.sha256 for p in history.participating + history.pending_pubs}
        by_pub: dict[str, list[int]] = {}
        for pub_id, number in history.unresolved:
            by_pub.setdefault(sha_of.get(pub_id, ""), []).append(number)
        for sha, numbers in sorted(by_pub.items()):
            found.append(
                Problem("state-and-agency", f"{len(numbers)} listing rows have no state or agency", sha or None,
                        tuple(sorted(numbers)))
            )  # fmt: skip
    if history.participating:
        latest = history.participating[-1]
        listed = {history.row_agreement[rid] for _, rid in latest.listings if rid in history.row_agreement}
        active = {a.agreement_id for a in history.agreements.values() if a.status == "active"}
        if not latest.suspect and listed != active:
            found.append(
                Problem(
                    "active-is-latest",
                    f"active agreements ({len(active)}) differ from those of the latest list, {latest.label} "
                    f"({len(listed)})",
                    latest.sha256,
                )
            )
    labels = {p.sha256: p.label for p in history.participating + history.pending_pubs}
    for sha, c in history.checks.items():
        if not c["suspect"] and c["added"] - c["removed"] != c["net"]:
            found.append(
                Problem(
                    "events-add-up",
                    f"the list of {labels.get(sha, sha[:12])}: +{c['added']} -{c['removed']} but net change {c['net']}",
                    sha,
                )
            )
    last_event: dict[str, tuple[str, str]] = {}
    for e in history.events:
        if e.agreement_id and e.type in PLUS + MINUS:
            last_event[e.agreement_id] = (e.type, e.pub.sha256)
    for a in history.agreements.values():
        kind, sha = last_event.get(a.agreement_id) or ("", "")
        if (a.status == "active" and kind in MINUS) or (a.status != "active" and kind in PLUS):
            found.append(
                Problem(
                    "status-follows-events", f"{a.agreement_id} is {a.status} but its last event is {kind}", sha or None
                )
            )
    found.extend(_collapsed_rows(history))
    found.extend(_audit(history))
    return found


def check(history: History) -> None:
    found = problems(history)
    if found:
        raise QAError("history QA failed: " + describe(found), found)
