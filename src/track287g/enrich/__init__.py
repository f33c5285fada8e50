"""Enrich: tie ICE's agencies to FBI roster ORIs and counties; coverage figures and maps.

The public surface, for the CLI, the Python API and the web pages:

- ``enrich_database(conn)``: the stage itself, run after history (writes the enrich tables);
- ``agency_facts(conn, agency_id)``: ORI, match method and score, officers, population served, county;
- ``coverage(conn, as_of=None)``: agreements, agencies, officers and people covered, by county/state/nation;
- ``render_map(conn, state=None, as_of=None, fmt="svg")``: a county map as SVG or PNG bytes;
- ``match_report(conn)``: match rates by kind and state, and the unmatched agencies;
- ``state_laws(conn, stance=None)``, ``state_law_row(conn, code)``: each state's law on 287(g) (``load_state_laws``
  reads and checks the file).

The modules load on first use: the command line's quick ``agency`` reads ``agency_facts`` alone, and must start
fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from track287g import lazy

if TYPE_CHECKING:
    from track287g.enrich.covered import CoverageError, coverage
    from track287g.enrich.facts import agency_facts
    from track287g.enrich.laws import CONFIDENCES, STANCES, load_state_laws, state_law_row, state_laws
    from track287g.enrich.maps import MapError, map_spec, render_map
    from track287g.enrich.reference import InputError
    from track287g.enrich.report import match_report
    from track287g.enrich.stage import EnrichResult, enrich_database

_HOMES = {
    "covered": ("CoverageError", "coverage"),
    "facts": ("agency_facts",),
    "laws": ("CONFIDENCES", "STANCES", "law_then", "load_state_laws", "state_law_row", "state_laws"),
    "maps": ("MapError", "map_spec", "render_map"),
    "reference": ("InputError",),
    "report": ("match_report",),
    "stage": ("EnrichResult", "enrich_database"),
}

__all__ = [
    "CONFIDENCES",
    "STANCES",
    "CoverageError",
    "EnrichResult",
    "InputError",
    "MapError",
    "agency_facts",
    "coverage",
    "enrich_database",
    "law_then",
    "load_state_laws",
    "map_spec",
    "match_report",
    "render_map",
    "state_law_row",
    "state_laws",
]


__getattr__ = lazy.exports(__name__, _HOMES)
