"""Cluster the spellings ICE printed into agencies: one per law-enforcement body.

Spellings merge, in order, each merge recorded with its rule and evidence:

1. their matching keys are equal (``names.name_key``: case, punctuation, possessives, abbreviations, typos of
   the kind words, county names checked against the Census, Sheriff's Office/Department, state prefixes);
2. a ``same_body`` rule of ``rules.yaml`` rewrites one key into the other ("City of Zephyrhills Police
   Department" is "Zephyrhills Police Department"; a university's board of trustees is its police department);
3. the alias table says ``same-as`` (rule ``alias-table``);
4. ``state-corrected``: the same key printed under another state, when ICE moved a listing from one state to
   the other between two lists (and never printed the two together), or named a county that state does not
   have (and one other state does);
5. ``same-agreement`` / ``same-application``: between two lists ICE handed an agreement (model and signing
   date) or a pending application (model) from one spelling to the other, or from the pending list to the
   participating list: same kind of body (or one unknown), same numbers, and the words that name the body
   (``names.distinctive``) alike (``handoff_min_ratio``; ``in_place_min_ratio`` when the new row took the old
   row's place in the list) or one's all among the other's;
6. the typo rule, as ``typo`` or ``word-order`` (see ``_typo_pairs``).

**Side by side is two bodies.** Rules 4-6 never join two clusters ICE printed in one list; rules 2-3 only when
every such printing is a duplicate row (the same model, the same date or one slipped by a keystroke). An alias
that would join two agencies printed side by side as different agreements is refused (``AliasError``) naming the
list and the rows; a ``same_body`` or typo merge that would is declined and kept for review (``merge_candidate``),
like every candidate a guard stopped.

**Ids.** An agency's id is ``<state>-<slug of key>`` of its lead spelling: the one ICE printed last (then in the
most lists), in its corrected form, so an id is never built from a typo a later list or a reference table fixes.
Every other id the agency had (its other spellings', and the ids it carried as the lists arrived) stays an
alias of it, and each change of id is dated by the list that caused it (``Resolution.id_changes``).
"""

from __future__ import annotations

import bisect
import functools
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, pairwise
from typing import Any

import rapidfuzz
from rapidfuzz import fuzz

from track287g.memo import memoized
from track287g.messages import Message, message, render
from track287g.normalize.agency_kind import agency_kind, comparable
from track287g.normalize.dates import typing_slip
from track287g.resolve.aliases import Alias, AliasError, loose
from track287g.resolve.names import corrected_name, county_states, distinctive, name_key, slug
from track287g.resolve.similarity import ratio, scores_from

_NUMBER = re.compile(r"\d+")
_COUNTY_NAME = re.compile(r"^(.*?)\s+(?:county|parish|borough)\b")

Printed = tuple[int, str | None, str | None]  # (row number, model, signed) as one list printed it


class PrintedRows:
    """A spelling's rows in each list, ``pub -> [Printed]`` (read with ``get``), worked out from the lists only
    when asked: ``in_list(pub, name)`` gives the rows of one spelling in one list. Rows added by ``setdefault``
    (the old lists) stay beside them."""

    def __init__(
        self,
        name: tuple[str, str],
        in_list: Callable[[Any, tuple[str, str]], list[Printed]],
        added: dict[Any, list[Printed]] | None = None,
    ) -> None:
        self.name, self.in_list, self.added = name, in_list, added or {}

    def get(self, pub: Any, default: list[Printed]) -> list[Printed]:
        if pub in self.added:
            return self.added[pub]
        return self.in_list(pub, self.name) or default

    def setdefault(self, pub: Any, default: list[Printed]) -> list[Printed]:
        if pub not in self.added:
            self.added[pub] = list(self.get(pub, default))
        return self.added[pub]

    def copy(self) -> PrintedRows:
        return PrintedRows(self.name, self.in_list, {k: list(v) for k, v in self.added.items()})


