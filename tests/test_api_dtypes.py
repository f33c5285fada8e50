"""The Python API's column types: dates are datetime64, whole numbers nullable Int64, yes/no columns boolean.

Each public frame's typed columns are pinned here: a column that turns back into text, float or object is a change
a data user's code notices (``df["signed"].dt.year`` breaks, a count prints as 341.0, a gap becomes 0).
"""

from __future__ import annotations

import pandas as pd
import pytest

import track287g
from track287g.config import repo_root

DAY, UTC, INT, BOOL = "datetime64[ns]", "datetime64[ns, UTC]", "Int64", "boolean"
COUNTS = {"agencies": INT, "agreements": INT}
SIDE = {"derived": BOOL, "agreements": INT, "agencies": INT, "national_agreements": INT}
EXPECTED = {
    "publications": (
        lambda db: db.publications(),
        {"published": DAY, "rows": INT, "derived": BOOL, "seq": INT, "workbook_modified": UTC, "captured_at": UTC},
    ),
    "as_of": (
        lambda db: db.as_of("2026-01-26"),
        {"signed": DAY, "signed_probable": DAY, "row_number": INT, "rows": INT},
    ),
    "agency": (
        lambda db: db.agency("Walker County Sheriff's Office", state="GA"),
        {"signed": DAY, "signed_probable": DAY, "first_listed": DAY, "last_listed": DAY, "removed_after": DAY,
         "listings": INT, "html_era": BOOL, "provisional": BOOL, "corrections": INT},
    ),
    "changes": (lambda db: db.changes(since="2026-01-01"), {"event_id": INT, "list_derived": BOOL}),
    "audit": (lambda db: db.audit(), {"event_id": INT, "list_derived": BOOL}),
    "stats": (lambda db: db.stats("2026-01-26", by="state"), COUNTS),
    "stats totals": (lambda db: db.stats("2026-01-26"), {**COUNTS, "states": INT, "territories": INT}),
    "top_states": (lambda db: db.top_states("2026-01-26"), {"rank": INT, **COUNTS}),
    "growth": (
        lambda db: db.growth("2025-01-20", "2026-01-26"),
        {"from": INT, "to": INT, "change": INT, "from_date": DAY, "to_date": DAY},
    ),
    "timeseries": (
        lambda db: db.timeseries("month"),
        {"start": DAY, "end": DAY, "new_lists": INT, "derived": BOOL, **COUNTS},
    ),
    "signings": (lambda db: db.signings(), {"start": DAY, "end": DAY, "may_grow": BOOL, **COUNTS}),
    "coverage": (
        lambda db: db.coverage(),
        {**COUNTS, "agencies_with_ori": INT, "sworn_officers": INT, "population_served": INT,
         "counties_with_agreement": INT, "counties_with_county_level_agreement": INT,
         "population_in_county_level_counties": INT, "population": INT},
    ),
    "laws": (lambda db: db.laws(), {"year": INT, "effective_date": DAY, "unverified": BOOL}),
    "law_effect": (
        lambda db: db.law_effect(),
        {"law_date": DAY, "change": INT}
        | {f"{side}_{c}": t for side in ("before", "after") for c, t in SIDE.items()},
    ),
    "merges": (lambda db: db.merges(), {"first_listed": DAY, "last_listed": DAY, "rows": INT}),
    "place": (lambda db: db.place("Lee County, FL"), {"agreements": INT}),
    "check_claims": (
        lambda db: db.check_claims(repo_root() / "data" / "claims"),
        {"date": DAY, "from": DAY, "figure": INT, "ambiguous": BOOL, "derived": BOOL, "from_value": INT,
         "to_value": INT, "from_derived": BOOL, "count": INT, "model_central": INT},
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def db(built_db_path):
    with track287g.open(str(built_db_path)) as opened:
        yield opened


def typed_columns(df: pd.DataFrame) -> dict[str, str]:
    return {c: str(t) for c, t in df.dtypes.items() if str(t) in (INT, BOOL) or str(t).startswith("datetime64")}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_frame_has_dates_as_datetime64_counts_as_nullable_integers_and_flags_as_boolean(db, name):
    ask, expected = EXPECTED[name]
    df = ask(db)
    assert len(df), f"{name}: the pinned question must have rows"
    assert typed_columns(df) == expected
    # no plain numpy int/bool left (they cannot hold a gap), and no whole number stored as a float
    assert not [c for c, t in df.dtypes.items() if str(t) in ("int64", "bool")]


def test_a_missing_year_or_removal_date_is_a_gap_not_a_number(db):
    laws = db.laws().set_index("state")
    assert pd.isna(laws.loc["ND", "year"]) and laws.loc["ND", "year"] is pd.NA
    assert laws["year"].dropna().astype(int).between(1990, 2100).all()
    active = db.agency("Walker County Sheriff's Office", state="GA")
    assert active["removed_after"].isna().all() and active["signed"].dt.year.tolist() == [2025]


def test_the_list_label_stays_text_and_dates_compare_as_dates(db):
    df = db.changes(since="2026-01-26")
    assert df["published"].str.endswith((" am", " pm")).any()  # '2026-01-26 pm' is a label, not a day
    pubs = db.publications("participating")
    assert (pubs["published"] >= pd.Timestamp("2021-01-13")).all()
    assert pubs["published"].dt.year.min() == 2021
