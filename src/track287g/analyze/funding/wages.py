"""Patrol officers' wages per state from the bundled BLS OEWS files (occupation 33-3051)."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache

from track287g.config import PACKAGE_DATA
from track287g.normalize.tables import states

REFERENCE = PACKAGE_DATA / "reference"


def bls_file(year: str | int) -> str:
    return f"bls-oews-police-patrol-officers-by-state-{year}.json"


@cache
def _states_by_fips(year: str) -> dict[str, dict[str, float]]:
    data = json.loads((REFERENCE / bls_file(year)).read_text(encoding="utf-8"))
    return data["states"]


def reference_date(year: str | int) -> dt.date:
    """OEWS estimates refer to May of their year; the model dates them at mid-May."""
    return dt.date(int(year), 5, 15)


def state_wage(state: str | None, year: str | int, statistic: str, fallback: float) -> tuple[float, str]:
    """The annual wage (BLS ``avg`` or ``med``) for a USPS state code, and where it came from.

    Places without a BLS row (territories, an unknown state) get ``fallback`` and say so.
    """
    row = states().get(state or "")
    figures = _states_by_fips(str(year)).get(row["fips"]) if row else None
    if figures is None or figures.get(statistic) is None:
        return float(fallback), "national fallback"
    return float(figures[statistic]), f"BLS OEWS May {year}, {state}"


def national_mean(year: str | int, statistic: str = "avg") -> float:
    """Employment-weighted mean over the states of the file (a check on the stated national figure)."""
    rows = _states_by_fips(str(year)).values()
    return sum(r["emp"] * r[statistic] for r in rows) / sum(r["emp"] for r in rows)
