"""How ``listing_pack`` holds a publication's rows. Row numbers: space-separated runs, ``2-5 7`` for 2, 3, 4, 5
and 7 (a list's rows are one run but for blank rows). Row ids: each written out, space-separated, or (a
*delta*) as the change from another list's ids: ``@12 0:40 1f2e3d4c5b6a7980 41:300`` is list 12's first 40
ids, one id, then its ids 41 to 299 (a list repeats most of the one before it). The archive writes them, the
history build reads them and writes the deltas (``delta_ids``)."""

from __future__ import annotations

from array import array
from collections.abc import Sequence


def pack_numbers(numbers: list[int]) -> str:
    """Ascending row numbers (each at least 1) as runs."""
    out: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        out.append(str(numbers[i]) if i == j else f"{numbers[i]}-{numbers[j]}")
        i = j + 1
    return " ".join(out)


def unpack_numbers(text: str) -> array:
    """The row numbers of ``pack_numbers`` (or of a pack written before the runs: each number)."""
    if "-" not in text:
        return array("l", map(int, text.split()))
    out = array("l")
    for token in text.split():
        first, _, last = token.partition("-")
        out.extend(range(int(first), int(last or first) + 1))
    return out


def count_numbers(text: str) -> int:
    """How many row numbers ``unpack_numbers`` reads from ``text``, counted from its runs (None of them made)."""
    if "-" not in text:
        return len(text.split())
    count = 0
    for token in text.split():
        first, _, last = token.partition("-")
        count += int(last or first) - int(first) + 1
    return count


def number_at(text: str, position: int) -> int:
    """The row number at ``position`` (from 0) of what ``unpack_numbers`` reads from ``text``, from its runs."""
    return numbers_at(text, [position])[0]


def numbers_at(text: str, positions: Sequence[int]) -> list[int]:
    """The row numbers at these positions (ascending, from 0) of what ``unpack_numbers`` reads from ``text``,
    from its runs in one pass (the rest not made)."""
    out: list[int] = []
    wanted = iter(positions)
    at = next(wanted, None)
    start = 0  # the position of the run's first number
    for token in text.split() if at is not None else ():
        first, _, last = token.partition("-")
        low = int(first)
        end = start + int(last or first) - low + 1
        while at is not None and at < end:
            if at < start:
                raise IndexError("row positions not ascending")
            out.append(low + at - start)
            at = next(wanted, None)
        if at is None:
            break
        start = end
    if at is not None:
        raise IndexError("row position out of the pack")
    return out


def ascending(text: str) -> bool:
    """Whether the row numbers of a pack rise from each to the next (as ``pack_numbers`` writes them), read from
    its runs."""
    last = -1
    for token in text.split():
        first, _, end = token.partition("-")
        if int(first) <= last or int(end or first) < int(first):
            return False
        last = int(end or first)
    return True


DELTA = "@"


def base_of(text: str) -> int | None:
    """The publication whose row ids a delta is written from (None: the ids are written out)."""
    return int(text[1:].partition(" ")[0]) if text.startswith(DELTA) else None


def delta_ids(base_id: int, base: list[str], ids: list[str]) -> str:
    """``ids`` written as slices of ``base`` (the ids of publication ``base_id``) and the ids not in it."""
    if ids == base:  # the list posted again, or unchanged
        return f"{DELTA}{base_id} 0:{len(ids)}" if ids else f"{DELTA}{base_id}"
    first = dict(zip(reversed(base), range(len(base) - 1, -1, -1), strict=True))  # id -> where base prints it first
    out = [f"{DELTA}{base_id}"]
    i, n, m = 0, len(ids), len(base)
    while i < n:
        j = first.get(ids[i])
        if j is None:
            out.append(ids[i])
            i += 1
            continue
        size = min(n - i, m - j)  # the longest run of base from j that ids repeat from i, found by halving
        if ids[i : i + size] != base[j : j + size]:
            same, differs = 1, size
            while differs - same > 1:
                mid = (same + differs) // 2
                if ids[i : i + mid] == base[j : j + mid]:
                    same = mid
                else:
                    differs = mid
            size = same
        out.append(f"{j}:{j + size}")
        i += size
    return " ".join(out)


def read_delta(
    text: str, base: list[str], intern: dict[str, str]
) -> tuple[list[str], list[tuple[int, int]], list[int]]:
    """The row ids a delta writes, from its base's ids (an id written out is read as ``intern``'s copy); with the
    slices of the base's ids it repeats, ``(first, end)`` in the delta's order, and where in the ids read each
    id written out stands (ascending). A delta repeating its base whole (the same rows posted again: a quarter
    of the lists of ten synthetic years) reads as the base's own list, not a copy: lists' ids are read, never
    changed."""
    if text.endswith(f" 0:{len(base)}") and text.count(" ") == 1:
        return base, [(0, len(base))], []
    out: list[str] = []
    taken: list[tuple[int, int]] = []
    written: list[int] = []
    for token in text.split()[1:]:
        first, colon, end = token.partition(":")
        if colon:
            taken.append((start := int(first), stop := int(end)))
            out += base[start:stop]
        else:
            written.append(len(out))
            out.append(intern.get(token, token))
    return out, taken, written


def apply_delta(text: str, base: list[str], intern: dict[str, str]) -> list[str]:
    """The row ids a delta writes, from its base's ids; an id written out is read as ``intern``'s copy."""
    return read_delta(text, base, intern)[0]