class Pubs:
    """The publications (ids) that printed a spelling, as a sorted array: a set of ints costs about 36 bytes an
    entry, an array 8, and a ten-year archive holds thousands of spellings printed in thousands of lists each
    (4.1 million entries at 3,650 synthetic lists). Read like a set; ``a & b`` is a set.

    Made from the runs of lists that printed the spelling (``runs``: (the ids of one kind's lists in list order,
    the first list of the run, the list after it)), it keeps the runs and sorts them into one array only when
    first asked whether it holds an id (or compared): the history asks that of few spellings (pairs the resolver
    compares), and the runs are few (10,453 for 6,582 spellings at 3,650 synthetic lists). Read whole (iterated,
    intersected), it gives the runs' ids unsorted, as a set gives its members in no set order. The lead's
    changes read the runs."""

    __slots__ = ("_ids", "_runs")

    def __init__(self, ids: Iterable[int] = (), *, runs: Iterable[tuple[Sequence[int], int, int]] | None = None):
        """``ids``: any ints (repeats dropped); or ``runs``, which hold no id twice (then sorted when first
        read: lists are numbered as they were stored, which a pool of readers does in no order of date)."""
        self._runs = tuple(runs) if runs is not None else None
        self._ids: array | None = None if runs is not None else array("l", sorted(set(ids)))

    def _sorted(self) -> array:
        if self._ids is None:
            runs = self._runs or ()
            self._ids = array("l", sorted(chain.from_iterable(ids[first:end] for ids, first, end in runs)))
        return self._ids

    @property
    def runs(self) -> tuple[tuple[Sequence[int], int, int], ...] | None:
        """The runs it was made from (None: made from ids)."""
        return self._runs

    def __len__(self) -> int:
        if self._ids is None:
            return sum(end - first for _, first, end in self._runs or ())
        return len(self._ids)

    def __iter__(self) -> Iterator[int]:
        """The ids in no set order, as a set gives them: the runs' ids as they are, not sorted first (a spelling
        of a ten-year archive is printed in thousands of lists)."""
        if self._ids is None:
            return chain.from_iterable(ids[first:end] for ids, first, end in self._runs or ())
        return iter(self._ids)

    def __contains__(self, pub: object) -> bool:
        ids = self._sorted()
        i = bisect.bisect_left(ids, pub)
        return i < len(ids) and ids[i] == pub

    def __and__(self, other: Iterable[int]) -> set[int]:
        return set(self).intersection(other)

    __rand__ = __and__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pubs) and self._sorted() == other._sorted()

    __hash__ = None  # type: ignore[assignment]

    def add(self, pub: int) -> None:
        if pub not in self:
            bisect.insort(self._sorted(), pub)
            self._runs = None  # the runs no longer say which lists

    def __repr__(self) -> str:
        return f"Pubs({list(self._sorted())!r})"


@dataclass
class Spelling:
    """One agency name as ICE printed it (cleaned) in one state, with what the archive says of it."""

    state: str
    name: str
    rows: int = 0
    pubs: Pubs | set[Any] = field(default_factory=Pubs)  # the lists printing it (the old lists: a set of days)
    counties: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    first: str = "9999-12-31"
    last: str = "0000-01-01"
    first_in: dict[str, str] = field(default_factory=dict)  # kind of list -> the first date a list of it printed it
    # kind of list -> (the order of the latest list of that kind printing it, how many lists of it did), for the
    # lists in ``pubs`` (made with them; the lead reads these instead of every list)
    lists_in: dict[str, tuple[tuple, int]] = field(default_factory=dict)
    printed: PrintedRows | dict[Any, list[Printed]] = field(default_factory=dict)  # pub -> its rows in that list

    @cached_property
    def key(self) -> str:
        return name_key(self.name, self.state)[0]

    @property
    def kind(self) -> str:
        agency_type = next(iter(sorted(self.types)), None)
        return agency_kind(corrected_name(self.name, self.state)[0], agency_type)


@dataclass(frozen=True)
class BodyRule:
    """A ``same_body`` rule: keys the pattern matches (whole) are rewritten; equal results are one body."""

    name: str
    pattern: re.Pattern
    replace: str
    note: str = ""

    def body(self, key: str) -> str | None:
        m = self.pattern.fullmatch(key)
        return m.expand(self.replace) if m else None


@dataclass
class Member:
    spelling: Spelling
    rule: str
    evidence: Message  # why it is the agency's spelling (``messages``: spelling.*), said in the reader's language


@dataclass
class Agency:
    agency_id: str
    state: str
    key: str
    members: list[Member]
    name: str = ""  # display name: the lead spelling, corrected
    name_rules: tuple[str, ...] = ()


@dataclass
class Candidate:
    state: str
    spelling: str
    other: str
    score: float
    reason: str


@dataclass(frozen=True)
class Handoff:
    """Evidence that two spellings are one agency: ICE moved a listing from one to the other."""

    gone: tuple[str, str]  # (state, spelling)
    new: tuple[str, str]
    evidence: Message  # what ICE printed (``messages``: handoff.*)
    in_place: bool = False  # the new row took the old row's place in the list
    dated: bool = True  # matched on model and signing date (False: a pending application, on its model)


@dataclass(frozen=True)
class IdChange:
    pub_id: int
    old: str
    new: str
    reason: str
    agency_id: str  # the agency's id now


@dataclass
class Resolution:
    agencies: list[Agency]
    agency_of: dict[tuple[str, str], str]  # (state, spelling) -> agency_id
    candidates: list[Candidate]
    unused_aliases: list[Alias]
    aliases: dict[str, str] = field(default_factory=dict)  # a former or other id -> agency_id
    id_changes: list[IdChange] = field(default_factory=list)
    body_of: dict[tuple[str, str], str] = field(default_factory=dict)  # (state, spelling) -> body key


def _dup(a: list[Printed], b: list[Printed]) -> bool:
    """Two spellings' rows in one list are one agreement printed twice (model alike, date alike or slipped)."""

    def alike(x: Printed, y: Printed) -> bool:
        if x[1] != y[1]:
            return False
        return x[2] == y[2] or (x[2] is not None and y[2] is not None and typing_slip(x[2], y[2]) is not None)

    return all(any(alike(x, y) for y in b) for x in a) and all(any(alike(y, x) for x in a) for y in b)


