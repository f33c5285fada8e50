"""Exact answers on a record whose history is known by construction (``tests/synthetic.py``): five participating
lists, two pending lists, five agencies."""

from __future__ import annotations

import pytest

from track287g.errors import QueryError


def test_each_list_is_dated_by_its_file_name_stamp(synthetic):
    pubs = synthetic.publications()
    assert list(zip(pubs["kind"], pubs["published"].dt.strftime("%Y-%m-%d"), pubs["published_from"], strict=True)) == [
        ("participating", "2025-01-06", "file-name"),
        ("participating", "2025-02-03", "file-name"),
        ("participating", "2025-03-03", "file-name"),
        ("participating", "2025-04-07", "file-name"),
        ("participating", "2025-05-05", "file-name"),
        ("pending", "2025-01-06", "file-name"),
        ("pending", "2025-02-03", "file-name"),
    ]


def test_the_changelog_is_exactly_the_story(synthetic):
    events = synthetic.changes()
    models = events["model"].fillna("-")
    found = list(zip(events["published"].str[:10], events["type"], events["agency_id"], models, strict=True))
    # newest publication first across both lists; an approval is dated by the participating list that showed it
    assert found == [
        ("2025-03-03", "renamed", "TX-beta-police-department", "-"),
        ("2025-02-03", "pending-added", "FL-epsilon-police-department", "TFM"),
        ("2025-02-03", "pending-approved", "TX-delta-county-sheriffs-office", "WSO"),
        ("2025-02-03", "removed", "GA-gamma-county-sheriffs-office", "WSO"),
        ("2025-02-03", "moved-from-pending", "TX-delta-county-sheriffs-office", "WSO"),
        ("2025-02-03", "model-added", "FL-alpha-county-sheriffs-office", "TFM"),
        ("2025-01-06", "pending-added", "TX-delta-county-sheriffs-office", "WSO"),
        ("2025-01-06", "added", "TX-beta-police-department", "TFM"),
        ("2025-01-06", "added", "GA-gamma-county-sheriffs-office", "WSO"),
        ("2025-01-06", "added", "FL-alpha-county-sheriffs-office", "JEM"),
    ]
    approved = events[events["type"] == "pending-approved"].iloc[0]["detail"]
    assert approved["days"] == 28


@pytest.mark.parametrize(
    ("on", "agencies", "agreements", "models"),
    [
        ("2025-01-06", 3, 3, {"JEM": 1, "TFM": 1, "WSO": 1}),
        ("2025-02-02", 3, 3, {"JEM": 1, "TFM": 1, "WSO": 1}),
        ("2025-02-03", 3, 4, {"JEM": 1, "TFM": 2, "WSO": 1}),
        ("2025-12-31", 3, 4, {"JEM": 1, "TFM": 2, "WSO": 1}),
    ],
)
def test_point_in_time_counts_both_units(synthetic, on, agencies, agreements, models):
    df = synthetic.as_of(on)
    assert (df.attrs["agencies"], df.attrs["agreements"], df.attrs["models"]) == (agencies, agreements, models)


def test_a_removed_agency_keeps_its_history_and_a_renamed_one_its_spellings(synthetic):
    gamma = synthetic.agency("Gamma County Sheriff's Office", state="GA")
    assert (gamma.attrs["status"], gamma.attrs["last_listed"]) == ("removed", "2025-01-06")
    assert list(gamma["status"]) == ["removed"]
    beta = synthetic.agency("Beta Police Dept.", state="tx")
    assert beta.attrs["agency_id"] == "TX-beta-police-department"
    assert sorted(s["spelling"] for s in beta.attrs["spellings"]) == ["Beta Police Department", "Beta Police Dept."]


def test_growth_and_groups_are_exact(synthetic):
    growth = synthetic.growth("2025-01-10", "2025-05-10").set_index("unit")
    assert growth.loc["agreements", ["from", "to", "change", "percent"]].tolist() == [3, 4, 1, 33.3]
    assert growth.loc["agencies", ["from", "to", "change"]].tolist() == [3, 3, 0]
    by_state = synthetic.stats("2025-05-10", by="state")
    assert list(zip(by_state["state"], by_state["agencies"], by_state["agreements"], strict=True)) == [
        ("TX", 2, 2),
        ("FL", 1, 2),
    ]


def test_the_pending_list_on_a_date(synthetic):
    pending = synthetic.as_of("2025-01-20").attrs["pending"]
    assert (pending["applications"], pending["agencies"], pending["publication"]["published"]) == (1, 1, "2025-01-06")


def test_a_date_before_the_record_is_an_error_not_zero(synthetic):
    with pytest.raises(QueryError, match="no participating list was published on or before 2024-12-31"):
        synthetic.as_of("2024-12-31")
