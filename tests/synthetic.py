"""A small synthetic record: five participating lists and two pending lists of a handful of agencies whose histories
are known by construction, written as ICE's workbooks and read by the real pipeline. Exact unit tests run on it;
the tests over the bundled archive stay the integration layer.

The story (every date a list's file-name stamp):

- Alpha County Sheriff's Office (FL) holds a JEM agreement throughout, and adds a TFM agreement on the second list.
- Beta Police Department (TX) holds a TFM agreement throughout; ICE spells it "Beta Police Dept." on the third list.
- Gamma County Sheriff's Office (GA) holds a WSO agreement on the first list only: removed.
- Delta County Sheriff's Office (TX) applies for WSO on the first pending list and is listed from the second.
- Epsilon Police Department (FL) applies for TFM on the second pending list and never gets an agreement.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

PARTICIPATING_HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA"]
PENDING_HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"]
MOA = "https://www.ice.gov/doclib/287gMOA/"

ALPHA_JEM = ["FL", "Alpha County Sheriff's Office", "County", "Alpha", "Jail Enforcement Model", date(2020, 3, 2)]
ALPHA_TFM = ["FL", "Alpha County Sheriff's Office", "County", "Alpha", "Task Force Model", date(2025, 1, 21)]
BETA_TFM = ["TX", "Beta Police Department", "Municipal", "Beta", "Task Force Model", date(2024, 12, 2)]
BETA_TFM_RENAMED = ["TX", "Beta Police Dept.", "Municipal", "Beta", "Task Force Model", date(2024, 12, 2)]
GAMMA_WSO = ["GA", "Gamma County Sheriff's Office", "County", "Gamma", "Warrant Service Officer", date(2021, 5, 5)]
DELTA_WSO = ["TX", "Delta County Sheriff's Office", "County", "Delta", "Warrant Service Officer", date(2025, 1, 27)]


def _listed(row: list) -> list:
    return [*row, MOA + row[1].lower().replace(" ", "").replace("'", "") + ".pdf"]


PARTICIPATING = {
    "participatingAgencies01062025am.xlsx": [ALPHA_JEM, BETA_TFM, GAMMA_WSO],
    "participatingAgencies02032025am.xlsx": [ALPHA_JEM, ALPHA_TFM, BETA_TFM, DELTA_WSO],
    "participatingAgencies03032025am.xlsx": [ALPHA_JEM, ALPHA_TFM, BETA_TFM_RENAMED, DELTA_WSO],
    "participatingAgencies04072025am.xlsx": [ALPHA_JEM, ALPHA_TFM, BETA_TFM_RENAMED, DELTA_WSO],
    "participatingAgencies05052025am.xlsx": [ALPHA_JEM, ALPHA_TFM, BETA_TFM_RENAMED, DELTA_WSO],
}
PENDING = {
    "pendingAgencies01062025am.xlsx": [DELTA_WSO[:5]],
    "pendingAgencies02032025am.xlsx": [["FL", "Epsilon Police Department", "Municipal", "Epsilon", "Task Force Model"]],
}


def stamp(name: str) -> date:
    """The date in a list's file name (ICE's MMDDYYYY stamp)."""
    found = re.search(r"(\d{2})(\d{2})(\d{4})", name)
    assert found, name
    month, day, year = (int(g) for g in found.groups())
    return date(year, month, day)


def _workbook(rows: list[list], saved: date) -> bytes:
    """An .xlsx of ``rows`` last saved at noon on ``saved`` (xlsxwriter writes that time as created and modified)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"created": datetime(saved.year, saved.month, saved.day, 12)})
    sheet = book.add_worksheet("Sheet1")
    dates = book.add_format({"num_format": "m/d/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), dates)
            else:
                sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def write_lists(folder: Path) -> list[Path]:
    """The synthetic lists as ICE's workbooks under ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in PARTICIPATING.items():
        written.append(folder / name)
        written[-1].write_bytes(_workbook([PARTICIPATING_HEADER, *(_listed(r) for r in rows)], stamp(name)))
    for name, rows in PENDING.items():
        written.append(folder / name)
        written[-1].write_bytes(_workbook([PENDING_HEADER, *rows], stamp(name)))
    return written