class _Clusters:
    """Union-find over (state, spelling), knowing which lists print each cluster."""

    def __init__(self, spellings: list[Spelling], labels: dict[int, str], order: dict[int, tuple]) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}
        self.members: dict[tuple[str, str], list[Spelling]] = {}
        self.labels = labels
        self.order = order
        for s in spellings:
            k = (s.state, s.name)
            self.parent[k] = k
            self.members[k] = [s]

    def find(self, x: tuple[str, str]) -> tuple[str, str]:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            keep, drop = min(ra, rb), max(ra, rb)
            self.parent[drop] = keep
            self.members[keep].extend(self.members.pop(drop))

    def side_by_side(
        self, a: tuple[str, str], b: tuple[str, str], overlap_ok: bool = False
    ) -> tuple[Message | None, Message | None]:
        """(a list printing the two clusters as different agreements, a list printing them as a duplicate row):
        each a sentence naming the list and the rows, or None. With ``overlap_ok`` a renewal overlap is no
        conflict: both print one model only, and one of them is never printed again after they stood together."""
        ma, mb = self.members[self.find(a)], self.members[self.find(b)]
        pubs_a = set().union(*(s.pubs for s in ma))
        pubs_b = set().union(*(s.pubs for s in mb))
        duplicate = None
        if overlap_ok and self._overlap(ma, mb, pubs_a, pubs_b):
            return None, None
        for pub in sorted(pubs_a & pubs_b, key=lambda p: self.labels.get(p, "")):
            rows_a = [(s, r) for s in ma for r in s.printed.get(pub, [])]
            rows_b = [(s, r) for s in mb for r in s.printed.get(pub, [])]
            if not rows_a or not rows_b:
                continue
            sa, ra = rows_a[0]
            sb, rb = rows_b[0]
            said = message(
                "spelling.beside",
                list=self.labels.get(pub, pub),
                name=repr(sa.name),
                state=sa.state,
                row=ra[0],
                model=ra[1],
                signed=ra[2] or "undated",
                other=repr(sb.name),
                other_state=sb.state,
                other_row=rb[0],
                other_model=rb[1],
                other_signed=rb[2] or "undated",
            )
            if _dup([r for _, r in rows_a], [r for _, r in rows_b]):
                duplicate = duplicate or said
            else:
                return said, duplicate
        return None, duplicate

    def _overlap(self, ma: list[Spelling], mb: list[Spelling], pubs_a: set[int], pubs_b: set[int]) -> bool:
        together = pubs_a & pubs_b
        if not together or not self.order:
            return False
        models = {r[1] for s in ma + mb for p in together for r in s.printed.get(p, [])}
        if len(models) != 1:
            return False
        last = max(self.order[p] for p in together)
        return max(self.order[p] for p in pubs_a) <= last or max(self.order[p] for p in pubs_b) <= last


def _guard(a: Spelling, b: Spelling) -> str | None:
    """Why two similar spellings must not be merged as a typo (None: nothing stops it)."""
    if not comparable(a.kind, b.kind):
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


def _by_loose(spellings: Sequence[Spelling]) -> dict[tuple[str, str], Spelling]:
    """(state, loose form of a name) -> the spelling of that form (the last one, when several share it): how
    the resolver finds the spellings an alias or a handoff names."""
    return {(s.state, loose(s.name)): s for s in spellings}


def handoff_keys(spellings: Sequence[Spelling]) -> Callable[[tuple[str, str]], str | None]:
    """A printed (state, spelling) -> the key the resolver reads a handoff of it by: that of the spelling of the
    same loose form in that state (None: none). The resolver reads a handoff between two states only when the
    two keys agree (``_state_corrections``; within a state, whatever they are: ``_handoffs``), so a pass
    looking for handoffs can leave the others out (``handoff_partners``)."""
    by_loose = _by_loose(spellings)

    @functools.cache  # worked out once a spelling: the same come back list after list
    def key(name: tuple[str, str]) -> str | None:
        found = by_loose.get((name[0], loose(name[1])))
        return None if found is None else found.key

    return key


def handoff_partners(
    candidates: Iterable[tuple[str, str]], key_of: Callable[[tuple[str, str]], str | None]
) -> Callable[[tuple[str, str]], list[tuple[str, str]]]:
    """For a spelling gone, the spellings among ``candidates`` whose handoff from it the resolver would read
    (``key_of``: ``handoff_keys``): those of its state, and those of another state under its key, in no set
    order. The candidates are indexed by state and key once, so a list where many spellings went and many came
    costs their sum, not their product."""
    by_state: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for n in candidates:
        by_state[n[0]].append(n)
        if (key := key_of(n)) is not None:
            by_key[key].append(n)

    def partners(gone: tuple[str, str]) -> list[tuple[str, str]]:
        key = key_of(gone)
        found = by_state.get(gone[0], [])
        return found + [n for n in by_key.get(key, ()) if n[0] != gone[0]] if key is not None else found

    return partners


