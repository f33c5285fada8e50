"""State laws on 287(g): the bundled table is checked on load (each bad row named by file and line), written to
``state_law`` at every build, and set beside the record (agreements in mandate states before and after the law)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import run_cli
from track287g.analyze.laws import by_stance, law_effect
from track287g.enrich import InputError, load_state_laws, state_law_row, state_laws
from track287g.enrich.laws import STATE_LAWS
from track287g.history.queries import as_of

# Texas's SB 8 (effective 2026-01-01): agreements in TX on ICE's list of 2025-12-30 and on the latest (2026-02-27 am)
TX_BEFORE, TX_AFTER, TX_CHANGE = 259, 317, 58


def edited(tmp_path: Path, state: str, column: str, value: str) -> Path:
    """A copy of the bundled table with one cell of one state's row changed."""
    import csv

    with STATE_LAWS.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    for row in rows:
        if row["state"] == state:
            row[column] = value
    target = tmp_path / "state-laws.csv"
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fields)
        writer.writeheader()
        writer.writerows(rows)
    return target


def line_of(state: str) -> int:
    return next(law.line for law in load_state_laws() if law.state == state)


def test_the_bundled_table_loads_one_row_per_researched_state():
    laws = {law.state: law for law in load_state_laws()}
    assert len(laws) == 40
    assert (laws["FL"].stance, laws["FL"].confidence) == ("mandate", "verified")
    assert (laws["TX"].effective_date, laws["TX"].year) == ("2026-01-01", 2025)
    assert laws["CA"].stance == "ban" and laws["MN"].confidence == "unverified"
    assert sorted(s for s, law in laws.items() if law.stance == "mandate") == ["AR", "FL", "GA", "TN", "TX"]


def test_an_unknown_stance_is_an_error_naming_the_file_and_the_line(tmp_path):
    bad = edited(tmp_path, "FL", "stance", "required")
    with pytest.raises(InputError, match=rf"state-laws\.csv: line {line_of('FL')}: stance is 'required'; use one of"):
        load_state_laws(bad)


def test_a_bad_effective_date_is_an_error_naming_the_line(tmp_path):
    bad = edited(tmp_path, "TX", "effective_date", "2026-13-01")
    with pytest.raises(InputError, match=rf"line {line_of('TX')}: effective_date is '2026-13-01', not a date"):
        load_state_laws(bad)


def test_a_bad_year_is_an_error_naming_the_line(tmp_path):
    bad = edited(tmp_path, "TX", "year", "25")
    with pytest.raises(InputError, match=rf"line {line_of('TX')}: year is '25', not a year"):
        load_state_laws(bad)


def test_a_missing_source_is_an_error_naming_the_line(tmp_path):
    bad = edited(tmp_path, "CA", "source_url", "")
    with pytest.raises(InputError, match=rf"state-laws\.csv: line {line_of('CA')}: source_url is missing"):
        load_state_laws(bad)


def test_an_unknown_confidence_or_state_is_an_error(tmp_path):
    with pytest.raises(InputError, match=rf"line {line_of('GA')}: confidence is 'likely'"):
        load_state_laws(edited(tmp_path, "GA", "confidence", "likely"))
    with pytest.raises(InputError, match=rf"line {line_of('GA')}: state is 'XX'"):
        load_state_laws(edited(tmp_path, "GA", "state", "XX"))


def test_a_second_row_for_a_state_is_an_error(tmp_path):
    bad = edited(tmp_path, "GA", "state", "FL")
    with pytest.raises(InputError, match=rf"line {line_of('GA')}: FL already has a row \(line {line_of('FL')}\)"):
        load_state_laws(bad)


