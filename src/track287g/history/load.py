"""Load the publications and their rows (as normalized) into memory for the history build."""

from __future__ import annotations

import json
from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Container, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from itertools import compress, count, groupby
from operator import itemgetter

from sqlalchemy import Connection, inspect

from track287g.parse.historical import KIND as HISTORICAL
from track287g.parse.published import PART_RANK
from track287g.store.packs import (
    DELTA,
    ascending,
    base_of,
    count_numbers,
    number_at,
    numbers_at,
    read_delta,
    unpack_numbers,
)
from track287g.store.schema import listing, listing_pack, listing_row, publication, publication_name


@dataclass
class Row:
    """A distinct printed row, normalized (see table listing_row)."""

    row_id: str
    state: str | None
    agency: str | None
    agency_type: str | None
    county: str | None
    model: str | None
    signed: str | None
    moa_status: str
    moa_url: str | None
    addendum_status: str
    addendum_url: str | None


@dataclass
class Pub:
    pub_id: int
    sha256: str
    kind: str
    derived: bool
    published: str
    part: str
    rows: int
    modified: str
    names: list[str]
    # what it lists, in list order (a row printed twice, twice): row numbers and row ids, side by side (16 bytes
    # a listing, where a (number, id) tuple takes 72: a ten-year archive lists millions of rows); the numbers
    # are read through ``numbers``, unpacked from ``packed`` when first asked (most lists are read as their
    # difference from the one before, and never asked)
    _numbers: array = field(default_factory=lambda: array("l"), repr=False)
    ids: list[str] = field(default_factory=list)
    seq: int = 0
    suspect: bool = False
    shares_label: bool = False  # another list of its kind has its date and part of day (ICE's "pm" and "pm2")
    # its distinct rows that came and went since the list before it of its kind, and how many distinct rows it
    # lists (set by ``link`` for one sequence of lists; every pass that reads a list as its difference reads these)
    came: set[str] = field(default_factory=set)
    went: set[str] = field(default_factory=set)
    distinct: int = 0
    after: int | None = None  # the list ``came`` and ``went`` are counted from (its pub_id; None: the first)
    # where in its ids the rows that came to it stand, and those that went at the list after it (set by ``link``
    # when it reads a list through its delta: the rows the rules ask the neighbours of, found without a search)
    moved_at: dict[str, int] = field(default_factory=dict, repr=False)
    in_order: bool | None = None  # whether its rows are listed by row number (None: not known until looked at)
    packed: str = field(default="", repr=False)  # its row numbers as ``store.packs`` writes them, not unpacked yet
    # the delta its row ids were read from (``store.packs.read_delta``): the slices of the ids read from that it
    # repeats, where the ids it writes out stand, the ids read and the ids read from (compared through the delta
    # only while both lists are still theirs)
    delta: tuple[list[tuple[int, int]], list[int], list[str], list[str]] | None = field(default=None, repr=False)

    @property
    def numbers(self) -> array:
        """The row number of each row it lists, in list order."""
        if self.packed:
            self._numbers, self.packed = unpack_numbers(self.packed), ""
        return self._numbers

    @numbers.setter
    def numbers(self, value: array) -> None:
        self._numbers, self.packed = value, ""

    def number_at(self, position: int) -> int:
        """The row number of the row at ``position`` in list order (read from the pack's runs until unpacked)."""
        return number_at(self.packed, position) if self.packed else self._numbers[position]

    def numbers_at(self, positions: list[int]) -> list[int]:
        """The row numbers of the rows at these positions (ascending) in list order, read from the pack's runs
        until unpacked (a list asked for a few rows is not unpacked whole)."""
        return numbers_at(self.packed, positions) if self.packed else [self._numbers[i] for i in positions]

    @property
    def listings(self) -> list[tuple[int, str]]:
        """(row number, row id) of each row it lists, in list order."""
        return list(zip(self.numbers, self.ids, strict=True))

    def row_ids(self) -> Iterator[str]:
        """The row ids it lists, in list order (a row printed twice, twice)."""
        return iter(self.ids)

    @property
    def label(self) -> str:
        """Its date and part of day; with its sha256's first 10 digits when another list of its kind has them."""
        label = f"{self.published} {self.part}".strip()
        return f"{label} ({self.sha256[:10]})" if self.shares_label else label

    def renumbered(self, seq: int) -> Pub:
        """A fresh copy, numbered ``seq`` within its kind and not marked suspect (what ``dataclasses.replace``
        gives, at a fraction of its cost: an archive of ten years copies thousands of lists at every build)."""
        copied = Pub.__new__(Pub)
        copied.__dict__.update(self.__dict__, seq=seq, suspect=False)
        return copied

    def order_key(self) -> tuple:
        return (self.published, PART_RANK.get(self.part, 2), self.modified, self.sha256)

    def days_to(self, later: Pub) -> int:
        """Days from this list's date to a later list's."""
        return (date.fromisoformat(later.published) - date.fromisoformat(self.published)).days