class _Resolver:
    def __init__(self, spellings: list[Spelling], labels: dict[int, str], order: dict[int, tuple]) -> None:
        self.spellings = spellings
        self.by_loose = _by_loose(spellings)
        self.clusters = _Clusters(spellings, labels, order)
        self.how: dict[tuple[str, str], tuple[str, Message]] = {}
        self.candidates: dict[tuple[str, str, str], Candidate] = {}  # deduplicated on their key
        self.distinct: set[frozenset] = set()
        self.unused_lines: set[int] = set()

    @cached_property
    def words_in(self) -> dict[str, list[tuple[Spelling, set[str]]]]:
        """State -> each of its spellings with the distinctive words of its key."""
        found: dict[str, list[tuple[Spelling, set[str]]]] = defaultdict(list)
        for s in self.spellings:
            found[s.state].append((s, set(distinctive(s.key))))
        return found

    def same(self, a: Spelling, b: Spelling) -> bool:
        return self.clusters.find((a.state, a.name)) == self.clusters.find((b.state, b.name))

    def decline(self, a: Spelling, b: Spelling, score: float, reason: str) -> None:
        self.candidates.setdefault(
            (a.state, a.name, b.name), Candidate(a.state, a.name, b.name, round(score, 1), reason)
        )

    def merge(self, a: Spelling, b: Spelling, rule: str, evidence: Message, *, duplicates_ok: bool) -> str | None:
        """Join a's cluster and b's unless ICE prints them side by side; the reason when it does (None: joined).
        With ``duplicates_ok`` (rules that name one body) duplicate rows and a renewal overlap are allowed."""
        if self.same(a, b):
            return None
        if frozenset({(a.state, a.name), (b.state, b.name)}) in self.distinct:
            return "alias table: distinct-from"
        conflict, duplicate = self.clusters.side_by_side((a.state, a.name), (b.state, b.name), duplicates_ok)
        if conflict:
            return f"side by side: {render(conflict)}"
        if duplicate and not duplicates_ok:
            return f"printed together: {render(duplicate)}"
        self.clusters.union((a.state, a.name), (b.state, b.name))
        if duplicate:
            evidence = message("spelling.with-duplicate", evidence=evidence, duplicate=duplicate)
        self.how.setdefault((a.state, a.name), (rule, evidence))
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
    in_place_min_ratio: float = 60,
    same_body: Sequence[BodyRule] = (),
    max_gap: int = 2,
    labels: dict[int, str] | None = None,
    order: dict[int, tuple] | None = None,
    participating: set[int] | None = None,
) -> Resolution:
    """Cluster spellings into agencies by the rules of this module. ``labels`` names each publication (by
    pub_id) in evidence; ``order`` sorts them in time (for the dates of id changes)."""
    labels = labels or {}
    r = _Resolver(spellings, labels, order or {})
    body_of = _same_keys(r, same_body)
    _apply_aliases(r, aliases)
    _state_corrections(r, handoffs, max_gap)
    _handoffs(r, handoffs, handoff_min_ratio, in_place_min_ratio)
    _typo_pairs(r, min_ratio, margin, min_length)
    unused = [a for a in aliases if a.line in r.unused_lines]
    return _agencies(r, body_of, unused, order or {}, participating or set(), max_gap)


def _same_keys(r: _Resolver, same_body: Sequence[BodyRule]) -> dict[tuple[str, str], str]:
    by_key: dict[tuple[str, str], list[Spelling]] = defaultdict(list)
    for s in sorted(r.spellings, key=lambda s: (s.state, s.name)):
        by_key[(s.state, s.key)].append(s)
    for (state, key), group in by_key.items():
        if len(group) > 1:
            for s in group[1:]:
                r.clusters.union((state, group[0].name), (state, s.name))
            for s in group:
                rules = name_key(s.name, state)[1]
                r.how[(state, s.name)] = (
                    "+".join(rules) or "same-key",
                    message("spelling.shared-key", key=repr(key), spellings=len(group)),
                )
    body_of = {(s.state, s.name): s.key for s in r.spellings}
    by_body: dict[tuple[str, str], list[tuple[Spelling, str]]] = defaultdict(list)
    for (state, key), group in by_key.items():
        for same in same_body:
            body = same.body(key)
            if body and body != key:
                for s in group:
                    body_of[(state, s.name)] = body
                by_body[(state, body)].append((group[0], same.name))
                break
    for (state, body), rewritten in sorted(by_body.items()):
        target = by_key.get((state, body))
        anchor = target[0] if target else rewritten[0][0]
        for s, rule in rewritten:
            if s is anchor:
                continue
            evidence = message("spelling.same-body", rule=rule, key=repr(s.key), body=repr(body))
            reason = r.merge(s, anchor, rule, evidence, duplicates_ok=True)
            if reason:
                r.decline(s, anchor, 100, f"{rule} declined: {reason}")
    return body_of


def _apply_aliases(r: _Resolver, aliases: list[Alias]) -> None:
    for a in aliases:
        left, right = r.by_loose.get((a.state, loose(a.spelling))), r.by_loose.get((a.state, loose(a.target)))
        if left is None or right is None:
            r.unused_lines.add(a.line)
            continue
        if a.action != "same-as":
            r.distinct.add(frozenset({(a.state, left.name), (a.state, right.name)}))
    for a in aliases:
        left, right = r.by_loose.get((a.state, loose(a.spelling))), r.by_loose.get((a.state, loose(a.target)))
        if a.action != "same-as" or left is None or right is None:
            continue
        conflict, _ = r.clusters.side_by_side((a.state, left.name), (a.state, right.name), overlap_ok=True)
        if conflict:
            raise AliasError(
                f"aliases.csv line {a.line} would make {left.name!r} and {right.name!r} ({a.state}) one agency, but "
                f"{render(conflict)}: two agencies side by side are refused"
            )
        r.clusters.union((a.state, left.name), (a.state, right.name))
        r.how[(a.state, left.name)] = (
            "alias-table",
            message("spelling.alias", line=a.line, name=repr(right.name), note=a.note),
        )


