"""Statistics on the real archive: counts on a date by group, growth, rankings, time series, signings."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from track287g.analyze import stats
from track287g.history.queries import QueryError

JAN26 = "2026-01-26"


@pytest.fixture(scope="module")
def conn(built_db):
    with built_db.read() as c:
        yield c


def rows(conn, table: str) -> int:
    return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_the_2026_01_26_pm_list_counts_1372_agreements_held_by_1147_agencies(conn):
    result = stats.counts(conn, JAN26)
    assert result["publication"]["label"] == "2026-01-26 pm"
    assert result["publication"]["names"] == ["participatingAgencies01262026pm.xlsx"]
    assert (result["agreements"], result["agencies"]) == (1372, 1147)


def test_by_model_on_2026_01_26_tfm_764_wso_457_jem_151(conn):
    groups = {g["model"]: (g["agreements"], g["agencies"]) for g in stats.counts(conn, JAN26, by="model")["groups"]}
    assert groups == {"TFM": (764, 764), "WSO": (457, 457), "JEM": (151, 151)}


@pytest.mark.parametrize(
    ("state", "agreements", "agencies"),
    [("FL", 341, 278), ("TX", 287, 226), ("TN", 63, 57), ("PA", 54, 54), ("GA", 49, 42), ("AL", 49, 34)],
)
def test_per_state_rows_on_2026_01_26(conn, state, agreements, agencies):
    groups = {g["state"]: g for g in stats.counts(conn, JAN26, by="state")["groups"]}
    assert (groups[state]["agreements"], groups[state]["agencies"]) == (agreements, agencies)


def test_39_states_and_two_territories_guam_and_northern_marianas_on_2026_01_26(conn):
    result = stats.counts(conn, JAN26, by="state")
    assert (result["states"], result["territories"]) == (39, 2)
    assert {"GU", "MP"} <= {g["state"] for g in result["groups"]}
    assert len(result["groups"]) == 41


def test_agency_type_groups_add_up_to_every_agreement(conn):
    groups = {g["type"]: g["agreements"] for g in stats.counts(conn, JAN26, by="type")["groups"]}
    assert groups == {"county": 882, "municipal": 414, "state": 76}


def test_kind_from_the_name_is_offered_beside_ices_type(conn):
    groups = {g["kind"]: g for g in stats.counts(conn, JAN26, by="kind")["groups"]}
    assert groups["sheriff"]["agencies"] == 636
    assert sum(g["agencies"] for g in groups.values()) == 1147


def test_the_list_in_force_at_the_2025_inauguration_is_the_html_era_table_of_2024_12_11(conn):
    result = stats.counts(conn, "2025-01-20")
    assert result["publication"]["published"] == "2024-12-11"
    assert result["publication"]["derived"] is True
    assert (result["agreements"], result["agencies"]) == (135, 133)


def test_growth_in_the_first_year_counts_both_units_and_names_both_lists(conn):
    g = stats.growth(conn, "2025-01-20", JAN26)
    assert g["agreements"] == {"from": 135, "to": 1372, "change": 1237, "percent": 916.3}
    assert g["agencies"] == {"from": 133, "to": 1147, "change": 1014, "percent": 762.4}
    assert g["states"]["from"] == 21 and g["states"]["to"] == 39
    assert g["from"]["publication"]["published"] == "2024-12-11"
    assert g["to"]["publication"]["label"] == "2026-01-26 pm"


def test_growth_from_zero_has_no_percent(conn):
    by_model = {g["model"]: g for g in stats.growth(conn, "2025-01-20", JAN26, by="model")["groups"]}
    assert by_model["TFM"]["agreements"] == {"from": 0, "to": 764, "change": 764, "percent": None}
    assert by_model["JEM"]["agreements"]["percent"] == 151.7


def test_top_states_share_a_rank_when_tied(conn):
    ranked = stats.top_states(conn, JAN26, n=5)["groups"]
    assert [(r["rank"], r["state"]) for r in ranked] == [
        (1, "FL"),
        (2, "TX"),
        (3, "TN"),
        (4, "PA"),
        (5, "GA"),
        (5, "AL"),
    ]


def test_per_publication_series_agrees_with_the_stored_publication_counts(conn):
    series = stats.timeseries(conn, "publication")
    stored = stats.per_publication(conn)
    assert [(r["agencies"], r["agreements"]) for r in series] == [(r["agencies"], r["agreements"]) for r in stored]
    assert len(series) == 221
    assert series[0]["derived"] is True and series[-1]["published"] == "2026-02-27 am"


def test_a_week_is_counted_on_the_last_list_published_in_it(conn):
    weeks = {r["period"]: r for r in stats.timeseries(conn, "week", since="2026-01-19", until="2026-02-08")}
    w = weeks["2026-W05"]
    assert (w["start"], w["end"]) == ("2026-01-26", "2026-02-01")
    assert (w["published"], w["agreements"], w["agencies"], w["new_lists"]) == ("2026-01-30 am", 1371, 1146, 4)


def test_a_week_without_a_new_list_carries_the_previous_one_forward(conn):
    weeks = stats.timeseries(conn, "week", since="2025-01-01", until="2025-01-31")
    assert {r["published"] for r in weeks} == {"2024-12-11"}
    assert all(r["new_lists"] == 0 and r["agreements"] == 135 for r in weeks)


def test_month_series_by_model_names_the_list_of_each_month(conn):
    rows = stats.timeseries(conn, "month", by="model", since="2026-01-01", until="2026-01-31")
    assert {r["published"] for r in rows} == {"2026-01-30 am"}
    assert sum(r["agreements"] for r in rows) == 1371


def test_signings_count_every_agreement_once_by_its_signing_date(conn):
    result = stats.signings(conn, "year")
    assert result["undated"] == 0
    assert sum(r["agreements"] for r in result["rows"]) == rows(conn, "agreement")
    assert result["publication"]["label"] == "2026-02-27 am"


def test_signings_per_week_fill_quiet_weeks_with_zeros(conn):
    rows = stats.signings(conn, "week", since="2025-01-06", until="2025-02-02")["rows"]
    assert [r["period"] for r in rows] == ["2025-W02", "2025-W03", "2025-W04", "2025-W05"]


def test_a_series_stops_at_the_records_latest_list_instead_of_carrying_it_on(conn):
    months = stats.timeseries(conn, "month", since="2026-01-01", until="2026-12-31")
    used = [(r["period"], r["published"]) for r in months]
    assert used == [("2026-01", "2026-01-30 am"), ("2026-02", "2026-02-27 am")]  # not March to December
    lists = stats.timeseries(conn, "publication", since="2026-02-20", until="2030-01-01")
    assert [r["date"] for r in lists] == ["2026-02-27"]


def test_signings_after_the_records_latest_list_are_not_rows_of_zeros(conn):
    result = stats.signings(conn, "month", since="2025-11-01", until="2026-12-31")
    assert [r["period"] for r in result["rows"]] == ["2025-11", "2025-12", "2026-01", "2026-02"]  # not March on


def test_signings_of_the_weeks_before_the_latest_list_may_still_grow_as_ice_lists_them(conn):
    result = stats.signings(conn, "week", since="2026-01-19")
    assert result["listing_lag_days"] == 28  # data/rules.yaml: 99.7% of agreements are listed within 28 days
    grow = {r["period"]: r["may_grow"] for r in result["rows"]}
    # the latest list is of 2026-02-27: weeks ending after 2026-01-30 may still grow
    assert grow == {"2026-W04": False, "2026-W05": True, "2026-W06": True, "2026-W07": True, "2026-W08": True,
                    "2026-W09": True}  # fmt: skip
    assert not any(r["may_grow"] for r in stats.signings(conn, "month", until="2025-12-31")["rows"])


def test_stats_for_a_date_after_the_latest_list_says_how_much_older_the_list_is(conn):
    assert stats.counts(conn, "2030-01-01")["days_after_latest_list"] == 1404
    assert stats.counts(conn, "2026-01-26")["days_after_latest_list"] is None
    assert stats.counts(conn)["days_after_latest_list"] is None  # the latest list, asked of its own day


def test_filters_accept_state_names_and_model_names(conn):
    items = stats.as_of(conn, JAN26)["items"]
    tfm_fl = stats.filter_items(items, state="Florida", model="Task Force Model")
    assert stats.measure(tfm_fl)["agreements"] == len(stats.filter_items(items, state="FL", model="TFM"))
    assert stats.measure(stats.filter_items(items, model="TFM")) == {
        "agencies": 764,
        "agreements": 764,
        "states": 33,
        "territories": 2,
        "states_and_territories": 35,
    }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: stats.counts(c, JAN26, by="county"), "by must be one of state, model, type, kind"),
        (lambda c: stats.counts(c, "2020-01-01"), "a gap in the sources between the old list of 2009-10-28"),
        (lambda c: stats.counts(c, "Jan 26"), "not a date"),
        (lambda c: stats.timeseries(c, "day"), "every must be one of publication, week, month"),
        (lambda c: stats.normalize_filters({"county": "Lee"}), "unknown filter 'county'"),
        (lambda c: stats.normalize_filters({"state": "Narnia"}), "unknown state 'Narnia'"),
    ],
)
def test_bad_arguments_raise_one_clear_query_error(conn, call, message):
    with pytest.raises(QueryError, match=message):
        call(conn)


def test_a_bad_grouping_is_still_a_value_error_for_older_callers(conn):
    with pytest.raises(ValueError):
        stats.counts(conn, JAN26, by="county")
