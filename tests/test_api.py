"""The Python API: track287g.open(path) and methods named like the commands, returning DataFrames."""

from __future__ import annotations

import pandas as pd
import pytest

import track287g
from track287g.history.queries import QueryError
from track287g.store.db import StoreError


@pytest.fixture(scope="module")
def db(built_db_path):
    with track287g.open(str(built_db_path)) as opened:
        yield opened


def test_as_of_returns_one_row_per_agreement_and_names_the_list(db):
    df = db.as_of("2026-01-26")
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 1372 and df["agency_id"].nunique() == 1147
    assert df.attrs["publication"]["label"] == "2026-01-26 pm"
    assert df["model"].value_counts().to_dict() == {"TFM": 764, "WSO": 457, "JEM": 151}


def test_stats_by_state_has_integer_counts_and_the_publication_on_every_row(db):
    df = db.stats("2026-01-26", by="state").set_index("state")
    assert df.loc["FL", "agreements"] == 341 and df.loc["FL", "agencies"] == 278
    assert set(df["published"]) == {"2026-01-26 pm"}
    assert df.attrs["agreements"] == 1372 and df.attrs["states"] == 39


def test_stats_without_grouping_is_one_row_of_totals(db):
    row = db.stats("2025-01-20").iloc[0]
    assert (row["agencies"], row["agreements"], row["published"]) == (133, 135, "2024-12-11")


def test_agency_returns_its_agreements_and_history(db):
    df = db.agency("Walker County Sheriff's Office", state="GA")
    assert df.attrs["state"] == "GA"
    assert set(df.columns) >= {"agreement_id", "model", "signed", "status", "first_listed"}
    events = db.changes(agency="Walker County Sheriff's Office", state="GA")
    assert len(events) >= len(df) and set(events["agency_id"]) == {df.attrs["agency_id"]}


def test_events_is_changes_since_a_date(db):
    df = db.events(since="2026-01-26")
    assert (df["published"].str[:10] >= "2026-01-26").all()
    assert "moved-from-pending" in set(df["type"])


def test_changes_since_a_date_after_the_latest_pending_list_name_it_in_attrs(db):
    df = db.changes(since="2026-02-20")
    assert set(df["kind"]) == {"participating"}
    assert [(s["kind"], s["latest"]["label"]) for s in df.attrs["no_list_since"]] == [("pending", "2026-01-30 am")]
    assert db.changes(since="2026-01-20").attrs["no_list_since"] == []
    series, signed = db.timeseries(since="2026-03-01"), db.signings(since="2026-03-01")
    assert len(series) == 0 and series.attrs["no_list_since"][0]["latest"]["label"] == "2026-02-27 am"
    assert signed.attrs["no_list_since"][0]["days"] == 2 and db.signings().attrs["no_list_since"] == []


def test_diff_between_two_lists(db):
    df = db.diff("2026-01-23", "2026-01-26pm")
    assert df.attrs["counts"]["added"] == (df["type"] == "added").sum()


def test_growth_and_timeseries(db):
    g = db.growth("2025-01-20", "2026-01-26").set_index("unit")
    assert g.loc["agreements", "change"] == 1237 and g.loc["agreements", "percent"] == 916.3
    ts = db.timeseries("month", since="2026-01-01", until="2026-01-31")
    assert ts.iloc[0]["published"] == "2026-01-30 am"
    assert db.signings("year")["agreements"].sum() == db.sql("SELECT count(*) AS n FROM agreement").iloc[0]["n"]


def test_top_states(db):
    assert list(db.top_states("2026-01-26", n=3)["state"]) == ["FL", "TX", "TN"]


def test_check_claims_returns_one_row_per_figure(db):
    from track287g.config import repo_root

    df = db.check_claims(repo_root() / "data" / "claims")
    assert len(df) == 24 and set(df["verdict"]) == {"matches", "close", "differs", "consistent"}
    assert len(df[df["kind"] == "counts"]) == 16  # and 3 listing claims, 3 sums, a history and a law claim
    law = df[df["kind"] == "law"].iloc[0]
    assert law["verdict"] == "matches"
    assert law["record_text"].startswith("The state-law table gives FL the stance mandate")
    assert df["hint_text"].str.contains("no archived list shows 296 agreements").any()


def test_publications_and_sql(db):
    pubs = db.publications("participating")
    assert len(pubs) == 221
    assert db.sql("SELECT count(*) AS n FROM agreement WHERE model = :m", m="JEM").iloc[0]["n"] > 0


def test_questions_the_record_cannot_answer_raise_query_error(db):
    with pytest.raises(QueryError, match="a gap in the sources between the old list of 2009-10-28"):
        db.as_of("2019-01-01")  # before ICE's first list: between the old lists and 2021, a gap, never 0
    with pytest.raises(QueryError, match="no agency named"):
        db.agency("Gotham City Police")


def test_opening_a_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no database at"):
        track287g.open(str(tmp_path / "missing.db"))