@dataclass
class Archive:
    pubs: dict[str, list[Pub]]  # kind -> publications, oldest first
    rows: dict[str, Row]
    # to pack again: read from ``listing`` (no sound ``listing_pack`` row), or packed before the numbers' runs
    to_repack: list[Pub] = field(default_factory=list)
    # lists whose row ids are written out, to write as a delta from the list before them of their kind: (list,
    # that list); a delta is always from a list before it, so no two lists are written from each other
    to_compact: list[tuple[Pub, Pub]] = field(default_factory=list)

    def without(self, held: set[str]) -> Archive:
        """The archive less the publications whose sha256 is ``held`` (fresh copies, numbered again within their
        kind: a build marks its publications)."""
        pubs = {}
        for kind, seq in self.pubs.items():
            kept = [p for p in seq if p.sha256 not in held]
            pubs[kind] = [p.renumbered(i) for i, p in enumerate(kept, start=1)]
        return Archive(pubs, self.rows)


def load_archive(conn: Connection) -> Archive:
    """Every publication (ordered within its kind by date, part of day, save time) with its listings."""
    names: dict[str, list[str]] = defaultdict(list)
    pubs: dict[int, Pub] = {}
    cursor = conn.connection.cursor()  # read straight through the driver: a row a list and a name a file
    try:
        cursor.execute(f"SELECT sha256, name FROM {publication_name.name}")
        for sha, name in cursor.fetchall():
            names[sha].append(name)
        cursor.execute(
            f"SELECT pub_id, sha256, kind, derived, published, part, rows, workbook_modified FROM {publication.name}"
        )
        for pub_id, sha, kind, derived, published, part, count, modified in cursor.fetchall():
            pubs[pub_id] = Pub(
                pub_id, sha, kind, bool(derived), published, part, count, modified or "", sorted(names[sha])
            )
        cursor.execute(f"SELECT {', '.join(Row.__dataclass_fields__)} FROM {listing_row.name}")
        rows = {r[0]: Row(*r) for r in cursor.fetchall()}
    finally:
        cursor.close()
    to_repack, written_out = _read_listings(
        conn, {pub_id: pub for pub_id, pub in pubs.items() if pub.kind != HISTORICAL}, rows
    )
    by_kind: dict[str, list[Pub]] = defaultdict(list)
    for pub in pubs.values():
        if pub.kind != HISTORICAL:  # the old lists stay out of agreements and events (history.old_lists)
            by_kind[pub.kind].append(pub)
    written_out.update(pub.pub_id for pub in to_repack)  # packed again, with the ids written out
    to_compact = []
    for _kind, seq in by_kind.items():
        seq.sort(key=Pub.order_key)
        dates = Counter((pub.published, pub.part) for pub in seq)
        for i, pub in enumerate(seq, start=1):
            pub.seq = i
            pub.shares_label = dates[pub.published, pub.part] > 1
            if i > 1 and pub.pub_id in written_out:
                to_compact.append((pub, seq[i - 2]))
    return Archive(dict(by_kind), rows, to_repack, to_compact)


