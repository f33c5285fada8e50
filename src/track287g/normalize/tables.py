"""The fix tables (CSV data files) that name and drive the repairs."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from track287g.config import FIXES


def read_table(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def states() -> dict[str, dict[str, str]]:
    """USPS code -> {usps, fips, name, kind} for the 50 states, DC and the five inhabited territories."""
    return {row["usps"]: row for row in read_table(FIXES / "states.csv")}


@cache
def state_by_name() -> dict[str, str]:
    return {row["name"]: code for code, row in states().items()}


@cache
def state_typos() -> dict[str, str]:
    return {row["raw"]: row["usps"] for row in read_table(FIXES / "state_typos.csv")}


@cache
def models() -> dict[str, tuple[str, str]]:
    """Upper-cased support type -> (model code, rule)."""
    return {row["raw"]: (row["model"], row["rule"]) for row in read_table(FIXES / "models.csv")}


@cache
def agency_types() -> dict[str, tuple[str | None, str]]:
    """Upper-cased TYPE -> (agency type or None, rule)."""
    return {row["raw"]: (row["agency_type"] or None, row["rule"]) for row in read_table(FIXES / "agency_types.csv")}


MODEL_NAMES = {"JEM": "Jail Enforcement Model", "TFM": "Task Force Model", "WSO": "Warrant Service Officer"}