def test_the_build_writes_the_state_law_table(built_db):
    with built_db.read() as conn:
        rows = state_laws(conn)
        fl = state_law_row(conn, "FL")
        assert state_law_row(conn, "AK") is None  # not researched
        mn = state_law_row(conn, "MN")
    assert len(rows) == 40
    assert fl["stance"] == "mandate" and fl["source_url"].startswith("https://www.flsenate.gov/")
    assert mn["unverified"] and not fl["unverified"]
    assert all(r["summary_es"] for r in rows)  # every researched state's summary has its Spanish


def test_a_database_whose_state_law_table_predates_the_spanish_summaries_gets_it_made_again(tmp_path):
    from sqlalchemy import Column, MetaData, Table, Text, create_engine, inspect

    from track287g.enrich.laws import write_state_laws

    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    old = Table("state_law", MetaData(), Column("state", Text, primary_key=True), Column("summary", Text))
    with engine.begin() as conn:
        old.create(conn)
        conn.execute(old.insert(), [{"state": "TX", "summary": "old"}])
        assert write_state_laws(conn) == 40
        assert "summary_es" in {c["name"] for c in inspect(conn).get_columns("state_law")}
        assert state_law_row(conn, "TX")["summary_es"].startswith("El sheriff de cada condado")


def test_texas_agreements_before_and_after_its_mandate_come_from_the_record(built_db):
    with built_db.read() as conn:
        effect = law_effect(conn)
        before = as_of(conn, "2025-12-31", "TX")
        after = as_of(conn, "2026-02-27", "TX")
    tx = next(r for r in effect["states"] if r["state"] == "TX")
    assert (tx["law_date"], tx["date_basis"]) == ("2026-01-01", "effective date")
    assert tx["before"]["agreements"] == before["agreements"]
    assert tx["after"]["agreements"] == after["agreements"]
    assert tx["before"]["published"][:10] == "2025-12-30"
    assert (tx["before"]["agreements"], tx["after"]["agreements"], tx["change"]) == (TX_BEFORE, TX_AFTER, TX_CHANGE)


def test_a_mandate_without_an_effective_date_is_dated_by_its_year_and_says_so(built_db):
    with built_db.read() as conn:
        effect = law_effect(conn)
    fl = next(r for r in effect["states"] if r["state"] == "FL")
    assert fl["law_date"] == "2025-01-01" and fl["date_basis"].startswith("year only")
    assert fl["before"]["derived"]  # the last list before 2025 is an HTML-era table, and it says so


def test_a_law_not_yet_in_effect_on_the_date_asked_has_no_after_and_says_so(built_db):
    with built_db.read() as conn:
        effect = law_effect(conn, on="2025-06-01")
    tx = next(r for r in effect["states"] if r["state"] == "TX")
    assert tx["after"] is None and tx["change"] is None
    assert tx["before"]["published"][:10] == "2025-05-29"  # the list in force on the date asked, not a later one
    assert tx["note"] == "not yet in effect on the list of 2025-05-29"


def test_agreements_by_stance_add_up_to_the_national_totals():
    laws = [{"state": "FL", "stance": "mandate"}, {"state": "CA", "stance": "ban"}]
    groups = {g["stance"]: g for g in by_stance(laws, {"FL": (100, 300), "CA": (0, 0), "AK": (5, 15)})}
    assert (groups["mandate"]["change"], groups["mandate"]["share_of_change"]) == (200, round(200 / 210, 3))
    assert groups["not-researched"]["now"] == 15 and groups["not-researched"]["states"] == []
    assert groups["ban"]["states"] == ["CA"]