def _read_listings(conn: Connection, pubs: dict[int, Pub], rows: dict[str, Row]) -> tuple[list[Pub], set[int]]:
    """Fill in each publication's rows from its ``listing_pack`` row (each row id the one copy of it in memory);
    those without a sound one (a database written before the packs, a pack that does not hold the publication's
    count of rows, or a delta from a list not read soundly) are read from ``listing``. Returned: those, and
    those packed before the row numbers were packed as runs (``store.packs``), to pack again; and the lists
    read from ids written out."""
    one = {rid: rid for rid in rows}
    unpacked = dict(pubs)
    singles: list[Pub] = []
    written_out: set[int] = set()
    waiting: dict[int, list[tuple[Pub, str, str]]] = defaultdict(list)  # list -> deltas from it, not read yet
    last: dict[str, tuple[str, list[str]]] = {}  # kind -> the row ids last written out, as text and read

    def settle(pub: Pub, numbers: str, ids: str, base: list[str] | None = None) -> None:
        """Read a list's pack (``base``: the ids of the list its delta is from), taken if sound; then the
        deltas waiting for it (and theirs)."""
        todo = [(pub, numbers, ids, base)]
        while todo:
            pub, numbers, ids, base = todo.pop()
            if base is not None:
                read, taken, written = read_delta(ids, base, one)
            elif (same := last.get(pub.kind)) is not None and same[0] == ids:  # the last list's rows again: its
                read = same[1]  # list of ids itself (lists' ids are read, never changed)
            else:
                found = ids.split()
                read = list(map(one.get, found, found))
                last[pub.kind] = (ids, read)
            if len(read) != pub.rows or count_numbers(numbers) != pub.rows:
                continue
            pub.ids, pub.packed = read, numbers
            pub.in_order = ascending(numbers)
            if base is not None:
                pub.delta = (taken, written, read, base)
            else:
                written_out.add(pub.pub_id)
            del unpacked[pub.pub_id]
            if pub.rows > 1 and "-" not in numbers:  # each number written out (or rows never adjacent)
                singles.append(pub)
            for later, its_numbers, its_ids in waiting.pop(pub.pub_id, ()):
                todo.append((later, its_numbers, its_ids, read))

    cursor = conn.connection.cursor()  # the largest read of the rebuild: straight through the driver, in batches
    packed = inspect(conn).has_table(listing_pack.name)  # not in a database no command of this version opened
    try:
        cursor.execute(
            f"SELECT pub_id, row_numbers, row_ids FROM {listing_pack.name}" if packed else "SELECT 1 WHERE 0"
        )
        while batch := cursor.fetchmany(200):
            for pub_id, numbers, ids in batch:
                if (pub := unpacked.get(pub_id)) is None:
                    continue
                if not ids.startswith(DELTA):
                    settle(pub, numbers, ids)
                elif (base := base_of(ids) or 0) in unpacked:  # read when the list it is from is (if it is)
                    waiting[base].append((pub, numbers, ids))
                elif base in pubs:
                    settle(pub, numbers, ids, pubs[base].ids)
        if unpacked:
            cursor.execute(
                f"SELECT {listing.c.pub_id.name}, {listing.c.row_number.name}, {listing.c.row_id.name} "
                f"FROM {listing.name} ORDER BY {listing.c.pub_id.name}, {listing.c.row_number.name}"
            )
            while batch := cursor.fetchmany(50_000):
                for pub_id, group in groupby(batch, itemgetter(0)):  # each list's rows, in C
                    if (pub := unpacked.get(pub_id)) is not None:
                        got = list(group)
                        pub.numbers.extend(map(itemgetter(1), got))
                        found = list(map(itemgetter(2), got))
                        pub.ids.extend(map(one.get, found, found))
    finally:
        cursor.close()
    return [*unpacked.values(), *singles], written_out


