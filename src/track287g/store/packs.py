"""How ``listing_pack`` holds a publication's row numbers: space-separated runs, ``2-5 7`` for 2, 3, 4, 5 and 7
(a list's rows are one run but for blank rows). The archive writes them, the history build reads them."""

from __future__ import annotations

from array import array


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
    for token in text.split():
        first, _, last = token.partition("-")
        size = int(last or first) - int(first) + 1
        if 0 <= position < size:
            return int(first) + position
        position -= size
    raise IndexError("row position out of the pack")


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
