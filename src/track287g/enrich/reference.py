"""Where the bundled reference data and the human-edited enrichment tables live, and a checked CSV reader.

Every file the enrich stage reads goes through ``read_rows``: a missing column, a short row or a bad value
is an ``InputError`` whose message names the file and the line, never a traceback.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from track287g.config import PACKAGE_DATA
from track287g.errors import Track287gError

REFERENCE = PACKAGE_DATA / "reference"
ENRICH_TABLES = PACKAGE_DATA / "enrich"

LEE_FILE = REFERENCE / "fbi-lee-2025.csv"
UCR_FILE = REFERENCE / "fbi-ucr-agencies-2021.csv"
CENSUS_FILE = REFERENCE / "census-county-population-2024.csv"
COUNTY_SHAPES = REFERENCE / "geo" / "us-counties-inset.geojson"
STATE_SHAPES = REFERENCE / "geo" / "us-states-inset.geojson"
MANUAL_MATCHES = ENRICH_TABLES / "manual_matches.csv"
AGENCY_COUNTIES = ENRICH_TABLES / "agency_counties.csv"
STATE_CAPITALS = ENRICH_TABLES / "state_capitals.csv"


class InputError(Track287gError):
    """A problem in an input file that a person can fix; the message names the file and line."""


def read_rows(path: Path, required: Iterable[str], *, encoding: str = "utf-8") -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each non-blank data row of a CSV file with the ``required`` columns.

    Values are stripped of surrounding whitespace. Extra columns are kept; a row with fewer fields than the
    header is an error.
    """
    required = list(required)
    try:
        handle = path.open(newline="", encoding=encoding)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
            if not header:
                raise InputError(f"{path}: line 1: empty file; expected the columns {', '.join(required)}")
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(
                    f"{path}: line 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                    f"(the header has {', '.join(header)})"
                )
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) < len(header):
                    raise InputError(
                        f"{path}: line {reader.line_num}: {len(row)} fields where the header has {len(header)}"
                    )
                yield reader.line_num, {name: row[i].strip() for i, name in enumerate(header)}
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not {encoding} text ({exc.reason} at byte {exc.start})") from None
        except csv.Error as exc:
            raise InputError(f"{path}: line {reader.line_num}: malformed CSV ({exc})") from None


def optional_int(value: str, path: Path, line: int, column: str) -> int | None:
    """An integer cell; empty, NULL and N/A read as None, anything else not a whole number is an error."""
    if value in ("", "NULL", "N/A", "NA"):
        return None
    try:
        number = float(value)
    except ValueError:
        raise InputError(f"{path}: line {line}: {column} is {value!r}, not a number") from None
    if number != int(number) or number < 0:
        raise InputError(f"{path}: line {line}: {column} is {value!r}, not a whole count")
    return int(number)


def optional_float(value: str, path: Path, line: int, column: str) -> float | None:
    if value in ("", "NULL", "N/A", "NA"):
        return None
    try:
        return float(value)
    except ValueError:
        raise InputError(f"{path}: line {line}: {column} is {value!r}, not a number") from None


@cache
def capital_counties(path: Path = STATE_CAPITALS) -> dict[str, str]:
    """USPS state code -> the 5-digit FIPS of the county holding the state's capital (where a state agency
    that reports through county units has its headquarters: Leon County for Florida's)."""
    out: dict[str, str] = {}
    for line, row in read_rows(path, ("state", "capital", "county_fips")):
        fips = row["county_fips"]
        if len(fips) != 5 or not fips.isdigit():
            raise InputError(f"{path}: line {line}: county_fips {fips!r} is not a 5-digit FIPS code")
        if row["state"] in out:
            raise InputError(f"{path}: line {line}: state {row['state']} is already on an earlier line")
        out[row["state"]] = fips
    return out