def link(pubs: list[Pub]) -> None:
    """Give each of one kind's lists, in order, the distinct rows that came and went since the list before it
    (the first: all of its rows came) and its count of distinct rows: the one pass over every listing that the
    passes reading a list as its difference from the one before share (``steps``). A list read as a delta
    from the list before it is compared through the delta (``_changed``), not row by row."""
    before: set[str] = set()  # the distinct rows of the list before
    last: Pub | None = None
    for pub in pubs:
        pub.moved_at = {}
        if last is not None and pub.delta and pub.delta[2] is pub.ids and pub.delta[3] is last.ids:
            came, went = _changed(pub, last, before)
            before -= went
            before |= came
        else:
            now = set(pub.ids)
            came, went, before = now - before, before - now, now
        pub.came, pub.went, pub.distinct = came, went, len(before)
        pub.after = last.pub_id if last is not None else None
        last = pub


def _changed(pub: Pub, base: Pub, listed: set[str]) -> tuple[set[str], set[str]]:
    """(came, went): the distinct rows ``pub`` lists that ``base`` (listing ``listed``) does not, and those
    ``base`` lists that ``pub`` does not, read from ``pub``'s delta from ``base``: an id written out came (if
    ``base`` lacks it), an id of ``base`` no slice takes went (if none of its printings there is taken). Where
    they stand is kept (``Pub.moved_at``): in ``pub`` the last printing of each row that came, in ``base`` each
    row that went when ``base`` prints no row twice."""
    assert pub.delta is not None
    slices, at = pub.delta[:2]
    ids = pub.ids
    written = {ids[i]: i for i in at}  # each id written out -> where in pub's ids (its last printing)
    taken = sorted(slices)  # the slices of base's ids that pub's ids repeat
    came = written.keys() - listed
    pub.moved_at.update((rid, written[rid]) for rid in came)
    went: set[str] = set()
    once = len(base.ids) == len(listed)  # base prints no row twice: each row not taken went, from where it stood
    reached = 0
    for start, stop in [*taken, (len(base.ids), len(base.ids))]:  # the gaps between the slices, and after them
        if reached < start:
            gap = base.ids[reached:start]
            went.update(gap)
            if once:
                base.moved_at.update(zip(gap, range(reached, start), strict=True))
        reached = max(reached, stop)
    if went and not once:  # base prints a row twice: one printing may be taken, not the other
        went = {rid for rid in went if not any(_within(i, taken) for i in positions(base.ids, rid))}
    return came, went


def _within(position: int, slices: list[tuple[int, int]]) -> bool:
    return any(first <= position < end for first, end in slices)


def steps(pubs: list[Pub], start: int = 0) -> Iterator[tuple[int, Pub]]:
    """``enumerate(pubs)`` from ``start``, checking that ``link`` gave each list its difference from the one
    before it in ``pubs`` (a pass reading another sequence would read wrong differences: it raises instead)."""
    after = pubs[start - 1].pub_id if start else None
    for index in range(start, len(pubs)):
        pub = pubs[index]
        if pub.after != after or (pub.distinct == 0 and pub.ids):
            raise RuntimeError(f"list {pub.label} ({pub.kind}) read out of the sequence it was linked in")
        yield index, pub
        after = pub.pub_id


def positions(ids: list[str], rid: str) -> Iterator[int]:
    """Where a list prints a row, every printing in list order, found by the list's own search."""
    at = -1
    with suppress(ValueError):
        while True:
            at = ids.index(rid, at + 1)
            yield at


# up to this many rows are each searched for in a list (a search stops at the row when the list prints no row
# twice); more are found by reading the list once, which costs what about five searches do (a list of 1,350
# rows: 40 µs read once, 8 µs a search stopping halfway, 26 µs one searching to the end)
SEARCHED = 3