def _state_corrections(r: _Resolver, handoffs: Sequence[Handoff], max_gap: int) -> None:
    """The same key printed under another state: merged when a listing moved between them and the two were
    never printed together, or when the printed state has no such county (and exactly one other state, where
    ICE also printed it, has)."""
    by_key: dict[str, list[Spelling]] = defaultdict(list)
    for s in r.spellings:
        by_key[s.key].append(s)
    for h in handoffs:
        a, b = r.by_loose.get((h.gone[0], loose(h.gone[1]))), r.by_loose.get((h.new[0], loose(h.new[1])))
        if a is None or b is None or a.state == b.state or a.key != b.key:
            continue
        evidence = message("spelling.state-moved", listing=h.evidence, old_state=a.state, new_state=b.state)
        reason = r.merge(a, b, "state-corrected", evidence, duplicates_ok=False)
        if reason:
            r.decline(a, b, 100, f"state correction declined: {reason}")
    for key, group in sorted(by_key.items()):
        states = {s.state for s in group}
        if len(states) < 2:
            continue
        _twins(r, group, max_gap)
        for s in group:
            homes = county_states(s.name, s.state)
            if homes is None:  # no county named, or the county exists in the printed state
                continue
            others = [t for t in group if t.state in homes and t.state != s.state]
            if len(homes) == 1 and others:
                t = max(others, key=lambda t: (len(t.pubs), t.name))
                county = _COUNTY_NAME.match(key)
                evidence = message(
                    "spelling.no-such-county",
                    state=s.state,
                    county=county.group(1) if county else "such",
                    other_state=t.state,
                    name=repr(t.name),
                )
                if not r.same(s, t) and frozenset({(s.state, s.name), (t.state, t.name)}) not in r.distinct:
                    r.clusters.union((s.state, s.name), (t.state, t.name))  # no such body exists where printed
                    r.how.setdefault((s.state, s.name), ("state-corrected", evidence))


def _twins(r: _Resolver, group: list[Spelling], max_gap: int) -> None:
    """One key under two states: a spelling printed in at most ``max_gap`` lists, each of which printed the other
    state's spelling too with the same models and signing dates, and gone while that one stayed, is that agency
    printed twice under a wrong state (Moore County, TN beside Moore County, TX: both states have the county)."""
    order = r.clusters.order
    if not order:
        return
    for s in group:
        if not isinstance(s.pubs, Pubs) or not 0 < len(s.pubs) <= max_gap:
            continue
        last = max(order[p] for p in s.pubs)
        for t in group:
            if t.state == s.state or not isinstance(t.pubs, Pubs) or r.same(s, t):
                continue
            if any(p not in t.pubs for p in s.pubs) or max(order[p] for p in t.pubs) <= last:
                continue  # a list printed s alone, or t is not listed after s left
            if any(
                {(m, d) for _, m, d in s.printed.get(p, [])} != {(m, d) for _, m, d in t.printed.get(p, [])}
                for p in s.pubs
            ):
                continue
            if frozenset({(s.state, s.name), (t.state, t.name)}) in r.distinct:
                continue
            r.clusters.union((s.state, s.name), (t.state, t.name))
            lists = ", ".join(r.clusters.labels.get(p, str(p)) for p in sorted(s.pubs, key=order.__getitem__))
            r.how.setdefault(
                (s.state, s.name),
                (
                    "state-corrected",
                    message("spelling.printed-twice", state=s.state, other_state=t.state, lists=lists),
                ),
            )
            break


def _handoffs(r: _Resolver, handoffs: Sequence[Handoff], min_ratio: float, in_place_ratio: float) -> None:
    for h in handoffs:
        a, b = r.by_loose.get((h.gone[0], loose(h.gone[1]))), r.by_loose.get((h.new[0], loose(h.new[1])))
        if a is None or b is None or a.state != b.state or r.same(a, b):
            continue
        own_a, own_b = distinctive(a.key), distinctive(b.key)
        score = fuzz.ratio(" ".join(sorted(own_a)), " ".join(sorted(own_b)))
        words_a, words_b = set(own_a), set(own_b)
        subset = bool(words_a and words_b) and (words_a <= words_b or words_b <= words_a)
        needed = in_place_ratio if h.in_place else min_ratio
        reason = None
        if subset and own_a != own_b and _ambiguous(r, a, b):
            reason = f"ambiguous: {_ambiguous(r, a, b)}"
        elif not comparable(a.kind, b.kind):
            reason = f"different kinds ({a.kind} / {b.kind})"
        elif _NUMBER.findall(a.key) != _NUMBER.findall(b.key):
            reason = "different numbers"
        elif score < needed and not subset:
            reason = f"names too different ({score:.0f})"
        elif not h.dated and not (subset or own_a == own_b):
            reason = "an application is matched on its model only: the names must agree word for word"
        rule = "same-agreement" if h.dated else "same-application"
        if reason is None:
            reason = r.merge(a, b, rule, h.evidence, duplicates_ok=False)
        if reason and (score >= 70 or subset):  # worth a human look
            r.decline(a, b, score, f"handoff declined: {reason}")


