"""How big each agency is: its sworn officers, from the FBI roster where matched, else a stated estimate.

The funding model sizes each agency's task force from this (``agency_size``), and the pages show where the
number comes from. The rules, in order:

- ``roster``: the matched ORI's sworn officers (FBI Law Enforcement Employees; the year is the roster's);
- ``roster-units``: a state agency matched to the headquarters of an agency that reports through units
  ("Department of Law Enforcement:" in seven Florida counties): the sworn officers of every unit of that
  name reporting for the headquarters' year;
- ``fallback-kind-state``: no count (no ORI, or the roster reports none or 0): the median sworn officers of
  the roster agencies of the same kind in the same state, when there are at least ``MINIMUM``;
- ``fallback-kind``: else the median of that kind nationwide (at least ``MINIMUM``);
- ``fallback-state``: else the median of every roster agency of the state.

Every rule's result carries a message (``track287g.messages``) saying so, with the figures it used.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from track287g.enrich.locate import is_state_level
from track287g.enrich.names import core
from track287g.enrich.records import AgencyRecord
from track287g.enrich.rosters import RosterAgency
from track287g.messages import Message, message

MINIMUM = 5  # roster agencies a median needs


@dataclass(frozen=True)
class Size:
    """An agency's sworn officers and the rule that gave the number."""

    sworn: int | None
    rule: str  # roster | roster-units | fallback-kind-state | fallback-kind | fallback-state | none
    ori: str | None = None
    year: int | None = None
    basis: Message = field(default_factory=dict)


class Medians:
    """Median sworn officers of the FBI roster agencies (those with a count above 0), by kind and state."""

    def __init__(self, rosters: Iterable[RosterAgency]):
        by_kind_state: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_kind: dict[str, list[int]] = defaultdict(list)
        by_state: dict[str, list[int]] = defaultdict(list)
        for r in rosters:
            if r.sworn and r.lee_name is not None:
                by_kind_state[(r.kind, r.state)].append(r.sworn)
                by_kind[r.kind].append(r.sworn)
                by_state[r.state].append(r.sworn)
        self.by_kind_state, self.by_kind, self.by_state = by_kind_state, by_kind, by_state

    def estimate(self, kind: str, state: str) -> Size:
        name = state
        found = self.by_kind_state.get((kind, state), [])
        if len(found) >= MINIMUM:
            sworn = _median(found)
            return Size(sworn, "fallback-kind-state", basis=_basis("kind-state", sworn, found, kind, name))
        found = self.by_kind.get(kind, [])
        if len(found) >= MINIMUM:
            sworn = _median(found)
            return Size(sworn, "fallback-kind", basis=_basis("kind", sworn, found, kind, name))
        found = self.by_state.get(state, [])
        if found:
            sworn = _median(found)
            return Size(sworn, "fallback-state", basis=_basis("state", sworn, found, kind, name))
        return Size(None, "none")


def _median(values: list[int]) -> int:
    return max(1, round(statistics.median(values)))


def _basis(rule: str, sworn: int, found: list[int], kind: str, state: str) -> Message:
    return message(f"size.fallback-{rule}", sworn=sworn, n=len(found), kind=kind, state=state, minimum=MINIMUM)


def agency_sizes(
    records: list[AgencyRecord], oris: dict[str, str | None], rosters: dict[str, RosterAgency]
) -> dict[str, Size]:
    """agency id -> its size, for every record (``oris``: agency id -> matched ORI or None).

    The medians and the units are made from every roster agency when a record first needs them (0.015 s each):
    an add works out a few agencies, and the units serve only a state agency matched to a roster with a count."""
    medians: Medians | None = None
    units: dict[tuple[str, str], list[RosterAgency]] | None = None
    out: dict[str, Size] = {}
    for record in records:
        roster = rosters.get(oris.get(record.agency_id) or "")
        if roster is not None and roster.sworn:
            siblings = []
            if is_state_level(record):
                units = units if units is not None else _units(rosters.values())
                siblings = _siblings(roster, units)
            same_year = [u for u in siblings if u.data_year == roster.data_year and u.sworn]
            if len(same_year) > 1:
                sworn = sum(u.sworn or 0 for u in same_year)
                basis = message(
                    "size.roster-units", sworn=sworn, ori=roster.ori, units=len(same_year) - 1, year=roster.data_year
                )
                out[record.agency_id] = Size(sworn, "roster-units", roster.ori, roster.data_year, basis)
                continue
            basis = message("size.roster", sworn=roster.sworn, ori=roster.ori, year=roster.data_year)
            out[record.agency_id] = Size(roster.sworn, "roster", roster.ori, roster.data_year, basis)
            continue
        medians = medians if medians is not None else Medians(rosters.values())
        out[record.agency_id] = medians.estimate(record.kind, record.state)
    return out


def _keys(roster: RosterAgency) -> list[tuple[str, str]]:
    return [(roster.state, core(name)) for name in roster.parent_names]


def _units(rosters: Iterable[RosterAgency]) -> dict[tuple[str, str], list[RosterAgency]]:
    """(state, core of a parent name) -> the roster agencies that are units of it."""
    found: dict[tuple[str, str], list[RosterAgency]] = defaultdict(list)
    for r in rosters:
        for key in _keys(r):
            found[key].append(r)
    return found


def _siblings(roster: RosterAgency, units: dict[tuple[str, str], list[RosterAgency]]) -> list[RosterAgency]:
    """Every unit of the agency ``roster`` is a unit of (itself included), each ORI once."""
    found = {u.ori: u for key in _keys(roster) for u in units.get(key, [])}
    return list(found.values())
