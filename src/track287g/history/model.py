"""The history's data: agreements, applications, events, corrections and transfers, and the small rules every
part of the build shares (re-dating by a typing slip, a row's place in its list, a row's agency)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import overload

from track287g.history.load import Pub, Row, positions
from track287g.history.rules import Rules
from track287g.history.vocabulary import EVENT_TYPES
from track287g.messages import Message
from track287g.normalize.agency_kind import agency_kind
from track287g.normalize.dates import typing_slip
from track287g.resolve.agencies import Agency, Resolution, Spelling
from track287g.resolve.names import corrected_name

_EVENT_TYPES = frozenset(EVENT_TYPES)
PLUS = ("added", "model-added", "renewed", "model-switch", "moved-from-pending", "reappeared")
MINUS = ("removed", "missing", "superseded")
PENDING_PLUS = ("pending-added", "pending-reappeared")
PENDING_MINUS = ("pending-approved", "pending-duplicate", "pending-withdrawn", "pending-missing")
UNDATED = "undated"
UNKNOWN_MODEL = "UNK"


class Runs(Sequence[int]):
    """Sorted, distinct list indices kept as runs of consecutive ones: an agreement listed every day for ten
    years is one run, not 3,650 ints. Read like a sorted list (``len``, ``[i]``, iteration, ``in``, ``bisect``,
    ``==`` a list); indices are added in order (``extend`` a range: one run at once)."""

    __slots__ = ("_before", "_firsts", "_lasts")

    def __init__(self, values: Iterable[int] = ()) -> None:
        self._firsts: list[int] = []
        self._lasts: list[int] = []
        self._before: list[int] = []  # how many indices the runs before each one hold
        self.extend(values)

    def add_run(self, first: int, last: int) -> None:
        """Add ``first`` .. ``last`` (both included), after every index held."""
        if first > last:
            return
        if self._lasts and first <= self._lasts[-1]:
            raise ValueError(f"index {first} added after {self._lasts[-1]}: runs are added in order")
        if self._lasts and first == self._lasts[-1] + 1:
            self._lasts[-1] = last
        else:
            self._before.append(len(self))
            self._firsts.append(first)
            self._lasts.append(last)

    def extend(self, values: Iterable[int]) -> None:
        if isinstance(values, range) and values.step == 1:
            self.add_run(values.start, values.stop - 1)
        else:
            for v in values:
                self.add_run(v, v)

    def append(self, value: int) -> None:
        self.add_run(value, value)

    def runs(self) -> list[tuple[int, int]]:
        """(first, last) of each run, in order."""
        return list(zip(self._firsts, self._lasts, strict=True))

    def __len__(self) -> int:
        return self._before[-1] + self._lasts[-1] - self._firsts[-1] + 1 if self._lasts else 0

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        if i == 0 and self._firsts:  # the first and the last, asked most: read straight from their runs
            return self._firsts[0]
        if i == -1 and self._lasts:
            return self._lasts[-1]
        if isinstance(i, slice):
            return list(self)[i]
        n = len(self)
        at = i + n if i < 0 else i
        if not 0 <= at < n:
            raise IndexError("Runs index out of range")
        r = bisect.bisect_right(self._before, at) - 1
        return self._firsts[r] + at - self._before[r]

    def __iter__(self) -> Iterator[int]:
        for first, last in zip(self._firsts, self._lasts, strict=True):
            yield from range(first, last + 1)

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int):
            return False
        r = bisect.bisect_right(self._firsts, value) - 1
        return r >= 0 and value <= self._lasts[r]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Runs):
            return (self._firsts, self._lasts) == (other._firsts, other._lasts)
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Runs({self.runs()!r})"


@dataclass
class Agreement:
    agreement_id: str
    agency_id: str  # its holder in the latest list that printed it
    state: str
    model: str
    signed: str | None
    positions: Runs = field(default_factory=Runs)  # indices of participating publications listing it
    listings: int = 0
    moa_url: str | None = None
    addendum_url: str | None = None
    status: str = "active"
    superseded_by: str | None = None
    supersedes: list[str] = field(default_factory=list)
    removed_after: int | None = None  # index of the last publication listing it, when removed
    removed_by: int | None = None  # index of the first publication without it
    # removed from the latest lists only: the removal is confirmed when ``lists_to_confirm`` more leave it out
    # and (when set) a list of ``confirm_from`` or later does
    provisional: bool = False
    lists_to_confirm: int = 0
    confirm_from: str | None = None
    pending_id: str | None = None
    signed_probable: str | None = None  # the date ICE probably meant, when SIGNED has a year typo
    holders: list[tuple[int, str]] = field(default_factory=list)  # (index, agency) each time the holder changed
    printed: dict[tuple[str, str | None], int] = field(default_factory=dict)  # (agency, date) -> first index


@dataclass
class Application:
    pending_id: str
    agency_id: str
    state: str
    model: str
    positions: Runs = field(default_factory=Runs)  # indices of pending lists listing it
    listings: int = 0
    status: str = "pending"
    agreement_id: str | None = None
    days_to_approval: int | None = None
    approval: str = ""  # how the agreement it became was found
    duplicate_of: str | None = None  # another pending row of one application, approved with it
    note: dict | None = None  # a withdrawal: what the record holds beside it (``messages.message``)


@dataclass
class Event:
    pub: Pub
    prev: Pub | None
    type: str
    agency_id: str | None = None
    agreement_id: str | None = None
    pending_id: str | None = None
    state: str | None = None
    model: str | None = None
    detail: dict = field(default_factory=dict)
    other_agency_id: str | None = None  # a transfer's former holder
    counted_in: Pub | None = None  # the publication whose net change it explains, when not ``pub``

    def __post_init__(self) -> None:
        if self.type not in _EVENT_TYPES:
            raise ValueError(f"event type {self.type!r} is not in history.vocabulary.EVENT_TYPES")


@dataclass
class Correction:
    agreement_id: str
    field: str
    old: str
    new: str
    pub: Pub
    rule: str
    note: str = ""  # why, when a person decided it (data/misprints.csv)


@dataclass
class Transfer:
    agreement_id: str
    old: str  # agency ids
    new: str
    index: int  # the participating publication where the new holder first printed it
    evidence: Message  # what the rows say (``messages``: "in the list of ... left ... and appeared under ...")


@dataclass
class History:
    resolution: Resolution
    spellings: list[Spelling]
    participating: list[Pub]
    pending_pubs: list[Pub]
    agreements: dict[str, Agreement]
    applications: dict[str, Application]
    row_agreement: dict[str, str]  # participating row id -> agreement id (a printed row is one agreement)
    listing_application: dict[tuple[int, int], str]  # (pub_id, row number) -> pending application id
    events: list[Event]
    corrections: list[Correction]
    checks: dict[str, dict]  # sha256 -> {suspect, added, removed, net, note}
    unresolved: list[tuple[int, int]]  # listings with no state or agency
    rows: dict[str, Row] = field(default_factory=dict)
    transfers: list[Transfer] = field(default_factory=list)
    agreement_aliases: dict[str, str] = field(default_factory=dict)  # a former id -> agreement id
    audit: list = field(default_factory=list)  # history.audit.Item, one per removal and withdrawal
    rules: Rules | None = None
    nets: dict[str, int] = field(default_factory=dict)  # sha256 -> entries listed minus the previous list's

    @cached_property
    def agencies_by_id(self) -> dict[str, Agency]:
        """Each resolved agency by its id (made when first asked, once the agencies are resolved)."""
        return {agency.agency_id: agency for agency in self.resolution.agencies}

    @cached_property
    def lists_by_id(self) -> dict[int, Pub]:
        """Each list of both kinds by its pub_id (made when first asked, after the build)."""
        return {p.pub_id: p for p in (*self.participating, *self.pending_pubs)}


def redate_rule(old: str | None, new: str | None, max_days: int) -> str | None:
    """The rule under which one listing's date may change from ``old`` to ``new`` (None: it may not)."""
    if old is None or new is None:
        return "redate-undated"
    a, b = date.fromisoformat(old), date.fromisoformat(new)
    if abs((b - a).days) <= max_days:
        return "redate-near"
    slip = typing_slip(old, new)
    return f"redate-{slip}" if slip and slip != "day" else None