def _ambiguous(r: _Resolver, a: Spelling, b: Spelling) -> str | None:
    """When the shorter name's words are all in other agencies' names too (Pembroke: Pembroke Pines and
    Pembroke Park), naming the others; None when only one agency's name holds them."""
    short, long_ = sorted((a, b), key=lambda s: len(set(distinctive(s.key))))
    words = set(distinctive(short.key))
    others = {
        r.clusters.find((s.state, s.name))
        for s, its_words in r.words_in.get(short.state, ())
        if words < its_words and not r.same(s, short)
    }
    others.discard(r.clusters.find((long_.state, long_.name)))
    if not others:
        return None
    names = sorted({r.clusters.members[o][0].name for o in others})
    return f"{short.name!r} could as well be {', '.join(repr(n) for n in names[:3])}"


@memoized
def _near(keys: tuple[str, ...], cutoff: float, rapidfuzz_version: str) -> tuple[tuple[tuple[float, int], ...], ...]:
    """For each key, (score, index) of every other key scoring at least ``cutoff`` against it. Kept between runs
    (``memo``) for each state's keys: a list added changes the keys of a few states, and scoring a state's
    keys against each other is most of the typo rule's cost (kept per version of the library that scores)."""
    choices = list(keys)
    return tuple(
        tuple((score, j) for score, j in scores_from(key, choices, cutoff) if j != i) for i, key in enumerate(keys)
    )


def _second(near: tuple[tuple[float, int], ...], j: int) -> float:
    """The best score among ``near`` but that of ``j`` (0 when none is left: none scored the cutoff)."""
    return max((score for score, m in near if m != j), default=0.0)


def _typo_pairs(r: _Resolver, min_ratio: float, margin: float, min_length: int) -> None:
    """Keys at least ``min_ratio`` similar (or the same words in another order), no other key within
    ``margin`` points of either, same kind (or one unknown: a typo in the kind word), same numbers, never printed
    together, no conflicting COUNTY values, and, for county bodies, the same county name."""
    by_state: dict[str, list[Spelling]] = defaultdict(list)
    for s in r.spellings:
        by_state[s.state].append(s)
    for _state, group in sorted(by_state.items()):
        keys = sorted({s.key for s in group})
        if len(keys) < 2:
            continue
        members_of: dict[str, list[Spelling]] = defaultdict(list)
        for sp in group:
            members_of[sp.key].append(sp)
        # each key's closest others: only scores from ``min_ratio - margin`` up decide (a pair is taken at
        # ``min_ratio``; another key lower than its score less ``margin`` never stands in its way)
        near = _near(tuple(keys), min_ratio - margin, rapidfuzz.__version__)  # margin: never negative (rules)
        pairs: set[tuple[int, int]] = set()
        by_words: dict[tuple[str, ...], list[int]] = defaultdict(list)  # a key's words, sorted -> the keys
        for i, ki in enumerate(keys):
            by_words[tuple(sorted(ki.split()))].append(i)
        for i, ki in enumerate(keys):
            for m in by_words[tuple(sorted(ki.split()))]:
                if m != i:
                    pairs.add((min(i, m), max(i, m)))
            if near[i]:
                score, j = max(near[i], key=lambda found: (found[0], -found[1]))  # the first of the best
                if score >= min_ratio:
                    pairs.add((min(i, j), max(i, j)))
        for i, j in sorted(pairs):
            ki, kj = keys[i], keys[j]
            a, b = members_of[ki][0], members_of[kj][0]
            if r.same(a, b):
                continue
            best = ratio(ki, kj)
            same_words = sorted(ki.split()) == sorted(kj.split())
            second_i, second_j = _second(near[i], j), _second(near[j], i)
            reason = None
            if min(len(ki), len(kj)) < min_length:
                reason = "names too short for the typo rule"
            elif not same_words and (best - second_i < margin or best - second_j < margin):
                reason = "another spelling is nearly as close"
            else:
                reason = next((g for x in members_of[ki] for y in members_of[kj] if (g := _guard(x, y))), None)
            rare, common = sorted((a, b), key=lambda sp: (len(sp.pubs), sp.name))
            if reason is None:
                rule = "word-order" if same_words else "typo"
                evidence = message(
                    "spelling.typo" if rare.kind == common.kind else "spelling.typo.kind-word",
                    name=repr(rare.name),
                    other=repr(common.name),
                    similarity=round(best, 1),
                    kind=rare.kind,
                )
                reason = r.merge(rare, common, rule, evidence, duplicates_ok=False)
            if reason:
                r.decline(a, b, best, reason)


def _lead(
    members: list[Spelling], order: dict[int, tuple], participating: set[int], upto: tuple | None = None
) -> Spelling:
    """The spelling an agency is named by: the one in the latest participating list that printed the agency
    (the latest pending list when it never was on the participating list), then in the most such lists, then
    by name. ``upto``: as of that publication."""

    def seen(s: Spelling, part: bool) -> tuple[tuple, int] | None:
        """(the latest such list printing it, how many such lists did); None: none did."""
        if upto is None and isinstance(s.pubs, Pubs) and s.lists_in:  # the common case: counted with its lists
            mine = [v for kind, v in s.lists_in.items() if (kind == "participating") == part]
            return (max(at for at, _ in mine), sum(n for _, n in mine)) if mine else None
        at = [
            order.get(p, ())
            for p in s.pubs
            if (p in participating) == part and (upto is None or order.get(p, ()) <= upto)
        ]
        return (max(at), len(at)) if at else None

    for part in (True, False):
        found = [(s, latest) for s in members if (latest := seen(s, part)) is not None]
        if found:
            return max(found, key=lambda sa: (*sa[1], sa[0].state, sa[0].name))[0]
    return max(members, key=lambda s: (s.last, len(s.pubs), s.state, s.name))


