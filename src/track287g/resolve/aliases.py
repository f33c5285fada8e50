"""The committed alias table: human decisions about spellings, applied on every rebuild.

``data/aliases.csv`` has columns ``state,spelling,action,target,note``:

- ``same-as``: ``spelling`` is the same agency as ``target`` (another spelling ICE printed in that state);
- ``distinct-from``: ``spelling`` and ``target`` are different agencies, whatever the typo rule says.

Spellings are compared ignoring case, spacing and quote style. A spelling sent to two different targets,
or ``same-as`` rows that form a cycle, make the table contradictory: it is rejected, naming the lines.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from track287g.config import ALIASES
from track287g.errors import Track287gError
from track287g.normalize.text import squash, straight_quotes

ACTIONS = ("same-as", "distinct-from")


class AliasError(Track287gError):
    """The alias table cannot be applied (bad row, contradiction, cycle)."""


@dataclass(frozen=True)
class Alias:
    line: int
    state: str
    spelling: str
    action: str
    target: str
    note: str


@lru_cache(maxsize=1 << 15)  # the history compares the same few thousand spellings many times
def loose(name: str) -> str:
    """The form in which spellings are compared: case, spacing and quote style ignored."""
    return squash(straight_quotes(name)).lower()


def load_aliases(path: Path = ALIASES) -> list[Alias]:
    """Read and validate the alias table. Raises AliasError naming the file and offending lines."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"state", "spelling", "action", "target"} - set(reader.fieldnames or [])
        if missing:
            raise AliasError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        rows = []
        for line, row in enumerate(reader, start=2):
            state, spelling, action, target = (
                row.get(k, "").strip() for k in ("state", "spelling", "action", "target")
            )
            if not (state and spelling and target):
                raise AliasError(f"{path}:{line}: state, spelling and target are required")
            if action not in ACTIONS:
                raise AliasError(f"{path}:{line}: action must be one of {', '.join(ACTIONS)}, not {action!r}")
            if loose(spelling) == loose(target):
                raise AliasError(f"{path}:{line}: spelling and target are the same name")
            rows.append(Alias(line, state.upper(), spelling, action, target, (row.get("note") or "").strip()))
    _check(path, rows)
    return rows


def _check(path: Path, rows: list[Alias]) -> None:
    targets: dict[tuple[str, str], Alias] = {}
    for a in rows:
        if a.action != "same-as":
            continue
        key = (a.state, loose(a.spelling))
        if key in targets and loose(targets[key].target) != loose(a.target):
            first = targets[key]
            raise AliasError(
                f"{path}: lines {first.line} and {a.line} map {a.spelling!r} ({a.state}) to two agencies: "
                f"{first.target!r} and {a.target!r}"
            )
        targets[key] = a
    same = {(k, loose(a.target)) for k, a in targets.items()}
    distinct = [(a.state, loose(a.spelling), loose(a.target), a) for a in rows if a.action == "distinct-from"]
    for state, s, t, a in distinct:
        if ((state, s), t) in same or ((state, t), s) in same:
            raise AliasError(f"{path}:{a.line}: {a.spelling!r} is declared both same-as and distinct-from {a.target!r}")
    for start in targets:
        seen = [start]
        node = start
        while node in targets:
            node = (node[0], loose(targets[node].target))
            if node == start:
                lines = sorted(targets[n].line for n in seen)
                raise AliasError(f"{path}: same-as rows form a cycle (lines {', '.join(map(str, lines))})")
            if node in seen:
                break
            seen.append(node)