def test_the_laws_command_lists_a_stance_and_rejects_an_unknown_one(built_db_path, tmp_path):
    import shutil

    from track287g.enrich.laws import write_state_laws
    from track287g.store import connect

    db_path = tmp_path / "copy.db"
    shutil.copy(built_db_path, db_path)
    db = connect(str(db_path))
    with db.begin() as conn:  # a database built before the state-law table existed
        conn.exec_driver_sql("DROP TABLE state_law")
    db.dispose()
    before = db_path.read_bytes()
    missing = run_cli("laws", "--stance", "mandate", db=db_path)  # a read command does not write: it says what to run
    assert missing.returncode != 0 and "run `track287g enrich`" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1 and db_path.read_bytes() == before
    db = connect(str(db_path))
    with db.begin() as conn:
        write_state_laws(conn)
    db.dispose()
    done = run_cli("laws", "--stance", "mandate", "--json", db=db_path)
    assert done.returncode == 0, done.stderr
    assert [r["state"] for r in json.loads(done.stdout)] == ["AR", "FL", "GA", "TN", "TX"]
    bad = run_cli("laws", "--stance", "required", db=db_path)
    assert bad.returncode != 0 and "--stance must be one of" in bad.stderr


def test_the_agency_command_says_its_state_s_law_as_the_agency_s_page_does(built_db_path, tmp_path):
    import shutil

    from track287g.store import connect

    done = run_cli("agency", "MD-st-marys-county-sheriffs-office", db=built_db_path)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("state law: "))
    assert line.startswith("state law: ban (Md. HB 444 / SB 245 (2026)") and "effective 2026-02-17" in line
    view = json.loads(run_cli("agency", "FL-lee-county-sheriffs-office", "--json", db=built_db_path).stdout)
    assert (view["law"]["stance"], view["law"]["unverified"]) == ("mandate", False)
    kansas = json.loads(run_cli("agency", "Sedgwick County Sheriff's Office", "--json", db=built_db_path).stdout)
    assert kansas["state"] == "KS" and kansas["law"] is None  # not researched: no line, and null in the JSON
    db_path = tmp_path / "copy.db"
    shutil.copy(built_db_path, db_path)
    db = connect(str(db_path))
    with db.begin() as conn:  # a database built before the state-law table existed still answers
        conn.exec_driver_sql("DROP TABLE state_law")
    db.dispose()
    old = run_cli("agency", "MD-st-marys-county-sheriffs-office", db=db_path)
    assert old.returncode == 0, old.stderr
    assert "state law:" not in old.stdout


def test_a_law_the_table_dates_after_the_date_asked_is_said_not_yet_in_force_then():
    """Texas's SB 8 (effective 2026-01-01) did not bind Texas's sheriffs on 2025-03-10; Maine's row has a year
    (2026) and no effective date; a law of the year asked, or in force by then, or no law found, says nothing."""
    from track287g.enrich import law_then

    laws = {law.state: law.__dict__ for law in load_state_laws()}
    assert law_then(laws["TX"], "2025-03-10") == {
        "status": "not-in-effect",
        "on": "2025-03-10",
        "effective_date": "2026-01-01",
    }
    assert law_then(laws["TX"], "2026-01-01") is None and law_then(laws["TX"], None) is None
    assert law_then(laws["ME"], "2025-12-31") == {"status": "dated-later", "on": "2025-12-31", "year": 2026}
    assert law_then(laws["ME"], "2026-01-02") is None  # the year only: not said later within it
    assert law_then(laws["ND"], "2020-01-01") is None  # no law found


def test_the_place_command_as_of_a_date_before_the_state_s_law_says_it_was_not_yet_in_effect(built_db_path):
    then = run_cli("place", "Harris County, TX", "--as-of", "2025-03-10", db=built_db_path)
    assert then.returncode == 0, then.stderr
    line = next(x for x in then.stdout.splitlines() if x.startswith("state law: "))
    assert line.endswith("effective 2026-01-01; verified; not yet in effect on 2025-03-10")
    now = run_cli("place", "Harris County, TX", db=built_db_path)
    assert next(x for x in now.stdout.splitlines() if x.startswith("state law: ")).endswith("; verified")
    data = json.loads(run_cli("place", "Harris County, TX", "--as-of", "2025-03-10", "--json", db=built_db_path).stdout)
    assert data["law_then"] == {"status": "not-in-effect", "on": "2025-03-10", "effective_date": "2026-01-01"}