# one kind's lists, as a spelling's runs name them -> (the place of each in the order of every list, whether
# they are participating lists); made once per resolution
KindRanks = dict[int, tuple[Sequence[int], list[int], bool]]


def _lead_changes(
    spellings: list[Spelling], rank: dict[Any, int], participating: set[int], kinds: KindRanks
) -> tuple[list[tuple[int, Spelling]], list[int]]:
    """(the rank of each list after which the lead may have changed, the lead then), in order, and the ranks of
    the lists printing any of ``spellings``, in order: ``_lead(spellings, ..., upto=that list)`` at each.

    The lead after a list is the spelling it printed that the lists of its kind printed most often so far
    (then by state and name): every spelling it printed was printed last in it. So while one kind's lists print
    the same spellings, their counts rise together and the lead stays; and once a participating list printed
    the agency, the pending lists no longer decide. The lead is worked out only where that set changes: read
    from the spellings' runs of lists (``Pubs.runs``), where the set can change only where a run starts or
    ends; spellings not made from runs are read list by list (``_lead_changes_listed``).
    ``rank``: a list -> its place in the order."""
    by_kind = _runs_by_kind(spellings, rank, participating, kinds)
    if by_kind is None:
        return _lead_changes_listed(spellings, rank, participating)
    swept = {part: _sweep(spellings, ranks, runs) for part, (ranks, runs) in by_kind.items()}
    part_changes, part_lists = swept.get(True, ([], []))
    pending_changes, pending_lists = swept.get(False, ([], []))
    if part_lists:  # the pending lists decide only until a participating list prints the agency
        pending_changes = [(at, lead) for at, lead in pending_changes if at < part_lists[0]]
    return pending_changes + part_changes, sorted(chain(pending_lists, part_lists))


def _runs_by_kind(
    spellings: list[Spelling], rank: dict[Any, int], participating: set[int], kinds: KindRanks
) -> dict[bool, tuple[list[int], list[list[tuple[int, int]]]]] | None:
    """Participating or not -> (the ranks of that kind's lists, each spelling's runs (first, end) in them, in
    order); None when a spelling was not made from runs, or its kind's lists are not in the order's order."""
    found: dict[bool, tuple[list[int], list[list[tuple[int, int]]]]] = {}
    for i, s in enumerate(spellings):
        runs = s.pubs.runs if isinstance(s.pubs, Pubs) else None
        if runs is None:
            return None
        for ids, first, end in runs:
            if (known := kinds.get(id(ids))) is None:
                ranks = list(map(rank.__getitem__, ids))
                in_order = all(a < b for a, b in pairwise(ranks))
                known = kinds[id(ids)] = (ids, ranks if in_order else [], bool(ids) and ids[0] in participating)
            _, ranks, part = known
            if not ranks:
                return None
            ranks_now, runs_of = found.setdefault(part, (ranks, [[] for _ in spellings]))
            if ranks_now is not ranks:  # two sequences of lists of one kind
                return None
            runs_of[i].append((first, end))
    for _, runs_of in found.values():
        for spelling_runs in runs_of:
            spelling_runs.sort()
    return found


def _sweep(
    spellings: list[Spelling], ranks: list[int], runs_of: list[list[tuple[int, int]]]
) -> tuple[list[tuple[int, Spelling]], list[int]]:
    """One kind's lists, read from the spellings' runs in them: (the rank of each list where the spellings printed
    differ from those of the list before that printed any, the lead then), and the ranks of the lists printing
    any. Between two places where a run starts or ends the same spellings are printed."""
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    for i, runs in enumerate(runs_of):
        for first, end in runs:
            starts[first].append(i)
            ends[end].append(i)
    points = sorted(starts.keys() | ends.keys())
    active: set[int] = set()
    done = [0] * len(spellings)  # how many of these lists each spelling printed before the place read
    changes: list[tuple[int, Spelling]] = []
    printing: list[int] = []
    last: frozenset[int] | None = None
    for at, following in pairwise(points):
        active.difference_update(ends.get(at, ()))
        active.update(starts.get(at, ()))
        if not active:
            continue
        if (now := frozenset(active)) != last:
            lead = max(now, key=lambda i: (done[i] + 1, spellings[i].state, spellings[i].name))
            changes.append((ranks[at], spellings[lead]))
            last = now
        printing.extend(ranks[at:following])
        for i in now:
            done[i] += following - at
    return changes, printing


