"""The old lists of 2007-2020 (derived rosters): stored as derived publications, resolved to today's agencies,
answering for the days they stood, and never read as changes."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import func, select

from tests.helpers import run_cli
from track287g import questions
from track287g.errors import QueryError
from track287g.store.schema import agreement, event, old_listing, provenance, publication

OIG = "history-2007-2020/historical-oig-2009.csv"


def test_the_three_old_lists_are_derived_publications_with_their_provenance(built_db):
    with built_db.read() as conn:
        pubs = conn.execute(select(publication).where(publication.c.kind == "historical")).all()
        layouts = {p.layout: p for p in pubs}
        assert set(layouts) == {"old-ice-partners-page", "old-oig-2009-table", "old-ice-moa-index"}
        assert all(p.derived and "derived" in json.loads(p.flags) for p in pubs)
        assert all(p.seq is not None for p in pubs)  # in the record, never "waiting"
        repos = {r.archive_repo for r in conn.execute(select(provenance).where(
            provenance.c.sha256.in_([p.sha256 for p in pubs])))}  # fmt: skip
        assert repos == {"deportationdata/ice-287g"}
        assert layouts["old-oig-2009-table"].published == "2009-10-28"


def test_old_lists_make_no_event_and_no_agreement(built_db, full_history):
    """The gap 2010-2020 is a gap: nothing seen in 2009 and not in 2021 becomes a removal."""
    with built_db.read() as conn:
        assert conn.execute(select(func.count()).select_from(event)).scalar() == len(full_history.events)
        assert conn.execute(select(func.count()).select_from(agreement)).scalar() == len(full_history.agreements)
        assert conn.execute(select(func.min(agreement.c.first_listed))).scalar() >= "2021-01-13"
        assert conn.execute(select(func.min(event.c.sha256)).where(event.c.sha256.in_(
            select(publication.c.sha256).where(publication.c.kind == "historical")))).scalar() is None  # fmt: skip


def test_as_of_2009_answers_from_the_oig_table_marked_derived(built_db, archive_dir):
    rows = list(csv.DictReader((archive_dir / OIG).open(encoding="utf-8")))
    signed = [r for r in rows if r["status"] == "signed"]
    with built_db.read() as conn:
        answer = questions.as_of(conn, "2009-10-28")
    assert answer["derived"] is True and "OIG-10-63" in answer["source"]
    assert answer["agreements"] == len(signed) == 61
    assert answer["agencies"] == 61
    assert answer["pending"]["applications"] == 6


@pytest.mark.parametrize("day", ["2015-06-01", "2010-01-01", "2020-12-31", "2008-01-01"])
def test_as_of_a_day_no_list_stood_is_a_gap_not_zero(built_db, day):
    with built_db.read() as conn, pytest.raises(QueryError, match="gap in the sources"):
        questions.as_of(conn, day)


def test_growth_since_2007_shows_the_gap_years_as_gaps(built_db_path):
    done = run_cli("growth", "--since", "2007-09-19", db=built_db_path, check=True)
    lines = done.stdout.splitlines()
    for year in range(2010, 2021):
        assert any(line.split()[:4] == [str(year), "gap:", "no", "list"] for line in lines), year
    assert "derived by a third party" in done.stdout
    data = json.loads(run_cli("growth", "2007-09-19", "--json", db=built_db_path, check=True).stdout)
    gaps = [y["year"] for y in data["years"] if y["gap"]]
    assert gaps == list(range(2010, 2021))
    assert all(y["agencies"] is None for y in data["years"] if y["gap"])


def test_the_2009_task_force_count_and_none_after_2012(built_db, archive_dir):
    """38 signed agreements with a task-force model (26 Task Force + 12 Hybrid) in the OIG table of 2009-10-28,
    one per agency; none on ICE's first list of 2021, none signed 2013-2024 on any list, none in the MOA index."""
    rows = list(csv.DictReader((archive_dir / OIG).open(encoding="utf-8")))
    by_hand = [r for r in rows if r["status"] == "signed" and r["model"] in ("Task Force", "Hybrid")]
    assert len(by_hand) == 38
    with built_db.read() as conn:
        record = questions.old_lists(conn)["task_force"]
        late = conn.execute(
            select(func.count()).select_from(agreement).where(
                agreement.c.model == "TFM", agreement.c.signed > "2012-12-31", agreement.c.signed < "2025-01-01")
        ).scalar()  # fmt: skip
        index_tfm = conn.execute(select(func.count()).select_from(old_listing).where(
            old_listing.c.models.like("%TFM%"), old_listing.c.signed > "2012-12-31")).scalar()  # fmt: skip
    assert record["oig_2009"]["tfm_agreements"] == 38
    assert (record["oig_2009"]["task_force_only"], record["oig_2009"]["hybrid"]) == (26, 12)
    assert record["first_list"] == {"date": "2021-01-13", "tfm_agreements": 0}
    assert late == 0 and index_tfm == 0
    assert "cannot show" in record["note"]


def test_old_lists_resolve_to_todays_agencies_with_evidence(built_db):
    with built_db.read() as conn:
        result = questions.old_lists(conn)
        rows = {(r.state, r.printed): r for r in conn.execute(select(old_listing))}
    oig = next(g for g in result["lists"] if g["layout"] == "old-oig-2009-table")
    assert (oig["agencies"], oig["resolved_to_today"]) == (67, 31)
    # merges checked by hand
    ma = rows[("MA", "Massachusetts Department of Correction")]
    assert (ma.agency_id, ma.rule) == ("MA-department-of-corrections", "typo")
    mesa = rows[("AZ", "City of Mesa Police Department")]
    assert (mesa.agency_id, mesa.rule) == ("AZ-mesa-police-department", "municipal-prefix")
    assert rows[("GA", "Georgia Dept. of Public Safety")].agency_id == "GA-department-of-public-safety"
    assert all(r.evidence for r in rows.values())


def test_old_lists_command_prints_the_counts_it_says(built_db_path):
    done = run_cli("old-lists", db=built_db_path, check=True)
    assert (
        "2009-10-28  old-oig-2009-table: 67 rows, 67 agencies; 31 are agencies on a list of 2021 onwards" in done.stdout
    )
    assert "derived by a third party" in done.stdout


def test_the_python_api_gives_the_same_old_lists_and_gap(built_db_path):
    import track287g

    with track287g.open(str(built_db_path)) as db:
        frame = db.old_lists()
        assert list(frame["agencies"]) == [28, 41, 67, 115]
        assert frame.attrs["task_force"]["oig_2009"]["tfm_agreements"] == 38
        old = db.as_of("2009-10-28")
        assert old.attrs["derived"] and len(old) == 61
        with pytest.raises(QueryError):
            db.as_of("2012-06-30")