def printings(pub: Pub, wanted: Collection[str]) -> list[int]:
    """Where a list prints these distinct rows: every printing, in list order (a row it does not print: none).
    Whether the list prints a row twice is read from its count of distinct rows (``link``; a list not linked
    is searched as one that does)."""
    ids = pub.ids
    if len(wanted) > SEARCHED:
        wanted = wanted if isinstance(wanted, set | frozenset) else set(wanted)
        return list(compress(count(), map(wanted.__contains__, ids)))
    if pub.distinct != len(ids):  # a row printed twice: each printing of each row
        return sorted(at for rid in wanted for at in positions(ids, rid))
    found = []
    for rid in wanted:
        with suppress(ValueError):
            found.append(ids.index(rid))
    return sorted(found)


class Since:
    """The distinct rows that went and came since the last list read, the differences of the lists passed by on
    the way (a suspect list skipped) added up: ``add`` each list in turn, ``take`` at each list read."""

    def __init__(self) -> None:
        self.went: set[str] = set()
        self.came: set[str] = set()

    def add(self, pub: Pub) -> None:
        self.add_change(pub.went, pub.came)

    def add_change(self, went: Iterable[str], came: Iterable[str]) -> None:
        """Add one list's difference from the one before it."""
        for rid in went:
            if rid in self.came:  # it came since, and went again
                self.came.remove(rid)
            else:
                self.went.add(rid)
        for rid in came:
            if rid in self.went:  # it went since, and came back
                self.went.remove(rid)
            else:
                self.came.add(rid)

    def take(self) -> tuple[set[str], set[str]]:
        """(went, came) since the list read last; the next list is read from this one."""
        went, came = self.went, self.came
        self.went, self.came = set(), set()
        return went, came


def first_printed(pubs: list[Pub]) -> dict[int, set[str]]:
    """Index of a list -> the rows it was the first of these lists (one kind, in order, linked) to print: a row
    never printed before came in that list (lists that printed no new row are left out)."""
    found: dict[int, set[str]] = {}
    seen: set[str] = set()
    for index, pub in steps(pubs):
        if fresh := pub.came - seen:
            seen |= fresh
            found[index] = fresh
    return found


def last_printed(pubs: list[Pub], wanted: Container[str]) -> dict[str, int]:
    """Row id -> index of the last of these lists (one kind, in order, linked) to print it, for the rows in
    ``wanted`` (read from the lists' differences: a row that went and came back counts its later run)."""
    found: dict[str, int] = {}
    present: set[str] = set()
    for index, pub in steps(pubs):
        for rid in present.intersection(pub.went):
            found[rid] = index - 1
        present.difference_update(pub.went)
        present.update(rid for rid in pub.came if rid in wanted)
    found.update(dict.fromkeys(present, len(pubs) - 1))
    return found


def distinct_rows(pubs: list[Pub]) -> set[str]:
    """Every row id any of these lists (one kind, in order, linked) prints: each came in some list."""
    return set().union(*(pub.came for _, pub in steps(pubs)))


def times_listed(pubs: list[Pub]) -> Counter:
    """Row id -> how many times these lists (one kind, in order, linked) print it: counted from its runs of
    consecutive lists, and the extra printings of a row printed twice in one list."""
    count: Counter = Counter()
    since: dict[str, int] = {}  # row -> where its current run of lists began
    for index, pub in steps(pubs):
        for rid in pub.went:
            count[rid] += index - since.pop(rid)
        since.update(dict.fromkeys(pub.came, index))
        if len(pub.ids) > pub.distinct:  # rows printed more than once: each extra printing is a listing
            count.update(Counter(pub.ids) - Counter(set(pub.ids)))
    for rid, start in since.items():
        count[rid] += len(pubs) - start
    return count


def flags_of(value: str) -> list[str]:
    return json.loads(value) if value else []
