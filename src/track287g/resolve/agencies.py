"""Cluster the spellings ICE printed into agencies: one per law-enforcement body and state.

Spellings merge, in order, when:

1. their matching keys are equal (``names.name_key``: case, punctuation, possessives, abbreviations,
   Sheriff's Office/Department, state prefixes) — rule named by what differed;
2. the alias table says ``same-as`` — rule ``alias-table``;
3. ICE handed an agreement from one spelling to the other — rule ``same-agreement``: between two consecutive
   lists of a kind, one spelling disappears and the other appears carrying the same model and signing date,
   the two were never printed together, are the same kind of agency with the same numbers, and the words
   that name the body (``names.distinctive``: "Melbourne" in "City of Melbourne Police Department") are
   alike (``handoff_min_ratio``) or one's are all among the other's;
4. the typo rule holds — rule ``typo`` (or ``word-order``): keys at least ``typo_min_ratio`` similar (or the
   same words in another order), no other key within ``typo_margin`` points of either, same agency kind,
   same numbers (precinct 2 is not precinct 3), never printed together in one publication, no conflicting
   COUNTY values, and, for county bodies, the same county name. A candidate that fails a guard is kept for
   review (table ``merge_candidate``) with the guard that stopped it; so is any ``distinct-from`` pair.

Each agency's id is ``<state>-<slug of its key>``, taken from the spelling seen in the most publications of
its cluster (ties: the earliest), so it survives ICE re-spelling a name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from track287g.normalize.agency_kind import agency_kind
from track287g.resolve.aliases import Alias, loose
from track287g.resolve.names import distinctive, name_key, slug

_NUMBER = re.compile(r"\d+")
_COUNTY_NAME = re.compile(r"^(.*?)\s+(?:county|parish|borough)\b")


@dataclass
class Spelling:
    """One agency name as ICE printed it (cleaned) in one state, with what the archive says of it."""

    state: str
    name: str
    rows: int = 0
    pubs: set[int] = field(default_factory=set)
    counties: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    first: str = "9999-12-31"
    last: str = "0000-01-01"

    @property
    def key(self) -> str:
        return name_key(self.name, self.state)[0]

    @property
    def kind(self) -> str:
        agency_type = next(iter(sorted(self.types)), None)
        return agency_kind(self.name, agency_type)


@dataclass
class Member:
    spelling: Spelling
    rule: str
    evidence: str


@dataclass
class Agency:
    agency_id: str
    state: str
    key: str
    members: list[Member]


@dataclass
class Candidate:
    state: str
    spelling: str
    other: str
    score: float
    reason: str


@dataclass(frozen=True)
class Handoff:
    """Evidence that two spellings are one agency: ICE moved an agreement from one to the other."""

    state: str
    gone: str
    new: str
    evidence: str


@dataclass
class Resolution:
    agencies: list[Agency]
    agency_of: dict[tuple[str, str], str]  # (state, spelling) -> agency_id
    candidates: list[Candidate]
    unused_aliases: list[Alias]


class _Union:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _guard(a: Spelling, b: Spelling) -> str | None:
    """Why two similar spellings must not be merged as a typo (None: nothing stops it)."""
    if a.kind != b.kind:
        return f"different kinds ({a.kind} / {b.kind})"
    if _NUMBER.findall(a.key) != _NUMBER.findall(b.key):
        return "different numbers"
    together = a.pubs & b.pubs
    if together:
        return f"printed together in {len(together)} publications"
    if a.counties and b.counties and not a.counties & b.counties:
        return f"different counties ({', '.join(sorted(a.counties))} / {', '.join(sorted(b.counties))})"
    ca, cb = _COUNTY_NAME.match(a.key), _COUNTY_NAME.match(b.key)
    if ca and cb and ca.group(1) != cb.group(1):
        return f"different county names ({ca.group(1)} / {cb.group(1)})"
    return None


def resolve_agencies(
    spellings: list[Spelling],
    aliases: list[Alias],
    *,
    min_ratio: float,
    margin: float,
    min_length: int,
    handoffs: Sequence[Handoff] = (),
    handoff_min_ratio: float = 80,
) -> Resolution:
    """Cluster spellings into agencies by the rules of this module."""
    by_loose = {(s.state, loose(s.name)): s for s in spellings}
    union = _Union()
    how: dict[tuple[str, str], tuple[str, str]] = {}  # spelling -> (rule, evidence) of its merge
    by_key: dict[tuple[str, str], list[Spelling]] = defaultdict(list)
    for s in sorted(spellings, key=lambda s: (s.state, s.name)):
        by_key[(s.state, s.key)].append(s)
    for (state, key), group in by_key.items():
        for s in group:
            union.find((state, s.name))
            if len(group) > 1:
                rules = name_key(s.name, state)[1]
                how[(state, s.name)] = ("+".join(rules) or "same-key", f"key {key!r} shared by {len(group)} spellings")
        for s in group[1:]:
            union.union((state, group[0].name), (state, s.name))

    distinct: set[frozenset] = set()
    unused: list[Alias] = []
    for alias in aliases:
        left, right = (
            by_loose.get((alias.state, loose(alias.spelling))),
            by_loose.get((alias.state, loose(alias.target))),
        )
        if left is None or right is None:
            unused.append(alias)
            continue
        if alias.action == "same-as":
            union.union((alias.state, left.name), (alias.state, right.name))
            how[(alias.state, left.name)] = (
                "alias-table",
                f"aliases.csv line {alias.line}: same as {right.name!r}. {alias.note}",
            )
        else:
            distinct.add(frozenset({(alias.state, left.name), (alias.state, right.name)}))

    candidates: list[Candidate] = []
    for h in handoffs:
        a, b = by_loose.get((h.state, loose(h.gone))), by_loose.get((h.state, loose(h.new)))
        if a is None or b is None or union.find((h.state, a.name)) == union.find((h.state, b.name)):
            continue
        own_a, own_b = distinctive(a.key), distinctive(b.key)
        score = fuzz.ratio(" ".join(sorted(own_a)), " ".join(sorted(own_b)))
        words_a, words_b = set(own_a), set(own_b)
        reason = None
        if frozenset({(h.state, a.name), (h.state, b.name)}) in distinct:
            reason = "alias table: distinct-from"
        elif a.kind != b.kind:
            reason = f"different kinds ({a.kind} / {b.kind})"
        elif _NUMBER.findall(a.key) != _NUMBER.findall(b.key):
            reason = "different numbers"
        elif a.pubs & b.pubs:
            reason = f"printed together in {len(a.pubs & b.pubs)} publications"
        elif score < handoff_min_ratio and not (words_a <= words_b or words_b <= words_a):
            reason = f"names too different ({score:.0f})"
        if reason:
            if score >= 70 or words_a <= words_b or words_b <= words_a:  # worth a human look
                candidates.append(Candidate(h.state, a.name, b.name, round(score, 1), f"handoff declined: {reason}"))
            continue
        union.union((h.state, a.name), (h.state, b.name))
        how.setdefault((h.state, a.name), ("same-agreement", h.evidence))
    by_state: dict[str, list[Spelling]] = defaultdict(list)
    for s in spellings:
        by_state[s.state].append(s)
    for state, group in sorted(by_state.items()):
        keys = sorted({s.key for s in group})
        if len(keys) < 2:
            continue
        members_of: dict[str, list[Spelling]] = defaultdict(list)
        for sp in group:
            members_of[sp.key].append(sp)
        scores = process.cdist(keys, keys, scorer=fuzz.ratio, workers=1)
        for i in range(len(scores)):
            scores[i][i] = -1.0
        pairs: set[tuple[int, int]] = set()
        for i, ki in enumerate(keys):
            j = int(scores[i].argmax())
            sorted_i = sorted(ki.split())
            word_twins = [m for m, km in enumerate(keys) if m != i and sorted(km.split()) == sorted_i]
            for m in word_twins:
                pairs.add((min(i, m), max(i, m)))
            if scores[i][j] >= min_ratio:
                pairs.add((min(i, j), max(i, j)))
        for i, j in sorted(pairs):
            ki, kj = keys[i], keys[j]
            a, b = members_of[ki][0], members_of[kj][0]
            if union.find((state, a.name)) == union.find((state, b.name)):
                continue
            best = float(scores[i][j])
            same_words = sorted(ki.split()) == sorted(kj.split())
            second_i = max((float(scores[i][m]) for m in range(len(keys)) if m not in (i, j)), default=0.0)
            second_j = max((float(scores[j][m]) for m in range(len(keys)) if m not in (i, j)), default=0.0)
            reason = None
            if frozenset({(state, a.name), (state, b.name)}) in distinct:
                reason = "alias table: distinct-from"
            elif min(len(ki), len(kj)) < min_length:
                reason = "names too short for the typo rule"
            elif not same_words and (best - second_i < margin or best - second_j < margin):
                reason = "another spelling is nearly as close"
            else:
                reason = next((g for x in members_of[ki] for y in members_of[kj] if (g := _guard(x, y))), None)
            if reason:
                candidates.append(Candidate(state, a.name, b.name, round(best, 1), reason))
                continue
            rule = "word-order" if same_words else "typo"
            union.union((state, a.name), (state, b.name))
            rare, common = sorted((a, b), key=lambda sp: (len(sp.pubs), sp.name))
            how.setdefault(
                (state, rare.name),
                (rule, f"{rare.name!r} ~ {common.name!r}: similarity {best:.1f}, never printed together, same kind"),
            )

    clusters: dict = defaultdict(list)
    for s in spellings:
        clusters[union.find((s.state, s.name))].append(s)
    agencies: list[Agency] = []
    agency_of: dict[tuple[str, str], str] = {}
    used_ids: set[str] = set()
    for members in clusters.values():
        lead = max(members, key=lambda s: (len(s.pubs), -int(s.first.replace("-", "")), s.name))
        agency_id = f"{lead.state}-{slug(lead.key)}"
        while agency_id in used_ids:  # two clusters with one key only via an alias split; keep both
            agency_id += "-2"
        used_ids.add(agency_id)
        ordered = sorted(members, key=lambda s: (s is not lead, s.first, s.name))
        agency = Agency(
            agency_id,
            lead.state,
            lead.key,
            [
                Member(s, *(how.get((s.state, s.name)) or ("same-key", f"key {s.key!r}")))
                if s is not lead
                else Member(s, "lead", "the spelling printed in the most publications")
                for s in ordered
            ],
        )
        agencies.append(agency)
        for s in members:
            agency_of[(s.state, s.name)] = agency_id
    agencies.sort(key=lambda a: a.agency_id)
    return Resolution(agencies, agency_of, candidates, unused)
