"""The rebuilt history on the real archive: specific agencies, agreements and events ICE's lists imply."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.helpers import run_cli
from track287g.history import queries
from track287g.history.build import build, redate_rule
from track287g.history.load import Pub, load_archive
from track287g.history.qa import check, problems
from track287g.history.rules import load_rules
from track287g.pipeline import build_history
from track287g.resolve.aliases import load_aliases
from track287g.store import connect
from track287g.store.schema import agency, agreement, correction, event, pending


def _events(conn, **where) -> list[dict]:
    query = select(event)
    for k, v in where.items():
        query = query.where(event.c[k] == v)
    return [dict(r._mapping) | {"detail": json.loads(r.detail)} for r in conn.execute(query.order_by(event.c.event_id))]


def test_as_of_2026_01_26_counts_the_pm_list_1372_agreements_of_1147_agencies(built_db):
    with built_db.read() as conn:
        result = queries.as_of(conn, "2026-01-26")
    assert result["publication"]["names"] == ["participatingAgencies01262026pm.xlsx"]
    assert (result["agreements"], result["agencies"]) == (1372, 1147)
    assert result["models"] == {"JEM": 151, "TFM": 764, "WSO": 457}
    assert result["pending"]["applications"] == 3
    assert {"agreement_id", "agency_id", "state", "agency", "model", "signed"} <= set(result["items"][0])


def test_as_of_after_the_latest_pending_list_counts_its_applications_ice_listed_as_agreements_since(built_db):
    """ICE's latest pending list (2026-01-30 am) prints 9 applications; by 2026-02-02 all 9 were agreements on the
    participating list. As of 2026-02-27, "9 pending" alone would read as 9 applications still waiting."""
    with built_db.read() as conn:
        later = queries.as_of(conn, "2026-02-27")
        that_day = queries.as_of(conn, "2026-01-30", items=False)
        texas = queries.as_of(conn, "2026-02-27", "TX")
    assert (later["pending"]["applications"], later["pending"]["approved_by_date"]) == (9, 9)
    assert that_day["pending"]["approved_by_date"] == 0
    assert (texas["pending"]["applications"], texas["pending"]["approved_by_date"]) == (4, 4)
    said = run_cli("as-of", "2026-02-27", db=built_db.location, check=True).stdout.splitlines()[2]
    assert said == (
        "  pending: 9 applications from 9 agencies, by the pending list published 2026-01-30 am; 9 of them on "
        "ICE's participating list by 2026-02-27 (approved)"
    )


def test_as_of_from_the_stored_counts_answers_as_counting_every_agreement_on_every_date(built_db):
    # the command line's summary (no --state, no --json) reads each list's counts instead of its agreements
    repeated = 0
    with built_db.read() as conn:
        ice = "SELECT DISTINCT published FROM publication WHERE seq IS NOT NULL AND derived = 0"
        days = conn.exec_driver_sql(ice).scalars()
        for day in sorted(days):
            full, counted = queries.as_of(conn, day), queries.as_of(conn, day, items=False)
            assert "items" not in counted and "items" not in counted["pending"]
            for key in ("publication", "agencies", "agreements", "printed_rows", "models", "not_in_history"):
                assert counted[key] == full[key], (day, key)
            for key in ("publication", "applications", "agencies", "approved_by_date"):
                assert counted["pending"][key] == full["pending"][key], (day, key)
            twice = [{k: i[k] for k in counted["repeated"][0]} for i in full["items"] if i["rows"] > 1]
            assert counted["repeated"] == twice if twice else not counted["repeated"], day
            repeated += len(twice)
    assert repeated > 0  # ICE printed some agreements twice (St. Cloud Police Department's TFM in May 2025)


def test_as_of_inauguration_day_2025_uses_the_last_html_era_table(built_db):
    with built_db.read() as conn:
        result = queries.as_of(conn, "2025-01-20")
    assert result["publication"]["published"] == "2024-12-11" and result["publication"]["derived"]
    assert result["agreements"] == 135


def test_a_date_after_the_records_latest_list_is_answered_by_that_list_and_says_how_much_older_it_is(
    built_db, built_db_path
):
    from tests.helpers import run_cli

    with built_db.read() as conn:
        later, same_day, between = (queries.as_of(conn, d) for d in ("2030-01-01", "2026-02-27", "2025-06-01"))
        counted = queries.as_of(conn, "2030-01-01", items=False)  # the nation's counts, read from the stored ones
    assert later["publication"]["label"] == "2026-02-27 am" and later["days_after_latest_list"] == 1404
    assert counted["days_after_latest_list"] == 1404
    assert same_day["days_after_latest_list"] is None and between["days_after_latest_list"] is None  # known
    said = run_cli("as-of", "2026-02-28", "--state", "TX", db=built_db_path).stdout.splitlines()[0]
    assert said.startswith(
        "On 2026-02-28 in TX, by the record's latest list, 1 day older (ICE may have listed more since): 247 agencies"
    )
    assert run_cli("as-of", "2026-02-27", db=built_db_path).stdout.startswith("On 2026-02-27: 1,251 agencies held")


def test_the_command_line_says_an_html_era_list_is_derived_and_that_no_pending_list_stood_then(built_db_path):
    from tests.helpers import run_cli

    as_of = run_cli("as-of", "2022-06-01", db=built_db_path).stdout.splitlines()
    assert as_of[1].endswith("sha256 ed30b4d16a58) - an HTML-era table extracted by a third party")
    assert as_of[2] == "  pending: no pending list in the record on or before 2022-06-01"  # not "0 applications"
    place = run_cli("place", "Lee County, FL", "--as-of", "2022-06-01", db=built_db_path).stdout.splitlines()
    assert place[0].endswith("list published 2022-03-05 - an HTML-era table extracted by a third party")
    latest = run_cli("as-of", "2026-02-01", db=built_db_path).stdout
    assert "HTML-era" not in latest and "pending: 9 applications" in latest
    diff = run_cli("diff", "2025-02-19", "2025-02-21", db=built_db_path).stdout.splitlines()
    assert diff[1] == "  the list of 2025-02-19: an HTML-era table extracted by a third party"
    changes = run_cli("changes", "--since", "2025-02-19", "--kind", "participating", db=built_db_path).stdout
    assert "participating list 2025-02-19 (a8562cbad9) - an HTML-era table extracted by a third party" in changes
    assert "participating list 2025-02-21 (5e79be058d)\n" in changes  # ICE's own spreadsheet: no mark


def test_as_of_a_date_before_the_archive_is_a_clear_error(built_db):
    # 2020 is in the gap between the old lists (2007-2009, derived) and ICE's lists from 2021-01-13: no answer, not 0
    with built_db.read() as conn, pytest.raises(queries.QueryError, match=r"gap in the sources .* 2021-01-13"):
        queries.as_of(conn, "2020-01-01")
    with built_db.read() as conn, pytest.raises(queries.QueryError, match=r"no list of 287.g. agreements is known"):
        queries.as_of(conn, "2001-01-01")


def test_an_agency_renamed_by_ice_keeps_one_id_and_all_its_spellings(built_db):
    with built_db.read() as conn:
        view = queries.agency_view(conn, queries.find_agency(conn, "Macro Island Police Department"))
        renames = _events(conn, agency_id="FL-marco-island-police-department", type="renamed")
    assert view["agency_id"] == "FL-marco-island-police-department"
    assert {s["spelling"] for s in view["spellings"]} == {
        "Macro Island Police Department",
        "Marco Island Police Department",
    }
    assert len(view["agreements"]) == 1
    assert renames[0]["published"] == "2025-05-16"
    assert renames[0]["detail"] == {
        "from": ["Macro Island Police Department"],
        "to": ["Marco Island Police Department"],
    }


def test_a_re_dated_listing_stays_one_agreement_and_the_correction_is_recorded(built_db):
    agreement_id = "FL-department-of-highway-safety-and-motor-vehicles-division-of-highway-patrol#TFM#2025-02-07"
    with built_db.read() as conn:
        row = conn.execute(select(agreement).where(agreement.c.agreement_id == agreement_id)).one()
        fixes = conn.execute(select(correction).where(correction.c.agreement_id == agreement_id)).all()
        redated = _events(conn, agreement_id=agreement_id, type="re-dated")
    # ICE printed 2025-02-07, then 2025-02-17 (2025-02-21), then 2025-02-07 again (2025-03-06 am)
    assert row.first_listed == "2025-02-19" and row.status == "active" and row.signed == "2025-02-07"
    assert sorted((f.old, f.new, f.rule) for f in fixes) == [
        ("2025-02-07", "2025-02-17", "redate-near"),
        ("2025-02-17", "2025-02-07", "redate-near"),
    ]
    assert [e["published"] for e in redated] == ["2025-02-21", "2025-03-06"]


def test_a_listing_gone_for_good_is_removed_with_its_window(built_db):
    with built_db.read() as conn:
        row = conn.execute(
            select(agreement).where(
                agreement.c.agreement_id == "FL-boca-raton-police-services-department#TFM#2025-03-25"
            )
        ).one()
    # listed under two spellings of one agency, last on 2025-07-14... no: the handoff keeps it one agreement
    assert row.status == "active"
    with built_db.read() as conn:
        removed = conn.execute(
            select(agreement).where(agreement.c.agreement_id == "AL-houston-county-sheriffs-office#JEM#2025-07-07")
        ).one()
        events = _events(conn, agreement_id="AL-houston-county-sheriffs-office#JEM#2025-07-07")
    assert (removed.status, removed.removed_after, removed.removed_by) == ("removed", "2025-12-10", "2025-12-12")
    assert [e["type"] for e in events if e["kind"] == "participating"][-1] == "removed"


def test_a_listing_missing_from_one_publication_is_a_gap_not_a_removal(built_db):
    agreement_id = "AR-state-police-department#TFM#2025-07-07"
    with built_db.read() as conn:
        row = conn.execute(select(agreement).where(agreement.c.agreement_id == agreement_id)).one()
        types = [e["type"] for e in _events(conn, agreement_id=agreement_id)]
    assert row.status == "active"
    assert "removed" not in types


def test_a_listing_missing_from_one_list_and_back_is_a_gap_not_a_withdrawal(built_db):
    pending_id = "NC-onslow-county-sheriffs-office#TFM#pending-2025-10-22"
    with built_db.read() as conn:
        app = conn.execute(select(pending).where(pending.c.pending_id == pending_id)).one()
        types = [e["type"] for e in _events(conn, pending_id=pending_id, kind="pending")]
    assert types[:3] == ["pending-added", "pending-missing", "pending-reappeared"]
    assert "pending-withdrawn" not in types
    assert app.status == "approved"


def test_a_pending_application_is_linked_to_the_agreement_it_became(built_db):
    with built_db.read() as conn:
        app = conn.execute(
            select(pending).where(pending.c.pending_id == "FL-alachua-county-sheriffs-office#WSO#pending-2025-02-20")
        ).one()
        moved = _events(
            conn, agreement_id="FL-alachua-county-sheriffs-office#WSO#2025-02-24", type="moved-from-pending"
        )
    assert (app.status, app.agreement_id) == ("approved", "FL-alachua-county-sheriffs-office#WSO#2025-02-24")
    assert app.days_to_approval == 6  # first pending 2025-02-20, first listed 2025-02-26
    assert moved and moved[0]["published"] == "2025-02-26"


def test_an_agency_s_county_and_type_are_those_ice_printed_on_its_latest_listing_not_the_first_alphabetically(
    built_db,
):
    """Worked out row by row from every listing of every spelling: the latest list (of either kind, by date, the
    participating list first of one date) printing a COUNTY (a TYPE), and the values it printed."""
    from sqlalchemy import text

    from track287g.parse.published import PART_RANK

    latest: dict[tuple[str, str], tuple[tuple, set[str]]] = {}
    with built_db.read() as conn:
        for agency_id, published, part, kind, county, agency_type in conn.execute(
            text(
                """
                SELECT s.agency_id, p.published, p.part, p.kind, r.county, r.agency_type FROM agency_spelling s
                JOIN listing_row r ON r.state = s.state AND r.agency = s.spelling
                JOIN listing l ON l.row_id = r.row_id
                JOIN publication p ON p.pub_id = l.pub_id AND p.kind IN ('participating', 'pending')
                """
            )
        ):
            when = (published, PART_RANK.get(part, 2), kind == "participating")
            for column, value in (("county", county), ("type", agency_type)):
                if value:
                    was = latest.get((agency_id, column))
                    if was is None or when > was[0]:
                        latest[agency_id, column] = (when, {value})
                    elif when == was[0]:
                        was[1].add(value)
        kept = {r.agency_id: r for r in conn.execute(select(agency))}
    wrong = [
        (agency_id, column, getattr(kept[agency_id], "county" if column == "county" else "agency_type"), values)
        for (agency_id, column), (_, values) in latest.items()
        if getattr(kept[agency_id], "county" if column == "county" else "agency_type") not in values
    ]
    assert wrong == []
    assert sum(1 for _, column in latest if column == "county") > 1000
    assert kept["PA-east-franklin-township-police-department"].county == "Armstrong County"  # Adams for 3 weeks
    assert kept["KS-sedgwick-county-sheriffs-office"].county == "Sedgwick County"  # once "Sedgqick County"
    assert kept["AR-state-police-department"].agency_type == "state"  # once "municipal"
    alcohol = kept["LA-alcohol-and-tobacco-control"]
    assert (alcohol.agency_type, alcohol.kind) == ("state", "state-other")  # its kind follows the latest TYPE


def test_pending_applications_that_left_the_list_unapproved_are_withdrawn(built_db):
    with built_db.read() as conn:
        withdrawn = conn.execute(select(pending).where(pending.c.status == "withdrawn")).all()
    assert withdrawn and all(p.agreement_id is None for p in withdrawn)


def test_the_switch_from_html_tables_to_spreadsheets_creates_no_false_removals(built_db):
    with built_db.read() as conn:
        first_sheet = queries.find_publication(conn, "participatingAgencies-20250221214937.xlsx")
        events = _events(conn, sha256=first_sheet["sha256"])
    assert events and not [e for e in events if e["type"] in ("removed", "missing", "superseded")]


def test_html_era_agreements_keep_their_first_seen_date_from_the_tables(built_db):
    with built_db.read() as conn:
        row = conn.execute(
            select(agreement).where(agreement.c.agreement_id == "TX-walker-county-sheriffs-office#JEM#2020-06-09")
        ).one()
    assert (row.first_listed, row.html_era, row.status) == ("2021-01-13", True, "active")


def test_a_renewal_supersedes_the_older_agreement(built_db):
    with built_db.read() as conn:
        old = conn.execute(
            select(agreement).where(agreement.c.agreement_id == "TN-knox-county-sheriffs-office#JEM#2017-06-15")
        ).one()
    assert (old.status, old.superseded_by) == ("superseded", "TN-knox-county-sheriffs-office#JEM#2020-06-08")


def test_qa_invariants_hold_on_the_real_archive(built_db):
    from track287g.history.build import build
    from track287g.history.rules import load_rules
    from track287g.resolve.aliases import load_aliases

    with built_db.read() as conn:
        history = build(load_archive(conn), load_aliases(), load_rules())
    check(history)  # raises QAError on failure
    for c in history.checks.values():
        assert c["suspect"] or c["added"] - c["removed"] == c["net"]


def test_an_application_s_rows_read_from_the_rows_that_came_to_its_lists_are_those_of_its_listings(built_db):
    from track287g.history.pending import _rows_of

    with built_db.read() as conn:
        history = build(load_archive(conn), load_aliases(), load_rules())
    printed: dict[str, set[str]] = {}
    for pub in history.pending_pubs:  # every listing of every pending list, as the note once read them
        for number, rid in pub.listings:
            if (pending_id := history.listing_application.get((pub.pub_id, number))) is not None:
                printed.setdefault(pending_id, set()).add(rid)
    assert len(history.applications) > 500
    assert {pid: _rows_of(app, history) for pid, app in history.applications.items()} == printed


def _applications_walked(history, rules) -> tuple[dict, dict]:
    """The applications and the listings' map as a walk over every listing of every pending list finds them:
    (pending id -> (its lists, its listings), (list, row number) -> pending id), the later listing winning."""
    from collections import defaultdict

    from track287g.history.model import UNKNOWN_MODEL, agency_of
    from track287g.history.pending import episodes

    pubs = history.pending_pubs
    where: dict = defaultdict(list)
    for index, pub in enumerate(pubs):
        for number, rid in pub.listings:
            if (agency_id := agency_of(history, history.rows[rid])) is not None:
                where[agency_id, history.rows[rid].model or UNKNOWN_MODEL].append((index, number))
    found, mapped = {}, {}
    for (agency_id, model), listings in where.items():
        indices = sorted({index for index, _ in listings})
        for joined in episodes([(index, index) for index in indices], pubs, rules.max_gap_publications):
            run = [index for index, _ in joined]  # each list a span of its own
            pending_id = f"{agency_id}#{model}#pending-{pubs[run[0]].published}"
            mine = [(index, number) for index, number in listings if run[0] <= index <= run[-1]]
            found[pending_id] = (run, len(mine))
            mapped.update(((pubs[index].pub_id, number), pending_id) for index, number in mine)
    return found, mapped


def test_applications_found_from_the_rows_that_came_and_went_are_those_a_walk_over_every_listing_finds(built_db):
    # the spans of lists an agency and model is printed in, read from each list's difference, and each listing's
    # application mapped a list at a time, against every listing of every list read one by one
    from array import array

    from track287g.history import pending

    with built_db.read() as conn:
        history = build(load_archive(conn), load_aliases(), load_rules())
    rules = load_rules()
    found, mapped = _applications_walked(history, rules)
    assert len(found) > 500 and len(mapped) > 5_000
    assert {p: (list(a.positions), a.listings) for p, a in history.applications.items()} == found
    assert history.listing_application == mapped
    twice = next(p for p in history.pending_pubs if len({history.rows[r].agency for r in p.ids}) > 3)
    numbers = list(twice.numbers)  # one row number printed on two rows of two agencies: the later one maps
    twice.numbers = array("l", [*numbers[:-1], numbers[0]])
    history.applications.clear()
    history.listing_application.clear()
    pending.applications(history, history.rows, rules)
    found, mapped = _applications_walked(history, rules)
    assert history.listing_application == mapped
    assert {p: (list(a.positions), a.listings) for p, a in history.applications.items()} == found


def test_the_qa_names_each_list_that_prints_one_agreement_under_two_agencies(built_db):
    # one row of another agency's agreement made one of Lee County's: every list printing both fails the
    # invariant, with the agreement's rows in that list, and no other list does
    with built_db.read() as conn:
        history = build(load_archive(conn), load_aliases(), load_rules())
    lee = history.agreements["FL-lee-county-sheriffs-office#TFM#2025-02-24"]
    mine = {rid for rid, a in history.row_agreement.items() if a == lee.agreement_id}
    other = next(  # a row of Collier County's the latest list prints
        rid
        for rid in history.participating[-1].ids
        if history.agreements[history.row_agreement[rid]].agency_id == "FL-collier-county-sheriffs-office"
    )
    history.row_agreement[other] = lee.agreement_id
    found = [p for p in problems(history) if p.invariant == "one-agreement-one-agency"]
    both = [p for p in history.participating if other in p.ids and not mine.isdisjoint(p.ids)]
    assert len(both) > 50
    assert [p.sha256 for p in found] == [p.sha256 for p in both]
    first = both[0]
    assert found[0].rows == tuple(n for n, rid in first.listings if rid in mine | {other})
    assert "under 2 agencies' names" in found[0].message


def test_the_qa_counts_each_pending_listing_that_maps_to_no_application(built_db):
    # counted per list from the map's keys, and listing by listing in a list that prints a row number twice
    from array import array

    with built_db.read() as conn:
        history = build(load_archive(conn), load_aliases(), load_rules())
    assert not [p for p in problems(history) if p.invariant == "row-maps-to-one"]
    pend = history.pending_pubs[-1]
    dropped = [(pend.pub_id, n) for n in list(pend.numbers)[:2]]
    for key in dropped:
        del history.listing_application[key]
    found = [p for p in problems(history) if p.invariant == "row-maps-to-one"]
    assert [p.message for p in found] == ["2 listing rows map to no agreement or application"]
    history.listing_application[dropped[0]] = "put back"
    twice = history.pending_pubs[-2]  # a row number printed twice: both its listings unmapped, or neither
    numbers = list(twice.numbers)
    twice.numbers = array("l", [*numbers[:-1], numbers[0]])
    del history.listing_application[(twice.pub_id, numbers[0])]
    found = [p for p in problems(history) if p.invariant == "row-maps-to-one"]
    assert [p.message for p in found] == ["3 listing rows map to no agreement or application"]


def test_rebuilding_the_same_archive_yields_the_same_ids(copy_of_built_db, built_db):
    with built_db.read() as conn:
        before = (
            set(conn.execute(select(agreement.c.agreement_id)).scalars()),
            set(conn.execute(select(agency.c.agency_id)).scalars()),
        )
    db = connect(str(copy_of_built_db))
    build_history(db)
    with db.read() as conn:
        after = (
            set(conn.execute(select(agreement.c.agreement_id)).scalars()),
            set(conn.execute(select(agency.c.agency_id)).scalars()),
        )
    db.dispose()
    assert before == after


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("2025-03-12", "2025-03-13", "redate-near"),
        ("2025-03-12", "2025-12-03", "redate-day-month"),
        ("2019-06-01", "2020-06-01", "redate-year"),
        ("2025-01-30", "2025-07-30", "redate-digit"),
        (None, "2025-07-30", "redate-undated"),
        ("2020-06-09", "2025-02-26", None),
    ],
)
def test_the_redating_rule(old, new, rule):
    assert redate_rule(old, new, 45) == rule


def test_a_steep_drop_in_rows_marks_one_publication_suspect():
    from track287g.history.build import _mark_suspects

    def pub(rows):
        return Pub(0, "x", "participating", False, "2025-01-01", "", rows, "", [])

    pubs = [pub(1000), pub(600), pub(590), pub(1000)]
    _mark_suspects(pubs, 0.2, 100)
    assert [p.suspect for p in pubs] == [False, True, False, False]


def test_each_list_is_read_as_the_rows_that_came_and_went_since_the_one_before_it():
    from track287g.history.load import Since, link, steps, times_listed

    def pub(pub_id, ids):
        return Pub(pub_id, str(pub_id), "participating", False, "2025-01-01", "", len(ids), "", [], ids=ids)

    pubs = [pub(1, ["a", "b"]), pub(2, ["b", "c", "c"]), pub(3, ["a", "c"]), pub(4, ["a", "b"])]
    link(pubs)
    assert [(p.went, p.came, p.distinct) for p in pubs] == [
        (set(), {"a", "b"}, 2),
        ({"a"}, {"c"}, 2),
        ({"b"}, {"a"}, 2),
        ({"c"}, {"b"}, 2),
    ]
    assert times_listed(pubs) == {"a": 3, "b": 3, "c": 3}  # "c" printed twice in list 2
    since = Since()
    since.add(pubs[0])
    assert since.take() == (set(), {"a", "b"})  # list 1 read
    since.add(pubs[1])  # list 2 skipped (a suspect list): list 3 read against list 1
    since.add(pubs[2])
    assert since.take() == ({"b"}, {"c"}) and since.take() == (set(), set())
    with pytest.raises(RuntimeError, match="out of the sequence"):  # another sequence reads wrong differences
        list(steps([pubs[0], pubs[2]]))


def test_an_agreement_s_lists_are_kept_as_runs_and_read_like_a_sorted_list():
    import bisect

    from track287g.history.model import Runs

    runs = Runs()
    runs.extend(range(0, 4))
    runs.extend(range(4, 6))  # joins the run before it
    runs.append(9)
    runs.extend([11, 12])
    values = [0, 1, 2, 3, 4, 5, 9, 11, 12]
    assert runs.runs() == [(0, 5), (9, 9), (11, 12)]
    assert runs == values and list(runs) == values and len(runs) == len(values)
    assert [runs[i] for i in range(-len(values), len(values))] == values + values
    assert [bisect.bisect_right(runs, x) for x in range(14)] == [bisect.bisect_right(values, x) for x in range(14)]
    assert [x in runs for x in range(14)] == [x in values for x in range(14)]
    with pytest.raises(IndexError):
        runs[len(values)]
    for i in (0, -1):  # the first and the last, read straight from the runs: none when there is none
        with pytest.raises(IndexError):
            Runs()[i]
    with pytest.raises(ValueError, match="in order"):
        runs.append(10)


def test_a_row_s_neighbours_are_those_of_its_last_printing_by_row_number():
    from array import array

    from track287g.history.model import Neighbours

    def pub(numbers, ids):
        return Pub(1, "x", "participating", False, "2025-01-01", "", len(ids), "", [], array("l", numbers), ids)

    for listed in (pub([2, 3, 4, 5], ["a", "b", "a", "c"]), pub([5, 4, 3, 2], ["c", "a", "b", "a"])):
        few = Neighbours(listed)
        assert [few.get(rid) for rid in "abcz"] == [("b", "c"), ("a", "a"), ("a", None), (None, None)]
        many = Neighbours(listed)  # after LOOKUPS lookups, every row's at once: the same answers
        for _ in range(Neighbours.LOOKUPS):
            many.get("z")
        assert [many.get(rid) for rid in "abcz"] == [("b", "c"), ("a", "a"), ("a", None), (None, None)]