class Neighbours:
    """Each row id of a list -> the row ids printed just before and after it (for a row printed twice, its last
    printing), looked up in the list when asked: the rules ask about a few rows of a list of thousands."""

    LOOKUPS = 16  # lookups after which every row's neighbours are worked out at once

    def __init__(self, pub: Pub) -> None:
        self._pub = pub
        self._order: list[str] | None = None  # the rows by row number, worked out when first asked
        self._all: dict[str, tuple[str | None, str | None]] | None = None
        self._asked = 0

    def __bool__(self) -> bool:
        return bool(self._pub.ids)

    def _rows(self) -> list[str]:
        """The list's rows by row number: its own list when read in that order (as from the database)."""
        if self._order is None:
            pub = self._pub
            if pub.in_order is None:  # not known from how it was read: looked at once
                numbers = pub.numbers
                pub.in_order = all(map(int.__lt__, numbers, numbers[1:]))
            self._order = pub.ids if pub.in_order else [rid for _, rid in sorted(pub.listings)]
        return self._order

    def get(self, rid: str, default: tuple[str | None, str | None] = (None, None)) -> tuple[str | None, str | None]:
        order = self._rows()
        pub = self._pub
        if pub.in_order and pub.distinct == len(order) and (at := pub.moved_at.get(rid)) is not None:
            return (order[at - 1] if at else None, order[at + 1] if at + 1 < len(order) else None)  # kept by ``link``
        self._asked += 1
        if self._all is None and self._asked > self.LOOKUPS:
            self._all = dict(zip(order, zip([None, *order[:-1]], [*order[1:], None], strict=True), strict=True))
        if self._all is not None:
            return self._all.get(rid, default)
        found = positions(order, rid)
        at = next(found, None)
        if at is None:
            return default
        if self._pub.distinct != len(order):  # its last printing (when a row is printed twice)
            at = max(found, default=at)
        return (order[at - 1] if at else None, order[at + 1] if at + 1 < len(order) else None)


def neighbours(pub: Pub) -> Neighbours:
    """The rows printed just before and after each row of a list (``Neighbours``)."""
    return Neighbours(pub)


def in_place(old: str, new: str, before: Neighbours | dict, after: Neighbours | dict) -> bool:
    """The new row stands where the old row stood: the same row printed just before it, or just after it."""
    a, b = before.get(old, (None, None)), after.get(new, (None, None))
    return (a[0] is not None and a[0] == b[0]) or (a[1] is not None and a[1] == b[1])


def spelled(row: Row) -> tuple[str, str]:
    """(state, agency) of a row with both (the key of ``Resolution.agency_of``)."""
    return (row.state or "", row.agency or "")


def agency_of(history: History, row: Row) -> str | None:
    if not row.state or not row.agency:
        return None
    return history.resolution.agency_of[(row.state, row.agency)]


def agency_kind_of(spellings: list[Spelling], agency_type: str | None) -> str:
    """The kind of agency its latest spelling names, ICE's latest TYPE breaking ties."""
    latest = max(spellings, key=lambda s: (s.last, s.rows))
    return agency_kind(corrected_name(latest.name, latest.state)[0], agency_type)