def _lead_changes_listed(
    spellings: list[Spelling], rank: dict[Any, int], participating: set[int]
) -> tuple[list[tuple[int, Spelling]], list[int]]:
    """``_lead_changes`` read list by list (spellings not made from runs: the old lists, a spelling made by
    hand)."""
    printed = [set(map(rank.__getitem__, s.pubs)) for s in spellings]
    lists = sorted(set().union(*printed))
    part = {rank[p] for s in spellings for p in s.pubs if p in participating}
    first_part = min(part, default=None)
    changes: list[tuple[int, Spelling]] = []
    for of_kind in (
        [at for at in lists if at not in part and (first_part is None or at < first_part)],
        [at for at in lists if at in part],
    ):
        counts = [0] * len(spellings)
        last: tuple[int, ...] | None = None
        for at in of_kind:
            now = tuple(i for i, pubs in enumerate(printed) if at in pubs)
            for i in now:
                counts[i] += 1
            if now != last:
                lead = max(now, key=lambda i: (counts[i], spellings[i].state, spellings[i].name))
                changes.append((at, spellings[lead]))
                last = now
    return changes, lists


def _id(s: Spelling) -> str:
    return f"{s.state}-{slug(s.key)}"


def _agencies(
    r: _Resolver,
    body_of: dict[tuple[str, str], str],
    unused: list[Alias],
    order: dict[int, tuple],
    participating: set[int],
    max_gap: int,
) -> Resolution:
    agencies: list[Agency] = []
    agency_of: dict[tuple[str, str], str] = {}
    used_ids: set[str] = set()
    clusters = sorted(r.clusters.members.values(), key=lambda ms: min((s.state, s.name) for s in ms))
    leads = {id(ms): _lead(ms, order, participating) for ms in clusters}
    for members in sorted(clusters, key=lambda ms: (_id(leads[id(ms)]), min((s.state, s.name) for s in ms))):
        lead = leads[id(members)]
        agency_id = _id(lead)
        while agency_id in used_ids:  # two clusters with one key only via an alias split; keep both
            agency_id += "-2"
        used_ids.add(agency_id)
        ordered = sorted(members, key=lambda s: (s is not lead, s.first, s.state, s.name))
        display, name_rules = corrected_name(lead.name, lead.state)
        agency = Agency(
            agency_id,
            lead.state,
            lead.key,
            [
                Member(s, *(r.how.get((s.state, s.name)) or ("same-key", message("spelling.key", key=repr(s.key)))))
                if s is not lead
                else Member(s, "lead", message("spelling.lead"))
                for s in ordered
            ],
            display,
            name_rules,
        )
        agencies.append(agency)
        for s in members:
            agency_of[(s.state, s.name)] = agency_id
    agencies.sort(key=lambda a: a.agency_id)
    resolution = Resolution(agencies, agency_of, list(r.candidates.values()), unused, body_of=body_of)
    _former_ids(resolution, order, participating, max_gap)
    return resolution


def _lasting(changes: list[tuple[int, Spelling]], lists: list[int], max_gap: int) -> list[tuple[int, Spelling]]:
    """The id changes that lasted: an id carried for at most ``max_gap`` of the lists printing the agency and
    then given back (a typo ICE printed and corrected: "Waria-labelon" for Walton County, FL) was never the
    agency's.
    ``lists``: the ranks of the lists printing the agency, in order."""
    kept: list[tuple[int, Spelling]] = []
    for at, lead in changes:
        if kept and _id(kept[-1][1]) == _id(lead):
            continue
        held = bisect.bisect_left(lists, at) - bisect.bisect_left(lists, kept[-1][0]) if kept else 0
        if len(kept) >= 2 and _id(kept[-2][1]) == _id(lead) and held <= max_gap:
            kept.pop()  # back to the id before: the one between was a typo's
            continue
        kept.append((at, lead))
    return kept


def _former_ids(resolution: Resolution, order: dict[int, tuple], participating: set[int], max_gap: int) -> None:
    """Every other id an agency had or would have had: its other spellings' (as built before the spelling
    repairs too), and the id it carried after each list (the lead of the spellings printed so far), unless
    ICE gave the id back within ``max_gap`` lists (``_lasting``). Each change is dated by the list that caused
    it."""
    current = {a.agency_id for a in resolution.agencies}
    by_rank = sorted(order, key=order.__getitem__)
    rank = {p: i for i, p in enumerate(by_rank)}  # the same order, as ints
    kinds: KindRanks = {}
    for agency in resolution.agencies:
        spellings = [m.spelling for m in agency.members]
        rule_of = {(m.spelling.state, m.spelling.name): m.rule for m in agency.members}
        for s in spellings:
            for old in (_id(s), f"{s.state}-{slug(name_key(s.name, s.state, repair=False)[0])}"):
                if old != agency.agency_id and old not in current:
                    resolution.aliases.setdefault(old, agency.agency_id)
        if len({_id(s) for s in spellings}) < 2 or not order:
            continue
        changes, lists = _lead_changes(spellings, rank, participating, kinds)
        previous = None
        for at, lead in _lasting(changes, lists, max_gap):
            now = _id(lead)
            if previous is not None and now != previous:
                rule = rule_of.get((lead.state, lead.name), "lead")
                reason = f"ICE printed {lead.name!r} ({lead.state})" + (
                    f", joined by rule {rule}" if rule != "lead" else ""
                )
                resolution.id_changes.append(IdChange(by_rank[at], previous, now, reason, agency.agency_id))
            previous = now
        if previous != agency.agency_id and previous is not None:  # the final id may carry a -2 suffix
            resolution.id_changes.append(
                IdChange(
                    by_rank[lists[-1]],
                    previous,
                    agency.agency_id,
                    "two agencies of one name told apart",
                    agency.agency_id,
                )
            )
