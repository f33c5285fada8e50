"""The publication-date rule on ICE's real file names and the typos in them."""

from __future__ import annotations

from datetime import UTC, datetime

from track287g.archive import catalog
from track287g.parse.published import decide, read_name


def _by_name(built_db, name: str) -> dict:
    with built_db.read() as conn:
        return next(p for p in catalog.list_publications(conn) if name in p["names"])


def test_a_stamp_with_the_wrong_year_takes_the_year_the_workbook_was_saved(built_db):
    pub = _by_name(built_db, "participatingAgencies01062025pm.xlsx")
    assert (pub["published"], pub["part"], pub["published_from"]) == ("2026-01-06", "pm", "file-name-year-typo")
    assert "stamp-repaired" in pub["flags"]


def test_a_nine_digit_stamp_is_read_by_deleting_one_digit(built_db):
    pub = _by_name(built_db, "participatingAgencies090022025am.xlsx")
    assert (pub["published"], pub["published_from"]) == ("2025-09-02", "file-name-extra-digit")


def test_a_stamp_dated_before_the_workbook_was_saved_falls_back_to_the_save_date(built_db):
    pub = _by_name(built_db, "participatingAgencies08022025pm.xlsx")
    assert (pub["published"], pub["part"], pub["published_from"]) == ("2025-09-02", "pm", "workbook-modified")
    assert "stamp-rejected" in pub["flags"]


def test_an_impossible_year_in_the_stamp_is_rejected_not_trusted(built_db):
    pub = _by_name(built_db, "participatingAgencies11114025am.xlsx")
    assert pub["published"] == "2025-11-14"


def test_wayback_captures_take_the_workbook_save_date_in_eastern_time(built_db):
    pub = _by_name(built_db, "pendingAgencies-20250331231039.xlsx")
    # saved 2025-03-31 03:17 UTC = the evening of March 30 in Washington
    assert (pub["published"], pub["published_from"]) == ("2025-03-30", "workbook-modified")


def test_reading_one_name_records_the_rule_that_decided():
    saved = datetime(2025, 10, 23, 0, 7, tzinfo=UTC)
    decided = decide(["pendingAgencies10223025am.xlsx"], saved, None)
    assert decided.published.isoformat() == "2025-10-22" and decided.source == "file-name-year-typo"
    assert read_name("participatingAgencies11122025.xlsx", None).part == ""
