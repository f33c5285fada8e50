"""The maps' county and state outlines written compactly (relative steps, short numbers): read back, every path of
``shapes.json`` lands on exactly the points it had (rounded to the map's precision), for every county and state."""

from __future__ import annotations

import re

from track287g.web import svg

_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d*\.\d+|\d+)")


def read_back(d: str, unit: int) -> list[list[tuple[int, int]]]:
    """The rings of a path as absolute points in units of ``1/unit``, whether written absolutely (``M``, ``L``)
    or relatively (``l``, with the pairs after a command repeating it), as a browser reads it."""
    found: list[list[tuple[int, int]]] = []
    ring: list[tuple[int, int]] = []
    command, pending = "", []
    for token in _TOKEN.findall(d):
        if token.isalpha():
            assert token in "MLlZz", f"unexpected command {token!r}"
            if token in "Zz":
                found.append(ring)
            command = token
            continue
        pending.append(round(float(token) * unit))
        if len(pending) == 2:
            x, y = pending
            pending = []
            if command == "M":
                ring = [(x, y)]
                command = "L"  # pairs after a moveto are linetos
            elif command == "L":
                ring.append((x, y))
            else:
                ring.append((ring[-1][0] + x, ring[-1][1] + y))
    assert not pending and command in "Zz"
    return found


def test_every_county_and_state_outline_lands_on_its_rounded_points_and_is_shorter():
    geo = svg.shapes()
    paths = [c["d"] for c in geo["counties"].values()] + [s["d"] for s in geo["states"].values()]
    assert len(paths) > 3000
    before = after = 0
    for d in paths:
        short = svg.compact_path(d)
        assert read_back(short, 100) == read_back(d, 100), d[:40]
        before, after = before + len(d), after + len(short)
    assert after < 0.65 * before


def test_the_national_maps_coarse_outlines_keep_only_points_of_the_shape_rounded_to_a_tenth():
    def tenths(v: int) -> set[int]:  # a point halfway between two tenths may go either way
        return {(v + 5) // 10, (v + 4) // 10}

    for county in svg.shapes()["counties"].values():
        near = {(a, b) for ring in read_back(county["d"], 100) for x, y in ring for a in tenths(x) for b in tenths(y)}
        kept = read_back(svg.coarse(county["d"]), 10)
        assert kept and all(len(ring) >= 3 and set(ring) <= near for ring in kept), county["name"]


def test_numbers_are_written_short_and_separated_only_where_needed():
    assert svg.compact([[(0, 0), (50, -5), (-50, 5), (100, 100), (110, 100)]]) == "M0 0l.5-.05-1 .1 1.5.95.1 0z"
    assert svg.compact([[(12, 3), (12, 3)]], 1) == "M1.2.3l0 0z"
